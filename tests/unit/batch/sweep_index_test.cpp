#include "sim/batch/sweep_index.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "sim/batch/sweep_runner.hpp"
#include "tests/support/tiny_sweep.hpp"

using namespace tsim;
namespace fs = std::filesystem;

// The index is rebuilt from the files on disk: what is there is "done", a
// slot that cannot load is "failed" with its reason, the rest "missing".
TEST(SweepIndex, StatusFromTheFilesOnDisk) {
  const test::TempDir dir("sweep_index");
  (void)dir.write("broken.toml", test::kBrokenPolicy);
  const auto sweep = scenario::load_sweep_file(test::write_tiny_sweep(dir, R"(, "broken.toml")"));
  const auto plan = batch::make_sweep_plan(sweep);
  const batch::SweepScenarios scenarios(sweep, plan);
  const auto out = (dir.path() / "out").string();
  fs::create_directories(out);
  const auto result = batch::run_sweep_items(plan, scenarios, sweep.seed, sweep.record, plan.shard({0, 2}), out, 2,
                                             nullptr, {});
  const auto index = batch::build_sweep_index(sweep, plan, scenarios, result, out);
  ASSERT_EQ(index.status.size(), 18u);
  for (const auto& it : plan.items()) {
    const std::string expected = it.variant == 2 ? "failed" : it.index % 2 == 0 ? "done" : "missing";
    EXPECT_EQ(index.status[it.index], expected) << it.file;
    EXPECT_EQ(index.file[it.index], it.file);
    EXPECT_EQ(index.error[it.index].empty(), expected != "failed");
  }
  EXPECT_EQ(index.parameter_names, (std::vector<std::string>{"parameters.cohort"}));
  EXPECT_EQ(index.parameter_values, (std::vector<std::vector<double>>{{60, 90}}));
  EXPECT_FALSE(index.aggregate.mean.empty());
  EXPECT_FALSE(index.paired.mean_difference.empty());
  const auto file = batch::write_sweep_index_file(sweep, plan, scenarios, result, out);
  EXPECT_EQ(file.path, (fs::path(out) / "sweep.h5").string());
  EXPECT_EQ(file.runs, 18u);
  EXPECT_EQ(file.done, 6u);
  EXPECT_TRUE(fs::exists(file.path));
  // Same files on disk, same index bytes.
  const auto first = test::slurp(file.path);
  (void)batch::write_sweep_index_file(sweep, plan, scenarios, {}, out);
  EXPECT_EQ(test::slurp(file.path), first);
}

// Files that do not verify are never "done": damaged ones are "failed" and
// files of another run "missing", each with the reason; the index is written.
TEST(SweepIndex, DamagedAndForeignFilesAreNotDone) {
  const test::TempDir dir("sweep_index_damaged");
  const auto sweep = scenario::load_sweep_file(test::write_tiny_sweep(dir));
  const auto plan = batch::make_sweep_plan(sweep);
  const batch::SweepScenarios scenarios(sweep, plan);
  const auto out = (dir.path() / "out").string();
  const auto ran = batch::run_sweep_items(plan, scenarios, sweep.seed, sweep.record, plan.shard({0, 1}), out, 2,
                                          nullptr, {});
  const auto path = [&](std::size_t i) { return batch::item_path(out, plan.items()[i]); };
  std::ofstream(path(0), std::ios::trunc) << "not a run file\n";
  fs::resize_file(path(1), 0);
  fs::remove(path(2));
  fs::copy_file(path(4), path(3), fs::copy_options::overwrite_existing);  // replication 1 where 0 belongs
  // What this process saw no longer matters for files it reads again in full.
  const auto index = batch::build_sweep_index(sweep, plan, scenarios, {}, out, 2);
  EXPECT_EQ(index.status[0], "failed");
  EXPECT_EQ(index.error[0], "damaged (not an HDF5 file)");
  EXPECT_EQ(index.status[1], "failed");
  EXPECT_EQ(index.error[1], "damaged (empty file (0 bytes))");
  EXPECT_EQ(index.status[2], "missing");
  EXPECT_EQ(index.error[2], "");
  EXPECT_EQ(index.status[3], "missing");
  EXPECT_EQ(index.error[3], "another run (replication 1, expected 0)");
  for (std::size_t i = 4; i < index.status.size(); ++i) EXPECT_EQ(index.status[i], "done") << i;
  const auto file = batch::write_sweep_index_file(sweep, plan, scenarios, ran, out);
  EXPECT_EQ(file.done, 8u);
  EXPECT_EQ(file.failed, 2u);
  ASSERT_EQ(file.problems.size(), 3u);
  EXPECT_EQ(file.problems[2].item, 3u);
  EXPECT_EQ(file.problems[2].status, "missing");
}

// Required: a policy run whose resolved scenario is the baseline's (a grid
// key overriding the only thing the policy sets) is flagged in /runs.
TEST(SweepIndex, FlagsRunsThatResolveToTheBaseline) {
  const test::TempDir dir("sweep_index_same");
  (void)dir.write("tiny.toml", test::kTinyScenario);
  (void)dir.write("big.toml", "[policy]\nname = \"big\"\n[parameters]\ncohort = 90\n");
  (void)dir.write("senior.toml", test::kSeniorPolicy);
  const auto path = dir.write("sweep.toml", R"toml([sweep]
name = "same"
scenario = "tiny.toml"
policies = ["big.toml", "senior.toml"]
[grid]
"parameters.cohort" = [60, 90]
)toml");
  const auto sweep = scenario::load_sweep_file(path);
  const auto plan = batch::make_sweep_plan(sweep);
  const batch::SweepScenarios scenarios(sweep, plan);
  const auto out = (dir.path() / "out").string();
  fs::create_directories(out);
  const auto index = batch::build_sweep_index(sweep, plan, scenarios, {}, out);
  ASSERT_EQ(index.same_as_baseline.size(), plan.items().size());
  for (const auto& it : plan.items())
    EXPECT_EQ(index.same_as_baseline[it.index], plan.variants()[it.variant].name == "big" ? 1 : 0) << it.file;
}
