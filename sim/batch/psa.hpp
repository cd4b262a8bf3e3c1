// Probabilistic sensitivity analysis (`traineesim psa`): N parameter sets
// drawn from the scenario's and the policy's [uncertain.<parameter>]
// distributions (a Latin hypercube on (0,1)^k mapped through each
// distribution's quantile function, Boost.Math), each run R times for the
// baseline and the policy on common random numbers, so each (draw,
// replication) gives one paired difference. Replication r of draw d uses
// stream key d x R + r: draws are independent of one another, which the
// variance split below assumes.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace tsim::batch {

/// Quantile u (0 < u < 1) of an uncertain parameter's distribution. Throws
/// std::invalid_argument for a distribution it does not know.
[[nodiscard]] double uncertain_quantile(const scenario::UncertainParameter& p, double u);

/// `draws` parameter sets, [draw][parameter]: a Latin hypercube (one point
/// per stratum and dimension, strata permuted independently) mapped through
/// each parameter's quantile. Deterministic in `seed`.
[[nodiscard]] std::vector<std::vector<double>> draw_parameters(const std::vector<scenario::UncertainParameter>& params,
                                                               std::size_t draws, std::uint32_t seed);

/// Parameter sets given by the user instead of drawn (`psa --design`): the
/// names of uncertain parameters and one row of values per draw.
struct PsaDesign {
  std::vector<std::string> names;
  std::vector<std::vector<double>> rows;
};

/// Reads a design CSV: a header of parameter names, then rows of numbers.
/// Throws core::InputError placed at file:line:column.
[[nodiscard]] PsaDesign read_design_csv(const std::string& path);

struct PsaSettings {
  std::size_t draws = 20;
  std::uint32_t replications = 5;
  std::uint32_t seed = 1;         // master seed of the runs
  std::uint32_t sample_seed = 1;  // of the Latin hypercube
  std::size_t threads = 1;
  const std::atomic<bool>* stop = nullptr;
  PsaDesign design;  // when it has rows: these parameter sets, not a Latin hypercube
  /// Replication r of EVERY draw uses stream key r (not d x R + r): the draws
  /// share their noise, so differences between draws are parameter effects
  /// alone (sensitivity designs, tornado). The variance split then no longer
  /// holds (its noise part is not independent across draws); the summary says so.
  bool same_keys = false;
  bool lean_memory = false;  // RunRequest::lean_memory (same results, less memory, a little slower)
};

/// One paired run: draw d, replication r, both sides' headline indicators.
struct PsaRun {
  std::size_t draw = 0;
  std::uint32_t replication = 0;
  double baseline_fte = 0, policy_fte = 0;    // "qualified FTE in post at the horizon"
  double baseline_cost = 0, policy_cost = 0;  // the discounted total cost (currency units)
  [[nodiscard]] double fte_difference() const noexcept { return policy_fte - baseline_fte; }
  [[nodiscard]] double cost_difference() const noexcept { return policy_cost - baseline_cost; }
};

struct PsaResult {
  std::string policy;                                   // its [policy] name
  std::string cost_indicator;                           // the cost row used
  std::vector<scenario::UncertainParameter> parameters; // the scenario's, then the policy's own
  std::vector<std::vector<double>> draws;               // [draw][parameter]
  std::vector<PsaRun> runs;                             // draw-major, then replication
  std::uint32_t replications = 0;
  bool same_keys = false;
};

/// Runs the analysis in memory (no run files). The uncertain parameters are
/// those of the scenario with the policy applied (after `overrides`): a
/// parameter only the policy declares is set on the policy side only.
/// With a design, its columns are the parameters (each must be uncertain in
/// the scenario or the policy, else core::InputError) and its rows the draws.
/// Throws core::InputError when a draw makes a bad scenario (the message
/// names the draw), std::invalid_argument when there is nothing uncertain,
/// and what the runs throw (core::Cancelled when stopped).
[[nodiscard]] PsaResult run_psa(const std::string& scenario_path, const std::string& policy_path,
                                const std::vector<scenario::Override>& overrides, const PsaSettings& settings);

/// The law of total variance for a balanced design of D draws x R
/// replications (one-way random-effects ANOVA): within = mean of the
/// within-draw sample variances (estimates E[Var(Y | parameters)], the
/// simulation noise of one run); between = max(0, (MSB - within) / R) where
/// MSB = R x sample variance of the draw means (estimates Var(E[Y | parameters]),
/// the parameter uncertainty). `y` is draw-major. NaN parts when D < 2 or R < 2.
struct VarianceSplit {
  double mean = 0;
  double within = 0;   // simulation noise, variance of one run at fixed parameters
  double between = 0;  // parameter uncertainty, variance of the expected value
  [[nodiscard]] double parameter_share() const noexcept { return between / (between + within); }
};
[[nodiscard]] VarianceSplit split_variance(const std::vector<double>& y, std::size_t draws, std::size_t replications);

/// The draw means of a draw-major vector.
[[nodiscard]] std::vector<double> draw_means(const std::vector<double>& y, std::size_t draws, std::size_t replications);

/// Cost-effectiveness acceptability: for each threshold (currency units per
/// additional FTE), the share of draws whose mean net benefit
/// threshold x dFTE - dCost is positive (a draw that adds no FTE but costs
/// money is never acceptable; one that saves money and adds FTE always is).
[[nodiscard]] std::vector<double> acceptability(const PsaResult& r, const std::vector<double>& thresholds);

/// Files under `out_dir`, each written atomically: psa_runs.csv (one row per
/// paired run with the draw's parameter values), psa_acceptability.csv and
/// psa_summary.txt (returned as text as well). Throws output::OutputError.
std::string write_psa_files(const std::string& out_dir, const PsaResult& r, const std::vector<double>& thresholds);

}  // namespace tsim::batch
