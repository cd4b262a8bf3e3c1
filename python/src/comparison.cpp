#include "python/src/comparison.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <stdexcept>

#include "output/comparison_writer.hpp"
#include "python/src/interruptible.hpp"
#include "sim/batch/comparison.hpp"
#include "sim/batch/replication_pool.hpp"
#include "sim/batch/run_one.hpp"
#include "sim/model/indicators.hpp"

namespace py = pybind11;

namespace tsim::python {

namespace {

// Indicators of replications 0..R-1 of one variant, computed as the runs go
// (no file is written).
std::vector<model::IndicatorSet> indicators_of(const ScenarioHandle& scenario, std::uint32_t seed,
                                               const RunSettings& settings, const std::atomic<bool>& stop) {
  std::vector<model::IndicatorSet> out(settings.replications);
  const std::string variant = scenario.variant();
  const batch::ReplicationPool pool(settings.threads);
  (void)pool.run(
      settings.replications,
      [&](std::size_t i) {
        batch::RunRequest request;
        request.variant = variant;
        request.master_seed = seed;
        request.replication = static_cast<std::uint32_t>(i);
        request.record_level = settings.level;
        request.stop = &stop;
        model::IndicatorCollector collector(scenario.loaded().spec, nullptr);
        const model::RunSummary summary = batch::run_one(scenario.loaded(), request, collector);
        out[i] = collector.compute(summary);
      },
      &stop);
  return out;
}

template <class V>
py::array_t<V> array_of(const std::vector<V>& values) {
  return py::array_t<V>(static_cast<py::ssize_t>(values.size()), values.data());
}

py::dict columns_of(const output::ComparisonTable& t) {
  py::dict out;
  out["indicator"] = py::cast(t.indicator);
  out["policy"] = py::cast(t.policy);
  out["baseline_mean"] = array_of(t.baseline_mean);
  out["policy_mean"] = array_of(t.policy_mean);
  out["difference"] = array_of(t.difference);
  out["ci_low"] = array_of(t.ci_low);
  out["ci_high"] = array_of(t.ci_high);
  out["half_width_paired"] = array_of(t.half_width_paired);
  out["half_width_unpaired"] = array_of(t.half_width_unpaired);
  std::vector<std::int32_t> replications(t.replications.begin(), t.replications.end());
  out["replications"] = array_of(replications);
  std::vector<std::int32_t> same(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) same[i] = t.is_same_as_baseline(t.policy[i]) ? 1 : 0;
  out["same_as_baseline"] = array_of(same);
  return out;
}

}  // namespace

py::dict compare(const ScenarioHandle& baseline, const std::vector<std::string>& policies,
                 const RunSettings& settings, bool independent_seeds) {
  if (!baseline.source().policies.empty())
    throw std::invalid_argument("compare needs the baseline scenario, loaded without policies (this one has " +
                                baseline.variant() + "); pass the policies to compare()");
  if (policies.empty()) throw std::invalid_argument("compare needs at least one policy file");
  if (settings.level == model::RecordLevel::summary)
    throw std::invalid_argument("compare needs record 'census' or 'full' (indicators use the persons table)");
  if (settings.replications < 2)
    throw std::invalid_argument("compare needs at least 2 replications for confidence intervals");
  std::vector<ScenarioHandle> variants;
  for (const auto& p : policies) variants.push_back(baseline.with_policies({p}));
  output::ComparisonTable table;
  // Flagged as in comparison.h5: a policy that resolves to the baseline's scenario.
  for (const auto& v : variants)
    if (v.loaded().sha256 == baseline.loaded().sha256) table.same_as_baseline.push_back(v.loaded().spec.policies.front());
  run_interruptible([&](const std::atomic<bool>& stop) {
    const auto base = indicators_of(baseline, settings.seed, settings, stop);
    for (std::size_t v = 0; v < variants.size(); ++v) {
      const std::uint32_t seed = batch::policy_seed(settings.seed, v, independent_seeds);
      const auto policy = indicators_of(variants[v], seed, settings, stop);
      batch::append_policy(table, variants[v].loaded().spec.policies.front(), base, policy);
    }
  });
  return columns_of(table);
}

}  // namespace tsim::python
