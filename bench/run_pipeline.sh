#!/usr/bin/env bash
# Whole-process benchmark of the reference workload (docs/BENCH-WORKLOAD.md):
# for each cohort and record level, 5 runs after a warm-up; prints the median
# wall time, records/s, output bytes per record and peak memory (GNU time).
# usage: bench/run_pipeline.sh [BUILD_DIR] [COHORTS...]   (default: build 10000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"; shift || true
if [ $# -gt 0 ]; then cohorts=("$@"); else cohorts=(10000 100000); fi
bin="$build/sim/app/traineesim"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf "%-8s %-8s %10s %9s %12s %10s %12s\n" cohort level records wall_s records/s bytes/rec peak_MiB
for c in "${cohorts[@]}"; do
  for level in summary full; do
    walls=(); peak=0
    for i in 0 1 2 3 4 5; do
      /usr/bin/time -f "%e %M" -o "$out/time" "$bin" run scenarios/bench/pipeline.toml \
        --set parameters.cohort="$c" --record "$level" --out "$out/r" --overwrite -q > "$out/log"
      read -r wall kib < "$out/time"
      [ "$i" -eq 0 ] && continue   # warm-up
      walls+=("$wall"); [ "$kib" -gt "$peak" ] && peak=$kib
    done
    median=$(printf "%s\n" "${walls[@]}" | sort -g | sed -n 3p)
    records=$(grep -o '[0-9]* records in' "$out/log" | head -1 | cut -d' ' -f1)
    bytes=$(stat -c %s "$out/r/baseline/run_0.h5")
    awk -v c="$c" -v l="$level" -v r="$records" -v w="$median" -v b="$bytes" -v p="$peak" \
      'BEGIN { printf "%-8s %-8s %10d %9.3f %12.0f %10.2f %12.1f\n", c, l, r, w, r / w, b / r, p / 1024 }'
  done
done
