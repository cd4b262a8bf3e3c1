// Small scenarios for tests, written inline so each test shows its model.
#pragma once

#include <string>

#include "sim/scenario/scenario.hpp"

namespace tsim::test {

/// Loads a scenario from text (origin "test.toml"); throws InputError.
inline scenario::LoadedScenario load(const std::string& text, const std::vector<scenario::Override>& o = {}) {
  return scenario::load_scenario_text(text, "test.toml", o);
}

/// Path of a shipped file under the source tree.
inline std::string source_path(const std::string& relative) { return std::string(TSIM_SOURCE_DIR) + "/" + relative; }

}  // namespace tsim::test
