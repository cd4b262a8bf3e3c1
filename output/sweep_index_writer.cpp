#include "output/sweep_index_writer.hpp"

#include <fmt/format.h>

#include "output/atomic_file.hpp"
#include "output/h5_file.hpp"
#include "output/run_dictionaries.hpp"
#include "sim/core/calendar.hpp"

namespace tsim::output {

namespace {

void write_dictionaries_by_variant(hid_t f, const SweepIndex& x) {
  auto dict = h5::create_group(f, "dictionary");
  for (const auto& d : x.dictionaries) {
    auto g = h5::create_group(dict.get(), d.variant);
    // The census dates of the variant's rows: start_date + period_end_day.
    h5::write_attribute(g.get(), "start_date", core::format_date(d.spec->start_date));
    write_dictionaries(g.get(), *d.spec);
  }
}

// /policy_texts: (variant, policy, text) per policy of each policy variant;
// left out when the sweep has no policy.
void write_policy_texts(hid_t f, const SweepIndex& x) {
  std::vector<std::string> variant, policy, text;
  for (const auto& d : x.dictionaries)
    for (std::size_t i = 0; i < d.policies.size(); ++i) {
      variant.push_back(d.variant);
      policy.push_back(d.policies[i]);
      text.push_back(d.policy_texts[i]);
    }
  if (variant.empty()) return;
  auto g = h5::create_group(f, "policy_texts");
  h5::write_column(g.get(), "variant", variant);
  h5::write_column(g.get(), "policy", policy);
  h5::write_column(g.get(), "text", text);
}

void write_runs_census(hid_t f, const SweepIndex::RunCensus& c) {
  auto group = h5::create_group(f, "runs_census");
  const hid_t g = group.get();
  h5::write_column(g, "run_index", c.run_index);
  h5::write_column(g, "period", c.period);
  h5::write_column(g, "period_end_day", c.period_end_day);
  h5::write_column(g, "state", c.state);
  h5::write_column(g, "headcount", c.headcount);
  h5::write_column(g, "fte", c.fte);
}

void write_indicators(hid_t f, const SweepIndex::Indicators& x) {
  auto group = h5::create_group(f, "indicators");
  h5::write_column(group.get(), "run_index", x.run_index);
  h5::write_column(group.get(), "indicator", x.indicator);
  h5::write_column(group.get(), "value", x.value);
  auto names = h5::create_group(f, "indicator_names");
  std::vector<std::int32_t> codes(x.names.size());
  for (std::size_t i = 0; i < codes.size(); ++i) codes[i] = static_cast<std::int32_t>(i);
  h5::write_column(names.get(), "code", codes);
  h5::write_column(names.get(), "name", x.names);
}

void write_indicators_paired(hid_t f, const SweepIndex::PairedIndicators& x) {
  auto group = h5::create_group(f, "indicators_paired");
  const hid_t g = group.get();
  const ComparisonTable& t = x.table;
  h5::write_column(g, "variant", t.policy);
  h5::write_column(g, "sample", x.sample);
  h5::write_column(g, "indicator", t.indicator);
  h5::write_column(g, "baseline_mean", t.baseline_mean);
  h5::write_column(g, "policy_mean", t.policy_mean);
  h5::write_column(g, "difference", t.difference);
  h5::write_column(g, "ci_low", t.ci_low);
  h5::write_column(g, "ci_high", t.ci_high);
  h5::write_column(g, "half_width_paired", t.half_width_paired);
  h5::write_column(g, "half_width_unpaired", t.half_width_unpaired);
  h5::write_column(g, "replications", std::vector<std::int32_t>(t.replications.begin(), t.replications.end()));
}

}  // namespace

void write_sweep_index(const std::string& path, const SweepIndex& x) {
  write_file_atomically(path, [&](hid_t f) {
    h5::write_attribute(f, "schema", std::string("traineesim.sweep"));
    h5::write_attribute(f, "schema_version", std::int32_t{2});  // 2: dictionaries, per-run census and indicators
    h5::write_attribute(f, "sweep_name", x.name);
    auto def_group = h5::create_group(f, "sweep");
    const hid_t def = def_group.get();
    h5::write_text(def, "definition", x.definition);

    auto runs_group = h5::create_group(f, "runs");
    const hid_t runs = runs_group.get();
    h5::write_column(runs, "run_index", x.run_index);
    h5::write_column(runs, "variant", x.variant);
    h5::write_column(runs, "sample", x.sample);
    h5::write_column(runs, "replication", x.replication);
    h5::write_column(runs, "seed", x.seed);
    h5::write_column(runs, "file", x.file);
    h5::write_column(runs, "status", x.status);
    h5::write_column(runs, "scenario_sha256", x.scenario_sha256);
    h5::write_column(runs, "error", x.error);
    h5::write_column(runs, "same_as_baseline", x.same_as_baseline);

    auto samples_group = h5::create_group(f, "samples");
    const hid_t samples = samples_group.get();
    std::vector<std::int32_t> ids;
    const std::size_t n = x.parameter_values.empty() ? 1 : x.parameter_values.front().size();
    for (std::size_t k = 0; k < n; ++k) ids.push_back(static_cast<std::int32_t>(k));
    h5::write_column(samples, "sample", ids);
    for (std::size_t p = 0; p < x.parameter_names.size(); ++p)
      h5::write_column(samples, x.parameter_names[p], x.parameter_values[p]);

    auto agg_group = h5::create_group(f, "aggregate");
    const hid_t agg = agg_group.get();
    h5::write_column(agg, "variant", x.aggregate.variant);
    h5::write_column(agg, "sample", x.aggregate.sample);
    h5::write_column(agg, "period", x.aggregate.period);
    h5::write_column(agg, "period_end_day", x.aggregate.period_end_day);
    h5::write_column(agg, "state", x.aggregate.state);
    h5::write_column(agg, "replications", x.aggregate.replications);
    h5::write_column(agg, "mean", x.aggregate.mean);
    h5::write_column(agg, "standard_error", x.aggregate.standard_error);
    h5::write_column(agg, "p5", x.aggregate.p5);
    h5::write_column(agg, "p50", x.aggregate.p50);
    h5::write_column(agg, "p95", x.aggregate.p95);

    auto paired_group = h5::create_group(f, "aggregate_paired");
    const hid_t paired = paired_group.get();
    h5::write_column(paired, "variant", x.paired.variant);
    h5::write_column(paired, "sample", x.paired.sample);
    h5::write_column(paired, "period", x.paired.period);
    h5::write_column(paired, "period_end_day", x.paired.period_end_day);
    h5::write_column(paired, "state", x.paired.state);
    h5::write_column(paired, "replications", x.paired.replications);
    h5::write_column(paired, "mean_difference", x.paired.mean_difference);
    h5::write_column(paired, "ci_low", x.paired.ci_low);
    h5::write_column(paired, "ci_high", x.paired.ci_high);

    write_dictionaries_by_variant(f, x);
    write_policy_texts(f, x);
    write_runs_census(f, x.runs_census);
    write_indicators(f, x.indicators);
    write_indicators_paired(f, x.indicators_paired);
  });
}

}  // namespace tsim::output
