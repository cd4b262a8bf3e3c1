"""Sweeps are boring: killed at random moments and resumed, they end with the
same bytes as a sweep that ran straight through; no file under its final name
is ever incomplete; threads and shards do not change any file; a failing
variant is reported in the index and does not stop the others.

Kills are placed by watching the output folder, not the clock: each SIGKILL
goes once a chosen number of run files has appeared, and the test asserts
that kills landed mid-sweep (runs still missing, a partial file left
behind) and that SIGTERM sent between the first and the last run file gives
exit status 143.

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


def run_files(root):
    """Finished run files (final names) under root."""
    return len(glob.glob(os.path.join(root, "*", "s*", "run_*.h5")))


def wait_for_run_files(p, root, n, timeout=60):
    """Polls until `root` holds at least n run files or p has exited; returns how many it holds."""
    deadline = time.time() + timeout
    while p.poll() is None and run_files(root) < n and time.time() < deadline:
        time.sleep(0.002)
    return run_files(root)


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
check(len(files(ref)) == 19 and run_files(ref) == 18, f"18 runs + index ({len(files(ref))})")
# The index carries the dictionary and every run's census and indicators, so
# the byte comparisons below cover them too (streamed as runs finish in one
# process, read from the files by --index-only after shards).
with h5py.File(os.path.join(ref, "sweep.h5"), "r") as h:
    check(h.attrs.get("schema_version") == 2, "sweep.h5 schema_version 2")
    check("states" in h.get("dictionary/baseline", {}), "sweep.h5 has /dictionary/baseline/states")
    check(sorted(set(h["indicators/run_index"][()])) == list(range(18)), "indicators for every run")
    check(sorted(set(h["runs_census/run_index"][()])) == list(range(18)), "census for every run")

# SIGKILL at moments chosen by the files already written (1 to 3 more each
# time, never the last), resume each time.
RUNS = 18
rng = random.Random(20261123)
killed = os.path.join(work, "killed")
kills = mid_sweep = left_partial = 0
for attempt in range(6):
    before = run_files(killed)
    target = min(RUNS - 1, before + rng.randint(1, 3))
    p = subprocess.Popen(sweep_cmd(killed, "-j", "2"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_run_files(p, killed, target)
    if p.poll() is None:
        p.send_signal(signal.SIGKILL)
        kills += 1
    rc = p.wait()
    after = run_files(killed)
    if rc == -signal.SIGKILL and after < RUNS:
        mid_sweep += 1  # the sweep's files show runs still missing after the kill
        left_partial += bool(partials(killed))  # and a run was being written when it landed
    complete(killed)
check(kills >= 1 and mid_sweep >= 1, f"a SIGKILL landed mid-sweep ({kills} kills, {mid_sweep} with runs missing)")
check(left_partial >= 1, f"a SIGKILL landed mid-run, leaving a partial file ({left_partial} of {mid_sweep})")
check(subprocess.run(sweep_cmd(killed, "-j", "2")).returncode == 0, "resume after kills")
complete(killed)
same_tree(ref, killed, "killed and resumed")
check(not partials(killed), "no partial file left after a resume (stale ones are cleaned up)")

# SIGTERM once the first run file has appeared and before the last: abandon
# the partial file, write the index, exit 128 + 15.
termed = os.path.join(work, "termed")
p = subprocess.Popen(sweep_cmd(termed, "-j", "1"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
written = wait_for_run_files(p, termed, 1)
running = p.poll() is None
p.send_signal(signal.SIGTERM)
rc = p.wait()
check(running and 1 <= written < RUNS, f"SIGTERM sent mid-sweep ({written} run files, running: {running})")
check(rc == 143, f"SIGTERM exit status {rc}, expected 143")
check(os.path.exists(os.path.join(termed, "sweep.h5")), "index written on SIGTERM")
if os.path.exists(os.path.join(termed, "sweep.h5")):
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

# A variant that cannot load is bad input: refused before anything is
# written, naming the problem where it is and the variant and sample.
failing = os.path.join(work, "failing")
r = subprocess.run([binary, "sweep", os.path.join(source, "tests", "e2e", "failing_sweep.toml"), "--out", failing, "-q"],
                   capture_output=True, text=True)
check(r.returncode == 2, f"a sweep with a variant that cannot load exits 2 ({r.returncode})")
check("supervisor_training.toml:" in r.stderr and "variant 'supervisor-training', sample 0" in r.stderr
      and "undeclared state 'supervisor'" in r.stderr, f"the problem, located: {r.stderr}")
check("failing_sweep.toml:3:1: error: the sweep was not started" in r.stderr, r.stderr)
check(not os.path.exists(failing), "nothing written")
# A swept key the scenario lacks is placed at the key in the sweep file.
bad_key = os.path.join(work, "bad_key.toml")
with open(bad_key, "w") as f:
    f.write('[sweep]\nname = "k"\nscenario = "' + os.path.join(source, "scenarios", "bench", "pipeline.toml") +
            '"\nreplications = 1\n\n[grid]\n"parameters.nosuch" = [1, 2]\n')
r = subprocess.run([binary, "sweep", bad_key, "--out", os.path.join(work, "bad_key"), "-q"], capture_output=True, text=True)
check(r.returncode == 2 and f"{bad_key}:7:1: error: variant 'baseline', sample 0" in r.stderr
      and "unknown parameter 'nosuch'" in r.stderr and "(and 1 other variant/sample(s) alike)" in r.stderr, r.stderr)
check(not os.path.exists(os.path.join(work, "bad_key")), "nothing written for a bad key")

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

print(f"{kills} kills, {mid_sweep} mid-sweep, {left_partial} mid-run; straight sweep {straight_seconds:.2f} s")
if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print("1 passed, 0 failed")
