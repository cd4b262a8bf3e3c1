#!/usr/bin/env bash
# Configures the build folder `build` for running (not testing): a first
# configure leaves out the tests and benchmarks, whose packages come with
# scripts/test.sh; an existing build folder keeps its settings.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f build/CMakeCache.txt ]; then
  cmake -S . -B build >/dev/null
else
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DTRAINEESIM_TESTS=OFF -DTRAINEESIM_BENCH=OFF >/dev/null
fi
