// Reading back run files: whether a finished file is the one a sweep item
// would write (so a resumed sweep can skip it), and its census table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tsim::output {

/// What a run file must say about itself to count as done.
struct ExpectedRun {
  std::string scenario_sha256;
  std::uint32_t master_seed = 0;
  std::uint32_t replication = 0;
};

/// True if `path` is a complete run file (complete = 1, schema and version
/// right) of the expected scenario, seed and replication. Never throws: a
/// missing, truncated or foreign file is simply not done.
[[nodiscard]] bool run_file_is_done(const std::string& path, const ExpectedRun& expected);

/// The census of a run file, attributes summed: headcount[period][state].
struct CensusSummary {
  std::vector<double> period_end_day;
  std::vector<std::vector<double>> headcount;
  std::size_t states = 0;
};

/// Reads /census of a complete run file. Throws OutputError.
[[nodiscard]] CensusSummary read_census_summary(const std::string& path);

}  // namespace tsim::output
