#include "sim/batch/sweep_index.hpp"

#include <filesystem>

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
                 const scenario::LoadedScenario* loaded, bool done, const std::string& error) {
  index.run_index.push_back(static_cast<std::int32_t>(it.index));
  index.variant.push_back(variant);
  index.sample.push_back(static_cast<std::int32_t>(it.sample));
  index.replication.push_back(static_cast<std::int32_t>(it.replication));
  index.seed.push_back(static_cast<std::int32_t>(seed));
  index.file.push_back(it.file);
  index.status.push_back(done ? "done" : !error.empty() ? "failed" : "missing");
  index.scenario_sha256.push_back(loaded ? loaded->sha256 : "");
  index.error.push_back(done ? "" : error);
}

}  // namespace

output::SweepIndex build_sweep_index(const scenario::SweepSpec& sweep, const SweepPlan& plan,
                                     const SweepScenarios& scenarios, const std::vector<std::string>& errors,
                                     const std::string& out_dir) {
  output::SweepIndex index;
  index.name = sweep.name;
  index.definition = sweep.text;
  add_samples(sweep, index);
  std::vector<std::optional<output::CensusSummary>> census(plan.items().size());
  for (const auto& it : plan.items()) {
    const std::size_t slot = plan.slot(it.variant, it.sample);
    const auto* loaded = scenarios.get(slot);
    const bool done = item_done_on_disk(out_dir, it, loaded, sweep.seed);
    const std::string none;
    const std::string& error = !scenarios.error(slot).empty() ? scenarios.error(slot)
                               : it.index < errors.size()     ? errors[it.index]
                                                              : none;
    add_run_row(index, it, plan.variants()[it.variant].name, sweep.seed, loaded, done, error);
    if (done) census[it.index] = output::read_census_summary(item_path(out_dir, it));
  }
  std::vector<const model::ScenarioSpec*> specs(scenarios.size(), nullptr);
  for (std::size_t slot = 0; slot < specs.size(); ++slot)
    if (const auto* l = scenarios.get(slot)) specs[slot] = &l->spec;
  aggregate_headcount(plan, specs, sweep.baseline, census, index);
  return index;
}

SweepIndexFile write_sweep_index_file(const scenario::SweepSpec& sweep, const SweepPlan& plan,
                                      const SweepScenarios& scenarios, const std::vector<std::string>& errors,
                                      const std::string& out_dir) {
  const output::SweepIndex index = build_sweep_index(sweep, plan, scenarios, errors, out_dir);
  SweepIndexFile file;
  file.path = (std::filesystem::path(out_dir) / "sweep.h5").string();
  output::write_sweep_index(file.path, index);
  file.runs = plan.items().size();
  for (const auto& status : index.status) file.done += status == "done";
  return file;
}

}  // namespace tsim::batch
