#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a finished run: installs what
# is missing (as root), builds the program and the Python module (and makes
# `python3 -c "import traineesim"` work), and runs the default scenario.
# Extra arguments go to `traineesim run` (e.g. --replications 5).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --run
scripts/configure-build.sh
cmake --build build --target traineesim _core traineesim_python_files
scripts/link-python-module.sh build >&2
exec build/sim/app/traineesim run scenarios/cyp_psychological_professions.toml "$@"
