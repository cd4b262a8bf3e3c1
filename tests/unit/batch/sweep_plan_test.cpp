#include "sim/batch/sweep_plan.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace tsim;

// The global order is part of the determinism contract: variant-major, then
// sample, then replication; item i writes <variant>/s<k>/run_<r>.h5.
TEST(SweepPlan, FixedGlobalOrder) {
  const batch::SweepPlan plan({{"baseline", {}}, {"ladder", {"ladder.toml"}}}, 2, 3);
  ASSERT_EQ(plan.items().size(), 12u);
  const char* files[] = {"baseline/s0/run_0.h5", "baseline/s0/run_1.h5", "baseline/s0/run_2.h5",
                         "baseline/s1/run_0.h5", "baseline/s1/run_1.h5", "baseline/s1/run_2.h5",
                         "ladder/s0/run_0.h5",   "ladder/s0/run_1.h5",   "ladder/s0/run_2.h5",
                         "ladder/s1/run_0.h5",   "ladder/s1/run_1.h5",   "ladder/s1/run_2.h5"};
  for (std::size_t i = 0; i < 12; ++i) {
    const auto& it = plan.items()[i];
    EXPECT_EQ(it.index, i);
    EXPECT_EQ(it.file, files[i]);
    EXPECT_EQ(it.variant, i / 6);
    EXPECT_EQ(it.sample, (i / 3) % 2);
    EXPECT_EQ(it.replication, i % 3);
    EXPECT_EQ(&plan.item(it.variant, it.sample, it.replication), &it);
  }
  EXPECT_EQ(plan.slot(1, 1), 3u);
}

// Shard i of N takes the items with index % N == i; the shards partition the plan.
TEST(SweepPlan, ShardsPartitionTheItems) {
  const batch::SweepPlan plan({{"baseline", {}}}, 3, 4);  // 12 items
  EXPECT_EQ(plan.shard({0, 1}).size(), 12u);
  EXPECT_EQ(plan.shard({1, 3}), (std::vector<std::size_t>{1, 4, 7, 10}));
  EXPECT_EQ(plan.shard({4, 5}), (std::vector<std::size_t>{4, 9}));
  std::set<std::size_t> all;
  for (std::size_t i = 0; i < 5; ++i)
    for (auto k : plan.shard({i, 5})) EXPECT_TRUE(all.insert(k).second) << k << " in two shards";
  EXPECT_EQ(all.size(), 12u);
  EXPECT_THROW((void)plan.shard({2, 2}), std::invalid_argument);
}

TEST(SweepPlan, ParsesShards) {
  const auto s = batch::parse_shard("2/5");
  EXPECT_EQ(s.index, 2u);
  EXPECT_EQ(s.count, 5u);
  for (const char* bad : {"5/5", "-1/3", "1/0", "1", "1/2x", "a/b", "1:2"}) {
    try {
      (void)batch::parse_shard(bad);
      ADD_FAILURE() << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()), std::string("--shard must be i/N with 0 <= i < N, got '") + bad + "'");
    }
  }
}

// Variants: the baseline (unless switched off), then one per policy, named
// by [policy] name or, when the file cannot be read, by its stem.
TEST(SweepPlan, VariantsOfASweepFile) {
  scenario::SweepSpec sweep;
  sweep.policy_paths = {"/nonexistent/folder/my_policy.toml"};
  sweep.replications = 2;
  sweep.samples = {{}, {}};
  const auto plan = batch::make_sweep_plan(sweep);
  ASSERT_EQ(plan.variants().size(), 2u);
  EXPECT_EQ(plan.variants()[0].name, "baseline");
  EXPECT_TRUE(plan.variants()[0].policies.empty());
  EXPECT_EQ(plan.variants()[1].name, "my_policy");
  EXPECT_EQ(plan.variants()[1].policies, sweep.policy_paths);
  EXPECT_EQ(plan.items().size(), 8u);
  sweep.baseline = false;
  EXPECT_EQ(batch::sweep_variants(sweep).size(), 1u);
}
