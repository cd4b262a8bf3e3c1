// Calibration (`traineesim calibrate`): fits a scenario's free parameters to
// observed indicator values. The objective is the weighted squared error
// sum_i ((simulated mean_i - observed_i) / sd_i)^2, each simulated mean over
// R replications on FIXED random keys (seed, 0..R-1): common random numbers
// make the objective a deterministic function of the parameters, which a
// derivative-free optimiser (NLopt's BOBYQA, bound-constrained) can minimise.
// Plausible ranges come from history matching: Latin hypercube points in the
// box whose implausibility max_i |mean_i - observed_i| / sqrt(sd_i^2 +
// noise_i^2 / R) is at most 3 (Pukelsheim's three-sigma rule).
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "sim/scenario/calibration_file.hpp"

namespace tsim::batch {

/// A target's simulated value at one parameter set.
struct SimulatedTarget {
  double mean = 0;  // over the replications
  double sd = 0;    // between replications (simulation noise of one run)
};

class CalibrationModel {
 public:
  /// `threads`: replications run at once. `stop` (may be null) ends runs early.
  CalibrationModel(scenario::CalibrationSpec spec, std::size_t threads, const std::atomic<bool>* stop = nullptr);

  /// Every target at `values` (one per free parameter, in spec order).
  /// Throws core::InputError when a target names no indicator of the runs
  /// (placed at the target) or the values make a bad scenario.
  [[nodiscard]] std::vector<SimulatedTarget> simulate(const std::vector<double>& values) const;
  /// sum ((mean - observed) / sd)^2 at `values`.
  [[nodiscard]] double objective(const std::vector<double>& values) const;
  /// max |mean - observed| / sqrt(sd^2 + noise^2 / R) over the targets.
  [[nodiscard]] double implausibility(const std::vector<SimulatedTarget>& sim) const;
  [[nodiscard]] double objective_of(const std::vector<SimulatedTarget>& sim) const;

  [[nodiscard]] const scenario::CalibrationSpec& spec() const noexcept { return spec_; }
  [[nodiscard]] std::size_t evaluations() const noexcept { return evaluations_.load(); }

 private:
  scenario::CalibrationSpec spec_;
  std::size_t threads_;
  const std::atomic<bool>* stop_;
  mutable std::atomic<std::size_t> evaluations_{0};
};

struct CalibrationFit {
  std::vector<double> values;  // fitted, one per free parameter
  double objective = 0;
  std::size_t evaluations = 0;
  std::string status;  // NLopt's reason for stopping, in words
  std::vector<SimulatedTarget> at_fit;
};

/// Minimises the objective with BOBYQA on the box of the free parameters
/// (rescaled to [0, 1] each; initial step 0.1 of the range, stopping when a
/// step changes every coordinate by under 1e-4 of its range or after
/// spec.max_evaluations). Throws what simulate throws, std::runtime_error
/// when NLopt fails outright.
[[nodiscard]] CalibrationFit fit_bobyqa(const CalibrationModel& model);

struct PlausibleRanges {
  std::vector<std::vector<double>> points;  // the Latin hypercube, [point][parameter]
  std::vector<double> implausibility;       // per point
  std::vector<double> low, high;            // per parameter, over plausible points; NaN when none is
  std::size_t plausible = 0;
};

/// History matching over spec.plausible_samples Latin hypercube points
/// (sample_seed); `cutoff` is the implausibility bound (3).
[[nodiscard]] PlausibleRanges history_match(const CalibrationModel& model, double cutoff = 3.0);

/// Writes calibration_fit.csv (parameter, fitted, low, high, plausible_low,
/// plausible_high), backcast.csv (indicator, observed, sd, simulated,
/// simulated_sd, z, source) and plausible.csv (the history-matching points)
/// under `out_dir`, atomically; returns a summary for the terminal. Throws
/// output::OutputError.
std::string write_calibration_files(const std::string& out_dir, const CalibrationModel& model,
                                    const CalibrationFit& fit, const PlausibleRanges& ranges);

}  // namespace tsim::batch
