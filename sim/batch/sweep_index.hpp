// `<out>/sweep.h5`, rebuilt from the run files on disk (docs/OUTPUT.md,
// "Sweep index"): an item is "done" only if its file verifies, so the index
// can never claim a run that is not there, and it holds no wall-clock times,
// so a killed and resumed sweep gives the same bytes as one run straight
// through.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "output/sweep_index_writer.hpp"
#include "sim/batch/sweep_plan.hpp"
#include "sim/batch/sweep_runner.hpp"
#include "sim/batch/sweep_scenarios.hpp"

namespace tsim::batch {

/// The index of a sweep as it stands on disk. `seen` is what this process's
/// run_sweep_items reported (default: nothing, as for --index-only): its
/// errors fill the error column, and the files it wrote or verified are
/// checked again by their root attributes and census only; every other file
/// is read back in full (output::CheckDepth::full), on up to `threads`
/// threads. A slot that failed to load reports its load error. Per item:
/// "done"; "failed" with the reason (a run that failed, or a file that is
/// damaged: "damaged (...)"); or "missing" (no file, or a file of another
/// run: "another run (...)"). Never throws (but std::bad_alloc).
[[nodiscard]] output::SweepIndex build_sweep_index(const scenario::SweepSpec& sweep, const SweepPlan& plan,
                                                   const SweepScenarios& scenarios, const SweepRunResult& seen,
                                                   const std::string& out_dir, std::size_t threads = 1);

/// What write_sweep_index_file wrote.
struct SweepIndexFile {
  std::string path;      // <out_dir>/sweep.h5
  std::size_t done = 0;  // items whose file validates
  std::size_t runs = 0;  // items in the plan
  std::size_t failed = 0;  // items whose status is "failed"
  /// An item that is not done and has a reason (a load error, a failed run,
  /// a damaged file or one of another run).
  struct Problem {
    std::size_t item;
    std::string status;  // "failed" or "missing"
    std::string reason;
  };
  std::vector<Problem> problems;
};

/// Builds the index and writes it atomically to <out_dir>/sweep.h5. Throws output::OutputError.
SweepIndexFile write_sweep_index_file(const scenario::SweepSpec& sweep, const SweepPlan& plan,
                                      const SweepScenarios& scenarios, const SweepRunResult& seen,
                                      const std::string& out_dir, std::size_t threads = 1);

}  // namespace tsim::batch
