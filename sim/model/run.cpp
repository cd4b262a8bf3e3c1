#include "sim/model/run.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <queue>

#include "sim/core/error.hpp"

namespace tsim::model {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint32_t kNobody = 0xFFFFFFFFu;

// Engine priorities at equal times: the census first (it reports the state
// just before its boundary day), then intakes, then people.
constexpr core::Priority kCensusPriority = 0;
constexpr core::Priority kIntakePriority = 10;
constexpr core::Priority kPersonPriority = 20;

// Event tags: person clocks use small numbers; global events the top range.
constexpr std::uint32_t kTagIntake = 0xFFFF0001u;
constexpr std::uint32_t kTagCensus = 0xFFFF0002u;
constexpr std::uint32_t kTagArrival = 0xFFFF0003u;
constexpr std::uint32_t kTagCapacity = 0xFFFF0004u;
constexpr std::uint32_t kPoissonIntake = 0xFFFF;

enum class PoolStatus : std::uint8_t { none, queued, holding };

// FTE is summed in millionths so census totals do not drift with the order
// of additions and removals.
constexpr double kFteUnit = 1e6;

struct Person {
  std::uint64_t key = 0;
  double entry_day = 0;
  double age_at_entry = 0;       // years
  double qualified_day = kNaN;
  double exit_day = kNaN;
  double state_since = 0;        // day the current state was entered (negative for stock tenure)
  double supervised_done = 0;    // supervised days in this state before the current spell
  double supervised_since = kNaN;
  double queued_since = kNaN;
  std::uint64_t queue_seq = 0;
  std::int64_t fte_units = 0;
  std::uint32_t version = 0;
  std::uint32_t moves = 0;       // state changes so far: the "visit" number of draws
  std::uint32_t combo = 0;       // census cell of this person's attributes
  std::int32_t route = -1;
  std::int16_t state = -1;
  std::int16_t entry_state = -1;
  std::int16_t exit_state = -1;
  std::int16_t qualified_state = -1;
  PoolStatus pool_status = PoolStatus::none;
  bool providing = false;
  bool in_free_stack = false;
  std::uint32_t supervisor = kNobody;  // provider holding this person's slot
  std::uint32_t sup_next = kNobody;    // siblings under the same provider
  std::uint32_t sup_prev = kNobody;
  std::uint32_t sup_head = kNobody;    // first person this provider supervises
  std::int32_t free_slots = 0;
};

struct PoolRuntime {
  std::int64_t capacity = 0;
  std::int64_t in_use = 0;
  std::int64_t fixed_free = 0;
  std::int64_t queued = 0;
  // Min-heap of (join sequence, person); entries are dropped lazily.
  std::priority_queue<std::pair<std::uint64_t, std::uint32_t>, std::vector<std::pair<std::uint64_t, std::uint32_t>>,
                      std::greater<>>
      queue;
  std::vector<std::uint32_t> free_providers;  // stack; stale entries dropped lazily
  std::int64_t period_grants = 0;
  double period_wait_sum = 0;
  double period_wait_max = 0;
};

struct CompiledMix {
  std::vector<core::AliasTable> attributes;
  const core::Distribution* age = nullptr;
  const core::Distribution* fte = nullptr;
};

struct CompiledTransition {
  const TransitionSpec* spec = nullptr;
  int index = 0;
  core::AliasTable branch;                       // default outcome probabilities
  std::vector<core::AliasTable> branch_by_level;  // per level of branch_attribute
};

}  // namespace

struct Run::Impl {
  const ScenarioSpec& spec;
  RunOptions options;
  core::Simulation sim;
  RunSink* sink = nullptr;

  std::vector<Person> people;
  std::vector<std::uint8_t> person_attrs;  // people.size() * attributes
  std::size_t n_attrs = 0;

  std::vector<std::vector<CompiledTransition>> out;  // per state, in declaration order
  std::vector<CompiledMix> route_mix, stock_mix;
  std::vector<PoolRuntime> pools;
  std::uint64_t next_queue_seq = 0;
  std::uint32_t entering = kNobody;  // the person whose state entry is in progress

  // Global intake list: (route, intake number) in time order.
  std::vector<std::pair<int, int>> intakes;

  // Census.
  std::vector<double> period_ends;
  std::vector<std::uint32_t> combo_radix;  // levels per census attribute
  std::uint32_t n_combos = 1;
  std::vector<std::int64_t> headcount;     // [state][combo]
  std::vector<std::int64_t> fte_units;     // [state][combo]
  std::vector<std::int64_t> flow_counts;   // [(from+1)][to][combo]
  std::vector<std::uint32_t> flow_touched;
  std::size_t n_states = 0;

  std::vector<EventRecord> event_buffer;
  RunSummary summary;
  std::vector<std::uint32_t> arrivals_so_far;  // per route, Poisson arrivals
  std::vector<std::vector<int>> modifiers_of;  // per transition: indices into spec.modifiers
  std::vector<std::int64_t> state_total;       // headcount per state, all census cells together
  std::vector<std::pair<int, std::size_t>> capacity_changes;  // (pool, change index), in day order

  Impl(const ScenarioSpec& s, RunOptions o)
      : spec(s), options(std::move(o)), sim(core::RandomStreams(options.master_seed, options.replication)) {}

  // ---- set-up -----------------------------------------------------------
  void compile() {
    n_states = spec.states.size();
    n_attrs = spec.attributes.size();
    out.resize(n_states);
    for (std::size_t i = 0; i < spec.transitions.size(); ++i) {
      const auto& t = spec.transitions[i];
      CompiledTransition ct;
      ct.spec = &t;
      ct.index = static_cast<int>(i);
      if (t.outcomes.size() > 1) {
        std::vector<double> p;
        for (const auto& o : t.outcomes) p.push_back(o.p);
        ct.branch = core::AliasTable(p);
        for (const auto& row : t.branch_p_by_level) ct.branch_by_level.emplace_back(row);
      }
      out[t.from].push_back(std::move(ct));
    }
    auto compile_mix = [&](const EntrantMix& m) {
      CompiledMix c;
      for (const auto& w : m.attribute_mix) c.attributes.emplace_back(w);
      c.age = &m.age_years;
      c.fte = &m.fte;
      return c;
    };
    for (const auto& r : spec.routes) route_mix.push_back(compile_mix(r.mix));
    for (const auto& s : spec.stock) stock_mix.push_back(compile_mix(s.mix));
    modifiers_of.resize(spec.transitions.size());
    for (std::size_t k = 0; k < spec.modifiers.size(); ++k)
      for (int t : spec.modifiers[k].transitions) modifiers_of[t].push_back(static_cast<int>(k));
    state_total.assign(spec.states.size(), 0);
    summary.person_days.assign(spec.states.size(), 0.0);
    summary.final_fte.assign(spec.states.size(), 0.0);
    for (std::size_t p = 0; p < spec.pools.size(); ++p)
      for (std::size_t k = 0; k < spec.pools[p].capacity_changes.size(); ++k) capacity_changes.emplace_back(p, k);
    std::stable_sort(capacity_changes.begin(), capacity_changes.end(), [&](auto a, auto b) {
      return spec.pools[a.first].capacity_changes[a.second].first < spec.pools[b.first].capacity_changes[b.second].first;
    });
    pools.resize(spec.pools.size());
    for (std::size_t p = 0; p < spec.pools.size(); ++p) {
      pools[p].capacity = spec.pools[p].fixed_capacity;
      pools[p].fixed_free = spec.pools[p].fixed_capacity;
    }
    for (std::size_t r = 0; r < spec.routes.size(); ++r)
      for (std::size_t i = 0; i < spec.routes[r].intakes.size(); ++i) intakes.emplace_back(r, i);
    std::stable_sort(intakes.begin(), intakes.end(), [&](auto a, auto b) {
      return spec.routes[a.first].intakes[a.second].day < spec.routes[b.first].intakes[b.second].day;
    });

    period_ends = core::period_ends(spec.start_date, spec.horizon_days, spec.census.every, spec.census.every_days);
    for (int a : spec.census.by) {
      const auto levels = a == kRouteAttribute ? spec.routes.size() + 1 : spec.attributes[a].levels.size();
      combo_radix.push_back(static_cast<std::uint32_t>(levels));
      n_combos *= static_cast<std::uint32_t>(levels);
    }
    headcount.assign(n_states * n_combos, 0);
    fte_units.assign(n_states * n_combos, 0);
    flow_counts.assign((n_states + 1) * n_states * n_combos, 0);
    event_buffer.reserve(1 << 16);
    // Everybody the scenario will ever create, so the people table never moves.
    std::size_t total = 0;
    for (const auto& st : spec.stock) total += static_cast<std::size_t>(st.count);
    for (const auto& r : spec.routes) {
      for (const auto& in : r.intakes)
        if (in.day < spec.horizon_days) total += static_cast<std::size_t>(in.places);
      total += static_cast<std::size_t>(1.1 * r.poisson_per_day * spec.horizon_days);  // a guess; it may grow
    }
    arrivals_so_far.assign(spec.routes.size(), 0);
    people.reserve(total);
    person_attrs.reserve(total * n_attrs);
    sim.reserve(total + 1024);  // about one pending event per person at most
    summary.final_headcount.assign(n_states, 0);
  }

  // ---- people -------------------------------------------------------------
  std::uint8_t attr(std::uint32_t id, std::size_t a) const { return person_attrs[id * n_attrs + a]; }

  std::uint32_t combo_of(std::uint32_t id) const {
    std::uint32_t c = 0;
    for (std::size_t i = 0; i < spec.census.by.size(); ++i) {
      const int a = spec.census.by[i];
      const std::uint32_t level = a == kRouteAttribute ? static_cast<std::uint32_t>(people[id].route + 1) : attr(id, a);
      c = c * combo_radix[i] + level;
    }
    return c;
  }

  double draw(const core::Distribution& d, std::uint64_t key, std::uint32_t purpose_code) const {
    if (const auto* fixed = std::get_if<core::Fixed>(&d)) return fixed->value;
    return core::quantile(d, sim.streams().uniform(key, purpose_code, 0));
  }

  std::uint32_t create_person(std::uint64_t key, const CompiledMix& mix, int route) {
    const auto id = static_cast<std::uint32_t>(people.size());
    if (people.size() >= 0x7FFFFFFFu) throw core::SimulationError("more than 2^31 people: person ids would overflow");
    Person p;
    p.key = key;
    p.entry_day = sim.now();
    p.route = route;
    const auto& rs = sim.streams();
    for (std::size_t a = 0; a < n_attrs; ++a) {
      const auto& table = mix.attributes[a];
      person_attrs.push_back(static_cast<std::uint8_t>(
          table.size() == 1 ? 0 : table.sample(rs.uniform(key, purpose::kAttribute | spec.attributes[a].purpose_index, 0))));
    }
    // A fixed value needs no draw; skipping it changes nothing, as every purpose has its own stream.
    p.age_at_entry = draw(*mix.age, key, purpose::kAge);
    const double fte = draw(*mix.fte, key, purpose::kFte);
    p.fte_units = std::llround(fte * kFteUnit);
    people.push_back(p);
    people.back().combo = combo_of(id);
    ++summary.persons;
    return id;
  }

  void record(std::uint32_t id, int event, int from, int to) {
    ++summary.records;
    if (options.record_level == RecordLevel::full) {
      event_buffer.push_back(EventRecord{sim.now(), static_cast<std::int32_t>(id), event, from, to});
      if (event_buffer.size() == event_buffer.capacity()) flush_events();
    }
  }

  void flush_events() {
    if (!event_buffer.empty()) sink->events(event_buffer);
    event_buffer.clear();
  }

  void count_move(const Person& p, int from, int to) {
    const std::size_t cell = static_cast<std::size_t>(p.combo);
    if (from >= 0) --state_total[static_cast<std::size_t>(from)];
    ++state_total[static_cast<std::size_t>(to)];
    if (from >= 0) {
      headcount[static_cast<std::size_t>(from) * n_combos + cell] -= 1;
      fte_units[static_cast<std::size_t>(from) * n_combos + cell] -= p.fte_units;
    }
    headcount[static_cast<std::size_t>(to) * n_combos + cell] += 1;
    fte_units[static_cast<std::size_t>(to) * n_combos + cell] += p.fte_units;
    const std::size_t f = ((static_cast<std::size_t>(from + 1)) * n_states + static_cast<std::size_t>(to)) * n_combos + cell;
    if (flow_counts[f]++ == 0) flow_touched.push_back(static_cast<std::uint32_t>(f));
  }

  // ---- clocks -------------------------------------------------------------
  double multiplier(std::uint32_t id, const TransitionSpec& t) const {
    double m = 1.0;
    for (const auto& r : t.ratios) m *= r.factor[attr(id, r.attribute)];
    return m;
  }

  bool supervised(const Person& p) const { return p.pool_status == PoolStatus::holding; }

  // Absolute day a transition would fire, given the person's situation now.
  double clock_time(std::uint32_t id, const CompiledTransition& ct) const {
    const Person& p = people[id];
    const TransitionSpec& t = *ct.spec;
    const auto& rs = sim.streams();
    const double tenure = std::fmax(0.0, -p.state_since);  // only initial stock starts with time in state
    switch (t.when) {
      case TransitionWhen::immediate:
        return p.state_since;
      case TransitionWhen::timed: {
        double u = rs.uniform(p.key, purpose::kDuration | static_cast<std::uint32_t>(ct.index), p.moves);
        if (tenure > 0.0) {
          // Stock already spent `tenure` days here: draw the duration given it exceeds that.
          const double f0 = core::cdf(t.duration, tenure);
          if (f0 < 1.0) u = f0 + u * (1.0 - f0);
        }
        const double d = core::quantile(t.duration, u);
        if (t.supervised_only) return supervised(p) ? p.supervised_since + (d - p.supervised_done) : kInf;
        return p.state_since + d;
      }
      case TransitionWhen::hazard: {
        const double target = -std::log(rs.uniform(p.key, purpose::kHazard | static_cast<std::uint32_t>(ct.index), p.moves));
        const double m = multiplier(id, t);
        if (t.supervised_only) {
          if (!supervised(p)) return kInf;
          return p.supervised_since + (t.hazard.time_to(0.0, target, m) - p.supervised_done);
        }
        const double start = std::fmax(p.state_since, 0.0);
        const double c0 = t.hazard.clock == Hazard::Clock::age
                              ? p.age_at_entry * core::kDaysPerYear + (start - p.entry_day)
                              : start - p.state_since;
        if (modifiers_of[ct.index].empty()) return start + t.hazard.time_to(c0, target, m);
        return start + time_with_modifiers(id, ct.index, t.hazard, start, c0, target, m);
      }
    }
    return kInf;
  }

  // Inverse cumulative hazard when modifiers make the multiplier piecewise
  // constant in time: walk the pieces, spending the same unit-exponential
  // target. Returns days after `start`.
  double time_with_modifiers(std::uint32_t id, int transition, const Hazard& h, double start, double c0, double target,
                             double base_multiplier) const {
    const Person& p = people[id];
    std::vector<double> edges;
    std::vector<const Modifier*> active;
    for (int k : modifiers_of[transition]) {
      const Modifier& mod = spec.modifiers[k];
      bool applies = true;
      for (const auto& [attribute, levels] : mod.only) applies = applies && levels[attr(id, attribute)];
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

  // Picks the earliest of the person's clocks and schedules only that one.
  void schedule_next(std::uint32_t id) {
    Person& p = people[id];
    ++p.version;
    if (p.state < 0 || spec.states[p.state].kind == StateKind::exit) return;
    const auto& clocks = out[p.state];
    double best = kInf;
    std::uint32_t tag = 0;
    for (std::size_t k = 0; k < clocks.size(); ++k) {
      const double t = clock_time(id, clocks[k]);
      if (t < best) {
        best = t;
        tag = static_cast<std::uint32_t>(k);
      }
    }
    const auto& st = spec.states[p.state];
    if (p.pool_status == PoolStatus::queued) {
      const auto& pool = spec.pools[st.needs_pool];
      const double t = p.queued_since + pool.renege_after_days;
      if (pool.renege_to != kNone && t < best) {
        best = t;
        tag = static_cast<std::uint32_t>(clocks.size());
      }
    }
    if (st.provides.pool != kNone && !p.providing) {
      const double t = p.state_since + st.provides.after_days;
      if (t < best) {
        best = t;
        tag = static_cast<std::uint32_t>(clocks.size() + 1);
      }
    }
    if (best < spec.horizon_days) sim.schedule(std::fmax(best, sim.now()), kPersonPriority, id, tag, p.version);
  }

  // ---- pools --------------------------------------------------------------
  void join_queue(std::uint32_t id, int pool_index, std::uint64_t seq) {
    Person& p = people[id];
    PoolRuntime& pool = pools[pool_index];
    p.pool_status = PoolStatus::queued;
    p.queued_since = sim.now();
    p.queue_seq = seq;
    pool.queue.emplace(seq, id);
    ++pool.queued;
  }

  bool take_slot(PoolRuntime& pool, std::uint32_t& provider) {
    if (pool.fixed_free > 0) {
      --pool.fixed_free;
      provider = kNobody;
      return true;
    }
    while (!pool.free_providers.empty()) {
      const std::uint32_t v = pool.free_providers.back();
      Person& q = people[v];
      if (q.providing && q.free_slots > 0) {
        if (--q.free_slots == 0) {
          pool.free_providers.pop_back();
          q.in_free_stack = false;
        }
        provider = v;
        return true;
      }
      pool.free_providers.pop_back();
      q.in_free_stack = false;
    }
    return false;
  }

  // The person now holds a slot; one of a provider's goes on that provider's list.
  void hold_slot(std::uint32_t id, std::uint32_t provider) {
    Person& p = people[id];
    p.pool_status = PoolStatus::holding;
    p.supervisor = provider;
    if (provider == kNobody) return;
    Person& v = people[provider];
    p.sup_prev = kNobody;
    p.sup_next = v.sup_head;
    if (v.sup_head != kNobody) people[v.sup_head].sup_prev = id;
    v.sup_head = id;
  }

  void try_grant(int pool_index) {
    PoolRuntime& pool = pools[pool_index];
    while (pool.queued > 0) {
      const auto [seq, id] = pool.queue.top();
      Person& p = people[id];
      if (p.pool_status != PoolStatus::queued || p.queue_seq != seq ||
          spec.states[p.state].needs_pool != pool_index) {
        pool.queue.pop();  // stale: they left the queue
        continue;
      }
      std::uint32_t provider = kNobody;
      if (!take_slot(pool, provider)) return;
      pool.queue.pop();
      --pool.queued;
      ++pool.in_use;
      hold_slot(id, provider);
      const double wait = sim.now() - p.queued_since;
      ++pool.period_grants;
      pool.period_wait_sum += wait;
      pool.period_wait_max = std::fmax(pool.period_wait_max, wait);
      p.supervised_since = sim.now();
      record(id, spec.pools[pool_index].granted_event, p.state, p.state);
      if (id != entering) schedule_next(id);
    }
  }

  void release_slot(std::uint32_t id, int pool_index) {
    Person& p = people[id];
    PoolRuntime& pool = pools[pool_index];
    --pool.in_use;
    if (p.supervisor == kNobody) {
      ++pool.fixed_free;
    } else {
      Person& v = people[p.supervisor];
      if (p.sup_prev != kNobody) people[p.sup_prev].sup_next = p.sup_next;
      else v.sup_head = p.sup_next;
      if (p.sup_next != kNobody) people[p.sup_next].sup_prev = p.sup_prev;
      if (v.providing && v.free_slots++ == 0 && !v.in_free_stack) {
        pool.free_providers.push_back(p.supervisor);
        v.in_free_stack = true;
      }
    }
    p.supervisor = p.sup_next = p.sup_prev = kNobody;
    p.pool_status = PoolStatus::none;
  }

  void start_providing(std::uint32_t id) {
    Person& p = people[id];
    const Provision& prov = spec.states[p.state].provides;
    PoolRuntime& pool = pools[prov.pool];
    p.providing = true;
    p.free_slots = prov.slots;
    p.sup_head = kNobody;
    pool.capacity += prov.slots;
    if (prov.slots > 0 && !p.in_free_stack) {
      pool.free_providers.push_back(id);
      p.in_free_stack = true;
    }
    try_grant(prov.pool);
  }

  // The provider leaves their providing state: their supervisees lose their
  // slot, go back to the queue in their original order, and their training
  // clocks pause.
  void stop_providing(std::uint32_t id) {
    Person& v = people[id];
    const Provision& prov = spec.states[v.state].provides;
    PoolRuntime& pool = pools[prov.pool];
    v.providing = false;
    v.free_slots = 0;
    pool.capacity -= prov.slots;
    std::uint32_t s = v.sup_head;
    v.sup_head = kNobody;
    while (s != kNobody) {
      Person& q = people[s];
      const std::uint32_t next = q.sup_next;
      q.supervisor = q.sup_next = q.sup_prev = kNobody;
      --pool.in_use;
      if (spec.states[q.state].needs_pool != prov.pool) {
        // They fill a post rather than wait for one: they keep a place.
        occupy(s, prov.pool);
        s = next;
        continue;
      }
      q.supervised_done += sim.now() - q.supervised_since;
      q.supervised_since = kNaN;
      join_queue(s, prov.pool, q.queue_seq);
      record(s, spec.pools[prov.pool].lost_event, q.state, q.state);
      schedule_next(s);
      s = next;
    }
    try_grant(prov.pool);
  }

  // ---- moves --------------------------------------------------------------
  static int pool_of(const StateSpec& st) { return st.needs_pool != kNone ? st.needs_pool : st.occupies_pool; }

  // Takes a slot for someone who must have one (a funded post they fill);
  // beyond capacity the post is over establishment until someone leaves.
  void occupy(std::uint32_t id, int pool_index) {
    PoolRuntime& pool = pools[pool_index];
    std::uint32_t provider = kNobody;
    if (!take_slot(pool, provider)) --pool.fixed_free;
    ++pool.in_use;
    hold_slot(id, provider);
  }

  void leave_state(std::uint32_t id, int to) {
    Person& p = people[id];
    const auto& st = spec.states[p.state];
    const int pool = pool_of(st);
    if (p.pool_status == PoolStatus::queued) {
      p.pool_status = PoolStatus::none;
      --pools[pool].queued;
    } else if (p.pool_status == PoolStatus::holding) {
      // Promotion into a post that fills the same pool keeps the slot.
      if (!(to >= 0 && spec.states[to].occupies_pool == pool)) {
        release_slot(id, pool);
        try_grant(pool);
      }
    }
    if (p.providing) stop_providing(id);
  }

  void enter_state(std::uint32_t id, int state, double state_since) {
    entering = id;
    {
      Person& p = people[id];
      p.state = static_cast<std::int16_t>(state);
      p.state_since = state_since;
      p.supervised_done = std::fmax(0.0, -state_since);
      p.supervised_since = kNaN;
      const auto& st = spec.states[state];
      if (st.qualified && std::isnan(p.qualified_day)) {
        p.qualified_day = state_since;
        p.qualified_state = static_cast<std::int16_t>(state);
      }
      if (st.kind == StateKind::exit) {
        p.exit_day = sim.now();
        p.exit_state = static_cast<std::int16_t>(state);
        ++p.version;  // drops any pending event
        entering = kNobody;
        return;
      }
      if (st.needs_pool != kNone) {
        join_queue(id, st.needs_pool, next_queue_seq++);
        try_grant(st.needs_pool);
      }
      if (st.occupies_pool != kNone && p.pool_status != PoolStatus::holding) occupy(id, st.occupies_pool);
    }
    const auto& st = spec.states[state];
    if (st.provides.pool != kNone && sim.now() - state_since >= st.provides.after_days) start_providing(id);
    entering = kNobody;
    schedule_next(id);
  }

  void move(std::uint32_t id, int to, int event) {
    const int from = people[id].state;
    summary.person_days[from] += sim.now() - std::fmax(people[id].state_since, 0.0);
    leave_state(id, to);
    Person& p = people[id];
    ++p.moves;
    record(id, event, from, to);
    count_move(p, from, to);
    enter_state(id, to, sim.now());
  }

  void arrive(std::uint32_t id, int state, int event, double state_since) {
    record(id, event, -1, state);
    people[id].entry_state = static_cast<std::int16_t>(state);
    count_move(people[id], -1, state);
    enter_state(id, state, state_since);
  }

  void fire(std::uint32_t id, const CompiledTransition& ct) {
    const TransitionSpec& t = *ct.spec;
    std::size_t k = 0;
    if (t.outcomes.size() > 1) {
      const Person& p = people[id];
      const double u = sim.streams().uniform(p.key, purpose::kBranch | static_cast<std::uint32_t>(ct.index), p.moves);
      const auto& table = t.branch_attribute == kNone ? ct.branch : ct.branch_by_level[attr(id, t.branch_attribute)];
      k = table.sample(u);
    }
    move(id, t.outcomes[k].to, t.outcomes[k].event);
  }

  // ---- global events ------------------------------------------------------
  void run_intake(std::size_t n) {
    const auto [r, i] = intakes[n];
    const RouteSpec& route = spec.routes[r];
    const Intake& intake = route.intakes[i];
    std::int64_t places = intake.places;
    if (intake.establishment >= 0) {
      // Pull: fill the vacancies of the funded establishment on the day.
      std::int64_t filled = 0;
      for (int s : intake.counts) filled += state_total[static_cast<std::size_t>(s)];
      places = std::max<std::int64_t>(0, intake.establishment - filled);
    }
    for (std::int64_t place = 0; place < places; ++place) {
      const auto id = create_person(person_key(route.key_source, static_cast<std::uint32_t>(i),
                                               static_cast<std::uint32_t>(place)),
                                    route_mix[r], r);
      arrive(id, route.enters, route.event, sim.now());
    }
  }

  // Poisson arrivals: each arrival schedules the next, exponential gaps drawn
  // from the route's own stream so other processes never shift them.
  void schedule_arrival(std::size_t r) {
    const auto& route = spec.routes[r];
    const std::uint64_t subject = person_key(route.key_source, kPoissonIntake, 0xFFFFFFFFu);
    const double u = sim.streams().uniform(subject, purpose::kArrival, arrivals_so_far[r]);
    const double t = sim.now() - std::log(u) / route.poisson_per_day;
    if (t < spec.horizon_days) sim.schedule(t, kIntakePriority, static_cast<std::uint32_t>(r), kTagArrival);
  }

  void poisson_arrival(std::size_t r) {
    const RouteSpec& route = spec.routes[r];
    const auto id = create_person(person_key(route.key_source, kPoissonIntake, arrivals_so_far[r]++),
                                  route_mix[r], static_cast<int>(r));
    arrive(id, route.enters, route.event, sim.now());
    schedule_arrival(r);
  }

  void change_capacity(std::size_t n) {
    const auto [pool_index, k] = capacity_changes[n];
    const std::int64_t slots = spec.pools[pool_index].capacity_changes[k].second;
    pools[pool_index].capacity += slots;
    pools[pool_index].fixed_free += slots;  // may go negative: slots in use are not taken away, just not re-issued
    try_grant(pool_index);
  }

  void create_stock() {
    for (std::size_t s = 0; s < spec.stock.size(); ++s) {
      const StockSpec& entry = spec.stock[s];
      for (std::int64_t row = 0; row < entry.count; ++row) {
        const auto key = person_key(entry.key_source, 0, static_cast<std::uint32_t>(row));
        const auto id = create_person(key, stock_mix[s], -1);
        const double tenure = draw(entry.tenure_days, key, purpose::kTenure);
        arrive(id, entry.state, spec.stock_event, -std::fmax(0.0, tenure));
      }
    }
  }

  void take_census(std::size_t period) {
    const double end = period_ends[period];
    const auto p32 = static_cast<std::int32_t>(period);
    const std::size_t n_by = spec.census.by.size();
    auto decode = [&](std::uint32_t combo, std::vector<std::vector<std::int32_t>>& by) {
      for (std::size_t i = n_by; i-- > 0;) {
        auto level = static_cast<std::int32_t>(combo % combo_radix[i]);
        combo /= combo_radix[i];
        if (spec.census.by[i] == kRouteAttribute) level -= 1;  // -1 = initial stock
        by[i].push_back(level);
      }
    };
    {
      CensusBatch c;
      c.by.resize(n_by);
      for (std::size_t s = 0; s < n_states; ++s)
        for (std::uint32_t k = 0; k < n_combos; ++k) {
          const auto h = headcount[s * n_combos + k];
          if (h == 0) continue;
          c.period.push_back(p32);
          c.period_end_day.push_back(end);
          c.state.push_back(static_cast<std::int32_t>(s));
          decode(k, c.by);
          c.headcount.push_back(static_cast<std::int32_t>(h));
          c.fte.push_back(static_cast<double>(fte_units[s * n_combos + k]) / kFteUnit);
        }
      sink->census(c);
    }
    FlowBatch f;
    f.by.resize(n_by);
    std::sort(flow_touched.begin(), flow_touched.end());
    for (const auto idx : flow_touched) {
      const auto combo = idx % n_combos;
      const auto to = (idx / n_combos) % n_states;
      const auto from1 = idx / n_combos / n_states;
      f.period.push_back(p32);
      f.from_state.push_back(static_cast<std::int32_t>(from1) - 1);
      f.to_state.push_back(static_cast<std::int32_t>(to));
      decode(combo, f.by);
      f.count.push_back(static_cast<std::int32_t>(flow_counts[idx]));
      flow_counts[idx] = 0;
    }
    flow_touched.clear();
    sink->flows(f);
    PoolBatch pb;
    for (std::size_t i = 0; i < pools.size(); ++i) {
      PoolRuntime& pool = pools[i];
      pb.period.push_back(p32);
      pb.pool.push_back(static_cast<std::int32_t>(i));
      pb.capacity.push_back(static_cast<std::int32_t>(pool.capacity));
      pb.in_use.push_back(static_cast<std::int32_t>(pool.in_use));
      pb.queue_length.push_back(static_cast<std::int32_t>(pool.queued));
      pb.granted.push_back(static_cast<std::int32_t>(pool.period_grants));
      pb.mean_wait_days.push_back(pool.period_grants ? pool.period_wait_sum / static_cast<double>(pool.period_grants) : kNaN);
      pb.max_wait_days.push_back(pool.period_grants ? pool.period_wait_max : kNaN);
      pool.period_grants = 0;
      pool.period_wait_sum = 0;
      pool.period_wait_max = 0;
    }
    sink->pools(pb);
    if (options.progress) options.progress(std::fmin(1.0, end / spec.horizon_days));
  }

  // Persons go out in chunks so the table is never held twice in memory.
  void write_persons() {
    constexpr std::size_t kRows = 1 << 16;
    PersonBatch b;
    b.attributes.resize(n_attrs);
    for (std::size_t start = 0; start < people.size(); start += kRows) {
      const std::size_t end = std::min(people.size(), start + kRows);
      b.person_id.clear();
      for (auto& col : b.attributes) col.clear();
      b.route.clear();
      b.is_initial_stock.clear();
      b.entry_day.clear();
      b.entry_state.clear();
      b.age_at_entry.clear();
      b.fte.clear();
      b.qualified_day.clear();
      b.qualified_state.clear();
      b.exit_day.clear();
      b.exit_state.clear();
      for (std::size_t i = start; i < end; ++i) {
        const Person& p = people[i];
        b.person_id.push_back(static_cast<std::int32_t>(i));
        for (std::size_t a = 0; a < n_attrs; ++a) b.attributes[a].push_back(attr(static_cast<std::uint32_t>(i), a));
        b.route.push_back(p.route);
        b.is_initial_stock.push_back(p.route < 0 ? 1 : 0);
        b.entry_day.push_back(p.entry_day);
        b.entry_state.push_back(p.entry_state);
        b.age_at_entry.push_back(p.age_at_entry);
        b.fte.push_back(static_cast<double>(p.fte_units) / kFteUnit);
        b.qualified_day.push_back(p.qualified_day);
        b.qualified_state.push_back(p.qualified_state);
        b.exit_day.push_back(p.exit_day);
        b.exit_state.push_back(p.exit_state);
      }
      sink->persons(b);
    }
  }
};

Run::Run(const ScenarioSpec& spec, RunOptions options) : impl_(std::make_unique<Impl>(spec, std::move(options))) {
  impl_->compile();
  impl_->sim.set_stop_flag(impl_->options.stop);
}
Run::~Run() = default;

RunSummary Run::execute(RunSink& sink) {
  Impl& m = *impl_;
  m.sink = &sink;
  m.create_stock();
  for (std::size_t n = 0; n < m.intakes.size(); ++n) {
    const double day = m.spec.routes[m.intakes[n].first].intakes[m.intakes[n].second].day;
    if (day < m.spec.horizon_days) m.sim.schedule(day, kIntakePriority, static_cast<std::uint32_t>(n), kTagIntake);
  }
  for (std::size_t r = 0; r < m.spec.routes.size(); ++r)
    if (m.spec.routes[r].poisson_per_day > 0) m.schedule_arrival(r);
  for (std::size_t n = 0; n < m.capacity_changes.size(); ++n) {
    const double day = m.spec.pools[m.capacity_changes[n].first].capacity_changes[m.capacity_changes[n].second].first;
    if (day < m.spec.horizon_days) m.sim.schedule(std::fmax(day, 0.0), kIntakePriority, static_cast<std::uint32_t>(n), kTagCapacity);
  }
  for (std::size_t k = 0; k + 1 < m.period_ends.size(); ++k)
    m.sim.schedule(m.period_ends[k], kCensusPriority, static_cast<std::uint32_t>(k), kTagCensus);
  const auto stats = m.sim.run_until(m.spec.horizon_days, *this);
  m.take_census(m.period_ends.size() - 1);  // the horizon closes the last period
  m.flush_events();
  if (m.options.record_level != RecordLevel::summary) m.write_persons();
  m.summary.events_handled = stats.events_handled;
  for (std::size_t s = 0; s < m.n_states; ++s)
    for (std::uint32_t k = 0; k < m.n_combos; ++k) {
      m.summary.final_headcount[s] += m.headcount[s * m.n_combos + k];
      m.summary.final_fte[s] += static_cast<double>(m.fte_units[s * m.n_combos + k]) / kFteUnit;
    }
  for (const Person& p : m.people)
    if (p.state >= 0 && m.spec.states[p.state].kind != StateKind::exit)
      m.summary.person_days[p.state] += m.spec.horizon_days - std::fmax(p.state_since, 0.0);
  return m.summary;
}

void Run::handle(core::Simulation&, const core::Event& event) {
  Impl& m = *impl_;
  if (event.tag == kTagIntake) return m.run_intake(event.target);
  if (event.tag == kTagCensus) return m.take_census(event.target);
  if (event.tag == kTagArrival) return m.poisson_arrival(event.target);
  if (event.tag == kTagCapacity) return m.change_capacity(event.target);
  const std::uint32_t id = event.target;
  Person& p = m.people[id];
  if (event.version != p.version) return;  // stale: the person's situation changed since
  const auto& clocks = m.out[p.state];
  if (event.tag < clocks.size()) return m.fire(id, clocks[event.tag]);
  const auto& st = m.spec.states[p.state];
  if (event.tag == clocks.size()) {
    const auto& pool = m.spec.pools[st.needs_pool];
    return m.move(id, pool.renege_to, pool.renege_event);
  }
  m.start_providing(id);
  m.schedule_next(id);
}

std::string Run::describe(const core::Event& event) const {
  const Impl& m = *impl_;
  if (event.tag == kTagIntake) return fmt::format("intake {}", event.target);
  if (event.tag == kTagCensus) return fmt::format("census period {}", event.target);
  if (event.tag == kTagArrival) return fmt::format("Poisson arrival on route {}", event.target);
  if (event.tag == kTagCapacity) return fmt::format("pool capacity change {}", event.target);
  if (event.target < m.people.size()) {
    const auto& p = m.people[event.target];
    return fmt::format("person {} in state {}", event.target, p.state >= 0 ? m.spec.states[p.state].name : "?");
  }
  return EventHandler::describe(event);
}

}  // namespace tsim::model
