#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "spm/error.hpp"
#include "spm/period.hpp"

using spm::Date;
using spm::Period;

TEST(Period, ParsesMonthsQuartersAndYears) {
  auto m = Period::parse("2026-03");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind(), Period::Kind::month);
  EXPECT_EQ(m->year_number(), 2026);
  EXPECT_EQ(m->index(), 3);
  EXPECT_EQ(m->to_string(), "2026-03");

  auto q = Period::parse("2026-Q4");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->kind(), Period::Kind::quarter);
  EXPECT_EQ(q->index(), 4);
  EXPECT_EQ(q->to_string(), "2026-Q4");

  auto y = Period::parse("2026");
  ASSERT_TRUE(y);
  EXPECT_EQ(y->kind(), Period::Kind::year);
  EXPECT_EQ(y->to_string(), "2026");
}

TEST(Period, RejectsMalformedText) {
  for (const char* bad :
       {"", "26", "2026-", "2026-13", "2026-00", "2026-Q0", "2026-Q5", "2026-3", "2026/03",
        "2026-03-01", "0000", "abcd", "2026-q1", " 2026", "2026-Q1x", "+026", "-2026"})
    EXPECT_FALSE(Period::parse(bad)) << bad;
  EXPECT_THROW(Period::from_string("2026-13"), spm::Error);
  try {
    Period::from_string("2026-13");
  } catch (const spm::Error& e) {
    EXPECT_EQ(e.code(), spm::ErrorCode::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("2026-13"), std::string::npos);
  }
}

TEST(Period, FactoriesCheckRanges) {
  EXPECT_THROW(Period::month(2026, 0), spm::Error);
  EXPECT_THROW(Period::month(2026, 13), spm::Error);
  EXPECT_THROW(Period::quarter(2026, 5), spm::Error);
  EXPECT_THROW(Period::year(0), spm::Error);
  EXPECT_THROW(Period::year(10000), spm::Error);
  EXPECT_EQ(Period::month(2026, 12).to_string(), "2026-12");
}

TEST(Period, OrdersByStartThenLongerFirst) {
  std::vector<Period> ps = {Period::month(2026, 2),  Period::quarter(2026, 1),
                            Period::month(2026, 1),  Period::year(2026),
                            Period::month(2025, 12), Period::quarter(2026, 2)};
  std::sort(ps.begin(), ps.end());
  std::vector<std::string> keys;
  for (auto p : ps) keys.push_back(p.to_string());
  EXPECT_EQ(keys, (std::vector<std::string>{"2025-12", "2026", "2026-Q1", "2026-01", "2026-02",
                                            "2026-Q2"}));
}

TEST(Period, ContainsAndMonthSpans) {
  const auto q1 = Period::quarter(2026, 1);
  EXPECT_TRUE(q1.contains(Period::month(2026, 3)));
  EXPECT_FALSE(q1.contains(Period::month(2026, 4)));
  EXPECT_TRUE(Period::year(2026).contains(q1));
  EXPECT_FALSE(q1.contains(Period::year(2026)));
  EXPECT_EQ(q1.last_month() - q1.first_month(), 2);
  EXPECT_EQ(Period::year(2026).last_month() - Period::year(2026).first_month(), 11);
}

TEST(Date, ParsesAndValidatesCalendar) {
  auto d = Date::parse("2024-02-29");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->to_string(), "2024-02-29");
  EXPECT_FALSE(Date::parse("2026-02-29"));  // not a leap year
  EXPECT_FALSE(Date::parse("1900-02-29"));  // century rule
  EXPECT_TRUE(Date::parse("2000-02-29"));   // 400-year rule
  for (const char* bad : {"", "2026-1-01", "2026-13-01", "2026-04-31", "2026-00-10", "26-01-01",
                          "2026-01-01T00", "2026/01/01"})
    EXPECT_FALSE(Date::parse(bad)) << bad;
  EXPECT_THROW(Date::from_ymd(2026, 4, 31), spm::Error);
}

TEST(Date, DaysAndOrder) {
  EXPECT_EQ(Date::from_string("1970-01-01").days(), 0);
  EXPECT_EQ(Date::from_string("2000-03-01").days() - Date::from_string("2000-02-28").days(), 2);
  EXPECT_EQ(Date::from_string("2026-11-25").days(), 20782);  // checked with Python datetime
  EXPECT_LT(Date::from_string("2026-01-31"), Date::from_string("2026-02-01"));
}
