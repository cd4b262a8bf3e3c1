#!/usr/bin/env bash
# Makes `/usr/bin/python3 -c "import traineesim"` (and Debian's Jupyter
# kernel) find the Python module of a build tree, by writing a .pth file that
# points at <BUILD_DIR>/python into the interpreter's site directory: as root
# the first site-packages directory under /usr/local, otherwise the user's
# site directory (created if needed). Rebuilding updates the module in place;
# run this again only if the build folder moves.
#
#   scripts/link-python-module.sh build
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR   (the CMake build folder, e.g. build)" >&2
  exit 2
fi
python=/usr/bin/python3  # Debian's interpreter, where python3-pandas and python3-numpy live
if [ ! -x "$python" ]; then
  echo "error: $python not found (the module is built for Debian's Python 3)" >&2
  exit 1
fi
package="$(cd "$1" && pwd)/python"
if [ ! -f "$package/traineesim/__init__.py" ] || ! ls "$package"/traineesim/_core*.so >/dev/null 2>&1; then
  echo "error: no Python module under $package; build it first: cmake --build $1" >&2
  echo "(cmake skips it without pybind11-dev and python3-dev; see the configure messages)" >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  site_dir=$("$python" -c 'import site; print(next((p for p in site.getsitepackages() if p.startswith("/usr/local/")), ""))')
else
  site_dir=""
fi
if [ -z "$site_dir" ]; then
  site_dir=$("$python" -m site --user-site)
fi
mkdir -p "$site_dir"
echo "$package" > "$site_dir/traineesim-build.pth"

# Check from another folder, so nothing but the .pth file can be what finds it.
if ! version=$(cd / && "$python" -c 'import traineesim; print(traineesim.__version__)' 2>&1); then
  echo "error: wrote $site_dir/traineesim-build.pth but $python still cannot import traineesim:" >&2
  echo "$version" >&2
  exit 1
fi
echo "linked: $site_dir/traineesim-build.pth -> $package (traineesim $version for $python)"
