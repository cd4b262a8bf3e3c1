// Pipeline and diversity indicators (docs/INDICATORS.md, "Training pipeline"
// and "Diversity"): over trainee entrants only (people a route brought into a
// trainee state); direct hires are counted apart.
#include <cmath>
#include <fmt/format.h>

#include "sim/model/indicators.hpp"

namespace tsim::model::indicators {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The persons table, read with the definitions of docs/INDICATORS.md.
struct People {
  const ScenarioSpec& spec;
  const TableBatch& t;
  [[nodiscard]] std::size_t size() const { return t.size(); }
  [[nodiscard]] int route(std::size_t i) const { return t[cols::persons::route][i]; }
  [[nodiscard]] int entry_state(std::size_t i) const { return t[cols::persons::entry_state][i]; }
  [[nodiscard]] double entry_day(std::size_t i) const { return t[cols::persons::entry_day][i]; }
  [[nodiscard]] double completed_day(std::size_t i) const { return t[cols::persons::completed_day][i]; }
  [[nodiscard]] double left_day(std::size_t i) const { return t[cols::persons::left_after_completing_day][i]; }
  [[nodiscard]] double training_day(std::size_t i) const { return t[cols::persons::training_day][i]; }
  [[nodiscard]] int programme(std::size_t i) const { return t[cols::persons::training_state][i]; }
  /// Started training during the run: first entered a trainee state on day 0
  /// or later (by a route, or from applicants); not stock already in training.
  [[nodiscard]] bool trainee_entrant(std::size_t i) const { return training_day(i) >= 0; }
  /// Reached a qualified state after starting training.
  [[nodiscard]] bool completed(std::size_t i) const { return !std::isnan(completed_day(i)); }
  /// Reached an exit or an unqualified post first.
  [[nodiscard]] bool did_not_complete(std::size_t i) const {
    return !std::isnan(t[cols::persons::not_completed_day][i]);
  }
};

// Counts over one group of trainee entrants.
struct Pipeline {
  double entrants = 0, completed = 0, not_completed = 0, years_to_qualify = 0;
  double at_risk[3] = {0, 0, 0}, retained[3] = {0, 0, 0};  // 1, 3 and 5 years after qualifying
};
constexpr int kRetentionYears[3] = {1, 3, 5};

void count(const People& ps, std::size_t i, Pipeline& p) {
  p.entrants += 1;
  if (ps.did_not_complete(i)) p.not_completed += 1;
  if (!ps.completed(i)) return;
  p.completed += 1;
  p.years_to_qualify += (ps.completed_day(i) - ps.training_day(i)) / core::kDaysPerYear;
  for (int k = 0; k < 3; ++k) {
    // t calendar years after the day they qualified, inside the run.
    const double end = core::add_span(ps.spec.start_date, ps.completed_day(i), core::Span{12 * kRetentionYears[k], 0});
    if (end > ps.spec.horizon_days) continue;
    p.at_risk[k] += 1;
    p.retained[k] += std::isnan(ps.left_day(i)) || ps.left_day(i) > end;
  }
}

double ratio(double a, double b) { return b > 0 ? a / b : kNaN; }

// The rows of one group; `label` "" for all trainee entrants (the headline names).
void emit(const std::string& label, const Pipeline& p, IndicatorSet& out) {
  const std::string tag = label.empty() ? "" : " [" + label + "]";
  out.add("trainee entrants" + tag, p.entrants);
  out.add("completed training" + tag, p.completed);
  out.add("did not complete training" + tag, p.not_completed);
  out.add("training completion rate" + tag, ratio(p.completed, p.completed + p.not_completed));
  out.add("training attrition rate" + tag, ratio(p.not_completed, p.completed + p.not_completed));
  out.add("time to qualify (years)" + tag, ratio(p.years_to_qualify, p.completed));
  for (int k = 0; k < 3; ++k)
    out.add(fmt::format("retention {} year(s) after qualifying{}", kRetentionYears[k], tag), ratio(p.retained[k], p.at_risk[k]));
}

// Waiting states reachable from training: breaks, from which people return
// to training they already started.
std::vector<bool> breaks_in_training(const ScenarioSpec& spec) {
  const std::size_t n = spec.states.size();
  std::vector<bool> reached(n, false);
  std::vector<int> todo;
  for (std::size_t s = 0; s < n; ++s)
    if (spec.states[s].role == StateRole::trainee) todo.push_back(static_cast<int>(s));
  while (!todo.empty()) {
    const int from = todo.back();
    todo.pop_back();
    for (const auto& t : spec.transitions) {
      if (t.from != from) continue;
      for (const auto& o : t.outcomes)
        if (!reached[static_cast<std::size_t>(o.to)]) {
          reached[static_cast<std::size_t>(o.to)] = true;
          todo.push_back(o.to);
        }
    }
  }
  std::vector<bool> out(n, false);
  for (std::size_t s = 0; s < n; ++s) out[s] = reached[s] && spec.states[s].role == StateRole::waiting;
  return out;
}

// Trainee states people can start training in: entered by a route, or from
// a state outside training (applicants selected, staff starting a course),
// not counting returns from a break in training.
std::vector<bool> programmes(const ScenarioSpec& spec) {
  std::vector<bool> out(spec.states.size(), false);
  auto trainee = [&](int s) { return spec.states[static_cast<std::size_t>(s)].role == StateRole::trainee; };
  const std::vector<bool> on_break = breaks_in_training(spec);
  for (const auto& r : spec.routes)
    if (trainee(r.enters)) out[static_cast<std::size_t>(r.enters)] = true;
  for (const auto& t : spec.transitions)
    for (const auto& o : t.outcomes)
      if (!trainee(t.from) && !on_break[static_cast<std::size_t>(t.from)] && trainee(o.to))
        out[static_cast<std::size_t>(o.to)] = true;
  return out;
}

// Routes that bring people into training: straight into a programme, or into
// a waiting state (applicants) one transition away from one.
std::vector<bool> training_routes(const ScenarioSpec& spec, const std::vector<bool>& programme) {
  std::vector<bool> out(spec.routes.size(), false);
  for (std::size_t r = 0; r < spec.routes.size(); ++r) {
    const int enters = spec.routes[r].enters;
    out[r] = programme[static_cast<std::size_t>(enters)];
    if (spec.states[static_cast<std::size_t>(enters)].role != StateRole::waiting) continue;
    for (const auto& t : spec.transitions)
      for (const auto& o : t.outcomes)
        out[r] = out[r] || (t.from == enters && programme[static_cast<std::size_t>(o.to)]);
  }
  return out;
}

// A route into a post, or into a vacancy being filled, hires without training.
bool hires(const ScenarioSpec& spec, int entry_state) {
  const StateRole r = spec.states[static_cast<std::size_t>(entry_state)].role;
  return r == StateRole::staff || r == StateRole::vacancy;
}

}  // namespace

void add_pipeline(const ScenarioSpec& spec, const TableBatch& persons, IndicatorSet& out) {
  const People ps{spec, persons};
  Pipeline all;
  std::vector<Pipeline> by_route(spec.routes.size()), by_programme(spec.states.size());
  std::vector<double> direct(spec.routes.size(), 0.0);
  // The rows depend on the scenario only, never on who happened to enter.
  const std::vector<bool> programme = programmes(spec), route_trains = training_routes(spec, programme);
  for (std::size_t i = 0; i < ps.size(); ++i) {
    if (ps.trainee_entrant(i)) {
      count(ps, i, all);
      if (ps.route(i) >= 0) count(ps, i, by_route[static_cast<std::size_t>(ps.route(i))]);
      count(ps, i, by_programme[static_cast<std::size_t>(ps.programme(i))]);
    } else if (ps.route(i) >= 0 && std::isnan(ps.training_day(i)) && hires(spec, ps.entry_state(i))) {
      direct[static_cast<std::size_t>(ps.route(i))] += 1;  // recruited straight into a post (or a vacancy for one)
    }
  }
  emit("", all, out);
  for (std::size_t r = 0; r < spec.routes.size(); ++r)
    if (route_trains[r]) emit("route " + spec.routes[r].name, by_route[r], out);
  for (std::size_t s = 0; s < spec.states.size(); ++s)
    if (programme[s]) emit("programme " + spec.states[s].name, by_programme[s], out);
  double direct_total = 0;
  for (std::size_t r = 0; r < spec.routes.size(); ++r) {
    if (!hires(spec, spec.routes[r].enters)) continue;
    out.add("direct hires [route " + spec.routes[r].name + "]", direct[r]);
    direct_total += direct[r];
  }
  out.add("direct hires", direct_total);
}

// Shares at entry and at qualification against the population, and the
// relative likelihood of qualifying against the first level, over trainee entrants.
void add_diversity(const ScenarioSpec& spec, const TableBatch& persons, IndicatorSet& out) {
  const People ps{spec, persons};
  const std::size_t first_attr = persons.schema().fixed_count();
  for (std::size_t a = 0; a < spec.attributes.size(); ++a) {
    const auto& attr = spec.attributes[a];
    const auto& level_of = persons.codes(first_attr + a);
    const std::size_t levels = attr.levels.size();
    std::vector<double> enter(levels, 0), qual(levels, 0), decided(levels, 0);
    for (std::size_t i = 0; i < ps.size(); ++i) {
      if (!ps.trainee_entrant(i)) continue;
      const auto l = static_cast<std::size_t>(level_of[i]);
      enter[l] += 1;
      if (ps.completed(i) || ps.did_not_complete(i)) decided[l] += 1;
      if (ps.completed(i)) qual[l] += 1;
    }
    double total_enter = 0, total_qual = 0;
    for (std::size_t l = 0; l < levels; ++l) total_enter += enter[l], total_qual += qual[l];
    const double ref = ratio(qual[0], decided[0]);
    for (std::size_t l = 0; l < levels; ++l) {
      const std::string key = fmt::format("{}={}", attr.name, attr.levels[l]);
      const double se = ratio(enter[l], total_enter), sq = ratio(qual[l], total_qual);
      out.add(fmt::format("share of trainee entrants [{}]", key), se);
      out.add(fmt::format("share of qualifiers [{}]", key), sq);
      out.add(fmt::format("qualifiers vs entrants [{}]", key), se > 0 ? sq / se : kNaN);
      if (!attr.population.empty())
        out.add(fmt::format("entrants vs population [{}]", key), ratio(se, attr.population[l]));
      if (l > 0)
        out.add(fmt::format("relative likelihood of qualifying [{} vs {}]", key, attr.levels[0]),
                ratio(ratio(qual[l], decided[l]), ref));
    }
  }
}

}  // namespace tsim::model::indicators
