#include "sim/scenario/reader.hpp"

#include <cctype>
#include <cmath>
#include <fmt/format.h>

#include "sim/core/expression.hpp"

namespace tsim::scenario {

namespace {
const char* type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
  }
}
}  // namespace

std::string describe_path(const std::string& path) { return path.empty() ? "the top level" : "[" + path + "]"; }

bool is_safe_name(const std::string& s) {
  if (s.empty() || s.size() > 100 || s == "." || s == "..") return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) return false;
  return s.find("..") == std::string::npos;
}

core::SourceLocation Reader::where(const toml::source_region& r) const {
  core::SourceLocation loc;
  loc.file = r.path ? *r.path : origin_;
  loc.line = r.begin.line;
  loc.column = r.begin.column;
  return loc;
}

std::optional<double> Reader::parameter(std::string_view name) {
  if (auto it = param_values_.find(name); it != param_values_.end()) return it->second;
  if (!params_) return std::nullopt;
  const toml::node* n = params_->get(name);
  if (!n) return std::nullopt;
  if (resolving_.count(name)) {
    error(*n, fmt::format("parameter '{}' refers to itself (a cycle of parameters)", name));
    return std::nullopt;
  }
  resolving_.emplace(name);
  auto v = number(*n, fmt::format("parameter '{}'", name));
  resolving_.erase(resolving_.find(name));
  if (v) param_values_.emplace(std::string(name), *v);
  return v;
}

std::optional<double> Reader::number(const toml::node& n, std::string_view what) {
  if (auto i = n.as_integer()) return static_cast<double>(i->get());
  if (auto f = n.as_floating_point()) {
    if (!std::isfinite(f->get())) {
      error(n, fmt::format("{} must be a finite number, got {}", what, f->get()));
      return std::nullopt;
    }
    return f->get();
  }
  if (auto s = n.as_string()) {
    const std::string& text = s->get();
    const std::size_t errors_before = diags.size();
    try {
      return core::evaluate_expression(text, [&](std::string_view name) { return parameter(name); });
    } catch (const core::ExpressionError& e) {
      if (diags.size() == errors_before) {  // a failing parameter already reported itself
        auto loc = where(n);
        if (loc.line) loc.column += static_cast<std::uint32_t>(e.offset() + 1);  // past the opening quote
        diags.add(loc, fmt::format("{}: {} in expression \"{}\"", what, e.what(), text));
      }
      return std::nullopt;
    }
  }
  error(n, fmt::format("{} must be a number or an expression string, got {}", what, type_name(n)));
  return std::nullopt;
}

std::optional<std::int64_t> Reader::integer(const toml::node& n, std::string_view what, std::int64_t lo,
                                            std::int64_t hi) {
  auto v = number(n, what);
  if (!v) return std::nullopt;
  if (*v != std::floor(*v)) {
    error(n, fmt::format("{} must be a whole number, got {}", what, *v));
    return std::nullopt;
  }
  if (*v < static_cast<double>(lo) || *v > static_cast<double>(hi)) {
    error(n, fmt::format("{} must be between {} and {}, got {}", what, lo, hi, *v));
    return std::nullopt;
  }
  return static_cast<std::int64_t>(*v);
}

std::optional<std::string> Reader::string(const toml::node& n, std::string_view what) {
  if (auto s = n.as_string()) return s->get();
  error(n, fmt::format("{} must be a string, got {}", what, type_name(n)));
  return std::nullopt;
}

std::optional<double> Reader::required_number(TableView& t, std::string_view key, std::string_view why,
                                              std::string_view what) {
  const toml::node* n = t.require(key, why);
  if (!n) return std::nullopt;
  return number(*n, what);
}

std::optional<double> Reader::optional_number(TableView& t, std::string_view key, std::string_view what,
                                              std::optional<double> fallback) {
  const toml::node* n = t.get(key);
  if (!n) return fallback;
  return number(*n, what);
}

std::optional<std::int64_t> Reader::required_integer(TableView& t, std::string_view key, std::string_view why,
                                                     std::string_view what, std::int64_t lo, std::int64_t hi) {
  const toml::node* n = t.require(key, why);
  if (!n) return std::nullopt;
  return integer(*n, what, lo, hi);
}

std::optional<std::int64_t> Reader::optional_integer(TableView& t, std::string_view key, std::string_view what,
                                                     std::int64_t lo, std::int64_t hi,
                                                     std::optional<std::int64_t> fallback) {
  const toml::node* n = t.get(key);
  if (!n) return fallback;
  return integer(*n, what, lo, hi);
}

std::optional<bool> Reader::boolean(const toml::node& n, std::string_view what) {
  if (auto b = n.as_boolean()) return b->get();
  error(n, fmt::format("{} must be true or false, got {}", what, type_name(n)));
  return std::nullopt;
}

std::optional<std::vector<double>> Reader::numbers(const toml::node& n, std::string_view what) {
  const auto* arr = n.as_array();
  if (!arr) {
    error(n, fmt::format("{} must be an array of numbers, got {}", what, type_name(n)));
    return std::nullopt;
  }
  std::vector<double> out;
  bool ok = true;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    auto v = number(*arr->get(i), fmt::format("{}[{}]", what, i));
    if (v) out.push_back(*v);
    else ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::vector<std::string>> Reader::strings(const toml::node& n, std::string_view what) {
  const auto* arr = n.as_array();
  if (!arr) {
    error(n, fmt::format("{} must be an array of strings, got {}", what, type_name(n)));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    auto v = string(*arr->get(i), fmt::format("{}[{}]", what, i));
    if (v) out.push_back(*v);
    else ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<core::Distribution> Reader::distribution(const toml::node& n, std::string_view what, double scale,
                                                       bool allow_negative) {
  auto bad = [&](const toml::node& at, const std::string& msg) {
    error(at, fmt::format("{}: {}", what, msg));
    return std::optional<core::Distribution>{};
  };
  if (!n.is_table()) {
    auto v = number(n, what);
    if (!v) return std::nullopt;
    if (*v < 0 && !allow_negative) return bad(n, fmt::format("must not be negative, got {}", *v));
    return core::Distribution{core::Fixed{*v * scale}};
  }
  const auto& t = *n.as_table();
  if (t.size() != 1) {
    return bad(n, "must be a number or a table with exactly one of fixed, uniform, triangular, exponential, "
                  "weibull, gamma, lognormal, piecewise, discrete");
  }
  const auto first = t.begin();  // toml++ iterators hand out proxies that live inside them
  const toml::key& key = first->first;
  const toml::node& node = first->second;
  const std::string kind(key.str());
  auto positive = [&](const toml::node& at, std::string_view name) -> std::optional<double> {
    auto v = number(at, fmt::format("{} {}", what, name));
    if (!v) return std::nullopt;
    if (!(*v > 0)) {
      error(at, fmt::format("{} {} must be positive, got {}", what, name, *v));
      return std::nullopt;
    }
    return v;
  };
  auto sub = [&](std::initializer_list<std::string_view> keys) -> std::optional<std::vector<const toml::node*>> {
    const auto* st = node.as_table();
    if (!st) {
      error(node, fmt::format("{}: {} needs a table of parameters", what, kind));
      return std::nullopt;
    }
    std::vector<const toml::node*> out;
    bool ok = true;
    for (auto k : keys) {
      const toml::node* v = st->get(k);
      if (!v) {
        error(node, fmt::format("{}: {} needs '{}'", what, kind, k));
        ok = false;
      }
      out.push_back(v);
    }
    for (auto&& [k, v] : *st) {
      if (std::find(keys.begin(), keys.end(), k.str()) == keys.end()) {
        const std::vector<std::string> cands(keys.begin(), keys.end());
        error(k.source(), fmt::format("{}: unknown key '{}' for {}{}", what, k.str(), kind,
                                      core::did_you_mean(std::string(k.str()), cands)));
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return out;
  };
  if (kind == "fixed") {
    auto v = number(node, what);
    if (!v) return std::nullopt;
    if (*v < 0 && !allow_negative) return bad(node, fmt::format("must not be negative, got {}", *v));
    return core::Distribution{core::Fixed{*v * scale}};
  }
  if (kind == "uniform" || kind == "triangular") {
    auto v = numbers(node, fmt::format("{} {}", what, kind));
    if (!v) return std::nullopt;
    const std::size_t want = kind == "uniform" ? 2 : 3;
    if (v->size() != want) return bad(node, fmt::format("{} needs {} numbers, got {}", kind, want, v->size()));
    if (!allow_negative && (*v)[0] < 0) return bad(node, "must not be negative");
    if (!std::is_sorted(v->begin(), v->end()) || v->front() == v->back())
      return bad(node, fmt::format("{} bounds must increase ({})", kind, want == 2 ? "[low, high]" : "[low, mode, high]"));
    if (want == 2) return core::Distribution{core::Uniform{(*v)[0] * scale, (*v)[1] * scale}};
    return core::Distribution{core::Triangular{(*v)[0] * scale, (*v)[1] * scale, (*v)[2] * scale}};
  }
  if (kind == "exponential") {
    auto p = sub({"mean"});
    if (!p) return std::nullopt;
    auto m = positive(*(*p)[0], "exponential mean");
    if (!m) return std::nullopt;
    return core::Distribution{core::Exponential{1.0 / (*m * scale)}};
  }
  if (kind == "weibull" || kind == "gamma") {
    auto p = sub({"shape", "scale"});
    if (!p) return std::nullopt;
    auto k = positive(*(*p)[0], kind + " shape");
    auto s = positive(*(*p)[1], kind + " scale");
    if (!k || !s) return std::nullopt;
    if (kind == "weibull") return core::Distribution{core::Weibull{*k, *s * scale}};
    return core::Distribution{core::Gamma{*k, *s * scale}};
  }
  if (kind == "lognormal") {
    auto p = sub({"median", "sd_log"});
    if (!p) return std::nullopt;
    auto med = positive(*(*p)[0], "lognormal median");
    auto sd = positive(*(*p)[1], "lognormal sd_log");
    if (!med || !sd) return std::nullopt;
    return core::Distribution{core::LogNormal{std::log(*med * scale), *sd}};
  }
  if (kind == "piecewise") {
    auto p = sub({"x", "cdf"});
    if (!p) return std::nullopt;
    auto x = numbers(*(*p)[0], fmt::format("{} piecewise x", what));
    auto c = numbers(*(*p)[1], fmt::format("{} piecewise cdf", what));
    if (!x || !c) return std::nullopt;
    if (x->size() < 2 || x->size() != c->size()) return bad(node, "piecewise needs x and cdf of equal length, at least 2");
    if (!std::is_sorted(x->begin(), x->end()) || !std::is_sorted(c->begin(), c->end()))
      return bad(node, "piecewise x and cdf must both be non-decreasing");
    if (c->front() != 0.0 || c->back() != 1.0) return bad(node, "piecewise cdf must start at 0 and end at 1");
    if (!allow_negative && x->front() < 0) return bad(node, "must not be negative");
    for (auto& v : *x) v *= scale;
    return core::Distribution{core::Piecewise{*x, *c}};
  }
  if (kind == "discrete") {
    auto p = sub({"values", "p"});
    if (!p) return std::nullopt;
    auto vals = numbers(*(*p)[0], fmt::format("{} discrete values", what));
    auto probs = numbers(*(*p)[1], fmt::format("{} discrete p", what));
    if (!vals || !probs) return std::nullopt;
    if (vals->empty() || vals->size() != probs->size()) return bad(node, "discrete needs values and p of equal, non-zero length");
    double sum = 0;
    for (double q : *probs) {
      if (q < 0) return bad(node, "discrete probabilities must not be negative");
      sum += q;
    }
    if (std::fabs(sum - 1.0) > 1e-6) return bad(node, fmt::format("discrete probabilities must sum to 1, got {}", sum));
    for (auto& v : *vals) {
      if (v < 0 && !allow_negative) return bad(node, "must not be negative");
      v *= scale;
    }
    return core::Distribution{core::Discrete{*vals, core::AliasTable(*probs)}};
  }
  std::vector<std::string> kinds{"fixed", "uniform", "triangular", "exponential", "weibull",
                                 "gamma", "lognormal", "piecewise", "discrete"};
  error(key.source(), fmt::format("{}: unknown distribution '{}'{} (known: fixed, uniform, triangular, exponential, "
                                  "weibull, gamma, lognormal, piecewise, discrete)",
                                  what, kind, core::did_you_mean(kind, kinds)));
  return std::nullopt;
}

const toml::node* TableView::get(std::string_view key) {
  known_.emplace_back(key);
  return table_->get(key);
}

const toml::node* TableView::require(std::string_view key, std::string_view what) {
  const toml::node* n = get(key);
  if (!n) reader_->error(*table_, fmt::format("{} needs '{}' ({})", describe_path(path_), key, what));
  return n;
}

void TableView::allow(std::initializer_list<std::string_view> keys) {
  for (auto k : keys) known_.emplace_back(k);
}

bool TableView::exactly_one_of(std::initializer_list<std::string_view> keys, std::string_view what) {
  int present = 0;
  for (auto k : keys) {
    known_.emplace_back(k);
    if (table_->get(k)) ++present;
  }
  if (present == 1) return true;
  std::string list;
  for (auto k : keys) list += (list.empty() ? "" : ", ") + std::string(k);
  reader_->error(*table_, fmt::format("{} needs exactly one of {} ({}), found {}", describe_path(path_), list, what,
                                      present));
  return false;
}

void TableView::finish() {
  for (auto&& [k, v] : *table_) {
    const std::string key(k.str());
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    reader_->error(k.source(),
                   fmt::format("unknown key '{}' in {}{}", key, describe_path(path_), core::did_you_mean(key, known_)));
  }
}

}  // namespace tsim::scenario
