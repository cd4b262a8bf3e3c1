// Replications 0..R-1 of one variant, each into its own run file
// `<variant_dir>/run_<r>.h5`, on a pool of threads (what `run` and `compare`
// do). Results never depend on the thread count.
#pragma once

#include <cstddef>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/batch/run_one.hpp"

namespace tsim::batch {

struct ReplicationSettings {
  std::uint32_t master_seed = 1;
  std::uint32_t replications = 1;
  std::size_t threads = 1;  // at most this many at once (never more than replications)
  model::RecordLevel record_level = model::RecordLevel::full;
  bool indicators = false;  // compute model::IndicatorSet per run (record level full or census)
  bool lean_memory = false;  // RunRequest::lean_memory
  /// Once it turns true no replication starts and running ones end with no
  /// file (FileRun::cancelled); finished ones keep theirs. May be null.
  const std::atomic<bool>* stop = nullptr;
};

/// Progress of a variant, over all its replications at once.
struct VariantProgress {
  std::uint32_t finished = 0;      // replications ended (written, failed or cancelled)
  std::uint32_t replications = 0;  // of this many
  double fraction = 0;             // of the variant's simulated time done, summed over replications / replications (0..1)
};

/// Called whenever a replication passes a census period end or ends, from
/// whichever thread ran it; calls never overlap. Reading progress changes
/// nothing in any run: the files are the same with or without it.
using ReplicationProgress = std::function<void(const VariantProgress&)>;

/// Runs the replications; element r of the result is replication r. A
/// failed replication has FileRun::error set and leaves no file; when
/// stopped, replications that never started have an empty FileRun::path. `progress`
/// may be empty. `thread_error` (may be null) receives
/// ReplicationPool::Report::thread_error. Throws only std::bad_alloc.
[[nodiscard]] std::vector<FileRun> run_replications(const scenario::LoadedScenario& loaded, const std::string& variant,
                                                    const std::string& variant_dir, const ReplicationSettings& settings,
                                                    const ReplicationProgress& progress,
                                                    std::string* thread_error = nullptr);

/// "<variant_dir>/run_<r>.h5". Never throws (but std::bad_alloc).
[[nodiscard]] std::string replication_path(const std::string& variant_dir, std::uint32_t replication);

/// Mean headcount per state at the horizon over `runs` (people; summed as
/// Summation::divide_then_total, as `run` has always printed it); zeros if
/// there are no runs. Every run must have `states` entries in
/// final_headcount. Never throws (but std::bad_alloc).
[[nodiscard]] std::vector<double> mean_final_headcount(const std::vector<FileRun>& runs, std::size_t states);

}  // namespace tsim::batch
