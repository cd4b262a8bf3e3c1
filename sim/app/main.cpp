#include <iostream>

#include "sim/app/commands.hpp"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  return tsim::app::run_command_line(args, std::cout, std::cerr);
}
