#include "spm/rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace spm {
inline namespace v1 {

namespace {
constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void domain_error(const std::string& what) {
  throw Error(ErrorCode::invalid_argument, what);
}

bool meets(Polarity p, double x, double t) {
  return p == Polarity::increasing ? x >= t : x <= t;
}
}  // namespace

ScoreRule rule_for(const Measure& m, double target, double default_cap) {
  ScoreRule r;
  r.method = m.method;
  r.polarity = m.polarity;
  r.baseline = m.baseline.value_or(0.0);
  r.target = target;
  r.band_low = m.band_low.value_or(nan_v);
  r.band_high = m.band_high.value_or(nan_v);
  r.band_tolerance = m.band_tolerance.value_or(nan_v);
  r.red_flag = m.red_flag.value_or(nan_v);
  r.goal = m.goal_value.value_or(nan_v);
  r.table = m.table;
  r.cap = m.cap.value_or(default_cap);
  return r;
}

double score_actual(const ScoreRule& r, double x) {
  if (std::isnan(x)) return nan_v;
  if (!std::isfinite(x)) domain_error(fmt::format("an actual must be finite, not {}", x));
  double s = nan_v;
  switch (r.method) {
    case ScoringMethod::linear: {
      const double b = r.baseline, t = r.target;
      if (std::isnan(t)) return nan_v;
      s = b == t ? (meets(r.polarity, x, t) ? 1.0 : 0.0) : (x - b) / (t - b);
      break;
    }
    case ScoringMethod::ratio: {
      const double t = r.target;
      if (std::isnan(t)) return nan_v;
      if (x < 0) domain_error(fmt::format("the ratio method needs actuals >= 0, not {}", x));
      if (r.polarity == Polarity::increasing)
        s = x / t;
      else
        s = x == 0 ? r.cap : t / x;
      break;
    }
    case ScoringMethod::band: {
      const double lo = r.band_low, hi = r.band_high, d = r.band_tolerance;
      if (x >= lo && x <= hi)
        s = 1.0;
      else if (x < lo)
        s = 1.0 - (lo - x) / d;
      else
        s = 1.0 - (x - hi) / d;
      break;
    }
    case ScoringMethod::thresholds:
      s = 0.5 + 0.5 * (x - r.red_flag) / (r.goal - r.red_flag);
      break;
    case ScoringMethod::binary:
      if (std::isnan(r.target)) return nan_v;
      s = meets(r.polarity, x, r.target) ? 1.0 : 0.0;
      break;
    case ScoringMethod::table: {
      const auto& rows = r.table;
      bool found = false;
      for (std::size_t i = 0; i < rows.size() && !found; ++i) {
        const bool last = i + 1 == rows.size();
        if (x >= rows[i].from && (x < rows[i].to || (last && x == rows[i].to))) {
          s = rows[i].score;
          found = true;
        }
      }
      if (!found)
        domain_error(
            fmt::format("the actual {} lies outside every range of the measure's table", x));
      break;
    }
  }
  if (std::isnan(s)) return nan_v;
  return std::min(std::max(s, 0.0), r.cap);
}

std::string StatusReason::to_string(Status status) const {
  const char* name = spm::to_string(status);
  switch (source) {
    case Source::no_data:
      return fmt::format("{}: no score", name);
    case Source::organization_bands:
    case Source::measure_bands: {
      const char* whose = source == Source::measure_bands ? "measure" : "organization";
      if (std::isinf(upper)) return fmt::format("{}: score >= {} ({} bands)", name, lower, whose);
      if (std::isinf(lower)) return fmt::format("{}: score < {} ({} bands)", name, upper, whose);
      return fmt::format("{}: {} <= score < {} ({} bands)", name, lower, upper, whose);
    }
    case Source::thresholds:
      switch (status) {
        case Status::green:
          return "green: at or past the goal (thresholds)";
        case Status::red:
          return "red: at or past the red flag (thresholds)";
        default:
          return "amber: between the red flag and the goal (thresholds)";
      }
  }
  return name;
}

StatusResult status_by_bands(double s, std::span<const StatusBand> bands,
                             StatusReason::Source source) {
  StatusResult out;
  if (std::isnan(s)) return out;
  double upper = std::numeric_limits<double>::infinity();
  for (const auto& b : bands) {
    if (s >= b.lower) {
      out.status = b.status;
      out.reason = StatusReason{source, b.lower, upper};
      return out;
    }
    upper = b.lower;
  }
  // Below every band (bands whose lowest edge is above 0 are refused by validation).
  out.status = bands.empty() ? Status::no_data : bands.back().status;
  out.reason = StatusReason{source, -std::numeric_limits<double>::infinity(), upper};
  return out;
}

StatusResult status_by_thresholds(double s) {
  StatusResult out;
  if (std::isnan(s)) return out;
  out.reason.source = StatusReason::Source::thresholds;
  out.status = s >= 1.0 ? Status::green : s <= 0.5 ? Status::red : Status::amber;
  out.reason.lower = s >= 1.0 ? 1.0 : s <= 0.5 ? -std::numeric_limits<double>::infinity() : 0.5;
  out.reason.upper = s >= 1.0 ? std::numeric_limits<double>::infinity() : s <= 0.5 ? 0.5 : 1.0;
  return out;
}

double aggregate(Aggregation how, std::span<const double> values) {
  double acc = nan_v;
  std::size_t n = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    if (n == 0) {
      acc = v;
    } else {
      switch (how) {
        case Aggregation::sum:
        case Aggregation::average:
        case Aggregation::ratio:
          acc += v;
          break;
        case Aggregation::last:
          acc = v;
          break;
        case Aggregation::min:
          acc = std::min(acc, v);
          break;
        case Aggregation::max:
          acc = std::max(acc, v);
          break;
      }
    }
    ++n;
  }
  if (n > 0 && (how == Aggregation::average || how == Aggregation::ratio))
    acc /= static_cast<double>(n);
  return acc;
}

double aggregate_ratio(std::span<const double> numerators, std::span<const double> denominators) {
  double num = 0, den = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < numerators.size() && i < denominators.size(); ++i) {
    if (std::isnan(numerators[i]) || std::isnan(denominators[i])) continue;
    num += numerators[i];
    den += denominators[i];
    ++n;
  }
  return n == 0 || den == 0 ? nan_v : num / den;
}

const char* to_string(Scale s) noexcept {
  switch (s) {
    case Scale::fraction:
      return "fraction";
    case Scale::percent:
      return "percent";
    case Scale::ten_point:
      return "ten_point";
    case Scale::five_point:
      return "five_point";
  }
  return "?";
}

double to_scale(double s, Scale scale) noexcept {
  switch (scale) {
    case Scale::fraction:
      return s;
    case Scale::percent:
      return s * 100.0;
    case Scale::ten_point:
      return s * 20.0 / 3.0;
    case Scale::five_point:
      return s * 10.0 / 3.0;
  }
  return s;
}

double round_half_away(double x, int decimals) noexcept {
  if (!std::isfinite(x)) return x;
  decimals = std::clamp(decimals, 0, 12);
  // A scaled value within a few ulps of a half is the decimal half that the number prints as:
  // 2.675 is stored a hair below 2.675, and a reader expects it to round to 2.68.
  const double scale = std::pow(10.0, decimals);
  double scaled = x * scale;
  const double half = std::floor(std::fabs(scaled)) + 0.5;
  if (std::fabs(std::fabs(scaled) - half) <= 8 * std::numeric_limits<double>::epsilon() * half)
    scaled = std::copysign(half, scaled);
  const double r = std::round(scaled) / scale;
  return r == 0 ? 0.0 : r;  // no negative zero on display
}

}  // namespace v1
}  // namespace spm
