"""Global sensitivity of traineesim's headline indicators.

First- and total-order Sobol indices with bootstrap intervals come from
OpenTURNS (Debian python3-openturns): a pick-freeze design
(SobolIndicesExperiment, N x (k + 2) points) and the Martinez estimator,
which is robust to the simulation noise every run carries. A one-at-a-time
tornado (each parameter at its 5th and 95th percentile, the others at their
medians) gives chart data for the report. The simulator is run through
`traineesim psa --design`, so every design point is a paired baseline/policy
comparison averaged over R replications.

Validated against closed forms (Ishigami, a linear model) in
tests/tools/sensitivity_test.py.

Usage:
  /usr/bin/python3 tools/traineesim_tools/sensitivity.py SCENARIO --policy P \\
      --size 32 -r 3 --out DIR [--traineesim build/sim/app/traineesim]
writes DIR/sobol_indices.csv, DIR/tornado.csv and DIR/design.csv; with
`--morris R`, Morris screening (elementary effects over R trajectories, for
many parameters at (k + 1) R runs) to DIR/morris.csv instead.
"""
import argparse
import math
import os
import subprocess
import sys
import tomllib

import numpy as np
import openturns as ot
import pandas as pd

OUTPUTS = {"fte_difference": "incremental qualified FTE in post at the horizon",
           "cost_difference": "incremental discounted total cost"}


def marginal(spec):
    """The OpenTURNS distribution of one [uncertain.<parameter>] table (keys as in scenarios/README.md)."""
    d = spec["distribution"]
    if d == "uniform":
        return ot.Uniform(spec["low"], spec["high"])
    if d == "triangular":
        return ot.Triangular(spec["low"], spec["mode"], spec["high"])
    if d == "normal":
        return ot.Normal(spec["mean"], spec["sd"])
    if d == "lognormal":  # median and geometric standard deviation
        return ot.LogNormal(math.log(spec["median"]), math.log(spec["gsd"]), 0.0)
    if d == "beta":
        return ot.Beta(spec["alpha"], spec["beta"], spec.get("low", 0.0), spec.get("high", 1.0))
    if d == "gamma":  # OpenTURNS takes the rate, 1 / scale
        return ot.Gamma(spec["shape"], 1.0 / spec["scale"])
    raise ValueError(f"unknown distribution '{d}'")


def uncertain_parameters(scenario_path, policy_path=None):
    """Names and distributions of the [uncertain] tables of the scenario, then
    the policy's own (a policy's entry replaces the scenario's, as the merge does)."""
    tables = {}
    for path in [scenario_path] + ([policy_path] if policy_path else []):
        with open(path, "rb") as f:
            tables.update(tomllib.load(f).get("uncertain", {}))
    names = list(tables)
    return names, ot.ComposedDistribution([marginal(tables[n]) for n in names])


ESTIMATORS = {"martinez": ot.MartinezSensitivityAlgorithm, "saltelli": ot.SaltelliSensitivityAlgorithm,
              "jansen": ot.JansenSensitivityAlgorithm, "mauntz-kucherenko": ot.MauntzKucherenkoSensitivityAlgorithm}


def sobol_indices(inputs, outputs, size, bootstrap=200, confidence=0.95, seed=1, estimator="martinez"):
    """First- and total-order indices of each output column with bootstrap
    intervals, from a SobolIndicesExperiment design (N x (k + 2) rows).
    `estimator`: one of ESTIMATORS (OpenTURNS' pick-freeze estimators).
    With one dominant input and small N, Martinez's first-order estimates of
    the minor inputs carry a large sampling error (seen at N = 16-40 on the
    default scenario); Mauntz-Kucherenko is steadier for small indices.
    Returns a DataFrame: output, parameter, first, first_low, first_high,
    total, total_low, total_high."""
    ot.RandomGenerator.SetSeed(seed)
    x = ot.Sample(np.asarray(inputs, dtype=float))
    rows = []
    for name in outputs.columns:
        y = ot.Sample(np.asarray(outputs[name], dtype=float).reshape(-1, 1))
        algo = ESTIMATORS[estimator](x, y, size)
        algo.setBootstrapSize(bootstrap)
        algo.setConfidenceLevel(confidence)
        first, total = algo.getFirstOrderIndices(), algo.getTotalOrderIndices()
        fi, ti = algo.getFirstOrderIndicesInterval(), algo.getTotalOrderIndicesInterval()
        for j, p in enumerate(inputs.columns):
            rows.append((name, p, first[j], fi.getLowerBound()[j], fi.getUpperBound()[j], total[j],
                         ti.getLowerBound()[j], ti.getUpperBound()[j]))
    return pd.DataFrame(rows, columns=["output", "parameter", "first", "first_low", "first_high", "total",
                                       "total_low", "total_high"])


def sobol_design(names, distribution, size, seed=1):
    """The pick-freeze design: size x (k + 2) points, columns named after the parameters."""
    ot.RandomGenerator.SetSeed(seed)
    design = ot.SobolIndicesExperiment(distribution, size, False).generate()
    return pd.DataFrame(np.array(design), columns=names)


def tornado_design(names, distribution, low=0.05, high=0.95):
    """Median point, then each parameter at its `low` and `high` quantile with the others at their medians."""
    med = [distribution.getMarginal(j).computeQuantile(0.5)[0] for j in range(len(names))]
    rows = [list(med)]
    for j in range(len(names)):
        for q in (low, high):
            r = list(med)
            r[j] = distribution.getMarginal(j).computeQuantile(q)[0]
            rows.append(r)
    return pd.DataFrame(rows, columns=names)


def tornado(names, design, outputs, low=0.05, high=0.95):
    """Chart data: per parameter and output, the output at the parameter's
    low and high quantile (others at medians), the base value and the swing;
    rows sorted by swing, largest first."""
    rows = []
    for name in outputs.columns:
        base = outputs[name].iloc[0]
        for j, p in enumerate(names):
            lo, hi = outputs[name].iloc[1 + 2 * j], outputs[name].iloc[2 + 2 * j]
            rows.append((name, p, design[p].iloc[1 + 2 * j], design[p].iloc[2 + 2 * j], base, lo, hi, abs(hi - lo)))
    t = pd.DataFrame(rows, columns=["output", "parameter", f"value_p{int(low * 100)}", f"value_p{int(high * 100)}",
                                    "output_at_medians", "output_low", "output_high", "swing"])
    return t.sort_values(["output", "swing"], ascending=[True, False]).reset_index(drop=True)


def run_design(binary, scenario, policy, design, replications, seed, out_dir, threads=0, sets=()):
    """Runs `traineesim psa --design --same-keys` on the rows of `design`;
    returns the mean over replications of each output per row (a DataFrame
    with OUTPUTS' columns). Every row uses the same random keys, so
    differences between rows are parameter effects, not noise (the indices
    are those of the simulator at those keys, averaged over R of them)."""
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "design.csv")
    design.to_csv(path, index=False, float_format="%.17g")
    cmd = [binary, "psa", scenario, "--policy", policy, "--design", path, "-r", str(replications), "--seed",
           str(seed), "-j", str(threads), "-o", os.path.join(out_dir, "runs"), "-q", "--same-keys"]
    for s in sets:
        cmd += ["--set", s]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    runs = pd.read_csv(os.path.join(out_dir, "runs", "psa_runs.csv"))
    return runs.groupby("draw")[list(OUTPUTS)].mean().reset_index(drop=True)


# --- Morris screening (elementary effects) ---------------------------------------
# Debian's OpenTURNS 1.20 has no Morris method (otmorris is not packaged), so
# the design and the statistics are here, following Morris (1991) with the
# mu* of Campolongo, Cariboni and Saltelli (2007). They are checked against
# closed forms in tests/tools/sensitivity_test.py.

def morris_design(names, distribution, trajectories, levels=4, seed=1, p_low=0.01, p_high=0.99):
    """r = `trajectories` one-at-a-time paths of k + 1 points each on a
    `levels`-level grid of the unit cube, step delta = levels / (2 (levels - 1));
    grid value u maps to the parameter's quantile at probability
    p_low + (p_high - p_low) u (the 1% and 99% points at the ends, so unbounded
    distributions stay finite). Returns (design DataFrame with r (k + 1) rows,
    steps: a list per trajectory of (parameter index, signed delta in u) for
    each of its k moves)."""
    k = len(names)
    rng = np.random.default_rng(seed)
    delta = levels / (2.0 * (levels - 1))
    base_levels = np.arange(levels // 2) / (levels - 1)  # u with u + delta <= 1
    rows, steps = [], []
    for _ in range(trajectories):
        u = rng.choice(base_levels, size=k)
        up = rng.random(k) < 0.5  # start low and step up, or start high and step down
        u = np.where(up, u, u + delta)
        path, moves = [u.copy()], []
        for j in rng.permutation(k):
            d = delta if up[j] else -delta
            u = u.copy()
            u[j] += d
            path.append(u)
            moves.append((int(j), d))
        rows.extend(path)
        steps.append(moves)
    unit = np.array(rows)
    prob = p_low + (p_high - p_low) * unit
    x = np.column_stack([[distribution.getMarginal(j).computeQuantile(float(q))[0] for q in prob[:, j]]
                         for j in range(k)])
    return pd.DataFrame(x, columns=names), steps


def morris_effects(names, steps, outputs, bootstrap=500, confidence=0.95, seed=1):
    """Per output and parameter: mu (mean elementary effect), mu* (mean of
    |EE|, the screening measure), sigma (sd of EE: interaction or
    non-linearity) and a bootstrap interval for mu* over trajectories. An
    elementary effect is the output change per unit of u (the parameter's
    probability scale), so effects compare across parameters."""
    k, r = len(names), len(steps)
    rng = np.random.default_rng(seed)
    rows = []
    for name in outputs.columns:
        y = np.asarray(outputs[name], dtype=float).reshape(r, k + 1)
        ee = np.zeros((r, k))
        for t, moves in enumerate(steps):
            for i, (j, d) in enumerate(moves):
                ee[t, j] = (y[t, i + 1] - y[t, i]) / d
        boot = np.abs(ee)[rng.integers(0, r, size=(bootstrap, r))].mean(axis=1)
        lo, hi = np.quantile(boot, [(1 - confidence) / 2, (1 + confidence) / 2], axis=0)
        for j, p in enumerate(names):
            rows.append((name, p, ee[:, j].mean(), np.abs(ee[:, j]).mean(), lo[j], hi[j],
                         ee[:, j].std(ddof=1) if r > 1 else float("nan")))
    out = pd.DataFrame(rows, columns=["output", "parameter", "mu", "mu_star", "mu_star_low", "mu_star_high", "sigma"])
    return out.sort_values(["output", "mu_star"], ascending=[True, False]).reset_index(drop=True)


# --- closed forms, for validation -------------------------------------------------

def ishigami(x, a=7.0, b=0.1):
    """The Ishigami function on [-pi, pi]^3."""
    x = np.asarray(x)
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a=7.0, b=0.1):
    """Closed-form (first, total) indices of the Ishigami function (Sobol' and Levitan 1999):
    V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V13 = b^2 pi^8 (1/18 - 1/50), V = V1 + V2 + V13."""
    v1 = 0.5 * (1 + b * math.pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * math.pi ** 8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return [v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("--policy", required=True)
    ap.add_argument("--size", type=int, default=32, help="N of the pick-freeze design (N x (k + 2) points)")
    ap.add_argument("-r", "--replications", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bootstrap", type=int, default=200)
    ap.add_argument("--estimator", choices=sorted(ESTIMATORS), default="martinez")
    ap.add_argument("--set", action="append", default=[])
    ap.add_argument("-j", "--threads", type=int, default=0)
    ap.add_argument("--out", required=True)
    ap.add_argument("--traineesim", default="traineesim")
    ap.add_argument("--morris", type=int, metavar="R", default=0,
                    help="Morris screening with R trajectories (R (k + 1) points) instead of Sobol indices: "
                         "for many parameters; writes morris.csv")
    a = ap.parse_args(argv)
    names, dist = uncertain_parameters(a.scenario, a.policy)
    if a.morris:
        design, steps = morris_design(names, dist, a.morris, seed=a.seed)
        y = run_design(a.traineesim, a.scenario, a.policy, design, a.replications, a.seed, a.out, a.threads, a.set)
        m = morris_effects(names, steps, y, seed=a.seed)
        m.to_csv(os.path.join(a.out, "morris.csv"), index=False)
        print(m.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        return 0
    sob = sobol_design(names, dist, a.size, a.seed)
    tor = tornado_design(names, dist)
    design = pd.concat([sob, tor], ignore_index=True)
    y = run_design(a.traineesim, a.scenario, a.policy, design, a.replications, a.seed, a.out, a.threads, a.set)
    n = len(sob)
    idx = sobol_indices(sob, y.iloc[:n].reset_index(drop=True), a.size, a.bootstrap, seed=a.seed,
                        estimator=a.estimator)
    idx.to_csv(os.path.join(a.out, "sobol_indices.csv"), index=False)
    t = tornado(names, tor, y.iloc[n:].reset_index(drop=True))
    t.to_csv(os.path.join(a.out, "tornado.csv"), index=False)
    pd.set_option("display.width", 200)
    print(idx.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print()
    print(t.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
