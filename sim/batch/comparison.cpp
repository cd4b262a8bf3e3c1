#include "sim/batch/comparison.hpp"

#include <cmath>
#include <filesystem>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "sim/batch/statistics.hpp"

namespace tsim::batch {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kAbsent = static_cast<std::size_t>(-1);
constexpr const char* kFte = "qualified FTE in post at the horizon";

// Indicator names in first-seen order over every replication of a variant,
// leaving out those already in `seen`.
void add_names(const std::vector<model::IndicatorSet>& runs, std::vector<std::string>& names,
               std::unordered_set<std::string>& seen) {
  for (const auto& run : runs)
    for (const auto& n : run.names)
      if (seen.insert(n).second) names.push_back(n);
}

// value[row][r]: the value of indicator names[row] in replication r (NaN if
// that replication has no such indicator). Replications nearly always share
// one name list, so its lookup is built once and reused.
std::vector<std::vector<double>> values_by_name(const std::vector<std::string>& names,
                                                const std::vector<model::IndicatorSet>& runs) {
  std::vector<std::vector<double>> value(names.size(), std::vector<double>(runs.size(), kNaN));
  const std::vector<std::string>* last = nullptr;
  std::vector<std::size_t> where;  // position of each row's name in the current name list
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const auto& set = runs[r];
    if (!last || *last != set.names) {
      std::unordered_map<std::string, std::size_t> position;
      for (std::size_t i = set.names.size(); i-- > 0;) position[set.names[i]] = i;  // first occurrence wins
      where.assign(names.size(), kAbsent);
      for (std::size_t row = 0; row < names.size(); ++row)
        if (const auto it = position.find(names[row]); it != position.end()) where[row] = it->second;
      last = &set.names;
    }
    for (std::size_t row = 0; row < names.size(); ++row)
      if (where[row] != kAbsent) value[row][r] = set.values[where[row]];
  }
  return value;
}

double value_of(const model::IndicatorSet& s, const std::string& name) {
  for (std::size_t i = 0; i < s.names.size(); ++i)
    if (s.names[i] == name) return s.values[i];
  return kNaN;
}

}  // namespace

std::vector<ComparisonRow> compare_indicators(const std::vector<model::IndicatorSet>& baseline,
                                              const std::vector<model::IndicatorSet>& policy) {
  if (baseline.size() != policy.size())
    throw std::invalid_argument("compare_indicators: baseline and policy have different numbers of replications");
  std::vector<std::string> names;
  std::unordered_set<std::string> seen;
  add_names(baseline, names, seen);
  add_names(policy, names, seen);
  const auto b = values_by_name(names, baseline), p = values_by_name(names, policy);
  std::vector<ComparisonRow> rows;
  rows.reserve(names.size());
  for (std::size_t k = 0; k < names.size(); ++k) {
    const Interval ib = t_interval(b[k]), ip = t_interval(p[k]), id = paired_interval(b[k], p[k]);
    rows.push_back({names[k], ib.mean, ip.mean, id.mean, id.low(), id.high(), id.half_width,
                    unpaired_half_width(b[k], p[k]), static_cast<int>(id.n)});
  }
  return rows;
}

CostPerFte cost_per_additional_fte(const std::vector<model::IndicatorSet>& baseline,
                                   const std::vector<model::IndicatorSet>& policy, const std::string& cost_indicator) {
  const std::size_t n = std::min(baseline.size(), policy.size());
  std::vector<double> cost, fte;
  for (std::size_t r = 0; r < n; ++r) {
    const double dc = value_of(policy[r], cost_indicator) - value_of(baseline[r], cost_indicator);
    const double df = value_of(policy[r], kFte) - value_of(baseline[r], kFte);
    if (std::isnan(dc) || std::isnan(df)) continue;
    cost.push_back(dc);
    fte.push_back(df);
  }
  CostPerFte out{kNaN, kNaN, kNaN, kNaN, static_cast<int>(cost.size())};
  if (cost.empty()) return out;
  const double mc = mean(cost), mf = mean(fte), k = static_cast<double>(cost.size());
  out.ratio = mc / mf;
  if (cost.size() < 2 || !(std::fabs(mf) >= 2 * standard_error(fte))) return out;
  double cov = 0;
  for (std::size_t r = 0; r < cost.size(); ++r) cov += (cost[r] - mc) * (fte[r] - mf) / (k - 1);
  const double var = (sample_variance(cost) - 2 * out.ratio * cov + out.ratio * out.ratio * sample_variance(fte)) /
                     (k * mf * mf);
  out.half_width = t_quantile_975(k - 1) * std::sqrt(std::fmax(0.0, var));
  out.ci_low = out.ratio - out.half_width;
  out.ci_high = out.ratio + out.half_width;
  return out;
}

std::uint32_t policy_seed(std::uint32_t seed, std::size_t policy_number, bool independent) noexcept {
  if (!independent) return seed;
  const std::uint64_t shifted = std::uint64_t{seed} + 1000003ull * (std::uint64_t{policy_number} + 1);
  return static_cast<std::uint32_t>(shifted % 2147483648ull);
}

void append_policy(output::ComparisonTable& table, const std::string& policy,
                   const std::vector<model::IndicatorSet>& baseline_runs,
                   const std::vector<model::IndicatorSet>& policy_runs) {
  for (const auto& row : compare_indicators(baseline_runs, policy_runs))
    table.add(row.indicator, policy, row.baseline_mean, row.policy_mean, row.difference, row.ci_low, row.ci_high,
              row.half_width_paired, row.half_width_unpaired, row.replications);
  // One row per cost indicator: "total cost (GBP)" gives "cost per additional
  // qualified FTE in post (GBP)", the discounted total its discounted twin.
  const std::string prefix = "total cost";
  for (const auto& name : baseline_runs.empty() ? std::vector<std::string>{} : baseline_runs.front().names) {
    if (name.rfind(prefix, 0) != 0) continue;
    const CostPerFte c = cost_per_additional_fte(baseline_runs, policy_runs, name);
    table.add("cost per additional qualified FTE in post" + name.substr(prefix.size()), policy, kNaN, kNaN, c.ratio,
              c.ci_low, c.ci_high, c.half_width, kNaN, c.replications);
  }
}

ComparisonFiles write_comparison_files(const std::string& out_dir, const output::ComparisonTable& table,
                                       const std::string& scenario_name, std::uint32_t seed,
                                       std::uint32_t replications, bool independent_seeds) {
  ComparisonFiles files;
  files.h5 = (std::filesystem::path(out_dir) / "comparison.h5").string();
  files.txt = (std::filesystem::path(out_dir) / "comparison.txt").string();
  output::write_comparison(files.h5, table, scenario_name, seed, replications, independent_seeds);
  std::ostringstream text;
  table.write_text(text);
  output::write_text_file(files.txt, text.str());
  files.csv = (std::filesystem::path(out_dir) / "comparison.csv").string();
  std::ostringstream csv;
  table.write_csv(csv);
  output::write_text_file(files.csv, csv.str());
  return files;
}

}  // namespace tsim::batch
