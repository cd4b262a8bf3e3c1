#include "sim/model/indicators.hpp"

#include <cmath>
#include <fmt/format.h>
#include <map>

namespace tsim::model {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

double IndicatorSet::value(const std::string& name) const {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return values[i];
  return kNaN;
}

void IndicatorCollector::begin(const RunHeader& h) {
  header_ = h;
  pools_.emplace(h.schema->pools);
  persons_.emplace(h.schema->persons);
  if (next_) next_->begin(h);
}

void IndicatorCollector::finish() {
  if (next_) next_->finish();
}

void IndicatorCollector::append(const TableBatch& rows) {
  if (next_) next_->append(rows);
  switch (rows.table()) {
    case TableId::census: return add_census(rows);
    case TableId::pools: return pools_->append(rows);
    case TableId::persons: return persons_->append(rows);
    default: return;
  }
}

void IndicatorCollector::add_census(const TableBatch& b) {
  namespace c = cols::census;
  const std::size_t n_states = spec_->states.size();
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (period_end_.empty() || period_end_.back() != b[c::period_end_day][i]) {
      period_end_.push_back(b[c::period_end_day][i]);
      headcount_.emplace_back(n_states, 0.0);
      fte_.emplace_back(n_states, 0.0);
    }
    const auto s = static_cast<std::size_t>(b[c::state][i]);
    headcount_.back()[s] += b[c::headcount][i];
    fte_.back()[s] += b[c::fte][i];
  }
}

IndicatorSet IndicatorCollector::compute(const RunSummary& summary) const {
  IndicatorSet out;
  add_workforce(out);
  add_pipeline(out);
  add_diversity(out);
  add_pools(out);
  add_costs(out, summary);
  return out;
}

// Workforce by profession and band at each anniversary of the start date.
void IndicatorCollector::add_workforce(IndicatorSet& out) const {
  const ScenarioSpec& spec = *spec_;
  std::map<std::string, std::vector<int>> groups;  // "CWP band 5" -> states
  for (std::size_t s = 0; s < spec.states.size(); ++s) {
    const auto& st = spec.states[s];
    if (st.kind == StateKind::exit || st.profession.empty()) continue;
    groups[st.band == kNone ? st.profession : fmt::format("{} band {}", st.profession, st.band)].push_back(static_cast<int>(s));
  }
  for (int year = 1;; ++year) {
    const core::Date d{spec.start_date.year + year, spec.start_date.month, std::min(spec.start_date.day, 28u)};
    const auto day = static_cast<double>(core::days_between(spec.start_date, d));
    if (day > spec.horizon_days) break;
    // The census period ending on that day (or the last one before it, within a month).
    std::ptrdiff_t p = -1;
    for (std::size_t k = 0; k < period_end_.size(); ++k)
      if (period_end_[k] <= day && day - period_end_[k] <= 31) p = static_cast<std::ptrdiff_t>(k);
    if (p < 0) continue;
    for (const auto& [label, states] : groups) {
      double h = 0, f = 0;
      for (int s : states) {
        h += headcount_[static_cast<std::size_t>(p)][static_cast<std::size_t>(s)];
        f += fte_[static_cast<std::size_t>(p)][static_cast<std::size_t>(s)];
      }
      out.add(fmt::format("headcount {} year {}", label, year), h);
      out.add(fmt::format("FTE {} year {}", label, year), f);
    }
  }
}

namespace {
// The persons table's columns the indicators read, with the definitions of
// docs/INDICATORS.md: an entrant arrived by a route (not initial stock); an
// outcome is known once they qualified or left before qualifying.
struct PersonView {
  const TableBatch& t;
  [[nodiscard]] std::size_t size() const { return t.size(); }
  [[nodiscard]] bool entrant(std::size_t i) const { return t[cols::persons::route][i] >= 0; }
  [[nodiscard]] double qualified_day(std::size_t i) const { return t[cols::persons::qualified_day][i]; }
  [[nodiscard]] double exit_day(std::size_t i) const { return t[cols::persons::exit_day][i]; }
  [[nodiscard]] bool qualified(std::size_t i) const { return !std::isnan(qualified_day(i)) && qualified_day(i) >= 0; }
  [[nodiscard]] bool decided(std::size_t i) const { return qualified(i) || !std::isnan(exit_day(i)); }
};
}  // namespace

void IndicatorCollector::add_pipeline(IndicatorSet& out) const {
  const PersonView ps{*persons_};
  const std::size_t n = ps.size();
  for (int years : {1, 3, 5}) {
    double at_risk = 0, retained = 0;
    const double t = years * core::kDaysPerYear;
    for (std::size_t i = 0; i < n; ++i) {
      if (!ps.qualified(i) || ps.qualified_day(i) + t > spec_->horizon_days) continue;
      at_risk += 1;
      const double exit = ps.exit_day(i);
      retained += std::isnan(exit) || exit > ps.qualified_day(i) + t;
    }
    out.add(fmt::format("retention {} year(s) after qualifying", years), at_risk > 0 ? retained / at_risk : kNaN);
  }
  double entrants = 0, done = 0, passed = 0, time_sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!ps.entrant(i)) continue;
    entrants += 1;
    if (!ps.decided(i)) continue;
    done += 1;
    if (ps.qualified(i)) {
      passed += 1;
      time_sum += ps.qualified_day(i) - (*persons_)[cols::persons::entry_day][i];
    }
  }
  out.add("entrants", entrants);
  out.add("training completion rate", done > 0 ? passed / done : kNaN);
  out.add("time to qualify (years)", passed > 0 ? time_sum / passed / core::kDaysPerYear : kNaN);
}

// Shares at entry and qualification, against the population, and the
// relative likelihood of qualifying against the first level.
void IndicatorCollector::add_diversity(IndicatorSet& out) const {
  if (!writes(header_.record_level, TableId::persons)) return;  // no persons, no shares
  const PersonView ps{*persons_};
  const std::size_t first_attr = persons_->schema().fixed_count();
  for (std::size_t a = 0; a < spec_->attributes.size(); ++a) {
    const auto& attr = spec_->attributes[a];
    const auto& level_of = persons_->codes(first_attr + a);
    const std::size_t levels = attr.levels.size();
    std::vector<double> enter(levels, 0), qual(levels, 0), dec(levels, 0);
    for (std::size_t i = 0; i < ps.size(); ++i) {
      if (!ps.entrant(i)) continue;
      const auto l = static_cast<std::size_t>(level_of[i]);
      enter[l] += 1;
      if (ps.decided(i)) dec[l] += 1;
      if (ps.qualified(i)) qual[l] += 1;
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
}

// Supervision: grant-weighted mean wait and mean utilisation over periods.
void IndicatorCollector::add_pools(IndicatorSet& out) const {
  namespace c = cols::pools;
  const TableBatch& t = *pools_;
  for (std::size_t p = 0; p < spec_->pools.size(); ++p) {
    double wait = 0, grants = 0, use = 0, periods = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[c::pool][i] != static_cast<std::int32_t>(p)) continue;
      if (t[c::granted][i] > 0) {
        wait += t[c::mean_wait_days][i] * t[c::granted][i];
        grants += t[c::granted][i];
      }
      if (t[c::capacity][i] > 0) {
        use += static_cast<double>(t[c::in_use][i]) / t[c::capacity][i];
        periods += 1;
      }
    }
    out.add(fmt::format("mean wait for {} (days)", spec_->pools[p].name), grants > 0 ? wait / grants : kNaN);
    out.add(fmt::format("utilisation of {}", spec_->pools[p].name), periods > 0 ? use / periods : kNaN);
  }
}

// Costs and the workforce they buy.
void IndicatorCollector::add_costs(IndicatorSet& out, const RunSummary& summary) const {
  const ScenarioSpec& spec = *spec_;
  double cost = spec.policy_cost_once;
  for (std::size_t s = 0; s < spec.states.size(); ++s) cost += summary.person_days[s] * spec.states[s].cost_per_day;
  cost += spec.policy_cost_per_year * std::max(0.0, spec.horizon_days - std::max(0.0, spec.policy_start_day)) /
          core::kDaysPerYear;
  double fte_in_post = 0;
  for (std::size_t s = 0; s < spec.states.size(); ++s)
    if (spec.states[s].kind == StateKind::post && spec.states[s].qualified) fte_in_post += summary.final_fte[s];
  out.add("total cost", cost);
  out.add("qualified FTE in post at the horizon", fte_in_post);
}

}  // namespace tsim::model
