#include "sim/batch/thread_count.hpp"

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace tsim::batch {

namespace fs = std::filesystem;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

std::optional<long long> to_integer(std::string_view s) {
  s = trim(s);
  long long v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Quota and period in microseconds; a quota below one period still gets one thread.
std::optional<unsigned> cpus(long long quota, long long period) {
  if (quota <= 0 || period <= 0) return std::nullopt;
  const long long n = (quota + period - 1) / period;
  return static_cast<unsigned>(std::clamp<long long>(n, 1, 1 << 20));
}

std::optional<std::string> read_text(const fs::path& p) {
  std::ifstream in(p);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::optional<unsigned> tighter(std::optional<unsigned> a, std::optional<unsigned> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

// True if the comma-separated list `controllers` names `name` ("cpu,cpuacct" has "cpu").
bool has_controller(std::string_view controllers, std::string_view name) {
  while (!controllers.empty()) {
    const auto comma = controllers.find(',');
    if (controllers.substr(0, comma) == name) return true;
    if (comma == std::string_view::npos) break;
    controllers.remove_prefix(comma + 1);
  }
  return false;
}

// The limit of `mount / path` and of every folder above it up to `mount`:
// a parent's quota caps its children. `read` gives one folder's limit.
template <class Read>
std::optional<unsigned> walk_up(const fs::path& mount, std::string_view path, Read read) {
  std::optional<unsigned> best;
  const fs::path relative = fs::path(std::string(path)).relative_path();
  fs::path dir = relative.empty() ? mount : mount / relative;
  for (int depth = 0; depth < 64; ++depth) {
    best = tighter(best, read(dir));
    if (dir == mount || !dir.has_parent_path() || dir.parent_path() == dir) break;
    dir = dir.parent_path();
  }
  return best;
}

}  // namespace

std::optional<unsigned> cpus_from_cpu_max(std::string_view text) noexcept {
  text = trim(text);
  const auto space = text.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const auto quota = to_integer(text.substr(0, space));  // "max" does not parse: unlimited
  const auto period = to_integer(text.substr(space + 1));
  if (!quota || !period) return std::nullopt;
  return cpus(*quota, *period);
}

std::optional<unsigned> cpus_from_cfs(std::string_view quota_us, std::string_view period_us) noexcept {
  const auto quota = to_integer(quota_us), period = to_integer(period_us);
  if (!quota || !period) return std::nullopt;
  return cpus(*quota, *period);
}

std::optional<unsigned> cgroup_cpu_limit(const fs::path& cgroup_root, std::string_view proc_self_cgroup) noexcept {
  try {
    std::optional<unsigned> best;
    std::istringstream lines{std::string(proc_self_cgroup)};
    for (std::string line; std::getline(lines, line);) {
      // "hierarchy-id:controllers:path"; v2 is "0::path".
      const auto a = line.find(':'), b = line.find(':', a == std::string::npos ? 0 : a + 1);
      if (a == std::string::npos || b == std::string::npos) continue;
      const std::string_view controllers = std::string_view(line).substr(a + 1, b - a - 1);
      const std::string_view path = std::string_view(line).substr(b + 1);
      if (controllers.empty() && line.compare(0, a, "0") == 0) {
        best = tighter(best, walk_up(cgroup_root, path, [](const fs::path& d) -> std::optional<unsigned> {
                         const auto t = read_text(d / "cpu.max");
                         return t ? cpus_from_cpu_max(*t) : std::nullopt;
                       }));
      } else if (has_controller(controllers, "cpu")) {
        for (const char* mount : {"cpu", "cpu,cpuacct", "cpuacct,cpu"})
          best = tighter(best, walk_up(cgroup_root / mount, path, [](const fs::path& d) -> std::optional<unsigned> {
                           const auto q = read_text(d / "cpu.cfs_quota_us"), p = read_text(d / "cpu.cfs_period_us");
                           return q && p ? cpus_from_cfs(*q, *p) : std::nullopt;
                         }));
      }
    }
    return best;
  } catch (...) {
    return std::nullopt;  // an unreadable cgroup tree means no known quota
  }
}

unsigned affinity_cpu_count() noexcept {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return static_cast<unsigned>(n);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

unsigned default_thread_count() noexcept {
  unsigned n = affinity_cpu_count();
  std::optional<unsigned> quota;
  try {
    if (const auto self = read_text("/proc/self/cgroup")) quota = cgroup_cpu_limit("/sys/fs/cgroup", *self);
  } catch (...) {
    quota = std::nullopt;
  }
  if (quota) n = std::min(n, *quota);
  return std::max(1u, n);
}

}  // namespace tsim::batch
