#include "sim/model/run.hpp"

#include <cmath>
#include <fmt/format.h>

#include "sim/core/error.hpp"
#include "sim/model/run_state.hpp"

namespace tsim::model {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

Run::Impl::Impl(const ScenarioSpec& s, RunOptions o)
    : spec(s),
      options(std::move(o)),
      compiled(s),
      schema(RunSchema::for_scenario(s)),
      sim(core::RandomStreams(options.master_seed, options.replication)),
      people(s.attributes.size(), s.has_providers(), writes(options.record_level, TableId::persons), options.reuse_slots),
      clocks(s, compiled, sim.streams()),
      census(s),
      pools(s, people, sim, *this),
      output(schema, options.record_level),
      arrivals_so_far(s.routes.size(), 0),
      scratch_levels(s.attributes.size(), 0) {
  // Everybody the scenario will ever create, so the people tables never move
  // (pages of the loop's table that leavers' reused slots leave untouched
  // cost no memory).
  people.reserve(compiled.expected_people, compiled.expected_people);
  sim.reserve(compiled.expected_people + 1024);  // about one pending event per person at most
  summary.person_days.assign(s.states.size(), 0.0);
  summary.person_days_by_year.assign(s.states.size(),
                                     std::vector<double>(static_cast<std::size_t>(s.horizon_days / core::kDaysPerYear) + 1, 0.0));
}

void Run::Impl::add_person_days(int state, double from_day, double to_day) {
  const auto s = static_cast<std::size_t>(state);
  summary.person_days[s] += to_day - from_day;
  auto& by_year = summary.person_days_by_year[s];
  // Bucket by bucket; `year` moves on every step, so rounding at a year's
  // edge can never stop the walk.
  for (auto year = std::min(by_year.size() - 1, static_cast<std::size_t>(from_day / core::kDaysPerYear));
       from_day < to_day && year < by_year.size(); ++year) {
    const double edge =
        year + 1 == by_year.size() ? to_day : std::fmin(to_day, static_cast<double>(year + 1) * core::kDaysPerYear);
    if (edge <= from_day) continue;
    by_year[year] += edge - from_day;
    from_day = edge;
  }
}

void Run::Impl::record(std::uint32_t id, int event, int from, int to) {
  ++summary.records;
  if (output.keeps_events()) output.event(sim.now(), people.id(id), event, from, to);
}

void Run::Impl::schedule_next(std::uint32_t id) {
  Person& p = people[id];
  ++p.version;
  if (p.state < 0 || spec.states[static_cast<std::size_t>(p.state)].kind == StateKind::exit) return;
  const auto& ts = compiled.out[static_cast<std::size_t>(p.state)];
  const std::uint8_t* levels = people.attrs(id);
  double best = kInf;
  std::uint32_t tag = 0;
  for (std::size_t k = 0; k < ts.size(); ++k) {
    double used = 0.0;
    if (!spent_hazard.empty())
      if (const auto it = spent_hazard.find(spent_key(id, ts[k])); it != spent_hazard.end()) used = it->second;
    const double t = clocks.fire_time(p, people.basics(id), levels, ts[k], used);
    if (t < best) {
      best = t;
      tag = event_tag(EventKind::clock, static_cast<std::uint32_t>(k));
    }
  }
  const auto& st = spec.states[static_cast<std::size_t>(p.state)];
  if (p.pool_status == PoolStatus::queued) {
    const double t = clocks.renege_time(p, st.needs_pool);
    if (t < best) {
      best = t;
      tag = event_tag(EventKind::renege);
    }
  }
  if (st.provides.pool != kNone && !p.providing()) {
    const double t = core::add_span(spec.start_date, p.state_since, st.provides.after);
    if (t < best) {
      best = t;
      tag = event_tag(EventKind::start_providing);
    }
  }
  if (best < spec.horizon_days)
    sim.schedule(std::fmax(best, sim.now()), priority_of(kind_of(tag)), id, tag, p.version);
}

void Run::Impl::enter_state(std::uint32_t id, int state, double state_since) {
  entering = id;
  Person& p = people[id];
  const auto& st = spec.states[static_cast<std::size_t>(state)];
  p.state = static_cast<std::int16_t>(state);
  p.state_since = state_since;
  p.supervised_done = std::fmax(0.0, -state_since);
  p.pool_since = Person::kNaN;
  // The milestones of /persons: the flags say which are set, so that the
  // record is only touched when one is.
  if (st.role == StateRole::trainee && !p.has(Person::kTrained)) {
    if (PersonRecord* r = people.milestones(id)) {
      r->training_day = state_since;
      r->training_state = static_cast<std::int16_t>(state);
    }
    p.set(Person::kTrained, true);
  }
  if (p.has(Person::kTrained) && !p.has(Person::kOutcome)) {
    // Breaks, waiting and further training states leave the outcome open.
    if (st.qualified) {
      if (PersonRecord* r = people.milestones(id)) r->completed_day = state_since;
      p.set(Person::kOutcome | Person::kCompleted, true);
    } else if (st.kind == StateKind::exit || st.role == StateRole::staff) {
      if (PersonRecord* r = people.milestones(id)) r->not_completed_day = state_since;
      p.set(Person::kOutcome, true);
    }
  }
  if (st.qualified && !p.has(Person::kQualified)) {
    if (PersonRecord* r = people.milestones(id)) {
      r->qualified_day = state_since;
      r->qualified_state = static_cast<std::int16_t>(state);
    }
    p.set(Person::kQualified, true);
  }
  if (st.kind == StateKind::exit) {
    if (PersonRecord* r = people.milestones(id)) {
      r->exit_day = sim.now();
      r->exit_state = static_cast<std::int16_t>(state);
    }
    ++p.version;  // drops any pending event
    people.release(id);
    entering = kNobody;
    return;
  }
  pools.enter(id, state);
  if (st.provides.pool != kNone && sim.now() >= core::add_span(spec.start_date, state_since, st.provides.after))
    pools.start_providing(id);
  entering = kNobody;
  schedule_next(id);
}

void Run::Impl::watch_progress(std::uint32_t id, int from, int to) {
  recent[recent_next++ % recent.size()] = {id, from, to};
  if (sim.now() - stall_since >= kStallWindowDays) {
    stall_since = sim.now();
    stall_moves = 0;
  }
  const std::uint64_t limit = 16 * people.created() + 1'000'000;
  if (++stall_moves <= limit) return;
  std::string path;  // the person's last moves, oldest first
  for (std::size_t k = 0; k < recent.size(); ++k) {
    const RecentMove& m = recent[(recent_next + k) % recent.size()];
    if (m.person != id) continue;
    if (path.empty()) path = spec.states[static_cast<std::size_t>(m.from)].name;
    path += " -> " + spec.states[static_cast<std::size_t>(m.to)].name;
  }
  throw core::SimulationError(fmt::format(
      "simulated time stopped advancing at day {:.6f}: {} moves within a millionth of a day, more than {} people could "
      "make; person {} keeps moving ({}): transitions in a cycle take (almost) no time (zero or tiny durations, or "
      "huge hazards); give one of them a real duration",
      sim.now(), stall_moves, people.created(), people.id(id), path));
}

void Run::Impl::move(std::uint32_t id, int to, int event) {
  const int from = people[id].state;
  watch_progress(id, from, to);
  if (!spent_hazard.empty())
    for (const auto& t : compiled.out[static_cast<std::size_t>(from)]) spent_hazard.erase(spent_key(id, t));
  add_person_days(from, std::fmax(people[id].state_since, 0.0), sim.now());
  // The move is listed before what it causes in pools (slots lost, granted).
  record(id, event, from, to);
  pools.leave(id, to);
  Person& p = people[id];
  ++p.moves;
  if (p.has(Person::kCompleted) && !p.has(Person::kLeftAfterCompleting) &&
      in_workforce(spec.states[static_cast<std::size_t>(from)].role) &&
      !in_workforce(spec.states[static_cast<std::size_t>(to)].role)) {
    if (PersonRecord* r = people.milestones(id)) r->left_after_completing_day = sim.now();
    p.set(Person::kLeftAfterCompleting, true);
  }
  census.count_move(p, from, to);
  enter_state(id, to, sim.now());
}

void Run::Impl::arrive(std::uint32_t id, int state, int event, double state_since) {
  record(id, event, -1, state);
  if (PersonRecord* r = people.milestones(id)) r->entry_state = static_cast<std::int16_t>(state);
  census.count_move(people[id], -1, state);
  enter_state(id, state, state_since);
}

void Run::Impl::fire(std::uint32_t id, const CompiledTransition& ct) {
  const TransitionSpec& t = *ct.spec;
  std::size_t k = 0;
  if (t.outcomes.size() > 1) {
    const Person& p = people[id];
    const double u = sim.streams().uniform(p.key, purpose::kBranch | static_cast<std::uint32_t>(ct.index), p.moves);
    const auto& table =
        t.branch_attribute == kNone ? ct.branch_at(sim.now()) : ct.branch_by_level_at(sim.now(), people.attr(id, static_cast<std::size_t>(t.branch_attribute)));
    k = table.sample(u);
  }
  if (t.outcomes[k].changes_fte()) change_fte(id, t.outcomes[k]);
  move(id, t.outcomes[k].to, t.outcomes[k].event);
}

void Run::Impl::renege(std::uint32_t id) {
  const auto& st = spec.states[static_cast<std::size_t>(people[id].state)];
  const auto& pool = spec.pools[static_cast<std::size_t>(st.needs_pool)];
  move(id, pool.renege_to, pool.renege_event);
}

void Run::Impl::slot_granted(std::uint32_t id, int pool) {
  const int state = people[id].state;
  record(id, spec.pools[static_cast<std::size_t>(pool)].granted_event, state, state);
  if (id != entering) schedule_next(id);  // an entering person is scheduled once their entry is done
}

void Run::Impl::slot_lost(std::uint32_t id, int pool) {
  const int state = people[id].state;
  record(id, spec.pools[static_cast<std::size_t>(pool)].lost_event, state, state);
  schedule_next(id);
}

void Run::Impl::spell_ending(std::uint32_t id) {
  const Person& p = people[id];
  for (const auto& t : compiled.out[static_cast<std::size_t>(p.state)])
    if (clocks.tracks_spent_hazard(t)) spent_hazard[spent_key(id, t)] += clocks.hazard_spent(p, people.attrs(id), t, sim.now());
}

void Run::Impl::grants_held(int pool) {
  sim.schedule(sim.now(), priority_of(EventKind::grant), static_cast<std::uint32_t>(pool), event_tag(EventKind::grant));
}

void Run::Impl::plan_year_ends() {
  const std::int64_t origin = core::days_from_civil(spec.start_date);
  for (int year = spec.start_date.year;; ++year) {
    if (static_cast<double>(core::days_from_civil(core::Date{year, 1, 1}) - origin) > spec.horizon_days) break;
    for (const bool financial : {false, true}) {
      const core::Date boundary{year, financial ? 4u : 1u, 1};
      const auto day = static_cast<double>(core::days_from_civil(boundary) - origin);
      if (day <= 0 || day > spec.horizon_days) continue;
      YearEnd y;
      y.last_day = core::civil_from_days(core::days_from_civil(boundary) - 1);
      y.financial = financial;
      y.day = day;
      year_ends.push_back(y);
    }
  }
  for (std::size_t n = 0; n < year_ends.size(); ++n)
    if (year_ends[n].day < spec.horizon_days)
      sim.schedule(year_ends[n].day, priority_of(EventKind::year_end), static_cast<std::uint32_t>(n),
                   event_tag(EventKind::year_end));
}

void Run::Impl::take_year_end(std::size_t n) {
  YearEnd& y = year_ends[n];
  census.totals(y.headcount, y.fte);
  for (std::size_t p = 0; p < spec.pools.size(); ++p) {
    y.pool_capacity.push_back(pools.capacity(static_cast<int>(p)));
    y.pool_in_use.push_back(pools.in_use(static_cast<int>(p)));
  }
}

void Run::Impl::take_census(std::size_t period) {
  // Each check reads every person: in a long run with many people, check
  // every k-th period so that all checks together read ~20 million records.
  const std::size_t periods = census.period_ends().size();
  const double work = static_cast<double>(compiled.expected_people + 1) * static_cast<double>(periods);
  const auto stride = static_cast<std::size_t>(std::ceil(work / 2e7));
  if (options.check_invariants && (period % std::max<std::size_t>(1, stride) == 0 || period + 1 == periods)) {
    pools.check_invariants();
    census.check_invariants(people);
  }
  census.write_period(period, output.census(), output.flows());
  pools.write_period(static_cast<std::int32_t>(period), output.pools());
  output.end_period();
  const double end = census.period_ends()[period];
  if (options.progress) options.progress(std::fmin(1.0, end / spec.horizon_days));
}

// ---- Run ----------------------------------------------------------------------

Run::Run(const ScenarioSpec& spec, RunOptions options) : impl_(std::make_unique<Impl>(spec, std::move(options))) {
  impl_->sim.set_stop_flag(impl_->options.stop);
}
Run::~Run() = default;

RunSummary Run::execute(RunSink& sink) {
  Impl& m = *impl_;
  m.output.attach(sink);
  m.create_stock();
  m.schedule_global_events();
  m.plan_year_ends();
  const auto stats = m.sim.run_until(m.spec.horizon_days, *this);
  m.take_census(m.census.period_ends().size() - 1);  // the horizon closes the last period
  for (std::size_t n = 0; n < m.year_ends.size(); ++n)
    if (m.year_ends[n].day >= m.spec.horizon_days) m.take_year_end(n);  // a year that ends with the run
  m.summary.year_ends = std::move(m.year_ends);
  m.output.flush_events();
  m.people.final_fte();
  m.summary.events_handled = stats.events_handled;
  m.summary.person_slots = m.people.slots();
  m.census.totals(m.summary.final_headcount, m.summary.final_fte);
  // In id order: the sums are the same bits whether or not slots were reused.
  std::vector<std::uint32_t> slots = m.people.slots_by_id();
  for (const std::uint32_t slot : slots) {
    const Person& p = m.people[slot];
    if (p.state >= 0 && m.spec.states[static_cast<std::size_t>(p.state)].kind != StateKind::exit)
      m.add_person_days(p.state, std::fmax(p.state_since, 0.0), m.spec.horizon_days);
  }
  // Writing /persons is all that is left: the loop's memory goes first, so
  // the write adds nothing to the run's peak.
  m.sim.discard_pending();
  m.people.finish(std::move(slots));
  m.output.persons(m.people);
  return m.summary;
}

void Run::check_invariants() const {
  // After execute() the loop's tables are freed (People::finish); they were
  // checked at the last period end.
  if (impl_->people.finished()) return;
  impl_->pools.check_invariants();
  impl_->census.check_invariants(impl_->people);
}

void Run::handle(core::Simulation&, const core::Event& event) {
  Impl& m = *impl_;
  // Progress between census dates too (a yearly census would leave a big run
  // silent for a minute); it only reads the clock, so the run is unchanged.
  constexpr std::uint64_t kProgressEveryEvents = 1u << 16;
  if (m.options.progress && (++m.events_handled & (kProgressEveryEvents - 1)) == 0)
    m.options.progress(std::fmin(1.0, m.sim.now() / m.spec.horizon_days));
  const EventKind kind = kind_of(event.tag);
  switch (kind) {
    case EventKind::intake: return m.run_intake(event.target);
    case EventKind::census: return m.take_census(event.target);
    case EventKind::arrival: return m.poisson_arrival(event.target);
    case EventKind::capacity_change: return m.change_capacity(event.target);
    case EventKind::grant: return m.pools.release_held_grants(static_cast<int>(event.target));
    case EventKind::year_end: return m.take_year_end(event.target);
    default: break;
  }
  const std::uint32_t id = event.target;
  const Person& p = m.people[id];
  if (event.version != p.version) return;  // stale: the person's situation changed since
  switch (kind) {
    case EventKind::clock: return m.fire(id, m.compiled.out[static_cast<std::size_t>(p.state)][index_of(event.tag)]);
    case EventKind::renege: return m.renege(id);
    case EventKind::start_providing:
      m.pools.start_providing(id);
      return m.schedule_next(id);
    default: throw core::SimulationError(fmt::format("unknown event tag {:#x}", event.tag));
  }
}

void Run::prefetch(const core::Event& event) const noexcept {
  const Impl& m = *impl_;
  if (!is_person_event(kind_of(event.tag)) || event.target >= m.people.slots()) return;
  m.people.prefetch(event.target);
  if (m.output.keeps_events()) m.people.prefetch_id(event.target);
}

std::string Run::describe(const core::Event& event) const {
  const Impl& m = *impl_;
  switch (kind_of(event.tag)) {
    case EventKind::intake: return fmt::format("intake {}", event.target);
    case EventKind::census: return fmt::format("census period {}", event.target);
    case EventKind::arrival: return fmt::format("Poisson arrival on route {}", event.target);
    case EventKind::capacity_change: return fmt::format("pool capacity change {}", event.target);
    case EventKind::grant: return fmt::format("held grants of pool {}", event.target);
    case EventKind::year_end: return fmt::format("year end {}", event.target);
    default: break;
  }
  if (event.target < m.people.slots()) {
    const auto& p = m.people[event.target];
    if (p.state < 0) return fmt::format("a person who has left (slot {})", event.target);
    return fmt::format("person {} in state {}", m.people.id(event.target),
                       m.spec.states[static_cast<std::size_t>(p.state)].name);
  }
  return EventHandler::describe(event);
}

}  // namespace tsim::model
