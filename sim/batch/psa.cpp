#include "sim/batch/psa.hpp"

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <cmath>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <fmt/format.h>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "output/comparison_writer.hpp"
#include "sim/batch/replication_pool.hpp"
#include "sim/batch/run_one.hpp"
#include "sim/batch/statistics.hpp"
#include "sim/model/indicators.hpp"
#include "sim/scenario/sweep.hpp"

namespace tsim::batch {

namespace {

constexpr const char* kFte = "qualified FTE in post at the horizon";
constexpr const char* kCostPrefix = "total cost, discounted";
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The discounted total cost of a run (its name carries the rate and currency).
std::pair<std::string, double> discounted_cost(const model::IndicatorSet& s) {
  for (std::size_t i = 0; i < s.names.size(); ++i)
    if (s.names[i].rfind(kCostPrefix, 0) == 0) return {s.names[i], s.values[i]};
  return {"", kNaN};
}

std::string describe(const scenario::UncertainParameter& p) {
  std::string args;
  for (double a : p.args) args += (args.empty() ? "" : ", ") + fmt::format("{:g}", a);
  return fmt::format("{}({})", p.distribution, args);
}

}  // namespace

double uncertain_quantile(const scenario::UncertainParameter& p, double u) {
  namespace bm = boost::math;
  const auto& a = p.args;
  if (p.distribution == "uniform") return a[0] + u * (a[1] - a[0]);
  if (p.distribution == "triangular") return bm::quantile(bm::triangular_distribution<double>(a[0], a[1], a[2]), u);
  if (p.distribution == "normal") return bm::quantile(bm::normal_distribution<double>(a[0], a[1]), u);
  if (p.distribution == "lognormal")
    return bm::quantile(bm::lognormal_distribution<double>(std::log(a[0]), std::log(a[1])), u);
  if (p.distribution == "beta") return a[2] + (a[3] - a[2]) * bm::quantile(bm::beta_distribution<double>(a[0], a[1]), u);
  if (p.distribution == "gamma") return bm::quantile(bm::gamma_distribution<double>(a[0], a[1]), u);
  throw std::invalid_argument("unknown distribution '" + p.distribution + "'");
}

std::vector<std::vector<double>> draw_parameters(const std::vector<scenario::UncertainParameter>& params,
                                                 std::size_t draws, std::uint32_t seed) {
  const std::vector<std::pair<double, double>> unit(params.size(), {0.0, 1.0});
  auto points = scenario::latin_hypercube(draws, unit, seed);
  // The hypercube's points lie in [0, 1); an open interval keeps every quantile finite.
  constexpr double kEdge = 1e-12;
  for (auto& point : points)
    for (std::size_t j = 0; j < params.size(); ++j)
      point[j] = uncertain_quantile(params[j], std::clamp(point[j], kEdge, 1 - kEdge));
  return points;
}

PsaResult run_psa(const std::string& scenario_path, const std::string& policy_path,
                  const std::vector<scenario::Override>& overrides, const PsaSettings& s) {
  if ((s.design.rows.empty() && s.draws < 2) || s.replications < 2)
    throw std::invalid_argument("psa needs at least 2 draws and 2 replications to split the variance");
  const auto base = scenario::load_scenario_file(scenario_path, overrides);
  const auto with_policy = scenario::load_scenario_file(scenario_path, overrides, {policy_path});
  PsaResult r;
  r.policy = with_policy.spec.policies.front();
  r.parameters = with_policy.uncertain;
  r.replications = s.replications;
  r.same_keys = s.same_keys;
  if (r.parameters.empty())
    throw std::invalid_argument("the scenario and the policy declare no [uncertain.<parameter>]: nothing to draw");
  if (!s.design.rows.empty()) {
    std::vector<scenario::UncertainParameter> chosen;
    for (const auto& name : s.design.names) {
      const auto it = std::find_if(r.parameters.begin(), r.parameters.end(), [&](const auto& p) { return p.name == name; });
      if (it == r.parameters.end())
        throw core::InputError(core::SourceLocation{"--design", 1, 1},
                               fmt::format("'{}' is not an uncertain parameter of the scenario or the policy", name));
      chosen.push_back(*it);
    }
    r.parameters = std::move(chosen);
    r.draws = s.design.rows;
  } else {
    r.draws = draw_parameters(r.parameters, s.draws, s.sample_seed);
  }
  const std::size_t draws = r.draws.size();
  std::vector<bool> in_base(r.parameters.size(), false);
  for (std::size_t j = 0; j < r.parameters.size(); ++j)
    for (const auto& b : base.uncertain) in_base[j] = in_base[j] || b.name == r.parameters[j].name;

  // Both sides of every draw, loaded before anything runs: a bad draw stops the analysis at once.
  std::vector<scenario::LoadedScenario> loaded;
  loaded.reserve(2 * draws);
  for (std::size_t d = 0; d < draws; ++d) {
    std::vector<scenario::Override> base_o = overrides, policy_o = overrides;
    for (std::size_t j = 0; j < r.parameters.size(); ++j) {
      const std::string o = fmt::format("parameters.{}={:.17g}", r.parameters[j].name, r.draws[d][j]);
      if (in_base[j]) base_o.push_back({o});
      policy_o.push_back({o});
    }
    try {
      loaded.push_back(scenario::load_scenario_file(scenario_path, base_o));
      loaded.push_back(scenario::load_scenario_file(scenario_path, policy_o, {policy_path}));
    } catch (const core::InputError& e) {
      std::vector<core::Diagnostic> problems = e.problems();
      for (auto& p : problems) p.message = fmt::format("(psa draw {}) {}", d, p.message);
      throw core::InputError(std::move(problems));
    }
  }
  const std::size_t reps = s.replications;
  r.runs.resize(draws * reps);
  std::vector<std::string> cost_names(r.runs.size() * 2);
  (void)ReplicationPool(s.threads).run(
      r.runs.size() * 2,
      [&](std::size_t i) {
        const std::size_t run = i / 2, d = run / reps;
        const bool policy_side = i % 2 == 1;
        const auto& l = loaded[2 * d + (policy_side ? 1 : 0)];
        RunRequest request;
        request.variant = policy_side ? r.policy : "baseline";
        request.master_seed = s.seed;
        // d x R + r: its own streams, common to both sides; with same_keys, r for every draw.
        request.replication = static_cast<std::uint32_t>(s.same_keys ? run % reps : run);
        request.record_level = model::RecordLevel::census;
        request.stop = s.stop;
        request.lean_memory = s.lean_memory;
        model::IndicatorCollector collector(l.spec, nullptr);
        const auto set = collector.compute(run_one(l, request, collector));
        auto& out = r.runs[run];
        out.draw = d;
        out.replication = static_cast<std::uint32_t>(run % reps);
        const auto [name, cost] = discounted_cost(set);
        cost_names[i] = name;
        (policy_side ? out.policy_fte : out.baseline_fte) = set.value(kFte);
        (policy_side ? out.policy_cost : out.baseline_cost) = cost;
      },
      s.stop);
  r.cost_indicator = cost_names.empty() ? "" : cost_names[0];
  return r;
}

PsaDesign read_design_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw core::InputError(core::SourceLocation{path}, "cannot read the design file");
  PsaDesign d;
  std::string line;
  std::uint32_t number = 0;
  auto cells = [](const std::string& text) {
    std::vector<std::string> out;
    std::stringstream ss(text);
    for (std::string c; std::getline(ss, c, ',');) out.push_back(c);
    return out;
  };
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (d.names.empty()) {
      d.names = cells(line);
      continue;
    }
    const auto c = cells(line);
    if (c.size() != d.names.size())
      throw core::InputError(core::SourceLocation{path, number, 1},
                             fmt::format("{} values for {} columns", c.size(), d.names.size()));
    std::vector<double> row;
    std::uint32_t column = 1;
    for (const auto& cell : c) {
      double v = 0;
      const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
      if (ec != std::errc() || ptr != cell.data() + cell.size() || !std::isfinite(v))
        throw core::InputError(core::SourceLocation{path, number, column}, fmt::format("'{}' is not a number", cell));
      row.push_back(v);
      column += static_cast<std::uint32_t>(cell.size() + 1);
    }
    d.rows.push_back(std::move(row));
  }
  if (d.rows.empty()) throw core::InputError(core::SourceLocation{path, 1, 1}, "the design has no rows");
  return d;
}

std::vector<double> draw_means(const std::vector<double>& y, std::size_t draws, std::size_t replications) {
  std::vector<double> out(draws);
  for (std::size_t d = 0; d < draws; ++d)
    out[d] = mean(std::span<const double>(y).subspan(d * replications, replications));
  return out;
}

VarianceSplit split_variance(const std::vector<double>& y, std::size_t draws, std::size_t replications) {
  VarianceSplit v;
  v.mean = mean(y);
  if (draws < 2 || replications < 2 || y.size() != draws * replications) {
    v.within = v.between = kNaN;
    return v;
  }
  double within = 0;
  for (std::size_t d = 0; d < draws; ++d)
    within += sample_variance(std::span<const double>(y).subspan(d * replications, replications));
  v.within = within / static_cast<double>(draws);
  const double msb = static_cast<double>(replications) * sample_variance(draw_means(y, draws, replications));
  v.between = std::max(0.0, (msb - v.within) / static_cast<double>(replications));
  return v;
}

std::vector<double> acceptability(const PsaResult& r, const std::vector<double>& thresholds) {
  std::vector<double> dfte, dcost;
  for (const auto& run : r.runs) {
    dfte.push_back(run.fte_difference());
    dcost.push_back(run.cost_difference());
  }
  const auto f = draw_means(dfte, r.draws.size(), r.replications);
  const auto c = draw_means(dcost, r.draws.size(), r.replications);
  std::vector<double> out;
  for (double lambda : thresholds) {
    std::size_t yes = 0;
    for (std::size_t d = 0; d < f.size(); ++d) yes += lambda * f[d] - c[d] > 0 ? 1 : 0;
    out.push_back(static_cast<double>(yes) / static_cast<double>(f.size()));
  }
  return out;
}

namespace {

// One row of the side-by-side table: noise-only intervals next to the
// parameter-uncertainty interval of the same difference.
std::string summary_row(const std::string& what, const std::vector<double>& y, std::size_t draws, std::size_t reps) {
  const VarianceSplit v = split_variance(y, draws, reps);
  const auto means = draw_means(y, draws, reps);
  const double t = t_quantile_975(static_cast<double>(draws * (reps - 1)));
  const double hw_mean = t * std::sqrt(v.within / static_cast<double>(reps));
  const double hw_one = t * std::sqrt(v.within);
  return fmt::format("{:<45} {:>12.4g}  [{:>11.4g}, {:>11.4g}]  [{:>11.4g}, {:>11.4g}]  [{:>11.4g}, {:>11.4g}]  {:>6.1f}%", what,
                     v.mean, v.mean - hw_mean, v.mean + hw_mean, v.mean - hw_one, v.mean + hw_one,
                     quantile7(means, 0.025), quantile7(means, 0.975), 100 * v.parameter_share());
}

std::string csv_runs(const PsaResult& r) {
  std::ostringstream o;
  o << "draw,replication";
  for (const auto& p : r.parameters) o << "," << p.name;
  o << ",baseline_fte,policy_fte,fte_difference,baseline_cost,policy_cost,cost_difference\n";
  for (const auto& run : r.runs) {
    o << run.draw << "," << run.replication;
    for (double x : r.draws[run.draw]) o << fmt::format(",{:.17g}", x);
    o << fmt::format(",{:.17g},{:.17g},{:.17g},{:.17g},{:.17g},{:.17g}\n", run.baseline_fte, run.policy_fte,
                     run.fte_difference(), run.baseline_cost, run.policy_cost, run.cost_difference());
  }
  return o.str();
}

}  // namespace

std::string write_psa_files(const std::string& out_dir, const PsaResult& r, const std::vector<double>& thresholds) {
  namespace fs = std::filesystem;
  fs::create_directories(out_dir);
  const std::size_t draws = r.draws.size(), reps = r.replications;
  std::vector<double> dfte, dcost;
  for (const auto& run : r.runs) {
    dfte.push_back(run.fte_difference());
    dcost.push_back(run.cost_difference());
  }
  std::ostringstream s;
  s << fmt::format("Probabilistic sensitivity analysis: policy '{}', {} draws (Latin hypercube) x {} replications,\n"
                   "paired with the baseline on common random numbers within each draw.\n\nUncertain parameters:\n",
                   r.policy, draws, reps);
  for (const auto& p : r.parameters) s << fmt::format("  {:<28} {:<36} source {}\n", p.name, describe(p), p.source);
  s << fmt::format("\n{:<45} {:>12}  {:>26}  {:>26}  {:>26}  {:>7}\n", "policy - baseline", "mean",
                   "noise only, R-run mean", "noise only, one run", "parameters, 95% of draws", "param.");
  s << summary_row("qualified FTE in post at horizon", dfte, draws, reps) << "\n";
  s << summary_row(r.cost_indicator.empty() ? "total cost" : r.cost_indicator, dcost, draws, reps) << "\n";
  if (r.same_keys)
    s << "\nWARNING: --same-keys: every draw used the same random keys, so the draws share their noise; the\n"
         "'param.' share and the 'parameters' interval below are NOT a split of independent variance.\n";
  s << "\n'noise only': mean +/- t * sqrt(within-draw variance [/ R]): the interval `compare` would give at fixed\n"
       "parameters. 'parameters': 2.5% and 97.5% quantiles of the draw means. 'param.': share of one run's variance\n"
       "due to parameter uncertainty (law of total variance, one-way random-effects ANOVA); the rest is noise.\n";
  const auto acc = acceptability(r, thresholds);
  std::ostringstream csv;
  csv << "threshold,probability_cost_effective\n";
  for (std::size_t i = 0; i < thresholds.size(); ++i) csv << fmt::format("{:.17g},{:.17g}\n", thresholds[i], acc[i]);
  s << "\nProbability that the policy's cost per additional FTE is under a threshold (net benefit > 0):\n";
  const std::size_t step = std::max<std::size_t>(1, thresholds.size() / 10);
  for (std::size_t i = 0; i < thresholds.size(); i += step) s << fmt::format("  {:>14.0f}  {:>5.2f}\n", thresholds[i], acc[i]);
  s << "\nFiles: psa_runs.csv (every paired run), psa_acceptability.csv (the whole curve).\n";
  output::write_text_file((fs::path(out_dir) / "psa_runs.csv").string(), csv_runs(r));
  output::write_text_file((fs::path(out_dir) / "psa_acceptability.csv").string(), csv.str());
  output::write_text_file((fs::path(out_dir) / "psa_summary.txt").string(), s.str());
  return s.str();
}

}  // namespace tsim::batch
