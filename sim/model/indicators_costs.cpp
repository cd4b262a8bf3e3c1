// Supervision and cost indicators (docs/INDICATORS.md, "Pools" and "Costs").
#include <cmath>
#include <fmt/format.h>

#include "sim/model/indicators.hpp"

namespace tsim::model::indicators {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Days of [a, b) inside year t of the run ([t, t + 1) x kDaysPerYear), in years.
double years_in(std::size_t t, double a, double b) {
  const double lo = std::fmax(a, static_cast<double>(t) * core::kDaysPerYear);
  const double hi = std::fmin(b, static_cast<double>(t + 1) * core::kDaysPerYear);
  return std::fmax(0.0, hi - lo) / core::kDaysPerYear;
}
}  // namespace

// Grant-weighted mean wait, and utilisation weighted by time: slot-days in
// use / slot-days available over the whole run.
void add_pools(const ScenarioSpec& spec, const TableBatch& t, IndicatorSet& out) {
  namespace c = cols::pools;
  for (std::size_t p = 0; p < spec.pools.size(); ++p) {
    double wait = 0, grants = 0, used = 0, available = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[c::pool][i] != static_cast<std::int32_t>(p)) continue;
      if (t[c::granted][i] > 0) {
        wait += t[c::mean_wait_days][i] * t[c::granted][i];
        grants += t[c::granted][i];
      }
      used += t[c::slot_days_in_use][i];
      available += t[c::slot_days_available][i];
    }
    out.add(fmt::format("mean wait for {} (days)", spec.pools[p].name), grants > 0 ? wait / grants : kNaN);
    out.add(fmt::format("utilisation of {}", spec.pools[p].name), available > 0 ? used / available : kNaN);
  }
}

// Person-days x cost per day, plus the policies' own costs; the discounted
// total weighs year t of the run (t = 0 from the start date) by 1 / (1 + r)^t.
void add_costs(const ScenarioSpec& spec, const RunSummary& summary, IndicatorSet& out) {
  bool any_cost = spec.policy_cost_once != 0 || spec.policy_cost_per_year != 0;
  double cost = 0, discounted = 0;
  for (std::size_t s = 0; s < spec.states.size(); ++s) {
    const double per_day = spec.states[s].cost_per_day;
    any_cost = any_cost || per_day != 0;
    cost += summary.person_days[s] * per_day;
    const auto& by_year = summary.person_days_by_year[s];
    for (std::size_t t = 0; t < by_year.size(); ++t)
      discounted += by_year[t] * per_day / std::pow(1 + spec.discount_rate, static_cast<double>(t));
  }
  const double from = std::max(0.0, spec.policy_start_day);
  cost += spec.policy_cost_once + spec.policy_cost_per_year * std::max(0.0, spec.horizon_days - from) / core::kDaysPerYear;
  discounted += spec.policy_cost_once / std::pow(1 + spec.discount_rate, std::floor(from / core::kDaysPerYear));
  for (std::size_t t = 0; static_cast<double>(t) * core::kDaysPerYear < spec.horizon_days; ++t)
    discounted += spec.policy_cost_per_year * years_in(t, from, spec.horizon_days) /
                  std::pow(1 + spec.discount_rate, static_cast<double>(t));
  out.add(fmt::format("total cost ({})", spec.currency), any_cost ? cost : kNaN);
  out.add(fmt::format("total cost, discounted at {:g}% a year ({})", 100 * spec.discount_rate, spec.currency),
          any_cost ? discounted : kNaN);
  double fte_in_post = 0;
  for (std::size_t s = 0; s < spec.states.size(); ++s)
    if (spec.states[s].role == StateRole::staff && spec.states[s].qualified) fte_in_post += summary.final_fte[s];
  out.add("qualified FTE in post at the horizon", fte_in_post);
}

}  // namespace tsim::model::indicators
