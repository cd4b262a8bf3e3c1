#include "sim/scenario/uncertain_reader.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace tsim::scenario {

namespace {

struct Shape {
  const char* name;
  std::vector<const char*> keys;  // required, in UncertainParameter::args order
  std::vector<const char*> optional;
  std::vector<double> defaults;   // of the optional keys
};

const std::vector<Shape>& shapes() {
  static const std::vector<Shape> kShapes{
      {"uniform", {"low", "high"}, {}, {}},
      {"triangular", {"low", "mode", "high"}, {}, {}},
      {"normal", {"mean", "sd"}, {}, {}},
      {"lognormal", {"median", "gsd"}, {}, {}},
      {"beta", {"alpha", "beta"}, {"low", "high"}, {0.0, 1.0}},
      {"gamma", {"shape", "scale"}, {}, {}},
  };
  return kShapes;
}

// Why the arguments cannot make the distribution, or "".
std::string args_problem(const std::string& d, const std::vector<double>& a) {
  if (d == "uniform" && !(a[0] < a[1])) return "uniform needs low < high";
  if (d == "triangular" && !(a[0] <= a[1] && a[1] <= a[2] && a[0] < a[2])) return "triangular needs low <= mode <= high, low < high";
  if (d == "normal" && !(a[1] > 0)) return "normal needs sd > 0";
  if (d == "lognormal" && !(a[0] > 0 && a[1] > 1)) return "lognormal needs median > 0 and gsd > 1";
  if (d == "beta" && !(a[0] > 0 && a[1] > 0 && a[2] < a[3])) return "beta needs alpha > 0, beta > 0 and low < high";
  if (d == "gamma" && !(a[0] > 0 && a[1] > 0)) return "gamma needs shape > 0 and scale > 0";
  return {};
}

std::optional<UncertainParameter> read_one(Reader& r, const toml::table* params, const std::string& name,
                                           const toml::node& node) {
  const std::string path = "uncertain." + name;
  if (!params || !params->contains(name)) {
    r.error(node, fmt::format("[{}] names no parameter: declare '{}' under [parameters] first (its value there is "
                              "what a plain run uses)",
                              path, name));
    return std::nullopt;
  }
  if (!node.is_table()) {
    r.error(node, fmt::format("[{}] must be a table {{ distribution, its keys, source }}", path));
    return std::nullopt;
  }
  TableView t(r, *node.as_table(), path);
  UncertainParameter u;
  u.name = name;
  u.where = r.where(node);
  bool ok = true;
  if (const auto* s = t.require("source", "a source tag such as \"S13\", or \"[X]\" for an assumption"))
    u.source = r.string(*s, path + ".source").value_or("");
  const auto* d = t.require("distribution", "uniform, triangular, normal, lognormal, beta or gamma");
  const Shape* shape = nullptr;
  if (d) {
    u.distribution = r.string(*d, path + ".distribution").value_or("");
    for (const auto& s : shapes())
      if (u.distribution == s.name) shape = &s;
    if (!shape && !u.distribution.empty()) {
      std::vector<std::string> names;
      for (const auto& s : shapes()) names.emplace_back(s.name);
      r.error(*d, fmt::format("{}.distribution '{}' is not one of uniform, triangular, normal, lognormal, beta, "
                              "gamma{}",
                              path, u.distribution, core::did_you_mean(u.distribution, names)));
    }
  }
  if (!shape) {
    t.allow({"low", "mode", "high", "mean", "sd", "median", "gsd", "alpha", "beta", "shape", "scale"});
    t.finish();
    return std::nullopt;
  }
  for (const char* k : shape->keys) {
    const auto* x = t.require(k, fmt::format("a key of the {} distribution", shape->name));
    const auto v = x ? r.number(*x, path + "." + k) : std::nullopt;
    ok = ok && v.has_value();
    u.args.push_back(v.value_or(0));
  }
  for (std::size_t i = 0; i < shape->optional.size(); ++i) {
    const auto* x = t.get(shape->optional[i]);
    const auto v = x ? r.number(*x, path + "." + shape->optional[i]) : std::optional<double>(shape->defaults[i]);
    ok = ok && v.has_value();
    u.args.push_back(v.value_or(0));
  }
  t.finish();
  if (!ok) return std::nullopt;
  if (!std::all_of(u.args.begin(), u.args.end(), [](double x) { return std::isfinite(x); })) {
    r.error(node, fmt::format("[{}]: every number must be finite", path));
    return std::nullopt;
  }
  if (const auto p = args_problem(u.distribution, u.args); !p.empty()) {
    r.error(node, fmt::format("[{}]: {}", path, p));
    return std::nullopt;
  }
  return u;
}

}  // namespace

std::vector<UncertainParameter> read_uncertain(Reader& r, const toml::table& root) {
  std::vector<UncertainParameter> out;
  const toml::node* n = root.get("uncertain");
  if (!n) return out;
  if (!n->is_table()) {
    r.error(*n, "[uncertain] must be a table of [uncertain.<parameter>] tables");
    return out;
  }
  const toml::table* params = root["parameters"].as_table();
  for (auto&& [k, v] : *n->as_table())
    if (auto u = read_one(r, params, std::string(k.str()), v)) out.push_back(std::move(*u));
  return out;
}

}  // namespace tsim::scenario
