// Rules for the names a scenario, policy or sweep gives things, by what the
// name becomes in the outputs:
//  - a path (scenario, policy and sweep names; state names): 1-100 letters,
//    digits, '_', '-' or '.', not starting with '-' or '.', no "..", and not
//    a name the outputs use themselves (baseline, comparison.h5, ...);
//  - a column and an HDF5 dataset (attribute names): an identifier of at most
//    64 characters that no table already has as a column (schema.hpp) and no
//    loader adds (replication, variant, sample, dates);
//  - a label, stored as data (attribute levels, pool, route and event names):
//    1-100 characters, no control characters, no surrounding spaces.
// Each check returns what is wrong, to be reported at the name's location,
// or nullopt when the name is fine.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tsim::scenario {

/// `what` names the thing in the message ("scenario.name", "state").
[[nodiscard]] std::optional<std::string> path_name_problem(const std::string& name, const std::string& what);
[[nodiscard]] std::optional<std::string> column_name_problem(const std::string& name, const std::string& what);
[[nodiscard]] std::optional<std::string> label_problem(const std::string& name, const std::string& what);

/// Names the outputs use for their own files and folders.
[[nodiscard]] const std::vector<std::string>& reserved_output_names();
/// Column names attributes may not take: every table's fixed columns and
/// those the loaders add.
[[nodiscard]] std::vector<std::string> reserved_attribute_names();

}  // namespace tsim::scenario
