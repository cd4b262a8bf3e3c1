#include "sim/batch/sweep_index.hpp"

#include <gtest/gtest.h>

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
  const auto index = batch::build_sweep_index(sweep, plan, scenarios, result.errors, out);
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
  const auto file = batch::write_sweep_index_file(sweep, plan, scenarios, result.errors, out);
  EXPECT_EQ(file.path, (fs::path(out) / "sweep.h5").string());
  EXPECT_EQ(file.runs, 18u);
  EXPECT_EQ(file.done, 6u);
  EXPECT_TRUE(fs::exists(file.path));
  // Same files on disk, same index bytes.
  const auto first = test::slurp(file.path);
  (void)batch::write_sweep_index_file(sweep, plan, scenarios, {}, out);
  EXPECT_EQ(test::slurp(file.path), first);
}
