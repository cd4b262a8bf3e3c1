// The output interface. The model hands plain column batches to a sink; the
// HDF5 writer (output/) and the memory sink (tests) are two backends. Tables
// and columns are exactly those of docs/OUTPUT.md.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/model/spec.hpp"

namespace tsim::model {

/// Everything about a run that is known before it starts.
struct RunHeader {
  const ScenarioSpec* spec = nullptr;  // dictionaries come from here
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
  std::vector<std::string> census_by;  // names of the census attribute columns
};

/// One state change (or arrival, with from_state = -1).
struct EventRecord {
  double day;
  std::int32_t person_id;
  std::int32_t event;
  std::int32_t from_state;
  std::int32_t to_state;
};

struct CensusBatch {
  std::vector<std::int32_t> period;
  std::vector<double> period_end_day;
  std::vector<std::int32_t> state;
  std::vector<std::vector<std::int32_t>> by;  // one column per census attribute
  std::vector<std::int32_t> headcount;
  std::vector<double> fte;
  [[nodiscard]] std::size_t size() const noexcept { return period.size(); }
};

struct FlowBatch {
  std::vector<std::int32_t> period;
  std::vector<std::int32_t> from_state;
  std::vector<std::int32_t> to_state;
  std::vector<std::vector<std::int32_t>> by;
  std::vector<std::int32_t> count;
  [[nodiscard]] std::size_t size() const noexcept { return period.size(); }
};

struct PoolBatch {
  std::vector<std::int32_t> period;
  std::vector<std::int32_t> pool;
  std::vector<std::int32_t> capacity;
  std::vector<std::int32_t> in_use;
  std::vector<std::int32_t> queue_length;
  std::vector<std::int32_t> granted;    // slots granted during the period
  std::vector<double> mean_wait_days;  // NaN when nobody was granted a slot in the period
  std::vector<double> max_wait_days;
  [[nodiscard]] std::size_t size() const noexcept { return period.size(); }
};

struct PersonBatch {
  std::vector<std::int32_t> person_id;
  std::vector<std::vector<std::int32_t>> attributes;  // one column per declared attribute
  std::vector<std::int32_t> route;                    // -1 for initial stock
  std::vector<std::int32_t> is_initial_stock;
  std::vector<double> entry_day;
  std::vector<std::int32_t> entry_state;
  std::vector<double> age_at_entry;                   // years
  std::vector<double> fte;
  std::vector<double> qualified_day;                  // NaN if never
  std::vector<std::int32_t> qualified_state;          // the state they qualified into, -1 if never
  std::vector<double> exit_day;                       // NaN if censored at the horizon
  std::vector<std::int32_t> exit_state;               // -1 if censored
  [[nodiscard]] std::size_t size() const noexcept { return person_id.size(); }
};

class RunSink {
 public:
  virtual ~RunSink() = default;
  virtual void begin(const RunHeader& header) = 0;
  /// Events in time order, in chunks (called only at record level full).
  virtual void events(std::span<const EventRecord> batch) = 0;
  /// One census period's rows at a time, in period order.
  virtual void census(const CensusBatch& batch) = 0;
  virtual void flows(const FlowBatch& batch) = 0;
  virtual void pools(const PoolBatch& batch) = 0;
  /// All persons at the end, in person_id order, in one or more chunks
  /// (record levels full and census).
  virtual void persons(const PersonBatch& batch) = 0;
  /// The run is complete: make it durable and visible.
  virtual void finish() = 0;
};

}  // namespace tsim::model
