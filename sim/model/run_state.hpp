// Inside a Run (internal to sim/model): the parts of one replication and the
// moves that tie them together. run.cpp holds the moves and the event
// dispatch; arrivals.cpp creates people (intakes, Poisson arrivals, stock).
#pragma once

#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "sim/core/simulation.hpp"
#include "sim/model/census.hpp"
#include "sim/model/clocks.hpp"
#include "sim/model/compiled_scenario.hpp"
#include "sim/model/event_kind.hpp"
#include "sim/model/person.hpp"
#include "sim/model/pools.hpp"
#include "sim/model/run.hpp"
#include "sim/model/run_output.hpp"
#include "sim/model/schema.hpp"

namespace tsim::model {

struct Run::Impl final : PoolListener {
  Impl(const ScenarioSpec& s, RunOptions o);

  const ScenarioSpec& spec;
  RunOptions options;
  CompiledScenario compiled;
  RunSchema schema;
  core::Simulation sim;
  People people;
  Clocks clocks;
  Census census;
  Pools pools;
  RunOutput output;
  RunSummary summary;
  std::vector<std::uint32_t> arrivals_so_far;  // per route, Poisson arrivals
  std::uint32_t entering = kNobody;            // the person whose state entry is in progress
  std::vector<std::uint8_t> scratch_levels;    // attribute levels of the person being created
  /// Hazard spent in earlier supervised spells of the current stay, for
  /// while-supervised hazards under modifiers; key (person << 32 | transition).
  /// Sparse: only people whose supervisor left mid-stay have entries.
  std::unordered_map<std::uint64_t, double> spent_hazard;

  // Watchdog against cycles of transitions that take (almost) no time: moves
  // made within one millionth of a day of each other are counted together;
  // far more of them than the population could make is a loop that would
  // never end. The recent moves name the states of the loop.
  static constexpr double kStallWindowDays = 1e-6;
  double stall_since = -1.0;
  std::uint64_t stall_moves = 0;
  struct RecentMove {
    std::uint32_t person;
    int from, to;
  };
  std::array<RecentMove, 32> recent{};
  std::size_t recent_next = 0;
  void watch_progress(std::uint32_t id, int from, int to);

  // ---- moves (run.cpp) -------------------------------------------------------
  void record(std::uint32_t id, int event, int from, int to);
  /// Adds the days from `from_day` to `to_day` spent in `state` (a stay's part inside the run).
  void add_person_days(int state, double from_day, double to_day);
  /// Picks the earliest of the person's clocks and schedules only that one.
  void schedule_next(std::uint32_t id);
  void enter_state(std::uint32_t id, int state, double state_since);
  void move(std::uint32_t id, int to, int event);
  void arrive(std::uint32_t id, int state, int event, double state_since);
  void fire(std::uint32_t id, const CompiledTransition& t);
  /// Sets the person's FTE as the outcome says, before they move (run_fte.cpp).
  void change_fte(std::uint32_t id, const Outcome& o);
  void renege(std::uint32_t id);
  void take_census(std::size_t period);
  /// The year boundaries inside the run, by day; filled in as they pass.
  std::vector<YearEnd> year_ends;
  void plan_year_ends();
  void take_year_end(std::size_t n);
  void slot_granted(std::uint32_t id, int pool) override;
  void slot_lost(std::uint32_t id, int pool) override;
  void spell_ending(std::uint32_t id) override;
  void grants_held(int pool) override;
  [[nodiscard]] static std::uint64_t spent_key(std::uint32_t id, const CompiledTransition& t) {
    return (std::uint64_t{id} << 32) | static_cast<std::uint32_t>(t.index);
  }

  // ---- arrivals (arrivals.cpp) -------------------------------------------------
  [[nodiscard]] double draw(const core::Distribution& d, std::uint64_t key, std::uint32_t purpose_code) const;
  std::uint32_t create_person(std::uint64_t key, const CompiledMix& mix, int route);
  void create_stock();
  void run_intake(std::size_t n);
  void schedule_arrival(std::size_t route);
  void poisson_arrival(std::size_t route);
  void change_capacity(std::size_t n);
  /// Intakes, Poisson arrivals, capacity changes and census ends, in that order.
  void schedule_global_events();
};

}  // namespace tsim::model
