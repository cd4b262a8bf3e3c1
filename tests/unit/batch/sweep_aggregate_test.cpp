#include "sim/batch/sweep_aggregate.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/support/scenario_text.hpp"

using namespace tsim;

namespace {

// Two census periods (a 2-year horizon, yearly census from a 1 January start).
std::string scenario_with_states(const std::vector<std::string>& states) {
  std::string text = R"toml([scenario]
name = "agg"
start_date = 2020-01-01
horizon_years = 2
census = { every = "year" }
[states.left]
kind = "exit"
)toml";
  for (const auto& s : states)
    text += "[states." + s + "]\nkind = \"post\"\n[routes.into_" + s + "]\nenters = \"" + s +
            "\"\nintake = { on = \"06-01\", places = 10 }\n[[transitions]]\nfrom = \"" + s +
            "\"\nhazard = { per_year = 0.1 }\nto = \"left\"\n";
  return text;
}

// A census with `states` states: headcount[period][state].
output::CensusSummary census(std::vector<std::vector<double>> headcount) {
  output::CensusSummary c;
  c.states = headcount.front().size();
  c.headcount = std::move(headcount);
  return c;
}

}  // namespace

// Baseline states (a, left, b); the policy adds "an", which sorts and is declared before "b". Three
// replications; replication 2 of the policy is not done.
TEST(SweepAggregate, LevelsAndPairedDifferencesByStateName) {
  const auto base = test::load(scenario_with_states({"a", "b"}));
  const auto policy = test::load(scenario_with_states({"a", "an", "b"}));
  const int ba = base.spec.state_index("a"), bb = base.spec.state_index("b");
  const int pa = policy.spec.state_index("a"), pn = policy.spec.state_index("an"), pb = policy.spec.state_index("b");
  ASSERT_NE(bb, pb);  // "b" sits at another position in the policy
  const batch::SweepPlan plan({{"baseline", {}}, {"policy", {"p.toml"}}}, 1, 3);
  std::vector<std::optional<output::CensusSummary>> runs(plan.items().size());
  const double base_a[] = {10, 12, 14}, base_b[] = {5, 5, 8}, pol_a[] = {11, 14, 17}, pol_b[] = {6, 7, 0};
  for (int r = 0; r < 3; ++r) {
    std::vector<double> b(base.spec.states.size(), 0.0), p(policy.spec.states.size(), 0.0);
    b[ba] = base_a[r], b[bb] = base_b[r];
    p[pa] = pol_a[r], p[pb] = pol_b[r], p[pn] = 1;
    runs[plan.item(0, 0, r).index] = census({b, b});
    if (r < 2) runs[plan.item(1, 0, r).index] = census({p, p});
  }
  output::SweepIndex index;
  batch::aggregate_headcount(plan, {&base.spec, &policy.spec}, true, runs, index);
  const auto& a = index.aggregate;
  // Rows: baseline 2 periods x 3 states, then policy 2 periods x 4 states.
  ASSERT_EQ(a.mean.size(), 2u * 3 + 2u * 4);
  // Baseline, period 0, state a: 10, 12, 14 -> mean 12, s.e. sqrt(4/3), p5 10.2, p50 12, p95 13.8.
  const std::size_t row = static_cast<std::size_t>(ba);
  EXPECT_EQ(a.variant[row], "baseline");
  EXPECT_EQ(a.period[row], 0);
  EXPECT_EQ(a.state[row], ba);
  EXPECT_EQ(a.replications[row], 3);
  EXPECT_DOUBLE_EQ(a.mean[row], 12.0);
  EXPECT_DOUBLE_EQ(a.standard_error[row], std::sqrt(4.0 / 3));
  EXPECT_DOUBLE_EQ(a.p5[row], 10.2);
  EXPECT_DOUBLE_EQ(a.p50[row], 12.0);
  EXPECT_DOUBLE_EQ(a.p95[row], 13.8);
  // Policy rows: two done replications; paired rows for each of its states.
  const auto& d = index.paired;
  ASSERT_EQ(d.mean_difference.size(), 2u * 4);
  for (std::size_t i = 0; i < d.mean_difference.size(); ++i) {
    EXPECT_EQ(d.variant[i], "policy");
    EXPECT_EQ(d.replications[i], 2);
    const int s = d.state[i];
    // a: 11-10, 14-12 -> 1.5; b (matched by name): 6-5, 7-5 -> 1.5; an: 1-0, 1-0 -> 1.
    const double expected = s == pa ? 1.5 : s == pb ? 1.5 : s == pn ? 1.0 : 0.0;
    EXPECT_DOUBLE_EQ(d.mean_difference[i], expected) << "state " << s;
    // Differences {1, 2} for a and b: half-width t(0.975, 1) x sqrt(0.5 / 2) = 6.3531...
    if (s == pa || s == pb) {
      EXPECT_NEAR(d.ci_high[i] - d.mean_difference[i], 12.706204736432095 * 0.5, 1e-9);
    }
  }
  EXPECT_EQ(d.period_end_day[0], a.period_end_day[0]);
}

// Nothing pairs without a baseline; a slot that did not load has no rows;
// fewer than two pairs give no paired row.
TEST(SweepAggregate, NoBaselineNoLoadTooFewPairs) {
  const auto spec = test::load(scenario_with_states({"a", "b"}));
  const batch::SweepPlan plan({{"baseline", {}}, {"policy", {"p.toml"}}}, 1, 2);
  std::vector<std::optional<output::CensusSummary>> runs(plan.items().size());
  const std::vector<double> h(spec.spec.states.size(), 3.0);
  runs[0] = census({h, h});
  runs[2] = census({h, h});
  runs[3] = census({h, h});
  output::SweepIndex unpaired;
  batch::aggregate_headcount(plan, {&spec.spec, &spec.spec}, false, runs, unpaired);
  EXPECT_TRUE(unpaired.paired.mean_difference.empty());
  EXPECT_EQ(unpaired.aggregate.mean.size(), 2u * 2 * spec.spec.states.size());
  EXPECT_TRUE(std::isnan(unpaired.aggregate.standard_error[0]));  // one done baseline replication
  output::SweepIndex one_pair;
  batch::aggregate_headcount(plan, {&spec.spec, &spec.spec}, true, runs, one_pair);
  EXPECT_TRUE(one_pair.paired.mean_difference.empty());  // baseline replication 1 is not done
  output::SweepIndex unloaded;
  batch::aggregate_headcount(plan, {nullptr, &spec.spec}, true, runs, unloaded);
  EXPECT_EQ(unloaded.aggregate.mean.size(), 2u * spec.spec.states.size());
  EXPECT_TRUE(unloaded.paired.mean_difference.empty());
}
