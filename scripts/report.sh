#!/usr/bin/env bash
# From a scenario to report.html in one command: installs what is missing (as
# root), builds, runs a paired comparison (or plain replications when no
# policy is given) and builds the self-contained HTML report. Given a results
# folder instead (what run, compare or sweep wrote), it only builds the report.
#   scripts/report.sh SCENARIO [POLICY ...]     (REPLICATIONS=10 OUT=results/report by default)
#   scripts/report.sh RESULTS_DIR [POLICY ...]  (report.html inside RESULTS_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/report.sh SCENARIO|RESULTS_DIR [POLICY ...]}
shift
policy_args=()
for p in "$@"; do policy_args+=(--policy "$p"); done
scripts/install-deps.sh --run
if [ -d "$target" ]; then
  out=$target
else
  reps=${REPLICATIONS:-10}
  out=${OUT:-results/report}
  scripts/configure-build.sh
  cmake --build build --target traineesim >/dev/null
  if [ $# -gt 0 ]; then
    build/sim/app/traineesim compare "$target" "${policy_args[@]}" -r "$reps" --out "$out" -q
  else
    build/sim/app/traineesim run "$target" -r "$reps" --record census --out "$out" -q
  fi
fi
/usr/bin/python3 tools/report.py "$out" -o "$out/report.html" "${policy_args[@]}"
echo "open $out/report.html (figures for slides: $out/report_files/)"
