#include "sim/batch/sweep_aggregate.hpp"

#include "sim/batch/statistics.hpp"
#include "sim/core/calendar.hpp"

namespace tsim::batch {

namespace {

constexpr auto kSum = Summation::divide_then_total;

// Where a row sits: (variant, sample, period, state).
struct Cell {
  const std::string* variant;
  std::size_t sample, period, state;
  double period_end_day;
};

// Headcount of a state in a period; 0 where the file has no such row.
double headcount_of(const output::CensusSummary& c, std::size_t p, std::size_t s) {
  return p < c.headcount.size() && s < c.states ? c.headcount[p][s] : 0.0;
}
double baseline_headcount_of(const output::CensusSummary& b, std::size_t p, int baseline_state) {
  return baseline_state >= 0 && p < b.headcount.size() ? b.headcount[p][static_cast<std::size_t>(baseline_state)] : 0.0;
}

void add_level_row(output::SweepIndex::Aggregate& a, const Cell& c, const std::vector<double>& x) {
  a.variant.push_back(*c.variant);
  a.sample.push_back(static_cast<std::int32_t>(c.sample));
  a.period.push_back(static_cast<std::int32_t>(c.period));
  a.period_end_day.push_back(c.period_end_day);
  a.state.push_back(static_cast<std::int32_t>(c.state));
  a.replications.push_back(static_cast<std::int32_t>(x.size()));
  a.mean.push_back(mean(x, kSum));
  a.standard_error.push_back(standard_error(x, kSum));
  a.p5.push_back(quantile7(x, 0.05));
  a.p50.push_back(quantile7(x, 0.5));
  a.p95.push_back(quantile7(x, 0.95));
}

void add_paired_row(output::SweepIndex::Paired& pd, const Cell& c, const std::vector<double>& d) {
  const Interval iv = t_interval(d, kSum);
  pd.variant.push_back(*c.variant);
  pd.sample.push_back(static_cast<std::int32_t>(c.sample));
  pd.period.push_back(static_cast<std::int32_t>(c.period));
  pd.period_end_day.push_back(c.period_end_day);
  pd.state.push_back(static_cast<std::int32_t>(c.state));
  pd.replications.push_back(static_cast<std::int32_t>(d.size()));
  pd.mean_difference.push_back(iv.mean);
  pd.ci_low.push_back(iv.low());
  pd.ci_high.push_back(iv.high());
}

// The rows of one (variant, sample). `baseline` is the baseline's scenario
// for the same sample when this variant pairs with it, else null.
void aggregate_slot(const SweepPlan& plan, std::size_t v, std::size_t k, const model::ScenarioSpec& spec,
                    const model::ScenarioSpec* baseline,
                    const std::vector<std::optional<output::CensusSummary>>& census, output::SweepIndex& index) {
  const auto ends = core::period_ends(spec.start_date, spec.horizon_days, spec.census.every, spec.census.every_days);
  const std::size_t states = spec.states.size();
  std::vector<int> baseline_state(states, -1);
  if (baseline)
    for (std::size_t s = 0; s < states; ++s) baseline_state[s] = baseline->state_index(spec.states[s].name);
  for (std::size_t p = 0; p < ends.size(); ++p)
    for (std::size_t s = 0; s < states; ++s) {
      std::vector<double> x, d;
      for (std::size_t r = 0; r < plan.replications(); ++r) {
        const auto& c = census[plan.item(v, k, r).index];
        if (!c) continue;
        const double h = headcount_of(*c, p, s);
        x.push_back(h);
        if (!baseline) continue;
        const auto& b = census[plan.item(0, k, r).index];
        if (b) d.push_back(h - baseline_headcount_of(*b, p, baseline_state[s]));
      }
      if (x.empty()) continue;
      const Cell cell{&plan.variants()[v].name, k, p, s, ends[p]};
      add_level_row(index.aggregate, cell, x);
      if (d.size() >= 2) add_paired_row(index.paired, cell, d);
    }
}

}  // namespace

void aggregate_headcount(const SweepPlan& plan, const std::vector<const model::ScenarioSpec*>& specs,
                         bool with_baseline, const std::vector<std::optional<output::CensusSummary>>& census,
                         output::SweepIndex& index) {
  for (std::size_t v = 0; v < plan.variants().size(); ++v)
    for (std::size_t k = 0; k < plan.samples(); ++k) {
      const model::ScenarioSpec* spec = specs[plan.slot(v, k)];
      if (!spec) continue;
      const model::ScenarioSpec* baseline = with_baseline && v > 0 ? specs[plan.slot(0, k)] : nullptr;
      aggregate_slot(plan, v, k, *spec, baseline, census, index);
    }
}

}  // namespace tsim::batch
