#!/usr/bin/env bash
# Runs two traineesim binaries on the same scenario and seed at every record
# level (full, census, summary) and checks with bench/same_tables.py that the
# files hold the same tables, value for value (compressed bytes may differ).
# usage: bench/same_output.sh OLD_BINARY NEW_BINARY [COHORT]   (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1 new=$2 cohort=${3:-10000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
for level in full census summary; do
  for which in old new; do
    bin=$old; [ "$which" = new ] && bin=$new
    "$bin" run scenarios/bench/pipeline.toml --set parameters.cohort="$cohort" --seed 7 --record "$level" \
      --out "$out/$which-$level" -q > /dev/null
  done
  printf "%-8s " "$level"
  /usr/bin/python3 bench/same_tables.py "$out/old-$level/baseline/run_0.h5" "$out/new-$level/baseline/run_0.h5" || status=1
done
exit $status
