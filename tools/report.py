#!/usr/bin/env python3
"""Build one self-contained HTML report from traineesim results.

    /usr/bin/python3 tools/report.py RESULTS_DIR -o report.html [--variant NAME]

RESULTS_DIR is what `traineesim run`, `compare` or `sweep` wrote (variant
folders of run files; comparison.h5 or sweep.h5 if present). Figures are
embedded (no network needed) and also written as PNG and SVG into
<report>_files/ for slides. A results folder it cannot use (no run files; a
file that is empty, truncated, damaged, foreign or of another schema version)
ends it with one line on stderr naming the file, and exit status 2. Needs h5py, pandas, matplotlib (Debian:
python3-h5py python3-pandas python3-matplotlib; elsewhere
pip install -r tools/requirements.txt).
"""
import argparse
import base64
import glob
import html
import io
import os
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from traineesim_tools import RunFileError, analysis, load_comparison, load_run  # noqa: E402

YEARS = np.linspace(0, 10, 121)
EXIT_BAD_INPUT = 2  # as the traineesim command line


class BadInput(Exception):
    """Results the report cannot use: printed as one line, exit status 2."""


def find_runs(results, variant):
    variants = sorted(d for d in os.listdir(results) if os.path.isdir(os.path.join(results, d)))
    if not variants:
        raise BadInput(f"no variant folders with run files under {results}")
    chosen = variant or ("baseline" if "baseline" in variants else variants[0])
    files = sorted(glob.glob(os.path.join(results, chosen, "run_*.h5")))
    if not files:  # a sweep: the first sample
        files = sorted(glob.glob(os.path.join(results, chosen, "s0", "run_*.h5")))
    if not files:
        raise BadInput(f"no run files for variant '{chosen}' under {results}")
    return chosen, variants, files


class Figures:
    def __init__(self, folder):
        self.folder = folder
        os.makedirs(folder, exist_ok=True)
        self.items = []

    def add(self, fig, name, caption):
        fig.tight_layout()
        fig.savefig(os.path.join(self.folder, name + ".svg"))
        fig.savefig(os.path.join(self.folder, name + ".png"), dpi=110)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110)
        plt.close(fig)
        data = base64.b64encode(buf.getvalue()).decode()
        return (f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
                f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def style_retention_axes(ax):
    ax.set_xlabel("years since qualifying")
    ax.set_ylabel("still in the workforce")
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=8)


def km_by_group(figs, data, column, name, caption, minimum=20):
    """Kaplan-Meier curves of retention for each value of `column` with at least `minimum` people."""
    fig, ax = plt.subplots(figsize=(7, 4))
    for label, q in data.groupby(column, observed=True):
        if len(q) < minimum:
            continue
        km = analysis.kaplan_meier(q.years, q.left)
        ax.step(km.time, km.survival, where="post", label=f"{label} (n={len(q)})")
    style_retention_axes(ax)
    return figs.add(fig, name, caption)


def table_html(df, floatfmt="{:.3g}"):
    return df.to_html(classes="t", float_format=lambda x: floatfmt.format(x), border=0, na_rep="-")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results")
    ap.add_argument("-o", "--output", default="report.html")
    ap.add_argument("--variant", help="which variant's runs to describe (default: baseline)")
    args = ap.parse_args()
    try:
        report(args)
    except (BadInput, RunFileError) as e:
        print(f"report: {e}", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


def retention_section(figs, runs, first):
    """Retention after qualifying: KM per replication on a common grid, mean and 5-95% band.
    Returns the section, retention at 1/3/5 years, and (left, at risk) over all replications."""
    per_run = [analysis.retention_data(r) for r in runs]
    curves = []
    for q in per_run:
        km = analysis.kaplan_meier(q.years, q.left)
        curves.append([analysis.survival_at(km, t) for t in YEARS])
    left = sum(int(q.left.sum()) for q in per_run)
    at_risk = sum(len(q) for q in per_run)
    curves = np.array(curves)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.fill_between(YEARS, np.percentile(curves, 5, axis=0), np.percentile(curves, 95, axis=0), alpha=0.3,
                    label="5-95% across replications")
    ax.plot(YEARS, curves.mean(axis=0), label="Kaplan-Meier, mean")
    style_retention_axes(ax)
    retention = {t: float(np.interp(t, YEARS, curves.mean(axis=0))) for t in (1, 3, 5)}
    attr_names = list(first.dictionaries["attributes"])
    # Breakdowns pool all replications: by the profession of the state each
    # person qualified into, and by the first attribute.
    pooled = pd.concat(per_run)
    states = first.dictionaries["states"].set_index("name")
    pooled["profession"] = pooled.qualified_state.astype(str).map(states["profession"]).replace("", "(none)")
    by_group = km_by_group(figs, pooled, "profession", "retention_by_profession",
                           "Retention after qualifying by profession (all replications)")
    if attr_names:
        a = attr_names[0]
        by_group += km_by_group(figs, pooled, a, "retention_by_" + a,
                                f"Retention after qualifying by {a} (all replications)")
    exits = per_run[0]
    causes = exits.exit_state.astype(object).where(exits.left, None)
    aj = analysis.aalen_johansen(exits.years, causes)
    fig3, ax3 = plt.subplots(figsize=(7, 4))
    for col in aj.columns:
        ax3.step(aj.index, aj[col], where="post", label=str(col))
    ax3.set_xlabel("years since qualifying")
    ax3.set_ylabel("cumulative incidence")
    ax3.legend(fontsize=8)
    html_text = (figs.add(fig, "retention", "Retention after qualifying (Kaplan-Meier, censored at the horizon)")
                 + by_group + figs.add(fig3, "competing_exits", "Competing exits after qualifying (Aalen-Johansen, replication 0)"))
    return html_text, retention, left, at_risk


def pipeline_section(figs, entr):
    """Where people leave, per replication on average. Returns the section and the training completion."""
    stages = pd.Series({
        "entered": np.mean([len(e) for e in entr]),
        "qualified": np.mean([e.qualified_day.notna().sum() for e in entr]),
        "in post at horizon": np.mean([(e.qualified_day.notna() & e.exit_day.isna()).sum() for e in entr]),
    })
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.bar(stages.index, stages.values, color=["#4c72b0", "#55a868", "#c44e52"])
    ax.set_ylabel("people per replication")
    done = [e[e.qualified_day.notna() | e.exit_day.notna()] for e in entr]
    completion = np.mean([d.qualified_day.notna().mean() for d in done if len(d)]) if any(len(d) for d in done) else np.nan
    ttq = np.nanmean([((e.qualified_day - e.entry_day) / 365).mean() for e in entr])
    return (figs.add(fig, "pipeline", "The leaky pipeline: entrants, qualifiers, still in post")
            + f"<p>Training completion {completion:.1%}; mean time to qualify {ttq:.2f} years.</p>"), completion


def diversity_section(figs, first, entr):
    """Shares by stage and the relative likelihood of qualifying, per attribute."""
    div = ""
    for a in first.dictionaries["attributes"]:
        shares = analysis.shares_by_stage(first, a)
        fig, ax = plt.subplots(figsize=(7, 3.5))
        shares.plot.bar(ax=ax)
        ax.set_ylabel("share")
        ax.legend(fontsize=8)
        e = pd.concat(entr)
        dec = e[e.qualified_day.notna() | e.exit_day.notna()]
        rl = analysis.relative_likelihood(dec.groupby(a, observed=False).qualified_day.count(),
                                          dec.groupby(a, observed=False).size(), dec[a].cat.categories[0])
        div += figs.add(fig, "diversity_" + a, f"Share of each {a} level by stage, against the population")
        div += f"<h3>Relative likelihood of qualifying by {html.escape(a)} (vs {html.escape(str(dec[a].cat.categories[0]))})</h3>"
        div += table_html(rl)
    return div or "<p>The scenario declares no attributes.</p>"


def supply_section(figs, runs, first):
    """Headcount by profession (and region), fan across replications; supervision capacity."""
    heads = [analysis.headcount_by(r, "profession") for r in runs]
    cols = sorted(set().union(*[h.columns for h in heads]))
    idx = heads[0].index
    heads = [h.reindex(index=idx, columns=cols, fill_value=0) for h in heads]
    f = analysis.fan(heads)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    start = pd.Timestamp(first.attrs["start_date"])
    dates = [start + pd.Timedelta(days=float(d)) for d in idx]
    for c in cols:
        if c == "(none)":
            continue
        ax.fill_between(dates, f[5][c], f[95][c], alpha=0.25)
        ax.plot(dates, f[50][c], label=c)
    ax.set_ylabel("headcount")
    ax.legend(fontsize=7, ncol=2)
    supply = figs.add(fig, "supply", "Headcount by profession: median and 5-95% across replications")
    if "region" in first.census.columns:
        supply += region_figure(figs, runs, first, dates)
    if "pools" in first.tables and len(first.pools):
        fig, ax = plt.subplots(figsize=(8, 3.5))
        for name, g in first.pools.groupby("pool"):
            ax.plot(g.period, g.capacity, label=f"{name} capacity")
            ax.plot(g.period, g.in_use + g.queue_length, "--", label=f"{name} demand (in use + waiting)")
        ax.set_xlabel("census period")
        ax.legend(fontsize=8)
        supply += figs.add(fig, "supervision", "Supervision capacity against demand (replication 0)")
    return supply


def region_figure(figs, runs, first, dates):
    kinds = first.dictionaries["states"].set_index("name")["kind"]
    by_region = [r.census[r.census.state.astype(str).map(kinds) != "exit"]
                 .groupby(["period_end_day", "region"], observed=True).headcount.sum().unstack(fill_value=0)
                 for r in runs]
    cols_r = sorted(set().union(*[h.columns for h in by_region]))
    by_region = [h.reindex(index=by_region[0].index, columns=cols_r, fill_value=0) for h in by_region]
    fr = analysis.fan(by_region)
    fig, ax = plt.subplots(figsize=(8, 3.5))
    for c in cols_r:
        ax.fill_between(dates[:len(fr[50])], fr[5][c], fr[95][c], alpha=0.25)
        ax.plot(dates[:len(fr[50])], fr[50][c], label=str(c))
    ax.set_ylabel("headcount (all states in post or training)")
    ax.legend(fontsize=8)
    return figs.add(fig, "supply_by_region", "Headcount by region, quarterly: median and 5-95% across replications")


def comparison_section(cmp_path):
    t = load_comparison(cmp_path)
    keys = ("qualified FTE", "retention", "training completion", "total cost", "cost per additional", "mean wait")
    t = t[t.indicator.str.startswith(keys)]
    return table_html(t[["indicator", "policy", "baseline_mean", "policy_mean", "difference", "ci_low", "ci_high"]]
                      .set_index(["indicator", "policy"]))


def page_html(first, summary, sections, provenance):
    body = "".join(f"<section><h2>{html.escape(t)}</h2>{c}</section>" for t, c in sections)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>traineesim report: {html.escape(str(first.attrs['scenario_name']))}</title>
<style>body{{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}} table.t{{border-collapse:collapse}}
table.t td,table.t th{{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}} figure{{margin:1em 0}}
img{{max-width:100%}} figcaption{{font-size:90%;color:#555}} pre{{font-size:80%;background:#f6f6f6;padding:1em;overflow:auto}}</style>
</head><body>
<h1>traineesim report: {html.escape(str(first.attrs['scenario_name']))}</h1>
<section id="summary"><h2>Summary</h2>{table_html(summary)}</section>
{body}
<section><h2>Provenance</h2>{provenance}</section>
</body></html>
"""


def provenance_html(first, runs, variants):
    return (f"<p>traineesim {html.escape(str(first.attrs['traineesim_version']))} ({html.escape(str(first.attrs['git_sha']))}); "
            f"master seed {first.attrs['master_seed']}; replications {', '.join(str(r.attrs['replication']) for r in runs)}; "
            f"variants in the folder: {html.escape(', '.join(variants))}; policies: {html.escape(str(first.attrs['policies']) or 'none')}.</p>"
            f"<p>Command: <code>{html.escape(' '.join([os.path.basename(sys.executable)] + sys.argv))}</code></p>"
            f"<details><summary>Scenario as run (resolved)</summary><pre>{html.escape(first.scenario)}</pre></details>")


def report(args):
    started = time.time()
    if not os.path.isdir(args.results):
        raise BadInput(f"{args.results}: no such folder")
    variant, variants, files = find_runs(args.results, args.variant)
    runs = [load_run(f) for f in files]
    first = runs[0]
    if "persons" not in first.tables:
        raise BadInput(f"{files[0]}: written with --record summary; the report needs census or full")
    cmp_path = os.path.join(args.results, "comparison.h5")
    comparison = comparison_section(cmp_path) if os.path.exists(cmp_path) else None
    figs = Figures(os.path.splitext(args.output)[0] + "_files")
    retention_html, retention, left, at_risk = retention_section(figs, runs, first)
    entr = [r.persons[r.persons.route != "initial_stock"] for r in runs]
    pipeline_html, completion = pipeline_section(figs, entr)
    sections = [("Retention", retention_html), ("Pipeline", pipeline_html),
                ("Diversity", diversity_section(figs, first, entr)), ("Supply", supply_section(figs, runs, first))]
    if comparison is not None:
        sections.insert(0, ("Policy comparison (paired, common random numbers)", comparison))
    summary = pd.DataFrame([
        ("scenario", first.attrs["scenario_name"]),
        ("variant described", variant),
        ("replications", len(runs)),
        ("people per replication", f"{np.mean([len(r.persons) for r in runs]):,.0f}"),
        ("training completion", f"{completion:.1%}"),
        ("retention 1 / 3 / 5 years after qualifying", " / ".join(f"{retention[t]:.1%}" for t in (1, 3, 5))),
        ("qualifiers who left before the horizon (all replications)", f"{left:,} of {at_risk:,}"),
    ], columns=["", "value"]).set_index("")
    page = page_html(first, summary, sections, provenance_html(first, runs, variants))
    tmp = args.output + ".partial"
    with open(tmp, "w", encoding="utf-8") as out:
        out.write(page)
    os.replace(tmp, args.output)
    print(f"report: {args.output} ({len(page) / 1024:.0f} KiB, {len(figs.items) or len(os.listdir(figs.folder)) // 2} figures) "
          f"from {len(runs)} run(s) in {time.time() - started:.1f} s")


if __name__ == "__main__":
    main()
