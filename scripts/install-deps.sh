#!/usr/bin/env bash
# Installs the Debian 12 packages traineesim needs. As root it runs apt-get;
# otherwise it prints the exact command to run and fails if anything is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libboost-graph-dev libboost-program-options-dev libboost-random-dev libboost-math-dev
  libhdf5-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev libtomlplusplus-dev librandom123-dev
  python3-h5py python3-pandas python3-numpy python3-matplotlib chromium
  r-base-core r-cran-hdf5r
  pybind11-dev python3-dev python3-nbconvert python3-ipykernel
)

# --fuzz: clang and libFuzzer, for the fuzzing build; --mpi: OpenMPI, for -DTRAINEESIM_MPI=ON.
if [ "${1:-}" = "--fuzz" ]; then
  PACKAGES=(clang libclang-rt-14-dev)
elif [ "${1:-}" = "--mpi" ]; then
  PACKAGES=(libopenmpi-dev openmpi-bin)
fi

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
