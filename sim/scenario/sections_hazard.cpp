// `hazard = {...}` of a transition: piecewise-constant rates, Weibull or
// Gompertz, on the time-in-state or the age clock. Rates are stored per day.
#include <cmath>
#include <fmt/format.h>

#include "sim/scenario/sections.hpp"

namespace tsim::scenario {

namespace {

// The rates: one number or an array, per year or per day as the key says.
// Shares (annual_share) are checked by shares_to_rates instead.
std::optional<std::vector<double>> read_rates(Reader& r, const toml::node& rate, const std::string& path, bool shares) {
  std::vector<double> rates;
  bool ok = true;
  if (rate.is_array()) {
    auto v = r.numbers(rate, path + " rates");
    if (!v) ok = false;
    else rates = *v;
  } else if (auto v = r.number(rate, path + " rate")) {
    rates = {*v};
  } else {
    ok = false;
  }
  for (double x : rates)
    if (x < 0 && !shares) {
      r.error(rate, fmt::format("{}: hazard rates must not be negative, got {}", path, x));
      ok = false;
    }
  if (!ok) return std::nullopt;
  return rates;
}

// annual_share: the share of people who would leave within a year at a
// constant hazard, in [0, 1); each becomes the rate per year -ln(1 - share).
bool shares_to_rates(Reader& r, const toml::node& n, const std::string& path, std::vector<double>& values) {
  bool ok = true;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const toml::node& at = n.is_array() && n.as_array()->get(i) ? *n.as_array()->get(i) : n;
    if (!(values[i] >= 0 && values[i] < 1)) {
      r.error(at, fmt::format("{}.annual_share must be a share in [0, 1) (1 would mean everyone leaves at once), "
                              "got {}", path, values[i]));
      ok = false;
    } else {
      values[i] = annual_share_to_rate(values[i]);
    }
  }
  return ok;
}

// per_year / per_day / annual_share, with breaks_years / breaks_days where each later rate starts.
bool read_piecewise(Reader& r, TableView& t, const std::string& path, model::Hazard& h) {
  const bool share = t.get("annual_share") != nullptr;
  const toml::node* rate = share ? t.get("annual_share") : t.get("per_year") ? t.get("per_year") : t.get("per_day");
  const double scale = t.get("per_day") ? 1.0 : 1.0 / core::kDaysPerYear;
  auto read = read_rates(r, *rate, path, share);
  bool ok = read.has_value();
  std::vector<double> rates = read.value_or(std::vector<double>{});
  if (ok && share) ok = shares_to_rates(r, *rate, path, rates);
  std::vector<double> breaks{0.0};
  const toml::node* bn = t.get("breaks_years");
  const toml::node* bd = t.get("breaks_days");
  if (bn && bd) {
    r.error(*bd, fmt::format("{}: give breaks_years or breaks_days, not both", path));
    ok = false;
  } else if (bn || bd) {
    auto v = r.numbers(bn ? *bn : *bd, path + " breaks");
    if (!v) ok = false;
    else
      for (double x : *v) breaks.push_back(x * (bn ? core::kDaysPerYear : 1.0));
  }
  if (ok) {
    if (breaks.size() != rates.size()) {
      r.error(*rate, fmt::format("{}: {} rates need {} breaks (where each later rate starts), got {}", path,
                                 rates.size(), rates.size() - 1, breaks.size() - 1));
      ok = false;
    }
    for (std::size_t i = 1; i < breaks.size(); ++i)
      if (!(breaks[i] > breaks[i - 1])) {
        r.error(bn ? *bn : *bd, fmt::format("{}: breaks must be positive and increasing", path));
        ok = false;
        break;
      }
  }
  for (double& x : rates) x *= scale;
  h.shape = model::Hazard::Shape::piecewise;
  h.rates = rates;
  h.breaks = breaks;
  return ok;
}

// weibull = { shape, scale_years | scale_days }.
bool read_weibull(Reader& r, const toml::node& w, const std::string& path, model::Hazard& h) {
  h.shape = model::Hazard::Shape::weibull;
  if (!w.is_table()) {
    r.error(w, fmt::format("{}.weibull must be {{ shape, scale_years }}", path));
    return false;
  }
  bool ok = true;
  TableView wt(r, *w.as_table(), path + ".weibull");
  auto k = r.required_number(wt, "shape", "Weibull shape", path + ".weibull.shape");
  auto s = duration_days(r, wt, "scale_days", "scale_years", path + ".weibull scale", true);
  if (!k || !s || !(*k > 0) || !(*s > 0)) {
    if (k && s) r.error(w, fmt::format("{}.weibull shape and scale must be positive", path));
    ok = false;
  } else {
    h.weibull_shape = *k;
    h.weibull_scale = *s;
  }
  wt.finish();
  return ok;
}

// gompertz = { a_per_year, b_per_year }: h(c) = a exp(b c).
bool read_gompertz(Reader& r, const toml::node& g, const std::string& path, model::Hazard& h) {
  h.shape = model::Hazard::Shape::gompertz;
  if (!g.is_table()) {
    r.error(g, fmt::format("{}.gompertz must be {{ a_per_year, b_per_year }}", path));
    return false;
  }
  bool ok = true;
  TableView gt(r, *g.as_table(), path + ".gompertz");
  auto a = r.required_number(gt, "a_per_year", "rate at clock 0", path + ".gompertz.a_per_year");
  auto b = r.required_number(gt, "b_per_year", "growth per year", path + ".gompertz.b_per_year");
  if (!a || !b || *a < 0) {
    if (a && *a < 0) r.error(g, fmt::format("{}.gompertz.a_per_year must not be negative", path));
    ok = false;
  } else {
    h.gompertz_a = *a / core::kDaysPerYear;
    h.gompertz_b = *b / core::kDaysPerYear;
  }
  gt.finish();
  return ok;
}

}  // namespace

double annual_share_to_rate(double share) { return -std::log1p(-share); }

std::optional<model::Hazard> read_hazard(Reader& r, const toml::node& n, const std::string& path) {
  if (!n.is_table()) {
    r.error(n, fmt::format("{} must be a table such as {{ per_year = 0.1 }}", path));
    return std::nullopt;
  }
  TableView t(r, *n.as_table(), path);
  model::Hazard h;
  if (const auto* c = t.get("clock")) {
    auto s = r.string(*c, path + ".clock");
    if (s == "age") h.clock = model::Hazard::Clock::age;
    else if (s && *s != "time_in_state")
      r.error(*c, fmt::format("{}.clock must be \"time_in_state\" or \"age\", got '{}'", path, *s));
  }
  bool ok = t.exactly_one_of({"per_year", "per_day", "annual_share", "weibull", "gompertz"}, "the shape of the hazard");
  if (ok) {
    if (t.get("per_year") || t.get("per_day") || t.get("annual_share")) ok = read_piecewise(r, t, path, h);
    else if (const toml::node* w = t.get("weibull")) ok = read_weibull(r, *w, path, h);
    else if (const toml::node* g = t.get("gompertz")) ok = read_gompertz(r, *g, path, h);
  }
  t.allow({"breaks_years", "breaks_days"});
  t.finish();
  if (!ok) return std::nullopt;
  return h;
}

}  // namespace tsim::scenario
