#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "spm/model.hpp"

using namespace spm;

namespace {

Goal goal(std::string id, std::string perspective = "financial") {
  Goal g;
  g.id = std::move(id);
  g.name = "Goal " + g.id;
  g.perspective = std::move(perspective);
  return g;
}

Employee employee(std::string id, std::string unit = "U1", std::string manager = "") {
  Employee e;
  e.id = std::move(id);
  e.unit = std::move(unit);
  e.manager = std::move(manager);
  return e;
}

bool has_issue(const Error& e, const std::string& field) {
  for (const auto& i : e.issues())
    if (i.field == field) return true;
  return false;
}

}  // namespace

TEST(Model, AddFindGetInOrder) {
  Model m;
  m.add(goal("G2"));
  m.add(goal("G1"));
  ASSERT_EQ(m.all<Goal>().size(), 2u);
  EXPECT_EQ(m.all<Goal>()[0].id, "G2");
  EXPECT_EQ(m.all<Goal>()[1].id, "G1");
  ASSERT_NE(m.find<Goal>("G1"), nullptr);
  EXPECT_EQ(m.find<Goal>("G1")->name, "Goal G1");
  EXPECT_EQ(m.find<Goal>("nope"), nullptr);
  EXPECT_EQ(m.index_of(EntityKind::goal, "G1"), 1);
  EXPECT_EQ(m.index_of(EntityKind::goal, "G3"), -1);
  EXPECT_EQ(m.count(EntityKind::goal), 2u);
  EXPECT_EQ(m.get<Goal>("G2").id, "G2");
  try {
    (void)m.get<Goal>("G9");
    FAIL() << "expected not_found";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_found);
    EXPECT_NE(std::string(e.what()).find("G9"), std::string::npos);
  }
}

TEST(Model, IdsAreUniquePerKindNotAcrossKinds) {
  Model m;
  m.add(goal("X"));
  Strategy s;
  s.id = "X";
  EXPECT_NO_THROW(m.add(s));
  try {
    m.add(goal("X"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::duplicate);
    ASSERT_EQ(e.issues().size(), 1u);
    EXPECT_EQ(e.issues()[0].kind, "goal");
    EXPECT_EQ(e.issues()[0].id, "X");
    EXPECT_EQ(e.issues()[0].field, "id");
  }
  EXPECT_EQ(m.count(EntityKind::goal), 1u);
}

TEST(Model, UpdateKeepsPositionAndUpsertChooses) {
  Model m;
  m.add(goal("A"));
  m.add(goal("B"));
  Goal b = goal("B");
  b.name = "renamed";
  m.update(b);
  EXPECT_EQ(m.all<Goal>()[1].name, "renamed");
  EXPECT_THROW(m.update(goal("C")), Error);
  m.upsert(goal("C"));
  m.upsert(goal("A"));
  EXPECT_EQ(m.count(EntityKind::goal), 3u);
  EXPECT_EQ(m.all<Goal>()[0].id, "A");
}

TEST(Model, RemoveShiftsAndReindexes) {
  Model m;
  for (int i = 0; i < 100; ++i) m.add(employee("E" + std::to_string(i)));
  m.remove(EntityKind::employee, "E10");
  EXPECT_EQ(m.count(EntityKind::employee), 99u);
  EXPECT_EQ(m.find<Employee>("E10"), nullptr);
  EXPECT_EQ(m.index_of(EntityKind::employee, "E11"), 10);
  EXPECT_EQ(m.index_of(EntityKind::employee, "E99"), 98);
  try {
    m.remove(EntityKind::employee, "E10");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_found);
  }
  EXPECT_THROW(m.remove(static_cast<EntityKind>(200), "x"), Error);
}

TEST(Model, ManyIdsLookUpInConstantTime) {
  Model m;
  const int n = 50000;
  m.reserve(EntityKind::employee, n);
  for (int i = 0; i < n; ++i) m.add(employee("emp-" + std::to_string(i * 7919 % n)));
  for (int i = 0; i < n; i += 997) {
    auto idx = m.index_of(EntityKind::employee, "emp-" + std::to_string(i * 7919 % n));
    EXPECT_EQ(idx, i);
  }
  EXPECT_EQ(m.index_of(EntityKind::employee, "emp-" + std::to_string(n)), -1);
}

TEST(Model, OwnFieldChecksRejectAnEditAndChangeNothing) {
  Model m;
  Objective o;
  o.id = "O1";
  o.owner = {EntityKind::employee, "E1"};
  o.weight = std::numeric_limits<double>::infinity();
  o.contributes_to.push_back({{EntityKind::goal, "G1"}, -1.0});
  o.contributes_to.push_back({{EntityKind::action, "A1"}, 1.0});
  const auto rev = m.revision();
  try {
    m.add(o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::validation);
    EXPECT_TRUE(has_issue(e, "weight"));
    EXPECT_TRUE(has_issue(e, "contributes_to[0].weight"));
    EXPECT_TRUE(has_issue(e, "contributes_to[1]"));
    for (const auto& i : e.issues()) {
      EXPECT_EQ(i.kind, "objective");
      EXPECT_EQ(i.id, "O1");
    }
  }
  EXPECT_EQ(m.count(EntityKind::objective), 0u);
  EXPECT_EQ(m.revision(), rev);
}

TEST(Model, RejectsBadIdsAndText) {
  Model m;
  EXPECT_THROW(m.add(goal("")), Error);
  EXPECT_THROW(m.add(goal("bad\xff")), Error);
  EXPECT_THROW(m.add(goal("tab\there")), Error);
  Goal g = goal("ok");
  g.description = "\xc3\x28";  // invalid two-byte sequence
  EXPECT_THROW(m.add(g), Error);
  g.description = "Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";  // valid: é € 😀
  EXPECT_NO_THROW(m.add(g));
  Goal overlong = goal("o");
  overlong.name = "\xc0\xaf";
  EXPECT_THROW(m.add(overlong), Error);
  Goal surrogate = goal("s");
  surrogate.name = "\xed\xa0\x80";
  EXPECT_THROW(m.add(surrogate), Error);
}

TEST(Model, BulkAddIsAllOrNothing) {
  Model m;
  m.add(goal("G0"));
  Batch b;
  b.add(goal("G1")).add(goal("G2")).add(goal("G1")).add(goal("G0"));
  Measure bad;
  bad.id = "M1";
  bad.subject = {EntityKind::goal, "G1"};
  bad.baseline = 10;
  bad.target = 5;  // contradicts increasing polarity
  b.add(bad);
  try {
    m.apply(b);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::validation);
    int dups = 0;
    bool polarity = false;
    for (const auto& i : e.issues()) {
      if (i.field == "id") ++dups;
      if (i.kind == "measure" && i.field == "target") polarity = true;
      EXPECT_FALSE(i.location.empty());
    }
    EXPECT_EQ(dups, 2);  // G1 twice in the batch, G0 already in the model
    EXPECT_TRUE(polarity);
  }
  EXPECT_EQ(m.count(EntityKind::goal), 1u);
  EXPECT_EQ(m.count(EntityKind::measure), 0u);
}

TEST(Model, MixedBatchAppliesInOrderOrNotAtAll) {
  Model m;
  m.add(goal("A"));
  m.add(goal("B"));
  {
    Batch b;
    Goal a = goal("A");
    a.name = "changed";
    b.update(a).remove(EntityKind::goal, "B").add(goal("B")).upsert(goal("C"));
    m.apply(b);
  }
  ASSERT_EQ(m.count(EntityKind::goal), 3u);
  EXPECT_EQ(m.all<Goal>()[0].name, "changed");
  EXPECT_EQ(m.all<Goal>()[1].id, "B");
  EXPECT_EQ(m.all<Goal>()[2].id, "C");

  const Model before = m;
  Batch bad;
  bad.remove(EntityKind::goal, "A").remove(EntityKind::goal, "A").update(goal("Z"));
  EXPECT_THROW(m.apply(bad), Error);
  EXPECT_TRUE(m == before);
}

TEST(Model, ActualsStaySortedAndRatioActualsDeriveTheirValue) {
  Model m;
  Measure ms;
  ms.id = "M";
  ms.subject = {EntityKind::goal, "G"};
  ms.method = ScoringMethod::ratio;
  ms.aggregation = Aggregation::ratio;
  ms.target = 0.5;
  m.add(ms);
  m.set_actual("M", Actual{Period::month(2026, 3), 0, 1.0, 4.0});
  m.set_actual("M", Actual{Period::month(2026, 1), 0, 2.0, 4.0});
  m.set_actual("M", Actual{Period::month(2026, 2), 0, 2.0, 100.0});
  const auto& a = m.get<Measure>("M").actuals;
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].period.to_string(), "2026-01");
  EXPECT_DOUBLE_EQ(a[0].value, 0.5);
  EXPECT_DOUBLE_EQ(a[2].value, 0.25);
  m.set_actual("M", Actual{Period::month(2026, 1), 0, 3.0, 4.0});  // replace
  EXPECT_EQ(m.get<Measure>("M").actuals.size(), 3u);
  EXPECT_DOUBLE_EQ(m.get<Measure>("M").actuals[0].value, 0.75);

  // A ratio measure needs numerator and denominator; denominators are positive; values finite.
  EXPECT_THROW(m.set_actual("M", Actual{Period::month(2026, 4), 0.3, {}, {}}), Error);
  EXPECT_THROW(m.set_actual("M", Actual{Period::month(2026, 4), 0, 1.0, 0.0}), Error);
  EXPECT_THROW(m.set_actual("M", Actual{Period::month(2026, 4), 0, 1.0, {}}), Error);
  EXPECT_THROW(m.set_actual("nope", Actual{Period::month(2026, 4), 1, {}, {}}), Error);
  EXPECT_EQ(m.get<Measure>("M").actuals.size(), 3u);

  EXPECT_TRUE(m.erase_actual("M", Period::month(2026, 2)));
  EXPECT_FALSE(m.erase_actual("M", Period::month(2026, 2)));
  EXPECT_EQ(m.get<Measure>("M").actuals.size(), 2u);
}

TEST(Model, NonFiniteActualIsAnInputError) {
  Model m;
  Measure ms;
  ms.id = "M";
  ms.subject = {EntityKind::goal, "G"};
  ms.baseline = 0;
  ms.target = 10;
  m.add(ms);
  EXPECT_THROW(
      m.set_actual("M",
                   Actual{Period::month(2026, 1), std::numeric_limits<double>::infinity(), {}, {}}),
      Error);
  EXPECT_THROW(m.set_actual("M", Actual{Period::month(2026, 1), std::nan(""), {}, {}}), Error);
  EXPECT_TRUE(m.get<Measure>("M").actuals.empty());
}

TEST(Model, RevisionCountsSuccessfulEdits) {
  Model m;
  const auto r0 = m.revision();
  m.add(goal("A"));
  EXPECT_GT(m.revision(), r0);
  const auto r1 = m.revision();
  EXPECT_THROW(m.add(goal("A")), Error);
  EXPECT_EQ(m.revision(), r1);
}

TEST(Model, OrganizationsAreIndependent) {
  Model a, b;
  OrganizationInfo info;
  info.id = "a";
  info.name = "A";
  a.set_info(info);
  a.add(goal("G"));
  EXPECT_EQ(b.count(EntityKind::goal), 0u);
  EXPECT_TRUE(b.info().name.empty());
  Model c = a;  // deep copy
  c.remove(EntityKind::goal, "G");
  EXPECT_EQ(a.count(EntityKind::goal), 1u);
  Model d = std::move(c);
  EXPECT_EQ(c.count(EntityKind::goal), 0u);  // a moved-from model is empty, not broken
  EXPECT_FALSE(a == d);
}

TEST(Model, SettingsAreChecked) {
  Model m;
  OrganizationInfo info;
  info.id = "org";
  info.settings.cap = 0.5;
  EXPECT_THROW(m.set_info(info), Error);
  info.settings.cap = 1.5;
  info.settings.status_bands = {{Status::green, 0.7}, {Status::amber, 0.9}};
  EXPECT_THROW(m.set_info(info), Error);
  info.settings.status_bands = default_status_bands();
  EXPECT_NO_THROW(m.set_info(info));
  EXPECT_DOUBLE_EQ(m.info().settings.cap, 1.5);
}

TEST(Names, KindsRoundTrip) {
  for (int k = 0; k < entity_kind_count; ++k) {
    auto kind = static_cast<EntityKind>(k);
    auto back = parse_entity_kind(to_string(kind));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, kind);
    EXPECT_STRNE(plural_name(kind), "?");
  }
  EXPECT_STREQ(plural_name(EntityKind::strategy), "strategies");
  EXPECT_STREQ(plural_name(EntityKind::feedback), "feedback");
  EXPECT_FALSE(parse_entity_kind("goals"));
}

TEST(Names, DefaultPerspectivesAndBands) {
  auto p = default_perspectives();
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].name, "Financial");
  EXPECT_EQ(p[3].name, "Learning and Growth");
  EXPECT_EQ(default_perspectives(true)[0].name, "Stewardship");
  EXPECT_EQ(default_perspectives(true)[1].name, "Community");
  auto bands = default_status_bands();
  ASSERT_EQ(bands.size(), 3u);
  EXPECT_DOUBLE_EQ(bands[0].lower, 0.9);
  EXPECT_DOUBLE_EQ(bands[1].lower, 0.7);
}

TEST(Names, FieldNamesFollowTheFileFormat) {
  const auto goal = field_names(EntityKind::goal);
  ASSERT_FALSE(goal.empty());
  EXPECT_EQ(goal.front(), "id");
  EXPECT_EQ(goal.back(), "attributes");
  EXPECT_NE(std::find(goal.begin(), goal.end(), "perspective"), goal.end());
  const auto strategy = field_names(EntityKind::strategy);
  EXPECT_NE(std::find(strategy.begin(), strategy.end(), "if"), strategy.end());
  for (int k = 0; k < entity_kind_count; ++k)
    EXPECT_EQ(field_names(static_cast<EntityKind>(k)).front(), "id") << k;
  EXPECT_TRUE(field_names(static_cast<EntityKind>(200)).empty());
  EXPECT_EQ(organization_field_names().front(), "id");
}
