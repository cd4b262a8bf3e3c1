// [routes] and [stock]: who enters the career graph, when, and with which
// attributes, age and FTE.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/names.hpp"
#include "sim/scenario/sections.hpp"

namespace tsim::scenario {

using model::kNone;

namespace {

// The least and greatest values a distribution can draw; the greatest is
// infinite for exponential, Weibull, gamma and lognormal.
std::pair<double, double> support(const core::Distribution& d) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  return std::visit([&](const auto& x) -> std::pair<double, double> {
    using T = std::decay_t<decltype(x)>;
    if constexpr (std::is_same_v<T, core::Fixed>) return {x.value, x.value};
    else if constexpr (std::is_same_v<T, core::Uniform> || std::is_same_v<T, core::Triangular>) return {x.lo, x.hi};
    else if constexpr (std::is_same_v<T, core::Discrete>)
      return {*std::min_element(x.values.begin(), x.values.end()), *std::max_element(x.values.begin(), x.values.end())};
    else if constexpr (std::is_same_v<T, core::Piecewise>) {
      // From the last point where the CDF is still 0 to the first where it is 1.
      std::size_t lo = 0, hi = x.cdf.size() - 1;
      while (lo + 1 < x.cdf.size() && x.cdf[lo + 1] <= 0) ++lo;
      while (hi > 0 && x.cdf[hi - 1] >= 1) --hi;
      return {x.x[lo], x.x[hi]};
    } else return {0.0, kInf};
  }, d);
}

// Whole-time equivalents must lie in (0, 1.5] wherever the distribution can
// reach: a draw of 0 (or next to it) or above 1.5 is not a person's FTE.
void check_fte(Reader& r, const toml::node& n, const core::Distribution& d, const std::string& path) {
  const auto [lo, hi] = support(d);
  if (!(lo > 0) || !(hi <= 1.5))
    r.error(n, fmt::format("{}.fte must lie in (0, 1.5] (whole-time equivalent) wherever the distribution can reach, "
                           "but {}", path, lo == hi ? fmt::format("got {}", lo) : fmt::format("it reaches from {} to {}", lo, hi)));
}

// Ages lie in [0, 120] years. Where the distribution has no upper bound
// (exponential, Weibull, gamma, lognormal) its 99.9th percentile must be
// at most 120 (scenarios/README.md, "Limits").
void check_age(Reader& r, const toml::node& n, const core::Distribution& d, const std::string& path) {
  const auto [lo, hi] = support(d);
  if (std::isfinite(hi)) {
    if (!(lo >= 0) || !(hi <= kMaxAgeYears))
      r.error(n, fmt::format("{}.age_years must lie in 0 to {} years, but it reaches from {} to {}", path,
                             kMaxAgeYears, lo, hi));
    return;
  }
  double q = std::numeric_limits<double>::infinity();
  try {
    q = core::quantile(d, 0.999);
  } catch (const std::exception&) {
    // Parameters too extreme for the quantile: treated as unbounded.
  }
  if (!(q <= kMaxAgeYears))
    r.error(n, fmt::format("{}.age_years must lie in 0 to {} years, but its 99.9th percentile is {:.6g} years", path,
                           kMaxAgeYears, q));
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
    if (auto d = c.r.distribution(*n, path + ".age_years", 1.0)) {
      check_age(c.r, *n, *d, path);
      m.age_years = *d;
    }
  }
  if (const auto* n = t.get("fte")) {
    if (auto d = c.r.distribution(*n, path + ".fte", 1.0)) {
      check_fte(c.r, *n, *d, path);
      m.fte = *d;
    }
  }
  return m;
}

namespace {

// What is left of the scenario's kMaxIntakes; once spent (and reported),
// no more intake tables are read.
struct IntakeBudget {
  std::size_t left = kMaxIntakes;
  bool spent = false;
};

// `intake`: one table or an array of them, in order. Reading stops (with a
// message) once the route has more than kMaxIntakesPerRoute intakes or the
// scenario's budget is spent, before another table allocates more.
std::vector<IntakeTable> read_intakes(const Context& c, TableView& t, const std::string& path, IntakeBudget& budget) {
  std::vector<IntakeTable> out;
  const auto* n = t.require("intake", "when and how many are recruited");
  if (!n || budget.spent) return out;
  std::size_t route_intakes = 0;
  auto keep = [&](IntakeTable table) {
    const std::size_t cost = table.intakes.size() * (1 + table.counts.size());
    route_intakes += table.intakes.size();
    if (route_intakes > kMaxIntakesPerRoute) {
      c.r.error(t.table(), fmt::format("{} has more than {} intakes", path, kMaxIntakesPerRoute));
      return false;
    }
    if (cost > budget.left) {
      c.r.error(t.table(), fmt::format("{}: the scenario has more than {} intakes in all (a pull intake counts once "
                                       "plus once per state in its counts)",
                                       path, kMaxIntakes));
      budget.spent = true;
      return false;
    }
    budget.left -= cost;
    out.push_back(std::move(table));
    return true;
  };
  if (const auto* arr = n->as_array()) {
    for (std::size_t i = 0; i < arr->size(); ++i)
      if (!keep(read_intake_table(c, *arr->get(i), fmt::format("{}.intake.{}", path, i)))) break;
  } else {
    (void)keep(read_intake_table(c, *n, path + ".intake"));
  }
  return out;
}

// The states a pull intake table counts against its establishment.
std::vector<int> resolve_counts(const Context& c, const IntakeTable& table, const std::string& path) {
  std::vector<int> out;
  for (const auto& name : table.counts) {
    const int st = find_state(c, name);
    if (st == kNone) c.r.error(*table.counts_node, fmt::format("{}: counts refers to undeclared state '{}'", path, name));
    else if (std::find(out.begin(), out.end(), st) != out.end())
      c.r.error(*table.counts_node, fmt::format("{}: counts lists state '{}' twice", path, name));
    else out.push_back(st);
  }
  return out;
}

// One [routes.NAME] table.
void read_route(const Context& c, const toml::node& v, const std::string& path, model::RouteSpec& route,
                EventNames& events, IntakeBudget& budget) {
  TableView t(c.r, *v.as_table(), path);
  if (const auto* n = t.require("enters", "the state recruits start in")) route.enters = state_ref(c, *n, path + ".enters");
  if (route.enters != kNone && c.spec.states[static_cast<std::size_t>(route.enters)].kind == model::StateKind::exit)
    c.r.error(*t.get("enters"), fmt::format("{}.enters is an exit state", path));
  std::string event = "recruit";
  if (const auto* n = t.get("event")) event = c.r.label(*n, path + ".event").value_or(event);
  route.event = intern_event(events, event);
  std::vector<IntakeTable> tables = read_intakes(c, t, path, budget);
  for (const auto& table : tables) route.poisson_per_day += table.poisson_per_day;
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
}

}  // namespace

RoutesSection read_routes(const Context& c, TableView& top, EventNames& events) {
  RoutesSection out;
  const toml::table* routes = table_at(c.r, top, "routes", false, "ways in: programme intakes");
  if (!routes) return out;
  IntakeBudget budget;
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
    read_route(c, v, path, route, events, budget);
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

double entrants(const model::ScenarioSpec& spec) {
  // In floating point: exact far past the limit, and huge rates cannot overflow.
  double people = 0;
  for (const auto& route : spec.routes) {
    people += route.poisson_per_day * spec.horizon_days;  // expected arrivals
    for (const auto& in : route.intakes) people += static_cast<double>(in.places);
  }
  for (const auto& s : spec.stock) people += static_cast<double>(s.count);
  return people;
}

void check_entrants(const Context& c, const toml::table& root) {
  const double people = entrants(c.spec);
  if (!(people <= static_cast<double>(kMaxPeople)))
    c.r.error(root, fmt::format("the scenario would create {} people; the limit is {}",
                                people > 1e18 ? std::string("more than 10^18") : fmt::format("{:.0f}", people),
                                kMaxPeople));
  if (c.spec.routes.empty() && c.spec.stock.empty() && !c.spec.states.empty())
    c.r.error(root, "the scenario has no routes and no stock: nobody would ever enter it");
}

}  // namespace tsim::scenario
