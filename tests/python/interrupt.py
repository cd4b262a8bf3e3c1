"""Ctrl-C during scenario.run() stops every replication and raises
KeyboardInterrupt in the caller, promptly, leaving no thread behind.

usage: interrupt.py SOURCE_DIR
A child process runs a long run (the benchmark pipeline, 200,000 per cohort,
8 replications on 2 threads: about 10 s) and gets SIGINT after 1 s. It exits
with status 42 if it caught KeyboardInterrupt and has as many native threads
(/proc/self/task) as before the run, 3 if the run finished, 4 if threads
were left. The parent wants 42 within 5 s of the signal: the workers look at
the stop flag every 4096 engine events, and the waiting thread at signals
every 50 ms, so a stop takes milliseconds; 5 s is slack for a loaded machine.
"""
import os
import signal
import subprocess
import sys
import time

CAUGHT, FINISHED, THREADS_LEFT = 42, 3, 4


def native_threads():
    return len(os.listdir("/proc/self/task"))


def child(source):
    import traineesim

    scenario = traineesim.load(os.path.join(source, "scenarios", "bench", "pipeline.toml"),
                               set={"parameters.cohort": 200000})
    before = native_threads()  # numpy's BLAS may keep threads of its own: count them first
    print("started", flush=True)
    try:
        scenario.run(replications=8, seed=1, threads=2, record="summary")
    except KeyboardInterrupt:
        after = native_threads()
        print(f"interrupted; native threads before {before}, after {after}", flush=True)
        sys.exit(CAUGHT if after == before else THREADS_LEFT)
    sys.exit(FINISHED)


def parent(source):
    proc = subprocess.Popen([sys.executable, __file__, "--child", source], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if line.strip() != "started":
        proc.kill()
        sys.exit(f"FAIL: the child did not start: {line!r} (status {proc.wait()})")
    time.sleep(1.0)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        out, _ = proc.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        sys.exit("FAIL: the child was still running 5 s after SIGINT")
    took = time.monotonic() - sent
    print(out.strip())
    if proc.returncode != CAUGHT:
        sys.exit(f"FAIL: child exit status {proc.returncode}, expected {CAUGHT} "
                 f"({FINISHED}: the run finished; {THREADS_LEFT}: threads left)")
    print(f"ok: KeyboardInterrupt {took:.2f} s after SIGINT, no thread left")


if __name__ == "__main__":
    if sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        parent(sys.argv[1])
