"""Reads every table of docs/OUTPUT.md from files traineesim wrote, with h5py.

usage: read_run_file.py TRAINEESIM SOURCE_DIR WORK_DIR
Runs the binary on two shipped scenarios, then checks layout, types, the
dictionaries, and that /census equals a replay of /events.
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

ROOT_ATTRS = ["schema", "schema_version", "traineesim_version", "git_sha", "scenario_name", "scenario_sha256",
              "policies", "variant", "replication", "master_seed", "rng_scheme", "start_date", "horizon_days",
              "time_unit", "record_level", "complete"]
TABLES = {
    "dictionary/states": ["code", "name", "profession", "kind", "role", "band", "qualified"],
    "dictionary/events": ["code", "name"],
    "persons": ["person_id", "route", "is_initial_stock", "entry_day", "entry_state", "age_at_entry", "fte",
                "qualified_day", "qualified_state", "exit_day", "exit_state", "training_day", "training_state",
                "completed_day", "not_completed_day", "left_after_completing_day"],
    "events": ["day", "person_id", "event", "from_state", "to_state"],
    "census": ["period", "period_end_day", "state", "headcount", "fte"],
    "flows": ["period", "from_state", "to_state", "count"],
    "pools": ["period", "pool", "capacity", "in_use", "queue_length", "mean_wait_days", "max_wait_days",
              "slot_days_in_use", "slot_days_available"],
}
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)


ROLES = {"value", "day", "period", "person", "state", "event", "route", "pool", "attribute", "flag"}


def read_table(f, name):
    g = f[name]
    if not name.startswith("dictionary"):
        for k, ds in g.items():
            role = ds.attrs.get("role")
            check(role in ROLES, f"{name}/{k}: role {role!r}")
            dictionary = ds.attrs.get("dictionary")
            if role in ("state", "event", "route", "pool", "attribute"):
                check(dictionary is not None and dictionary in f, f"{name}/{k}: dictionary {dictionary!r}")
            else:
                check(dictionary is None, f"{name}/{k}: a {role} column has no dictionary")
    cols = {k: g[k][()] for k in g.keys()}
    lengths = {len(v) for v in cols.values()}
    check(len(lengths) <= 1, f"{name}: columns of unequal length {lengths}")
    for k, ds in g.items():
        if ds.dtype.kind in "iu":
            check(ds.dtype.kind == "i" and ds.dtype.itemsize <= 4, f"{name}/{k}: integers must be signed, <= 32 bits")
        check(ds.chunks is not None, f"{name}/{k}: not chunked")
    return cols


for scenario, extra in [("scenarios/bench/pipeline.toml", ["--set", "parameters.cohort=500"]),
                        ("scenarios/cyp_psychological_professions.toml", [])]:
    out = os.path.join(work, os.path.basename(scenario))
    subprocess.run([binary, "run", os.path.join(source, scenario), "--out", out, "-q", "--seed", "3", *extra],
                   check=True, stdout=subprocess.DEVNULL)
    path = os.path.join(out, "baseline", "run_0.h5")
    with h5py.File(path, "r") as f:
        for a in ROOT_ATTRS:
            check(a in f.attrs, f"{scenario}: root attribute {a} missing")
        check(f.attrs["schema"] == "traineesim.run" and f.attrs["schema_version"] == 2, "schema")
        check(f.attrs["complete"] == 1, "complete flag")
        check(f.attrs["time_unit"] == "day", "time unit")
        resolved = f["scenario/resolved"][()].decode()
        check("[scenario]" in resolved, "scenario/resolved holds the scenario text")
        tables = {}
        for name, columns in TABLES.items():
            check(name in f, f"{scenario}: table {name} missing")
            tables[name] = read_table(f, name)
            for c in columns:
                check(c in tables[name], f"{scenario}: {name}/{c} missing")
        for attr in f["dictionary/attributes"]:
            t = read_table(f, f"dictionary/attributes/{attr}")
            check(list(t["code"]) == list(range(len(t["code"]))), "attribute codes are 0..n-1")
            check(attr in tables["persons"], f"persons has a column for attribute {attr}")
        states = [s.decode() for s in tables["dictionary/states"]["name"]]
        ev, census = tables["events"], tables["census"]
        check(np.all(np.diff(ev["day"]) >= 0), "events ordered by day")
        check(np.all(ev["day"] < f.attrs["horizon_days"]), "no event at or after the horizon")
        # Replay /events to each census period end and compare headcounts per state.
        ends = np.unique(census["period_end_day"])
        moved = ev["from_state"] != ev["to_state"]
        for p, end in enumerate(ends):
            sel = moved & (ev["day"] < end)
            count = np.bincount(ev["to_state"][sel], minlength=len(states)).astype(np.int64)
            leaving = ev["from_state"][sel]
            count -= np.bincount(leaving[leaving >= 0], minlength=len(states))
            rows = census["period"] == p
            got = np.bincount(census["state"][rows], weights=census["headcount"][rows], minlength=len(states))
            check(np.array_equal(count, got.astype(np.int64)), f"{scenario}: census period {p} != replay")
        persons = tables["persons"]
        check(len(persons["person_id"]) == int(np.sum(ev["from_state"] == -1)), "one arrival event per person")
        censored = np.isnan(persons["exit_day"])
        check(np.all(persons["exit_state"][censored] == -1), "censored people have exit_state -1")
        last_path = path
        print(f"ok: {scenario}: {len(ev['day'])} events, {len(persons['person_id'])} persons, {len(ends)} periods")

# The Python loader gives the same numbers with labels applied.
sys.path.insert(0, os.path.join(source, "tools"))
from traineesim_tools import load_run, census_by_label  # noqa: E402

run = load_run(last_path)
with h5py.File(last_path, "r") as f:
    check(len(run.events) == len(f["events/day"]), "loader: events rows")
    check(int(run.census.headcount.sum()) == int(f["census/headcount"][()].sum()), "loader: census headcount")
check(set(run.persons.ethnicity.dropna().unique()) <= {"White", "Asian", "Black", "Mixed", "Other"}, "loader: labels")
check(run.events.event.iloc[0] in ("initial_stock", "recruit"), "loader: event labels")
pivot = census_by_label(run)
check("cwp_qualified" in pivot.columns and len(pivot) == 40, f"loader: census pivot {pivot.shape}")

if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print("1 passed, 0 failed")
