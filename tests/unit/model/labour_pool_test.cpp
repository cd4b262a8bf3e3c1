// Labour pools (`[pools.X] labour = { inflow_per_year, leaving_per_year,
// every_days }`): a vacancy that needs the pool waits for a candidate, a
// candidate is used up by the hire, the pool refills at its inflow rate and
// unused candidates leave. Every expected number here is worked out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "sim/core/error.hpp"
#include "tests/support/run_memory.hpp"
#include "tests/support/scenario_text.hpp"

using namespace tsim;

namespace {

// `vacancies` vacancies on day 0 need a candidate from `market`; once they
// have one, `lag_days` later they start in post. Nobody leaves the post.
std::string pool_scenario(int vacancies, const std::string& pool_body, double lag_days = 0) {
  return R"(
[scenario]
name = "labour-pool"
start_date = 2021-01-01
horizon_days = 365
census = { every_days = 7 }

[pools.market]
)" + pool_body + R"(

[states.vacancy]
role = "vacancy"
needs = "market"
[states.post]
kind = "post"
[states.gone]
kind = "exit"

[stock.vacancy]
count = )" + std::to_string(vacancies) + R"(

[[transitions]]
from = "vacancy"
after_days = )" + std::to_string(lag_days) + R"(
to = "post"

[[transitions]]
from = "post"
after_years = 5
to = "gone"
)";
}

// Hires: arrivals in `post`.
int hires(const scenario::LoadedScenario& l, const model::MemorySink& s) {
  int n = 0;
  for (const auto& e : test::events(s)) n += e.to_state == l.spec.state_index("post");
  return n;
}

// The pool's capacity (unused candidates + those hired but not yet started)
// at the last census.
int last_capacity(const model::MemorySink& s) {
  const auto& t = s.pools();
  return t[model::cols::pools::capacity][t.size() - 1];
}

}  // namespace

TEST(LabourPool, CandidatesAreUsedUpNotHandedBack) {
  // 10 candidates, no inflow, 30 vacancies: 10 are filled (after the 30-day
  // lag, while holding their candidate) and 20 stay vacant all year. An
  // ordinary pool would hand the slot back when the hire starts and fill all 30.
  const auto l = test::load(pool_scenario(30, "capacity = 10\nlabour = {}", 30));
  const auto s = test::run_in_memory(l);
  EXPECT_EQ(hires(l, s), 10);
  EXPECT_EQ(last_capacity(s), 0);
  const auto& t = s.pools();
  EXPECT_EQ(t[model::cols::pools::queue_length][t.size() - 1], 20);

  const auto plain = test::load(pool_scenario(30, "capacity = 10", 30));
  EXPECT_EQ(hires(plain, test::run_in_memory(plain)), 30);
}

TEST(LabourPool, InflowFillsAtItsRate) {
  // No candidates at the start and 100 a year, added each 7 days: on day
  // 7k the pool has received floor(100 x 7k / 365.2425) candidates. The last
  // step inside a 365-day run is day 364: floor(99.66) = 99 hires, as the 200
  // vacancies always outnumber the candidates.
  const auto l = test::load(pool_scenario(200, "capacity = 0\nlabour = { inflow_per_year = 100 }"));
  const auto s = test::run_in_memory(l);
  EXPECT_EQ(hires(l, s), 99);
  // Every hire waited for their candidate: the first, on day 7 x 1 = 7 ->
  // floor(1.92) = 1 candidate, after 7 days.
  int first_day = 400;
  for (const auto& e : test::events(s))
    if (e.to_state == l.spec.state_index("post")) first_day = std::min(first_day, static_cast<int>(e.day));
  EXPECT_EQ(first_day, 7);
}

TEST(LabourPool, InflowStepsDoNotChangeTheRate) {
  // Monthly steps (every 30 days) instead of weekly: the last step is day 360,
  // floor(100 x 360 / 365.2425) = 98 hires.
  const auto l = test::load(pool_scenario(200, "capacity = 0\nlabour = { inflow_per_year = 100, every_days = 30 }"));
  EXPECT_EQ(hires(l, test::run_in_memory(l)), 98);
}

TEST(LabourPool, UnusedCandidatesLeave) {
  // 100 candidates, nobody hired (no vacancies), leaving at ln 2 a year (a
  // half-life of one year): at the last weekly step (day 364) the expected
  // number left is 100 x 2^(-364 / 365.2425) = 50.12. Whole candidates leave
  // and the fraction carries over, so the count is 50.12 rounded up or down,
  // and the idle count used at each step lags the expectation by under one
  // candidate: 50 or 51.
  const auto l = test::load(pool_scenario(0, "capacity = 100\nlabour = { leaving_per_year = 0.6931471805599453 }"));
  const int left = last_capacity(test::run_in_memory(l));
  EXPECT_GE(left, 49);
  EXPECT_LE(left, 51);
  // Without leaving, all 100 are still there.
  const auto kept = test::load(pool_scenario(0, "capacity = 100\nlabour = {}"));
  EXPECT_EQ(last_capacity(test::run_in_memory(kept)), 100);
}

TEST(LabourPool, BadValuesAreInputErrors) {
  EXPECT_THROW(test::load(pool_scenario(1, "labour = { inflow_per_year = -1 }")), core::InputError);
  EXPECT_THROW(test::load(pool_scenario(1, "labour = { leaving_per_year = -0.1 }")), core::InputError);
  EXPECT_THROW(test::load(pool_scenario(1, "labour = { every_days = 0 }")), core::InputError);
  EXPECT_THROW(test::load(pool_scenario(1, "labour = { inflow = 3 }")), core::InputError);  // unknown key
  EXPECT_THROW(test::load(pool_scenario(1, "labour = 3")), core::InputError);
  // A labour pool's candidates are hired, so a state may not occupy or provide it.
  std::string occupied = pool_scenario(1, "labour = {}");
  occupied.replace(occupied.find("[states.post]\nkind = \"post\""), 27,
                   "[states.post]\nkind = \"post\"\noccupies = \"market\"");
  EXPECT_THROW(test::load(occupied), core::InputError);
}
