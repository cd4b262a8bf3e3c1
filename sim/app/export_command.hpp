// `traineesim export RESULTS --csv DIR`: a results folder (a variant folder,
// a run or compare output folder, or a sweep folder) as CSV for analysts:
// one long census table and the comparison indicators (docs/OUTPUT.md,
// "Tidy results").
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace tsim::app {

int cmd_export(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace tsim::app
