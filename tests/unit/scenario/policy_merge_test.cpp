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

// The policy as applied is kept for results folders: the file's own text, or
// the table after the overrides addressed to it (with their value).
TEST(PolicyMerge, KeepsThePolicyTextAsApplied) {
  const std::string text = "# why: a comment kept\n[policy]\nname = \"kept\"\n\n[parameters]\neffect = 0.5\n";
  const auto path = write("tsim_policy_text.toml", text);
  toml::table root = toml::parse(kBase);
  scenario::Reader reader("test.toml");
  EXPECT_EQ(scenario::apply_policy(root, path, reader).text, text);
  toml::table again = toml::parse(kBase);
  const auto changed = scenario::apply_policy(again, path, reader, {{"policy.kept.effect=0.25"}, {"parameters.x=1"}});
  EXPECT_TRUE(reader.diags.empty()) << ::testing::PrintToString(messages(reader));
  const toml::table back = toml::parse(changed.text);
  EXPECT_EQ(back["parameters"]["effect"].value<double>(), 0.25);
  EXPECT_EQ(back["policy"]["name"].value<std::string>(), "kept");
  EXPECT_NE(changed.text.find("with the overrides addressed to it"), std::string::npos) << changed.text;
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
  scenario::PolicyInfo a, b;
  a.name = "a";
  a.cost_per_year = 100;
  a.cost_once = 10;
  a.effective = core::Date{2021, 4, 1};
  b.name = "b";
  b.cost_per_year = 50;
  b.cost_once = 5;
  scenario::record_policies(spec, {a, b});
  EXPECT_EQ(spec.policies, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(spec.policy_cost_per_year, 150.0);
  EXPECT_EQ(spec.policy_cost_once, 15.0);
  EXPECT_EQ(spec.policy_start_day, 365.0);
}

// toml++ drops source regions when it copies a node: the merge moves them,
// so what a policy wrote is still placed in the policy file afterwards.
TEST(PolicyMerge, MergedNodesKeepThePolicysLocations) {
  const auto path = write("tsim_policy_where.toml", "[policy]\nname = \"p\"\n\n[parameters]\neffect = 2\nnew = 3\n\n"
                                                    "[states.post]\nband = 7\n\n[[transitions]]\nfrom = \"post\"\nto = \"x\"\n");
  toml::table root = toml::parse(std::string_view(kBase), std::string_view("scenario.toml"));
  scenario::Reader reader("scenario.toml");
  (void)scenario::apply_policy(root, path, reader);
  ASSERT_TRUE(reader.diags.empty());
  auto where = [&](const toml::node* n) { return reader.where(*n).str(); };
  EXPECT_EQ(where(root["parameters"]["effect"].node()), path + ":5:10");  // replaced: the policy's value
  EXPECT_EQ(where(root["parameters"]["new"].node()), path + ":6:7");      // added
  EXPECT_EQ(where(root["states"]["post"]["band"].node()), path + ":9:8");  // added inside a scenario table
  EXPECT_EQ(where(root["states"]["post"]["kind"].node()), "scenario.toml:9:8");  // the scenario's own
  EXPECT_EQ(where(root["transitions"][1]["to"].node()), path + ":13:6");  // appended
  for (auto&& [k, v] : *root["parameters"].as_table())
    if (k.str() == "new") {
      EXPECT_EQ(reader.where(k.source()).str(), path + ":6:1");
    }
}

TEST(PolicyMerge, EffectiveAcceptsADateString) {
  toml::table root = toml::parse(kBase);
  scenario::Reader reader("test.toml");
  const auto info = scenario::apply_policy(root, write("tsim_policy_eff.toml", "[policy]\nname = \"p\"\neffective = \"2022-09-01\"\n"), reader);
  EXPECT_TRUE(reader.diags.empty()) << ::testing::PrintToString(messages(reader));
  ASSERT_TRUE(info.effective);
  EXPECT_EQ(info.effective->year, 2022);
  EXPECT_EQ(info.effective->month, 9u);
  const auto bad = write("tsim_policy_eff_bad.toml", "[policy]\nname = \"p\"\neffective = \"2022-02-30\"\n");
  (void)scenario::apply_policy(root, bad, reader);
  EXPECT_EQ(messages(reader), (std::vector<std::string>{bad + ":3:13: error: policy.effective must be a date such as 2021-04-01"}));
}

// policy_name (the sweep's folder names) applies the same rule as apply_policy.
TEST(PolicyMerge, PolicyNameChecksTheName) {
  for (const std::string name : {"../up", "-rf", ".hidden", "baseline", "a/b", ""}) {
    const auto path = write("tsim_policy_name.toml", "[policy]\nname = \"" + name + "\"\n");
    try {
      (void)scenario::policy_name(path);
      FAIL() << name;
    } catch (const core::InputError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(path + ":2:8: error: policy.name '" + name + "'", 0), 0u) << e.what();
    }
  }
  const auto ok = write("tsim_policy_name_ok.toml", "[policy]\nname = \"fine-1.0\"\n");
  const auto p = scenario::read_policy_name(ok);
  EXPECT_EQ(p.name, "fine-1.0");
  EXPECT_EQ(p.where.str(), ok + ":2:8");
}

TEST(PolicyMerge, PoliciesOfOneRunNeedDistinctNames) {
  const auto a = write("tsim_policy_dup_a.toml", "[policy]\nname = \"same\"\n");
  const auto b = write("tsim_policy_dup_b.toml", "# the other one\n[policy]\nname = \"same\"\n");
  const auto c = write("tsim_policy_dup_c.toml", "[policy]\nname = \"other\"\n");
  EXPECT_NO_THROW(scenario::check_distinct_policy_names({a, c}));
  try {
    scenario::check_distinct_policy_names({a, c, b});
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_STREQ(e.what(), (b + ":3:8: error: policy name 'same' is also the name of " + a + " (" + a +
                            ":2:8); the policies of one compare or sweep need distinct names, since each names an "
                            "output folder").c_str());
  }
  EXPECT_THROW(scenario::check_distinct_policy_names({a, "/nonexistent/p.toml"}), core::InputError);
}
