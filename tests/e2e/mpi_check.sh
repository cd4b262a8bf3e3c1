#!/usr/bin/env bash
# MPI build check (CI): a sweep under `mpirun -n 2` gives byte-identical run
# files and index to the same binary on one rank.
# usage: tests/e2e/mpi_check.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: mpi_check.sh BUILD_DIR}
bin="$build/sim/app/traineesim"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" sweep scenarios/sweeps/small.toml --out "$work/one" -j 1 -q
# Root in CI containers: OpenMPI needs to be told that is fine.
mpirun --allow-run-as-root --oversubscribe -n 2 "$bin" sweep scenarios/sweeps/small.toml --out "$work/two" -j 1 -q
n=0
for f in $(cd "$work/one" && find . -name '*.h5' | sort); do
  cmp "$work/one/$f" "$work/two/$f"
  n=$((n + 1))
done
[ "$n" -eq 7 ] || { echo "expected 6 run files and the index, found $n"; exit 1; }
echo "mpi: $n files identical with 1 and 2 ranks"
echo "1 passed, 0 failed"
