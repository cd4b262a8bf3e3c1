#include "sim/batch/run_one.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "output/run_file_reader.hpp"
#include "sim/core/error.hpp"
#include "sim/model/memory_sink.hpp"
#include "tests/support/scenario_text.hpp"
#include "tests/support/tiny_scenario.hpp"

using namespace tsim;
namespace fs = std::filesystem;

// run_one drives the whole sink protocol: begin with the header, the run, finish.
TEST(RunOne, DrivesAMemorySinkFromBeginToFinish) {
  const auto loaded = test::load(test::kTinyScenario);
  batch::RunRequest request;
  request.master_seed = 9;
  request.replication = 2;
  int progress_calls = 0;
  request.progress = [&](double f) {
    EXPECT_GE(f, 0.0);
    EXPECT_LE(f, 1.0);
    ++progress_calls;
  };
  model::MemorySink sink;
  const auto summary = batch::run_one(loaded, request, sink);
  EXPECT_TRUE(sink.finished());
  EXPECT_EQ(sink.header().spec, &loaded.spec);
  EXPECT_EQ(summary.persons, 450u);  // 150 a year for 3 intakes
  EXPECT_EQ(summary.persons, sink.persons().size());
  EXPECT_GT(progress_calls, 0);
  // Same request, same records.
  model::MemorySink again;
  (void)batch::run_one(loaded, request, again);
  EXPECT_TRUE(again.events() == sink.events());
  EXPECT_TRUE(again.census() == sink.census());
}

TEST(RunOne, WritesAFileWithIndicators) {
  const test::TempDir dir("run_one_file");
  const auto loaded = test::load(test::kTinyScenario);
  batch::RunRequest request;
  request.record_level = model::RecordLevel::census;
  const auto path = (dir.path() / "deep/er/run_0.h5").string();  // folders are created
  const auto run = batch::run_to_file(loaded, request, path, batch::Indicators::computed);
  EXPECT_EQ(run.error, "");
  EXPECT_EQ(run.path, path);
  EXPECT_TRUE(fs::exists(path));
  EXPECT_EQ(run.bytes, fs::file_size(path));
  EXPECT_GT(run.seconds, 0.0);
  EXPECT_FALSE(run.indicators.names.empty());
  EXPECT_EQ(run.indicators.names.size(), run.indicators.values.size());
  EXPECT_TRUE(batch::run_to_file(loaded, request, (dir.path() / "plain.h5").string(), batch::Indicators::none).indicators.names.empty());
}

// Failures become FileRun::error, never an exception, and leave no file.
TEST(RunOne, FailureIsReportedNotThrown) {
  const test::TempDir dir("run_one_fail");
  const auto blocker = dir.write("not_a_folder", "x");
  const auto loaded = test::load(test::kTinyScenario);
  const auto run = batch::run_to_file(loaded, {}, blocker + "/run_0.h5", batch::Indicators::none);
  EXPECT_NE(run.error, "");
  EXPECT_FALSE(fs::exists(blocker + "/run_0.h5"));
}

// A stop flag that is already set ends the run with Cancelled; no file, no partial file.
TEST(RunOne, StopFlagCancelsAndCleansUp) {
  const test::TempDir dir("run_one_stop");
  const auto loaded = test::load(test::kTinyScenario);
  std::atomic<bool> stop{true};
  batch::RunRequest request;
  request.stop = &stop;
  const auto path = (dir.path() / "run_0.h5").string();
  EXPECT_THROW((void)batch::run_to_file(loaded, request, path, batch::Indicators::none), core::Cancelled);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".partial"));
}

// Indicators::in_file writes /indicators (what a sweep's index reads back);
// a file checked for them without it is another run, and one with it
// verifies in full.
TEST(RunOne, KeepsIndicatorsInTheFileWhenAsked) {
  const test::TempDir dir("run_one_in_file");
  const auto loaded = test::load(test::kTinyScenario);
  batch::RunRequest request;
  request.record_level = model::RecordLevel::census;
  const auto with = (dir.path() / "with.h5").string(), without = (dir.path() / "without.h5").string();
  const auto run = batch::run_to_file(loaded, request, with, batch::Indicators::in_file);
  ASSERT_EQ(run.error, "");
  ASSERT_EQ(batch::run_to_file(loaded, request, without, batch::Indicators::computed).error, "");
  output::ExpectedRun expected{loaded.sha256, request.master_seed, 0, request.record_level, &loaded.spec, true};
  for (const auto depth : {output::CheckDepth::attributes, output::CheckDepth::full}) {
    const auto found = output::check_run_file(with, expected, depth);
    ASSERT_EQ(found.status, output::RunFileStatus::done) << found.reason;
    EXPECT_EQ(found.indicators.names, run.indicators.names);
    ASSERT_EQ(found.indicators.values.size(), run.indicators.values.size());
    for (std::size_t i = 0; i < run.indicators.values.size(); ++i) {
      const double a = found.indicators.values[i], b = run.indicators.values[i];
      EXPECT_TRUE(a == b || (std::isnan(a) && std::isnan(b))) << run.indicators.names[i];
    }
    const auto old = output::check_run_file(without, expected, depth);
    EXPECT_EQ(old.status, output::RunFileStatus::other);
    EXPECT_EQ(old.reason, "no /indicators (written before sweeps kept them)");
  }
  // Not asked for: a file with /indicators is not what a plain run writes.
  expected.indicators = false;
  EXPECT_EQ(output::check_run_file(with, expected).status, output::RunFileStatus::damaged);
  EXPECT_EQ(output::check_run_file(without, expected).status, output::RunFileStatus::done);
}
