#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "model/check.hpp"
#include "model/describe.hpp"
#include "spm/model.hpp"
#include "spm/validate.hpp"

using namespace spm;

namespace {

/// A small valid organization: perspectives, a unit, two employees, a goal, a strategy, a
/// milestone, an objective and a measure.
Model small_org() {
  Model m;
  OrganizationInfo info;
  info.id = "org";
  info.name = "Org";
  m.set_info(info);
  for (auto& p : default_perspectives()) m.add(p);
  Unit u;
  u.id = "U1";
  u.name = "Unit";
  m.add(u);
  Employee boss;
  boss.id = "E1";
  boss.unit = "U1";
  m.add(boss);
  Employee e;
  e.id = "E2";
  e.unit = "U1";
  e.manager = "E1";
  m.add(e);
  Goal g;
  g.id = "G1";
  g.perspective = "customer";
  m.add(g);
  Strategy s;
  s.id = "S1";
  s.contributes_to = {{{EntityKind::goal, "G1"}, 1.0}};
  m.add(s);
  Milestone ms;
  ms.id = "MS1";
  ms.owner = {EntityKind::unit, "U1"};
  ms.contributes_to = {{{EntityKind::strategy, "S1"}, 1.0}};
  m.add(ms);
  Objective o;
  o.id = "O1";
  o.owner = {EntityKind::employee, "E2"};
  o.contributes_to = {{{EntityKind::milestone, "MS1"}, 2.0}};
  m.add(o);
  Measure me;
  me.id = "M1";
  me.subject = {EntityKind::goal, "G1"};
  me.baseline = 0;
  me.target = 100;
  m.add(me);
  return m;
}

int count_errors(const std::vector<Issue>& issues) {
  int n = 0;
  for (const auto& i : issues) n += i.severity == Severity::error;
  return n;
}

const Issue* find_issue(const std::vector<Issue>& issues, const std::string& kind,
                        const std::string& id, const std::string& field) {
  for (const auto& i : issues)
    if (i.kind == kind && i.id == id && i.field == field) return &i;
  return nullptr;
}

}  // namespace

TEST(Validate, SmallOrganizationIsValid) {
  auto issues = validate(small_org());
  for (const auto& i : issues) ADD_FAILURE() << i.to_string();
  EXPECT_TRUE(is_valid(issues));
  EXPECT_NO_THROW(ensure_valid(small_org()));
}

TEST(Validate, DanglingReferencesAreNamed) {
  Model m = small_org();
  Goal g;
  g.id = "G2";
  g.perspective = "nope";
  g.drives = {"G1", "G404"};
  m.add(g);
  Employee e;
  e.id = "E3";
  e.unit = "U404";
  e.manager = "E404";
  m.add(e);
  Objective o;
  o.id = "O2";
  o.owner = {EntityKind::team, "T404"};
  o.contributes_to = {{{EntityKind::goal, "G1"}, 1.0}, {{EntityKind::objective, "O404"}, 1.0}};
  m.add(o);
  auto issues = validate(m);
  EXPECT_FALSE(is_valid(issues));
  const Issue* i = find_issue(issues, "goal", "G2", "perspective");
  ASSERT_NE(i, nullptr);
  EXPECT_NE(i->message.find("unknown perspective 'nope'"), std::string::npos);
  EXPECT_NE(find_issue(issues, "goal", "G2", "drives[1]"), nullptr);
  EXPECT_EQ(find_issue(issues, "goal", "G2", "drives[0]"), nullptr);
  EXPECT_NE(find_issue(issues, "employee", "E3", "unit"), nullptr);
  EXPECT_NE(find_issue(issues, "employee", "E3", "manager"), nullptr);
  EXPECT_NE(find_issue(issues, "objective", "O2", "owner"), nullptr);
  EXPECT_NE(find_issue(issues, "objective", "O2", "contributes_to[1]"), nullptr);
  EXPECT_EQ(count_errors(issues), 6);
  EXPECT_THROW(ensure_valid(m), Error);
}

TEST(Validate, RequiredReferences) {
  Model m = small_org();
  Goal g;
  g.id = "G2";  // no perspective
  m.add(g);
  Employee e;
  e.id = "E3";  // no unit
  m.add(e);
  Budget b;
  b.id = "B1";  // no strategy
  m.add(b);
  auto issues = validate(m);
  EXPECT_NE(find_issue(issues, "goal", "G2", "perspective"), nullptr);
  EXPECT_NE(find_issue(issues, "employee", "E3", "unit"), nullptr);
  EXPECT_NE(find_issue(issues, "budget", "B1", "strategy"), nullptr);
}

TEST(Validate, RemovingAnEntityLeavesReferencesToReport) {
  Model m = small_org();
  m.remove(EntityKind::milestone, "MS1");
  auto issues = validate(m);
  const Issue* i = find_issue(issues, "objective", "O1", "contributes_to[0]");
  ASSERT_NE(i, nullptr);
  EXPECT_NE(i->message.find("unknown milestone 'MS1'"), std::string::npos);
}

TEST(Validate, ReportingCycleNamesEveryNodeInOrder) {
  Model m = small_org();
  Employee a, b, c;
  a.id = "A";
  b.id = "B";
  c.id = "C";
  a.unit = b.unit = c.unit = "U1";
  a.manager = "B";
  b.manager = "C";
  c.manager = "A";
  m.add(a);
  m.add(b);
  m.add(c);
  auto issues = validate(m);
  const Issue* i = find_issue(issues, "employee", "A", "manager");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->severity, Severity::error);
  EXPECT_NE(i->message.find("employee 'A' -> employee 'B' -> employee 'C' -> employee 'A'"),
            std::string::npos)
      << i->message;
  EXPECT_EQ(count_errors(issues), 1);
}

TEST(Validate, CycleOfTwoAndSelfLoops) {
  Model m = small_org();
  Employee a, b;
  a.id = "A";
  b.id = "B";
  a.unit = b.unit = "U1";
  a.manager = "B";
  b.manager = "A";
  m.add(a);
  m.add(b);
  auto issues = validate(m);
  ASSERT_NE(find_issue(issues, "employee", "A", "manager"), nullptr);
  EXPECT_NE(find_issue(issues, "employee", "A", "manager")->message.find("'B'"), std::string::npos);

  // Self-loops never enter the model.
  Employee self;
  self.id = "S";
  self.unit = "U1";
  self.manager = "S";
  EXPECT_THROW(m.add(self), Error);
  Objective o;
  o.id = "OX";
  o.owner = {EntityKind::employee, "E1"};
  o.contributes_to = {{{EntityKind::objective, "OX"}, 1.0}};
  EXPECT_THROW(m.add(o), Error);
}

TEST(Validate, ContributionCycleAmongObjectives) {
  Model m = small_org();
  for (int i = 0; i < 5; ++i) {
    Objective o;
    o.id = "C" + std::to_string(i);
    o.owner = {EntityKind::unit, "U1"};
    o.contributes_to = {{{EntityKind::objective, "C" + std::to_string((i + 1) % 5)}, 1.0}};
    m.add(o);
  }
  auto issues = validate(m);
  const Issue* i = find_issue(issues, "objective", "C0", "contributes_to");
  ASSERT_NE(i, nullptr);
  for (int k = 0; k < 5; ++k)
    EXPECT_NE(i->message.find("objective 'C" + std::to_string(k) + "'"), std::string::npos);
  EXPECT_EQ(count_errors(issues), 1);
}

TEST(Validate, UnitParentCycle) {
  Model m = small_org();
  Unit a, b;
  a.id = "UA";
  b.id = "UB";
  a.parent = "UB";
  b.parent = "UA";
  m.add(a);
  m.add(b);
  auto issues = validate(m);
  EXPECT_NE(find_issue(issues, "unit", "UA", "parent"), nullptr);
}

TEST(Validate, CauseAndEffectLoopIsAWarning) {
  Model m = small_org();
  Goal a, b;
  a.id = "GA";
  b.id = "GB";
  a.perspective = b.perspective = "financial";
  a.drives = {"GB"};
  b.drives = {"GA"};
  m.add(a);
  m.add(b);
  auto issues = validate(m);
  const Issue* i = find_issue(issues, "goal", "GA", "drives");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->severity, Severity::warning);
  EXPECT_TRUE(is_valid(issues));
}

TEST(Validate, MilestoneWithoutOwnerIsAWarning) {
  Model m = small_org();
  Milestone ms;
  ms.id = "MS2";
  m.add(ms);
  auto issues = validate(m);
  const Issue* i = find_issue(issues, "milestone", "MS2", "owner");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->severity, Severity::warning);
}

TEST(Validate, RatingsOutsideTheCycleScale) {
  Model m = small_org();
  ReviewCycle c;
  c.id = "RC";
  c.first = Period::month(2026, 1);
  c.last = Period::month(2026, 12);
  m.add(c);
  Value v;
  v.id = "V1";
  m.add(v);
  Review r;
  r.id = "R1";
  r.cycle = "RC";
  r.employee = "E2";
  r.reviewer = "E1";
  r.ratings = {{{EntityKind::value, "V1"}, 6.0}, {{EntityKind::competency, "C404"}, 3.0}};
  m.add(r);
  Feedback f;
  f.id = "F1";
  f.cycle = "RC";
  f.subject = "E2";
  f.rater = "E1";
  f.relation = RaterRelation::manager;
  f.rating = 0.5;
  m.add(f);
  auto issues = validate(m);
  EXPECT_NE(find_issue(issues, "review", "R1", "ratings[0].rating"), nullptr);
  EXPECT_NE(find_issue(issues, "review", "R1", "ratings[1]"), nullptr);
  EXPECT_NE(find_issue(issues, "feedback", "F1", "rating"), nullptr);
}

TEST(Validate, SelfReviewAndSelfFeedbackAreRejected) {
  Model m = small_org();
  Review r;
  r.id = "R";
  r.employee = r.reviewer = "E1";
  EXPECT_THROW(m.add(r), Error);
  Feedback f;
  f.id = "F";
  f.subject = f.rater = "E1";
  f.relation = RaterRelation::peer;
  EXPECT_THROW(m.add(f), Error);
  f.relation = RaterRelation::self;
  EXPECT_NO_THROW(m.add(f));
}

TEST(Validate, MeasureRulesFollowTheMethod) {
  Model m;
  auto rejects = [&](Measure ms, const std::string& field) {
    try {
      m.add(ms);
      ADD_FAILURE() << "accepted a bad measure, expected a problem in " << field;
    } catch (const Error& e) {
      bool found = false;
      for (const auto& i : e.issues()) found = found || i.field == field;
      EXPECT_TRUE(found) << e.what();
    }
  };
  Measure base;
  base.id = "M";
  base.subject = {EntityKind::goal, "G"};

  Measure lin = base;
  lin.baseline = 10;
  lin.target = 20;
  lin.polarity = Polarity::decreasing;
  rejects(lin, "target");
  lin.polarity = Polarity::increasing;
  lin.targets = {{Period::year(2026), 5}};
  rejects(lin, "targets[0].value");
  lin.targets.clear();
  lin.baseline.reset();
  rejects(lin, "baseline");

  Measure eq = base;  // baseline == target is allowed (DOMAIN.md: met or not)
  eq.baseline = 5;
  eq.target = 5;
  EXPECT_NO_THROW(m.add(eq));
  m.remove(EntityKind::measure, "M");

  Measure ratio = base;
  ratio.method = ScoringMethod::ratio;
  ratio.target = 0;
  rejects(ratio, "target");

  Measure band = base;
  band.method = ScoringMethod::band;
  band.band_low = 5;
  band.band_high = 3;
  band.band_tolerance = 0;
  rejects(band, "band_high");
  rejects(band, "band_tolerance");

  Measure th = base;
  th.method = ScoringMethod::thresholds;
  th.red_flag = 80;
  th.goal_value = 60;  // decreasing, but polarity says increasing
  rejects(th, "polarity");
  th.polarity = Polarity::decreasing;
  EXPECT_NO_THROW(m.add(th));
  m.remove(EntityKind::measure, "M");

  Measure tab = base;
  tab.method = ScoringMethod::table;
  rejects(tab, "table");
  tab.table = {{0, 10, 0.5}, {5, 20, 1.0}};
  rejects(tab, "table[1].from");

  Measure wrong_subject = base;
  wrong_subject.subject = {EntityKind::employee, "E1"};
  wrong_subject.baseline = 0;
  wrong_subject.target = 1;
  rejects(wrong_subject, "subject");

  Measure ms = base;
  ms.baseline = 0;
  ms.target = 1;
  ms.weight = 0;
  rejects(ms, "weight");
  ms.weight = 1;
  ms.cap = 0.9;
  rejects(ms, "cap");
}

TEST(Validate, DatesAndPercentagesInTheirDomain) {
  Model m;
  Action a;
  a.id = "A";
  a.start = Date::from_string("2026-05-01");
  a.due = Date::from_string("2026-04-01");
  a.percent_complete = 120;
  try {
    m.add(a);
    FAIL();
  } catch (const Error& e) {
    bool due = false, pct = false;
    for (const auto& i : e.issues()) {
      due = due || i.field == "due";
      pct = pct || i.field == "percent_complete";
    }
    EXPECT_TRUE(due);
    EXPECT_TRUE(pct);
  }
  ReviewCycle c;
  c.id = "C";
  c.first = Period::month(2026, 12);
  c.last = Period::month(2026, 1);
  c.weights = {0, 0, 0, 0, 0};
  c.scale.min = 5;
  c.scale.max = 1;
  c.anonymity.peer = 0;
  try {
    m.add(c);
    FAIL();
  } catch (const Error& e) {
    EXPECT_GE(e.issues().size(), 4u);
  }
}

TEST(Validate, OrderIsDeterministic) {
  Model m = small_org();
  Goal g;
  g.id = "G2";
  g.perspective = "x";
  m.add(g);
  Employee e;
  e.id = "E3";
  e.unit = "y";
  m.add(e);
  auto a = validate(m);
  auto b = validate(Model(m));
  EXPECT_EQ(a, b);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].kind, "employee");  // kinds in EntityKind order: employees before goals
  EXPECT_EQ(a[1].kind, "goal");
}

// validate() does not run the per-entity checks again (validate.cpp): it relies on every edit
// refusing an entity that fails them. Every way an entity's fields can change is tried here with
// bad values; each must be refused, and every entity the model then holds passes the checks.
TEST(Validate, NoEditLeavesAnEntityThatFailsItsOwnChecks) {
  Model m = small_org();
  Measure ratio;
  ratio.id = "MR";
  ratio.subject = {EntityKind::goal, "G1"};
  ratio.method = ScoringMethod::ratio;
  ratio.target = 2;
  m.add(ratio);

  Goal bad_goal;
  bad_goal.id = "G2";
  bad_goal.perspective = "customer";
  bad_goal.start = Date::from_ymd(2026, 6, 1);
  bad_goal.end = Date::from_ymd(2026, 1, 1);  // before its start
  EXPECT_THROW(m.add(bad_goal), Error);
  bad_goal.id = "G1";
  EXPECT_THROW(m.update(bad_goal), Error);
  Batch b;
  b.upsert(bad_goal);
  EXPECT_THROW(m.apply(b), Error);
  Batch adds;
  bad_goal.id = "G3";
  adds.add(bad_goal);
  EXPECT_THROW(m.apply(adds), Error);
  // An actual below 0 on a ratio measure, and a numerator without a denominator.
  EXPECT_THROW(m.set_actual("MR", {Period::month(2026, 1), -1.0, {}, {}}), Error);
  EXPECT_THROW(m.set_actual("M1", {Period::month(2026, 1), 1.0, 1.0, {}}), Error);
  EXPECT_THROW(m.set_actual("M1", {Period::month(2026, 1), std::nan(""), {}, {}}), Error);
  m.set_actual("MR", {Period::month(2026, 2), 1.0, {}, {}});
  m.set_actual("M1", {Period::month(2026, 2), 1.0, {}, {}});
  EXPECT_TRUE(m.erase_actual("M1", Period::month(2026, 2)));

  EXPECT_TRUE(is_valid(validate(m)));
  detail::for_each_entity_type([&](auto tag) {
    using T = typename decltype(tag)::type;
    for (const T& e : m.all<T>()) {
      std::vector<Issue> issues;
      detail::check_entity(e, issues);
      for (const auto& i : issues) ADD_FAILURE() << i.to_string();
    }
  });
}
