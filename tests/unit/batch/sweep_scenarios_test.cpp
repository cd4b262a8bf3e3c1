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

TEST(SweepScenarios, ABrokenBaseScenarioStopsTheSweep) {
  const test::TempDir dir("sweep_scenarios_base");
  const auto path = test::write_tiny_sweep(dir);
  const auto sweep = scenario::load_sweep_file(path);
  (void)dir.write("tiny.toml", "[scenario]\nname = 3\n");
  EXPECT_THROW(batch::SweepScenarios(sweep, batch::make_sweep_plan(sweep)), core::InputError);
}
