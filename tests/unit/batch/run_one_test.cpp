#include "sim/batch/run_one.hpp"

#include <gtest/gtest.h>

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
  const auto run = batch::run_to_file(loaded, request, path, true);
  EXPECT_EQ(run.error, "");
  EXPECT_EQ(run.path, path);
  EXPECT_TRUE(fs::exists(path));
  EXPECT_EQ(run.bytes, fs::file_size(path));
  EXPECT_GT(run.seconds, 0.0);
  EXPECT_FALSE(run.indicators.names.empty());
  EXPECT_EQ(run.indicators.names.size(), run.indicators.values.size());
  EXPECT_TRUE(batch::run_to_file(loaded, request, (dir.path() / "plain.h5").string(), false).indicators.names.empty());
}

// Failures become FileRun::error, never an exception, and leave no file.
TEST(RunOne, FailureIsReportedNotThrown) {
  const test::TempDir dir("run_one_fail");
  const auto blocker = dir.write("not_a_folder", "x");
  const auto loaded = test::load(test::kTinyScenario);
  const auto run = batch::run_to_file(loaded, {}, blocker + "/run_0.h5", false);
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
  EXPECT_THROW((void)batch::run_to_file(loaded, request, path, false), core::Cancelled);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".partial"));
}
