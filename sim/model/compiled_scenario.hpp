// What a run precomputes from the scenario once: each state's outgoing
// transitions with their branch tables, entrant mixes as alias tables, which
// modifiers touch which transition, and the global events in day order.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "sim/core/distributions.hpp"
#include "sim/model/spec.hpp"

namespace tsim::model {

struct CompiledMix {
  std::vector<core::AliasTable> attributes;  // one per declared attribute
  const core::Distribution* age = nullptr;   // years
  const core::Distribution* fte = nullptr;
};

struct CompiledTransition {
  const TransitionSpec* spec = nullptr;
  int index = 0;                                  // in ScenarioSpec::transitions: its random purpose
  core::AliasTable branch;                        // default outcome probabilities
  std::vector<core::AliasTable> branch_by_level;  // per level of branch_attribute
  std::vector<std::pair<double, core::AliasTable>> branch_from_day;  // dated tables, by first day
  std::vector<std::vector<core::AliasTable>> branch_by_level_from_day;  // with branch_by: [dated row][level]

  /// The outcome table in force on `day` (the last dated table begun, else the default).
  const core::AliasTable& branch_at(double day) const {
    const core::AliasTable* table = &branch;
    for (const auto& [from, t] : branch_from_day)
      if (day >= from) table = &t;
    return *table;
  }
  /// With branch_by: the table in force on `day` for attribute level `level`.
  const core::AliasTable& branch_by_level_at(double day, std::size_t level) const {
    const core::AliasTable* table = &branch_by_level[level];
    for (std::size_t i = 0; i < branch_by_level_from_day.size(); ++i)
      if (day >= branch_from_day[i].first) table = &branch_by_level_from_day[i][level];
    return *table;
  }
};

struct CompiledScenario {
  /// `spec` must outlive the result.
  explicit CompiledScenario(const ScenarioSpec& spec);

  std::vector<std::vector<CompiledTransition>> out;  // per state, in declaration order
  std::vector<CompiledMix> route_mix, stock_mix;
  std::vector<std::vector<int>> modifiers_of;  // per transition: indices into spec.modifiers
  std::vector<std::pair<int, int>> intakes;    // (route, intake number), in day order
  std::vector<std::pair<int, std::size_t>> capacity_changes;  // (pool, change number), in day order
  /// People the scenario will create, for reserving memory (Poisson routes: a guess).
  std::size_t expected_people = 0;
};

}  // namespace tsim::model
