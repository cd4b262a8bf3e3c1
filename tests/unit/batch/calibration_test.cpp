#include "sim/batch/calibration.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <array>
#include <cstdio>

#include "tests/support/tiny_scenario.hpp"

using namespace tsim;

namespace {

// The tiny scenario with two parameters to fit: leaving from posts and
// dropping out of training (a hazard competing with qualifying at 1 year).
std::string two_parameter_tiny() {
  std::string s = test::kTinyScenario;
  s.replace(s.find("hazard = { per_year = 0.2 }"), 27, "hazard = { per_year = \"leave\" }");
  s.replace(s.find("cohort = 150"), 12, "cohort = 1500\nleave = 0.2\ndropout = 0.1");  // 1,500 a year: a sharp test
  return s + R"toml(
[[transitions]]
from = "trainee"
hazard = { per_year = "dropout" }
to = "left"
)toml";
}

const std::vector<std::string> kIndicators = {
    "staff headcount [CWP band 5] on 2021-03-31", "staff headcount [CWP band 5] on 2022-03-31",
    "staff headcount [CWP band 5] on 2023-03-31", "trainees [CWP band 4] on 2020-12-31",
    "trainees [CWP band 4] on 2021-12-31"};

scenario::CalibrationSpec spec_for(const std::string& scenario, std::uint32_t seed, long long reps) {
  scenario::CalibrationSpec s;
  s.name = "recovery";
  s.scenario_path = scenario;
  s.seed = seed;
  s.replications = reps;
  s.max_evaluations = 150;
  s.plausible_samples = 40;
  s.free = {{"leave", 0.05, 0.5, 0.35, false, {}}, {"dropout", 0.0, 0.4, 0.25, false, {}}};
  for (const auto& name : kIndicators) s.targets.push_back({name, 0, 1, "[X]", {}});
  return s;
}

// "fitted +/- tolerance", recorded in the test's XML output.
std::string fmt_fit(double value, double tolerance) {
  char text[64];
  std::snprintf(text, sizeof text, "%.5f +/- %.5f", value, tolerance);
  return text;
}

}  // namespace

// Required: data simulated from known parameters (leave 0.2, dropout 0.1) on
// other random numbers (seed 99, 20 replications) are fitted back (seed 1, 8
// replications) within a tolerance derived from the model itself.
//
// Tolerance: linearise the simulated means m(theta) ~ m0 + J (theta - theta0)
// at the truth (J by central differences, step 0.02, on common random
// numbers). Weighted least squares with weights 1 / sd_i^2 has
// Cov(theta_hat) = A^-1 J' W S W J A^-1, A = J' W J, where S is the noise of
// (observed mean - simulated mean): diag(noise_i^2 (1/20 + 1/8)), noise_i the
// run-to-run sd of target i. The fit must land within 4 standard errors of
// the truth in each coordinate (a normal tail of 6e-5), plus the optimiser's
// own tolerance (1e-4 of each range).
TEST(Calibration, RecoversKnownParametersWithinTheirDerivedStandardErrors) {
  const test::TempDir dir("calibration_recovery");
  const auto scen = dir.write("tiny.toml", two_parameter_tiny());
  const std::vector<double> truth{0.2, 0.1};
  const batch::CalibrationModel observer(spec_for(scen, 99, 20), 2);
  const auto observed = observer.simulate(truth);
  auto spec = spec_for(scen, 1, 8);
  for (std::size_t i = 0; i < observed.size(); ++i) {
    spec.targets[i].value = observed[i].mean;
    spec.targets[i].sd = std::max(1.0, observed[i].sd);  // a headcount's run-to-run noise, at least one person
  }
  const batch::CalibrationModel model(spec, 2);
  const auto fit = batch::fit_bobyqa(model);

  // The derived standard errors.
  const auto at_truth = model.simulate(truth);
  const std::size_t n = kIndicators.size();
  std::vector<std::array<double, 2>> jac(n);
  for (std::size_t j = 0; j < 2; ++j) {
    auto up = truth, down = truth;
    up[j] += 0.02;
    down[j] -= 0.02;
    const auto a = model.simulate(up), b = model.simulate(down);
    for (std::size_t i = 0; i < n; ++i) jac[i][j] = (a[i].mean - b[i].mean) / 0.04;
  }
  double A[2][2] = {{0, 0}, {0, 0}}, B[2][2] = {{0, 0}, {0, 0}};
  for (std::size_t i = 0; i < n; ++i) {
    const double w = 1 / (spec.targets[i].sd * spec.targets[i].sd);
    const double s2 = at_truth[i].sd * at_truth[i].sd * (1.0 / 20 + 1.0 / 8);
    for (int p = 0; p < 2; ++p)
      for (int q = 0; q < 2; ++q) {
        A[p][q] += jac[i][p] * w * jac[i][q];
        B[p][q] += jac[i][p] * w * s2 * w * jac[i][q];
      }
  }
  const double det = A[0][0] * A[1][1] - A[0][1] * A[1][0];
  ASSERT_GT(std::fabs(det), 0) << "the targets must identify both parameters";
  const double Ai[2][2] = {{A[1][1] / det, -A[0][1] / det}, {-A[1][0] / det, A[0][0] / det}};
  for (int j = 0; j < 2; ++j) {
    double var = 0;
    for (int p = 0; p < 2; ++p)
      for (int q = 0; q < 2; ++q) var += Ai[j][p] * B[p][q] * Ai[q][j];
    const double range = spec.free[j].high - spec.free[j].low;
    const double tolerance = 4 * std::sqrt(var) + 1e-4 * range;
    EXPECT_NEAR(fit.values[j], truth[j], tolerance) << spec.free[j].name << " (se " << std::sqrt(var) << ")";
    EXPECT_LT(tolerance, 0.25 * truth[j]) << "the test would be too weak to mean anything";
    RecordProperty(spec.free[j].name, fmt_fit(fit.values[j], tolerance));
  }
  EXPECT_LT(fit.objective, model.objective({0.35, 0.25}));

  // History matching keeps the truth's neighbourhood: the plausible ranges contain the fit.
  const auto ranges = batch::history_match(model);
  ASSERT_GT(ranges.plausible, 0u);
  for (std::size_t j = 0; j < 2; ++j) {
    EXPECT_LE(ranges.low[j], fit.values[j] + 0.05);
    EXPECT_GE(ranges.high[j], fit.values[j] - 0.05);
    EXPECT_LT(ranges.high[j] - ranges.low[j], spec.free[j].high - spec.free[j].low);  // it rules something out
  }
}

TEST(Calibration, ATargetNamingNoIndicatorIsPlaced) {
  const test::TempDir dir("calibration_bad_target");
  const auto scen = dir.write("tiny.toml", two_parameter_tiny());
  auto spec = spec_for(scen, 1, 2);
  spec.targets[0].indicator = "staff headcount [CWP band 5] on 2021-03-30";
  spec.targets[0].where = {"cal.toml", 7, 1};
  const batch::CalibrationModel model(spec, 1);
  try {
    (void)model.simulate({0.2, 0.1});
    FAIL() << "expected an error";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cal.toml:7:1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("did you mean 'staff headcount [CWP band 5] on 2021-03-31'"), std::string::npos)
        << e.what();
  }
}
