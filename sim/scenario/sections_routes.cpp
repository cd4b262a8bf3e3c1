// [routes] and [stock]: who enters the career graph, when, and with which
// attributes, age and FTE.
#include <algorithm>
#include <fmt/format.h>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/names.hpp"
#include "sim/scenario/sections.hpp"

namespace tsim::scenario {

using model::kNone;

namespace {

// Whole-time equivalents must lie in (0, 1.5] wherever the distribution can reach.
bool sane_fte(const core::Distribution& d) {
  return std::visit([](const auto& x) {
    using T = std::decay_t<decltype(x)>;
    if constexpr (std::is_same_v<T, core::Fixed>) return x.value > 0 && x.value <= 1.5;
    else if constexpr (std::is_same_v<T, core::Uniform>) return x.lo >= 0 && x.hi <= 1.5;
    else if constexpr (std::is_same_v<T, core::Discrete>) {
      for (double v : x.values)
        if (v < 0 || v > 1.5) return false;
      return true;
    } else return true;
  }, d);
}

// mix = { attribute = shares }: one entry per declared attribute, defaulting to its population.
std::vector<std::vector<double>> read_attribute_mix(const Context& c, TableView& t, const toml::table* mix,
                                                    const std::string& path) {
  std::vector<std::vector<double>> out;
  for (std::size_t a = 0; a < c.spec.attributes.size(); ++a) {
    const auto& attr = c.spec.attributes[a];
    const toml::node* n = mix ? mix->get(attr.name) : nullptr;
    if (n) {
      if (auto w = level_weights(c.r, attr, *n, path + ".mix." + attr.name, true)) out.push_back(*w);
      else out.push_back(std::vector<double>(attr.levels.size(), 1.0));
    } else if (!attr.population.empty()) {
      out.push_back(attr.population);  // default: the population benchmark
    } else {
      c.r.error(mix ? static_cast<const toml::node&>(*mix) : static_cast<const toml::node&>(t.table()),
                fmt::format("{} needs mix.{} (attribute '{}' has no population shares to default to)", path, attr.name,
                            attr.name));
      out.push_back(std::vector<double>(std::max<std::size_t>(1, attr.levels.size()), 1.0));
    }
  }
  if (mix) {
    for (auto&& [k, v] : *mix) {
      bool known = false;
      for (const auto& a : c.spec.attributes) known |= a.name == k.str();
      if (!known) attribute_ref(c, std::string(k.str()), k.source(), path + ".mix");
    }
  }
  return out;
}

}  // namespace

model::EntrantMix read_mix(const Context& c, TableView& t, const std::string& path) {
  model::EntrantMix m;
  const toml::table* mix = nullptr;
  if (const auto* n = t.get("mix")) {
    if (!n->is_table()) c.r.error(*n, fmt::format("{}.mix must be a table {{ attribute = [shares] }}", path));
    else mix = n->as_table();
  }
  m.attribute_mix = read_attribute_mix(c, t, mix, path);
  if (const auto* n = t.get("age_years")) {
    if (auto d = c.r.distribution(*n, path + ".age_years", 1.0)) m.age_years = *d;
  }
  if (const auto* n = t.get("fte")) {
    if (auto d = c.r.distribution(*n, path + ".fte", 1.0)) {
      if (!sane_fte(*d)) c.r.error(*n, fmt::format("{}.fte must lie in (0, 1.5] (whole-time equivalent)", path));
      m.fte = *d;
    }
  }
  return m;
}

namespace {

// `intake`: one table or an array of them, in order.
std::vector<IntakeTable> read_intakes(const Context& c, TableView& t, const std::string& path) {
  std::vector<IntakeTable> out;
  const auto* n = t.require("intake", "when and how many are recruited");
  if (!n) return out;
  if (const auto* arr = n->as_array()) {
    for (std::size_t i = 0; i < arr->size(); ++i)
      out.push_back(read_intake_table(c, *arr->get(i), fmt::format("{}.intake.{}", path, i)));
  } else {
    out.push_back(read_intake_table(c, *n, path + ".intake"));
  }
  return out;
}

// The states a pull intake table counts against its establishment.
std::vector<int> resolve_counts(const Context& c, const IntakeTable& table, const std::string& path) {
  std::vector<int> out;
  for (const auto& name : table.counts) {
    const int st = c.spec.state_index(name);
    if (st == kNone) c.r.error(*table.counts_node, fmt::format("{}: counts refers to undeclared state '{}'", path, name));
    else out.push_back(st);
  }
  return out;
}

// One [routes.NAME] table; returns the people it recruits.
std::int64_t read_route(const Context& c, const toml::node& v, const std::string& path, model::RouteSpec& route,
                        EventNames& events) {
  TableView t(c.r, *v.as_table(), path);
  if (const auto* n = t.require("enters", "the state recruits start in")) route.enters = state_ref(c, *n, path + ".enters");
  if (route.enters != kNone && c.spec.states[static_cast<std::size_t>(route.enters)].kind == model::StateKind::exit)
    c.r.error(*t.get("enters"), fmt::format("{}.enters is an exit state", path));
  std::string event = "recruit";
  if (const auto* n = t.get("event")) event = c.r.label(*n, path + ".event").value_or(event);
  route.event = intern_event(events, event);
  std::vector<IntakeTable> tables = read_intakes(c, t, path);
  std::size_t intakes = 0;
  std::int64_t places = 0;
  for (const auto& table : tables) {
    route.poisson_per_day += table.poisson_per_day;
    intakes += table.intakes.size();
    for (const auto& in : table.intakes) places += in.places;
  }
  if (intakes > 0xFFFF) c.r.error(v, fmt::format("{} has more than 65535 intakes", path));
  route.mix = read_mix(c, t, path);
  for (auto& table : tables) {
    // Each pull table fills its establishment against its own counts.
    const std::vector<int> counts = resolve_counts(c, table, path);
    for (auto& in : table.intakes) {
      in.counts = counts;
      route.intakes.push_back(std::move(in));
    }
  }
  std::stable_sort(route.intakes.begin(), route.intakes.end(),
                   [](const model::Intake& a, const model::Intake& b) { return a.day < b.day; });
  t.finish();
  // Expected arrivals; the run stops at the limit long before a real scenario would reach it.
  return static_cast<std::int64_t>(std::min(1e18, route.poisson_per_day * c.spec.horizon_days)) + places;
}

}  // namespace

RoutesSection read_routes(const Context& c, TableView& top, EventNames& events) {
  RoutesSection out;
  const toml::table* routes = table_at(c.r, top, "routes", false, "ways in: programme intakes");
  if (!routes) return out;
  for (auto&& [k, v] : *routes) {
    model::RouteSpec route;
    route.name = std::string(k.str());
    (void)check_name(c.r, k.source(), label_problem(route.name, "route name"));
    route.key_source = 1 + model::name_hash(route.name) % 0x7FFFu;
    for (const auto& other : out.routes)
      if (other.key_source == route.key_source)
        c.r.error(k.source(), fmt::format("routes '{}' and '{}' share a random key (a hash collision); rename one",
                                          other.name, route.name));
    const std::string path = child_path("routes", route.name);
    if (!v.is_table()) {
      c.r.error(v, fmt::format("{} must be a table", describe_path(path)));
      continue;
    }
    out.people += read_route(c, v, path, route, events);
    out.routes.push_back(std::move(route));
  }
  if (out.routes.size() > 0x7FFF) c.r.error(*routes, "too many routes (at most 32767)");
  return out;
}

namespace {

// The largest value a distribution can take (+infinity when unbounded), and
// whether that value itself has a probability above 0.
struct Bound {
  double value;
  bool attained;
};
Bound upper_bound(const core::Distribution& d) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (const auto* f = std::get_if<core::Fixed>(&d)) return {f->value, true};
  if (const auto* u = std::get_if<core::Uniform>(&d)) return {u->hi, false};
  if (const auto* t = std::get_if<core::Triangular>(&d)) return {t->hi, false};
  if (const auto* p = std::get_if<core::Piecewise>(&d)) return {p->x.back(), false};
  if (const auto* disc = std::get_if<core::Discrete>(&d))
    return {*std::max_element(disc->values.begin(), disc->values.end()), true};
  return {kInf, false};
}

// Stock placed with a tenure has spent that long in its state: if a timed
// transition out of it takes at most D days and the tenure can reach D, those
// people would all leave on day 0 (a start-up artefact, not a finding).
void check_tenure(const Context& c, const model::StockSpec& s, const toml::node& at, const std::string& path) {
  const Bound tenure = upper_bound(s.tenure_days);
  if (tenure.value <= 0) return;
  for (std::size_t k = 0; k < c.spec.transitions.size(); ++k) {
    const auto& tr = c.spec.transitions[k];
    if (tr.from != s.state || tr.when != model::TransitionWhen::timed) continue;
    // A calendar span's length depends on where it starts (a year is 365 or
    // 366 days): a tenure up to its longest is allowed, and the few whose own
    // span is shorter than their tenure end it on day 0.
    const Bound d = tr.span ? Bound{core::longest_days(*tr.span), false} : upper_bound(tr.duration);
    if (tenure.value < d.value || (tenure.value == d.value && !tenure.attained)) continue;
    c.r.error(at, fmt::format("{}: the tenure can reach {:.6g} days, but transitions.{} out of '{}' takes at most {:.6g} "
                              "days, so those people would all leave on day 0; keep the tenure below {:.6g} days "
                              "(e.g. uniform = [0, {:.6g}] in days)",
                              path, tenure.value, k, c.spec.states[static_cast<std::size_t>(s.state)].name, d.value,
                              d.value, d.value));
    return;
  }
}

void read_stock_entry(const Context& c, const toml::key& k, const toml::node& v, const std::string& path,
                      model::StockSpec& s) {
  TableView t(c.r, *v.as_table(), path);
  if (const auto* n = t.get("state")) {
    s.state = state_ref(c, *n, path + ".state");
  } else {
    s.state = c.spec.state_index(std::string(k.str()));
    if (s.state == kNone)
      c.r.error(k.source(), fmt::format("{}: no state named '{}'; add state = \"...\"", describe_path(path), k.str()));
  }
  if (s.state != kNone && c.spec.states[static_cast<std::size_t>(s.state)].kind == model::StateKind::exit)
    c.r.error(v, fmt::format("{}: initial stock cannot start in an exit state", path));
  s.count = c.r.required_integer(t, "count", "how many people", path + ".count", 0, kMaxPeople).value_or(0);
  const toml::node* td = t.get("tenure_days");
  const toml::node* ty = t.get("tenure_years");
  if (td && ty) c.r.error(*ty, fmt::format("{}: give tenure_days or tenure_years, not both", path));
  else if (td || ty)
    if (auto d = c.r.distribution(td ? *td : *ty, path + (td ? ".tenure_days" : ".tenure_years"),
                                  td ? 1.0 : core::kDaysPerYear)) {
      s.tenure_days = *d;
      if (s.state != kNone) check_tenure(c, s, td ? *td : *ty, path);
    }
  s.mix = read_mix(c, t, path);
  t.finish();
}

}  // namespace

std::vector<model::StockSpec> read_stock(const Context& c, TableView& top) {
  std::vector<model::StockSpec> out;
  const toml::table* stock = table_at(c.r, top, "stock", false, "the workforce in post on the start date");
  if (!stock) return out;
  for (auto&& [k, v] : *stock) {
    model::StockSpec s;
    s.name = std::string(k.str());
    (void)check_name(c.r, k.source(), label_problem(s.name, "stock entry name"));
    s.key_source = 0x8000u | (model::name_hash(s.name) & 0x7FFFu);
    for (const auto& other : out)
      if (other.key_source == s.key_source)
        c.r.error(k.source(), fmt::format("stock entries '{}' and '{}' share a random key (a hash collision); rename one",
                                          other.name, s.name));
    const std::string path = child_path("stock", k.str());
    if (!v.is_table()) {
      c.r.error(v, fmt::format("{} must be a table", describe_path(path)));
      continue;
    }
    read_stock_entry(c, k, v, path, s);
    out.push_back(std::move(s));
  }
  if (out.size() > 0x7FFF) c.r.error(*stock, "too many stock entries (at most 32767)");
  return out;
}

void check_entrants(const Context& c, const toml::table& root, std::int64_t route_people) {
  std::int64_t people = route_people;
  for (const auto& s : c.spec.stock) people += s.count;
  if (people > kMaxPeople)
    c.r.error(root, fmt::format("the scenario would create {} people; the limit is {}", people, kMaxPeople));
  if (c.spec.routes.empty() && c.spec.stock.empty() && !c.spec.states.empty())
    c.r.error(root, "the scenario has no routes and no stock: nobody would ever enter it");
}

}  // namespace tsim::scenario
