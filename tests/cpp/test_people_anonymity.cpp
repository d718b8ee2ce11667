// 360-degree feedback behind anonymity thresholds: a suppressed group never shows, and no
// public function lets anyone recover its answers, also not by comparing two queries.
#include <gtest/gtest.h>

#include <string>

#include "people_fixtures.hpp"

using namespace spm;
using people_test::dump_all;
using people_test::Org;
using people_test::Scored;

TEST(Anonymity, ASuppressedGroupCarriesNothing) {
  Org o;
  Scored s(o.m);
  const CycleReviews r = review_cycle(o.m, s.cascade, s.card, "RC", o.as_of);
  const EmployeeReview& a = r.employees[0];
  const FeedbackGroup& dr = a.feedback[static_cast<std::size_t>(RaterRelation::direct_report)];
  EXPECT_FALSE(dr.shown);
  EXPECT_EQ(dr.threshold, 3);
  EXPECT_EQ(dr.responses, 0u);
  EXPECT_TRUE(std::isnan(dr.mean_rating));
  EXPECT_TRUE(std::isnan(dr.mean_score));
  EXPECT_TRUE(dr.comments.empty());
  EXPECT_TRUE(dr.raters.empty());
  // A group without any response looks exactly the same.
  const FeedbackGroup& other = a.feedback[static_cast<std::size_t>(RaterRelation::other)];
  EXPECT_EQ(other.shown, dr.shown);
  EXPECT_EQ(other.responses, dr.responses);
  EXPECT_EQ(other.comments, dr.comments);
  // Shown groups: the manager is named, peers are not; comments sorted, not in rater order.
  const FeedbackGroup& mg = a.feedback[static_cast<std::size_t>(RaterRelation::manager)];
  EXPECT_TRUE(mg.shown);
  EXPECT_EQ(mg.raters, std::vector<std::string>{"M"});
  const FeedbackGroup& peers = a.feedback[static_cast<std::size_t>(RaterRelation::peer)];
  EXPECT_TRUE(peers.shown);
  EXPECT_EQ(peers.responses, 3u);
  EXPECT_TRUE(peers.raters.empty());
  EXPECT_EQ(peers.comments, (std::vector<std::string>{"Always helps.", "Late replies."}));
}

TEST(Anonymity, NoOutputOfAnyFunctionNamesAnAnonymousRaterOrShowsASuppressedAnswer) {
  Org o;
  const std::string all = dump_all(o.m, "RC", o.as_of);
  for (const char* rater : {"R1", "R2", "R3", "D1", "D2"})
    EXPECT_EQ(all.find(rater), std::string::npos) << rater << " in\n" << all;
  EXPECT_EQ(all.find("SECRET"), std::string::npos) << all;
  EXPECT_NE(all.find("rater:M"), std::string::npos);  // the manager group names the manager
}

TEST(Anonymity, DifferencingTwoQueriesCannotIsolateASuppressedAnswer) {
  Org base;
  const std::string before = dump_all(base.m, "RC", base.as_of);

  // Changing a suppressed answer changes nothing anywhere.
  Org changed;
  Feedback f5 = changed.m.get<Feedback>("F5");
  f5.rating = 5;
  f5.comment = "different";
  changed.m.update(f5);
  EXPECT_EQ(dump_all(changed.m, "RC", changed.as_of), before);

  // Without one of the two suppressed responses: the same.
  Org fewer;
  fewer.m.remove(EntityKind::feedback, "F6");
  EXPECT_EQ(dump_all(fewer.m, "RC", fewer.as_of), before);

  // With one more response that stays below the threshold (B's first 'other' response): the
  // same, so the response cannot be recovered from the difference.
  Org more;
  more.feedback("F7", "B", "D1", RaterRelation::other, 1, "SECRET-THREE");
  EXPECT_EQ(dump_all(more.m, "RC", more.as_of), before);

  // A response submitted after as_of does not count either, though it would lift the direct
  // reports' group to its threshold.
  Org later;
  later.feedback("F8", "A", "C", RaterRelation::direct_report, 5);
  Feedback f8 = later.m.get<Feedback>("F8");
  f8.submitted = Date::from_ymd(2027, 2, 1);
  later.m.update(f8);
  EXPECT_EQ(dump_all(later.m, "RC", later.as_of), before);
}

TEST(Anonymity, AGroupIsShownOnceItReachesItsThresholdAndCountsOnlyThen) {
  Org o;
  o.feedback("F9", "A", "C", RaterRelation::direct_report, 5);
  Scored s(o.m);
  const CycleReviews r = review_cycle(o.m, s.cascade, s.card, "RC", o.as_of);
  const FeedbackGroup& dr =
      r.employees[0].feedback[static_cast<std::size_t>(RaterRelation::direct_report)];
  ASSERT_TRUE(dr.shown);
  EXPECT_EQ(dr.responses, 3u);
  EXPECT_NEAR(dr.mean_rating, 7.0 / 3, 1e-12);
  EXPECT_TRUE(dr.raters.empty());
  EXPECT_EQ(dr.comments, (std::vector<std::string>{"SECRET-ONE", "SECRET-TWO"}));
  const double manager = 0.75, peers = (10.0 / 3 - 1) / 4, reports = (7.0 / 3 - 1) / 4;
  EXPECT_NEAR(r.employees[0].component(Component::feedback).score, (manager + peers + reports) / 3,
              1e-12);
}

TEST(Anonymity, ThresholdsAreTheCyclesAndSelfFeedbackNamesOnlyTheSubject) {
  Org o;
  ReviewCycle rc = o.m.get<ReviewCycle>("RC");
  rc.anonymity.peer = 4;           // the three peers are now too few
  rc.anonymity.direct_report = 2;  // the two direct reports are enough
  o.m.update(rc);
  o.feedback("F-SELF", "A", "A", RaterRelation::self, 5);
  Scored s(o.m);
  const CycleReviews r = review_cycle(o.m, s.cascade, s.card, "RC", o.as_of);
  const auto& fb = r.employees[0].feedback;
  EXPECT_FALSE(fb[static_cast<std::size_t>(RaterRelation::peer)].shown);
  EXPECT_TRUE(fb[static_cast<std::size_t>(RaterRelation::direct_report)].shown);
  const FeedbackGroup& self = fb[static_cast<std::size_t>(RaterRelation::self)];
  EXPECT_TRUE(self.shown);
  EXPECT_EQ(self.raters, std::vector<std::string>{"A"});
  // Self feedback is shown but the self-assessment is its own component: the feedback
  // component is manager and direct reports only.
  EXPECT_NEAR(r.employees[0].component(Component::feedback).score, (0.75 + 0.0) / 2, 1e-12);
}
