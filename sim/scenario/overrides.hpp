// `--set key.path=value` overrides: each is parsed as a one-line TOML document
// and merged into the scenario's table before the scenario is read, so the
// override is validated like the rest of the file.
#pragma once

#include <toml++/toml.h>
#include <vector>

#include "sim/scenario/reader.hpp"
#include "sim/scenario/scenario.hpp"

namespace tsim::scenario {

/// Merges the overrides into `root` in order. A value that is not TOML is
/// taken as a string (`scenario.name=my-run`). Tables are merged key by key,
/// array entries are reached by index ("transitions.1.to"), and a parameter
/// must already exist under [parameters]. Problems go to reader.diags, placed
/// in "--set" (or "--set #2" when there are several overrides).
void apply_overrides(toml::table& root, const std::vector<Override>& overrides, Reader& reader);

}  // namespace tsim::scenario
