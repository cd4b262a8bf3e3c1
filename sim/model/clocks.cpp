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

double Clocks::fire_time(const Person& p, const std::uint8_t* levels, const CompiledTransition& t) const {
  switch (t.spec->when) {
    case TransitionWhen::immediate: return p.state_since;
    case TransitionWhen::timed: return timed(p, t);
    case TransitionWhen::hazard: return hazard(p, levels, t);
  }
  return kInf;
}

double Clocks::timed(const Person& p, const CompiledTransition& ct) const {
  const TransitionSpec& t = *ct.spec;
  const double tenure = std::fmax(0.0, -p.state_since);  // only initial stock starts with time in state
  double u = streams_.uniform(p.key, purpose::kDuration | static_cast<std::uint32_t>(ct.index), p.moves);
  if (tenure > 0.0) {
    // Stock already spent `tenure` days here: draw the duration given it exceeds that.
    const double f0 = core::cdf(t.duration, tenure);
    if (f0 < 1.0) u = f0 + u * (1.0 - f0);
  }
  const double d = core::quantile(t.duration, u);
  if (t.supervised_only) return holds_slot(p) ? p.supervised_since + (d - p.supervised_done) : kInf;
  return p.state_since + d;
}

double Clocks::hazard(const Person& p, const std::uint8_t* levels, const CompiledTransition& ct) const {
  const TransitionSpec& t = *ct.spec;
  const double target = -std::log(streams_.uniform(p.key, purpose::kHazard | static_cast<std::uint32_t>(ct.index), p.moves));
  const double m = ratio(levels, t);
  if (t.supervised_only) {
    if (!holds_slot(p)) return kInf;
    return p.supervised_since + (t.hazard.time_to(0.0, target, m) - p.supervised_done);
  }
  const double start = std::fmax(p.state_since, 0.0);
  const double c0 = t.hazard.clock == Hazard::Clock::age ? p.age_at_entry * core::kDaysPerYear + (start - p.entry_day)
                                                          : start - p.state_since;
  if (compiled_.modifiers_of[static_cast<std::size_t>(ct.index)].empty()) return start + t.hazard.time_to(c0, target, m);
  return start + with_modifiers(p, levels, ct.index, t.hazard, start, c0, target, m);
}

// The multiplier is piecewise constant in time: walk its pieces, spending the
// same unit-exponential target.
double Clocks::with_modifiers(const Person& p, const std::uint8_t* levels, int transition, const Hazard& h, double start,
                              double c0, double target, double base_multiplier) const {
  std::vector<double> edges;
  std::vector<const Modifier*> active;
  for (int k : compiled_.modifiers_of[static_cast<std::size_t>(transition)]) {
    const Modifier& mod = spec_.modifiers[static_cast<std::size_t>(k)];
    bool applies = true;
    for (const auto& [attribute, in] : mod.only) applies = applies && in[levels[attribute]];
    if (!applies) continue;
    active.push_back(&mod);
    for (double e : {mod.from_day, mod.until_day, p.state_since + mod.in_state_from, p.state_since + mod.in_state_until})
      if (e > start && std::isfinite(e)) edges.push_back(e);
  }
  edges.push_back(kInf);
  std::sort(edges.begin(), edges.end());
  double left = target, t = start;
  for (double edge : edges) {
    if (edge <= t) continue;
    double m = base_multiplier;
    for (const Modifier* mod : active)
      if (t >= mod->from_day && t < mod->until_day && t >= p.state_since + mod->in_state_from &&
          t < p.state_since + mod->in_state_until)
        m *= mod->factor;
    const double c = c0 + (t - start);
    const double piece = h.time_to(c, left, m);
    if (t + piece <= edge) return t + piece - start;
    left -= m * h.integral(c, c + (edge - t));
    t = edge;
  }
  return kInf;
}

}  // namespace tsim::model
