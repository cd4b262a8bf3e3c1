"""The Python loaders and report.py on bad files (tests/tools/bad_files.py):
each class of damage raises RunFileError, a ValueError whose one-line message
starts with the file's path and says what is wrong; report.py prints one line
on stderr and exits 2, never a traceback.

usage: loaders_bad_files_test.py TRAINEESIM SOURCE_DIR WORK_DIR
"""
import os
import shutil
import subprocess
import sys
import unittest

BINARY, SOURCE, WORK = sys.argv[1:4]
sys.path.insert(0, os.path.join(SOURCE, "tools"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bad_files  # noqa: E402
from traineesim_tools import RunFileError, load_comparison, load_run, load_sweep  # noqa: E402

LOADERS = {"run": load_run, "sweep": load_sweep, "comparison": load_comparison}
GOOD, SWEEP, CASES = bad_files.make(BINARY, SOURCE, os.path.join(WORK, "corpus"))


class Loaders(unittest.TestCase):
    def test_good_files_load(self):
        run = load_run(GOOD)
        self.assertEqual(set(run.tables), {"persons", "events", "census", "flows", "pools"})
        self.assertEqual(list(load_sweep(SWEEP)["runs"].status), ["done"])


def _case_test(case):
    def test(self):
        with self.assertRaises(RunFileError) as raised:
            LOADERS[case.loader](case.path)
        message = str(raised.exception)
        self.assertIsInstance(raised.exception, ValueError)
        self.assertTrue(message.startswith(case.path + ": "), message)
        self.assertIn(case.expected, message)
        self.assertNotIn("\n", message)
    return test


for _c in CASES:
    setattr(Loaders, f"test_{_c.loader}_{_c.name}", _case_test(_c))


class Report(unittest.TestCase):
    """report.py on a results folder holding a bad file: exit 2, one line on stderr."""

    def results_with(self, name, run_file=None, comparison=None):
        folder = os.path.join(WORK, "report", name)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(os.path.join(folder, "baseline"))
        if run_file:
            shutil.copyfile(run_file, os.path.join(folder, "baseline", "run_0.h5"))
        if comparison:
            shutil.copyfile(comparison, os.path.join(folder, "comparison.h5"))
        return folder

    def report(self, folder):
        env = dict(os.environ, MPLCONFIGDIR=os.path.join(WORK, "matplotlib"))
        return subprocess.run([sys.executable, os.path.join(SOURCE, "tools", "report.py"), folder, "-o",
                               os.path.join(WORK, "report", "out.html")], capture_output=True, text=True, env=env)

    def expect_bad_input(self, folder, expected):
        r = self.report(folder)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertTrue(r.stderr.startswith("report: "), r.stderr)
        self.assertIn(expected, r.stderr)

    def case(self, name):
        return next(c for c in CASES if c.name == name)

    def test_bad_run_files(self):
        for name in ("empty", "text", "truncated", "foreign", "flipped_bit", "state_out_of_range", "no_role",
                     "missing_dictionary", "schema_version_1"):
            with self.subTest(name):
                c = self.case(name)
                folder = self.results_with(name, c.path)
                self.expect_bad_input(folder, f"{os.path.join(folder, 'baseline', 'run_0.h5')}: {c.expected}")

    def test_bad_comparison_file(self):
        folder = self.results_with("comparison", GOOD, self.case("comparison_text").path)
        self.expect_bad_input(folder, f"{os.path.join(folder, 'comparison.h5')}: not an HDF5 file")

    def test_no_run_files(self):
        folder = self.results_with("nothing")
        self.expect_bad_input(folder, "no run files for variant 'baseline'")

    def test_no_such_folder(self):
        self.expect_bad_input(os.path.join(WORK, "report", "absent"), "absent: no such folder")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
