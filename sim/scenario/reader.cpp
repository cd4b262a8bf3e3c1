#include "sim/scenario/reader.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fmt/format.h>

#include "sim/core/expression.hpp"
#include "sim/scenario/names.hpp"

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

bool is_safe_name(const std::string& s) { return !path_name_problem(s, "name"); }

bool check_name(Reader& r, const toml::node& n, const std::optional<std::string>& problem) {
  if (problem) r.error(n, *problem);
  return !problem;
}

bool check_name(Reader& r, const toml::source_region& at, const std::optional<std::string>& problem) {
  if (problem) r.error(at, *problem);
  return !problem;
}

std::optional<std::string> Reader::label(const toml::node& n, std::string_view what) {
  auto s = string(n, what);
  if (s && !check_name(*this, n, label_problem(*s, std::string(what)))) return std::nullopt;
  return s;
}

core::SourceLocation Reader::where(const toml::source_region& r) const {
  core::SourceLocation loc;
  loc.file = r.path ? *r.path : origin_;
  loc.line = r.begin.line;
  loc.column = r.begin.column;
  return loc;
}

namespace {

// One parameter on the resolution stack, with the names its expression
// refers to and how many of them have been looked at.
struct PendingParameter {
  std::string name;
  const toml::node* node;
  std::optional<std::vector<std::string>> refs;  // nullopt: the expression does not parse
  std::size_t next = 0;
};

std::optional<std::vector<std::string>> references_of(const toml::node& n) {
  const auto* s = n.as_string();
  if (!s) return std::vector<std::string>{};
  try {
    return core::expression_names(s->get());
  } catch (const core::ExpressionError&) {
    return std::nullopt;
  }
}

// An expression as quoted in a message: long ones are cut short.
std::string quoted_expression(const std::string& text) {
  constexpr std::size_t kShown = 80;
  if (text.size() <= kShown) return text;
  return text.substr(0, kShown) + fmt::format("... ({} characters)", text.size());
}

}  // namespace

std::optional<double> Reader::parameter(std::string_view name) {
  if (auto it = param_values_.find(name); it != param_values_.end()) return it->second;
  if (!params_) return std::nullopt;
  const toml::node* n = params_->get(name);
  if (!n) return std::nullopt;
  // Depth first over the references, with an explicit stack: each parameter
  // is evaluated once everything it refers to has been.
  std::vector<PendingParameter> stack;
  if (!failed_params_.count(name)) stack.push_back({std::string(name), n, references_of(*n)});
  while (!stack.empty()) {
    PendingParameter& top = stack.back();
    if (!top.refs) {
      // It does not parse: say why without evaluating it, which would look
      // up (and so resolve, recursively) the names before the mistake.
      try {
        (void)core::expression_names(top.node->as_string()->get());
      } catch (const core::ExpressionError& e) {
        report_expression(*top.node, fmt::format("parameter '{}'", top.name), e);
      }
      failed_params_.insert(top.name);
    }
    if (failed_params_.count(top.name) || top.next == top.refs->size()) {
      if (!failed_params_.count(top.name)) evaluate_parameter(top.name, *top.node);
      stack.pop_back();
      continue;
    }
    const std::string& ref = (*top.refs)[top.next++];
    const toml::node* rn = params_->get(ref);
    if (!rn || param_values_.count(ref) || failed_params_.count(ref)) continue;
    if (std::any_of(stack.begin(), stack.end(), [&](const PendingParameter& p) { return p.name == ref; })) {
      error(*rn, fmt::format("parameter '{}' refers to itself (a cycle of parameters)", ref));
      failed_params_.insert(ref);
    } else if (stack.size() >= kMaxParameterChain) {
      error(*top.node, fmt::format("parameter '{}' ends a chain of more than {} parameters, each referring to the "
                                   "next; the limit is {}",
                                   top.name, kMaxParameterChain, kMaxParameterChain));
      failed_params_.insert(top.name);
    } else {
      stack.push_back({ref, rn, references_of(*rn)});
    }
  }
  if (auto it = param_values_.find(name); it != param_values_.end()) return it->second;
  failed_reference_ = true;
  return std::nullopt;
}

void Reader::report_expression(const toml::node& n, std::string_view what, const core::ExpressionError& e) {
  auto loc = where(n);
  const bool bare = n.source().path && bare_origins_.count(*n.source().path);
  if (loc.line) loc.column += static_cast<std::uint32_t>(e.offset() + (bare ? 0 : 1));  // past the opening quote
  diags.add(loc, fmt::format("{}: {} in expression \"{}\"", what, e.what(), quoted_expression(n.as_string()->get())));
}

void Reader::evaluate_parameter(const std::string& name, const toml::node& n) {
  if (auto v = number(n, fmt::format("parameter '{}'", name))) param_values_.emplace(name, *v);
  else failed_params_.insert(name);
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
    const bool outer = failed_reference_;
    failed_reference_ = false;
    try {
      const double v = core::evaluate_expression(text, [&](std::string_view name) { return parameter(name); });
      failed_reference_ = outer;
      return v;
    } catch (const core::ExpressionError& e) {
      const bool reported = failed_reference_;  // a parameter it refers to failed and said why
      failed_reference_ = outer;
      if (!reported) report_expression(n, what, e);
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
