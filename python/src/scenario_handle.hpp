// A loaded scenario as the Python module holds it: the LoadedScenario,
// shared with every result that ran it (their run headers point into it),
// and where it came from (file or text, overrides, policies), so that
// compare() can load the same baseline again with each policy.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace tsim::python {

/// Where a scenario came from, enough to load it again.
struct ScenarioSource {
  std::string path;                    // the scenario file; "" when it came from text
  std::string text;                    // the scenario text when it came from text
  std::string origin;                  // names the text in messages (the path for a file)
  std::vector<std::string> overrides;  // `--set key=value` texts, in order
  std::vector<std::string> policies;   // policy file paths, applied in order
};

class ScenarioHandle {
 public:
  /// Loads, applies the policies and overrides, validates. Throws
  /// core::InputError with every problem (file:line:column).
  [[nodiscard]] static ScenarioHandle load(ScenarioSource source);

  /// The same scenario text and overrides with `policies` applied instead
  /// of this one's. Throws core::InputError.
  [[nodiscard]] ScenarioHandle with_policies(std::vector<std::string> policies) const;

  [[nodiscard]] const scenario::LoadedScenario& loaded() const noexcept { return *loaded_; }
  [[nodiscard]] const std::shared_ptr<const scenario::LoadedScenario>& shared() const noexcept { return loaded_; }
  [[nodiscard]] const ScenarioSource& source() const noexcept { return source_; }
  /// "baseline" or the policy names joined by '+' (batch::variant_name).
  [[nodiscard]] std::string variant() const;

 private:
  ScenarioHandle(ScenarioSource source, std::shared_ptr<const scenario::LoadedScenario> loaded)
      : source_(std::move(source)), loaded_(std::move(loaded)) {}

  ScenarioSource source_;
  std::shared_ptr<const scenario::LoadedScenario> loaded_;
};

}  // namespace tsim::python
