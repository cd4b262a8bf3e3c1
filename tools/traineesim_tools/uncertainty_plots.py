"""Figures for the uncertainty outputs, for the report or a note:
the paired effect of a swept policy parameter (sweep.h5), the PSA
acceptability curve and incremental scatter (psa_*.csv), and a tornado
chart (tornado.csv from sensitivity.py). Matplotlib only; each function
returns the figure and the data it drew.

  /usr/bin/python3 tools/traineesim_tools/uncertainty_plots.py sweep OUT/sweep.h5 RUN_FILE.h5 --states a b --png F
  /usr/bin/python3 tools/traineesim_tools/uncertainty_plots.py psa PSA_DIR --png F
  /usr/bin/python3 tools/traineesim_tools/uncertainty_plots.py tornado TORNADO.csv --png F
"""
import argparse
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def _table(f, group):
    return pd.DataFrame({k: (v[()].astype(str) if v.dtype.kind in "SO" else v[()]) for k, v in f[group].items()})


def swept_effect(sweep_h5, run_file, states):
    """Paired difference (policy - baseline) at the last census period, summed
    over `states` where one state is given per row, per swept value: a DataFrame
    with the swept key's value, state, mean_difference, ci_low, ci_high."""
    with h5py.File(sweep_h5, "r") as f, h5py.File(run_file, "r") as r:
        paired, samples = _table(f, "aggregate_paired"), _table(f, "samples")
        names = [n.decode() if isinstance(n, bytes) else n for n in r["dictionary/states/name"][()]]
    key = [c for c in samples.columns if c != "sample"][0]
    last = paired[paired.period == paired.period.max()]
    last = last[last.state.isin([names.index(s) for s in states])].copy()
    last["state"] = [names[i] for i in last.state]
    last[key] = [samples.set_index("sample").loc[k, key] for k in last["sample"]]
    return key, last[[key, "state", "replications", "mean_difference", "ci_low", "ci_high"]]


def plot_swept_effect(key, data):
    fig, ax = plt.subplots(figsize=(6, 4))
    for state, d in data.groupby("state"):
        d = d.sort_values(key)
        ax.errorbar(d[key], d.mean_difference, yerr=[d.mean_difference - d.ci_low, d.ci_high - d.mean_difference],
                    marker="o", capsize=3, label=state)
    ax.axhline(0, color="grey", lw=0.5)
    ax.set_xlabel(key)
    ax.set_ylabel("policy - baseline at the horizon (headcount, 95% paired CI)")
    ax.legend()
    fig.tight_layout()
    return fig


def plot_psa(psa_dir):
    runs = pd.read_csv(os.path.join(psa_dir, "psa_runs.csv"))
    acc = pd.read_csv(os.path.join(psa_dir, "psa_acceptability.csv"))
    means = runs.groupby("draw")[["fte_difference", "cost_difference"]].mean()
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    a.scatter(runs.fte_difference, runs.cost_difference, s=6, alpha=0.3, label="one run")
    a.scatter(means.fte_difference, means.cost_difference, s=18, label="draw mean")
    a.set_xlabel("incremental qualified FTE in post")
    a.set_ylabel("incremental discounted cost")
    a.legend()
    b.plot(acc.threshold, acc.probability_cost_effective)
    b.set_ylim(0, 1)
    b.set_xlabel("threshold: cost per additional FTE")
    b.set_ylabel("probability cost-effective")
    fig.tight_layout()
    return fig, means, acc


def plot_tornado(tornado_csv, output="fte_difference"):
    t = pd.read_csv(tornado_csv)
    t = t[t.output == output].sort_values("swing")
    base = t.output_at_medians.iloc[0]
    fig, ax = plt.subplots(figsize=(6, 0.4 * len(t) + 1))
    y = np.arange(len(t))
    ax.barh(y, t.output_low - base, left=base, label="parameter at 5th percentile")
    ax.barh(y, t.output_high - base, left=base, label="parameter at 95th percentile")
    ax.set_yticks(y, t.parameter)
    ax.axvline(base, color="black", lw=0.8)
    ax.set_xlabel(output)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig, t


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    s = sub.add_parser("sweep")
    s.add_argument("sweep_h5")
    s.add_argument("run_file")
    s.add_argument("--states", nargs="+", required=True)
    s.add_argument("--png", required=True)
    p = sub.add_parser("psa")
    p.add_argument("psa_dir")
    p.add_argument("--png", required=True)
    t = sub.add_parser("tornado")
    t.add_argument("tornado_csv")
    t.add_argument("--output", default="fte_difference")
    t.add_argument("--png", required=True)
    a = ap.parse_args(argv)
    if a.what == "sweep":
        key, data = swept_effect(a.sweep_h5, a.run_file, a.states)
        fig = plot_swept_effect(key, data)
        print(data.to_string(index=False, float_format=lambda v: f"{v:.1f}"))
    elif a.what == "psa":
        fig, _, _ = plot_psa(a.psa_dir)
    else:
        fig, data = plot_tornado(a.tornado_csv, a.output)
        print(data.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    fig.savefig(a.png, dpi=120)
    return 0


if __name__ == "__main__":
    sys.exit(main())
