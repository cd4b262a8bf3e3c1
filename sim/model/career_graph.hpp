// The career graph: states as vertices, transitions (every outcome, and pool
// reneging) as edges, held in a Boost.Graph and checked on load.
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <iosfwd>
#include <string>
#include <vector>

#include "sim/model/spec.hpp"

namespace tsim::model {

class CareerGraph {
 public:
  struct EdgeInfo {
    int transition = kNone;  // kNone for a pool's renege edge
    std::string label;
    bool zero_time = false;  // fires in no time (immediate, or a fixed zero duration)
  };
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property, EdgeInfo>;

  explicit CareerGraph(const ScenarioSpec& spec);

  /// States no route or stock entry can reach.
  [[nodiscard]] std::vector<int> unreachable_states() const;
  /// Non-exit states from which no exit state can be reached.
  [[nodiscard]] std::vector<int> states_without_exit() const;
  /// States on a cycle that can be travelled in zero time (each group is one cycle).
  [[nodiscard]] std::vector<std::vector<int>> zero_time_cycles() const;

  /// Human-readable listing of states and transitions.
  void write_text(std::ostream& out) const;
  /// Graphviz DOT.
  void write_dot(std::ostream& out) const;

  [[nodiscard]] const Graph& graph() const noexcept { return graph_; }

 private:
  const ScenarioSpec* spec_;
  Graph graph_;
  std::vector<int> entry_states_;
};

}  // namespace tsim::model
