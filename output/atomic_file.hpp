// Files appear under their final name only when complete: write to
// "<name>.partial", fsync, rename, fsync the directory.
#pragma once

#include <stdexcept>
#include <string>

namespace tsim::output {

/// Writing or publishing an output file failed (disk full, permissions...).
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The temporary name a file is written under.
[[nodiscard]] std::string partial_path(const std::string& final_path);

/// fsyncs `partial`, renames it to `final_path` and fsyncs the directory.
/// Throws OutputError.
void publish(const std::string& partial, const std::string& final_path);

/// Makes sure `dir` exists and is writable (creating parents). Throws OutputError.
void ensure_writable_directory(const std::string& dir);

}  // namespace tsim::output
