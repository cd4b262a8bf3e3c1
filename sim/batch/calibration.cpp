#include "sim/batch/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <limits>
#include <nlopt.h>
#include <sstream>
#include <stdexcept>

#include "output/comparison_writer.hpp"
#include "sim/batch/replication_pool.hpp"
#include "sim/batch/run_one.hpp"
#include "sim/batch/statistics.hpp"
#include "sim/model/indicators.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/sweep.hpp"

namespace tsim::batch {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const char* nlopt_reason(nlopt_result r) {
  switch (r) {
    case NLOPT_SUCCESS: return "success";
    case NLOPT_STOPVAL_REACHED: return "objective reached its stop value";
    case NLOPT_FTOL_REACHED: return "objective changed by less than its tolerance";
    case NLOPT_XTOL_REACHED: return "parameters changed by less than 1e-4 of their range";
    case NLOPT_MAXEVAL_REACHED: return "max_evaluations reached (the fit may not have converged)";
    case NLOPT_MAXTIME_REACHED: return "time limit reached";
    case NLOPT_ROUNDOFF_LIMITED: return "round-off limited";
    case NLOPT_FORCED_STOP: return "stopped";
    default: return "failed";
  }
}

}  // namespace

CalibrationModel::CalibrationModel(scenario::CalibrationSpec spec, std::size_t threads, const std::atomic<bool>* stop)
    : spec_(std::move(spec)), threads_(threads), stop_(stop) {}

std::vector<SimulatedTarget> CalibrationModel::simulate(const std::vector<double>& values) const {
  ++evaluations_;
  std::vector<scenario::Override> overrides;
  for (const auto& text : spec_.set) overrides.push_back({text});
  for (std::size_t j = 0; j < spec_.free.size(); ++j)
    overrides.push_back({fmt::format("parameters.{}={:.17g}", spec_.free[j].name,
                                     spec_.free[j].integer ? std::round(values[j]) : values[j])});
  const auto loaded = scenario::load_scenario_file(spec_.scenario_path, overrides);
  const auto reps = static_cast<std::size_t>(spec_.replications);
  std::vector<model::IndicatorSet> sets(reps);
  (void)ReplicationPool(threads_).run(
      reps,
      [&](std::size_t r) {
        RunRequest request;
        request.master_seed = spec_.seed;
        request.replication = static_cast<std::uint32_t>(r);  // fixed keys: common random numbers across evaluations
        request.record_level = model::RecordLevel::census;
        request.stop = stop_;
        model::IndicatorCollector collector(loaded.spec, nullptr);
        sets[r] = collector.compute(run_one(loaded, request, collector));
      },
      stop_);
  std::vector<SimulatedTarget> out;
  core::DiagnosticList diags;
  for (const auto& t : spec_.targets) {
    std::vector<double> xs;
    for (const auto& s : sets) xs.push_back(s.value(t.indicator));
    if (std::find(sets[0].names.begin(), sets[0].names.end(), t.indicator) == sets[0].names.end()) {
      diags.add(t.where, fmt::format("the runs have no indicator '{}'{} (names: docs/INDICATORS.md, or any "
                                     "comparison.txt)",
                                     t.indicator, core::did_you_mean(t.indicator, sets[0].names)));
      continue;
    }
    const double sd = reps > 1 ? std::sqrt(sample_variance(xs)) : 0.0;
    out.push_back({mean(xs), sd});
  }
  diags.throw_if_any();
  return out;
}

double CalibrationModel::objective_of(const std::vector<SimulatedTarget>& sim) const {
  double sum = 0;
  for (std::size_t i = 0; i < sim.size(); ++i) {
    const double z = (sim[i].mean - spec_.targets[i].value) / spec_.targets[i].sd;
    sum += std::isnan(z) ? 1e6 : z * z;  // an undefined indicator (nobody counted) is a very bad fit
  }
  return sum;
}

double CalibrationModel::objective(const std::vector<double>& values) const { return objective_of(simulate(values)); }

double CalibrationModel::implausibility(const std::vector<SimulatedTarget>& sim) const {
  double worst = 0;
  const double reps = static_cast<double>(spec_.replications);
  for (std::size_t i = 0; i < sim.size(); ++i) {
    const auto& t = spec_.targets[i];
    const double scale = std::sqrt(t.sd * t.sd + sim[i].sd * sim[i].sd / reps);
    const double z = std::fabs(sim[i].mean - t.value) / scale;
    worst = std::max(worst, std::isnan(z) ? std::numeric_limits<double>::infinity() : z);
  }
  return worst;
}

namespace {

struct Context {
  const CalibrationModel* model;
  nlopt_opt opt;
  std::exception_ptr error;
};

// NLopt calls this with u in [0, 1]^k. NLopt is C: nothing may be thrown
// through it, so an exception is kept and the optimiser told to stop.
double nlopt_objective(unsigned n, const double* u, double*, void* data) {
  auto* c = static_cast<Context*>(data);
  const auto& free = c->model->spec().free;
  std::vector<double> x(n);
  for (unsigned j = 0; j < n; ++j) x[j] = free[j].low + u[j] * (free[j].high - free[j].low);
  try {
    return c->model->objective(x);
  } catch (...) {
    c->error = std::current_exception();
    nlopt_force_stop(c->opt);
    return HUGE_VAL;
  }
}

}  // namespace

CalibrationFit fit_bobyqa(const CalibrationModel& model) {
  const auto& free = model.spec().free;
  const auto n = static_cast<unsigned>(free.size());
  nlopt_opt opt = nlopt_create(NLOPT_LN_BOBYQA, n);
  if (!opt) throw std::runtime_error("NLopt could not create a BOBYQA optimiser");
  std::vector<double> lo(n, 0.0), hi(n, 1.0), u(n), step(n, 0.1);
  for (unsigned j = 0; j < n; ++j) u[j] = (free[j].start - free[j].low) / (free[j].high - free[j].low);
  Context c{&model, opt, nullptr};
  nlopt_set_lower_bounds(opt, lo.data());
  nlopt_set_upper_bounds(opt, hi.data());
  nlopt_set_min_objective(opt, nlopt_objective, &c);
  nlopt_set_xtol_abs1(opt, 1e-4);
  nlopt_set_initial_step(opt, step.data());
  nlopt_set_maxeval(opt, static_cast<int>(model.spec().max_evaluations));
  double best = 0;
  const nlopt_result result = nlopt_optimize(opt, u.data(), &best);
  nlopt_destroy(opt);
  if (c.error) std::rethrow_exception(c.error);
  if (result < 0 && result != NLOPT_ROUNDOFF_LIMITED)
    throw std::runtime_error(fmt::format("NLopt BOBYQA failed ({})", static_cast<int>(result)));
  CalibrationFit fit;
  for (unsigned j = 0; j < n; ++j) {
    const double x = free[j].low + u[j] * (free[j].high - free[j].low);
    fit.values.push_back(free[j].integer ? std::round(x) : x);
  }
  fit.at_fit = model.simulate(fit.values);
  fit.objective = model.objective_of(fit.at_fit);
  fit.evaluations = model.evaluations();
  fit.status = nlopt_reason(result);
  return fit;
}

PlausibleRanges history_match(const CalibrationModel& model, double cutoff) {
  const auto& free = model.spec().free;
  PlausibleRanges p;
  p.low.assign(free.size(), kNaN);
  p.high.assign(free.size(), kNaN);
  if (model.spec().plausible_samples <= 0) return p;
  std::vector<std::pair<double, double>> ranges;
  for (const auto& f : free) ranges.emplace_back(f.low, f.high);
  p.points = scenario::latin_hypercube(static_cast<std::size_t>(model.spec().plausible_samples), ranges,
                                       model.spec().sample_seed);
  for (auto& x : p.points) {
    for (std::size_t j = 0; j < x.size(); ++j)
      if (free[j].integer) x[j] = std::round(x[j]);
    const double imp = model.implausibility(model.simulate(x));
    p.implausibility.push_back(imp);
    if (imp > cutoff) continue;
    ++p.plausible;
    for (std::size_t j = 0; j < x.size(); ++j) {
      p.low[j] = std::isnan(p.low[j]) ? x[j] : std::min(p.low[j], x[j]);
      p.high[j] = std::isnan(p.high[j]) ? x[j] : std::max(p.high[j], x[j]);
    }
  }
  return p;
}

std::string write_calibration_files(const std::string& out_dir, const CalibrationModel& model,
                                    const CalibrationFit& fit, const PlausibleRanges& ranges) {
  namespace fs = std::filesystem;
  fs::create_directories(out_dir);
  const auto& spec = model.spec();
  std::ostringstream fitted, back, plaus, s;
  fitted << "parameter,fitted,low,high,plausible_low,plausible_high\n";
  s << fmt::format("Calibration '{}' of {}: {} free parameter(s), {} target(s), {} replications per evaluation.\n"
                   "BOBYQA: {} after {} evaluations; weighted squared error {:.4g}.\n\n",
                   spec.name, spec.scenario_path, spec.free.size(), spec.targets.size(), spec.replications, fit.status,
                   fit.evaluations, fit.objective);
  s << fmt::format("{:<28} {:>12} {:>12} {:>12}   {}\n", "parameter", "fitted", "range low", "range high",
                   "plausible range (history matching, implausibility <= 3)");
  for (std::size_t j = 0; j < spec.free.size(); ++j) {
    const auto& f = spec.free[j];
    fitted << fmt::format("{},{:.17g},{:.17g},{:.17g},{:.17g},{:.17g}\n", f.name, fit.values[j], f.low, f.high,
                          ranges.low[j], ranges.high[j]);
    s << fmt::format("{:<28} {:>12.5g} {:>12.5g} {:>12.5g}   [{:.5g}, {:.5g}]\n", f.name, fit.values[j], f.low, f.high,
                     ranges.low[j], ranges.high[j]);
  }
  s << fmt::format("  ({} of {} history-matching points plausible)\n\nBack-cast at the fitted values:\n",
                   ranges.plausible, ranges.points.size());
  back << "indicator,observed,sd,simulated,simulated_sd,z,source\n";
  for (std::size_t i = 0; i < spec.targets.size(); ++i) {
    const auto& t = spec.targets[i];
    const auto& m = fit.at_fit[i];
    const double z = (m.mean - t.value) / t.sd;
    back << fmt::format("\"{}\",{:.17g},{:.17g},{:.17g},{:.17g},{:.17g},\"{}\"\n", t.indicator, t.value, t.sd, m.mean,
                        m.sd, z, t.source);
    s << fmt::format("  {:<52} observed {:>10.5g} +/- {:<8.3g} simulated {:>10.5g} (z {:+.2f}) [{}]\n", t.indicator,
                     t.value, t.sd, m.mean, z, t.source);
  }
  plaus << "point";
  for (const auto& f : spec.free) plaus << "," << f.name;
  plaus << ",implausibility\n";
  for (std::size_t k = 0; k < ranges.points.size(); ++k) {
    plaus << k;
    for (double x : ranges.points[k]) plaus << fmt::format(",{:.17g}", x);
    plaus << fmt::format(",{:.17g}\n", ranges.implausibility[k]);
  }
  output::write_text_file((fs::path(out_dir) / "calibration_fit.csv").string(), fitted.str());
  output::write_text_file((fs::path(out_dir) / "backcast.csv").string(), back.str());
  output::write_text_file((fs::path(out_dir) / "plausible.csv").string(), plaus.str());
  return s.str();
}

}  // namespace tsim::batch
