// Hazard functions and their exact inversion. A hazard clock draws one unit
// exponential target per (person, transition, visit) and fires when the
// integrated hazard reaches it; changing the hazard later only needs the
// unused part of the same target, which keeps baseline and policy coupled.
#pragma once

#include <vector>

namespace tsim::model {

/// h(c) for a clock value c in days (time in state, or age).
struct Hazard {
  enum class Shape { piecewise, weibull, gompertz };
  enum class Clock { time_in_state, age };

  Shape shape = Shape::piecewise;
  Clock clock = Clock::time_in_state;
  /// piecewise: rates[i] (per day) applies on [breaks[i], breaks[i+1]); breaks[0] == 0,
  /// the last rate applies for ever. A constant hazard is one piece.
  std::vector<double> breaks{0.0};
  std::vector<double> rates{0.0};
  double weibull_shape = 1.0;   // k
  double weibull_scale = 1.0;   // lambda, days: H(c) = (c/lambda)^k
  double gompertz_a = 0.0;      // per day: h(c) = a exp(b c)
  double gompertz_b = 0.0;      // per day

  /// Integrated hazard from clock value c0 to c1 (c1 >= c0).
  [[nodiscard]] double integral(double c0, double c1) const;
  /// The clock increment d >= 0 such that integral(c0, c0 + d) == target / multiplier;
  /// +infinity if the hazard never accumulates that much.
  [[nodiscard]] double time_to(double c0, double target, double multiplier = 1.0) const;
  /// h(c), per day.
  [[nodiscard]] double rate(double c) const;
};

}  // namespace tsim::model
