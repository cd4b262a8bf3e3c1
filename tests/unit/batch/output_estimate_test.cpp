#include "sim/batch/output_estimate.hpp"

#include <filesystem>
#include <gtest/gtest.h>

#include "sim/batch/run_one.hpp"
#include "tests/support/scenario_text.hpp"
#include "tests/support/tiny_scenario.hpp"

using namespace tsim;

namespace {

// A one-state-at-a-time chain: a -> b after exactly 1 year, b -> out at 1/year.
constexpr const char* kChain = R"toml([scenario]
name = "chain"
start_date = 2020-01-01
horizon_years = 40
census = { every = "year" }

[states.a]
kind = "training"

[states.b]
kind = "post"

[states.out]
kind = "exit"

[[transitions]]
from = "a"
after_years = 1
to = "b"

[[transitions]]
from = "b"
hazard = { per_year = 1.0 }
to = "out"

[stock.a]
count = 1000
)toml";

}  // namespace

// Over a long horizon everyone makes both moves: arrival + 2 rows. The
// approximation is a Markov chain in 7-day steps, so allow 2% (the step's
// share of the one-year and one-year-mean stays is under 2%).
TEST(OutputEstimate, EveryMoveCountsOverALongHorizon) {
  const auto loaded = test::load(kChain);
  EXPECT_NEAR(batch::events_per_person(loaded.spec, 0, 40 * 365.2425), 3.0, 0.02);
  // No time: only the arrival.
  EXPECT_DOUBLE_EQ(batch::events_per_person(loaded.spec, 0, 0), 1.0);
  // From b, with one year: 1 - exp(-1) of them leave (0.632), within a step's error.
  EXPECT_NEAR(batch::events_per_person(loaded.spec, 1, 365.2425), 1.0 + (1 - std::exp(-1.0)), 0.02);
}

TEST(OutputEstimate, RecordLevelsOrderTheSizes) {
  const auto loaded = test::load(kChain);
  const auto full = batch::estimate_run(loaded.spec, model::RecordLevel::full);
  const auto census = batch::estimate_run(loaded.spec, model::RecordLevel::census);
  const auto summary = batch::estimate_run(loaded.spec, model::RecordLevel::summary);
  EXPECT_DOUBLE_EQ(full.people, 1000);
  EXPECT_NEAR(full.events, 3000, 30);
  EXPECT_GT(full.file_bytes, census.file_bytes);
  EXPECT_GT(census.file_bytes, summary.file_bytes);
  EXPECT_GT(full.memory_bytes, summary.memory_bytes);
}

// The estimate is within a factor of 2 of what a shipped scenario really
// writes at the full record level: rows of /events (how far the Markov
// approximation of the career graph is from the simulation) and the file's
// size (the compressed bytes per row are constants measured on the shipped
// scenarios, which ranged 11.6-19.2 bytes per person row and 0.9-3.4 per
// event row, so no shipped scenario sits more than 1.6x from them).
TEST(OutputEstimate, WithinAFactorOfTwoOnAShippedScenario) {
  const test::TempDir dir("estimate");
  for (const char* name : {"scenarios/mental_health_commissioning_2020.toml", "scenarios/clinical_psychology.toml"}) {
    const auto loaded = scenario::load_scenario_file(test::source_path(name));
    const auto estimate = batch::estimate_run(loaded.spec, model::RecordLevel::full);
    batch::RunRequest request;
    request.record_level = model::RecordLevel::full;
    const auto path = (dir.path() / "run.h5").string();
    const auto done = batch::run_to_file(loaded, request, path, batch::Indicators::none);
    ASSERT_EQ(done.error, "") << name;
    const double events = static_cast<double>(done.summary.records);
    const double bytes = static_cast<double>(std::filesystem::file_size(path));
    EXPECT_NEAR(estimate.people, static_cast<double>(done.summary.persons), 0.05 * estimate.people) << name;
    EXPECT_GT(estimate.events, events / 2) << name;
    EXPECT_LT(estimate.events, events * 2) << name;
    EXPECT_GT(estimate.file_bytes, bytes / 2) << name;
    EXPECT_LT(estimate.file_bytes, bytes * 2) << name;
    std::filesystem::remove(path);
  }
}

namespace {

// 1,000 join every year for 40 years, train for exactly a year, then leave
// at 1 a year. The most present at once, just after an intake late in the
// run: the new cohort, the one finishing training and the earlier ones still
// in post, 1000 x (1 + 1 + e^-1 + e^-2 + ...) = 1000 x (1 + 1 / (1 - e^-1))
// = 2,582 of the 40,000 who came. The estimate's Markov approximation leaves
// training at a constant rate (1 a year) instead of after exactly a year, so
// a cohort a years in is present with chance e^-a (1 + a) (two exponential
// stages), and at an intake late in the run it has 1000 x sum over a of
// e^-a (1 + a) = 1000 x (1 / (1 - q) + q / (1 - q)^2), q = e^-1: 2,503.
constexpr const char* kYearlyCohorts = R"toml([scenario]
name = "cohorts"
start_date = 2020-01-01
horizon_days = 14610
census = { every = "year" }

[states.a]
kind = "training"

[states.b]
kind = "post"

[states.out]
kind = "exit"

[routes.yearly]
enters = "a"
intake = { first_day = 0, every_days = 365.25, count = 40, places = 1000 }

[[transitions]]
from = "a"
after_years = 1
to = "b"

[[transitions]]
from = "b"
hazard = { per_year = 1.0 }
to = "out"
)toml";

}  // namespace

// The people present at once (the most over the run) worked out by hand
// above: the approximation's value within 1% (its 7-day steps count a year
// as 52 weeks, ~0.6% here), and within 5% of the simulation's. With lean
// memory only they are held; without it everyone who came is.
TEST(OutputEstimate, PresentPeopleWorkedOutByHand) {
  const auto loaded = test::load(kYearlyCohorts);
  const auto lean = batch::estimate_run(loaded.spec, model::RecordLevel::full, true);
  const auto all = batch::estimate_run(loaded.spec, model::RecordLevel::full, false);
  const double q = std::exp(-1.0);
  const double approximation = 1000.0 * (1 / (1 - q) + q / ((1 - q) * (1 - q)));
  const double simulated = 1000.0 * (1 + 1 / (1 - q));
  EXPECT_DOUBLE_EQ(lean.people, 40000);
  EXPECT_NEAR(lean.present, approximation, 0.01 * approximation);
  EXPECT_NEAR(lean.present, simulated, 0.05 * simulated);
  EXPECT_DOUBLE_EQ(lean.held, lean.present);
  EXPECT_DOUBLE_EQ(all.held, 40000);
  // Memory by the constants (output_estimate.hpp): no attributes, no providers.
  const double rows = lean.held * batch::kPersonsRowMemoryBytes + (40000 - lean.held) * batch::kLeaverRowMemoryBytes;
  EXPECT_DOUBLE_EQ(lean.memory_bytes, lean.held * (batch::kLoopRecordBytes + batch::kSlotIdBytes) + rows +
                                          lean.present * batch::kPendingEventBytes + batch::kWriterBuffersFull);
  EXPECT_DOUBLE_EQ(all.memory_bytes, 40000 * (batch::kLoopRecordBytes + batch::kPersonsRowMemoryBytes) +
                                         all.present * batch::kPendingEventBytes + batch::kWriterBuffersFull);
  // A summary run keeps 24 bytes a person of their row, not 80.
  const auto summary = batch::estimate_run(loaded.spec, model::RecordLevel::summary, false);
  EXPECT_DOUBLE_EQ(summary.memory_bytes, 40000 * (batch::kLoopRecordBytes + batch::kBasicsMemoryBytes) +
                                             summary.present * batch::kPendingEventBytes +
                                             batch::kWriterBuffersSummary);
}
