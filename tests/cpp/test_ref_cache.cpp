// The model keeps the references that compile and validate resolved in step with its edits
// (src/model/ref_cache.hpp): after any sequence of edits, compiling and validating the model
// must give what they give for a fresh copy of it (a copy starts with nothing resolved), to the
// bit, errors included.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "model/model_impl.hpp"
#include "spm/cascade.hpp"
#include "spm/error.hpp"
#include "spm/generate.hpp"
#include "spm/model.hpp"
#include "spm/scoring.hpp"
#include "spm/validate.hpp"

using namespace spm;

namespace {

/// The compile of `m`, or the message of the error it threw.
struct Outcome {
  std::optional<Cascade> cascade;
  std::string error;
};
Outcome compile(const Model& m, int threads = 1) {
  Outcome out;
  CompileOptions options;
  options.threads = threads;
  try {
    out.cascade.emplace(Cascade::compile(m, options));
  } catch (const Error& e) {
    out.error = e.what();
  }
  return out;
}

bool same_bits(std::span<const double> a, std::span<const double> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

/// Compiles `m` (with what it has resolved so far) and a fresh copy of it, and compares.
void expect_same_as_fresh(const Model& m, const std::string& step, int threads = 1) {
  SCOPED_TRACE(step);
  const Model copy = m;
  // The copy is validated first (validate resolves its references), the model after its
  // compile: both orders fill and read the same cache.
  const auto fresh_issues = validate(copy);
  const Outcome kept = compile(m, threads), fresh = compile(copy, threads);
  EXPECT_EQ(validate(m), fresh_issues);
  ASSERT_EQ(kept.error, fresh.error);
  ASSERT_EQ(kept.cascade.has_value(), fresh.cascade.has_value());
  if (!kept.cascade) return;
  const Cascade &a = *kept.cascade, &b = *fresh.cascade;
  ASSERT_EQ(a.node_count(), b.node_count());
  ASSERT_EQ(a.edge_count(), b.edge_count());
  for (std::uint32_t v = 0; v < a.node_count(); ++v) ASSERT_EQ(a.node(v), b.node(v)) << v;
  const auto aa = a.attribution(), ab = b.attribution();
  EXPECT_EQ(aa.columns, ab.columns);
  EXPECT_TRUE(same_bits(aa.values, ab.values));
  const auto ca = a.coverage(), cb = b.coverage();
  ASSERT_EQ(ca.units.size(), cb.units.size());
  for (std::size_t u = 0; u < ca.units.size(); ++u) {
    EXPECT_EQ(ca.units[u].employees, cb.units[u].employees) << u;
    EXPECT_EQ(ca.units[u].aligned, cb.units[u].aligned) << u;
  }
  EXPECT_EQ(a.orphans(), b.orphans());
  const auto sa = Scorecard::evaluate(a), sb = Scorecard::evaluate(b);
  EXPECT_TRUE(same_bits(sa.node_scores(), sb.node_scores()));
  EXPECT_TRUE(same_bits(sa.measure_scores(), sb.measure_scores()));
}

Model generated(std::uint64_t employees, std::uint64_t seed) {
  GenerateOptions g;
  g.employees = employees;
  g.seed = seed;
  return generate(g);
}

/// An objective owned by an employee (nothing contributes to those) and one owned by a unit
/// that employees' objectives contribute to.
const Objective& employee_objective(const Model& m, std::size_t skip = 0) {
  for (const Objective& o : m.all<Objective>())
    if (o.owner.kind == EntityKind::employee && skip-- == 0) return o;
  throw std::runtime_error("no employee objective");
}
std::string contributed_to(const Model& m) {
  return employee_objective(m).contributes_to.front().to.id;
}

}  // namespace

TEST(RefCache, RecompilesAfterEditsMatchAFreshCompile) {
  Model m = generated(300, 3);
  expect_same_as_fresh(m, "first compile");
  expect_same_as_fresh(m, "again, nothing changed");

  // Updates: an objective's links, more of them and fewer; in place; a measure's subject.
  Objective o = employee_objective(m, 5);
  o.contributes_to.push_back({{EntityKind::goal, m.all<Goal>()[2].id}, 1.25});
  m.update(o);
  expect_same_as_fresh(m, "an objective with one more link");
  o.contributes_to.erase(o.contributes_to.begin());
  o.contributes_to.front().weight = 0.75;
  m.update(o);
  expect_same_as_fresh(m, "one link fewer, another weight");
  o.contributes_to.front().to = {EntityKind::goal, m.all<Goal>()[0].id};
  m.update(o);
  expect_same_as_fresh(m, "as many links, another target");
  Measure ms = m.all<Measure>()[10];
  ms.subject = {EntityKind::goal, m.all<Goal>()[1].id};
  ms.weight = 1.7;
  m.update(ms);
  expect_same_as_fresh(m, "a measure's subject and weight");
  Unit u = m.all<Unit>().back();
  u.parent = m.all<Unit>().front().id == u.id ? "" : m.all<Unit>().front().id;
  m.update(u);
  expect_same_as_fresh(m, "a unit's parent");

  // Additions: an objective contributing to an existing one, and a measure of it.
  Objective added;
  added.id = "NEW-1";
  added.owner = {EntityKind::employee, m.all<Employee>()[7].id};
  added.contributes_to = {{{EntityKind::objective, contributed_to(m)}, 1.5}};
  m.add(added);
  Measure measured = m.all<Measure>()[0];
  measured.id = "NEW-M1";
  measured.subject = {EntityKind::objective, "NEW-1"};
  m.add(measured);
  expect_same_as_fresh(m, "an objective and a measure added");

  // Removals: a measure; an employee's objective from the middle of its table (the objectives
  // after it move one position down, and so do links to them); an employee; a unit.
  m.remove(EntityKind::measure, "NEW-M1");
  expect_same_as_fresh(m, "a measure removed");
  const Objective gone = employee_objective(m, 40);
  for (const Measure& x : std::vector<Measure>(m.all<Measure>().begin(), m.all<Measure>().end()))
    if (x.subject.id == gone.id) m.remove(EntityKind::measure, x.id);
  m.remove(EntityKind::objective, gone.id);
  expect_same_as_fresh(m, "an objective from the middle removed");
  m.remove(EntityKind::employee, m.all<Employee>()[3].id);
  expect_same_as_fresh(m, "an employee removed (objectives' owners move)");
  m.remove(EntityKind::unit, m.all<Unit>()[1].id);
  expect_same_as_fresh(m, "a unit removed (employees' units, units' parents)");

  // A target removed: its links dangle, in both compiles alike; back, they resolve again.
  const std::string target = contributed_to(m);
  const Objective kept = m.get<Objective>(target);
  for (const Measure& x : std::vector<Measure>(m.all<Measure>().begin(), m.all<Measure>().end()))
    if (x.subject.id == target) m.remove(EntityKind::measure, x.id);
  m.remove(EntityKind::objective, target);
  {
    const Outcome broken = compile(m);
    EXPECT_FALSE(broken.cascade.has_value());
    EXPECT_NE(broken.error.find(target), std::string::npos) << broken.error;
  }
  expect_same_as_fresh(m, "links to a removed objective");
  m.add(kept);
  expect_same_as_fresh(m, "the objective back");

  // Batches: adds only, and mixed edits.
  Batch adds;
  Objective more = added;
  more.id = "NEW-2";
  adds.add(more);
  m.apply(adds);
  expect_same_as_fresh(m, "a batch of additions");
  Batch mixed;
  more.contributes_to.push_back({{EntityKind::goal, m.all<Goal>()[3].id}, 0.5});
  mixed.update(more);
  mixed.remove(EntityKind::objective, "NEW-1");
  m.apply(mixed);
  expect_same_as_fresh(m, "a mixed batch");
}

TEST(RefCache, ResolvedOnTwoThreadsAsOnOne) {
  // Enough references that the look-ups are split between threads.
  const Model m = generated(2000, 5);
  expect_same_as_fresh(m, "two threads", 2);
  const Model again = m;
  const Outcome one = compile(again, 1);
  const Outcome two = compile(m, 2);  // m resolved on two threads above
  ASSERT_TRUE(one.cascade && two.cascade);
  EXPECT_EQ(one.cascade->edge_count(), two.cascade->edge_count());
  for (std::uint32_t v = 0; v < one.cascade->node_count(); v += 13)
    EXPECT_EQ(one.cascade->node(v), two.cascade->node(v));
}

TEST(RefCache, ValidateResolvesWhatCompileReads) {
  // A host validates what it loads, then compiles: validate resolves every reference that
  // compile reads, so that the first compile looks nothing up.
  Model m = generated(150, 4);
  const detail::RefCache& refs = detail::ModelAccess::impl(m).refs;
  EXPECT_FALSE(refs.started());
  EXPECT_TRUE(is_valid(validate(m)));
  using detail::RefCache;
  EXPECT_EQ(refs.links[RefCache::link_section<Objective>()].covered,
            m.count(EntityKind::objective));
  EXPECT_EQ(refs.subject.covered, m.count(EntityKind::measure));
  EXPECT_EQ(refs.owner.covered, m.count(EntityKind::objective));
  EXPECT_EQ(refs.unit.covered, m.count(EntityKind::employee));
  EXPECT_EQ(refs.parent.covered, m.count(EntityKind::unit));
  // A copy starts with nothing resolved; both compile to the same cascade.
  const Model copy = m;
  EXPECT_FALSE(detail::ModelAccess::impl(copy).refs.started());
  expect_same_as_fresh(m, "validated, then compiled");
  // What validate finds through the cache, it names as a look-up would: a dangling subject.
  Measure x = m.all<Measure>().front();
  x.subject = {EntityKind::objective, "no such objective"};
  m.update(x);
  const auto issues = validate(m);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].kind, "measure");
  EXPECT_EQ(issues[0].id, x.id);
  EXPECT_EQ(issues[0].field, "subject");
  EXPECT_EQ(issues[0].message, "unknown objective 'no such objective'");
}

TEST(RefCache, ValidateOnThreadsGivesTheSameIssuesAndReferences) {
  // Enough references that validate splits their look-ups between threads; some dangle.
  Model m = generated(2000, 6);
  Objective o = employee_objective(m, 3);
  o.contributes_to.push_back({{EntityKind::objective, "gone"}, 1.0});
  m.update(o);
  Measure x = m.all<Measure>()[m.count(EntityKind::measure) / 2];
  x.subject = {EntityKind::goal, "no goal"};
  m.update(x);
  const Model copy = m;
  const auto one = validate(m);
  ASSERT_EQ(std::count_if(one.begin(), one.end(),
                          [](const Issue& i) { return i.severity == Severity::error; }),
            2);
  for (int threads : {2, 3, 0}) {
    const Model other = copy;
    ValidateOptions options;
    options.threads = threads;
    EXPECT_EQ(validate(other, options), one) << threads;
    const auto& a = detail::ModelAccess::impl(m).refs;
    const auto& b = detail::ModelAccess::impl(other).refs;
    for (std::size_t k = 0; k < a.links.size(); ++k) {
      EXPECT_TRUE(std::equal(a.links[k].to.begin(), a.links[k].to.end(), b.links[k].to.begin(),
                             b.links[k].to.end()))
          << threads;
      EXPECT_TRUE(std::equal(a.links[k].offsets.begin(), a.links[k].offsets.end(),
                             b.links[k].offsets.begin(), b.links[k].offsets.end()))
          << threads;
    }
    EXPECT_TRUE(std::equal(a.subject.to.begin(), a.subject.to.end(), b.subject.to.begin(),
                           b.subject.to.end()))
        << threads;
  }
  ValidateOptions bad;
  bad.threads = -1;
  EXPECT_THROW(validate(m, bad), Error);
}

TEST(RefCache, ACompileAfterAFailedEditSeesTheModelAsItIs) {
  Model m = generated(100, 2);
  expect_same_as_fresh(m, "first compile");
  Objective o = employee_objective(m);
  o.contributes_to.push_back({{EntityKind::unit, "not a target"}, 1.0});  // refused by update
  EXPECT_THROW(m.update(o), Error);
  expect_same_as_fresh(m, "after the refused update");
  Objective dup = employee_objective(m);  // a duplicate id, refused by add
  EXPECT_THROW(m.add(dup), Error);
  expect_same_as_fresh(m, "after the refused add");
}

TEST(ModelMemory, WhatCascadesAndScorecardsGoneLeaveIsKeptCountedAndFreed) {
  const Model m = generated(2000, 4);  // arrays of a megabyte and more: the ones kept
  EXPECT_EQ(m.kept_bytes(), 0u);
  std::vector<double> scores;
  {
    const auto c = Cascade::compile(m);  // its scratch goes back to the model
    const auto card = Scorecard::evaluate(c);
    scores.assign(card.node_scores().begin(), card.node_scores().end());
  }
  const std::size_t kept = m.kept_bytes();
  EXPECT_GT(kept, std::size_t{2} << 20);
  {
    // The next compile and evaluation take what was kept, and give it back when they go.
    const auto c = Cascade::compile(m);
    const auto card = Scorecard::evaluate(c);
    EXPECT_LT(m.kept_bytes(), kept);
    EXPECT_TRUE(same_bits(card.node_scores(), scores));
  }
  EXPECT_GT(m.kept_bytes(), 0u);
  m.release_memory();
  EXPECT_EQ(m.kept_bytes(), 0u);
  const auto c = Cascade::compile(m);
  EXPECT_TRUE(same_bits(Scorecard::evaluate(c).node_scores(), scores));
  const Model copy = m;  // a copy keeps nothing of the original's
  EXPECT_EQ(copy.kept_bytes(), 0u);
}

TEST(RefCache, RandomEditsThenRecompilesMatchAFreshCompile) {
  Model m = generated(120, 9);
  std::mt19937 rng(20261203);
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  auto weight = [&] { return 0.5 + 0.25 * static_cast<double>(pick(6)); };
  auto random_goal = [&]() -> Ref {
    return {EntityKind::goal, m.all<Goal>()[pick(m.all<Goal>().size())].id};
  };
  auto random_objective = [&] { return m.all<Objective>()[pick(m.all<Objective>().size())]; };
  int added = 0;
  expect_same_as_fresh(m, "first compile");
  for (int step = 0; step < 150; ++step) {
    const std::size_t op = pick(9);
    if (op == 0) {  // an objective's links: one to three goals (no cycle can follow)
      Objective o = random_objective();
      o.contributes_to.clear();
      for (std::size_t k = 0, n = 1 + pick(3); k < n; ++k) {
        const Ref g = random_goal();
        if (std::none_of(o.contributes_to.begin(), o.contributes_to.end(),
                         [&](const Contribution& c) { return c.to == g; }))
          o.contributes_to.push_back({g, weight()});
      }
      m.update(o);
    } else if (op == 1) {  // a measure's subject and weight
      Measure x = m.all<Measure>()[pick(m.all<Measure>().size())];
      x.subject = pick(2) == 0 ? random_goal() : Ref{EntityKind::objective, random_objective().id};
      x.weight = weight();
      m.update(x);
    } else if (op == 2 || op == 3) {  // a new objective under an existing one, with a measure
      Objective o;
      o.id = "R" + std::to_string(++added);
      o.owner = {EntityKind::employee, m.all<Employee>()[pick(m.all<Employee>().size())].id};
      o.contributes_to = {{{EntityKind::objective, random_objective().id}, weight()}};
      m.add(o);
      Measure x = m.all<Measure>()[pick(m.all<Measure>().size())];
      x.id = "RM" + std::to_string(added);
      x.subject = {EntityKind::objective, o.id};
      m.add(x);
    } else if (op == 4) {  // a measure
      m.remove(EntityKind::measure, m.all<Measure>()[pick(m.all<Measure>().size())].id);
    } else if (op == 5) {  // an objective nothing links to, and its measures
      std::set<std::string> linked;
      for (const Objective& o : m.all<Objective>())
        for (const Contribution& c : o.contributes_to) linked.insert(c.to.id);
      const Objective o = random_objective();
      if (linked.count(o.id)) continue;
      std::vector<std::string> measures;
      for (const Measure& x : m.all<Measure>())
        if (x.subject.id == o.id) measures.push_back(x.id);
      for (const auto& id : measures) m.remove(EntityKind::measure, id);
      m.remove(EntityKind::objective, o.id);
    } else if (op == 6) {  // an employee (objectives it owned lose their owner)
      if (m.all<Employee>().size() > 20)
        m.remove(EntityKind::employee, m.all<Employee>()[pick(m.all<Employee>().size())].id);
    } else if (op == 7) {  // a unit at the top
      Unit u = m.all<Unit>()[pick(m.all<Unit>().size())];
      u.parent.clear();
      m.update(u);
    } else {  // a mixed batch
      Batch b;
      Objective o = random_objective();
      o.contributes_to = {{random_goal(), weight()}};
      b.update(o);
      b.remove(EntityKind::measure, m.all<Measure>()[pick(m.all<Measure>().size())].id);
      m.apply(b);
    }
    if (step % 5 == 4) expect_same_as_fresh(m, "after edit " + std::to_string(step));
  }
  expect_same_as_fresh(m, "at the end");
}
