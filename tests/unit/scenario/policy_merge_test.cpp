#include "sim/scenario/policy_merge.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sim/scenario/scenario.hpp"

using namespace tsim;

namespace {

std::string write(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path.string();
}

std::vector<std::string> messages(const scenario::Reader& reader) {
  std::vector<std::string> out;
  for (const auto& d : reader.diags.items()) out.push_back(d.str());
  return out;
}

const char* kBase = R"toml([scenario]
name = "base"
horizon_years = 5

[parameters]
effect = 1

[states.post]
kind = "post"

[[transitions]]
from = "post"
hazard = { per_year = 0.1 }
to = "left"
)toml";

}  // namespace

TEST(PolicyMerge, MergesTablesAppendsArraysAndAddsNames) {
  toml::table root = toml::parse(kBase);
  scenario::merge_policy(root, toml::parse(R"toml(
[parameters]
effect = 0.8
extra = 2

[states.senior]
kind = "post"

[[transitions]]
from = "post"
after_years = 2
to = "senior"

[[modifiers]]
factor = "effect"
from = "post"
)toml"));
  EXPECT_EQ(root["parameters"]["effect"].value<double>(), 0.8);  // the policy's value wins
  EXPECT_EQ(root["parameters"]["extra"].value<std::int64_t>(), 2);
  EXPECT_EQ(root["scenario"]["horizon_years"].value<std::int64_t>(), 5);  // untouched keys stay
  EXPECT_EQ(root["states"]["post"]["kind"].value<std::string>(), "post");
  EXPECT_EQ(root["states"]["senior"]["kind"].value<std::string>(), "post");
  ASSERT_EQ(root["transitions"].as_array()->size(), 2u);  // appended after the scenario's own
  EXPECT_EQ(root["transitions"][0]["to"].value<std::string>(), "left");
  EXPECT_EQ(root["transitions"][1]["to"].value<std::string>(), "senior");
  ASSERT_TRUE(root["modifiers"].as_array());
  EXPECT_EQ(root["modifiers"].as_array()->size(), 1u);
}

TEST(PolicyMerge, AValueOfAnotherTypeReplacesTheScenarios) {
  toml::table root = toml::parse(kBase);
  scenario::merge_policy(root, toml::parse("parameters = 3\n"));
  EXPECT_EQ(root["parameters"].value<std::int64_t>(), 3);
}

TEST(PolicyMerge, AppliesAPolicyFileWithoutItsPolicyTable) {
  const auto path = write("tsim_policy_ok.toml", R"toml([policy]
name = "bundle"
description = "retention bundle"
sources = ["S44"]
cost_per_year = 1000
cost_once = 50
effective = 2021-04-01

[parameters]
effect = 0.5
)toml");
  toml::table root = toml::parse(kBase);
  scenario::Reader reader("test.toml");
  const auto info = scenario::apply_policy(root, path, reader);
  EXPECT_TRUE(reader.diags.empty()) << ::testing::PrintToString(messages(reader));
  EXPECT_EQ(info.name, "bundle");
  EXPECT_EQ(info.cost_per_year, 1000.0);
  EXPECT_EQ(info.cost_once, 50.0);
  ASSERT_TRUE(info.effective);
  EXPECT_EQ(info.effective->year, 2021);
  EXPECT_EQ(root["parameters"]["effect"].value<double>(), 0.5);
  EXPECT_FALSE(root["policy"]);
  EXPECT_EQ(scenario::policy_name(path), "bundle");
}

TEST(PolicyMerge, ReportsABadPolicyTable) {
  toml::table root = toml::parse(kBase);
  scenario::Reader reader("test.toml");
  const auto none = write("tsim_policy_none.toml", "[parameters]\neffect = 0.5\n");
  (void)scenario::apply_policy(root, none, reader);
  const auto bad = write("tsim_policy_bad.toml", "[policy]\nname = \"../x\"\neffective = \"soon\"\ncots_once = 1\n");
  (void)scenario::apply_policy(root, bad, reader);
  EXPECT_EQ(messages(reader),
            (std::vector<std::string>{
                none + ":1:1: error: a policy file needs a [policy] table with at least 'name'",
                bad + ":2:8: error: policy.name '../x' must be 1-100 letters, digits, '_', '-' or '.', not starting "
                      "with '-' or '.' and without '..' (it becomes part of output paths)",
                bad + ":3:13: error: policy.effective must be a date such as 2021-04-01",
                bad + ":4:1: error: unknown key 'cots_once' in [policy] (did you mean 'cost_once'?)",
            }));
  EXPECT_EQ(root["parameters"]["effect"].value<std::int64_t>(), 1);  // a file without [policy] is not merged
  EXPECT_THROW((void)scenario::apply_policy(root, "/nonexistent/policy.toml", reader), core::InputError);
  EXPECT_THROW((void)scenario::policy_name(none), core::InputError);
}

TEST(PolicyMerge, RecordsPoliciesInTheSpec) {
  model::ScenarioSpec spec;
  spec.start_date = core::Date{2020, 4, 1};
  scenario::record_policies(spec, {{"a", 100, 10, core::Date{2021, 4, 1}}, {"b", 50, 5, std::nullopt}});
  EXPECT_EQ(spec.policies, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(spec.policy_cost_per_year, 150.0);
  EXPECT_EQ(spec.policy_cost_once, 15.0);
  EXPECT_EQ(spec.policy_start_day, 365.0);
}
