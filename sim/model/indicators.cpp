#include "sim/model/indicators.hpp"

#include <cmath>
#include <fmt/format.h>
#include <map>

namespace tsim::model {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
template <class T>
void append(std::vector<T>& to, const std::vector<T>& from) {
  to.insert(to.end(), from.begin(), from.end());
}
}  // namespace

void IndicatorCollector::begin(const RunHeader& h) {
  if (next_) next_->begin(h);
}
void IndicatorCollector::events(std::span<const EventRecord> b) {
  if (next_) next_->events(b);
}
void IndicatorCollector::flows(const FlowBatch& b) {
  if (next_) next_->flows(b);
}
void IndicatorCollector::finish() {
  if (next_) next_->finish();
}

void IndicatorCollector::census(const CensusBatch& b) {
  if (next_) next_->census(b);
  const std::size_t n_states = spec_->states.size();
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (period_end_.empty() || period_end_.back() != b.period_end_day[i]) {
      period_end_.push_back(b.period_end_day[i]);
      headcount_.emplace_back(n_states, 0.0);
      fte_.emplace_back(n_states, 0.0);
    }
    headcount_.back()[b.state[i]] += b.headcount[i];
    fte_.back()[b.state[i]] += b.fte[i];
  }
}

void IndicatorCollector::pools(const PoolBatch& b) {
  if (next_) next_->pools(b);
  append(pools_.pool, b.pool);
  append(pools_.capacity, b.capacity);
  append(pools_.in_use, b.in_use);
  append(pools_.granted, b.granted);
  append(pools_.mean_wait_days, b.mean_wait_days);
}

void IndicatorCollector::persons(const PersonBatch& b) {
  if (next_) next_->persons(b);
  if (persons_.attributes.size() < b.attributes.size()) persons_.attributes.resize(b.attributes.size());
  for (std::size_t a = 0; a < b.attributes.size(); ++a) append(persons_.attributes[a], b.attributes[a]);
  append(persons_.route, b.route);
  append(persons_.entry_day, b.entry_day);
  append(persons_.qualified_day, b.qualified_day);
  append(persons_.exit_day, b.exit_day);
}

IndicatorSet IndicatorCollector::compute(const RunSummary& summary) const {
  const ScenarioSpec& spec = *spec_;
  IndicatorSet out;
  const double horizon = spec.horizon_days;

  // Workforce by profession and band at each anniversary of the start date.
  std::map<std::string, std::vector<int>> groups;  // "CWP band 5" -> states
  for (std::size_t s = 0; s < spec.states.size(); ++s) {
    const auto& st = spec.states[s];
    if (st.kind == StateKind::exit || st.profession.empty()) continue;
    groups[st.band == kNone ? st.profession : fmt::format("{} band {}", st.profession, st.band)].push_back(static_cast<int>(s));
  }
  for (int year = 1;; ++year) {
    const core::Date d{spec.start_date.year + year, spec.start_date.month, std::min(spec.start_date.day, 28u)};
    const auto day = static_cast<double>(core::days_between(spec.start_date, d));
    if (day > horizon) break;
    // The census period ending on that day (or the last one before it, within a month).
    std::ptrdiff_t p = -1;
    for (std::size_t k = 0; k < period_end_.size(); ++k)
      if (period_end_[k] <= day && day - period_end_[k] <= 31) p = static_cast<std::ptrdiff_t>(k);
    if (p < 0) continue;
    for (const auto& [label, states] : groups) {
      double h = 0, f = 0;
      for (int s : states) {
        h += headcount_[p][s];
        f += fte_[p][s];
      }
      out.add(fmt::format("headcount {} year {}", label, year), h);
      out.add(fmt::format("FTE {} year {}", label, year), f);
    }
  }

  // People who entered by a route during the run (not the initial stock).
  const std::size_t n = persons_.route.size();
  auto entrant = [&](std::size_t i) { return persons_.route[i] >= 0; };
  auto qualified = [&](std::size_t i) { return !std::isnan(persons_.qualified_day[i]) && persons_.qualified_day[i] >= 0; };
  // Outcome known: qualified, or left before qualifying.
  auto decided = [&](std::size_t i) { return qualified(i) || !std::isnan(persons_.exit_day[i]); };

  for (int years : {1, 3, 5}) {
    double at_risk = 0, retained = 0;
    const double t = years * core::kDaysPerYear;
    for (std::size_t i = 0; i < n; ++i) {
      if (!qualified(i) || persons_.qualified_day[i] + t > horizon) continue;
      at_risk += 1;
      const double exit = persons_.exit_day[i];
      retained += std::isnan(exit) || exit > persons_.qualified_day[i] + t;
    }
    out.add(fmt::format("retention {} year(s) after qualifying", years), at_risk > 0 ? retained / at_risk : kNaN);
  }

  double entrants = 0, done = 0, passed = 0, time_sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!entrant(i)) continue;
    entrants += 1;
    if (!decided(i)) continue;
    done += 1;
    if (qualified(i)) {
      passed += 1;
      time_sum += persons_.qualified_day[i] - persons_.entry_day[i];
    }
  }
  out.add("entrants", entrants);
  out.add("training completion rate", done > 0 ? passed / done : kNaN);
  out.add("time to qualify (years)", passed > 0 ? time_sum / passed / core::kDaysPerYear : kNaN);

  // Diversity: shares at entry and qualification, against the population,
  // and the relative likelihood of qualifying against the first level.
  for (std::size_t a = 0; a < spec.attributes.size() && a < persons_.attributes.size(); ++a) {
    const auto& attr = spec.attributes[a];
    const std::size_t levels = attr.levels.size();
    std::vector<double> enter(levels, 0), qual(levels, 0), dec(levels, 0);
    for (std::size_t i = 0; i < n; ++i) {
      if (!entrant(i)) continue;
      const auto l = static_cast<std::size_t>(persons_.attributes[a][i]);
      enter[l] += 1;
      if (decided(i)) dec[l] += 1;
      if (qualified(i)) qual[l] += 1;
    }
    double total_enter = 0, total_qual = 0;
    for (std::size_t l = 0; l < levels; ++l) total_enter += enter[l], total_qual += qual[l];
    const double ref = dec[0] > 0 ? qual[0] / dec[0] : kNaN;
    for (std::size_t l = 0; l < levels; ++l) {
      const std::string key = fmt::format("{}={}", attr.name, attr.levels[l]);
      const double se = total_enter > 0 ? enter[l] / total_enter : kNaN;
      const double sq = total_qual > 0 ? qual[l] / total_qual : kNaN;
      out.add(fmt::format("share of entrants [{}]", key), se);
      out.add(fmt::format("share of qualifiers [{}]", key), sq);
      out.add(fmt::format("qualifiers vs entrants [{}]", key), se > 0 ? sq / se : kNaN);
      if (!attr.population.empty())
        out.add(fmt::format("entrants vs population [{}]", key), attr.population[l] > 0 ? se / attr.population[l] : kNaN);
      if (l > 0)
        out.add(fmt::format("relative likelihood of qualifying [{} vs {}]", key, attr.levels[0]),
                dec[l] > 0 ? (qual[l] / dec[l]) / ref : kNaN);
    }
  }

  // Supervision: grant-weighted mean wait and mean utilisation over periods.
  for (std::size_t p = 0; p < spec.pools.size(); ++p) {
    double wait = 0, grants = 0, use = 0, periods = 0;
    for (std::size_t i = 0; i < pools_.pool.size(); ++i) {
      if (pools_.pool[i] != static_cast<std::int32_t>(p)) continue;
      if (pools_.granted[i] > 0) {
        wait += pools_.mean_wait_days[i] * pools_.granted[i];
        grants += pools_.granted[i];
      }
      if (pools_.capacity[i] > 0) {
        use += static_cast<double>(pools_.in_use[i]) / pools_.capacity[i];
        periods += 1;
      }
    }
    out.add(fmt::format("mean wait for {} (days)", spec.pools[p].name), grants > 0 ? wait / grants : kNaN);
    out.add(fmt::format("utilisation of {}", spec.pools[p].name), periods > 0 ? use / periods : kNaN);
  }

  // Costs and the workforce they buy.
  double cost = spec.policy_cost_once;
  for (std::size_t s = 0; s < spec.states.size(); ++s) cost += summary.person_days[s] * spec.states[s].cost_per_day;
  cost += spec.policy_cost_per_year * std::max(0.0, horizon - std::max(0.0, spec.policy_start_day)) / core::kDaysPerYear;
  double fte_in_post = 0;
  for (std::size_t s = 0; s < spec.states.size(); ++s)
    if (spec.states[s].kind == StateKind::post && spec.states[s].qualified) fte_in_post += summary.final_fte[s];
  out.add("total cost", cost);
  out.add("qualified FTE in post at the horizon", fte_in_post);
  return out;
}

}  // namespace tsim::model
