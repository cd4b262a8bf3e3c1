"""A sweep folder with damaged run files: `sweep --index-only` names each one
on its own line and records it in the index (damaged: "failed"; another
run's file: "missing"), exits 1 and never crashes; rerunning the sweep says
"<file>: damaged (...), rewriting" and ends with the same bytes as a sweep
that was never damaged. A sweep at another record level rewrites every file.

usage: sweep_damaged_files.py TRAINEESIM SOURCE_DIR WORK_DIR
"""
import glob
import os
import shutil
import subprocess
import sys

import h5py
import numpy as np

binary, source, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
sweep = os.path.join(source, "tests", "e2e", "kill_sweep.toml")
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)


def run(*args):
    return subprocess.run([binary, "sweep", *args], capture_output=True, text=True)


def h5_files(root):
    return sorted(os.path.relpath(p, root) for p in glob.glob(os.path.join(root, "**", "*.h5"), recursive=True))


def same_tree(a, b, what):
    fa, fb = h5_files(a), h5_files(b)
    check(fa == fb, f"{what}: same files")
    for f in set(fa) & set(fb):
        with open(os.path.join(a, f), "rb") as x, open(os.path.join(b, f), "rb") as y:
            check(x.read() == y.read(), f"{what}: {f} differs")


def flip_bit(path, dataset):
    with h5py.File(path, "r") as f:
        info = f[dataset].id.get_chunk_info(0)
    with open(path, "r+b") as fh:
        fh.seek(info.byte_offset + info.size // 2)
        byte = fh.read(1)[0]
        fh.seek(info.byte_offset + info.size // 2)
        fh.write(bytes([byte ^ 0x10]))


def damage(folder):
    """Damages one file per class; returns {item file: (index status, reason part)}."""
    at = lambda f: os.path.join(folder, f)  # noqa: E731
    open(at("baseline/s0/run_0.h5"), "wb").close()
    with open(at("baseline/s0/run_1.h5"), "w") as f:
        f.write("run 1 finished fine\n")
    size = os.path.getsize(at("baseline/s0/run_2.h5"))
    os.truncate(at("baseline/s0/run_2.h5"), size // 2)
    flip_bit(at("baseline/s0/run_3.h5"), "persons/person_id")
    os.remove(at("baseline/s1/run_0.h5"))
    with h5py.File(at("baseline/s1/run_0.h5"), "w") as f:
        f.create_dataset("measurements", data=np.arange(5))
    with h5py.File(at("baseline/s1/run_1.h5"), "r+") as f:
        f["census/state"][2] = 99
    with h5py.File(at("baseline/s1/run_2.h5"), "r+") as f:
        f.attrs["schema_version"] = np.int32(1)
    with h5py.File(at("baseline/s1/run_3.h5"), "r+") as f:
        f.attrs["record_level"] = "full"
    return {
        "baseline/s0/run_0.h5": ("failed", "damaged (empty file (0 bytes))"),
        "baseline/s0/run_1.h5": ("failed", "damaged (not an HDF5 file)"),
        "baseline/s0/run_2.h5": ("failed", f"damaged (truncated ({size // 2} of {size} bytes))"),
        "baseline/s0/run_3.h5": ("failed", "damaged (chunk 0 of /persons/person_id "),
        "baseline/s1/run_0.h5": ("failed", "damaged (not a traineesim run file (no schema attribute))"),
        "baseline/s1/run_1.h5": ("failed", "damaged (/census/state row 2: code 99 is not a code of /dictionary/states"),
        "baseline/s1/run_2.h5": ("missing", "another run (schema version 1, this build writes 2)"),
        "baseline/s1/run_3.h5": ("missing", "another run (record level full, expected census)"),
    }


straight = os.path.join(work, "straight")
check(run(sweep, "--out", straight, "-q", "-j", "2").returncode == 0, "straight sweep")
damaged = os.path.join(work, "damaged")
shutil.copytree(straight, damaged)
expected = damage(damaged)

# --index-only: one line per bad file, the index written, exit 1, no crash.
r = run(sweep, "--out", damaged, "--index-only", "-q")
check(r.returncode == 1, f"index-only over damaged files exits 1 ({r.returncode}): {r.stderr}")
check("index: 10 of 18 runs done" in r.stdout, f"index-only counts: {r.stdout}")
lines = r.stderr.strip().splitlines()
check(len(lines) == len(expected), f"one line per bad file: {lines}")
for file, (status, reason) in expected.items():
    check(any(f"({file}) {status}: {reason}" in line for line in lines), f"index-only names {file}: {lines}")
with h5py.File(os.path.join(damaged, "sweep.h5"), "r") as h:
    files = list(h["runs/file"].asstr()[()])
    statuses = list(h["runs/status"].asstr()[()])
    errors = list(h["runs/error"].asstr()[()])
for file, (status, reason) in expected.items():
    i = files.index(file)
    check(statuses[i] == status and errors[i].startswith(reason), f"index row of {file}: {statuses[i]} {errors[i]}")

# Resume: each bad file named and rewritten; the same bytes as never damaged.
r = run(sweep, "--out", damaged, "-q", "-j", "2")
check(r.returncode == 0, f"resume exits 0 ({r.returncode}): {r.stderr}")
for file, (_, reason) in expected.items():
    check(any(line.startswith(f"{file}: {reason}") and line.endswith(", rewriting") for line in r.stderr.splitlines()),
          f"resume names {file}: {r.stderr}")
check("8 run(s) written" in r.stdout and "10 already done" in r.stdout, f"resume counts: {r.stdout}")
same_tree(straight, damaged, "damaged and resumed")

# Another record level: nothing is done, every file is rewritten at the sweep's.
summary_sweep = os.path.join(work, "summary.toml")
with open(sweep) as f:
    text = f.read().replace('record = "census"', 'record = "summary"')
with open(summary_sweep, "w") as f:
    f.write(text.replace("../../scenarios/", os.path.join(source, "scenarios") + "/"))
r = run(summary_sweep, "--out", damaged, "-q", "-j", "2")
check(r.returncode == 0, f"summary sweep over census files: {r.returncode} {r.stderr}")
rewriting = [line for line in r.stderr.splitlines() if "another run (record level census, expected summary)" in line]
check(len(rewriting) == 18, f"every census file rewritten at level summary: {len(rewriting)}")
with h5py.File(os.path.join(damaged, "baseline/s0/run_0.h5"), "r") as h:
    check(h.attrs["record_level"] == "summary" and "persons" not in h, "rewritten at level summary")

if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print("1 passed, 0 failed")
