#include "sim/batch/commission.hpp"

#include <gtest/gtest.h>

#include "tests/support/tiny_scenario.hpp"

using namespace tsim;

namespace {

// Two programmes feeding the same posts, no leaving: the staff in post on
// 2022-03-31 are exactly the 2020 cohorts of both (a + b; the 2021 cohorts
// qualify in September 2022), with no randomness in that count.
constexpr const char* kTwoProgrammes = R"toml([scenario]
name = "two-programmes"
start_date = 2020-04-01
horizon_years = 3
census = { every = "year" }

[parameters]
a_places = 50
b_places = 50

[states.trainee]
kind = "training"
profession = "CWP"
band = 4

[states.post]
kind = "post"
profession = "CWP"
band = 5
qualified = true

[routes.a]
enters = "trainee"
intake = { on = "09-01", places = "a_places" }

[routes.b]
enters = "trainee"
intake = { on = "09-01", places = "b_places" }

[states.left]
kind = "exit"

[[transitions]]
from = "trainee"
after_years = 1
to = "post"

[[transitions]]
from = "post"
after_years = 10                 # after the horizon: nobody leaves during the run
to = "left"
)toml";

scenario::CommissionSpec spec_for(const std::string& scen) {
  scenario::CommissionSpec s;
  s.name = "known";
  s.path = "plan.toml";
  s.scenario_path = scen;
  s.replications = 2;
  s.max_evaluations = 200;
  s.programmes = {{"a_places", 0, 200, 10, {}}, {"b_places", 0, 300, 20, {}}};
  s.target_indicators = {"staff headcount [CWP band 5] on 2022-03-31"};
  s.target = 300;
  return s;
}

}  // namespace

// Required: the optimum is known by construction. Staff = a + b must reach
// 300; a costs 10 a place (at most 200), b costs 20 (at most 300). Every
// place of a is cheaper, so the least-cost plan takes a = 200 and b = 100
// (cost 4,000). Tolerance: places are whole numbers and COBYLA stops when a
// step moves each coordinate by under 1e-4 of its range (0.02-0.03 places),
// so the plan may sit at most one place off on b (the count is exact here),
// which costs at most 20 more.
TEST(Commission, FindsTheKnownLeastCostPlan) {
  const test::TempDir dir("commission_known");
  const auto scen = dir.write("two.toml", kTwoProgrammes);
  const auto spec = spec_for(scen);
  EXPECT_EQ(batch::simulate_plan(spec, {120, 45}, 1), (std::vector<double>{165, 165}));  // a + b, no noise
  const auto plan = batch::optimise_commission(spec, 2);
  ASSERT_TRUE(plan.feasible);
  EXPECT_NEAR(plan.places[0], 200, 1);
  EXPECT_NEAR(plan.places[1], 100, 1);
  EXPECT_GE(plan.mean, 300);
  EXPECT_NEAR(plan.cost, 4000, 20);
  EXPECT_DOUBLE_EQ(plan.probability, 1);
}

// With a budget below the least cost no plan is feasible, and the result says so.
TEST(Commission, ABudgetTooSmallIsReportedNotFeasible) {
  const test::TempDir dir("commission_budget");
  const auto scen = dir.write("two.toml", kTwoProgrammes);
  auto spec = spec_for(scen);
  spec.budget = 3000;
  const auto plan = batch::optimise_commission(spec, 2);
  EXPECT_FALSE(plan.feasible);
}

// Most for a budget, known by construction: with 4,000 to spend, a place of
// a (10) buys as much as a place of b (20) for half the price, so the plan
// takes a = 200 (its bound, 2,000) and spends the other 2,000 on b = 100:
// 300 staff. Tolerance as above: one place of b either way.
TEST(Commission, FindsTheKnownMostStaffForABudget) {
  const test::TempDir dir("commission_most");
  const auto scen = dir.write("two.toml", kTwoProgrammes);
  auto spec = spec_for(scen);
  spec.most_for_budget = true;
  spec.budget = 4000;
  spec.target = 0;
  const auto plan = batch::optimise_commission(spec, 2);
  ASSERT_TRUE(plan.feasible);
  EXPECT_LE(plan.cost, 4000);
  EXPECT_NEAR(plan.places[0], 200, 1);
  EXPECT_NEAR(plan.places[1], 100, 1);
  EXPECT_NEAR(plan.mean, 300, 1);
}
