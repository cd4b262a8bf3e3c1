#include "sim/model/career_graph.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "sim/core/error.hpp"
#include "tests/support/scenario_text.hpp"

using namespace tsim;

namespace {
// Builds a spec by hand so the graph checks are tested without the loader.
model::ScenarioSpec chain() {
  model::ScenarioSpec s;
  s.name = "chain";
  for (const char* n : {"a", "b", "c", "gone", "island"}) {
    model::StateSpec st;
    st.name = n;
    s.states.push_back(st);
  }
  s.states[3].kind = model::StateKind::exit;
  auto edge = [&](int from, int to, model::TransitionWhen when) {
    model::TransitionSpec t;
    t.from = from;
    t.when = when;
    t.duration = core::Fixed{when == model::TransitionWhen::timed ? 1.0 : 0.0};
    t.outcomes = {model::Outcome{to, 1.0, 0}};
    s.transitions.push_back(t);
  };
  edge(0, 1, model::TransitionWhen::timed);
  edge(1, 2, model::TransitionWhen::immediate);
  edge(2, 1, model::TransitionWhen::immediate);  // b <-> c in zero time
  edge(1, 3, model::TransitionWhen::timed);
  model::RouteSpec route;
  route.name = "r";
  route.enters = 0;
  s.routes.push_back(route);
  return s;
}
}  // namespace

TEST(CareerGraph, FindsUnreachableDeadEndsAndZeroTimeCycles) {
  const auto spec = chain();
  model::CareerGraph g(spec);
  EXPECT_EQ(g.unreachable_states(), (std::vector<int>{4}));
  EXPECT_EQ(g.states_without_exit(), (std::vector<int>{4}));
  const auto cycles = g.zero_time_cycles();
  ASSERT_EQ(cycles.size(), 1u);
  EXPECT_EQ(cycles[0].size(), 2u);
}

TEST(CareerGraph, WritesTextAndDot) {
  const auto loaded = scenario::load_scenario_file(test::source_path("scenarios/bench/pipeline.toml"));
  model::CareerGraph g(loaded.spec);
  EXPECT_TRUE(g.unreachable_states().empty());
  EXPECT_TRUE(g.states_without_exit().empty());
  EXPECT_TRUE(g.zero_time_cycles().empty());
  std::ostringstream text, dot;
  g.write_text(text);
  g.write_dot(dot);
  EXPECT_NE(text.str().find("trainee"), std::string::npos);
  EXPECT_EQ(dot.str().rfind("digraph G {", 0), 0u);
  EXPECT_NE(dot.str().find("band 7"), std::string::npos);
}

// A discrete duration that can be 0 makes a cycle that can take no time.
TEST(CareerGraph, ADiscreteZeroDurationCountsAsNoTime) {
  const auto text = [](const std::string& values) {
    return R"toml(
[scenario]
name = "discrete-zero"
start_date = 2020-01-01
horizon_years = 2
[states.a]
kind = "post"
[states.b]
kind = "post"
[states.gone]
kind = "exit"
[stock.a]
count = 1
[[transitions]]
from = "a"
after_days = { discrete = { values = )toml" + values + R"toml(, p = [0.5, 0.5] } }
to = "b"
[[transitions]]
from = "b"
branch = [ { to = "a", p = 0.5 }, { to = "gone", p = 0.5 } ]
)toml";
  };
  try {
    (void)tsim::test::load(text("[0, 10]"));
    FAIL() << "a cycle that can take no time was accepted";
  } catch (const tsim::core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("form a cycle that takes no time"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW((void)tsim::test::load(text("[5, 10]")));
}
