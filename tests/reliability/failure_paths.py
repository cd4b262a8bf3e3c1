"""Failure paths of the command line: each case names the exit status and the
message it must produce, and what must (not) be left on disk.

usage: failure_paths.py TRAINEESIM SOURCE_DIR WORK_DIR

A full disk is a 600 KiB tmpfs when run as root (skipped otherwise); a file
size limit is `ulimit -f`. Signals are sent while a run is known to be busy
(its first run file has appeared, or after a fixed delay on a run that takes
several seconds).
"""
import os
import resource
import shutil
import signal
import subprocess
import sys
import time

binary, source, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
PIPELINE = os.path.join(source, "scenarios", "bench", "pipeline.toml")
CYP = os.path.join(source, "scenarios", "cyp_psychological_professions.toml")
LADDER = os.path.join(source, "scenarios", "policies", "cwp_emhp_career_ladder.toml")
failures, cases = [], 0


def check(cond, msg):
    if not cond:
        failures.append(msg)


def case(name):
    global cases
    cases += 1
    print(f"case {cases}: {name}", flush=True)


def run(args, **kw):
    return subprocess.run([binary, *args], capture_output=True, text=True, **kw)


def leftovers(root):
    """Temporary files (hidden, ending in .partial) anywhere under root."""
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files if f.endswith(".partial")]


def wait_for(path, seconds=60):
    """Waits until `path` exists; False if it never did."""
    end = time.time() + seconds
    while not os.path.exists(path) and time.time() < end:
        time.sleep(0.02)
    return os.path.exists(path)


def h5_files(root):
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, files in os.walk(root) for f in files
                  if f.endswith(".h5"))


def expect(r, status, *phrases, what):
    check(r.returncode == status, f"{what}: exit {r.returncode}, expected {status}; stderr: {r.stderr[-400:]}")
    for p in phrases:
        check(p in r.stderr, f"{what}: stderr lacks {p!r}: {r.stderr[-400:]}")
    check("Segmentation" not in r.stderr and "HDF5-DIAG" not in r.stderr, f"{what}: crash or library noise")


# ---- a full disk -------------------------------------------------------------
case("a full disk: exit 1 naming the file and 'No space left on device', nothing left")
small = os.path.join(work, "small")
os.makedirs(small)
if os.geteuid() == 0 and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", small]).returncode == 0:
    try:
        out = os.path.join(small, "out")
        r = run(["run", PIPELINE, "--set", "parameters.cohort=20000", "-r", "3", "-j", "2", "-q", "--out", out])
        expect(r, 1, "No space left on device", os.path.join(out, "baseline", "run_0.h5"), what="full disk")
        check(not h5_files(out) and not leftovers(out), f"full disk left files: {h5_files(out)} {leftovers(out)}")
        r = run(["compare", CYP, "--policy", LADDER, "-r", "2", "-q", "--out", os.path.join(small, "cmp")])
        expect(r, 1, "No space left on device", what="full disk, compare")
        check(not os.path.exists(os.path.join(small, "cmp", "comparison.h5")), "full disk: no comparison file")
        check(not leftovers(os.path.join(small, "cmp")), "full disk, compare: temporary files left")
    finally:
        subprocess.run(["umount", small])
else:
    print("  skipped: needs root to mount a small tmpfs")

# ---- a file size limit -------------------------------------------------------
case("a file size limit (ulimit -f): exit 1 with 'File too large', not SIGXFSZ")
out = os.path.join(work, "ulimit")


def limit_file_size():
    resource.setrlimit(resource.RLIMIT_FSIZE, (400 * 1024, 400 * 1024))


r = run(["run", PIPELINE, "--set", "parameters.cohort=20000", "-q", "--out", out], preexec_fn=limit_file_size)
expect(r, 1, "File too large", what="ulimit -f")
check(not h5_files(out) and not leftovers(out), "ulimit -f left files")

# ---- output folders that cannot be used ----------------------------------------
case("--out under a regular file: exit 2, nothing written")
blocker = os.path.join(work, "a_file")
open(blocker, "w").close()
r = run(["run", PIPELINE, "--set", "parameters.cohort=100", "-q", "--out", os.path.join(blocker, "x")])
expect(r, 2, "a_file", what="--out under a file")

case("--out in /proc: exit 2")
r = run(["run", PIPELINE, "--set", "parameters.cohort=100", "-q", "--out", "/proc/traineesim"])
expect(r, 2, "/proc/traineesim", what="--out in /proc")

# ---- a link planted where the run file goes ------------------------------------
case("a symlink planted at the final name is replaced, never written through")
planted = os.path.join(work, "planted")
os.makedirs(os.path.join(planted, "baseline"))
victim = os.path.join(work, "victim.txt")
with open(victim, "w") as f:
    f.write("keep me")
os.symlink(victim, os.path.join(planted, "baseline", "run_0.h5"))
r = run(["run", PIPELINE, "--set", "parameters.cohort=100", "-q", "--out", planted])
check(r.returncode == 0, f"planted link: exit {r.returncode}: {r.stderr[-300:]}")
with open(victim) as f:
    check(f.read() == "keep me", "planted link: the link's target was overwritten")
check(not os.path.islink(os.path.join(planted, "baseline", "run_0.h5")), "planted link: still a link")

# ---- temporary files a killed run left ------------------------------------------
case("temporary files of a killed writer are removed by the next command in that folder")
stale_dir = os.path.join(work, "stale", "baseline")
os.makedirs(stale_dir)
stale = os.path.join(stale_dir, ".run_0.h5.0123456789abcdef.partial")
open(stale, "w").close()
r = run(["run", PIPELINE, "--set", "parameters.cohort=100", "-q", "--out", os.path.dirname(stale_dir)])
check(r.returncode == 0 and not os.path.exists(stale), "stale partial file not cleaned up")

# ---- two commands, one folder ------------------------------------------------------
case("a second command writing into a folder in use refuses at once with exit 2")
busy = os.path.join(work, "busy")
# The first writer runs long enough (several replications of a large cohort)
# to still be at work when the second starts; it is stopped afterwards.
first = subprocess.Popen([binary, "run", PIPELINE, "--set", "parameters.cohort=200000", "--record", "summary", "-q",
                          "-r", "20", "-j", "1", "--out", busy], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
check(wait_for(os.path.join(busy, "baseline", ".traineesim.lock")), "the first writer never took its folder")
time.sleep(0.3)
started = time.time()
r = run(["run", PIPELINE, "--set", "parameters.cohort=100", "-q", "--out", busy])
expect(r, 2, "being written by another traineesim command", what="second writer")
check(time.time() - started < 5, "the second writer waited instead of refusing")
check(first.poll() is None, "the first writer finished before the check: make it longer")
first.send_signal(signal.SIGTERM)
check(first.wait() == 143, "the first writer did not stop cleanly on SIGTERM")

case("a second sweep into a sweep's folder refuses; --index-only too")
sweep_file = os.path.join(source, "scenarios", "sweeps", "pipeline_scaling.toml")
swept = os.path.join(work, "swept")
first = subprocess.Popen([binary, "sweep", sweep_file, "-q", "-j", "1", "--out", swept],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
check(wait_for(os.path.join(swept, ".traineesim.lock")), "the first sweep never took its folder")
time.sleep(0.3)
r = run(["sweep", sweep_file, "-q", "--out", swept])
expect(r, 2, "being written by another traineesim command", what="second sweep")
r = run(["sweep", sweep_file, "-q", "--index-only", "--out", swept])
expect(r, 2, "being written by another traineesim command", what="--index-only during a sweep")
check(first.poll() is None, "the first sweep finished before the checks: make it longer")
first.send_signal(signal.SIGTERM)
first.wait()

# ---- signals ------------------------------------------------------------------------
def stop_after_first_file(args, folder, sig):
    p = subprocess.Popen([binary, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    end = time.time() + 60
    while not h5_files(folder) and p.poll() is None and time.time() < end:
        time.sleep(0.01)
    p.send_signal(sig)
    _, stderr = p.communicate(timeout=60)
    return p.returncode, stderr


case("SIGINT during run: exit 130, finished replications kept, no temporary file")
stopped = os.path.join(work, "sigint")
rc, stderr = stop_after_first_file(["run", PIPELINE, "--set", "parameters.cohort=60000", "-r", "6", "-j", "1",
                                    "--record", "summary", "-q", "--out", stopped], stopped, signal.SIGINT)
check(rc == 130, f"SIGINT run: exit {rc}: {stderr[-300:]}")
check("stopped by SIGINT" in stderr and "kept" in stderr, f"SIGINT run message: {stderr[-300:]}")
check(1 <= len(h5_files(stopped)) < 6, f"SIGINT run kept {h5_files(stopped)}")
kept_line = next((l for l in stderr.splitlines() if l.strip().startswith("kept, complete")), "")
check(all(os.path.basename(f) in kept_line for f in h5_files(stopped)),
      f"SIGINT run does not name every kept file: {stderr[-400:]}")
check(not leftovers(stopped), "SIGINT run left temporary files")

case("SIGTERM during compare: exit 143, no comparison file")
stopped = os.path.join(work, "sigterm")
slower = os.path.join(work, "slower_leaving.toml")
with open(slower, "w") as f:
    f.write('[policy]\nname = "slower-leaving"\n[[modifiers]]\nfrom = ["band5", "band6", "band7"]\nto = "left"\n'
            'factor = 0.8\n')
rc, stderr = stop_after_first_file(["compare", PIPELINE, "--set", "parameters.cohort=40000", "--policy", slower,
                                    "-r", "3", "-j", "1", "-q", "--out", stopped], stopped, signal.SIGTERM)
check(rc == 143, f"SIGTERM compare: exit {rc}: {stderr[-300:]}")
check("stopped by SIGTERM" in stderr, f"SIGTERM compare message: {stderr[-300:]}")
check(not os.path.exists(os.path.join(stopped, "comparison.h5")), "SIGTERM compare wrote a comparison")
check(not leftovers(stopped), "SIGTERM compare left temporary files")

print(f"{cases} cases")
if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print("1 passed, 0 failed")
