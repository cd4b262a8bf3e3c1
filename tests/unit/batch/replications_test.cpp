#include "sim/batch/replications.hpp"

#include <gtest/gtest.h>

#include "tests/support/scenario_text.hpp"
#include "tests/support/tiny_scenario.hpp"

using namespace tsim;

// Replication r of a variant is the same file on 1 thread or 3.
TEST(Replications, SameFilesWhateverTheThreads) {
  const test::TempDir dir("replications");
  const auto loaded = test::load(test::kTinyScenario);
  batch::ReplicationSettings settings;
  settings.master_seed = 5;
  settings.replications = 4;
  settings.record_level = model::RecordLevel::census;
  settings.indicators = true;
  std::vector<std::vector<batch::FileRun>> runs;
  for (std::size_t threads : {1u, 3u}) {
    settings.threads = threads;
    const auto folder = (dir.path() / std::to_string(threads)).string();
    std::uint32_t calls = 0;
    batch::VariantProgress last;
    runs.push_back(batch::run_replications(loaded, "baseline", folder, settings,
                                           [&](const batch::VariantProgress& p) {
                                             EXPECT_EQ(p.replications, 4u);
                                             // Progress over all replications only moves forward.
                                             EXPECT_GE(p.fraction, last.fraction - 1e-12);
                                             EXPECT_GE(p.finished, last.finished);
                                             last = p;
                                             ++calls;
                                           }));
    // Every replication reports each of its 3 yearly census periods, then its end.
    EXPECT_GE(calls, 4u * 4u);
    EXPECT_EQ(last.finished, 4u);
    EXPECT_NEAR(last.fraction, 1.0, 1e-12);
  }
  for (std::uint32_t r = 0; r < 4; ++r) {
    const auto& a = runs[0][r];
    const auto& b = runs[1][r];
    EXPECT_EQ(a.error, "");
    EXPECT_EQ(a.path, batch::replication_path((dir.path() / "1").string(), r));
    EXPECT_EQ(test::slurp(a.path), test::slurp(b.path)) << "replication " << r;
    EXPECT_EQ(a.indicators.values.size(), b.indicators.values.size());
  }
  // Different replications are different runs.
  EXPECT_NE(test::slurp(runs[0][0].path), test::slurp(runs[0][1].path));
}

TEST(Replications, PathNaming) {
  EXPECT_EQ(batch::replication_path("out/baseline", 12), "out/baseline/run_12.h5");
}

// The mean headcount `run` prints: (1 + 2 + 4) / 3 for state 0, summed as x/3 + y/3 + z/3.
TEST(Replications, MeanFinalHeadcount) {
  std::vector<batch::FileRun> runs(3);
  const std::int64_t h[] = {1, 2, 4};
  for (int r = 0; r < 3; ++r) runs[r].summary.final_headcount = {h[r], 10};
  const auto m = batch::mean_final_headcount(runs, 2);
  EXPECT_EQ(m[0], 1.0 / 3 + 2.0 / 3 + 4.0 / 3);
  EXPECT_DOUBLE_EQ(m[1], 10.0);
  EXPECT_EQ(batch::mean_final_headcount({}, 2), (std::vector<double>{0, 0}));
}
