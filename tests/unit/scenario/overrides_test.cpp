#include "sim/scenario/overrides.hpp"

#include <gtest/gtest.h>

using namespace tsim;
using scenario::Override;

namespace {

const char* kBase = R"toml([scenario]
name = "mini"
horizon_years = 3

[parameters]
cohort = 100

[[transitions]]
from = "trainee"
hazard = { per_year = 0.1 }
to = "left"
)toml";

// Every problem of one apply_overrides, as "where: error: message".
std::vector<std::string> problems(toml::table& root, const std::vector<Override>& o) {
  scenario::Reader reader("test.toml");
  scenario::apply_overrides(root, o, reader);
  std::vector<std::string> out;
  for (const auto& d : reader.diags.items()) out.push_back(d.str());
  return out;
}

}  // namespace

TEST(Overrides, ReplaceValuesAddKeysAndReachArrayEntries) {
  toml::table root = toml::parse(kBase);
  const auto p = problems(root, {{"parameters.cohort=400"},
                                 {"transitions.0.hazard.per_year=0.2"},
                                 {"scenario.census.every=\"year\""},
                                 {"scenario.horizon_years=\"2 * 2\""}});
  EXPECT_TRUE(p.empty()) << ::testing::PrintToString(p);
  EXPECT_EQ(root["parameters"]["cohort"].value<std::int64_t>(), 400);
  EXPECT_EQ(root["transitions"][0]["hazard"]["per_year"].value<double>(), 0.2);
  EXPECT_EQ(root["transitions"][0]["to"].value<std::string>(), "left");  // the rest of the entry stays
  EXPECT_EQ(root["scenario"]["census"]["every"].value<std::string>(), "year");
  EXPECT_EQ(root["scenario"]["horizon_years"].value<std::string>(), "2 * 2");
  EXPECT_EQ(root["scenario"]["name"].value<std::string>(), "mini");
}

TEST(Overrides, ABareWordIsAString) {
  toml::table root = toml::parse(kBase);
  EXPECT_TRUE(problems(root, {{"scenario.name=other-name"}}).empty());
  EXPECT_EQ(root["scenario"]["name"].value<std::string>(), "other-name");
  EXPECT_TRUE(problems(root, {{"scenario.description=say \"hi\" \\o/"}}).empty());
  EXPECT_EQ(root["scenario"]["description"].value<std::string>(), "say \"hi\" \\o/");
}

TEST(Overrides, LaterOverridesWin) {
  toml::table root = toml::parse(kBase);
  EXPECT_TRUE(problems(root, {{"parameters.cohort=1"}, {"parameters.cohort=2"}}).empty());
  EXPECT_EQ(root["parameters"]["cohort"].value<std::int64_t>(), 2);
}

TEST(Overrides, EachProblemIsPlacedInItsOverride) {
  toml::table root = toml::parse(kBase);
  const auto p = problems(root, {{"parameters.cohrt=5"},
                                 {"nonsense"},
                                 {"transitions.3.from=\"x\""},
                                 {"transitions.0=1"},
                                 {"parameters.zzzzzz=1"},
                                 {"a b=1"}});
  EXPECT_EQ(p, (std::vector<std::string>{
                   "--set #1:1:12: error: --set: unknown parameter 'cohrt' (did you mean 'cohort'?)",
                   "--set #2:1:1: error: --set expects key.path=value, got 'nonsense'",
                   "--set #3:1:13: error: --set: 'transitions' is an array of 1 entries; '3' is not an index in it",
                   "--set #4:1:13: error: --set: cannot replace a whole array entry 'transitions.0'",
                   "--set #5:1:12: error: --set: unknown parameter 'zzzzzz' (the scenario declares it under [parameters] first)",
                   "--set #6:1:3: error: --set: Error while parsing key-value pair: expected '=', saw 'b'",
               }));
  // Nothing that was refused reached the table.
  EXPECT_EQ(root["parameters"]["cohort"].value<std::int64_t>(), 100);
  EXPECT_FALSE(root["parameters"]["cohrt"]);
  EXPECT_FALSE(root["a"]);
}

TEST(Overrides, OneOverrideIsPlacedInPlainSet) {
  toml::table root = toml::parse(kBase);
  EXPECT_EQ(problems(root, {{"=1"}}), (std::vector<std::string>{"--set:1:1: error: --set expects key.path=value, got '=1'"}));
}

// A --set text is one key=value on one line: a line break could set other keys.
TEST(Overrides, ALineBreakIsRefused) {
  toml::table root = toml::parse(kBase);
  EXPECT_EQ(problems(root, {{"parameters.cohort=5\nscenario.name=\"x\""}, {"parameters.cohort=5\r"}}),
            (std::vector<std::string>{
                "--set #1:1:20: error: --set takes one key=value on one line; this text has a line break (give each "
                "key its own --set)",
                "--set #2:1:20: error: --set takes one key=value on one line; this text has a line break (give each "
                "key its own --set)"}));
  EXPECT_EQ(root["parameters"]["cohort"].value<std::int64_t>(), 100);
  EXPECT_EQ(root["scenario"]["name"].value<std::string>(), "mini");
}

// The values an override puts in the table keep their place in the override,
// so later checks of them point at the --set text.
TEST(Overrides, ValuesKeepTheirPlaceInTheOverride) {
  toml::table root = toml::parse(kBase);
  EXPECT_TRUE(problems(root, {{"parameters.cohort=abc"}, {"transitions.0.hazard.per_year=-1"}, {"scenario.x.y=1"}}).empty());
  const auto* c = root["parameters"]["cohort"].node();
  ASSERT_TRUE(c->source().path);
  EXPECT_EQ(*c->source().path, "--set #1");
  EXPECT_EQ(c->source().begin.column, 19u);
  const auto* rate = root["transitions"][0]["hazard"]["per_year"].node();
  EXPECT_EQ(*rate->source().path, "--set #2");
  EXPECT_EQ(rate->source().begin.column, 31u);
  const auto* x = root["scenario"].as_table()->get("x");
  EXPECT_EQ(*x->source().path, "--set #3");
}
