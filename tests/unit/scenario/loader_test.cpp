#include "sim/scenario/scenario.hpp"

#include <gtest/gtest.h>

#include "sim/core/error.hpp"
#include "tests/support/scenario_text.hpp"

using namespace tsim;

namespace {

const char* kMinimal = R"toml([scenario]
name = "mini"
start_date = 2020-04-01
horizon_years = 3

[parameters]
cohort = 100
slots = "floor(0.5 * cohort)"

[attributes.sex]
levels = ["F", "M"]
population = [0.5, 0.5]

[pools.supervision]
capacity = "slots"

[states.trainee]
kind = "training"
needs = "supervision"

[states.post]
kind = "post"
band = 5

[states.left]
kind = "exit"

[routes.main]
enters = "trainee"
intake = { on = "09-01", places = "cohort" }

[[transitions]]
from = "trainee"
after_years = 1
to = "post"

[[transitions]]
from = "post"
hazard = { per_year = 0.1 }
ratio = { sex = { M = 1.2 } }
to = "left"
)toml";

// Every problem of a load, as "line:column: message".
std::vector<std::string> problems(const std::string& text, const std::vector<scenario::Override>& o = {}) {
  try {
    (void)test::load(text, o);
  } catch (const core::InputError& e) {
    std::vector<std::string> out;
    for (const auto& p : e.problems()) out.push_back(p.str());
    return out;
  }
  return {};
}

bool any_contains(const std::vector<std::string>& v, const std::string& needle) {
  for (const auto& s : v)
    if (s.find(needle) != std::string::npos) return true;
  return false;
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST(Loader, ReadsAMinimalScenario) {
  const auto l = test::load(kMinimal);
  const auto& s = l.spec;
  EXPECT_EQ(s.name, "mini");
  EXPECT_EQ(s.horizon_days, 3 * 365.0);
  EXPECT_EQ(s.pools[0].fixed_capacity, 50);
  ASSERT_EQ(s.routes[0].intakes.size(), 3u);  // Sep 2020, 2021, 2022
  EXPECT_EQ(s.routes[0].intakes[0].day, 153.0);
  EXPECT_EQ(s.routes[0].intakes[0].places, 100);
  EXPECT_EQ(s.transitions[1].hazard.rates[0], 0.1 / core::kDaysPerYear);
  EXPECT_EQ(s.transitions[1].ratios[0].factor, (std::vector<double>{1.0, 1.2}));
  EXPECT_TRUE(s.transitions[0].supervised_only);  // timed out of a pool state
  EXPECT_EQ(l.sha256.size(), 64u);
}

TEST(Loader, OverridesReachAnyKeyAndAreValidated) {
  const auto l = test::load(kMinimal, {{"parameters.cohort=400"}, {"transitions.1.hazard.per_year=0.2"}});
  EXPECT_EQ(l.spec.pools[0].fixed_capacity, 200);
  EXPECT_EQ(l.spec.routes[0].intakes[0].places, 400);
  EXPECT_EQ(l.spec.transitions[1].hazard.rates[0], 0.2 / core::kDaysPerYear);
  EXPECT_NE(l.resolved_text.find("cohort = 400"), std::string::npos);
  EXPECT_NE(l.sha256, test::load(kMinimal).sha256);

  auto p = problems(kMinimal, {{"parameters.cohrt=5"}});
  ASSERT_EQ(p.size(), 1u);
  EXPECT_TRUE(any_contains(p, "--set:1:12: error: --set: unknown parameter 'cohrt' (did you mean 'cohort'?)")) << p[0];
  p = problems(kMinimal, {{"scenario.horizon_yars=4"}});
  EXPECT_TRUE(any_contains(p, "unknown key 'horizon_yars' in [scenario] (did you mean 'horizon_years'?)")) << p[0];
  p = problems(kMinimal, {{"parameters.cohort=-5"}});
  EXPECT_TRUE(any_contains(p, "places")) << p[0];
  p = problems(kMinimal, {{"nonsense"}});
  EXPECT_TRUE(any_contains(p, "--set expects key.path=value"));
  p = problems(kMinimal, {{"transitions.9.to=\"x\""}});
  EXPECT_TRUE(any_contains(p, "is not an index"));
  // A bare word is taken as a string.
  EXPECT_EQ(test::load(kMinimal, {{"scenario.name=other-name"}}).spec.name, "other-name");
}

TEST(Loader, EachPullIntakeTableKeepsItsOwnCounts) {
  const std::string text = std::string(kMinimal) + R"toml(
[routes.backfill]
enters = "post"
intake = [ { on = "01-01", establishment = 10, counts = ["post"] },
           { on = "07-01", establishment = { 2021 = 12 }, counts = ["post", "trainee"] },
           { first_day = 0, places = 3 } ]
)toml";
  const auto l = test::load(text);
  const auto& s = l.spec;
  const int route = s.routes[0].name == "backfill" ? 0 : 1;
  const int post = s.state_index("post"), trainee = s.state_index("trainee");
  const auto& intakes = s.routes[static_cast<std::size_t>(route)].intakes;
  // Sorted by day: the push intake on day 0, 1 January 2021 and 2022, 1 July 2021, 1 January 2023.
  ASSERT_EQ(intakes.size(), 5u);
  EXPECT_EQ(intakes[0].establishment, -1);
  EXPECT_TRUE(intakes[0].counts.empty());
  EXPECT_EQ(intakes[1].counts, (std::vector<int>{post}));
  EXPECT_EQ(intakes[1].establishment, 10);
  EXPECT_EQ(intakes[2].counts, (std::vector<int>{post, trainee}));
  EXPECT_EQ(intakes[2].establishment, 12);
  EXPECT_EQ(intakes[3].counts, (std::vector<int>{post}));
  EXPECT_EQ(intakes[4].counts, (std::vector<int>{post}));

  // An undeclared state is reported in the table that names it.
  const auto p = problems(replace(text, "counts = [\"post\"] }", "counts = [\"pots\"] }"));
  ASSERT_EQ(p.size(), 1u) << ::testing::PrintToString(p);
  EXPECT_EQ(p[0], "test.toml:45:57: error: routes.backfill: counts refers to undeclared state 'pots'");
}

TEST(Loader, ReportsEveryProblemWithItsLocation) {
  std::string text = replace(kMinimal, "kind = \"post\"", "kind = \"psot\"");
  text = replace(text, "horizon_years = 3", "horizon_years = 3\nhorizn = 1");
  text = replace(text, "to = \"left\"", "to = \"lft\"");
  const auto p = problems(text);
  ASSERT_EQ(p.size(), 3u) << ::testing::PrintToString(p);
  EXPECT_TRUE(any_contains(p, "test.toml:5:1: error: unknown key 'horizn' in [scenario] (did you mean 'horizon_days'?)") ||
              any_contains(p, "test.toml:5:1: error: unknown key 'horizn' in [scenario] (did you mean 'horizon_years'?)"))
      << ::testing::PrintToString(p);
  EXPECT_TRUE(any_contains(p, "kind must be waiting, training, post or exit, got 'psot' (did you mean 'post'?)"));
  EXPECT_TRUE(any_contains(p, "refers to undeclared state 'lft' (did you mean 'left'?)"));
}

TEST(Loader, RejectsBadValues) {
  EXPECT_TRUE(any_contains(problems(replace(kMinimal, "per_year = 0.1", "per_year = -0.1")), "must not be negative"));
  EXPECT_TRUE(any_contains(problems(replace(kMinimal, "per_year = 0.1", "per_year = nan")), "finite"));
  EXPECT_TRUE(any_contains(problems(replace(kMinimal, "per_year = 0.1", "per_year = inf")), "finite"));
  EXPECT_TRUE(any_contains(problems(replace(kMinimal, "population = [0.5, 0.5]", "population = [0.5, 0.6]")),
                           "must sum to 1"));
  EXPECT_TRUE(any_contains(problems(replace(kMinimal, "M = 1.2", "X = 1.2")), "'X' is not a level of attribute 'sex'"));
  EXPECT_TRUE(any_contains(problems(replace(kMinimal, "cohort = 100\n", "cohort = \"slots\"\n")), "cycle"));
  EXPECT_TRUE(any_contains(problems(replace(kMinimal, "to = \"post\"", "branch = [ { to = \"post\", p = 0.5 }, { to = \"left\", p = 0.4 } ]")),
                           "probabilities must sum to 1"));
  EXPECT_TRUE(any_contains(problems(replace(kMinimal, "places = \"cohort\"", "places = 1e12")), "must be between"));
  EXPECT_TRUE(any_contains(problems(replace(kMinimal, "name = \"mini\"", "name = \"../evil\"")), "output paths"));
  EXPECT_TRUE(any_contains(problems(replace(kMinimal, "start_date = 2020-04-01", "start_date = 2020-02-30")), "date"));
}

TEST(Loader, ChecksTheGraph) {
  const std::string orphan = std::string(kMinimal) + "\n[states.orphan]\nkind = \"post\"\n";
  EXPECT_TRUE(any_contains(problems(orphan), "state 'orphan' cannot be reached"));
  EXPECT_TRUE(any_contains(problems(orphan), "state 'orphan' is a dead end"));
  const std::string loop = replace(replace(kMinimal, "after_years = 1\nto = \"post\"", "to = \"post\""),
                                   "hazard = { per_year = 0.1 }\nratio = { sex = { M = 1.2 } }\nto = \"left\"",
                                   "to = \"trainee\"");
  EXPECT_TRUE(any_contains(problems(loop), "cycle that takes no time")) << ::testing::PrintToString(problems(loop));
}

TEST(Loader, RejectsBrokenFiles) {
  EXPECT_TRUE(any_contains(problems(""), "empty"));
  EXPECT_TRUE(any_contains(problems("[scenario\nname = 1"), "test.toml:1:"));
  EXPECT_TRUE(any_contains(problems(std::string("a = 1\n\0\x01", 8)), "NUL"));
  EXPECT_TRUE(any_contains(problems("a = \"\xff\xfe\""), "test.toml:1:"));
  try {
    (void)scenario::load_scenario_file("/nonexistent/x.toml");
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no such file"), std::string::npos);
  }
  EXPECT_THROW((void)scenario::load_scenario_file(TSIM_SOURCE_DIR), core::InputError);
}

// An attribute becomes a column of /persons (and of /census and /flows when
// the census is by it): a name a table already has as a column would corrupt
// the file, so it is refused where it is written, whatever the rest says.
TEST(Loader, RejectsAnAttributeNamedLikeAColumn) {
  for (const std::string column : {"fte", "period", "state", "route", "exit_day", "replication", "entry_date"}) {
    const auto text = replace(replace(replace(kMinimal, "[attributes.sex]", "[attributes." + column + "]"),
                                      "sex = { M = 1.2 }", column + " = { M = 1.2 }"),
                              "population = [0.5, 0.5]", "population = [0.5, 0.5]");
    const auto p = problems(text);
    ASSERT_FALSE(p.empty()) << column;
    EXPECT_TRUE(p.front().rfind("test.toml:10:13: error: attribute name '" + column + "' is already a column", 0) == 0)
        << p.front();
  }
}

TEST(Loader, RejectsNamesThatCannotBecomePathsOrLabels) {
  EXPECT_TRUE(any_contains(problems(replace(kMinimal, "[attributes.sex]", "[attributes.\"a/b\"]")),
                           "attribute name 'a/b' must be a letter followed by"));
  EXPECT_TRUE(any_contains(problems(replace(kMinimal, "name = \"mini\"", "name = \"-rf\"")),
                           "scenario.name '-rf' must be 1-100 letters"));
  EXPECT_TRUE(any_contains(problems(replace(kMinimal, "name = \"mini\"", "name = \".hidden\"")), "not starting with"));
  EXPECT_TRUE(any_contains(problems(replace(kMinimal, "name = \"mini\"", "name = \"baseline\"")),
                           "scenario.name 'baseline' is a name the outputs use themselves"));
  EXPECT_TRUE(any_contains(problems(replace(kMinimal, "[states.post]", "[states.\"po st\"]")), "state name 'po st'"));
  EXPECT_TRUE(any_contains(problems(replace(kMinimal, "levels = [\"F\", \"M\"]", "levels = [\"F\", \" M\"]")),
                           "level ' M' must be 1-100 characters"));
  EXPECT_TRUE(any_contains(problems(replace(kMinimal, "levels = [\"F\", \"M\"]", "levels = [\"F\", \"M\\u0007\"]")),
                           "'M\\x07'"));
}

TEST(Loader, PlaceChangesCannotAddPlacesToAPoissonRoute) {
  const auto text = replace(kMinimal, "intake = { on = \"09-01\", places = \"cohort\" }", "intake = { poisson_per_day = 1 }") +
                    "[[place_changes]]\nroute = \"main\"\nadd = 10\n";
  const auto p = problems(text);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].rfind("test.toml:44:7: error: place_changes.0.add cannot change a Poisson route's rate", 0), 0u) << p[0];
  EXPECT_TRUE(problems(replace(text, "add = 10", "factor = 2")).empty());
}

// Stock in a 1-year programme placed with tenures of up to 2 years would all
// leave on day 0: refused at the tenure, with the limit to respect.
TEST(Loader, StockTenureBeyondAFixedProgrammeIsRefused) {
  const auto text = kMinimal + std::string("[stock.trainee]\ncount = 10\ntenure_years = { uniform = [0, 2] }\n");
  const auto p = problems(text);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find(":44:16: error: stock.trainee: the tenure can reach 730.485 days, but transitions.0 out of "
                      "'trainee' takes at most 366 days"),
            std::string::npos)
      << p[0];
  // A year is 365 or 366 days: up to a (mean) year of tenure is fine...
  EXPECT_TRUE(problems(replace(text, "[0, 2]", "[0, 1]")).empty());
  // ...but not a tenure of 366 days or more, which no 1-year programme lasts.
  EXPECT_FALSE(problems(replace(text, "tenure_years = { uniform = [0, 2] }", "tenure_days = 366")).empty());
}

// A fatal problem is reported alone, at the --set that caused it: with no
// usable horizon, the checks that place dates inside the run do not run
// (they would only repeat it).
TEST(Loader, ABadHorizonHasNoFollowOnProblems) {
  const std::string text = std::string(kMinimal) + "\n[routes.days]\nenters = \"trainee\"\nintake = { first_day = 250, places = 5 }\n";
  auto p = problems(text, {{"scenario.horizon_days=100"}});
  ASSERT_EQ(p.size(), 1u) << ::testing::PrintToString(p);
  EXPECT_EQ(p[0], "--set:1:23: error: scenario horizon: give one of 'horizon_days', 'horizon_months' or 'horizon_years', not several");
  p = problems(replace(text, "start_date = 2020-04-01", "start_date = \"someday\""));
  ASSERT_EQ(p.size(), 1u) << ::testing::PrintToString(p);
  EXPECT_EQ(p[0], "test.toml:3:14: error: scenario.start_date must be a date such as 2020-04-01");
  // Problems elsewhere are still found.
  p = problems(replace(replace(text, "horizon_years = 3", "horizon_years = -3"), "band = 5", "band = 12"));
  EXPECT_EQ(p.size(), 2u) << ::testing::PrintToString(p);
}

TEST(Loader, EmptyFilesArePlacedAtTheirFirstLine) {
  for (const std::string text : {"", "  \n\t\n", "# only a comment\n\n# and another\n"}) {
    const auto p = problems(text);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].rfind("test.toml:1:1: error: the file is empty", 0), 0u) << p[0];
  }
}

TEST(Loader, FteMustStayInsideZeroToOneAndAHalf) {
  const auto with_fte = [](const std::string& fte) {
    return replace(kMinimal, "intake = { on = \"09-01\", places = \"cohort\" }",
                   "intake = { on = \"09-01\", places = \"cohort\" }\nfte = " + fte);
  };
  for (const std::string ok : {"0.8", "{ uniform = [0.5, 1] }", "{ triangular = [0.2, 1, 1.5] }",
                               "{ discrete = { values = [0.5, 1], p = [0.5, 0.5] } }",
                               "{ piecewise = { x = [0, 0.5, 1], cdf = [0, 0, 1] } }"})
    EXPECT_TRUE(problems(with_fte(ok)).empty()) << ok << ::testing::PrintToString(problems(with_fte(ok)));
  for (const std::string bad : {"0", "2", "{ uniform = [0, 1] }", "{ uniform = [0.5, 2] }", "{ triangular = [0, 0.5, 1] }",
                                "{ discrete = { values = [0, 1], p = [0.5, 0.5] } }", "{ exponential = { mean = 1 } }",
                                "{ lognormal = { median = 1, sd_log = 0.1 } }", "{ gamma = { shape = 50, scale = 0.02 } }",
                                "{ piecewise = { x = [0, 1], cdf = [0, 1] } }"}) {
    const auto p = problems(with_fte(bad));
    ASSERT_EQ(p.size(), 1u) << bad << ::testing::PrintToString(p);
    EXPECT_EQ(p[0].rfind("test.toml:31:7: error: routes.main.fte must lie in (0, 1.5]", 0), 0u) << p[0];
  }
}

TEST(Loader, AgesMustStayBelowOneHundredAndTwentyYears) {
  const auto with_age = [](const std::string& age) {
    return replace(kMinimal, "intake = { on = \"09-01\", places = \"cohort\" }",
                   "intake = { on = \"09-01\", places = \"cohort\" }\nage_years = " + age);
  };
  for (const std::string ok : {"22", "{ uniform = [18, 65] }", "{ lognormal = { median = 30, sd_log = 0.2 } }",
                               "{ gamma = { shape = 20, scale = 1.5 } }", "{ exponential = { mean = 10 } }"})
    EXPECT_TRUE(problems(with_age(ok)).empty()) << ok << ::testing::PrintToString(problems(with_age(ok)));
  for (const std::string bad : {"121", "{ uniform = [20, 130] }", "{ exponential = { mean = 30 } }",
                                "{ lognormal = { median = 40, sd_log = 1 } }", "{ weibull = { shape = 0.001, scale = 30 } }"}) {
    const auto p = problems(with_age(bad));
    ASSERT_EQ(p.size(), 1u) << bad << ::testing::PrintToString(p);
    EXPECT_EQ(p[0].rfind("test.toml:31:13: error: routes.main.age_years must lie in 0 to 120 years", 0), 0u) << p[0];
  }
}

// Sizes are checked before anything is allocated for them.
TEST(Loader, ManyStatesWithoutACensusBreakdownStillHitTheCellLimit) {
  std::string text = kMinimal;
  for (int i = 0; i < 8100; ++i) text.append("[states.s").append(std::to_string(i)).append("]\nkind = \"post\"\n");
  const auto p = problems(text);
  EXPECT_TRUE(any_contains(p, "test.toml:17:1: error: 8103 states give 65666712 cells in the flow table"))
      << ::testing::PrintToString(std::vector<std::string>(p.begin(), p.begin() + std::min<std::size_t>(p.size(), 3)));
}

TEST(Loader, HugeArrivalRatesCannotOverflowThePeopleCount) {
  std::string text = kMinimal;
  for (int i = 0; i < 20; ++i)
    text.append("[routes.p").append(std::to_string(i)).append("]\nenters = \"trainee\"\nintake = { poisson_per_day = 1e300 }\n");
  const auto p = problems(text);
  ASSERT_EQ(p.size(), 1u) << ::testing::PrintToString(p);
  EXPECT_EQ(p[0], "test.toml:1:1: error: the scenario would create more than 10^18 people; the limit is 500000000");
}

TEST(Loader, IntakesAreCountedBeforeTheyAreMade) {
  std::string many = "intake = [";
  for (int i = 0; i < 100; ++i) many += "{ first_day = 0, every_days = 0.01, count = 100000, places = 0 },";
  many += "]";
  auto p = problems(replace(kMinimal, "intake = { on = \"09-01\", places = \"cohort\" }", many));
  ASSERT_EQ(p.size(), 1u) << ::testing::PrintToString(p);
  EXPECT_EQ(p[0], "test.toml:28:1: error: routes.main has more than 65535 intakes");
  std::string routes = kMinimal;
  for (int i = 0; i < 20; ++i)
    routes.append("[routes.r").append(std::to_string(i))
        .append("]\nenters = \"trainee\"\nintake = { first_day = 0, every_days = 0.01, count = 60000, places = 0 }\n");
  p = problems(routes);
  ASSERT_EQ(p.size(), 1u) << ::testing::PrintToString(p);
  EXPECT_NE(p[0].find("the scenario has more than 1000000 intakes in all"), std::string::npos) << p[0];
}

TEST(Loader, ModifiersAreCapped) {
  std::string text = kMinimal;
  for (int i = 0; i < 1001; ++i) text += "[[modifiers]]\nfactor = 1\nfrom = \"post\"\n";
  const auto p = problems(text);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0], "test.toml:42:1: error: too many modifiers: 1001 (at most 1000)");
}

// Deep expressions and long chains of parameters are refused where they are
// written, never by overflowing the stack.
TEST(Loader, DeepExpressionsAndLongParameterChainsAreRefused) {
  auto p = problems(replace(kMinimal, "cohort = 100\n", "cohort = \"" + std::string(1000, '(') + "1" + std::string(1000, ')') + "\"\n"));
  ASSERT_EQ(p.size(), 1u) << ::testing::PrintToString(p);
  EXPECT_EQ(p[0].rfind("test.toml:7:211: error: parameter 'cohort': the expression is nested too deeply: the limit is 200", 0), 0u) << p[0];
  std::string chain;
  for (int i = 0; i < 1500; ++i) chain.append("p").append(std::to_string(i)).append(" = \"p").append(std::to_string(i + 1)).append(" + 1\"\n");
  p = problems(replace(kMinimal, "cohort = 100\n", "cohort = \"p0\"\n" + chain + "p1500 = 1\n"));
  ASSERT_EQ(p.size(), 1u) << ::testing::PrintToString(p);
  EXPECT_EQ(p[0], "test.toml:1006:8: error: parameter 'p998' ends a chain of more than 1000 parameters, each referring "
                  "to the next; the limit is 1000");
}
