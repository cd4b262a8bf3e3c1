#include "sim/app/graphviz.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "sim/app/cli_support.hpp"

extern char** environ;

namespace tsim::app {

namespace {

// Removes a file on scope exit unless released.
struct Cleanup {
  std::filesystem::path path;
  ~Cleanup() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove(path, ec);
  }
};

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

void render_svg(const std::string& dot_text, const std::string& svg_path, const std::string& dot_program) {
  const std::filesystem::path target(svg_path);
  const std::string stem = fmt::format(".{}.{}", target.filename().string(), ::getpid());
  const auto dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  Cleanup input{dir / (stem + ".dot")}, output{dir / (stem + ".svg")}, messages{dir / (stem + ".log")};
  {
    std::ofstream f(input.path);
    f << dot_text;
    // Where the SVG cannot be written is bad input (exit 2), as for --out.
    if (!f.flush()) throw UsageError(fmt::format("cannot write {} (its folder is not writable): {}", svg_path,
                                                 std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // dot's own messages go to a file we show if it fails.
  posix_spawn_file_actions_addopen(&actions, 2, messages.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> args{dot_program, "-Tsvg", "-o", output.path.string(), input.path.string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, dot_program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc == ENOENT)
    throw GraphvizMissing(fmt::format("describe --svg needs Graphviz's '{}' program, which was not found on PATH; "
                                      "install the Debian package graphviz (scripts/install-deps.sh does), or use "
                                      "--dot and draw it elsewhere",
                                      dot_program));
  if (rc != 0) throw std::runtime_error(fmt::format("cannot start '{}': {}", dot_program, std::strerror(rc)));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(fmt::format("'{}' failed drawing {}: {}", dot_program, svg_path, slurp(messages.path)));
  std::error_code ec;
  std::filesystem::rename(output.path, target, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot write {}: {}", svg_path, ec.message()));
  output.path.clear();
}

}  // namespace tsim::app
