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
