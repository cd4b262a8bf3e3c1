// Every distribution of sim/core against an independent CDF (Boost.Math or a
// closed form written here) at 10^6 draws from the Philox streams.
// KS: 99.9% critical value 1.9495/sqrt(10^6) = 0.00195.
#include <gtest/gtest.h>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/exponential.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <boost/math/distributions/weibull.hpp>

#include "sim/core/distributions.hpp"
#include "sim/core/random.hpp"
#include "tests/support/stats.hpp"

using namespace tsim;
namespace bm = boost::math;

namespace {
constexpr std::size_t kDraws = 1'000'000;

std::vector<double> draws(const core::Distribution& d, std::uint32_t purpose) {
  core::RandomStreams rs(2024, 0);
  core::Stream s(rs, 99, purpose);
  std::vector<double> out(kDraws);
  for (auto& x : out) x = core::quantile(d, s.next());
  return out;
}

template <class BoostDist>
void expect_ks(const core::Distribution& d, const BoostDist& ref, std::uint32_t purpose) {
  const auto x = draws(d, purpose);
  EXPECT_LT(test::ks_statistic(x, [&](double v) { return bm::cdf(ref, v); }), test::ks_critical(kDraws)) << core::name(d);
}
}  // namespace

TEST(DistributionsKs, Uniform) { expect_ks(core::Uniform{2, 5}, bm::uniform_distribution<>(2, 5), 1); }
TEST(DistributionsKs, Exponential) { expect_ks(core::Exponential{0.3}, bm::exponential_distribution<>(0.3), 2); }
TEST(DistributionsKs, Weibull) { expect_ks(core::Weibull{1.5, 730}, bm::weibull_distribution<>(1.5, 730), 3); }
TEST(DistributionsKs, Gamma) { expect_ks(core::Gamma{2.5, 10}, bm::gamma_distribution<>(2.5, 10), 4); }
TEST(DistributionsKs, LogNormal) { expect_ks(core::LogNormal{3, 0.5}, bm::lognormal_distribution<>(3, 0.5), 5); }
TEST(DistributionsKs, Triangular) { expect_ks(core::Triangular{0, 1, 4}, bm::triangular_distribution<>(0, 1, 4), 6); }

TEST(DistributionsKs, Piecewise) {
  // CDF through (0,0), (1,0.5), (3,1): written out here independently.
  const auto x = draws(core::Piecewise{{0, 1, 3}, {0, 0.5, 1}}, 7);
  auto F = [](double v) { return v <= 0 ? 0.0 : v <= 1 ? 0.5 * v : v <= 3 ? 0.5 + 0.25 * (v - 1) : 1.0; };
  EXPECT_LT(test::ks_statistic(x, F), test::ks_critical(kDraws));
}

TEST(DistributionsChiSquare, DiscreteAliasTable) {
  // Chi-square goodness of fit, 4 categories (3 degrees of freedom), 99.9% critical value.
  const std::vector<double> p{0.6, 0.2, 0.1, 0.1};
  const auto x = draws(core::Discrete{{0, 1, 2, 3}, core::AliasTable(p)}, 8);
  std::vector<double> counts(4, 0);
  for (double v : x) counts[static_cast<std::size_t>(v)] += 1;
  double chi2 = 0;
  for (std::size_t i = 0; i < 4; ++i) chi2 += std::pow(counts[i] - p[i] * kDraws, 2) / (p[i] * kDraws);
  EXPECT_LT(chi2, bm::quantile(bm::chi_squared_distribution<>(3), 0.999));
}
