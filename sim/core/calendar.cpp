#include "sim/core/calendar.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>

namespace tsim::core {

namespace {
bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
unsigned days_in_month(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && is_leap(y)) ? 29 : kDays[m - 1];
}
}  // namespace

bool is_valid(const Date& d) {
  return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
         d.day <= days_in_month(d.year, d.month);
}

// Howard Hinnant's days_from_civil / civil_from_days (public domain).
std::int64_t days_from_civil(const Date& d) {
  const std::int64_t y = static_cast<std::int64_t>(d.year) - (d.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (d.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = yoe + era * 400;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const auto day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const auto month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  return Date{static_cast<int>(y + (month <= 2 ? 1 : 0)), month, day};
}

std::int64_t days_between(const Date& from, const Date& to) { return days_from_civil(to) - days_from_civil(from); }

std::string format_date(const Date& d) { return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day); }

std::optional<Date> parse_date(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) return std::nullopt;
  Date out{y, m, d};
  if (!is_valid(out)) return std::nullopt;
  return out;
}

Date add_months(const Date& d, int months) {
  const std::int64_t index = static_cast<std::int64_t>(d.year) * 12 + (d.month - 1) + months;  // months since year 0
  const auto year = static_cast<int>(index >= 0 ? index / 12 : (index - 11) / 12);
  const auto month = static_cast<unsigned>(index - static_cast<std::int64_t>(year) * 12 + 1);
  return Date{year, month, std::min(d.day, days_in_month(year, month))};
}

Day add_span(const Date& start, Day day, const Span& span) {
  if (span.months == 0) return day + span.days;
  const double whole = std::floor(day);
  const std::int64_t origin = days_from_civil(start);
  const Date from = civil_from_days(origin + static_cast<std::int64_t>(whole));
  const Date to = add_months(from, span.months);
  return static_cast<double>(days_from_civil(to) - origin) + (day - whole) + span.days;
}

double shortest_days(const Span& span) {
  // 12 months are at least 365 days; a single month at least 28; the months
  // beyond whole years at least 28 + 30 x (n - 1) - 1 (with February among them).
  const int years = span.months / 12, rest = span.months % 12;
  return 365.0 * years + (rest == 0 ? 0.0 : 30.0 * rest - 3.0) + span.days;
}

double longest_days(const Span& span) {
  const int years = span.months / 12, rest = span.months % 12;
  return 366.0 * years + 31.0 * rest + span.days;
}

int financial_year(const Date& d) { return d.month >= 4 ? d.year : d.year - 1; }
int academic_year(const Date& d) { return d.month >= 9 ? d.year : d.year - 1; }
int calendar_quarter(const Date& d) { return static_cast<int>((d.month - 1) / 3 + 1); }

namespace {
// The first boundary strictly after `d` for a calendar period kind.
Date next_boundary(const Date& d, PeriodKind kind) {
  switch (kind) {
    case PeriodKind::month:
      return d.month == 12 ? Date{d.year + 1, 1, 1} : Date{d.year, d.month + 1, 1};
    case PeriodKind::quarter: {
      unsigned next_q_month = ((d.month - 1) / 3 + 1) * 3 + 1;
      return next_q_month > 12 ? Date{d.year + 1, 1, 1} : Date{d.year, next_q_month, 1};
    }
    case PeriodKind::year:
      return Date{d.year + 1, 1, 1};
    case PeriodKind::financial_year:
      return Date{financial_year(d) + 1, 4, 1};
    case PeriodKind::academic_year:
      return Date{academic_year(d) + 1, 9, 1};
    case PeriodKind::days:
      break;
  }
  return d;
}
}  // namespace

std::vector<Day> period_ends(const Date& start, double horizon_days, PeriodKind kind, double every_days) {
  std::vector<Day> ends;
  if (kind == PeriodKind::days) {
    if (every_days > 0) {
      for (double t = every_days; t < horizon_days; t += every_days) ends.push_back(t);
    }
  } else {
    const std::int64_t origin = days_from_civil(start);
    Date b = next_boundary(start, kind);
    while (true) {
      const auto t = static_cast<double>(days_from_civil(b) - origin);
      if (t >= horizon_days) break;
      ends.push_back(t);
      b = next_boundary(b, kind);
    }
  }
  ends.push_back(horizon_days);
  return ends;
}

}  // namespace tsim::core
