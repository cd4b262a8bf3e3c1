#include "sim/scenario/sweep.hpp"

#include "sim/scenario/names.hpp"

#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "sim/core/random.hpp"
#include "sim/scenario/reader.hpp"
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
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

namespace {

// [sweep]: the scenario, its variants, replications, seed and record level.
void read_sweep_table(Reader& r, TableView& top, const fs::path& dir, SweepSpec& spec) {
  auto relative = [&](const std::string& p) { return fs::path(p).is_absolute() ? p : (dir / p).lexically_normal().string(); };
  const auto* n = top.require("sweep", "name, scenario, replications");
  if (!n) return;
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

// [grid]: the full factorial of the listed values, keys in name order.
std::vector<std::vector<double>> read_grid(Reader& r, TableView& top, std::vector<std::string>& keys) {
  std::vector<std::vector<double>> grid{{}};
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
    std::vector<std::vector<double>> next;
    for (const auto& point : grid)
      for (double x : *values) {
        next.push_back(point);
        next.back().push_back(x);
      }
    grid = std::move(next);
  }
  return grid;
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

// lhs.integers: whole-number parameters (counts, places) are rounded after sampling.
void round_integers(Reader& r, TableView& t, const std::vector<std::string>& integers,
                    const std::vector<std::string>& keys, std::size_t first, std::vector<std::vector<double>>& lhs) {
  for (const auto& key : integers) {
    const auto it = std::find(keys.begin() + static_cast<std::ptrdiff_t>(first), keys.end(), key);
    if (it == keys.end()) {
      r.error(*t.get("integers"), fmt::format("lhs.integers names '{}', which is not in lhs.ranges", key));
      continue;
    }
    const auto j = static_cast<std::size_t>(it - keys.begin()) - first;
    for (auto& point : lhs)
      if (j < point.size()) point[j] = std::round(point[j]);
  }
}

// [lhs]: a Latin hypercube over lhs.ranges.
std::vector<std::vector<double>> read_lhs(Reader& r, TableView& top, std::vector<std::string>& keys) {
  std::vector<std::vector<double>> lhs{{}};
  const auto* l = top.get("lhs");
  if (!l) return lhs;
  if (!l->is_table()) {
    r.error(*l, "[lhs] must be a table { samples, seed, ranges }");
    return lhs;
  }
  TableView t(r, *l->as_table(), "lhs");
  const auto n = r.required_integer(t, "samples", "points", "lhs.samples", 1, 100000);
  const auto seed = r.optional_integer(t, "seed", "lhs.seed", 0, 2147483647, 1);
  std::vector<std::pair<double, double>> ranges;
  if (const auto* rn = t.require("ranges", "\"key.path\" = [low, high]")) ranges = read_lhs_ranges(r, *rn, keys);
  std::vector<std::string> integers;
  if (const auto* x = t.get("integers")) integers = r.strings(*x, "lhs.integers").value_or(std::vector<std::string>{});
  t.finish();
  if (n && seed && !ranges.empty()) lhs = latin_hypercube(static_cast<std::size_t>(*n), ranges, static_cast<std::uint32_t>(*seed));
  round_integers(r, t, integers, keys, keys.size() - ranges.size(), lhs);
  return lhs;
}

}  // namespace

SweepSpec load_sweep_file(const std::string& path) {
  SweepSpec spec;
  spec.path = path;
  spec.text = read_all(path);
  const toml::table root = parse_toml(spec.text, path);
  Reader r(path);
  TableView top(r, root, "");
  read_sweep_table(r, top, fs::path(path).parent_path(), spec);
  const auto grid = read_grid(r, top, spec.parameter_keys);
  const auto lhs = read_lhs(r, top, spec.parameter_keys);
  top.finish();
  r.diags.throw_if_any();
  for (const auto& g : grid)
    for (const auto& l : lhs) {
      spec.samples.push_back(g);
      spec.samples.back().insert(spec.samples.back().end(), l.begin(), l.end());
    }
  return spec;
}

}  // namespace tsim::scenario
