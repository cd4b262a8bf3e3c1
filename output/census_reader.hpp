// The census of a run file with its codes labelled, and the run list of a
// sweep index: what `traineesim export` writes as CSV (docs/OUTPUT.md,
// "Tidy results"). Reads only what docs/OUTPUT.md promises: each census
// column's `role` and `dictionary` attributes, never its name.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tsim::output {

/// /census of one run file, one entry per row, codes replaced by labels.
struct LabelledCensus {
  std::string start_date;      // root attribute, "YYYY-MM-DD"
  std::int32_t replication = 0;
  std::string scenario_sha256;  // root attributes: which run this is
  std::int64_t master_seed = 0;
  std::vector<std::string> attribute_names;  // census attribute (and route) columns, in name order
  std::vector<std::int32_t> period;
  std::vector<double> period_end_day;
  std::vector<std::string> state, profession, role;  // role: the state's (staff, trainee, ...)
  std::vector<std::int32_t> band;
  std::vector<std::vector<std::string>> attributes;  // [attribute][row], labels ("initial_stock" for route -1)
  std::vector<std::int32_t> headcount;
  std::vector<double> fte;
};

/// Reads the labelled census of a complete run file. Throws OutputError naming
/// the file when it cannot be read or breaks the contract (a code outside
/// its dictionary, a column without its role).
[[nodiscard]] LabelledCensus read_labelled_census(const std::string& path);

/// One row of a sweep index's /runs table.
struct SweepRun {
  std::string variant, file, status, scenario_sha256;
  std::int32_t sample = 0, replication = 0, seed = 0;
};

/// The /runs table of a sweep index (sweep.h5). Throws OutputError naming
/// the file when it is not a complete traineesim sweep index.
[[nodiscard]] std::vector<SweepRun> read_sweep_runs(const std::string& path);

}  // namespace tsim::output
