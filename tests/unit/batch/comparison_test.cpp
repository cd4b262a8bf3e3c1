#include "sim/batch/comparison.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>

#include "tests/support/tiny_scenario.hpp"

using namespace tsim;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Boost.Math's Student-t quantile agrees with published values to about 5e-11 relative.
constexpr double kTolerance = 1e-9;

model::IndicatorSet set(const std::vector<std::pair<std::string, double>>& values) {
  model::IndicatorSet s;
  for (const auto& [n, v] : values) s.add(n, v);
  return s;
}

const batch::ComparisonRow* row(const std::vector<batch::ComparisonRow>& rows, const std::string& name) {
  for (const auto& r : rows)
    if (r.indicator == name) return &r;
  return nullptr;
}

}  // namespace

// Three replications; the policy inserts a new indicator "x" BEFORE "b", as a
// policy that adds a state does (its headcount rows sit among the others).
// Matching by position would pair "b" with "x"; matching by name does not.
TEST(Comparison, MatchesIndicatorsByNameNotPosition) {
  std::vector<model::IndicatorSet> base, policy;
  const double ba[] = {1, 2, 3}, pa[] = {2, 4, 6}, bb[] = {10, 20, 30}, pb[] = {11, 23, 32};
  for (int r = 0; r < 3; ++r) {
    base.push_back(set({{"a", ba[r]}, {"b", bb[r]}}));
    policy.push_back(set({{"a", pa[r]}, {"x", 100.0 + r}, {"b", pb[r]}}));
  }
  const auto rows = batch::compare_indicators(base, policy);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].indicator, "a");  // baseline order first...
  EXPECT_EQ(rows[1].indicator, "b");
  EXPECT_EQ(rows[2].indicator, "x");  // ...then what only the policy has
  // a: baseline 1,2,3 (mean 2), policy 2,4,6 (mean 4), differences 1,2,3 (mean 2, variance 1).
  EXPECT_DOUBLE_EQ(rows[0].baseline_mean, 2.0);
  EXPECT_DOUBLE_EQ(rows[0].policy_mean, 4.0);
  EXPECT_DOUBLE_EQ(rows[0].difference, 2.0);
  EXPECT_NEAR(rows[0].half_width_paired, 2.4841377118437524, kTolerance);  // t(0.975, 2) / sqrt(3)
  EXPECT_NEAR(rows[0].ci_low, 2.0 - 2.4841377118437524, kTolerance);
  EXPECT_NEAR(rows[0].ci_high, 2.0 + 2.4841377118437524, kTolerance);
  EXPECT_NEAR(rows[0].half_width_unpaired, 5.554700789153415, kTolerance);  // t(0.975, 2) sqrt(1/3 + 4/3)
  EXPECT_EQ(rows[0].replications, 3);
  // b pairs with b: differences 1, 3, 2.
  EXPECT_DOUBLE_EQ(rows[1].difference, 2.0);
  EXPECT_DOUBLE_EQ(rows[1].policy_mean, (11.0 + 23 + 32) / 3);
  // x exists only in the policy: baseline side NaN, nothing paired.
  EXPECT_TRUE(std::isnan(rows[2].baseline_mean));
  EXPECT_DOUBLE_EQ(rows[2].policy_mean, 101.0);
  EXPECT_TRUE(std::isnan(rows[2].difference));
  EXPECT_TRUE(std::isnan(rows[2].ci_low) && std::isnan(rows[2].half_width_unpaired));
  EXPECT_EQ(rows[2].replications, 0);
}

// Undefined values (NaN) drop out of means and pairs; an indicator the
// policy lacks keeps its row with the policy side NaN.
TEST(Comparison, NaNAndMissingIndicators) {
  std::vector<model::IndicatorSet> base{set({{"a", 1}, {"gone", 5}}), set({{"a", kNaN}, {"gone", 7}}),
                                        set({{"a", 3}, {"gone", 9}})};
  std::vector<model::IndicatorSet> policy{set({{"a", 2}}), set({{"a", 5}}), set({{"a", 4}})};
  const auto rows = batch::compare_indicators(base, policy);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_DOUBLE_EQ(row(rows, "a")->baseline_mean, 2.0);
  EXPECT_DOUBLE_EQ(row(rows, "a")->difference, 1.0);  // pairs (1,2) and (3,4)
  EXPECT_EQ(row(rows, "a")->replications, 2);
  EXPECT_DOUBLE_EQ(row(rows, "gone")->baseline_mean, 7.0);
  EXPECT_TRUE(std::isnan(row(rows, "gone")->policy_mean));
  EXPECT_THROW((void)batch::compare_indicators(base, {policy[0]}), std::invalid_argument);
}

// Ratio of mean differences: cost +300, +500 (mean 400) over FTE +2, +2 (mean 2) = 200 per FTE.
// Delta method by hand: dC = (300, 500), dF = (2, 2): Var(dC) = 20,000,
// Cov = 0, Var(dF) = 0; Var(R) = 20,000 / (2 x 4) = 2,500, s.e. 50; t(0.975, 1)
// = 12.706, half-width 635.3.
TEST(Comparison, CostPerAdditionalFte) {
  const std::string cost = "total cost (GBP)", fte = "qualified FTE in post at the horizon";
  std::vector<model::IndicatorSet> base{set({{cost, 1000}, {fte, 10}}), set({{cost, 1000}, {fte, 12}})};
  std::vector<model::IndicatorSet> policy{set({{fte, 12}, {cost, 1300}}), set({{fte, 14}, {cost, 1500}})};
  const auto c = batch::cost_per_additional_fte(base, policy, cost);
  EXPECT_DOUBLE_EQ(c.ratio, 200.0);
  EXPECT_NEAR(c.half_width, 12.7062047 * 50, 1e-3);
  EXPECT_EQ(c.replications, 2);
  output::ComparisonTable table;
  batch::append_policy(table, "p", base, policy);
  ASSERT_EQ(table.size(), 3u);  // two indicators and the cost row
  EXPECT_EQ(table.indicator.back(), "cost per additional qualified FTE in post (GBP)");
  EXPECT_EQ(table.policy.back(), "p");
  EXPECT_DOUBLE_EQ(table.difference.back(), 200.0);
  EXPECT_NEAR(table.ci_high.back() - table.ci_low.back(), 2 * 12.7062047 * 50, 1e-3);
}

// An FTE difference that is not clearly away from 0 gives no interval; no
// costs at all (NaN) give no ratio, never 0.
TEST(Comparison, CostPerFteWithoutAClearEffectOrWithoutCosts) {
  const std::string cost = "total cost (GBP)", fte = "qualified FTE in post at the horizon";
  std::vector<model::IndicatorSet> base{set({{cost, 1000}, {fte, 10}}), set({{cost, 1000}, {fte, 10}})};
  std::vector<model::IndicatorSet> policy{set({{cost, 1100}, {fte, 11}}), set({{cost, 1100}, {fte, 9}})};
  const auto c = batch::cost_per_additional_fte(base, policy, cost);
  EXPECT_TRUE(std::isnan(c.half_width));
  const double nan = std::nan("");
  std::vector<model::IndicatorSet> free_base{set({{cost, nan}, {fte, 10}}), set({{cost, nan}, {fte, 10}})};
  std::vector<model::IndicatorSet> free_policy{set({{cost, nan}, {fte, 12}}), set({{cost, nan}, {fte, 13}})};
  EXPECT_TRUE(std::isnan(batch::cost_per_additional_fte(free_base, free_policy, cost).ratio));
}

TEST(Comparison, PolicySeeds) {
  EXPECT_EQ(batch::policy_seed(7, 0, false), 7u);
  EXPECT_EQ(batch::policy_seed(7, 3, false), 7u);
  EXPECT_EQ(batch::policy_seed(7, 0, true), 1000010u);
  EXPECT_EQ(batch::policy_seed(2147483000u, 1, true), (2147483000ull + 2000006ull) % 2147483648ull);
}

TEST(Comparison, WritesBothFiles) {
  const test::TempDir dir("comparison_files");
  output::ComparisonTable table;
  table.add("a", "p", 1, 2, 1, 0.5, 1.5, 0.5, 0.7, 3);
  const auto files = batch::write_comparison_files(dir.path().string(), table, "tiny", 1, 3, false);
  EXPECT_EQ(files.h5, (dir.path() / "comparison.h5").string());
  EXPECT_TRUE(std::filesystem::exists(files.h5));
  EXPECT_NE(test::slurp(files.txt).find("a "), std::string::npos);
}
