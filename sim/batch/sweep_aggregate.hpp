// The aggregates of a sweep index (docs/OUTPUT.md, "Sweep index"): census
// headcount per (variant, sample, period, state) across the replications
// that are done (mean, standard error, p5/p50/p95), and for each policy
// variant the difference from the baseline paired by replication, with a
// 95% Student-t interval. States are matched to the baseline's by NAME, so
// a policy that adds states still pairs; a state the baseline lacks counts
// 0 there.
#pragma once

#include <optional>
#include <vector>

#include "output/run_file_reader.hpp"
#include "output/sweep_index_writer.hpp"
#include "sim/batch/sweep_plan.hpp"
#include "sim/model/spec.hpp"

namespace tsim::batch {

/// Appends to index.aggregate and index.paired, rows in the order (variant,
/// sample, period, state).
/// - specs[plan.slot(v, k)]: the scenario of each (variant, sample); null
///   where it failed to load (no rows then).
/// - census[i]: the census of plan item i if its run is done, else nullopt.
/// - with_baseline: variant 0 is the baseline that policy variants pair with.
/// Means are summed as Summation::divide_then_total (the bytes of sweep.h5
/// are pinned to it). Never throws (but std::bad_alloc).
void aggregate_headcount(const SweepPlan& plan, const std::vector<const model::ScenarioSpec*>& specs,
                         bool with_baseline, const std::vector<std::optional<output::CensusSummary>>& census,
                         output::SweepIndex& index);

}  // namespace tsim::batch
