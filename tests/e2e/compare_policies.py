"""Every shipped policy runs on the scenarios it is written for, and
`traineesim compare` writes a paired comparison whose intervals behave.

usage: compare_policies.py TRAINEESIM SOURCE_DIR WORK_DIR
"""
import os
import shutil
import subprocess
import sys

import h5py
import numpy as np

binary, source, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
S = lambda name: os.path.join(source, "scenarios", name + ".toml")
P = lambda name: os.path.join(source, "scenarios", "policies", name + ".toml")
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)


def run(*args):
    r = subprocess.run([binary, *args], capture_output=True, text=True)
    check(r.returncode == 0, f"{' '.join(args)} -> {r.returncode}\n{r.stderr}")
    return r


# Each policy on each scenario it is written for (one replication, census records).
TARGETS = {
    "cwp_emhp_career_ladder": ["cyp_psychological_professions"],
    "apprenticeship_route": ["cyp_psychological_professions"],
    "supervisor_training": ["cyp_psychological_professions"],
    "supervision_binds": ["cyp_psychological_professions"],
    "fair_selection": ["clinical_psychology", "medical_and_pharmacy"],
    "preceptorship_retention_bundle": ["cyp_psychological_professions", "adult_talking_therapies", "cancer_and_acp",
                                       "nursing_undergraduate_expansion", "clinical_psychology",
                                       "medical_and_pharmacy"],
}
shipped = sorted(f[:-5] for f in os.listdir(os.path.join(source, "scenarios", "policies")) if f.endswith(".toml"))
check(sorted(TARGETS) == shipped, f"every shipped policy has targets here: {shipped}")
for policy, scenarios in TARGETS.items():
    for scenario in scenarios:
        # One folder per scenario: a variant folder holds the files of one run.
        run("run", S(scenario), "--policy", P(policy), "-q", "--record", "census", "--out",
            os.path.join(work, "runs", scenario))

# A paired comparison with common random numbers, and the same with independent seeds.
out = os.path.join(work, "cmp")
run("compare", S("cyp_psychological_professions"), "--policy", P("cwp_emhp_career_ladder"),
    "--policy", P("preceptorship_retention_bundle"), "-r", "8", "-q", "--out", out)
ind = os.path.join(work, "ind")
run("compare", S("cyp_psychological_professions"), "--policy", P("cwp_emhp_career_ladder"), "-r", "8", "-q",
    "--out", ind, "--independent-seeds")


def table(path):
    with h5py.File(os.path.join(path, "comparison.h5"), "r") as f:
        check(f.attrs["complete"] == 1 and f.attrs["schema"] == "traineesim.comparison", "comparison file header")
        g = f["comparison"]
        return {k: (g[k].asstr()[()] if g[k].dtype.kind == "O" else g[k][()]) for k in g}


t = table(out)
for k in ("indicator", "policy", "baseline_mean", "policy_mean", "difference", "ci_low", "ci_high",
          "half_width_paired", "half_width_unpaired", "replications"):
    check(k in t, f"comparison column {k}")
check(os.path.exists(os.path.join(out, "comparison.txt")), "comparison.txt written")
for v in ("baseline", "career-ladder", "retention-bundle"):
    check(len([f for f in os.listdir(os.path.join(out, v)) if f.endswith(".h5")]) == 8, f"8 run files for {v}")
row = (t["indicator"] == "qualified FTE in post at the horizon") & (t["policy"] == "career-ladder")
check(row.sum() == 1, "FTE row present")
paired, unpaired = float(t["half_width_paired"][row][0]), float(t["half_width_unpaired"][row][0])
diff = float(t["difference"][row][0])
check(t["ci_low"][row][0] <= diff <= t["ci_high"][row][0], "CI contains the mean difference")
check(diff > 0, f"less leaving gives more FTE in post ({diff})")
check(paired < unpaired, f"common random numbers narrow the interval ({paired} vs {unpaired})")
ti = table(ind)
rowi = (ti["indicator"] == "qualified FTE in post at the horizon") & (ti["policy"] == "career-ladder")
indep = float(ti["half_width_paired"][rowi][0])
check(paired < indep, f"paired CRN half-width {paired} < independent-seed half-width {indep}")
print(f"FTE in post, career ladder: difference {diff:.1f}; 95% half-width paired {paired:.1f}, "
      f"unpaired {unpaired:.1f}, independent seeds {indep:.1f}")
# Baseline columns agree between the two comparisons (same baseline runs).
bl = t["baseline_mean"][row][0]
check(abs(ti["baseline_mean"][rowi][0] - bl) < 1e-9, "baseline identical in both comparisons")

if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print("1 passed, 0 failed")
