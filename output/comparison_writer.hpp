// The paired comparison table of `traineesim compare`: one row per
// (indicator, policy), written as HDF5 (/comparison, columnar like the run
// files) and as readable text. Both appear under their final name only when
// complete.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace tsim::output {

class ComparisonTable {
 public:
  void add(const std::string& indicator, const std::string& policy, double baseline_mean, double policy_mean,
           double difference, double ci_low, double ci_high, double half_width_paired, double half_width_unpaired,
           int replications);
  [[nodiscard]] std::size_t size() const noexcept { return indicator.size(); }
  /// Every row, aligned.
  void write_text(std::ostream& out) const;
  /// Every row as CSV (RFC 4180: a header line, then one line per row, text
  /// quoted where it holds a comma or quote; numbers in the shortest form
  /// that reads back exactly; NaN as an empty field), for pandas and R.
  void write_csv(std::ostream& out) const;
  /// The rows most people look at first (completion, retention, cost...).
  [[nodiscard]] std::vector<std::string> headline() const;

  std::vector<std::string> indicator, policy;
  std::vector<double> baseline_mean, policy_mean, difference, ci_low, ci_high, half_width_paired, half_width_unpaired;
  std::vector<int> replications;
  /// Policies whose resolved scenario is the baseline's (e.g. a --set that
  /// overrides the very parameter the policy sets): their differences are
  /// 0 by construction. Flagged per row in the files, and warned about.
  std::vector<std::string> same_as_baseline;
  [[nodiscard]] bool is_same_as_baseline(const std::string& policy) const;
};

/// Writes `<path>` (HDF5, schema "traineesim.comparison" version 1). Throws OutputError.
void write_comparison(const std::string& path, const ComparisonTable& table, const std::string& scenario,
                      long long seed, long long replications, bool independent_seeds);

/// Writes a text file atomically. Throws OutputError.
void write_text_file(const std::string& path, const std::string& text);

}  // namespace tsim::output
