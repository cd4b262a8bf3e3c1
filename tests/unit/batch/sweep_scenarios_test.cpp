#include "sim/batch/sweep_scenarios.hpp"

#include <gtest/gtest.h>

#include "sim/core/error.hpp"
#include "tests/support/tiny_sweep.hpp"

using namespace tsim;

// Every (variant, sample) loads once with its overrides and policies; a slot
// that cannot load keeps its error and the others still load.
TEST(SweepScenarios, LoadsEverySlotAndKeepsFailures) {
  const test::TempDir dir("sweep_scenarios");
  (void)dir.write("broken.toml", test::kBrokenPolicy);
  const auto sweep = scenario::load_sweep_file(test::write_tiny_sweep(dir, R"(, "broken.toml")"));
  const auto plan = batch::make_sweep_plan(sweep);
  ASSERT_EQ(plan.variants().size(), 3u);
  const batch::SweepScenarios scenarios(sweep, plan);
  ASSERT_EQ(scenarios.size(), 6u);
  for (std::size_t k = 0; k < 2; ++k) {
    ASSERT_NE(scenarios.get(plan.slot(0, k)), nullptr);
    EXPECT_EQ(scenarios.get(plan.slot(0, k))->spec.policies.size(), 0u);
    EXPECT_EQ(scenarios.get(plan.slot(1, k))->spec.policies, (std::vector<std::string>{"senior-posts"}));
    EXPECT_EQ(scenarios.get(plan.slot(2, k)), nullptr);
    EXPECT_NE(scenarios.error(plan.slot(2, k)).find("nowhere"), std::string::npos) << scenarios.error(plan.slot(2, k));
  }
  // The samples differ (cohort 60 vs 90), so do their hashes.
  EXPECT_NE(scenarios.get(plan.slot(0, 0))->sha256, scenarios.get(plan.slot(0, 1))->sha256);
}

// check_all_load: nothing to say when every slot loads; else each distinct
// problem once (the broken policy fails alike in both samples), then the
// closing line at [sweep].
TEST(SweepScenarios, CheckAllLoadNamesEachProblemOnce) {
  const test::TempDir dir("sweep_scenarios_check");
  const auto good = scenario::load_sweep_file(test::write_tiny_sweep(dir));
  const auto good_plan = batch::make_sweep_plan(good);
  EXPECT_NO_THROW(batch::check_all_load(good, good_plan, batch::SweepScenarios(good, good_plan)));
  (void)dir.write("broken.toml", test::kBrokenPolicy);
  const auto sweep = scenario::load_sweep_file(test::write_tiny_sweep(dir, R"(, "broken.toml")"));
  const auto plan = batch::make_sweep_plan(sweep);
  try {
    batch::check_all_load(sweep, plan, batch::SweepScenarios(sweep, plan));
    FAIL() << "a slot that cannot load must stop the sweep";
  } catch (const core::InputError& e) {
    ASSERT_EQ(e.problems().size(), 2u) << e.what();
    EXPECT_NE(e.problems()[0].message.find("sample 0"), std::string::npos) << e.what();
    EXPECT_NE(e.problems()[0].message.find("nowhere"), std::string::npos) << e.what();
    EXPECT_NE(e.problems()[0].message.find("(and 1 other variant/sample(s) alike)"), std::string::npos) << e.what();
    EXPECT_EQ(e.problems()[1].where.line, sweep.where.line);
    EXPECT_NE(e.problems()[1].message.find("not started"), std::string::npos) << e.what();
  }
}

TEST(SweepScenarios, ABrokenBaseScenarioStopsTheSweep) {
  const test::TempDir dir("sweep_scenarios_base");
  const auto path = test::write_tiny_sweep(dir);
  const auto sweep = scenario::load_sweep_file(path);
  (void)dir.write("tiny.toml", "[scenario]\nname = 3\n");
  EXPECT_THROW(batch::SweepScenarios(sweep, batch::make_sweep_plan(sweep)), core::InputError);
}

// A grid over a policy's own parameter: the baseline runs without it (the
// policy's neutral value); a grid key that overrides the only thing a policy
// sets makes that slot the baseline's scenario, and the slot says so.
TEST(SweepScenarios, PolicyParametersVaryAndSlotsEqualToTheBaselineAreFlagged) {
  const test::TempDir dir("sweep_scenarios_policy_keys");
  (void)dir.write("tiny.toml", test::kTinyScenario);
  (void)dir.write("ret.toml", R"toml([policy]
name = "retention"
[parameters]
effect = 0.25
[[modifiers]]
from = ["post"]
to = ["left"]
factor = "1 - effect"
)toml");
  (void)dir.write("big.toml", "[policy]\nname = \"big\"\n[parameters]\ncohort = 90\n");
  const auto path = dir.write("sweep.toml", R"toml([sweep]
name = "policy-keys"
scenario = "tiny.toml"
policies = ["ret.toml", "big.toml"]
[grid]
"policy.retention.effect" = [0, 0.4]
"parameters.cohort" = [60, 90]
)toml");
  const auto sweep = scenario::load_sweep_file(path);
  const auto plan = batch::make_sweep_plan(sweep);
  const batch::SweepScenarios scenarios(sweep, plan);
  ASSERT_EQ(plan.samples(), 4u);  // keys in name order, cohort slowest: (60, 0), (60, 0.4), (90, 0), (90, 0.4)
  for (std::size_t k = 0; k < 4; ++k) {
    ASSERT_NE(scenarios.get(plan.slot(0, k)), nullptr) << scenarios.error(plan.slot(0, k));
    ASSERT_NE(scenarios.get(plan.slot(1, k)), nullptr) << scenarios.error(plan.slot(1, k));
    EXPECT_FALSE(scenarios.same_as_baseline(plan.slot(0, k)));
    EXPECT_FALSE(scenarios.same_as_baseline(plan.slot(1, k)));
    // "big" sets cohort = 90, which the grid then overrides: always the baseline.
    EXPECT_TRUE(scenarios.same_as_baseline(plan.slot(2, k)));
  }
  // The baseline ignores the policy's key: samples differing only in it are one scenario.
  EXPECT_EQ(scenarios.get(plan.slot(0, 0))->sha256, scenarios.get(plan.slot(0, 1))->sha256);
  EXPECT_NE(scenarios.get(plan.slot(1, 0))->sha256, scenarios.get(plan.slot(1, 1))->sha256);
}

TEST(SweepScenarios, APolicyKeyMustNameAPolicyOfTheSweep) {
  const test::TempDir dir("sweep_scenarios_bad_policy_key");
  (void)dir.write("tiny.toml", test::kTinyScenario);
  (void)dir.write("senior.toml", test::kSeniorPolicy);
  const auto path = dir.write("sweep.toml", R"toml([sweep]
name = "bad-key"
scenario = "tiny.toml"
policies = ["senior.toml"]
[grid]
"policy.senior.x" = [0, 1]
)toml");
  try {
    (void)scenario::load_sweep_file(path);
    FAIL() << "expected an error";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("sweep.toml:6:1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("names no policy of this run"), std::string::npos) << e.what();
  }
}
