"""scenario.run() gives exactly the tables `traineesim run` writes for the same
scenario, seed and replications; results.write() files load with load_run and
equal the in-memory tables (and their root attributes equal the CLI's); the
thread count changes nothing; a record level's missing tables are empty with
their columns.

usage: same_tables_as_cli.py TRAINEESIM SOURCE_DIR WORK_DIR [RSCRIPT]
With RSCRIPT, the R loader (tools/R/traineesim.R) reads a written file too
and finds every table identical to the CLI's file.
Exact equality everywhere (NaN equals NaN): same binary build, same seed.
"""
import os
import shutil
import subprocess
import sys

import pandas as pd
from pandas.testing import assert_frame_equal

import traineesim

binary, source, work = sys.argv[1:4]
rscript = sys.argv[4] if len(sys.argv) > 4 else None
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
sys.path.insert(0, os.path.join(source, "tools"))
from traineesim_tools import load_run  # noqa: E402

SCENARIO = os.path.join(source, "scenarios", "cyp_psychological_professions.toml")
SEED, REPS, TABLES = 5, 2, ("census", "flows", "events", "persons", "pools")
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)


def same(a, b, what):
    try:
        assert_frame_equal(a, b, check_exact=True)
    except AssertionError as e:
        failures.append(f"{what}: {e}")


def replication(frame, r):
    """Rows of replication r, without the replication column, indexed 0..n-1 like a loaded file."""
    rows = frame[frame["replication"] == r].drop(columns="replication")
    return rows.reset_index(drop=True)


def in_order_of(loaded, frame):
    """A loaded file's table (columns in h5py's alphabetical order) in the schema's column order."""
    return loaded[[c for c in frame.columns if c != "replication"]]


cli_out = os.path.join(work, "cli")
subprocess.run([binary, "run", SCENARIO, "--set", "scenario.horizon_years=3", "-r", str(REPS), "--seed", str(SEED),
                "--out", cli_out, "-q"], check=True, stdout=subprocess.DEVNULL)
cli = [load_run(os.path.join(cli_out, "baseline", f"run_{r}.h5")) for r in range(REPS)]

scenario = traineesim.load(SCENARIO, set={"scenario.horizon_years": 3})
check(scenario.sha256 == cli[0].attrs["scenario_sha256"], "scenario hash equals the CLI's")
results = scenario.run(replications=REPS, seed=SEED, threads=2)
for name in TABLES:
    frame = getattr(results, name)
    check(frame.columns[0] == "replication", f"{name}: replication comes first")
    check(sorted(frame.columns[1:]) == sorted(cli[0].tables[name].columns), f"{name}: the file's columns")
    check(sorted(frame["replication"].unique()) == list(range(REPS)), f"{name}: replications 0..{REPS - 1}")
    for r in range(REPS):
        same(replication(frame, r), in_order_of(cli[r].tables[name], frame), f"{name}, replication {r}, memory vs CLI")

# The same runs written from memory: same tables, same root attributes, same dictionaries.
paths = results.write(os.path.join(work, "written"))
check(paths == [os.path.join(work, "written", "baseline", f"run_{r}.h5") for r in range(REPS)], f"paths {paths}")
for r, path in enumerate(paths):
    written = load_run(path)
    check(written.attrs == cli[r].attrs, f"replication {r}: root attributes differ from the CLI's")
    check(written.scenario == cli[r].scenario, f"replication {r}: /scenario/resolved")
    for name in ("states", "events", "routes", "pools"):
        same(written.dictionaries[name], cli[r].dictionaries[name], f"dictionary {name}")
    for name in TABLES:
        frame = getattr(results, name)
        same(in_order_of(written.tables[name], frame), replication(frame, r), f"{name}, replication {r}, written")

# The R loader reads a file written from memory as it reads the CLI's.
R_CHECK = """
source(file.path(commandArgs(TRUE)[1], "tools/R/traineesim.R"))
a <- load_run(commandArgs(TRUE)[2]); b <- load_run(commandArgs(TRUE)[3])
for (t in traineesim_tables) if (!identical(a[[t]], b[[t]])) { message("R: ", t, " differs"); quit(status = 1) }
"""
if rscript:
    r = subprocess.run([rscript, "-e", R_CHECK, source, paths[1],
                        os.path.join(cli_out, "baseline", "run_1.h5")], capture_output=True, text=True)
    check(r.returncode == 0, f"R loader on a written file: {r.stderr}")

# One thread or two: identical DataFrames.
one = scenario.run(replications=REPS, seed=SEED, threads=1)
for name in TABLES:
    same(getattr(one, name), getattr(results, name), f"{name}: threads=1 vs threads=2")
same(one.summary, results.summary, "summary: threads=1 vs threads=2")

# Record levels: tables not written are empty, with their columns and types.
census_only = scenario.run(replications=1, seed=SEED, record="summary")
for name in ("events", "persons"):
    frame = getattr(census_only, name)
    check(len(frame) == 0, f"record summary: {name} has no rows")
    check(list(frame.columns) == list(results.table(name).columns), f"record summary: {name} keeps its columns")
    check(list(frame.dtypes) == list(results.table(name).dtypes), f"record summary: {name} keeps its types")
same(census_only.census, results.census[results.census["replication"] == 0].reset_index(drop=True),
     "record summary: census as in full")
census_files = census_only.write(os.path.join(work, "summary"))
check(set(load_run(census_files[0]).tables) == {"census", "flows", "pools"}, "record summary writes 3 tables")

if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print(f"ok: {len(TABLES)} tables x {REPS} replications equal the CLI's; written files equal; threads 1 = 2")
