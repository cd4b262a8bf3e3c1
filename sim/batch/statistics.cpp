#include "sim/batch/statistics.hpp"

#include <algorithm>
#include <array>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace tsim::batch {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double sum_of_squares(std::span<const double> xs, double centre) noexcept {
  double ss = 0;
  for (double x : xs)
    if (!std::isnan(x)) ss += (x - centre) * (x - centre);
  return ss;
}
}  // namespace

std::size_t count(std::span<const double> xs) noexcept {
  return static_cast<std::size_t>(std::count_if(xs.begin(), xs.end(), [](double x) { return !std::isnan(x); }));
}

double mean(std::span<const double> xs, Summation how) noexcept {
  const std::size_t n = count(xs);
  if (n == 0) return kNaN;
  const auto dn = static_cast<double>(n);
  double total = 0;
  for (double x : xs)
    if (!std::isnan(x)) total += how == Summation::divide_then_total ? x / dn : x;
  return how == Summation::divide_then_total ? total : total / dn;
}

double sample_variance(std::span<const double> xs, Summation how) noexcept {
  const std::size_t n = count(xs);
  if (n < 2) return kNaN;
  return sum_of_squares(xs, mean(xs, how)) / static_cast<double>(n - 1);
}

double standard_error(std::span<const double> xs, Summation how) noexcept {
  return std::sqrt(sample_variance(xs, how) / static_cast<double>(count(xs)));
}

namespace {
double boost_t_quantile_975(double degrees_of_freedom) noexcept {
  return boost::math::quantile(boost::math::students_t(degrees_of_freedom), 0.975);
}
// Whole degrees of freedom 1..kTabled, computed once (the same Boost values):
// a sweep's index asks for thousands of intervals, nearly all at a few small df.
constexpr int kTabled = 256;
}  // namespace

double t_quantile_975(double degrees_of_freedom) noexcept {
  if (!(degrees_of_freedom > 0)) return kNaN;
  static const std::array<double, kTabled + 1> table = [] {
    std::array<double, kTabled + 1> t{};
    for (int df = 1; df <= kTabled; ++df) t[static_cast<std::size_t>(df)] = boost_t_quantile_975(df);
    return t;
  }();
  if (degrees_of_freedom <= kTabled && degrees_of_freedom == std::floor(degrees_of_freedom))
    return table[static_cast<std::size_t>(degrees_of_freedom)];
  return boost_t_quantile_975(degrees_of_freedom);
}

Interval t_interval(std::span<const double> xs, Summation how) noexcept {
  Interval iv;
  iv.n = count(xs);
  if (iv.n == 0) return {kNaN, kNaN, kNaN, 0};
  iv.mean = mean(xs, how);
  iv.variance = sample_variance(xs, how);
  iv.half_width = iv.n > 1 ? t_quantile_975(static_cast<double>(iv.n - 1)) * std::sqrt(iv.variance / static_cast<double>(iv.n))
                           : kNaN;
  return iv;
}

std::vector<double> differences(std::span<const double> before, std::span<const double> after) {
  const std::size_t n = std::min(before.size(), after.size());
  std::vector<double> d(n);
  for (std::size_t i = 0; i < n; ++i) d[i] = after[i] - before[i];  // NaN propagates
  return d;
}

Interval paired_interval(std::span<const double> before, std::span<const double> after, Summation how) {
  const auto d = differences(before, after);
  return t_interval(d, how);
}

double unpaired_half_width(std::span<const double> a, std::span<const double> b) noexcept {
  const auto na = static_cast<double>(count(a)), nb = static_cast<double>(count(b));
  // Degrees of freedom of the first sample, as comparison.h5 has always used.
  return t_quantile_975(std::max(2.0, na) - 1) * std::sqrt(sample_variance(a) / na + sample_variance(b) / nb);
}

double quantile7(std::span<const double> xs, double q) {
  std::vector<double> v;
  v.reserve(xs.size());
  for (double x : xs)
    if (!std::isnan(x)) v.push_back(x);
  if (v.empty()) return kNaN;
  std::sort(v.begin(), v.end());
  const double h = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const auto hi = std::min(v.size() - 1, lo + 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace tsim::batch
