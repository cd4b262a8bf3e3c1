#include "output/comparison_writer.hpp"

#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <hdf5.h>
#include <mutex>
#include <ostream>

#include "output/atomic_file.hpp"
#include "output/hdf5_columns.hpp"

namespace tsim::output {

void ComparisonTable::add(const std::string& ind, const std::string& pol, double b, double p, double d, double lo,
                          double hi, double hw, double hwu, int n) {
  indicator.push_back(ind);
  policy.push_back(pol);
  baseline_mean.push_back(b);
  policy_mean.push_back(p);
  difference.push_back(d);
  ci_low.push_back(lo);
  ci_high.push_back(hi);
  half_width_paired.push_back(hw);
  half_width_unpaired.push_back(hwu);
  replications.push_back(n);
}

namespace {
std::string num(double x) { return std::isnan(x) ? "-" : fmt::format("{:.4g}", x); }

std::string row(const ComparisonTable& t, std::size_t i) {
  return fmt::format("{:<58} {:<24} {:>10} {:>10} {:>10} [{:>10}, {:>10}] {:>10} {:>10}", t.indicator[i], t.policy[i],
                     num(t.baseline_mean[i]), num(t.policy_mean[i]), num(t.difference[i]), num(t.ci_low[i]),
                     num(t.ci_high[i]), num(t.half_width_paired[i]), num(t.half_width_unpaired[i]));
}
std::string header() {
  return fmt::format("{:<58} {:<24} {:>10} {:>10} {:>10} {:>24} {:>10} {:>10}", "indicator", "policy", "baseline",
                     "policy", "difference", "95% CI (paired)", "half-width", "unpaired");
}
}  // namespace

void ComparisonTable::write_text(std::ostream& out) const {
  out << header() << '\n';
  for (std::size_t i = 0; i < size(); ++i) out << row(*this, i) << '\n';
  out << "\nDifferences are policy - baseline, paired by replication (common random numbers); the CI is\n"
         "mean +/- t(0.975, R-1) * sd / sqrt(R). 'unpaired' is the half-width the same runs would give\n"
         "without pairing (as with independent seeds). See docs/INDICATORS.md.\n";
}

std::vector<std::string> ComparisonTable::headline() const {
  static const char* kFirst[] = {"training completion rate", "time to qualify", "retention", "qualified FTE in post",
                                 "total cost", "cost per additional", "mean wait for", "utilisation of"};
  std::vector<std::string> out{header()};
  for (std::size_t i = 0; i < size(); ++i)
    for (const char* f : kFirst)
      if (indicator[i].rfind(f, 0) == 0) {
        out.push_back(row(*this, i));
        break;
      }
  return out;
}

void write_comparison(const std::string& path, const ComparisonTable& t, const std::string& scenario, long long seed,
                      long long replications, bool independent_seeds) {
  write_file_atomically(path, [&](hid_t f) {
    write_attribute(f, "schema", std::string("traineesim.comparison"));
    write_attribute(f, "schema_version", 1);
    write_attribute(f, "scenario_name", scenario);
    write_attribute(f, "master_seed", static_cast<std::int32_t>(seed));
    write_attribute(f, "replications", static_cast<std::int32_t>(replications));
    write_attribute(f, "random_numbers", std::string(independent_seeds ? "independent" : "common"));
    const hid_t g = create_group(f, "comparison");
    write_column(g, "indicator", t.indicator);
    write_column(g, "policy", t.policy);
    write_column(g, "baseline_mean", t.baseline_mean);
    write_column(g, "policy_mean", t.policy_mean);
    write_column(g, "difference", t.difference);
    write_column(g, "ci_low", t.ci_low);
    write_column(g, "ci_high", t.ci_high);
    write_column(g, "half_width_paired", t.half_width_paired);
    write_column(g, "half_width_unpaired", t.half_width_unpaired);
    write_column(g, "replications", t.replications);
    H5Gclose(g);
  });
}

void write_text_file(const std::string& path, const std::string& text) {
  const std::string partial = partial_path(path);
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw OutputError(fmt::format("cannot write {}", partial));
  }
  publish(partial, path);
}

}  // namespace tsim::output
