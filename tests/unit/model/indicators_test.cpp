// Indicators worked out by hand (docs/INDICATORS.md gives each numerator and
// denominator). The scenario is deterministic: fixed durations, fixed
// intakes, attribute mixes of 0 and 1, so every figure follows from dates.
#include "sim/model/indicators.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "sim/batch/run_one.hpp"
#include "tests/support/scenario_text.hpp"

using namespace tsim;

namespace {

// Start 2020-04-01, horizon 3 years (2023-04-01, day 1095; no 29 February
// falls inside it).
//  - stock: 20 staff in post_b (qualified, 100 GBP a day) leave the NHS after
//    2 years, on 2022-04-01.
//  - backfill: a pull route on 1 Jan/Apr/Jul/Oct keeps post_b + recruiting at
//    20; a recruit spends 6 months as a vacancy being filled, then joins
//    post_b. Intakes come before departures at an instant (docs/OUTPUT.md),
//    so on 2022-04-01 it still counts the 20 leaving; it recruits 20 on
//    2022-07-01, who join post_b on 2023-01-01.
//  - cohort_a: 6 trainees (group x, 0.5 FTE) start 2020-09-01, qualify into
//    post_a on 2021-09-01, take a career break (waiting) on 2022-03-01 and
//    leave from it on 2023-03-01.
//  - cohort_b: 4 trainees (group y) start 2020-09-01 and fail on 2021-03-01.
constexpr const char* kHandScenario = R"toml(
[scenario]
name = "hand"
start_date = 2020-04-01
horizon_years = 3
census = { every = "quarter" }

[attributes.group]
levels = ["x", "y"]
population = [0.5, 0.5]

[pools.posts_b]
capacity = 20

[states.trainee_a]
role = "trainee"
[states.trainee_b]
role = "trainee"
[states.post_a]
role = "staff"
qualified = true
[states.post_b]
role = "staff"
qualified = true
occupies = "posts_b"
cost_per_year = 36524.25
[states.recruiting]
role = "vacancy"
[states.career_break]
role = "waiting"
[states.failed]
role = "did_not_complete"
[states.left]
role = "left_nhs"

[routes.cohort_a]
enters = "trainee_a"
intake = { on = "09-01", places = { 2020 = 6 } }
fte = 0.5
mix = { group = [1, 0] }
[routes.cohort_b]
enters = "trainee_b"
intake = { on = "09-01", places = { 2020 = 4 } }
mix = { group = [0, 1] }
[routes.backfill]
enters = "recruiting"
intake = [ { on = "01-01", establishment = 20, counts = ["post_b", "recruiting"] },
           { on = "04-01", establishment = 20, counts = ["post_b", "recruiting"] },
           { on = "07-01", establishment = 20, counts = ["post_b", "recruiting"] },
           { on = "10-01", establishment = 20, counts = ["post_b", "recruiting"] } ]

[stock.post_b]
count = 20

[[transitions]]
from = "trainee_a"
after_years = 1
to = "post_a"
[[transitions]]
from = "post_a"
after_months = 6
to = "career_break"
[[transitions]]
from = "career_break"
after_years = 1
to = "left"
[[transitions]]
from = "trainee_b"
after_months = 6
to = "failed"
[[transitions]]
from = "post_b"
after_years = 2
to = "left"
[[transitions]]
from = "recruiting"
after_months = 6
to = "post_b"
)toml";

model::IndicatorSet indicators_of(const std::string& text, model::RecordLevel level = model::RecordLevel::census) {
  const auto loaded = test::load(text);
  batch::RunRequest request;
  request.record_level = level;
  model::IndicatorCollector collector(loaded.spec, nullptr);
  const auto summary = batch::run_one(loaded, request, collector);
  return collector.compute(summary);
}

// The value of an indicator that must exist (a renamed row fails here, not as NaN == NaN).
double at(const model::IndicatorSet& set, const std::string& name) {
  for (std::size_t i = 0; i < set.names.size(); ++i)
    if (set.names[i] == name) return set.values[i];
  ADD_FAILURE() << "no indicator named '" << name << "'";
  return -1e300;
}

bool has(const model::IndicatorSet& set, const std::string& name) {
  for (const auto& n : set.names)
    if (n == name) return true;
  return false;
}

class HandWorked : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { set_ = new model::IndicatorSet(indicators_of(kHandScenario)); }
  static void TearDownTestSuite() {
    delete set_;
    set_ = nullptr;
  }
  static double v(const std::string& name) { return at(*set_, name); }
  static model::IndicatorSet* set_;
};
model::IndicatorSet* HandWorked::set_ = nullptr;

constexpr double kYear = 365.2425;  // days in a year of the indicators (Gregorian mean)

}  // namespace

// Year ends are "just before 1 January / 1 April": someone who leaves on
// 1 April is still counted on 31 March, someone who joins on 1 January is counted on 31 December.
TEST_F(HandWorked, HeadcountsAtYearEnds) {
  // 2020-12-31: stock 20 in post; both cohorts (10) in training.
  EXPECT_EQ(v("staff headcount [all] on 2020-12-31"), 20);
  EXPECT_EQ(v("trainees [all] on 2020-12-31"), 10);
  // 2021-03-31: cohort_b failed on 1 March, so 6 trainees.
  EXPECT_EQ(v("staff headcount [all] on 2021-03-31"), 20);
  EXPECT_EQ(v("trainees [all] on 2021-03-31"), 6);
  // 2021-12-31: cohort_a in post_a since 1 September: 20 + 6 staff, 20 + 6 x 0.5 FTE.
  EXPECT_EQ(v("staff headcount [all] on 2021-12-31"), 26);
  EXPECT_DOUBLE_EQ(v("staff FTE [all] on 2021-12-31"), 23);
  EXPECT_EQ(v("trainees [all] on 2021-12-31"), 0);
  // 2022-03-31: cohort_a on a career break since 1 March (not staff); the stock leaves tomorrow.
  EXPECT_EQ(v("staff headcount [all] on 2022-03-31"), 20);
  // 2022-12-31: nobody in post; the 20 backfill recruits are vacancies being filled, not staff.
  EXPECT_EQ(v("staff headcount [all] on 2022-12-31"), 0);
  EXPECT_EQ(v("staff FTE [all] on 2022-12-31"), 0);
  // 2023-03-31: the recruits joined post_b on 1 January.
  EXPECT_EQ(v("staff headcount [all] on 2023-03-31"), 20);
}

TEST_F(HandWorked, EstablishmentsAndVacancies) {
  // Funded posts: 20 slots; in post = people in states occupying them.
  EXPECT_EQ(v("establishment [posts posts_b] on 2022-12-31"), 20);
  EXPECT_EQ(v("staff in post [posts posts_b] on 2022-12-31"), 0);
  EXPECT_EQ(v("vacancy rate [posts posts_b] on 2022-12-31"), 1);  // (20 - 0) / 20
  EXPECT_EQ(v("vacancy rate [posts posts_b] on 2023-03-31"), 0);
  // Pull route: establishment 20; staff in post counts only the staff states it counts.
  EXPECT_EQ(v("establishment [route backfill] on 2022-12-31"), 20);
  EXPECT_EQ(v("staff in post [route backfill] on 2022-12-31"), 0);
  EXPECT_EQ(v("vacancies being filled [route backfill] on 2022-12-31"), 20);
  EXPECT_EQ(v("vacancy rate [route backfill] on 2022-12-31"), 1);
  EXPECT_EQ(v("vacancy rate [route backfill] on 2022-03-31"), 0);
  EXPECT_EQ(v("vacancies being filled [route backfill] on 2023-03-31"), 0);
  EXPECT_EQ(v("vacancy rate [route backfill] on 2023-03-31"), 0);
}

TEST_F(HandWorked, LeaversFromStaffOnly) {
  // Only the stock leaves the NHS from a post (the career-break leavers were
  // not staff when they left, the failed trainees never were).
  EXPECT_EQ(v("staff leavers [left_nhs]"), 20);
  // Staff-years at risk: stock 20 x 730 days; cohort_a 6 x 181 days in post_a
  // (2021-09-01 to 2022-03-01); backfill 20 x 90 days (2023-01-01 to the horizon).
  const double staff_years = (20 * 730.0 + 6 * 181.0 + 20 * 90.0) / kYear;
  EXPECT_NEAR(v("staff leaving rate per year [left_nhs]"), 20 / staff_years, 1e-12);
  EXPECT_FALSE(has(*set_, "staff leavers [did_not_complete]"));  // not a staff exit
  // cohort_a left post_a for a career break: leavers from staff, not exits.
  EXPECT_EQ(v("staff leavers [waiting]"), 6);
  EXPECT_NEAR(v("staff leaving rate per year [waiting]"), 6 / staff_years, 1e-12);
  EXPECT_EQ(v("staff leavers [all]"), 26);
  EXPECT_NEAR(v("staff leaving rate per year [all]"), 26 / staff_years, 1e-12);
  EXPECT_FALSE(has(*set_, "staff leavers [retired]"));  // the scenario has no retired state
}

TEST_F(HandWorked, TrainingPipelineCountsTraineesNotHires) {
  EXPECT_EQ(v("trainee entrants"), 10);  // the backfill recruits never train
  EXPECT_EQ(v("completed training"), 6);
  EXPECT_EQ(v("did not complete training"), 4);
  EXPECT_DOUBLE_EQ(v("training completion rate"), 0.6);
  EXPECT_DOUBLE_EQ(v("training attrition rate"), 0.4);
  // 2020-09-01 to 2021-09-01 is 365 days.
  EXPECT_DOUBLE_EQ(v("time to qualify (years)"), 365 / kYear);
  // One year after qualifying (2022-09-01) all 6 are on a career break.
  EXPECT_EQ(v("retention 1 year(s) after qualifying"), 0);
  // Three years after (2024-09-01) is past the horizon: undefined, not 0.
  EXPECT_TRUE(std::isnan(v("retention 3 year(s) after qualifying")));
  EXPECT_EQ(v("completed training [route cohort_a]"), 6);
  EXPECT_EQ(v("training completion rate [route cohort_b]"), 0);
  EXPECT_TRUE(std::isnan(v("time to qualify (years) [route cohort_b]")));
  EXPECT_EQ(v("trainee entrants [programme trainee_b]"), 4);
  EXPECT_EQ(v("direct hires [route backfill]"), 20);
  EXPECT_EQ(v("direct hires"), 20);
  EXPECT_FALSE(has(*set_, "trainee entrants [route backfill]"));
}

TEST_F(HandWorked, DiversityOfTraineeEntrants) {
  EXPECT_DOUBLE_EQ(v("share of trainee entrants [group=x]"), 0.6);
  EXPECT_DOUBLE_EQ(v("share of qualifiers [group=x]"), 1.0);
  EXPECT_DOUBLE_EQ(v("entrants vs population [group=x]"), 0.6 / 0.5);
  EXPECT_DOUBLE_EQ(v("entrants vs population [group=y]"), 0.4 / 0.5);
  // y qualify 0 of 4, x 6 of 6.
  EXPECT_EQ(v("relative likelihood of qualifying [group=y vs x]"), 0);
}

TEST_F(HandWorked, CostsUndiscountedAndDiscounted) {
  // post_b costs 100 a day: stock 20 x 730 days + backfill 20 x 90 days.
  EXPECT_NEAR(v("total cost (GBP)"), 100.0 * 20 * (730 + 90), 1e-6);
  // Discounted by year since the start (years of 365.2425 days) at 3.5%: year 0
  // holds 365.2425 of the stock's days, year 1 the other 364.7575; the
  // backfill's 90 days fall in year 2.
  const double discounted = 100.0 * 20 * (kYear + (730 - kYear) / 1.035 + 90 / (1.035 * 1.035));
  EXPECT_NEAR(v("total cost, discounted at 3.5% a year (GBP)"), discounted, 1e-6);
  EXPECT_EQ(v("qualified FTE in post at the horizon"), 20);
  // 20 slots used for 730 + 90 of 1095 days.
  EXPECT_NEAR(v("utilisation of posts_b"), (730.0 + 90) / 1095, 1e-12);
}

// At record level summary there are no /persons: the pipeline rows are left
// out rather than reported as zeros.
TEST(Indicators, SummaryLevelOmitsPersonIndicators) {
  const auto set = indicators_of(kHandScenario, model::RecordLevel::summary);
  EXPECT_FALSE(has(set, "trainee entrants"));
  EXPECT_EQ(at(set, "staff headcount [all] on 2021-12-31"), 26);
}

// The training outcome is the first state after starting training that is
// qualified (completed) or an exit or unqualified post (did not complete):
// a break in training leaves it open, and staff who start a course count.
// Start 2020-04-01, horizon 2023-04-01.
//  - route c: 2 trainees start 2020-09-01, break on 2021-03-01, resume on
//    2021-09-01 and qualify on 2022-03-01 (546 days after starting).
//  - stock: 3 qualified nurses start an ACP course on 2021-04-01 and qualify
//    on 2022-04-01 (365 days).
//  - route d: 1 trainee leaves for an unqualified post on 2020-12-01.
//  - route e: 1 trainee breaks on 2020-12-01 and is still away at the horizon.
TEST(Indicators, TrainingOutcomeSurvivesBreaksAndCountsUpskilling) {
  const auto set = indicators_of(R"toml(
[scenario]
name = "outcomes"
start_date = 2020-04-01
horizon_years = 3
[states.course_c]
role = "trainee"
[states.break_c]
role = "waiting"
[states.course_c_resumed]
role = "trainee"
[states.qualified_post]
role = "staff"
qualified = true
[states.nurse]
role = "staff"
qualified = true
[states.acp_course]
role = "trainee"
[states.acp]
role = "staff"
qualified = true
[states.course_d]
role = "trainee"
[states.hca]
role = "staff"
[states.course_e]
role = "trainee"
[states.break_e]
role = "waiting"
[routes.c]
enters = "course_c"
intake = { on = "09-01", places = { 2020 = 2 } }
[routes.d]
enters = "course_d"
intake = { on = "09-01", places = { 2020 = 1 } }
[routes.e]
enters = "course_e"
intake = { on = "09-01", places = { 2020 = 1 } }
[stock.nurse]
count = 3
[[transitions]]
from = "course_c"
after_months = 6
to = "break_c"
[[transitions]]
from = "break_c"
after_months = 6
to = "course_c_resumed"
[[transitions]]
from = "course_c_resumed"
after_months = 6
to = "qualified_post"
[[transitions]]
from = "nurse"
after_years = 1
to = "acp_course"
[[transitions]]
from = "acp_course"
after_years = 1
to = "acp"
[[transitions]]
from = "course_d"
after_months = 3
to = "hca"
[[transitions]]
from = "course_e"
after_months = 3
to = "break_e"
[states.left]
role = "left_nhs"
[[transitions]]
from = "qualified_post"
after_years = 10
to = "left"
[[transitions]]
from = "acp"
after_years = 10
to = "left"
[[transitions]]
from = "hca"
after_years = 10
to = "left"
[[transitions]]
from = "break_e"
after_years = 10
to = "left"
)toml");
  EXPECT_EQ(at(set, "trainee entrants"), 2 + 3 + 1 + 1);
  EXPECT_EQ(at(set, "completed training"), 5);
  EXPECT_EQ(at(set, "did not complete training"), 1);  // route e's outcome is still open
  EXPECT_DOUBLE_EQ(at(set, "training completion rate"), 5.0 / 6);
  EXPECT_NEAR(at(set, "time to qualify (years)"), (2 * 546.0 + 3 * 365.0) / 5 / kYear, 1e-12);
  // The break before qualifying is not a departure after it: all five are in
  // post a year after qualifying (2023-03-01, and 2023-04-01 = the horizon).
  EXPECT_EQ(at(set, "retention 1 year(s) after qualifying"), 1);
  EXPECT_EQ(at(set, "trainee entrants [programme acp_course]"), 3);
  EXPECT_EQ(at(set, "trainee entrants [programme course_c]"), 2);
  EXPECT_FALSE(has(set, "trainee entrants [programme course_c_resumed]"));  // entered only from training
  EXPECT_EQ(at(set, "training completion rate [route d]"), 0);
  EXPECT_TRUE(std::isnan(at(set, "training completion rate [route e]")));
}
