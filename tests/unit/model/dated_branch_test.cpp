// Dated branch probabilities (`branch_from_date`): a branch's outcome shares
// change from a date (F2 destinations, selection rates by year).
#include <gtest/gtest.h>

#include <map>

#include "sim/core/error.hpp"
#include "tests/support/run_memory.hpp"
#include "tests/support/scenario_text.hpp"

using namespace tsim;

namespace {

// 2,000 people arrive each 1 January 2021-2024; each decides after 30 days:
// 20% "a" until 2023-01-01, then 70% "a" (2023), then 100% "a" (from 2024).
const char* kScenario = R"(
[scenario]
name = "dated-branch"
start_date = 2020-04-01
horizon_years = 5

[states.start]
kind = "waiting"
[states.a]
kind = "exit"
[states.b]
kind = "exit"

[routes.in]
enters = "start"
intake = { on = "01-01", places = 2000 }

[[transitions]]
from = "start"
after_days = 30
branch = [ { to = "a", p = 0.2, event = "to_a" }, { to = "b", p = 0.8, event = "to_b" } ]
branch_from_date = [ { date = 2023-01-01, p = [0.7, 0.3] }, { date = 2024-01-01, p = [1.0, 0.0] } ]
)";

}  // namespace

// Shares of "a" per yearly cohort: 0.2, 0.2, 0.7, 1.0; 4 binomial standard
// errors of 2,000 people (at most 0.045) bound the first three.
TEST(DatedBranch, SharesFollowTheDate) {
  const auto l = test::load(kScenario);
  const auto s = test::run_in_memory(l, 3);
  const int to_a = l.spec.event_index("to_a"), to_b = l.spec.event_index("to_b");
  double a[5] = {0, 0, 0, 0, 0}, n[5] = {0, 0, 0, 0, 0};
  for (const auto& e : test::events(s)) {
    if (e.event != to_a && e.event != to_b) continue;
    const int cohort = static_cast<int>((e.day - 275) / 365.2425);  // 2021-01-01 is day 275
    ASSERT_GE(cohort, 0);
    ASSERT_LT(cohort, 5);
    n[cohort] += 1;
    a[cohort] += e.event == to_a;
  }
  ASSERT_EQ(n[0], 2000);
  EXPECT_NEAR(a[0] / n[0], 0.2, 4 * std::sqrt(0.2 * 0.8 / 2000));
  EXPECT_NEAR(a[1] / n[1], 0.2, 4 * std::sqrt(0.2 * 0.8 / 2000));
  EXPECT_NEAR(a[2] / n[2], 0.7, 4 * std::sqrt(0.7 * 0.3 / 2000));
  EXPECT_EQ(a[3], n[3]);  // 100% from 2024: exact
}

TEST(DatedBranch, BadRowsAreInputErrors) {
  const std::string base = kScenario;
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = base;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  EXPECT_THROW(test::load(with("p = [0.7, 0.3]", "p = [0.7, 0.4]")), core::InputError);        // sum
  EXPECT_THROW(test::load(with("p = [0.7, 0.3]", "p = [0.7, 0.2, 0.1]")), core::InputError);   // size
  EXPECT_THROW(test::load(with("date = 2024-01-01", "date = 2022-01-01")), core::InputError);  // order
  EXPECT_NO_THROW(test::load(base));
}

namespace {

// Shares by attribute level that change by date (fair selection from a date):
// before 2023 level x goes to "a" and level y to "b"; from 2023-01-01 the row
// sends every level to "b" except y, which its `by` sends to "a". All
// probabilities are 0 or 1, so each person's outcome is known exactly.
const char* kByLevel = R"(
[scenario]
name = "dated-branch-by"
start_date = 2020-04-01
horizon_years = 5

[attributes.group]
levels = ["x", "y"]
population = [0.5, 0.5]

[states.start]
kind = "waiting"
[states.a]
kind = "exit"
[states.b]
kind = "exit"

[routes.in]
enters = "start"
intake = { on = "01-01", places = 200 }

[[transitions]]
from = "start"
after_days = 30
branch = [ { to = "a", p = 1.0, event = "to_a" }, { to = "b", p = 0.0, event = "to_b" } ]
branch_by = { attribute = "group", p = { y = [0.0, 1.0] } }
branch_from_date = [ { date = 2023-01-01, p = [0.0, 1.0], by = { y = [1.0, 0.0] } } ]
)";

}  // namespace

TEST(DatedBranch, RowsByLevelFollowTheDate) {
  const auto l = test::load(kByLevel);
  const auto s = test::run_in_memory(l, 5);
  const int to_a = l.spec.event_index("to_a"), to_b = l.spec.event_index("to_b");
  // Each person's level, by person id (the persons table).
  std::map<int, int> group;
  const auto& codes = test::attribute(s.persons(), 0);
  for (std::size_t i = 0; i < codes.size(); ++i) group[s.persons()[model::cols::persons::person_id][i]] = codes[i];
  int checked = 0;
  for (const auto& e : test::events(s)) {
    if (e.event != to_a && e.event != to_b) continue;
    const bool dated = e.day >= 1005;  // 2023-01-01 is day 1005
    const bool y = group.at(e.person_id) == 1;
    EXPECT_EQ(e.event == to_a, dated ? y : !y) << "day " << e.day << " level " << y;
    ++checked;
  }
  EXPECT_EQ(checked, 5 * 200);  // cohorts of January 2021-2025 decide within the run
}

TEST(DatedBranch, RowsByLevelAreChecked) {
  const std::string base = kByLevel;
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = base;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  EXPECT_NO_THROW(test::load(base));
  EXPECT_THROW(test::load(with("by = { y = [1.0, 0.0] }", "by = { z = [1.0, 0.0] }")), core::InputError);  // level
  EXPECT_THROW(test::load(with("by = { y = [1.0, 0.0] }", "by = { y = [1.0, 0.5] }")), core::InputError);  // sum
  EXPECT_THROW(test::load(with("by = { y = [1.0, 0.0] }", "by = 3")), core::InputError);
  // Without branch_by there is no attribute: `by` is an unknown key.
  EXPECT_THROW(test::load(with("branch_by = { attribute = \"group\", p = { y = [0.0, 1.0] } }\n", "")),
               core::InputError);
}
