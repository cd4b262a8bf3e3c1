// Policy files (scenarios/policies/*.toml): a [policy] table that names and
// prices the intervention, and scenario content merged into the scenario's
// table before it is read. Keys: scenarios/README.md, "Policies".
#pragma once

#include <optional>
#include <string>
#include <toml++/toml.h>
#include <vector>

#include "sim/core/calendar.hpp"
#include "sim/model/spec.hpp"
#include "sim/scenario/reader.hpp"
#include "sim/scenario/scenario.hpp"

namespace tsim::scenario {

/// What a policy's [policy] table says about it.
struct PolicyInfo {
  std::string name;            // names the variant in outputs
  double cost_per_year = 0.0;  // currency units per year, from `effective`
  double cost_once = 0.0;      // currency units
  std::optional<core::Date> effective;
  core::SourceLocation effective_where;  // of `effective`, for the warning when it is past the horizon
  /// The policy as applied: the file's text, or (when `policy.<name>.<key>`
  /// overrides changed it) the table after them, written by toml++. Results
  /// folders keep it so a report can show the policy without its file.
  std::string text;
};

/// Merges policy content into a scenario table: tables key by key, arrays
/// (of tables: [[transitions]], [[modifiers]], ...) appended, new keys added,
/// and any other value of `src` replaces the scenario's. The nodes are moved
/// out of `src`, so they keep their source regions: a later problem with
/// something the policy wrote is placed in the policy file.
void merge_policy(toml::table& dst, toml::table&& src);

/// Reads the policy file at `path`, applies the overrides addressed to it
/// (`policy.<name>.<key>=value`, policy_overrides.hpp), checks its [policy]
/// table and merges the rest into `root`. Problems go to reader.diags; a file
/// that is missing or not TOML throws core::InputError.
[[nodiscard]] PolicyInfo apply_policy(toml::table& root, const std::string& path, Reader& reader,
                                      const std::vector<Override>& overrides = {});

/// Records the applied policies (names, summed costs, the start day of the
/// last policy that gives `effective`) in a spec whose start date is set.
void record_policies(model::ScenarioSpec& spec, const std::vector<PolicyInfo>& policies);

}  // namespace tsim::scenario
