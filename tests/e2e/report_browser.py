"""From a scenario to report.html, rendered in headless Chromium.

usage: report_browser.py TRAINEESIM SOURCE_DIR WORK_DIR
Runs a small paired comparison, builds the report with tools/report.py,
loads it in Debian's Chromium (no network), checks the DOM has every section
and the embedded figures, and saves a screenshot (WORK_DIR/report.png) as an
artifact.
"""
import os
import shutil
import subprocess
import sys

binary, source, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)


results = os.path.join(work, "results")
subprocess.run([binary, "compare", os.path.join(source, "scenarios", "cyp_psychological_professions.toml"),
                "--policy", os.path.join(source, "scenarios", "policies", "cwp_emhp_career_ladder.toml"),
                "-r", "3", "-q", "--out", results], check=True, stdout=subprocess.DEVNULL)
report = os.path.join(work, "report.html")
r = subprocess.run([sys.executable, os.path.join(source, "tools", "report.py"), results, "-o", report],
                   capture_output=True, text=True)
check(r.returncode == 0, f"report.py failed: {r.stderr}")
files = os.path.join(work, "report_files")
for name in ("retention", "pipeline", "supply", "competing_exits"):
    for ext in ("png", "svg"):
        check(os.path.exists(os.path.join(files, f"{name}.{ext}")), f"{name}.{ext} written beside the report")

chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if not chromium:
    print("chromium is not installed: browser part skipped (scripts/install-deps.sh installs it)")
    sys.exit(1)
flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={os.path.join(work, 'chromium-profile')}"]
url = "file://" + os.path.abspath(report)
dom = subprocess.run([chromium, *flags, "--dump-dom", url], capture_output=True, text=True, timeout=120)
check(dom.returncode == 0, f"chromium --dump-dom exit {dom.returncode}")
page = dom.stdout
for heading in ("Summary", "Policy comparison", "Retention", "Pipeline", "Diversity", "Supply", "Provenance"):
    check(f">{heading}" in page, f"section {heading} rendered")
images = page.count('src="data:image/png;base64,')
check(images >= 6, f"embedded figures: {images}")
check("http://" not in page and "https://" not in page, "nothing fetched from the network")
shot = os.path.join(work, "report.png")
s = subprocess.run([chromium, *flags, "--window-size=1200,1600", f"--screenshot={shot}", url],
                   capture_output=True, text=True, timeout=120)
check(s.returncode == 0 and os.path.getsize(shot) > 20000, "screenshot taken")
print(f"report: {images} embedded figures; screenshot {shot}")
if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print("1 passed, 0 failed")
