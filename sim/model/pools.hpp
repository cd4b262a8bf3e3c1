// Capacity-limited pools (supervision slots, funded posts) of one run:
// queues, grants, releases, and the slots that people in providing states add.
// A slot is either one of the pool's fixed slots or one of a provider's; a
// provider keeps a list of the people whose slots they hold, so that when
// they leave those people go back to the queue in their original order.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <queue>
#include <utility>
#include <vector>

#include "sim/core/simulation.hpp"
#include "sim/model/person.hpp"
#include "sim/model/spec.hpp"
#include "sim/model/table_batch.hpp"

namespace tsim::model {

/// What the pools tell the run about (so it can record events and reschedule).
class PoolListener {
 public:
  /// `id` was granted a slot of `pool` (supervised clocks now run).
  virtual void slot_granted(std::uint32_t id, int pool) = 0;
  /// `id`'s supervised spell is about to end (their provider is leaving);
  /// their situation is still that of the spell.
  virtual void spell_ending(std::uint32_t id) = 0;
  /// `id` lost their slot of `pool` (their provider left) and queues again.
  virtual void slot_lost(std::uint32_t id, int pool) = 0;
  /// `pool` holds its grants until the end of the current instant: the run
  /// calls Pools::release_held_grants(pool) after every other event at this time.
  virtual void grants_held(int pool) = 0;

 protected:
  ~PoolListener() = default;
};

/// The (queue key, person) entries of a pool's queue, smallest key first.
/// Keys are unique and mostly arrive in increasing order (a FIFO join
/// sequence): those go to a plain FIFO, O(1) and cache friendly, and only the
/// rest (priority ranks, rejoins with an earlier key) to a heap. It pops
/// exactly what one min-heap of all entries would.
class JoinQueue {
 public:
  using Entry = std::pair<std::uint64_t, std::uint32_t>;
  void push(std::uint64_t key, std::uint32_t id) {
    if (in_order_.empty() || key > in_order_.back().first) in_order_.emplace_back(key, id);
    else out_of_order_.emplace(key, id);
  }
  [[nodiscard]] bool empty() const noexcept { return in_order_.empty() && out_of_order_.empty(); }
  /// The smallest entry; the queue must not be empty.
  [[nodiscard]] Entry top() const { return from_heap() ? out_of_order_.top() : in_order_.front(); }
  void pop() {
    if (from_heap()) out_of_order_.pop();
    else in_order_.pop_front();
  }
  /// The person `k` places behind the front of the in-order part (a hint
  /// for prefetching), or kNobody.
  [[nodiscard]] std::uint32_t ahead(std::size_t k) const noexcept {
    return k < in_order_.size() ? in_order_[k].second : kNobody;
  }

 private:
  [[nodiscard]] bool from_heap() const {
    return !out_of_order_.empty() && (in_order_.empty() || out_of_order_.top().first < in_order_.front().first);
  }
  std::deque<Entry> in_order_;  // keys ascending
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> out_of_order_;
};

class Pools {
 public:
  /// All references must outlive the Pools.
  Pools(const ScenarioSpec& spec, People& people, const core::Simulation& sim, PoolListener& listener);

  /// A person has just entered `state`: they queue for a slot of the pool it
  /// needs, or take a post in the pool it occupies (kept if already held).
  void enter(std::uint32_t id, int state);
  /// A person is leaving their state for `to` (kNone if to an exit): they
  /// leave the queue, release their slot (unless `to` occupies the same pool)
  /// and stop providing.
  void leave(std::uint32_t id, int to);
  /// The person's state provides slots and they have been there long enough.
  void start_providing(std::uint32_t id);
  /// Fixed slots added (negative: removed; slots in use are never taken away).
  /// In a labour pool, unused candidates leave first (idle_leaving_per_day).
  void change_capacity(int pool, std::int64_t slots);
  /// The end of an instant in which a provider of `pool` left: grants now.
  void release_held_grants(int pool);

  [[nodiscard]] std::int64_t capacity(int pool) const { return pools_[static_cast<std::size_t>(pool)].capacity; }
  [[nodiscard]] std::int64_t in_use(int pool) const { return pools_[static_cast<std::size_t>(pool)].in_use; }

  /// One row per pool for census period `period`; resets the period's grant counts.
  void write_period(std::int32_t period, TableBatch& rows);
  /// Throws std::logic_error naming the first broken invariant (queue and
  /// in-use counts, provider lists, capacity). O(people).
  void check_invariants() const;

 private:
  struct Runtime {
    std::int64_t capacity = 0;    // fixed slots now + slots of people providing
    std::int64_t fixed = 0;       // fixed slots now
    std::int64_t in_use = 0;
    std::int64_t fixed_free = 0;  // may go negative: over establishment
    std::int64_t queued = 0;
    // A provider left during the current instant: grants wait until every
    // event at this time has run, so that slots of another provider leaving
    // at the same instant are never granted and lost again at once.
    bool grants_held = false;
    // (queue key, person), smallest key first; entries are dropped lazily. A
    // person who loses their slot rejoins with their original key.
    JoinQueue queue;
    std::vector<std::uint32_t> free_providers;  // stack; stale entries dropped lazily
    std::int64_t period_grants = 0;
    double period_wait_sum = 0;   // days
    double period_wait_max = 0;   // days
    // Integrals over the period of in_use and capacity (slot-days), up to
    // `accrued_to` (a day): utilisation weighted by time, not sampled.
    double accrued_to = 0;
    double period_slot_days_in_use = 0;
    double period_slot_days_available = 0;
    // Labour pool: unused candidates leaving, accrued since `leaving_from`
    // (a day); whole candidates leave, the fraction carries over.
    double leaving_from = 0;
    double leaving_due = 0;
  };

  /// Queue order: the join sequence, below the person's priority rank for a
  /// priority pool (ranks are small; 2^48 joins are never reached).
  static constexpr unsigned kSequenceBits = 48;
  [[nodiscard]] std::uint64_t queue_key(std::uint32_t id, int pool, std::uint64_t seq) const;
  void join_queue(std::uint32_t id, int pool, std::uint64_t key);
  /// Adds in_use and capacity x (now - accrued_to) to the period's slot-days;
  /// called before either changes.
  void accrue(Runtime& pool);
  bool take_slot(Runtime& pool, std::uint32_t& provider);
  void hold_slot(std::uint32_t id, std::uint32_t provider);
  void try_grant(int pool);
  void grant(int pool_index, std::uint32_t id, std::uint32_t provider);
  void release_slot(std::uint32_t id, int pool);
  void occupy(std::uint32_t id, int pool);
  void stop_providing(std::uint32_t id);
  /// Labour pool: the unused candidates who left since the last change.
  void apply_idle_leaving(int pool_index);
  [[nodiscard]] static int pool_of(const StateSpec& st) {
    return st.needs_pool != kNone ? st.needs_pool : st.occupies_pool;
  }

  const ScenarioSpec& spec_;
  People& people_;
  const core::Simulation& sim_;
  PoolListener& listener_;
  std::vector<Runtime> pools_;
  std::uint64_t next_queue_seq_ = 0;
};

}  // namespace tsim::model
