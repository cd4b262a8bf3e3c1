#include "sim/scenario/calibration_file.hpp"

#include <filesystem>
#include <fmt/format.h>

#include "sim/scenario/reader.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/source_file.hpp"

namespace tsim::scenario {

namespace fs = std::filesystem;

namespace {

void read_header(Reader& r, TableView& top, const fs::path& dir, CalibrationSpec& spec) {
  const auto* n = top.require("calibration", "name, scenario, replications");
  if (!n || !n->is_table()) {
    if (n) r.error(*n, "[calibration] must be a table");
    return;
  }
  TableView t(r, *n->as_table(), "calibration");
  if (const auto* x = t.require("name", "names the calibration")) spec.name = r.string(*x, "calibration.name").value_or("");
  if (const auto* x = t.require("scenario", "the scenario file, relative to this file"))
    if (auto s = r.string(*x, "calibration.scenario"))
      spec.scenario_path = fs::path(*s).is_absolute() ? *s : (dir / *s).lexically_normal().string();
  spec.replications = r.optional_integer(t, "replications", "calibration.replications", 1, 10000, 4).value_or(4);
  spec.seed = static_cast<std::uint32_t>(r.optional_integer(t, "seed", "calibration.seed", 0, 2147483647, 1).value_or(1));
  spec.max_evaluations =
      r.optional_integer(t, "max_evaluations", "calibration.max_evaluations", 1, 100000, 200).value_or(200);
  spec.plausible_samples =
      r.optional_integer(t, "plausible_samples", "calibration.plausible_samples", 0, 100000, 64).value_or(64);
  spec.sample_seed = static_cast<std::uint32_t>(
      r.optional_integer(t, "sample_seed", "calibration.sample_seed", 0, 2147483647, 1).value_or(1));
  if (const auto* x = t.get("set")) spec.set = r.strings(*x, "calibration.set").value_or(std::vector<std::string>{});
  t.finish();
}

void read_free(Reader& r, TableView& top, CalibrationSpec& spec) {
  const auto* n = top.require("free", "[free.<parameter>] tables with low and high");
  if (!n || !n->is_table()) {
    if (n) r.error(*n, "[free] must be a table of [free.<parameter>] tables");
    return;
  }
  for (auto&& [k, v] : *n->as_table()) {
    const std::string path = fmt::format("free.{}", k.str());
    if (!v.is_table()) {
      r.error(v, fmt::format("[{}] must be a table {{ low, high, start }}", path));
      continue;
    }
    TableView t(r, *v.as_table(), path);
    FreeParameter f;
    f.name = std::string(k.str());
    f.where = r.where(v);
    const auto lo = r.required_number(t, "low", "the lowest value to try", path + ".low");
    const auto hi = r.required_number(t, "high", "the highest value to try", path + ".high");
    if (lo && hi && !(*lo < *hi)) r.error(v, fmt::format("[{}] needs low < high", path));
    f.low = lo.value_or(0);
    f.high = hi.value_or(1);
    const auto start = r.optional_number(t, "start", path + ".start", (f.low + f.high) / 2);
    f.start = start.value_or((f.low + f.high) / 2);
    if (start && (f.start < f.low || f.start > f.high)) r.error(v, fmt::format("[{}] start must lie in [low, high]", path));
    if (const auto* x = t.get("integer")) f.integer = r.boolean(*x, path + ".integer").value_or(false);
    t.finish();
    spec.free.push_back(std::move(f));
  }
  if (spec.free.empty()) r.error(*n, "[free] names no parameter to fit");
}

void read_targets(Reader& r, TableView& top, CalibrationSpec& spec) {
  const auto* n = top.require("targets", "[[targets]] with indicator, value, sd and source");
  if (!n || !n->is_array() || n->as_array()->empty()) {
    if (n) r.error(*n, "targets must be a non-empty array of tables [[targets]]");
    return;
  }
  for (std::size_t i = 0; i < n->as_array()->size(); ++i) {
    const toml::node& v = *n->as_array()->get(i);
    const std::string path = fmt::format("targets.{}", i);
    if (!v.is_table()) {
      r.error(v, fmt::format("{} must be a table", path));
      continue;
    }
    TableView t(r, *v.as_table(), path);
    CalibrationTarget c;
    c.where = r.where(v);
    if (const auto* x = t.require("indicator", "an indicator name (docs/INDICATORS.md)"))
      c.indicator = r.string(*x, path + ".indicator").value_or("");
    c.value = r.required_number(t, "value", "the observed value", path + ".value").value_or(0);
    const auto sd = r.required_number(t, "sd", "the observation's standard deviation", path + ".sd");
    if (sd && !(*sd > 0)) r.error(v, fmt::format("{}.sd must be > 0", path));
    c.sd = sd.value_or(1);
    if (const auto* x = t.require("source", "a source tag (\"S27\") or \"[X]\"")) c.source = r.string(*x, path + ".source").value_or("");
    t.finish();
    spec.targets.push_back(std::move(c));
  }
}

}  // namespace

CalibrationSpec load_calibration_file(const std::string& path) {
  CalibrationSpec spec;
  spec.path = path;
  const toml::table root = parse_toml(read_source_file(path), path);
  Reader r(path);
  TableView top(r, root, "");
  read_header(r, top, fs::path(path).parent_path(), spec);
  read_free(r, top, spec);
  read_targets(r, top, spec);
  top.finish();
  r.diags.throw_if_any();
  // Each free parameter must be one the scenario declares (so --set can reach it).
  const auto scenario = load_scenario_file(spec.scenario_path);
  const toml::table scen = parse_toml(scenario.resolved_text, spec.scenario_path);
  const toml::table* params = scen["parameters"].as_table();
  for (const auto& f : spec.free)
    if (!params || !params->contains(f.name))
      r.diags.add(f.where, fmt::format("[free.{}] names no parameter of {}", f.name, spec.scenario_path));
  r.diags.throw_if_any();
  return spec;
}

}  // namespace tsim::scenario
