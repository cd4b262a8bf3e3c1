// The engine: a clock, the event queue and the random streams, and a step loop
// that hands each event to a model. It knows nothing of the domain.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "sim/core/event_queue.hpp"
#include "sim/core/random.hpp"

namespace tsim::core {

class Simulation;

/// What a model implements to be driven by the engine.
class EventHandler {
 public:
  virtual ~EventHandler() = default;
  /// Carries out one event. May schedule more through `sim`.
  virtual void handle(Simulation& sim, const Event& event) = 0;
  /// One line describing an event for error context (e.g. "person 12 in cwp_trainee").
  [[nodiscard]] virtual std::string describe(const Event& event) const;
  /// A hint that `event` will be handled soon: a model may start loading what
  /// it will touch (with a million people the loop waits on memory, not on
  /// arithmetic). Must not change anything the run computes.
  virtual void prefetch(const Event& event) const noexcept { (void)event; }
};

/// Counts from one call to run_until.
struct RunStats {
  std::uint64_t events_handled = 0;
};

class Simulation {
 public:
  explicit Simulation(RandomStreams streams) : streams_(streams) {}

  /// Current simulated time in days since start.
  [[nodiscard]] Day now() const noexcept { return now_; }
  [[nodiscard]] const RandomStreams& streams() const noexcept { return streams_; }

  /// Schedules an event at absolute `time` (days). Scheduling in the past is a
  /// model bug and throws SimulationError.
  void schedule(Day time, Priority priority, std::uint32_t target, std::uint32_t tag, std::uint32_t version = 0);

  /// Runs events in order until none is left before `horizon` (days); events
  /// at or after the horizon stay pending (they are censored). Exceptions from
  /// the model are rethrown as SimulationError with the time and event.
  RunStats run_until(Day horizon, EventHandler& handler);

  [[nodiscard]] std::size_t pending() const noexcept { return queue_.size(); }
  /// While running, check `flag` now and then (every 4096 events) and throw
  /// core::Cancelled once it is set. Null: never.
  void set_stop_flag(const std::atomic<bool>* flag) noexcept { stop_ = flag; }
  void reserve(std::size_t events) { queue_.reserve(events); }
  /// Drops the events still pending (those at or after the horizon, once
  /// run_until has returned) and frees their memory: for a model that has
  /// finished with them and writes its results next.
  void discard_pending() { queue_.clear(); }

 private:
  RandomStreams streams_;
  EventQueue queue_;
  Day now_ = 0.0;
  const std::atomic<bool>* stop_ = nullptr;
};

}  // namespace tsim::core
