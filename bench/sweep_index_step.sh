#!/usr/bin/env bash
# The end-of-sweep index step, measured from outside the process: runs the
# 100-run scenarios/sweeps/career_ladder_effect.toml sweep under strace and
# prints the whole-process wall time, the time from the last run file's
# rename to sweep.h5's rename (seconds), and the fsync time inside that step.
# usage: bench/sweep_index_step.sh TRAINEESIM OUT_DIR [THREADS]   (run from the repository root)
set -euo pipefail
bin=${1:?usage: sweep_index_step.sh TRAINEESIM OUT_DIR [THREADS]}
out=${2:?usage: sweep_index_step.sh TRAINEESIM OUT_DIR [THREADS]}
threads=${3:-2}
rm -rf "$out"
start=$(date +%s.%N)
strace -f -qq --seccomp-bpf -e trace=rename,renameat,renameat2,fsync,fdatasync -T -ttt -o "$out.strace" \
  "$bin" sweep scenarios/sweeps/career_ladder_effect.toml --out "$out" -j "$threads" -q >/dev/null
end=$(date +%s.%N)
/usr/bin/python3 - "$out.strace" "$start" "$end" <<'PY'
import re
import sys

last_run = index = None
syncs = []
for line in open(sys.argv[1]):
    m = re.match(r'\d+\s+(\d+\.\d+) (\w+)\((.*)\)\s+=\s*(-?\d+).*<([\d.]+)>', line)
    if not m:
        continue
    t, call, seconds = float(m.group(1)), m.group(2), float(m.group(5))
    if call.startswith("rename"):
        name = re.findall(r'"([^"]+)"', m.group(3))[-1]
        if name.endswith("sweep.h5"):
            index = t
        elif name.endswith(".h5"):
            last_run = t
    else:
        syncs.append((t, seconds))
fsync = sum(s for t, s in syncs if last_run < t <= index)
print(f"wall {float(sys.argv[3]) - float(sys.argv[2]):.2f} s, index step {index - last_run:.3f} s, "
      f"of which fsync {fsync:.3f} s")
PY
