// The people of one run, split by who reads what: the record the event loop
// reads and writes on every event (Person, one cache line), the row of
// /persons filled in as things happen and read once at the end
// (PersonRecord), the supervision links of providing pools (ProviderLinks,
// kept only when the scenario has a providing state) and the attribute
// levels.
//
// Two numbers name a person. The id (/persons' person_id) is given in order
// of creation and never reused. The slot is where the event loop keeps them:
// once someone has left, nothing in the loop reads their Person again, so a
// newcomer takes over the slot and the loop's tables hold the people present,
// not everyone who ever was (42% of the reference workload has left by its
// horizon). Events, queues and supervision links carry slots; whatever the
// output shows carries ids.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "sim/model/leaver_rows.hpp"
#include "sim/model/person_record.hpp"
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
  // Left, but the slot is still listed in a pool's stack of providers with
  // free slots (popped lazily): reused only once it is popped, so the stack
  // never meets a newcomer where a leaver was.
  static constexpr std::uint8_t kGone = 1u << 6;

  std::uint64_t key = 0;         // random key: where they came from (run.hpp, person_key)
  double state_since = 0;        // day the current state was entered (negative for stock tenure)
  double supervised_done = 0;    // supervised days in this state before the current spell
  // Days since start. While queued: the day they joined the queue. While
  // holding a slot they were granted from a queue: the day the supervised
  // spell began. Otherwise NaN (a post's slot has no supervised spell). One
  // field for both, since a person is never queued and holding at once.
  double pool_since = kNaN;
  std::uint64_t queue_seq = 0;   // place in the pool's FIFO
  std::uint32_t version = 0;     // bumped whenever the pending event goes stale; carried on to the slot's next occupant
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

/// Who holds whose slot in pools that providers (supervisors) add slots to.
struct ProviderLinks {
  std::uint32_t supervisor = kNobody;  // provider holding this person's slot
  std::uint32_t sup_next = kNobody;    // siblings under the same provider
  std::uint32_t sup_prev = kNobody;
  std::uint32_t sup_head = kNobody;    // first person this provider supervises
  std::int32_t free_slots = 0;         // a provider's slots not in use
  bool in_free_stack = false;          // listed among the pool's providers with free slots
};

/// Everybody present, by slot, and (where /persons is written) the rows of
/// everybody created so far: by slot for the people present, and for
/// leavers either by id (a slot is its id without reuse) or, with reuse,
/// compressed in a LeaverRows until /persons is written.
class People {
 public:
  /// `attributes`: levels per person; `providers`: whether any state
  /// provides slots (else no ProviderLinks are kept: nobody has a supervisor);
  /// `records`: whether whole /persons rows are kept (else only the basics of
  /// the people present: 24 bytes a person instead of 80, for runs that write
  /// no /persons).
  /// `reuse`: give leavers' slots to newcomers (RunOptions::reuse_slots,
  /// `--lean-memory`); without it a slot is its id.
  People(std::size_t attributes, bool providers, bool records = true, bool reuse = true)
      : n_attrs_(attributes), providers_(providers), records_kept_(records), reuse_(reuse), leavers_(attributes) {}

  /// Room for `present` people at once and, where rows are kept, `ever` in all.
  void reserve(std::size_t present, std::size_t ever) {
    people_.reserve(present);
    if (reuse_) ids_.reserve(present);
    if (records_kept_) records_.reserve(reuse_ ? present : ever);
    else basics_.reserve(present);
    if (providers_) links_.reserve(present);
    attrs_.reserve(present * n_attrs_);
  }
  /// Adds a person with their attribute levels (one per attribute), in a
  /// leaver's slot if one is free; returns the slot. Their id is created() - 1.
  std::uint32_t add(Person p, const PersonRecord& r, const std::uint8_t* levels) {
    const auto id = static_cast<std::uint32_t>(created_++);
    if (const std::uint32_t slot = reuse_ ? take_free_slot() : kNobody; slot != kNobody) {
      p.version = people_[slot].version + 1;  // the leaver's events stay stale
      // The leaver's row leaves the slot only now: the newcomer's writes bring
      // its cache lines in anyway (take_free_slot prefetched them), where
      // copying it when they left cost a cache miss per leaver.
      if (records_kept_) {
        records_[slot].base.fte_units = people_[slot].fte_units;
        leavers_.add(ids_[slot], records_[slot], attrs(slot));
        records_[slot] = r;
      } else {
        basics_[slot] = r.base;
      }
      people_[slot] = p;
      ids_[slot] = id;
      if (providers_) links_[slot] = ProviderLinks{};
      std::copy(levels, levels + n_attrs_, attrs_.begin() + static_cast<std::ptrdiff_t>(std::size_t{slot} * n_attrs_));
      return slot;
    }
    people_.push_back(p);
    if (reuse_) ids_.push_back(id);
    if (records_kept_) records_.push_back(r);
    else basics_.push_back(r.base);
    if (providers_) links_.emplace_back();
    attrs_.insert(attrs_.end(), levels, levels + n_attrs_);
    return static_cast<std::uint32_t>(people_.size() - 1);
  }
  /// The person in `slot` has entered an exit state; their row is final
  /// (its FTE is the record's, copied when the slot is reused or by
  /// final_fte()) and stays in the slot until a newcomer takes it (with
  /// reuse: it then goes to the leavers' store). The slot is free for a
  /// newcomer once no pool lists it (see Person::kGone). Their pending event
  /// must be stale.
  void release(std::uint32_t slot) {
    Person& p = people_[slot];
    const auto state = static_cast<std::size_t>(p.state);
    if (departed_.size() <= state) departed_.resize(state + 1, 0);
    ++departed_[state];
    p.state = -1;
    p.pool_status = PoolStatus::none;
    if (!reuse_) return;
    if (providers_ && links_[slot].in_free_stack) {
      p.set(Person::kGone, true);
      return;
    }
    mark_free(slot);
  }
  /// A pool no longer lists `slot` among its providers: a leaver's slot is free now.
  void unlisted(std::uint32_t slot) {
    Person& p = people_[slot];
    if (!p.has(Person::kGone)) return;
    p.set(Person::kGone, false);
    mark_free(slot);
  }

  [[nodiscard]] Person& operator[](std::uint32_t slot) { return people_[slot]; }
  [[nodiscard]] const Person& operator[](std::uint32_t slot) const { return people_[slot]; }
  /// The id (/persons' person_id) of the person in `slot`.
  [[nodiscard]] std::uint32_t id(std::uint32_t slot) const { return reuse_ ? ids_[slot] : slot; }
  /// Whole /persons rows are kept (the record level writes /persons).
  [[nodiscard]] bool records_kept() const noexcept { return records_kept_; }
  /// Calls `visit(id, row, levels)` for everyone created, in id order, with
  /// their /persons row and attribute levels (one per attribute); only where
  /// records_kept(), after final_fte() and, with reuse, finish().
  template <class Visit>
  void for_each_row(Visit&& visit) const {
    if (!reuse_) {  // a slot is its id
      for (std::uint32_t id = 0; id < created_; ++id) visit(id, records_[id], attrs(id));
      return;
    }
    // Rows still in a slot (present people, and leavers whose slot no
    // newcomer took) merged with the store's.
    const std::vector<std::uint32_t>& resident = slots_at_finish_;
    LeaverRows::Reader leaver(leavers_);
    bool more = leaver.next();
    std::size_t k = 0;
    while (more || k < resident.size()) {
      if (k == resident.size() || (more && leaver.id() < ids_[resident[k]])) {
        visit(leaver.id(), leaver.row(), leaver.levels());
        more = leaver.next();
      } else {
        // Slots in id order are scattered: start loading a later one's row now.
        constexpr std::size_t kAhead = 16;
        if (k + kAhead < resident.size()) {
          const std::uint32_t ahead = resident[k + kAhead];
          __builtin_prefetch(&records_[ahead]);
          __builtin_prefetch(reinterpret_cast<const char*>(&records_[ahead]) + sizeof(PersonRecord) - 1);
          __builtin_prefetch(&ids_[ahead]);
          if (n_attrs_ > 0) __builtin_prefetch(attrs_.data() + std::size_t{ahead} * n_attrs_);
        }
        visit(ids_[resident[k]], records_[resident[k]], attrs(resident[k]));
        ++k;
      }
    }
  }
  /// finish() was called: the loop's tables are gone.
  [[nodiscard]] bool finished() const noexcept { return finished_; }
  /// Rows of leavers held compressed (with reuse, where records_kept()).
  [[nodiscard]] const LeaverRows& leaver_rows() const noexcept { return leavers_; }
  /// The /persons row of the person in `slot`, to fill in a milestone, or null where rows are not kept.
  [[nodiscard]] PersonRecord* milestones(std::uint32_t slot) { return records_kept_ ? &records_[slot] : nullptr; }
  [[nodiscard]] const PersonBasics& basics(std::uint32_t slot) const {
    return records_kept_ ? records_[slot].base : basics_[slot];
  }
  /// Copies the FTE of everyone in a slot (present, or left with no
  /// newcomer in their slot since) into their /persons row (at the end of the run).
  void final_fte() {
    if (!records_kept_) return;
    for (std::size_t s = 0; s < people_.size(); ++s) records_[s].base.fte_units = people_[s].fte_units;
  }

  /// The run is over: frees what only the event loop reads (the 64-byte
  /// records, supervision links) so that writing /persons costs no more
  /// memory than the run did. `slots`: slots_by_id(), got just before (sorted
  /// once for both). Afterwards only for_each_row(), leaver_rows() and the
  /// counts may be used.
  void finish(std::vector<std::uint32_t> slots) {
    slot_count_at_finish_ = people_.size();
    if (reuse_ && records_kept_) slots_at_finish_ = std::move(slots);  // only the merge reads it
    std::vector<Person>().swap(people_);
    std::vector<ProviderLinks>().swap(links_);
    std::vector<PersonBasics>().swap(basics_);
    std::vector<std::uint64_t>().swap(free_bits_);
    finished_ = true;
  }

  /// Only where has_providers().
  [[nodiscard]] ProviderLinks& links(std::uint32_t slot) { return links_[slot]; }
  [[nodiscard]] const ProviderLinks& links(std::uint32_t slot) const { return links_[slot]; }
  [[nodiscard]] bool has_providers() const noexcept { return providers_; }
  /// The provider whose slot the person in `slot` holds; kNobody for a fixed slot or none.
  [[nodiscard]] std::uint32_t supervisor(std::uint32_t slot) const { return providers_ ? links_[slot].supervisor : kNobody; }

  /// Slots in use or freed (the loop's table); people present have state >= 0.
  [[nodiscard]] std::size_t slots() const noexcept { return finished_ ? slot_count_at_finish_ : people_.size(); }
  /// People created so far (the next id).
  [[nodiscard]] std::size_t created() const noexcept { return created_; }
  /// People who entered exit state `s` and were released.
  [[nodiscard]] std::int64_t departed(std::size_t s) const { return s < departed_.size() ? departed_[s] : 0; }
  /// Starts loading the event-loop record and attribute levels of the person
  /// in `slot` into cache (and their id, where events are written); changes nothing.
  void prefetch(std::uint32_t slot) const noexcept {
    __builtin_prefetch(&people_[slot]);
    __builtin_prefetch(attrs_.data() + std::size_t{slot} * n_attrs_);
  }
  void prefetch_id(std::uint32_t slot) const noexcept {
    if (reuse_) __builtin_prefetch(&ids_[slot]);
  }
  [[nodiscard]] std::size_t attribute_count() const noexcept { return n_attrs_; }
  /// Level of attribute `a` of the person in `slot`.
  [[nodiscard]] std::uint8_t attr(std::uint32_t slot, std::size_t a) const { return attrs_[slot * n_attrs_ + a]; }
  [[nodiscard]] const std::uint8_t* attrs(std::uint32_t slot) const { return attrs_.data() + slot * n_attrs_; }

  /// Every slot, present or not (free ones have state -1), in order of the
  /// id of the person in it (or who left it last): sums over people taken in
  /// this order do not depend on reuse. Before finish().
  [[nodiscard]] std::vector<std::uint32_t> slots_by_id() const {
    std::vector<std::uint32_t> out(people_.size());
    for (std::uint32_t s = 0; s < out.size(); ++s) out[s] = s;
    if (reuse_) std::sort(out.begin(), out.end(), [this](std::uint32_t a, std::uint32_t b) { return ids_[a] < ids_[b]; });
    return out;
  }
  /// Every slot (free ones have state -1).
  [[nodiscard]] auto begin() const { return people_.begin(); }
  [[nodiscard]] auto end() const { return people_.end(); }

 private:
  std::size_t n_attrs_;
  bool providers_;
  bool records_kept_;
  bool reuse_;
  std::size_t created_ = 0;
  std::vector<Person> people_;         // by slot
  std::vector<std::uint32_t> ids_;     // by slot; empty unless reuse_ (then a slot is its id)
  // Free slots, a bit each, handed out lowest first: an intake's people then
  // sit in ascending slots, so walking them in creation order (a FIFO queue,
  // events scheduled together) walks memory forwards instead of at random
  // (handing out the last freed first cost the reference workload 25% more CPU).
  std::vector<std::uint64_t> free_bits_;
  std::size_t free_from_ = 0;          // no free slot in words below this one
  void mark_free(std::uint32_t slot) {
    const std::size_t word = slot / 64;
    if (free_bits_.size() <= word) free_bits_.resize(word + 1, 0);
    free_bits_[word] |= std::uint64_t{1} << (slot % 64);
    free_from_ = std::min(free_from_, word);
  }
  void prefetch_for_writing(std::uint32_t slot) const noexcept {
    __builtin_prefetch(&people_[slot], 1);
    __builtin_prefetch(&ids_[slot], 1);
    __builtin_prefetch(attrs_.data() + std::size_t{slot} * n_attrs_, 1);
    if (records_kept_) {  // both cache lines of the row: the leaver's is read, the newcomer's written
      __builtin_prefetch(&records_[slot], 1);
      __builtin_prefetch(reinterpret_cast<const char*>(&records_[slot]) + sizeof(PersonRecord) - 1, 1);
    } else {
      __builtin_prefetch(&basics_[slot], 1);
    }
    if (providers_) __builtin_prefetch(&links_[slot], 1);
  }
  /// The lowest free slot, now taken; kNobody if none.
  std::uint32_t take_free_slot() {
    for (; free_from_ < free_bits_.size(); ++free_from_) {
      std::uint64_t& bits = free_bits_[free_from_];
      if (bits == 0) continue;
      const auto bit = static_cast<std::uint32_t>(std::countr_zero(bits));
      bits &= bits - 1;
      // Start loading the next free slot: an intake takes them one after another.
      if (bits != 0) prefetch_for_writing(static_cast<std::uint32_t>(free_from_ * 64) + static_cast<std::uint32_t>(std::countr_zero(bits)));
      else if (free_from_ + 1 < free_bits_.size() && free_bits_[free_from_ + 1] != 0)
        prefetch_for_writing(static_cast<std::uint32_t>((free_from_ + 1) * 64) + static_cast<std::uint32_t>(std::countr_zero(free_bits_[free_from_ + 1])));
      return static_cast<std::uint32_t>(free_from_ * 64) + bit;
    }
    return kNobody;
  }
  bool finished_ = false;              // finish() was called
  std::vector<std::uint32_t> slots_at_finish_;  // slots_by_id() at finish()
  std::size_t slot_count_at_finish_ = 0;
  std::vector<std::int64_t> departed_; // by exit state
  std::vector<PersonRecord> records_;  // by slot (a slot is its id without reuse); empty unless records_kept_
  LeaverRows leavers_;                 // leavers' rows; empty unless records_kept_ and reuse_
  std::vector<PersonBasics> basics_;   // by slot; empty if records_kept_
  std::vector<ProviderLinks> links_;   // by slot; empty unless providers_
  std::vector<std::uint8_t> attrs_;    // by slot, n_attrs_ each
};

}  // namespace tsim::model
