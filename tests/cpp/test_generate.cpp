// test_generate.cpp - the synthetic organization generator: shape within the ranges of its
// specification, determinism, and a valid model whose cascade compiles without orphans.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "spm/cascade.hpp"
#include "spm/generate.hpp"
#include "spm/io.hpp"
#include "spm/scoring.hpp"
#include "spm/validate.hpp"

namespace {

spm::Model make(std::uint64_t employees, std::uint64_t seed = 7) {
  spm::GenerateOptions o;
  o.employees = employees;
  o.seed = seed;
  return spm::generate(o);
}

TEST(Generate, CountsPerEmployeeAndUnitAreWithinTheSpecification) {
  const spm::Model m = make(2000);
  EXPECT_EQ(m.count(spm::EntityKind::employee), 2000u);
  EXPECT_EQ(m.count(spm::EntityKind::goal), 20u);
  EXPECT_EQ(m.count(spm::EntityKind::perspective), 4u);

  std::map<std::string, int> objectives_of_employee, objectives_of_unit;
  for (const auto& o : m.all<spm::Objective>()) {
    ASSERT_GE(o.contributes_to.size(), 1u);
    ASSERT_LE(o.contributes_to.size(), 2u);
    EXPECT_GE(o.weight, 0.5);
    EXPECT_LT(o.weight, 2.0);
    for (const auto& c : o.contributes_to) {
      EXPECT_GE(c.weight, 0.5);
      EXPECT_LT(c.weight, 2.0);
    }
    if (o.owner.kind == spm::EntityKind::employee) {
      ++objectives_of_employee[o.owner.id];
      // An employee's objectives serve objectives of their own unit.
      const auto& unit = m.get<spm::Employee>(o.owner.id).unit;
      for (const auto& c : o.contributes_to) {
        ASSERT_EQ(c.to.kind, spm::EntityKind::objective);
        const auto& above = m.get<spm::Objective>(c.to.id);
        EXPECT_EQ(above.owner.kind, spm::EntityKind::unit);
        EXPECT_EQ(above.owner.id, unit);
      }
    } else {
      ASSERT_EQ(o.owner.kind, spm::EntityKind::unit);
      ++objectives_of_unit[o.owner.id];
      const auto& parent = m.get<spm::Unit>(o.owner.id).parent;
      for (const auto& c : o.contributes_to) {
        if (parent.empty()) {
          EXPECT_EQ(c.to.kind, spm::EntityKind::goal);
        } else {
          ASSERT_EQ(c.to.kind, spm::EntityKind::objective);
          EXPECT_EQ(m.get<spm::Objective>(c.to.id).owner.id, parent);
        }
      }
    }
  }
  EXPECT_EQ(objectives_of_employee.size(), 2000u);
  for (const auto& [id, n] : objectives_of_employee) {
    EXPECT_GE(n, 3) << id;
    EXPECT_LE(n, 7) << id;
  }
  EXPECT_EQ(objectives_of_unit.size(), m.count(spm::EntityKind::unit));
  for (const auto& [id, n] : objectives_of_unit) {
    EXPECT_GE(n, 3) << id;
    EXPECT_LE(n, 7) << id;
  }

  // Span of control: every unit has 4 to 12 members or sub-units (the last group of a level
  // may be smaller), and at most 12 units are at the top.
  std::map<std::string, int> members, children;
  for (const auto& e : m.all<spm::Employee>()) ++members[e.unit];
  int top = 0, small = 0;
  for (const auto& u : m.all<spm::Unit>()) {
    if (u.parent.empty())
      ++top;
    else
      ++children[u.parent];
  }
  EXPECT_GE(top, 1);
  EXPECT_LE(top, 12);
  for (const auto* groups : {&members, &children})
    for (const auto& [id, n] : *groups) {
      EXPECT_LE(n, 12) << id;
      if (n < 4) ++small;
    }
  EXPECT_LE(small, 8);  // at most one short group per level

  // Measures: 1 to 3 per goal and objective; 12 months with about 10% missing.
  std::map<std::string, int> measures_of;
  std::size_t actuals = 0;
  for (const auto& ms : m.all<spm::Measure>()) {
    ++measures_of[ms.subject.id];
    EXPECT_LE(ms.actuals.size(), 12u);
    actuals += ms.actuals.size();
  }
  EXPECT_EQ(measures_of.size(),
            m.count(spm::EntityKind::goal) + m.count(spm::EntityKind::objective));
  for (const auto& [id, n] : measures_of) {
    EXPECT_GE(n, 1) << id;
    EXPECT_LE(n, 3) << id;
  }
  const double present = static_cast<double>(actuals) /
                         (12.0 * static_cast<double>(m.count(spm::EntityKind::measure)));
  EXPECT_NEAR(present, 0.9, 0.01);

  // About 17 nodes (objectives and measures) and 20 links (contributions and measures) per
  // employee.
  const double nodes =
      static_cast<double>(m.count(spm::EntityKind::objective) + m.count(spm::EntityKind::measure)) /
      2000.0;
  EXPECT_GT(nodes, 15.0);
  EXPECT_LT(nodes, 19.0);
}

TEST(Generate, SameSeedSameModelOtherSeedOtherModel) {
  const spm::Model a = make(500, 42), b = make(500, 42), c = make(500, 43);
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a == c);
  EXPECT_EQ(spm::save_json(a), spm::save_json(b));
}

TEST(Generate, WithoutActualsIsTheSameStructure) {
  spm::GenerateOptions o;
  o.employees = 300;
  o.seed = 5;
  const spm::Model with = spm::generate(o);
  o.actuals = false;
  const spm::Model without = spm::generate(o);
  ASSERT_EQ(with.count(spm::EntityKind::measure), without.count(spm::EntityKind::measure));
  for (std::size_t i = 0; i < with.all<spm::Measure>().size(); ++i) {
    spm::Measure x = with.all<spm::Measure>()[i];
    x.actuals.clear();
    EXPECT_EQ(x, without.all<spm::Measure>()[i]);
  }
  EXPECT_EQ(with.all<spm::Objective>().size(), without.all<spm::Objective>().size());
}

TEST(Generate, IsValidCompilesWithoutOrphansAndScores) {
  for (std::uint64_t n : {1u, 3u, 13u, 1000u}) {
    const spm::Model m = make(n, n);
    const auto issues = spm::validate(m);
    EXPECT_TRUE(spm::is_valid(issues)) << n << ": " << (issues.empty() ? "" : issues[0].message);
    const auto cascade = spm::Cascade::compile(m);
    EXPECT_TRUE(cascade.orphans().empty()) << n;
    EXPECT_TRUE(cascade.uncovered_goals().empty()) << n;
    EXPECT_EQ(cascade.coverage().organization.aligned, n);
    const auto card = spm::Scorecard::evaluate(cascade);
    EXPECT_EQ(card.columns().size(), 12u);
  }
}

TEST(Generate, IdsAreShuffled) {
  // The model's order does not follow the tree: the first objectives are not all units'.
  const spm::Model m = make(1000);
  std::set<spm::EntityKind> first_owners;
  int unit_owned_in_first_tenth = 0;
  const auto objectives = m.all<spm::Objective>();
  for (std::size_t i = 0; i < objectives.size() / 10; ++i)
    unit_owned_in_first_tenth += objectives[i].owner.kind == spm::EntityKind::unit;
  EXPECT_LT(unit_owned_in_first_tenth, static_cast<int>(objectives.size() / 10));
  EXPECT_GT(unit_owned_in_first_tenth, 0);
}

TEST(Generate, RejectsOptionsOutOfRange) {
  spm::GenerateOptions o;
  o.employees = 0;
  EXPECT_THROW(spm::generate(o), spm::Error);
  o.employees = 10;
  o.missing = 1.5;
  EXPECT_THROW(spm::generate(o), spm::Error);
  o.missing = 0.1;
  o.goals = 0;
  EXPECT_THROW(spm::generate(o), spm::Error);
}

}  // namespace
