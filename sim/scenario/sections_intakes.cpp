// One table of a route's `intake`: yearly calendar dates, listed years, day
// numbers, or Poisson arrivals; push (places) or pull (fill an establishment).
#include <cstdio>
#include <fmt/format.h>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/sections.hpp"

namespace tsim::scenario {

namespace {

// { poisson_per_year = r } or { poisson_per_day = r }: the rate per day, or 0 (reported) if bad.
double read_poisson(Reader& r, TableView& t, const toml::node& pn, const std::string& path) {
  auto rate = r.number(pn, path + " Poisson rate");
  if (rate && !(*rate > 0)) {
    r.error(pn, fmt::format("{}: the Poisson arrival rate must be positive", path));
    return 0.0;
  }
  return rate ? *rate / (t.get("poisson_per_year") ? core::kDaysPerYear : 1.0) : 0.0;
}

// `establishment` (pull, with the `counts` it fills against) or `places` (push).
const toml::node* read_places_node(Reader& r, TableView& t, const std::string& path, IntakeTable& out) {
  const toml::node* est = t.get("establishment");
  if (!est) return t.require("places", "people recruited at each intake (or establishment, for pull recruitment)");
  if (t.get("places")) r.error(*t.get("places"), fmt::format("{}: give places (push) or establishment (pull), not both", path));
  if (const auto* c = t.require("counts", "states whose headcount fills the establishment"))
    if (auto names = r.strings(*c, path + ".counts")) {
      out.counts = *names;
      out.counts_node = c;
    }
  return est;
}

// { on = "MM-DD", places = { 2020 = 245, ... } }: listed years, none before
// the start; one after the horizon (a shorter --set scenario.horizon_years)
// never happens in the run, which a warning says.
void read_listed_years(const Context& c, const toml::table& places, unsigned mm, unsigned dd, const std::string& path,
                       std::vector<model::Intake>& out) {
  const std::int64_t origin = core::days_from_civil(c.spec.start_date);
  for (auto&& [yk, yv] : places) {
    int year = 0;
    char tail = 0;
    if (std::sscanf(std::string(yk.str()).c_str(), "%d%c", &year, &tail) != 1) {
      c.r.error(yk.source(), fmt::format("{}.places keys must be years such as 2021, got '{}'", path, yk.str()));
      continue;
    }
    auto count = c.r.integer(yv, fmt::format("{}.places.{}", path, year), 0, kMaxPeople);
    core::Date d{year, mm, dd};
    if (!core::is_valid(d)) d.day = 28;  // 29 February in a common year
    const auto day = static_cast<double>(core::days_from_civil(d) - origin);
    if (day < 0) {
      c.r.error(yk.source(), fmt::format("{}: the {} intake ({}-{:02}-{:02}) is outside the scenario: before its start "
                                         "({}; it runs {} days from then)",
                                         path, year, year, mm, dd, core::format_date(c.spec.start_date),
                                         c.spec.horizon_days));
      continue;
    }
    if (day >= c.spec.horizon_days) {
      c.r.warn(yk.source(), fmt::format("{}: the {} intake ({}-{:02}-{:02}) is after the horizon ({} days from {}): it "
                                        "does not happen in this run",
                                        path, year, year, mm, dd, c.spec.horizon_days,
                                        core::format_date(c.spec.start_date)));
      continue;
    }
    if (count) out.push_back({day, *count});
  }
}

// { on = "MM-DD", places = N, from_year, to_year }: every year within the run.
void read_every_year(const Context& c, TableView& t, const toml::node& places, unsigned mm, unsigned dd,
                     const std::string& path, std::vector<model::Intake>& out) {
  const std::int64_t origin = core::days_from_civil(c.spec.start_date);
  auto count = c.r.integer(places, path + ".places", 0, kMaxPeople);
  const int y0 = c.spec.start_date.year;
  const int from = static_cast<int>(c.r.optional_integer(t, "from_year", path + ".from_year", 1, 9999).value_or(y0));
  const int to = static_cast<int>(c.r.optional_integer(t, "to_year", path + ".to_year", 1, 9999).value_or(9999));
  for (int year = from; count && year <= to; ++year) {
    core::Date d{year, mm, dd};
    if (!core::is_valid(d)) d.day = 28;  // 29 February in a common year
    const auto day = static_cast<double>(core::days_from_civil(d) - origin);
    if (day >= c.spec.horizon_days) break;
    if (day >= 0) out.push_back({day, *count});
  }
}

// `on = "MM-DD"`: a calendar date each year.
void read_calendar(const Context& c, TableView& t, const toml::node& on, const toml::node* places,
                   const std::string& path, std::vector<model::Intake>& out) {
  auto s = c.r.string(on, path + ".on");
  unsigned mm = 0, dd = 0;
  char tail = 0;
  if (s && (std::sscanf(s->c_str(), "%2u-%2u%c", &mm, &dd, &tail) != 2 || !core::is_valid(core::Date{2000, mm, dd}))) {
    c.r.error(on, fmt::format("{}.on must be a month-day such as \"09-01\", got '{}'", path, *s));
    return;
  }
  if (!s || !places) return;
  if (places->is_table()) read_listed_years(c, *places->as_table(), mm, dd, path, out);
  else read_every_year(c, t, *places, mm, dd, path, out);
}

// { first_day = D, every_days = 365, count = 1, places = N }: day numbers.
void read_day_numbers(const Context& c, TableView& t, const toml::node* places, const std::string& path,
                      std::vector<model::Intake>& out) {
  auto first = c.r.number(*t.get("first_day"), path + ".first_day");
  auto every = c.r.optional_number(t, "every_days", path + ".every_days", 365.0);
  auto count = c.r.optional_integer(t, "count", path + ".count", 1, 100000, 1);
  std::optional<std::int64_t> n_places;
  if (places) n_places = c.r.integer(*places, path + ".places", 0, kMaxPeople);
  if (first && (*first < 0 || *first >= c.spec.horizon_days)) {
    c.r.error(*t.get("first_day"), fmt::format("{}.first_day {} is outside the scenario (0 to {} days)", path, *first,
                                               c.spec.horizon_days));
    first.reset();
  }
  if (every && !(*every > 0)) {
    c.r.error(*t.get("every_days"), fmt::format("{}.every_days must be positive", path));
    every.reset();
  }
  if (!first || !every || !count || !n_places) return;
  for (std::int64_t k = 0; k < *count; ++k) {
    const double day = *first + static_cast<double>(k) * *every;
    if (day >= c.spec.horizon_days) break;
    out.push_back({day, *n_places});
  }
}

}  // namespace

IntakeTable read_intake_table(const Context& c, const toml::node& n, const std::string& path) {
  IntakeTable out;
  if (!n.is_table()) {
    c.r.error(n, fmt::format("{} must be a table {{ on = \"09-01\", places = N }} or {{ first_day, every_days, count, places }}", path));
    return out;
  }
  TableView t(c.r, *n.as_table(), path);
  if (!t.exactly_one_of({"on", "first_day", "poisson_per_year", "poisson_per_day"},
                        "calendar date each year, a day number, or a Poisson arrival rate")) {
    t.allow({"places", "every_days", "count", "from_year", "to_year", "establishment", "counts"});
    t.finish();
    return out;
  }
  if (const toml::node* pn = t.get("poisson_per_year") ? t.get("poisson_per_year") : t.get("poisson_per_day")) {
    out.poisson_per_day = read_poisson(c.r, t, *pn, path);
    t.finish();
    return out;
  }
  const toml::node* places = read_places_node(c.r, t, path, out);
  const bool pull = t.get("establishment") != nullptr;
  if (const toml::node* on = t.get("on")) read_calendar(c, t, *on, places, path, out.intakes);
  else read_day_numbers(c, t, places, path, out.intakes);
  t.finish();
  if (pull)
    for (auto& in : out.intakes) {
      // Pull recruitment: the "places" read are the funded establishment to fill.
      in.establishment = in.places;
      in.places = 0;
    }
  return out;
}

}  // namespace tsim::scenario
