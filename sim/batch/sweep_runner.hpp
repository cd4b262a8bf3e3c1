// Runs the work items of a sweep (or of one shard): each item whose file is
// already done on disk, verified down to its data, is skipped, so rerunning
// resumes; the others run on a thread pool into `<out>/<item file>`, and a
// file that is there but damaged or of another run is named and rewritten.
// Wall-clock times go to `<out>/sweep_timings.csv` (appended), never into run
// files or the index.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <functional>
#include <string>
#include <vector>

#include "output/run_file_reader.hpp"
#include "sim/batch/sweep_plan.hpp"
#include "sim/batch/sweep_scenarios.hpp"

namespace tsim::batch {

/// Where a sweep run file lives: <out_dir>/<item.file>. Never throws (but std::bad_alloc).
[[nodiscard]] std::string item_path(const std::string& out_dir, const WorkItem& item);

/// What is on disk for an item: output::check_run_file of its file against
/// the run this item would write (scenario hash of its slot, seed,
/// replication, record level, /indicators, and the slot's scenario for a
/// full check).
/// A slot that failed to load (`loaded` null) has nothing done. Never throws
/// (but std::bad_alloc).
[[nodiscard]] output::RunFileCheck item_on_disk(const std::string& out_dir, const WorkItem& item,
                                                const scenario::LoadedScenario* loaded, std::uint32_t master_seed,
                                                model::RecordLevel record_level,
                                                output::CheckDepth depth = output::CheckDepth::full);

/// item_on_disk(...).status == done, after a full check.
[[nodiscard]] bool item_done_on_disk(const std::string& out_dir, const WorkItem& item,
                                     const scenario::LoadedScenario* loaded, std::uint32_t master_seed,
                                     model::RecordLevel record_level);

/// "damaged (reason)" or "another run (reason)" for a file that is there but
/// not done; "" otherwise. What the index's error column and the sweep's
/// messages say about such a file.
[[nodiscard]] std::string describe(const output::RunFileCheck& check);

/// A file's size and modification time: a file that still has the stamp it
/// had when it was read is taken to be the file that was read.
struct FileStamp {
  std::uintmax_t size = 0;
  std::filesystem::file_time_type modified{};
  bool operator==(const FileStamp&) const = default;
};
/// The stamp of the file at `path`; nullopt if there is no regular file there. Never throws.
[[nodiscard]] std::optional<FileStamp> file_stamp(const std::string& path);

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
  /// Per item index of the whole plan: its file was written, or verified
  /// and kept, by this call (the index then need not read it all again).
  std::vector<bool> done;
  /// Per item index of the whole plan, where `done`: what the index needs of
  /// its file (census and /indicators), read back by the worker as soon as
  /// the run finished (or from the check that kept it), so building the
  /// index reads no file at the end.
  std::vector<output::RunFileCheck> checks;
  std::vector<std::optional<FileStamp>> stamps;  // per item: its file's stamp when `checks` was read
  std::string thread_error;          // ReplicationPool::Report::thread_error
};

/// What run_sweep_items reports while it works; either may be empty. Never
/// called two at a time.
struct SweepCallbacks {
  /// After every item that is not cancelled.
  std::function<void(const SweepProgress&)> progress;
  /// A line for the user about a file found on disk, before it is rewritten:
  /// "baseline/s0/run_3.h5: damaged (chunk 0 of /events/day does not inflate: incorrect data check), rewriting".
  std::function<void(const std::string&)> notice;
};

/// Runs the items `todo` (indices into plan.items()) on up to `threads`
/// threads, into `out_dir` (created if missing). `stop` (may be null): once
/// true no item starts and running items end early, leaving no file; they are
/// counted nowhere. A failed item is recorded in the result, never thrown.
/// `lean_memory`: RunRequest::lean_memory for every run (the same files).
/// Throws only std::bad_alloc.
[[nodiscard]] SweepRunResult run_sweep_items(const SweepPlan& plan, const SweepScenarios& scenarios,
                                             std::uint32_t master_seed, model::RecordLevel record_level,
                                             const std::vector<std::size_t>& todo, const std::string& out_dir,
                                             std::size_t threads, const std::atomic<bool>* stop,
                                             const SweepCallbacks& callbacks, bool lean_memory = false);

}  // namespace tsim::batch
