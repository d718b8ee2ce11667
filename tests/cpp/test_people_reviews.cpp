// Review scores in components, by hand-computed cases, and the bad input they refuse.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "people_fixtures.hpp"

using namespace spm;
using people_test::Org;
using people_test::Scored;

namespace {

const EmployeeReview& of(const CycleReviews& r, const std::string& id) {
  const auto i = r.index_of(id);
  EXPECT_GE(i, 0) << id;
  return r.employees.at(static_cast<std::size_t>(i));
}

ErrorCode code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no spm::Error thrown";
  return ErrorCode::internal;
}

}  // namespace

TEST(RatingScale, LinearMapsMinToZeroAndMaxToOne) {
  RatingScale s;  // 1 to 5
  EXPECT_DOUBLE_EQ(rating_score(s, 1), 0.0);
  EXPECT_DOUBLE_EQ(rating_score(s, 3), 0.5);
  EXPECT_DOUBLE_EQ(rating_score(s, 4), 0.75);
  EXPECT_DOUBLE_EQ(rating_score(s, 5), 1.0);
}

TEST(RatingScale, TableLowerEdgeInclusiveLastRangeClosed) {
  RatingScale s;
  s.table = {{1, 1.5, 0.0}, {1.5, 2.5, 0.3}, {2.5, 3.5, 0.7}, {3.5, 4.5, 0.9}, {4.5, 5, 1.0}};
  EXPECT_DOUBLE_EQ(rating_score(s, 1), 0.0);
  EXPECT_DOUBLE_EQ(rating_score(s, 1.5), 0.3);
  EXPECT_DOUBLE_EQ(rating_score(s, 2.5), 0.7);
  EXPECT_DOUBLE_EQ(rating_score(s, 3), 0.7);
  EXPECT_DOUBLE_EQ(rating_score(s, 4.49), 0.9);
  EXPECT_DOUBLE_EQ(rating_score(s, 5), 1.0);
}

TEST(RatingScale, OutOfScaleAndNonFiniteRatingsAreRefused) {
  RatingScale s;
  for (double bad : {0.0, 5.5, -1.0, std::nan(""), HUGE_VAL})
    EXPECT_EQ(code_of([&] { (void)rating_score(s, bad); }), ErrorCode::invalid_argument) << bad;
  RatingScale gap;
  gap.table = {{1, 2, 0.0}, {3, 5, 1.0}};  // 2 to 3 is in no range
  EXPECT_EQ(code_of([&] { (void)rating_score(gap, 2.5); }), ErrorCode::invalid_argument);
}

TEST(CycleSpan, AYearIsLabelledAsTheYearAndOtherSpansByTheirEnds) {
  ReviewCycle c;
  c.first = Period::month(2026, 1);
  c.last = Period::month(2026, 12);
  EXPECT_EQ(cycle_span(c).label, "2026");
  c.last = Period::month(2026, 3);
  EXPECT_EQ(cycle_span(c).label, "2026-Q1");
  c.first = Period::month(2026, 4);
  c.last = Period::quarter(2027, 1);
  const Span s = cycle_span(c);
  EXPECT_EQ(s.label, "2026-04..2027-Q1");
  EXPECT_EQ(s.first, Period::month(2026, 4));
  EXPECT_EQ(s.last, Period::month(2027, 3));
}

TEST(Reviews, EveryComponentHandComputed) {
  Org o;
  Scored s(o.m);
  const CycleReviews r = review_cycle(o.m, s.cascade, s.card, "RC", o.as_of);
  ASSERT_EQ(r.employees.size(), 3u);
  EXPECT_EQ(r.span.label, "2026");
  const EmployeeReview& a = of(r, "A");
  EXPECT_EQ(a.review, "REV-A");
  EXPECT_EQ(a.reviewer, "M");
  EXPECT_TRUE(a.review_completed);
  // Objectives: (3 * 0.8 + 1 * 0.4) / 4.
  EXPECT_NEAR(a.component(Component::objectives).score, 0.7, 1e-12);
  ASSERT_EQ(a.objectives.size(), 2u);
  EXPECT_NEAR(a.objectives[0].normalized, 0.75, 1e-12);
  EXPECT_NEAR(a.objectives[0].points, 0.6, 1e-12);
  // Contribution: O-A1 reaches G1 with attribution 1, O-A2 reaches G2 with 0.5 (G2 has two
  // inputs): (1 * 0.8 + 0.5 * 0.4) / 1.5.
  EXPECT_NEAR(a.component(Component::contribution).score, 2.0 / 3.0, 1e-12);
  ASSERT_EQ(a.goals.size(), 2u);
  EXPECT_EQ(a.goals[0].goal, "G1");
  EXPECT_NEAR(a.goals[0].attribution, 1.0, 1e-12);
  EXPECT_NEAR(a.goals[0].share, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(a.goals[0].points, 0.8 / 1.5, 1e-12);
  EXPECT_EQ(a.goals[1].goal, "G2");
  EXPECT_NEAR(a.goals[1].attribution, 0.5, 1e-12);
  EXPECT_NEAR(a.goals[1].score, 0.4, 1e-12);
  // Values and competencies: ratings 4 and 3 on 1..5 score 0.75 and 0.5.
  EXPECT_NEAR(a.component(Component::values).score, 0.625, 1e-12);
  ASSERT_EQ(a.ratings.size(), 2u);
  EXPECT_NEAR(a.component(Component::self).score, 1.0, 1e-12);
  // Feedback: manager 4 -> 0.75; peers 5, 3, 2 -> mean 10/3 -> 0.58333; the direct reports'
  // group of two is below its threshold of 3 and left out.
  EXPECT_NEAR(a.component(Component::feedback).score, (0.75 + (10.0 / 3 - 1) / 4) / 2, 1e-12);
  // Final: 0.4 * 0.7 + 0.2 * 2/3 + 0.15 * 0.625 + 0.05 * 1 + 0.2 * 2/3.
  EXPECT_NEAR(a.final_score, 0.6904166666666667, 1e-12);
  EXPECT_NEAR(a.weight_present, 1.0, 1e-12);
  double points = 0;
  for (const auto& c : a.components) points += c.points;
  EXPECT_NEAR(points, a.final_score, 1e-12);
  EXPECT_DOUBLE_EQ(a.overall_rating, 4);
  EXPECT_DOUBLE_EQ(a.overall_score, 0.75);
  const std::string text = a.text();
  EXPECT_NE(text.find("final score 0.6904"), std::string::npos) << text;
  EXPECT_NE(text.find("direct_report  not shown"), std::string::npos) << text;
}

TEST(Reviews, MissingComponentsAreReportedNeverCountedAsZero) {
  Org o;
  Scored s(o.m);
  const CycleReviews r = review_cycle(o.m, s.cascade, s.card, "RC", o.as_of);
  const EmployeeReview& b = of(r, "B");
  EXPECT_FALSE(b.component(Component::objectives).present());
  EXPECT_TRUE(std::isnan(b.component(Component::objectives).score));
  EXPECT_EQ(b.component(Component::objectives).missing,
            "none of the 1 objectives has a score in 2026");
  EXPECT_EQ(b.component(Component::contribution).missing,
            "no objective that reaches a goal has a score");
  EXPECT_EQ(b.component(Component::self).missing, "no self-assessment submitted");
  EXPECT_FALSE(b.component(Component::feedback).present());
  // Only the values component is present: the final score is that component alone.
  EXPECT_DOUBLE_EQ(b.final_score, 1.0);
  EXPECT_NEAR(b.weight_present, 0.15, 1e-12);
  EXPECT_DOUBLE_EQ(b.component(Component::values).normalized, 1.0);

  const EmployeeReview& c = of(r, "C");
  EXPECT_EQ(c.component(Component::objectives).missing, "no objectives in 2026");
  EXPECT_EQ(c.component(Component::values).missing, "the review is not completed");
  EXPECT_FALSE(c.review_completed);
  EXPECT_DOUBLE_EQ(c.final_score, 0.5);
}

TEST(Reviews, WeightsAreTheCyclesAndRecordsAfterAsOfDoNotCount) {
  Org o;
  ReviewCycle rc = o.m.get<ReviewCycle>("RC");
  rc.weights = ComponentWeights{1, 0, 1, 0, 0};
  o.m.update(rc);
  Scored s(o.m);
  // As of 2027-01-11, B's review (completed on the 12th) is still in progress.
  const CycleReviews r = review_cycle(o.m, s.cascade, s.card, "RC", Date::from_ymd(2027, 1, 11));
  const EmployeeReview& a = of(r, "A");
  EXPECT_NEAR(a.final_score, (0.7 + 0.625) / 2, 1e-12);
  EXPECT_DOUBLE_EQ(a.component(Component::contribution).normalized, 0.0);
  const EmployeeReview& b = of(r, "B");
  EXPECT_FALSE(b.review_completed);
  EXPECT_TRUE(std::isnan(b.final_score));
}

TEST(Reviews, RatingsOutOfScaleAreRefusedWithEveryProblemListed) {
  Org o;
  Review bad = o.m.get<Review>("REV-A");
  bad.ratings.push_back(Rating{{EntityKind::value, "V1"}, 6});
  bad.overall = 0;
  o.m.update(bad);
  Scored s(o.m);
  try {
    (void)review_cycle(o.m, s.cascade, s.card, "RC", o.as_of);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::validation);
    ASSERT_EQ(e.issues().size(), 2u);
    EXPECT_EQ(e.issues()[0].id, "REV-A");
    EXPECT_EQ(e.issues()[0].field, "ratings[2].rating");
    EXPECT_EQ(e.issues()[1].field, "overall");
  }
}

TEST(Reviews, ARaterReviewingThemselvesIsRefused) {
  Org o;
  Review self = o.m.get<Review>("REV-A");
  self.id = "REV-SELF";
  self.reviewer = "A";
  EXPECT_EQ(code_of([&] { o.m.add(self); }), ErrorCode::validation);
  Feedback f;
  f.id = "F-SELF";
  f.cycle = "RC";
  f.subject = "A";
  f.rater = "A";
  f.relation = RaterRelation::peer;
  EXPECT_EQ(code_of([&] { o.m.add(f); }), ErrorCode::validation);
  // One rater answering twice about one person would count twice: refused too.
  o.feedback("F-AGAIN", "A", "R1", RaterRelation::peer, 4);
  Scored s(o.m);
  EXPECT_EQ(code_of([&] { (void)review_cycle(o.m, s.cascade, s.card, "RC", o.as_of); }),
            ErrorCode::validation);
}

TEST(Reviews, WeightsThatDoNotMakeSenseAreRefused) {
  Org o;
  ReviewCycle rc = o.m.get<ReviewCycle>("RC");
  rc.weights = ComponentWeights{0, 0, 0, 0, 0};
  EXPECT_EQ(code_of([&] { o.m.update(rc); }), ErrorCode::validation);
  rc.weights = ComponentWeights{0.5, -0.1, 0.2, 0.2, 0.2};
  EXPECT_EQ(code_of([&] { o.m.update(rc); }), ErrorCode::validation);
  rc.weights = ComponentWeights{NAN, 0.1, 0.2, 0.2, 0.2};
  EXPECT_EQ(code_of([&] { o.m.update(rc); }), ErrorCode::validation);
  rc.weights = ComponentWeights{};
  rc.scale.min = 5;
  rc.scale.max = 1;
  EXPECT_EQ(code_of([&] { o.m.update(rc); }), ErrorCode::validation);
  rc.scale = RatingScale{};
  rc.anonymity.peer = 0;
  EXPECT_EQ(code_of([&] { o.m.update(rc); }), ErrorCode::validation);
}

TEST(Reviews, StaleForeignAndMismatchedInputsAreRefused) {
  Org o;
  Scored s(o.m);
  EXPECT_EQ(code_of([&] { (void)review_cycle(o.m, s.cascade, s.card, "NOPE", o.as_of); }),
            ErrorCode::not_found);
  // A scorecard without the cycle's column.
  ScoreOptions q;
  q.columns = {Span::of(Period::quarter(2026, 1))};
  const Scorecard quarter = Scorecard::evaluate(s.cascade, q);
  EXPECT_EQ(code_of([&] { (void)review_cycle(o.m, s.cascade, quarter, "RC", o.as_of); }),
            ErrorCode::invalid_argument);
  // A cascade of another model.
  Org other;
  EXPECT_EQ(code_of([&] { (void)review_cycle(other.m, s.cascade, s.card, "RC", o.as_of); }),
            ErrorCode::invalid_argument);
  // An edit makes the cascade and scorecard stale.
  Value v;
  v.id = "V2";
  o.m.add(v);
  EXPECT_EQ(code_of([&] { (void)review_cycle(o.m, s.cascade, s.card, "RC", o.as_of); }),
            ErrorCode::stale);
  EXPECT_EQ(code_of([&] {
              ParticipationQuery pq;
              pq.cycle = "RC";
              pq.as_of = o.as_of;
              (void)participation(o.m, s.cascade, pq);
            }),
            ErrorCode::stale);
}

TEST(Reviews, PeopleWhoLeftOrHadNotStartedAreNotReviewed) {
  Org o;
  ReviewCycle rc = o.m.get<ReviewCycle>("RC");
  rc.employees.clear();  // everyone employed in 2026
  o.m.update(rc);
  Employee c = o.m.get<Employee>("C");
  c.end = Date::from_ymd(2026, 9, 30);
  o.m.update(c);
  Employee late = o.m.get<Employee>("R1");
  late.start = Date::from_ymd(2027, 2, 1);
  o.m.update(late);
  const auto people = cycle_employees(o.m, "RC", o.as_of);
  EXPECT_EQ(people, (std::vector<std::string>{"M", "A", "B", "R2", "R3", "D1", "D2"}));
}

TEST(Reviews, TheLatestCompletedReviewAndSelfAssessmentCount) {
  Org o;
  Review second = o.m.get<Review>("REV-A");
  second.id = "REV-A2";
  second.completed = Date::from_ymd(2027, 1, 15);
  second.ratings = {Rating{{EntityKind::value, "V1"}, 1}};
  o.m.add(second);
  Review draft = second;
  draft.id = "REV-A3";
  draft.completed.reset();
  o.m.add(draft);
  SelfAssessment later = o.m.get<SelfAssessment>("SA-A");
  later.id = "SA-A2";
  later.submitted = Date::from_ymd(2027, 1, 2);
  later.rating = 3;
  o.m.add(later);
  Scored s(o.m);
  const CycleReviews r = review_cycle(o.m, s.cascade, s.card, "RC", o.as_of);
  EXPECT_EQ(of(r, "A").review, "REV-A2");
  EXPECT_DOUBLE_EQ(of(r, "A").component(Component::values).score, 0.0);
  EXPECT_DOUBLE_EQ(of(r, "A").component(Component::self).score, 0.5);
  // As of the 12th, the second review is not completed yet, and the later self-assessment is in.
  const CycleReviews early =
      review_cycle(o.m, s.cascade, s.card, "RC", Date::from_ymd(2027, 1, 12));
  EXPECT_EQ(of(early, "A").review, "REV-A");
  EXPECT_DOUBLE_EQ(of(early, "A").component(Component::values).score, 0.625);
}
