#include "sim/model/census.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <stdexcept>

namespace tsim::model {

Census::Census(const ScenarioSpec& spec)
    : spec_(spec),
      period_ends_(core::period_ends(spec.start_date, spec.horizon_days, spec.census.every, spec.census.every_days)),
      states_(spec.states.size()) {
  for (int a : spec.census.by) {
    const auto levels = a == kRouteAttribute ? spec.routes.size() + 1 : spec.attributes[static_cast<std::size_t>(a)].levels.size();
    radix_.push_back(static_cast<std::uint32_t>(levels));
    cells_ *= static_cast<std::uint32_t>(levels);
  }
  headcount_.assign(states_ * cells_, 0);
  fte_units_.assign(states_ * cells_, 0);
  flow_counts_.assign((states_ + 1) * states_ * cells_, 0);
  state_total_.assign(states_, 0);
}

std::uint32_t Census::cell_of(const std::uint8_t* levels, std::int32_t route) const {
  std::uint32_t c = 0;
  for (std::size_t i = 0; i < spec_.census.by.size(); ++i) {
    const int a = spec_.census.by[i];
    const std::uint32_t level = a == kRouteAttribute ? static_cast<std::uint32_t>(route + 1) : levels[a];
    c = c * radix_[i] + level;
  }
  return c;
}

void Census::count_move(const Person& p, int from, int to) {
  const std::size_t cell = p.combo;
  if (from >= 0) {
    --state_total_[static_cast<std::size_t>(from)];
    headcount_[static_cast<std::size_t>(from) * cells_ + cell] -= 1;
    fte_units_[static_cast<std::size_t>(from) * cells_ + cell] -= p.fte_units;
  }
  ++state_total_[static_cast<std::size_t>(to)];
  headcount_[static_cast<std::size_t>(to) * cells_ + cell] += 1;
  fte_units_[static_cast<std::size_t>(to) * cells_ + cell] += p.fte_units;
  const std::size_t f = (static_cast<std::size_t>(from + 1) * states_ + static_cast<std::size_t>(to)) * cells_ + cell;
  if (flow_counts_[f]++ == 0) flow_touched_.push_back(static_cast<std::uint32_t>(f));
}

void Census::adjust_fte(const Person& p, int state, std::int64_t delta_units) {
  fte_units_[static_cast<std::size_t>(state) * cells_ + p.combo] += delta_units;
}

// Appends the census attribute codes of a cell, one per `by` column.
void Census::decode(std::uint32_t cell, TableBatch& rows) const {
  const std::size_t first = rows.schema().fixed_count();
  for (std::size_t i = radix_.size(); i-- > 0;) {
    auto level = static_cast<std::int32_t>(cell % radix_[i]);
    cell /= radix_[i];
    if (spec_.census.by[i] == kRouteAttribute) level -= 1;  // -1 = initial stock
    rows.codes(first + i).push_back(level);
  }
}

void Census::write_period(std::size_t period, TableBatch& census_rows, TableBatch& flow_rows) {
  const double end = period_ends_[period];
  const auto p32 = static_cast<std::int32_t>(period);
  namespace c = cols::census;
  for (std::size_t s = 0; s < states_; ++s)
    for (std::uint32_t k = 0; k < cells_; ++k) {
      // Every cell, zeros too, so that every series starts at the start.
      const auto h = headcount_[s * cells_ + k];
      census_rows[c::period].push_back(p32);
      census_rows[c::period_end_day].push_back(end);
      census_rows[c::state].push_back(static_cast<std::int32_t>(s));
      decode(k, census_rows);
      census_rows[c::headcount].push_back(static_cast<std::int32_t>(h));
      census_rows[c::fte].push_back(static_cast<double>(fte_units_[s * cells_ + k]) / kFteUnit);
    }
  namespace f = cols::flows;
  std::sort(flow_touched_.begin(), flow_touched_.end());
  for (const auto idx : flow_touched_) {
    flow_rows[f::period].push_back(p32);
    flow_rows[f::from_state].push_back(static_cast<std::int32_t>(idx / cells_ / states_) - 1);
    flow_rows[f::to_state].push_back(static_cast<std::int32_t>((idx / cells_) % states_));
    decode(idx % cells_, flow_rows);
    flow_rows[f::count].push_back(static_cast<std::int32_t>(flow_counts_[idx]));
    flow_counts_[idx] = 0;
  }
  flow_touched_.clear();
}

void Census::totals(std::vector<std::int64_t>& headcount, std::vector<double>& fte) const {
  headcount.assign(states_, 0);
  fte.assign(states_, 0.0);
  for (std::size_t s = 0; s < states_; ++s)
    for (std::uint32_t k = 0; k < cells_; ++k) {
      headcount[s] += headcount_[s * cells_ + k];
      fte[s] += static_cast<double>(fte_units_[s * cells_ + k]) / kFteUnit;
    }
}

void Census::check_invariants(const People& people) const {
  std::vector<std::int64_t> where(states_, 0);
  for (const Person& p : people)
    if (p.state >= 0) ++where[static_cast<std::size_t>(p.state)];
  for (std::size_t s = 0; s < states_; ++s) where[s] += people.departed(s);  // leavers' slots were reused
  for (std::size_t s = 0; s < states_; ++s) {
    std::int64_t cells = 0;
    for (std::uint32_t k = 0; k < cells_; ++k) {
      if (headcount_[s * cells_ + k] < 0)
        throw std::logic_error(fmt::format("census: negative headcount in state {}", spec_.states[s].name));
      cells += headcount_[s * cells_ + k];
    }
    if (cells != state_total_[s] || where[s] != state_total_[s])
      throw std::logic_error(fmt::format("census: state {} counts {} by cell, {} in total, {} people there",
                                         spec_.states[s].name, cells, state_total_[s], where[s]));
  }
}

}  // namespace tsim::model
