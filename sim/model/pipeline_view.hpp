// The career graph as a reader follows it: states in stage order from the
// ways in (routes and the initial stock) to the exits, with the routes and
// their intakes, the pools and who provides, needs and occupies them. What
// `traineesim describe` prints (as text, or as Graphviz DOT for --dot/--svg).
#pragma once

#include <iosfwd>
#include <vector>

#include "sim/model/career_graph.hpp"
#include "sim/model/spec.hpp"

namespace tsim::model {

/// The stage of every state: 0 for states people enter by a route or the
/// stock, then one more than the latest stage of any state that leads to it
/// (states on a cycle share the stage of the cycle). Exits come after every
/// other state. Unreachable states get the stage after the last one.
/// Never throws (but std::bad_alloc).
[[nodiscard]] std::vector<int> state_stages(const ScenarioSpec& spec, const CareerGraph& graph);

/// The states in stage order (exits last; ties by code, the order of names).
[[nodiscard]] std::vector<int> pipeline_order(const ScenarioSpec& spec, const CareerGraph& graph);

/// Plain text: ways in (routes with their intakes, stock), pools (who
/// provides, needs and occupies them), then the states stage by stage with
/// their transitions. Throws what the stream throws.
void write_pipeline_text(const ScenarioSpec& spec, const CareerGraph& graph, std::ostream& out);

/// Graphviz DOT: states ranked left to right by stage, routes and stock as
/// entry nodes, pools as nodes with dashed edges from the states that
/// provide them to the states that need or occupy them.
void write_pipeline_dot(const ScenarioSpec& spec, const CareerGraph& graph, std::ostream& out);

}  // namespace tsim::model
