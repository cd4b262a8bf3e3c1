#include "python/src/scenario_handle.hpp"

#include "sim/batch/run_header.hpp"

namespace tsim::python {

ScenarioHandle ScenarioHandle::load(ScenarioSource source) {
  std::vector<scenario::Override> overrides;
  for (const auto& text : source.overrides) overrides.push_back({text});
  auto loaded = std::make_shared<scenario::LoadedScenario>(
      source.path.empty() ? scenario::load_scenario_text(source.text, source.origin, overrides, source.policies)
                          : scenario::load_scenario_file(source.path, overrides, source.policies));
  if (!source.path.empty()) source.origin = source.path;
  return ScenarioHandle(std::move(source), std::move(loaded));
}

ScenarioHandle ScenarioHandle::with_policies(std::vector<std::string> policies) const {
  ScenarioSource source = source_;
  source.policies = std::move(policies);
  return load(std::move(source));
}

std::string ScenarioHandle::variant() const { return batch::variant_name(loaded_->spec); }

}  // namespace tsim::python
