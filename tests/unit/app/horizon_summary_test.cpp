// The run summary groups states by role, shows leavers as cumulative exits,
// and gives the mean and 5-95% points over replications.
#include "sim/app/horizon_summary.hpp"

#include <gtest/gtest.h>

#include <sstream>

using namespace tsim;

namespace {

model::StateSpec state(const char* name, model::StateRole role) {
  model::StateSpec s;
  s.name = name;
  s.role = role;
  s.kind = model::kind_of(role);
  return s;
}

batch::FileRun run_with(std::vector<std::int64_t> headcount, std::vector<double> fte) {
  batch::FileRun r;
  r.summary.final_headcount = std::move(headcount);
  r.summary.final_fte = std::move(fte);
  return r;
}

model::ScenarioSpec spec_with_roles() {
  model::ScenarioSpec spec;
  spec.start_date = core::Date{2020, 4, 1};
  spec.horizon_days = 365;
  spec.states = {state("nurse", model::StateRole::staff), state("student", model::StateRole::trainee),
                 state("recruiting", model::StateRole::vacancy), state("left", model::StateRole::left_nhs),
                 state("failed", model::StateRole::did_not_complete)};
  return spec;
}

}  // namespace

TEST(HorizonSummary, GroupsByRoleAndNeverCallsLeaversHeadcount) {
  const auto spec = spec_with_roles();
  std::ostringstream out;
  app::print_horizon_summary({run_with({10, 4, 2, 7, 1}, {8.5, 4, 0, 0, 0})}, spec, out);
  const std::string s = out.str();
  EXPECT_NE(s.find("at the horizon, 2021-04-01 (365 days after 2020-04-01):"), std::string::npos) << s;
  const auto staff = s.find("staff in post:"), training = s.find("in training:"),
             vacancies = s.find("vacancies being filled"), left = s.find("left during the run (cumulative):");
  ASSERT_NE(staff, std::string::npos) << s;
  EXPECT_LT(staff, training);
  EXPECT_LT(training, vacancies);
  EXPECT_LT(vacancies, left);
  EXPECT_EQ(s.find("waiting ("), std::string::npos);  // no waiting state: no section
  EXPECT_NE(s.find("FTE 8.5"), std::string::npos) << s;
  EXPECT_NE(s.find("(left_nhs)"), std::string::npos) << s;
  EXPECT_NE(s.find("(did_not_complete)"), std::string::npos) << s;
  // The leavers come after the exits' heading, not among staff.
  EXPECT_GT(s.find("    left "), left);
}

TEST(HorizonSummary, MeanAndFivePercentPointsOverReplications) {
  const auto spec = spec_with_roles();
  std::vector<batch::FileRun> runs;
  // nurse headcount 0, 10, ..., 100 over 11 runs: mean 50; type-7 quantiles
  // at 5% and 95% fall at positions 0.5 and 9.5: 5 and 95.
  for (int k = 0; k <= 10; ++k) runs.push_back(run_with({10 * k, 0, 0, 0, 0}, {10.0 * k, 0, 0, 0, 0}));
  std::ostringstream out;
  app::print_horizon_summary(runs, spec, out);
  EXPECT_NE(out.str().find("mean over 11 replications [5%, 95%]"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("50.0 [5.0, 95.0]"), std::string::npos) << out.str();
}
