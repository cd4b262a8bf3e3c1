#include "sim/core/calendar.hpp"

#include <gtest/gtest.h>

using namespace tsim::core;

TEST(Calendar, CivilRoundTrip) {
  EXPECT_EQ(days_from_civil({1970, 1, 1}), 0);
  EXPECT_EQ(days_from_civil({2000, 3, 1}), 11017);
  for (std::int64_t d = -800000; d < 800000; d += 997) EXPECT_EQ(days_from_civil(civil_from_days(d)), d);
  EXPECT_EQ(days_between({2020, 4, 1}, {2021, 4, 1}), 365);
  EXPECT_EQ(days_between({2019, 4, 1}, {2020, 4, 1}), 366);  // 2020 is a leap year
}

TEST(Calendar, Validity) {
  EXPECT_TRUE(is_valid({2020, 2, 29}));
  EXPECT_FALSE(is_valid({2021, 2, 29}));
  EXPECT_FALSE(is_valid({1900, 2, 29}));
  EXPECT_TRUE(is_valid({2000, 2, 29}));
  EXPECT_FALSE(is_valid({2020, 13, 1}));
  EXPECT_FALSE(parse_date("2020-02-30").has_value());
  EXPECT_FALSE(parse_date("2020-2-3").has_value());
  EXPECT_EQ(parse_date("2020-04-01").value(), (Date{2020, 4, 1}));
  EXPECT_EQ(format_date({2020, 4, 1}), "2020-04-01");
}

TEST(Calendar, YearsAndQuarters) {
  EXPECT_EQ(financial_year({2021, 3, 31}), 2020);
  EXPECT_EQ(financial_year({2021, 4, 1}), 2021);
  EXPECT_EQ(academic_year({2021, 8, 31}), 2020);
  EXPECT_EQ(academic_year({2021, 9, 1}), 2021);
  EXPECT_EQ(calendar_quarter({2021, 3, 31}), 1);
  EXPECT_EQ(calendar_quarter({2021, 10, 1}), 4);
}

TEST(Calendar, PeriodEnds) {
  // Quarters from 1 April 2020 over one year: 1 Jul, 1 Oct, 1 Jan, then the horizon (1 Apr 2021).
  const auto q = period_ends({2020, 4, 1}, 365, PeriodKind::quarter);
  EXPECT_EQ(q, (std::vector<Day>{91, 183, 275, 365}));
  const auto fy = period_ends({2020, 4, 1}, 800, PeriodKind::financial_year);
  EXPECT_EQ(fy, (std::vector<Day>{365, 730, 800}));
  const auto d = period_ends({2020, 1, 1}, 1000, PeriodKind::days, 365);
  EXPECT_EQ(d, (std::vector<Day>{365, 730, 1000}));
  const auto m = period_ends({2020, 1, 15}, 40, PeriodKind::month);
  EXPECT_EQ(m, (std::vector<Day>{17, 40}));
}
