// [uncertain.<parameter>]: a distribution for a parameter whose value is not
// known, used by `traineesim psa` (probabilistic sensitivity analysis) and
// the global sensitivity tools. A plain run uses the value under
// [parameters]; these tables change nothing else. Keys: scenarios/README.md,
// "Uncertain parameters".
#pragma once

#include <string>
#include <vector>

#include "sim/core/error.hpp"

namespace tsim::scenario {

/// The distributions an uncertain parameter may have, and the keys each takes
/// (in this order in UncertainParameter::args):
///   uniform    low, high
///   triangular low, mode, high
///   normal     mean, sd
///   lognormal  median, gsd   (geometric standard deviation, > 1)
///   beta       alpha, beta, low, high  (low and high default to 0 and 1)
///   gamma      shape, scale
struct UncertainParameter {
  std::string name;          // a [parameters] entry
  std::string distribution;  // one of the names above
  std::vector<double> args;  // the distribution's keys, in the order above
  std::string source;        // a source tag ("S13") or "[X]" (an assumption)
  core::SourceLocation where;
};

}  // namespace tsim::scenario
