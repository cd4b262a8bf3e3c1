// The pending-event set: a binary min-heap ordered by (time, priority,
// insertion sequence). Never by pointer or hash, so re-running a scenario
// gives the same order bit for bit.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <vector>

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

class EventQueue {
 public:
  /// Adds an event; `time` must not be NaN.
  void push(Day time, Priority priority, std::uint32_t target, std::uint32_t tag, std::uint32_t version) {
    assert(time == time);
    Event e{time, (std::uint64_t{priority} << 56) | next_sequence_++, target, tag, version};
    heap_.push_back(e);
    std::push_heap(heap_.begin(), heap_.end(), later);
  }

  [[nodiscard]] bool empty() const noexcept { return heap_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return heap_.size(); }
  /// The earliest event. Requires !empty().
  [[nodiscard]] const Event& top() const noexcept { return heap_.front(); }

  /// Removes and returns the earliest event. Requires !empty().
  Event pop() {
    std::pop_heap(heap_.begin(), heap_.end(), later);
    Event e = heap_.back();
    heap_.pop_back();
    return e;
  }

  void reserve(std::size_t n) { heap_.reserve(n); }

 private:
  static bool later(const Event& a, const Event& b) noexcept { return runs_before(b, a); }

  std::vector<Event> heap_;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace tsim::core
