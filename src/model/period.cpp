#include "spm/period.hpp"

#include <fmt/format.h>

#include <charconv>

#include "spm/error.hpp"

namespace spm {
inline namespace v1 {

// Layout of Period's 32 bits: year << 8 | index << 2 | kind.

namespace {
constexpr std::uint32_t pack(int year, int index, Period::Kind kind) {
  return (static_cast<std::uint32_t>(year) << 8) | (static_cast<std::uint32_t>(index) << 2) |
         static_cast<std::uint32_t>(kind);
}

bool parse_digits(std::string_view text, int& out) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  if (text.size() <= 9) {  // the years, months and days of periods and dates: no overflow
    int v = 0;
    for (char c : text) v = v * 10 + (c - '0');
    out = v;
    return true;
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}
int days_in_month(int y, int m) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}
}  // namespace

Period Period::month(int year, int month) {
  if (year < 1 || year > 9999 || month < 1 || month > 12)
    throw Error(ErrorCode::invalid_argument, fmt::format("invalid month {}-{}", year, month));
  return Period(pack(year, month, Kind::month));
}

Period Period::quarter(int year, int quarter) {
  if (year < 1 || year > 9999 || quarter < 1 || quarter > 4)
    throw Error(ErrorCode::invalid_argument, fmt::format("invalid quarter {}-Q{}", year, quarter));
  return Period(pack(year, quarter, Kind::quarter));
}

Period Period::year(int year) {
  if (year < 1 || year > 9999)
    throw Error(ErrorCode::invalid_argument, fmt::format("invalid year {}", year));
  return Period(pack(year, 0, Kind::year));
}

std::optional<Period> Period::parse(std::string_view text) noexcept {
  int y = 0;
  if (text.size() < 4 || !parse_digits(text.substr(0, 4), y) || y < 1) return std::nullopt;
  if (text.size() == 4) return Period(pack(y, 0, Kind::year));
  if (text[4] != '-') return std::nullopt;
  std::string_view rest = text.substr(5);
  int n = 0;
  if (rest.size() == 2 && rest[0] == 'Q' && parse_digits(rest.substr(1), n) && n >= 1 && n <= 4)
    return Period(pack(y, n, Kind::quarter));
  if (rest.size() == 2 && parse_digits(rest, n) && n >= 1 && n <= 12)
    return Period(pack(y, n, Kind::month));
  return std::nullopt;
}

Period Period::from_string(std::string_view text) {
  if (auto p = parse(text)) return *p;
  throw Error(ErrorCode::invalid_argument,
              fmt::format("'{}' is not a period (expected YYYY-MM, YYYY-Qn or YYYY)", text));
}

int Period::first_month() const noexcept {
  int y = year_number() * 12;
  switch (kind()) {
    case Kind::month:
      return y + index() - 1;
    case Kind::quarter:
      return y + (index() - 1) * 3;
    case Kind::year:
      return y;
  }
  return y;
}

int Period::last_month() const noexcept {
  int y = year_number() * 12;
  switch (kind()) {
    case Kind::month:
      return y + index() - 1;
    case Kind::quarter:
      return y + index() * 3 - 1;
    case Kind::year:
      return y + 11;
  }
  return y;
}

bool Period::contains(Period other) const noexcept {
  return first_month() <= other.first_month() && other.last_month() <= last_month();
}

std::uint64_t Period::sort_key() const noexcept {
  // Earlier start first; for the same start, the longer period first.
  return (static_cast<std::uint64_t>(first_month()) << 8) | (2u - static_cast<unsigned>(kind()));
}

std::string Period::to_string() const {
  switch (kind()) {
    case Kind::month:
      return fmt::format("{:04}-{:02}", year_number(), index());
    case Kind::quarter:
      return fmt::format("{:04}-Q{}", year_number(), index());
    case Kind::year:
      return fmt::format("{:04}", year_number());
  }
  return {};
}

Date Date::from_ymd(int year, int month, int day) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      day > days_in_month(year, month))
    throw Error(ErrorCode::invalid_argument,
                fmt::format("invalid date {:04}-{:02}-{:02}", year, month, day));
  Date d;
  d.year_ = static_cast<std::int16_t>(year);
  d.month_ = static_cast<std::uint8_t>(month);
  d.day_ = static_cast<std::uint8_t>(day);
  return d;
}

std::optional<Date> Date::parse(std::string_view text) noexcept {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!parse_digits(text.substr(0, 4), y) || !parse_digits(text.substr(5, 2), m) ||
      !parse_digits(text.substr(8, 2), d))
    return std::nullopt;
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return std::nullopt;
  Date out;
  out.year_ = static_cast<std::int16_t>(y);
  out.month_ = static_cast<std::uint8_t>(m);
  out.day_ = static_cast<std::uint8_t>(d);
  return out;
}

Date Date::from_string(std::string_view text) {
  if (auto d = parse(text)) return *d;
  throw Error(ErrorCode::invalid_argument,
              fmt::format("'{}' is not a date (expected YYYY-MM-DD)", text));
}

std::int64_t Date::days() const noexcept {
  // Howard Hinnant's days_from_civil.
  std::int64_t y = year_;
  const unsigned m = month_, d = day_;
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::string Date::to_string() const {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(year_), static_cast<int>(month_),
                     static_cast<int>(day_));
}

}  // namespace v1
}  // namespace spm
