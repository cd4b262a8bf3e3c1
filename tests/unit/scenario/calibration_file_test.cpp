#include "sim/scenario/calibration_file.hpp"
#include "sim/scenario/commission_file.hpp"
#include "sim/scenario/scenario.hpp"

#include <gtest/gtest.h>

#include "tests/support/tiny_scenario.hpp"

using namespace tsim;

TEST(CalibrationFile, ReadsFreeParametersAndTargets) {
  const test::TempDir dir("calibration_file");
  (void)dir.write("tiny.toml", test::kTinyScenario);
  const auto path = dir.write("cal.toml", R"toml([calibration]
name = "c"
scenario = "tiny.toml"
replications = 3
[free.cohort]
low = 100
high = 300
integer = true
[[targets]]
indicator = "staff headcount [CWP band 5] on 2022-03-31"
value = 200
sd = 10
source = "[X]"
)toml");
  const auto spec = scenario::load_calibration_file(path);
  EXPECT_EQ(spec.scenario_path, (dir.path() / "tiny.toml").string());
  EXPECT_EQ(spec.replications, 3);
  ASSERT_EQ(spec.free.size(), 1u);
  EXPECT_EQ(spec.free[0].name, "cohort");
  EXPECT_DOUBLE_EQ(spec.free[0].start, 200);  // the midpoint
  EXPECT_TRUE(spec.free[0].integer);
  ASSERT_EQ(spec.targets.size(), 1u);
  EXPECT_DOUBLE_EQ(spec.targets[0].sd, 10);
}

TEST(CalibrationFile, EveryProblemIsPlaced) {
  const test::TempDir dir("calibration_file_bad");
  (void)dir.write("tiny.toml", test::kTinyScenario);
  const auto path = dir.write("cal.toml", R"toml([calibration]
name = "c"
scenario = "tiny.toml"
[free.cohort]
low = 3
high = 1
[[targets]]
indicator = "x"
value = 1
sd = 0
)toml");
  try {
    (void)scenario::load_calibration_file(path);
    FAIL() << "expected errors";
  } catch (const core::InputError& e) {
    const std::string all = e.what();
    EXPECT_NE(all.find("cal.toml:4:1: error: [free.cohort] needs low < high"), std::string::npos) << all;
    EXPECT_NE(all.find("targets.0.sd must be > 0"), std::string::npos) << all;
    EXPECT_NE(all.find("needs 'source'"), std::string::npos) << all;
  }
  const auto unknown = dir.write("cal2.toml", R"toml([calibration]
name = "c"
scenario = "tiny.toml"
[free.cohrt]
low = 1
high = 3
[[targets]]
indicator = "x"
value = 1
sd = 1
source = "[X]"
)toml");
  try {
    (void)scenario::load_calibration_file(unknown);
    FAIL() << "expected an error";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("[free.cohrt] names no parameter of"), std::string::npos) << e.what();
  }
}

// The shipped calibration and commissioning examples load (their free
// parameters and places name parameters of their scenarios).
TEST(CalibrationFile, TheShippedExamplesLoad) {
  const std::string root = TSIM_SOURCE_DIR;
  const auto cal = scenario::load_calibration_file(root + "/scenarios/calibration/cyp_mhst_rollout.toml");
  EXPECT_EQ(cal.free.size(), 1u);
  EXPECT_EQ(cal.targets.size(), 2u);
  // `set` reaches the scenario before the free parameters (the typed-in 2024
  // and 2025 team counts follow the rollout rate being fitted).
  ASSERT_EQ(cal.set.size(), 2u);
  EXPECT_EQ(cal.set[0], "parameters.teams_2024=\"teams_2023 + new_teams_per_year\"");
  EXPECT_NO_THROW((void)scenario::load_scenario_file(cal.scenario_path, {{cal.set[0]}, {cal.set[1]}}));
  const auto plan = scenario::load_commission_file(root + "/scenarios/commission/cyp_training_places.toml");
  EXPECT_EQ(plan.programmes.size(), 1u);
  EXPECT_EQ(plan.target_indicators.size(), 1u);
}
