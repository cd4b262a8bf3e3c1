#!/usr/bin/env bash
# From a scenario to report.html in one command: installs what is missing (as
# root), builds, runs a paired comparison (or plain replications when no
# policy is given) and builds the self-contained HTML report.
#   scripts/report.sh SCENARIO [POLICY ...]     (REPLICATIONS=10 OUT=results/report by default)
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:?usage: scripts/report.sh SCENARIO [POLICY ...]}
shift
reps=${REPLICATIONS:-10}
out=${OUT:-results/report}
scripts/install-deps.sh --run
scripts/configure-build.sh
cmake --build build --target traineesim >/dev/null
if [ $# -gt 0 ]; then
  policies=()
  for p in "$@"; do policies+=(--policy "$p"); done
  build/sim/app/traineesim compare "$scenario" "${policies[@]}" -r "$reps" --out "$out" -q
else
  build/sim/app/traineesim run "$scenario" -r "$reps" --record census --out "$out" -q
fi
/usr/bin/python3 tools/report.py "$out" -o "$out/report.html"
echo "open $out/report.html (figures for slides: $out/report_files/)"
