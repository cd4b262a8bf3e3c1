// [[modifiers]] (dated hazard multipliers for a subgroup) and
// [[place_changes]] (more or fewer places from a date): what most policies
// add to a scenario.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "sim/scenario/sections.hpp"

namespace tsim::scenario {

using model::kNone;

namespace {

// name, factor, from_date, until_date, years_in_state.
void read_modifier_window(const Context& c, TableView& t, const std::string& path, model::Modifier& m) {
  if (const auto* x = t.get("name")) m.name = c.r.string(*x, path + ".name").value_or(m.name);
  if (const auto* x = t.require("factor", "the hazard multiplier")) {
    auto f = c.r.number(*x, path + ".factor");
    if (f && *f < 0) c.r.error(*x, fmt::format("{}.factor must not be negative, got {}", path, *f));
    else if (f) m.factor = *f;
  }
  if (const auto* x = t.get("from_date")) m.from_day = day_of_date(c, *x, path + ".from_date").value_or(m.from_day);
  if (const auto* x = t.get("until_date")) m.until_day = day_of_date(c, *x, path + ".until_date").value_or(m.until_day);
  if (const auto* x = t.get("years_in_state")) {
    auto w = c.r.numbers(*x, path + ".years_in_state");
    if (w && (w->size() != 2 || (*w)[0] < 0 || !((*w)[1] > (*w)[0])))
      c.r.error(*x, fmt::format("{}.years_in_state must be [from, until] with 0 <= from < until", path));
    else if (w) {
      m.in_state_from = (*w)[0] * core::kDaysPerYear;
      m.in_state_until = (*w)[1] * core::kDaysPerYear;
    }
  }
}

// for = { attribute = [levels] }: the subgroup.
void read_modifier_subgroup(const Context& c, const toml::node& x, const std::string& path, model::Modifier& m) {
  if (!x.is_table()) {
    c.r.error(x, fmt::format("{}.for must be a table {{ attribute = [levels] }}", path));
    return;
  }
  for (auto&& [ak, av] : *x.as_table()) {
    const int a = attribute_ref(c, std::string(ak.str()), ak.source(), path + ".for");
    auto levels = c.r.strings(av, fmt::format("{}.for.{}", path, ak.str()));
    if (a == kNone || !levels) continue;
    const auto& attribute = c.spec.attributes[static_cast<std::size_t>(a)];
    std::vector<bool> mask(attribute.levels.size(), false);
    for (const auto& l : *levels) {
      const int level = level_ref(c.r, attribute, l, av.source(), path + ".for");
      if (level != kNone) mask[static_cast<std::size_t>(level)] = true;
    }
    m.only.emplace_back(a, mask);
  }
}

// Which hazard transitions a modifier applies to: every selector given must match.
struct Selectors {
  std::optional<std::vector<int>> from, to;  // states
  std::optional<std::string> event, from_kind, to_kind;
  std::optional<bool> from_qualified;

  [[nodiscard]] bool any() const { return from || to || event || from_kind || to_kind || from_qualified; }
};

// A state or an array of states.
std::optional<std::vector<int>> state_list(const Context& c, TableView& t, const char* key, const std::string& path) {
  const toml::node* x = t.get(key);
  if (!x) return std::nullopt;
  std::vector<int> out;
  if (const auto* arr = x->as_array()) {
    for (std::size_t j = 0; j < arr->size(); ++j) out.push_back(state_ref(c, *arr->get(j), path + "." + key));
  } else {
    out.push_back(state_ref(c, *x, path + "." + key));
  }
  return out;
}

Selectors read_selectors(const Context& c, TableView& t, const std::string& path) {
  Selectors s;
  s.from = state_list(c, t, "from", path);
  s.to = state_list(c, t, "to", path);
  if (const auto* x = t.get("event")) s.event = c.r.string(*x, path + ".event");
  if (const auto* x = t.get("from_kind")) s.from_kind = c.r.string(*x, path + ".from_kind");
  if (const auto* x = t.get("to_kind")) s.to_kind = c.r.string(*x, path + ".to_kind");
  if (const auto* x = t.get("from_qualified")) s.from_qualified = c.r.boolean(*x, path + ".from_qualified");
  return s;
}

bool contains(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

bool selects(const model::ScenarioSpec& spec, const Selectors& s, const model::TransitionSpec& tr) {
  const auto& from = spec.states[static_cast<std::size_t>(tr.from)];
  bool ok = true;
  if (s.from) ok = ok && contains(*s.from, tr.from);
  if (s.from_kind) ok = ok && *s.from_kind == model::to_string(from.kind);
  if (s.from_qualified) ok = ok && *s.from_qualified == from.qualified;
  bool any_to = false;
  for (const auto& o : tr.outcomes) {
    bool hit = true;
    if (s.to) hit = hit && contains(*s.to, o.to);
    if (s.to_kind) hit = hit && *s.to_kind == model::to_string(spec.states[static_cast<std::size_t>(o.to)].kind);
    if (s.event) hit = hit && *s.event == spec.events[static_cast<std::size_t>(o.event)];
    any_to = any_to || hit;
  }
  return ok && any_to;
}

// The hazard transitions selected (while_supervised ones too: their clock
// keeps the hazard spent across supervision spells, see model::Clocks).
std::vector<int> selected_transitions(const Context& c, const Selectors& s) {
  std::vector<int> out;
  for (std::size_t k = 0; k < c.spec.transitions.size(); ++k) {
    const auto& tr = c.spec.transitions[k];
    if (tr.when == model::TransitionWhen::hazard && selects(c.spec, s, tr)) out.push_back(static_cast<int>(k));
  }
  return out;
}

// One [[modifiers]] entry; nullopt if it has no selector.
std::optional<model::Modifier> read_modifier(const Context& c, const toml::node& mn, const std::string& path) {
  TableView t(c.r, *mn.as_table(), path);
  model::Modifier m;
  m.name = path;
  read_modifier_window(c, t, path, m);
  if (const auto* x = t.get("for")) read_modifier_subgroup(c, *x, path, m);
  const Selectors s = read_selectors(c, t, path);
  if (!s.any()) {
    c.r.error(mn, fmt::format("{} needs a selector: from, to, event, from_kind, to_kind or from_qualified", describe_path(path)));
    t.finish();
    return std::nullopt;
  }
  m.transitions = selected_transitions(c, s);
  if (m.transitions.empty() && c.r.diags.empty())
    c.r.error(mn, fmt::format("{} matches no hazard transition of this scenario", describe_path(path)));
  t.finish();
  return m;
}

// An array of tables ([[key]]) at the top level, or nullptr (reported if it is something else).
const toml::array* array_of_tables(Reader& r, TableView& top, const char* key) {
  const toml::node* n = top.get(key);
  if (!n) return nullptr;
  const toml::array* arr = n->as_array();
  if (!arr) r.error(*n, fmt::format("{} must be an array of tables ([[{}]])", key, key));
  return arr;
}

}  // namespace

std::vector<model::Modifier> read_modifiers(const Context& c, TableView& top) {
  std::vector<model::Modifier> out;
  const toml::array* arr = array_of_tables(c.r, top, "modifiers");
  std::size_t pairs = 0;  // (modifier, transition) pairs: what the run keeps per transition
  for (std::size_t i = 0; arr && i < arr->size(); ++i) {
    const toml::node& mn = *arr->get(i);
    const std::string path = fmt::format("modifiers.{}", i);
    if (!mn.is_table()) {
      c.r.error(mn, fmt::format("{} must be a table", describe_path(path)));
      continue;
    }
    if (auto m = read_modifier(c, mn, path)) {
      pairs += m->transitions.size();
      if (pairs > kMaxModifierTransitions) {
        c.r.error(mn, fmt::format("[[modifiers]] select more than {} transitions in all (counting each transition once "
                                  "per modifier that selects it)",
                                  kMaxModifierTransitions));
        return out;
      }
      out.push_back(std::move(*m));
    }
  }
  return out;
}

namespace {

int route_ref(const Context& c, const toml::node& x, const std::string& path) {
  auto name = c.r.string(x, path + ".route");
  if (!name) return kNone;
  int route = kNone;
  for (std::size_t k = 0; k < c.spec.routes.size(); ++k)
    if (c.spec.routes[k].name == *name) route = static_cast<int>(k);
  if (route == kNone) {
    std::vector<std::string> names;
    for (const auto& r : c.spec.routes) names.push_back(r.name);
    c.r.error(x, fmt::format("{}.route refers to undeclared route '{}'{}", path, *name, core::did_you_mean(*name, names)));
  }
  return route;
}

PlaceChange read_place_change(const Context& c, const toml::node& pn, const std::string& path) {
  TableView t(c.r, *pn.as_table(), path);
  PlaceChange p;
  if (const auto* x = t.require("route", "which route's places change")) p.route = route_ref(c, *x, path);
  if (const auto* x = t.get("from_date")) p.from_day = day_of_date(c, *x, path + ".from_date").value_or(0);
  p.factor = c.r.optional_number(t, "factor", path + ".factor");
  p.add = c.r.optional_number(t, "add", path + ".add");
  if (!t.get("factor") && !t.get("add")) c.r.error(pn, fmt::format("{} needs 'factor' or 'add'", describe_path(path)));
  if (p.factor && *p.factor < 0) c.r.error(*t.get("factor"), fmt::format("{}.factor must not be negative", path));
  // A Poisson route has a rate, not places per intake: only a factor applies.
  if (p.add && p.route != kNone && c.spec.routes[static_cast<std::size_t>(p.route)].poisson_per_day > 0)
    c.r.error(*t.get("add"), fmt::format("{}.add cannot change a Poisson route's rate (routes.{} arrives at a rate per "
                                         "day, not in places per intake); use factor",
                                         path, c.spec.routes[static_cast<std::size_t>(p.route)].name));
  t.finish();
  return p;
}

}  // namespace

std::vector<PlaceChange> read_place_changes(const Context& c, TableView& top) {
  std::vector<PlaceChange> out;
  const toml::array* arr = array_of_tables(c.r, top, "place_changes");
  for (std::size_t i = 0; arr && i < arr->size(); ++i) {
    const toml::node& pn = *arr->get(i);
    const std::string path = fmt::format("place_changes.{}", i);
    if (!pn.is_table()) {
      c.r.error(pn, fmt::format("{} must be a table", describe_path(path)));
      continue;
    }
    PlaceChange p = read_place_change(c, pn, path);
    if (p.route != kNone) out.push_back(p);
  }
  return out;
}

void apply_place_changes(std::vector<model::RouteSpec>& routes, const std::vector<PlaceChange>& changes) {
  for (const auto& p : changes) {
    const double factor = p.factor.value_or(1.0), add = p.add.value_or(0.0);
    model::RouteSpec& route = routes[static_cast<std::size_t>(p.route)];
    if (route.poisson_per_day > 0 && factor != 1.0) {
      route.poisson_changes.emplace_back(std::max(0.0, p.from_day), factor);
      std::stable_sort(route.poisson_changes.begin(), route.poisson_changes.end(),
                       [](auto a, auto b) { return a.first < b.first; });
    }
    for (auto& in : route.intakes) {
      if (in.day < p.from_day) continue;
      in.places = std::max<std::int64_t>(0, std::llround(static_cast<double>(in.places) * factor + add));
      if (in.establishment >= 0)
        in.establishment = std::max<std::int64_t>(0, std::llround(static_cast<double>(in.establishment) * factor + add));
    }
  }
}

}  // namespace tsim::scenario
