// A tiny sweep on the tiny scenario: baseline and the senior-posts policy,
// two cohort sizes, three replications (12 runs of well under a second).
#pragma once

#include <string>

#include "sim/scenario/sweep.hpp"
#include "tests/support/tiny_scenario.hpp"

namespace tsim::test {

/// Writes the scenario, the policy and the sweep file into `dir`; returns the
/// sweep file's path. `extra_policies`: more policy file names to list.
inline std::string write_tiny_sweep(const TempDir& dir, const std::string& extra_policies = "") {
  (void)dir.write("tiny.toml", kTinyScenario);
  (void)dir.write("senior.toml", kSeniorPolicy);
  return dir.write("sweep.toml", R"toml([sweep]
name = "tiny-sweep"
scenario = "tiny.toml"
policies = ["senior.toml")toml" + extra_policies + R"toml(]
replications = 3
seed = 11
record = "census"

[grid]
"parameters.cohort" = [60, 90]
)toml");
}

/// A policy that names a state the tiny scenario lacks: it cannot load.
inline constexpr const char* kBrokenPolicy = R"toml([policy]
name = "broken"
[[transitions]]
from = "nowhere"
after_years = 1
to = "left"
)toml";

}  // namespace tsim::test
