// Reads scenario files (TOML) into a validated ScenarioSpec. Every key is
// documented in scenarios/README.md. All problems are reported at once, each
// with file:line:column; nothing is simulated or written on failure.
#pragma once

#include <string>
#include <vector>

#include "sim/model/spec.hpp"

namespace tsim::scenario {

/// One `--set path=value` override, e.g. "parameters.cohort=100000".
struct Override {
  std::string text;
};

struct LoadedScenario {
  model::ScenarioSpec spec;
  std::string path;           // the file it came from
  std::string resolved_text;  // the TOML after overrides: reproduces the run on its own
  std::string sha256;         // of resolved_text
};

/// Loads, applies policies (files under scenarios/policies/, merged in order)
/// and then overrides, validates. Throws core::InputError with every problem
/// found (file:line:column where a position exists).
[[nodiscard]] LoadedScenario load_scenario_file(const std::string& path, const std::vector<Override>& overrides = {},
                                                const std::vector<std::string>& policy_paths = {});

/// The same from text already in memory; `origin` names it in messages.
[[nodiscard]] LoadedScenario load_scenario_text(const std::string& text, const std::string& origin,
                                                const std::vector<Override>& overrides = {},
                                                const std::vector<std::string>& policy_paths = {});

/// The name of a policy file ([policy] name), for output folders.
[[nodiscard]] std::string policy_name(const std::string& policy_path);

/// Largest number of people a scenario may create (stock plus every intake).
inline constexpr std::int64_t kMaxPeople = 500'000'000;

}  // namespace tsim::scenario
