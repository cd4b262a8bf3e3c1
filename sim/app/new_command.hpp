// `traineesim new NAME`: a commented template scenario to start from. The
// template is a working scenario (a training programme with supervision, a
// qualified workforce that provides it, an initial stock), so it validates
// and runs as written, and every key it uses is explained where it appears.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace tsim::app {

/// The template's text with `name` as its [scenario] name. Never throws (but std::bad_alloc).
[[nodiscard]] std::string scenario_template(const std::string& name);

/// The `new` command: writes NAME.toml (or --dir DIR/NAME.toml), refusing to
/// overwrite. Returns the exit status; throws UsageError for a bad name or
/// an existing file.
int cmd_new(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace tsim::app
