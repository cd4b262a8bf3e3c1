#include "sim/model/indicators.hpp"

#include <limits>

namespace tsim::model {

double IndicatorSet::value(const std::string& name) const {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return values[i];
  return std::numeric_limits<double>::quiet_NaN();
}

void IndicatorCollector::begin(const RunHeader& h) {
  header_ = h;
  pools_.emplace(h.schema->pools);
  persons_.emplace(h.schema->persons);
  const std::size_t n = spec_->states.size();
  flows_.assign(n + 1, std::vector<std::int64_t>(n, 0));
  if (next_) next_->begin(h);
}

void IndicatorCollector::finish() {
  if (next_) next_->finish();
}

void IndicatorCollector::append(const TableBatch& rows) {
  if (next_) next_->append(rows);
  switch (rows.table()) {
    case TableId::pools: return pools_->append(rows);
    case TableId::persons: return persons_->append(rows);
    case TableId::flows:
      for (std::size_t i = 0; i < rows.size(); ++i)
        flows_[static_cast<std::size_t>(rows[cols::flows::from_state][i] + 1)]
              [static_cast<std::size_t>(rows[cols::flows::to_state][i])] += rows[cols::flows::count][i];
      return;
    default: return;
  }
}

IndicatorSet IndicatorCollector::compute(const RunSummary& summary) const {
  IndicatorSet out;
  indicators::add_workforce(*spec_, summary, flows_, out);
  if (writes(header_.record_level, TableId::persons)) {  // no persons, no pipeline or shares
    indicators::add_pipeline(*spec_, *persons_, out);
    indicators::add_diversity(*spec_, *persons_, out);
  }
  indicators::add_pools(*spec_, *pools_, out);
  indicators::add_costs(*spec_, summary, out);
  return out;
}

}  // namespace tsim::model
