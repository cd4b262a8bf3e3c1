#include "sim/model/clocks.hpp"

#include <algorithm>
#include <cmath>

namespace tsim::model {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

bool holds_slot(const Person& p) { return p.pool_status == PoolStatus::holding; }
}  // namespace

double Clocks::ratio(const std::uint8_t* levels, const TransitionSpec& t) const {
  double m = 1.0;
  for (const auto& r : t.ratios) m *= r.factor[levels[r.attribute]];
  return m;
}

double Clocks::renege_time(const Person& p, int pool_index) const {
  const PoolSpec& pool = spec_.pools[static_cast<std::size_t>(pool_index)];
  if (pool.renege_to == kNone) return kInf;
  if (const auto* fixed = std::get_if<core::Fixed>(&pool.patience)) return p.pool_since + fixed->value;
  const double u = streams_.uniform(p.key, purpose::kPatience | static_cast<std::uint32_t>(pool_index), p.queue_joins);
  return p.pool_since + core::quantile(pool.patience, u);
}

double Clocks::fire_time(const Person& p, const PersonBasics& r, const std::uint8_t* levels, const CompiledTransition& t,
                         double used) const {
  switch (t.spec->when) {
    case TransitionWhen::immediate: return p.state_since;
    case TransitionWhen::timed: return timed(p, t);
    case TransitionWhen::hazard:
      return t.spec->supervised_only ? supervised_hazard(p, levels, t, used) : hazard(p, r, levels, t);
  }
  return kInf;
}

bool Clocks::tracks_spent_hazard(const CompiledTransition& t) const {
  return t.spec->when == TransitionWhen::hazard && t.spec->supervised_only &&
         !compiled_.modifiers_of[static_cast<std::size_t>(t.index)].empty();
}

double Clocks::calendar(const Person& p, const TransitionSpec& t) const {
  const double end = core::add_span(spec_.start_date, p.state_since, *t.span);
  if (!t.supervised_only) return end;
  // Supervised time counts: the span's length from the state entry, spent in
  // supervised spells.
  return holds_slot(p) ? p.pool_since + ((end - p.state_since) - p.supervised_done) : kInf;
}

double Clocks::timed(const Person& p, const CompiledTransition& ct) const {
  const TransitionSpec& t = *ct.spec;
  if (t.span) return calendar(p, t);
  const double tenure = std::fmax(0.0, -p.state_since);  // only initial stock starts with time in state
  double u = streams_.uniform(p.key, purpose::kDuration | static_cast<std::uint32_t>(ct.index), p.moves);
  if (tenure > 0.0) {
    // Stock already spent `tenure` days here: draw the duration given it exceeds that.
    const double f0 = core::cdf(t.duration, tenure);
    if (f0 < 1.0) u = f0 + u * (1.0 - f0);
  }
  const double d = core::quantile(t.duration, u);
  if (t.supervised_only) return holds_slot(p) ? p.pool_since + (d - p.supervised_done) : kInf;
  return p.state_since + d;
}

// One unit-exponential target per (person, transition, visit).
double Clocks::target(const Person& p, const CompiledTransition& ct) const {
  return -std::log(streams_.uniform(p.key, purpose::kHazard | static_cast<std::uint32_t>(ct.index), p.moves));
}

double Clocks::hazard(const Person& p, const PersonBasics& r, const std::uint8_t* levels, const CompiledTransition& ct) const {
  const TransitionSpec& t = *ct.spec;
  const double m = ratio(levels, t);
  // Stock starts at their tenure: S(a + t) / S(a), the clock conditioned on having stayed a days.
  const double start = std::fmax(p.state_since, 0.0);
  const double c0 = t.hazard.clock == Hazard::Clock::age ? r.age_at_entry * core::kDaysPerYear + (start - r.entry_day)
                                                          : start - p.state_since;
  if (compiled_.modifiers_of[static_cast<std::size_t>(ct.index)].empty())
    return start + t.hazard.time_to(c0, target(p, ct), m);
  return start + with_modifiers(p, levels, ct.index, t.hazard, start, c0, target(p, ct), m);
}

// The clock is supervised time in the state; it runs only while a slot is
// held. Stock placed with a tenure of a days has spent a supervised days
// before the run: conditioned on that, like every other clock.
double Clocks::supervised_hazard(const Person& p, const std::uint8_t* levels, const CompiledTransition& ct,
                                 double used) const {
  if (!holds_slot(p)) return kInf;
  const TransitionSpec& t = *ct.spec;
  const double m = ratio(levels, t);
  if (!tracks_spent_hazard(ct)) {
    // H(a, c) = target at supervised time c; a spell that began after
    // p.supervised_done supervised days reaches it c - supervised_done later.
    const double a = std::fmax(0.0, -p.state_since);
    return p.pool_since + (a + t.hazard.time_to(a, target(p, ct), m) - p.supervised_done);
  }
  const double left = std::fmax(0.0, target(p, ct) - used);
  return p.pool_since + with_modifiers(p, levels, ct.index, t.hazard, p.pool_since, p.supervised_done, left, m);
}

double Clocks::hazard_spent(const Person& p, const std::uint8_t* levels, const CompiledTransition& ct, double now) const {
  const TransitionSpec& t = *ct.spec;
  const double base = ratio(levels, t);
  const double start = p.pool_since;
  const Pieces ps = pieces(p, levels, ct.index, start);
  double spent = 0, at = start;
  for (double edge : ps.edges) {
    if (edge <= at) continue;
    const double until = std::fmin(edge, now);
    const double c = p.supervised_done + (at - start);
    spent += multiplier_at(p, ps, at, base) * t.hazard.integral(c, c + (until - at));
    if (edge >= now) break;
    at = edge;
  }
  return spent;
}

Clocks::Pieces Clocks::pieces(const Person& p, const std::uint8_t* levels, int transition, double start) const {
  Pieces out;
  for (int k : compiled_.modifiers_of[static_cast<std::size_t>(transition)]) {
    const Modifier& mod = spec_.modifiers[static_cast<std::size_t>(k)];
    bool applies = true;
    for (const auto& [attribute, in] : mod.only) applies = applies && in[levels[attribute]];
    if (!applies) continue;
    out.active.push_back(&mod);
    for (double e : {mod.from_day, mod.until_day, p.state_since + mod.in_state_from, p.state_since + mod.in_state_until})
      if (e > start && std::isfinite(e)) out.edges.push_back(e);
  }
  out.edges.push_back(kInf);
  std::sort(out.edges.begin(), out.edges.end());
  return out;
}

double Clocks::multiplier_at(const Person& p, const Pieces& pieces, double t, double base) {
  double m = base;
  for (const Modifier* mod : pieces.active)
    if (t >= mod->from_day && t < mod->until_day && t >= p.state_since + mod->in_state_from &&
        t < p.state_since + mod->in_state_until)
      m *= mod->factor;
  return m;
}

// Walks the pieces, spending the same unit-exponential target.
double Clocks::with_modifiers(const Person& p, const std::uint8_t* levels, int transition, const Hazard& h, double start,
                              double c0, double target, double base_multiplier) const {
  const Pieces ps = pieces(p, levels, transition, start);
  double left = target, t = start;
  for (double edge : ps.edges) {
    if (edge <= t) continue;
    const double m = multiplier_at(p, ps, t, base_multiplier);
    const double c = c0 + (t - start);
    const double piece = h.time_to(c, left, m);
    if (t + piece <= edge) return t + piece - start;
    left -= m * h.integral(c, c + (edge - t));
    t = edge;
  }
  return kInf;
}

}  // namespace tsim::model
