#include "sim/scenario/sweep.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "sim/core/error.hpp"
#include "tests/support/scenario_text.hpp"

using namespace tsim;

TEST(LatinHypercube, OnePointPerStratumInEveryDimension) {
  const std::size_t n = 50;
  const auto pts = scenario::latin_hypercube(n, {{0, 1}, {10, 20}, {-5, 5}}, 7);
  ASSERT_EQ(pts.size(), n);
  for (std::size_t j = 0; j < 3; ++j) {
    const double lo = j == 0 ? 0 : j == 1 ? 10 : -5, width = j == 0 ? 1 : 10;
    std::set<int> strata;
    for (const auto& p : pts) {
      ASSERT_GE(p[j], lo);
      ASSERT_LT(p[j], lo + width);
      strata.insert(static_cast<int>((p[j] - lo) / width * n));
    }
    EXPECT_EQ(strata.size(), n) << "dimension " << j;  // every stratum exactly once
  }
  // Deterministic in the seed, different for another seed.
  EXPECT_EQ(scenario::latin_hypercube(n, {{0, 1}}, 7), scenario::latin_hypercube(n, {{0, 1}}, 7));
  EXPECT_NE(scenario::latin_hypercube(n, {{0, 1}}, 7), scenario::latin_hypercube(n, {{0, 1}}, 8));
}

namespace {
std::string write(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path.string();
}
}  // namespace

TEST(SweepFile, GridTimesLhsInAFixedOrder) {
  const auto path = write("tsim_sweep_ok.toml", R"toml(
[sweep]
name = "s"
scenario = "x.toml"
replications = 4
[grid]
"parameters.b" = [1, 2]
"parameters.a" = [10, 20, 30]
[lhs]
samples = 5
ranges = { "parameters.c" = [0, 100] }
integers = ["parameters.c"]
)toml");
  const auto s = scenario::load_sweep_file(path);
  EXPECT_EQ(s.parameter_keys, (std::vector<std::string>{"parameters.a", "parameters.b", "parameters.c"}));
  ASSERT_EQ(s.samples.size(), 30u);  // 3 x 2 grid points x 5 LHS points
  EXPECT_EQ(s.samples[0][0], 10);
  EXPECT_EQ(s.samples[0][1], 1);
  EXPECT_EQ(s.samples[29][0], 30);
  for (const auto& p : s.samples) EXPECT_EQ(p[2], std::round(p[2]));
  EXPECT_EQ(s.overrides(0).size(), 3u);
  EXPECT_EQ(s.overrides(0)[0], "parameters.a=10");
  EXPECT_EQ(s.scenario_path, (std::filesystem::temp_directory_path() / "x.toml").string());
}

TEST(SweepFile, ErrorsHaveLocations) {
  const auto path = write("tsim_sweep_bad.toml", "[sweep]\nname = \"s\"\nscenario = \"x.toml\"\nreplicatons = 3\n[lhs]\nsamples = 0\n");
  try {
    (void)scenario::load_sweep_file(path);
    FAIL();
  } catch (const core::InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(path + ":4:1: error: unknown key 'replicatons' in [sweep] (did you mean 'replications'?)"), std::string::npos) << msg;
    EXPECT_NE(msg.find("lhs.samples must be between 1 and 100000"), std::string::npos) << msg;
    EXPECT_NE(msg.find("needs 'ranges'"), std::string::npos) << msg;
  }
}

// Sizes are checked before a sample is made: a grid whose product is absurd
// is refused at once instead of filling memory.
TEST(SweepFile, AbsurdSizesAreRefusedBeforeAnythingIsMade) {
  std::string grid = "[sweep]\nname = \"s\"\nscenario = \"x.toml\"\nreplications = 10\n[grid]\n";
  for (int k = 0; k < 12; ++k) grid.append("\"parameters.p").append(std::to_string(k)).append("\" = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n");
  const auto path = write("tsim_sweep_huge.toml", grid);
  try {
    (void)scenario::load_sweep_file(path);
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_STREQ(e.what(), (path + ":1:1: error: the sweep has 1e+13 runs (1 variant(s) x 1e+12 sample(s) x 10 "
                                   "replication(s)); the limit is 1000000").c_str());
  }
  const auto reps = write("tsim_sweep_reps.toml", "[sweep]\nname = \"s\"\nscenario = \"x.toml\"\nreplications = 100000\n"
                                                  "[lhs]\nsamples = 100000\nranges = { \"parameters.a\" = [0, 1] }\n");
  EXPECT_THROW((void)scenario::load_sweep_file(reps), core::InputError);
  std::string keys = "[sweep]\nname = \"s\"\nscenario = \"x.toml\"\n[grid]\n";
  for (int k = 0; k < 1001; ++k) keys.append("\"parameters.p").append(std::to_string(k)).append("\" = [1]\n");
  const auto many = write("tsim_sweep_keys.toml", keys);
  try {
    (void)scenario::load_sweep_file(many);
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_STREQ(e.what(), (many + ":1:1: error: the sweep varies 1001 keys; the limit is 1000").c_str());
  }
}

TEST(SweepFile, PoliciesNeedGoodDistinctNames) {
  write("tsim_sweep_pol_a.toml", "[policy]\nname = \"same\"\n");
  write("tsim_sweep_pol_b.toml", "[policy]\nname = \"same\"\n");
  const auto path = write("tsim_sweep_pol.toml", "[sweep]\nname = \"s\"\nscenario = \"x.toml\"\n"
                                                 "policies = [\"tsim_sweep_pol_a.toml\", \"tsim_sweep_pol_b.toml\"]\n");
  try {
    (void)scenario::load_sweep_file(path);
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("tsim_sweep_pol_b.toml:2:8: error: policy name 'same' is also the name of"),
              std::string::npos) << e.what();
  }
}

TEST(SweepFile, EmptyFilesArePlacedAtTheirFirstLine) {
  const auto path = write("tsim_sweep_empty.toml", "\n  \n");
  try {
    (void)scenario::load_sweep_file(path);
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_EQ(std::string(e.what()), path + ":1:1: error: the file is empty; a sweep file needs at least [sweep]");
  }
}

TEST(SweepFile, TotalPeopleAreCapped) {
  const auto path = write("tsim_sweep_people.toml", "[sweep]\nname = \"s\"\nscenario = \"x.toml\"\nreplications = 100000\n");
  const auto sweep = scenario::load_sweep_file(path);
  scenario::LoadedScenario base;
  base.people = 1e6;
  EXPECT_NO_THROW(scenario::check_sweep_people(sweep, base));
  base.people = 2e7;
  try {
    scenario::check_sweep_people(sweep, base);
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_STREQ(e.what(), (path + ":1:1: error: the sweep would simulate about 2e+12 people (100000 runs x 20000000 "
                                   "people in the scenario); the limit is 1e+12").c_str());
  }
}
