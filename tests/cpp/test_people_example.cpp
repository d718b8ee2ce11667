// The example organization's 2026 annual review, through every function of the people stage.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "people_fixtures.hpp"
#include "spm/io.hpp"

using namespace spm;

namespace {

const std::string source_dir = SPM_SOURCE_DIR;
const Date as_of = Date::from_ymd(2027, 1, 20);  // organization.attributes.data_as_of

struct Example : ::testing::Test {
  static void SetUpTestSuite() {
    model = new Model(load_json_file(source_dir + "/examples/municipality.json"));
    cascade = new Cascade(Cascade::compile(*model));
    ScoreOptions o;
    o.columns = {cycle_span(model->get<ReviewCycle>("RC-2026"))};
    card = new Scorecard(Scorecard::evaluate(*cascade, o));
    reviews = new CycleReviews(review_cycle(*model, *cascade, *card, "RC-2026", as_of));
  }
  static void TearDownTestSuite() {
    delete reviews;
    delete card;
    delete cascade;
    delete model;
  }
  static Model* model;
  static Cascade* cascade;
  static Scorecard* card;
  static CycleReviews* reviews;
};
Model* Example::model = nullptr;
Cascade* Example::cascade = nullptr;
Scorecard* Example::card = nullptr;
CycleReviews* Example::reviews = nullptr;

}  // namespace

TEST_F(Example, TheCycleReviewsEveryoneStillEmployed) {
  // 200 employees; the two leavers (E0014, E0174) had left by 2027-01-20.
  EXPECT_EQ(reviews->employees.size(), 198u);
  EXPECT_LT(reviews->index_of("E0014"), 0);
  EXPECT_LT(reviews->index_of("E0174"), 0);
  std::size_t completed = 0, with_final = 0;
  for (const auto& r : reviews->employees) {
    completed += r.review_completed;
    if (!std::isnan(r.final_score)) {
      ++with_final;
      EXPECT_GE(r.final_score, 0.0);
      EXPECT_LE(r.final_score, 1.0);
      double points = 0;
      for (const auto& c : r.components) points += c.points;
      EXPECT_NEAR(points, r.final_score, 1e-12) << r.employee;
    }
    for (const auto& c : r.components)
      EXPECT_EQ(c.present(), !std::isnan(c.score)) << r.employee << to_string(c.component);
  }
  EXPECT_EQ(completed, 171u);
  EXPECT_GT(with_final, 171u);
}

TEST_F(Example, MostEmployeesHaveObjectiveResultsAndContribution) {
  // About four in five employee objectives have a measure (the share of the 2026 plan
  // delivered); employees without an objective, or with none measured, miss both components.
  std::size_t objectives = 0, contribution = 0;
  for (const auto& r : reviews->employees) {
    objectives += r.component(Component::objectives).present();
    contribution += r.component(Component::contribution).present();
  }
  EXPECT_EQ(objectives, 189u);
  EXPECT_EQ(contribution, 187u);
  const auto& e92 = reviews->employees[static_cast<std::size_t>(reviews->index_of("E0092"))];
  EXPECT_EQ(e92.component(Component::objectives).missing, "no objectives in 2026");
  const auto& e43 = reviews->employees[static_cast<std::size_t>(reviews->index_of("E0043"))];
  EXPECT_EQ(e43.component(Component::objectives).missing,
            "none of the 2 objectives has a score in 2026");
  // E0002: O-E0002-1 (weight 3) has no measure and is left out; O-E0002-2 (weight 2) was at
  // 77% of its plan in 2026-12, O-E0002-3 (weight 1) at 68%: (2 x 0.77 + 0.68) / 3 = 0.74.
  const auto& e2 = reviews->employees[static_cast<std::size_t>(reviews->index_of("E0002"))];
  EXPECT_NEAR(e2.component(Component::objectives).score, 0.74, 1e-12);
  ASSERT_EQ(e2.objectives.size(), 3u);
  EXPECT_TRUE(std::isnan(e2.objectives[0].score));
  EXPECT_NEAR(e2.objectives[1].score, 0.77, 1e-12);
  EXPECT_NEAR(e2.objectives[2].score, 0.68, 1e-12);
  EXPECT_TRUE(e2.component(Component::contribution).present());
  EXPECT_FALSE(e2.goals.empty());
  // E0002's review (2.5, table score 0.7 for most ratings) and self-assessment (3 -> 0.7).
  EXPECT_DOUBLE_EQ(e2.component(Component::self).score, 0.7);
  EXPECT_DOUBLE_EQ(e2.overall_score, 0.7);
}

TEST_F(Example, SuppressedGroupsNeverShow) {
  std::size_t suppressed = 0, shown = 0;
  for (const auto& r : reviews->employees)
    for (const auto& g : r.feedback) {
      if (!g.shown) {
        EXPECT_EQ(g.responses, 0u);
        EXPECT_TRUE(std::isnan(g.mean_score));
        EXPECT_TRUE(g.comments.empty());
        ++suppressed;
      } else {
        ++shown;
        EXPECT_GE(g.responses, static_cast<std::size_t>(g.threshold));
      }
      if (g.relation != RaterRelation::manager && g.relation != RaterRelation::self) {
        EXPECT_TRUE(g.raters.empty());
      }
    }
  EXPECT_GT(shown, 0u);
  // Groups of the example with 1 or 2 peer or direct-report responses stay hidden.
  std::size_t small_groups = 0;
  for (const auto& r : reviews->employees) {
    std::array<int, 5> counts{};
    for (const Feedback& f : model->all<Feedback>())
      if (f.subject == r.employee) ++counts[static_cast<std::size_t>(f.relation)];
    for (std::size_t g = 1; g < 4; ++g)
      if (counts[g] > 0 && counts[g] < 3) {
        ++small_groups;
        EXPECT_FALSE(r.feedback[g].shown) << r.employee;
      }
  }
  EXPECT_GT(small_groups, 0u);
}

TEST_F(Example, EighteenEmployeesAreOverdueForACheckIn) {
  const CheckInReport c = check_ins(*model, "RC-2026", as_of);
  EXPECT_EQ(c.overdue, 18u);
}

TEST_F(Example, ParticipationCalibrationRewardsTrainingAndBudgets) {
  ParticipationQuery q;
  q.cycle = "RC-2026";
  q.as_of = as_of;
  const ParticipationReport p = participation(*model, *cascade, q);
  EXPECT_EQ(p.organization.employees, 198u);
  const auto& reviewed = p.organization.criteria[static_cast<std::size_t>(Criterion::reviewed)];
  EXPECT_EQ(reviewed.met, 171u);
  const auto& objectives = p.organization.criteria[static_cast<std::size_t>(Criterion::objectives)];
  EXPECT_EQ(objectives.missing, (std::vector<std::string>{"E0092", "E0098"}));
  EXPECT_EQ(p.units.size(), 10u);
  std::size_t in_units = 0;
  for (const auto& u : p.units) in_units += u.employees;
  EXPECT_EQ(in_units, 198u);  // units do not nest in the example

  const Calibration cal = calibrate(*reviews);
  EXPECT_GT(cal.organization.count, 171u);
  EXPECT_FALSE(cal.managers.empty());

  RewardRules rules;
  rules.pool = 250000;
  const RewardReport rw = rewards(*reviews, rules);
  EXPECT_EQ(rw.allocated_cents, 25000000);
  for (const auto& s : rw.employees) {
    std::int64_t traced = 0;
    for (const auto& t : s.goals) traced += t.cents;
    EXPECT_EQ(traced, s.cents) << s.employee;
  }

  const TrainingNeeds t = training_needs(*model, *cascade, "RC-2026", as_of);
  EXPECT_FALSE(t.gaps.empty());
  EXPECT_FALSE(t.units.empty());
  for (const auto& g : t.gaps)
    if (!std::isnan(g.gap)) {
      EXPECT_GE(g.gap, 0.0);
    }

  const OutcomeBudget b = outcome_budget(*model, *cascade, *card, 0);
  EXPECT_EQ(b.strategies.size(), 12u);
  for (const auto& s : b.strategies) {
    EXPECT_EQ(s.currency, "USD");
    EXPECT_GT(s.budget, 0.0);
  }
}
