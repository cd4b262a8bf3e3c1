// Checks of the career graph as a whole, once every section has been read
// without problems.
#include <fmt/format.h>

#include "sim/model/career_graph.hpp"
#include "sim/scenario/sections.hpp"

namespace tsim::scenario {

namespace {

// Where a problem with state s is reported: its table, else the whole file.
const toml::node& state_node(const model::ScenarioSpec& spec, const toml::table& root, int s) {
  const toml::table* states = root["states"].as_table();
  const toml::node* n = states ? states->get(spec.states[static_cast<std::size_t>(s)].name) : nullptr;
  return n ? *n : static_cast<const toml::node&>(root);
}

// A state left at once must have nothing else competing to leave it.
void check_immediate_transitions(const Context& c, const toml::table& root) {
  const auto& spec = c.spec;
  std::vector<int> immediate(spec.states.size(), 0), total(spec.states.size(), 0);
  for (const auto& t : spec.transitions) {
    ++total[static_cast<std::size_t>(t.from)];
    if (t.when == model::TransitionWhen::immediate) ++immediate[static_cast<std::size_t>(t.from)];
  }
  for (std::size_t s = 0; s < spec.states.size(); ++s)
    if (immediate[s] > 0 && total[s] > 1)
      c.r.error(state_node(spec, root, static_cast<int>(s)),
                fmt::format("state '{}' has a transition with no 'after_*' or 'hazard' (it fires at once) beside "
                            "other transitions; give it a timing or make it the only way out",
                            spec.states[s].name));
}

}  // namespace

void check_graph(const Context& c, const toml::table& root) {
  const auto& spec = c.spec;
  check_immediate_transitions(c, root);
  model::CareerGraph g(spec);
  auto name = [&](int s) { return spec.states[static_cast<std::size_t>(s)].name; };
  for (int s : g.unreachable_states())
    c.r.error(state_node(spec, root, s),
              fmt::format("state '{}' cannot be reached from any route or initial stock", name(s)));
  for (int s : g.states_without_exit())
    c.r.error(state_node(spec, root, s),
              fmt::format("state '{}' is a dead end: no exit state can be reached from it (add a leaving hazard or a "
                          "transition)",
                          name(s)));
  for (const auto& cycle : g.zero_time_cycles()) {
    std::string names;
    for (int s : cycle) names += (names.empty() ? "" : ", ") + name(s);
    c.r.error(state_node(spec, root, cycle.front()),
              fmt::format("states {} form a cycle that takes no time; people would loop for ever", names));
  }
}

}  // namespace tsim::scenario
