// The people of one run, split by who reads what: the record the event loop
// reads and writes on every event (Person, one cache line), the row of
// /persons filled in as things happen and read once at the end
// (PersonRecord), the supervision links of providing pools (ProviderLinks,
// kept only when the scenario has a providing state) and the attribute
// levels. Each is a table indexed by person id.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "sim/model/spec.hpp"

namespace tsim::model {

inline constexpr std::uint32_t kNobody = 0xFFFFFFFFu;

enum class PoolStatus : std::uint8_t { none, queued, holding };

/// FTE is kept in millionths so census totals do not drift with the order of
/// additions and removals.
inline constexpr double kFteUnit = 1e6;

/// What the event loop touches: 64 bytes, one cache line, so that handling an
/// event for a person costs one memory access (Run::prefetch starts it early).
struct alignas(64) Person {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  // Milestones (bits of `flags`) whose days are in the PersonRecord: the
  // loop tests these instead of reading the record.
  static constexpr std::uint8_t kProviding = 1u << 0;  // adds slots to the pool of their state's `provides`
  static constexpr std::uint8_t kTrained = 1u << 1;    // training_day set
  static constexpr std::uint8_t kOutcome = 1u << 2;    // completed_day or not_completed_day set
  static constexpr std::uint8_t kCompleted = 1u << 3;  // completed_day set
  static constexpr std::uint8_t kQualified = 1u << 4;  // qualified_day set
  static constexpr std::uint8_t kLeftAfterCompleting = 1u << 5;  // left_after_completing_day set

  std::uint64_t key = 0;         // random key: where they came from (run.hpp, person_key)
  double state_since = 0;        // day the current state was entered (negative for stock tenure)
  double supervised_done = 0;    // supervised days in this state before the current spell
  // Days since start. While queued: the day they joined the queue. While
  // holding a slot they were granted from a queue: the day the supervised
  // spell began. Otherwise NaN (a post's slot has no supervised spell). One
  // field for both, since a person is never queued and holding at once.
  double pool_since = kNaN;
  std::uint64_t queue_seq = 0;   // place in the pool's FIFO
  std::uint32_t version = 0;     // bumped whenever the pending event goes stale
  std::uint32_t moves = 0;       // state changes so far: the "visit" number of draws
  std::uint32_t queue_joins = 0; // times joined a pool's queue: the draw number of patience
  std::uint32_t combo = 0;       // census cell of this person's attributes
  std::int32_t fte_units = 0;    // FTE x kFteUnit (at most kMaxFte x kFteUnit)
  std::int16_t state = -1;
  PoolStatus pool_status = PoolStatus::none;
  std::uint8_t flags = 0;

  [[nodiscard]] bool has(std::uint8_t flag) const noexcept { return (flags & flag) != 0; }
  void set(std::uint8_t flag, bool on) noexcept {
    flags = static_cast<std::uint8_t>(on ? (flags | flag) : (flags & ~flag));
  }
  [[nodiscard]] bool providing() const noexcept { return has(kProviding); }
};
static_assert(sizeof(Person) == 64, "one cache line per person");
static_assert(kMaxFte * kFteUnit < 2147483647.0, "FTE units fit in 32 bits");

/// What the run itself reads of a person's /persons row: an age-clock hazard
/// (entry_day, age_at_entry) and a queue that ranks by route. Kept for
/// everybody, at every record level.
struct PersonBasics {
  double entry_day = 0;
  double age_at_entry = 0;       // years
  std::int32_t route = -1;       // -1 for initial stock
};

/// A person's row of /persons (docs/OUTPUT.md): days since start (NaN if it
/// never happened) and states (-1 if none). Kept only where the record level
/// writes /persons; elsewhere only the basics are.
struct PersonRecord {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  PersonBasics base;
  double qualified_day = kNaN;
  double exit_day = kNaN;
  double training_day = kNaN;    // first entry into a trainee state (negative for stock placed there)
  // The training outcome (docs/INDICATORS.md, "Training pipeline"): the day
  // of the first state after training_day that is qualified (completed) or
  // an exit or an unqualified post (not completed); NaN while undecided.
  double completed_day = kNaN;
  double not_completed_day = kNaN;
  double left_after_completing_day = kNaN;  // first move from a staff or trainee role to any other after completing
  std::int16_t entry_state = -1;
  std::int16_t exit_state = -1;
  std::int16_t qualified_state = -1;
  std::int16_t training_state = -1;
};

/// Who holds whose slot in pools that providers (supervisors) add slots to.
struct ProviderLinks {
  std::uint32_t supervisor = kNobody;  // provider holding this person's slot
  std::uint32_t sup_next = kNobody;    // siblings under the same provider
  std::uint32_t sup_prev = kNobody;
  std::uint32_t sup_head = kNobody;    // first person this provider supervises
  std::int32_t free_slots = 0;         // a provider's slots not in use
  bool in_free_stack = false;          // listed among the pool's providers with free slots
};

/// Everybody created so far, indexed by person id.
class People {
 public:
  /// `attributes`: levels per person; `providers`: whether any state
  /// provides slots (else no ProviderLinks are kept: nobody has a supervisor);
  /// `records`: whether whole /persons rows are kept (else only the basics:
  /// 24 bytes a person instead of 80, for runs that write no /persons).
  People(std::size_t attributes, bool providers, bool records = true)
      : n_attrs_(attributes), providers_(providers), records_kept_(records) {}

  void reserve(std::size_t n) {
    people_.reserve(n);
    if (records_kept_)
      records_.reserve(n);
    else
      basics_.reserve(n);
    if (providers_) links_.reserve(n);
    attrs_.reserve(n * n_attrs_);
  }
  /// Adds a person with their attribute levels (one per attribute); returns the id.
  std::uint32_t add(const Person& p, const PersonRecord& r, const std::uint8_t* levels) {
    people_.push_back(p);
    if (records_kept_)
      records_.push_back(r);
    else
      basics_.push_back(r.base);
    if (providers_) links_.emplace_back();
    attrs_.insert(attrs_.end(), levels, levels + n_attrs_);
    return static_cast<std::uint32_t>(people_.size() - 1);
  }

  [[nodiscard]] Person& operator[](std::uint32_t id) { return people_[id]; }
  [[nodiscard]] const Person& operator[](std::uint32_t id) const { return people_[id]; }
  /// Whole /persons rows are kept (the record level writes /persons).
  [[nodiscard]] bool records_kept() const noexcept { return records_kept_; }
  /// Person `id`'s /persons row; only where records_kept().
  [[nodiscard]] const PersonRecord& record(std::uint32_t id) const { return records_[id]; }
  /// Person `id`'s /persons row to fill in a milestone, or null where rows are not kept.
  [[nodiscard]] PersonRecord* milestones(std::uint32_t id) { return records_kept_ ? &records_[id] : nullptr; }
  [[nodiscard]] const PersonBasics& basics(std::uint32_t id) const {
    return records_kept_ ? records_[id].base : basics_[id];
  }
  /// Only where has_providers().
  [[nodiscard]] ProviderLinks& links(std::uint32_t id) { return links_[id]; }
  [[nodiscard]] const ProviderLinks& links(std::uint32_t id) const { return links_[id]; }
  [[nodiscard]] bool has_providers() const noexcept { return providers_; }
  /// The provider whose slot `id` holds; kNobody for a fixed slot or none.
  [[nodiscard]] std::uint32_t supervisor(std::uint32_t id) const { return providers_ ? links_[id].supervisor : kNobody; }

  [[nodiscard]] std::size_t size() const noexcept { return people_.size(); }
  /// Starts loading person `id`'s event-loop record and attribute levels
  /// into cache; changes nothing.
  void prefetch(std::uint32_t id) const noexcept {
    __builtin_prefetch(&people_[id]);
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
  bool providers_;
  bool records_kept_;
  std::vector<Person> people_;
  std::vector<PersonRecord> records_;  // empty unless records_kept_
  std::vector<PersonBasics> basics_;   // empty if records_kept_
  std::vector<ProviderLinks> links_;  // empty unless providers_
  std::vector<std::uint8_t> attrs_;   // size() * n_attrs_
};

}  // namespace tsim::model
