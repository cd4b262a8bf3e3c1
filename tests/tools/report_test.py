"""The report's pieces on hand-worked cases: numbers for people, the census
summed into series, what a policy changed, the policy's own costs and the
tornado's parameter effects, the PSA variance split and readers, and which
swept keys are a policy's own parameters (tools/traineesim_tools/report*,
report_data.py)."""
import os
import sys
import tempfile
import unittest

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from traineesim_tools import analysis  # noqa: E402
from traineesim_tools import report_data as rd  # noqa: E402
from traineesim_tools.report import numbers, policy_info, sweep, uncertainty  # noqa: E402
from traineesim_tools.report import retention, supervision, supply  # noqa: E402


class Numbers(unittest.TestCase):
    def test_money_for_people(self):
        self.assertEqual(numbers.money(83_406_950), "GBP 83.4m")
        self.assertEqual(numbers.money(3_116_614_020), "GBP 3.12bn")
        self.assertEqual(numbers.money(263_379), "GBP 263k")
        self.assertEqual(numbers.money(-1_500, "EUR"), "-EUR 1,500")
        self.assertEqual(numbers.money(float("nan")), "-")

    def test_counts_and_intervals(self):
        self.assertEqual(numbers.count(8413.2), "8,413")
        self.assertEqual(numbers.signed(316.7), "+317")
        self.assertEqual(numbers.share(0.1234), "12.3%")
        self.assertEqual(numbers.interval(11.6, 26.4), "95% interval 12 to 26")
        self.assertEqual(numbers.interval(float("nan"), 1.0), "no interval")


STATES = pd.DataFrame({"code": [0, 1, 2, 3], "name": ["t", "q", "u", "gone"], "profession": ["A", "A", "B", ""],
                       "band": [4, 5, 3, -1], "kind": ["", "", "", "exit"], "qualified": [0, 1, 0, 0],
                       "role": ["trainee", "staff", "staff", "left_nhs"]})


class Series(unittest.TestCase):
    def test_census_summed_by_role_and_profession(self):
        census = pd.DataFrame({"period_end_day": [90.0, 90, 90, 90, 180, 180],
                               "state": ["t", "q", "q", "gone", "q", "u"],  # two rows of q at day 90 (attributes)
                               "headcount": [5, 3, 4, 9, 8, 2], "fte": [5.0, 2.5, 4.0, 9.0, 7.5, 1.0]})
        s = rd.series_of(census, STATES)
        self.assertEqual(list(s.index), [90.0, 180.0])
        self.assertEqual(list(s["qualified staff headcount [all]"]), [7, 8])
        self.assertEqual(list(s["qualified staff FTE [A]"]), [6.5, 7.5])
        self.assertEqual(list(s["trainees headcount [A]"]), [5, 0])
        self.assertEqual(list(s["unqualified staff FTE [B]"]), [0, 1.0])
        self.assertFalse(any("gone" in c or "left" in c for c in s.columns), "exits are in no series")


class Policy(unittest.TestCase):
    def test_changes_against_the_baseline(self):
        base = "[parameters]\na = 1\n[pools.sup]\nslots = 4\n[[modifiers]]\nname = 'old'\nfactor = '2'\n"
        pol = base.replace("a = 1", "a = 1\nb = 0.25").replace("slots = 4", "slots = 4\nextra = 40") + \
            "[[modifiers]]\nname = 'new'\nfactor = '1 - b'\nfrom_date = 2021-04-01\n"
        c = rd.policy_changes(base, pol)
        self.assertEqual(c.parameters, {"b": (None, 0.25)})
        self.assertEqual([m["name"] for m in c.modifiers], ["new"])
        self.assertEqual(c.pools, {"sup": {"extra": 40}})

    def test_policy_text_from_the_manifest(self):
        # compare writes each policy's TOML as applied into the variant folder's
        # manifest ([policy_text], basic strings); a file given with --policy wins.
        manifest = ('schema = "traineesim.manifest"\nschema_version = 1\nscenario_sha256 = "x"\n'
                    'record_level = "census"\nmaster_seed = 1\nreplications = 1\npolicies = ["ladder"]\n\n'
                    '[policy_text]\nladder = "[policy]\\nname = \\"ladder\\"\\ndescription = \\"more posts\\"\\n'
                    'cost_per_year = 5\\n[parameters]\\neffect = 0.25\\n"\n')
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "ladder"))
            os.makedirs(os.path.join(d, "baseline"))
            with open(os.path.join(d, "ladder", "manifest.toml"), "w") as f:
                f.write(manifest)
            results = rd.Results(d, "comparison", {"baseline": {"": [os.path.join(d, "baseline", "run_0.h5")]},
                                                   "ladder": {"": [os.path.join(d, "ladder", "run_0.h5")]}},
                                 "baseline")
            got = rd.policies_in_manifests(results)
            self.assertEqual(got, {"ladder": {"name": "ladder", "description": "more posts", "cost_per_year": 5,
                                              "parameters": {"effect": 0.25}}})
            with open(os.path.join(d, "ladder", "manifest.toml"), "w") as f:
                f.write(manifest.replace("effect = 0.25", "effect = "))  # the text, not the manifest, is bad
            with self.assertRaisesRegex(rd.BadResults, "manifest.toml: policy_text.ladder is not TOML"):
                rd.policies_in_manifests(results)

    def test_policy_text_from_sweep_h5(self):
        import h5py
        with tempfile.TemporaryDirectory() as d:
            results = rd.Results(d, "sweep", {}, "baseline")
            with h5py.File(os.path.join(d, "sweep.h5"), "w") as f:
                f.create_group("runs")
            self.assertEqual(rd.policies_in_manifests(results), {}, "a sweep without policies")
            with h5py.File(os.path.join(d, "sweep.h5"), "w") as f:
                g = f.create_group("policy_texts")
                g["variant"] = [b"a+b", b"a+b"]
                g["policy"] = [b"a", b"b"]
                g["text"] = [b"[policy]\nname = 'a'\ncost_once = 7\n", b"[policy]\nname = 'b'\n[parameters]\nx = 1\n"]
            self.assertEqual(rd.policies_in_manifests(results),
                             {"a": {"name": "a", "cost_once": 7, "parameters": {}},
                              "b": {"name": "b", "parameters": {"x": 1}}})

    def test_own_costs_hand_worked(self):
        # 365 a year from one year after the start to a horizon of two years:
        # one year of spending, 365; discounted at 10% it falls in year 1: 365 / 1.1.
        spec = {"cost_per_year": 365, "cost_once": 100, "effective": "2021-04-01"}
        total, discounted, once, per_year = policy_info.own_costs(spec, 730.0, "2020-04-01", 0.10)
        self.assertAlmostEqual(total, 465.0)
        self.assertAlmostEqual(discounted, 100 / 1.1 + 365 / 1.1)
        self.assertEqual((once, per_year), (100.0, 365.0))


class Tornado(unittest.TestCase):
    def test_effects_are_changes_across_each_range(self):
        # y = 3 + 10 a - 5 b exactly, a over [0, 2] and b over [1, 5]: across
        # their ranges y moves by +20 and -20; a joint fit recovers both.
        a, b = np.meshgrid([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
        x = np.column_stack([a.ravel(), b.ravel()])
        y = 3 + 10 * x[:, 0] - 5 * x[:, 1]
        np.testing.assert_allclose(sweep.effects(y, x), [20.0, -20.0], atol=1e-9)

    def test_too_few_samples_fit_one_parameter_at_a_time(self):
        x = np.array([[0.0, 1.0], [1.0, 0.0]])
        y = np.array([1.0, 3.0])
        np.testing.assert_allclose(sweep.effects(y, x), [2.0, -2.0], atol=1e-9)


PSA_HEADER = "draw,replication,a,baseline_fte,policy_fte,fte_difference,baseline_cost,policy_cost,cost_difference\n"


class Psa(unittest.TestCase):
    def test_variance_split_hand_worked(self):
        # Two draws of two replications: fte 1, 3 | 5, 7. Within-draw variance
        # 2 in each draw, so within = 2; draw means 2 and 6 have variance 8, so
        # between = (2 x 8 - 2) / 2 = 7; share 7 / 9 (as sim/batch/psa.cpp).
        runs = pd.DataFrame({"draw": [0, 0, 1, 1], "fte_difference": [1.0, 3.0, 5.0, 7.0]})
        self.assertAlmostEqual(rd.variance_split(runs, "fte_difference"), 7 / 9)
        # Draw means that differ by less than noise alone would make them: between is 0, not negative.
        runs = pd.DataFrame({"draw": [0, 0, 1, 1], "fte_difference": [0.0, 10.0, 0.0, 10.0]})
        self.assertEqual(rd.variance_split(runs, "fte_difference"), 0.0)
        self.assertTrue(np.isnan(rd.variance_split(runs.iloc[:2], "fte_difference")), "one draw: no split")

    def test_reads_a_psa_folder_and_names_a_bad_file(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "psa_runs.csv"), "w") as f:
                f.write(PSA_HEADER + "0,0,0.5,10,12,2,100,130,30\n0,1,0.5,10,13,3,100,140,40\n"
                        "1,0,0.9,10,16,6,100,150,50\n1,1,0.9,10,18,8,100,170,70\n")
            with open(os.path.join(d, "psa_acceptability.csv"), "w") as f:
                f.write("threshold,probability_cost_effective\n0,0\n10,0.5\n20,1\n")
            with open(os.path.join(d, "psa_summary.txt"), "w") as f:
                f.write("Probabilistic sensitivity analysis: policy 'ladder', 2 draws\n")
            p = rd.read_psa(d)
            self.assertEqual((p.policy, p.parameters, p.draws, p.replications), ("ladder", ["a"], 2, 2))
            # draw means 2.5 and 7: mean 4.75; 2.5-97.5% of two draw means by linear interpolation.
            mean, low, high = uncertainty.psa_interval(p)
            self.assertAlmostEqual(mean, 4.75)
            self.assertAlmostEqual(low, 2.5 + 0.025 * 4.5)
            self.assertAlmostEqual(high, 2.5 + 0.975 * 4.5)
            with open(os.path.join(d, "psa_runs.csv"), "w") as f:
                f.write("draw,replication\n0,0\n")
            with self.assertRaisesRegex(rd.BadResults, "psa_runs.csv: lacks column"):
                rd.read_psa(d)
            with self.assertRaisesRegex(rd.BadResults, "sobol_indices.csv: not found"):
                rd.read_sensitivity(d)
            # A Morris-only folder (sensitivity.py --morris) is enough.
            with open(os.path.join(d, "morris.csv"), "w") as f:
                f.write("output,parameter,mu,mu_star,mu_star_low,mu_star_high,sigma\nfte_difference,a,1,2,1,3,0.5\n")
            s = rd.read_sensitivity(d)
            self.assertEqual((s.sobol, list(s.morris.parameter)), (None, ["a"]))


class SweepIndicators(unittest.TestCase):
    """Per-run indicators of a sweep pair by (sample, replication), never by row order."""

    def results(self):
        rows = [("baseline", 0, 0, 10.0), ("baseline", 0, 1, 20.0), ("baseline", 1, 0, 30.0),
                ("p", 1, 0, 36.0), ("p", 0, 1, 23.0), ("p", 0, 0, 11.0), ("p", 1, 1, 99.0)]  # baseline s1 r1 not done
        ind = pd.DataFrame(rows, columns=["variant", "sample", "replication", "value"]).assign(indicator="x")
        return rd.Results("f", "sweep", {"baseline": {}, "p": {}}, "baseline", sweep={"indicators": ind})

    def test_paired_by_sample_and_replication(self):
        d = rd.sweep_paired_runs(self.results(), "p", "x")
        self.assertEqual(list(d.index), [(0, 0), (0, 1), (1, 0)])
        self.assertEqual(list(d), [1.0, 3.0, 6.0])

    def test_spread_table_hand_worked(self):
        class Ctx:
            results = self.results()
        text = sweep.indicator_spread_table(Ctx, ["x"], lambda x, signed=False: f"{x:+.2f}" if signed else f"{x:.2f}",
                                            "")
        self.assertIn("<td>20.00<br><small>11.00 to 29.00</small></td>", text)  # baseline 10, 20, 30
        self.assertIn("<td>+3.33<br>", text)  # mean of 1, 3, 6


class SweptPolicy(unittest.TestCase):
    def test_only_keys_of_a_policy_in_the_sweep(self):
        params = pd.DataFrame(columns=["policy.career-ladder.ladder_effect", "parameters.early_leaving",
                                       "policy.other.x", "policy.a.b.c"])
        self.assertEqual(uncertainty.policy_keys(params, ["career-ladder", "a.b"]),
                         [("policy.career-ladder.ladder_effect", "career-ladder"), ("policy.a.b.c", "a.b")])


class _Stub:
    """Attributes set from keyword arguments: a stand-in for the report's context pieces."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


class _Charts:
    """Keeps the charts instead of drawing them."""

    def __init__(self):
        self.charts = []

    def html(self, chart):
        self.charts.append(chart)
        return ""


YEAR = 365.2425  # days in the indicators' mean calendar year


def _retention_run():
    """Four people over a 6-year run (days): only the two trainee entrants who
    completed are the retention indicators' population. A completes on day 100
    and leaves 2 years later; B completes on day 0 and stays to the horizon. The
    starting stock (C, qualified before the run, training_day NaN) and a direct
    hire (D, qualified_day set by a backfill route, never trained) are not in it."""
    nan = float("nan")
    persons = pd.DataFrame({
        "person_id": [1, 2, 3, 4], "route": ["emhp", "emhp", "initial_stock", "camhs_backfill"],
        "training_day": [0.0, 0.0, nan, nan], "completed_day": [100.0, 0.0, nan, nan],
        "qualified_day": [100.0, 0.0, 0.0, 30.0],
        "left_after_completing_day": [100.0 + 2 * YEAR, nan, nan, nan],
        "exit_day": [100.0 + 2 * YEAR, nan, 50.0, 40.0]})
    return _Stub(persons=persons, attrs={"horizon_days": 6 * YEAR})


class FreshUserReview(unittest.TestCase):
    def test_retention_population_is_the_indicators(self):
        q = analysis.retention_data(_retention_run())
        self.assertEqual(sorted(q.person_id), [1, 2])
        got = q.set_index("person_id")
        self.assertAlmostEqual(got.years[1], 2.0)
        self.assertAlmostEqual(got.years[2], 6.0)
        self.assertEqual(list(got.left.loc[[1, 2]]), [True, False])

    def test_retention_numbers_under_the_chart_are_the_curve(self):
        run = _retention_run()
        charts = _Charts()
        results = _Stub(variants=["baseline"], comparison=None, kind="run")
        ctx = _Stub(first=run, results=results, runs=lambda v: [run], colour=lambda v: "#000000", charts=charts)
        out = retention.section(ctx)
        # Hand-worked Kaplan-Meier: 2 at risk, one leaves at 2 years -> 1 until 2, 0.5 after.
        self.assertIn("<li>baseline: 100.0% / 50.0% / 50.0%</li>", out)
        (chart,) = charts.charts
        (trace,) = chart.traces
        for t, want in ((1, 1.0), (3, 0.5), (5, 0.5)):
            self.assertAlmostEqual(float(trace.y[list(trace.x).index(t)]), want)
        self.assertIn("2 trainee entrants who completed", chart.caption)
        self.assertIn("not direct hires", chart.caption)

    def test_difference_caption_says_which_random_numbers(self):
        def ctx(attrs, kind="comparison"):
            return _Stub(results=_Stub(kind=kind, comparison_attrs=attrs))
        independent = supply.difference_caption(ctx({"random_numbers": "independent"}))
        self.assertIn("independent random numbers", independent)
        self.assertNotIn("over replications with common random numbers", independent)
        self.assertNotIn("paired interval", independent)
        self.assertIn("paired interval (Student t over replications with common random numbers",
                      supply.difference_caption(ctx({"random_numbers": "common"})))
        self.assertIn("parameter uncertainty", supply.difference_caption(ctx(None, "sweep")))

    def test_labour_pool_is_not_supervision(self):
        # Two census dates; the labour pool has 3 vacancies waiting at the second.
        pools = pd.DataFrame({"period_end_day": [91.0, 91.0, 182.0, 182.0],
                              "pool": ["supervision", "clinician_labour"] * 2,
                              "capacity": [10, 5, 10, 0], "demand": [4, 0, 12, 3], "queue_length": [0, 0, 2, 3]})
        scenario = ("[pools.supervision]\ngranted_event = \"s\"\n\n[pools.clinician_labour]\ncapacity = 5\n"
                    "labour = { inflow_per_year = 1, leaving_per_year = 0.1 }\n")
        run = _Stub(pools=pools, scenario=scenario)
        cmp = pd.DataFrame({"indicator": ["mean wait for clinician_labour (days)", "utilisation of supervision"],
                            "policy": ["p", "p"], "baseline_mean": [16.0, 0.35], "policy_mean": [16.0, 0.34]})
        charts = _Charts()
        ctx = _Stub(results=_Stub(baseline="baseline", variants=["baseline"], comparison=cmp),
                    runs=lambda v: [run], days=[91, 182], dates=list(pd.to_datetime(["2020-04-01", "2020-07-01"])),
                    x_range=None, colour=lambda v: "#000000", charts=charts)
        out = supervision.section(ctx)
        self.assertEqual([c.key for c in charts.charts], ["pool_supervision", "labour_clinician_labour"])
        supervision_part, labour_part = out.split("Labour pools: candidates against vacancies waiting")
        self.assertNotIn("clinician_labour", supervision_part)
        self.assertIn("supervision <b>binds</b> from 01 Jul 2020", supervision_part)
        self.assertIn("utilisation of supervision: 35.0%", supervision_part)
        self.assertIn("clinician_labour <b>runs short</b> from 01 Jul 2020", labour_part)
        self.assertIn("(3 waiting, median run)", labour_part)
        self.assertIn("mean wait for clinician_labour (days): 16.0 days", labour_part)

    def test_route_vacancy_rate_says_trainees_count_in_the_establishment(self):
        scenario = ("[routes.emhp]\nenters = \"emhp_trainee\"\nintake = [ { on = \"01-15\", establishment = 10, "
                    "counts = [\"emhp_trainee\", \"emhp_qualified\"] } ]\n\n[routes.backfill]\nenters = \"vac\"\n"
                    "intake = { on = \"01-15\", establishment = 10, counts = [\"vac\", \"staff\"] }\n")
        states = pd.DataFrame({"name": ["emhp_trainee", "emhp_qualified", "vac", "staff"],
                               "role": ["trainee", "staff", "vacancy", "staff"]})
        run = _Stub(scenario=scenario, states=states)
        self.assertEqual(supply.counted_trainee_states(run, "route emhp"), ["emhp_trainee"])
        self.assertEqual(supply.counted_trainee_states(run, "route backfill"), [])
        self.assertEqual(supply.counted_trainee_states(run, "posts emhp"), [])
        title, caption = supply.vacancy_rate_words("route emhp", ["emhp_trainee"])
        self.assertNotIn("Vacancy rate", title)
        self.assertIn("Not a vacancy rate: the establishment counts trainees (emhp_trainee", caption)
        self.assertEqual(supply.vacancy_rate_words("route backfill", [])[0], "Vacancy rate: route backfill")



class ProfessionTable(unittest.TestCase):
    def test_a_profession_total_follows_its_bands_and_says_so(self):
        from traineesim_tools.report import headline
        groups = ["Registered professional", "Registered professional band 5", "Registered professional band 6",
                  "Pharmacist band 6", "all"]
        self.assertEqual(headline._table_groups(groups),
                         [("Registered professional band 5", "Registered professional band 5"),
                          ("Registered professional band 6", "Registered professional band 6"),
                          ("Registered professional", "Registered professional, all bands (total)"),
                          ("Pharmacist band 6", "Pharmacist band 6"),
                          ("all", "all professions (total)")])
        self.assertEqual(headline._table_groups(["CWP band 5", "all"]),
                         [("CWP band 5", "CWP band 5"), ("all", "all professions (total)")])

    def test_line_styles_name_the_variants_there(self):
        from types import SimpleNamespace
        from traineesim_tools.report import supply
        ctx = lambda v: SimpleNamespace(results=SimpleNamespace(variants=v))  # noqa: E731
        self.assertEqual(supply._line_styles(ctx(["baseline", "a"])), "baseline solid, policies dashed or dotted. ")
        self.assertEqual(supply._line_styles(ctx(["career-ladder"])), "", "a run --policy folder has no baseline")
        self.assertEqual(supply._line_styles(ctx(["a", "b"])), "a solid, b dashed or dotted. ")

if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
