#!/usr/bin/env bash
# Installs the Debian 12 packages traineesim needs. As root it runs apt-get;
# otherwise it prints the exact command to run and fails if anything is missing.
#
#   scripts/install-deps.sh          everything the test suite needs (scripts/test.sh)
#   scripts/install-deps.sh --run    building and running, the Python module and the report
#                                    (scripts/run-default.sh, scripts/report.sh)
#   scripts/install-deps.sh --mpi    OpenMPI, for -DTRAINEESIM_MPI=ON
#   scripts/install-deps.sh --fuzz   clang and libFuzzer, for the fuzzing build
set -euo pipefail

RUN=(
  build-essential cmake ninja-build pkg-config git
  libboost-graph-dev libboost-program-options-dev libboost-random-dev libboost-math-dev
  libhdf5-dev libfmt-dev libtomlplusplus-dev librandom123-dev
  libdeflate-dev  # compresses HDF5 chunks (output/chunk_codec.cpp): ~2x zlib's speed, same deflate format
  libnlopt-dev
  pybind11-dev python3-dev
  python3-h5py python3-pandas python3-numpy python3-matplotlib
  # tools/report.py: scipy for paired t intervals, plotly for the interactive
  # charts (plotly.js is inlined into the report, so it works offline)
  python3-scipy python3-plotly
  graphviz  # the `dot` program: `traineesim describe --svg` and the README's describe --dot | dot line
  # libnlopt-dev above: BOBYQA and COBYLA for `traineesim calibrate` and
  # `commission`; python3-openturns: Sobol indices with bootstrap intervals
  # (tools/traineesim_tools/sensitivity.py)
  python3-openturns
)
# The tests add GoogleTest, Google Benchmark, a browser for the report test
# (tests/e2e/report_browser.py renders reports in headless Chromium), R for
# the R loader, Jupyter for the example notebook, and pip, setuptools and
# wheel for `pip install --no-build-isolation ./tools` (tests/tools/tools_install_test.py).
TEST=(
  libgtest-dev libgmock-dev libbenchmark-dev
  chromium r-base-core r-cran-hdf5r python3-nbconvert python3-ipykernel
  python3-pip python3-setuptools python3-wheel
)

case "${1:-}" in
  "") PACKAGES=("${RUN[@]}" "${TEST[@]}") ;;
  --run) PACKAGES=("${RUN[@]}") ;;
  --fuzz) PACKAGES=(clang libclang-rt-14-dev) ;;
  --mpi) PACKAGES=(libopenmpi-dev openmpi-bin) ;;
  *) echo "usage: $0 [--run|--mpi|--fuzz]" >&2; exit 2 ;;
esac

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "traineesim needs these Debian packages. Install them with:" >&2
  echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
