"""The Python loaders on results folders (docs/OUTPUT.md, "Results folders"
and "Dates in the loaders"): load_folder reads a variant folder that holds one
run and refuses one whose run files disagree (with each other or with the
manifest), naming the files; day columns get dates; census cells with nobody
in them are there.

usage: loaders_folder_test.py TRAINEESIM SOURCE_DIR WORK_DIR
"""
import os
import shutil
import subprocess
import sys
import unittest

import h5py
import numpy as np
import pandas as pd

BINARY, SOURCE, WORK = sys.argv[1:4]
sys.path.insert(0, os.path.join(SOURCE, "tools"))
from traineesim_tools import (RunFileError, load_comparison, load_folder, load_results, load_run,  # noqa: E402
                              load_sweep, read_manifest)
from traineesim_tools import load as loader  # noqa: E402

SCENARIO = os.path.join(SOURCE, "scenarios", "cyp_psychological_professions.toml")


def run(out, *args):
    subprocess.run([BINARY, "run", SCENARIO, "-q", "--out", out, *args], check=True, stdout=subprocess.DEVNULL)
    return os.path.join(out, "baseline")


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
SEED4 = run(os.path.join(WORK, "seed4"), "-r", "3", "--seed", "4")
SEED5 = run(os.path.join(WORK, "seed5"), "-r", "2", "--seed", "5")
CENSUS = run(os.path.join(WORK, "census"), "-r", "2", "--seed", "4", "--record", "census")


def folder_like(name, source, replications=None):
    """A copy of a variant folder to spoil (replications: keep only run_0.h5 .. run_<n-1>.h5)."""
    dest = os.path.join(WORK, name, "baseline")
    shutil.rmtree(os.path.dirname(dest), ignore_errors=True)
    shutil.copytree(source, dest)
    if replications is not None:
        for n in os.listdir(dest):
            if n.startswith("run_") and int(n[4:-3]) >= replications:
                os.remove(os.path.join(dest, n))
    return dest


class Folders(unittest.TestCase):
    def refused(self, folder, *expected):
        with self.assertRaises(RunFileError) as raised:
            load_folder(folder)
        message = str(raised.exception)
        self.assertTrue(message.startswith(folder + ": "), message)
        for text in expected:
            self.assertIn(text, message)
        self.assertNotIn("\n", message)

    def test_a_folder_of_one_run_loads(self):
        runs = load_folder(SEED4)
        self.assertEqual([int(r.attrs["replication"]) for r in runs], [0, 1, 2])
        self.assertEqual(read_manifest(SEED4)["master_seed"], 4)
        self.assertEqual(read_manifest(SEED4)["replications"], 3)
        # The same as loading each file on its own.
        pd.testing.assert_frame_equal(runs[1].census, load_run(os.path.join(SEED4, "run_1.h5")).census)

    def test_a_mixed_folder_is_refused(self):
        mixed = folder_like("mixed", SEED4, replications=2)
        os.remove(os.path.join(mixed, "manifest.toml"))  # no manifest: the files must agree among themselves
        shutil.copy(os.path.join(SEED5, "run_1.h5"), os.path.join(mixed, "run_1.h5"))
        self.refused(mixed, "run files of different runs: run_0.h5 has master_seed 4, run_1.h5 has 5")
        levels = folder_like("levels", SEED4, replications=2)
        os.remove(os.path.join(levels, "manifest.toml"))
        shutil.copy(os.path.join(CENSUS, "run_1.h5"), os.path.join(levels, "run_1.h5"))
        self.refused(levels, "run_0.h5 has record_level full, run_1.h5 has census")

    def test_files_that_disagree_with_the_manifest_are_refused(self):
        other = folder_like("other_manifest", SEED5)
        shutil.copy(os.path.join(SEED4, "manifest.toml"), os.path.join(other, "manifest.toml"))
        self.refused(other, "run_0.h5 disagrees with manifest.toml: master_seed 5, the manifest says 4")
        extra = folder_like("extra", SEED4)
        shutil.copy(os.path.join(SEED5, "manifest.toml"), os.path.join(extra, "manifest.toml"))
        self.refused(extra, "disagrees with manifest.toml")
        # A replication beyond the manifest's (a file of the same run left from a longer one).
        longer = folder_like("longer", SEED4, replications=2)
        shutil.copy(os.path.join(SEED4, "run_2.h5"), os.path.join(longer, "run_2.h5"))
        with open(os.path.join(longer, "manifest.toml"), encoding="utf-8") as f:
            text = f.read()
        with open(os.path.join(longer, "manifest.toml"), "w", encoding="utf-8") as f:
            f.write(text.replace("replications = 3", "replications = 2"))
        self.refused(longer, "manifest.toml says 2 replication(s), run_2.h5 is not one of its replications")
        missing = folder_like("missing", SEED4)
        os.remove(os.path.join(missing, "run_1.h5"))
        self.refused(missing, "manifest.toml says 3 replication(s), run_1.h5 is missing")
        twice = folder_like("twice", SEED4, replications=1)
        os.remove(os.path.join(twice, "manifest.toml"))
        shutil.copy(os.path.join(twice, "run_0.h5"), os.path.join(twice, "run_1.h5"))
        self.refused(twice, "run_0.h5 and run_1.h5 are both replication 0")
        broken = folder_like("broken_manifest", SEED4)
        with open(os.path.join(broken, "manifest.toml"), "w", encoding="utf-8") as f:
            f.write("schema = 'traineesim.sweep'\n")
        with self.assertRaises(RunFileError) as raised:
            load_folder(broken)
        self.assertIn("manifest.toml: not a traineesim manifest (schema 'traineesim.sweep')", str(raised.exception))

    def test_a_sweep_folder_is_not_a_run_folder(self):
        sweep = os.path.join(WORK, "sweep")
        subprocess.run([BINARY, "sweep", os.path.join(SOURCE, "scenarios", "sweeps", "small.toml"), "-q",
                        "--out", sweep, "--threads", "2"], check=True, stdout=subprocess.DEVNULL)
        self.refused(os.path.join(sweep, "baseline"), "a sweep's folder, not a run's")
        fake = folder_like("fake_sweep", SEED4)
        open(os.path.join(os.path.dirname(fake), "sweep.h5"), "w").close()
        self.refused(fake, "a sweep's folder, not a run's")
        os.makedirs(os.path.join(WORK, "s_inside", "baseline", "s0"))
        self.refused(os.path.join(WORK, "s_inside", "baseline"), "a sweep's folder, not a run's")


COMPARE = os.path.join(WORK, "compare")
subprocess.run([BINARY, "compare", SCENARIO, "--policy", os.path.join(SOURCE, "scenarios", "policies",
                                                                      "supervisor_training.toml"),
                "-r", "2", "--seed", "4", "-q", "--out", COMPARE], check=True, stdout=subprocess.DEVNULL)


class Tidy(unittest.TestCase):
    def test_comparison_csv_is_the_h5_table(self):
        from_csv = load_comparison(COMPARE)
        from_h5 = load_comparison(os.path.join(COMPARE, "comparison.h5"))
        self.assertEqual(list(from_csv.columns), list(loader.COMPARISON_COLUMNS))
        from_h5 = from_h5[list(loader.COMPARISON_COLUMNS)]
        self.assertGreater(len(from_csv), 20)
        pd.testing.assert_frame_equal(from_csv, from_h5, check_dtype=False)  # int32 in HDF5, int64 from CSV
        self.assertTrue(from_csv.baseline_mean.isna().any())  # cost per additional FTE has no baseline side

    def test_one_long_table_for_a_run_a_comparison_and_a_sweep(self):
        t = load_results(SEED4)
        self.assertEqual(list(t.columns[:9]), ["variant", "sample", "replication", "period", "date", "state",
                                               "profession", "band", "role"])
        self.assertEqual(list(t.columns[-2:]), ["headcount", "fte"])
        r0 = load_run(os.path.join(SEED4, "run_0.h5"))
        self.assertEqual(len(t), 3 * len(r0.census))
        self.assertEqual(int(t[t.replication == 0].headcount.sum()), int(r0.census.headcount.sum()))
        first = t[(t.replication == 0) & (t.period == 0)]
        self.assertEqual(first.state.nunique(), len(r0.dictionaries["states"]))  # zero cells from the start
        self.assertEqual(first.date.iloc[0], r0.census.period_end_date.min())
        both = load_results(COMPARE)
        self.assertEqual(list(both.variant.cat.categories), ["baseline", "supervisor-training"])
        self.assertEqual(both.groupby("variant", observed=True).replication.nunique().tolist(), [2, 2])
        sweep = os.path.join(WORK, "sweep_tidy")
        subprocess.run([BINARY, "sweep", os.path.join(SOURCE, "scenarios", "sweeps", "small.toml"), "-q",
                        "--out", sweep, "--threads", "2"], check=True, stdout=subprocess.DEVNULL)
        swept = load_results(sweep)
        runs = load_sweep(os.path.join(sweep, "sweep.h5"))["runs"]
        self.assertEqual(len(swept.groupby(["variant", "sample", "replication"], observed=True)), len(runs))
        self.assertEqual(sorted(swept["sample"].unique()), sorted(runs["sample"].unique()))
        # A run file swapped for another run's is refused, naming it.
        swapped = os.path.join(WORK, "sweep_swapped")
        shutil.rmtree(swapped, ignore_errors=True)
        shutil.copytree(sweep, swapped)
        shutil.copy(os.path.join(swapped, "baseline", "s0", "run_0.h5"), os.path.join(swapped, "baseline", "s0",
                                                                                      "run_1.h5"))
        with self.assertRaises(RunFileError) as raised:
            load_results(swapped)
        self.assertIn("baseline/s0/run_1.h5 is not the run sweep.h5 lists: replication 0, the index says 1",
                      str(raised.exception))
        r = subprocess.run([BINARY, "export", swapped, "--csv", os.path.join(WORK, "export", "swapped")],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("baseline/s0/run_1.h5 is not the run sweep.h5 lists", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(WORK, "export", "swapped", "results.csv")))
        with self.assertRaises(RunFileError):
            load_results(os.path.join(WORK, "nowhere"))


class SweepIndexAlone(unittest.TestCase):
    """sweep.h5 (schema_version 2) carries each variant's dictionary, every
    done run's census by state and indicators, and the paired rows per
    sample: load_sweep and load_results need no run file."""

    @classmethod
    def setUpClass(cls):
        definition = os.path.join(WORK, "index_alone.toml")
        with open(definition, "w") as f:
            f.write(f'[sweep]\nname = "alone"\nscenario = "{SCENARIO}"\n'
                    f'policies = ["{os.path.join(SOURCE, "scenarios", "policies", "supervisor_training.toml")}"]\n'
                    'replications = 2\nseed = 3\nrecord = "census"\n'
                    '[grid]\n"parameters.training_dropout" = [0.03, 0.08]\n')
        cls.sweep = os.path.join(WORK, "sweep_alone")
        shutil.rmtree(cls.sweep, ignore_errors=True)
        subprocess.run([BINARY, "sweep", definition, "-q", "--out", cls.sweep, "--threads", "2"], check=True,
                       stdout=subprocess.DEVNULL)
        cls.alone = os.path.join(WORK, "sweep_alone_no_runs")
        shutil.rmtree(cls.alone, ignore_errors=True)
        shutil.copytree(cls.sweep, cls.alone)
        removed = 0
        for folder, _, files in os.walk(cls.alone):
            for n in files:
                if n.startswith("run_") and n.endswith(".h5"):
                    os.remove(os.path.join(folder, n))
                    removed += 1
        assert removed == 8, removed

    def test_load_sweep_reads_the_same_tables_without_run_files(self):
        full = load_sweep(os.path.join(self.sweep, "sweep.h5"))
        alone = load_sweep(self.alone)  # the folder, as load_results takes it
        for name in ("runs", "samples", "aggregate", "aggregate_paired", "runs_census", "indicators",
                     "indicators_paired"):
            pd.testing.assert_frame_equal(alone[name], full[name], obj=name)
        self.assertEqual(list(alone["dictionaries"]), ["baseline", "supervisor-training"])
        # Labels: each row's state is a name from its own variant's dictionary, dates beside the days.
        run0 = load_run(os.path.join(self.sweep, "baseline", "s0", "run_0.h5"))
        base = alone["dictionaries"]["baseline"]
        pd.testing.assert_frame_equal(base["states"], run0.dictionaries["states"])
        self.assertEqual(sorted(base["attributes"]), sorted(run0.dictionaries["attributes"]))
        agg = alone["aggregate"]
        self.assertEqual(str(agg.state.dtype), "category")
        self.assertFalse(agg.state.isna().any())
        self.assertEqual(agg.period_end_date.min(), run0.census.period_end_date.min())
        census = alone["runs_census"]
        self.assertEqual(list(census.columns), ["run_index", "period", "period_end_day", "period_end_date", "state",
                                                "profession", "band", "role", "headcount", "fte"])
        # Zero cells: every (run, period, state) of each run's variant.
        periods = census.period.nunique()
        for variant, d in alone["dictionaries"].items():
            runs = alone["runs"][alone["runs"].variant == variant].run_index
            self.assertEqual(int(census.run_index.isin(runs).sum()), len(runs) * periods * len(d["states"]))
        # Indicators: one row per (run, indicator); the paired FTE gain per
        # sample is the mean of the per-run differences.
        ind = alone["indicators"]
        self.assertEqual(sorted(ind.run_index.unique()), sorted(alone["runs"].run_index))
        self.assertIn("qualified FTE in post at the horizon", set(ind.indicator))
        fte = ind[ind.indicator == "qualified FTE in post at the horizon"].set_index(["variant", "sample",
                                                                                        "replication"]).value
        paired = alone["indicators_paired"]
        self.assertEqual(set(paired.variant), {"supervisor-training"})
        for k in (0, 1):
            row = paired[(paired["sample"] == k) & (paired.indicator == "qualified FTE in post at the horizon")]
            self.assertEqual(len(row), 1)
            gain = np.mean([fte[("supervisor-training", k, r)] - fte[("baseline", k, r)] for r in (0, 1)])
            self.assertAlmostEqual(float(row.difference.iloc[0]), gain, places=9)
            self.assertLessEqual(float(row.ci_low.iloc[0]), gain)
        self.assertTrue(paired.indicator.str.startswith("cost per additional qualified FTE").any())

    def test_load_results_without_run_files_sums_the_census_attributes(self):
        with_files = load_results(self.sweep)
        with self.assertWarns(UserWarning) as warned:
            alone = load_results(self.alone)
        self.assertIn("run files not all there", str(warned.warning))
        keys = ["variant", "sample", "replication", "period", "date", "state", "profession", "band", "role"]
        self.assertEqual(list(alone.columns), keys + ["headcount", "fte"])

        def summed(t):
            t = t[keys + ["headcount", "fte"]].copy()
            for col in ("variant", "state", "profession", "role"):
                t[col] = t[col].astype(str)
            return t.groupby(keys, sort=True).sum().reset_index()

        pd.testing.assert_frame_equal(summed(alone), summed(with_files), check_dtype=False, rtol=1e-12)
        self.assertGreater(len(with_files), len(alone))  # the census attributes are summed


class Export(unittest.TestCase):
    """`traineesim export RESULTS --csv DIR` writes what load_results gives."""

    def exported(self, results, name):
        out = os.path.join(WORK, "export", name)
        subprocess.run([BINARY, "export", results, "--csv", out], check=True, stdout=subprocess.DEVNULL)
        return out, pd.read_csv(os.path.join(out, "results.csv"), parse_dates=["date"], keep_default_na=False,
                                dtype={"profession": str})

    def same(self, csv, loaded):
        self.assertEqual(list(csv.columns), list(loaded.columns))
        for col in loaded.columns:
            expected = loaded[col].astype(str) if str(loaded[col].dtype) == "category" else loaded[col]
            np.testing.assert_array_equal(csv[col].to_numpy(), expected.to_numpy(), err_msg=col)

    def test_a_run_folder_a_comparison_and_a_sweep(self):
        _, csv = self.exported(SEED4, "run")
        self.same(csv, load_results(SEED4))
        out, csv = self.exported(COMPARE, "compare")
        self.same(csv, load_results(COMPARE))
        with open(os.path.join(out, "indicators.csv"), "rb") as a, open(os.path.join(COMPARE, "comparison.csv"), "rb") as b:
            self.assertEqual(a.read(), b.read())
        sweep = os.path.join(WORK, "sweep_export")
        subprocess.run([BINARY, "sweep", os.path.join(SOURCE, "scenarios", "sweeps", "small.toml"), "-q",
                        "--out", sweep, "--threads", "2"], check=True, stdout=subprocess.DEVNULL)
        out, csv = self.exported(sweep, "sweep")
        self.same(csv, load_results(sweep))
        self.assertFalse(os.path.exists(os.path.join(out, "indicators.csv")))

    def test_a_folder_that_mixes_runs_is_refused(self):
        mixed = folder_like("export_mixed", SEED4, replications=2)
        shutil.copy(os.path.join(SEED5, "run_1.h5"), os.path.join(mixed, "run_1.h5"))
        r = subprocess.run([BINARY, "export", mixed, "--csv", os.path.join(WORK, "export", "mixed")],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(f"{mixed} does not hold one run: run_1.h5 is another run's file: seed 5, expected 4", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(WORK, "export", "mixed", "results.csv")))


class Dates(unittest.TestCase):
    def test_every_day_column_has_its_date(self):
        r = load_run(os.path.join(SEED4, "run_0.h5"))
        start = np.datetime64(r.attrs["start_date"], "D")
        checked = 0
        for name, df in r.tables.items():
            for col, (role, _) in r.roles[name].items():
                if role != "day":
                    continue
                date_col = "date" if col == "day" else col[:-3] + "date"
                self.assertEqual(list(df.columns).index(date_col), list(df.columns).index(col) + 1)
                self.assertEqual(df[date_col].dtype, np.dtype("datetime64[ns]"))
                days, dates = df[col].to_numpy(), df[date_col].to_numpy()
                self.assertTrue((np.isnan(days) == np.isnat(dates)).all(), f"{name}.{col}: NaN days are NaT")
                known = ~np.isnan(days)
                whole = (dates[known].astype("datetime64[D]") - start).astype(np.int64)
                np.testing.assert_array_equal(whole, np.floor(days[known]).astype(np.int64))
                checked += 1
        self.assertGreaterEqual(checked, 6)  # events.day, census.period_end_day, persons' days
        self.assertTrue(r.persons.exit_date.isna().any() and r.persons.exit_date.notna().any())
        # Stock placed in a qualified state qualified before the run: dates before start_date.
        self.assertTrue((r.persons.qualified_date < pd.Timestamp(str(start))).any())

    def test_dates_of_days(self):
        dates = loader.dates_of_days("2020-04-01", [0.0, 0.99, 1.0, -0.5, float("nan"), 29.0, 1e300])
        self.assertEqual([str(d)[:10] for d in dates.astype("datetime64[D]")],
                         ["2020-04-01", "2020-04-01", "2020-04-02", "2020-03-31", "NaT", "2020-04-30", "NaT"])


class ZeroCells(unittest.TestCase):
    def test_the_writer_writes_every_census_cell(self):
        path = os.path.join(SEED4, "run_0.h5")
        r = load_run(path, labels=False)
        keys = [c for c, (role, d) in r.roles["census"].items() if d]
        cells = r.census.period.nunique()
        for k in keys:
            cells *= r.census[k].nunique() if k != "state" else len(r.dictionaries["states"])
        with h5py.File(path) as f:
            rows = len(f["census/headcount"])
        self.assertEqual(rows, len(r.census))
        self.assertEqual(len(r.census.drop_duplicates(["period", *keys])), len(r.census))
        self.assertGreater((r.census.headcount == 0).sum(), 0)
        first = r.census[r.census.period == 0]
        self.assertEqual(first.state.nunique(), len(r.dictionaries["states"]))  # empty states at the start too

    def test_the_loader_fills_cells_a_file_omits(self):
        path = os.path.join(SEED4, "run_0.h5")
        full = load_run(path, labels=False)
        with h5py.File(path) as f:
            dictionaries = {d: loader._dictionary_labels(f, d)
                            for _, d in full.roles["census"].values() if d}
        thinned = loader.Run(attrs=full.attrs, scenario=full.scenario, roles=full.roles,
                             tables={"census": full.census[full.census.headcount > 0]
                                     .drop(columns="period_end_date").reset_index(drop=True)})
        self.assertLess(len(thinned.census), len(full.census))
        loader._complete_census(thinned, dictionaries)
        order = ["period", *[c for c, (_, d) in full.roles["census"].items() if d]]
        expected = full.census.drop(columns="period_end_date").sort_values(order).reset_index(drop=True)
        pd.testing.assert_frame_equal(thinned.census.sort_values(order).reset_index(drop=True), expected)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
