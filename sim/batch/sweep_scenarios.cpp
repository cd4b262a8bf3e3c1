#include "sim/batch/sweep_scenarios.hpp"

#include "sim/core/error.hpp"

namespace tsim::batch {

SweepScenarios::SweepScenarios(const scenario::SweepSpec& sweep, const SweepPlan& plan) {
  (void)scenario::load_scenario_file(sweep.scenario_path);
  loaded_.resize(plan.variants().size() * plan.samples());
  errors_.resize(loaded_.size());
  for (std::size_t v = 0; v < plan.variants().size(); ++v)
    for (std::size_t k = 0; k < plan.samples(); ++k) {
      std::vector<scenario::Override> overrides;
      for (const auto& s : sweep.overrides(k)) overrides.push_back({s});
      const std::size_t slot = plan.slot(v, k);
      try {
        loaded_[slot] = scenario::load_scenario_file(sweep.scenario_path, overrides, plan.variants()[v].policies);
      } catch (const core::InputError& e) {
        errors_[slot] = e.what();
      }
    }
  same_.assign(loaded_.size(), 0);
  const bool with_baseline = !plan.variants().empty() && plan.variants()[0].policies.empty();
  for (std::size_t v = 1; with_baseline && v < plan.variants().size(); ++v)
    for (std::size_t k = 0; k < plan.samples(); ++k) {
      const auto* base = get(plan.slot(0, k));
      const auto* mine = get(plan.slot(v, k));
      same_[plan.slot(v, k)] = base && mine && base->sha256 == mine->sha256 ? 1 : 0;
    }
}

}  // namespace tsim::batch
