// What `run` prints at the end: the workforce at the horizon by role (staff in
// post, in training, vacancies, waiting) and the people who left during the
// run by exit kind, as the mean over replications with a 5-95% range.
#pragma once

#include <ostream>
#include <vector>

#include "sim/batch/run_one.hpp"
#include "sim/model/spec.hpp"

namespace tsim::app {

/// One line per state, grouped by role (docs/INDICATORS.md, "Roles"); roles
/// the scenario does not use are left out. Exit states show cumulative
/// leavers, never headcount. Never throws (but std::bad_alloc).
void print_horizon_summary(const std::vector<batch::FileRun>& runs, const model::ScenarioSpec& spec, std::ostream& out);

}  // namespace tsim::app
