#!/usr/bin/env bash
# Builds everything and runs the whole test suite (what CI runs).
# Set TRAINEESIM_BUILD_DIR to use another build folder; TRAINEESIM_WERROR=ON
# makes compiler warnings errors (CI sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build="${TRAINEESIM_BUILD_DIR:-build}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTRAINEESIM_TESTS=ON -DTRAINEESIM_BENCH=ON \
  -DTRAINEESIM_WERROR="${TRAINEESIM_WERROR:-OFF}" >/dev/null
cmake --build "$build"
scripts/link-python-module.sh "$build" >&2
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" "$@"
