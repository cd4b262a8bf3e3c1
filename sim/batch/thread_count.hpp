// How many replications to run at once when the user says "all cores": the
// CPUs this process may run on (its affinity mask, which taskset, Slurm and
// container runtimes narrow) capped by the cgroup CPU quota (what Docker's
// --cpus and Kubernetes limits set). std::thread::hardware_concurrency()
// counts the machine's CPUs instead and oversubscribes a container.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace tsim::batch {

/// CPUs a cgroup v2 `cpu.max` ("<quota> <period>" in microseconds, or
/// "max <period>") allows: quota / period rounded up, at least 1; nullopt
/// when unlimited or unreadable. Never throws.
[[nodiscard]] std::optional<unsigned> cpus_from_cpu_max(std::string_view text) noexcept;

/// The same for cgroup v1 (`cpu.cfs_quota_us`, -1 = unlimited, and `cpu.cfs_period_us`). Never throws.
[[nodiscard]] std::optional<unsigned> cpus_from_cfs(std::string_view quota_us, std::string_view period_us) noexcept;

/// The tightest CPU quota on this process's cgroup and its ancestors, looked
/// up under `cgroup_root` (normally /sys/fs/cgroup) from the text of
/// /proc/self/cgroup; v2 (`cpu.max`) and v1 (`cpu/cpu.cfs_quota_us`).
/// nullopt when there is none. Never throws.
[[nodiscard]] std::optional<unsigned> cgroup_cpu_limit(const std::filesystem::path& cgroup_root,
                                                       std::string_view proc_self_cgroup) noexcept;

/// CPUs in this process's affinity mask (sched_getaffinity); falls back to
/// hardware_concurrency, then 1. Never throws.
[[nodiscard]] unsigned affinity_cpu_count() noexcept;

/// min(affinity_cpu_count(), cgroup quota of this process), at least 1. Never throws.
[[nodiscard]] unsigned default_thread_count() noexcept;

}  // namespace tsim::batch
