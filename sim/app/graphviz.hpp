// Drawing a DOT graph with Graphviz's `dot` program (Debian package
// graphviz), run as a subprocess: no library is linked, so the simulator
// builds and runs without it and only `describe --svg` needs it.
#pragma once

#include <stdexcept>
#include <string>

namespace tsim::app {

/// `dot` is not installed (not on PATH).
struct GraphvizMissing : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Renders `dot_text` as SVG into `svg_path` with `dot_program` (looked up on
/// PATH). The file appears under its name only when dot succeeded (written
/// to a temporary name beside it, then renamed). Throws GraphvizMissing when
/// the program cannot be found, std::runtime_error when it fails (with what
/// it printed) or the file cannot be written.
void render_svg(const std::string& dot_text, const std::string& svg_path, const std::string& dot_program = "dot");

}  // namespace tsim::app
