"""The Sobol estimators of tools/traineesim_tools/sensitivity.py against
closed forms: the Ishigami function and a linear model. Seeds are fixed, so
each check passes or fails the same way every time; the claim checked is the
one a user relies on: the closed-form index lies inside the reported
bootstrap interval."""
import math
import os
import sys
import unittest

import numpy as np
import openturns as ot
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from traineesim_tools import sensitivity, uncertainty_plots  # noqa: E402


def indices_of(names, dist, f, size, seed, estimator="martinez"):
    x = sensitivity.sobol_design(names, dist, size, seed)
    y = pd.DataFrame({"y": f(x.to_numpy())})
    return sensitivity.sobol_indices(x, y, size, bootstrap=300, confidence=0.99, seed=seed, estimator=estimator)


class Ishigami(unittest.TestCase):
    def test_closed_form_indices_lie_in_the_bootstrap_intervals(self):
        names = ["x1", "x2", "x3"]
        dist = ot.ComposedDistribution([ot.Uniform(-math.pi, math.pi)] * 3)
        # N = 20000 (100,000 evaluations): the 99% intervals are about +/- 0.02 wide.
        got = indices_of(names, dist, sensitivity.ishigami, 20000, seed=3)
        first, total = sensitivity.ishigami_indices()
        # Worked values (a = 7, b = 0.1): S1 = 0.3139, S2 = 0.4424, S3 = 0; ST1 = 0.5576, ST3 = 0.2437.
        np.testing.assert_allclose(first, [0.3139, 0.4424, 0.0], atol=1e-4)
        np.testing.assert_allclose(total, [0.5576, 0.4424, 0.2437], atol=1e-4)
        for j, row in got.iterrows():
            self.assertLessEqual(row.first_low, first[j], row.to_dict())
            self.assertGreaterEqual(row.first_high, first[j], row.to_dict())
            self.assertLessEqual(row.total_low, total[j], row.to_dict())
            self.assertGreaterEqual(row.total_high, total[j], row.to_dict())
            self.assertLess(row.total_high - row.total_low, 0.1)  # informative, not vacuous


    def test_every_estimator_brackets_the_closed_form(self):
        # The other OpenTURNS estimators the tool offers, on the same check at N = 10000.
        names = ["x1", "x2", "x3"]
        dist = ot.ComposedDistribution([ot.Uniform(-math.pi, math.pi)] * 3)
        first, total = sensitivity.ishigami_indices()
        for estimator in ("saltelli", "jansen", "mauntz-kucherenko"):
            got = indices_of(names, dist, sensitivity.ishigami, 10000, seed=3, estimator=estimator)
            for j, row in got.iterrows():
                self.assertTrue(row.first_low <= first[j] <= row.first_high, (estimator, row.to_dict()))
                self.assertTrue(row.total_low <= total[j] <= row.total_high, (estimator, row.to_dict()))


class Linear(unittest.TestCase):
    def test_additive_model_has_first_equal_total_equal_share_of_variance(self):
        # Y = 1 X1 + 2 X2 + 3 X3 with X_i ~ N(0, 1): S_i = ST_i = a_i^2 / 14 = 1/14, 4/14, 9/14.
        names = ["a", "b", "c"]
        dist = ot.ComposedDistribution([ot.Normal(0, 1)] * 3)
        got = indices_of(names, dist, lambda x: x @ np.array([1.0, 2.0, 3.0]), 5000, seed=5)
        want = np.array([1, 4, 9]) / 14
        for j, row in got.iterrows():
            self.assertTrue(row.first_low <= want[j] <= row.first_high, row.to_dict())
            self.assertTrue(row.total_low <= want[j] <= row.total_high, row.to_dict())


class Tornado(unittest.TestCase):
    def test_swings_are_sorted_and_come_from_the_quantiles(self):
        names = ["a", "b"]
        dist = ot.ComposedDistribution([ot.Uniform(0, 1), ot.Uniform(0, 10)])
        design = sensitivity.tornado_design(names, dist)
        # Rows: medians (0.5, 5), a at 5% and 95% (0.05, 0.95), b at 5% and 95% (0.5, 9.5).
        np.testing.assert_allclose(design.to_numpy(), [[0.5, 5], [0.05, 5], [0.95, 5], [0.5, 0.5], [0.5, 9.5]])
        y = pd.DataFrame({"y": design.a + design.b})
        t = sensitivity.tornado(names, design, y)
        self.assertEqual(list(t.parameter), ["b", "a"])  # b swings 9, a 0.9
        np.testing.assert_allclose(t.swing, [9.0, 0.9])

    def test_the_chart_draws_one_bar_pair_per_parameter_smallest_swing_first(self):
        import tempfile
        names = ["a", "b"]
        dist = ot.ComposedDistribution([ot.Uniform(0, 1), ot.Uniform(0, 10)])
        design = sensitivity.tornado_design(names, dist)
        t = sensitivity.tornado(names, design, pd.DataFrame({"fte_difference": design.a + design.b}))
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "tornado.csv")
            t.to_csv(path, index=False)
            fig, drawn = uncertainty_plots.plot_tornado(path)
        self.assertEqual(list(drawn.parameter), ["a", "b"])  # barh draws bottom-up: the largest swing on top
        self.assertEqual(len(fig.axes[0].patches), 4)


class Morris(unittest.TestCase):
    """Morris screening against closed forms: a linear model's elementary
    effects are its slopes on the probability scale, exactly, with sigma 0;
    an inert parameter has mu* = 0; a product has sigma > 0."""

    names = ["a", "b", "c", "inert"]
    dist = ot.ComposedDistribution([ot.Uniform(0, 1), ot.Uniform(0, 2), ot.Uniform(-1, 1), ot.Uniform(0, 1)])

    def effects(self, f, r=20):
        design, steps = sensitivity.morris_design(self.names, self.dist, r, seed=7)
        self.assertEqual(len(design), r * (len(self.names) + 1))
        y = pd.DataFrame({"y": f(design.to_numpy())})
        return sensitivity.morris_effects(self.names, steps, y, seed=7).set_index("parameter")

    def test_linear_model_gives_its_slopes_exactly(self):
        # y = 3a - 2b + 0.5c. u -> quantile at 0.01 + 0.98u, so dx/du = 0.98 x width:
        # EE_a = 3 x 0.98 x 1, EE_b = -2 x 0.98 x 2, EE_c = 0.5 x 0.98 x 2, EE_inert = 0.
        m = self.effects(lambda x: 3 * x[:, 0] - 2 * x[:, 1] + 0.5 * x[:, 2])
        for p, ee in {"a": 2.94, "b": -3.92, "c": 0.98, "inert": 0.0}.items():
            self.assertAlmostEqual(m.loc[p, "mu"], ee, places=9)
            self.assertAlmostEqual(m.loc[p, "mu_star"], abs(ee), places=9)
            self.assertAlmostEqual(m.loc[p, "sigma"], 0.0, places=9)
        self.assertEqual(list(m.index[:2]), ["b", "a"])  # ranked by mu*

    def test_interaction_shows_as_spread(self):
        m = self.effects(lambda x: x[:, 0] * x[:, 1])
        self.assertGreater(m.loc["a", "sigma"], 0.1)
        self.assertGreater(m.loc["b", "sigma"], 0.1)
        self.assertEqual(m.loc["inert", "mu_star"], 0.0)
        self.assertEqual(m.loc["c", "mu_star"], 0.0)
        self.assertLessEqual(m.loc["a", "mu_star_low"], m.loc["a", "mu_star"])
        self.assertGreaterEqual(m.loc["a", "mu_star_high"], m.loc["a", "mu_star"])

    def test_design_stays_on_the_grid_and_in_range(self):
        design, steps = sensitivity.morris_design(self.names, self.dist, 10, seed=3)
        self.assertTrue(((design["a"] >= 0.01 - 1e-12) & (design["a"] <= 0.99 + 1e-12)).all())
        for moves in steps:
            self.assertEqual(sorted(j for j, _ in moves), [0, 1, 2, 3])  # each parameter moves once


if __name__ == "__main__":
    unittest.main()
