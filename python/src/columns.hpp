// Output tables as columns Python can turn into DataFrames: numpy arrays in
// the order and with the roles of the run schema (sim/model/schema.hpp), and
// the labels of each dictionary a code column points into, exactly as a run
// file holds them (docs/OUTPUT.md). Nothing here knows a column name.
#pragma once

#include <pybind11/pybind11.h>
#include <string>
#include <vector>

#include "sim/model/schema.hpp"
#include "sim/model/spec.hpp"
#include "sim/model/table_batch.hpp"

namespace tsim::python {

/// The labels of the dictionary that code column `column` (of role `role`)
/// indexes, in code order: /dictionary/states `name`, /dictionary/attributes/<a>
/// `label`, ... Throws std::logic_error for a role without a dictionary or
/// an attribute the scenario does not declare.
[[nodiscard]] std::vector<std::string> dictionary_labels(const model::ScenarioSpec& spec, model::ColumnRole role,
                                                         const std::string& column);

/// {dictionary path: [label of code 0, 1, ...]} for every dictionary a code
/// column of `schema` points into (paths as in the columns' `dictionary`
/// attribute, e.g. "/dictionary/states"). Needs the GIL.
[[nodiscard]] pybind11::dict dictionaries(const model::ScenarioSpec& spec, const model::RunSchema& schema);

/// One table over several replications: a list of (name, role, dictionary,
/// numpy array) tuples, first ("replication", "replication", "", int32
/// replication numbers), then every column of `schema` in order (int32 or
/// float64), the rows of parts[0], then parts[1], ... `replications[i]`
/// numbers the rows of parts[i]. Needs the GIL.
[[nodiscard]] pybind11::list table_columns(const model::TableSchema& schema,
                                           const std::vector<const model::TableBatch*>& parts,
                                           const std::vector<std::int32_t>& replications);

/// The states dictionary as columns (code, name, profession, kind, band;
/// band -1 when a state has none), as /dictionary/states holds it. Needs the GIL.
[[nodiscard]] pybind11::dict states_columns(const model::ScenarioSpec& spec);

}  // namespace tsim::python
