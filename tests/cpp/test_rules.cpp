// Every row of DOMAIN.md's method table at its boundaries, the cap, NaN and infinity, status
// bands at their edges, period aggregation and display rounding.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "spm/rules.hpp"

using namespace spm;

namespace {
constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

ScoreRule linear(double b, double t, Polarity p = Polarity::increasing, double cap = 1.0) {
  ScoreRule r;
  r.method = ScoringMethod::linear;
  r.baseline = b;
  r.target = t;
  r.polarity = p;
  r.cap = cap;
  return r;
}
}  // namespace

TEST(Linear, BaselineTargetAndBetween) {
  auto r = linear(10, 20);
  EXPECT_DOUBLE_EQ(score_actual(r, 10), 0.0);  // exactly at baseline
  EXPECT_DOUBLE_EQ(score_actual(r, 20), 1.0);  // exactly at target
  EXPECT_DOUBLE_EQ(score_actual(r, 15), 0.5);
  EXPECT_DOUBLE_EQ(score_actual(r, 5), 0.0);   // worse than baseline: never below 0
  EXPECT_DOUBLE_EQ(score_actual(r, 25), 1.0);  // over-achievement capped at the default cap 1
  r.cap = 1.2;
  EXPECT_DOUBLE_EQ(score_actual(r, 21), 1.1);
  EXPECT_DOUBLE_EQ(score_actual(r, 22), 1.2);  // exactly at the cap
  EXPECT_DOUBLE_EQ(score_actual(r, 100), 1.2);
}

TEST(Linear, DecreasingPolarity) {
  auto r = linear(30, 10, Polarity::decreasing);  // e.g. days to issue a permit
  EXPECT_DOUBLE_EQ(score_actual(r, 30), 0.0);
  EXPECT_DOUBLE_EQ(score_actual(r, 10), 1.0);
  EXPECT_DOUBLE_EQ(score_actual(r, 20), 0.5);
  EXPECT_DOUBLE_EQ(score_actual(r, 40), 0.0);
  EXPECT_DOUBLE_EQ(score_actual(r, 0), 1.0);
}

TEST(Linear, BaselineEqualsTarget) {
  auto up = linear(5, 5);
  EXPECT_DOUBLE_EQ(score_actual(up, 5), 1.0);
  EXPECT_DOUBLE_EQ(score_actual(up, 6), 1.0);
  EXPECT_DOUBLE_EQ(score_actual(up, 4.999), 0.0);
  auto down = linear(5, 5, Polarity::decreasing);
  EXPECT_DOUBLE_EQ(score_actual(down, 5), 1.0);
  EXPECT_DOUBLE_EQ(score_actual(down, 4), 1.0);
  EXPECT_DOUBLE_EQ(score_actual(down, 5.001), 0.0);
}

TEST(Linear, NegativeValuesWhereAllowed) {
  auto r = linear(-10, 10);  // e.g. a budget balance
  EXPECT_DOUBLE_EQ(score_actual(r, 0), 0.5);
  EXPECT_DOUBLE_EQ(score_actual(r, -10), 0.0);
  EXPECT_DOUBLE_EQ(score_actual(r, -20), 0.0);
}

TEST(Linear, NoTargetGivesNoScore) {
  EXPECT_TRUE(std::isnan(score_actual(linear(0, nan_v), 3)));
}

TEST(Ratio, IncreasingAndDecreasing) {
  ScoreRule r;
  r.method = ScoringMethod::ratio;
  r.target = 50;
  EXPECT_DOUBLE_EQ(score_actual(r, 0), 0.0);
  EXPECT_DOUBLE_EQ(score_actual(r, 25), 0.5);
  EXPECT_DOUBLE_EQ(score_actual(r, 50), 1.0);
  EXPECT_DOUBLE_EQ(score_actual(r, 75), 1.0);  // capped
  r.cap = 1.5;
  EXPECT_DOUBLE_EQ(score_actual(r, 75), 1.5);
  r.polarity = Polarity::decreasing;
  EXPECT_DOUBLE_EQ(score_actual(r, 100), 0.5);
  EXPECT_DOUBLE_EQ(score_actual(r, 50), 1.0);
  EXPECT_DOUBLE_EQ(score_actual(r, 0), 1.5);  // x == 0 gives the cap
  EXPECT_THROW(score_actual(r, -1), Error);   // out of the method's domain
}

TEST(Band, InsideEdgesAndTolerance) {
  ScoreRule r;
  r.method = ScoringMethod::band;
  r.band_low = 95;
  r.band_high = 105;
  r.band_tolerance = 10;                        // e.g. budget execution in percent
  EXPECT_DOUBLE_EQ(score_actual(r, 95), 1.0);   // lower edge inside
  EXPECT_DOUBLE_EQ(score_actual(r, 105), 1.0);  // upper edge inside
  EXPECT_DOUBLE_EQ(score_actual(r, 100), 1.0);
  EXPECT_DOUBLE_EQ(score_actual(r, 90), 0.5);
  EXPECT_DOUBLE_EQ(score_actual(r, 110), 0.5);
  EXPECT_DOUBLE_EQ(score_actual(r, 85), 0.0);  // exactly lo - d
  EXPECT_DOUBLE_EQ(score_actual(r, 115), 0.0);
  EXPECT_DOUBLE_EQ(score_actual(r, 0), 0.0);
  r.cap = 2;
  EXPECT_DOUBLE_EQ(score_actual(r, 100), 1.0);  // a band never over-achieves
}

TEST(Thresholds, RedFlagAndGoal) {
  ScoreRule r;
  r.method = ScoringMethod::thresholds;
  r.red_flag = 60;
  r.goal = 80;
  EXPECT_DOUBLE_EQ(score_actual(r, 60), 0.5);  // at the red flag
  EXPECT_DOUBLE_EQ(score_actual(r, 80), 1.0);  // at the goal
  EXPECT_DOUBLE_EQ(score_actual(r, 70), 0.75);
  EXPECT_DOUBLE_EQ(score_actual(r, 40), 0.0);  // one gap below the red flag
  EXPECT_DOUBLE_EQ(score_actual(r, 30), 0.0);
  EXPECT_DOUBLE_EQ(score_actual(r, 100), 1.0);  // capped at 1 by default
  r.cap = 1.5;
  EXPECT_DOUBLE_EQ(score_actual(r, 100), 1.5);
  // The ten-point convention: the red flag shows 3.33, the goal 6.67, the cap 10.
  EXPECT_NEAR(to_scale(score_actual(r, 60), Scale::ten_point), 10.0 / 3, 1e-12);
  EXPECT_NEAR(to_scale(score_actual(r, 80), Scale::ten_point), 20.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(to_scale(score_actual(r, 1000), Scale::ten_point), 10.0);
  // Reversed order: a decreasing measure (e.g. complaints), same shape.
  r.red_flag = 20;
  r.goal = 10;
  EXPECT_DOUBLE_EQ(score_actual(r, 20), 0.5);
  EXPECT_DOUBLE_EQ(score_actual(r, 10), 1.0);
  EXPECT_DOUBLE_EQ(score_actual(r, 30), 0.0);
}

TEST(Binary, MetOrNot) {
  ScoreRule r;
  r.method = ScoringMethod::binary;
  r.target = 1;
  EXPECT_DOUBLE_EQ(score_actual(r, 1), 1.0);
  EXPECT_DOUBLE_EQ(score_actual(r, 0.999), 0.0);
  r.polarity = Polarity::decreasing;
  r.target = 0;  // e.g. zero serious incidents
  EXPECT_DOUBLE_EQ(score_actual(r, 0), 1.0);
  EXPECT_DOUBLE_EQ(score_actual(r, 1), 0.0);
}

TEST(Table, LowerInclusiveUpperExclusiveLastClosed) {
  std::vector<ScoreRange> rows = {{0, 50, 0.0}, {50, 80, 0.6}, {80, 100, 1.0}};
  ScoreRule r;
  r.method = ScoringMethod::table;
  r.table = rows;
  EXPECT_DOUBLE_EQ(score_actual(r, 0), 0.0);
  EXPECT_DOUBLE_EQ(score_actual(r, 49.999), 0.0);
  EXPECT_DOUBLE_EQ(score_actual(r, 50), 0.6);  // lower edge inclusive
  EXPECT_DOUBLE_EQ(score_actual(r, 80), 1.0);
  EXPECT_DOUBLE_EQ(score_actual(r, 100), 1.0);  // the last range is closed
  EXPECT_THROW(score_actual(r, 100.5), Error);
  EXPECT_THROW(score_actual(r, -1), Error);
}

TEST(AllMethods, NanIsNoDataAndInfinityIsAnError) {
  for (auto m : {ScoringMethod::linear, ScoringMethod::ratio, ScoringMethod::band,
                 ScoringMethod::thresholds, ScoringMethod::binary, ScoringMethod::table}) {
    ScoreRule r = linear(0, 10);
    r.method = m;
    EXPECT_TRUE(std::isnan(score_actual(r, nan_v))) << to_string(m);
    EXPECT_THROW(score_actual(r, inf), Error) << to_string(m);
    EXPECT_THROW(score_actual(r, -inf), Error) << to_string(m);
  }
}

TEST(RuleFor, TakesTheMeasuresParametersAndCap) {
  Measure m;
  m.method = ScoringMethod::linear;
  m.baseline = 2;
  auto r = rule_for(m, 4, 1.3);
  EXPECT_DOUBLE_EQ(r.cap, 1.3);
  EXPECT_DOUBLE_EQ(score_actual(r, 3), 0.5);
  m.cap = 2.0;
  EXPECT_DOUBLE_EQ(rule_for(m, 4, 1.3).cap, 2.0);
}

TEST(Status, DefaultBandEdges) {
  auto bands = default_status_bands();
  EXPECT_EQ(status_by_bands(0.9, bands).status, Status::green);  // inclusive lower edge
  EXPECT_EQ(status_by_bands(0.8999999, bands).status, Status::amber);
  EXPECT_EQ(status_by_bands(0.7, bands).status, Status::amber);
  EXPECT_EQ(status_by_bands(0.6999999, bands).status, Status::red);
  EXPECT_EQ(status_by_bands(0.0, bands).status, Status::red);
  EXPECT_EQ(status_by_bands(1.2, bands).status, Status::green);
  EXPECT_EQ(status_by_bands(nan_v, bands).status, Status::no_data);
  auto g = status_by_bands(0.95, bands);
  EXPECT_EQ(g.reason.to_string(g.status), "green: score >= 0.9 (organization bands)");
  auto a = status_by_bands(0.75, bands, StatusReason::Source::measure_bands);
  EXPECT_EQ(a.reason.to_string(a.status), "amber: 0.7 <= score < 0.9 (measure bands)");
  EXPECT_EQ(status_by_bands(nan_v, bands).reason.to_string(Status::no_data), "no_data: no score");
}

TEST(Status, ThresholdsOwnRule) {
  EXPECT_EQ(status_by_thresholds(1.0).status, Status::green);  // at the goal
  EXPECT_EQ(status_by_thresholds(0.99).status, Status::amber);
  EXPECT_EQ(status_by_thresholds(0.51).status, Status::amber);
  EXPECT_EQ(status_by_thresholds(0.5).status, Status::red);  // at the red flag
  EXPECT_EQ(status_by_thresholds(0.0).status, Status::red);
  EXPECT_EQ(status_by_thresholds(nan_v).status, Status::no_data);
  auto r = status_by_thresholds(0.5);
  EXPECT_EQ(r.reason.to_string(r.status), "red: at or past the red flag (thresholds)");
}

TEST(Aggregate, EveryMethod) {
  const std::vector<double> v = {3, nan_v, 1, 2};
  EXPECT_DOUBLE_EQ(aggregate(Aggregation::sum, v), 6);
  EXPECT_DOUBLE_EQ(aggregate(Aggregation::average, v), 2);
  EXPECT_DOUBLE_EQ(aggregate(Aggregation::last, v), 2);
  EXPECT_DOUBLE_EQ(aggregate(Aggregation::min, v), 1);
  EXPECT_DOUBLE_EQ(aggregate(Aggregation::max, v), 3);
  EXPECT_TRUE(std::isnan(aggregate(Aggregation::sum, std::vector<double>{nan_v})));
  EXPECT_TRUE(std::isnan(aggregate(Aggregation::sum, std::vector<double>{})));
}

TEST(Aggregate, RatioOfSumsNotMeanOfRatios) {
  // DOMAIN.md: 2/4 in January and 2/100 in February make 4/104 = 3.8%, never 26%.
  const std::vector<double> num = {2, 2}, den = {4, 100};
  EXPECT_DOUBLE_EQ(aggregate_ratio(num, den), 4.0 / 104.0);
  EXPECT_NEAR(aggregate_ratio(num, den), 0.0385, 1e-4);
  EXPECT_TRUE(std::isnan(aggregate_ratio(std::vector<double>{}, std::vector<double>{})));
}

TEST(Display, ScalesAndRoundingHalfAwayFromZero) {
  EXPECT_DOUBLE_EQ(to_scale(0.5, Scale::percent), 50);
  EXPECT_DOUBLE_EQ(to_scale(1.5, Scale::five_point), 5);
  EXPECT_DOUBLE_EQ(round_half_away(2.5, 0), 3);
  EXPECT_DOUBLE_EQ(round_half_away(-2.5, 0), -3);
  EXPECT_DOUBLE_EQ(round_half_away(2.675, 2), 2.68);  // stored as 2.67499999...
  EXPECT_DOUBLE_EQ(round_half_away(1.005, 2), 1.01);
  EXPECT_DOUBLE_EQ(round_half_away(-0.125, 2), -0.13);
  EXPECT_DOUBLE_EQ(round_half_away(0.1234, 3), 0.123);
  EXPECT_DOUBLE_EQ(round_half_away(-0.0001, 2), 0.0);
  EXPECT_FALSE(std::signbit(round_half_away(-0.0001, 2)));
  EXPECT_TRUE(std::isnan(round_half_away(nan_v, 2)));
}
