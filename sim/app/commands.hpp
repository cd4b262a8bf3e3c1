// The command line: `traineesim run|validate|describe ...`. Returns exit
// statuses (0 ok, 1 failure, 2 bad input) instead of exiting, so tests can
// call it in-process.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace tsim::app {

/// Exit statuses.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

/// Runs the command line `args` (without the program name).
int run_command_line(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace tsim::app
