"""Reads a results folder (a run, a comparison or a sweep) and puts the report together."""
import html
import os
import re
import shutil
import sys
import tempfile
import time

from .. import report_data as rd
from . import diversity, headline, page, retention, supervision, supply, sweep, uncertainty
from .charts import ChartWriter
from .series import Context

KIND_WORDS = {"run": "replications of one variant", "comparison": "a paired comparison of policies against the baseline",
              "sweep": "a sweep over parameter samples"}


_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'')
_FLOAT = re.compile(r"(?<![\w.:-])-?\d+\.\d+(?:[eE][+-]?\d+)?(?![\w.:-])")


def shortest_floats(text):
    """The resolved scenario with each float written as its shortest
    round-trip form (0.81699999999999995 -> 0.817): the same value, as a
    person wrote it. Quoted strings and dates are left alone."""
    def line(s):
        out, at = [], 0
        for q in _QUOTED.finditer(s):
            out += [_FLOAT.sub(lambda m: repr(float(m.group())), s[at:q.start()]), q.group()]
            at = q.end()
        return "".join(out) + _FLOAT.sub(lambda m: repr(float(m.group())), s[at:])
    return "\n".join(line(s) for s in text.split("\n"))


def provenance(ctx, argv):
    a = ctx.first.attrs
    runs = sum(len(ctx.runs(v)) for v in ctx.results.variants)
    return (f"<p>traineesim {html.escape(str(a['traineesim_version']))} ({html.escape(str(a['git_sha']))}); "
            f"master seed {html.escape(str(a['master_seed']))}; {runs} run files in "
            f"<code>{html.escape(ctx.results.folder)}</code>; variants: {html.escape(', '.join(ctx.results.variants))}; "
            f"record level {html.escape(str(a['record_level']))}.</p>"
            f"<p>Command: <code>{html.escape(' '.join(argv))}</code></p>"
            # The first variant's scenario: the baseline's, or the policy's own in a `run --policy` folder.
            f"<details><summary>Scenario as run ({html.escape(ctx.results.baseline)}, resolved)</summary><pre>{html.escape(shortest_floats(ctx.first.scenario))}"
            "</pre></details>")


def sections(ctx, argv):
    out = [("headline", "The policy question" if ctx.results.policies else "Summary", headline.section(ctx))]
    if ctx.results.kind == "sweep":
        out.append(("sweep", "Parameter uncertainty (sweep)", sweep.section(ctx)))
    if ctx.psa is not None:
        out.append(("psa", "Parameter uncertainty (probabilistic sensitivity analysis)", uncertainty.psa_section(ctx)))
    if ctx.sensitivity is not None:
        out.append(("sensitivity", "Which parameters matter (Sobol indices)", uncertainty.sensitivity_section(ctx)))
    out += [("supply", "Supply: qualified staff and trainees", supply.section(ctx)),
            ("supervision", "Supervision capacity against demand", supervision.section(ctx)),
            ("diversity", "Diversity against the population", diversity.section(ctx)),
            ("retention", "Retention after qualifying", retention.section(ctx)),
            ("provenance", "Provenance", provenance(ctx, argv))]
    return out


def check_output(output):
    """Raises BadResults (one line naming the path) when the report cannot be
    written at `output`: its folder missing or not writable, or `output` (or
    its <output>_files folder) in the way. Checked before any work, so a bad
    -o costs nothing and leaves nothing behind."""
    files = os.path.splitext(output)[0] + "_files"
    parent = os.path.dirname(os.path.abspath(output))
    if os.path.isdir(output):
        raise rd.BadResults(f"{output}: is a folder; -o names the report's HTML file")
    if not os.path.isdir(parent):
        raise rd.BadResults(f"{output}: its folder {parent} does not exist")
    if os.path.exists(files) and not os.path.isdir(files):
        raise rd.BadResults(f"{output}: {files} (for the figures) exists and is not a folder")
    try:  # os.access says yes to root on read-only file systems such as /proc: try a file
        fd, probe = tempfile.mkstemp(dir=parent, prefix=".report-probe-")
        os.close(fd)
        os.remove(probe)
    except OSError as e:
        raise rd.BadResults(f"{output}: cannot write in {parent} ({e.strerror})") from None


def build(folder, output, policy_files=(), variant=None, slides=True, argv=None, psa=None, sensitivity=None):
    """Checks `output` first (check_output), then writes the report; on any
    failure removes the .partial file and a _files folder this run created."""
    check_output(output)
    files = os.path.splitext(output)[0] + "_files"
    files_existed = os.path.isdir(files)
    try:
        return _build(folder, output, files, policy_files, variant, slides, argv, psa, sensitivity)
    except BaseException:
        if os.path.exists(output + ".partial"):
            os.remove(output + ".partial")
        if not files_existed:
            shutil.rmtree(files, ignore_errors=True)
        raise


def _build(folder, output, files, policy_files=(), variant=None, slides=True, argv=None, psa=None, sensitivity=None):
    """Writes the report to `output` (atomically) and figures to <output>_files/.
    `psa`, `sensitivity`: folders of `traineesim psa` and sensitivity.py output to show too.
    Returns (bytes written, number of charts). Raises BadResults or RunFileError."""
    started = time.time()
    results = rd.find_results(folder, variant)
    psa_results = rd.read_psa(psa) if psa else None
    sensitivity_results = rd.read_sensitivity(sensitivity) if sensitivity else None
    data = rd.read_all(results)
    # What the results folder kept of each policy (manifest.toml or sweep.h5)
    # is what the numbers come from; a --policy file only fills a gap.
    policies = rd.policies_with_files(rd.policies_in_manifests(results), results.policies, policy_files,
                                      lambda line: print(f"report: warning: {line}", file=sys.stderr))
    charts = ChartWriter(files, slides)
    ctx = Context(results, data, charts, policies, rd.currency(results.comparison), psa_results, sensitivity_results)
    a = ctx.first.attrs
    kind = KIND_WORDS[results.kind]
    if results.kind == "comparison" and (results.comparison_attrs or {}).get("random_numbers") == "independent":
        kind = "a comparison of policies against the baseline on independent random numbers (not paired)"
    subtitle = (f"Scenario <b>{html.escape(str(a['scenario_name']))}</b>, {html.escape(kind)}; "
                f"{ctx.x_range[0]:%d %b %Y} to {ctx.x_range[1]:%d %b %Y}.")
    text = page.page(f"traineesim report: {a['scenario_name']}", subtitle, sections(ctx, argv or sys.argv))
    charts.finish()
    tmp = output + ".partial"
    with open(tmp, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, output)
    return len(text), len(charts.keys), time.time() - started, results
