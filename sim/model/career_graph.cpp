#include "sim/model/career_graph.hpp"

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/graphviz.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <fmt/format.h>
#include <ostream>
#include <set>

namespace tsim::model {

namespace {
// `held`: the pool whose slot runs the clock, for "while holding a <pool> slot"
// (a supervision pool or a labour pool alike).
std::string describe_when(const TransitionSpec& t, const std::string& held) {
  const std::string only = t.supervised_only ? " while holding a " + held + " slot" : "";
  switch (t.when) {
    case TransitionWhen::immediate:
      return "at once";
    case TransitionWhen::timed:
      return fmt::format("after {} (mean {:.4g} days){}", core::name(t.duration), core::mean(t.duration),
                         t.supervised_only ? " holding a " + held + " slot" : "");
    case TransitionWhen::hazard:
      if (t.hazard.shape == Hazard::Shape::piecewise && t.hazard.rates.size() == 1)
        return fmt::format("hazard {:.4g}/year{}", t.hazard.rates[0] * core::kDaysPerYear, only);
      return fmt::format("hazard ({}){}",
                         t.hazard.shape == Hazard::Shape::weibull    ? "weibull"
                         : t.hazard.shape == Hazard::Shape::gompertz ? "gompertz"
                                                                     : "piecewise",
                         only);
  }
  return {};
}

template <class G>
std::vector<bool> reach(const G& g, const std::vector<int>& sources) {
  std::vector<bool> seen(boost::num_vertices(g), false);
  std::vector<int> stack(sources.begin(), sources.end());
  for (int s : sources) seen[s] = true;
  while (!stack.empty()) {
    const int v = stack.back();
    stack.pop_back();
    for (auto [e, end] = boost::out_edges(v, g); e != end; ++e) {
      const auto w = static_cast<int>(boost::target(*e, g));
      if (!seen[w]) {
        seen[w] = true;
        stack.push_back(w);
      }
    }
  }
  return seen;
}
// A duration that is 0 with a probability above 0: a fixed 0, or a discrete
// distribution with a value of 0. (Continuous ones are 0 with probability 0;
// the run's watchdog catches cycles of durations that are merely tiny.)
bool can_take_no_time(const core::Distribution& d) {
  if (const auto* f = std::get_if<core::Fixed>(&d)) return f->value <= 0.0;
  if (const auto* disc = std::get_if<core::Discrete>(&d))
    for (std::size_t i = 0; i < disc->values.size(); ++i)
      if (disc->values[i] <= 0.0 && disc->table.probability(i) > 0.0) return true;
  return false;
}

// Text inside a double-quoted Graphviz string: backslashes and quotes escaped.
std::string dot_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out;
}

std::string renege_label(const PoolSpec& p) {
  if (const auto* fixed = std::get_if<core::Fixed>(&p.patience))
    return fmt::format("renege after {:.4g} days waiting for {}", fixed->value, p.name);
  return fmt::format("renege after a {} wait (mean {:.4g} days) for {}", core::name(p.patience), core::mean(p.patience),
                     p.name);
}

}  // namespace

CareerGraph::CareerGraph(const ScenarioSpec& spec) : spec_(&spec), graph_(spec.states.size()) {
  for (std::size_t i = 0; i < spec.transitions.size(); ++i) {
    const auto& t = spec.transitions[i];
    const bool zero = t.when == TransitionWhen::immediate || (t.when == TransitionWhen::timed && can_take_no_time(t.duration));
    for (const auto& o : t.outcomes) {
      const int pool = t.from == kNone ? kNone : spec.states[static_cast<std::size_t>(t.from)].needs_pool;
      std::string label = describe_when(t, pool == kNone ? "pool" : spec.pools[static_cast<std::size_t>(pool)].name);
      if (t.outcomes.size() > 1) label += fmt::format(", p={:.3g}", o.p);
      boost::add_edge(t.from, o.to, EdgeInfo{static_cast<int>(i), label, zero}, graph_);
    }
  }
  for (const auto& p : spec.pools) {
    if (p.renege_to == kNone) continue;
    for (std::size_t s = 0; s < spec.states.size(); ++s) {
      if (spec.states[s].needs_pool >= 0 && &spec.pools[spec.states[s].needs_pool] == &p)
        boost::add_edge(s, p.renege_to, EdgeInfo{kNone, renege_label(p), false}, graph_);
    }
  }
  std::set<int> entries;
  for (const auto& r : spec.routes) entries.insert(r.enters);
  for (const auto& s : spec.stock) entries.insert(s.state);
  entry_states_.assign(entries.begin(), entries.end());
}

std::vector<int> CareerGraph::unreachable_states() const {
  const auto seen = reach(graph_, entry_states_);
  std::vector<int> out;
  for (std::size_t v = 0; v < seen.size(); ++v)
    if (!seen[v]) out.push_back(static_cast<int>(v));
  return out;
}

std::vector<int> CareerGraph::states_without_exit() const {
  std::vector<int> exits;
  for (std::size_t s = 0; s < spec_->states.size(); ++s)
    if (spec_->states[s].kind == StateKind::exit) exits.push_back(static_cast<int>(s));
  // States that can reach an exit = states reachable from the exits on the reversed graph.
  const auto seen = reach(boost::make_reverse_graph(graph_), exits);
  std::vector<int> out;
  for (std::size_t v = 0; v < seen.size(); ++v)
    if (!seen[v]) out.push_back(static_cast<int>(v));
  return out;
}

std::vector<std::vector<int>> CareerGraph::zero_time_cycles() const {
  struct ZeroOnly {
    const Graph* g = nullptr;
    bool operator()(Graph::edge_descriptor e) const { return (*g)[e].zero_time; }
  };
  boost::filtered_graph<Graph, ZeroOnly> zero(graph_, ZeroOnly{&graph_});
  std::vector<int> component(boost::num_vertices(graph_));
  const int n = boost::strong_components(zero, boost::make_iterator_property_map(component.begin(),
                                                                               boost::get(boost::vertex_index, zero)));
  std::vector<std::vector<int>> groups(static_cast<std::size_t>(n));
  for (std::size_t v = 0; v < component.size(); ++v) groups[component[v]].push_back(static_cast<int>(v));
  std::vector<std::vector<int>> cycles;
  for (auto& g : groups) {
    bool self_loop = false;
    if (g.size() == 1) {
      for (auto [e, end] = boost::out_edges(g[0], zero); e != end; ++e)
        if (static_cast<int>(boost::target(*e, zero)) == g[0]) self_loop = true;
    }
    if (g.size() > 1 || self_loop) cycles.push_back(g);
  }
  return cycles;
}

void CareerGraph::write_text(std::ostream& out) const {
  out << fmt::format("scenario {}: {} states, {} transitions, {} pools, {} routes\n", spec_->name,
                     spec_->states.size(), spec_->transitions.size(), spec_->pools.size(), spec_->routes.size());
  for (std::size_t s = 0; s < spec_->states.size(); ++s) {
    const auto& st = spec_->states[s];
    out << fmt::format("\n{} [{}{}{}{}]\n", st.name, to_string(st.kind),
                       st.profession.empty() ? "" : ", " + st.profession,
                       st.band == kNone ? "" : fmt::format(", band {}", st.band),
                       st.needs_pool == kNone ? "" : ", needs " + spec_->pools[st.needs_pool].name);
    for (auto [e, end] = boost::out_edges(s, graph_); e != end; ++e)
      out << fmt::format("  -> {:<28} {}\n", spec_->states[boost::target(*e, graph_)].name, graph_[*e].label);
  }
}

void CareerGraph::write_dot(std::ostream& out) const {
  const auto& states = spec_->states;
  auto vertex_writer = [&](std::ostream& o, std::size_t v) {
    const auto& st = states[v];
    const char* shape = st.kind == StateKind::exit       ? "doubleoctagon"
                        : st.kind == StateKind::training ? "box"
                        : st.kind == StateKind::waiting  ? "ellipse"
                                                         : "box, style=rounded";
    o << fmt::format("[label=\"{}{}\", shape={}]", dot_escape(st.name),
                     st.band == kNone ? "" : fmt::format("\\nband {}", st.band), shape);
  };
  auto edge_writer = [&](std::ostream& o, Graph::edge_descriptor e) { o << "[label=\"" << dot_escape(graph_[e].label) << "\"]"; };
  boost::write_graphviz(out, graph_, vertex_writer, edge_writer);
}

}  // namespace tsim::model
