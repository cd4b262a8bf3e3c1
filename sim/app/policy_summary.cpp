#include "sim/app/policy_summary.hpp"

#include <fmt/format.h>

#include <cmath>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "sim/core/calendar.hpp"

namespace tsim::app {

namespace {

// A TOML value as written (strings without quotes), for one line of text.
std::string shown(const toml::node& n) {
  if (const auto* s = n.as_string()) return s->get();
  if (const auto* d = n.as_floating_point()) return fmt::format("{}", d->get());  // shortest exact form: 0.8
  std::ostringstream o;
  n.visit([&](auto&& v) { o << v; });
  return o.str();
}

template <typename T, typename Name>
std::vector<std::string> added(const std::vector<T>& with, const std::vector<T>& base, Name name) {
  std::set<std::string> before;
  for (const auto& x : base) before.insert(name(x));
  std::vector<std::string> out;
  for (const auto& x : with)
    if (!before.count(name(x))) out.push_back(name(x));
  return out;
}

std::string modifier_words(const model::Modifier& m, const core::Date& start) {
  std::string out = fmt::format("'{}' (hazards x {:g} on {} transition(s)", m.name, m.factor, m.transitions.size());
  if (std::isfinite(m.from_day))
    out += fmt::format(", from {}", core::format_date(core::civil_from_days(core::days_from_civil(start) +
                                                                            static_cast<std::int64_t>(m.from_day))));
  if (std::isfinite(m.until_day))
    out += fmt::format(", until {}", core::format_date(core::civil_from_days(core::days_from_civil(start) +
                                                                             static_cast<std::int64_t>(m.until_day))));
  if (!m.only.empty()) out += ", for a subgroup";
  return out + ")";
}

void write_one(const std::string& name, const std::string& text, std::ostream& out) {
  toml::table t;
  try {
    t = toml::parse(text);
  } catch (const toml::parse_error&) {
    out << fmt::format("  {}\n", name);  // the loader read it; a text it cannot parse again has no more to say
    return;
  }
  const auto* meta = t["policy"].as_table();
  out << fmt::format("  {}: {}\n", name, meta && meta->get("description") ? shown(*meta->get("description")) : "(no description)");
  std::vector<std::string> facts;
  for (const char* key : {"effective", "cost_per_year", "cost_once", "sources"})
    if (meta && meta->get(key)) facts.push_back(fmt::format("{} {}", key, shown(*meta->get(key))));
  if (!facts.empty()) out << "    " << fmt::format("{}", fmt::join(facts, "; ")) << "\n";
  if (const auto* params = t["parameters"].as_table(); params && !params->empty()) {
    std::vector<std::string> p;
    for (auto&& [k, v] : *params) p.push_back(fmt::format("{} = {}", k.str(), shown(v)));
    out << "    parameters: " << fmt::format("{}", fmt::join(p, ", ")) << "\n";
  }
}

}  // namespace

void write_policy_summary(const scenario::LoadedScenario& with, const scenario::LoadedScenario& base,
                          std::ostream& out) {
  if (with.policy_texts.empty()) return;
  out << "\nPolicies applied, in order:\n";
  for (const auto& [name, text] : with.policy_texts) write_one(name, text, out);
  const auto& w = with.spec;
  const auto& b = base.spec;
  std::set<std::string> base_modifiers;
  for (const auto& m : b.modifiers) base_modifiers.insert(m.name);
  std::vector<std::string> mods;
  for (const auto& m : w.modifiers)
    if (!base_modifiers.count(m.name)) mods.push_back(modifier_words(m, w.start_date));
  const auto states = added(w.states, b.states, [](const auto& s) { return s.name; });
  const auto routes = added(w.routes, b.routes, [](const auto& r) { return r.name; });
  const auto pools = added(w.pools, b.pools, [](const auto& p) { return p.name; });
  out << "  what they add to the scenario without them:\n";
  if (mods.empty() && states.empty() && routes.empty() && pools.empty())
    out << "    no modifier, state, route or pool (they change values only: see --dot, or run compare)\n";
  if (!mods.empty()) out << "    modifiers: " << fmt::format("{}", fmt::join(mods, "; ")) << "\n";
  if (!states.empty()) out << "    states: " << fmt::format("{}", fmt::join(states, ", ")) << "\n";
  if (!routes.empty()) out << "    routes: " << fmt::format("{}", fmt::join(routes, ", ")) << "\n";
  if (!pools.empty()) out << "    pools: " << fmt::format("{}", fmt::join(pools, ", ")) << "\n";
}

}  // namespace tsim::app
