// `traineesim psa SCENARIO --policy P`: probabilistic sensitivity analysis
// over the [uncertain.<parameter>] distributions (sim/batch/psa.hpp).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace tsim::app {

int cmd_psa(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace tsim::app
