// The hazard forms of a transition, through the loader: annual_share.
#include <cmath>
#include <gtest/gtest.h>

#include "sim/core/calendar.hpp"
#include "sim/scenario/sections.hpp"
#include "tests/support/pipeline_text.hpp"
#include "tests/support/scenario_text.hpp"

using namespace tsim;

namespace {

// The one problem of a load that must fail, as "file:line:column: error: message".
std::string only_problem(const std::string& text) {
  try {
    (void)test::load(text);
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.problems().size(), 1u) << e.what();
    return e.problems().front().str();
  }
  ADD_FAILURE() << "loaded";
  return {};
}

const model::Hazard& staff_hazard(const scenario::LoadedScenario& l) { return l.spec.transitions.at(1).hazard; }

}  // namespace

// h = -ln(1 - share) per year, and back: 1 - exp(-h) is the share.
TEST(AnnualShare, ConvertsToTheConstantHazardWithThatShare) {
  EXPECT_DOUBLE_EQ(scenario::annual_share_to_rate(0.0), 0.0);
  EXPECT_NEAR(scenario::annual_share_to_rate(0.12), 0.127833371509885, 1e-15);  // -ln(0.88)
  for (double share : {1e-9, 0.01, 0.12, 0.5, 0.99})
    EXPECT_NEAR(1 - std::exp(-scenario::annual_share_to_rate(share)), share, 1e-15) << share;
}

TEST(AnnualShare, IsAnAlternativeToPerYear) {
  const auto l = test::load(test::replaced(test::kPipelineText, "per_year = 0.1", "annual_share = 0.12"));
  const auto& h = staff_hazard(l);
  ASSERT_EQ(h.rates.size(), 1u);
  EXPECT_DOUBLE_EQ(h.rates[0], -std::log(0.88) / core::kDaysPerYear);  // stored per day
  // Simulated survival over one year is exp(-h) = 0.88: a share of 12% gone.
  EXPECT_NEAR(std::exp(-h.integral(0, core::kDaysPerYear)), 0.88, 1e-12);
}

TEST(AnnualShare, TakesPiecesAndExpressions) {
  const auto l = test::load(test::replaced(
      test::kPipelineText, "per_year = 0.1", "annual_share = [0.2, \"1 - 0.9\"], breaks_years = [2]"));
  const auto& h = staff_hazard(l);
  ASSERT_EQ(h.rates.size(), 2u);
  EXPECT_DOUBLE_EQ(h.rates[0], -std::log(0.8) / core::kDaysPerYear);
  EXPECT_NEAR(h.rates[1], -std::log(0.9) / core::kDaysPerYear, 1e-15);
  EXPECT_DOUBLE_EQ(h.breaks[1], 2 * core::kDaysPerYear);
}

// A share of 1 or more has no finite hazard: refused where the value is written.
TEST(AnnualShare, RejectsSharesOutsideZeroToOneWithTheirLocation) {
  const std::string at_one = only_problem(test::replaced(test::kPipelineText, "per_year = 0.1", "annual_share = 1.0"));
  EXPECT_NE(at_one.find("test.toml:21:27: error: transitions.1.hazard.annual_share must be a share in [0, 1)"),
            std::string::npos)
      << at_one;
  const std::string second = only_problem(
      test::replaced(test::kPipelineText, "per_year = 0.1", "annual_share = [0.1, 1.5], breaks_years = [1]"));
  EXPECT_NE(second.find("test.toml:21:33: error:"), std::string::npos) << second;  // the 1.5 itself
  EXPECT_NE(second.find("got 1.5"), std::string::npos) << second;
  const std::string negative =
      only_problem(test::replaced(test::kPipelineText, "per_year = 0.1", "annual_share = -0.1"));
  EXPECT_NE(negative.find("test.toml:21:"), std::string::npos) << negative;
  EXPECT_NE(negative.find("must be a share in [0, 1)"), std::string::npos) << negative;
}

TEST(AnnualShare, ExactlyOneOfShareAndRate) {
  const std::string both =
      only_problem(test::replaced(test::kPipelineText, "per_year = 0.1", "per_year = 0.1, annual_share = 0.1"));
  EXPECT_NE(both.find("test.toml:21:"), std::string::npos) << both;
  EXPECT_NE(both.find("annual_share"), std::string::npos) << both;
  EXPECT_NE(both.find("per_year"), std::string::npos) << both;
}
