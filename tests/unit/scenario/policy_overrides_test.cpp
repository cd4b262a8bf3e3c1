#include "sim/scenario/policy_overrides.hpp"

#include <gtest/gtest.h>

#include "tests/support/tiny_scenario.hpp"

using namespace tsim;
using scenario::Override;

namespace {

// A policy with a parameter of its own, which its modifier uses.
const char* kRetention = R"toml([policy]
name = "retention"
cost_per_year = 1000

[parameters]
effect = 0.25

[[modifiers]]
from = ["post"]
to = ["left"]
factor = "1 - effect"
)toml";

// A policy that only changes a parameter the scenario has.
const char* kBigCohort = R"toml([policy]
name = "big-cohort"

[parameters]
cohort = 300
)toml";

// Every problem message of an InputError thrown by f, or {} when none.
template <class F>
std::vector<std::string> problems(F f) {
  try {
    f();
  } catch (const core::InputError& e) {
    std::vector<std::string> out;
    for (const auto& d : e.problems()) out.push_back(d.where.str() + ": " + d.message);
    return out;
  }
  return {};
}

}  // namespace

TEST(PolicyOverrides, SetThePolicysOwnParameterAndCostAndLeaveTheBaselineAlone) {
  const test::TempDir dir("policy_overrides");
  const auto scen = dir.write("tiny.toml", test::kTinyScenario);
  const auto pol = dir.write("retention.toml", kRetention);
  const std::vector<Override> o{{"policy.retention.effect=0.4"}, {"policy.retention.cost_per_year=2500"}};
  const auto with = scenario::load_scenario_file(scen, o, {pol});
  EXPECT_NE(with.resolved_text.find("effect = 0.4"), std::string::npos) << with.resolved_text;
  EXPECT_DOUBLE_EQ(with.spec.policy_cost_per_year, 2500);
  // The baseline ignores them: the same scenario as with no overrides at all.
  const auto base = scenario::load_scenario_file(scen, o);
  EXPECT_EQ(base.sha256, scenario::load_scenario_file(scen).sha256);
  // The quoted form of the name works too.
  const auto quoted = scenario::load_scenario_file(scen, {{"policy.\"retention\".effect=0.4"}}, {pol});
  EXPECT_NE(quoted.resolved_text.find("effect = 0.4"), std::string::npos);
}

TEST(PolicyOverrides, AParameterThePolicyLacksIsUnknown) {
  const test::TempDir dir("policy_overrides_unknown");
  const auto scen = dir.write("tiny.toml", test::kTinyScenario);
  const auto pol = dir.write("retention.toml", kRetention);
  const auto p = problems([&] { (void)scenario::load_scenario_file(scen, {{"policy.retention.efect=0.4"}}, {pol}); });
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("unknown parameter 'efect' (did you mean 'effect'?)"), std::string::npos) << p[0];
}

TEST(PolicyOverrides, AnOverrideMustNameAPolicyOfTheRun) {
  const std::vector<Override> o{{"policy.retention.effect=0.4"}, {"parameters.cohort=3"}, {"policy.retentoin.effect=1"}};
  auto p = problems([&] { scenario::check_policy_overrides(o, {"retention", "other"}, {}); });
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0], "--set:1:1: 'policy.retentoin.effect' names no policy of this run: the form is "
                  "policy.<name>.<parameter> with <name> one of 'retention', 'other'");
  p = problems([&] { scenario::check_policy_overrides(o, {}, {}); });
  EXPECT_EQ(p.size(), 2u);
  EXPECT_TRUE(problems([&] { scenario::check_policy_overrides(o, {"retention", "retentoin"}, {}); }).empty());
}

TEST(PolicyOverrides, OnlyOverridesAddressedToTheNamedPolicyAreRewritten) {
  const std::vector<Override> o{{"policy.a.x=1"}, {"policy.a.b.x=2"}, {"parameters.x=3"}, {"policy.a.cost_once=9"}};
  const auto a = scenario::overrides_for_policy(o, "a");
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].text, "parameters.x=1");
  EXPECT_EQ(a[1].text, "parameters.b.x=2");  // reported as unknown by the merge, not dropped
  EXPECT_EQ(a[2].text, "policy.cost_once=9");
  ASSERT_EQ(scenario::overrides_for_policy(o, "a.b").size(), 1u);
  EXPECT_TRUE(scenario::overrides_for_policy(o, "c").empty());
}

// Required: a policy that an override makes identical to the baseline is
// flagged, not silently compared (its differences would all be 0).
TEST(PolicyOverrides, APolicyOverriddenBackToTheBaselineResolvesToTheSameScenario) {
  const test::TempDir dir("policy_overrides_same");
  const auto scen = dir.write("tiny.toml", test::kTinyScenario);
  const auto pol = dir.write("big.toml", kBigCohort);
  const std::vector<Override> o{{"parameters.cohort=150"}};
  EXPECT_EQ(scenario::load_scenario_file(scen, o, {pol}).sha256, scenario::load_scenario_file(scen, o).sha256);
  EXPECT_NE(scenario::load_scenario_file(scen, {}, {pol}).sha256, scenario::load_scenario_file(scen).sha256);
}
