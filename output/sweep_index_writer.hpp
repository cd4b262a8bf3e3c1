// The sweep index, <out>/sweep.h5 (docs/OUTPUT.md, "Sweep index"). It is
// rebuilt from the run files on disk, so it can never claim a run that is not
// there, and it holds no wall-clock times, so an interrupted and resumed sweep
// gives the same bytes as one that ran straight through.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "output/comparison_writer.hpp"
#include "sim/model/spec.hpp"

namespace tsim::output {

struct SweepIndex {
  std::string name;
  std::string definition;  // the sweep file's text
  // /runs: one row per work item, in the sweep's global order.
  std::vector<std::int32_t> run_index, sample, replication, seed;
  std::vector<std::string> variant, file, status, scenario_sha256, error;
  std::vector<std::int32_t> same_as_baseline;  // 1: a policy run whose resolved scenario is the baseline's
  // /samples: one row per parameter sample; one column per swept key.
  std::vector<std::string> parameter_names;
  std::vector<std::vector<double>> parameter_values;  // [parameter][sample]
  // /aggregate: headcount by (variant, sample, period, state) across replications.
  struct Aggregate {
    std::vector<std::string> variant;
    std::vector<std::int32_t> sample, period, state, replications;
    std::vector<double> period_end_day, mean, standard_error, p5, p50, p95;
  } aggregate;
  // /aggregate_paired: policy - baseline, paired by replication.
  struct Paired {
    std::vector<std::string> variant;
    std::vector<std::int32_t> sample, period, state, replications;
    std::vector<double> period_end_day, mean_difference, ci_low, ci_high;
  } paired;
  // /dictionary/<variant>: each variant's category dictionaries, laid out as
  // a run file's /dictionary (a policy can add states, so codes are per
  // variant). spec: the variant's first sample that loaded (not owned).
  // policies / policy_texts: each policy's name and TOML as applied in that
  // sample (LoadedScenario::policy_texts), written as /policy_texts so a
  // report needs no policy file.
  struct VariantDictionary {
    std::string variant;
    const model::ScenarioSpec* spec = nullptr;
    std::vector<std::string> policies, policy_texts;
  };
  std::vector<VariantDictionary> dictionaries;
  // /runs_census: per done run, census headcount and FTE by (period, state),
  // attributes summed, every cell (zeros included).
  struct RunCensus {
    std::vector<std::int32_t> run_index, period, state, headcount;
    std::vector<double> period_end_day, fte;
  } runs_census;
  // /indicators: per done run, its indicators (model::IndicatorSet, in its
  // order); `indicator` is a code of /indicator_names (`names`, in first-seen
  // order), since tens of thousands of repeated names would be most of the file.
  struct Indicators {
    std::vector<std::int32_t> run_index, indicator;
    std::vector<double> value;
    std::vector<std::string> names;
  } indicators;
  // /indicators_paired: per (policy variant, sample), the rows `traineesim
  // compare` gives (batch::append_policy) over the replications done in both
  // variants; table.policy holds the variant, sample[i] row i's sample.
  struct PairedIndicators {
    std::vector<std::int32_t> sample;
    ComparisonTable table;
  } indicators_paired;
};

/// Writes the index atomically (partial + rename). Throws OutputError.
void write_sweep_index(const std::string& path, const SweepIndex& index);

}  // namespace tsim::output
