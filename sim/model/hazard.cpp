#include "sim/model/hazard.hpp"

#include <cmath>
#include <limits>

namespace tsim::model {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}

double Hazard::rate(double c) const {
  switch (shape) {
    case Shape::piecewise: {
      std::size_t i = 0;
      while (i + 1 < breaks.size() && c >= breaks[i + 1]) ++i;
      return rates[i];
    }
    case Shape::weibull:
      return weibull_shape / weibull_scale * std::pow(c / weibull_scale, weibull_shape - 1.0);
    case Shape::gompertz:
      return gompertz_a * std::exp(gompertz_b * c);
  }
  return 0.0;
}

double Hazard::integral(double c0, double c1) const {
  switch (shape) {
    case Shape::piecewise: {
      double total = 0.0;
      for (std::size_t i = 0; i < rates.size(); ++i) {
        const double lo = breaks[i];
        const double hi = i + 1 < breaks.size() ? breaks[i + 1] : kInf;
        const double a = std::fmax(lo, c0), b = std::fmin(hi, c1);
        if (b > a) total += rates[i] * (b - a);
      }
      return total;
    }
    case Shape::weibull:
      return std::pow(c1 / weibull_scale, weibull_shape) - std::pow(c0 / weibull_scale, weibull_shape);
    case Shape::gompertz:
      if (gompertz_b == 0.0) return gompertz_a * (c1 - c0);
      return gompertz_a / gompertz_b * (std::exp(gompertz_b * c1) - std::exp(gompertz_b * c0));
  }
  return 0.0;
}

double Hazard::time_to(double c0, double target, double multiplier) const {
  if (multiplier <= 0.0) return kInf;
  const double need = target / multiplier;
  switch (shape) {
    case Shape::piecewise: {
      // Walk the pieces from the one holding c0, spending the target.
      double left = need;
      double c = c0;
      for (std::size_t i = 0; i < rates.size(); ++i) {
        const double hi = i + 1 < breaks.size() ? breaks[i + 1] : kInf;
        if (hi <= c) continue;
        const double r = rates[i];
        if (r > 0.0) {
          const double span = hi - c;
          if (left <= r * span) return c + left / r - c0;
          left -= r * span;
        }
        c = hi;
      }
      return kInf;
    }
    case Shape::weibull: {
      const double k = weibull_shape, lam = weibull_scale;
      const double base = std::pow(c0 / lam, k);
      return lam * std::pow(base + need, 1.0 / k) - c0;
    }
    case Shape::gompertz: {
      if (gompertz_a <= 0.0) return kInf;
      if (gompertz_b == 0.0) return need / gompertz_a;
      const double arg = std::exp(gompertz_b * c0) + gompertz_b * need / gompertz_a;
      if (arg <= 0.0) return kInf;  // a decreasing hazard may never accumulate enough
      return std::log(arg) / gompertz_b - c0;
    }
  }
  return kInf;
}

}  // namespace tsim::model
