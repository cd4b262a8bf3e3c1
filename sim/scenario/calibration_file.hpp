// Calibration files: a scenario, the parameters to fit (free, with ranges)
// and observed targets (indicator values with their uncertainty). Keys:
// scenarios/README.md, "Calibration files".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/error.hpp"

namespace tsim::scenario {

/// A [parameters] entry to fit, within [low, high].
struct FreeParameter {
  std::string name;
  double low = 0, high = 1;
  double start = 0.5;  // where the fit starts; the midpoint unless given
  bool integer = false;  // rounded before use (places, counts)
  core::SourceLocation where;
};

/// An observed value of one indicator (docs/INDICATORS.md names, e.g.
/// "staff headcount [CWP band 5] on 2023-03-31"), with its standard
/// deviation (the observation's uncertainty, in the indicator's unit).
struct CalibrationTarget {
  std::string indicator;
  double value = 0;
  double sd = 1;
  std::string source;
  core::SourceLocation where;
};

struct CalibrationSpec {
  std::string name;
  std::string path;           // the calibration file
  std::string scenario_path;  // resolved against the calibration file's folder
  long long replications = 4; // runs per evaluation, on fixed random keys (common random numbers)
  std::uint32_t seed = 1;
  long long max_evaluations = 200;   // of the optimiser
  long long plausible_samples = 64;  // Latin hypercube points of the history match (0: none)
  std::uint32_t sample_seed = 1;
  std::vector<std::string> set;  // --set texts applied to the scenario before the free parameters
  std::vector<FreeParameter> free;
  std::vector<CalibrationTarget> targets;
};

/// Reads and checks a calibration file (keys, ranges, that each free
/// parameter is a [parameters] entry of the scenario). Throws
/// core::InputError with every problem, each at file:line:column.
[[nodiscard]] CalibrationSpec load_calibration_file(const std::string& path);

}  // namespace tsim::scenario
