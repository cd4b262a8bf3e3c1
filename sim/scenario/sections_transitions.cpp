// [[transitions]]: the edges of the career graph. When a transition fires
// (after a duration, by a hazard, or at once) and where it leads (one state,
// or a branch of outcomes with probabilities, optionally by attribute level).
#include <algorithm>
#include <cmath>
#include <limits>
#include <fmt/format.h>

#include "sim/scenario/sections.hpp"

namespace tsim::scenario {

using model::kNone;

namespace {

// One [[transitions]] entry being read. `ok` turns false on any problem: the
// transition is then left out (the load fails anyway).
struct Draft {
  model::TransitionSpec tr;
  bool ok = true;
  std::optional<double> opens_on;  // from_date, in days since start
  std::string from_name = "?";
};

void read_from(const Context& c, TableView& t, const std::string& path, Draft& d) {
  if (const auto* f = t.require("from", "the state it leaves")) d.tr.from = state_ref(c, *f, path + ".from");
  if (d.tr.from == kNone) {
    d.ok = false;
  } else if (c.spec.states[static_cast<std::size_t>(d.tr.from)].kind == model::StateKind::exit) {
    c.r.error(*t.get("from"), fmt::format("{}: '{}' is an exit state; nobody leaves it", path,
                                          c.spec.states[static_cast<std::size_t>(d.tr.from)].name));
    d.ok = false;
  }
  if (d.tr.from != kNone) d.from_name = c.spec.states[static_cast<std::size_t>(d.tr.from)].name;
}

// A timed transition's duration: after_days, after_months or after_years. A
// fixed whole number of months or years is a calendar span (the same day of
// the month N months later); anything else is a distribution in days.
void read_duration(const Context& c, const toml::node& n, const std::string& key, const std::string& path, Draft& d) {
  d.tr.when = model::TransitionWhen::timed;
  const std::string unit = key.substr(std::string("after_").size());
  const double scale = unit == "days" ? 1.0 : unit == "months" ? core::kDaysPerMonth : core::kDaysPerYear;
  auto dist = c.r.distribution(n, path + "." + key, scale);
  if (!dist) {
    d.ok = false;
    return;
  }
  d.tr.duration = *dist;
  if (const auto* fixed = std::get_if<core::Fixed>(&*dist); fixed && unit != "days") {
    const core::Span span = span_of(fixed->value / scale, unit);
    if (span.months > 0) d.tr.span = span;
  }
}

// When: after a duration, by a hazard, or (neither) at once.
void read_timing(const Context& c, TableView& t, const toml::node& tn, const std::string& path, Draft& d) {
  const toml::node* given = nullptr;
  std::string key;
  int count = 0;
  for (const char* k : {"after_days", "after_months", "after_years", "hazard"})
    if (const toml::node* n = t.get(k)) {
      ++count;
      given = n;
      key = k;
    }
  if (count > 1) {
    c.r.error(tn, fmt::format("{} takes at most one of after_days, after_months, after_years, hazard", describe_path(path)));
    d.ok = false;
  } else if (given && key != "hazard") {
    read_duration(c, *given, key, path, d);
  } else if (given) {
    d.tr.when = model::TransitionWhen::hazard;
    auto h = read_hazard(c.r, *given, path + ".hazard");
    if (h) d.tr.hazard = *h;
    else d.ok = false;
  }
}

// from_date and while_supervised, and which clocks run only while supervised.
void read_hazard_options(const Context& c, TableView& t, const std::string& path, Draft& d) {
  const bool hazard = d.tr.when == model::TransitionWhen::hazard;
  if (const auto* fd = t.get("from_date")) {
    if (!hazard) {
      c.r.error(*fd, fmt::format("{}.from_date (a transition that opens on a date) needs a hazard", path));
      d.ok = false;
    } else {
      d.opens_on = day_of_date(c, *fd, path + ".from_date");
    }
  }
  if (const auto* ws = t.get("while_supervised")) {
    d.tr.supervised_only = c.r.boolean(*ws, path + ".while_supervised").value_or(false);
    if (!hazard) {
      c.r.error(*ws, fmt::format("{}.while_supervised applies to hazards (timed transitions out of a state that "
                                 "needs a pool always count supervised time only)", path));
      d.ok = false;
    }
  }
  const int from_pool = d.tr.from == kNone ? kNone : c.spec.states[static_cast<std::size_t>(d.tr.from)].needs_pool;
  if (from_pool != kNone && d.tr.when == model::TransitionWhen::timed) d.tr.supervised_only = true;
  if (d.tr.supervised_only && d.tr.from != kNone && from_pool == kNone) {
    c.r.error(*t.get("while_supervised"),
              fmt::format("{}: state '{}' needs no pool, so there is no supervision to wait for", path, d.from_name));
    d.ok = false;
  }
  if (d.tr.supervised_only && hazard && d.tr.hazard.clock == model::Hazard::Clock::age) {
    c.r.error(*t.get("hazard"), fmt::format("{}: an age-clock hazard cannot run only while supervised", path));
    d.ok = false;
  }
}

// ratio.<attribute> = { Level = ratio }: one attribute's hazard ratios (1 for
// levels left out).
model::LevelFactors read_level_ratios(const Context& c, const toml::key& ak, const toml::table& levels,
                                      const std::string& path, int a, Draft& d) {
  const auto& attribute = c.spec.attributes[static_cast<std::size_t>(a)];
  model::LevelFactors lf;
  lf.attribute = a;
  lf.factor.assign(attribute.levels.size(), 1.0);
  for (auto&& [lk, lv] : levels) {
    const int level = level_ref(c.r, attribute, std::string(lk.str()), lk.source(), path + ".ratio");
    auto x = c.r.number(lv, fmt::format("{}.ratio.{}.{}", path, ak.str(), lk.str()));
    if (level == kNone || !x) {
      d.ok = false;
      continue;
    }
    if (*x < 0) {
      c.r.error(lv, fmt::format("hazard ratio must not be negative, got {}", *x));
      d.ok = false;
      continue;
    }
    lf.factor[static_cast<std::size_t>(level)] = *x;
  }
  return lf;
}

void read_ratios(const Context& c, TableView& t, const std::string& path, Draft& d) {
  const auto* rn = t.get("ratio");
  if (!rn) return;
  if (d.tr.when != model::TransitionWhen::hazard) {
    c.r.error(*rn, fmt::format("{}.ratio (hazard ratios) needs a hazard", path));
    d.ok = false;
    return;
  }
  if (!rn->is_table()) {
    c.r.error(*rn, fmt::format("{}.ratio must be a table {{ attribute = {{ Level = ratio }} }}", path));
    d.ok = false;
    return;
  }
  for (auto&& [ak, av] : *rn->as_table()) {
    const int a = attribute_ref(c, std::string(ak.str()), ak.source(), path + ".ratio");
    if (a == kNone) {
      d.ok = false;
      continue;
    }
    if (!av.is_table()) {
      c.r.error(av, fmt::format("{}.ratio.{} must be a table {{ Level = ratio }}", path, ak.str()));
      d.ok = false;
      continue;
    }
    d.tr.ratios.push_back(read_level_ratios(c, ak, *av.as_table(), path, a, d));
  }
}

// `fte` (the new FTE, in (0, 1.5]) or `fte_scale` (a factor on the current
// FTE, in (0, 1.5]) on a transition or a branch outcome: working hours change
// on arrival. At most one of them.
bool read_fte_change(const Context& c, TableView& t, const std::string& path, model::Outcome& o) {
  const toml::node* set = t.get("fte");
  const toml::node* scale = t.get("fte_scale");
  if (set && scale) {
    c.r.error(*scale, fmt::format("{}: give fte (the new FTE) or fte_scale (a factor on the current FTE), not both", path));
    return false;
  }
  const toml::node* n = set ? set : scale;
  if (!n) return true;
  const std::string key = path + (set ? ".fte" : ".fte_scale");
  const auto v = c.r.number(*n, key);
  if (!v) return false;
  if (!(*v > 0 && *v <= model::kMaxFte)) {
    c.r.error(*n, fmt::format("{} must be in (0, {}], got {}", key, model::kMaxFte, *v));
    return false;
  }
  if (set) o.fte_set = *v;
  else o.fte_scale = *v;
  return true;
}

// One outcome of a branch: { to, p, event }. A given p is added to `sum`.
bool read_outcome(const Context& c, const toml::node& on, const std::string& opath, const std::string& from_name,
                  model::Outcome& o, double& sum, EventNames& events) {
  bool ok = true;
  TableView ot(c.r, *on.as_table(), opath);
  if (const auto* n = ot.require("to", "the outcome's state")) o.to = state_ref(c, *n, opath + ".to");
  if (const auto* n = ot.require("p", "its probability")) {
    auto p = c.r.number(*n, opath + ".p");
    if (p && (*p < 0 || *p > 1)) {
      c.r.error(*n, fmt::format("{}.p must be a probability in [0, 1], got {}", opath, *p));
      ok = false;
    }
    if (!p) ok = false;  // reported; a sum without it would only add a follow-on problem
    o.p = p.value_or(0);
    sum += o.p;
  }
  std::string event = o.to == kNone ? "" : from_name + "->" + c.spec.states[static_cast<std::size_t>(o.to)].name;
  if (const auto* n = ot.get("event")) event = c.r.label(*n, opath + ".event").value_or(event);
  if (!read_fte_change(c, ot, opath, o)) ok = false;
  if (o.to == kNone) ok = false;
  else o.event = intern_event(events, event);
  ot.finish();
  return ok;
}

// branch_by.p = { Level = [p per outcome] } (or a dated row's `by`, named
// `what`): each listed level's row replaces rows[level]. `ok` is shared by
// the rows, so once one row is bad every later row is reported as not summing
// to 1 too; kept as it was so that the diagnostics of a scenario do not change.
bool read_branch_rows(const Context& c, const toml::table& p, const std::string& what, int a,
                      std::size_t outcomes, std::vector<std::vector<double>>& rows) {
  bool ok = true;
  for (auto&& [lk, lv] : p) {
    const int level = level_ref(c.r, c.spec.attributes[static_cast<std::size_t>(a)], std::string(lk.str()), lk.source(),
                                what);
    auto row = c.r.numbers(lv, fmt::format("{}.{}", what, lk.str()));
    if (level == kNone || !row) {
      ok = false;
      continue;
    }
    if (row->size() != outcomes) {
      c.r.error(lv, fmt::format("{}.{} has {} probabilities for {} outcomes", what, lk.str(), row->size(), outcomes));
      ok = false;
      continue;
    }
    double s = 0;
    for (double x : *row) {
      if (x < 0 || x > 1) ok = false;
      s += x;
    }
    if (!ok || std::fabs(s - 1.0) > kProbabilityTolerance) {
      c.r.error(lv, fmt::format("{}.{} must be probabilities summing to 1, got sum {:.9g}", what, lk.str(), s));
      ok = false;
      continue;
    }
    rows[static_cast<std::size_t>(level)] = *row;
  }
  return ok;
}

// branch_by = { attribute, p = { Level = [...] } }: outcome probabilities by level.
bool read_branch_by(const Context& c, const toml::node& by, bool outcomes_ok, const std::string& path,
                    model::TransitionSpec& tr) {
  if (!by.is_table()) {
    c.r.error(by, fmt::format("{}.branch_by must be {{ attribute, p = {{ Level = [...] }} }}", path));
    return false;
  }
  TableView bt(c.r, *by.as_table(), path + ".branch_by");
  const auto* an = bt.require("attribute", "which attribute the probabilities depend on");
  const auto* pn = bt.require("p", "outcome probabilities per level");
  bt.finish();
  if (!an || !pn || !outcomes_ok) return false;
  auto aname = c.r.string(*an, path + ".branch_by.attribute");
  if (!aname) return false;
  const int a = attribute_ref(c, *aname, an->source(), path + ".branch_by");
  if (a == kNone) return false;
  if (!pn->is_table()) {
    c.r.error(*pn, fmt::format("{}.branch_by.p must be a table {{ Level = [p per outcome] }}", path));
    return false;
  }
  tr.branch_attribute = a;
  std::vector<double> base;
  for (const auto& o : tr.outcomes) base.push_back(o.p);
  tr.branch_p_by_level.assign(c.spec.attributes[static_cast<std::size_t>(a)].levels.size(), base);
  return read_branch_rows(c, *pn->as_table(), path + ".branch_by.p", a, tr.outcomes.size(), tr.branch_p_by_level);
}

// branch_from_date = [ { date, p = [p per outcome] } ]: outcome probabilities
// that change by date (a share that changes by year); dates increasing.
bool read_branch_from_date(const Context& c, const toml::node& n, bool outcomes_ok, const std::string& path,
                           model::TransitionSpec& tr) {
  const std::string what = path + ".branch_from_date";
  const toml::array* arr = n.as_array();
  if (!arr || arr->empty()) {
    c.r.error(n, fmt::format("{} must be a non-empty array of {{ date, p = [p per outcome] }}", what));
    return false;
  }
  bool ok = outcomes_ok;
  double last = -std::numeric_limits<double>::infinity();
  for (std::size_t j = 0; j < arr->size(); ++j) {
    const toml::node& row = *arr->get(j);
    const std::string rpath = fmt::format("{}.{}", what, j);
    if (!row.is_table()) {
      c.r.error(row, fmt::format("{} must be a table {{ date, p = [...] }}", rpath));
      ok = false;
      continue;
    }
    TableView rt(c.r, *row.as_table(), rpath);
    const auto* dn = rt.require("date", "when these probabilities start");
    const auto* pn = rt.require("p", "one probability per outcome");
    const auto* by = tr.branch_attribute != kNone ? rt.get("by") : nullptr;
    rt.finish();
    std::optional<double> day = dn ? day_of_date(c, *dn, rpath + ".date") : std::nullopt;
    std::optional<std::vector<double>> p = pn ? c.r.numbers(*pn, rpath + ".p") : std::nullopt;
    if (!day || !p) {
      ok = false;
      continue;
    }
    if (!(*day > last)) {
      c.r.error(*dn, fmt::format("{}.date must come after the previous row's", rpath));
      ok = false;
    }
    last = *day;
    double sum = 0;
    for (double x : *p) sum += x;
    if (p->size() != tr.outcomes.size() || std::fabs(sum - 1.0) > kProbabilityTolerance ||
        std::any_of(p->begin(), p->end(), [](double x) { return x < 0 || x > 1; })) {
      c.r.error(*pn, fmt::format("{}.p needs {} probabilities in [0, 1] summing to 1 (one per outcome), got {} summing "
                                 "to {:.9g}", rpath, tr.outcomes.size(), p->size(), sum));
      ok = false;
      continue;
    }
    tr.branch_p_from_day.emplace_back(*day, *p);
    if (tr.branch_attribute == kNone) continue;
    // With branch_by the row is a whole table: `p` for every level but those its `by` lists.
    auto& levels = tr.branch_p_by_level_from_day.emplace_back(tr.branch_p_by_level.size(), *p);
    if (!by) continue;
    if (!by->is_table()) {
      c.r.error(*by, fmt::format("{}.by must be a table {{ Level = [p per outcome] }}", rpath));
      ok = false;
    } else if (!read_branch_rows(c, *by->as_table(), rpath + ".by", tr.branch_attribute, tr.outcomes.size(), levels)) {
      ok = false;
    }
  }
  return ok;
}

bool read_branch(const Context& c, const toml::node& br, TableView& t, const std::string& path,
                 const std::string& from_name, model::TransitionSpec& tr, EventNames& events) {
  const toml::array* arr = br.as_array();
  if (!arr || arr->empty()) {
    c.r.error(br, fmt::format("{}.branch must be a non-empty array of {{ to, p }} tables", path));
    return false;
  }
  bool ok = true;
  double sum = 0;
  for (std::size_t j = 0; j < arr->size(); ++j) {
    const toml::node& on = *arr->get(j);
    const std::string opath = fmt::format("{}.branch.{}", path, j);
    if (!on.is_table()) {
      c.r.error(on, fmt::format("{} must be a table {{ to, p }}", opath));
      ok = false;
      continue;
    }
    model::Outcome o;
    if (!read_outcome(c, on, opath, from_name, o, sum, events)) ok = false;
    tr.outcomes.push_back(o);
  }
  if (ok && std::fabs(sum - 1.0) > kProbabilityTolerance) {
    c.r.error(br, fmt::format("{}.branch probabilities must sum to 1, got {:.9g}", path, sum));
    ok = false;
  }
  const toml::node* dated = t.get("branch_from_date");
  if (const auto* by = t.get("branch_by")) {
    const bool by_ok = read_branch_by(c, *by, ok, path, tr);
    if (!dated) return by_ok;
    // Dated rows after branch_by: its attribute is known, so rows may carry `by`.
    return read_branch_from_date(c, *dated, by_ok, path, tr) && by_ok;
  }
  if (dated) return read_branch_from_date(c, *dated, ok, path, tr) && ok;
  return ok;
}

// Where: one state (`to`), or a branch of outcomes.
void read_destination(const Context& c, TableView& t, const toml::node& tn, const std::string& path, Draft& d,
                      EventNames& events) {
  const toml::node* to = t.get("to");
  const toml::node* br = t.get("branch");
  const toml::node* ev = t.get("event");
  if ((to != nullptr) == (br != nullptr)) {
    c.r.error(tn, fmt::format("{} needs exactly one of 'to' (a state) or 'branch' (outcomes with probabilities)",
                              describe_path(path)));
    d.ok = false;
  } else if (to) {
    model::Outcome o;
    o.to = state_ref(c, *to, path + ".to");
    std::string event = o.to == kNone ? "" : d.from_name + "->" + c.spec.states[static_cast<std::size_t>(o.to)].name;
    if (ev) event = c.r.label(*ev, path + ".event").value_or(event);
    if (!read_fte_change(c, t, path, o)) d.ok = false;
    if (o.to == kNone) d.ok = false;
    else o.event = intern_event(events, event);
    d.tr.outcomes.push_back(o);
  } else if (!read_branch(c, *br, t, path, d.from_name, d.tr, events)) {
    d.ok = false;
  }
  if (ev && br) {
    c.r.error(*ev, fmt::format("{}: with a branch, give each outcome its own event", path));
    d.ok = false;
  }
  if (!br && t.get("branch_by")) {
    c.r.error(*t.get("branch_by"), fmt::format("{}.branch_by needs a branch", path));
    d.ok = false;
  }
}

}  // namespace

TransitionsSection read_transitions(const Context& c, TableView& top, EventNames& events) {
  TransitionsSection out;
  const toml::node* n = top.get("transitions");
  if (!n) return out;
  const toml::array* arr = n->as_array();
  if (!arr) {
    c.r.error(*n, "transitions must be an array of tables ([[transitions]])");
    return out;
  }
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const toml::node& tn = *arr->get(i);
    const std::string path = fmt::format("transitions.{}", i);
    if (!tn.is_table()) {
      c.r.error(tn, fmt::format("{} must be a table", describe_path(path)));
      continue;
    }
    TableView t(c.r, *tn.as_table(), path);
    Draft d;
    read_from(c, t, path, d);
    read_timing(c, t, tn, path, d);
    read_hazard_options(c, t, path, d);
    read_ratios(c, t, path, d);
    read_destination(c, t, tn, path, d, events);
    t.finish();
    if (!d.ok) continue;
    if (d.opens_on) {
      // A transition that opens on a date: its hazard is zero before then.
      model::Modifier m;
      m.name = fmt::format("transitions.{} opens", out.transitions.size());
      m.transitions = {static_cast<int>(out.transitions.size())};
      m.factor = 0.0;
      m.until_day = *d.opens_on;
      out.openings.push_back(m);
    }
    out.transitions.push_back(std::move(d.tr));
  }
  return out;
}

}  // namespace tsim::scenario
