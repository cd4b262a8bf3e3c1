// Indicators of one run, for paired policy comparisons. An IndicatorCollector
// sits between the model and the real sink (it forwards everything) and keeps
// what the indicators need. docs/INDICATORS.md says how each is computed.
#pragma once

#include <optional>
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
  /// The value of the indicator called `name`, or NaN if there is none.
  [[nodiscard]] double value(const std::string& name) const;
};

class IndicatorCollector final : public RunSink {
 public:
  /// Forwards every call to `next` (may be null).
  IndicatorCollector(const ScenarioSpec& spec, RunSink* next) : spec_(&spec), next_(next) {}

  void begin(const RunHeader& h) override;
  void append(const TableBatch& rows) override;
  void finish() override;

  /// The indicators, once the run has finished. Needs persons (record level full or census).
  [[nodiscard]] IndicatorSet compute(const RunSummary& summary) const;

 private:
  void add_census(const TableBatch& b);
  void add_workforce(IndicatorSet& out) const;
  void add_pipeline(IndicatorSet& out) const;
  void add_diversity(IndicatorSet& out) const;
  void add_pools(IndicatorSet& out) const;
  void add_costs(IndicatorSet& out, const RunSummary& summary) const;

  const ScenarioSpec* spec_;
  RunSink* next_;
  RunHeader header_;  // owns the schema the kept tables point into
  // Census headcount and FTE per (period end, state), attributes summed.
  std::vector<double> period_end_;
  std::vector<std::vector<double>> headcount_, fte_;
  std::optional<TableBatch> pools_, persons_;
};

}  // namespace tsim::model
