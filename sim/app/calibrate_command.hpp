// `traineesim calibrate CAL.toml`: fits free parameters to observed targets
// (sim/batch/calibration.hpp); `traineesim commission PLAN.toml`: the
// least-cost training places that reach a target (sim/batch/commission.hpp).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace tsim::app {

int cmd_calibrate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int cmd_commission(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace tsim::app
