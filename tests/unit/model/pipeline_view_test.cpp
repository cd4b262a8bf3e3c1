#include "sim/model/pipeline_view.hpp"

#include <gtest/gtest.h>
#include <sstream>

#include "tests/support/scenario_text.hpp"

using namespace tsim;

namespace {

// Codes follow names (a_applicant < b_left < c_trainee < d_staff < e_senior),
// so an order by code alone would be wrong: the pipeline is applicant ->
// trainee -> staff -> senior, with the exit last.
constexpr const char* kScrambled = R"toml([scenario]
name = "scrambled"
start_date = 2020-04-01
horizon_years = 5

[pools.supervision]
capacity = 5

[states.e_senior]
kind = "post"
band = 7
[states.b_left]
kind = "exit"
[states.d_staff]
kind = "post"
band = 5
provides = { pool = "supervision", slots = 2, after_years_in_state = 1 }
[states.c_trainee]
kind = "training"
needs = "supervision"
[states.a_applicant]
kind = "waiting"

[routes.main]
enters = "a_applicant"
intake = { on = "09-01", places = 30 }

[stock.d_staff]
count = 50

[[transitions]]
from = "a_applicant"
after_days = 30
to = "c_trainee"
[[transitions]]
from = "c_trainee"
after_years = 1
to = "d_staff"
[[transitions]]
from = "d_staff"
hazard = { per_year = 0.2 }
branch = [{ to = "e_senior", p = 0.5 }, { to = "b_left", p = 0.5 }]
[[transitions]]
from = "e_senior"
hazard = { per_year = 0.1 }
to = "b_left"
[[transitions]]
from = "e_senior"
hazard = { per_year = 0.05 }
to = "d_staff"
)toml";

std::vector<std::string> names(const model::ScenarioSpec& spec, const std::vector<int>& order) {
  std::vector<std::string> out;
  for (int s : order) out.push_back(spec.states[s].name);
  return out;
}

}  // namespace

// Stock enters d_staff at stage 0, but d_staff is also reached from the
// trainee (stage 2), so it sits after the trainee; the senior <-> staff cycle
// shares one stage; the exit comes last.
TEST(PipelineView, OrdersStatesFromTheWaysInToTheExits) {
  const auto l = test::load(kScrambled);
  const model::CareerGraph g(l.spec);
  EXPECT_EQ(names(l.spec, model::pipeline_order(l.spec, g)),
            (std::vector<std::string>{"a_applicant", "c_trainee", "d_staff", "e_senior", "b_left"}));
  const auto stage = model::state_stages(l.spec, g);
  EXPECT_EQ(stage[l.spec.state_index("a_applicant")], 0);
  EXPECT_EQ(stage[l.spec.state_index("c_trainee")], 1);
  EXPECT_EQ(stage[l.spec.state_index("d_staff")], stage[l.spec.state_index("e_senior")]);
  EXPECT_GT(stage[l.spec.state_index("b_left")], stage[l.spec.state_index("e_senior")]);
}

TEST(PipelineView, TextNamesRoutesIntakesPoolsAndProviders) {
  const auto l = test::load(kScrambled);
  const model::CareerGraph g(l.spec);
  std::ostringstream out;
  model::write_pipeline_text(l.spec, g, out);
  const std::string t = out.str();
  EXPECT_NE(t.find("route main -> a_applicant: 5 intake(s) 2020-09-01 to 2024-09-01, 150 places in all"),
            std::string::npos) << t;
  EXPECT_NE(t.find("initial stock d_staff -> d_staff: 50 people"), std::string::npos) << t;
  EXPECT_NE(t.find("provided by: d_staff (2 slot(s) each after 1 year(s) in the state)"), std::string::npos) << t;
  EXPECT_NE(t.find("needed by:   c_trainee"), std::string::npos) << t;
  // The states appear in pipeline order.
  const auto at = [&](const std::string& s) { return t.find("\n  " + s + " ["); };
  EXPECT_LT(at("a_applicant"), at("c_trainee"));
  EXPECT_LT(at("c_trainee"), at("d_staff"));
  EXPECT_LT(at("e_senior"), at("b_left"));
  EXPECT_NE(t.find("\n exits\n"), std::string::npos) << t;
}

TEST(PipelineView, DotRanksStagesAndDrawsPools) {
  const auto l = test::load(kScrambled);
  const model::CareerGraph g(l.spec);
  std::ostringstream out;
  model::write_pipeline_dot(l.spec, g, out);
  const std::string d = out.str();
  EXPECT_EQ(d.rfind("digraph G {", 0), 0u);
  EXPECT_NE(d.find("rankdir=LR"), std::string::npos);
  EXPECT_NE(d.find("{ rank=same;"), std::string::npos);
  EXPECT_NE(d.find("pool supervision"), std::string::npos);
  EXPECT_NE(d.find("label=\"provides 2\""), std::string::npos);
  EXPECT_NE(d.find("route main"), std::string::npos);
  EXPECT_EQ(d.back(), '\n');
}
