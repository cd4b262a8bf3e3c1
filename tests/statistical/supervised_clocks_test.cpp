// Clocks that run only while supervised, against closed forms: stock placed
// with a tenure, a transition that opens on a date, and a dated modifier
// across a supervision spell that a provider's departure interrupts. KS
// checks use the 99.9% critical value 1.9495/sqrt(n); each scenario is
// written out so its closed form can be read beside it.
#include <gtest/gtest.h>

#include <cmath>
#include <fmt/format.h>

#include "tests/support/run_memory.hpp"
#include "tests/support/scenario_text.hpp"
#include "tests/support/stats.hpp"

using namespace tsim;

namespace {

constexpr int kN = 100000;

// Exit days of the trainees who left (to state "left") before the horizon.
std::vector<double> exit_days(const scenario::LoadedScenario& l, const model::MemorySink& s) {
  namespace pc = model::cols::persons;
  const int left = l.spec.state_index("left");
  std::vector<double> out;
  for (std::size_t i = 0; i < s.persons().size(); ++i)
    if (s.persons()[pc::exit_state][i] == left) out.push_back(s.persons()[pc::exit_day][i]);
  return out;
}

// KS distance between the exits seen and F on [0, horizon), with everyone
// (censored people too) in the denominator: F_n(t) = exits <= t / n.
double censored_ks(std::vector<double> exits, std::size_t n, const std::function<double(double)>& cdf) {
  std::sort(exits.begin(), exits.end());
  double d = 0;
  for (std::size_t i = 0; i < exits.size(); ++i) {
    const double f = cdf(exits[i]);
    d = std::max({d, (static_cast<double>(i) + 1) / static_cast<double>(n) - f, f - static_cast<double>(i) / static_cast<double>(n)});
  }
  return d;
}

}  // namespace

// Stock placed 2 years into a while-supervised Weibull(k 2, 2 years) hazard
// leaves as S(a + t) / S(a): F(t) = 1 - exp(-(((2 + t)/2)^2 - 1)), t in years.
// Before the fix a share 1 - S(2 years) = 63% left on day 0.
TEST(SupervisedClocks, StockTenureConditionsTheClock) {
  const auto l = test::load(fmt::format(R"toml(
[scenario]
name = "sup-stock"
start_date = 2020-01-01
horizon_years = 30
census = {{ every = "year" }}
[pools.sup]
capacity = {0}
[states.trainee]
kind = "training"
needs = "sup"
[states.left]
kind = "exit"
[stock.trainee]
count = {0}
tenure_years = 2
[[transitions]]
from = "trainee"
hazard = {{ weibull = {{ shape = 2.0, scale_years = 2.0 }} }}
while_supervised = true
to = "left"
)toml", kN));
  const auto exits = exit_days(l, test::run_in_memory(l, 5));
  ASSERT_EQ(exits.size(), static_cast<std::size_t>(kN));  // P(censored after 30 years) = e^-255
  EXPECT_EQ(std::count(exits.begin(), exits.end(), 0.0), 0);
  const double d = test::ks_statistic(exits, [](double day) {
    const double t = day / 365.0;
    return 1 - std::exp(-(std::pow((2 + t) / 2, 2) - 1));
  });
  EXPECT_LT(d, test::ks_critical(exits.size()));
}

// A while-supervised hazard of 0.5 a year that opens on 2021-01-01 (day 366):
// nobody leaves before it; after it, exponential: F(t) = 1 - exp(-0.5 (t - 366)/365).
TEST(SupervisedClocks, FromDateHoldsTheHazardUntilItOpens) {
  const auto l = test::load(fmt::format(R"toml(
[scenario]
name = "sup-from-date"
start_date = 2020-01-01
horizon_years = 40
census = {{ every = "year" }}
[pools.sup]
capacity = {0}
[states.trainee]
kind = "training"
needs = "sup"
[states.left]
kind = "exit"
[stock.trainee]
count = {0}
[[transitions]]
from = "trainee"
hazard = {{ per_year = 0.5 }}
while_supervised = true
from_date = 2021-01-01
to = "left"
)toml", kN));
  const auto exits = exit_days(l, test::run_in_memory(l, 6));
  ASSERT_GT(exits.size(), static_cast<std::size_t>(kN) * 99 / 100);
  EXPECT_GE(*std::min_element(exits.begin(), exits.end()), 366.0);
  const double d = censored_ks(exits, kN, [](double day) { return day < 366 ? 0.0 : 1 - std::exp(-0.5 * (day - 366) / 365); });
  EXPECT_LT(d, test::ks_critical(kN));
}

// A hazard of 1 a year runs only while supervised; a policy doubles it from
// day 100 to day 400. Supervisors provide every slot until they all leave on
// day 200; a second group starts providing on day 300. The clock therefore
// runs on [0, 200) and from 300 on, and the integrated hazard (per 365 days) is
//   t       for t < 100          100 + 2 (t - 100)  for 100 <= t < 200
//   300     for 200 <= t < 300   300 + 2 (t - 300)  for 300 <= t < 400
//   500 + (t - 400) after.
// The part spent before day 200 must carry over the pause exactly.
TEST(SupervisedClocks, ModifiersCarryAcrossAnInterruptedSpell) {
  const auto l = test::load(fmt::format(R"toml(
[scenario]
name = "sup-spells"
start_date = 2020-01-01
horizon_years = 6
census = {{ every = "quarter" }}
[pools.sup]
[states.trainee]
kind = "training"
needs = "sup"
[states.first_supervisors]
kind = "post"
provides = {{ pool = "sup", slots = 100 }}
[states.second_supervisors]
kind = "post"
provides = {{ pool = "sup", slots = 100, after_days_in_state = 300 }}
[states.left]
kind = "exit"
[states.gone]
kind = "exit"
[stock.trainee]
count = {0}
[stock.first]
state = "first_supervisors"
count = {1}
[stock.second]
state = "second_supervisors"
count = {1}
[[transitions]]
from = "trainee"
hazard = {{ per_year = 1.0 }}
while_supervised = true
to = "left"
[[transitions]]
from = "first_supervisors"
after_days = 200
to = "gone"
[[transitions]]
from = "second_supervisors"
hazard = {{ per_year = 0.0 }}
to = "gone"
[[modifiers]]
name = "double"
from = "trainee"
factor = 2.0
from_date = 2020-04-10
until_date = 2021-02-04
)toml", kN, kN / 100));
  // 2020-04-10 is day 100 and 2021-02-04 day 400 after 2020-01-01.
  const auto exits = exit_days(l, test::run_in_memory(l, 7));
  auto integrated = [](double t) {
    if (t < 100) return t;
    if (t < 200) return 100 + 2 * (t - 100);
    if (t < 300) return 300.0;
    if (t < 400) return 300 + 2 * (t - 300);
    return 500 + (t - 400);
  };
  for (double e : exits) ASSERT_FALSE(e >= 200 && e < 300) << "an exit while nobody was supervised, day " << e;
  const double d = censored_ks(exits, kN, [&](double day) { return 1 - std::exp(-integrated(day) / 365); });
  EXPECT_LT(d, test::ks_critical(kN));
}
