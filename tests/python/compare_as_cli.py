"""traineesim.compare() gives the rows of the CLI's comparison.h5, number for
number (common random numbers and independent seeds), and a policy that adds
states (apprenticeship_route) keeps every baseline indicator.

usage: compare_as_cli.py TRAINEESIM SOURCE_DIR WORK_DIR
Exact equality (NaN equals NaN): the same comparison functions on the same runs.
"""
import math
import os
import shutil
import subprocess
import sys

import h5py
import pandas as pd
from pandas.testing import assert_frame_equal

import traineesim

binary, source, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
SCENARIO = os.path.join(source, "scenarios", "cyp_psychological_professions.toml")
P = lambda name: os.path.join(source, "scenarios", "policies", name + ".toml")
POLICIES = [P("apprenticeship_route"), P("supervisor_training")]
REPS, SEED = 3, 2
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)


def cli_comparison(out, *extra):
    args = [binary, "compare", SCENARIO, "--set", "scenario.horizon_years=3", "-r", str(REPS), "--seed", str(SEED),
            "--out", out, "-q", *extra]
    for p in POLICIES:
        args += ["--policy", p]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    with h5py.File(os.path.join(out, "comparison.h5"), "r") as f:
        g = f["comparison"]
        return pd.DataFrame({k: (g[k].asstr()[()] if g[k].dtype.kind == "O" else g[k][()]) for k in g})


scenario = traineesim.load(SCENARIO, set={"scenario.horizon_years": 3})
for independent in (False, True):
    cli = cli_comparison(os.path.join(work, f"independent_{independent}"),
                         *(["--independent-seeds"] if independent else []))
    ours = traineesim.compare(scenario, policies=POLICIES, replications=REPS, seed=SEED, threads=2,
                              independent_seeds=independent)
    check(sorted(ours.columns) == sorted(cli.columns), f"columns {list(ours.columns)} vs {list(cli.columns)}")
    try:
        assert_frame_equal(ours, cli[list(ours.columns)], check_exact=True)
    except AssertionError as e:
        failures.append(f"independent_seeds={independent}: {e}")

# The apprenticeship route adds a state, so indicators of its own; every
# indicator of the baseline is still there, with the same baseline mean as
# against a policy that adds none (same baseline runs).
rows = traineesim.compare(scenario, POLICIES, REPS, seed=SEED)
apprentice = rows[rows.policy == "apprenticeship"].set_index("indicator")
plain = rows[rows.policy == "supervisor-training"].set_index("indicator")
missing = [i for i in plain.index if i not in apprentice.index]
check(not missing, f"baseline indicators missing for the apprenticeship route: {missing}")
for i in plain.index.intersection(apprentice.index):
    a, b = apprentice.at[i, "baseline_mean"], plain.at[i, "baseline_mean"]
    check(a == b or (math.isnan(a) and math.isnan(b)), f"{i}: baseline mean {a} vs {b}")
extra = [i for i in apprentice.index if i not in plain.index]
check(any("band 3" in i for i in extra), f"the apprentice state's own indicators: {extra}")
check(all(math.isnan(apprentice.at[i, "baseline_mean"]) for i in extra), "policy-only rows have no baseline")

# The baseline must come without policies.
try:
    traineesim.compare(traineesim.load(SCENARIO, policies=[P("supervisor_training")]), POLICIES, REPS)
    check(False, "a scenario with policies as the baseline is refused")
except ValueError as e:
    check("baseline" in str(e), f"message names the baseline: {e}")

if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print(f"ok: compare() equals the CLI's comparison.h5 ({len(rows)} rows); apprenticeship keeps the baseline's rows")
