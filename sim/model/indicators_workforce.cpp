// Workforce indicators (docs/INDICATORS.md, "Workforce"): staff and trainees
// at year ends, vacancies against funded establishments, leavers by kind.
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "sim/model/indicators.hpp"

namespace tsim::model::indicators {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// "CWP band 5", or "CWP" for a state with no band.
std::string group_of(const StateSpec& s) {
  return s.band == kNone ? s.profession : fmt::format("{} band {}", s.profession, s.band);
}

// Groups of states with a profession, for one role: "[all]" first, then by
// profession and band, then a profession's total where it has several groups.
std::vector<std::pair<std::string, std::vector<int>>> groups(const ScenarioSpec& spec, StateRole role) {
  std::map<std::string, std::vector<int>> by_group, by_profession;
  std::vector<int> all;
  for (std::size_t s = 0; s < spec.states.size(); ++s) {
    const auto& st = spec.states[s];
    if (st.role != role) continue;
    all.push_back(static_cast<int>(s));
    if (st.profession.empty()) continue;
    by_group[group_of(st)].push_back(static_cast<int>(s));
    by_profession[st.profession].push_back(static_cast<int>(s));
  }
  std::vector<std::pair<std::string, std::vector<int>>> out;
  if (all.empty()) return out;
  out.emplace_back("all", all);
  for (auto& g : by_group) out.push_back(g);
  for (auto& [profession, states] : by_profession) {
    std::size_t n = 0;
    for (const auto& [g, _] : by_group) n += g == profession || g.rfind(profession + " band ", 0) == 0;
    if (n > 1) out.emplace_back(profession, states);
  }
  return out;
}

double sum(const std::vector<std::int64_t>& per_state, const std::vector<int>& states) {
  double t = 0;
  for (int s : states) t += static_cast<double>(per_state[static_cast<std::size_t>(s)]);
  return t;
}

double sum(const std::vector<double>& per_state, const std::vector<int>& states) {
  double t = 0;
  for (int s : states) t += per_state[static_cast<std::size_t>(s)];
  return t;
}

void add_headcounts(const ScenarioSpec& spec, const YearEnd& y, IndicatorSet& out) {
  const std::string date = core::format_date(y.last_day);
  for (const auto& [label, states] : groups(spec, StateRole::staff)) {
    out.add(fmt::format("staff headcount [{}] on {}", label, date), sum(y.headcount, states));
    out.add(fmt::format("staff FTE [{}] on {}", label, date), sum(y.fte, states));
  }
  for (const auto& [label, states] : groups(spec, StateRole::trainee))
    out.add(fmt::format("trainees [{}] on {}", label, date), sum(y.headcount, states));
}

// The establishment a pull route fills, as its last intake before `day` set it.
std::optional<double> establishment_at(const RouteSpec& route, double day) {
  std::optional<double> e;
  for (const auto& in : route.intakes)
    if (in.day < day && in.establishment >= 0) e = static_cast<double>(in.establishment);
  return e;
}

void add_vacancies(const ScenarioSpec& spec, const YearEnd& y, IndicatorSet& out) {
  const std::string date = core::format_date(y.last_day);
  for (std::size_t p = 0; p < spec.pools.size(); ++p) {
    bool funded_posts = false;
    for (const auto& s : spec.states) funded_posts = funded_posts || s.occupies_pool == static_cast<int>(p);
    if (!funded_posts) continue;
    const auto est = static_cast<double>(y.pool_capacity[p]), in_post = static_cast<double>(y.pool_in_use[p]);
    const std::string label = "posts " + spec.pools[p].name;
    out.add(fmt::format("establishment [{}] on {}", label, date), est);
    out.add(fmt::format("staff in post [{}] on {}", label, date), in_post);
    out.add(fmt::format("vacancy rate [{}] on {}", label, date), est > 0 ? std::max(0.0, est - in_post) / est : kNaN);
  }
  for (const auto& route : spec.routes) {
    for (const auto& in : route.intakes) {
      if (in.establishment < 0) continue;
      const auto est = establishment_at(route, y.day);
      if (!est) break;
      double staff = 0, filling = 0;
      for (int s : in.counts) {
        const auto role = spec.states[static_cast<std::size_t>(s)].role;
        if (role == StateRole::staff) staff += static_cast<double>(y.headcount[static_cast<std::size_t>(s)]);
        if (role == StateRole::vacancy) filling += static_cast<double>(y.headcount[static_cast<std::size_t>(s)]);
      }
      const std::string label = "route " + route.name;
      out.add(fmt::format("establishment [{}] on {}", label, date), *est);
      out.add(fmt::format("staff in post [{}] on {}", label, date), staff);
      out.add(fmt::format("vacancies being filled [{}] on {}", label, date), filling);
      out.add(fmt::format("vacancy rate [{}] on {}", label, date), *est > 0 ? std::max(0.0, *est - staff) / *est : kNaN);
      break;  // one set of rows per route, from its pull intakes
    }
  }
}

// Moves from a staff state into states of role `kind` over the run.
double staff_moves_to(const ScenarioSpec& spec, const std::vector<std::vector<std::int64_t>>& flows, StateRole kind) {
  double moves = 0;
  for (std::size_t to = 0; to < spec.states.size(); ++to) {
    if (spec.states[to].role != kind) continue;
    for (std::size_t from = 0; from < spec.states.size(); ++from)
      if (spec.states[from].role == StateRole::staff) moves += static_cast<double>(flows[from + 1][to]);
  }
  return moves;
}

bool has_role(const ScenarioSpec& spec, StateRole role) {
  for (const auto& s : spec.states)
    if (s.role == role) return true;
  return false;
}

// Leavers from staff states over the run, by where they went (an exit kind,
// or a waiting state such as a career break), and per staff-year at risk.
void add_leavers(const ScenarioSpec& spec, const RunSummary& summary,
                 const std::vector<std::vector<std::int64_t>>& flows, IndicatorSet& out) {
  double staff_days = 0;
  for (std::size_t s = 0; s < spec.states.size(); ++s)
    if (spec.states[s].role == StateRole::staff) staff_days += summary.person_days[s];
  const double staff_years = staff_days / core::kDaysPerYear;
  auto rows = [&](const std::string& label, double leavers) {
    out.add(fmt::format("staff leavers [{}]", label), leavers);
    out.add(fmt::format("staff leaving rate per year [{}]", label), staff_years > 0 ? leavers / staff_years : kNaN);
  };
  double all = 0;
  bool any = false;
  for (auto kind : {StateRole::left_nhs, StateRole::moved_within_nhs, StateRole::retired, StateRole::waiting}) {
    if (!has_role(spec, kind)) continue;
    const double leavers = staff_moves_to(spec, flows, kind);
    rows(to_string(kind), leavers);
    all += leavers;
    any = true;
  }
  // Rarer ways out of staff (into a vacancy or a did-not-complete exit) count in "all" only.
  for (auto kind : {StateRole::vacancy, StateRole::did_not_complete}) all += staff_moves_to(spec, flows, kind);
  if (any) rows("all", all);
}

}  // namespace

void add_workforce(const ScenarioSpec& spec, const RunSummary& summary,
                   const std::vector<std::vector<std::int64_t>>& flows, IndicatorSet& out) {
  for (const auto& y : summary.year_ends) {
    if (y.headcount.empty()) continue;  // not reached (the run stopped early)
    add_headcounts(spec, y, out);
    add_vacancies(spec, y, out);
  }
  add_leavers(spec, summary, flows, out);
}

}  // namespace tsim::model::indicators
