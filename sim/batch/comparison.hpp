// The paired comparison of `traineesim compare`: per indicator, the
// baseline and policy means over replications, the mean paired difference
// with its 95% Student-t interval, and the half-width the same runs would
// give unpaired. Indicators are matched by NAME, never by position: a policy
// that adds a state (and so new indicators) keeps every baseline row, and its
// own new indicators get rows with the baseline side NaN (docs/INDICATORS.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "output/comparison_writer.hpp"
#include "sim/model/indicators.hpp"

namespace tsim::batch {

/// One indicator of one policy against the baseline. NaN where undefined.
struct ComparisonRow {
  std::string indicator;
  double baseline_mean = 0, policy_mean = 0;
  double difference = 0;       // mean of the paired differences policy - baseline
  double ci_low = 0, ci_high = 0;
  double half_width_paired = 0, half_width_unpaired = 0;
  int replications = 0;        // replications where both sides are defined
};

/// Rows for one policy. `baseline[r]` and `policy[r]` are replication r of
/// each variant (same random key, so they pair). Rows come in the
/// baseline's indicator order, then indicators found only in the policy, in
/// its order. Throws std::invalid_argument if the two differ in length.
[[nodiscard]] std::vector<ComparisonRow> compare_indicators(const std::vector<model::IndicatorSet>& baseline,
                                                            const std::vector<model::IndicatorSet>& policy);

/// Cost per additional qualified FTE in post: the mean paired difference in
/// `cost_indicator` over the mean paired difference in "qualified FTE in post
/// at the horizon" (a ratio of means), with a 95% interval by the delta
/// method: Var(R) ~ (Var(dC) - 2 R Cov(dC, dF) + R^2 Var(dF)) / (n mean(dF)^2),
/// half-width t(0.975, n - 1) sqrt(Var(R)). The interval is NaN (left out)
/// when the FTE difference is not clearly away from 0 (|mean| < 2 standard
/// errors): the ratio is then unstable and no delta-method interval holds.
/// `ratio` is NaN when the cost is undefined (a scenario with no costs).
/// Never throws (but std::bad_alloc).
struct CostPerFte {
  double ratio = 0;
  double ci_low = 0, ci_high = 0, half_width = 0;
  int replications = 0;
};
[[nodiscard]] CostPerFte cost_per_additional_fte(const std::vector<model::IndicatorSet>& baseline,
                                                 const std::vector<model::IndicatorSet>& policy,
                                                 const std::string& cost_indicator);

/// The master seed of policy number `policy_number` (0-based): the baseline's
/// on common random numbers; with independent seeds
/// (seed + 1,000,003 x (policy_number + 1)) mod 2^31. Never throws.
[[nodiscard]] std::uint32_t policy_seed(std::uint32_t seed, std::size_t policy_number, bool independent) noexcept;

/// Appends the rows of `policy` to `table`, then its cost-per-FTE rows (one
/// for each "total cost ..." indicator: undiscounted and discounted).
/// Throws std::invalid_argument if the two differ in number of replications.
void append_policy(output::ComparisonTable& table, const std::string& policy,
                   const std::vector<model::IndicatorSet>& baseline_runs,
                   const std::vector<model::IndicatorSet>& policy_runs);

/// Where write_comparison_files put the table.
struct ComparisonFiles {
  std::string h5;   // <out_dir>/comparison.h5
  std::string txt;  // <out_dir>/comparison.txt, for people
  std::string csv;  // <out_dir>/comparison.csv, for pandas and R
};

/// Writes comparison.h5, comparison.txt and comparison.csv under `out_dir`, each atomically.
/// Throws output::OutputError.
ComparisonFiles write_comparison_files(const std::string& out_dir, const output::ComparisonTable& table,
                                       const std::string& scenario_name, std::uint32_t seed,
                                       std::uint32_t replications, bool independent_seeds);

}  // namespace tsim::batch
