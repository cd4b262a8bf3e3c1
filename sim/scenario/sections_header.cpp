// [scenario] (name, dates, horizon, census) and [parameters].
#include <cctype>
#include <algorithm>
#include <fmt/format.h>
#include <set>

#include "sim/scenario/names.hpp"
#include "sim/scenario/sections.hpp"

namespace tsim::scenario {

using model::kNone;

namespace {

std::optional<core::Date> start_date(Reader& r, const toml::node& n) {
  std::optional<core::Date> d;
  if (const auto* td = n.as_date()) d = core::Date{td->get().year, td->get().month, td->get().day};
  else if (const auto* s = n.as_string()) d = core::parse_date(s->get());
  if (!d || !core::is_valid(*d)) {
    r.error(n, "scenario.start_date must be a date such as 2020-04-01");
    return std::nullopt;
  }
  return d;
}

}  // namespace

namespace {

// The horizon: horizon_days, horizon_months, horizon_years or end_date (one of
// them). Whole months and years are calendar spans: 10 years from 2020-04-01
// ends on 2030-04-01. Days since the start; 0 (reported) if bad.
double read_horizon(Reader& r, TableView& t, const core::Date& start) {
  const toml::node* end = t.get("end_date");
  const bool spans = t.get("horizon_days") || t.get("horizon_months") || t.get("horizon_years");
  if (end && spans) {
    r.error(*end, "scenario: give the horizon as end_date or as horizon_days/horizon_months/horizon_years, not both");
    return 0;
  }
  if (!end && !spans) {
    r.error(t.table(), "[scenario] needs the horizon: horizon_years, horizon_months, horizon_days or end_date");
    return 0;
  }
  double days = 0;
  const toml::node* at = end;
  if (end) {
    std::optional<core::Date> d;
    if (const auto* td = end->as_date()) d = core::Date{td->get().year, td->get().month, td->get().day};
    else if (const auto* str = end->as_string()) d = core::parse_date(str->get());
    if (!d || !core::is_valid(*d)) {
      r.error(*end, "scenario.end_date must be a date such as 2030-04-01");
      return 0;
    }
    days = static_cast<double>(core::days_between(start, *d));
  } else {
    const auto span = duration_span(r, t, "horizon", "scenario horizon", false);
    if (!span) return 0;
    for (const char* k : {"horizon_days", "horizon_months", "horizon_years"})
      if (t.get(k)) at = t.get(k);
    days = core::add_span(start, 0.0, *span);
  }
  if (!(days > 0) || days > 1000 * core::kDaysPerYear) {
    r.error(*at, fmt::format("the scenario horizon must be more than 0 and at most 1000 years, got {} days", days));
    return 0;
  }
  return days;
}

}  // namespace

HeaderSection read_header(Reader& r, TableView& top) {
  HeaderSection h;
  const toml::table* sc = table_at(r, top, "scenario", true, "name, start date, horizon and census");
  if (!sc) return h;
  TableView t(r, *sc, "scenario");
  if (const auto* n = t.require("name", "used in output paths")) {
    if (auto s = r.string(*n, "scenario.name")) {
      (void)check_name(r, *n, path_name_problem(*s, "scenario.name"));
      h.name = *s;
    }
  }
  if (const auto* n = t.get("description")) (void)r.string(*n, "scenario.description");
  if (const auto* n = t.get("sources")) (void)r.strings(*n, "scenario.sources");
  bool start_ok = false;
  if (const auto* n = t.require("start_date", "e.g. 2020-04-01"))
    if (auto d = start_date(r, *n)) {
      h.start_date = *d;
      start_ok = true;
    }
  h.horizon_days = read_horizon(r, t, h.start_date);
  if (const auto* n = t.get("currency")) {
    const auto c = r.string(*n, "scenario.currency");
    if (c && (c->empty() || c->size() > 10 || !std::all_of(c->begin(), c->end(), [](char ch) { return std::isalpha(static_cast<unsigned char>(ch)); })))
      r.error(*n, fmt::format("scenario.currency must be a currency code such as \"GBP\" (1-10 letters), got '{}'", *c));
    else if (c) h.currency = *c;
  }
  if (const auto* n = t.get("discount_rate")) {
    const auto d = r.number(*n, "scenario.discount_rate");
    if (d && (*d < 0 || *d >= 1)) r.error(*n, fmt::format("scenario.discount_rate must be a rate per year in [0, 1), got {}", *d));
    else if (d) h.discount_rate = *d;
  }
  h.timeline_ok = start_ok && h.horizon_days > 0;
  h.census = t.get("census");
  t.finish();
  return h;
}

void read_parameters(Reader& r, TableView& top) {
  const toml::table* p = table_at(r, top, "parameters", false, "named values other keys refer to");
  r.set_parameters(p);
  if (!p) return;
  for (auto&& [k, v] : *p) {
    if (!is_safe_name(std::string(k.str())) || std::isdigit(static_cast<unsigned char>(k.str()[0])))
      r.error(k.source(), fmt::format("parameter name '{}' must start with a letter and use letters, digits or '_'",
                                      k.str()));
    (void)r.parameter(k.str());
  }
}

namespace {

// census.every: a calendar period.
void read_census_every(Reader& r, const toml::node& every, model::CensusSpec& census) {
  auto s = r.string(every, "scenario.census.every");
  static const std::vector<std::pair<std::string, core::PeriodKind>> kinds{
      {"month", core::PeriodKind::month}, {"quarter", core::PeriodKind::quarter}, {"year", core::PeriodKind::year},
      {"financial_year", core::PeriodKind::financial_year}, {"academic_year", core::PeriodKind::academic_year}};
  bool found = false;
  for (const auto& [name, kind] : kinds)
    if (s && *s == name) {
      census.every = kind;
      found = true;
    }
  if (s && !found) {
    std::vector<std::string> names;
    for (const auto& kv : kinds) names.push_back(kv.first);
    r.error(every, fmt::format("scenario.census.every must be month, quarter, year, financial_year or academic_year, got '{}'{}",
                               *s, core::did_you_mean(*s, names)));
  }
}

// census.by: attributes (and "route") that split the census and flow tables.
void read_census_by(const Context& c, const toml::node& by, model::CensusSpec& census) {
  auto names = c.r.strings(by, "scenario.census.by");
  if (!names) return;
  std::set<std::string> seen;
  double cells = 1;
  for (const auto& name : *names) {
    if (!seen.insert(name).second) {
      c.r.error(by, fmt::format("scenario.census.by lists '{}' twice", name));
      continue;
    }
    if (name == "route") {
      census.by.push_back(model::kRouteAttribute);
      cells *= static_cast<double>(c.spec.routes.size() + 1);
      continue;
    }
    const int a = attribute_ref(c, name, by.source(), "scenario.census.by");
    if (a != kNone) {
      census.by.push_back(a);
      cells *= static_cast<double>(c.spec.attributes[static_cast<std::size_t>(a)].levels.size());
    }
  }
  const double states = static_cast<double>(c.spec.states.size());
  if (cells * states * (states + 1) > kMaxCensusCells)
    c.r.error(by, fmt::format("scenario.census.by gives {} attribute combinations over {} states: too many cells "
                              "for the census and flow tables (keep states x states x combinations under 64 million)",
                              cells, states));
}

// Without census.by the flow table still has a cell per pair of states.
void check_state_pairs(const Context& c, const toml::node& states) {
  const double n = static_cast<double>(c.spec.states.size());
  if (n * (n + 1) > kMaxCensusCells)
    c.r.error(states, fmt::format("{} states give {} cells in the flow table (states x states): too many for the "
                                  "census and flow tables (keep states x states x census.by combinations under 64 "
                                  "million, about 8000 states)",
                                  n, n * (n + 1)));
}

}  // namespace

model::CensusSpec read_census(const Context& c, const toml::node* census, const toml::node& states) {
  model::CensusSpec out;
  const toml::table* ct = census ? census->as_table() : nullptr;
  if (!ct || !ct->get("by")) check_state_pairs(c, states);
  if (!census) return out;
  if (!census->is_table()) {
    c.r.error(*census, "scenario.census must be a table { every = \"quarter\", by = [...] }");
    return out;
  }
  TableView t(c.r, *census->as_table(), "scenario.census");
  const toml::node* every = t.get("every");
  const toml::node* every_days = t.get("every_days");
  if (every && every_days) c.r.error(*every_days, "scenario.census takes 'every' or 'every_days', not both");
  if (every) {
    read_census_every(c.r, *every, out);
  } else if (every_days) {
    auto d = c.r.number(*every_days, "scenario.census.every_days");
    if (d && !(*d >= 1)) c.r.error(*every_days, "scenario.census.every_days must be at least 1");
    else if (d) {
      out.every = core::PeriodKind::days;
      out.every_days = *d;
    }
  }
  if (const auto* by = t.get("by")) read_census_by(c, *by, out);
  t.finish();
  return out;
}

}  // namespace tsim::scenario
