#include "sim/batch/output_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <vector>

#include "sim/core/calendar.hpp"

namespace tsim::batch {

namespace {

// One step of the Markov approximation, days: fine enough for durations of a
// few weeks, coarse enough that a 50-year horizon is ~2,600 steps.
constexpr double kStepDays = 7.0;
// Most (entry state x move x step) updates one estimate may do (~0.2 s): a
// huge scenario takes coarser steps instead of holding up the run.
constexpr double kWorkBudget = 1e8;
// Rows of /events per person when even one step per entry state is over
// the budget: the shipped scenarios have 2.2-3.1.
constexpr double kTypicalRowsPerPerson = 2.5;
// The rate that stands for "at once" (and for a duration of 0), per day: all
// of a state's occupants leave within one step.
constexpr double kImmediateRate = 10.0;

// A move of the approximation: from -> to at `rate` per day, with `rows`
// rows of /events each time (the move, and a pool grant where one follows).
struct Move {
  int from;
  int to;
  double rate;
  double rows;
};

// The mean rate of a hazard over a typical stretch of its clock, per day.
double typical_rate(const model::Hazard& h) {
  const bool age = h.clock == model::Hazard::Clock::age;
  const double c0 = age ? 25 * core::kDaysPerYear : 0.0;
  const double c1 = age ? 60 * core::kDaysPerYear : 5 * core::kDaysPerYear;
  const double r = h.integral(c0, c1) / (c1 - c0);
  return std::isfinite(r) ? std::min(r, kImmediateRate) : kImmediateRate;
}

double transition_rate(const model::TransitionSpec& t) {
  switch (t.when) {
    case model::TransitionWhen::immediate:
      return kImmediateRate;
    case model::TransitionWhen::timed: {
      const double m = core::mean(t.duration);
      return m > 1.0 / kImmediateRate ? 1.0 / m : kImmediateRate;
    }
    case model::TransitionWhen::hazard:
      return typical_rate(t.hazard);
  }
  return 0.0;
}

std::vector<Move> moves_of(const model::ScenarioSpec& spec) {
  std::vector<Move> moves;
  for (const auto& t : spec.transitions) {
    const double rate = transition_rate(t);
    for (const auto& o : t.outcomes) {
      if (o.to == model::kNone || !(o.p > 0) || !(rate > 0)) continue;
      const int pool = spec.states[o.to].needs_pool;
      const bool grant = pool != model::kNone && spec.pools[pool].granted_event != model::kNone;
      moves.push_back(Move{t.from, o.to, rate * o.p, grant ? 2.0 : 1.0});
    }
  }
  return moves;
}

// After 0, 1, 2, ... steps, for one person entering `entry`: the expected
// rows of /events (the arrival row not included) and the chance of being
// present (in a state that is not an exit).
struct Curves {
  std::vector<double> rows;
  std::vector<double> present;
};

Curves curves_by_step(const model::ScenarioSpec& spec, const std::vector<Move>& moves, int entry, std::size_t steps,
                      double step_days = kStepDays) {
  std::vector<double> leave_rate(spec.states.size(), 0.0);
  for (const auto& m : moves) leave_rate[m.from] += m.rate;
  std::vector<double> occupancy(spec.states.size(), 0.0), next;
  occupancy[entry] = 1.0;
  auto present_now = [&] {
    double p = 0;
    for (std::size_t s = 0; s < occupancy.size(); ++s)
      if (spec.states[s].kind != model::StateKind::exit) p += occupancy[s];
    return p;
  };
  Curves c{std::vector<double>(steps + 1, 0.0), std::vector<double>(steps + 1, 0.0)};
  c.present[0] = present_now();
  double total = 0;
  for (std::size_t k = 1; k <= steps; ++k) {
    next = occupancy;
    for (const auto& m : moves) {
      const double out = leave_rate[m.from];
      // The share of this state's occupants leaving in one step, by this move.
      const double moved = occupancy[m.from] * (1 - std::exp(-out * step_days)) * (m.rate / out);
      next[m.from] -= moved;
      next[m.to] += moved;
      total += moved * m.rows;
    }
    occupancy.swap(next);
    c.rows[k] = total;
    c.present[k] = present_now();
  }
  return c;
}

// Pull intakes recruit up to an establishment: the first fills it from the
// people already in the counted states (the stock), each later one replaces
// those who left the counted states since the one before, at the rate the
// moves out of them have (the mean over the counted states).
std::vector<double> pull_places(const model::ScenarioSpec& spec, const std::vector<Move>& moves, const model::RouteSpec& r) {
  std::vector<double> places(r.intakes.size(), 0.0);
  double previous_day = -1;
  for (std::size_t i = 0; i < r.intakes.size(); ++i) {
    const auto& in = r.intakes[i];
    if (in.establishment < 0) {
      places[i] = static_cast<double>(in.places);
      continue;
    }
    const std::set<int> counted(in.counts.begin(), in.counts.end());
    if (previous_day < 0) {
      double present = 0;
      for (const auto& st : spec.stock)
        if (counted.count(st.state)) present += static_cast<double>(st.count);
      places[i] = std::max(0.0, static_cast<double>(in.establishment) - present);
    } else {
      double out = 0;
      for (const auto& m : moves)
        if (counted.count(m.from) && !counted.count(m.to)) out += m.rate;
      out /= static_cast<double>(std::max<std::size_t>(counted.size(), 1));
      places[i] = static_cast<double>(in.establishment) * (1 - std::exp(-out * (in.day - previous_day)));
    }
    previous_day = in.day;
  }
  return places;
}

}  // namespace

double events_per_person(const model::ScenarioSpec& spec, int entry_state, double days) {
  const auto steps = static_cast<std::size_t>(std::ceil(std::max(days, 0.0) / kStepDays));
  return 1.0 + curves_by_step(spec, moves_of(spec), entry_state, steps).rows.back();
}

RunEstimate estimate_run(const model::ScenarioSpec& spec, model::RecordLevel level, bool lean_memory) {
  RunEstimate e;
  const std::vector<Move> moves = moves_of(spec);
  std::set<int> entries;
  for (const auto& s : spec.stock) entries.insert(s.state);
  for (const auto& r : spec.routes) entries.insert(r.enters);
  const double per_step = static_cast<double>(entries.size()) * static_cast<double>(moves.size() + spec.states.size());
  const double step = std::max(kStepDays, spec.horizon_days * per_step / kWorkBudget);
  const bool affordable = per_step <= kWorkBudget;
  const auto steps = static_cast<std::size_t>(std::ceil(spec.horizon_days / step));
  std::map<int, Curves> curves;  // by entry state
  auto curve = [&](int state) -> const Curves& {
    auto it = curves.find(state);
    if (it == curves.end()) it = curves.emplace(state, curves_by_step(spec, moves, state, steps, step)).first;
    return it->second;
  };
  auto step_of = [&](double days) { return std::min(steps, static_cast<std::size_t>(std::max(0.0, days) / step)); };
  auto rows_after = [&](int state, double days) {
    if (!affordable) return 1.0 + (kTypicalRowsPerPerson - 1.0);
    return 1.0 + curve(state).rows[step_of(days)];
  };
  // The people who arrive: (entry state, day, how many).
  struct Arrival {
    int state;
    double day;
    double count;
  };
  std::vector<Arrival> arrivals;
  for (const auto& s : spec.stock) arrivals.push_back({s.state, 0.0, static_cast<double>(s.count)});
  for (const auto& r : spec.routes) {
    const std::vector<double> places = pull_places(spec, moves, r);
    for (std::size_t i = 0; i < r.intakes.size(); ++i) arrivals.push_back({r.enters, r.intakes[i].day, places[i]});
    // Poisson arrivals, one step's worth at a time.
    for (std::size_t k = 0; r.poisson_per_day > 0 && k < steps; ++k) {
      const double day = static_cast<double>(k) * step;
      arrivals.push_back({r.enters, day, r.poisson_per_day * std::min(step, spec.horizon_days - day)});
    }
  }
  double events = 0;
  for (const auto& a : arrivals) {
    e.people += a.count;
    events += a.count * rows_after(a.state, spec.horizon_days - a.day);
  }
  // The most people present at once, at twenty dates (everyone, if the career
  // graph is too big to follow).
  e.present = e.people;
  if (affordable) {
    e.present = 0;
    constexpr int kDates = 20;
    for (int j = 0; j <= kDates; ++j) {
      const double day = spec.horizon_days * j / kDates;
      double present = 0;
      for (const auto& a : arrivals)
        if (a.day <= day) present += a.count * curve(a.state).present[step_of(day - a.day)];
      e.present = std::max(e.present, present);
    }
  }
  e.events_per_person = e.people > 0 ? events / e.people : 0.0;
  e.events = events;
  // Census, flow and pool rows: one per period, state and census cell (an
  // upper bound: zero rows may be left out), flows about as many, pools few.
  const double periods = static_cast<double>(
      core::period_ends(spec.start_date, spec.horizon_days, spec.census.every, spec.census.every_days).size());
  double cells = 1;
  for (int a : spec.census.by)
    cells *= a == model::kRouteAttribute ? static_cast<double>(spec.routes.size() + 1)
                                         : static_cast<double>(spec.attributes[a].levels.size());
  const double summary_rows =
      periods * (2 * static_cast<double>(spec.states.size()) * cells + static_cast<double>(spec.pools.size()));
  e.file_bytes = kFileOverheadBytes + summary_rows * kSummaryRowBytes;
  if (level != model::RecordLevel::summary) e.file_bytes += e.people * kPersonRowBytes;
  if (level == model::RecordLevel::full) e.file_bytes += events * kEventRowBytes;
  // Memory at the peak (the end of the simulation, or earlier for a shrinking
  // workforce): the loop's records of the people held, their rows, the
  // pending events of those present and the output's buffers.
  e.held = lean_memory ? std::min(e.present, e.people) : e.people;
  const double per_held = kLoopRecordBytes + static_cast<double>(spec.attributes.size()) +
                          (spec.has_providers() ? kProviderLinkBytes : 0.0) + (lean_memory ? kSlotIdBytes : 0.0);
  double rows = 0;
  if (level == model::RecordLevel::summary)
    rows = e.held * kBasicsMemoryBytes;
  else
    rows = e.held * kPersonsRowMemoryBytes + (e.people - e.held) * kLeaverRowMemoryBytes;
  const double buffers = level == model::RecordLevel::full     ? kWriterBuffersFull
                         : level == model::RecordLevel::census ? kWriterBuffersCensus
                                                               : kWriterBuffersSummary;
  e.memory_bytes = e.held * per_held + rows + e.present * kPendingEventBytes + buffers;
  return e;
}

}  // namespace tsim::batch
