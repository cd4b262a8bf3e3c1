// [attributes], [pools] and [states]: what people are, what they queue for,
// and the nodes of the career graph.
#include <cmath>
#include <fmt/format.h>
#include <set>
#include "sim/core/calendar.hpp"

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/names.hpp"
#include "sim/scenario/sections.hpp"

namespace tsim::scenario {

using model::kNone;

namespace {

// after_days_in_state, after_months_in_state or after_years_in_state (default 0).
core::Span provides_delay(Reader& r, TableView& t, const std::string& what) {
  const toml::node* given = nullptr;
  const char* unit = "days";
  for (const char* u : {"days", "months", "years"})
    if (const auto* n = t.get(fmt::format("after_{}_in_state", u))) {
      if (given) r.error(*n, fmt::format("{}: give one of after_days_in_state, after_months_in_state or "
                                         "after_years_in_state, not several", what));
      given = n;
      unit = u;
    }
  if (!given) return {};
  const auto v = r.number(*given, what);
  if (v && *v < 0) r.error(*given, fmt::format("{} must not be negative, got {}", what, *v));
  return v && *v >= 0 ? span_of(*v, unit) : core::Span{};
}

// Rank of each level: its place in `order` (levels not listed come after all
// listed ones, together). kNone entries (errors reported) are skipped.
std::vector<std::uint32_t> ranks(const std::vector<int>& order, std::size_t levels) {
  std::vector<std::uint32_t> rank(levels, static_cast<std::uint32_t>(order.size()));
  for (std::size_t i = 0; i < order.size(); ++i)
    if (order[i] >= 0 && static_cast<std::size_t>(order[i]) < levels && rank[static_cast<std::size_t>(order[i])] == order.size())
      rank[static_cast<std::size_t>(order[i])] = static_cast<std::uint32_t>(i);
  return rank;
}

std::vector<std::string> read_levels(Reader& r, const toml::node& n, const std::string& path) {
  auto levels = r.strings(n, path + ".levels");
  if (!levels) return {};
  std::set<std::string> seen;
  for (std::size_t i = 0; i < levels->size(); ++i) {
    const std::string& l = (*levels)[i];
    if (!seen.insert(l).second) r.error(n, fmt::format("level '{}' is listed twice", l));
    (void)check_name(r, *n.as_array()->get(i), label_problem(l, path + " level"));
  }
  if (levels->empty() || levels->size() > 255)
    r.error(n, fmt::format("{}.levels must have 1 to 255 levels, got {}", path, levels->size()));
  return *levels;
}

}  // namespace

std::vector<model::AttributeSpec> read_attributes(Reader& r, TableView& top) {
  std::vector<model::AttributeSpec> out;
  const toml::table* attrs = table_at(r, top, "attributes", false, "categorical attributes");
  if (!attrs) return out;
  for (auto&& [k, v] : *attrs) {
    const std::string name(k.str());
    const std::string path = child_path("attributes", name);
    if (!v.is_table()) {
      r.error(v, fmt::format("{} must be a table with 'levels'", describe_path(path)));
      continue;
    }
    (void)check_name(r, k.source(), column_name_problem(name, "attribute name"));
    TableView t(r, *v.as_table(), path);
    model::AttributeSpec a;
    a.name = name;
    a.purpose_index = model::name_hash(name) & 0xFFFFFFu;
    for (const auto& other : out)
      if (other.purpose_index == a.purpose_index)
        r.error(k.source(), fmt::format("attributes '{}' and '{}' share a random stream (a hash collision); rename one", other.name, name));
    if (const auto* n = t.require("levels", "the level names")) a.levels = read_levels(r, *n, path);
    if (const auto* n = t.get("population"); n && !a.levels.empty()) {
      if (auto w = level_weights(r, a, *n, path + ".population", true)) a.population = *w;
    }
    out.push_back(std::move(a));
    t.finish();
  }
  return out;
}

PoolNames read_pool_names(Reader& r, TableView& top) {
  PoolNames out;
  out.table = table_at(r, top, "pools", false, "capacity-limited resources such as supervision");
  if (!out.table) return out;
  for (auto&& [k, v] : *out.table) {
    model::PoolSpec p;
    p.name = std::string(k.str());
    (void)check_name(r, k.source(), label_problem(p.name, "pool name"));
    out.pools.push_back(p);
  }
  return out;
}

namespace {

void read_kind(Reader& r, const toml::node& n, const std::string& path, model::StateSpec& s) {
  auto kind = r.string(n, path + ".kind");
  if (!kind) return;
  if (*kind == "waiting") s.kind = model::StateKind::waiting;
  else if (*kind == "training") s.kind = model::StateKind::training;
  else if (*kind == "post") s.kind = model::StateKind::post;
  else if (*kind == "exit") s.kind = model::StateKind::exit;
  else
    r.error(n, fmt::format("{}.kind must be waiting, training, post or exit, got '{}'{}", path, *kind,
                           core::did_you_mean(*kind, {"waiting", "training", "post", "exit"})));
}

constexpr const char* kRoles = "staff, trainee, vacancy, waiting, left_nhs, moved_within_nhs, retired or did_not_complete";

// role and kind: either one (the other follows: staff is a post, trainee
// training, vacancy and waiting are waiting states, the rest exits), or both
// if they agree. An exit given only as a kind is someone who left the NHS.
void read_role(Reader& r, TableView& t, const std::string& path, model::StateSpec& s) {
  const toml::node* role = t.get("role");
  const toml::node* kind = t.get("kind");
  if (!role && !kind) {
    r.error(t.table(), fmt::format("{} needs 'kind' (waiting, training, post or exit) or 'role' ({})",
                                   describe_path(path), kRoles));
    return;
  }
  if (kind) read_kind(r, *kind, path, s);
  if (!role) {
    s.role = s.kind == model::StateKind::post       ? model::StateRole::staff
             : s.kind == model::StateKind::training ? model::StateRole::trainee
             : s.kind == model::StateKind::waiting  ? model::StateRole::waiting
                                                    : model::StateRole::left_nhs;
    return;
  }
  const auto name = r.string(*role, path + ".role");
  if (!name) return;
  const auto parsed = model::role_from_string(*name);
  if (!parsed) {
    r.error(*role, fmt::format("{}.role must be {}, got '{}'{}", path, kRoles, *name,
                               core::did_you_mean(*name, {"staff", "trainee", "vacancy", "waiting", "left_nhs",
                                                          "moved_within_nhs", "retired", "did_not_complete"})));
    return;
  }
  s.role = *parsed;
  if (kind && model::kind_of(s.role) != s.kind)
    r.error(*role, fmt::format("{}: role {} belongs to kind {}, but kind is {}", path, *name,
                               model::to_string(model::kind_of(s.role)), model::to_string(s.kind)));
  s.kind = model::kind_of(s.role);
}

// cost_per_day or cost_per_year, stored per day.
void read_cost(Reader& r, TableView& t, const std::string& path, model::StateSpec& s) {
  const toml::node* cd = t.get("cost_per_day");
  const toml::node* cy = t.get("cost_per_year");
  if (cd && cy) {
    r.error(*cy, fmt::format("{}: give cost_per_day or cost_per_year, not both", path));
  } else if (cd || cy) {
    auto c = r.number(cd ? *cd : *cy, path + (cd ? ".cost_per_day" : ".cost_per_year"));
    if (c && *c < 0) r.error(cd ? *cd : *cy, fmt::format("{}: costs must not be negative", path));
    else if (c) s.cost_per_day = cd ? *c : *c / core::kDaysPerYear;
  }
}

void read_provides(const Context& c, const toml::node& n, const std::string& path, model::StateSpec& s) {
  if (!n.is_table()) {
    c.r.error(n, fmt::format("{}.provides must be a table {{ pool, slots, after_years_in_state }}", path));
    return;
  }
  TableView pt(c.r, *n.as_table(), path + ".provides");
  if (const auto* pn = pt.require("pool", "which pool")) s.provides.pool = pool_ref(c, *pn, path + ".provides.pool");
  if (const auto* sn = pt.require("slots", "slots per person"))
    s.provides.slots = static_cast<std::int32_t>(c.r.integer(*sn, path + ".provides.slots", 0, 1000000).value_or(0));
  s.provides.after = provides_delay(c.r, pt, path + ".provides delay");
  pt.finish();
}

void read_state(const Context& c, const toml::node& v, const std::string& path, model::StateSpec& s) {
  Reader& r = c.r;
  TableView t(r, *v.as_table(), path);
  read_role(r, t, path, s);
  if (const auto* n = t.get("profession")) s.profession = r.string(*n, path + ".profession").value_or("");
  if (const auto* n = t.get("band")) s.band = static_cast<int>(r.integer(*n, path + ".band", 1, 9).value_or(kNone));
  if (const auto* n = t.get("qualified")) s.qualified = r.boolean(*n, path + ".qualified").value_or(false);
  read_cost(r, t, path, s);
  if (const auto* n = t.get("needs")) s.needs_pool = pool_ref(c, *n, path + ".needs");
  if (const auto* n = t.get("occupies")) {
    s.occupies_pool = pool_ref(c, *n, path + ".occupies");
    if (t.get("needs"))
      r.error(*n, fmt::format("{}: a state either needs a pool (waits for a slot) or occupies one (fills a post), not both", path));
  }
  if (const auto* n = t.get("provides")) read_provides(c, *n, path, s);
  if (s.kind == model::StateKind::exit && (s.needs_pool != kNone || s.occupies_pool != kNone || s.provides.pool != kNone))
    r.error(v, fmt::format("exit state '{}' cannot need or provide a pool", s.name));
  t.finish();
}

}  // namespace

std::vector<model::StateSpec> read_states(const Context& c, TableView& top) {
  std::vector<model::StateSpec> out;
  const toml::table* states = table_at(c.r, top, "states", true, "the career graph's states");
  if (!states) return out;
  for (auto&& [k, v] : *states) {
    model::StateSpec s;
    s.name = std::string(k.str());
    (void)check_name(c.r, k.source(), path_name_problem(s.name, "state name"));
    out.push_back(s);
  }
  if (out.size() > 30000) c.r.error(*states, "too many states (at most 30000)");
  std::size_t i = 0;
  for (auto&& [k, v] : *states) {
    model::StateSpec& s = out[i++];
    const std::string path = child_path("states", s.name);
    if (!v.is_table()) {
      c.r.error(v, fmt::format("{} must be a table with at least 'kind'", describe_path(path)));
      continue;
    }
    read_state(c, v, path, s);
  }
  if (out.empty()) c.r.error(*states, "[states] declares no states");
  return out;
}

namespace {

void read_capacity_changes(const Context& c, const toml::node& n, const std::string& path, model::PoolSpec& p) {
  const toml::array* arr = n.as_array();
  if (!arr) c.r.error(n, fmt::format("{}.capacity_changes must be an array of {{ date, slots }}", path));
  for (std::size_t j = 0; arr && j < arr->size(); ++j) {
    const toml::node& cn = *arr->get(j);
    const std::string cpath = fmt::format("{}.capacity_changes.{}", path, j);
    if (!cn.is_table()) {
      c.r.error(cn, fmt::format("{} must be a table {{ date, slots }}", cpath));
      continue;
    }
    TableView ct(c.r, *cn.as_table(), cpath);
    const auto* dn = ct.require("date", "when the slots appear");
    const auto* sn = ct.require("slots", "how many fixed slots are added (negative: removed)");
    std::optional<double> day;
    std::optional<std::int64_t> slots;
    if (dn) day = day_of_date(c, *dn, cpath + ".date");
    if (sn) slots = c.r.integer(*sn, cpath + ".slots", -kMaxPeople, kMaxPeople);
    // Before the start is a mistake; after the horizon is what a shorter
    // horizon (--set scenario.horizon_years) makes of a dated plan: it never
    // happens in this run, which a warning says.
    const auto end = core::civil_from_days(core::days_from_civil(c.spec.start_date) +
                                           static_cast<std::int64_t>(c.spec.horizon_days));
    if (day && *day < 0)
      c.r.error(*dn, fmt::format("{}.date is outside the scenario: before its start ({}; it runs {} to {})", cpath,
                                 core::format_date(c.spec.start_date), core::format_date(c.spec.start_date),
                                 core::format_date(end)));
    else if (day && *day >= c.spec.horizon_days)
      c.r.warn(*dn, fmt::format("{}.date is after the horizon ({}): this change does not happen in this run", cpath,
                                core::format_date(end)));
    else if (day && slots) p.capacity_changes.emplace_back(*day, *slots);
    ct.finish();
  }
}

// Inflow steps of one labour pool (horizon / every_days): each is an event and
// 16 bytes; 1000 years of weekly steps is ~52,000.
constexpr double kMaxLabourSteps = 100'000;

// labour = { inflow_per_year, leaving_per_year, every_days }: the pool is a
// finite labour pool. Its inflow becomes capacity changes every `every_days`
// (day k adds the whole candidates of inflow x k x every_days / 365.2425 not
// yet added), so the fill rate is the inflow rate however the steps fall.
void read_labour(const Context& c, const toml::node& n, const std::string& path, std::size_t pool_index,
                 model::PoolSpec& p) {
  if (!n.is_table()) {
    c.r.error(n, fmt::format("{}.labour must be a table {{ inflow_per_year, leaving_per_year, every_days }}", path));
    return;
  }
  const std::string lpath = path + ".labour";
  TableView lt(c.r, *n.as_table(), lpath);
  const auto inflow = c.r.optional_number(lt, "inflow_per_year", lpath + ".inflow_per_year", 0.0);
  const auto leaving = c.r.optional_number(lt, "leaving_per_year", lpath + ".leaving_per_year", 0.0);
  const auto every = c.r.optional_number(lt, "every_days", lpath + ".every_days", 7.0);
  if (inflow && (*inflow < 0 || *inflow > static_cast<double>(kMaxPeople)))
    c.r.error(*lt.get("inflow_per_year"), fmt::format("{}.inflow_per_year must be between 0 and {}, got {}", lpath,
                                                      kMaxPeople, *inflow));
  if (leaving && *leaving < 0)
    c.r.error(*lt.get("leaving_per_year"), fmt::format("{}.leaving_per_year must be at least 0, got {}", lpath, *leaving));
  if (every && (*every < 1 || *every > core::kDaysPerYear))
    c.r.error(*lt.get("every_days"), fmt::format("{}.every_days must be between 1 and 365.2425, got {}", lpath, *every));
  lt.finish();
  for (const auto& st : c.spec.states)
    if (st.occupies_pool == static_cast<int>(pool_index) || st.provides.pool == static_cast<int>(pool_index))
      c.r.error(n, fmt::format("{} is a labour pool: states may only 'need' it (state '{}' occupies or provides it)",
                               describe_path(path), st.name));
  p.consumed = true;
  if (!inflow || !leaving || !every || *inflow < 0 || *inflow > static_cast<double>(kMaxPeople) || *leaving < 0 ||
      *every < 1 || *every > core::kDaysPerYear)
    return;
  p.idle_leaving_per_day = *leaving / core::kDaysPerYear;
  if (*inflow == 0 && *leaving == 0) return;
  if (c.spec.horizon_days / *every > static_cast<double>(kMaxLabourSteps)) {
    c.r.error(lt.get("every_days") ? *lt.get("every_days") : n, fmt::format("{}: {} steps of every_days over the run, more than the limit of {}",
                                                 lpath, std::floor(c.spec.horizon_days / *every), kMaxLabourSteps));
    return;
  }
  std::int64_t added = 0;
  for (double k = 1; k * *every < c.spec.horizon_days; ++k) {
    const double day = k * *every;
    const auto due = static_cast<std::int64_t>(std::floor(*inflow * day / core::kDaysPerYear));
    p.capacity_changes.emplace_back(day, due - added);  // zero slots still let unused candidates leave
    added = due;
  }
}

void read_renege(const Context& c, const toml::node& n, const std::string& path, model::PoolSpec& p,
                 EventNames& events) {
  if (!n.is_table()) {
    c.r.error(n, fmt::format("{}.renege must be a table {{ after_days, to }}", path));
    return;
  }
  TableView rt(c.r, *n.as_table(), path + ".renege");
  // Patience: a number (fixed) or a distribution, e.g. { exponential = { mean = 30 } } (Erlang-A).
  const toml::node* d = rt.get("after_days");
  const toml::node* y = rt.get("after_years");
  if (d && y) c.r.error(*y, fmt::format("{}.renege: give either 'after_days' or 'after_years', not both", path));
  else if (!d && !y) c.r.error(rt.table(), fmt::format("{} needs 'after_days' or 'after_years' (how long people wait)",
                                                       describe_path(path + ".renege")));
  else if (auto dist = c.r.distribution(d ? *d : *y, path + ".renege." + (d ? "after_days" : "after_years"),
                                        d ? 1.0 : core::kDaysPerYear))
    p.patience = *dist;
  if (const auto* tn = rt.require("to", "the state people go to when they give up"))
    p.renege_to = state_ref(c, *tn, path + ".renege.to");
  std::string event = p.name + "_renege";
  if (const auto* en = rt.get("event")) event = c.r.label(*en, path + ".renege.event").value_or(event);
  p.renege_event = intern_event(events, event);
  rt.finish();
}

// discipline = "fifo" | "priority"; priority = { by = ATTRIBUTE | "route", order = [levels...] }.
// Route orders are resolved once the routes are known (resolve_route_priorities).
void read_discipline(const Context& c, TableView& t, const std::string& path, std::size_t pool_index,
                     model::PoolSpec& p, std::vector<RoutePriority>& route_orders) {
  const toml::node* dn = t.get("discipline");
  const toml::node* pn = t.get("priority");
  if (dn) {
    const auto d = c.r.string(*dn, path + ".discipline");
    if (d == "priority") p.discipline = model::QueueDiscipline::priority;
    else if (d && *d != "fifo")
      c.r.error(*dn, fmt::format("{}.discipline must be \"fifo\" or \"priority\", got '{}'{}", path, *d,
                                 core::did_you_mean(*d, {"fifo", "priority"})));
  }
  if ((p.discipline == model::QueueDiscipline::priority) != (pn != nullptr)) {
    c.r.error(pn ? *pn : *dn, fmt::format("{}: discipline = \"priority\" and priority = {{ by, order }} go together", path));
    return;
  }
  if (!pn) return;
  if (!pn->is_table()) {
    c.r.error(*pn, fmt::format("{}.priority must be a table {{ by = \"ATTRIBUTE\" or \"route\", order = [...] }}", path));
    return;
  }
  TableView pt(c.r, *pn->as_table(), path + ".priority");
  const toml::node* by = pt.require("by", "an attribute, or \"route\"");
  const toml::node* order = pt.require("order", "levels (or routes), first served first");
  pt.finish();
  const auto by_name = by ? c.r.string(*by, path + ".priority.by") : std::nullopt;
  const auto names = order ? c.r.strings(*order, path + ".priority.order") : std::nullopt;
  if (!by_name || !names) return;
  if (*by_name == "route") {
    p.priority_by = model::kRouteAttribute;
    route_orders.push_back({pool_index, *names, order});
    return;
  }
  p.priority_by = attribute_ref(c, *by_name, by->source(), path + ".priority.by");
  if (p.priority_by == model::kNone) return;
  const auto& attr = c.spec.attributes[static_cast<std::size_t>(p.priority_by)];
  std::vector<int> levels;
  for (const auto& n : *names) levels.push_back(level_ref(c.r, attr, n, order->source(), path + ".priority.order"));
  p.priority_rank = ranks(levels, attr.levels.size());
}

void read_pool(const Context& c, const toml::node& v, const std::string& path, std::size_t pool_index,
               model::PoolSpec& p, EventNames& events, std::vector<RoutePriority>& route_orders) {
  Reader& r = c.r;
  TableView t(r, *v.as_table(), path);
  std::string granted = p.name + "_granted", lost = p.name + "_lost";
  if (const auto* n = t.get("granted_event")) granted = r.label(*n, path + ".granted_event").value_or(granted);
  if (const auto* n = t.get("lost_event")) lost = r.label(*n, path + ".lost_event").value_or(lost);
  p.granted_event = intern_event(events, granted);
  p.lost_event = intern_event(events, lost);
  if (const auto* n = t.get("capacity")) p.fixed_capacity = r.integer(*n, path + ".capacity", 0, kMaxPeople).value_or(0);
  if (const auto* n = t.get("capacity_changes")) read_capacity_changes(c, *n, path, p);
  read_discipline(c, t, path, pool_index, p, route_orders);
  if (const auto* n = t.get("renege")) read_renege(c, *n, path, p, events);
  if (const auto* n = t.get("labour")) read_labour(c, *n, path, pool_index, p);
  t.finish();
}

}  // namespace

PoolsSection read_pools(const Context& c, const PoolNames& names, EventNames& events) {
  PoolsSection out{names.pools, {}};
  if (!names.table) return out;
  std::size_t i = 0;
  for (auto&& [k, v] : *names.table) {
    const std::size_t index = i++;
    model::PoolSpec& p = out.pools[index];
    const std::string path = child_path("pools", p.name);
    if (!v.is_table()) {
      c.r.error(v, fmt::format("{} must be a table", describe_path(path)));
      continue;
    }
    read_pool(c, v, path, index, p, events, out.route_orders);
  }
  return out;
}

void resolve_route_priorities(const Context& c, const std::vector<RoutePriority>& orders,
                              std::vector<model::PoolSpec>& pools) {
  for (const auto& o : orders) {
    std::vector<int> levels;  // route code + 1; 0 is the initial stock
    for (const auto& name : o.routes) {
      int level = name == "initial_stock" ? 0 : model::kNone;
      for (std::size_t r = 0; r < c.spec.routes.size(); ++r)
        if (c.spec.routes[r].name == name) level = static_cast<int>(r) + 1;
      if (level == model::kNone) {
        std::vector<std::string> known{"initial_stock"};
        for (const auto& r : c.spec.routes) known.push_back(r.name);
        c.r.error(*o.at, fmt::format("pools.{}.priority.order names '{}', which is not a route{}",
                                     pools[o.pool].name, name, core::did_you_mean(name, known)));
      }
      levels.push_back(level);
    }
    pools[o.pool].priority_rank = ranks(levels, c.spec.routes.size() + 1);
  }
}

}  // namespace tsim::scenario
