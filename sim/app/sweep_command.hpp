// `traineesim sweep SWEEP.toml`: many runs, on all cores, as Slurm array
// shards, resumable, with an index of verified run files.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace tsim::app {

int cmd_sweep(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace tsim::app
