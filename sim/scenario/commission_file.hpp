// Commissioning files: which training places to buy. Places per programme
// are [parameters] entries with bounds and a price; the target is a sum of
// indicators (e.g. qualified staff of a profession on a date) that must
// reach a level; an optional budget caps the plan's cost. Keys:
// scenarios/README.md, "Commissioning files".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/error.hpp"

namespace tsim::scenario {

/// Places a year on one programme: a [parameters] entry, a whole number in [low, high].
struct Programme {
  std::string parameter;
  double low = 0, high = 0;
  double cost_per_place = 0;  // currency units per place (per year of intake)
  core::SourceLocation where;
};

struct CommissionSpec {
  std::string name;
  std::string path;
  std::string scenario_path;
  long long replications = 4;
  std::uint32_t seed = 1;
  long long max_evaluations = 200;
  std::vector<Programme> programmes;
  std::vector<std::string> target_indicators;  // summed
  double target = 0;                           // the sum must reach this (mean over replications)
  std::optional<double> budget;                // most the plan may cost (currency units a year)
  bool most_for_budget = false;                // instead: the largest sum within the budget (no at_least)
};

/// Reads and checks a commissioning file. Throws core::InputError with every
/// problem at file:line:column.
[[nodiscard]] CommissionSpec load_commission_file(const std::string& path);

}  // namespace tsim::scenario
