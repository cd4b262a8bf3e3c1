"""What report.py checks before it builds and how it reads the policy: the
output path (-o), --policy files against the texts as run, a folder with no
baseline, the policy box's words for modifiers and swept parameters, and the
provenance's numbers (tools/report.py, tools/traineesim_tools/report/*)."""
import os
import subprocess
import sys
import tempfile
import unittest
from types import SimpleNamespace

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tools"))
from traineesim_tools import report_data as rd  # noqa: E402
import numpy as np  # noqa: E402
from traineesim_tools.report import build, headline, policy_info, sweep, uncertainty  # noqa: E402

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


LADDER = "[policy]\nname = 'ladder'\neffective = 2025-04-01\ncost_per_year = 100.0\n[parameters]\nladder_effect = 0.3\n"


class PolicyFiles(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.as_run = {"ladder": rd._policy_from_text(LADDER, "manifest.toml", "ladder")}
        self.warnings = []

    def tearDown(self):
        self.tmp.cleanup()

    def file(self, text, name="p.toml"):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def merged(self, *paths, as_run=None, present=("ladder",)):
        return rd.policies_with_files(self.as_run if as_run is None else as_run, present, paths,
                                      self.warnings.append)

    def test_a_policy_not_in_the_folder_is_an_error_naming_those_present(self):
        path = self.file(LADDER.replace("'ladder'", "'bursary'"))
        with self.assertRaises(rd.BadResults) as e:
            self.merged(path)
        self.assertIn("'bursary'", str(e.exception))
        self.assertIn("its policies: ladder", str(e.exception))

    def test_an_edited_copy_warns_and_the_text_as_run_is_used(self):
        path = self.file(LADDER.replace("2025-04-01", "2040-04-01"))
        got = self.merged(path)
        self.assertEqual(str(got["ladder"]["effective"]), "2025-04-01")
        self.assertEqual(len(self.warnings), 1)
        self.assertIn(path, self.warnings[0])
        self.assertIn("text as run", self.warnings[0])

    def test_the_same_text_is_silent(self):
        self.assertEqual(self.merged(self.file(LADDER)), self.as_run)
        self.assertEqual(self.warnings, [])

    def test_a_file_fills_in_for_results_that_kept_no_text(self):
        got = self.merged(self.file(LADDER), as_run={})
        self.assertEqual(got["ladder"]["cost_per_year"], 100.0)


def run_only_ctx(variant, policies):
    """What the headline reads of a folder holding one variant's two runs."""
    runs = [SimpleNamespace(series=pd.DataFrame({"qualified staff FTE [all]": [10.0, x]}), scenario="[scenario]\n")
            for x in (100.0, 110.0)]
    results = SimpleNamespace(baseline=variant, kind="run", policies=[], variants=[variant])
    return SimpleNamespace(results=results, runs=lambda v: runs, horizon_date=pd.Timestamp("2023-04-01"),
                           policies=policies, currency="GBP", first=runs[0], psa=None)


class NoBaseline(unittest.TestCase):
    def test_a_policy_run_alone_says_what_it_is_and_that_there_is_no_baseline(self):
        spec = rd._policy_from_text(LADDER.replace("[policy]", "[policy]\ndescription = 'Senior posts'"), "m", "l")
        box = headline.section(run_only_ctx("ladder", {"ladder": spec}))
        self.assertIn("Policy: ladder", box)
        self.assertIn("Senior posts", box)
        self.assertIn("no baseline to compare with", box)
        self.assertIn("traineesim compare", box)
        self.assertNotIn("No policy in this folder", box)

    def test_provenance_names_the_variant_whose_scenario_it_shows(self):
        ctx = run_only_ctx("ladder", {})
        ctx.first.attrs = {"traineesim_version": "0", "git_sha": "x", "master_seed": 1, "record_level": "full"}
        ctx.results.folder = "DIR"
        text = build.provenance(ctx, ["/usr/bin/python3", "report.py"])
        self.assertIn("Scenario as run (ladder, resolved)", text)
        self.assertNotIn("baseline", text)

    def test_a_baseline_run_alone_has_no_policy(self):
        box = headline.section(run_only_ctx("baseline", {}))
        self.assertIn("No policy in this folder", box)
        self.assertEqual(policy_info.describe(run_only_ctx("baseline", {}), "baseline").count("<table"), 0)


class ModifierWords(unittest.TestCase):
    def test_every_selector_is_named(self):
        # apprenticeship_route.toml's modifier: leaving (to_kind exit) of apprentices only.
        m = {"name": "stay", "from": "cwp_qualified", "to_kind": "exit", "factor": "f", "years_in_state": [0, 2],
             "for": {"entry_path": ["apprenticeship"]}}
        line = policy_info._modifier_line(m)
        for words in ("from cwp_qualified", "to a state of kind exit", "for people with entry_path apprenticeship",
                      "in years 0 to 2 in the state", "<code>f</code>"):
            self.assertIn(words, line)

    def test_event_kinds_qualified_and_dates(self):
        m = {"event": "leave", "from_kind": "staff", "from_qualified": False, "to": ["a", "b"], "factor": 2,
             "from_date": "2021-04-01", "until_date": "2023-04-01"}
        line = policy_info._modifier_line(m)
        for words in ("hazard of event leave", "from a state of kind staff", "from an unqualified state",
                      "to a, b", "from 2021-04-01", "until 2023-04-01"):
            self.assertIn(words, line)


SWEPT = pd.DataFrame({"sample": [0, 1, 2], "policy.career-ladder.ladder_effect": [0.0, 0.2, 0.4],
                      "scenario.horizon_years": [3, 3, 3]})


class SweepReport(unittest.TestCase):
    def test_the_policy_box_gives_a_swept_parameter_its_range(self):
        ctx = SimpleNamespace(results=SimpleNamespace(kind="sweep", sweep={"samples": SWEPT}))
        self.assertEqual(policy_info.swept_ranges(ctx, "career-ladder"), {"ladder_effect": "swept 0 to 0.4"})
        self.assertEqual(policy_info.swept_ranges(ctx, "other"), {})

    def test_a_key_with_one_value_does_not_vary(self):
        params = SWEPT.set_index("sample")
        self.assertEqual(uncertainty.other_varying_keys(params, "policy.career-ladder.ladder_effect"), [])
        params["parameters.x"] = [1, 2, 1]
        self.assertEqual(uncertainty.other_varying_keys(params, "policy.career-ladder.ladder_effect"),
                         ["parameters.x"])

    def test_no_cost_per_fte_over_a_gain_that_may_be_0(self):
        row = lambda lo, hi: SimpleNamespace(ci_low=lo, ci_high=hi)  # noqa: E731
        self.assertFalse(sweep.gain_clear_of_zero(row(-2.0, 113.0)))
        self.assertTrue(sweep.gain_clear_of_zero(row(5.0, 23.0)))
        self.assertTrue(sweep.gain_clear_of_zero(row(-9.0, -1.0)))
        self.assertFalse(sweep.gain_clear_of_zero(row(float("nan"), 3.0)))
        self.assertFalse(sweep.gain_clear_of_zero(None))

    def test_the_baseline_tornado_leaves_out_policy_keys(self):
        self.assertFalse(sweep.seen_by("policy.career-ladder.ladder_effect", "baseline"))
        self.assertTrue(sweep.seen_by("policy.career-ladder.ladder_effect", "career-ladder"))
        self.assertTrue(sweep.seen_by("parameters.x", "baseline"))

    def test_rounding_sized_effects_are_0(self):
        # A fit of a constant indicator gives effects of ~1e-13 x its size: no bar.
        y = np.array([6900.0, 6900.0, 6900.0])
        e = sweep.clean_effects(np.array([-5e-13 * 6900, 12.0]), y)
        self.assertEqual(list(e), [0.0, 12.0])


class Provenance(unittest.TestCase):
    def test_floats_shortest_and_the_same_value(self):
        text = ('share = 0.81699999999999995\nlist = [1.1000000000000001, -3.0, 2.5000000000000001e-05]\n'
                'name = "v 0.10000000000000001"\nday = 2021-04-01\n')
        got = build.shortest_floats(text)
        self.assertEqual(got, 'share = 0.817\nlist = [1.1, -3.0, 2.5e-05]\nname = "v 0.10000000000000001"\n'
                              'day = 2021-04-01\n')
        self.assertEqual(float("0.817"), 0.81699999999999995, "no value changes")

    def test_command_names_the_interpreter_by_its_path(self):
        import importlib.util
        spec = importlib.util.spec_from_file_location("report_cli", REPORT)
        cli = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(cli)
        seen = {}

        def fake(folder, output, policies, variant, slides, argv, *rest):
            seen["argv"] = argv
            raise rd.BadResults("stop")
        cli.build, argv = fake, sys.argv
        sys.argv = ["tools/report.py", "DIR"]
        try:
            with self.assertRaises(SystemExit):
                cli.main()
        finally:
            sys.argv = argv
        self.assertEqual(seen["argv"][0], sys.executable)


if __name__ == "__main__":
    unittest.main()
