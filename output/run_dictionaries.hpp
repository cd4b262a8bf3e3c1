// The dictionaries of a run file (/dictionary/..., docs/OUTPUT.md), made
// from the scenario in one place: the writer writes them and the verifier
// compares a file's against them. Internal to output/.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <hdf5.h>

#include "sim/model/spec.hpp"

namespace tsim::output {

/// One column of a dictionary table.
struct DictionaryColumn {
  std::string name;
  std::variant<std::vector<std::int32_t>, std::vector<double>, std::vector<std::string>> values;
};

/// One dictionary table: its group below /dictionary ("states", "attributes/<name>").
struct Dictionary {
  std::string group;
  std::vector<DictionaryColumn> columns;
};

/// Every dictionary of a scenario's run files, in the order they are written:
/// states, events, routes, pools, then one per attribute. Never throws (but std::bad_alloc).
[[nodiscard]] std::vector<Dictionary> run_dictionaries(const model::ScenarioSpec& spec);

/// Writes run_dictionaries(spec) into `group` (a run file's /dictionary, or
/// a variant's /dictionary/<variant> in sweep.h5): one group per table,
/// attribute tables under attributes/ (written even when there are none).
/// Caller holds the HDF5 lock. Throws OutputError.
void write_dictionaries(hid_t group, const model::ScenarioSpec& spec);

/// "attributes/": the prefix of the attribute dictionaries' groups.
inline constexpr const char* kAttributeDictionaries = "attributes/";

}  // namespace tsim::output
