// Files appear under their final name only when complete: each is written
// under a temporary name of its own beside the final one, created
// exclusively (never through a link planted there), then fsynced, renamed
// and the folder fsynced.
#pragma once

#include <stdexcept>
#include <string>

#include "sim/core/error.hpp"

namespace tsim::output {

/// Writing or publishing an output file failed (disk full, permissions...).
class OutputError : public core::IoError {
 public:
  using core::IoError::IoError;
};

/// A fresh temporary name beside `final_path`:
/// "<dir>/.<name>.<16 random hex digits>.partial". Never the same twice, so
/// two writers (or a planted file) never share one.
[[nodiscard]] std::string partial_path(const std::string& final_path);
/// Whether a file name is one partial_path makes (for clean-up and tests).
[[nodiscard]] bool is_partial_name(const std::string& file_name);

/// Removes the temporary files left in `dir` (and below it) by writers that
/// were killed. Only for a folder this process holds exclusively
/// (FolderLock), where no other writer can be at work. Returns how many it
/// removed. Never throws.
std::size_t remove_stale_partials(const std::string& dir) noexcept;

/// Creates `path` exclusively (O_CREAT | O_EXCL | O_NOFOLLOW) and writes
/// `text`. Throws OutputError naming the file.
void write_new_file(const std::string& path, const std::string& text);

/// fsyncs `partial`, renames it to `final_path` and fsyncs the directory.
/// Throws OutputError.
void publish(const std::string& partial, const std::string& final_path);

/// Makes sure `dir` exists and is writable (creating parents). Throws OutputError.
void ensure_writable_directory(const std::string& dir);

/// Empties a partial file that is being abandoned, so that closing it (HDF5
/// still flushes its metadata on close) needs no more room on a full disk.
/// Never throws.
void truncate_abandoned(const std::string& partial) noexcept;

}  // namespace tsim::output
