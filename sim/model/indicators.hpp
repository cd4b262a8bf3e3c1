// Indicators of one run, for paired policy comparisons. An IndicatorCollector
// sits between the model and the real sink (it forwards everything) and keeps
// what the indicators need. docs/INDICATORS.md says how each is computed.
#pragma once

#include <string>
#include <vector>

#include "sim/model/run.hpp"
#include "sim/model/sink.hpp"

namespace tsim::model {

struct IndicatorSet {
  std::vector<std::string> names;
  std::vector<double> values;  // NaN where undefined (e.g. nobody qualified)
  void add(std::string name, double value) {
    names.push_back(std::move(name));
    values.push_back(value);
  }
};

class IndicatorCollector final : public RunSink {
 public:
  /// Forwards every call to `next` (may be null).
  IndicatorCollector(const ScenarioSpec& spec, RunSink* next) : spec_(&spec), next_(next) {}

  void begin(const RunHeader& h) override;
  void events(std::span<const EventRecord> batch) override;
  void census(const CensusBatch& batch) override;
  void flows(const FlowBatch& batch) override;
  void pools(const PoolBatch& batch) override;
  void persons(const PersonBatch& batch) override;
  void finish() override;

  /// The indicators, once the run has finished. Needs persons (record level full or census).
  [[nodiscard]] IndicatorSet compute(const RunSummary& summary) const;

 private:
  const ScenarioSpec* spec_;
  RunSink* next_;
  // Census headcount and FTE per (period end, state), attributes summed.
  std::vector<double> period_end_;
  std::vector<std::vector<double>> headcount_, fte_;
  PoolBatch pools_;
  PersonBatch persons_;
};

}  // namespace tsim::model
