#include "sim/batch/sweep_runner.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/tiny_sweep.hpp"

using namespace tsim;
namespace fs = std::filesystem;

namespace {
struct Sweep {
  explicit Sweep(const test::TempDir& dir)
      : spec(scenario::load_sweep_file(test::write_tiny_sweep(dir))), plan(batch::make_sweep_plan(spec)),
        scenarios(spec, plan) {}
  batch::SweepRunResult run(const std::string& out, std::size_t threads, const std::vector<std::size_t>& todo,
                            const std::atomic<bool>* stop = nullptr) const {
    return batch::run_sweep_items(plan, scenarios, spec.seed, spec.record, todo, out, threads, stop, {});
  }
  std::vector<std::size_t> all() const { return plan.shard({0, 1}); }
  scenario::SweepSpec spec;
  batch::SweepPlan plan;
  batch::SweepScenarios scenarios;
};
}  // namespace

// One thread or three, all at once or as two shards: the same bytes in every file.
TEST(SweepRunner, SameFilesForThreadsAndShards) {
  const test::TempDir dir("sweep_runner");
  const Sweep s(dir);
  const auto one = (dir.path() / "one").string(), three = (dir.path() / "three").string(),
             shards = (dir.path() / "shards").string();
  const auto r1 = s.run(one, 1, s.all());
  EXPECT_EQ(r1.ran, 12u);
  EXPECT_EQ(r1.failed, 0u);
  EXPECT_GT(r1.bytes, 0u);
  EXPECT_EQ(s.run(three, 3, s.all()).ran, 12u);
  EXPECT_EQ(s.run(shards, 2, s.plan.shard({0, 2})).ran, 6u);
  EXPECT_EQ(s.run(shards, 2, s.plan.shard({1, 2})).ran, 6u);
  for (const auto& it : s.plan.items()) {
    const auto a = test::slurp(batch::item_path(one, it));
    EXPECT_GT(a.size(), 0u) << it.file;
    EXPECT_EQ(a, test::slurp(batch::item_path(three, it))) << it.file;
    EXPECT_EQ(a, test::slurp(batch::item_path(shards, it))) << it.file;
    EXPECT_TRUE(batch::item_done_on_disk(one, it, s.scenarios.get(s.plan.slot(it.variant, it.sample)), s.spec.seed,
                                         s.spec.record));
  }
  EXPECT_TRUE(fs::exists(fs::path(one) / "sweep_timings.csv"));
}

// Rerunning resumes: finished files are recognised and skipped.
TEST(SweepRunner, ResumesBySkippingDoneFiles) {
  const test::TempDir dir("sweep_runner_resume");
  const Sweep s(dir);
  const auto out = (dir.path() / "out").string();
  (void)s.run(out, 2, s.plan.shard({0, 3}));
  std::vector<batch::SweepProgress> seen;
  batch::SweepCallbacks callbacks;
  callbacks.progress = [&](const batch::SweepProgress& p) { seen.push_back(p); };
  const auto again = batch::run_sweep_items(s.plan, s.scenarios, s.spec.seed, s.spec.record, s.all(), out, 2, nullptr,
                                            callbacks);
  EXPECT_EQ(again.skipped, 4u);
  EXPECT_EQ(again.ran, 8u);
  ASSERT_EQ(seen.size(), 12u);
  EXPECT_EQ(seen.back().finished, 12u);
  EXPECT_EQ(seen.back().total, 12u);
  EXPECT_EQ(seen.back().skipped, 4u);
}

// A stop flag that is set runs nothing and counts nothing.
TEST(SweepRunner, StopFlagRunsNothing) {
  const test::TempDir dir("sweep_runner_stop");
  const Sweep s(dir);
  std::atomic<bool> stop{true};
  const auto r = s.run((dir.path() / "out").string(), 2, s.all(), &stop);
  EXPECT_EQ(r.ran + r.skipped + r.failed, 0u);
  EXPECT_FALSE(fs::exists(dir.path() / "out/baseline"));
  EXPECT_EQ(test::slurp(dir.path() / "out/sweep_timings.csv"), "");
}

// A file that is there but does not verify is named and rewritten: the sweep
// ends with the same bytes as before the damage.
TEST(SweepRunner, RewritesDamagedFilesAndSaysSo) {
  const test::TempDir dir("sweep_runner_damaged");
  const Sweep s(dir);
  const auto out = (dir.path() / "out").string();
  (void)s.run(out, 2, s.all());
  const auto& truncated = s.plan.items()[1];
  const auto& emptied = s.plan.items()[4];
  const auto before = test::slurp(batch::item_path(out, truncated));
  fs::resize_file(batch::item_path(out, truncated), before.size() / 3);
  fs::resize_file(batch::item_path(out, emptied), 0);
  std::vector<std::string> notices;
  batch::SweepCallbacks callbacks;
  callbacks.notice = [&](const std::string& line) { notices.push_back(line); };
  const auto again = batch::run_sweep_items(s.plan, s.scenarios, s.spec.seed, s.spec.record, s.all(), out, 2, nullptr,
                                            callbacks);
  EXPECT_EQ(again.ran, 2u);
  EXPECT_EQ(again.skipped, 10u);
  ASSERT_EQ(notices.size(), 2u);
  std::sort(notices.begin(), notices.end());
  EXPECT_EQ(notices[0], truncated.file + ": damaged (truncated (" + std::to_string(before.size() / 3) + " of " +
                            std::to_string(before.size()) + " bytes)), rewriting");
  EXPECT_EQ(notices[1], emptied.file + ": damaged (empty file (0 bytes)), rewriting");
  EXPECT_EQ(test::slurp(batch::item_path(out, truncated)), before);
  for (const auto& it : s.plan.items()) EXPECT_TRUE(again.done[it.index]) << it.file;
}

// A file written at another record level is another run: rewritten at the sweep's.
TEST(SweepRunner, AnotherRecordLevelIsNotDone) {
  const test::TempDir dir("sweep_runner_level");
  const Sweep s(dir);
  const auto out = (dir.path() / "out").string();
  (void)batch::run_sweep_items(s.plan, s.scenarios, s.spec.seed, model::RecordLevel::full, {0}, out, 1, nullptr, {});
  const auto& it = s.plan.items()[0];
  const auto* loaded = s.scenarios.get(0);
  const auto found = batch::item_on_disk(out, it, loaded, s.spec.seed, s.spec.record);
  EXPECT_EQ(found.status, output::RunFileStatus::other);
  EXPECT_EQ(batch::describe(found), "another run (record level full, expected census)");
  std::vector<std::string> notices;
  batch::SweepCallbacks callbacks;
  callbacks.notice = [&](const std::string& line) { notices.push_back(line); };
  EXPECT_EQ(batch::run_sweep_items(s.plan, s.scenarios, s.spec.seed, s.spec.record, {0}, out, 1, nullptr, callbacks).ran,
            1u);
  EXPECT_EQ(notices, (std::vector<std::string>{it.file + ": another run (record level full, expected census), rewriting"}));
  EXPECT_TRUE(batch::item_done_on_disk(out, it, loaded, s.spec.seed, s.spec.record));
}
