// `<out>/sweep.h5`, rebuilt from the run files on disk (docs/OUTPUT.md,
// "Sweep index"): an item is "done" only if its file validates, so the index
// can never claim a run that is not there, and it holds no wall-clock times,
// so a killed and resumed sweep gives the same bytes as one run straight
// through.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "output/sweep_index_writer.hpp"
#include "sim/batch/sweep_plan.hpp"
#include "sim/batch/sweep_scenarios.hpp"

namespace tsim::batch {

/// The index of a sweep as it stands on disk. `errors` (per item index, may be
/// empty) are the failures this process saw; a slot that failed to load
/// reports its load error instead. Throws output::OutputError if a done run
/// file cannot be read.
[[nodiscard]] output::SweepIndex build_sweep_index(const scenario::SweepSpec& sweep, const SweepPlan& plan,
                                                   const SweepScenarios& scenarios,
                                                   const std::vector<std::string>& errors, const std::string& out_dir);

/// What write_sweep_index_file wrote.
struct SweepIndexFile {
  std::string path;      // <out_dir>/sweep.h5
  std::size_t done = 0;  // items whose file validates
  std::size_t runs = 0;  // items in the plan
};

/// Builds the index and writes it atomically to <out_dir>/sweep.h5. Throws output::OutputError.
SweepIndexFile write_sweep_index_file(const scenario::SweepSpec& sweep, const SweepPlan& plan,
                                      const SweepScenarios& scenarios, const std::vector<std::string>& errors,
                                      const std::string& out_dir);

}  // namespace tsim::batch
