// A command run in-process through run_command_line with string streams:
// what a user sees (exit status, stdout, stderr) without starting a process.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "sim/app/commands.hpp"

namespace tsim::test {

struct CommandResult {
  int status = -1;
  std::string out, err;
};

inline CommandResult run_command(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  CommandResult r;
  r.status = app::run_command_line(args, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

}  // namespace tsim::test
