#include "sim/model/compiled_scenario.hpp"

#include <algorithm>

namespace tsim::model {

namespace {

CompiledMix compile_mix(const EntrantMix& m) {
  CompiledMix c;
  for (const auto& w : m.attribute_mix) c.attributes.emplace_back(w);
  c.age = &m.age_years;
  c.fte = &m.fte;
  return c;
}

CompiledTransition compile_transition(const TransitionSpec& t, int index) {
  CompiledTransition ct;
  ct.spec = &t;
  ct.index = index;
  if (t.outcomes.size() > 1) {
    std::vector<double> p;
    for (const auto& o : t.outcomes) p.push_back(o.p);
    ct.branch = core::AliasTable(p);
    for (const auto& row : t.branch_p_by_level) ct.branch_by_level.emplace_back(row);
    for (const auto& [day, row] : t.branch_p_from_day) ct.branch_from_day.emplace_back(day, core::AliasTable(row));
    for (const auto& levels : t.branch_p_by_level_from_day) {
      auto& tables = ct.branch_by_level_from_day.emplace_back();
      for (const auto& row : levels) tables.emplace_back(row);
    }
  }
  return ct;
}

std::size_t count_people(const ScenarioSpec& spec) {
  std::size_t total = 0;
  for (const auto& st : spec.stock) total += static_cast<std::size_t>(st.count);
  for (const auto& r : spec.routes) {
    for (const auto& in : r.intakes)
      if (in.day < spec.horizon_days) total += static_cast<std::size_t>(in.places);
    total += static_cast<std::size_t>(1.1 * r.poisson_per_day * spec.horizon_days);  // a guess; it may grow
  }
  return total;
}

}  // namespace

CompiledScenario::CompiledScenario(const ScenarioSpec& spec) {
  out.resize(spec.states.size());
  for (std::size_t i = 0; i < spec.transitions.size(); ++i)
    out[static_cast<std::size_t>(spec.transitions[i].from)].push_back(
        compile_transition(spec.transitions[i], static_cast<int>(i)));
  for (const auto& r : spec.routes) route_mix.push_back(compile_mix(r.mix));
  for (const auto& s : spec.stock) stock_mix.push_back(compile_mix(s.mix));
  modifiers_of.resize(spec.transitions.size());
  for (std::size_t k = 0; k < spec.modifiers.size(); ++k)
    for (int t : spec.modifiers[k].transitions) modifiers_of[static_cast<std::size_t>(t)].push_back(static_cast<int>(k));
  for (std::size_t p = 0; p < spec.pools.size(); ++p)
    for (std::size_t k = 0; k < spec.pools[p].capacity_changes.size(); ++k) capacity_changes.emplace_back(p, k);
  std::stable_sort(capacity_changes.begin(), capacity_changes.end(), [&](auto a, auto b) {
    return spec.pools[a.first].capacity_changes[a.second].first < spec.pools[b.first].capacity_changes[b.second].first;
  });
  for (std::size_t r = 0; r < spec.routes.size(); ++r)
    for (std::size_t i = 0; i < spec.routes[r].intakes.size(); ++i) intakes.emplace_back(r, i);
  std::stable_sort(intakes.begin(), intakes.end(), [&](auto a, auto b) {
    return spec.routes[a.first].intakes[a.second].day < spec.routes[b.first].intakes[b.second].day;
  });
  expected_people = count_people(spec);
}

}  // namespace tsim::model
