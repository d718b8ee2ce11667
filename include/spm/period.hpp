// spm/period.hpp - calendar periods (months, quarters, years) and dates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace spm {
inline namespace v1 {

class Actuals;

/// A calendar month, quarter or year, keyed as `2026-03`, `2026-Q1` or `2026`.
/// Packed in 32 bits; ordered by start, then by length (a year before its first quarter before
/// its first month), so sorting keys sorts time.
class Period {
 public:
  enum class Kind : std::uint8_t { month = 0, quarter = 1, year = 2 };

  Period() = default;                            ///< 0000 (a year); use parse() or the factories
  static Period month(int year, int month);      ///< throws spm::Error on out-of-range values
  static Period quarter(int year, int quarter);  ///< quarter 1..4
  static Period year(int year);                  ///< years 1..9999

  /// Parses `YYYY-MM`, `YYYY-Qn` or `YYYY`; nullopt if the text is not one of those.
  static std::optional<Period> parse(std::string_view text) noexcept;
  /// Like parse(), but throws spm::Error(invalid_argument) naming the text.
  static Period from_string(std::string_view text);

  Kind kind() const noexcept { return static_cast<Kind>(bits_ & 3u); }
  int year_number() const noexcept { return static_cast<int>(bits_ >> 8); }
  /// Month 1..12 for months, quarter 1..4 for quarters, 0 for years.
  int index() const noexcept { return static_cast<int>((bits_ >> 2) & 0x3fu); }
  /// First and last month of the period as months since year 0 (year*12 + month-1).
  int first_month() const noexcept;
  int last_month() const noexcept;
  /// Whether `other` lies within this period (a month within its quarter or year, ...).
  bool contains(Period other) const noexcept;

  std::string to_string() const;
  std::uint32_t raw() const noexcept { return bits_; }

  friend bool operator==(Period a, Period b) noexcept { return a.bits_ == b.bits_; }
  friend bool operator<(Period a, Period b) noexcept { return a.sort_key() < b.sort_key(); }

 private:
  friend class Actuals;  // keeps periods as their bits
  explicit Period(std::uint32_t bits) : bits_(bits) {}
  std::uint64_t sort_key() const noexcept;
  std::uint32_t bits_ = 2u;  // year 0
};

/// A calendar date (proleptic Gregorian), written `YYYY-MM-DD`.
class Date {
 public:
  Date() = default;
  static Date from_ymd(int year, int month, int day);  ///< throws spm::Error on an invalid date
  static std::optional<Date> parse(std::string_view text) noexcept;
  static Date from_string(std::string_view text);  ///< throws spm::Error naming the text

  int year() const noexcept { return year_; }
  int month() const noexcept { return month_; }
  int day() const noexcept { return day_; }
  /// Days since 1970-01-01 (negative before).
  std::int64_t days() const noexcept;
  std::string to_string() const;

  friend bool operator==(Date a, Date b) noexcept = default;
  friend auto operator<=>(Date a, Date b) noexcept = default;

 private:
  std::int16_t year_ = 1970;
  std::uint8_t month_ = 1;
  std::uint8_t day_ = 1;
};

}  // namespace v1
}  // namespace spm
