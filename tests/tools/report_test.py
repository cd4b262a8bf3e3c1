"""The report's pieces on hand-worked cases: numbers for people, the census
summed into series, what a policy changed, the policy's own costs and the
tornado's parameter effects (tools/traineesim_tools/report*, report_data.py)."""
import os
import sys
import unittest

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from traineesim_tools import report_data as rd  # noqa: E402
from traineesim_tools.report import numbers, policy_info, sweep  # noqa: E402


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


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
