// spm/rules.hpp - the arithmetic of one measure in one period (DOMAIN.md sections 3 and 4):
// an actual becomes a score, a score becomes a status, values of several periods combine.
//
// These are pure functions: the scoring engine (spm/scoring.hpp) calls them for every measure
// and period, and hosts may call them directly to show how a number came about.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "spm/model.hpp"

namespace spm {
inline namespace v1 {

/// Everything that turns an actual into a score, resolved for one period: the method, the
/// polarity, the target that applies in the period and the cap. Build it with rule_for().
struct ScoreRule {
  ScoringMethod method = ScoringMethod::linear;
  Polarity polarity = Polarity::increasing;
  double baseline = 0.0;
  double target = 0.0;  ///< NaN when the period has no target (methods that need one give no score)
  double band_low = 0.0, band_high = 0.0, band_tolerance = 0.0;
  double red_flag = 0.0, goal = 0.0;
  std::span<const ScoreRange> table;
  double cap = 1.0;
};

/// The rule of a measure with a given target (NaN: none) and the organization's cap as default.
ScoreRule rule_for(const Measure& measure, double target, double default_cap);

/// DOMAIN.md section 3: the score of actual `x`, in [0, cap]. NaN (no data) gives NaN; an
/// infinite actual, a negative one for the ratio method, or one outside every range of a table
/// throws spm::Error(invalid_argument) naming the value. A rule that needs a target and has
/// none (NaN) gives NaN.
double score_actual(const ScoreRule& rule, double x);

/// Where a status came from (DOMAIN.md: every status comes with the rule that produced it).
struct StatusReason {
  enum class Source : std::uint8_t { no_data, organization_bands, measure_bands, thresholds };
  Source source = Source::no_data;
  double lower = 0.0;  ///< the band's inclusive lower edge (bands), or the score edge (thresholds)
  double upper = 0.0;  ///< the next band's lower edge (exclusive), +inf for the top band
  std::string to_string(Status status) const;  ///< e.g. "green: score >= 0.9 (organization bands)"
};

struct StatusResult {
  Status status = Status::no_data;
  StatusReason reason;
};

/// The status of score `s` by ordered bands (inclusive lower edges, in decreasing order).
StatusResult status_by_bands(
    double s, std::span<const StatusBand> bands,
    StatusReason::Source source = StatusReason::Source::organization_bands);
/// The thresholds method's own rule: green at or past the goal (s >= 1), red at or past the red
/// flag (s <= 0.5), amber between.
StatusResult status_by_thresholds(double s);

/// Combines the values of several periods (in period order) as the measure says, skipping NaN;
/// NaN when there are none. Actuals of a `ratio` measure combine with aggregate_ratio():
/// sum(numerators) / sum(denominators) (2/4 and 2/100 make 4/104, never the mean of 50% and 2%);
/// aggregate(ratio, ...) averages, which is how the targets of a ratio measure combine.
double aggregate(Aggregation how, std::span<const double> values);
double aggregate_ratio(std::span<const double> numerators, std::span<const double> denominators);

/// Display scales; rounding happens only for display (round_half_away).
enum class Scale : std::uint8_t { fraction, percent, ten_point, five_point };
const char* to_string(Scale) noexcept;
/// The score on a display scale: fraction s, percent 100 s, ten-point s * 20 / 3 (so the
/// thresholds method's red flag shows 3.33 and its goal 6.67), five-point s * 10 / 3.
double to_scale(double s, Scale scale) noexcept;
/// Rounds half away from zero to `decimals` places (0..12); NaN stays NaN.
double round_half_away(double x, int decimals) noexcept;

}  // namespace v1
}  // namespace spm
