// FTE that changes on a transition: a return at reduced hours, part time after
// a career break. The person's FTE changes while they are still in the state
// they leave, and that state's census FTE moves with it, so that the move
// itself (Census::count_move) carries the new FTE out of it and into the next.
#include <algorithm>
#include <cmath>

#include "sim/model/run_state.hpp"

namespace tsim::model {

void Run::Impl::change_fte(std::uint32_t id, const Outcome& o) {
  Person& p = people[id];
  const double now = static_cast<double>(p.fte_units) / kFteUnit;
  const double next = std::min(kMaxFte, std::isnan(o.fte_set) ? now * o.fte_scale : o.fte_set);
  // Whole units, as on arrival; at least one unit so that a person in post never has no hours.
  const auto units = static_cast<std::int32_t>(std::max<std::int64_t>(1, std::llround(next * kFteUnit)));
  census.adjust_fte(p, p.state, units - p.fte_units);
  p.fte_units = units;
}

}  // namespace tsim::model
