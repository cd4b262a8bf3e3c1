// The people of one run: a record per person (what the event loop reads and
// writes) and their attribute levels, stored beside it.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace tsim::model {

inline constexpr std::uint32_t kNobody = 0xFFFFFFFFu;

enum class PoolStatus : std::uint8_t { none, queued, holding };

/// FTE is kept in millionths so census totals do not drift with the order of
/// additions and removals.
inline constexpr double kFteUnit = 1e6;

struct Person {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::uint64_t key = 0;         // random key: where they came from (run.hpp, person_key)
  double entry_day = 0;          // days since start
  double age_at_entry = 0;       // years
  double qualified_day = kNaN;   // days since start; NaN if never
  double exit_day = kNaN;
  double training_day = kNaN;        // first entry into a trainee state (negative for stock placed there)
  // The training outcome (docs/INDICATORS.md, "Training pipeline"): the day
  // of the first state after training_day that is qualified (completed) or
  // an exit or an unqualified post (not completed); NaN while undecided.
  double completed_day = kNaN;
  double not_completed_day = kNaN;
  double left_after_completing_day = kNaN;  // first move from a staff or trainee role to any other after completing
  std::int16_t training_state = -1;  // that trainee state
  double state_since = 0;        // day the current state was entered (negative for stock tenure)
  double supervised_done = 0;    // supervised days in this state before the current spell
  double supervised_since = kNaN;
  double queued_since = kNaN;
  std::uint64_t queue_seq = 0;   // place in the pool's FIFO
  std::int64_t fte_units = 0;    // FTE x kFteUnit
  std::uint32_t version = 0;     // bumped whenever the pending event goes stale
  std::uint32_t moves = 0;       // state changes so far: the "visit" number of draws
  std::uint32_t queue_joins = 0; // times joined a pool's queue: the draw number of patience
  std::uint32_t combo = 0;       // census cell of this person's attributes
  std::int32_t route = -1;       // -1 for initial stock
  std::int16_t state = -1;
  std::int16_t entry_state = -1;
  std::int16_t exit_state = -1;
  std::int16_t qualified_state = -1;
  PoolStatus pool_status = PoolStatus::none;
  bool providing = false;        // adds slots to the pool of their state's `provides`
  bool in_free_stack = false;    // listed among the pool's providers with free slots
  std::uint32_t supervisor = kNobody;  // provider holding this person's slot
  std::uint32_t sup_next = kNobody;    // siblings under the same provider
  std::uint32_t sup_prev = kNobody;
  std::uint32_t sup_head = kNobody;    // first person this provider supervises
  std::int32_t free_slots = 0;         // a provider's slots not in use
};

/// Everybody created so far, indexed by person id, and their attribute levels.
class People {
 public:
  explicit People(std::size_t attributes) : n_attrs_(attributes) {}

  void reserve(std::size_t n) {
    people_.reserve(n);
    attrs_.reserve(n * n_attrs_);
  }
  /// Adds a person with their attribute levels (one per attribute); returns the id.
  std::uint32_t add(const Person& p, const std::uint8_t* levels) {
    people_.push_back(p);
    attrs_.insert(attrs_.end(), levels, levels + n_attrs_);
    return static_cast<std::uint32_t>(people_.size() - 1);
  }

  [[nodiscard]] Person& operator[](std::uint32_t id) { return people_[id]; }
  [[nodiscard]] const Person& operator[](std::uint32_t id) const { return people_[id]; }
  [[nodiscard]] std::size_t size() const noexcept { return people_.size(); }
  /// Starts loading person `id`'s record (each of its cache lines) and
  /// attribute levels into cache; changes nothing.
  void prefetch(std::uint32_t id) const noexcept {
    const char* record = reinterpret_cast<const char*>(&people_[id]);
    for (std::size_t line = 0; line < sizeof(Person); line += 64) __builtin_prefetch(record + line);
    __builtin_prefetch(attrs_.data() + std::size_t{id} * n_attrs_);
  }
  [[nodiscard]] std::size_t attribute_count() const noexcept { return n_attrs_; }
  /// Level of attribute `a` of person `id`.
  [[nodiscard]] std::uint8_t attr(std::uint32_t id, std::size_t a) const { return attrs_[id * n_attrs_ + a]; }
  [[nodiscard]] const std::uint8_t* attrs(std::uint32_t id) const { return attrs_.data() + id * n_attrs_; }

  [[nodiscard]] auto begin() const { return people_.begin(); }
  [[nodiscard]] auto end() const { return people_.end(); }

 private:
  std::size_t n_attrs_;
  std::vector<Person> people_;
  std::vector<std::uint8_t> attrs_;  // size() * n_attrs_
};

}  // namespace tsim::model
