#include "sim/model/run.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>

#include "sim/model/memory_sink.hpp"
#include "sim/core/error.hpp"
#include "tests/support/run_memory.hpp"
#include "tests/support/scenario_text.hpp"

using namespace tsim;

namespace {

model::MemorySink run(const scenario::LoadedScenario& loaded, std::uint32_t seed = 1,
                      model::RecordLevel level = model::RecordLevel::full, std::uint32_t replication = 0) {
  return test::run_in_memory(loaded, seed, level, replication);
}

// Headcount per (period, state) from the census table, summed over census attributes.
std::map<std::pair<int, int>, long> census_totals(const model::MemorySink& s) {
  std::map<std::pair<int, int>, long> out;
  for (std::size_t i = 0; i < s.census().size(); ++i)
    out[{s.census()[model::cols::census::period][i], s.census()[model::cols::census::state][i]}] += s.census()[model::cols::census::headcount][i];
  std::erase_if(out, [](const auto& kv) { return kv.second == 0; });  // the replay lists only where people are
  return out;
}

// The same, rebuilt from /events alone: who is where just before each period end.
std::map<std::pair<int, int>, long> replay(const model::MemorySink& s, const std::vector<double>& ends) {
  std::map<std::pair<int, int>, long> out;
  std::map<int, long> where;
  std::size_t e = 0;
  const auto log = test::events(s);
  for (std::size_t p = 0; p < ends.size(); ++p) {
    for (; e < log.size() && log[e].day < ends[p]; ++e) {
      const auto& ev = log[e];
      if (ev.from_state == ev.to_state) continue;
      if (ev.from_state >= 0) where[ev.from_state] -= 1;
      where[ev.to_state] += 1;
    }
    for (auto [state, n] : where)
      if (n != 0) out[{static_cast<int>(p), state}] = n;
  }
  return out;
}

std::vector<double> period_ends(const model::MemorySink& s) {
  std::vector<double> ends;
  for (std::size_t i = 0; i < s.census().size(); ++i)
    if (ends.empty() || ends.back() != s.census()[model::cols::census::period_end_day][i]) ends.push_back(s.census()[model::cols::census::period_end_day][i]);
  return ends;
}

// The benchmark's cohort is a parameter; other shipped scenarios run as they are.
std::vector<scenario::Override> small(const std::string& path, int cohort) {
  if (path.find("pipeline") == std::string::npos) return {};
  return {{"parameters.cohort=" + std::to_string(cohort)}};
}

}  // namespace

class ShippedScenario : public ::testing::TestWithParam<std::string> {};

// Headcount conservation: the census equals a replay of the event log, for
// every period and state, and flows add up to the events of each period.
TEST_P(ShippedScenario, CensusAgreesWithReplayedEvents) {
  const auto loaded = scenario::load_scenario_file(test::source_path(GetParam()), small(GetParam(), 2000));
  const auto s = run(loaded);
  const auto& days = s.events()[model::cols::events::day];
  ASSERT_GT(days.size(), 1000u);
  for (std::size_t i = 1; i < days.size(); ++i) ASSERT_LE(days[i - 1], days[i]);
  const auto ends = period_ends(s);
  EXPECT_EQ(census_totals(s), replay(s, ends));

  std::map<int, long> flow_per_period, event_per_period;
  for (std::size_t i = 0; i < s.flows().size(); ++i) flow_per_period[s.flows()[model::cols::flows::period][i]] += s.flows()[model::cols::flows::count][i];
  for (const auto& ev : test::events(s)) {
    if (ev.from_state == ev.to_state) continue;
    const auto p = std::upper_bound(ends.begin(), ends.end(), ev.day) - ends.begin();
    event_per_period[static_cast<int>(p)] += 1;
  }
  EXPECT_EQ(flow_per_period, event_per_period);
  // Persons: exits in the table match exit events.
  long exits = 0;
  for (double d : s.persons()[model::cols::persons::exit_day]) exits += std::isnan(d) ? 0 : 1;
  long exit_events = 0;
  for (const auto& ev : test::events(s))
    exit_events += loaded.spec.states[ev.to_state].kind == model::StateKind::exit && ev.from_state != ev.to_state;
  EXPECT_EQ(exits, exit_events);
}

TEST_P(ShippedScenario, SameSeedSameRunOtherSeedOtherRun) {
  const auto loaded = scenario::load_scenario_file(test::source_path(GetParam()), small(GetParam(), 500));
  const auto a = run(loaded, 7), b = run(loaded, 7), c = run(loaded, 8), d = run(loaded, 7, model::RecordLevel::full, 1);
  EXPECT_TRUE(a.events() == b.events());
  EXPECT_TRUE(a.persons() == b.persons());
  auto differs = [&](const model::MemorySink& x) { return !(x.events() == a.events()); };
  EXPECT_TRUE(differs(c));
  EXPECT_TRUE(differs(d));
}

INSTANTIATE_TEST_SUITE_P(Shipped, ShippedScenario,
                         ::testing::Values("scenarios/bench/pipeline.toml", "scenarios/cyp_psychological_professions.toml"),
                         [](const auto& info) { return info.index == 0 ? std::string("pipeline") : std::string("cyp"); });

TEST(Run, RecordLevelsChangeOutputNotResults) {
  const auto loaded = scenario::load_scenario_file(test::source_path("scenarios/bench/pipeline.toml"), {{"parameters.cohort=300"}});
  const auto full = run(loaded, 3, model::RecordLevel::full);
  const auto census = run(loaded, 3, model::RecordLevel::census);
  const auto summary = run(loaded, 3, model::RecordLevel::summary);
  EXPECT_FALSE(full.events().empty());
  EXPECT_TRUE(census.events().empty());
  EXPECT_TRUE(summary.events().empty());
  EXPECT_EQ(census.persons().size(), full.persons().size());
  EXPECT_EQ(summary.persons().size(), 0u);
  EXPECT_EQ(full.census()[model::cols::census::headcount], summary.census()[model::cols::census::headcount]);
  EXPECT_EQ(full.flows()[model::cols::flows::count], summary.flows()[model::cols::flows::count]);
}

// A summary run keeps only what the run reads of each person's /persons row
// (entry day and age for age clocks, route for a queue ranked by route), not
// the whole row: its census and flows are the full run's, for a scenario with
// an age clock (cancer: retirement from 55) and one whose pool serves by route.
TEST(Run, SummaryRunsKeepWhatTheRunReads) {
  const auto cancer = scenario::load_scenario_file(test::source_path("scenarios/cancer_and_acp.toml"),
                                                   {{"scenario.horizon_years=4"}});
  const auto ranked = test::load(R"toml(
[scenario]
name = "ranked"
start_date = 2000-01-01
horizon_days = 400
census = { every_days = 50 }
[pools.slots]
capacity = 2
discipline = "priority"
priority = { by = "route", order = ["second", "first"] }
[states.waiting]
kind = "training"
needs = "slots"
[states.served]
kind = "exit"
[routes.first]
enters = "waiting"
intake = { poisson_per_day = 1 }
[routes.second]
enters = "waiting"
intake = { poisson_per_day = 1 }
[[transitions]]
from = "waiting"
after_days = { exponential = { mean = 1 } }
to = "served"
)toml");
  for (const auto* loaded : {&cancer, &ranked}) {
    const auto full = run(*loaded, 5, model::RecordLevel::full);
    const auto summary = run(*loaded, 5, model::RecordLevel::summary);
    EXPECT_EQ(summary.persons().size(), 0u);
    EXPECT_GT(full.flows().size(), 0u);
    EXPECT_EQ(full.census()[model::cols::census::headcount], summary.census()[model::cols::census::headcount])
        << loaded->spec.name;
    EXPECT_EQ(full.census()[model::cols::census::fte], summary.census()[model::cols::census::fte]) << loaded->spec.name;
    EXPECT_EQ(full.flows()[model::cols::flows::count], summary.flows()[model::cols::flows::count]) << loaded->spec.name;
  }
}

// A leaver's slot in the event loop's tables goes to a newcomer (People): the
// output must not depend on it. The scenario is built to stress what could
// tell: supervisors who leave while listed among the providers with free slots
// (their slot may be reused only once the pool pops it), newcomers who become
// supervisors of the same pool, supervisees who go back to the queue in their
// old order, and stale events of leavers. The same run without reuse is the
// reference, table by table (all five tables, at level full).
TEST(Run, ReusedSlotsChangeNothing) {
  const auto churn = test::load(R"toml(
[scenario]
name = "churn"
start_date = 2000-01-01
horizon_days = 1500
census = { every_days = 30 }
[attributes.group]
levels = ["a", "b"]
population = [0.5, 0.5]
[pools.supervision]
capacity = 1
renege = { after_days = { exponential = { mean = 90 } }, to = "gave_up" }
[states.supervisor]
kind = "post"
provides = { pool = "supervision", slots = 2, after_days_in_state = 20 }
[states.trainee]
kind = "training"
needs = "supervision"
[states.qualified]
kind = "post"
[states.left]
kind = "exit"
[states.gave_up]
kind = "exit"
[routes.supervisors]
enters = "supervisor"
intake = { poisson_per_day = 0.2 }
[routes.trainees]
enters = "trainee"
intake = { poisson_per_day = 0.8 }
[stock.supervisors]
state = "supervisor"
count = 10
[[transitions]]
from = "supervisor"
after_days = { exponential = { mean = 40 } }
to = "left"
[[transitions]]
from = "trainee"
after_days = { exponential = { mean = 30 } }
to = "qualified"
[[transitions]]
from = "qualified"
after_days = { exponential = { mean = 50 } }
to = "left"
)toml");
  const auto cancer = scenario::load_scenario_file(test::source_path("scenarios/cancer_and_acp.toml"),
                                                   {{"scenario.horizon_years=3"}});
  for (const auto* loaded : {&churn, &cancer}) {
    model::MemorySink with, without;
    for (const bool reuse : {true, false}) {
      model::MemorySink& sink = reuse ? with : without;
      model::RunOptions options;
      options.master_seed = 3;
      options.check_invariants = true;
      options.reuse_slots = reuse;
      model::Run run(loaded->spec, options);
      model::RunHeader header;
      header.spec = &loaded->spec;
      header.schema = std::make_shared<const model::RunSchema>(model::RunSchema::for_scenario(loaded->spec));
      sink.begin(header);
      const auto summary = run.execute(sink);
      if (reuse) {
        // Reuse happened: the loop's tables are well below everyone created.
        EXPECT_LT(summary.person_slots * 10, summary.persons * 9) << loaded->spec.name;
      } else {
        EXPECT_EQ(summary.person_slots, summary.persons) << loaded->spec.name;
      }
    }
    EXPECT_GT(with.events().size(), 1000u) << loaded->spec.name;
    EXPECT_TRUE(with.events() == without.events()) << loaded->spec.name;
    EXPECT_TRUE(with.persons() == without.persons()) << loaded->spec.name;
    EXPECT_TRUE(with.census() == without.census()) << loaded->spec.name;
    EXPECT_TRUE(with.flows() == without.flows()) << loaded->spec.name;
    EXPECT_TRUE(with.pools() == without.pools()) << loaded->spec.name;
  }
}

// Training time counts only while supervised: with one slot and two trainees
// arriving together, the second starts when the first finishes.
TEST(Run, TrainingWaitsForSupervision) {
  const auto loaded = test::load(R"(
[scenario]
name = "queue"
start_date = 2020-01-01
horizon_days = 1000
[pools.supervision]
capacity = 1
[states.trainee]
kind = "training"
needs = "supervision"
[states.done]
kind = "exit"
[routes.r]
enters = "trainee"
intake = { first_day = 10, places = 2 }
[[transitions]]
from = "trainee"
after_days = 100
to = "done"
)");
  const auto s = run(loaded);
  EXPECT_EQ(s.persons()[model::cols::persons::exit_day], (std::vector<double>{110, 210}));
  double longest = 0;
  for (double w : s.pools()[model::cols::pools::max_wait_days])
    if (!std::isnan(w)) longest = std::max(longest, w);
  EXPECT_EQ(longest, 100.0);
}

// Promotion that needs a vacancy: people wait in an "awaiting" state that
// needs the posts pool; the senior state occupies it, so a leaver's post goes
// to the longest waiter.
TEST(Run, PromotionWaitsForAVacancy) {
  const auto loaded = test::load(R"toml(
[scenario]
name = "vacancy"
start_date = 2020-01-01
horizon_days = 1000
census = { every_days = 50 }
[pools.senior_posts]
capacity = 2
[states.awaiting]
kind = "post"
needs = "senior_posts"
[states.senior]
kind = "post"
occupies = "senior_posts"
[states.gone]
kind = "exit"
[routes.r]
enters = "awaiting"
intake = { first_day = 10, places = 3 }
[stock.senior]
count = 2
[[transitions]]
from = "awaiting"
after_days = 0
to = "senior"
event = "promoted"
[[transitions]]
from = "senior"
after_days = 100
to = "gone"
)toml");
  const auto s = run(loaded);
  const int promoted = loaded.spec.event_index("promoted");
  std::vector<std::pair<double, int>> promotions;
  for (const auto& e : test::events(s))
    if (e.event == promoted) promotions.emplace_back(e.day, e.person_id);
  // Persons 0-1 are the stock (leave on day 100); 2-4 arrive on day 10.
  EXPECT_EQ(promotions, (std::vector<std::pair<double, int>>{{100, 2}, {100, 3}, {200, 4}}));
  for (std::size_t i = 0; i < s.pools().size(); ++i) EXPECT_LE(s.pools()[model::cols::pools::in_use][i], 2);
  EXPECT_EQ(s.persons()[model::cols::persons::exit_day][4], 300.0);
}

// Two pull intake tables of one route, counting different states: each fills
// its establishment against its own counts.
TEST(Run, PullIntakesCountTheirOwnStates) {
  const auto loaded = test::load(R"toml(
[scenario]
name = "pull"
start_date = 2020-01-01
horizon_days = 100
[states.a]
kind = "post"
[states.b]
kind = "post"
[states.gone]
kind = "exit"
[routes.r]
enters = "a"
intake = [ { first_day = 10, establishment = 5, counts = ["a"] },
           { first_day = 20, establishment = 7, counts = ["a", "b"] } ]
[stock.b]
count = 3
[[transitions]]
from = "a"
after_days = 500
to = "gone"
[[transitions]]
from = "b"
after_days = 500
to = "gone"
)toml");
  const auto s = run(loaded);
  const int a = loaded.spec.state_index("a");
  std::vector<double> recruited;
  for (const auto& e : test::events(s))
    if (e.from_state < 0 && e.to_state == a) recruited.push_back(e.day);
  // Day 10: nobody in a, 5 recruits. Day 20: 5 in a + 3 in b = 8 >= 7, none.
  EXPECT_EQ(recruited, std::vector<double>(5, 10.0));
}

// Durations of 1e-300 days and a hazard of 1e300 a day make a cycle that takes
// no time in practice: the run stops with the person and states named, long
// before it could hang or write without end.
TEST(Run, ACycleThatTakesNoTimeStopsTheRunNamingIt) {
  const auto loaded = test::load(R"toml(
[scenario]
name = "tiny-loop"
start_date = 2020-01-01
horizon_years = 2
[parameters]
tiny = 1e-300
[states.a]
kind = "post"
[states.b]
kind = "post"
[states.gone]
kind = "exit"
[stock.a]
count = 10
[[transitions]]
from = "a"
after_days = "tiny"
to = "b"
[[transitions]]
from = "b"
hazard = { per_day = 1e300 }
to = "a"
[[transitions]]
from = "b"
hazard = { per_year = 0.1 }
to = "gone"
)toml");
  try {
    (void)run(loaded);
    FAIL() << "the run did not stop";
  } catch (const core::SimulationError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("simulated time stopped advancing"), std::string::npos) << what;
    EXPECT_NE(what.find("a -> b -> a"), std::string::npos) << what;
  }
}

// The census has a row for every state and census cell in every period, with
// zeros, so every series starts at the start.
TEST(Run, CensusRowsCoverEveryStateAndCellEveryPeriod) {
  // Without the EMHP trainees already in training on the start date, nobody is
  // an EMHP trainee before the first EMHP intake (January 2021).
  const auto loaded = scenario::load_scenario_file(test::source_path("scenarios/cyp_psychological_professions.toml"),
                                                   {{"parameters.emhp_trainees_at_start=0"}});
  const auto s = run(loaded);
  std::size_t cells = 1;
  for (int a : loaded.spec.census.by)
    cells *= a == model::kRouteAttribute ? loaded.spec.routes.size() + 1 : loaded.spec.attributes[static_cast<std::size_t>(a)].levels.size();
  const auto periods = period_ends(s).size();
  EXPECT_EQ(s.census().size(), periods * loaded.spec.states.size() * cells);
  // Period 0 lists the states nobody has reached yet, with 0.
  const int senior = loaded.spec.state_index("emhp_trainee");  // the first EMHP intake is in January 2021
  long first = -1;
  for (std::size_t i = 0; i < s.census().size(); ++i)
    if (s.census()[model::cols::census::period][i] == 0 && s.census()[model::cols::census::state][i] == senior)
      first = std::max<long>(first, 0) + s.census()[model::cols::census::headcount][i];
  EXPECT_EQ(first, 0);
}
