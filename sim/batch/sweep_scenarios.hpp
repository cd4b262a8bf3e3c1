// The scenario of every (variant, parameter sample) of a sweep, loaded once
// before any run starts. A slot that fails to load (e.g. a policy naming a
// state the scenario lacks, a swept value out of range) keeps its problems;
// `traineesim sweep` refuses the sweep before writing anything
// (check_all_load), while an index of other processes' files records such
// slots' runs as failed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/batch/sweep_plan.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/sweep.hpp"

namespace tsim::batch {

class SweepScenarios {
 public:
  /// Loads the base scenario alone first: if that fails the sweep cannot
  /// start, and core::InputError propagates. Then loads each slot with its
  /// sample's overrides and its variant's policies, keeping a slot's
  /// core::InputError as its error.
  SweepScenarios(const scenario::SweepSpec& sweep, const SweepPlan& plan);

  /// The scenario of a slot (SweepPlan::slot), or null if it failed to load.
  [[nodiscard]] const scenario::LoadedScenario* get(std::size_t slot) const noexcept {
    return loaded_[slot] ? &*loaded_[slot] : nullptr;
  }
  /// Why a slot failed to load ("" if it loaded).
  [[nodiscard]] const std::string& error(std::size_t slot) const noexcept { return errors_[slot]; }
  /// The problems of a slot that failed to load (empty if it loaded).
  [[nodiscard]] const std::vector<core::Diagnostic>& problems(std::size_t slot) const noexcept {
    return problems_[slot];
  }
  [[nodiscard]] std::size_t size() const noexcept { return loaded_.size(); }
  /// True when the slot is a policy variant whose resolved scenario equals
  /// the baseline's for the same sample (e.g. a grid key overriding what the
  /// policy sets): its paired differences are 0 by construction.
  [[nodiscard]] bool same_as_baseline(std::size_t slot) const noexcept { return same_[slot] != 0; }

 private:
  std::vector<char> same_;
  std::vector<std::optional<scenario::LoadedScenario>> loaded_;
  std::vector<std::string> errors_;
  std::vector<std::vector<core::Diagnostic>> problems_;
};

/// Throws core::InputError when any (variant, sample) of the sweep fails to
/// load: each distinct problem once, placed at the swept key it comes from
/// (an override's own problem) or else kept where it is, prefixed with the
/// variant and sample (and how many other samples share it).
void check_all_load(const scenario::SweepSpec& sweep, const SweepPlan& plan, const SweepScenarios& scenarios);

}  // namespace tsim::batch
