// A sink that keeps every table in memory, for tests and in-process analysis.
#pragma once

#include "sim/model/sink.hpp"

namespace tsim::model {

class MemorySink final : public RunSink {
 public:
  void begin(const RunHeader& header) override;
  void events(std::span<const EventRecord> batch) override;
  void census(const CensusBatch& batch) override;
  void flows(const FlowBatch& batch) override;
  void pools(const PoolBatch& batch) override;
  void persons(const PersonBatch& batch) override;
  void finish() override { finished = true; }

  RunHeader header;
  std::vector<EventRecord> event_log;
  CensusBatch census_table;
  FlowBatch flow_table;
  PoolBatch pool_table;
  PersonBatch person_table;
  bool finished = false;
};

}  // namespace tsim::model
