// The scenario of every (variant, parameter sample) of a sweep, loaded once
// before any run starts. A slot that fails to load (e.g. a policy naming a
// state the scenario lacks) does not stop the sweep: its runs are reported
// failed with the reason, and the other slots run.
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
  [[nodiscard]] std::size_t size() const noexcept { return loaded_.size(); }
  /// True when the slot is a policy variant whose resolved scenario equals
  /// the baseline's for the same sample (e.g. a grid key overriding what the
  /// policy sets): its paired differences are 0 by construction.
  [[nodiscard]] bool same_as_baseline(std::size_t slot) const noexcept { return same_[slot] != 0; }

 private:
  std::vector<char> same_;
  std::vector<std::optional<scenario::LoadedScenario>> loaded_;
  std::vector<std::string> errors_;
};

}  // namespace tsim::batch
