// Hazard clocks against closed forms. Each test runs a small scenario written
// for it with a fixed seed; the sample size and the tolerance are stated next
// to each check. KS checks use the 99.9% critical value 1.9495/sqrt(n).
#include <gtest/gtest.h>

#include <cmath>
#include <fmt/format.h>

#include "tests/support/run_memory.hpp"
#include "tests/support/scenario_text.hpp"
#include "tests/support/stats.hpp"

using namespace tsim;

namespace {

constexpr int kN = 100000;  // people per scenario

// N people start in state "a" on day 0 with no tenure and leave by `transitions`.
std::string hazard_scenario(const std::string& transitions, const std::string& exits, const std::string& extra = "",
                     double horizon_years = 200) {
  return fmt::format(R"toml(
[scenario]
name = "hazard"
start_date = 2020-01-01
horizon_years = {}
census = {{ every = "year" }}
{}
[states.a]
kind = "post"
{}
[stock.a]
count = {}
age_years = 40
{}
)toml",
                     horizon_years, extra, exits, kN, transitions);
}

std::vector<double> exit_years(const model::MemorySink& s) {
  std::vector<double> out;
  for (double d : s.persons()[model::cols::persons::exit_day]) out.push_back(d / 365.0);
  return out;
}

}  // namespace

TEST(Hazards, ConstantHazardGivesExponentialSurvival) {
  const double lambda = 0.5;  // per year
  const auto l = test::load(hazard_scenario("[[transitions]]\nfrom = \"a\"\nhazard = { per_year = 0.5 }\nto = \"gone\"",
                                     "[states.gone]\nkind = \"exit\""));
  const auto t = exit_years(test::run_in_memory(l, 11));
  ASSERT_EQ(t.size(), static_cast<std::size_t>(kN));
  for (double x : t) ASSERT_FALSE(std::isnan(x));  // horizon 200 years: P(censored) = e^-100
  const double d = test::ks_statistic(t, [&](double x) { return 1 - std::exp(-lambda * x); });
  EXPECT_LT(d, test::ks_critical(t.size()));
  // Mean 1/lambda = 2 years; standard error (1/lambda)/sqrt(n) = 0.0063; 4 s.e. = 0.025.
  double mean = 0;
  for (double x : t) mean += x / kN;
  EXPECT_NEAR(mean, 1 / lambda, 4 * (1 / lambda) / std::sqrt(kN));
}

TEST(Hazards, CompetingRisksGiveTheirCumulativeIncidence) {
  const double l1 = 0.3, l2 = 0.2, l3 = 0.1, total = l1 + l2 + l3;
  std::string tr;
  for (auto [rate, to] : {std::pair{l1, "e1"}, std::pair{l2, "e2"}, std::pair{l3, "e3"}})
    tr += fmt::format("[[transitions]]\nfrom = \"a\"\nhazard = {{ per_year = {} }}\nto = \"{}\"\n", rate, to);
  const auto l = test::load(hazard_scenario(tr, "[states.e1]\nkind = \"exit\"\n[states.e2]\nkind = \"exit\"\n[states.e3]\nkind = \"exit\""));
  const auto s = test::run_in_memory(l, 12);
  for (double t : {1.0, 3.0, 5.0}) {
    int k = 0;
    for (auto [rate, name] : {std::pair{l1, "e1"}, std::pair{l2, "e2"}, std::pair{l3, "e3"}}) {
      const int code = l.spec.state_index(name);
      long hits = 0;
      for (std::size_t i = 0; i < s.persons().size(); ++i)
        hits += s.persons()[model::cols::persons::exit_state][i] == code && s.persons()[model::cols::persons::exit_day][i] <= t * 365;
      // CIF_k(t) = lambda_k / sum(lambda) * (1 - exp(-sum(lambda) t)); tolerance 4 binomial s.e. (n = 10^5).
      const double cif = rate / total * (1 - std::exp(-total * t));
      EXPECT_NEAR(hits / double(kN), cif, 4 * test::binomial_se(cif, kN)) << name << " at " << t << " years";
      ++k;
    }
  }
}

TEST(Hazards, PiecewiseConstantHazardMatchesItsCdf) {
  // Rates 0.5, 0.1, 1.0 per year on [0,1), [1,3), [3,inf) years in state.
  const auto l = test::load(hazard_scenario(
      "[[transitions]]\nfrom = \"a\"\nhazard = { per_year = [0.5, 0.1, 1.0], breaks_years = [1, 3] }\nto = \"gone\"",
      "[states.gone]\nkind = \"exit\""));
  const auto t = exit_years(test::run_in_memory(l, 13));
  auto H = [](double x) {
    return 0.5 * std::min(x, 1.0) + 0.1 * std::clamp(x - 1, 0.0, 2.0) + 1.0 * std::max(x - 3, 0.0);
  };
  EXPECT_LT(test::ks_statistic(t, [&](double x) { return 1 - std::exp(-H(x)); }), test::ks_critical(t.size()));
}

TEST(Hazards, WeibullHazardAndWeibullDurationMatchTheirCdf) {
  // A Weibull hazard (shape 1.5, scale 2 years) and a timed Weibull duration
  // (shape 0.8, scale 3 years) must both give F(t) = 1 - exp(-(t/scale)^shape).
  const auto h = test::load(hazard_scenario("[[transitions]]\nfrom = \"a\"\nhazard = { weibull = { shape = 1.5, scale_years = 2 } }\nto = \"gone\"",
                                     "[states.gone]\nkind = \"exit\""));
  const auto th = exit_years(test::run_in_memory(h, 14));
  EXPECT_LT(test::ks_statistic(th, [](double x) { return 1 - std::exp(-std::pow(x / 2, 1.5)); }), test::ks_critical(th.size()));
  const auto d = test::load(hazard_scenario("[[transitions]]\nfrom = \"a\"\nafter_years = { weibull = { shape = 0.8, scale = 3 } }\nto = \"gone\"",
                                     "[states.gone]\nkind = \"exit\""));
  const auto td = exit_years(test::run_in_memory(d, 15));
  EXPECT_LT(test::ks_statistic(td, [](double x) { return 1 - std::exp(-std::pow(x / 3, 0.8)); }), test::ks_critical(td.size()));
}

TEST(Hazards, GompertzAgeHazardMatchesItsConditionalCdf) {
  // h(age) = a exp(b age) with a = 0.0005, b = 0.1 per year, everyone aged 40 at
  // entry: P(T <= t) = 1 - exp(-a/b (e^{b(40+t)} - e^{40 b})).
  const auto l = test::load(hazard_scenario(
      "[[transitions]]\nfrom = \"a\"\nhazard = { gompertz = { a_per_year = 0.0005, b_per_year = 0.1 }, clock = \"age\" }\nto = \"gone\"",
      "[states.gone]\nkind = \"exit\""));
  const auto t = exit_years(test::run_in_memory(l, 16));
  const double a = 0.0005, b = 0.1;
  EXPECT_LT(test::ks_statistic(t, [&](double x) { return 1 - std::exp(-a / b * (std::exp(b * (40 + x)) - std::exp(40 * b))); }),
            test::ks_critical(t.size()));
}

TEST(Hazards, HazardRatiosAreRecovered) {
  // Rate 0.2 per year, ratio 1.8 for group B; 5-year horizon, so censored.
  // Rate per group = events / exposure; the log of the ratio of two Poisson
  // rates has standard error sqrt(1/d_A + 1/d_B) (about 0.009 here): 4 s.e.
  const auto l = test::load(hazard_scenario(
      "[[transitions]]\nfrom = \"a\"\nhazard = { per_year = 0.2 }\nratio = { grp = { B = 1.8 } }\nto = \"gone\"",
      "[states.gone]\nkind = \"exit\"", "[attributes.grp]\nlevels = [\"A\", \"B\"]\npopulation = [0.5, 0.5]", 5));
  const auto s = test::run_in_memory(l, 17);
  double events[2] = {0, 0}, exposure[2] = {0, 0};
  for (std::size_t i = 0; i < s.persons().size(); ++i) {
    const int g = test::attribute(s.persons(), 0)[i];
    const double e = s.persons()[model::cols::persons::exit_day][i];
    events[g] += std::isnan(e) ? 0 : 1;
    exposure[g] += std::isnan(e) ? 5 * 365.0 : e;
  }
  const double ratio = (events[1] / exposure[1]) / (events[0] / exposure[0]);
  const double se = std::sqrt(1 / events[0] + 1 / events[1]);
  EXPECT_NEAR(std::log(ratio), std::log(1.8), 4 * se) << "ratio " << ratio;
  EXPECT_NEAR(events[0] / exposure[0] * 365, 0.2, 4 * 0.2 / std::sqrt(events[0]));
}

TEST(Branches, SharesFollowProbabilitiesAndAttributeLevels) {
  // After one day: x with p 0.3 (0.6 for group B), else y. Binomial bounds of
  // 4 s.e. per group (n about 5 * 10^4 each).
  const auto l = test::load(hazard_scenario(R"toml([[transitions]]
from = "a"
after_days = 1
branch = [ { to = "x", p = 0.3 }, { to = "y", p = 0.7 } ]
branch_by = { attribute = "grp", p = { B = [0.6, 0.4] } })toml",
                                     "[states.x]\nkind = \"exit\"\n[states.y]\nkind = \"exit\"",
                                     "[attributes.grp]\nlevels = [\"A\", \"B\"]\npopulation = [0.5, 0.5]"));
  const auto s = test::run_in_memory(l, 18);
  const int x = l.spec.state_index("x");
  double n[2] = {0, 0}, hits[2] = {0, 0};
  for (std::size_t i = 0; i < s.persons().size(); ++i) {
    const int g = test::attribute(s.persons(), 0)[i];
    n[g] += 1;
    hits[g] += s.persons()[model::cols::persons::exit_state][i] == x;
    ASSERT_EQ(s.persons()[model::cols::persons::exit_day][i], 1.0);
  }
  EXPECT_NEAR(hits[0] / n[0], 0.3, 4 * test::binomial_se(0.3, n[0]));
  EXPECT_NEAR(hits[1] / n[1], 0.6, 4 * test::binomial_se(0.6, n[1]));
  // The attribute mix itself: group B share 0.5 within 4 s.e.
  EXPECT_NEAR(n[1] / kN, 0.5, 4 * test::binomial_se(0.5, kN));
}
