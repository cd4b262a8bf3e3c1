#include "sim/scenario/sweep.hpp"

#include "sim/scenario/names.hpp"

#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "sim/core/random.hpp"
#include "sim/scenario/policy_overrides.hpp"
#include "sim/scenario/reader.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/source_file.hpp"

namespace tsim::scenario {

namespace fs = std::filesystem;

std::vector<std::string> SweepSpec::overrides(std::size_t sample) const {
  std::vector<std::string> out;
  for (std::size_t j = 0; j < parameter_keys.size(); ++j)
    out.push_back(fmt::format("{}={:.17g}", parameter_keys[j], samples[sample][j]));
  return out;
}

std::vector<std::vector<double>> latin_hypercube(std::size_t n, const std::vector<std::pair<double, double>>& ranges,
                                                 std::uint32_t seed) {
  // Streams apart from every run's: the sampling seed is its own key.
  const core::RandomStreams rs(seed, 0x4C485353u);
  std::vector<std::vector<double>> out(n, std::vector<double>(ranges.size()));
  for (std::size_t j = 0; j < ranges.size(); ++j) {
    std::vector<std::size_t> perm(n);
    for (std::size_t i = 0; i < n; ++i) perm[i] = i;
    for (std::size_t i = n; i > 1; --i) {  // Fisher-Yates, unbiased: index drawn uniformly from [0, i)
      const double u = rs.uniform(j, 1, static_cast<std::uint32_t>(i));
      const auto k = std::min(i - 1, static_cast<std::size_t>(u * static_cast<double>(i)));
      std::swap(perm[i - 1], perm[k]);
    }
    const auto [lo, hi] = ranges[j];
    for (std::size_t i = 0; i < n; ++i) {
      const double u = rs.uniform(j, 2, static_cast<std::uint32_t>(i));
      out[i][j] = lo + (static_cast<double>(perm[i]) + u) / static_cast<double>(n) * (hi - lo);
    }
  }
  return out;
}

namespace {
std::string read_all(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw core::InputError(core::SourceLocation{path}, "no such sweep file (or not a file)");
  std::string text = read_source_file(path);  // at most kMaxFileBytes
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw core::InputError(core::SourceLocation{path, 1, 1}, "the file is empty; a sweep file needs at least [sweep]");
  return text;
}
}  // namespace

namespace {

// [sweep]: the scenario, its variants, replications, seed and record level.
void read_sweep_table(Reader& r, TableView& top, const fs::path& dir, SweepSpec& spec) {
  auto relative = [&](const std::string& p) { return fs::path(p).is_absolute() ? p : (dir / p).lexically_normal().string(); };
  const auto* n = top.require("sweep", "name, scenario, replications");
  if (!n) return;
  spec.where = r.where(*n);
  if (!n->is_table()) {
    r.error(*n, "[sweep] must be a table");
    return;
  }
  TableView t(r, *n->as_table(), "sweep");
  if (const auto* x = t.require("name", "names the sweep")) {
    spec.name = r.string(*x, "sweep.name").value_or("");
    if (!spec.name.empty()) (void)check_name(r, *x, path_name_problem(spec.name, "sweep.name"));
  }
  if (const auto* x = t.require("scenario", "the scenario file, relative to this file"))
    if (auto s = r.string(*x, "sweep.scenario")) spec.scenario_path = relative(*s);
  if (const auto* x = t.get("policies"))
    if (auto list = r.strings(*x, "sweep.policies"))
      for (const auto& p : *list) spec.policy_paths.push_back(relative(p));
  if (const auto* x = t.get("baseline")) spec.baseline = r.boolean(*x, "sweep.baseline").value_or(true);
  if (const auto* x = t.get("replications")) spec.replications = r.integer(*x, "sweep.replications", 1, 100000).value_or(1);
  if (const auto* x = t.get("seed")) spec.seed = static_cast<std::uint32_t>(r.integer(*x, "sweep.seed", 0, 2147483647).value_or(1));
  if (const auto* x = t.get("record")) {
    auto s = r.string(*x, "sweep.record");
    if (s == "full") spec.record = model::RecordLevel::full;
    else if (s == "summary") spec.record = model::RecordLevel::summary;
    else if (s && *s != "census") r.error(*x, fmt::format("sweep.record must be full, census or summary, got '{}'", *s));
  }
  if (!spec.baseline && spec.policy_paths.empty()) r.error(*n, "the sweep has no variants: baseline = false and no policies");
  t.finish();
}

// [grid]: the listed values of each key, keys in name order.
struct Grid {
  std::vector<std::vector<double>> values;  // per key
  double points = 1;                       // product of the value counts
};

Grid read_grid(Reader& r, TableView& top, std::vector<std::string>& keys) {
  Grid grid;
  const auto* g = top.get("grid");
  if (!g) return grid;
  if (!g->is_table()) {
    r.error(*g, "[grid] must be a table of \"key.path\" = [values]");
    return grid;
  }
  for (auto&& [k, v] : *g->as_table()) {
    auto values = r.numbers(v, fmt::format("grid.\"{}\"", k.str()));
    if (!values || values->empty()) {
      if (values) r.error(v, "a grid dimension needs at least one value");
      continue;
    }
    keys.emplace_back(k.str());
    grid.points *= static_cast<double>(values->size());
    grid.values.push_back(std::move(*values));
  }
  return grid;
}

// The full factorial of the grid's values, the first key slowest.
std::vector<std::vector<double>> grid_points(const Grid& grid) {
  std::vector<std::vector<double>> points{{}};
  for (const auto& values : grid.values) {
    std::vector<std::vector<double>> next;
    next.reserve(points.size() * values.size());
    for (const auto& point : points)
      for (double x : values) {
        next.push_back(point);
        next.back().push_back(x);
      }
    points = std::move(next);
  }
  return points;
}

// lhs.ranges: "key.path" = [low, high], appended to `keys` in name order.
std::vector<std::pair<double, double>> read_lhs_ranges(Reader& r, const toml::node& rn, std::vector<std::string>& keys) {
  std::vector<std::pair<double, double>> ranges;
  if (!rn.is_table()) {
    r.error(rn, "lhs.ranges must be a table");
    return ranges;
  }
  for (auto&& [k, v] : *rn.as_table()) {
    auto range = r.numbers(v, fmt::format("lhs.ranges.\"{}\"", k.str()));
    if (!range || range->size() != 2 || !((*range)[1] > (*range)[0])) {
      if (range) r.error(v, "an LHS range is [low, high] with low < high");
      continue;
    }
    if (std::find(keys.begin(), keys.end(), std::string(k.str())) != keys.end())
      r.error(k.source(), fmt::format("'{}' is both in [grid] and in [lhs]", k.str()));
    keys.emplace_back(k.str());
    ranges.emplace_back((*range)[0], (*range)[1]);
  }
  return ranges;
}

// [lhs]: a Latin hypercube over lhs.ranges, read; built by lhs_points once its size is known to be sane.
struct Lhs {
  std::size_t samples = 1;  // 1: no [lhs] (one empty point)
  std::uint32_t seed = 1;
  std::vector<std::pair<double, double>> ranges;
  std::vector<std::string> integers;
  const toml::node* integers_at = nullptr;
};

Lhs read_lhs(Reader& r, TableView& top, std::vector<std::string>& keys) {
  Lhs lhs;
  const auto* l = top.get("lhs");
  if (!l) return lhs;
  if (!l->is_table()) {
    r.error(*l, "[lhs] must be a table { samples, seed, ranges }");
    return lhs;
  }
  TableView t(r, *l->as_table(), "lhs");
  const auto n = r.required_integer(t, "samples", "points", "lhs.samples", 1, 100000);
  const auto seed = r.optional_integer(t, "seed", "lhs.seed", 0, 2147483647, 1);
  if (const auto* rn = t.require("ranges", "\"key.path\" = [low, high]")) lhs.ranges = read_lhs_ranges(r, *rn, keys);
  if (const auto* x = t.get("integers")) {
    lhs.integers = r.strings(*x, "lhs.integers").value_or(std::vector<std::string>{});
    lhs.integers_at = x;
  }
  t.finish();
  if (n && seed && !lhs.ranges.empty()) {
    lhs.samples = static_cast<std::size_t>(*n);
    lhs.seed = static_cast<std::uint32_t>(*seed);
  }
  return lhs;
}

std::vector<std::vector<double>> lhs_points(Reader& r, const Lhs& lhs, const std::vector<std::string>& keys) {
  if (lhs.ranges.empty()) return {{}};
  auto points = latin_hypercube(lhs.samples, lhs.ranges, lhs.seed);
  const std::size_t first = keys.size() - lhs.ranges.size();
  for (const auto& key : lhs.integers) {
    // Whole-number parameters (counts, places) are rounded after sampling.
    const auto it = std::find(keys.begin() + static_cast<std::ptrdiff_t>(first), keys.end(), key);
    if (it == keys.end()) {
      r.error(*lhs.integers_at, fmt::format("lhs.integers names '{}', which is not in lhs.ranges", key));
      continue;
    }
    const auto j = static_cast<std::size_t>(it - keys.begin()) - first;
    for (auto& point : points) point[j] = std::round(point[j]);
  }
  return points;
}

// How much the sweep asks for, checked before anything is allocated for it.
void check_sweep_size(Reader& r, const toml::table& root, const SweepSpec& spec, const Grid& grid, const Lhs& lhs) {
  const toml::node& at = root.get("sweep") ? *root.get("sweep") : static_cast<const toml::node&>(root);
  const double variants = static_cast<double>((spec.baseline ? 1 : 0) + spec.policy_paths.size());
  const double samples = grid.points * static_cast<double>(lhs.samples);
  const double runs = std::max(1.0, variants) * samples * static_cast<double>(spec.replications);
  if (spec.parameter_keys.size() > kMaxSweepKeys)
    r.error(at, fmt::format("the sweep varies {} keys; the limit is {}", spec.parameter_keys.size(), kMaxSweepKeys));
  else if (runs > static_cast<double>(kMaxSweepRuns))
    r.error(at, fmt::format("the sweep has {:.6g} runs ({} variant(s) x {:.6g} sample(s) x {} replication(s)); the "
                            "limit is {}",
                            runs, variants, samples, spec.replications, kMaxSweepRuns));
}

// The swept keys as written, with their places: [grid], then [lhs.ranges].
std::vector<std::pair<std::string, core::SourceLocation>> written_keys(const toml::table& root, const SweepSpec& spec) {
  const Reader r(spec.path);
  std::vector<std::pair<std::string, core::SourceLocation>> out;
  for (const auto* t : {root["grid"].as_table(), root["lhs"]["ranges"].as_table()})
    if (t)
      for (auto&& [k, v] : *t) out.emplace_back(std::string(k.str()), r.where(k.source()));
  return out;
}

// Keys "policy.<name>.<parameter>" must name a policy of the sweep; the
// baseline runs without them (policy_overrides.hpp).
void check_policy_keys(const toml::table& root, const SweepSpec& spec) {
  std::vector<Override> keys;
  std::vector<core::SourceLocation> where;
  for (const auto& [key, at] : written_keys(root, spec)) {
    keys.push_back({key + "=0"});
    where.push_back(at);
  }
  if (std::none_of(keys.begin(), keys.end(), is_policy_override)) return;
  std::vector<std::string> names;
  for (const auto& p : spec.policy_paths) names.push_back(policy_name(p));
  check_policy_overrides(keys, names, where);
}

// Where each of spec.parameter_keys is written.
std::vector<core::SourceLocation> key_locations(const toml::table& root, const SweepSpec& spec) {
  std::vector<core::SourceLocation> out(spec.parameter_keys.size(), spec.where);
  for (const auto& [key, at] : written_keys(root, spec))
    for (std::size_t j = 0; j < spec.parameter_keys.size(); ++j)
      if (spec.parameter_keys[j] == key) out[j] = at;
  return out;
}

}  // namespace

SweepSpec load_sweep_file(const std::string& path) {
  SweepSpec spec;
  spec.path = path;
  spec.text = read_all(path);
  const toml::table root = parse_toml(spec.text, path);
  if (root.empty())
    throw core::InputError(core::SourceLocation{path, 1, 1},
                           "the file is empty (only comments and blank lines); a sweep file needs at least [sweep]");
  Reader r(path);
  TableView top(r, root, "");
  read_sweep_table(r, top, fs::path(path).parent_path(), spec);
  const Grid grid = read_grid(r, top, spec.parameter_keys);
  const Lhs lhs = read_lhs(r, top, spec.parameter_keys);
  top.finish();
  check_sweep_size(r, root, spec, grid, lhs);
  r.diags.throw_if_any();
  // Policy names become variant folders: each must be a good name, and no two alike.
  check_distinct_policy_names(spec.policy_paths);
  check_policy_keys(root, spec);
  spec.parameter_where = key_locations(root, spec);
  const auto lhs_part = lhs_points(r, lhs, spec.parameter_keys);
  r.diags.throw_if_any();
  for (const auto& g : grid_points(grid))
    for (const auto& l : lhs_part) {
      spec.samples.push_back(g);
      spec.samples.back().insert(spec.samples.back().end(), l.begin(), l.end());
    }
  return spec;
}

void check_sweep_people(const SweepSpec& sweep, const LoadedScenario& base) {
  const double runs = static_cast<double>(sweep_runs(sweep));
  const double people = runs * base.people;
  if (people > kMaxSweepPeople)
    throw core::InputError(sweep.where, fmt::format("the sweep would simulate about {:.3g} people ({} runs x {:.0f} "
                                                    "people in the scenario); the limit is {:.0e}",
                                                    people, sweep_runs(sweep), base.people, kMaxSweepPeople));
}

std::size_t sweep_runs(const SweepSpec& sweep) {
  const std::size_t variants = (sweep.baseline ? 1 : 0) + sweep.policy_paths.size();
  return variants * sweep.samples.size() * static_cast<std::size_t>(sweep.replications);
}

}  // namespace tsim::scenario
