"""A comparison report and a sweep report, rendered in headless Chromium.

usage: report_browser.py TRAINEESIM SOURCE_DIR WORK_DIR

Also builds (without a browser) the report of a plain run folder recorded at
summary level.

The uncertainty report: a sweep over the career ladder's own effect size (2
values x 2 replications), a small PSA (3 draws x 2 replications) and a small
Sobol design (sensitivity.py --size 6), reported together
(report.py SWEEP --psa DIR --sensitivity DIR): the swept-parameter chart and
table (checked against the run files), the PSA scatter, acceptability curve
and variance split, the Sobol table and tornado, and the headline saying its
interval covers parameter uncertainty.

Runs a small paired comparison (the default CYP scenario, two policies, 3
replications) and a small sweep (tests/e2e/report_sweep.toml, 12 runs),
builds each report with tools/report.py, loads it in Debian's Chromium (no
network) and checks, in the page as rendered: every section; every chart
drawn by plotly with its legend toggles and zoom bar, and dates on every time
axis; each policy's headline numbers against values computed here from
comparison.h5 or from the run files (not through the report's code); the
sentence on whether supervision binds; PNG and SVG files with the chart's
title inside. Screenshots (first screen and whole page) stay in WORK_DIR.
"""
import glob
import os
import re
import shutil
import subprocess
import sys

import h5py
import numpy as np

binary, source, work = sys.argv[1:4]
sys.path.insert(0, os.path.join(source, "tools"))
import pandas as pd  # noqa: E402
from traineesim_tools import load_comparison, load_run, load_sweep  # noqa: E402

shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
failures = []
POLICIES = [os.path.join(source, "scenarios", "policies", p) for p in ("cwp_emhp_career_ladder.toml",
                                                                        "supervisor_training.toml")]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--virtual-time-budget=20000", f"--user-data-dir={os.path.join(work, 'chromium-profile')}"]
SECTIONS = ("headline", "supply", "supervision", "diversity", "retention", "provenance")
MONTH_YEAR = re.compile(r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}")
NOT_DATES = ("retention", "diversity_", "tornado_", "swept_", "psa_")  # charts whose x axis is not a date


def check(cond, msg):
    if not cond:
        failures.append(msg)
    return cond


def build_report(results, name, extra=()):
    report = os.path.join(work, f"{name}.html")
    env = dict(os.environ, MPLCONFIGDIR=os.path.join(work, "matplotlib"))
    r = subprocess.run([sys.executable, os.path.join(source, "tools", "report.py"), results, "-o", report, *extra],
                       capture_output=True, text=True, env=env)
    check(r.returncode == 0, f"{name}: report.py failed: {r.stderr}")
    print(r.stdout.strip())
    return report


def render(report, name):
    url = "file://" + os.path.abspath(report)
    dom = subprocess.run([CHROMIUM, *FLAGS, "--dump-dom", url], capture_output=True, text=True, timeout=300)
    check(dom.returncode == 0, f"{name}: chromium --dump-dom exit {dom.returncode}")
    with open(os.path.join(work, f"{name}_rendered.html"), "w", encoding="utf-8") as f:
        f.write(dom.stdout)
    for shot, size in (("first_screen", "1280,900"), ("full", "1280,12000")):
        path = os.path.join(work, f"{name}_{shot}.png")
        s = subprocess.run([CHROMIUM, *FLAGS, f"--window-size={size}", f"--screenshot={path}", url],
                           capture_output=True, text=True, timeout=300)
        check(s.returncode == 0 and os.path.exists(path) and os.path.getsize(path) > 20000,
              f"{name}: screenshot {path} taken")
    return dom.stdout


def figures(dom):
    """chart key -> the rendered HTML of its <figure>."""
    parts = dom.split('<figure class="chart"')[1:]
    out = {}
    for p in parts:
        m = re.search(r'data-chart="([^"]+)"', p)
        out[m.group(1) if m else "?"] = p.split("</figure>")[0]
    return out


def check_page(name, report, dom, sections, expect_charts):
    text = open(report, encoding="utf-8").read()
    check(not re.search(r"<(script|img|link|iframe)[^>]+(src|href)=\"https?:", text),
          f"{name}: nothing loaded from the network")
    for s in sections:
        check(f'data-section="{s}"' in dom, f"{name}: section {s} rendered")
    charts = figures(dom)
    print(f"{name}: {len(charts)} charts rendered")
    for key in expect_charts:
        check(any(k == key or k.startswith(key) for k in charts), f"{name}: chart {key} present")
    files = os.path.splitext(report)[0] + "_files"
    for key, fig in charts.items():
        check("main-svg" in fig, f"{name}: chart {key} drawn by plotly")
        check('class="modebar' in fig, f"{name}: chart {key} has its zoom bar")
        title = re.search(r'class="gtitle"[^>]*>([^<]+)<', fig)
        check(title is not None, f"{name}: chart {key} has a title")
        if not key.startswith(NOT_DATES):
            ticks = re.findall(r'class="xtick"><text[^>]*>([^<]+)<', fig)
            check(any(MONTH_YEAR.fullmatch(t) for t in ticks), f"{name}: chart {key} has dates on its x axis ({ticks[:3]})")
            check("legendtoggle" in fig, f"{name}: chart {key} has legend toggles")
        for ext in ("png", "svg"):
            check(os.path.exists(os.path.join(files, f"{key}.{ext}")), f"{name}: {key}.{ext} written for slides")
        if title and os.path.exists(os.path.join(files, f"{key}.svg")):
            svg = open(os.path.join(files, f"{key}.svg"), encoding="utf-8").read()
            words = title.group(1).replace("&amp;", "&").split(":")[0].split()[:3]
            check(all(w in svg for w in words), f"{name}: {key}.svg has its title inside ({' '.join(words)})")
    binds = re.findall(r'<ul class="binds"[^>]*>(.*?)</ul>', dom, re.S)
    check(binds and all("bind" in b for b in binds), f"{name}: a sentence says whether supervision binds")
    return charts


def headline_numbers(dom):
    """policy -> {headline kind: text} from the rendered headline boxes."""
    out = {}
    for box in dom.split('<div class="headline" data-policy="')[1:]:
        policy = box.split('"')[0]
        out[policy] = dict(re.findall(r'data-headline="(\w+)">([^<]+)<', box))
    return out


def money(x):
    """GBP written as the report promises (GBP 83.4m), computed here independently."""
    a = abs(x)
    body = f"{a / 1e9:,.2f}bn" if a >= 1e9 else f"{a / 1e6:,.1f}m" if a >= 1e6 else f"{a / 1e3:,.0f}k" if a >= 1e4 \
        else f"{a:,.0f}"
    return ("-" if x < 0 else "") + "GBP " + body


def comparison_report():
    results = os.path.join(work, "comparison")
    subprocess.run([binary, "compare", os.path.join(source, "scenarios", "cyp_psychological_professions.toml"),
                    *[a for p in POLICIES for a in ("--policy", p)], "-r", "3", "-q", "--out", results], check=True,
                   stdout=subprocess.DEVNULL)
    report = build_report(results, "comparison", [a for p in POLICIES for a in ("--policy", p)])
    dom = render(report, "comparison")
    check_page("comparison", report, dom, SECTIONS,
               ["qualified_fte", "qualified_fte_difference", "qualified_fte_by_profession", "trainees",
                "trainees_difference", "pool_supervision", "diversity_ethnicity", "retention", "establishment_"])
    table = load_comparison(os.path.join(results, "comparison.h5"))
    shown = headline_numbers(dom)
    for policy in ("career-ladder", "supervisor-training"):
        got = shown.get(policy, {})
        fte = table[(table.indicator == "qualified FTE in post at the horizon") & (table.policy == policy)].iloc[0]
        row = lambda name: table[(table.indicator == name) & (table.policy == policy)].iloc[0]  # noqa: E731
        cost = row("total cost (GBP)")
        discounted = row("total cost, discounted at 3.5% a year (GBP)")
        per_fte = row("cost per additional qualified FTE in post (GBP)")
        check(got.get("cost_discounted") == money(discounted.difference),
              f"comparison: {policy} discounted cost {got.get('cost_discounted')} is {money(discounted.difference)}")
        check(not np.isfinite(per_fte.difference) or got.get("cost_per_fte") == money(per_fte.difference),
              f"comparison: {policy} cost per FTE {got.get('cost_per_fte')} is {money(per_fte.difference)}")
        check(got.get("fte") == f"{fte.difference:+,.0f}", f"comparison: {policy} FTE headline {got.get('fte')} "
              f"is the comparison's {fte.difference:+,.0f}")
        check(got.get("cost") == money(cost.difference), f"comparison: {policy} cost headline {got.get('cost')} is "
              f"{money(cost.difference)}")
    check("simulation noise only" in dom, "comparison: says the interval covers simulation noise only")
    check("Senior Wellbeing Practitioner posts" in dom, "comparison: shows the policy's own description")
    check("ladder_effect" in dom, "comparison: shows the policy's effect-size parameters")


def qualified_fte_at_horizon(path):
    """Qualified staff FTE in the last census period of a run file, from load_run."""
    run = load_run(path)
    states = run.dictionaries["states"].set_index("name")
    c = run.census[run.census.period_end_day == run.census.period_end_day.max()]
    s = c.state.astype(str)
    keep = (s.map(states["role"]) == "staff") & (s.map(states["qualified"]) == 1)
    return float(c.fte[keep].sum())


def run_indicator(path, name):
    """One indicator from a run file's /indicators (sweep run files hold them)."""
    with h5py.File(path, "r") as f:
        names = list(f["indicators/name"].asstr()[()])
        return float(f["indicators/value"][names.index(name)])


def sweep_report():
    results = os.path.join(work, "sweep")
    subprocess.run([binary, "sweep", os.path.join(source, "tests", "e2e", "report_sweep.toml"), "--out", results, "-q"],
                   check=True, stdout=subprocess.DEVNULL)
    report = build_report(results, "sweep", ["--policy", POLICIES[0]])
    dom = render(report, "sweep")
    check_page("sweep", report, dom, ("headline", "sweep", "supply", "supervision", "diversity", "retention",
                                      "provenance"),
               ["tornado_", "sweep_baseline_qualified_fte", "sweep_career_ladder_qualified_fte",
                "sweep_career_ladder_difference", "qualified_fte", "qualified_fte_difference", "pool_supervision"])
    diffs = []
    for policy_file in sorted(glob.glob(os.path.join(results, "career-ladder", "s*", "run_*.h5"))):
        base_file = policy_file.replace(os.sep + "career-ladder" + os.sep, os.sep + "baseline" + os.sep)
        diffs.append(qualified_fte_at_horizon(policy_file) - qualified_fte_at_horizon(base_file))
    check(len(diffs) == 6, f"sweep: 6 paired runs, found {len(diffs)}")
    got = headline_numbers(dom).get("career-ladder", {}).get("fte")
    check(got == f"{np.mean(diffs):+,.0f}", f"sweep: FTE headline {got} is the runs' mean {np.mean(diffs):+,.0f}")
    check("parameter uncertainty" in dom, "sweep: says the range covers parameter uncertainty")
    check(dom.count('data-chart="tornado_') >= 3, "sweep: a tornado per headline indicator")
    check("Senior Wellbeing Practitioner posts" in dom, "sweep: shows the policy's own description")
    # Costs from sweep.h5's per-run indicators, against the run files' own
    # /indicators read here: the mean paired cost, discounted cost and their
    # ratio to the mean FTE gained.
    paired = {"total cost (GBP)": [], "total cost, discounted at 3.5% a year (GBP)": [],
              "qualified FTE in post at the horizon": []}
    for policy_file in sorted(glob.glob(os.path.join(results, "career-ladder", "s*", "run_*.h5"))):
        base_file = policy_file.replace(os.sep + "career-ladder" + os.sep, os.sep + "baseline" + os.sep)
        for name, values in paired.items():
            values.append(run_indicator(policy_file, name) - run_indicator(base_file, name))
    cost, discounted, fte = (np.mean(v) for v in paired.values())
    got = headline_numbers(dom).get("career-ladder", {})
    check(got.get("cost") == money(cost), f"sweep: cost headline {got.get('cost')} is the runs' mean {money(cost)}")
    check(got.get("cost_discounted") == money(discounted),
          f"sweep: discounted cost {got.get('cost_discounted')} is {money(discounted)}")
    check(got.get("cost_per_fte") == money(cost / fte),
          f"sweep: cost per FTE {got.get('cost_per_fte')} is {money(cost / fte)}")
    table = re.search(r'<table class="t paired-samples" data-policy="career-ladder">(.*?)</table>', dom, re.S)
    check(table is not None and table.group(1).count("<tr>") == 4,
          "sweep: paired differences per sample, a row for each of the 3 samples")
    check(table is not None and table.group(1).count("<small>95% interval") == 9,
          "sweep: each with its 95% interval")
    for s in ("diversity", "retention"):
        part = dom.split(f'data-section="{s}"')[-1].split("data-section=")[0]
        check('class="t sweep-indicators"' in part and "No persons table here" not in part,
              f"sweep: {s} from the per-run indicators")


SWEPT_KEY = "policy.career-ladder.ladder_effect"
SWEPT_TOML = f"""[sweep]
name = "report-uncertainty-check"
scenario = "{os.path.join(source, "scenarios", "cyp_psychological_professions.toml")}"
policies = ["{POLICIES[0]}"]
replications = 2
seed = 5
record = "census"

[grid]
"{SWEPT_KEY}" = [0.0, 0.4]
"""


def uncertainty_report():
    """A sweep over the policy's own parameter with a PSA and Sobol indices of the same policy."""
    scenario = os.path.join(source, "scenarios", "cyp_psychological_professions.toml")
    sweep_file, results = os.path.join(work, "swept.toml"), os.path.join(work, "swept")
    with open(sweep_file, "w", encoding="utf-8") as f:
        f.write(SWEPT_TOML)
    subprocess.run([binary, "sweep", sweep_file, "--out", results, "-q"], check=True, stdout=subprocess.DEVNULL)
    psa = os.path.join(work, "psa")
    subprocess.run([binary, "psa", scenario, "--policy", POLICIES[0], "--draws", "3", "-r", "2", "-q", "-o", psa],
                   check=True, stdout=subprocess.DEVNULL)
    sens = os.path.join(work, "sensitivity")
    # --size 6: the smallest design whose bootstrap samples keep a nonzero variance here (4 does not).
    subprocess.run([sys.executable, os.path.join(source, "tools", "traineesim_tools", "sensitivity.py"), scenario,
                    "--policy", POLICIES[0], "--size", "6", "-r", "2", "--bootstrap", "50", "--out", sens,
                    "--traineesim", binary], check=True, stdout=subprocess.DEVNULL)
    report = build_report(results, "uncertainty", ["--psa", psa, "--sensitivity", sens])
    dom = render(report, "uncertainty")
    check_page("uncertainty", report, dom, ("headline", "sweep", "psa", "sensitivity", "supply", "provenance"),
               ["swept_policy_career_ladder_ladder_effect_fte", "swept_policy_career_ladder_ladder_effect_professions",
                "psa_scatter", "psa_acceptability", "tornado_sensitivity_0", "tornado_sensitivity_1"])
    # The swept table: the gain at 0.4 is the mean of the paired run differences of that sample.
    samples = load_sweep(os.path.join(results, "sweep.h5"))["samples"]
    s = int(samples[samples[SWEPT_KEY] == 0.4]["sample"].iloc[0])
    diffs = [qualified_fte_at_horizon(p) - qualified_fte_at_horizon(p.replace(os.sep + "career-ladder" + os.sep,
                                                                               os.sep + "baseline" + os.sep))
             for p in sorted(glob.glob(os.path.join(results, "career-ladder", f"s{s}", "run_*.h5")))]
    check(len(diffs) == 2, f"uncertainty: 2 paired runs at 0.4, found {len(diffs)}")
    table = re.search(r'<table class="t swept">(.*?)</table>', dom, re.S)
    row = re.search(r"<tr><td>0.4</td><td>([^<]+)</td>", table.group(1)) if table else None
    check(row is not None and row.group(1) == f"{np.mean(diffs):+,.0f}",
          f"uncertainty: swept table at 0.4 shows {row and row.group(1)}, the runs give {np.mean(diffs):+,.0f}")
    runs = pd.read_csv(os.path.join(psa, "psa_runs.csv"))
    got = headline_numbers(dom).get("career-ladder", {}).get("fte_psa")
    check(got == f"{runs.fte_difference.mean():+,.0f}",
          f"uncertainty: PSA headline {got} is the mean of psa_runs.csv {runs.fte_difference.mean():+,.0f}")
    check(re.search(r'class="sure psa">.*parameter uncertainty as well as simulation noise', dom) is not None,
          "uncertainty: the headline says the PSA interval covers parameter uncertainty")
    check(re.search(r'class="split">[\d.]+% of one run\'s variance', dom) is not None,
          "uncertainty: the noise-versus-parameter variance split is stated")
    sobol = pd.read_csv(os.path.join(sens, "sobol_indices.csv"))
    shown = re.search(r'<table class="t sobol">(.*?)</table>', dom, re.S)
    check(shown is not None and shown.group(1).count("<tr>") == len(sobol) + 1,
          f"uncertainty: a Sobol table row per output and parameter ({len(sobol)})")


def run_report():
    """A plain run folder recorded at summary level (no persons): the report still builds and says what is missing."""
    results = os.path.join(work, "run")
    subprocess.run([binary, "run", os.path.join(source, "scenarios", "cyp_psychological_professions.toml"), "-r", "2",
                    "--record", "summary", "-q", "--out", results], check=True, stdout=subprocess.DEVNULL)
    report = build_report(results, "run", ["--no-slides"])
    text = open(report, encoding="utf-8").read() if os.path.exists(report) else ""
    check("No policy in this folder" in text, "run: the headline says there is no policy")
    check(text.count("No persons table here") == 2, "run: diversity and retention say the persons table is missing")
    for s in SECTIONS:
        check(f'data-section="{s}"' in text, f"run: section {s} present")


if not CHROMIUM:
    print("chromium is not installed (scripts/install-deps.sh installs it)")
    sys.exit(1)
comparison_report()
sweep_report()
uncertainty_report()
run_report()
print(f"screenshots in {work}: " + ", ".join(sorted(os.path.basename(p) for p in glob.glob(os.path.join(work, "*.png")))))
if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print("4 reports passed, 0 failed")
