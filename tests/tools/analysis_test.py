"""Hand-worked checks of the analysis functions (tools/traineesim_tools/analysis.py).

Each expected value is worked out in the comments from the definitions, not
from the code under test.
"""
import os
import sys
import types
import unittest

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from traineesim_tools import analysis  # noqa: E402


class KaplanMeier(unittest.TestCase):
    def test_hand_worked_example_with_censoring(self):
        # Times 2 3 3+ 5 6+ 7 8+ (+ = censored). Risk sets and survival:
        #   t=2: 7 at risk, 1 event -> S = 6/7
        #   t=3: 6 at risk (the one censored at 3 is still at risk), 1 event -> S = 6/7 * 5/6 = 5/7
        #   t=5: 4 at risk (5, 6, 7, 8), 1 event -> S = 5/7 * 3/4 = 15/28
        #   t=7: 2 at risk, 1 event -> S = 15/56
        km = analysis.kaplan_meier([2, 3, 3, 5, 6, 7, 8], [1, 1, 0, 1, 0, 1, 0])
        self.assertEqual(list(km.time), [2, 3, 5, 7])
        self.assertEqual(list(km.at_risk), [7, 6, 4, 2])
        np.testing.assert_allclose(km.survival, [6 / 7, 5 / 7, 15 / 28, 15 / 56], rtol=1e-12)
        # Greenwood at t=5: S^2 * (1/(7*6) + 1/(6*5) + 1/(4*3)) = (15/28)^2 * 0.1404762
        np.testing.assert_allclose(km.se[2], 15 / 28 * np.sqrt(1 / 42 + 1 / 30 + 1 / 12), rtol=1e-12)
        self.assertAlmostEqual(analysis.survival_at(km, 4.9), 5 / 7, places=14)
        self.assertEqual(analysis.survival_at(km, 1.0), 1.0)

    def test_no_events_means_full_survival(self):
        km = analysis.kaplan_meier([1, 2, 3], [0, 0, 0])
        self.assertTrue(km.empty)
        self.assertEqual(analysis.survival_at(km, 10), 1.0)


class AalenJohansen(unittest.TestCase):
    def test_two_causes(self):
        # t=1: 4 at risk, cause A -> CIF_A = 1 * 1/4; S = 3/4
        # t=2: 3 at risk, cause B -> CIF_B = 3/4 * 1/3 = 1/4; S = 1/2
        # t=3: censored.  t=4: 1 at risk, cause A -> CIF_A = 1/4 + 1/2 * 1 = 3/4
        cif = analysis.aalen_johansen([1, 2, 3, 4], ["A", "B", None, "A"])
        self.assertAlmostEqual(cif.loc[1, "A"], 0.25)
        self.assertAlmostEqual(cif.loc[2, "B"], 0.25)
        self.assertAlmostEqual(cif.loc[4, "A"], 0.75)
        self.assertAlmostEqual(cif.loc[4, "A"] + cif.loc[4, "B"], 1.0)


class Diversity(unittest.TestCase):
    def test_relative_likelihood(self):
        # B: 20 of 80 qualify, W (reference): 50 of 100. RR = 0.25 / 0.5 = 0.5;
        # se(log RR) = sqrt(1/20 - 1/80 + 1/50 - 1/100) = sqrt(0.0475).
        rl = analysis.relative_likelihood(pd.Series({"W": 50, "B": 20}), pd.Series({"W": 100, "B": 80}), "W")
        self.assertAlmostEqual(rl.loc["W", "relative_likelihood"], 1.0)
        self.assertAlmostEqual(rl.loc["B", "relative_likelihood"], 0.5)
        se = np.sqrt(0.0475)
        self.assertAlmostEqual(rl.loc["B", "ci_low"], 0.5 * np.exp(-1.96 * se))
        self.assertAlmostEqual(rl.loc["B", "ci_high"], 0.5 * np.exp(1.96 * se))

    def test_shares_by_stage(self):
        # 4 entrants (A A B B), 3 qualify (A A B), 2 still in post (A B); one
        # initial-stock person (A, in post) counts only for "in post".
        persons = pd.DataFrame({
            "route": ["r", "r", "r", "r", "initial_stock"],
            "eth": pd.Categorical(["A", "A", "B", "B", "A"], categories=["A", "B"]),
            "qualified_day": [10, 20, 30, np.nan, -5],
            "exit_day": [np.nan, 100, np.nan, 50, np.nan],
        })
        run = types.SimpleNamespace(
            persons=persons,
            dictionaries={"attributes": {"eth": pd.DataFrame({"code": [0, 1], "label": ["A", "B"], "population": [0.8, 0.2]})}})
        s = analysis.shares_by_stage(run, "eth")
        self.assertAlmostEqual(s.loc["A", "entrants"], 0.5)
        self.assertAlmostEqual(s.loc["A", "qualified"], 2 / 3)
        self.assertAlmostEqual(s.loc["B", "in post at horizon"], 1 / 3)   # A (route), B, A (stock)
        self.assertAlmostEqual(s.loc["A", "population"], 0.8)


if __name__ == "__main__":
    unittest.main()
