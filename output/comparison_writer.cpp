#include "output/comparison_writer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <fstream>
#include <ostream>

#include "output/atomic_file.hpp"
#include "output/h5_file.hpp"

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

bool ComparisonTable::is_same_as_baseline(const std::string& p) const {
  return std::find(same_as_baseline.begin(), same_as_baseline.end(), p) != same_as_baseline.end();
}

namespace {

// Numbers for people: "-" when undefined, thousands separated when large.
std::string num(double x) {
  if (std::isnan(x)) return "-";
  if (std::fabs(x) < 1e4) return fmt::format("{:.4g}", x);
  if (std::fabs(x) >= 1e15) return fmt::format("{:.4g}", x);
  const std::string digits = fmt::format("{:.0f}", std::fabs(x));
  std::string out = x < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::size_t name_width(const ComparisonTable& t) {
  std::size_t w = 30;
  for (const auto& n : t.indicator) w = std::max(w, n.size());
  return std::min<std::size_t>(w, 100);
}

std::string row(const ComparisonTable& t, std::size_t i, std::size_t width) {
  return fmt::format("{:<{}} {:<20} {:>14} {:>14} {:>14} [{:>14}, {:>14}] {:>12} {:>12}", t.indicator[i], width,
                     t.policy[i], num(t.baseline_mean[i]), num(t.policy_mean[i]), num(t.difference[i]),
                     num(t.ci_low[i]), num(t.ci_high[i]), num(t.half_width_paired[i]), num(t.half_width_unpaired[i]));
}
std::string header(std::size_t width) {
  return fmt::format("{:<{}} {:<20} {:>14} {:>14} {:>14} {:>32} {:>12} {:>12}", "indicator", width, "policy", "baseline",
                     "policy", "difference", "95% CI (paired)", "half-width", "unpaired");
}
}  // namespace

namespace {
// A CSV field: quoted (quotes doubled) when it holds a comma, quote or line break.
std::string csv_text(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}
// Shortest round-trip form; NaN (no value) as an empty field, which pandas and R read as missing.
std::string csv_number(double v) { return std::isnan(v) ? std::string() : fmt::format("{}", v); }
}  // namespace

void ComparisonTable::write_csv(std::ostream& out) const {
  out << "indicator,policy,baseline_mean,policy_mean,difference,ci_low,ci_high,half_width_paired,"
         "half_width_unpaired,replications,same_as_baseline\n";
  for (std::size_t i = 0; i < size(); ++i)
    out << csv_text(indicator[i]) << ',' << csv_text(policy[i]) << ',' << csv_number(baseline_mean[i]) << ','
        << csv_number(policy_mean[i]) << ',' << csv_number(difference[i]) << ',' << csv_number(ci_low[i]) << ','
        << csv_number(ci_high[i]) << ',' << csv_number(half_width_paired[i]) << ','
        << csv_number(half_width_unpaired[i]) << ',' << replications[i] << ','
        << (is_same_as_baseline(policy[i]) ? 1 : 0) << '\n';
}

void ComparisonTable::write_text(std::ostream& out) const {
  const std::size_t width = name_width(*this);
  out << header(width) << '\n';
  for (std::size_t i = 0; i < size(); ++i) out << row(*this, i, width) << '\n';
  for (const auto& p : same_as_baseline)
    out << fmt::format("\nWARNING: policy '{}' resolves to the same scenario as the baseline (an override replaces\n"
                       "what it sets), so every difference is 0 by construction.\n",
                       p);
  out << "\nDifferences are policy - baseline, paired by replication (common random numbers); the CI is\n"
         "mean +/- t(0.975, R-1) * sd / sqrt(R) and covers simulation noise only. 'unpaired' is the\n"
         "half-width the same runs would give without pairing (as with independent seeds). The cost per\n"
         "additional FTE has a delta-method interval. Definitions: docs/INDICATORS.md. For analysis, read\n"
         "comparison.h5 (traineesim_tools.load_comparison), not this text.\n";
}

std::vector<std::string> ComparisonTable::headline() const {
  // The overall rows (no "[...]" breakdown) people look at first.
  static const char* kFirst[] = {"training completion rate", "time to qualify", "retention", "qualified FTE in post",
                                 "total cost", "cost per additional", "mean wait for", "utilisation of"};
  std::size_t width = 30;
  for (const auto& n : indicator)
    if (n.find('[') == std::string::npos) width = std::max(width, n.size());
  std::vector<std::string> out{header(width)};
  for (std::size_t i = 0; i < size(); ++i)
    for (const char* f : kFirst)
      if (indicator[i].rfind(f, 0) == 0 && indicator[i].find('[') == std::string::npos) {
        out.push_back(row(*this, i, width));
        break;
      }
  return out;
}

void write_comparison(const std::string& path, const ComparisonTable& t, const std::string& scenario, long long seed,
                      long long replications, bool independent_seeds) {
  write_file_atomically(path, [&](hid_t f) {
    h5::write_attribute(f, "schema", std::string("traineesim.comparison"));
    h5::write_attribute(f, "schema_version", std::int32_t{1});
    h5::write_attribute(f, "scenario_name", scenario);
    h5::write_attribute(f, "master_seed", static_cast<std::int32_t>(seed));
    h5::write_attribute(f, "replications", static_cast<std::int32_t>(replications));
    h5::write_attribute(f, "random_numbers", std::string(independent_seeds ? "independent" : "common"));
    auto g = h5::create_group(f, "comparison");
    h5::write_column(g.get(), "indicator", t.indicator);
    h5::write_column(g.get(), "policy", t.policy);
    h5::write_column(g.get(), "baseline_mean", t.baseline_mean);
    h5::write_column(g.get(), "policy_mean", t.policy_mean);
    h5::write_column(g.get(), "difference", t.difference);
    h5::write_column(g.get(), "ci_low", t.ci_low);
    h5::write_column(g.get(), "ci_high", t.ci_high);
    h5::write_column(g.get(), "half_width_paired", t.half_width_paired);
    h5::write_column(g.get(), "half_width_unpaired", t.half_width_unpaired);
    h5::write_column(g.get(), "replications", t.replications);
    std::vector<std::int32_t> same(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) same[i] = t.is_same_as_baseline(t.policy[i]) ? 1 : 0;
    h5::write_column(g.get(), "same_as_baseline", same);
  });
}

void write_text_file(const std::string& path, const std::string& text) {
  const std::string partial = partial_path(path);
  try {
    write_new_file(partial, text);
    publish(partial, path);
  } catch (...) {
    std::remove(partial.c_str());
    throw;
  }
}

}  // namespace tsim::output
