// Scenario, policy and override text in, toml++ tables out: file checks
// before reading, and syntax errors as InputError with their position.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <toml++/toml.h>

#include "sim/core/error.hpp"

namespace tsim::scenario {

/// Largest scenario or policy file, in bytes. Scenarios are written by hand;
/// anything bigger is a mistake (a data file given by accident).
inline constexpr std::size_t kMaxFileBytes = 16u << 20;

/// The whole file at `path`. Throws core::InputError when it does not exist,
/// is a directory or not a regular file, is over kMaxFileBytes, or cannot be read.
[[nodiscard]] std::string read_source_file(const std::string& path);

/// Parses TOML text; `origin` names it in positions. Throws core::InputError
/// at the first syntax error: toml++'s message, and where syntax_hint has
/// one, what was expected in plain words.
[[nodiscard]] toml::table parse_toml(const std::string& text, const std::string& origin);

/// For a toml++ syntax error `description` on the source line `line`: a
/// plain-words explanation of a common mistake (a string without quotes, a
/// table header without its ']', a key or table given twice, an unclosed
/// string, array or inline table, ':' for '=', a capitalised True/False, a
/// unit after a number), or "" when it is none of those.
/// Never throws (but std::bad_alloc).
[[nodiscard]] std::string syntax_hint(std::string_view description, std::string_view line);

/// A toml++ position: the region's own file if it has one, else `origin`.
[[nodiscard]] core::SourceLocation location_of(const toml::source_region& r, const std::string& origin);

}  // namespace tsim::scenario
