#include "output/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <sys/random.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string_view>

namespace tsim::output {

namespace fs = std::filesystem;

std::string partial_path(const std::string& final_path) {
  std::uint64_t r = 0;
  if (::getrandom(&r, sizeof r, 0) != static_cast<ssize_t>(sizeof r)) {
    // No entropy source: still unique within the process and between processes.
    static std::atomic<std::uint64_t> counter{0};
    r = (static_cast<std::uint64_t>(::getpid()) << 32) ^ ++counter ^
        static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  const fs::path p(final_path);
  return (p.parent_path() / fmt::format(".{}.{:016x}.partial", p.filename().string(), r)).string();
}

bool is_partial_name(const std::string& name) {
  constexpr std::string_view kSuffix = ".partial";
  return name.size() > 1 + 17 + kSuffix.size() && name.front() == '.' &&
         name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0 &&
         name[name.size() - kSuffix.size() - 17] == '.';
}

std::size_t remove_stale_partials(const std::string& dir) noexcept {
  std::size_t removed = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code ignored;
    if (it->is_regular_file(ignored) && is_partial_name(it->path().filename().string()) && fs::remove(it->path(), ignored))
      ++removed;
  }
  return removed;
}

void write_new_file(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) throw OutputError(fmt::format("{}: cannot create: {}", path, std::strerror(errno)));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      throw OutputError(fmt::format("{}: cannot write: {}", path, std::strerror(err)));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) throw OutputError(fmt::format("{}: cannot close: {}", path, std::strerror(errno)));
}

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

void truncate_abandoned(const std::string& partial) noexcept { (void)::truncate(partial.c_str(), 0); }

void ensure_writable_directory(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw OutputError(fmt::format("cannot create output directory {}: {}", dir, ec.message()));
  if (!fs::is_directory(dir)) throw OutputError(fmt::format("output path {} is not a directory", dir));
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw OutputError(fmt::format("output directory {} is not writable: {}", dir, std::strerror(errno)));
}

}  // namespace tsim::output
