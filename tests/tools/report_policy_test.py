"""What report.py checks before it builds and how it reads the policy: the
output path (-o), --policy files against the texts as run, a folder with no
baseline, the policy box's words for modifiers and swept parameters, and the
provenance's numbers (tools/report.py, tools/traineesim_tools/report/*)."""
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tools"))
from traineesim_tools import report_data as rd  # noqa: E402
from traineesim_tools.report import build  # noqa: E402

REPORT = os.path.join(ROOT, "tools", "report.py")


def report(*args):
    return subprocess.run([sys.executable, REPORT, *args], capture_output=True, text=True,
                          env=dict(os.environ, MPLCONFIGDIR=tempfile.gettempdir()))


class OutputPath(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def assert_refused(self, output, words):
        # The results folder is empty: were -o checked after reading it, the
        # error would name the results folder instead.
        r = report(self.dir, "-o", output, "--no-slides")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn(output, r.stderr)
        self.assertIn(words, r.stderr)

    def test_missing_folder_is_not_created(self):
        out = os.path.join(self.dir, "nonexistent", "x.html")
        self.assert_refused(out, "does not exist")
        self.assertFalse(os.path.exists(os.path.dirname(out)))

    def test_a_folder_as_output(self):
        out = os.path.join(self.dir, "existing")
        os.mkdir(out)
        self.assert_refused(out, "is a folder")
        self.assertEqual(sorted(os.listdir(self.dir)), ["existing"], "no .partial, no _files")

    def test_unwritable_folder(self):
        # /proc refuses new files even to root (os.access says yes there).
        if not os.path.isdir("/proc"):
            self.skipTest("no /proc")
        self.assert_refused("/proc/x.html", "cannot write")
        self.assertFalse(os.path.exists("/proc/x_files"))

    def test_failure_removes_what_this_run_wrote(self):
        out = os.path.join(self.dir, "r.html")

        def fails(folder, output, files, *rest):
            os.makedirs(files)
            open(output + ".partial", "w").close()
            raise rd.BadResults("stop")
        real, build._build = build._build, fails
        try:
            with self.assertRaises(rd.BadResults):
                build.build(self.dir, out)
        finally:
            build._build = real
        self.assertEqual(os.listdir(self.dir), [])

    def test_failure_keeps_a_files_folder_it_did_not_create(self):
        out = os.path.join(self.dir, "r.html")
        os.mkdir(os.path.join(self.dir, "r_files"))
        with self.assertRaises(rd.BadResults):
            build.build(os.path.join(self.dir, "r_files"), out)  # no runs there
        self.assertEqual(os.listdir(self.dir), ["r_files"])


if __name__ == "__main__":
    unittest.main()
