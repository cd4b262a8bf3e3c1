#!/usr/bin/env python3
"""Build one self-contained HTML report from traineesim results, policy first.

    /usr/bin/python3 tools/report.py RESULTS_DIR -o report.html [--policy POLICY.toml ...]

RESULTS_DIR is what `traineesim run`, `compare` or `sweep` wrote: variant
folders of run files, with comparison.h5 or sweep.h5 when there is one. The
report opens with a box per policy (what it buys, what it costs, how sure we
are), then supply, supervision, diversity and retention with every variant
overlaid; a sweep adds fans per parameter sample and a tornado chart. Charts
are interactive (plotly.js inlined: no network needed) and also written as
PNG and SVG into <report>_files/ for slides. The policy's description, dates
and own costs come from the results folder (each variant's manifest.toml
[policy_text], or sweep.h5's /policy_texts); --policy names a policy TOML
for results that did not keep its text (a file for a policy not in the folder
is an error; one that differs from the text as run is warned about and the
text as run is used). --psa DIR adds a
`traineesim psa` folder (incremental FTE/cost scatter, acceptability curve,
noise/parameter variance split; the headline's "how sure" then covers
parameter uncertainty) and --sensitivity DIR a sensitivity.py folder (Sobol
indices with intervals, tornado chart). A sweep over a policy's own parameter
(policy.<name>.<parameter>) shows the policy's paired gain per swept value.

A results folder it cannot use (no run files; a file that is empty,
truncated, damaged, foreign or of another schema version) ends it with one
line on stderr naming the file, and exit status 2. Needs h5py, pandas,
scipy, matplotlib and plotly (Debian: python3-h5py python3-pandas
python3-scipy python3-matplotlib python3-plotly).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from traineesim_tools import RunFileError  # noqa: E402
from traineesim_tools.report.build import build  # noqa: E402
from traineesim_tools.report_data import BadResults  # noqa: E402

EXIT_BAD_INPUT = 2  # as the traineesim command line


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results")
    ap.add_argument("-o", "--output", default="report.html")
    ap.add_argument("--policy", action="append", default=[], metavar="FILE",
                    help="a policy TOML of the comparison (its description, dates and own costs), "
                    "for results that did not keep its text as run")
    ap.add_argument("--variant", help="describe this variant's runs only")
    ap.add_argument("--psa", metavar="DIR", help="a `traineesim psa` output folder: PSA scatter, acceptability curve, "
                    "variance split; the headline's interval then covers parameter uncertainty")
    ap.add_argument("--sensitivity", metavar="DIR", help="a sensitivity.py output folder: Sobol indices and tornado")
    ap.add_argument("--no-slides", action="store_true", help="skip the PNG/SVG files (faster)")
    args = ap.parse_args()
    try:
        # The interpreter's full path: on Debian the tools need /usr/bin/python3,
        # and `python3` on PATH may be another one.
        size, charts, seconds, results = build(args.results, args.output, args.policy, args.variant,
                                               not args.no_slides, [sys.executable] + sys.argv,
                                               args.psa, args.sensitivity)
    except (BadResults, RunFileError) as e:
        print(f"report: {e}", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)
    except OSError as e:  # e.g. the disk filled while writing: one line, not a traceback
        print(f"report: {e}", file=sys.stderr)
        sys.exit(1)
    runs = sum(len(f) for s in results.runs.values() for f in s.values())
    print(f"report: {args.output} ({size / 1024:,.0f} KiB, {charts} charts) from {runs} run(s) of a {results.kind} "
          f"in {seconds:.1f} s")


if __name__ == "__main__":
    main()
