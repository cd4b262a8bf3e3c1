#include "sim/scenario/commission_file.hpp"

#include <filesystem>
#include <fmt/format.h>

#include "sim/scenario/reader.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/source_file.hpp"

namespace tsim::scenario {

namespace fs = std::filesystem;

CommissionSpec load_commission_file(const std::string& path) {
  CommissionSpec spec;
  spec.path = path;
  const toml::table root = parse_toml(read_source_file(path), path);
  Reader r(path);
  TableView top(r, root, "");
  if (const auto* n = top.require("commission", "name, scenario, replications"); n && n->is_table()) {
    TableView t(r, *n->as_table(), "commission");
    if (const auto* x = t.require("name", "names the plan")) spec.name = r.string(*x, "commission.name").value_or("");
    if (const auto* x = t.require("scenario", "the scenario file, relative to this file"))
      if (auto s = r.string(*x, "commission.scenario"))
        spec.scenario_path = fs::path(*s).is_absolute() ? *s : (fs::path(path).parent_path() / *s).lexically_normal().string();
    spec.replications = r.optional_integer(t, "replications", "commission.replications", 1, 10000, 4).value_or(4);
    spec.seed = static_cast<std::uint32_t>(r.optional_integer(t, "seed", "commission.seed", 0, 2147483647, 1).value_or(1));
    spec.max_evaluations =
        r.optional_integer(t, "max_evaluations", "commission.max_evaluations", 1, 100000, 200).value_or(200);
    t.finish();
  } else if (n) {
    r.error(*n, "[commission] must be a table");
  }
  if (const auto* n = top.require("places", "[places.<parameter>] tables: low, high, cost_per_place"); n && n->is_table()) {
    for (auto&& [k, v] : *n->as_table()) {
      const std::string p = fmt::format("places.{}", k.str());
      if (!v.is_table()) {
        r.error(v, fmt::format("[{}] must be a table", p));
        continue;
      }
      TableView t(r, *v.as_table(), p);
      Programme g;
      g.parameter = std::string(k.str());
      g.where = r.where(v);
      g.low = r.required_number(t, "low", "fewest places a year", p + ".low").value_or(0);
      g.high = r.required_number(t, "high", "most places a year", p + ".high").value_or(0);
      g.cost_per_place = r.required_number(t, "cost_per_place", "currency units per place", p + ".cost_per_place").value_or(0);
      if (!(g.low >= 0 && g.low < g.high)) r.error(v, fmt::format("[{}] needs 0 <= low < high", p));
      if (!(g.cost_per_place >= 0)) r.error(v, fmt::format("[{}] cost_per_place must be >= 0", p));
      t.finish();
      spec.programmes.push_back(std::move(g));
    }
    if (spec.programmes.empty()) r.error(*n, "[places] names no programme");
  } else if (n) {
    r.error(*n, "[places] must be a table of [places.<parameter>] tables");
  }
  if (const auto* n = top.require("target", "indicators and at_least"); n && n->is_table()) {
    TableView t(r, *n->as_table(), "target");
    if (const auto* x = t.require("indicators", "indicator names whose sum must reach at_least"))
      spec.target_indicators = r.strings(*x, "target.indicators").value_or(std::vector<std::string>{});
    if (const auto* x = t.get("budget")) spec.budget = r.number(*x, "target.budget");
    if (const auto* x = t.get("most_for_budget")) spec.most_for_budget = r.boolean(*x, "target.most_for_budget").value_or(false);
    if (spec.most_for_budget) {
      if (!t.table().contains("budget")) r.error(*n, "target.most_for_budget needs target.budget");
      if (t.table().contains("at_least")) r.error(*n, "target.most_for_budget maximises the sum: leave out at_least");
      t.allow({"at_least"});
    } else {
      spec.target = r.required_number(t, "at_least", "the level the sum must reach", "target.at_least").value_or(0);
    }
    t.finish();
    if (spec.target_indicators.empty()) r.error(*n, "target.indicators names no indicator");
  } else if (n) {
    r.error(*n, "[target] must be a table");
  }
  top.finish();
  r.diags.throw_if_any();
  const auto scenario = load_scenario_file(spec.scenario_path);
  const toml::table scen = parse_toml(scenario.resolved_text, spec.scenario_path);
  const toml::table* params = scen["parameters"].as_table();
  for (const auto& g : spec.programmes)
    if (!params || !params->contains(g.parameter))
      r.diags.add(g.where, fmt::format("[places.{}] names no parameter of {}", g.parameter, spec.scenario_path));
  r.diags.throw_if_any();
  return spec;
}

}  // namespace tsim::scenario
