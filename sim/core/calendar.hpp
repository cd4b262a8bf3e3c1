// Calendar helpers. Simulation time is a double: days since the scenario's
// start date. These convert between that and civil (proleptic Gregorian) dates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tsim::core {

/// Simulation time in days since the scenario start date.
using Day = double;

/// Days in a year where a year is a rate's or a random duration's unit (per
/// year, *_years distributions): the mean Gregorian year. A fixed number of
/// years or months is a calendar span instead (Span, add_span).
inline constexpr double kDaysPerYear = 365.2425;
inline constexpr double kDaysPerMonth = kDaysPerYear / 12.0;

struct Date {
  int year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31

  friend bool operator==(const Date&, const Date&) = default;
  friend auto operator<=>(const Date&, const Date&) = default;
};

/// Whether y-m-d names a real calendar day.
[[nodiscard]] bool is_valid(const Date& d);
/// Days since 1970-01-01 (negative before it). Requires is_valid(d).
[[nodiscard]] std::int64_t days_from_civil(const Date& d);
/// Inverse of days_from_civil.
[[nodiscard]] Date civil_from_days(std::int64_t days);
/// Whole days from `from` to `to` (negative if `to` is earlier).
[[nodiscard]] std::int64_t days_between(const Date& from, const Date& to);
/// "YYYY-MM-DD".
[[nodiscard]] std::string format_date(const Date& d);
/// Parses "YYYY-MM-DD"; nullopt if malformed or not a real day.
[[nodiscard]] std::optional<Date> parse_date(const std::string& text);

/// `d` plus `months` calendar months: the same day of the month, or the last
/// day of a shorter month (31 January + 1 month = 28 or 29 February).
[[nodiscard]] Date add_months(const Date& d, int months);

/// A fixed length of time written in calendar units: whole months (a year is
/// 12) and then days. Added to a day, the months land on the same calendar
/// day, leap years included; a 2-year course from 1 September ends on
/// 1 September every time.
struct Span {
  std::int32_t months = 0;
  double days = 0.0;
  friend bool operator==(const Span&, const Span&) = default;
};

/// The day (days since `start`, any real number) that is `span` after `day`.
/// The fraction of a day carries over unchanged.
[[nodiscard]] Day add_span(const Date& start, Day day, const Span& span);

/// The shortest and longest number of days `span` can be, whatever its start.
[[nodiscard]] double shortest_days(const Span& span);
[[nodiscard]] double longest_days(const Span& span);

/// UK financial year containing d, named by the year it starts (1 April).
[[nodiscard]] int financial_year(const Date& d);
/// Academic year containing d, named by the year it starts (1 September).
[[nodiscard]] int academic_year(const Date& d);
/// Calendar quarter 1..4 (Jan-Mar = 1).
[[nodiscard]] int calendar_quarter(const Date& d);

/// How census periods are cut.
enum class PeriodKind { month, quarter, year, financial_year, academic_year, days };

/// Period ends (days since `start`) for a run of `horizon_days`: each calendar
/// boundary after the start (the first day of the next period), and finally
/// the horizon itself. With PeriodKind::days, every `every_days` days.
[[nodiscard]] std::vector<Day> period_ends(const Date& start, double horizon_days, PeriodKind kind,
                                           double every_days = 0.0);

}  // namespace tsim::core
