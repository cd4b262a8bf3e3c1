#include "sim/model/pipeline_view.hpp"

#include <algorithm>
#include <boost/graph/strong_components.hpp>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <ostream>
#include <set>

namespace tsim::model {

namespace {

// Text inside a double-quoted Graphviz string: backslashes and quotes escaped.
std::string dot_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string date_of(const ScenarioSpec& spec, double day) {
  return core::format_date(core::civil_from_days(core::days_from_civil(spec.start_date) +
                                                 static_cast<std::int64_t>(std::floor(day))));
}

// "245 places a year on 09-01, 2020-09-01 to 2029-09-01 (10 intakes, 2,450 places)".
std::string describe_intakes(const ScenarioSpec& spec, const RouteSpec& r) {
  std::vector<std::string> parts;
  if (r.poisson_per_day > 0) parts.push_back(fmt::format("Poisson arrivals, {:.4g} a year", r.poisson_per_day * core::kDaysPerYear));
  std::int64_t places = 0;
  bool pull = false;
  for (const auto& in : r.intakes) {
    places += in.places;
    pull = pull || in.establishment >= 0;
  }
  if (!r.intakes.empty()) {
    const std::string when = r.intakes.size() == 1
                                 ? "on " + date_of(spec, r.intakes.front().day)
                                 : fmt::format("{} to {}", date_of(spec, r.intakes.front().day),
                                               date_of(spec, r.intakes.back().day));
    if (pull)
      parts.push_back(fmt::format("{} intake(s) {}, filling vacancies up to an establishment (pull)", r.intakes.size(), when));
    else
      parts.push_back(fmt::format("{} intake(s) {}, {} places in all", r.intakes.size(), when, places));
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

std::string span_text(const core::Span& s) {
  if (s.months == 0 && s.days == 0) return "";
  if (s.days == 0) return s.months % 12 == 0 ? fmt::format(" after {} year(s) in the state", s.months / 12)
                                             : fmt::format(" after {} month(s) in the state", s.months);
  return fmt::format(" after {:.4g} days in the state", s.days + s.months * core::kDaysPerMonth);
}

std::string state_tags(const ScenarioSpec& spec, const StateSpec& st) {
  std::string tags = to_string(st.role);
  if (!st.profession.empty()) tags += ", " + st.profession;
  if (st.band != kNone) tags += fmt::format(", band {}", st.band);
  if (st.qualified) tags += ", qualified";
  if (st.needs_pool != kNone) tags += ", needs " + spec.pools[st.needs_pool].name;
  if (st.occupies_pool != kNone) tags += ", occupies " + spec.pools[st.occupies_pool].name;
  if (st.provides.pool != kNone)
    tags += fmt::format(", provides {} slot(s) of {}{}", st.provides.slots, spec.pools[st.provides.pool].name,
                        span_text(st.provides.after));
  return tags;
}

void write_pools_text(const ScenarioSpec& spec, std::ostream& out) {
  if (spec.pools.empty()) return;
  out << "\nPools (supervision, funded posts):\n";
  for (std::size_t p = 0; p < spec.pools.size(); ++p) {
    const auto& pool = spec.pools[p];
    std::vector<std::string> providers, needers, occupiers;
    for (const auto& st : spec.states) {
      if (st.provides.pool == static_cast<int>(p))
        providers.push_back(fmt::format("{} ({} slot(s) each{})", st.name, st.provides.slots, span_text(st.provides.after)));
      if (st.needs_pool == static_cast<int>(p)) needers.push_back(st.name);
      if (st.occupies_pool == static_cast<int>(p)) occupiers.push_back(st.name);
    }
    auto join = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
      return s.empty() ? std::string("nobody") : s;
    };
    out << fmt::format("  {}: {} fixed slot(s), {}\n", pool.name, pool.fixed_capacity,
                       pool.discipline == QueueDiscipline::fifo ? "first come, first served" : "by priority");
    if (pool.consumed) {
      std::int64_t added = 0;
      for (const auto& change : pool.capacity_changes) added += change.second;
      out << fmt::format("    labour pool: a hire uses a candidate up; {:+} candidate(s) over the run; unused ones leave at "
                         "{:.3g} a year\n", added, pool.idle_leaving_per_day * core::kDaysPerYear);
    }
    out << fmt::format("    provided by: {}\n", join(providers));
    if (!needers.empty()) out << fmt::format("    needed by:   {}\n", join(needers));
    if (!occupiers.empty()) out << fmt::format("    occupied by: {}\n", join(occupiers));
    if (pool.renege_to != kNone) out << fmt::format("    people who wait too long go to {}\n", spec.states[pool.renege_to].name);
  }
}

}  // namespace

std::vector<int> state_stages(const ScenarioSpec& spec, const CareerGraph& graph) {
  const auto& g = graph.graph();
  const std::size_t n = spec.states.size();
  std::vector<int> component(n, 0);
  const int components =
      n == 0 ? 0
             : boost::strong_components(g, boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, g)));
  // Longest path over the condensation (a DAG), from the entry states. Boost
  // numbers components in reverse topological order, so walking components
  // from the highest number visits every predecessor first.
  std::vector<std::vector<int>> members(static_cast<std::size_t>(components));
  for (std::size_t v = 0; v < n; ++v) members[component[v]].push_back(static_cast<int>(v));
  std::vector<int> stage(static_cast<std::size_t>(components), -1);
  for (const auto& r : spec.routes) stage[component[r.enters]] = 0;
  for (const auto& s : spec.stock) stage[component[s.state]] = std::max(stage[component[s.state]], 0);
  for (int c = components - 1; c >= 0; --c) {
    if (stage[c] < 0) continue;
    for (int v : members[c])
      for (auto [e, end] = boost::out_edges(v, g); e != end; ++e) {
        const int d = component[boost::target(*e, g)];
        if (d != c) stage[d] = std::max(stage[d], stage[c] + 1);
      }
  }
  int last = 0;
  for (std::size_t v = 0; v < n; ++v)
    if (spec.states[v].kind != StateKind::exit) last = std::max(last, stage[component[v]]);
  std::vector<int> out(n);
  for (std::size_t v = 0; v < n; ++v) {
    const int s = stage[component[v]];
    out[v] = spec.states[v].kind == StateKind::exit ? last + 1 : s < 0 ? last + 2 : s;
  }
  return out;
}

std::vector<int> pipeline_order(const ScenarioSpec& spec, const CareerGraph& graph) {
  const auto stage = state_stages(spec, graph);
  std::vector<int> order(spec.states.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return stage[a] < stage[b]; });
  return order;
}

void write_pipeline_text(const ScenarioSpec& spec, const CareerGraph& graph, std::ostream& out) {
  out << fmt::format("scenario {}: {} states, {} transitions, {} pools, {} routes\n", spec.name, spec.states.size(),
                     spec.transitions.size(), spec.pools.size(), spec.routes.size());
  out << fmt::format("from {} to {} ({:.0f} days)\n", core::format_date(spec.start_date), date_of(spec, spec.horizon_days), spec.horizon_days);
  out << "\nWays in:\n";
  for (const auto& r : spec.routes)
    out << fmt::format("  route {} -> {}: {}\n", r.name, spec.states[r.enters].name, describe_intakes(spec, r));
  for (const auto& s : spec.stock)
    out << fmt::format("  initial stock {} -> {}: {} people\n", s.name, spec.states[s.state].name, s.count);
  write_pools_text(spec, out);
  const auto stage = state_stages(spec, graph);
  const auto& g = graph.graph();
  out << "\nPipeline, in stage order from the ways in to the exits:\n";
  int shown = -1;
  for (int s : pipeline_order(spec, graph)) {
    const auto& st = spec.states[s];
    if (stage[s] != shown) {
      shown = stage[s];
      const bool exits = st.kind == StateKind::exit;
      out << (exits ? "\n exits\n" : fmt::format("\n stage {}\n", shown + 1));
    }
    out << fmt::format("  {} [{}]\n", st.name, state_tags(spec, st));
    for (auto [e, end] = boost::out_edges(s, g); e != end; ++e)
      out << fmt::format("    -> {:<28} {}\n", spec.states[boost::target(*e, g)].name, g[*e].label);
  }
}

void write_pipeline_dot(const ScenarioSpec& spec, const CareerGraph& graph, std::ostream& out) {
  const auto stage = state_stages(spec, graph);
  const auto& g = graph.graph();
  out << "digraph G {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=9];\n";
  out << fmt::format("  label=\"{}\";\n  labelloc=t;\n", dot_escape("scenario " + spec.name));
  for (std::size_t v = 0; v < spec.states.size(); ++v) {
    const auto& st = spec.states[v];
    const char* shape = st.kind == StateKind::exit       ? "doubleoctagon"
                        : st.kind == StateKind::training ? "box"
                        : st.kind == StateKind::waiting  ? "ellipse"
                                                         : "box, style=rounded";
    std::string label = st.name;
    if (st.band != kNone) label += fmt::format("\nband {}", st.band);
    out << fmt::format("  s{} [label=\"{}\", shape={}];\n", v, dot_escape(label), shape);
  }
  // One rank per stage, so the picture reads left to right like the text.
  std::map<int, std::vector<std::size_t>> by_stage;
  for (std::size_t v = 0; v < stage.size(); ++v) by_stage[stage[v]].push_back(v);
  for (const auto& [s, vs] : by_stage) {
    out << "  { rank=same;";
    for (auto v : vs) out << fmt::format(" s{};", v);
    out << " }\n";
  }
  for (auto [e, end] = boost::edges(g); e != end; ++e)
    out << fmt::format("  s{} -> s{} [label=\"{}\"];\n", boost::source(*e, g), boost::target(*e, g), dot_escape(g[*e].label));
  for (std::size_t r = 0; r < spec.routes.size(); ++r) {
    const auto& route = spec.routes[r];
    out << fmt::format("  r{} [label=\"{}\", shape=cds, style=filled, fillcolor=\"#e8f0fe\"];\n  r{} -> s{};\n", r,
                       dot_escape("route " + route.name + "\n" + describe_intakes(spec, route)), r, route.enters);
  }
  for (std::size_t k = 0; k < spec.stock.size(); ++k)
    out << fmt::format("  k{} [label=\"{}\", shape=folder];\n  k{} -> s{};\n", k,
                       dot_escape(fmt::format("stock {}\n{} people", spec.stock[k].name, spec.stock[k].count)), k,
                       spec.stock[k].state);
  for (std::size_t p = 0; p < spec.pools.size(); ++p) {
    out << fmt::format("  p{} [label=\"{}\", shape=cylinder, style=filled, fillcolor=\"#fff4d6\"];\n", p,
                       dot_escape("pool " + spec.pools[p].name));
    for (std::size_t v = 0; v < spec.states.size(); ++v) {
      const auto& st = spec.states[v];
      if (st.provides.pool == static_cast<int>(p))
        out << fmt::format("  s{} -> p{} [style=dashed, color=\"#b07d00\", label=\"provides {}\", constraint=false];\n", v, p, st.provides.slots);
      if (st.needs_pool == static_cast<int>(p) || st.occupies_pool == static_cast<int>(p))
        out << fmt::format("  p{} -> s{} [style=dashed, color=\"#b07d00\", label=\"{}\", constraint=false];\n", p, v,
                           st.needs_pool == static_cast<int>(p) ? "needed by" : "occupied by");
    }
  }
  out << "}\n";
}

}  // namespace tsim::model
