// Who enters a run and when: the initial stock on day 0, route intakes on
// their days (push: commissioned places; pull: vacancies of an
// establishment), Poisson arrivals one at a time.
#include <algorithm>
#include <cmath>

#include "sim/core/error.hpp"
#include "sim/model/run_state.hpp"

namespace tsim::model {

namespace {
// Random key of a route's Poisson arrivals: intake number 0xFFFF is never a real intake.
constexpr std::uint32_t kPoissonIntake = 0xFFFF;
constexpr double kInfinity = std::numeric_limits<double>::infinity();
}  // namespace

double Run::Impl::draw(const core::Distribution& d, std::uint64_t key, std::uint32_t purpose_code) const {
  // A fixed value needs no draw; skipping it changes nothing, as every purpose has its own stream.
  if (const auto* fixed = std::get_if<core::Fixed>(&d)) return fixed->value;
  return core::quantile(d, sim.streams().uniform(key, purpose_code, 0));
}

std::uint32_t Run::Impl::create_person(std::uint64_t key, const CompiledMix& mix, int route) {
  if (people.created() >= 0x7FFFFFFFu) throw core::SimulationError("more than 2^31 people: person ids would overflow");
  Person p;
  PersonRecord r;
  p.key = key;
  r.base.entry_day = sim.now();
  r.base.route = route;
  const auto& rs = sim.streams();
  std::vector<std::uint8_t>& levels = scratch_levels;  // reused: no allocation per person
  for (std::size_t a = 0; a < levels.size(); ++a) {
    const auto& table = mix.attributes[a];
    levels[a] = static_cast<std::uint8_t>(
        table.size() == 1 ? 0 : table.sample(rs.uniform(key, purpose::kAttribute | spec.attributes[a].purpose_index, 0)));
  }
  r.base.age_at_entry = draw(*mix.age, key, purpose::kAge);
  p.fte_units = static_cast<std::int32_t>(std::llround(draw(*mix.fte, key, purpose::kFte) * kFteUnit));
  p.combo = census.cell_of(levels.data(), route);
  ++summary.persons;
  return people.add(p, r, levels.data());
}

void Run::Impl::create_stock() {
  for (std::size_t s = 0; s < spec.stock.size(); ++s) {
    const StockSpec& entry = spec.stock[s];
    for (std::int64_t row = 0; row < entry.count; ++row) {
      const auto key = person_key(entry.key_source, 0, static_cast<std::uint32_t>(row));
      const auto id = create_person(key, compiled.stock_mix[s], -1);
      const double tenure = draw(entry.tenure_days, key, purpose::kTenure);
      arrive(id, entry.state, spec.stock_event, -std::fmax(0.0, tenure));
    }
  }
}

void Run::Impl::run_intake(std::size_t n) {
  const auto [r, i] = compiled.intakes[n];
  const RouteSpec& route = spec.routes[static_cast<std::size_t>(r)];
  const Intake& intake = route.intakes[static_cast<std::size_t>(i)];
  std::int64_t places = intake.places;
  if (intake.establishment >= 0) {
    // Pull: fill the vacancies of the funded establishment on the day.
    std::int64_t filled = 0;
    for (int s : intake.counts) filled += census.in_state(s);
    places = std::max<std::int64_t>(0, intake.establishment - filled);
  }
  for (std::int64_t place = 0; place < places; ++place) {
    const auto key = person_key(route.key_source, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(place));
    const auto id = create_person(key, compiled.route_mix[static_cast<std::size_t>(r)], r);
    arrive(id, route.enters, route.event, sim.now());
  }
}

// The day a Poisson route's cumulative intensity, from day `now`, reaches
// `target` (a unit exponential): the rate is piecewise constant, changed by
// place changes from their days. +infinity if it never does.
static double next_poisson_arrival(const RouteSpec& route, double now, double target) {
  if (route.poisson_changes.empty()) return now + target / route.poisson_per_day;
  double t = now, left = target;
  for (std::size_t k = 0;; ++k) {
    while (k < route.poisson_changes.size() && route.poisson_changes[k].first <= t) ++k;
    double rate = route.poisson_per_day;
    for (const auto& [day, factor] : route.poisson_changes)
      if (day <= t) rate *= factor;
    const double edge = k < route.poisson_changes.size() ? route.poisson_changes[k].first : kInfinity;
    if (rate > 0 && t + left / rate <= edge) return t + left / rate;
    if (edge == kInfinity) return kInfinity;
    left -= rate * (edge - t);
    t = edge;
  }
}

// Poisson arrivals: each arrival schedules the next, exponential gaps drawn
// from the route's own stream so other processes never shift them (and a
// rate change delays or advances the same arrivals rather than redrawing them).
void Run::Impl::schedule_arrival(std::size_t r) {
  const auto& route = spec.routes[r];
  const std::uint64_t subject = person_key(route.key_source, kPoissonIntake, 0xFFFFFFFFu);
  const double u = sim.streams().uniform(subject, purpose::kArrival, arrivals_so_far[r]);
  const double t = next_poisson_arrival(route, sim.now(), -std::log(u));
  if (t < spec.horizon_days)
    sim.schedule(t, priority_of(EventKind::arrival), static_cast<std::uint32_t>(r), event_tag(EventKind::arrival));
}

void Run::Impl::poisson_arrival(std::size_t r) {
  const RouteSpec& route = spec.routes[r];
  const auto id = create_person(person_key(route.key_source, kPoissonIntake, arrivals_so_far[r]++),
                                compiled.route_mix[r], static_cast<int>(r));
  arrive(id, route.enters, route.event, sim.now());
  schedule_arrival(r);
}

void Run::Impl::change_capacity(std::size_t n) {
  const auto [pool, k] = compiled.capacity_changes[n];
  pools.change_capacity(pool, spec.pools[static_cast<std::size_t>(pool)].capacity_changes[k].second);
}

void Run::Impl::schedule_global_events() {
  for (std::size_t n = 0; n < compiled.intakes.size(); ++n) {
    const auto [r, i] = compiled.intakes[n];
    const double day = spec.routes[static_cast<std::size_t>(r)].intakes[static_cast<std::size_t>(i)].day;
    if (day < spec.horizon_days)
      sim.schedule(day, priority_of(EventKind::intake), static_cast<std::uint32_t>(n), event_tag(EventKind::intake));
  }
  for (std::size_t r = 0; r < spec.routes.size(); ++r)
    if (spec.routes[r].poisson_per_day > 0) schedule_arrival(r);
  for (std::size_t n = 0; n < compiled.capacity_changes.size(); ++n) {
    const auto [pool, k] = compiled.capacity_changes[n];
    const double day = spec.pools[static_cast<std::size_t>(pool)].capacity_changes[k].first;
    if (day < spec.horizon_days)
      sim.schedule(std::fmax(day, 0.0), priority_of(EventKind::capacity_change), static_cast<std::uint32_t>(n),
                   event_tag(EventKind::capacity_change));
  }
  const auto& ends = census.period_ends();
  for (std::size_t k = 0; k + 1 < ends.size(); ++k)
    sim.schedule(ends[k], priority_of(EventKind::census), static_cast<std::uint32_t>(k), event_tag(EventKind::census));
}

}  // namespace tsim::model
