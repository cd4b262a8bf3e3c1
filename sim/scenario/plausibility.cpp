// Plausibility warnings: a scenario that is legal but probably says something
// its author did not mean (a share written as a rate, a duration in days
// written as years, a cohort with three zeros too many). Reported with their
// location; the run goes on.
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "sim/scenario/sections.hpp"

namespace tsim::scenario {

namespace {

// The node at `key` of table node `n`, or `fallback` when there is none.
const toml::node& at_key(const toml::node& n, std::string_view key, const toml::node& fallback) {
  if (const auto* t = n.as_table())
    if (const auto* v = t->get(key)) return *v;
  return fallback;
}

// The hazard's mean rate over the first five years of its clock (ages 25 to
// 60 on the age clock), per year.
double typical_rate_per_year(const model::Hazard& h) {
  const bool age = h.clock == model::Hazard::Clock::age;
  const double c0 = age ? 25 * core::kDaysPerYear : 0.0;
  const double c1 = age ? 60 * core::kDaysPerYear : 5 * core::kDaysPerYear;
  return h.integral(c0, c1) / (c1 - c0) * core::kDaysPerYear;
}

bool leads_to_exit(const model::ScenarioSpec& spec, const model::TransitionSpec& t) {
  for (const auto& o : t.outcomes)
    if (o.to != model::kNone && spec.states[o.to].kind == model::StateKind::exit) return true;
  return false;
}

void check_transition(Reader& r, const toml::node& tn, const model::ScenarioSpec& spec, const model::TransitionSpec& t,
                      std::size_t index) {
  const auto& from = spec.states[t.from];
  if (t.when == model::TransitionWhen::hazard && from.role == model::StateRole::staff && leads_to_exit(spec, t)) {
    const double h = typical_rate_per_year(t.hazard);
    if (h > kMaxPlausibleStaffLeavingPerYear)
      r.warn(at_key(tn, "hazard", tn),
             fmt::format("transitions.{}: staff in '{}' leave at {:.3g} per year, so {:.0f}% of them would be gone "
                         "within a year (a hazard h per year gives an annual share 1 - exp(-h)); if {:.3g} is meant as "
                         "the share leaving each year, write annual_share = {:.3g}",
                         index, from.name, h, 100 * (1 - std::exp(-h)), h, h));
  }
  if (t.when == model::TransitionWhen::timed && from.kind == model::StateKind::training) {
    const double years = core::mean(t.duration) / core::kDaysPerYear;
    if (years > kMaxPlausibleTrainingYears) {
      const toml::node* key = nullptr;
      for (const char* k : {"after_years", "after_months", "after_days"})
        if (const auto* tt = tn.as_table(); tt && tt->get(k)) key = tt->get(k);
      r.warn(key ? *key : tn, fmt::format("transitions.{}: training in '{}' takes {:.3g} years on average, longer than "
                                          "{:.0f} years; is the unit right (after_days, after_months, after_years)?",
                                          index, from.name, years, kMaxPlausibleTrainingYears));
    }
  }
}

void check_route(Reader& r, const toml::node& rn, const model::RouteSpec& route) {
  const double poisson = route.poisson_per_day * core::kDaysPerYear;
  std::map<std::int64_t, double> by_year;  // places per simulated year, from the start date
  for (const auto& in : route.intakes)
    by_year[static_cast<std::int64_t>(std::floor(in.day / core::kDaysPerYear))] += static_cast<double>(in.places);
  double most = poisson;
  for (const auto& [year, places] : by_year) most = std::max(most, places + poisson);
  if (most > kMaxPlausibleIntakePerYear)
    r.warn(at_key(rn, "intake", rn),
           fmt::format("routes.{} recruits {:.0f} people in a year, more than {:.0g}; is a number too large "
                       "(places are people per intake, not per decade)?",
                       route.name, most, kMaxPlausibleIntakePerYear));
}

}  // namespace

void check_plausibility(Reader& r, const toml::table& root, const model::ScenarioSpec& spec) {
  // The spec holds one transition per [[transitions]] entry, in order, once
  // the scenario loaded without problems; so entry i is the source of transition i.
  if (const auto* arr = root.get("transitions") ? root.get("transitions")->as_array() : nullptr)
    for (std::size_t i = 0; i < arr->size() && i < spec.transitions.size(); ++i)
      check_transition(r, *arr->get(i), spec, spec.transitions[i], i);
  if (const auto* routes = root.get("routes") ? root.get("routes")->as_table() : nullptr)
    for (const auto& route : spec.routes)
      if (const auto* rn = routes->get(route.name)) check_route(r, *rn, route);
}

}  // namespace tsim::scenario
