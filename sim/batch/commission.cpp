#include "sim/batch/commission.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <nlopt.h>
#include <sstream>
#include <stdexcept>

#include "output/comparison_writer.hpp"
#include "sim/batch/replication_pool.hpp"
#include "sim/batch/run_one.hpp"
#include "sim/batch/statistics.hpp"
#include "sim/model/indicators.hpp"
#include "sim/scenario/scenario.hpp"

namespace tsim::batch {

std::vector<double> simulate_plan(const scenario::CommissionSpec& spec, const std::vector<double>& places,
                                  std::size_t threads, const std::atomic<bool>* stop) {
  std::vector<scenario::Override> overrides;
  for (std::size_t j = 0; j < spec.programmes.size(); ++j)
    overrides.push_back({fmt::format("parameters.{}={:.17g}", spec.programmes[j].parameter, std::round(places[j]))});
  const auto loaded = scenario::load_scenario_file(spec.scenario_path, overrides);
  const auto reps = static_cast<std::size_t>(spec.replications);
  std::vector<model::IndicatorSet> sets(reps);
  (void)ReplicationPool(threads).run(
      reps,
      [&](std::size_t r) {
        RunRequest request;
        request.master_seed = spec.seed;
        request.replication = static_cast<std::uint32_t>(r);
        request.record_level = model::RecordLevel::census;
        request.stop = stop;
        model::IndicatorCollector collector(loaded.spec, nullptr);
        sets[r] = collector.compute(run_one(loaded, request, collector));
      },
      stop);
  core::DiagnosticList diags;
  for (const auto& name : spec.target_indicators)
    if (std::find(sets[0].names.begin(), sets[0].names.end(), name) == sets[0].names.end())
      diags.add({spec.path}, fmt::format("target.indicators: the runs have no indicator '{}'{}", name,
                                         core::did_you_mean(name, sets[0].names)));
  diags.throw_if_any();
  std::vector<double> out;
  for (const auto& s : sets) {
    double sum = 0;
    for (const auto& name : spec.target_indicators) sum += s.value(name);
    out.push_back(sum);
  }
  return out;
}

namespace {

struct Search {
  const scenario::CommissionSpec* spec;
  std::size_t threads;
  const std::atomic<bool>* stop;
  nlopt_opt opt = nullptr;
  std::map<std::vector<double>, double> cache;  // rounded places -> mean target sum
  std::exception_ptr error;
  std::size_t evaluations = 0;

  std::vector<double> places(const double* u) const {
    std::vector<double> x;
    for (std::size_t j = 0; j < spec->programmes.size(); ++j) {
      const auto& g = spec->programmes[j];
      x.push_back(std::round(g.low + u[j] * (g.high - g.low)));
    }
    return x;
  }
  double cost(const std::vector<double>& x) const {
    double c = 0;
    for (std::size_t j = 0; j < x.size(); ++j) c += spec->programmes[j].cost_per_place * x[j];
    return c;
  }
  double mean_at(const std::vector<double>& x) {
    if (const auto it = cache.find(x); it != cache.end()) return it->second;
    ++evaluations;
    const double m = mean(simulate_plan(*spec, x, threads, stop));
    cache.emplace(x, m);
    return m;
  }
};

// The plan's cost, scaled by the most it could cost (so COBYLA sees numbers near 1).
double cost_objective(unsigned, const double* u, double*, void* data) {
  auto* s = static_cast<Search*>(data);
  double most = 0;
  for (const auto& g : s->spec->programmes) most += g.cost_per_place * g.high;
  return s->cost(s->places(u)) / std::max(most, 1.0);
}

// <= 0 when the target is met: (target - mean) / target.
double target_constraint(unsigned, const double* u, double*, void* data) {
  auto* s = static_cast<Search*>(data);
  try {
    return (s->spec->target - s->mean_at(s->places(u))) / std::max(std::fabs(s->spec->target), 1.0);
  } catch (...) {
    s->error = std::current_exception();  // nothing may be thrown through NLopt's C code
    nlopt_force_stop(s->opt);
    return HUGE_VAL;
  }
}

// Most-for-budget mode: minus the mean target sum (COBYLA minimises).
double sum_objective(unsigned, const double* u, double*, void* data) {
  auto* s = static_cast<Search*>(data);
  try {
    return -s->mean_at(s->places(u)) / std::max(std::fabs(s->spec->target), 1.0);
  } catch (...) {
    s->error = std::current_exception();
    nlopt_force_stop(s->opt);
    return HUGE_VAL;
  }
}

// <= 0 when the plan is within budget.
double budget_constraint(unsigned, const double* u, double*, void* data) {
  auto* s = static_cast<Search*>(data);
  return (s->cost(s->places(u)) - *s->spec->budget) / std::max(*s->spec->budget, 1.0);
}

}  // namespace

CommissionPlan optimise_commission(const scenario::CommissionSpec& spec, std::size_t threads,
                                   const std::atomic<bool>* stop) {
  const auto n = static_cast<unsigned>(spec.programmes.size());
  Search s{&spec, threads, stop, nullptr, {}, nullptr, 0};
  s.opt = nlopt_create(NLOPT_LN_COBYLA, n);
  if (!s.opt) throw std::runtime_error("NLopt could not create a COBYLA optimiser");
  // Least cost starts where the target is easiest to meet; most-for-budget where the budget is surely met.
  std::vector<double> lo(n, 0.0), hi(n, 1.0), u(n, spec.most_for_budget ? 0.0 : 1.0), step(n, 0.25);
  nlopt_set_lower_bounds(s.opt, lo.data());
  nlopt_set_upper_bounds(s.opt, hi.data());
  if (spec.most_for_budget) {
    nlopt_set_min_objective(s.opt, sum_objective, &s);
  } else {
    nlopt_set_min_objective(s.opt, cost_objective, &s);
    nlopt_add_inequality_constraint(s.opt, target_constraint, &s, 1e-9);
  }
  if (spec.budget) nlopt_add_inequality_constraint(s.opt, budget_constraint, &s, 1e-9);
  nlopt_set_xtol_abs1(s.opt, 1e-4);
  nlopt_set_initial_step(s.opt, step.data());
  nlopt_set_maxeval(s.opt, static_cast<int>(spec.max_evaluations));
  double best = 0;
  const nlopt_result result = nlopt_optimize(s.opt, u.data(), &best);
  nlopt_destroy(s.opt);
  if (s.error) std::rethrow_exception(s.error);
  if (result < 0 && result != NLOPT_ROUNDOFF_LIMITED)
    throw std::runtime_error(fmt::format("NLopt COBYLA failed ({})", static_cast<int>(result)));
  CommissionPlan plan;
  plan.places = s.places(u.data());
  // Rounding to whole places can miss the target by a fraction of a place: round up then.
  if (!spec.most_for_budget && s.mean_at(plan.places) < spec.target)
    for (std::size_t j = 0; j < n; ++j) {
      const auto& g = spec.programmes[j];
      plan.places[j] = std::min(g.high, std::ceil(g.low + u[j] * (g.high - g.low)));
    }
  // Rounding can also push a most-for-budget plan over the budget: take places off the dearest programme.
  while (spec.most_for_budget && s.cost(plan.places) > *spec.budget) {
    std::size_t dearest = n;
    for (std::size_t j = 0; j < n; ++j)
      if (plan.places[j] > spec.programmes[j].low &&
          (dearest == n || spec.programmes[j].cost_per_place > spec.programmes[dearest].cost_per_place))
        dearest = j;
    if (dearest == n) break;
    plan.places[dearest] -= 1;
  }
  plan.per_replication = simulate_plan(spec, plan.places, threads, stop);
  plan.mean = mean(plan.per_replication);
  plan.cost = s.cost(plan.places);
  std::size_t met = 0;
  for (double x : plan.per_replication) met += x >= spec.target ? 1 : 0;
  plan.probability = static_cast<double>(met) / static_cast<double>(plan.per_replication.size());
  plan.feasible = (spec.most_for_budget || plan.mean >= spec.target) && (!spec.budget || plan.cost <= *spec.budget);
  plan.evaluations = s.evaluations;
  plan.status = result == NLOPT_MAXEVAL_REACHED ? "max_evaluations reached (may not be the least cost)" : "converged";
  return plan;
}

std::string write_commission_files(const std::string& out_dir, const scenario::CommissionSpec& spec,
                                   const CommissionPlan& plan) {
  namespace fs = std::filesystem;
  fs::create_directories(out_dir);
  std::ostringstream csv, runs, s;
  csv << "parameter,places,low,high,cost_per_place,cost\n";
  s << fmt::format("Commissioning plan '{}' ({}), COBYLA: {} after {} simulated plans, {} replications each.\n\n",
                   spec.name, spec.scenario_path, plan.status, plan.evaluations, spec.replications);
  for (std::size_t j = 0; j < spec.programmes.size(); ++j) {
    const auto& g = spec.programmes[j];
    csv << fmt::format("{},{:.17g},{:.17g},{:.17g},{:.17g},{:.17g}\n", g.parameter, plan.places[j], g.low, g.high,
                       g.cost_per_place, g.cost_per_place * plan.places[j]);
    s << fmt::format("  {:<28} {:>8.0f} places  (bounds {:g}-{:g}, {:g} each)\n", g.parameter, plan.places[j], g.low,
                     g.high, g.cost_per_place);
  }
  if (spec.most_for_budget)
    s << fmt::format("\nPlan cost {:.6g} (budget {:.6g}); target sum {:.6g} (mean over replications), the most "
                     "found within the budget\n",
                     plan.cost, *spec.budget, plan.mean);
  else
    s << fmt::format("\nPlan cost {:.6g}{}; target sum {:.6g} (mean) against {:.6g}; reached in {:.0f}% of "
                     "replications; {}\n",
                     plan.cost, spec.budget ? fmt::format(" (budget {:.6g})", *spec.budget) : "", plan.mean,
                     spec.target, 100 * plan.probability,
                     plan.feasible ? "feasible" : "NOT feasible: no plan within the bounds and budget meets the target");
  runs << "replication,target_sum\n";
  for (std::size_t r = 0; r < plan.per_replication.size(); ++r)
    runs << fmt::format("{},{:.17g}\n", r, plan.per_replication[r]);
  output::write_text_file((fs::path(out_dir) / "commission_plan.csv").string(), csv.str());
  output::write_text_file((fs::path(out_dir) / "commission_runs.csv").string(), runs.str());
  return s.str();
}

}  // namespace tsim::batch
