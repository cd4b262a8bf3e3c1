#include "sim/core/distributions.hpp"

#include <algorithm>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <numeric>

namespace tsim::core {

AliasTable::AliasTable(const std::vector<double>& weights) {
  const std::size_t n = weights.size();
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  p_.resize(n);
  prob_.assign(n, 1.0);
  alias_.resize(n);
  std::vector<double> scaled(n);
  std::vector<std::uint32_t> small, large;
  for (std::size_t i = 0; i < n; ++i) {
    p_[i] = weights[i] / total;
    scaled[i] = p_[i] * static_cast<double>(n);
    alias_[i] = static_cast<std::uint32_t>(i);
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const auto s = small.back();
    small.pop_back();
    const auto l = large.back();
    prob_[s] = scaled[s];
    alias_[s] = l;
    scaled[l] = (scaled[l] + scaled[s]) - 1.0;
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Whatever is left is 1 up to rounding: it keeps itself.
  for (auto i : small) prob_[i] = 1.0;
  for (auto i : large) prob_[i] = 1.0;
}

namespace {
// Standard normal quantile through the inverse complementary error function.
double normal_quantile(double u) { return -std::sqrt(2.0) * boost::math::erfc_inv(2.0 * u); }
double normal_cdf(double z) { return 0.5 * boost::math::erfc(-z / std::sqrt(2.0)); }

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;
}  // namespace

double quantile(const Distribution& dist, double u) {
  return std::visit(
      Overloaded{
          [](const Fixed& d) { return d.value; },
          [u](const Uniform& d) { return d.lo + (d.hi - d.lo) * u; },
          [u](const Exponential& d) { return -std::log1p(-u) / d.rate; },
          [u](const Weibull& d) { return d.scale * std::pow(-std::log1p(-u), 1.0 / d.shape); },
          [u](const Gamma& d) { return d.scale * boost::math::gamma_p_inv(d.shape, u); },
          [u](const LogNormal& d) { return std::exp(d.mu + d.sigma * normal_quantile(u)); },
          [u](const Triangular& d) {
            const double width = d.hi - d.lo;
            if (width <= 0) return d.lo;
            const double split = (d.mode - d.lo) / width;
            if (u < split) return d.lo + std::sqrt(u * width * (d.mode - d.lo));
            return d.hi - std::sqrt((1.0 - u) * width * (d.hi - d.mode));
          },
          [u](const Piecewise& d) {
            // First point whose CDF reaches u, then interpolate inside its segment.
            auto it = std::lower_bound(d.cdf.begin(), d.cdf.end(), u);
            if (it == d.cdf.begin()) return d.x.front();
            if (it == d.cdf.end()) return d.x.back();
            const auto i = static_cast<std::size_t>(it - d.cdf.begin());
            const double f0 = d.cdf[i - 1], f1 = d.cdf[i];
            return d.x[i - 1] + (d.x[i] - d.x[i - 1]) * ((u - f0) / (f1 - f0));
          },
          [u](const Discrete& d) { return d.values[d.table.sample(u)]; },
      },
      dist);
}

double cdf(const Distribution& dist, double x) {
  return std::visit(
      Overloaded{
          [x](const Fixed& d) { return x >= d.value ? 1.0 : 0.0; },
          [x](const Uniform& d) { return std::clamp((x - d.lo) / (d.hi - d.lo), 0.0, 1.0); },
          [x](const Exponential& d) { return x <= 0 ? 0.0 : -std::expm1(-d.rate * x); },
          [x](const Weibull& d) { return x <= 0 ? 0.0 : -std::expm1(-std::pow(x / d.scale, d.shape)); },
          [x](const Gamma& d) { return x <= 0 ? 0.0 : boost::math::gamma_p(d.shape, x / d.scale); },
          [x](const LogNormal& d) { return x <= 0 ? 0.0 : normal_cdf((std::log(x) - d.mu) / d.sigma); },
          [x](const Triangular& d) {
            if (x <= d.lo) return 0.0;
            if (x >= d.hi) return 1.0;
            const double width = d.hi - d.lo;
            if (x <= d.mode) return (x - d.lo) * (x - d.lo) / (width * (d.mode - d.lo));
            return 1.0 - (d.hi - x) * (d.hi - x) / (width * (d.hi - d.mode));
          },
          [x](const Piecewise& d) {
            if (x <= d.x.front()) return 0.0;
            if (x >= d.x.back()) return 1.0;
            auto it = std::upper_bound(d.x.begin(), d.x.end(), x);
            const auto i = static_cast<std::size_t>(it - d.x.begin());
            const double x0 = d.x[i - 1], x1 = d.x[i];
            return d.cdf[i - 1] + (d.cdf[i] - d.cdf[i - 1]) * ((x - x0) / (x1 - x0));
          },
          [x](const Discrete& d) {
            double p = 0;
            for (std::size_t i = 0; i < d.values.size(); ++i)
              if (d.values[i] <= x) p += d.table.probability(i);
            return std::min(p, 1.0);
          },
      },
      dist);
}

double mean(const Distribution& dist) {
  return std::visit(
      Overloaded{
          [](const Fixed& d) { return d.value; },
          [](const Uniform& d) { return 0.5 * (d.lo + d.hi); },
          [](const Exponential& d) { return 1.0 / d.rate; },
          [](const Weibull& d) { return d.scale * std::tgamma(1.0 + 1.0 / d.shape); },
          [](const Gamma& d) { return d.shape * d.scale; },
          [](const LogNormal& d) { return std::exp(d.mu + 0.5 * d.sigma * d.sigma); },
          [](const Triangular& d) { return (d.lo + d.mode + d.hi) / 3.0; },
          [](const Piecewise& d) {
            double m = 0;
            for (std::size_t i = 1; i < d.x.size(); ++i) m += (d.cdf[i] - d.cdf[i - 1]) * 0.5 * (d.x[i] + d.x[i - 1]);
            return m;
          },
          [](const Discrete& d) {
            double m = 0;
            for (std::size_t i = 0; i < d.values.size(); ++i) m += d.values[i] * d.table.probability(i);
            return m;
          },
      },
      dist);
}

std::string name(const Distribution& dist) {
  static const char* kNames[] = {"fixed", "uniform", "exponential", "weibull", "gamma",
                                 "lognormal", "triangular", "piecewise", "discrete"};
  return kNames[dist.index()];
}

}  // namespace tsim::core
