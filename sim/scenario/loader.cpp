#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <numeric>
#include <set>
#include <sstream>

#include "sim/core/sha256.hpp"
#include "sim/model/career_graph.hpp"
#include "sim/scenario/overrides.hpp"
#include "sim/scenario/policy_merge.hpp"
#include "sim/scenario/reader.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/source_file.hpp"

namespace tsim::scenario {

using model::kNone;

namespace {

constexpr double kProbabilityTolerance = 1e-6;

class Builder {
 public:
  Builder(Reader& r, const toml::table& root) : r_(r), root_(root) {}

  model::ScenarioSpec build() {
    TableView top(r_, root_, "");
    read_header(top);
    read_parameters(top);
    read_attributes(top);
    read_pool_names(top);
    read_states(top);
    read_pools();
    read_transitions(top);
    read_routes(top);
    read_stock(top);
    read_census();
    read_modifiers(top);
    for (const auto& [transition, day] : opens_on_) {
      // A transition that opens on a date: its hazard is zero before then.
      model::Modifier m;
      m.name = fmt::format("transitions.{} opens", transition);
      m.transitions = {static_cast<int>(transition)};
      m.factor = 0.0;
      m.until_day = day;
      spec_.modifiers.push_back(m);
    }
    read_place_changes(top);
    top.finish();
    if (r_.diags.empty()) check_graph();
    return std::move(spec_);
  }

 private:
  // ---- helpers ----------------------------------------------------------
  const toml::table* table_at(TableView& parent, std::string_view key, bool required, std::string_view what) {
    const toml::node* n = required ? parent.require(key, what) : parent.get(key);
    if (!n) return nullptr;
    if (!n->is_table()) {
      r_.error(*n, fmt::format("'{}' in {} must be a table ({})", key, describe_path(parent.path()), what));
      return nullptr;
    }
    return n->as_table();
  }

  std::string child_path(const std::string& parent, std::string_view key) {
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
  }

  int state_ref(const toml::node& n, std::string_view what) {
    auto s = r_.string(n, what);
    if (!s) return kNone;
    const int i = spec_.state_index(*s);
    if (i == kNone) {
      std::vector<std::string> names;
      for (const auto& st : spec_.states) names.push_back(st.name);
      r_.error(n, fmt::format("{} refers to undeclared state '{}'{}", what, *s, core::did_you_mean(*s, names)));
    }
    return i;
  }

  int attribute_ref(const std::string& name, const toml::source_region& at, std::string_view what) {
    for (std::size_t i = 0; i < spec_.attributes.size(); ++i)
      if (spec_.attributes[i].name == name) return static_cast<int>(i);
    std::vector<std::string> names;
    for (const auto& a : spec_.attributes) names.push_back(a.name);
    r_.error(at, fmt::format("{} refers to undeclared attribute '{}'{}", what, name, core::did_you_mean(name, names)));
    return kNone;
  }

  int level_ref(int attribute, const std::string& level, const toml::source_region& at, std::string_view what) {
    const auto& levels = spec_.attributes[attribute].levels;
    for (std::size_t i = 0; i < levels.size(); ++i)
      if (levels[i] == level) return static_cast<int>(i);
    r_.error(at, fmt::format("{}: '{}' is not a level of attribute '{}'{}", what, level, spec_.attributes[attribute].name,
                             core::did_you_mean(level, levels)));
    return kNone;
  }

  int pool_ref(const toml::node& n, std::string_view what) {
    auto s = r_.string(n, what);
    if (!s) return kNone;
    for (std::size_t i = 0; i < spec_.pools.size(); ++i)
      if (spec_.pools[i].name == *s) return static_cast<int>(i);
    std::vector<std::string> names;
    for (const auto& p : spec_.pools) names.push_back(p.name);
    r_.error(n, fmt::format("{} refers to undeclared pool '{}'{}", what, *s, core::did_you_mean(*s, names)));
    return kNone;
  }

  /// A days/years pair of keys, exactly one or none present. Returns days.
  std::optional<double> duration_days(TableView& t, std::string_view days_key, std::string_view years_key,
                                      std::string_view what, bool required) {
    const toml::node* d = t.get(days_key);
    const toml::node* y = t.get(years_key);
    if (d && y) {
      r_.error(*y, fmt::format("{}: give either '{}' or '{}', not both", what, days_key, years_key));
      return std::nullopt;
    }
    if (!d && !y) {
      if (required)
        r_.error(t.table(), fmt::format("{} needs '{}' or '{}' ({})", describe_path(t.path()), days_key, years_key, what));
      return std::nullopt;
    }
    auto v = r_.number(d ? *d : *y, what);
    if (!v) return std::nullopt;
    if (*v < 0) {
      r_.error(d ? *d : *y, fmt::format("{} must not be negative, got {}", what, *v));
      return std::nullopt;
    }
    return *v * (d ? 1.0 : core::kDaysPerYear);
  }

  /// Probabilities/weights per level, as an array in level order or a table by level name.
  std::optional<std::vector<double>> level_weights(int attribute, const toml::node& n, std::string_view what,
                                                   bool must_sum_to_one) {
    const auto& levels = spec_.attributes[attribute].levels;
    std::vector<double> w(levels.size(), 0.0);
    if (const auto* t = n.as_table()) {
      bool ok = true;
      for (auto&& [k, v] : *t) {
        const int level = level_ref(attribute, std::string(k.str()), k.source(), what);
        auto x = r_.number(v, fmt::format("{} {}", what, k.str()));
        if (level == kNone || !x) {
          ok = false;
          continue;
        }
        w[level] = *x;
      }
      if (!ok) return std::nullopt;
    } else {
      auto arr = r_.numbers(n, what);
      if (!arr) return std::nullopt;
      if (arr->size() != levels.size()) {
        r_.error(n, fmt::format("{} has {} values but attribute '{}' has {} levels", what, arr->size(),
                                spec_.attributes[attribute].name, levels.size()));
        return std::nullopt;
      }
      w = *arr;
    }
    double sum = 0;
    for (double x : w) {
      if (x < 0) {
        r_.error(n, fmt::format("{}: shares must not be negative", what));
        return std::nullopt;
      }
      sum += x;
    }
    if (must_sum_to_one ? std::fabs(sum - 1.0) > kProbabilityTolerance : !(sum > 0)) {
      r_.error(n, fmt::format("{}: shares must sum to 1, got {:.9g}", what, sum));
      return std::nullopt;
    }
    return w;
  }

  // ---- sections ---------------------------------------------------------
  void read_header(TableView& top) {
    const toml::table* sc = table_at(top, "scenario", true, "name, start date, horizon and census");
    if (!sc) return;
    TableView t(r_, *sc, "scenario");
    if (const auto* n = t.require("name", "used in output paths")) {
      if (auto s = r_.string(*n, "scenario.name")) {
        if (!is_safe_name(*s))
          r_.error(*n, fmt::format("scenario.name '{}' must be 1-100 letters, digits, '_', '-' or '.', and not contain "
                                   "'..' (it becomes part of output paths)",
                                   *s));
        spec_.name = *s;
      }
    }
    if (const auto* n = t.get("description")) (void)r_.string(*n, "scenario.description");
    if (const auto* n = t.get("sources")) (void)r_.strings(*n, "scenario.sources");
    if (const auto* n = t.require("start_date", "e.g. 2020-04-01")) {
      std::optional<core::Date> d;
      if (const auto* td = n->as_date()) d = core::Date{td->get().year, td->get().month, td->get().day};
      else if (const auto* s = n->as_string()) d = core::parse_date(s->get());
      if (!d || !core::is_valid(*d)) r_.error(*n, "scenario.start_date must be a date such as 2020-04-01");
      else spec_.start_date = *d;
    }
    if (auto h = duration_days(t, "horizon_days", "horizon_years", "scenario horizon", true)) {
      const toml::node* at = t.get("horizon_days") ? t.get("horizon_days") : t.get("horizon_years");
      if (!(*h > 0) || *h > 1000 * core::kDaysPerYear)
        r_.error(*at, fmt::format("the scenario horizon must be more than 0 and at most 1000 years, got {} days", *h));
      else spec_.horizon_days = *h;
    }
    census_node_ = t.get("census");
    t.finish();
  }

  void read_parameters(TableView& top) {
    const toml::table* p = table_at(top, "parameters", false, "named values other keys refer to");
    r_.set_parameters(p);
    if (!p) return;
    for (auto&& [k, v] : *p) {
      if (!is_safe_name(std::string(k.str())) || std::isdigit(static_cast<unsigned char>(k.str()[0])))
        r_.error(k.source(), fmt::format("parameter name '{}' must start with a letter and use letters, digits or '_'",
                                         k.str()));
      (void)r_.parameter(k.str());
    }
  }

  void read_attributes(TableView& top) {
    const toml::table* attrs = table_at(top, "attributes", false, "categorical attributes");
    if (!attrs) return;
    for (auto&& [k, v] : *attrs) {
      const std::string name(k.str());
      const std::string path = child_path("attributes", name);
      if (!v.is_table()) {
        r_.error(v, fmt::format("{} must be a table with 'levels'", describe_path(path)));
        continue;
      }
      if (name == "route") r_.error(k.source(), "'route' is reserved (it is the route column); pick another name");
      TableView t(r_, *v.as_table(), path);
      model::AttributeSpec a;
      a.name = name;
      a.purpose_index = model::name_hash(name) & 0xFFFFFFu;
      for (const auto& other : spec_.attributes)
        if (other.purpose_index == a.purpose_index)
          r_.error(k.source(), fmt::format("attributes '{}' and '{}' share a random stream (a hash collision); rename one", other.name, name));
      if (const auto* n = t.require("levels", "the level names")) {
        if (auto levels = r_.strings(*n, path + ".levels")) {
          std::set<std::string> seen;
          for (const auto& l : *levels)
            if (!seen.insert(l).second) r_.error(*n, fmt::format("level '{}' is listed twice", l));
          if (levels->empty() || levels->size() > 255)
            r_.error(*n, fmt::format("{}.levels must have 1 to 255 levels, got {}", path, levels->size()));
          a.levels = *levels;
        }
      }
      spec_.attributes.push_back(a);
      if (const auto* n = t.get("population"); n && !a.levels.empty()) {
        if (auto w = level_weights(static_cast<int>(spec_.attributes.size() - 1), *n, path + ".population", true))
          spec_.attributes.back().population = *w;
      }
      t.finish();
    }
  }

  void read_pool_names(TableView& top) {
    pools_ = table_at(top, "pools", false, "capacity-limited resources such as supervision");
    if (!pools_) return;
    for (auto&& [k, v] : *pools_) {
      model::PoolSpec p;
      p.name = std::string(k.str());
      spec_.pools.push_back(p);
    }
  }

  void read_states(TableView& top) {
    const toml::table* states = table_at(top, "states", true, "the career graph's states");
    if (!states) return;
    for (auto&& [k, v] : *states) {
      model::StateSpec s;
      s.name = std::string(k.str());
      spec_.states.push_back(s);
    }
    if (spec_.states.size() > 30000) r_.error(*states, "too many states (at most 30000)");
    std::size_t i = 0;
    for (auto&& [k, v] : *states) {
      model::StateSpec& s = spec_.states[i++];
      const std::string path = child_path("states", s.name);
      if (!v.is_table()) {
        r_.error(v, fmt::format("{} must be a table with at least 'kind'", describe_path(path)));
        continue;
      }
      TableView t(r_, *v.as_table(), path);
      if (const auto* n = t.require("kind", "waiting, training, post or exit")) {
        if (auto kind = r_.string(*n, path + ".kind")) {
          if (*kind == "waiting") s.kind = model::StateKind::waiting;
          else if (*kind == "training") s.kind = model::StateKind::training;
          else if (*kind == "post") s.kind = model::StateKind::post;
          else if (*kind == "exit") s.kind = model::StateKind::exit;
          else {
            r_.error(*n, fmt::format("{}.kind must be waiting, training, post or exit, got '{}'{}", path, *kind,
                                     core::did_you_mean(*kind, {"waiting", "training", "post", "exit"})));
          }
        }
      }
      if (const auto* n = t.get("profession")) s.profession = r_.string(*n, path + ".profession").value_or("");
      if (const auto* n = t.get("band")) s.band = static_cast<int>(r_.integer(*n, path + ".band", 1, 9).value_or(kNone));
      if (const auto* n = t.get("qualified")) s.qualified = r_.boolean(*n, path + ".qualified").value_or(false);
      {
        const toml::node* cd = t.get("cost_per_day");
        const toml::node* cy = t.get("cost_per_year");
        if (cd && cy) r_.error(*cy, fmt::format("{}: give cost_per_day or cost_per_year, not both", path));
        else if (cd || cy) {
          auto c = r_.number(cd ? *cd : *cy, path + (cd ? ".cost_per_day" : ".cost_per_year"));
          if (c && *c < 0) r_.error(cd ? *cd : *cy, fmt::format("{}: costs must not be negative", path));
          else if (c) s.cost_per_day = cd ? *c : *c / core::kDaysPerYear;
        }
      }
      if (const auto* n = t.get("needs")) s.needs_pool = pool_ref(*n, path + ".needs");
      if (const auto* n = t.get("occupies")) {
        s.occupies_pool = pool_ref(*n, path + ".occupies");
        if (t.get("needs"))
          r_.error(*n, fmt::format("{}: a state either needs a pool (waits for a slot) or occupies one (fills a post), not both", path));
      }
      if (const auto* n = t.get("provides")) {
        if (!n->is_table()) {
          r_.error(*n, fmt::format("{}.provides must be a table {{ pool, slots, after_years_in_state }}", path));
        } else {
          TableView pt(r_, *n->as_table(), path + ".provides");
          if (const auto* pn = pt.require("pool", "which pool")) s.provides.pool = pool_ref(*pn, path + ".provides.pool");
          if (const auto* sn = pt.require("slots", "slots per person"))
            s.provides.slots = static_cast<std::int32_t>(r_.integer(*sn, path + ".provides.slots", 0, 1000000).value_or(0));
          s.provides.after_days =
              duration_days(pt, "after_days_in_state", "after_years_in_state", path + ".provides delay", false)
                  .value_or(0.0);
          pt.finish();
        }
      }
      if (s.kind == model::StateKind::exit && (s.needs_pool != kNone || s.occupies_pool != kNone || s.provides.pool != kNone))
        r_.error(v, fmt::format("exit state '{}' cannot need or provide a pool", s.name));
      t.finish();
    }
    if (spec_.states.empty()) r_.error(*states, "[states] declares no states");
  }

  void read_pools() {
    if (!pools_) return;
    std::size_t i = 0;
    for (auto&& [k, v] : *pools_) {
      model::PoolSpec& p = spec_.pools[i++];
      const std::string path = child_path("pools", p.name);
      if (!v.is_table()) {
        r_.error(v, fmt::format("{} must be a table", describe_path(path)));
        continue;
      }
      TableView t(r_, *v.as_table(), path);
      std::string granted = p.name + "_granted", lost = p.name + "_lost";
      if (const auto* n = t.get("granted_event")) granted = r_.string(*n, path + ".granted_event").value_or(granted);
      if (const auto* n = t.get("lost_event")) lost = r_.string(*n, path + ".lost_event").value_or(lost);
      p.granted_event = spec_.intern_event(granted);
      p.lost_event = spec_.intern_event(lost);
      if (const auto* n = t.get("capacity"))
        p.fixed_capacity = r_.integer(*n, path + ".capacity", 0, kMaxPeople).value_or(0);
      if (const auto* n = t.get("capacity_changes")) {
        const toml::array* arr = n->as_array();
        if (!arr) r_.error(*n, fmt::format("{}.capacity_changes must be an array of {{ date, slots }}", path));
        for (std::size_t j = 0; arr && j < arr->size(); ++j) {
          const toml::node& cn = *arr->get(j);
          const std::string cpath = fmt::format("{}.capacity_changes.{}", path, j);
          if (!cn.is_table()) {
            r_.error(cn, fmt::format("{} must be a table {{ date, slots }}", cpath));
            continue;
          }
          TableView ct(r_, *cn.as_table(), cpath);
          const auto* dn = ct.require("date", "when the slots appear");
          const auto* sn = ct.require("slots", "how many fixed slots are added (negative: removed)");
          std::optional<double> day;
          std::optional<std::int64_t> slots;
          if (dn) day = day_of_date(*dn, cpath + ".date");
          if (sn) slots = r_.integer(*sn, cpath + ".slots", -kMaxPeople, kMaxPeople);
          if (day && (*day < 0 || *day >= spec_.horizon_days))
            r_.error(*dn, fmt::format("{}.date is outside the scenario", cpath));
          else if (day && slots) p.capacity_changes.emplace_back(*day, *slots);
          ct.finish();
        }
      }
      if (const auto* n = t.get("discipline")) {
        auto d = r_.string(*n, path + ".discipline");
        if (d && *d != "fifo") r_.error(*n, fmt::format("{}.discipline must be \"fifo\" (the only one so far), got '{}'", path, *d));
      }
      if (const auto* n = t.get("renege")) {
        if (!n->is_table()) {
          r_.error(*n, fmt::format("{}.renege must be a table {{ after_days, to }}", path));
        } else {
          TableView rt(r_, *n->as_table(), path + ".renege");
          p.renege_after_days = duration_days(rt, "after_days", "after_years", path + ".renege wait", true).value_or(0.0);
          if (const auto* tn = rt.require("to", "the state people go to when they give up"))
            p.renege_to = state_ref(*tn, path + ".renege.to");
          std::string event = p.name + "_renege";
          if (const auto* en = rt.get("event")) event = r_.string(*en, path + ".renege.event").value_or(event);
          p.renege_event = spec_.intern_event(event);
          rt.finish();
        }
      }
      t.finish();
    }
  }

  std::optional<model::Hazard> read_hazard(const toml::node& n, const std::string& path) {
    if (!n.is_table()) {
      r_.error(n, fmt::format("{} must be a table such as {{ per_year = 0.1 }}", path));
      return std::nullopt;
    }
    TableView t(r_, *n.as_table(), path);
    model::Hazard h;
    if (const auto* c = t.get("clock")) {
      auto s = r_.string(*c, path + ".clock");
      if (s == "age") h.clock = model::Hazard::Clock::age;
      else if (s && *s != "time_in_state")
        r_.error(*c, fmt::format("{}.clock must be \"time_in_state\" or \"age\", got '{}'", path, *s));
    }
    bool ok = t.exactly_one_of({"per_year", "per_day", "weibull", "gompertz"}, "the shape of the hazard");
    if (!ok) {
      t.allow({"breaks_years", "breaks_days"});
      t.finish();
      return std::nullopt;
    }
    if (const toml::node* rate = t.get("per_year") ? t.get("per_year") : t.get("per_day")) {
      const double scale = t.get("per_year") ? 1.0 / core::kDaysPerYear : 1.0;
      std::vector<double> rates;
      if (rate->is_array()) {
        auto v = r_.numbers(*rate, path + " rates");
        if (!v) ok = false;
        else rates = *v;
      } else if (auto v = r_.number(*rate, path + " rate")) {
        rates = {*v};
      } else {
        ok = false;
      }
      for (double x : rates)
        if (x < 0) {
          r_.error(*rate, fmt::format("{}: hazard rates must not be negative, got {}", path, x));
          ok = false;
        }
      std::vector<double> breaks{0.0};
      const toml::node* bn = t.get("breaks_years");
      const toml::node* bd = t.get("breaks_days");
      if (bn && bd) {
        r_.error(*bd, fmt::format("{}: give breaks_years or breaks_days, not both", path));
        ok = false;
      } else if (bn || bd) {
        auto v = r_.numbers(bn ? *bn : *bd, path + " breaks");
        if (!v) ok = false;
        else
          for (double x : *v) breaks.push_back(x * (bn ? core::kDaysPerYear : 1.0));
      }
      if (ok) {
        if (breaks.size() != rates.size()) {
          r_.error(*rate, fmt::format("{}: {} rates need {} breaks (where each later rate starts), got {}", path,
                                      rates.size(), rates.size() - 1, breaks.size() - 1));
          ok = false;
        }
        for (std::size_t i = 1; i < breaks.size(); ++i)
          if (!(breaks[i] > breaks[i - 1])) {
            r_.error(bn ? *bn : *bd, fmt::format("{}: breaks must be positive and increasing", path));
            ok = false;
            break;
          }
      }
      for (double& x : rates) x *= scale;
      h.shape = model::Hazard::Shape::piecewise;
      h.rates = rates;
      h.breaks = breaks;
    } else if (const toml::node* w = t.get("weibull")) {
      h.shape = model::Hazard::Shape::weibull;
      if (!w->is_table()) {
        r_.error(*w, fmt::format("{}.weibull must be {{ shape, scale_years }}", path));
        ok = false;
      } else {
        TableView wt(r_, *w->as_table(), path + ".weibull");
        auto k = r_.required_number(wt, "shape", "Weibull shape", path + ".weibull.shape");
        auto s = duration_days(wt, "scale_days", "scale_years", path + ".weibull scale", true);
        if (!k || !s || !(*k > 0) || !(*s > 0)) {
          if (k && s) r_.error(*w, fmt::format("{}.weibull shape and scale must be positive", path));
          ok = false;
        } else {
          h.weibull_shape = *k;
          h.weibull_scale = *s;
        }
        wt.finish();
      }
    } else if (const toml::node* g = t.get("gompertz")) {
      h.shape = model::Hazard::Shape::gompertz;
      if (!g->is_table()) {
        r_.error(*g, fmt::format("{}.gompertz must be {{ a_per_year, b_per_year }}", path));
        ok = false;
      } else {
        TableView gt(r_, *g->as_table(), path + ".gompertz");
        auto a = r_.required_number(gt, "a_per_year", "rate at clock 0", path + ".gompertz.a_per_year");
        auto b = r_.required_number(gt, "b_per_year", "growth per year", path + ".gompertz.b_per_year");
        if (!a || !b || *a < 0) {
          if (a && *a < 0) r_.error(*g, fmt::format("{}.gompertz.a_per_year must not be negative", path));
          ok = false;
        } else {
          h.gompertz_a = *a / core::kDaysPerYear;
          h.gompertz_b = *b / core::kDaysPerYear;
        }
        gt.finish();
      }
    }
    t.allow({"breaks_years", "breaks_days"});
    t.finish();
    if (!ok) return std::nullopt;
    return h;
  }

  void read_transitions(TableView& top) {
    const toml::node* n = top.get("transitions");
    if (!n) return;
    const toml::array* arr = n->as_array();
    if (!arr) {
      r_.error(*n, "transitions must be an array of tables ([[transitions]])");
      return;
    }
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const toml::node& tn = *arr->get(i);
      const std::string path = fmt::format("transitions.{}", i);
      if (!tn.is_table()) {
        r_.error(tn, fmt::format("{} must be a table", describe_path(path)));
        continue;
      }
      TableView t(r_, *tn.as_table(), path);
      model::TransitionSpec tr;
      bool ok = true;
      if (const auto* f = t.require("from", "the state it leaves")) tr.from = state_ref(*f, path + ".from");
      if (tr.from == kNone) ok = false;
      else if (spec_.states[tr.from].kind == model::StateKind::exit) {
        r_.error(*t.get("from"), fmt::format("{}: '{}' is an exit state; nobody leaves it", path, spec_.states[tr.from].name));
        ok = false;
      }
      const std::string from_name = tr.from == kNone ? "?" : spec_.states[tr.from].name;
      // When: after a duration, by a hazard, or at once.
      const toml::node* after_d = t.get("after_days");
      const toml::node* after_y = t.get("after_years");
      const toml::node* hz = t.get("hazard");
      if ((after_d != nullptr) + (after_y != nullptr) + (hz != nullptr) > 1) {
        r_.error(tn, fmt::format("{} takes at most one of after_days, after_years, hazard", describe_path(path)));
        ok = false;
      } else if (after_d || after_y) {
        tr.when = model::TransitionWhen::timed;
        auto d = r_.distribution(after_d ? *after_d : *after_y, path + (after_d ? ".after_days" : ".after_years"),
                                 after_d ? 1.0 : core::kDaysPerYear);
        if (d) tr.duration = *d;
        else ok = false;
      } else if (hz) {
        tr.when = model::TransitionWhen::hazard;
        auto h = read_hazard(*hz, path + ".hazard");
        if (h) tr.hazard = *h;
        else ok = false;
      }
      if (const auto* fd = t.get("from_date")) {
        if (tr.when != model::TransitionWhen::hazard) {
          r_.error(*fd, fmt::format("{}.from_date (a transition that opens on a date) needs a hazard", path));
          ok = false;
        } else if (auto day = day_of_date(*fd, path + ".from_date")) {
          opens_on_.emplace_back(spec_.transitions.size(), *day);  // index this transition will get
        }
      }
      if (const auto* ws = t.get("while_supervised")) {
        tr.supervised_only = r_.boolean(*ws, path + ".while_supervised").value_or(false);
        if (tr.when != model::TransitionWhen::hazard) {
          r_.error(*ws, fmt::format("{}.while_supervised applies to hazards (timed transitions out of a state that "
                                    "needs a pool always count supervised time only)", path));
          ok = false;
        }
      }
      if (tr.from != kNone && spec_.states[tr.from].needs_pool != kNone && tr.when == model::TransitionWhen::timed)
        tr.supervised_only = true;
      if (tr.supervised_only && tr.from != kNone && spec_.states[tr.from].needs_pool == kNone) {
        r_.error(*t.get("while_supervised"),
                 fmt::format("{}: state '{}' needs no pool, so there is no supervision to wait for", path, from_name));
        ok = false;
      }
      if (tr.supervised_only && tr.when == model::TransitionWhen::hazard && tr.hazard.clock == model::Hazard::Clock::age) {
        r_.error(*hz, fmt::format("{}: an age-clock hazard cannot run only while supervised", path));
        ok = false;
      }
      if (const auto* rn = t.get("ratio")) {
        if (tr.when != model::TransitionWhen::hazard) {
          r_.error(*rn, fmt::format("{}.ratio (hazard ratios) needs a hazard", path));
          ok = false;
        } else if (!rn->is_table()) {
          r_.error(*rn, fmt::format("{}.ratio must be a table {{ attribute = {{ Level = ratio }} }}", path));
          ok = false;
        } else {
          for (auto&& [ak, av] : *rn->as_table()) {
            const int a = attribute_ref(std::string(ak.str()), ak.source(), path + ".ratio");
            if (a == kNone) { ok = false; continue; }
            model::LevelFactors lf;
            lf.attribute = a;
            lf.factor.assign(spec_.attributes[a].levels.size(), 1.0);
            if (!av.is_table()) {
              r_.error(av, fmt::format("{}.ratio.{} must be a table {{ Level = ratio }}", path, ak.str()));
              ok = false;
              continue;
            }
            for (auto&& [lk, lv] : *av.as_table()) {
              const int level = level_ref(a, std::string(lk.str()), lk.source(), path + ".ratio");
              auto x = r_.number(lv, fmt::format("{}.ratio.{}.{}", path, ak.str(), lk.str()));
              if (level == kNone || !x) { ok = false; continue; }
              if (*x < 0) {
                r_.error(lv, fmt::format("hazard ratio must not be negative, got {}", *x));
                ok = false;
                continue;
              }
              lf.factor[level] = *x;
            }
            tr.ratios.push_back(lf);
          }
        }
      }
      // Where: one state, or a branch.
      const toml::node* to = t.get("to");
      const toml::node* br = t.get("branch");
      const toml::node* ev = t.get("event");
      if ((to != nullptr) == (br != nullptr)) {
        r_.error(tn, fmt::format("{} needs exactly one of 'to' (a state) or 'branch' (outcomes with probabilities)",
                                 describe_path(path)));
        ok = false;
      } else if (to) {
        model::Outcome o;
        o.to = state_ref(*to, path + ".to");
        std::string event = o.to == kNone ? "" : from_name + "->" + spec_.states[o.to].name;
        if (ev) event = r_.string(*ev, path + ".event").value_or(event);
        if (o.to == kNone) ok = false;
        else o.event = spec_.intern_event(event);
        tr.outcomes.push_back(o);
      } else if (!read_branch(*br, t, path, from_name, tr)) {
        ok = false;
      }
      if (ev && br) {
        r_.error(*ev, fmt::format("{}: with a branch, give each outcome its own event", path));
        ok = false;
      }
      if (!br && t.get("branch_by")) {
        r_.error(*t.get("branch_by"), fmt::format("{}.branch_by needs a branch", path));
        ok = false;
      }
      t.finish();
      if (ok) spec_.transitions.push_back(std::move(tr));
      else if (!opens_on_.empty() && opens_on_.back().first == spec_.transitions.size()) opens_on_.pop_back();
    }
  }

  bool read_branch(const toml::node& br, TableView& t, const std::string& path, const std::string& from_name,
                   model::TransitionSpec& tr) {
    const toml::array* arr = br.as_array();
    if (!arr || arr->empty()) {
      r_.error(br, fmt::format("{}.branch must be a non-empty array of {{ to, p }} tables", path));
      return false;
    }
    bool ok = true;
    double sum = 0;
    for (std::size_t j = 0; j < arr->size(); ++j) {
      const toml::node& on = *arr->get(j);
      const std::string opath = fmt::format("{}.branch.{}", path, j);
      if (!on.is_table()) {
        r_.error(on, fmt::format("{} must be a table {{ to, p }}", opath));
        ok = false;
        continue;
      }
      TableView ot(r_, *on.as_table(), opath);
      model::Outcome o;
      if (const auto* n = ot.require("to", "the outcome's state")) o.to = state_ref(*n, opath + ".to");
      if (const auto* n = ot.require("p", "its probability")) {
        auto p = r_.number(*n, opath + ".p");
        if (p && (*p < 0 || *p > 1)) {
          r_.error(*n, fmt::format("{}.p must be a probability in [0, 1], got {}", opath, *p));
          ok = false;
        }
        o.p = p.value_or(0);
        sum += o.p;
      }
      std::string event = o.to == kNone ? "" : from_name + "->" + spec_.states[o.to].name;
      if (const auto* n = ot.get("event")) event = r_.string(*n, opath + ".event").value_or(event);
      if (o.to == kNone) ok = false;
      else o.event = spec_.intern_event(event);
      ot.finish();
      tr.outcomes.push_back(o);
    }
    if (ok && std::fabs(sum - 1.0) > kProbabilityTolerance) {
      r_.error(br, fmt::format("{}.branch probabilities must sum to 1, got {:.9g}", path, sum));
      ok = false;
    }
    if (const auto* by = t.get("branch_by")) {
      if (!by->is_table()) {
        r_.error(*by, fmt::format("{}.branch_by must be {{ attribute, p = {{ Level = [...] }} }}", path));
        return false;
      }
      TableView bt(r_, *by->as_table(), path + ".branch_by");
      const auto* an = bt.require("attribute", "which attribute the probabilities depend on");
      const auto* pn = bt.require("p", "outcome probabilities per level");
      bt.finish();
      if (!an || !pn || !ok) return false;
      auto aname = r_.string(*an, path + ".branch_by.attribute");
      if (!aname) return false;
      const int a = attribute_ref(*aname, an->source(), path + ".branch_by");
      if (a == kNone) return false;
      if (!pn->is_table()) {
        r_.error(*pn, fmt::format("{}.branch_by.p must be a table {{ Level = [p per outcome] }}", path));
        return false;
      }
      tr.branch_attribute = a;
      std::vector<double> base;
      for (const auto& o : tr.outcomes) base.push_back(o.p);
      tr.branch_p_by_level.assign(spec_.attributes[a].levels.size(), base);
      for (auto&& [lk, lv] : *pn->as_table()) {
        const int level = level_ref(a, std::string(lk.str()), lk.source(), path + ".branch_by.p");
        auto row = r_.numbers(lv, fmt::format("{}.branch_by.p.{}", path, lk.str()));
        if (level == kNone || !row) { ok = false; continue; }
        if (row->size() != tr.outcomes.size()) {
          r_.error(lv, fmt::format("{}.branch_by.p.{} has {} probabilities for {} outcomes", path, lk.str(), row->size(),
                                   tr.outcomes.size()));
          ok = false;
          continue;
        }
        double s = 0;
        for (double x : *row) {
          if (x < 0 || x > 1) ok = false;
          s += x;
        }
        if (!ok || std::fabs(s - 1.0) > kProbabilityTolerance) {
          r_.error(lv, fmt::format("{}.branch_by.p.{} must be probabilities summing to 1, got sum {:.9g}", path,
                                   lk.str(), s));
          ok = false;
          continue;
        }
        tr.branch_p_by_level[level] = *row;
      }
    }
    return ok;
  }

  // mix, age_years, fte: who arrives.
  model::EntrantMix read_mix(TableView& t, const std::string& path) {
    model::EntrantMix m;
    const toml::table* mix = nullptr;
    if (const auto* n = t.get("mix")) {
      if (!n->is_table()) r_.error(*n, fmt::format("{}.mix must be a table {{ attribute = [shares] }}", path));
      else mix = n->as_table();
    }
    for (std::size_t a = 0; a < spec_.attributes.size(); ++a) {
      const auto& attr = spec_.attributes[a];
      const toml::node* n = mix ? mix->get(attr.name) : nullptr;
      if (n) {
        if (auto w = level_weights(static_cast<int>(a), *n, path + ".mix." + attr.name, true)) m.attribute_mix.push_back(*w);
        else m.attribute_mix.push_back(std::vector<double>(attr.levels.size(), 1.0));
      } else if (!attr.population.empty()) {
        m.attribute_mix.push_back(attr.population);  // default: the population benchmark
      } else {
        r_.error(mix ? static_cast<const toml::node&>(*mix) : static_cast<const toml::node&>(t.table()),
                 fmt::format("{} needs mix.{} (attribute '{}' has no population shares to default to)", path,
                             attr.name, attr.name));
        m.attribute_mix.push_back(std::vector<double>(std::max<std::size_t>(1, attr.levels.size()), 1.0));
      }
    }
    if (mix) {
      for (auto&& [k, v] : *mix) {
        bool known = false;
        for (const auto& a : spec_.attributes) known |= a.name == k.str();
        if (!known) attribute_ref(std::string(k.str()), k.source(), path + ".mix");
      }
    }
    if (const auto* n = t.get("age_years")) {
      if (auto d = r_.distribution(*n, path + ".age_years", 1.0)) m.age_years = *d;
    }
    if (const auto* n = t.get("fte")) {
      if (auto d = r_.distribution(*n, path + ".fte", 1.0)) {
        const bool sane = std::visit([](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, core::Fixed>) return x.value > 0 && x.value <= 1.5;
          else if constexpr (std::is_same_v<T, core::Uniform>) return x.lo >= 0 && x.hi <= 1.5;
          else if constexpr (std::is_same_v<T, core::Discrete>) {
            for (double v : x.values) if (v < 0 || v > 1.5) return false;
            return true;
          } else return true;
        }, *d);
        if (!sane) r_.error(*n, fmt::format("{}.fte must lie in (0, 1.5] (whole-time equivalent)", path));
        m.fte = *d;
      }
    }
    return m;
  }

  std::vector<model::Intake> read_intake_table(const toml::node& n, const std::string& path) {
    std::vector<model::Intake> out;
    if (!n.is_table()) {
      r_.error(n, fmt::format("{} must be a table {{ on = \"09-01\", places = N }} or {{ first_day, every_days, count, places }}", path));
      return out;
    }
    TableView t(r_, *n.as_table(), path);
    if (!t.exactly_one_of({"on", "first_day", "poisson_per_year", "poisson_per_day"},
                          "calendar date each year, a day number, or a Poisson arrival rate")) {
      t.allow({"places", "every_days", "count", "from_year", "to_year", "establishment", "counts"});
      t.finish();
      return out;
    }
    if (const toml::node* pn = t.get("poisson_per_year") ? t.get("poisson_per_year") : t.get("poisson_per_day")) {
      auto rate = r_.number(*pn, path + " Poisson rate");
      if (rate && !(*rate > 0)) r_.error(*pn, fmt::format("{}: the Poisson arrival rate must be positive", path));
      else if (rate) poisson_per_day_ += *rate / (t.get("poisson_per_year") ? core::kDaysPerYear : 1.0);
      t.finish();
      return out;
    }
    const toml::node* places = nullptr;
    bool pull = false;
    if (const toml::node* est = t.get("establishment")) {
      // Pull recruitment: the "places" are the funded establishment to fill.
      places = est;
      pull = true;
      if (t.get("places")) r_.error(*t.get("places"), fmt::format("{}: give places (push) or establishment (pull), not both", path));
      if (const auto* c = t.require("counts", "states whose headcount fills the establishment"))
        if (auto names = r_.strings(*c, path + ".counts")) {
          route_counts_ = *names;
          counts_node_ = c;
        }
    } else {
      places = t.require("places", "people recruited at each intake (or establishment, for pull recruitment)");
    }
    if (const toml::node* on = t.get("on")) {
      auto s = r_.string(*on, path + ".on");
      unsigned mm = 0, dd = 0;
      char tail = 0;
      if (s && (std::sscanf(s->c_str(), "%2u-%2u%c", &mm, &dd, &tail) != 2 || !core::is_valid(core::Date{2000, mm, dd}))) {
        r_.error(*on, fmt::format("{}.on must be a month-day such as \"09-01\", got '{}'", path, *s));
        s.reset();
      }
      const std::int64_t origin = core::days_from_civil(spec_.start_date);
      auto day_of = [&](int year) -> std::optional<double> {
        core::Date d{year, mm, dd};
        if (!core::is_valid(d)) d.day = 28;  // 29 February in a common year
        return static_cast<double>(core::days_from_civil(d) - origin);
      };
      if (s && places && places->is_table()) {
        for (auto&& [yk, yv] : *places->as_table()) {
          int year = 0;
          if (std::sscanf(std::string(yk.str()).c_str(), "%d%c", &year, &tail) != 1) {
            r_.error(yk.source(), fmt::format("{}.places keys must be years such as 2021, got '{}'", path, yk.str()));
            continue;
          }
          auto count = r_.integer(yv, fmt::format("{}.places.{}", path, year), 0, kMaxPeople);
          const double day = *day_of(year);
          if (day < 0 || day >= spec_.horizon_days) {
            r_.error(yk.source(), fmt::format("{}: the {} intake ({}-{:02}-{:02}) is outside the scenario ({} to {} days later)",
                                              path, year, year, mm, dd, core::format_date(spec_.start_date),
                                              spec_.horizon_days));
            continue;
          }
          if (count) out.push_back({day, *count});
        }
      } else if (s && places) {
        auto count = r_.integer(*places, path + ".places", 0, kMaxPeople);
        const int y0 = spec_.start_date.year;
        const int from = static_cast<int>(r_.optional_integer(t, "from_year", path + ".from_year", 1, 9999).value_or(y0));
        const int to = static_cast<int>(r_.optional_integer(t, "to_year", path + ".to_year", 1, 9999).value_or(9999));
        for (int year = from; count && year <= to; ++year) {
          const double day = *day_of(year);
          if (day >= spec_.horizon_days) break;
          if (day >= 0) out.push_back({day, *count});
        }
      }
    } else {
      auto first = r_.number(*t.get("first_day"), path + ".first_day");
      auto every = r_.optional_number(t, "every_days", path + ".every_days", 365.0);
      auto count = r_.optional_integer(t, "count", path + ".count", 1, 100000, 1);
      std::optional<std::int64_t> n_places;
      if (places) n_places = r_.integer(*places, path + ".places", 0, kMaxPeople);
      if (first && (*first < 0 || *first >= spec_.horizon_days)) {
        r_.error(*t.get("first_day"), fmt::format("{}.first_day {} is outside the scenario (0 to {} days)", path, *first,
                                                  spec_.horizon_days));
        first.reset();
      }
      if (every && !(*every > 0)) {
        r_.error(*t.get("every_days"), fmt::format("{}.every_days must be positive", path));
        every.reset();
      }
      if (first && every && count && n_places)
        for (std::int64_t k = 0; k < *count; ++k) {
          const double day = *first + static_cast<double>(k) * *every;
          if (day >= spec_.horizon_days) break;
          out.push_back({day, *n_places});
        }
    }
    t.finish();
    if (pull)
      for (auto& in : out) {
        in.establishment = in.places;
        in.places = 0;
      }
    return out;
  }

  void read_routes(TableView& top) {
    const toml::table* routes = table_at(top, "routes", false, "ways in: programme intakes");
    if (!routes) return;
    for (auto&& [k, v] : *routes) {
      model::RouteSpec route;
      route.name = std::string(k.str());
      route.key_source = 1 + model::name_hash(route.name) % 0x7FFFu;
      for (const auto& other : spec_.routes)
        if (other.key_source == route.key_source)
          r_.error(k.source(), fmt::format("routes '{}' and '{}' share a random key (a hash collision); rename one", other.name, route.name));
      const std::string path = child_path("routes", route.name);
      if (!v.is_table()) {
        r_.error(v, fmt::format("{} must be a table", describe_path(path)));
        continue;
      }
      TableView t(r_, *v.as_table(), path);
      if (const auto* n = t.require("enters", "the state recruits start in")) route.enters = state_ref(*n, path + ".enters");
      if (route.enters != kNone && spec_.states[route.enters].kind == model::StateKind::exit)
        r_.error(*t.get("enters"), fmt::format("{}.enters is an exit state", path));
      std::string event = "recruit";
      if (const auto* n = t.get("event")) event = r_.string(*n, path + ".event").value_or(event);
      route.event = spec_.intern_event(event);
      poisson_per_day_ = 0;
      if (const auto* n = t.require("intake", "when and how many are recruited")) {
        if (const auto* arr = n->as_array()) {
          for (std::size_t i = 0; i < arr->size(); ++i) {
            auto part = read_intake_table(*arr->get(i), fmt::format("{}.intake.{}", path, i));
            route.intakes.insert(route.intakes.end(), part.begin(), part.end());
          }
        } else {
          route.intakes = read_intake_table(*n, path + ".intake");
        }
      }
      std::stable_sort(route.intakes.begin(), route.intakes.end(), [](auto a, auto b) { return a.day < b.day; });
      route.poisson_per_day = poisson_per_day_;
      // Expected arrivals; the run stops at the limit long before a real scenario would reach it.
      people_ += static_cast<std::int64_t>(std::min(1e18, poisson_per_day_ * spec_.horizon_days));
      if (route.intakes.size() > 0xFFFF) r_.error(v, fmt::format("{} has more than 65535 intakes", path));
      for (const auto& in : route.intakes) people_ += in.places;
      route.mix = read_mix(t, path);
      for (const auto& name : route_counts_) {
        const int st = spec_.state_index(name);
        if (st == kNone) r_.error(*counts_node_, fmt::format("{}: counts refers to undeclared state '{}'", path, name));
        else route.counts.push_back(st);
      }
      route_counts_.clear();
      t.finish();
      spec_.routes.push_back(std::move(route));
    }
    if (spec_.routes.size() > 0x7FFF) r_.error(*routes, "too many routes (at most 32767)");
  }

  void read_stock(TableView& top) {
    spec_.stock_event = spec_.intern_event("initial_stock");
    const toml::table* stock = table_at(top, "stock", false, "the workforce in post on the start date");
    if (stock) {
      for (auto&& [k, v] : *stock) {
        model::StockSpec s;
        s.name = std::string(k.str());
        s.key_source = 0x8000u | (model::name_hash(s.name) & 0x7FFFu);
        for (const auto& other : spec_.stock)
          if (other.key_source == s.key_source)
            r_.error(k.source(), fmt::format("stock entries '{}' and '{}' share a random key (a hash collision); rename one", other.name, s.name));
        const std::string path = child_path("stock", k.str());
        if (!v.is_table()) {
          r_.error(v, fmt::format("{} must be a table", describe_path(path)));
          continue;
        }
        TableView t(r_, *v.as_table(), path);
        if (const auto* n = t.get("state")) {
          s.state = state_ref(*n, path + ".state");
        } else {
          s.state = spec_.state_index(std::string(k.str()));
          if (s.state == kNone)
            r_.error(k.source(), fmt::format("{}: no state named '{}'; add state = \"...\"", describe_path(path), k.str()));
        }
        if (s.state != kNone && spec_.states[s.state].kind == model::StateKind::exit)
          r_.error(v, fmt::format("{}: initial stock cannot start in an exit state", path));
        if (const auto* n = t.require("count", "how many people")) s.count = r_.integer(*n, path + ".count", 0, kMaxPeople).value_or(0);
        people_ += s.count;
        const toml::node* td = t.get("tenure_days");
        const toml::node* ty = t.get("tenure_years");
        if (td && ty) r_.error(*ty, fmt::format("{}: give tenure_days or tenure_years, not both", path));
        else if (td || ty)
          if (auto d = r_.distribution(td ? *td : *ty, path + (td ? ".tenure_days" : ".tenure_years"),
                                       td ? 1.0 : core::kDaysPerYear))
            s.tenure_days = *d;
        s.mix = read_mix(t, path);
        t.finish();
        spec_.stock.push_back(std::move(s));
      }
      if (spec_.stock.size() > 0x7FFF) r_.error(*stock, "too many stock entries (at most 32767)");
    }
    if (people_ > kMaxPeople)
      r_.error(root_, fmt::format("the scenario would create {} people; the limit is {}", people_, kMaxPeople));
    if (spec_.routes.empty() && spec_.stock.empty() && !spec_.states.empty())
      r_.error(root_, "the scenario has no routes and no stock: nobody would ever enter it");
  }

  void read_census() {
    if (!census_node_) return;
    if (!census_node_->is_table()) {
      r_.error(*census_node_, "scenario.census must be a table { every = \"quarter\", by = [...] }");
      return;
    }
    TableView t(r_, *census_node_->as_table(), "scenario.census");
    const toml::node* every = t.get("every");
    const toml::node* every_days = t.get("every_days");
    if (every && every_days) r_.error(*every_days, "scenario.census takes 'every' or 'every_days', not both");
    if (every) {
      auto s = r_.string(*every, "scenario.census.every");
      static const std::vector<std::pair<std::string, core::PeriodKind>> kinds{
          {"month", core::PeriodKind::month}, {"quarter", core::PeriodKind::quarter}, {"year", core::PeriodKind::year},
          {"financial_year", core::PeriodKind::financial_year}, {"academic_year", core::PeriodKind::academic_year}};
      bool found = false;
      for (const auto& [name, kind] : kinds)
        if (s && *s == name) {
          spec_.census.every = kind;
          found = true;
        }
      if (s && !found) {
        std::vector<std::string> names;
        for (const auto& kv : kinds) names.push_back(kv.first);
        r_.error(*every, fmt::format("scenario.census.every must be month, quarter, year, financial_year or academic_year, got '{}'{}",
                                     *s, core::did_you_mean(*s, names)));
      }
    } else if (every_days) {
      auto d = r_.number(*every_days, "scenario.census.every_days");
      if (d && !(*d >= 1)) r_.error(*every_days, "scenario.census.every_days must be at least 1");
      else if (d) {
        spec_.census.every = core::PeriodKind::days;
        spec_.census.every_days = *d;
      }
    }
    if (const auto* by = t.get("by")) {
      if (auto names = r_.strings(*by, "scenario.census.by")) {
        std::set<std::string> seen;
        double cells = 1;
        for (const auto& name : *names) {
          if (!seen.insert(name).second) {
            r_.error(*by, fmt::format("scenario.census.by lists '{}' twice", name));
            continue;
          }
          if (name == "route") {
            spec_.census.by.push_back(model::kRouteAttribute);
            cells *= static_cast<double>(spec_.routes.size() + 1);
            continue;
          }
          const int a = attribute_ref(name, by->source(), "scenario.census.by");
          if (a != kNone) {
            spec_.census.by.push_back(a);
            cells *= static_cast<double>(spec_.attributes[a].levels.size());
          }
        }
        const double states = static_cast<double>(spec_.states.size());
        if (cells * states * (states + 1) > 64e6)
          r_.error(*by, fmt::format("scenario.census.by gives {} attribute combinations over {} states: too many cells "
                                    "for the census and flow tables (keep states x states x combinations under 64 million)",
                                    cells, states));
      }
    }
    t.finish();
  }

  // A date (TOML date or "YYYY-MM-DD") as days since the start date.
  std::optional<double> day_of_date(const toml::node& n, std::string_view what) {
    std::optional<core::Date> d;
    if (const auto* td = n.as_date()) d = core::Date{td->get().year, td->get().month, td->get().day};
    else if (const auto* s = n.as_string()) d = core::parse_date(s->get());
    if (!d || !core::is_valid(*d)) {
      r_.error(n, fmt::format("{} must be a date such as 2021-04-01", what));
      return std::nullopt;
    }
    return static_cast<double>(core::days_between(spec_.start_date, *d));
  }

  void read_modifiers(TableView& top) {
    const toml::node* n = top.get("modifiers");
    if (!n) return;
    const toml::array* arr = n->as_array();
    if (!arr) {
      r_.error(*n, "modifiers must be an array of tables ([[modifiers]])");
      return;
    }
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const toml::node& mn = *arr->get(i);
      const std::string path = fmt::format("modifiers.{}", i);
      if (!mn.is_table()) {
        r_.error(mn, fmt::format("{} must be a table", describe_path(path)));
        continue;
      }
      TableView t(r_, *mn.as_table(), path);
      model::Modifier m;
      m.name = path;
      if (const auto* x = t.get("name")) m.name = r_.string(*x, path + ".name").value_or(m.name);
      if (const auto* x = t.require("factor", "the hazard multiplier")) {
        auto f = r_.number(*x, path + ".factor");
        if (f && *f < 0) r_.error(*x, fmt::format("{}.factor must not be negative, got {}", path, *f));
        else if (f) m.factor = *f;
      }
      if (const auto* x = t.get("from_date")) m.from_day = day_of_date(*x, path + ".from_date").value_or(m.from_day);
      if (const auto* x = t.get("until_date")) m.until_day = day_of_date(*x, path + ".until_date").value_or(m.until_day);
      if (const auto* x = t.get("years_in_state")) {
        auto w = r_.numbers(*x, path + ".years_in_state");
        if (w && (w->size() != 2 || (*w)[0] < 0 || !((*w)[1] > (*w)[0])))
          r_.error(*x, fmt::format("{}.years_in_state must be [from, until] with 0 <= from < until", path));
        else if (w) {
          m.in_state_from = (*w)[0] * core::kDaysPerYear;
          m.in_state_until = (*w)[1] * core::kDaysPerYear;
        }
      }
      if (const auto* x = t.get("for")) {
        if (!x->is_table()) {
          r_.error(*x, fmt::format("{}.for must be a table {{ attribute = [levels] }}", path));
        } else {
          for (auto&& [ak, av] : *x->as_table()) {
            const int a = attribute_ref(std::string(ak.str()), ak.source(), path + ".for");
            auto levels = r_.strings(av, fmt::format("{}.for.{}", path, ak.str()));
            if (a == kNone || !levels) continue;
            std::vector<bool> mask(spec_.attributes[a].levels.size(), false);
            for (const auto& l : *levels) {
              const int level = level_ref(a, l, av.source(), path + ".for");
              if (level != kNone) mask[level] = true;
            }
            m.only.emplace_back(a, mask);
          }
        }
      }
      // Which hazard transitions: every selector given must match.
      auto names = [&](const char* key) -> std::optional<std::vector<int>> {
        const toml::node* x = t.get(key);
        if (!x) return std::nullopt;
        std::vector<int> out;
        if (x->is_array()) {
          for (std::size_t j = 0; j < x->as_array()->size(); ++j) out.push_back(state_ref(*x->as_array()->get(j), path + "." + key));
        } else {
          out.push_back(state_ref(*x, path + "." + key));
        }
        return out;
      };
      const auto from = names("from");
      const auto to = names("to");
      std::optional<std::string> event, from_kind, to_kind;
      std::optional<bool> from_qualified;
      if (const auto* x = t.get("event")) event = r_.string(*x, path + ".event");
      if (const auto* x = t.get("from_kind")) from_kind = r_.string(*x, path + ".from_kind");
      if (const auto* x = t.get("to_kind")) to_kind = r_.string(*x, path + ".to_kind");
      if (const auto* x = t.get("from_qualified")) from_qualified = r_.boolean(*x, path + ".from_qualified");
      if (!from && !to && !event && !from_kind && !to_kind && !from_qualified) {
        r_.error(mn, fmt::format("{} needs a selector: from, to, event, from_kind, to_kind or from_qualified", describe_path(path)));
        t.finish();
        continue;
      }
      for (std::size_t k = 0; k < spec_.transitions.size(); ++k) {
        const auto& tr = spec_.transitions[k];
        if (tr.when != model::TransitionWhen::hazard) continue;
        bool ok = true;
        if (from) ok = ok && std::find(from->begin(), from->end(), tr.from) != from->end();
        if (from_kind) ok = ok && *from_kind == model::to_string(spec_.states[tr.from].kind);
        if (from_qualified) ok = ok && *from_qualified == spec_.states[tr.from].qualified;
        bool any_to = false;
        for (const auto& o : tr.outcomes) {
          bool hit = true;
          if (to) hit = hit && std::find(to->begin(), to->end(), o.to) != to->end();
          if (to_kind) hit = hit && *to_kind == model::to_string(spec_.states[o.to].kind);
          if (event) hit = hit && *event == spec_.events[o.event];
          any_to = any_to || hit;
        }
        if (ok && any_to) {
          if (tr.supervised_only) {
            r_.error(mn, fmt::format("{} selects a while_supervised hazard out of '{}'; modifiers apply to other hazards only",
                                     describe_path(path), spec_.states[tr.from].name));
            ok = false;
          }
          if (ok) m.transitions.push_back(static_cast<int>(k));
        }
      }
      if (m.transitions.empty() && r_.diags.empty())
        r_.error(mn, fmt::format("{} matches no hazard transition of this scenario", describe_path(path)));
      t.finish();
      spec_.modifiers.push_back(std::move(m));
    }
  }

  void read_place_changes(TableView& top) {
    const toml::node* n = top.get("place_changes");
    if (!n) return;
    const toml::array* arr = n->as_array();
    if (!arr) {
      r_.error(*n, "place_changes must be an array of tables ([[place_changes]])");
      return;
    }
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const toml::node& pn = *arr->get(i);
      const std::string path = fmt::format("place_changes.{}", i);
      if (!pn.is_table()) {
        r_.error(pn, fmt::format("{} must be a table", describe_path(path)));
        continue;
      }
      TableView t(r_, *pn.as_table(), path);
      int route = kNone;
      if (const auto* x = t.require("route", "which route's places change")) {
        if (auto name = r_.string(*x, path + ".route")) {
          for (std::size_t k = 0; k < spec_.routes.size(); ++k)
            if (spec_.routes[k].name == *name) route = static_cast<int>(k);
          if (route == kNone) {
            std::vector<std::string> names;
            for (const auto& r : spec_.routes) names.push_back(r.name);
            r_.error(*x, fmt::format("{}.route refers to undeclared route '{}'{}", path, *name,
                                     core::did_you_mean(*name, names)));
          }
        }
      }
      double from = 0;
      if (const auto* x = t.get("from_date")) from = day_of_date(*x, path + ".from_date").value_or(0);
      std::optional<double> factor, add;
      if (const auto* x = t.get("factor")) factor = r_.number(*x, path + ".factor");
      if (const auto* x = t.get("add")) add = r_.number(*x, path + ".add");
      if (!t.get("factor") && !t.get("add")) r_.error(pn, fmt::format("{} needs 'factor' or 'add'", describe_path(path)));
      if (factor && *factor < 0) r_.error(*t.get("factor"), fmt::format("{}.factor must not be negative", path));
      t.finish();
      if (route == kNone) continue;
      for (auto& in : spec_.routes[route].intakes) {
        if (in.day < from) continue;
        double places = static_cast<double>(in.places) * factor.value_or(1.0) + add.value_or(0.0);
        in.places = std::max<std::int64_t>(0, std::llround(places));
        if (in.establishment >= 0)
          in.establishment = std::max<std::int64_t>(0, std::llround(static_cast<double>(in.establishment) * factor.value_or(1.0) + add.value_or(0.0)));
      }
    }
  }

  void check_graph() {
    // A state left at once must have nothing else competing to leave it.
    std::vector<int> immediate(spec_.states.size(), 0), total(spec_.states.size(), 0);
    for (const auto& t : spec_.transitions) {
      ++total[t.from];
      if (t.when == model::TransitionWhen::immediate) ++immediate[t.from];
    }
    const toml::table* states = root_["states"].as_table();
    auto state_node = [&](int s) -> const toml::node& {
      const toml::node* n = states ? states->get(spec_.states[s].name) : nullptr;
      return n ? *n : static_cast<const toml::node&>(root_);
    };
    for (std::size_t s = 0; s < spec_.states.size(); ++s)
      if (immediate[s] > 0 && total[s] > 1)
        r_.error(state_node(static_cast<int>(s)),
                 fmt::format("state '{}' has a transition with no 'after_*' or 'hazard' (it fires at once) beside "
                             "other transitions; give it a timing or make it the only way out",
                             spec_.states[s].name));
    model::CareerGraph g(spec_);
    for (int s : g.unreachable_states())
      r_.error(state_node(s), fmt::format("state '{}' cannot be reached from any route or initial stock", spec_.states[s].name));
    for (int s : g.states_without_exit())
      r_.error(state_node(s), fmt::format("state '{}' is a dead end: no exit state can be reached from it (add a "
                                          "leaving hazard or a transition)",
                                          spec_.states[s].name));
    for (const auto& cycle : g.zero_time_cycles()) {
      std::string names;
      for (int s : cycle) names += (names.empty() ? "" : ", ") + spec_.states[s].name;
      r_.error(state_node(cycle.front()), fmt::format("states {} form a cycle that takes no time; people would loop for ever", names));
    }
  }

  Reader& r_;
  const toml::table& root_;
  model::ScenarioSpec spec_;
  const toml::table* pools_ = nullptr;
  const toml::node* census_node_ = nullptr;
  std::int64_t people_ = 0;
  double poisson_per_day_ = 0;  // of the route being read
  std::vector<std::pair<std::size_t, double>> opens_on_;  // (transition, day it opens)
  std::vector<std::string> route_counts_;  // pull recruitment: states named by the route being read
  const toml::node* counts_node_ = nullptr;
};

}  // namespace

LoadedScenario load_scenario_text(const std::string& text, const std::string& origin,
                                  const std::vector<Override>& overrides, const std::vector<std::string>& policy_paths) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw core::InputError(core::SourceLocation{origin}, "the file is empty; a scenario needs at least [scenario] and [states]");
  if (text.find('\0') != std::string::npos) {
    const auto at = text.find('\0');
    const auto line = static_cast<std::uint32_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n') + 1);
    throw core::InputError(core::SourceLocation{origin, line, 1}, "the file contains a NUL byte: it is binary, not TOML");
  }
  toml::table root = parse_toml(text, origin);
  Reader reader(origin);
  std::vector<PolicyInfo> policies;
  for (const auto& p : policy_paths) policies.push_back(apply_policy(root, p, reader));
  reader.diags.throw_if_any();
  apply_overrides(root, overrides, reader);
  reader.diags.throw_if_any();
  LoadedScenario out;
  out.spec = Builder(reader, root).build();
  reader.diags.throw_if_any();
  record_policies(out.spec, policies);
  std::ostringstream resolved;
  resolved << toml::toml_formatter(root) << '\n';
  out.resolved_text = resolved.str();
  out.sha256 = core::sha256_hex(out.resolved_text);
  out.path = origin;
  return out;
}

LoadedScenario load_scenario_file(const std::string& path, const std::vector<Override>& overrides,
                                  const std::vector<std::string>& policy_paths) {
  return load_scenario_text(read_source_file(path), path, overrides, policy_paths);
}

}  // namespace tsim::scenario
