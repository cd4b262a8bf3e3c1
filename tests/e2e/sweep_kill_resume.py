"""Sweeps are boring: killed at random moments and resumed, they end with the
same bytes as a sweep that ran straight through; no file under its final name
is ever incomplete; threads and shards do not change any file; a failing
variant is reported in the index and does not stop the others.

usage: sweep_kill_resume.py TRAINEESIM SOURCE_DIR WORK_DIR
"""
import glob
import os
import random
import shutil
import signal
import subprocess
import sys
import time

import h5py

binary, source, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
sweep = os.path.join(source, "tests", "e2e", "kill_sweep.toml")
failures = []



def partials(root):
    """Temporary files (hidden, ending in .partial) anywhere under root."""
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files if f.endswith(".partial")]

def check(cond, msg):
    if not cond:
        failures.append(msg)


def sweep_cmd(out, *extra):
    return [binary, "sweep", sweep, "--out", out, "-q", *extra]


def files(root):
    return sorted(os.path.relpath(p, root) for p in glob.glob(os.path.join(root, "**", "*.h5"), recursive=True))


def same_tree(a, b, what):
    fa, fb = files(a), files(b)
    check(fa == fb, f"{what}: same files ({len(fa)} vs {len(fb)})")
    for f in fa:
        if f in fb:
            with open(os.path.join(a, f), "rb") as x, open(os.path.join(b, f), "rb") as y:
                check(x.read() == y.read(), f"{what}: {f} differs")


def complete(root):
    # Every file under its final name must be a complete run or index.
    for f in files(root):
        try:
            with h5py.File(os.path.join(root, f), "r") as h:
                check(h.attrs.get("complete") == 1, f"{f} incomplete under its final name")
        except OSError as e:
            check(False, f"{f} unreadable under its final name: {e}")


ref = os.path.join(work, "straight")
t0 = time.time()
check(subprocess.run(sweep_cmd(ref, "-j", "1")).returncode == 0, "uninterrupted sweep")
straight_seconds = time.time() - t0
check(len(files(ref)) == 19, f"18 runs + index ({len(files(ref))})")

# SIGKILL at random moments, resume each time.
rng = random.Random(20261123)
killed = os.path.join(work, "killed")
kills = 0
for attempt in range(6):
    p = subprocess.Popen(sweep_cmd(killed, "-j", "2"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.05, max(0.1, straight_seconds * 0.6)))
    if p.poll() is None:
        p.send_signal(signal.SIGKILL)
        kills += 1
    p.wait()
    complete(killed)
check(subprocess.run(sweep_cmd(killed, "-j", "2")).returncode == 0, "resume after kills")
complete(killed)
same_tree(ref, killed, "killed and resumed")
check(not partials(killed), "no partial file left after a resume (stale ones are cleaned up)")

# SIGTERM: abandon the partial file, write the index, exit 128 + 15.
termed = os.path.join(work, "termed")
p = subprocess.Popen(sweep_cmd(termed, "-j", "1"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(straight_seconds * 0.4)
p.send_signal(signal.SIGTERM)
rc = p.wait()
check(rc in (143, 0), f"SIGTERM exit status {rc}")
if rc == 143:
    check(os.path.exists(os.path.join(termed, "sweep.h5")), "index written on SIGTERM")
    with h5py.File(os.path.join(termed, "sweep.h5"), "r") as h:
        status = list(h["runs/status"].asstr()[()])
        check("missing" in status and "done" in status, f"index shows done and missing runs: {status}")
    check(not partials(termed), "partial abandoned on SIGTERM")
complete(termed)
check(subprocess.run(sweep_cmd(termed)).returncode == 0, "resume after SIGTERM")
same_tree(ref, termed, "terminated and resumed")

# Threads and shards change nothing.
four = os.path.join(work, "four")
check(subprocess.run(sweep_cmd(four, "-j", "4")).returncode == 0, "4 threads")
same_tree(ref, four, "4 threads")
sharded = os.path.join(work, "sharded")
for i in range(3):
    check(subprocess.run(sweep_cmd(sharded, "--shard", f"{i}/3")).returncode == 0, f"shard {i}/3")
check(not os.path.exists(os.path.join(sharded, "sweep.h5")), "shards write no index")
check(subprocess.run(sweep_cmd(sharded, "--index-only")).returncode == 0, "index-only")
same_tree(ref, sharded, "3 shards merged")

# A failing variant is reported, the rest finish.
failing = os.path.join(work, "failing")
r = subprocess.run([binary, "sweep", os.path.join(source, "tests", "e2e", "failing_sweep.toml"), "--out", failing, "-q"],
                   capture_output=True, text=True)
check(r.returncode == 1, f"failing sweep exits 1 ({r.returncode})")
with h5py.File(os.path.join(failing, "sweep.h5"), "r") as h:
    status = list(h["runs/status"].asstr()[()])
    errors = list(h["runs/error"].asstr()[()])
    check(status == ["done", "done", "failed", "failed"], f"statuses {status}")
    check("undeclared state 'supervisor'" in errors[2], f"error recorded: {errors[2]}")

# Every shipped sweep loads all its variants and samples.
sweeps = sorted(glob.glob(os.path.join(source, "scenarios", "sweeps", "*.toml")))
check(len(sweeps) >= 8, "a sweep per scenario family")
for s in sweeps:
    idx = os.path.join(work, "shipped", os.path.basename(s))
    r = subprocess.run([binary, "sweep", s, "--out", idx, "--index-only", "-q"], capture_output=True, text=True)
    check(r.returncode == 0, f"{s}: {r.stderr}")
    with h5py.File(os.path.join(idx, "sweep.h5"), "r") as h:
        status = set(h["runs/status"].asstr()[()])
        check(status == {"missing"}, f"{s}: every run loads ({status}, {list(h['runs/error'].asstr()[()])[:1]})")

print(f"{kills} kills; straight sweep {straight_seconds:.2f} s")
if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print("1 passed, 0 failed")
