// Sweep files: a scenario, its variants (baseline and policies), how many
// replications, and which parameters to vary (a grid and/or a Latin
// hypercube). The work items (variant, sample, replication) get a fixed
// global order from this definition alone. Keys: scenarios/README.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/error.hpp"
#include "sim/model/spec.hpp"
#include "sim/scenario/scenario.hpp"

namespace tsim::scenario {

/// Most runs (variants x samples x replications) of one sweep, most keys it
/// varies, and most people it may simulate in all (runs x the people of the
/// base scenario): past these a sweep is a mistake, refused before it starts.
inline constexpr std::size_t kMaxSweepRuns = 1'000'000;
inline constexpr std::size_t kMaxSweepKeys = 1000;
inline constexpr double kMaxSweepPeople = 1e12;

struct SweepSpec {
  std::string name;
  core::SourceLocation where;             // of [sweep], for messages about the whole sweep
  std::string path;                       // the sweep file
  std::string text;                       // its contents, for the index
  std::string scenario_path;              // resolved against the sweep file's folder
  bool baseline = true;                   // run the scenario without policies as a variant
  std::vector<std::string> policy_paths;  // one variant each
  long long replications = 1;
  std::uint32_t seed = 1;
  model::RecordLevel record = model::RecordLevel::census;
  std::vector<std::string> parameter_keys;   // override paths, e.g. "parameters.cohort"
  std::vector<core::SourceLocation> parameter_where;  // each key's place in the sweep file
  std::vector<std::vector<double>> samples;  // [sample][key]; one empty sample when nothing varies

  /// The `--set` texts of one sample.
  [[nodiscard]] std::vector<std::string> overrides(std::size_t sample) const;
};

/// Reads and checks a sweep file: its keys, its size (kMaxSweepRuns,
/// kMaxSweepKeys, checked before any sample is made), and its policies'
/// names (check_distinct_policy_names). Throws core::InputError with locations.
[[nodiscard]] SweepSpec load_sweep_file(const std::string& path);

/// Runs of a sweep: variants x samples x replications.
[[nodiscard]] std::size_t sweep_runs(const SweepSpec& sweep);

/// Throws core::InputError (at [sweep]) when the runs would simulate more than
/// kMaxSweepPeople people, judged by the base scenario's people per run.
void check_sweep_people(const SweepSpec& sweep, const LoadedScenario& base);

/// Latin hypercube: n points in [lo, hi] per dimension, one per stratum,
/// strata permuted independently per dimension; deterministic in `seed`.
[[nodiscard]] std::vector<std::vector<double>> latin_hypercube(std::size_t n, const std::vector<std::pair<double, double>>& ranges,
                                                               std::uint32_t seed);

}  // namespace tsim::scenario
