// Check-ins, participation, calibration, rewards, training needs and outcome budgeting, by
// hand-computed cases, and the bad input each refuses.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <string>

#include "people_fixtures.hpp"

using namespace spm;
using people_test::Org;
using people_test::Scored;

namespace {

using Ids = std::vector<std::string>;

const CriterionCount& crit(const ParticipationRow& r, Criterion c) {
  return r.criteria[static_cast<std::size_t>(c)];
}

CycleReviews reviews_of(const Org& o) {
  Scored s(o.m);
  return review_cycle(o.m, s.cascade, s.card, "RC", o.as_of);
}

}  // namespace

TEST(CheckIns, OverdueAfterTheCadenceCountedFromTheLastCheckIn) {
  Org o;
  const CheckInReport r = check_ins(o.m, "RC", o.as_of);
  EXPECT_EQ(r.cadence_days, 30);
  ASSERT_EQ(r.employees.size(), 3u);
  const CheckInStatus& a = r.employees[0];
  EXPECT_EQ(a.in_cycle, 2u);
  EXPECT_EQ(a.last, Date::from_ymd(2026, 12, 25));
  EXPECT_EQ(a.days_since, 26);
  EXPECT_EQ(a.due, Date::from_ymd(2027, 1, 24));
  EXPECT_FALSE(a.overdue);
  const CheckInStatus& b = r.employees[1];
  EXPECT_EQ(b.days_since, 50);
  EXPECT_EQ(b.due, Date::from_ymd(2026, 12, 31));
  EXPECT_TRUE(b.overdue);
  // No check-in at all: counted from the cycle's first day.
  const CheckInStatus& c = r.employees[2];
  EXPECT_FALSE(c.last.has_value());
  EXPECT_EQ(c.days_since, 384);
  EXPECT_TRUE(c.overdue);
  EXPECT_EQ(r.overdue, 2u);
  // Exactly on the cadence is not overdue; the day after is.
  EXPECT_FALSE(check_ins(o.m, "RC", Date::from_ymd(2027, 1, 24)).employees[0].overdue);
  EXPECT_TRUE(check_ins(o.m, "RC", Date::from_ymd(2027, 1, 25)).employees[0].overdue);
  // Check-ins after as_of are not counted.
  const CheckInReport early = check_ins(o.m, "RC", Date::from_ymd(2026, 12, 10));
  EXPECT_EQ(early.employees[0].last, Date::from_ymd(2026, 6, 1));
  // No cadence: never overdue.
  ReviewCycle rc = o.m.get<ReviewCycle>("RC");
  rc.check_in_cadence_days = 0;
  o.m.update(rc);
  const CheckInReport none = check_ins(o.m, "RC", o.as_of);
  EXPECT_EQ(none.overdue, 0u);
  EXPECT_FALSE(none.employees[1].due.has_value());
}

TEST(Participation, SharesAndWhoIsMissingForACycle) {
  Org o;
  Scored s(o.m);
  ParticipationQuery q;
  q.cycle = "RC";
  q.as_of = o.as_of;
  const ParticipationReport p = participation(o.m, s.cascade, q);
  EXPECT_EQ(p.population, (Ids{"A", "B", "C"}));
  const ParticipationRow& org = p.organization;
  EXPECT_EQ(org.employees, 3u);
  EXPECT_EQ(crit(org, Criterion::objectives).missing, Ids{"C"});
  EXPECT_NEAR(crit(org, Criterion::objectives).share, 2.0 / 3, 1e-12);
  EXPECT_EQ(crit(org, Criterion::aligned).missing, Ids{"C"});
  EXPECT_EQ(crit(org, Criterion::check_in).missing, (Ids{"B", "C"}));
  EXPECT_EQ(crit(org, Criterion::self_assessed).missing, Ids{"B"});
  EXPECT_EQ(crit(org, Criterion::feedback).missing, (Ids{"B", "C"}));
  EXPECT_EQ(crit(org, Criterion::reviewed).missing, Ids{"C"});
  EXPECT_NEAR(crit(org, Criterion::reviewed).share, 2.0 / 3, 1e-12);

  ASSERT_EQ(p.divisions.size(), 1u);
  EXPECT_EQ(p.divisions[0].employees, 3u);
  ASSERT_EQ(p.units.size(), 2u);
  EXPECT_EQ(p.units[0].id, "U1");
  EXPECT_EQ(p.units[0].employees, 2u);
  EXPECT_DOUBLE_EQ(crit(p.units[0], Criterion::check_in).share, 0.5);
  EXPECT_DOUBLE_EQ(crit(p.units[1], Criterion::objectives).share, 0.0);
  ASSERT_EQ(p.managers.size(), 1u);
  EXPECT_EQ(p.managers[0].id, "M");
  EXPECT_EQ(p.managers[0].employees, 3u);
}

TEST(Participation, APeriodCountsItsEmployeesAndLeavesOutTheCycleCriteria) {
  Org o;
  // An objective of M's that is over before 2026 does not count in 2026.
  Objective old;
  old.id = "O-M-2025";
  old.owner = {EntityKind::employee, "M"};
  old.end = Date::from_ymd(2025, 12, 31);
  o.m.add(old);
  Team t;
  t.id = "T1";
  t.members = {"A", "R1"};
  o.m.add(t);
  Scored s(o.m);
  ParticipationQuery q;
  q.period = Period::year(2026);
  q.as_of = o.as_of;
  q.cadence_days = 60;
  const ParticipationReport p = participation(o.m, s.cascade, q);
  EXPECT_EQ(p.population.size(), 9u);
  EXPECT_EQ(p.organization.criteria[0].met, 2u);  // A and B
  // Within 60 days of 2027-01-20: A (26 days) and B (50 days); C has none; the six without a
  // manager (M, R1..R3, D1, D2) have nobody to check in with and count as met.
  EXPECT_EQ(crit(p.organization, Criterion::check_in).met, 8u);
  EXPECT_EQ(crit(p.organization, Criterion::check_in).missing, Ids{"C"});
  EXPECT_FALSE(crit(p.organization, Criterion::reviewed).applies);
  EXPECT_TRUE(std::isnan(crit(p.organization, Criterion::reviewed).share));
  EXPECT_TRUE(crit(p.organization, Criterion::reviewed).missing.empty());
  ASSERT_EQ(p.teams.size(), 1u);
  EXPECT_EQ(p.teams[0].employees, 2u);
  EXPECT_DOUBLE_EQ(crit(p.teams[0], Criterion::objectives).share, 0.5);
}

TEST(Participation, BadQueriesAreRefused) {
  Org o;
  Scored s(o.m);
  ParticipationQuery q;
  q.as_of = o.as_of;
  EXPECT_THROW((void)participation(o.m, s.cascade, q), Error);  // neither
  q.cycle = "RC";
  q.period = Period::year(2026);
  EXPECT_THROW((void)participation(o.m, s.cascade, q), Error);  // both
  q.period.reset();
  q.cycle = "NOPE";
  try {
    (void)participation(o.m, s.cascade, q);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_found);
  }
}

TEST(Calibration, DistributionsNormalizedScoresAndOutliers) {
  Org o;
  const CycleReviews r = reviews_of(o);
  const Calibration c = calibrate(r);
  // Final scores: A 0.690417, B 1, C 0.5, all under manager M.
  EXPECT_EQ(c.organization.count, 3u);
  EXPECT_NEAR(c.organization.mean, 0.7301388888888889, 1e-12);
  EXPECT_NEAR(c.organization.sd, 0.2060475530934606, 1e-12);
  EXPECT_NEAR(c.organization.median, 0.6904166666666667, 1e-12);
  EXPECT_NEAR(c.organization.q1, (0.5 + 0.6904166666666667) / 2, 1e-12);
  ASSERT_EQ(c.managers.size(), 1u);
  ASSERT_EQ(c.units.size(), 2u);
  EXPECT_EQ(c.units[0].id, "U1");
  EXPECT_EQ(c.units[1].count, 1u);
  ASSERT_EQ(c.employees.size(), 3u);
  EXPECT_NEAR(c.employees[1].z_manager, 1.3097030615486391, 1e-9);
  EXPECT_TRUE(std::isnan(c.employees[2].z_unit));  // alone in U2
  for (const auto& l : c.employees) EXPECT_FALSE(l.outlier);
  const Calibration strict = calibrate(r, 1.3);
  EXPECT_TRUE(strict.employees[1].outlier);
  EXPECT_FALSE(strict.employees[0].outlier);
  EXPECT_THROW((void)calibrate(r, 0), Error);
  EXPECT_THROW((void)calibrate(r, NAN), Error);
}

TEST(Rewards, SharesSumExactlyToThePoolAndTraceToTheGoals) {
  Org o;
  const CycleReviews r = reviews_of(o);
  RewardRules rules;
  rules.pool = 1000;
  const RewardReport rw = rewards(r, rules);
  EXPECT_EQ(rw.pool_cents, 100000);
  EXPECT_EQ(rw.allocated_cents, 100000);
  ASSERT_EQ(rw.employees.size(), 3u);
  // A: 100000 * 0.690417 / 1.690417 = 40842.99 cents; B: 59157.01: the last cent goes to A.
  EXPECT_EQ(rw.employees[0].cents, 40843);
  EXPECT_EQ(rw.employees[1].cents, 59157);
  EXPECT_FALSE(rw.employees[2].eligible);
  EXPECT_EQ(rw.employees[2].reason, "no completed review");
  EXPECT_EQ(rw.employees[2].cents, 0);
  EXPECT_NEAR(rw.employees[0].exact, 408.4298742913483, 1e-9);
  // A's share split by goal shares 2/3 (G1) and 1/3 (G2).
  ASSERT_EQ(rw.employees[0].goals.size(), 2u);
  EXPECT_EQ(rw.employees[0].goals[0].goal, "G1");
  EXPECT_EQ(rw.employees[0].goals[0].cents, 27229);
  EXPECT_EQ(rw.employees[0].goals[1].cents, 13614);
  ASSERT_EQ(rw.employees[1].goals.size(), 1u);
  EXPECT_EQ(rw.employees[1].goals[0].goal, "G2");
  EXPECT_EQ(rw.employees[1].goals[0].cents, 59157);

  // Weighing contribution: B has none, so only A is eligible and takes the whole pool.
  rules.contribution_exponent = 1;
  const RewardReport with_c = rewards(r, rules);
  EXPECT_EQ(with_c.employees[0].cents, 100000);
  EXPECT_EQ(with_c.employees[1].reason, "no contribution to strategy score");
  // A minimum final score.
  rules.contribution_exponent = 0;
  rules.min_final_score = 0.9;
  EXPECT_EQ(rewards(r, rules).employees[1].cents, 100000);
}

TEST(Rewards, RoundingToCentsByLargestRemainders) {
  CycleReviews r;
  for (const char* id : {"X", "Y", "Z"}) {
    EmployeeReview e;
    e.employee = id;
    e.final_score = 0.5;
    e.review_completed = true;
    r.employees.push_back(e);
  }
  RewardRules rules;
  rules.pool = 100;
  const RewardReport rw = rewards(r, rules);
  EXPECT_EQ(rw.employees[0].cents, 3334);
  EXPECT_EQ(rw.employees[1].cents, 3333);
  EXPECT_EQ(rw.employees[2].cents, 3333);
  ASSERT_EQ(rw.employees[0].goals.size(), 1u);
  EXPECT_EQ(rw.employees[0].goals[0].goal, "");  // traced to no goal
  // Many odd shares still sum exactly.
  CycleReviews many;
  for (int i = 0; i < 997; ++i) {
    EmployeeReview e;
    e.employee = "E" + std::to_string(i);
    e.final_score = 0.1 + (i % 89) / 100.0;
    e.review_completed = true;
    many.employees.push_back(e);
  }
  rules.pool = 123456.78;
  const RewardReport big = rewards(many, rules);
  std::int64_t sum = 0;
  for (const auto& sh : big.employees) sum += sh.cents;
  EXPECT_EQ(sum, 12345678);
}

TEST(Rewards, PoolsAndExponentsThatMakeNoSenseAreRefused) {
  CycleReviews r;
  for (double pool : {-1.0, std::nan(""), HUGE_VAL}) {
    RewardRules rules;
    rules.pool = pool;
    EXPECT_THROW((void)rewards(r, rules), Error) << pool;
  }
  RewardRules rules;
  rules.final_exponent = -1;
  EXPECT_THROW((void)rewards(r, rules), Error);
  rules.final_exponent = 1;
  rules.contribution_exponent = NAN;
  EXPECT_THROW((void)rewards(r, rules), Error);
  // Nobody eligible: nothing is allocated.
  rules.contribution_exponent = 0;
  rules.pool = 10;
  EXPECT_EQ(rewards(r, rules).allocated_cents, 0);
}

TEST(Training, GapsFromTheLatestReviewSummedByUnitAndLinkedToGoals) {
  Org o;
  Scored s(o.m);
  const TrainingNeeds t = training_needs(o.m, s.cascade, "RC", o.as_of);
  // A's O-A1 requires C1 at level 4; A's review rates C1 3: score 0.5 of max level 5 = 2.5.
  ASSERT_EQ(t.gaps.size(), 1u);
  EXPECT_EQ(t.gaps[0].employee, "A");
  EXPECT_DOUBLE_EQ(t.gaps[0].required, 4);
  EXPECT_DOUBLE_EQ(t.gaps[0].assessed, 2.5);
  EXPECT_DOUBLE_EQ(t.gaps[0].gap, 1.5);
  EXPECT_EQ(t.gaps[0].objectives, Ids{"O-A1"});
  ASSERT_EQ(t.units.size(), 1u);
  EXPECT_EQ(t.units[0].unit, "U1");
  EXPECT_DOUBLE_EQ(t.units[0].total_gap, 1.5);
  EXPECT_EQ(t.units[0].employees_with_gap, 1u);
  ASSERT_EQ(t.units[0].goals.size(), 1u);
  EXPECT_EQ(t.units[0].goals[0].node.id, "G1");
  EXPECT_DOUBLE_EQ(t.units[0].goals[0].value, 1.0);

  // Not assessed (before the review was completed): reported, not counted as a gap.
  const TrainingNeeds early = training_needs(o.m, s.cascade, "RC", Date::from_ymd(2027, 1, 5));
  EXPECT_TRUE(std::isnan(early.gaps[0].gap));
  EXPECT_EQ(early.units[0].not_assessed, 1u);
  EXPECT_DOUBLE_EQ(early.units[0].total_gap, 0);

  // An assessed level at or above the requirement is no gap.
  Review better = o.m.get<Review>("REV-A");
  better.ratings[1].rating = 5;
  o.m.update(better);
  Scored s2(o.m);
  const TrainingNeeds none = training_needs(o.m, s2.cascade, "RC", o.as_of);
  EXPECT_DOUBLE_EQ(none.gaps[0].gap, 0);
  EXPECT_EQ(none.units[0].employees_with_gap, 0u);
}

TEST(OutcomeBudget, BudgetAgainstTheScoresOfTheGoalsServed) {
  Org o;
  Scored s(o.m);
  const OutcomeBudget b = outcome_budget(o.m, s.cascade, s.card, 0);
  ASSERT_EQ(b.strategies.size(), 1u);
  const StrategyOutcome& st = b.strategies[0];
  EXPECT_DOUBLE_EQ(st.budget, 600000);  // 2026 and its fourth quarter; 2025 is outside
  EXPECT_EQ(st.currency, "EUR");
  EXPECT_TRUE(std::isnan(st.strategy_score));
  ASSERT_EQ(st.goals.size(), 1u);
  EXPECT_EQ(st.goals[0].goal, "G3");
  EXPECT_DOUBLE_EQ(st.goals[0].weight, 0.5);  // G3's inputs: its measure and S1
  EXPECT_DOUBLE_EQ(st.goals[0].score, 0.6);
  EXPECT_DOUBLE_EQ(st.outcome, 0.6);
  EXPECT_DOUBLE_EQ(st.outcome_per_spend, 1.0);  // 0.6 per 600000 / 1e6

  // A quarter takes a quarter of the year's budget; G3 has no data in it.
  ScoreOptions q;
  q.columns = {Span::of(Period::quarter(2026, 4))};
  const Scorecard card = Scorecard::evaluate(s.cascade, q);
  const OutcomeBudget qb = outcome_budget(o.m, s.cascade, card, 0, 1000);
  EXPECT_DOUBLE_EQ(qb.strategies[0].budget, 125000 + 100000);
  EXPECT_TRUE(std::isnan(qb.strategies[0].outcome));
  EXPECT_TRUE(std::isnan(qb.strategies[0].outcome_per_spend));

  EXPECT_THROW((void)outcome_budget(o.m, s.cascade, s.card, 1), Error);
  EXPECT_THROW((void)outcome_budget(o.m, s.cascade, s.card, 0, 0), Error);
}

TEST(OutcomeBudget, MixedCurrenciesAreRefused) {
  Org o;
  Budget usd = o.m.get<Budget>("B-2026Q4");
  usd.currency = "USD";
  o.m.update(usd);
  Scored s(o.m);
  EXPECT_THROW((void)outcome_budget(o.m, s.cascade, s.card, 0), Error);
}
