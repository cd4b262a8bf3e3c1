// Deterministic and structural checks: fixed programmes give exact dates, and
// a pool's capacity follows the simulated workforce.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "tests/support/run_memory.hpp"
#include "tests/support/scenario_text.hpp"

using namespace tsim;

namespace {
std::vector<double> period_ends(const model::MemorySink& s) {
  std::vector<double> ends;
  for (std::size_t i = 0; i < s.census().size(); ++i)
    if (ends.empty() || ends.back() != s.census()[model::cols::census::period_end_day][i]) ends.push_back(s.census()[model::cols::census::period_end_day][i]);
  return ends;
}
model::MemorySink run(const scenario::LoadedScenario& l, std::uint32_t seed = 1) { return test::run_in_memory(l, seed); }
}  // namespace

// A fixed-length programme with no hazards: everything is deterministic.
TEST(Exact, FixedProgrammeGivesExactDates) {
  const auto loaded = test::load(R"(
[scenario]
name = "fixed"
start_date = 2020-04-01
horizon_years = 5
census = { every = "year" }
[states.trainee]
kind = "training"
[states.qualified]
kind = "post"
qualified = true
[states.retired]
kind = "exit"
[routes.r]
enters = "trainee"
intake = { on = "09-01", places = 3, to_year = 2021 }
[[transitions]]
from = "trainee"
after_days = 730
to = "qualified"
[[transitions]]
from = "qualified"
after_years = 1.5
to = "retired"
)");
  const auto s = run(loaded);
  ASSERT_EQ(s.persons().size(), 6u);
  // 1 Sep 2020 is day 153 after 1 Apr 2020; 1 Sep 2021 is day 518. 730 days
  // later is 1 Sep 2022 (day 883) and 1 Sep 2023 (day 1248); 1.5 years is a
  // calendar span of 18 months: 1 Mar 2024 (day 1430) and 1 Mar 2025 (day 1795),
  // whatever the leap days in between.
  for (std::size_t i = 0; i < 6; ++i) {
    const double entry = i < 3 ? 153 : 518;
    EXPECT_EQ(s.persons()[model::cols::persons::entry_day][i], entry);
    EXPECT_EQ(s.persons()[model::cols::persons::qualified_day][i], entry + 730);
    EXPECT_EQ(s.persons()[model::cols::persons::exit_day][i], i < 3 ? 1430.0 : 1795.0);
  }
  for (std::uint32_t seed : {2u, 99u}) EXPECT_EQ(run(loaded, seed).persons()[model::cols::persons::exit_day], s.persons()[model::cols::persons::exit_day]);
}

// Supervision capacity comes from the simulated workforce: at every census
// date, capacity = slots x people who have been long enough in the providing state.
TEST(Exact, PoolCapacityFollowsTheWorkforce) {
  const auto loaded = test::load(R"(
[scenario]
name = "pool"
start_date = 2020-01-01
horizon_years = 6
census = { every = "quarter" }
[pools.supervision]
[states.trainee]
kind = "training"
needs = "supervision"
[states.qualified]
kind = "post"
qualified = true
provides = { pool = "supervision", slots = 3, after_years_in_state = 0.5 }
[states.gone]
kind = "exit"
[routes.r]
enters = "trainee"
intake = { first_day = 0, every_days = 91, count = 24, places = 20 }
[stock.qualified]
count = 10
tenure_years = 1
[[transitions]]
from = "trainee"
after_days = 200
to = "qualified"
[[transitions]]
from = "trainee"
hazard = { per_year = 0.2 }
to = "gone"
[[transitions]]
from = "qualified"
hazard = { per_year = 0.3 }
to = "gone"
)");
  const auto s = run(loaded, 5);
  // Providers at each period end, from the person table and event log.
  const auto ends = period_ends(s);
  ASSERT_EQ(s.pools().size(), ends.size());
  const int qualified = loaded.spec.state_index("qualified");
  for (std::size_t p = 0; p < ends.size(); ++p) {
    // Replay: who is in 'qualified' at ends[p] and since when.
    std::map<int, double> since;
    for (const auto& ev : test::events(s)) {
      if (ev.day >= ends[p]) break;
      if (ev.to_state == qualified && ev.from_state != qualified) since[ev.person_id] = ev.day;
      if (ev.from_state == qualified && ev.to_state != qualified) since.erase(ev.person_id);
    }
    long providers = 0;
    for (auto [id, day] : since) {
      const double entered = s.persons()[model::cols::persons::is_initial_stock][id] ? -365.0 : day;
      providers += ends[p] - entered > 182.5;  // the census runs before people's events at the same time
    }
    EXPECT_EQ(s.pools()[model::cols::pools::capacity][p], 3 * providers) << "period " << p;
    EXPECT_LE(s.pools()[model::cols::pools::in_use][p], s.pools()[model::cols::pools::capacity][p]);
    if (s.pools()[model::cols::pools::queue_length][p] > 0) {
      EXPECT_EQ(s.pools()[model::cols::pools::in_use][p], s.pools()[model::cols::pools::capacity][p]);  // nobody waits while a slot is free
    }
  }
  // Supervisors leave, so somebody must have lost supervision and gone back to the queue.
  const int lost = loaded.spec.event_index("supervision_lost");
  const auto log = test::events(s);
  EXPECT_TRUE(std::any_of(log.begin(), log.end(), [&](auto& e) { return e.event == lost; }));
}


// Calendar-true time: 100 start a 2-year course every 1 September from 2019
// and nobody leaves. Every cohort qualifies on 1 September two years on, also
// across the leap days of 2020 and 2024, so at every census (quarters,
// academic and financial years) the qualified headcount is exactly 100 x the
// cohorts that have qualified: it never dips.
TEST(Exact, CalendarYearsLandOnTheSameDayAcrossLeapYears) {
  for (const char* every : {"quarter", "academic_year", "financial_year", "month"}) {
    const auto loaded = test::load(std::string(R"(
[scenario]
name = "calendar"
start_date = 2019-04-01
end_date = 2029-04-01
census = { every = ")") + every + R"(" }
[states.trainee]
kind = "training"
[states.qualified]
kind = "post"
qualified = true
[states.left]
kind = "exit"
[routes.r]
enters = "trainee"
intake = { on = "09-01", places = 100 }
[[transitions]]
from = "trainee"
after_years = 2
to = "qualified"
[[transitions]]
from = "qualified"
hazard = { per_year = 0 }   # nobody leaves (an exit must be reachable)
to = "left"
)");
    const auto s = run(loaded);
    const core::Date start{2019, 4, 1};
    // Everyone qualifies on 1 September, exactly two years after starting.
    const auto& entry = s.persons()[model::cols::persons::entry_day];
    const auto& qualified = s.persons()[model::cols::persons::qualified_day];
    for (std::size_t i = 0; i < entry.size(); ++i) {
      if (std::isnan(qualified[i])) continue;
      const core::Date in = core::civil_from_days(core::days_from_civil(start) + static_cast<std::int64_t>(entry[i]));
      const core::Date out = core::civil_from_days(core::days_from_civil(start) + static_cast<std::int64_t>(qualified[i]));
      ASSERT_EQ(out, (core::Date{in.year + 2, 9, 1})) << every;
    }
    const int q = loaded.spec.state_index("qualified");
    const auto& period_end = s.census()[model::cols::census::period_end_day];
    const auto& state = s.census()[model::cols::census::state];
    const auto& headcount = s.census()[model::cols::census::headcount];
    for (std::size_t row = 0; row < period_end.size(); ++row) {
      if (state[row] != q) continue;
      // The census counts who is there just before its day: cohorts started by
      // 1 September of (year - 2) have qualified if that day is after 1 September of `year`.
      const core::Date end = core::civil_from_days(core::days_from_civil(start) + static_cast<std::int64_t>(period_end[row]));
      const int last_qualifying_year = (end.month > 9 || (end.month == 9 && end.day > 1)) ? end.year : end.year - 1;
      const int cohorts = std::max(0, last_qualifying_year - 2021 + 1);
      EXPECT_EQ(headcount[row], 100 * cohorts) << every << " period ending " << core::format_date(end);
    }
  }
}
