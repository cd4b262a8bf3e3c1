#include "output/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <unistd.h>

namespace tsim::output {

namespace fs = std::filesystem;

std::string partial_path(const std::string& final_path) { return final_path + ".partial"; }

namespace {
void fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) throw OutputError(fmt::format("{}: cannot open to sync: {}", path, std::strerror(errno)));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  // Some file systems cannot fsync a directory (EINVAL); the rename still stands.
  if (rc != 0 && err != EINVAL) throw OutputError(fmt::format("{}: fsync failed: {}", path, std::strerror(err)));
}
}  // namespace

void publish(const std::string& partial, const std::string& final_path) {
  fsync_path(partial, O_RDONLY);
  if (std::rename(partial.c_str(), final_path.c_str()) != 0)
    throw OutputError(fmt::format("cannot rename {} to {}: {}", partial, final_path, std::strerror(errno)));
  auto dir = fs::path(final_path).parent_path();
  fsync_path(dir.empty() ? "." : dir.string(), O_RDONLY | O_DIRECTORY);
}

void ensure_writable_directory(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw OutputError(fmt::format("cannot create output directory {}: {}", dir, ec.message()));
  if (!fs::is_directory(dir)) throw OutputError(fmt::format("output path {} is not a directory", dir));
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw OutputError(fmt::format("output directory {} is not writable: {}", dir, std::strerror(errno)));
}

}  // namespace tsim::output
