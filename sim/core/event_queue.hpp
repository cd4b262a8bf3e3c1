// The pending-event set, ordered by (time, priority, insertion sequence):
// never by pointer or hash, so re-running a scenario gives the same order
// bit for bit.
//
// A calendar queue: one bucket per day over a window of kWindow days. Later
// buckets are plain vectors (O(1) push); when its day comes a bucket is sorted
// once (sort_current) and read front to back, with a small heap for events
// added to the current day while it runs. Events beyond the window wait in an overflow heap and move
// into buckets as the window slides. The order is exactly that of one binary
// heap over everything, with far fewer cache misses for large event sets.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include <boost/sort/flat_stable_sort/flat_stable_sort.hpp>
#include <boost/sort/pdqsort/pdqsort.hpp>

#include "sim/core/calendar.hpp"

namespace tsim::core {

/// Lower priority values run first among events at the same time.
using Priority = std::uint8_t;

/// A pending event. The engine does not interpret target/tag/version: the
/// model uses them (e.g. person index, what kind of event, stale-check).
struct Event {
  Day time = 0.0;             // days since start
  std::uint64_t order = 0;    // priority in the top 8 bits, insertion sequence below
  std::uint32_t target = 0;
  std::uint32_t tag = 0;
  std::uint32_t version = 0;

  [[nodiscard]] Priority priority() const noexcept { return static_cast<Priority>(order >> 56); }
  [[nodiscard]] std::uint64_t sequence() const noexcept { return order & ((std::uint64_t{1} << 56) - 1); }
};

/// True when a runs before b.
[[nodiscard]] inline bool runs_before(const Event& a, const Event& b) noexcept {
  return a.time < b.time || (a.time == b.time && a.order < b.order);
}

/// runs_before as one unsigned 128-bit comparison, for events at positive
/// finite times (a day's bucket): there a double's bits order as the numbers
/// do, so (time bits, order) compares without a branch. A day's sort with it
/// and a branchless sort takes about half the time of std::sort with
/// runs_before (bench/README.md, sixth pass).
__extension__ using BucketKey = unsigned __int128;  // GCC and Clang; -Wpedantic accepts it marked so
[[nodiscard]] inline BucketKey bucket_key(const Event& e) noexcept {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &e.time, sizeof bits);
  return (static_cast<BucketKey>(bits) << 64) | e.order;
}

class EventQueue {
 public:
  static constexpr std::int64_t kWindow = std::int64_t{1} << 14;  // days held in buckets (~45 years)

  EventQueue() : buckets_(static_cast<std::size_t>(kWindow)) {}

  /// Adds an event; `time` must be a number no earlier than the last event popped.
  void push(Day time, Priority priority, std::uint32_t target, std::uint32_t tag, std::uint32_t version) {
    assert(time == time);
    place(Event{time, (std::uint64_t{priority} << 56) | next_sequence_++, target, tag, version});
    ++size_;
  }

  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  /// The earliest event. Requires !empty().
  [[nodiscard]] const Event& top() {
    settle();
    return from_extra() ? extra_.front() : current_[position_];
  }

  /// Removes and returns the earliest event. Requires !empty().
  Event pop() {
    settle();
    Event e;
    if (from_extra()) {
      std::pop_heap(extra_.begin(), extra_.end(), later);
      e = extra_.back();
      extra_.pop_back();
    } else {
      e = current_[position_++];
    }
    --size_;
    return e;
  }

  /// An event due soon: the one `k` places after the next in the current
  /// day's sorted bucket, or null. Only a hint for prefetching (events added
  /// to the current day may run before it); never changes the order.
  [[nodiscard]] const Event* ahead(std::size_t k) const noexcept {
    return position_ + k < current_.size() ? &current_[position_ + k] : nullptr;
  }

  /// Drops every pending event and gives their memory back (the run is
  /// over: what is left is censored). Sequence numbers carry on.
  void clear() {
    for (auto& b : buckets_) std::vector<Event>().swap(b);
    occupied_.fill(0);
    std::vector<Event>().swap(current_);
    std::vector<Event>().swap(extra_);
    std::vector<Event>().swap(overflow_);
    position_ = 0;
    size_ = 0;
  }

  /// Capacity hint: about how many events will be pending at once.
  void reserve(std::size_t n) { overflow_.reserve(std::min<std::size_t>(n, 1 << 16)); }

 private:
  static bool later(const Event& a, const Event& b) noexcept { return runs_before(b, a); }

  static std::int64_t day_of(double time) noexcept {
    // Times past what an int64 day can hold all count as "far future".
    return time < 4.0e18 ? static_cast<std::int64_t>(std::floor(time)) : std::int64_t{4000000000000000000};
  }

  static std::size_t slot(std::int64_t day) noexcept { return static_cast<std::size_t>(day & (kWindow - 1)); }

  void place(const Event& e) {
    const std::int64_t day = day_of(e.time);
    if (day <= current_day_) {
      // Today (or, before anything was popped, earlier): the day's side heap.
      extra_.push_back(e);
      std::push_heap(extra_.begin(), extra_.end(), later);
    } else if (day < current_day_ + kWindow) {
      buckets_[slot(day)].push_back(e);
      occupied_[slot(day) >> 6] |= std::uint64_t{1} << (slot(day) & 63);
    } else {
      overflow_.push_back(e);
      std::push_heap(overflow_.begin(), overflow_.end(), later);
    }
  }

  // True when the side heap holds the earliest event of the current day.
  [[nodiscard]] bool from_extra() const noexcept {
    if (position_ == current_.size()) return true;
    return !extra_.empty() && runs_before(extra_.front(), current_[position_]);
  }

  // Makes the current day hold the earliest events.
  void settle() {
    while (position_ == current_.size() && extra_.empty()) {
      assert(size_ > 0);
      std::int64_t next = next_occupied_day();
      if (next < 0) next = day_of(overflow_.front().time);  // nothing in the window: jump
      current_day_ = next;
      std::vector<Event>& bucket = buckets_[slot(current_day_)];
      current_ = std::move(bucket);  // the previous day's memory is freed, never parked in a bucket
      bucket = std::vector<Event>();
      position_ = 0;
      occupied_[slot(current_day_) >> 6] &= ~(std::uint64_t{1} << (slot(current_day_) & 63));
      sort_current();
      // The window moved: bring in overflow events that now fall inside it.
      while (!overflow_.empty() && day_of(overflow_.front().time) < current_day_ + kWindow) {
        std::pop_heap(overflow_.begin(), overflow_.end(), later);
        const Event e = overflow_.back();
        overflow_.pop_back();
        place(e);
      }
    }
  }

  // Sorts the day that has just become current. Most days hold a few hundred
  // events in no order (hazard draws): a branchless quicksort on one 128-bit
  // key. A big day is mostly long sorted runs (a cohort's events scheduled
  // together, e.g. the reference workload's yearly exam days, 30,000-80,000
  // events in 100-300 runs): a merge sort that finds the runs does it in a
  // third of the time. The order is the same either way: no two events have
  // the same key.
  void sort_current() {
    // Buckets hold days after the first popped one, so times here are >= 1.
    assert(current_.empty() || current_.front().time >= 1.0);
    const auto before = [](const Event& a, const Event& b) { return bucket_key(a) < bucket_key(b); };
    if (current_.size() > kBigDay)
      boost::sort::flat_stable_sort(current_.begin(), current_.end(), before);
    else
      boost::sort::pdqsort_branchless(current_.begin(), current_.end(), before);
  }
  static constexpr std::size_t kBigDay = 4096;  // events

  // The first day after current_day_ inside the window whose bucket holds events, or -1.
  [[nodiscard]] std::int64_t next_occupied_day() const noexcept {
    constexpr std::size_t kWords = static_cast<std::size_t>(kWindow) / 64;
    const std::size_t start = slot(current_day_ + 1);
    // Scan the ring word by word, starting at `start`, for kWindow - 1 days.
    for (std::size_t k = 0; k <= kWords; ++k) {
      const std::size_t word = ((start >> 6) + k) % kWords;
      std::uint64_t bits = occupied_[word];
      if (k == 0) bits &= ~std::uint64_t{0} << (start & 63);  // days before start in the first word
      if (k == kWords) bits &= (start & 63) ? ~(~std::uint64_t{0} << (start & 63)) : 0;  // wrapped back
      if (bits == 0) continue;
      const std::size_t pos = word * 64 + static_cast<std::size_t>(std::countr_zero(bits));
      const auto distance = static_cast<std::int64_t>((pos - start + static_cast<std::size_t>(kWindow)) & (kWindow - 1));
      return current_day_ + 1 + distance;
    }
    return -1;
  }

  std::vector<std::vector<Event>> buckets_;
  std::array<std::uint64_t, static_cast<std::size_t>(kWindow) / 64> occupied_{};
  std::vector<Event> current_;   // the current day's events, sorted, read from position_
  std::size_t position_ = 0;
  std::vector<Event> extra_;     // heap of events added to the current day while it runs
  std::vector<Event> overflow_;  // heap of events beyond the window
  std::int64_t current_day_ = 0;
  std::size_t size_ = 0;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace tsim::core
