// Internals of run_file_reader.cpp: the file held open across lock releases,
// the census summary, and the full read of a run file's data. Internal to output/.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "output/h5.hpp"
#include "output/run_file_reader.hpp"

namespace tsim::output::detail {

/// A run file open read-only. Every HDF5 call, the close included, happens
/// under the library lock, which is not held in between, so decoding can go
/// on while other threads use HDF5. Throws OutputError (the reason only; the
/// caller names the file) if it is not an HDF5 file or HDF5 cannot open it.
class OpenRunFile {
 public:
  explicit OpenRunFile(const std::string& path);
  ~OpenRunFile();
  OpenRunFile(const OpenRunFile&) = delete;
  OpenRunFile& operator=(const OpenRunFile&) = delete;
  /// The file; use only while holding h5::lock().
  [[nodiscard]] hid_t get() const noexcept { return file_.get(); }

 private:
  h5::Handle file_;
};

/// Text read from a file, fit for a one-line message: control characters
/// and bytes outside printable ASCII as \xNN, cut at `max` characters ("...").
[[nodiscard]] std::string printable(std::string_view text, std::size_t max = 40);

/// Why the root attributes say this is not the expected run, or nullopt if they match.
struct HeaderVerdict {
  RunFileStatus status;
  std::string reason;
};
/// Caller holds the lock.
[[nodiscard]] std::optional<HeaderVerdict> check_header(hid_t file, const ExpectedRun& expected);

/// headcount[period][state] from census columns of equal length. Throws
/// OutputError for a row whose period or state is out of range, or (when
/// `ends` is given) whose period_end_day is not its period's end.
[[nodiscard]] CensusSummary summarise_census(const std::vector<std::int32_t>& period, const std::vector<double>& end,
                                             const std::vector<std::int32_t>& state,
                                             const std::vector<std::int32_t>& headcount,
                                             const std::vector<double>& fte, std::size_t states,
                                             const std::vector<double>* ends);

/// /indicators of a run file: nullopt if the file has none. Throws
/// OutputError if its columns are not name and value of equal length.
/// Caller holds the lock.
[[nodiscard]] std::optional<RunIndicators> read_indicators(hid_t file);

/// Reads every dictionary and table of `file` back in full and checks them
/// against `expected` (whose spec must be set); returns the census. Takes the
/// lock for each read. Throws OutputError saying what is wrong and where.
[[nodiscard]] CensusSummary verify_data(const OpenRunFile& file, const ExpectedRun& expected);

}  // namespace tsim::output::detail
