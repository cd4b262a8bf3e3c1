// The paired comparison of `traineesim compare`, in memory: baseline and
// each policy run on the same replications (common random numbers unless
// independent seeds), indicators collected without writing files, rows
// from sim/batch's comparison functions (matched by indicator name).
#pragma once

#include <pybind11/pybind11.h>
#include <string>
#include <vector>

#include "python/src/run_results.hpp"
#include "python/src/scenario_handle.hpp"

namespace tsim::python {

/// The rows of comparison.h5's /comparison for `baseline` (a scenario loaded
/// without policies) against the same scenario with each policy file in
/// turn, as {column: values}: indicator, policy (lists of str),
/// baseline_mean ... half_width_unpaired (float64 arrays), replications
/// (int32). `settings.level` must be full or census and `settings.replications`
/// at least 2, as for the command line. Call with the GIL held; Ctrl-C
/// raises KeyboardInterrupt. Throws std::invalid_argument for bad settings or
/// a baseline with policies, core::InputError for a bad policy file, what a
/// run throws when one fails.
[[nodiscard]] pybind11::dict compare(const ScenarioHandle& baseline, const std::vector<std::string>& policies,
                                     const RunSettings& settings, bool independent_seeds);

}  // namespace tsim::python
