#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <span>
#include <string>

#include "spm/generate.hpp"
#include "spm/scoring.hpp"

using namespace spm;

namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

bool bits_equal(std::span<const double> a, std::span<const double> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size_bytes()) == 0;
}

/// Whether two scorecards hold the same node and measure scores, to the bit.
::testing::AssertionResult same_bits(const Scorecard& a, const Scorecard& b) {
  if (!bits_equal(a.node_scores(), b.node_scores()))
    return ::testing::AssertionFailure() << "node scores differ";
  if (!bits_equal(a.measure_scores(), b.measure_scores()))
    return ::testing::AssertionFailure() << "measure scores differ";
  return ::testing::AssertionSuccess();
}

Period month(int m) {
  return Period::month(2026, m);
}

struct Org {
  Model m;
  Org() {
    for (auto& p : default_perspectives()) m.add(p);
  }
  void goal(const std::string& id, const std::string& perspective = "customer",
            std::optional<MissingPolicy> missing = {}, std::optional<RollupMethod> rollup = {}) {
    Goal g;
    g.id = id;
    g.perspective = perspective;
    g.missing = missing;
    g.rollup = rollup;
    m.add(g);
  }
  void strategy(const std::string& id, const std::string& goal, double w = 1.0) {
    Strategy s;
    s.id = id;
    s.contributes_to = {{{EntityKind::goal, goal}, w}};
    m.add(s);
  }
  void linear(const std::string& id, Ref subject, double b, double t, double weight = 1.0) {
    Measure ms;
    ms.id = id;
    ms.subject = std::move(subject);
    ms.baseline = b;
    ms.target = t;
    ms.weight = weight;
    m.add(ms);
  }
  void actual(const std::string& measure, Period p, double v) {
    m.set_actual(measure, Actual{p, v, {}, {}});
  }
};

Ref goal_ref(const std::string& id) {
  return {EntityKind::goal, id};
}

ScoreOptions months(int from, int to) {
  ScoreOptions o;
  for (int i = from; i <= to; ++i) o.columns.push_back(Span::of(month(i)));
  return o;
}

}  // namespace

TEST(Span, LabelsAndContainment) {
  EXPECT_EQ(Span::of(Period::quarter(2026, 2)).label, "2026-Q2");
  EXPECT_EQ(Span::of(Period::quarter(2026, 2)).months(), 3);
  auto ytd = Span::year_to_date(month(5));
  EXPECT_EQ(ytd.label, "2026-YTD-05");
  EXPECT_EQ(ytd.months(), 5);
  EXPECT_TRUE(ytd.contains(month(1)));
  EXPECT_FALSE(ytd.contains(month(6)));
  EXPECT_EQ(Span::parse("2026-YTD-05"), ytd);
  EXPECT_EQ(Span::parse("2026"), Span::of(Period::year(2026)));
  EXPECT_THROW(Span::parse("2026-YTD-13"), Error);
  EXPECT_THROW(Span::parse("next year"), Error);
  EXPECT_THROW(Span::year_to_date(Period::year(2026)), Error);
}

TEST(Scorecard, WeightedMeanUpTheCascade) {
  Org o;
  o.goal("G");
  o.strategy("S", "G", 3.0);
  o.linear("MG", goal_ref("G"), 0, 100);
  o.linear("MS", {EntityKind::strategy, "S"}, 0, 10);
  o.actual("MG", month(1), 50);  // 0.5
  o.actual("MS", month(1), 9);   // 0.9
  auto c = Cascade::compile(o.m);
  auto sc = Scorecard::evaluate(c, months(1, 1));
  EXPECT_DOUBLE_EQ(sc.measure("MG", 0).score, 0.5);
  EXPECT_DOUBLE_EQ(sc.node(EntityKind::strategy, "S", 0).score, 0.9);
  // G: its measure (weight 1) and S (weight 3): (0.5 + 3 * 0.9) / 4 = 0.8
  auto g = sc.node(EntityKind::goal, "G", 0);
  EXPECT_DOUBLE_EQ(g.score, 0.8);
  EXPECT_DOUBLE_EQ(g.coverage, 1.0);
  EXPECT_EQ(g.status, Status::amber);
  EXPECT_EQ(g.reason.to_string(g.status), "amber: 0.7 <= score < 0.9 (organization bands)");
  // Perspective: the mean of its goals; organization: the mean of perspectives with goals.
  EXPECT_DOUBLE_EQ(sc.perspective("customer", 0).score, 0.8);
  EXPECT_TRUE(std::isnan(sc.perspective("financial", 0).score));
  EXPECT_DOUBLE_EQ(sc.organization(0).score, 0.8);
  // The explanation adds up to the score.
  auto ex = sc.explain(EntityKind::goal, "G", 0);
  ASSERT_EQ(ex.inputs.size(), 2u);
  EXPECT_EQ(ex.inputs[0].input.kind, EntityKind::measure);
  EXPECT_DOUBLE_EQ(ex.inputs[0].normalized, 0.25);
  EXPECT_DOUBLE_EQ(ex.inputs[1].contribution, 0.75 * 0.9);
  EXPECT_DOUBLE_EQ(ex.inputs[0].contribution + ex.inputs[1].contribution, g.score);
  EXPECT_NE(ex.text().find("strategy"), std::string::npos);
}

TEST(Scorecard, NodeWithoutInputsHasNoScore) {
  Org o;
  o.goal("G");
  o.goal("H");
  o.linear("M", goal_ref("H"), 0, 1);
  o.actual("M", month(1), 1);
  auto sc = Scorecard::evaluate(Cascade::compile(o.m), months(1, 1));
  EXPECT_TRUE(std::isnan(sc.node(EntityKind::goal, "G", 0).score));
  EXPECT_EQ(sc.node(EntityKind::goal, "G", 0).status, Status::no_data);
  EXPECT_DOUBLE_EQ(sc.perspective("customer", 0).score, 1.0);  // G is skipped, not counted as 0
  EXPECT_DOUBLE_EQ(sc.perspective("customer", 0).coverage, 0.5);
}

// Two measures on one goal; the second has no data in March. Every missing-data policy.
class MissingPolicyTest : public ::testing::TestWithParam<MissingPolicy> {};

TEST_P(MissingPolicyTest, FollowsThePolicy) {
  Org o;
  o.goal("G", "customer", GetParam());
  o.linear("A", goal_ref("G"), 0, 100);
  o.linear("B", goal_ref("G"), 0, 100, 3.0);
  o.actual("A", month(2), 40);
  o.actual("B", month(2), 80);
  o.actual("A", month(3), 60);
  auto sc = Scorecard::evaluate(Cascade::compile(o.m), months(2, 3));
  const auto feb = sc.node(EntityKind::goal, "G", 0);
  EXPECT_DOUBLE_EQ(feb.score, (0.4 + 3 * 0.8) / 4);
  const auto mar = sc.node(EntityKind::goal, "G", 1);
  EXPECT_DOUBLE_EQ(mar.coverage, 0.25);
  switch (GetParam()) {
    case MissingPolicy::skip:
      EXPECT_DOUBLE_EQ(mar.score, 0.6);
      break;
    case MissingPolicy::zero:
      EXPECT_DOUBLE_EQ(mar.score, 0.6 / 4);
      break;
    case MissingPolicy::propagate:
      EXPECT_TRUE(std::isnan(mar.score));
      break;
    case MissingPolicy::carry:
      EXPECT_DOUBLE_EQ(mar.score, (0.6 + 3 * 0.8) / 4);
      EXPECT_TRUE(sc.explain(EntityKind::goal, "G", 1).inputs[1].carried);
      break;
  }
}
INSTANTIATE_TEST_SUITE_P(AllPolicies, MissingPolicyTest,
                         ::testing::Values(MissingPolicy::skip, MissingPolicy::zero,
                                           MissingPolicy::propagate, MissingPolicy::carry),
                         [](const auto& param_info) {
                           return std::string(to_string(param_info.param));
                         });

TEST(Scorecard, OrganizationPolicyAppliesUnlessTheNodeOverrides) {
  Org o;
  OrganizationInfo info;
  info.id = "org";
  info.settings.missing = MissingPolicy::zero;
  o.m.set_info(info);
  o.goal("G");                                   // takes zero from the organization
  o.goal("H", "customer", MissingPolicy::skip);  // its own
  for (const char* g : {"G", "H"}) {
    o.linear(std::string("A") + g, goal_ref(g), 0, 1);
    o.linear(std::string("B") + g, goal_ref(g), 0, 1);
    o.actual(std::string("A") + g, month(1), 1);
  }
  auto sc = Scorecard::evaluate(Cascade::compile(o.m), months(1, 1));
  EXPECT_DOUBLE_EQ(sc.node(EntityKind::goal, "G", 0).score, 0.5);
  EXPECT_DOUBLE_EQ(sc.node(EntityKind::goal, "H", 0).score, 1.0);
}

TEST(Scorecard, RollupMinMaxAndStatusCounts) {
  for (auto how : {RollupMethod::min, RollupMethod::max, RollupMethod::status_counts}) {
    Org o;
    o.goal("G", "customer", {}, how);
    o.linear("A", goal_ref("G"), 0, 100);
    o.linear("B", goal_ref("G"), 0, 100);
    o.linear("C", goal_ref("G"), 0, 100);
    o.actual("A", month(1), 95);
    o.actual("B", month(1), 75);
    o.actual("C", month(1), 20);
    auto sc = Scorecard::evaluate(Cascade::compile(o.m), months(1, 1));
    const double s = sc.node(EntityKind::goal, "G", 0).score;
    auto ex = sc.explain(EntityKind::goal, "G", 0);
    switch (how) {
      case RollupMethod::min:
        EXPECT_DOUBLE_EQ(s, 0.2);
        break;
      case RollupMethod::max:
        EXPECT_DOUBLE_EQ(s, 0.95);
        break;
      default:
        EXPECT_DOUBLE_EQ(s, (0.95 + 0.75 + 0.2) / 3);
        EXPECT_EQ(ex.status_counts[0], 1);
        EXPECT_EQ(ex.status_counts[1], 1);
        EXPECT_EQ(ex.status_counts[2], 1);
    }
  }
}

TEST(Scorecard, RatioMeasureOverAQuarterIsTheRatioOfSums) {
  Org o;
  o.goal("G");
  Measure m;
  m.id = "R";
  m.subject = goal_ref("G");
  m.method = ScoringMethod::ratio;
  m.polarity = Polarity::decreasing;  // e.g. complaints per request: lower is better
  m.aggregation = Aggregation::ratio;
  m.target = 0.05;
  o.m.add(m);
  o.m.set_actual("R", Actual{month(1), 0, 2.0, 4.0});
  o.m.set_actual("R", Actual{month(2), 0, 2.0, 100.0});
  ScoreOptions opt;
  opt.columns = {Span::of(Period::quarter(2026, 1))};
  auto sc = Scorecard::evaluate(Cascade::compile(o.m), opt);
  EXPECT_DOUBLE_EQ(sc.actual("R", 0), 4.0 / 104.0);  // 3.8%, not the 26% of averaged ratios
  EXPECT_DOUBLE_EQ(sc.measure("R", 0).score, 1.0);   // 0.05 / 0.038 capped at 1
}

TEST(Scorecard, AggregationsAndTargetsOverSpans) {
  Org o;
  o.goal("G");
  // A sum measure with a monthly default target: the quarter's target is three months' worth.
  Measure sum;
  sum.id = "SUM";
  sum.subject = goal_ref("G");
  sum.aggregation = Aggregation::sum;
  sum.baseline = 0;
  sum.target = 10;
  o.m.add(sum);
  // An average measure with a yearly target that applies to each month and quarter.
  Measure avg;
  avg.id = "AVG";
  avg.subject = goal_ref("G");
  avg.aggregation = Aggregation::average;
  avg.baseline = 0;
  avg.targets = {{Period::year(2026), 80}};
  o.m.add(avg);
  // A last-value measure with a quarterly target.
  Measure last = avg;
  last.id = "LAST";
  last.aggregation = Aggregation::last;
  last.targets = {{Period::quarter(2026, 1), 50}, {Period::month(2026, 3), 40}};
  o.m.add(last);
  for (int i = 1; i <= 3; ++i) {
    o.actual("SUM", month(i), 9);
    o.actual("AVG", month(i), 20.0 * i);
    o.actual("LAST", month(i), 10.0 * i);
  }
  ScoreOptions opt;
  opt.columns = {Span::of(month(2)), Span::of(Period::quarter(2026, 1)),
                 Span::year_to_date(month(2)), Span::of(Period::year(2026))};
  auto sc = Scorecard::evaluate(Cascade::compile(o.m), opt);
  EXPECT_DOUBLE_EQ(sc.actual("SUM", 1), 27);
  EXPECT_DOUBLE_EQ(sc.target("SUM", 1), 30);
  EXPECT_DOUBLE_EQ(sc.measure("SUM", 1).score, 0.9);
  EXPECT_DOUBLE_EQ(sc.target("SUM", 2), 20);  // year to date February: two months
  EXPECT_DOUBLE_EQ(sc.target("SUM", 3), 120);
  EXPECT_DOUBLE_EQ(sc.actual("AVG", 1), 40);
  EXPECT_DOUBLE_EQ(sc.target("AVG", 0), 80);  // the year's target applies to its months
  EXPECT_DOUBLE_EQ(sc.measure("AVG", 1).score, 0.5);
  EXPECT_DOUBLE_EQ(sc.actual("LAST", 1), 30);
  EXPECT_DOUBLE_EQ(sc.target("LAST", 1), 50);  // given for the quarter itself
  EXPECT_DOUBLE_EQ(sc.target("LAST", 3), 40);  // the year: from the finest targets inside it
  EXPECT_DOUBLE_EQ(sc.actual("LAST", 2), 20);
}

TEST(Scorecard, OutOfDomainActualIsAnInputErrorNamingTheMeasure) {
  Org o;
  o.goal("G");
  Measure t;
  t.id = "T";
  t.subject = goal_ref("G");
  t.method = ScoringMethod::table;
  t.table = {{0, 10, 1.0}};
  o.m.add(t);
  o.actual("T", month(1), 5);
  EXPECT_NO_THROW(Scorecard::evaluate(Cascade::compile(o.m), months(1, 1)));
  Scenario what_if;
  what_if.actuals.push_back({"T", month(1), 50});
  try {
    (void)Scorecard::evaluate(Cascade::compile(o.m), months(1, 1), what_if);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.issues().at(0).id, "T");
    EXPECT_NE(e.issues().at(0).message.find("2026-01"), std::string::npos);
  }
}

TEST(Scorecard, OfSeveralOutOfDomainActualsTheFirstMeasureInModelOrderIsNamed) {
  // Measures are scored node by node in cascade order (G1's before G2's here), but the error is
  // the first bad measure in model order, whatever the order or the threads.
  Org o;
  o.goal("G1");
  o.goal("G2");
  for (const char* id : {"T-first", "T-second"}) {
    Measure t;
    t.id = id;
    t.subject = goal_ref(std::string(id) == "T-first" ? "G2" : "G1");
    t.method = ScoringMethod::table;
    t.table = {{0, 10, 1.0}};
    o.m.add(t);
    o.actual(id, month(1), 5);
  }
  const auto c = Cascade::compile(o.m);
  auto node_of = [&](const char* id) {
    for (std::uint32_t v = 0; v < c.node_count(); ++v)
      if (c.node(v).id == id) return v;
    return ~0u;
  };
  ASSERT_LT(node_of("G1"), node_of("G2"));
  Scenario what_if;
  what_if.actuals.push_back({"T-second", month(1), 50});
  what_if.actuals.push_back({"T-first", month(1), 60});
  for (int threads : {1, 2}) {
    ScoreOptions opt = months(1, 1);
    opt.threads = threads;
    try {
      (void)Scorecard::evaluate(c, opt, what_if);
      FAIL();
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
      EXPECT_EQ(e.issues().at(0).id, "T-first") << threads << " threads";
    }
  }
}

TEST(Scorecard, TrendPaceAndForecast) {
  Org o;
  o.goal("G");
  o.linear("M", goal_ref("G"), 0, 120);
  for (int i = 1; i <= 6; ++i) o.actual("M", month(i), 10.0 * i);  // on a straight line to 120
  ScoreOptions opt = months(1, 6);
  auto sc = Scorecard::evaluate(Cascade::compile(o.m), opt);
  auto r = sc.measure("M", 5);
  EXPECT_EQ(r.trend, Direction::up);
  EXPECT_NEAR(r.slope, 10.0 / 120.0, 1e-12);
  EXPECT_EQ(sc.measure("M", 0).trend, Direction::unknown);  // one point has no slope
  auto pace = sc.pace("M", month(6));
  EXPECT_DOUBLE_EQ(pace.elapsed, 0.5);
  EXPECT_DOUBLE_EQ(pace.expected, 60);
  EXPECT_DOUBLE_EQ(pace.actual, 35);  // the average of the year so far
  EXPECT_FALSE(pace.on_track);
  auto f = sc.forecast("M", Span::of(Period::year(2026)));
  EXPECT_NEAR(f.value, 65, 1e-9);  // the average of 10, 20, ..., 120
  EXPECT_NEAR(f.score, 65.0 / 120.0, 1e-9);
  EXPECT_EQ(f.status, Status::red);
}

TEST(Scorecard, FlatTrendInsideTheDeadBand) {
  Org o;
  o.goal("G");
  o.linear("M", goal_ref("G"), 0, 100);
  for (int i = 1; i <= 6; ++i) o.actual("M", month(i), 50 + (i % 2 ? 0.2 : -0.2));
  auto sc = Scorecard::evaluate(Cascade::compile(o.m), months(1, 6));
  EXPECT_EQ(sc.measure("M", 5).trend, Direction::flat);
}

TEST(Scorecard, WhatIfChangesNothingInTheModel) {
  Org o;
  o.goal("G");
  o.strategy("S", "G");
  o.linear("MG", goal_ref("G"), 0, 100);
  o.linear("MS", {EntityKind::strategy, "S"}, 0, 100);
  o.actual("MG", month(1), 50);
  o.actual("MS", month(1), 50);
  const Model before = o.m;
  auto c = Cascade::compile(o.m);
  auto base = Scorecard::evaluate(c, months(1, 1));
  Scenario s;
  s.actuals.push_back({"MS", month(1), 70});
  auto up = Scorecard::evaluate(c, months(1, 1), s);
  const double delta =
      up.node(EntityKind::goal, "G", 0).score - base.node(EntityKind::goal, "G", 0).score;
  // Sensitivity: MS is all of S, S is half of G's inputs.
  EXPECT_DOUBLE_EQ(base.sensitivity("G", "MS"), 0.5);
  EXPECT_NEAR(delta, 0.5 * 0.2, 1e-12);
  // Weights and targets.
  Scenario w;
  w.weights.push_back({{EntityKind::strategy, "S"}, goal_ref("G"), 3.0});
  w.targets.push_back({"MG", std::nullopt, 50});
  auto reweighted = Scorecard::evaluate(c, months(1, 1), w);
  EXPECT_DOUBLE_EQ(reweighted.measure("MG", 0).score, 1.0);
  EXPECT_DOUBLE_EQ(reweighted.node(EntityKind::goal, "G", 0).score, (1.0 + 3 * 0.5) / 4);
  EXPECT_TRUE(o.m == before);
  EXPECT_TRUE(c.is_current());
  // Bad scenarios are refused.
  Scenario bad;
  bad.actuals.push_back({"nope", month(1), 1});
  EXPECT_THROW(Scorecard::evaluate(c, months(1, 1), bad), Error);
  Scenario bad_w;
  bad_w.weights.push_back({{EntityKind::strategy, "S"}, goal_ref("G"), -1});
  EXPECT_THROW(Scorecard::evaluate(c, months(1, 1), bad_w), Error);
  Scenario no_link;
  no_link.weights.push_back({{EntityKind::goal, "G"}, {EntityKind::strategy, "S"}, 2});
  EXPECT_THROW(Scorecard::evaluate(c, months(1, 1), no_link), Error);
}

TEST(Scorecard, StaleAfterAStructuralEditButNotAfterNewActuals) {
  Org o;
  o.goal("G");
  o.linear("M", goal_ref("G"), 0, 100);
  o.actual("M", month(1), 10);
  auto c = Cascade::compile(o.m);
  auto sc = Scorecard::evaluate(c, months(1, 1));
  o.actual("M", month(1), 90);
  EXPECT_TRUE(sc.is_current());
  EXPECT_DOUBLE_EQ(sc.measure("M", 0).score, 0.1);  // until update() takes the new actual
  const std::string ids[] = {"M"};
  sc.update(o.m, ids);
  EXPECT_DOUBLE_EQ(sc.measure("M", 0).score, 0.9);
  EXPECT_DOUBLE_EQ(sc.node(EntityKind::goal, "G", 0).score, 0.9);
  o.goal("H");
  EXPECT_FALSE(sc.is_current());
  EXPECT_THROW((void)sc.measure("M", 0), Error);
  Model other;
  EXPECT_THROW(sc.update(other, ids), Error);
}

TEST(Scorecard, QueriesCheckTheirArguments) {
  Org o;
  o.goal("G");
  o.linear("M", goal_ref("G"), 0, 100);
  o.actual("M", month(1), 10);
  auto sc = Scorecard::evaluate(Cascade::compile(o.m), months(1, 1));
  EXPECT_THROW((void)sc.measure("M", 1), Error);
  EXPECT_THROW((void)sc.measure("M", -1), Error);
  EXPECT_THROW((void)sc.measure("nope", 0), Error);
  EXPECT_THROW((void)sc.node(EntityKind::employee, "E", 0), Error);
  EXPECT_THROW((void)sc.perspective("nope", 0), Error);
  EXPECT_THROW((void)sc.pace("M", Period::year(2026)), Error);
  EXPECT_EQ(sc.column("2026-01"), 0);
  EXPECT_EQ(sc.column("2026-02"), -1);
  ScoreOptions bad;
  bad.trend_periods = 1;
  EXPECT_THROW(Scorecard::evaluate(Cascade::compile(o.m), bad), Error);
}

// Incremental updates give the same numbers, to the bit, as evaluating from scratch.
TEST(Scorecard, IncrementalUpdateEqualsFullRecomputeToTheBit) {
  std::mt19937_64 rng(42);
  Org o;
  const int goals = 4, strategies = 8, objectives = 120, measures = 200;
  for (int g = 0; g < goals; ++g)
    o.goal("G" + std::to_string(g), g % 2 ? "customer" : "financial",
           g == 1 ? std::optional(MissingPolicy::carry) : std::nullopt,
           g == 2 ? std::optional(RollupMethod::min) : std::nullopt);
  std::uniform_real_distribution<double> wdist(0.5, 2.0);
  for (int s = 0; s < strategies; ++s)
    o.strategy("S" + std::to_string(s), "G" + std::to_string(s % goals), wdist(rng));
  for (int i = 0; i < objectives; ++i) {
    Objective ob;
    ob.id = "O" + std::to_string(i);
    ob.owner = {EntityKind::unit, "U"};
    if (i < 20)
      ob.contributes_to = {
          {{EntityKind::strategy, "S" + std::to_string(i % strategies)}, wdist(rng)}};
    else
      ob.contributes_to = {
          {{EntityKind::objective, "O" + std::to_string(rng() % 20)}, wdist(rng)},
          {{EntityKind::objective, "O" + std::to_string(20 + rng() % (i - 19) - (i > 20 ? 1 : 0))},
           wdist(rng)}};
    if (i % 7 == 0) ob.missing = MissingPolicy::zero;
    const auto& links = ob.contributes_to;
    if (links.size() == 2 && (links[1].to.id == ob.id || links[1].to == links[0].to))
      ob.contributes_to.pop_back();
    o.m.add(ob);
  }
  for (int k = 0; k < measures; ++k) {
    const int which = k % 3;
    Ref subject = which == 0 ? Ref{EntityKind::objective, "O" + std::to_string(k % objectives)}
                  : which == 1
                      ? Ref{EntityKind::strategy, "S" + std::to_string(k % strategies)}
                      : Ref{EntityKind::objective, "O" + std::to_string((k * 7) % objectives)};
    o.linear("M" + std::to_string(k), subject, 0, 100, wdist(rng));
  }
  std::uniform_real_distribution<double> vdist(-20, 140);
  for (int k = 0; k < measures; ++k)
    for (int p = 1; p <= 6; ++p)
      if (rng() % 10) o.actual("M" + std::to_string(k), month(p), vdist(rng));
  auto c = Cascade::compile(o.m);
  ScoreOptions opt = months(1, 6);
  opt.columns.push_back(Span::of(Period::quarter(2026, 1)));
  auto live = Scorecard::evaluate(c, opt);
  for (int edit = 0; edit < 3000; ++edit) {
    const std::string id = "M" + std::to_string(rng() % measures);
    const Period p = month(static_cast<int>(rng() % 6) + 1);
    if (rng() % 5 == 0)
      o.m.erase_actual(id, p);
    else
      o.actual(id, p, vdist(rng));
    const std::string ids[] = {id};
    live.update(o.m, ids);
    if (edit % 300 == 299) {
      auto fresh = Scorecard::evaluate(c, opt);
      EXPECT_TRUE(same_bits(live, fresh)) << "after edit " << edit;
      for (int col = 0; col < 7; ++col) {
        const double a = live.organization(col).score, b = fresh.organization(col).score;
        EXPECT_EQ(std::memcmp(&a, &b, sizeof a), 0);
      }
    }
  }
}

TEST(Scorecard, SameInputSameOutputToTheBit) {
  Org o;
  o.goal("G");
  for (int k = 0; k < 30; ++k) {
    o.linear("M" + std::to_string(k), goal_ref("G"), 0, 7, 0.1 * (k + 1));
    o.actual("M" + std::to_string(k), month(1), 0.37 * k);
  }
  auto c = Cascade::compile(o.m);
  auto a = Scorecard::evaluate(c, months(1, 1));
  auto b = Scorecard::evaluate(c, months(1, 1));
  EXPECT_TRUE(same_bits(a, b));
}

TEST(Scorecard, ColumnsThroughCompareLikeWithLike) {
  Org o;
  o.goal("G");
  o.linear("M", goal_ref("G"), 0, 100);
  EXPECT_FALSE(last_actual_month(o.m));
  o.actual("M", Period::month(2025, 11), 1);
  o.actual("M", month(5), 1);
  EXPECT_EQ(*last_actual_month(o.m), month(5));
  auto labels = [&](const Span& last) {
    std::string out;
    for (const auto& s : columns_through(o.m, last)) out += s.label + " ";
    return out;
  };
  EXPECT_EQ(labels(Span::of(Period::month(2026, 2))), "2025-11 2025-12 2026-01 2026-02 ");
  EXPECT_EQ(labels(Span::of(Period::quarter(2026, 2))), "2025-Q4 2026-Q1 2026-Q2 ");
  EXPECT_EQ(labels(Span::of(Period::year(2026))), "2025 2026 ");
  EXPECT_EQ(labels(Span::year_to_date(month(3))), "2026-YTD-01 2026-YTD-02 2026-YTD-03 ");
  EXPECT_EQ(labels(Span::of(Period::month(2020, 1))), "2020-01 ");
}

TEST(Scorecard, AnyNumberOfThreadsGivesTheSameNumbersToTheBit) {
  GenerateOptions g;
  g.employees = 3000;  // enough rows that evaluate() splits both stages between threads
  g.seed = 11;
  Model m = generate(g);
  const auto c = Cascade::compile(m);
  ScoreOptions one;
  const auto base = Scorecard::evaluate(c, one);
  for (int threads : {2, 3, 0}) {
    ScoreOptions opt;
    opt.threads = threads;
    const auto card = Scorecard::evaluate(c, opt);
    EXPECT_TRUE(same_bits(card, base)) << threads << " threads";
  }
  ScoreOptions bad;
  bad.threads = -1;
  EXPECT_THROW((void)Scorecard::evaluate(c, bad), Error);

  // An update of many measures at once (the path that marks nodes) equals a fresh evaluation.
  auto live = Scorecard::evaluate(c, one);
  (void)live.measure_scores();  // the model-order copy must follow the update too
  std::vector<std::string> ids;
  const auto measures = m.all<Measure>();
  for (std::size_t i = 0; i < measures.size(); i += 97) {
    ids.push_back(measures[i].id);
    m.set_actual(measures[i].id,
                 Actual{Period::month(2026, 3), 1e6 * (i % 3 == 0 ? -1 : 1), {}, {}});
  }
  ASSERT_GT(ids.size(), 64u);
  live.update(m, ids);
  const auto fresh = Scorecard::evaluate(c, one);
  EXPECT_TRUE(same_bits(live, fresh));
}

// On several threads evaluate() cuts the cascade order into parts, one per thread, and a node
// whose input an earlier part has not scored yet is put off to the end of its part. A chain
// (every node waits for the one before it: the parts run one after the other) and a random
// graph (inputs anywhere before, in any part) give the same bits as one thread, with every
// roll-up method and missing-data policy.
TEST(Scorecard, NodesThatWaitForAnotherThreadGiveTheSameBits) {
  constexpr int objectives = 20000;  // enough nodes for four parts
  for (const bool chain : {true, false}) {
    std::mt19937_64 rng(chain ? 5 : 6);
    Org o;
    o.goal("G");
    auto id = [](int i) { return "O" + std::to_string(i); };
    for (int i = 0; i < objectives; ++i) {
      Objective ob;
      ob.id = id(i);
      ob.owner = {EntityKind::unit, "U"};
      const double w = 0.5 + static_cast<double>(rng() % 150) / 100.0;
      if (i + 1 == objectives) {
        ob.contributes_to = {{goal_ref("G"), w}};
      } else if (chain) {
        ob.contributes_to = {{{EntityKind::objective, id(i + 1)}, w}};
      } else {
        const int span = static_cast<int>(std::min<std::uint64_t>(objectives - 1 - i, 6000));
        const int a = i + 1 + static_cast<int>(rng() % static_cast<std::uint64_t>(span));
        const int b = i + 1 + static_cast<int>(rng() % static_cast<std::uint64_t>(span));
        ob.contributes_to = {{{EntityKind::objective, id(a)}, w}};
        if (b != a) ob.contributes_to.push_back({{EntityKind::objective, id(b)}, 2.0 - w});
      }
      if (i % 11 == 0) ob.missing = MissingPolicy::zero;
      if (i % 13 == 0) ob.missing = MissingPolicy::propagate;
      if (i % 17 == 0) ob.missing = MissingPolicy::carry;
      if (i % 19 == 0) ob.rollup = RollupMethod::min;
      if (i % 23 == 0) ob.rollup = RollupMethod::max;
      o.m.add(ob);
      o.linear("M" + std::to_string(i), {EntityKind::objective, id(i)}, 0, 100);
      if (i % 31 == 0) {
        // The general path: a target per period.
        Measure ms = o.m.get<Measure>("M" + std::to_string(i));
        ms.targets = {{Period::quarter(2026, 1), 60}};
        o.m.update(ms);
      }
      for (int p = 1; p <= 3; ++p)
        if (rng() % 10 != 0)
          o.actual("M" + std::to_string(i), month(p), static_cast<double>(rng() % 1200) / 10.0);
    }
    // What-if too: a scenario's measures and weights take their own paths.
    Scenario what_if;
    what_if.actuals.push_back({"M7", month(2), 99});
    what_if.targets.push_back({"M100", std::nullopt, 50});
    what_if.weights.push_back({{EntityKind::objective, id(objectives - 1)}, goal_ref("G"), 3.0});
    const auto c = Cascade::compile(o.m);
    const ScoreOptions one = months(1, 3);
    const auto base = Scorecard::evaluate(c, one);
    const auto base_if = Scorecard::evaluate(c, one, what_if);
    ASSERT_FALSE(std::isnan(base.node_scores()[0]) && std::isnan(base.node_scores()[1]));
    ASSERT_FALSE(bits_equal(base.node_scores(), base_if.node_scores()));
    for (int threads : {2, 3, 4, 8}) {
      ScoreOptions opt = months(1, 3);
      opt.threads = threads;
      const auto card = Scorecard::evaluate(c, opt);
      EXPECT_TRUE(same_bits(card, base)) << (chain ? "chain, " : "graph, ") << threads;
      const auto card_if = Scorecard::evaluate(c, opt, what_if);
      EXPECT_TRUE(same_bits(card_if, base_if))
          << (chain ? "chain, " : "graph, ") << threads << ", what-if";
    }
  }
}

TEST(Scorecard, AnOutOfDomainActualIsTheSameErrorOnAnyNumberOfThreads) {
  GenerateOptions g;
  g.employees = 3000;
  Model m = generate(g);
  // Two measures far apart in model order score by a table that no actual falls in: both
  // threads fail, and the error must name the first, as one thread would.
  const std::string first = m.all<Measure>()[10].id;
  const std::string later = m.all<Measure>()[m.all<Measure>().size() - 10].id;
  for (const std::string& id : {later, first}) {
    Measure x = m.get<Measure>(id);
    x.method = ScoringMethod::table;
    x.table = {{1e12, 1e13, 1.0}};
    m.update(x);
  }
  const auto c = Cascade::compile(m);
  for (int threads : {1, 2, 4}) {
    ScoreOptions opt;
    opt.threads = threads;
    try {
      (void)Scorecard::evaluate(c, opt);
      FAIL() << "expected an input error";
    } catch (const Error& e) {
      ASSERT_FALSE(e.issues().empty());
      EXPECT_EQ(e.issues()[0].id, first) << threads << " threads";
    }
  }
}

namespace {
/// A generated organization scored with the given policy and method.
Model generated(std::uint64_t employees, std::uint64_t seed, MissingPolicy policy,
                RollupMethod how) {
  GenerateOptions g;
  g.employees = employees;
  g.seed = seed;
  Model m = generate(g);
  OrganizationInfo info = m.info();
  info.settings.missing = policy;
  info.settings.rollup = how;
  m.set_info(info);
  return m;
}

/// `count` single-month columns from month `first` + 1 of 2025 on.
ScoreOptions month_columns(int count, int first) {
  ScoreOptions opt;
  for (int k = 0; k < count; ++k)
    opt.columns.push_back(Span::of(Period::month(2025 + (k + first) / 12, (k + first) % 12 + 1)));
  return opt;
}
}  // namespace

TEST(Scorecard, EveryRollUpKernelGivesThePerColumnNumbersToTheBit) {
  // evaluate() rolls nodes up with vector kernels (several columns at a time, by policy and
  // method); update() recomputes single columns with the per-column roll-up. After many new
  // actuals both must agree, for every policy, method and number of columns.
  for (const MissingPolicy policy :
       {MissingPolicy::skip, MissingPolicy::zero, MissingPolicy::propagate, MissingPolicy::carry})
    for (const RollupMethod how : {RollupMethod::mean, RollupMethod::min, RollupMethod::max})
      for (const int columns : {1, 2, 4, 12, 14, 20, 24}) {
        Model m = generated(40, 3, policy, how);
        const ScoreOptions opt = month_columns(columns, 6);
        const auto c = Cascade::compile(m);
        auto live = Scorecard::evaluate(c, opt);
        std::vector<std::string> ids;
        const auto measures = m.all<Measure>();
        for (std::size_t i = 0; i < measures.size(); i += 7) {
          ids.push_back(measures[i].id);
          const Period p = opt.columns[i % opt.columns.size()].first;
          if (i % 3 == 0)
            m.erase_actual(measures[i].id, p);
          else
            m.set_actual(measures[i].id, Actual{p, static_cast<double>(i % 97), {}, {}});
        }
        live.update(m, ids);
        const auto fresh = Scorecard::evaluate(c, opt);
        EXPECT_TRUE(same_bits(live, fresh))
            << to_string(policy) << ", " << to_string(how) << ", " << columns << " columns";
      }
}

namespace {
constexpr std::uint64_t fnv_offset = 1469598103934665603u, fnv_prime = 1099511628211u;

/// FNV-1a over the bits of a span of doubles, continuing from `h`.
std::uint64_t digest(std::span<const double> xs, std::uint64_t h) {
  for (const double x : xs) {
    std::uint64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    for (int k = 0; k < 8; ++k) h = (h ^ ((bits >> (8 * k)) & 0xFF)) * fnv_prime;
  }
  return h;
}
}  // namespace

TEST(Scorecard, EveryKernelGivesTheSameBitsOnEveryMachine) {
  // evaluate() picks its kernels by what the processor runs (AVX2 or the portable ones; the
  // environment variable SPM_KERNELS=portable asks for the latter, and ctest runs this test
  // both ways). Whatever it picks, the numbers are the same to the bit: the digest of every
  // score of a generated organization, over kernels of every width, is a constant.
  std::uint64_t h = fnv_offset;
  for (const RollupMethod how : {RollupMethod::mean, RollupMethod::max})
    for (const MissingPolicy policy :
         {MissingPolicy::skip, MissingPolicy::zero, MissingPolicy::propagate})
      for (const int columns : {2, 8, 12, 14, 20}) {
        const Model m = generated(300, 11, policy, how);
        const auto card = Scorecard::evaluate(Cascade::compile(m), month_columns(columns, 3));
        h = digest(card.measure_scores(), h);
        h = digest(card.node_scores(), h);
      }
  // Recorded once; a change of it is a change of spm's numbers, never a kernel's choice.
  const char* const kernels = std::getenv("SPM_KERNELS");
  EXPECT_EQ(h, 13375927284221072112u) << "kernels: " << (kernels ? kernels : "best");
}

TEST(Scorecard, AnEvaluationAfterARecompileReusesTheArraysOfScorecardsGone) {
  // A structural edit means a new cascade; its first evaluation takes the score arrays that
  // the model's scorecards gave back when they went (they are kept by the model, not by one
  // cascade), instead of fresh pages, and computes the same numbers as a model of its own.
  GenerateOptions g;
  g.employees = 8000;  // arrays of 4 MiB and more, in whole huge pages with room to grow
  Model m = generate(g);
  // (The measures' scores in model order are a copy made on demand; the node array is the
  // engine's own, and stands for both arrays kept.)
  const double* nodes_at = nullptr;
  {
    const auto card = Scorecard::evaluate(Cascade::compile(m));
    nodes_at = card.node_scores().data();
  }
  Goal extra;
  extra.id = "G-extra";
  extra.perspective = m.all<Perspective>().front().id;
  m.add(extra);
  const auto card = Scorecard::evaluate(Cascade::compile(m));
  EXPECT_EQ(card.node_scores().data(), nodes_at);
  const Model copy = m;  // a model of its own, whose pool starts empty
  EXPECT_TRUE(same_bits(Scorecard::evaluate(Cascade::compile(copy)), card));
}
