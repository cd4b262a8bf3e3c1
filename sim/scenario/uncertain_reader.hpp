// Reading [uncertain] (uncertain.hpp): the loader's part, which needs toml++.
#pragma once

#include <toml++/toml.h>
#include <vector>

#include "sim/scenario/reader.hpp"
#include "sim/scenario/uncertain.hpp"

namespace tsim::scenario {

/// Reads [uncertain] of `root` (the table after policies and overrides). Each
/// entry must name a [parameters] entry and give `distribution`, its keys and
/// `source`. Problems go to r.diags.
[[nodiscard]] std::vector<UncertainParameter> read_uncertain(Reader& r, const toml::table& root);

}  // namespace tsim::scenario
