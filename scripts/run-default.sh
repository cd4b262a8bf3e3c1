#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a finished run: installs what
# is missing (as root), builds, and runs the default scenario.
# Extra arguments go to `traineesim run` (e.g. --replications 5).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target traineesim
exec build/sim/app/traineesim run scenarios/cyp_psychological_professions.toml "$@"
