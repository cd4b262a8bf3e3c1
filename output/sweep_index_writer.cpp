#include "output/sweep_index_writer.hpp"

#include <fmt/format.h>

#include "output/atomic_file.hpp"
#include "output/hdf5_columns.hpp"

namespace tsim::output {

void write_sweep_index(const std::string& path, const SweepIndex& x) {
  write_file_atomically(path, [&](hid_t f) {
    write_attribute(f, "schema", std::string("traineesim.sweep"));
    write_attribute(f, "schema_version", 1);
    write_attribute(f, "sweep_name", x.name);
    const hid_t def = create_group(f, "sweep");
    write_text(def, "definition", x.definition);
    H5Gclose(def);

    const hid_t runs = create_group(f, "runs");
    write_column(runs, "run_index", x.run_index);
    write_column(runs, "variant", x.variant);
    write_column(runs, "sample", x.sample);
    write_column(runs, "replication", x.replication);
    write_column(runs, "seed", x.seed);
    write_column(runs, "file", x.file);
    write_column(runs, "status", x.status);
    write_column(runs, "scenario_sha256", x.scenario_sha256);
    write_column(runs, "error", x.error);
    H5Gclose(runs);

    const hid_t samples = create_group(f, "samples");
    std::vector<std::int32_t> ids;
    const std::size_t n = x.parameter_values.empty() ? 1 : x.parameter_values.front().size();
    for (std::size_t k = 0; k < n; ++k) ids.push_back(static_cast<std::int32_t>(k));
    write_column(samples, "sample", ids);
    for (std::size_t p = 0; p < x.parameter_names.size(); ++p)
      write_column(samples, x.parameter_names[p].c_str(), x.parameter_values[p]);
    H5Gclose(samples);

    const hid_t agg = create_group(f, "aggregate");
    write_column(agg, "variant", x.aggregate.variant);
    write_column(agg, "sample", x.aggregate.sample);
    write_column(agg, "period", x.aggregate.period);
    write_column(agg, "period_end_day", x.aggregate.period_end_day);
    write_column(agg, "state", x.aggregate.state);
    write_column(agg, "replications", x.aggregate.replications);
    write_column(agg, "mean", x.aggregate.mean);
    write_column(agg, "standard_error", x.aggregate.standard_error);
    write_column(agg, "p5", x.aggregate.p5);
    write_column(agg, "p50", x.aggregate.p50);
    write_column(agg, "p95", x.aggregate.p95);
    H5Gclose(agg);

    const hid_t paired = create_group(f, "aggregate_paired");
    write_column(paired, "variant", x.paired.variant);
    write_column(paired, "sample", x.paired.sample);
    write_column(paired, "period", x.paired.period);
    write_column(paired, "period_end_day", x.paired.period_end_day);
    write_column(paired, "state", x.paired.state);
    write_column(paired, "replications", x.paired.replications);
    write_column(paired, "mean_difference", x.paired.mean_difference);
    write_column(paired, "ci_low", x.paired.ci_low);
    write_column(paired, "ci_high", x.paired.ci_high);
    H5Gclose(paired);
  });
}

}  // namespace tsim::output
