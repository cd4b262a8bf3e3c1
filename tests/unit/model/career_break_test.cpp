// Career breaks as data (scenarios/README.md): a post -> a waiting state ->
// back to a post on fewer hours. Whether the post is held while away is the
// establishment's rule (is the break state in the pull route's counts?).
// Everything is timed, so each count is known exactly.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "tests/support/run_memory.hpp"
#include "tests/support/scenario_text.hpp"

using namespace tsim;

namespace {

// 10 staff in post (establishment 10) all start a break on day 10, and come
// back on day 40 to `back` at 0.8 x their FTE. The establishment is refilled
// on days 20 and 50, counting `counts`.
std::string break_scenario(const std::string& counts) {
  return R"(
[scenario]
name = "career-break"
start_date = 2021-01-01
horizon_days = 60
census = { every_days = 30 }

[states.post]
kind = "post"
[states.on_break]
role = "waiting"
[states.back]
kind = "post"
[states.gone]
kind = "exit"

[stock.post]
count = 10

[routes.refill]
enters = "post"
intake = { first_day = 20, every_days = 30, count = 2, establishment = 10, counts = )" + counts + R"( }

[[transitions]]
from = "post"
after_days = 10
to = "on_break"

[[transitions]]
from = "on_break"
after_days = 30
to = "back"
fte_scale = 0.8

[[transitions]]
from = "back"
after_years = 5
to = "gone"
)";
}

// Recruits by the refill route, by day.
std::map<int, int> recruits(const model::MemorySink& s) {
  namespace p = model::cols::persons;
  std::map<int, int> out;
  const auto& t = s.persons();
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[p::is_initial_stock][i] == 0) ++out[static_cast<int>(t[p::entry_day][i])];
  return out;
}

}  // namespace

TEST(CareerBreak, PostNotHeldIsRefilledAndReturnersCountAgain) {
  // Day 20: all 10 away, not counted: 10 recruits. Day 40: the 10 come back
  // (20 in post, over establishment). Day 50: 20 counted, no recruits.
  const auto l = test::load(break_scenario(R"(["post", "back"])"));
  const auto s = test::run_in_memory(l);
  const auto r = recruits(s);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r.at(20), 10);
  // Returners keep 0.8 of their hours: 10 x 0.8 + 10 recruits at 1.0 = 18 FTE at the horizon.
  double fte = 0;
  namespace p = model::cols::persons;
  for (double f : s.persons()[p::fte]) fte += f;
  EXPECT_NEAR(fte, 18.0, 1e-9);
}

TEST(CareerBreak, PostHeldIsNotRefilled) {
  // The break state in the counts holds the post: no recruits on day 20 or 50.
  const auto l = test::load(break_scenario(R"(["post", "on_break", "back"])"));
  EXPECT_TRUE(recruits(test::run_in_memory(l)).empty());
}
