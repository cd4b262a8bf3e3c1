// Summary statistics of replications, written once for compare and sweep:
// mean, sample variance, standard error, Student-t 95% intervals (paired and
// unpaired) and type-7 quantiles. NaN values (undefined indicators, e.g.
// nobody qualified) are skipped everywhere, so "n" below counts the values
// that are not NaN. Nothing here throws.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace tsim::batch {

/// How a mean is added up. Equal in exact arithmetic, they differ in the last
/// bits, and each file we write is pinned to one so its bytes never change:
/// comparison.h5 uses total_then_divide (sum x / n), sweep.h5's aggregates
/// divide_then_total (sum of x / n).
enum class Summation { total_then_divide, divide_then_total };

/// Number of values that are not NaN.
[[nodiscard]] std::size_t count(std::span<const double> xs) noexcept;

/// Mean of the values that are not NaN; NaN if there are none.
[[nodiscard]] double mean(std::span<const double> xs, Summation how = Summation::total_then_divide) noexcept;

/// Sample variance, sum (x - mean)^2 / (n - 1); NaN if n < 2.
[[nodiscard]] double sample_variance(std::span<const double> xs,
                                     Summation how = Summation::total_then_divide) noexcept;

/// Standard error of the mean, sqrt(variance / n); NaN if n < 2.
[[nodiscard]] double standard_error(std::span<const double> xs,
                                    Summation how = Summation::total_then_divide) noexcept;

/// t(0.975, degrees_of_freedom), the 95% two-sided Student-t quantile
/// (Boost.Math); NaN unless degrees_of_freedom > 0.
[[nodiscard]] double t_quantile_975(double degrees_of_freedom) noexcept;

/// A mean with its 95% Student-t half-width: mean +/- t(0.975, n-1) sqrt(variance / n).
struct Interval {
  double mean = 0;
  double half_width = 0;  // NaN if n < 2
  double variance = 0;    // sample variance; NaN if n < 2
  std::size_t n = 0;      // values that are not NaN
  [[nodiscard]] double low() const noexcept { return mean - half_width; }
  [[nodiscard]] double high() const noexcept { return mean + half_width; }
};

/// The interval of one sample; all NaN and n = 0 when every value is NaN.
[[nodiscard]] Interval t_interval(std::span<const double> xs, Summation how = Summation::total_then_divide) noexcept;

/// Pairwise differences after[i] - before[i] (NaN where either is NaN); the
/// shorter length wins.
[[nodiscard]] std::vector<double> differences(std::span<const double> before, std::span<const double> after);

/// The paired interval: t_interval of differences(before, after).
[[nodiscard]] Interval paired_interval(std::span<const double> before, std::span<const double> after,
                                       Summation how = Summation::total_then_divide);

/// What the half-width of the difference of means would be without pairing
/// (independent samples): t(0.975, max(2, n_a) - 1) sqrt(var_a / n_a + var_b / n_b).
/// NaN when either sample has fewer than two values.
[[nodiscard]] double unpaired_half_width(std::span<const double> a, std::span<const double> b) noexcept;

/// Quantile q (0..1) by linear interpolation between order statistics
/// (Hyndman and Fan type 7, R's default); NaN if there are no values.
[[nodiscard]] double quantile7(std::span<const double> xs, double q);

}  // namespace tsim::batch
