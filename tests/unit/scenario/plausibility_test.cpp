// Plausibility warnings: legal values that are probably a mistake are
// reported with their location, and the scenario still loads.
#include <gtest/gtest.h>

#include "tests/support/pipeline_text.hpp"
#include "tests/support/scenario_text.hpp"

using namespace tsim;

namespace {

// The warnings of a load that must succeed, as "file:line:column: message".
std::vector<std::string> warnings(const std::string& text) {
  const auto l = test::load(text);  // throws (fails the test) if it does not load
  std::vector<std::string> out;
  for (const auto& w : l.warnings) out.push_back(w.where.str() + ": " + w.message);
  return out;
}

}  // namespace

TEST(Plausibility, TheBaseScenarioHasNoWarnings) { EXPECT_TRUE(warnings(test::kPipelineText).empty()); }

// 2.5 per year: 92% of staff gone within a year, most likely a share meant.
TEST(Plausibility, WarnsOfAStaffLeavingHazardAboveTwoPerYear) {
  const auto w = warnings(test::replaced(test::kPipelineText, "per_year = 0.1", "per_year = 2.5"));
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].rfind("test.toml:21:10: transitions.1: staff in 'staff' leave at 2.5 per year, so 92% of them", 0), 0u)
      << w[0];
  EXPECT_NE(w[0].find("annual_share = 2.5"), std::string::npos) << w[0];
  // Just below the threshold (2 per year), and the same rate for trainees, are not warned about.
  EXPECT_TRUE(warnings(test::replaced(test::kPipelineText, "per_year = 0.1", "per_year = 1.99")).empty());
  // An annual share of 0.9 is a hazard of 2.30 per year: legal, and warned about.
  EXPECT_EQ(warnings(test::replaced(test::kPipelineText, "per_year = 0.1", "annual_share = 0.9")).size(), 1u);
}

TEST(Plausibility, LeavingTrainingFastIsNotAStaffWarning) {
  const std::string text = std::string(test::kPipelineText) +
                           "[[transitions]]\nfrom = \"trainee\"\nto = \"left\"\nhazard = { per_year = 3 }\n";
  EXPECT_TRUE(warnings(text).empty());
}

TEST(Plausibility, WarnsOfTrainingLongerThanTenYears) {
  const auto w = warnings(test::replaced(test::kPipelineText, "after_years = 1", "after_years = 12"));
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].rfind("test.toml:17:15: transitions.0: training in 'trainee' takes 12 years on average", 0), 0u)
      << w[0];
  EXPECT_TRUE(warnings(test::replaced(test::kPipelineText, "after_years = 1", "after_years = 10")).empty());
  // Days are fine: 12 days.
  EXPECT_TRUE(warnings(test::replaced(test::kPipelineText, "after_years = 1", "after_days = 12")).empty());
}

TEST(Plausibility, WarnsOfAnIntakeAboveAMillionAYear) {
  const auto w = warnings(test::replaced(test::kPipelineText, "places = 10 }", "places = 1000001 }"));
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].rfind("test.toml:25:10: routes.main recruits 1000001 people in a year", 0), 0u) << w[0];
  EXPECT_TRUE(warnings(test::replaced(test::kPipelineText, "places = 10 }", "places = 1000000 }")).empty());
  const auto poisson =
      warnings(test::replaced(test::kPipelineText, "{ on = \"09-01\", places = 10 }", "{ poisson_per_year = 2e6 }"));
  EXPECT_EQ(poisson.size(), 1u);
}
