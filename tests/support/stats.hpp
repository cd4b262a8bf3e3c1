// Small statistics for validation tests: one-sample Kolmogorov-Smirnov
// statistic and critical values, standard errors.
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

namespace tsim::test {

/// sup |F_n(x) - F(x)| of a sample against a continuous CDF.
inline double ks_statistic(std::vector<double> sample, const std::function<double(double)>& cdf) {
  std::sort(sample.begin(), sample.end());
  const double n = static_cast<double>(sample.size());
  double d = 0;
  for (std::size_t i = 0; i < sample.size(); ++i) {
    const double f = cdf(sample[i]);
    d = std::max({d, (static_cast<double>(i) + 1) / n - f, f - static_cast<double>(i) / n});
  }
  return d;
}

/// Asymptotic critical value of the KS statistic at level alpha:
/// sqrt(-ln(alpha/2)/2)/sqrt(n); 1.9495/sqrt(n) at alpha = 0.001.
inline double ks_critical(std::size_t n, double alpha = 0.001) {
  return std::sqrt(-std::log(alpha / 2) / 2) / std::sqrt(static_cast<double>(n));
}

/// Standard error of a proportion p estimated from n trials.
inline double binomial_se(double p, double n) { return std::sqrt(p * (1 - p) / n); }

}  // namespace tsim::test
