// What an engine event means to a run. The engine carries a target and a
// 32-bit tag it does not interpret. A run puts the kind in the tag's top byte;
// a person's event targets the person and carries, below the kind, which of
// their state's clocks it is; a global event targets its index (which intake,
// which census period, which route).
#pragma once

#include <cstdint>

#include "sim/core/event_queue.hpp"

namespace tsim::model {

enum class EventKind : std::uint8_t {
  clock = 1,        // person: one of their state's transitions fires (tag index: its position among them)
  renege,           // person: gives up waiting for a pool slot
  start_providing,  // person: has been long enough in a providing state to add slots
  intake,           // an intake of a route (target: in CompiledScenario::intakes)
  census,           // a census period ends (target: the period)
  arrival,          // a Poisson arrival on a route (target: the route)
  capacity_change,  // fixed pool slots change (target: in CompiledScenario::capacity_changes)
  grant,            // held grants of a pool, at the end of the instant (target: the pool)
  year_end,         // a financial or calendar year ends (target: in the run's list of year ends)
};

inline constexpr std::uint32_t kEventIndexBits = 24;
inline constexpr std::uint32_t kMaxEventIndex = (1u << kEventIndexBits) - 1;

[[nodiscard]] constexpr std::uint32_t event_tag(EventKind kind, std::uint32_t index = 0) {
  return (static_cast<std::uint32_t>(kind) << kEventIndexBits) | (index & kMaxEventIndex);
}
[[nodiscard]] constexpr EventKind kind_of(std::uint32_t tag) { return static_cast<EventKind>(tag >> kEventIndexBits); }
[[nodiscard]] constexpr std::uint32_t index_of(std::uint32_t tag) { return tag & kMaxEventIndex; }
[[nodiscard]] constexpr bool is_person_event(EventKind k) {
  return k == EventKind::clock || k == EventKind::renege || k == EventKind::start_providing;
}

/// Engine priorities at equal times: the census first (it reports the state
/// just before its boundary day), then intakes and other global events, then
/// people, and last the grants a pool held back during the instant.
[[nodiscard]] constexpr core::Priority priority_of(EventKind k) {
  if (k == EventKind::census || k == EventKind::year_end) return 0;
  if (k == EventKind::grant) return 30;
  return is_person_event(k) ? 20 : 10;
}

}  // namespace tsim::model
