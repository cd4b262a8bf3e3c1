"""The Python tools install as a package with Debian's own setuptools, no
download: `pip install --no-build-isolation ./tools` (here into a --target
folder, from a copy, so neither the system nor the source tree changes), and
the installed package is the one imported outside the source tree.

usage: tools_install_test.py SOURCE_DIR WORK_DIR
"""
import os
import shutil
import subprocess
import sys

SOURCE, WORK = sys.argv[1:3]
shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
copy, site = os.path.join(WORK, "tools"), os.path.join(WORK, "site")
shutil.copytree(os.path.join(SOURCE, "tools"), copy, ignore=shutil.ignore_patterns("__pycache__"))
subprocess.run([sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-deps", "--no-index",
                "--disable-pip-version-check", "--quiet", "--target", site, copy], check=True,
               env={**os.environ, "PIP_ROOT_USER_ACTION": "ignore"})
probe = ("import traineesim_tools as t; print(t.__file__); "
         "print(all(callable(getattr(t, n)) for n in ('load_run', 'load_folder', 'load_results', 'load_comparison')))")
out = subprocess.run([sys.executable, "-c", probe], cwd=WORK, env={**os.environ, "PYTHONPATH": site},
                     check=True, capture_output=True, text=True).stdout.split()
if out != [os.path.join(site, "traineesim_tools", "__init__.py"), "True"]:
    sys.exit(f"FAIL: the installed package is not the one imported: {out}")
print("tools_install_test: installed and imported from", site)
