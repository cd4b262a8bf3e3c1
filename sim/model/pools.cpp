#include "sim/model/pools.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <stdexcept>

namespace tsim::model {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Queue places ahead whose person record starts loading while one is granted.
constexpr std::size_t kGrantPrefetchAhead = 4;
}

Pools::Pools(const ScenarioSpec& spec, People& people, const core::Simulation& sim, PoolListener& listener)
    : spec_(spec), people_(people), sim_(sim), listener_(listener), pools_(spec.pools.size()) {
  for (std::size_t p = 0; p < spec.pools.size(); ++p) {
    pools_[p].capacity = pools_[p].fixed = pools_[p].fixed_free = spec.pools[p].fixed_capacity;
  }
}

void Pools::enter(std::uint32_t id, int state) {
  const StateSpec& st = spec_.states[static_cast<std::size_t>(state)];
  if (st.needs_pool != kNone) {
    join_queue(id, st.needs_pool, queue_key(id, st.needs_pool, next_queue_seq_++));
    try_grant(st.needs_pool);
  }
  if (st.occupies_pool != kNone && people_[id].pool_status != PoolStatus::holding) occupy(id, st.occupies_pool);
}

void Pools::leave(std::uint32_t id, int to) {
  Person& p = people_[id];
  const int pool = pool_of(spec_.states[static_cast<std::size_t>(p.state)]);
  if (p.pool_status == PoolStatus::queued) {
    p.pool_status = PoolStatus::none;
    --pools_[static_cast<std::size_t>(pool)].queued;
  } else if (p.pool_status == PoolStatus::holding) {
    // Promotion into a post that fills the same pool keeps the slot.
    if (!(to >= 0 && spec_.states[static_cast<std::size_t>(to)].occupies_pool == pool)) {
      release_slot(id, pool);
      try_grant(pool);
    }
  }
  if (p.providing()) stop_providing(id);
}

std::uint64_t Pools::queue_key(std::uint32_t id, int pool_index, std::uint64_t seq) const {
  const PoolSpec& pool = spec_.pools[static_cast<std::size_t>(pool_index)];
  if (pool.discipline == QueueDiscipline::fifo) return seq;
  const std::size_t level = pool.priority_by == kRouteAttribute
                                ? static_cast<std::size_t>(people_.basics(id).route + 1)
                                : people_.attr(id, static_cast<std::size_t>(pool.priority_by));
  return (std::uint64_t{pool.priority_rank[level]} << kSequenceBits) | seq;
}

void Pools::join_queue(std::uint32_t id, int pool_index, std::uint64_t seq) {
  Person& p = people_[id];
  Runtime& pool = pools_[static_cast<std::size_t>(pool_index)];
  p.pool_status = PoolStatus::queued;
  p.pool_since = sim_.now();
  p.queue_seq = seq;
  ++p.queue_joins;
  pool.queue.push(seq, id);
  ++pool.queued;
}

// A free slot: a fixed one first, else one of a provider's (last listed first).
bool Pools::take_slot(Runtime& pool, std::uint32_t& provider) {
  if (pool.fixed_free > 0) {
    --pool.fixed_free;
    provider = kNobody;
    return true;
  }
  while (!pool.free_providers.empty()) {
    const std::uint32_t v = pool.free_providers.back();
    ProviderLinks& q = people_.links(v);
    if (people_[v].providing() && q.free_slots > 0) {
      if (--q.free_slots == 0) {
        pool.free_providers.pop_back();
        q.in_free_stack = false;
        people_.unlisted(v);
      }
      provider = v;
      return true;
    }
    pool.free_providers.pop_back();
    q.in_free_stack = false;
    people_.unlisted(v);  // a leaver's slot can be reused now
  }
  return false;
}

// The person now holds a slot; one of a provider's goes on that provider's list.
void Pools::hold_slot(std::uint32_t id, std::uint32_t provider) {
  people_[id].pool_status = PoolStatus::holding;
  if (provider == kNobody) {
    if (people_.has_providers()) people_.links(id).supervisor = kNobody;
    return;
  }
  ProviderLinks& p = people_.links(id);
  ProviderLinks& v = people_.links(provider);
  p.supervisor = provider;
  p.sup_prev = kNobody;
  p.sup_next = v.sup_head;
  if (v.sup_head != kNobody) people_.links(v.sup_head).sup_prev = id;
  v.sup_head = id;
}

// Grants free slots to the queue in FIFO order.
void Pools::try_grant(int pool_index) {
  Runtime& pool = pools_[static_cast<std::size_t>(pool_index)];
  if (pool.grants_held) return;
  while (pool.queued > 0) {
    // No slot free: the queue waits. Checked before the queue's head, whose
    // person record is a cache miss; stale heads are dropped on a later call
    // instead, which grants nobody differently.
    if (pool.fixed_free <= 0 && pool.free_providers.empty()) return;
    const auto [seq, id] = pool.queue.top();
    if (const std::uint32_t later = pool.queue.ahead(kGrantPrefetchAhead); later != kNobody) people_.prefetch(later);
    const Person& p = people_[id];
    if (p.pool_status != PoolStatus::queued || p.queue_seq != seq ||
        spec_.states[static_cast<std::size_t>(p.state)].needs_pool != pool_index) {
      pool.queue.pop();  // stale: they left the queue
      continue;
    }
    std::uint32_t provider = kNobody;
    if (!take_slot(pool, provider)) return;
    pool.queue.pop();
    grant(pool_index, id, provider);
  }
}

void Pools::grant(int pool_index, std::uint32_t id, std::uint32_t provider) {
  Runtime& pool = pools_[static_cast<std::size_t>(pool_index)];
  accrue(pool);
  --pool.queued;
  ++pool.in_use;
  hold_slot(id, provider);
  Person& p = people_[id];
  const double wait = sim_.now() - p.pool_since;
  ++pool.period_grants;
  pool.period_wait_sum += wait;
  pool.period_wait_max = std::fmax(pool.period_wait_max, wait);
  p.pool_since = sim_.now();  // the supervised spell begins
  listener_.slot_granted(id, pool_index);
}

void Pools::release_slot(std::uint32_t id, int pool_index) {
  Person& p = people_[id];
  Runtime& pool = pools_[static_cast<std::size_t>(pool_index)];
  accrue(pool);
  --pool.in_use;
  p.pool_status = PoolStatus::none;
  const std::uint32_t provider = people_.supervisor(id);
  if (provider == kNobody) {
    if (spec_.pools[static_cast<std::size_t>(pool_index)].consumed) {
      --pool.fixed;  // a labour pool's candidate is hired, not handed back
      --pool.capacity;
    } else {
      ++pool.fixed_free;
    }
    return;
  }
  ProviderLinks& l = people_.links(id);
  ProviderLinks& v = people_.links(provider);
  if (l.sup_prev != kNobody) people_.links(l.sup_prev).sup_next = l.sup_next;
  else v.sup_head = l.sup_next;
  if (l.sup_next != kNobody) people_.links(l.sup_next).sup_prev = l.sup_prev;
  if (people_[provider].providing() && v.free_slots++ == 0 && !v.in_free_stack) {
    pool.free_providers.push_back(provider);
    v.in_free_stack = true;
  }
  l.supervisor = l.sup_next = l.sup_prev = kNobody;
}

// Takes a slot for someone who must have one (a funded post they fill);
// beyond capacity the post is over establishment until someone leaves.
void Pools::occupy(std::uint32_t id, int pool_index) {
  Runtime& pool = pools_[static_cast<std::size_t>(pool_index)];
  std::uint32_t provider = kNobody;
  accrue(pool);
  if (!take_slot(pool, provider)) --pool.fixed_free;
  ++pool.in_use;
  hold_slot(id, provider);
}

void Pools::start_providing(std::uint32_t id) {
  Person& p = people_[id];
  const Provision& prov = spec_.states[static_cast<std::size_t>(p.state)].provides;
  Runtime& pool = pools_[static_cast<std::size_t>(prov.pool)];
  p.set(Person::kProviding, true);
  ProviderLinks& l = people_.links(id);
  l.free_slots = prov.slots;
  l.sup_head = kNobody;
  accrue(pool);
  pool.capacity += prov.slots;
  if (prov.slots > 0 && !l.in_free_stack) {
    pool.free_providers.push_back(id);
    l.in_free_stack = true;
  }
  try_grant(prov.pool);
}

// The provider leaves their providing state: their supervisees lose their
// slot, go back to the queue in their original order, and their training
// clocks pause.
void Pools::stop_providing(std::uint32_t id) {
  Person& v = people_[id];
  const Provision& prov = spec_.states[static_cast<std::size_t>(v.state)].provides;
  Runtime& pool = pools_[static_cast<std::size_t>(prov.pool)];
  v.set(Person::kProviding, false);
  ProviderLinks& vl = people_.links(id);
  vl.free_slots = 0;
  accrue(pool);
  pool.capacity -= prov.slots;
  std::uint32_t s = vl.sup_head;
  vl.sup_head = kNobody;
  while (s != kNobody) {
    Person& q = people_[s];
    ProviderLinks& ql = people_.links(s);
    const std::uint32_t next = ql.sup_next;
    ql.supervisor = ql.sup_next = ql.sup_prev = kNobody;
    --pool.in_use;
    if (spec_.states[static_cast<std::size_t>(q.state)].needs_pool != prov.pool) {
      occupy(s, prov.pool);  // they fill a post rather than wait for one: they keep a place
      s = next;
      continue;
    }
    listener_.spell_ending(s);
    q.supervised_done += sim_.now() - q.pool_since;
    q.pool_since = kNaN;
    join_queue(s, prov.pool, q.queue_seq);
    listener_.slot_lost(s, prov.pool);
    s = next;
  }
  if (!pool.grants_held) {
    pool.grants_held = true;
    listener_.grants_held(prov.pool);
  }
}

void Pools::release_held_grants(int pool_index) {
  pools_[static_cast<std::size_t>(pool_index)].grants_held = false;
  try_grant(pool_index);
}

void Pools::change_capacity(int pool_index, std::int64_t slots) {
  Runtime& pool = pools_[static_cast<std::size_t>(pool_index)];
  accrue(pool);
  apply_idle_leaving(pool_index);
  pool.capacity += slots;
  pool.fixed += slots;
  pool.fixed_free += slots;  // may go negative: slots in use are not taken away, just not re-issued
  try_grant(pool_index);
}

// Each unused candidate leaves at hazard mu per day, so of the n unused now
// n (1 - exp(-mu dt)) are expected to have left since the last change; the
// expected number accrues and whole candidates leave (deterministic: no
// random numbers, and the fraction carries to the next change).
void Pools::apply_idle_leaving(int pool_index) {
  const double mu = spec_.pools[static_cast<std::size_t>(pool_index)].idle_leaving_per_day;
  Runtime& pool = pools_[static_cast<std::size_t>(pool_index)];
  const double now = sim_.now();
  if (mu > 0 && pool.fixed_free > 0)
    pool.leaving_due += static_cast<double>(pool.fixed_free) * -std::expm1(-mu * (now - pool.leaving_from));
  pool.leaving_from = now;
  const auto gone = std::min(pool.fixed_free > 0 ? pool.fixed_free : 0, static_cast<std::int64_t>(pool.leaving_due));
  if (gone <= 0) return;
  pool.leaving_due -= static_cast<double>(gone);
  pool.fixed -= gone;
  pool.fixed_free -= gone;
  pool.capacity -= gone;
  // Candidates who are not there cannot leave later: keep only the fraction.
  if (pool.fixed_free == 0) pool.leaving_due = std::fmod(pool.leaving_due, 1.0);
}

void Pools::accrue(Runtime& pool) {
  const double now = sim_.now();
  const double dt = now - pool.accrued_to;
  if (dt <= 0) return;
  pool.period_slot_days_in_use += static_cast<double>(pool.in_use) * dt;
  pool.period_slot_days_available += static_cast<double>(pool.capacity) * dt;
  pool.accrued_to = now;
}

void Pools::write_period(std::int32_t period, TableBatch& rows) {
  namespace c = cols::pools;
  for (std::size_t i = 0; i < pools_.size(); ++i) {
    Runtime& pool = pools_[i];
    accrue(pool);
    rows[c::period].push_back(period);
    rows[c::pool].push_back(static_cast<std::int32_t>(i));
    rows[c::capacity].push_back(static_cast<std::int32_t>(pool.capacity));
    rows[c::in_use].push_back(static_cast<std::int32_t>(pool.in_use));
    rows[c::queue_length].push_back(static_cast<std::int32_t>(pool.queued));
    rows[c::granted].push_back(static_cast<std::int32_t>(pool.period_grants));
    const bool any = pool.period_grants > 0;
    rows[c::mean_wait_days].push_back(any ? pool.period_wait_sum / static_cast<double>(pool.period_grants) : kNaN);
    rows[c::max_wait_days].push_back(any ? pool.period_wait_max : kNaN);
    rows[c::slot_days_in_use].push_back(pool.period_slot_days_in_use);
    rows[c::slot_days_available].push_back(pool.period_slot_days_available);
    pool.period_grants = 0;
    pool.period_wait_sum = 0;
    pool.period_wait_max = 0;
    pool.period_slot_days_in_use = 0;
    pool.period_slot_days_available = 0;
  }
}

void Pools::check_invariants() const {
  const std::size_t n = pools_.size();
  std::vector<std::int64_t> queued(n, 0), holding(n, 0), fixed_holders(n, 0), provided(n, 0);
  for (std::uint32_t id = 0; id < people_.slots(); ++id) {
    const Person& p = people_[id];
    if (p.state < 0 || spec_.states[static_cast<std::size_t>(p.state)].kind == StateKind::exit) continue;
    const StateSpec& st = spec_.states[static_cast<std::size_t>(p.state)];
    const int pool = pool_of(st);
    if (p.pool_status == PoolStatus::queued) ++queued[static_cast<std::size_t>(pool)];
    if (p.pool_status == PoolStatus::holding) {
      ++holding[static_cast<std::size_t>(pool)];
      const std::uint32_t provider = people_.supervisor(id);
      if (provider == kNobody) ++fixed_holders[static_cast<std::size_t>(pool)];
      else if (!people_[provider].providing())
        throw std::logic_error(fmt::format("person {} holds a slot of provider {} who provides nothing", id, provider));
    }
    if (!p.providing()) continue;
    const ProviderLinks& l = people_.links(id);
    provided[static_cast<std::size_t>(st.provides.pool)] += st.provides.slots;
    std::int64_t listed = 0;
    for (std::uint32_t s = l.sup_head; s != kNobody; s = people_.links(s).sup_next, ++listed)
      if (people_.links(s).supervisor != id) throw std::logic_error(fmt::format("provider {} lists person {} who is not theirs", id, s));
    if (listed + l.free_slots != st.provides.slots)
      throw std::logic_error(fmt::format("provider {}: {} supervisees + {} free slots != {} slots", id, listed,
                                         l.free_slots, st.provides.slots));
  }
  for (std::size_t i = 0; i < n; ++i) {
    const Runtime& r = pools_[i];
    const std::string& name = spec_.pools[i].name;
    if (r.queued < 0 || r.queued != queued[i])
      throw std::logic_error(fmt::format("pool {}: queue length {} but {} people queue", name, r.queued, queued[i]));
    if (r.in_use != holding[i])
      throw std::logic_error(fmt::format("pool {}: {} slots in use but {} people hold one", name, r.in_use, holding[i]));
    if (r.fixed_free != r.fixed - fixed_holders[i])
      throw std::logic_error(fmt::format("pool {}: {} fixed slots free, {} fixed, {} held", name, r.fixed_free, r.fixed,
                                         fixed_holders[i]));
    if (r.capacity != r.fixed + provided[i])
      throw std::logic_error(fmt::format("pool {}: capacity {} != {} fixed + {} provided", name, r.capacity, r.fixed,
                                         provided[i]));
    if (r.queued > 0 && r.fixed_free > 0 && !r.grants_held)
      throw std::logic_error(fmt::format("pool {}: {} people queue while a fixed slot is free", name, r.queued));
  }
}

}  // namespace tsim::model
