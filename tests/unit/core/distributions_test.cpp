#include "sim/core/distributions.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace tsim::core;

// Known answers at u = 0.3, pinned bit for bit, and each checked against its
// closed form so the pinned value is known to be right, not just stable.
TEST(Distributions, PinnedQuantiles) {
  const double u = 0.3;
  EXPECT_EQ(quantile(Fixed{2}, u), 2.0);
  EXPECT_EQ(quantile(Uniform{1, 3}, u), 0x1.999999999999ap+0);
  EXPECT_EQ(quantile(Exponential{2}, u), 0x1.6d3c324e13f4ep-3);
  EXPECT_EQ(quantile(Weibull{1.5, 730}, u), 0x1.6f252fe2145a5p+8);
  EXPECT_EQ(quantile(Gamma{2.5, 10}, u), 0x1.dffc3cb3c150dp+3);
  EXPECT_EQ(quantile(LogNormal{3, 0.5}, u), 0x1.ee7e8b2a6948fp+3);
  EXPECT_EQ(quantile(Triangular{0, 1, 4}, u), 0x1.1a0aa07038654p+0);
  EXPECT_EQ(quantile(Piecewise{{0, 1, 3}, {0, 0.5, 1}}, u), 0x1.3333333333333p-1);

  EXPECT_NEAR(quantile(Exponential{2}, u), -std::log(0.7) / 2, 1e-15);
  EXPECT_NEAR(quantile(Weibull{1.5, 730}, u), 730 * std::pow(-std::log(0.7), 1 / 1.5), 1e-10);
  EXPECT_NEAR(quantile(LogNormal{3, 0.5}, u), std::exp(3 + 0.5 * -0.5244005127080407), 1e-9);
  // u = 0.3 > (mode-lo)/(hi-lo) = 0.25, so the upper branch: hi - sqrt((1-u)(hi-lo)(hi-mode)).
  EXPECT_NEAR(quantile(Triangular{0, 1, 4}, u), 4 - std::sqrt(0.7 * 4 * 3), 1e-15);
}

TEST(Distributions, QuantileInvertsCdf) {
  const std::vector<Distribution> all = {Uniform{1, 3},       Exponential{0.01},         Weibull{1.5, 730},
                                         Gamma{2.5, 10},      LogNormal{3, 0.5},         Triangular{0, 1, 4},
                                         Piecewise{{0, 1, 3}, {0, 0.5, 1}}};
  for (const auto& d : all)
    for (double u : {0.01, 0.2, 0.5, 0.77, 0.99}) EXPECT_NEAR(cdf(d, quantile(d, u)), u, 1e-9) << name(d) << " u=" << u;
}

TEST(Distributions, MeansAreClosedForms) {
  EXPECT_DOUBLE_EQ(mean(Exponential{0.5}), 2.0);
  EXPECT_NEAR(mean(Weibull{1.5, 2}), 2 * std::tgamma(1 + 1 / 1.5), 1e-12);
  EXPECT_DOUBLE_EQ(mean(Gamma{2, 3}), 6.0);
  EXPECT_DOUBLE_EQ(mean(Triangular{0, 1, 2}), 1.0);
  EXPECT_DOUBLE_EQ(mean(Piecewise{{0, 2}, {0, 1}}), 1.0);
}

TEST(AliasTable, SamplesEachCategoryWithItsProbability) {
  // Exact check: integrate the sampler over a fine uniform grid. With the
  // alias method the share of the grid mapped to category i equals p_i up to
  // the grid spacing (1e-6).
  const std::vector<double> w{0.6, 0.2, 0.1, 0.1};
  AliasTable t(w);
  std::vector<int> counts(4, 0);
  const int n = 1'000'000;
  for (int i = 0; i < n; ++i) counts[t.sample((i + 0.5) / n)]++;
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(counts[i] / double(n), w[i], 2e-6);
}

TEST(AliasTable, HandlesZeroWeightsAndOneCategory) {
  AliasTable t({0.0, 1.0, 0.0});
  for (double u : {1e-9, 0.2, 0.5, 0.999999}) EXPECT_EQ(t.sample(u), 1u);
  AliasTable one({5.0});
  EXPECT_EQ(one.sample(0.7), 0u);
}

TEST(Distributions, DiscreteUsesItsTable) {
  Discrete d{{1.0, 0.8}, AliasTable({0.8, 0.2})};
  EXPECT_NEAR(mean(Distribution{d}), 0.96, 1e-12);
  EXPECT_EQ(cdf(Distribution{d}, 0.9), 0.2);
}
