// What to commission (`traineesim commission`): the training places per
// programme, within bounds and an optional budget, that reach a target (the
// mean over replications of a sum of indicators, e.g. qualified staff of a
// profession on a date) at least cost. Cost is linear in places (a price per
// place); reaching the target is simulated on FIXED random keys (common
// random numbers), so the constraint is a deterministic function of the
// plan. NLopt's COBYLA (derivative-free, with inequality constraints)
// searches the box, places rescaled to [0, 1]; places are whole numbers
// (rounded for each run, rounded up at the end if rounding misses the target).
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "sim/scenario/commission_file.hpp"

namespace tsim::batch {

struct CommissionPlan {
  std::vector<double> places;           // per programme, whole numbers
  double cost = 0;                      // sum of cost_per_place x places (currency units)
  double mean = 0;                      // the target sum, mean over replications
  std::vector<double> per_replication;  // the target sum of each run at the plan
  double probability = 0;               // share of replications that reach the target
  bool feasible = false;                // mean >= target and cost <= budget
  std::size_t evaluations = 0;          // plans simulated
  std::string status;
};

/// The target sum of each replication at `places` (rounded to whole numbers).
/// Throws core::InputError when a target indicator is missing.
[[nodiscard]] std::vector<double> simulate_plan(const scenario::CommissionSpec& spec, const std::vector<double>& places,
                                                std::size_t threads, const std::atomic<bool>* stop = nullptr);

/// The least-cost plan (COBYLA, starting from the upper bounds), or with
/// spec.most_for_budget the plan with the largest target sum within the
/// budget (starting from the lower bounds). Throws what
/// simulate_plan throws, std::runtime_error when NLopt fails outright.
[[nodiscard]] CommissionPlan optimise_commission(const scenario::CommissionSpec& spec, std::size_t threads,
                                                 const std::atomic<bool>* stop = nullptr);

/// commission_plan.csv and commission_runs.csv under `out_dir`, atomically;
/// returns a summary. Throws output::OutputError.
std::string write_commission_files(const std::string& out_dir, const scenario::CommissionSpec& spec,
                                   const CommissionPlan& plan);

}  // namespace tsim::batch
