#include "sim/batch/sweep_index.hpp"

#include <filesystem>

#include "sim/batch/replication_pool.hpp"
#include "sim/batch/sweep_aggregate.hpp"
#include "sim/batch/sweep_runner.hpp"

namespace tsim::batch {

namespace {

void add_samples(const scenario::SweepSpec& sweep, output::SweepIndex& index) {
  index.parameter_names = sweep.parameter_keys;
  index.parameter_values.assign(sweep.parameter_keys.size(), std::vector<double>(sweep.samples.size()));
  for (std::size_t k = 0; k < sweep.samples.size(); ++k)
    for (std::size_t j = 0; j < sweep.parameter_keys.size(); ++j) index.parameter_values[j][k] = sweep.samples[k][j];
}

void add_run_row(output::SweepIndex& index, const WorkItem& it, const std::string& variant, std::uint32_t seed,
                 const scenario::LoadedScenario* loaded, const char* status, const std::string& error, bool same) {
  index.run_index.push_back(static_cast<std::int32_t>(it.index));
  index.variant.push_back(variant);
  index.sample.push_back(static_cast<std::int32_t>(it.sample));
  index.replication.push_back(static_cast<std::int32_t>(it.replication));
  index.seed.push_back(static_cast<std::int32_t>(seed));
  index.file.push_back(it.file);
  index.status.push_back(status);
  index.scenario_sha256.push_back(loaded ? loaded->sha256 : "");
  index.error.push_back(error);
  index.same_as_baseline.push_back(same ? 1 : 0);
}

// The status column's word for an item, given what is on disk and the error
// this process saw (a load error or a failed run).
const char* status_of(const output::RunFileCheck& found, const std::string& error) {
  using S = output::RunFileStatus;
  if (found.status == S::done) return "done";
  if (!error.empty() || found.status == S::damaged) return "failed";
  return "missing";
}

// Checks every item's file, on up to `threads` threads.
std::vector<output::RunFileCheck> check_files(const scenario::SweepSpec& sweep, const SweepPlan& plan,
                                              const SweepScenarios& scenarios, const SweepRunResult& seen,
                                              const std::string& out_dir, std::size_t threads) {
  std::vector<output::RunFileCheck> found(plan.items().size());
  (void)ReplicationPool(threads).run(found.size(), [&](std::size_t i) {
    const WorkItem& it = plan.items()[i];
    const bool known = i < seen.done.size() && seen.done[i];
    found[i] = item_on_disk(out_dir, it, scenarios.get(plan.slot(it.variant, it.sample)), sweep.seed, sweep.record,
                            known ? output::CheckDepth::attributes : output::CheckDepth::full);
  });
  return found;
}

}  // namespace

output::SweepIndex build_sweep_index(const scenario::SweepSpec& sweep, const SweepPlan& plan,
                                     const SweepScenarios& scenarios, const SweepRunResult& seen,
                                     const std::string& out_dir, std::size_t threads) {
  output::SweepIndex index;
  index.name = sweep.name;
  index.definition = sweep.text;
  add_samples(sweep, index);
  auto found = check_files(sweep, plan, scenarios, seen, out_dir, threads);
  std::vector<std::optional<output::CensusSummary>> census(plan.items().size());
  for (const auto& it : plan.items()) {
    const std::size_t slot = plan.slot(it.variant, it.sample);
    auto& f = found[it.index];
    const std::string seen_error = !scenarios.error(slot).empty() ? scenarios.error(slot)
                                   : it.index < seen.errors.size()  ? seen.errors[it.index]
                                                                    : std::string();
    const bool done = f.status == output::RunFileStatus::done;
    add_run_row(index, it, plan.variants()[it.variant].name, sweep.seed, scenarios.get(slot), status_of(f, seen_error),
                done ? "" : seen_error.empty() ? describe(f) : seen_error, scenarios.same_as_baseline(slot));
    if (done) census[it.index] = std::move(f.census);
  }
  std::vector<const model::ScenarioSpec*> specs(scenarios.size(), nullptr);
  for (std::size_t slot = 0; slot < specs.size(); ++slot)
    if (const auto* l = scenarios.get(slot)) specs[slot] = &l->spec;
  aggregate_headcount(plan, specs, sweep.baseline, census, index);
  return index;
}

SweepIndexFile write_sweep_index_file(const scenario::SweepSpec& sweep, const SweepPlan& plan,
                                      const SweepScenarios& scenarios, const SweepRunResult& seen,
                                      const std::string& out_dir, std::size_t threads) {
  const output::SweepIndex index = build_sweep_index(sweep, plan, scenarios, seen, out_dir, threads);
  SweepIndexFile file;
  file.path = (std::filesystem::path(out_dir) / "sweep.h5").string();
  output::write_sweep_index(file.path, index);
  file.runs = plan.items().size();
  for (std::size_t i = 0; i < index.status.size(); ++i) {
    file.done += index.status[i] == "done";
    file.failed += index.status[i] == "failed";
    if (index.status[i] != "done" && !index.error[i].empty())
      file.problems.push_back({i, index.status[i], index.error[i]});
  }
  return file;
}

}  // namespace tsim::batch
