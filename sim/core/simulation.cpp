#include "sim/core/simulation.hpp"

#include <fmt/format.h>

#include "sim/core/error.hpp"

namespace tsim::core {

std::string EventHandler::describe(const Event& event) const {
  return fmt::format("event tag {} target {}", event.tag, event.target);
}

void Simulation::schedule(Day time, Priority priority, std::uint32_t target, std::uint32_t tag,
                          std::uint32_t version) {
  if (!(time >= now_)) {
    throw SimulationError(fmt::format("event scheduled at day {} before the current day {}", time, now_));
  }
  queue_.push(time, priority, target, tag, version);
}

RunStats Simulation::run_until(Day horizon, EventHandler& handler) {
  RunStats stats;
  while (!queue_.empty() && queue_.top().time < horizon) {
    if (stop_ && (stats.events_handled & 4095) == 0 && stop_->load(std::memory_order_relaxed)) throw Cancelled();
    const Event event = queue_.pop();
    // Far enough ahead for the memory to arrive before the event is handled
    // (handling one takes a few hundred ns; a miss to memory ~100 ns).
    constexpr std::size_t kPrefetchDistance = 8;
    if (const Event* soon = queue_.ahead(kPrefetchDistance)) handler.prefetch(*soon);
    now_ = event.time;
    try {
      handler.handle(*this, event);
    } catch (const Cancelled&) {
      throw;
    } catch (const IoError&) {
      throw;
    } catch (const std::exception& e) {
      // Context is added once, here at the engine boundary.
      throw SimulationError(fmt::format("at day {:.4f}, {}: {}", event.time, handler.describe(event), e.what()));
    }
    ++stats.events_handled;
  }
  now_ = horizon;
  return stats;
}

}  // namespace tsim::core
