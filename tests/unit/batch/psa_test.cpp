#include "sim/batch/psa.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/batch/run_one.hpp"
#include "sim/model/indicators.hpp"
#include "tests/support/tiny_scenario.hpp"

using namespace tsim;

namespace {

scenario::UncertainParameter param(const std::string& d, std::vector<double> args) {
  scenario::UncertainParameter p;
  p.name = "x";
  p.distribution = d;
  p.args = std::move(args);
  return p;
}

// The tiny scenario with an uncertain leaving rate, and a policy with an
// uncertain effect of its own.
std::string uncertain_tiny() {
  std::string s = test::kTinyScenario;
  s.replace(s.find("hazard = { per_year = 0.2 }"), 27, "hazard = { per_year = \"leave\" }");
  s.replace(s.find("cohort = 150"), 12, "cohort = 150\nleave = 0.2");
  return s + R"toml(
[uncertain.leave]
distribution = "uniform"
low = 0.1
high = 0.3
source = "[X]"
)toml";
}

constexpr const char* kEffectPolicy = R"toml([policy]
name = "retention"
cost_per_year = 100000
[parameters]
effect = 0.25
[uncertain.effect]
distribution = "uniform"
low = 0.0
high = 0.5
source = "[X]"
[[modifiers]]
from = ["post"]
to = ["left"]
factor = "1 - effect"
)toml";

}  // namespace

// Quantiles against closed forms (Boost.Math computes them; these pin that
// each distribution gets its keys in the documented order).
TEST(Psa, QuantilesMatchClosedForms) {
  EXPECT_DOUBLE_EQ(batch::uncertain_quantile(param("uniform", {2, 4}), 0.25), 2.5);
  EXPECT_NEAR(batch::uncertain_quantile(param("triangular", {0, 1, 2}), 0.5), 1.0, 1e-12);
  // Triangular(0, 0, 1): F(x) = 1 - (1 - x)^2, so q(u) = 1 - sqrt(1 - u).
  EXPECT_NEAR(batch::uncertain_quantile(param("triangular", {0, 0, 1}), 0.75), 0.5, 1e-12);
  EXPECT_NEAR(batch::uncertain_quantile(param("normal", {10, 2}), 0.975), 10 + 2 * 1.959963984540054, 1e-9);
  EXPECT_NEAR(batch::uncertain_quantile(param("lognormal", {3, 2}), 0.5), 3.0, 1e-12);
  EXPECT_NEAR(batch::uncertain_quantile(param("lognormal", {3, 2}), 0.975), 3 * std::pow(2.0, 1.959963984540054), 1e-9);
  EXPECT_NEAR(batch::uncertain_quantile(param("beta", {2, 2, 10, 20}), 0.5), 15.0, 1e-12);
  // Gamma(1, 2) is exponential with mean 2: q(u) = -2 ln(1 - u).
  EXPECT_NEAR(batch::uncertain_quantile(param("gamma", {1, 2}), 0.3), -2 * std::log(0.7), 1e-12);
  EXPECT_THROW((void)batch::uncertain_quantile(param("cauchy", {0, 1}), 0.5), std::invalid_argument);
}

// A Latin hypercube puts exactly one draw in each of the n equal-probability strata of every parameter.
TEST(Psa, DrawsAreOnePerStratum) {
  const std::size_t n = 50;
  const auto draws = batch::draw_parameters({param("uniform", {0, 1}), param("gamma", {1, 1})}, n, 7);
  ASSERT_EQ(draws.size(), n);
  for (std::size_t j = 0; j < 2; ++j) {
    std::vector<int> seen(n, 0);
    for (const auto& d : draws) {
      const double u = j == 0 ? d[0] : 1 - std::exp(-d[1]);  // back to the probability scale
      ++seen[std::min(n - 1, static_cast<std::size_t>(u * static_cast<double>(n)))];
    }
    EXPECT_TRUE(std::all_of(seen.begin(), seen.end(), [](int c) { return c == 1; }));
  }
  EXPECT_EQ(draws, batch::draw_parameters({param("uniform", {0, 1}), param("gamma", {1, 1})}, n, 7));
}

// The ANOVA split on numbers worked by hand: draws (1, 3), (5, 7), (9, 11).
// Within-draw variances are 2 each; the draw means 2, 6, 10 have variance 16,
// so MSB = 2 x 16 = 32 and between = (32 - 2) / 2 = 15.
TEST(Psa, VarianceSplitByHand) {
  const auto v = batch::split_variance({1, 3, 5, 7, 9, 11}, 3, 2);
  EXPECT_DOUBLE_EQ(v.mean, 6);
  EXPECT_DOUBLE_EQ(v.within, 2);
  EXPECT_DOUBLE_EQ(v.between, 15);
  EXPECT_DOUBLE_EQ(v.parameter_share(), 15.0 / 17.0);
  // Draw means that differ less than noise alone would make them: between is 0, not negative.
  EXPECT_DOUBLE_EQ(batch::split_variance({0, 10, 10, 0}, 2, 2).between, 0);
}

// Acceptability by hand: draw 0 buys 10 FTE for 100 (10 each), draw 1 buys
// 10 FTE for 300 (30 each), draw 2 loses 5 FTE and costs 50 (never acceptable).
TEST(Psa, AcceptabilityByHand) {
  batch::PsaResult r;
  r.replications = 1;
  r.draws = {{0}, {0}, {0}};
  r.runs = {{0, 0, 0, 10, 0, 100}, {1, 0, 0, 10, 0, 300}, {2, 0, 5, 0, 0, 50}};
  EXPECT_EQ(batch::acceptability(r, {5, 20, 40}), (std::vector<double>{0, 1.0 / 3, 2.0 / 3}));
}

// Each paired run is the run a plain load with the draw's values gives, on
// stream key draw x R + replication, for both sides; the baseline never sees
// the policy's own parameter.
TEST(Psa, RunsAreThePairedRunsOfEachDraw) {
  const test::TempDir dir("psa_runs");
  const auto scen = dir.write("tiny.toml", uncertain_tiny());
  const auto pol = dir.write("retention.toml", kEffectPolicy);
  batch::PsaSettings s;
  s.draws = 3;
  s.replications = 2;
  s.seed = 4;
  s.threads = 2;
  const auto r = batch::run_psa(scen, pol, {}, s);
  ASSERT_EQ(r.parameters.size(), 2u);
  // One [uncertain] table after the merge, in name order: the policy's "effect", the scenario's "leave".
  EXPECT_EQ(r.parameters[0].name, "effect");
  EXPECT_EQ(r.parameters[1].name, "leave");
  ASSERT_EQ(r.runs.size(), 6u);
  EXPECT_NE(r.cost_indicator.find("total cost, discounted"), std::string::npos);
  const std::size_t d = 2, rep = 1;
  const auto& run = r.runs[d * 2 + rep];
  EXPECT_EQ(run.draw, d);
  EXPECT_EQ(run.replication, rep);
  auto fte = [&](const std::vector<scenario::Override>& o, const std::vector<std::string>& p) {
    const auto l = scenario::load_scenario_file(scen, o, p);
    batch::RunRequest q;
    q.master_seed = 4;
    q.replication = static_cast<std::uint32_t>(d * 2 + rep);
    q.record_level = model::RecordLevel::census;
    model::IndicatorCollector c(l.spec, nullptr);
    return c.compute(batch::run_one(l, q, c)).value("qualified FTE in post at the horizon");
  };
  auto set = [](const char* key, double v) {
    char text[64];
    std::snprintf(text, sizeof text, "parameters.%s=%.17g", key, v);
    return std::string(text);
  };
  const std::string effect = set("effect", r.draws[d][0]);
  const std::string leave = set("leave", r.draws[d][1]);
  EXPECT_EQ(run.baseline_fte, fte({{leave}}, {}));
  EXPECT_EQ(run.policy_fte, fte({{leave}, {effect}}, {pol}));
  // Cutting leaving adds staff in post, in every draw with a positive effect.
  for (const auto& x : r.runs) EXPECT_GE(x.fte_difference(), 0) << x.draw;
}

// With same_keys every draw's replication r uses stream key r: two draws with
// equal parameter values then give equal runs (shared noise).
TEST(Psa, SameKeysShareTheNoiseAcrossDraws) {
  const test::TempDir dir("psa_same_keys");
  const auto scen = dir.write("tiny.toml", uncertain_tiny());
  const auto pol = dir.write("retention.toml", kEffectPolicy);
  batch::PsaSettings s;
  s.replications = 2;
  s.design = {{"leave", "effect"}, {{0.2, 0.1}, {0.2, 0.1}}};
  s.same_keys = true;
  auto r = batch::run_psa(scen, pol, {}, s);
  ASSERT_EQ(r.runs.size(), 4u);
  EXPECT_EQ(r.runs[0].baseline_fte, r.runs[2].baseline_fte);
  EXPECT_EQ(r.runs[1].policy_fte, r.runs[3].policy_fte);
  s.same_keys = false;  // independent keys: the same values give other runs
  r = batch::run_psa(scen, pol, {}, s);
  EXPECT_NE(r.runs[0].baseline_fte, r.runs[2].baseline_fte);
}
