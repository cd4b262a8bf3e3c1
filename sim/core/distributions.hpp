// Our own distributions, all sampled by inverse CDF from one uniform so that
// a draw is a pure function of its (subject, purpose, draw) counter. Units are
// whatever the caller's are (the model uses days). Never std:: distributions:
// their output differs between standard libraries.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace tsim::core {

/// Walker/Vose alias table: O(1) sampling of a categorical distribution.
class AliasTable {
 public:
  AliasTable() = default;
  /// Weights must be finite, non-negative and not all zero (the caller validates).
  explicit AliasTable(const std::vector<double>& weights);

  /// Index drawn with probability weight/sum, from one uniform u in (0, 1).
  [[nodiscard]] std::uint32_t sample(double u) const noexcept {
    const double scaled = u * static_cast<double>(prob_.size());
    auto i = static_cast<std::uint32_t>(scaled);
    if (i >= prob_.size()) i = static_cast<std::uint32_t>(prob_.size() - 1);
    return (scaled - i) < prob_[i] ? i : alias_[i];
  }
  [[nodiscard]] std::size_t size() const noexcept { return prob_.size(); }
  /// The normalised probability of category i (for tests and reports).
  [[nodiscard]] double probability(std::size_t i) const { return p_[i]; }

 private:
  std::vector<double> prob_;
  std::vector<std::uint32_t> alias_;
  std::vector<double> p_;
};

struct Fixed { double value; };
struct Uniform { double lo, hi; };
struct Exponential { double rate; };          // rate per unit time
struct Weibull { double shape, scale; };      // F(x) = 1 - exp(-(x/scale)^shape)
struct Gamma { double shape, scale; };
struct LogNormal { double mu, sigma; };       // of the natural log
struct Triangular { double lo, mode, hi; };
/// Continuous, piecewise-linear CDF through points (x[i], cdf[i]); cdf runs from 0 to 1.
struct Piecewise { std::vector<double> x, cdf; };
/// Discrete values with probabilities.
struct Discrete {
  std::vector<double> values;
  AliasTable table;
};

using Distribution = std::variant<Fixed, Uniform, Exponential, Weibull, Gamma, LogNormal, Triangular, Piecewise, Discrete>;

/// The value whose CDF is u, for u in (0, 1).
[[nodiscard]] double quantile(const Distribution& d, double u);
/// P(X <= x).
[[nodiscard]] double cdf(const Distribution& d, double x);
[[nodiscard]] double mean(const Distribution& d);
/// Short name ("weibull", ...) for descriptions.
[[nodiscard]] std::string name(const Distribution& d);

}  // namespace tsim::core
