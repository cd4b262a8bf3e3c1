// `traineesim calibrate CAL.toml`: fits free parameters to observed targets
// (sim/batch/calibration.hpp).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace tsim::app {

int cmd_calibrate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace tsim::app
