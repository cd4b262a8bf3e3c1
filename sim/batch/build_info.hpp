// What built this binary: the project version and `git describe --tags
// --always --dirty`, both taken when the binary was BUILT (not when CMake was
// configured), so they are right after an incremental build. Recorded in
// every run file's root attributes (traineesim_version, git_sha).
#pragma once

#include <string_view>

namespace tsim::batch {

struct BuildInfo {
  std::string_view version;       // project(VERSION) of CMakeLists.txt, e.g. "0.1.0"
  std::string_view git_describe;  // e.g. "v0.1.0-3-g3ac44bf-dirty"; "unknown" outside a git checkout
};

/// The build information (defined in a source file generated at build time). Never throws.
[[nodiscard]] const BuildInfo& build_info() noexcept;

}  // namespace tsim::batch
