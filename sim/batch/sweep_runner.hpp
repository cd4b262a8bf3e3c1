// Runs the work items of a sweep (or of one shard): each item whose file is
// already done on disk is skipped, so rerunning resumes; the others run on a
// thread pool into `<out>/<item file>`. Wall-clock times go to
// `<out>/sweep_timings.csv` (appended), never into run files or the index.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/batch/sweep_plan.hpp"
#include "sim/batch/sweep_scenarios.hpp"

namespace tsim::batch {

/// Where a sweep run file lives: <out_dir>/<item.file>. Never throws (but std::bad_alloc).
[[nodiscard]] std::string item_path(const std::string& out_dir, const WorkItem& item);

/// True if the item's file is complete and is the run this item would write
/// (scenario hash of its slot, seed, replication). Never throws.
[[nodiscard]] bool item_done_on_disk(const std::string& out_dir, const WorkItem& item,
                                     const scenario::LoadedScenario* loaded, std::uint32_t master_seed);

/// Progress after each finished item.
struct SweepProgress {
  std::size_t finished = 0, total = 0;  // items handled so far, of this call's items
  std::size_t skipped = 0, failed = 0;
  double elapsed_seconds = 0;
  double eta_seconds = 0;  // elapsed / finished x what is left
};

/// What a call to run_sweep_items did.
struct SweepRunResult {
  std::size_t ran = 0, skipped = 0, failed = 0;
  std::uint64_t bytes = 0;           // written by the runs that finished
  std::vector<std::string> errors;   // per item index of the whole plan; "" where none
  std::string thread_error;          // ReplicationPool::Report::thread_error
};

/// Runs the items `todo` (indices into plan.items()) on up to `threads`
/// threads, into `out_dir` (created if missing). `stop` (may be null): once true no item starts and running items
/// end early, leaving no file; they are counted nowhere. `progress` (may be
/// empty) is called after every item that is not cancelled, never two at a
/// time. A failed item is recorded in the result, never thrown. Throws only
/// std::bad_alloc.
[[nodiscard]] SweepRunResult run_sweep_items(const SweepPlan& plan, const SweepScenarios& scenarios,
                                             std::uint32_t master_seed, model::RecordLevel record_level,
                                             const std::vector<std::size_t>& todo, const std::string& out_dir,
                                             std::size_t threads, const std::atomic<bool>* stop,
                                             const std::function<void(const SweepProgress&)>& progress);

}  // namespace tsim::batch
