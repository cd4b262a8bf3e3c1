// Reads scenario files (TOML) into a validated ScenarioSpec. Every key is
// documented in scenarios/README.md. All problems are reported at once, each
// with file:line:column; nothing is simulated or written on failure.
#pragma once

#include <string>
#include <vector>

#include "sim/core/error.hpp"
#include "sim/model/spec.hpp"
#include "sim/scenario/uncertain.hpp"

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
  double people = 0;          // people one run creates: stock, places and expected Poisson arrivals
  /// Plausibility warnings (legal, probably a mistake), each with its location;
  /// they never stop a load. The command line prints them as "file:line:column: warning: ...".
  std::vector<core::Diagnostic> warnings;
  std::vector<UncertainParameter> uncertain;  // [uncertain.<parameter>] (uncertain.hpp); psa uses them
  /// Each policy applied, in order: its name and its text as applied
  /// (PolicyInfo::text). Results folders' manifests keep them.
  std::vector<std::pair<std::string, std::string>> policy_texts;
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

/// A policy file's [policy] name and where it is written.
struct PolicyName {
  std::string name;
  core::SourceLocation where;
};

/// Reads the [policy] name of a policy file, checked by the rule apply_policy
/// applies (names.hpp: it becomes an output folder). Throws core::InputError
/// (the file is missing or not TOML, or the name is missing or bad).
[[nodiscard]] PolicyName read_policy_name(const std::string& policy_path);

/// The name of a policy file ([policy] name), for output folders: read_policy_name(path).name.
[[nodiscard]] std::string policy_name(const std::string& policy_path);

/// Checks that the policies of one compare or sweep have distinct names
/// (each names a variant's output folder). Throws core::InputError with every
/// problem: a file that does not give a good name, and each repeated name at
/// its location, naming the file and location of the first.
void check_distinct_policy_names(const std::vector<std::string>& policy_paths);

/// Largest number of people a scenario may create (stock plus every intake).
inline constexpr std::int64_t kMaxPeople = 500'000'000;

}  // namespace tsim::scenario
