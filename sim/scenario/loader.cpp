// Loading a scenario: parse, apply policies and then overrides to the TOML
// table, read it section by section (sections.hpp) into a ScenarioSpec,
// check the graph, and keep the resolved text that reproduces the run.
#include <algorithm>
#include <fmt/format.h>
#include <sstream>

#include "sim/core/sha256.hpp"
#include "sim/scenario/overrides.hpp"
#include "sim/scenario/policy_merge.hpp"
#include "sim/scenario/policy_overrides.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/sections.hpp"
#include "sim/scenario/source_file.hpp"
#include "sim/scenario/uncertain_reader.hpp"

namespace tsim::scenario {

namespace {

// The sections in reading order: each refers only to names declared by the
// ones before it, and this order is the order of the diagnostics.
model::ScenarioSpec build_spec(Reader& r, const toml::table& root) {
  model::ScenarioSpec spec;
  NameIndex state_names;
  const Context c{r, spec, &state_names};
  EventNames events(spec.events);
  TableView top(r, root, "");
  const HeaderSection header = read_header(r, top);
  spec.name = header.name;
  spec.start_date = header.start_date;
  spec.horizon_days = header.horizon_days;
  spec.currency = header.currency;
  spec.discount_rate = header.discount_rate;
  // Pools, routes and place changes put dates inside the run: without a good
  // start date and horizon their checks would only repeat that problem.
  const bool timeline = header.timeline_ok;
  read_parameters(r, top);
  spec.attributes = read_attributes(r, top);
  // States name pools and a pool's renege names a state: pools are named
  // first and read in full once the states are known.
  const PoolNames pools = read_pool_names(r, top);
  spec.pools = pools.pools;
  spec.states = read_states(c, top);
  for (std::size_t i = 0; i < spec.states.size(); ++i) state_names.emplace(spec.states[i].name, static_cast<int>(i));
  PoolsSection pool_section;
  if (timeline) {
    pool_section = read_pools(c, pools, events);
    spec.pools = std::move(pool_section.pools);
  }
  TransitionsSection transitions = read_transitions(c, top, events);
  spec.transitions = std::move(transitions.transitions);
  if (timeline) {
    spec.routes = read_routes(c, top, events).routes;
    resolve_route_priorities(c, pool_section.route_orders, spec.pools);
  }
  spec.stock_event = intern_event(events, "initial_stock");
  spec.stock = read_stock(c, top);
  const toml::node* states = root.get("states");
  spec.census = read_census(c, header.census, states ? *states : static_cast<const toml::node&>(root));
  spec.modifiers = read_modifiers(c, top);
  // Transitions that open on a date come after the scenario's own modifiers.
  spec.modifiers.insert(spec.modifiers.end(), transitions.openings.begin(), transitions.openings.end());
  if (timeline) {
    apply_place_changes(spec.routes, read_place_changes(c, top));
    check_entrants(c, root);  // after place changes, which change how many are recruited
  } else {
    top.allow({"routes", "place_changes"});
  }
  top.allow({"uncertain"});  // read by read_uncertain
  top.finish();
  if (r.diags.empty()) check_graph(c, root);
  return spec;
}

// How many entries each section may hold, checked before any is read: some
// checks compare every pair (hash collisions), which must not meet a huge table.
void check_section_sizes(Reader& r, const toml::table& root) {
  struct Limit {
    const char* key;
    const char* what;
    std::size_t most;
  };
  for (const auto& [key, what, most] :
       {Limit{"attributes", "attributes", kMaxAttributes}, Limit{"pools", "pools", kMaxPools},
        Limit{"states", "states", kMaxStates}, Limit{"transitions", "transitions", kMaxTransitions},
        Limit{"routes", "routes", kMaxRoutes}, Limit{"stock", "stock entries", kMaxStockEntries},
        Limit{"modifiers", "modifiers", kMaxModifiers}}) {
    const toml::node* n = root.get(key);
    if (!n) continue;
    const std::size_t size = n->is_table() ? n->as_table()->size() : n->is_array() ? n->as_array()->size() : 0;
    // An array of tables is placed at its first entry (toml++ gives the array itself no useful place).
    const toml::node& at = n->is_array() && size > 0 ? *n->as_array()->get(0) : *n;
    if (size > most) r.error(at, fmt::format("too many {}: {} (at most {})", what, size, most));
  }
}

// Empty and binary files get a message of their own rather than a TOML syntax error.
void check_text(const std::string& text, const std::string& origin) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw core::InputError(core::SourceLocation{origin, 1, 1},
                           "the file is empty; a scenario needs at least [scenario] and [states]");
  if (const auto at = text.find('\0'); at != std::string::npos) {
    const auto line = static_cast<std::uint32_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n') + 1);
    throw core::InputError(core::SourceLocation{origin, line, 1}, "the file contains a NUL byte: it is binary, not TOML");
  }
}

}  // namespace

LoadedScenario load_scenario_text(const std::string& text, const std::string& origin,
                                  const std::vector<Override>& overrides, const std::vector<std::string>& policy_paths) {
  check_text(text, origin);
  toml::table root = parse_toml(text, origin);
  if (root.empty())
    throw core::InputError(core::SourceLocation{origin, 1, 1},
                           "the file is empty (only comments and blank lines); a scenario needs at least [scenario] "
                           "and [states]");
  Reader reader(origin);
  std::vector<PolicyInfo> policies;
  // Overrides addressed to a policy go to that policy's file, and to nothing
  // when the policy is not applied (the baseline of a compare or sweep).
  for (const auto& p : policy_paths) policies.push_back(apply_policy(root, p, reader, overrides));
  reader.diags.throw_if_any();
  std::vector<Override> scenario_overrides;
  for (const auto& o : overrides)
    if (!is_policy_override(o)) scenario_overrides.push_back(o);
  apply_overrides(root, scenario_overrides, reader);
  reader.diags.throw_if_any();
  check_section_sizes(reader, root);
  reader.diags.throw_if_any();
  LoadedScenario out;
  out.spec = build_spec(reader, root);
  out.uncertain = read_uncertain(reader, root);
  reader.diags.throw_if_any();
  check_plausibility(reader, root, out.spec);
  out.warnings = std::move(reader.warnings);
  record_policies(out.spec, policies);
  // Legal (a sweep may push a start date out) but it changes nothing: say so.
  for (const auto& p : policies)
    if (p.effective && static_cast<double>(core::days_between(out.spec.start_date, *p.effective)) >= out.spec.horizon_days)
      out.warnings.push_back({p.effective_where,
                              fmt::format("policy '{}' takes effect on {}, at or after the horizon ({} days from {}): "
                                          "its dated changes do not happen in this run",
                                          p.name, core::format_date(*p.effective), out.spec.horizon_days,
                                          core::format_date(out.spec.start_date))});
  for (const auto& p : policies) out.policy_texts.emplace_back(p.name, p.text);
  std::ostringstream resolved;
  resolved << toml::toml_formatter(root) << '\n';
  out.resolved_text = resolved.str();
  out.sha256 = core::sha256_hex(out.resolved_text);
  out.path = origin;
  out.people = entrants(out.spec);
  return out;
}

LoadedScenario load_scenario_file(const std::string& path, const std::vector<Override>& overrides,
                                  const std::vector<std::string>& policy_paths) {
  return load_scenario_text(read_source_file(path), path, overrides, policy_paths);
}

}  // namespace tsim::scenario
