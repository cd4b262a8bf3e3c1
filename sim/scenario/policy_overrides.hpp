// Overrides addressed to one policy: `--set policy.<name>.<key>=value`, where
// <name> is the policy's [policy] name. <key> `cost_per_year` or `cost_once`
// sets the policy's cost; any other key sets <name>'s own [parameters]
// entry (which must exist there). A variant that does not apply policy
// <name> ignores the override, so the baseline of a compare or sweep runs
// with the policy absent, which is the policy's neutral value.
#pragma once

#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace tsim::scenario {

/// True when the override's key starts with "policy.".
[[nodiscard]] bool is_policy_override(const Override& o);

/// The overrides among `overrides` addressed to the policy named `name`,
/// rewritten for the policy file's own table ("parameters.<key>=value" or
/// "policy.cost_per_year=value"). Never throws (but std::bad_alloc).
[[nodiscard]] std::vector<Override> overrides_for_policy(const std::vector<Override>& overrides,
                                                         const std::string& name);

/// Checks that every policy override names one of `policy_names` (the
/// policies of the command or sweep). Throws core::InputError with every
/// problem, override i placed at where[i] ("--set" when `where` is shorter).
void check_policy_overrides(const std::vector<Override>& overrides, const std::vector<std::string>& policy_names,
                            const std::vector<core::SourceLocation>& where);

}  // namespace tsim::scenario
