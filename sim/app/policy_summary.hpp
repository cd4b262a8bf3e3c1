// What `describe --policy` prints after the pipeline: each policy applied, in
// plain words (its [policy] table and [parameters] as applied), and what it
// adds to the scenario without it (modifiers, states, routes, pools).
#pragma once

#include <ostream>

#include "sim/scenario/scenario.hpp"

namespace tsim::app {

/// `with`: the scenario with its policies; `base`: the same without them.
/// Never throws (but std::bad_alloc and stream errors).
void write_policy_summary(const scenario::LoadedScenario& with, const scenario::LoadedScenario& base,
                          std::ostream& out);

}  // namespace tsim::app
