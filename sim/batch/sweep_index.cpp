#include "sim/batch/sweep_index.hpp"

#include <filesystem>
#include <unordered_map>

#include "sim/batch/comparison.hpp"
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

// Every item's file: what this process's runs already read back (census and
// indicators, collected as each run finished) while the file keeps the size
// and modification time it had then, and the other files verified in full,
// on up to `threads` threads.
std::vector<output::RunFileCheck> check_files(const scenario::SweepSpec& sweep, const SweepPlan& plan,
                                              const SweepScenarios& scenarios, const SweepRunResult& seen,
                                              const std::string& out_dir, std::size_t threads) {
  std::vector<output::RunFileCheck> found(plan.items().size());
  std::vector<std::size_t> unseen;
  for (std::size_t i = 0; i < found.size(); ++i) {
    const bool known = i < seen.done.size() && seen.done[i] && i < seen.checks.size() && i < seen.stamps.size() &&
                       seen.checks[i].status == output::RunFileStatus::done && seen.stamps[i] &&
                       file_stamp(item_path(out_dir, plan.items()[i])) == seen.stamps[i];
    if (known)
      found[i] = seen.checks[i];
    else
      unseen.push_back(i);
  }
  (void)ReplicationPool(threads).run(unseen.size(), [&](std::size_t u) {
    const WorkItem& it = plan.items()[unseen[u]];
    found[it.index] = item_on_disk(out_dir, it, scenarios.get(plan.slot(it.variant, it.sample)), sweep.seed,
                                   sweep.record, output::CheckDepth::full);
  });
  return found;
}

// /dictionary/<variant>: from each variant's first sample that loaded.
void add_dictionaries(const SweepPlan& plan, const SweepScenarios& scenarios, output::SweepIndex& index) {
  for (std::size_t v = 0; v < plan.variants().size(); ++v)
    for (std::size_t k = 0; k < plan.samples(); ++k)
      if (const auto* loaded = scenarios.get(plan.slot(v, k))) {
        output::SweepIndex::VariantDictionary d{plan.variants()[v].name, &loaded->spec, {}, {}};
        for (const auto& [name, text] : loaded->policy_texts) {
          d.policies.push_back(name);
          d.policy_texts.push_back(text);
        }
        index.dictionaries.push_back(std::move(d));
        break;
      }
}

// /runs_census and /indicators: the done runs in the sweep's global order.
void add_run_tables(const SweepPlan& plan, const std::vector<output::RunFileCheck>& found, output::SweepIndex& index) {
  std::unordered_map<std::string, std::int32_t> code;  // indicator name -> its code in /indicator_names
  for (const auto& it : plan.items()) {
    const auto& f = found[it.index];
    if (f.status != output::RunFileStatus::done) continue;
    const auto run = static_cast<std::int32_t>(it.index);
    const auto& c = f.census;
    for (std::size_t p = 0; p < c.headcount.size(); ++p)
      for (std::size_t s = 0; s < c.states; ++s) {
        index.runs_census.run_index.push_back(run);
        index.runs_census.period.push_back(static_cast<std::int32_t>(p));
        index.runs_census.period_end_day.push_back(c.period_end_day[p]);
        index.runs_census.state.push_back(static_cast<std::int32_t>(s));
        index.runs_census.headcount.push_back(static_cast<std::int32_t>(c.headcount[p][s]));
        index.runs_census.fte.push_back(p < c.fte.size() ? c.fte[p][s] : 0.0);
      }
    const auto& ind = f.indicators;
    for (std::size_t i = 0; i < ind.names.size(); ++i) {
      const auto [at, added] = code.try_emplace(ind.names[i], static_cast<std::int32_t>(index.indicators.names.size()));
      if (added) index.indicators.names.push_back(ind.names[i]);
      index.indicators.run_index.push_back(run);
      index.indicators.indicator.push_back(at->second);
      index.indicators.value.push_back(ind.values[i]);
    }
  }
}

model::IndicatorSet indicator_set(const output::RunIndicators& x) { return {x.names, x.values}; }

// /indicators_paired: for each policy variant and sample, what `compare`
// computes (append_policy) over the replications done in both it and the
// baseline (no rows where no pair is done).
void add_paired_indicators(const SweepPlan& plan, const std::vector<output::RunFileCheck>& found,
                           output::SweepIndex& index) {
  using S = output::RunFileStatus;
  for (std::size_t v = 1; v < plan.variants().size(); ++v)
    for (std::size_t k = 0; k < plan.samples(); ++k) {
      std::vector<model::IndicatorSet> baseline, policy;
      for (std::size_t r = 0; r < plan.replications(); ++r) {
        const auto& b = found[plan.item(0, k, r).index];
        const auto& p = found[plan.item(v, k, r).index];
        if (b.status != S::done || p.status != S::done) continue;
        baseline.push_back(indicator_set(b.indicators));
        policy.push_back(indicator_set(p.indicators));
      }
      if (baseline.empty()) continue;
      append_policy(index.indicators_paired.table, plan.variants()[v].name, baseline, policy);
      index.indicators_paired.sample.resize(index.indicators_paired.table.size(), static_cast<std::int32_t>(k));
    }
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
    if (done) census[it.index] = f.census;
  }
  std::vector<const model::ScenarioSpec*> specs(scenarios.size(), nullptr);
  for (std::size_t slot = 0; slot < specs.size(); ++slot)
    if (const auto* l = scenarios.get(slot)) specs[slot] = &l->spec;
  aggregate_headcount(plan, specs, sweep.baseline, census, index);
  add_dictionaries(plan, scenarios, index);
  add_run_tables(plan, found, index);
  if (sweep.baseline) add_paired_indicators(plan, found, index);
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
