#include "sim/batch/statistics.hpp"

#include <gtest/gtest.h>

#include <boost/math/distributions/students_t.hpp>

#include <cmath>
#include <limits>
#include <vector>

using namespace tsim::batch;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Student-t quantiles t(0.975, df) from published tables (and scipy.stats.t.ppf).
// Boost.Math's quantile (whose bits comparison.h5 and sweep.h5 are pinned to)
// agrees to about 5e-11 relative, so values built on it are checked to 1e-9.
constexpr double kTolerance = 1e-9;
constexpr double kT1 = 12.706204736432095, kT2 = 4.302652729911275, kT7 = 2.3646242510102993;
}  // namespace

// The textbook sample 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squares 32.
TEST(Statistics, MeanVarianceStandardErrorByHand) {
  const std::vector<double> x{2, 4, 4, 4, 5, 5, 7, 9};
  EXPECT_EQ(count(x), 8u);
  EXPECT_DOUBLE_EQ(mean(x), 5.0);
  EXPECT_DOUBLE_EQ(sample_variance(x), 32.0 / 7);
  EXPECT_DOUBLE_EQ(standard_error(x), std::sqrt(32.0 / 7 / 8));  // 0.7559289...
  const Interval iv = t_interval(x);
  EXPECT_EQ(iv.n, 8u);
  EXPECT_NEAR(iv.half_width, kT7 * std::sqrt(32.0 / 7 / 8), kTolerance);  // 1.78750...
  EXPECT_DOUBLE_EQ(iv.low(), 5.0 - iv.half_width);
  EXPECT_DOUBLE_EQ(iv.high(), 5.0 + iv.half_width);
}

TEST(Statistics, StudentTQuantiles) {
  EXPECT_NEAR(t_quantile_975(1), kT1, kTolerance);
  EXPECT_NEAR(t_quantile_975(2), kT2, kTolerance);
  EXPECT_NEAR(t_quantile_975(7), kT7, kTolerance);
  EXPECT_TRUE(std::isnan(t_quantile_975(0)));
}

// Whole degrees of freedom come from a table computed once: the same bits as
// Boost gives directly, so comparison.h5 and sweep.h5 keep their bytes; above
// the table and between whole numbers Boost is asked each time.
TEST(Statistics, TabledQuantilesAreBoostsOwnBits) {
  for (const double df : {1.0, 2.0, 3.0, 9.0, 19.0, 99.0, 255.0, 256.0, 257.0, 1000.0, 2.5, 7.25})
    EXPECT_EQ(t_quantile_975(df), boost::math::quantile(boost::math::students_t(df), 0.975)) << df;
}

// 1, 2, 3: mean 2, variance 1, half-width t(0.975, 2) / sqrt(3) = 2.48413771...
TEST(Statistics, IntervalOfThree) {
  const Interval iv = t_interval(std::vector<double>{1, 2, 3});
  EXPECT_DOUBLE_EQ(iv.mean, 2.0);
  EXPECT_DOUBLE_EQ(iv.variance, 1.0);
  EXPECT_NEAR(iv.half_width, 2.4841377118437524, kTolerance);
}

TEST(Statistics, NaNIsSkipped) {
  const std::vector<double> x{1, kNaN, 3};
  EXPECT_EQ(count(x), 2u);
  EXPECT_DOUBLE_EQ(mean(x), 2.0);
  EXPECT_DOUBLE_EQ(sample_variance(x), 2.0);
  EXPECT_NEAR(t_interval(x).half_width, kT1 * 1.0, kTolerance);  // t(0.975, 1) sqrt(2 / 2)
  EXPECT_DOUBLE_EQ(quantile7(x, 0.5), 2.0);
}

TEST(Statistics, TooFewValuesGiveNaN) {
  const std::vector<double> none{kNaN, kNaN}, one{4};
  EXPECT_TRUE(std::isnan(mean(none)));
  const Interval empty = t_interval(none);
  EXPECT_EQ(empty.n, 0u);
  EXPECT_TRUE(std::isnan(empty.mean) && std::isnan(empty.half_width) && std::isnan(empty.variance));
  EXPECT_DOUBLE_EQ(mean(one), 4.0);
  EXPECT_TRUE(std::isnan(sample_variance(one)));
  EXPECT_TRUE(std::isnan(standard_error(one)));
  const Interval single = t_interval(one);
  EXPECT_EQ(single.n, 1u);
  EXPECT_DOUBLE_EQ(single.mean, 4.0);
  EXPECT_TRUE(std::isnan(single.half_width));
  EXPECT_TRUE(std::isnan(quantile7(none, 0.5)));
}

// The two summations pin the bits of the files we write: divide_then_total
// must be exactly x1/n + x2/n + ..., total_then_divide exactly (x1 + x2 + ...)/n.
TEST(Statistics, SummationOrderIsExact) {
  const std::vector<double> x{1, 1, 2, 7, 11};
  const double n = 5;
  EXPECT_EQ(mean(x, Summation::divide_then_total), 1 / n + 1 / n + 2 / n + 7 / n + 11 / n);
  EXPECT_EQ(mean(x, Summation::total_then_divide), (1.0 + 1 + 2 + 7 + 11) / n);
  const std::vector<double> tenths{0.1, 0.2, 0.3};
  EXPECT_NEAR(mean(tenths, Summation::divide_then_total), mean(tenths, Summation::total_then_divide), 1e-15);
}

// Before 10, 20, 30 and after 11, 23, 32: differences 1, 3, 2 -> mean 2, variance 1.
TEST(Statistics, PairedInterval) {
  const std::vector<double> before{10, 20, 30}, after{11, 23, 32};
  EXPECT_EQ(differences(before, after), (std::vector<double>{1, 3, 2}));
  const Interval iv = paired_interval(before, after);
  EXPECT_DOUBLE_EQ(iv.mean, 2.0);
  EXPECT_NEAR(iv.half_width, 2.4841377118437524, kTolerance);
  EXPECT_EQ(iv.n, 3u);
  // A pair with a NaN on either side drops out.
  const Interval partial = paired_interval(std::vector<double>{10, kNaN, 30}, after);
  EXPECT_EQ(partial.n, 2u);
  EXPECT_DOUBLE_EQ(partial.mean, 1.5);
}

// a = 1, 2, 3 (variance 1), b = 2, 4, 6 (variance 4): t(0.975, 2) sqrt(1/3 + 4/3) = 5.5547...
TEST(Statistics, UnpairedHalfWidth) {
  EXPECT_NEAR(unpaired_half_width(std::vector<double>{1, 2, 3}, std::vector<double>{2, 4, 6}), 5.554700789153415,
              kTolerance);
  EXPECT_TRUE(std::isnan(unpaired_half_width(std::vector<double>{1}, std::vector<double>{2, 4, 6})));
}

// Type 7 (R's default): h = q (n - 1); x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
TEST(Statistics, QuantileType7ByHand) {
  const std::vector<double> x{4, 1, 3, 2};  // unsorted on purpose
  EXPECT_DOUBLE_EQ(quantile7(x, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(quantile7(x, 0.05), 1.15);  // h = 0.15
  EXPECT_DOUBLE_EQ(quantile7(x, 0.5), 2.5);    // h = 1.5
  EXPECT_DOUBLE_EQ(quantile7(x, 0.95), 3.85);  // h = 2.85
  EXPECT_DOUBLE_EQ(quantile7(x, 1.0), 4.0);
  EXPECT_DOUBLE_EQ(quantile7(std::vector<double>{7}, 0.95), 7.0);
}
