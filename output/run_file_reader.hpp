// Reading back run files: whether a file on disk is the one a sweep item
// would write, verified down to its data (so a resumed sweep can keep it),
// and its census table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/model/spec.hpp"

namespace tsim::output {

/// What a run file must say about itself, and hold, to count as done.
struct ExpectedRun {
  std::string scenario_sha256;
  std::uint32_t master_seed = 0;
  std::uint32_t replication = 0;
  model::RecordLevel record_level = model::RecordLevel::full;
  /// The scenario the run was made from: its dictionaries, tables and census
  /// periods. Null: only the root attributes are checked.
  const model::ScenarioSpec* spec = nullptr;
  /// The file must hold /indicators (a sweep's run file); one without is
  /// another run (written before sweeps kept indicators), so it is rerun.
  bool indicators = false;
};

/// The census of a run file, attributes summed: headcount[period][state]
/// (people) and fte[period][state] (full-time equivalents).
struct CensusSummary {
  std::vector<double> period_end_day;
  std::vector<std::vector<double>> headcount;
  std::vector<std::vector<double>> fte;
  std::size_t states = 0;
};

/// A run file's /indicators (model::IndicatorSet as written): name and value per row.
struct RunIndicators {
  std::vector<std::string> names;
  std::vector<double> values;
};

/// What is at a run file's path.
enum class RunFileStatus {
  missing,  // nothing there
  other,    // a readable run file of another run: schema version, scenario, seed, replication or record level differ
  damaged,  // not a complete traineesim run file, or its data do not read back or break the contract
  done,     // the expected run, verified
};
[[nodiscard]] const char* to_string(RunFileStatus s);

/// The verdict on one run file.
struct RunFileCheck {
  RunFileStatus status = RunFileStatus::missing;
  std::string reason;     // why it is not done, in a few words ("" when done or missing)
  CensusSummary census;   // its census when done
  RunIndicators indicators;  // its /indicators when done and ExpectedRun::indicators
};

/// How far check_run_file looks.
enum class CheckDepth {
  /// The root attributes, then /census read back (for a file this process
  /// has just written or verified).
  attributes,
  /// Also every dataset of every table and dictionary read back in full:
  /// chunks decode (zlib's checksums catch flipped bits), tables have the
  /// scenario's columns with their `role` and `dictionary` attributes and
  /// equal lengths, codes lie within their dictionaries, census periods and
  /// period ends are the scenario's, the dictionaries are the scenario's and
  /// /scenario/resolved matches its hash. Needs ExpectedRun::spec.
  full,
};

/// Checks `path` against `expected`. Never throws: a missing, truncated,
/// foreign or damaged file is a verdict with its reason (a dataset whose size
/// is too large to read, too).
/// Takes the HDF5 lock only to read; decoding is done without it.
[[nodiscard]] RunFileCheck check_run_file(const std::string& path, const ExpectedRun& expected,
                                          CheckDepth depth = CheckDepth::full);

/// check_run_file(path, expected).status == done.
[[nodiscard]] bool run_file_is_done(const std::string& path, const ExpectedRun& expected);

/// Reads /census of a complete run file. Throws OutputError.
[[nodiscard]] CensusSummary read_census_summary(const std::string& path);

}  // namespace tsim::output
