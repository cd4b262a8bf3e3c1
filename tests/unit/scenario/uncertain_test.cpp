#include "sim/scenario/uncertain.hpp"

#include <gtest/gtest.h>

#include "sim/scenario/scenario.hpp"
#include "tests/support/tiny_scenario.hpp"

using namespace tsim;

namespace {

// Loads the tiny scenario with `extra` appended; the problems, or {} if it loads.
std::vector<std::string> problems(const std::string& extra, scenario::LoadedScenario* out = nullptr) {
  try {
    auto l = scenario::load_scenario_text(std::string(test::kTinyScenario) + extra, "tiny.toml");
    if (out) *out = std::move(l);
  } catch (const core::InputError& e) {
    std::vector<std::string> p;
    for (const auto& d : e.problems()) p.push_back(d.where.str() + ": " + d.message);
    return p;
  }
  return {};
}

}  // namespace

TEST(Uncertain, ReadsEachDistributionWithItsKeysInOrder) {
  scenario::LoadedScenario l;
  const auto p = problems(R"toml(
[uncertain.cohort]
distribution = "triangular"
low = 100
mode = 150
high = 220
source = "S1"
)toml", &l);
  ASSERT_TRUE(p.empty()) << ::testing::PrintToString(p);
  ASSERT_EQ(l.uncertain.size(), 1u);
  EXPECT_EQ(l.uncertain[0].name, "cohort");
  EXPECT_EQ(l.uncertain[0].distribution, "triangular");
  EXPECT_EQ(l.uncertain[0].args, (std::vector<double>{100, 150, 220}));
  EXPECT_EQ(l.uncertain[0].source, "S1");
  // A plain run is unchanged: the parameter keeps its value.
  EXPECT_EQ(l.spec.routes.size(), 1u);
  ASSERT_TRUE(problems("[uncertain.cohort]\ndistribution = \"beta\"\nalpha = 2\nbeta = 3\nsource = \"[X]\"\n", &l).empty());
  EXPECT_EQ(l.uncertain[0].args, (std::vector<double>{2, 3, 0, 1}));  // low and high default to 0 and 1
}

TEST(Uncertain, EveryProblemIsPlaced) {
  const auto p = problems(R"toml(
[uncertain.cohrt]
distribution = "uniform"
low = 1
high = 2
source = "[X]"

[uncertain.cohort]
distribution = "unifrom"
low = 2
high = 1
)toml");
  ASSERT_EQ(p.size(), 3u) << ::testing::PrintToString(p);
  const std::string all = ::testing::PrintToString(p);
  EXPECT_NE(all.find("tiny.toml:44:1: [uncertain.cohrt] names no parameter"), std::string::npos) << all;
  EXPECT_NE(all.find("needs 'source'"), std::string::npos) << all;
  EXPECT_NE(all.find("'unifrom' is not one of uniform"), std::string::npos) << all;
  EXPECT_NE(all.find("did you mean 'uniform'?"), std::string::npos) << all;
  const auto q = problems("[uncertain.cohort]\ndistribution = \"uniform\"\nlow = 2\nhigh = 1\nsource = \"[X]\"\n");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_NE(q[0].find("uniform needs low < high"), std::string::npos) << q[0];
  const auto r = problems("[uncertain.cohort]\ndistribution = \"normal\"\nmean = 1\nsource = \"[X]\"\nsd = 1\nsdd = 2\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0].find("sdd"), std::string::npos) << r[0];
}
