// Indicators of one run, for paired policy comparisons. An IndicatorCollector
// sits between the model and the real sink (it forwards everything) and keeps
// what the indicators need. docs/INDICATORS.md defines each one: numerator,
// denominator and what it leaves out.
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

  /// The indicators, once the run has finished. The pipeline and diversity
  /// indicators need /persons (record level full or census).
  [[nodiscard]] IndicatorSet compute(const RunSummary& summary) const;

 private:
  const ScenarioSpec* spec_;
  RunSink* next_;
  RunHeader header_;  // owns the schema the kept tables point into
  std::optional<TableBatch> pools_, persons_;
  /// Moves over the whole run, from state (-1: arrivals) to state, attributes summed.
  std::vector<std::vector<std::int64_t>> flows_;
};

/// The parts of compute(), one file each (indicators_*.cpp).
namespace indicators {
/// Staff and trainees at each financial and calendar year end; vacancies
/// against funded establishments; leavers from staff by exit kind.
void add_workforce(const ScenarioSpec& spec, const RunSummary& summary,
                   const std::vector<std::vector<std::int64_t>>& flows, IndicatorSet& out);
/// Trainee entrants by route and programme: completion, attrition, time to
/// qualify, retention after qualifying; direct hires; shares by attribute.
void add_pipeline(const ScenarioSpec& spec, const TableBatch& persons, IndicatorSet& out);
void add_diversity(const ScenarioSpec& spec, const TableBatch& persons, IndicatorSet& out);
/// Supervision waits and use; costs (currency, undiscounted and discounted)
/// and the qualified FTE in post they buy.
void add_pools(const ScenarioSpec& spec, const TableBatch& pools, IndicatorSet& out);
void add_costs(const ScenarioSpec& spec, const RunSummary& summary, IndicatorSet& out);
}  // namespace indicators

}  // namespace tsim::model
