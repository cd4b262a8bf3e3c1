#include "sim/scenario/section_context.hpp"

#include <cmath>
#include <fmt/format.h>

namespace tsim::scenario {

using model::kNone;

EventNames::EventNames(std::vector<std::string>& names) : names_(names) {
  for (std::size_t i = 0; i < names_.size(); ++i) index_.emplace(names_[i], static_cast<int>(i));
}

int EventNames::intern(const std::string& name) {
  const auto [it, added] = index_.emplace(name, static_cast<int>(names_.size()));
  if (added) names_.push_back(name);
  return it->second;
}

int intern_event(EventNames& events, const std::string& name) { return events.intern(name); }

int find_state(const Context& c, const std::string& name) {
  if (!c.states || c.states->empty()) return c.spec.state_index(name);
  const auto it = c.states->find(name);
  return it == c.states->end() ? kNone : it->second;
}

const toml::table* table_at(Reader& r, TableView& parent, std::string_view key, bool required, std::string_view what) {
  const toml::node* n = required ? parent.require(key, what) : parent.get(key);
  if (!n) return nullptr;
  if (!n->is_table()) {
    r.error(*n, fmt::format("'{}' in {} must be a table ({})", key, describe_path(parent.path()), what));
    return nullptr;
  }
  return n->as_table();
}

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

int state_ref(const Context& c, const toml::node& n, std::string_view what) {
  auto s = c.r.string(n, what);
  if (!s) return kNone;
  const int i = find_state(c, *s);
  if (i == kNone) {
    std::vector<std::string> names;
    for (const auto& st : c.spec.states) names.push_back(st.name);
    c.r.error(n, fmt::format("{} refers to undeclared state '{}'{}", what, *s, core::did_you_mean(*s, names)));
  }
  return i;
}

int pool_ref(const Context& c, const toml::node& n, std::string_view what) {
  auto s = c.r.string(n, what);
  if (!s) return kNone;
  for (std::size_t i = 0; i < c.spec.pools.size(); ++i)
    if (c.spec.pools[i].name == *s) return static_cast<int>(i);
  std::vector<std::string> names;
  for (const auto& p : c.spec.pools) names.push_back(p.name);
  c.r.error(n, fmt::format("{} refers to undeclared pool '{}'{}", what, *s, core::did_you_mean(*s, names)));
  return kNone;
}

int attribute_ref(const Context& c, const std::string& name, const toml::source_region& at, std::string_view what) {
  for (std::size_t i = 0; i < c.spec.attributes.size(); ++i)
    if (c.spec.attributes[i].name == name) return static_cast<int>(i);
  std::vector<std::string> names;
  for (const auto& a : c.spec.attributes) names.push_back(a.name);
  c.r.error(at, fmt::format("{} refers to undeclared attribute '{}'{}", what, name, core::did_you_mean(name, names)));
  return kNone;
}

int level_ref(Reader& r, const model::AttributeSpec& attribute, const std::string& level, const toml::source_region& at,
              std::string_view what) {
  const auto& levels = attribute.levels;
  for (std::size_t i = 0; i < levels.size(); ++i)
    if (levels[i] == level) return static_cast<int>(i);
  r.error(at, fmt::format("{}: '{}' is not a level of attribute '{}'{}", what, level, attribute.name,
                          core::did_you_mean(level, levels)));
  return kNone;
}

std::optional<double> duration_days(Reader& r, TableView& t, std::string_view days_key, std::string_view years_key,
                                    std::string_view what, bool required) {
  const toml::node* d = t.get(days_key);
  const toml::node* y = t.get(years_key);
  if (d && y) {
    // Placed at the one a policy or --set added, if that is how both came to be given.
    const toml::node& at = r.written_elsewhere(*d) && !r.written_elsewhere(*y) ? *d : *y;
    r.error(at, fmt::format("{}: give either '{}' or '{}', not both", what, days_key, years_key));
    return std::nullopt;
  }
  if (!d && !y) {
    if (required)
      r.error(t.table(), fmt::format("{} needs '{}' or '{}' ({})", describe_path(t.path()), days_key, years_key, what));
    return std::nullopt;
  }
  auto v = r.number(d ? *d : *y, what);
  if (!v) return std::nullopt;
  if (*v < 0) {
    r.error(d ? *d : *y, fmt::format("{} must not be negative, got {}", what, *v));
    return std::nullopt;
  }
  return *v * (d ? 1.0 : core::kDaysPerYear);
}

core::Span span_of(double value, std::string_view unit) {
  if (unit == "days") return core::Span{0, value};
  const double months = unit == "years" ? value * 12.0 : value;
  if (months == std::floor(months) && months <= 12.0 * 1000) return core::Span{static_cast<std::int32_t>(months), 0.0};
  return core::Span{0, months * core::kDaysPerMonth};
}

std::optional<core::Span> duration_span(Reader& r, TableView& t, std::string_view stem, std::string_view what,
                                        bool required) {
  const std::string keys[] = {std::string(stem) + "_days", std::string(stem) + "_months", std::string(stem) + "_years"};
  const char* units[] = {"days", "months", "years"};
  const toml::node* given = nullptr;
  std::size_t unit = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    const toml::node* n = t.get(keys[i]);
    if (!n) continue;
    if (given) {
      // Placed at the one a policy or --set added, if that is how several came to be given.
      const toml::node& at = r.written_elsewhere(*given) && !r.written_elsewhere(*n) ? *given : *n;
      r.error(at, fmt::format("{}: give one of '{}', '{}' or '{}', not several", what, keys[0], keys[1], keys[2]));
      return std::nullopt;
    }
    given = n;
    unit = i;
  }
  if (!given) {
    if (required)
      r.error(t.table(), fmt::format("{} needs '{}', '{}' or '{}' ({})", describe_path(t.path()), keys[0], keys[1],
                                     keys[2], what));
    return std::nullopt;
  }
  auto v = r.number(*given, what);
  if (!v) return std::nullopt;
  if (*v < 0) {
    r.error(*given, fmt::format("{} must not be negative, got {}", what, *v));
    return std::nullopt;
  }
  return span_of(*v, units[unit]);
}

namespace {

// Weights given as a table by level name; levels left out stay 0.
std::optional<std::vector<double>> weights_by_name(Reader& r, const model::AttributeSpec& attribute,
                                                   const toml::table& t, std::string_view what) {
  std::vector<double> w(attribute.levels.size(), 0.0);
  bool ok = true;
  for (auto&& [k, v] : t) {
    const int level = level_ref(r, attribute, std::string(k.str()), k.source(), what);
    auto x = r.number(v, fmt::format("{} {}", what, k.str()));
    if (level == kNone || !x) {
      ok = false;
      continue;
    }
    w[static_cast<std::size_t>(level)] = *x;
  }
  if (!ok) return std::nullopt;
  return w;
}

}  // namespace

std::optional<std::vector<double>> level_weights(Reader& r, const model::AttributeSpec& attribute, const toml::node& n,
                                                 std::string_view what, bool must_sum_to_one) {
  std::optional<std::vector<double>> w;
  if (const auto* t = n.as_table()) {
    w = weights_by_name(r, attribute, *t, what);
  } else {
    w = r.numbers(n, what);
    if (w && w->size() != attribute.levels.size()) {
      r.error(n, fmt::format("{} has {} values but attribute '{}' has {} levels", what, w->size(), attribute.name,
                             attribute.levels.size()));
      return std::nullopt;
    }
  }
  if (!w) return std::nullopt;
  double sum = 0;
  for (double x : *w) {
    if (x < 0) {
      r.error(n, fmt::format("{}: shares must not be negative", what));
      return std::nullopt;
    }
    sum += x;
  }
  if (must_sum_to_one ? std::fabs(sum - 1.0) > kProbabilityTolerance : !(sum > 0)) {
    r.error(n, fmt::format("{}: shares must sum to 1, got {:.9g}", what, sum));
    return std::nullopt;
  }
  return w;
}

std::optional<double> day_of_date(const Context& c, const toml::node& n, std::string_view what) {
  std::optional<core::Date> d;
  if (const auto* td = n.as_date()) d = core::Date{td->get().year, td->get().month, td->get().day};
  else if (const auto* s = n.as_string()) d = core::parse_date(s->get());
  if (!d || !core::is_valid(*d)) {
    c.r.error(n, fmt::format("{} must be a date such as 2021-04-01", what));
    return std::nullopt;
  }
  return static_cast<double>(core::days_between(c.spec.start_date, *d));
}

}  // namespace tsim::scenario
