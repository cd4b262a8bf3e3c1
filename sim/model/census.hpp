// Headcount, FTE and flows of one run by state and census cell (a
// combination of census attribute levels), kept up to date on every move and
// written out at each census period end.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/model/person.hpp"
#include "sim/model/spec.hpp"
#include "sim/model/table_batch.hpp"

namespace tsim::model {

class Census {
 public:
  /// `spec` must outlive the Census.
  explicit Census(const ScenarioSpec& spec);

  /// Period ends in days since start; the last is the horizon.
  [[nodiscard]] const std::vector<double>& period_ends() const noexcept { return period_ends_; }
  /// The census cell of a person with these attribute levels and route.
  [[nodiscard]] std::uint32_t cell_of(const std::uint8_t* levels, std::int32_t route) const;
  /// Someone moves from `from` (-1: arrives) to `to`.
  void count_move(const Person& p, int from, int to);
  /// A person in `state` whose FTE changes by `delta_units` (FTE x kFteUnit).
  void adjust_fte(const Person& p, int state, std::int64_t delta_units);
  /// People in state `s` now, all cells together.
  [[nodiscard]] std::int64_t in_state(int s) const { return state_total_[static_cast<std::size_t>(s)]; }

  /// Appends period `period`'s census rows (non-zero cells) and flow rows
  /// (moves since the last period), then starts counting the next period's flows.
  void write_period(std::size_t period, TableBatch& census_rows, TableBatch& flow_rows);
  /// Headcount and FTE per state now, all cells together.
  void totals(std::vector<std::int64_t>& headcount, std::vector<double>& fte) const;
  /// Throws std::logic_error if the counters disagree with where people are.
  void check_invariants(const People& people) const;

 private:
  void decode(std::uint32_t cell, TableBatch& rows) const;

  const ScenarioSpec& spec_;
  std::vector<double> period_ends_;
  std::vector<std::uint32_t> radix_;      // levels per census attribute
  std::uint32_t cells_ = 1;
  std::size_t states_ = 0;
  std::vector<std::int64_t> headcount_;    // [state][cell]
  std::vector<std::int64_t> fte_units_;    // [state][cell], FTE x kFteUnit
  std::vector<std::int64_t> flow_counts_;  // [(from+1)][to][cell]
  std::vector<std::uint32_t> flow_touched_;
  std::vector<std::int64_t> state_total_;  // [state]
};

}  // namespace tsim::model
