// The output interface. The model hands rows of the tables in schema.hpp to
// a sink, one TableBatch at a time; the HDF5 writer (output/) and the memory
// sink are two backends, and a test checks they agree.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sim/model/schema.hpp"
#include "sim/model/spec.hpp"
#include "sim/model/table_batch.hpp"

namespace tsim::model {

/// Everything about a run that is known before it starts.
struct RunHeader {
  const ScenarioSpec* spec = nullptr;  // dictionaries come from here; must outlive the sink's use of it
  std::shared_ptr<const RunSchema> schema;  // the tables' columns (RunSchema::for_scenario(*spec))
  std::string scenario_sha256;
  std::string resolved_text;           // the scenario after overrides, reproducible on its own
  std::string policies;                // "" for the baseline
  std::string variant = "baseline";
  std::uint32_t replication = 0;
  std::uint32_t master_seed = 0;
  std::string rng_scheme;
  RecordLevel record_level = RecordLevel::full;
  std::string traineesim_version;
  std::string git_sha;
};

/// Whether a record level writes a table: `full` writes all five, `census`
/// all but events, `summary` only census, flows and pools.
[[nodiscard]] bool writes(RecordLevel level, TableId table);

class RunSink {
 public:
  virtual ~RunSink() = default;
  virtual void begin(const RunHeader& header) = 0;
  /// Rows of one table, in the schema the header declared for it. Events
  /// come in time order; census, flows and pools one census period at a time,
  /// in period order; persons in person_id order at the end. Only tables the
  /// record level writes are appended to.
  virtual void append(const TableBatch& rows) = 0;
  /// The run is complete: make it durable and visible.
  virtual void finish() = 0;
};

}  // namespace tsim::model
