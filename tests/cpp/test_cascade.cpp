#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <random>
#include <string>

#include "spm/cascade.hpp"
#include "spm/eigen.hpp"
#include "spm/generate.hpp"
#include "spm/model.hpp"

using namespace spm;

namespace {

/// Builds small cascades by hand.
struct Org {
  Model m;

  Org() {
    for (auto& p : default_perspectives()) m.add(p);
  }
  void goal(const std::string& id) {
    Goal g;
    g.id = id;
    g.perspective = "customer";
    m.add(g);
  }
  void strategy(const std::string& id, std::vector<Contribution> to = {}) {
    Strategy s;
    s.id = id;
    s.contributes_to = std::move(to);
    m.add(s);
  }
  void milestone(const std::string& id, std::vector<Contribution> to = {}, Ref owner = {}) {
    Milestone ms;
    ms.id = id;
    ms.contributes_to = std::move(to);
    ms.owner = std::move(owner);
    m.add(ms);
  }
  void action(const std::string& id, std::vector<Contribution> to = {}) {
    Action a;
    a.id = id;
    a.contributes_to = std::move(to);
    m.add(a);
  }
  void objective(const std::string& id, std::vector<Contribution> to = {},
                 Ref owner = {EntityKind::unit, "U0"}) {
    Objective o;
    o.id = id;
    o.owner = std::move(owner);
    o.contributes_to = std::move(to);
    m.add(o);
  }
  void measure(const std::string& id, Ref subject, double weight = 1.0) {
    Measure ms;
    ms.id = id;
    ms.subject = std::move(subject);
    ms.weight = weight;
    ms.baseline = 0;
    ms.target = 1;
    m.add(ms);
  }
  void unit(const std::string& id, const std::string& parent = "",
            const std::string& division = "") {
    Unit u;
    u.id = id;
    u.name = "Unit " + id;
    u.parent = parent;
    u.division = division;
    m.add(u);
  }
  void employee(const std::string& id, const std::string& unit) {
    Employee e;
    e.id = id;
    e.unit = unit;
    m.add(e);
  }
};

Contribution to(EntityKind kind, const std::string& id, double w = 1.0) {
  return Contribution{Ref{kind, id}, w};
}
Contribution to_goal(const std::string& id, double w = 1.0) {
  return to(EntityKind::goal, id, w);
}
Contribution to_obj(const std::string& id, double w = 1.0) {
  return to(EntityKind::objective, id, w);
}

double attribution_of(const std::vector<Attribution>& list, EntityKind kind,
                      const std::string& id) {
  for (const auto& a : list)
    if (a.node.kind == kind && a.node.id == id) return a.value;
  return 0.0;
}

/// The one issue of the error with `code` that compiling `m` on `threads` threads must throw
/// (an empty issue and a failure if it throws none, another error, or more issues).
Issue only_issue(const Model& m, int threads, ErrorCode code) {
  CompileOptions opt;
  opt.threads = threads;
  try {
    (void)Cascade::compile(m, opt);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << threads << " threads";
    EXPECT_EQ(e.issues().size(), 1u) << threads << " threads";
    return e.issues().empty() ? Issue{} : e.issues()[0];
  }
  ADD_FAILURE() << "expected an error on " << threads << " threads";
  return {};
}

/// The message of the one cycle issue that compiling `m` must throw ("" and a failure if not).
std::string cycle_message(const Model& m) {
  try {
    (void)Cascade::compile(m);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::cycle);
    EXPECT_EQ(e.issues().size(), 1u);
    return e.issues().empty() ? std::string() : e.issues()[0].message;
  }
  ADD_FAILURE() << "expected a cycle";
  return {};
}

}  // namespace

TEST(Cascade, DiamondSumsBothPaths) {
  Org o;
  o.goal("G");
  o.objective("O1", {to_obj("O2", 1), to_obj("O3", 3)});
  o.objective("O2", {to_goal("G")});
  o.objective("O3", {to_goal("G")});
  auto c = Cascade::compile(o.m);
  EXPECT_EQ(c.node_count(), 4u);
  EXPECT_EQ(c.edge_count(), 4u);
  // Into G: O2 and O3 with weight 1 each -> 0.5 each; O1 is the only input of O2 and of O3.
  auto sight = c.line_of_sight(EntityKind::objective, "O1");
  ASSERT_EQ(sight.paths.size(), 2u);
  EXPECT_FALSE(sight.truncated);
  EXPECT_DOUBLE_EQ(sight.paths[0].weight, 0.5);
  EXPECT_DOUBLE_EQ(sight.paths[1].weight, 0.5);
  ASSERT_EQ(sight.paths[0].nodes.size(), 3u);
  EXPECT_EQ(sight.paths[0].nodes.front().id, "O1");
  EXPECT_EQ(sight.paths[0].nodes[1].id, "O2");
  EXPECT_EQ(sight.paths[0].nodes.back().id, "G");
  ASSERT_EQ(sight.paths[0].steps.size(), 2u);
  EXPECT_DOUBLE_EQ(sight.paths[0].steps[0], 1.0);  // O1 is the only input of O2
  EXPECT_DOUBLE_EQ(sight.paths[0].steps[1], 0.5);  // O2 is half of G's inputs
  ASSERT_EQ(sight.goals.size(), 1u);
  EXPECT_DOUBLE_EQ(sight.goals[0].second, 1.0);
  EXPECT_DOUBLE_EQ(attribution_of(c.attribution_to("G"), EntityKind::objective, "O1"), 1.0);

  // A measure on G with weight 2 takes half of G's input weight.
  o.measure("M", {EntityKind::goal, "G"}, 2.0);
  EXPECT_FALSE(c.is_current());
  c = Cascade::compile(o.m);
  EXPECT_DOUBLE_EQ(attribution_of(c.attribution_to("G"), EntityKind::objective, "O1"), 0.5);
  EXPECT_DOUBLE_EQ(attribution_of(c.attribution_to("G"), EntityKind::objective, "O3"), 0.25);
}

TEST(Cascade, ObjectiveSharedByTwoGoals) {
  Org o;
  o.goal("G1");
  o.goal("G2");
  o.strategy("S", {to_goal("G1", 3)});
  o.objective("O", {to_goal("G1", 1), to_goal("G2", 1)});
  auto c = Cascade::compile(o.m);
  auto sight = c.line_of_sight(EntityKind::objective, "O");
  ASSERT_EQ(sight.paths.size(), 2u);
  EXPECT_DOUBLE_EQ(sight.paths[0].weight, 0.25);  // O is 1 of G1's 1 + 3
  EXPECT_DOUBLE_EQ(sight.paths[1].weight, 1.0);   // the only input of G2
  auto contributors = c.contributors("G1");
  ASSERT_EQ(contributors.nodes.size(), 2u);
  EXPECT_EQ(contributors.nodes[0].node.id, "S");  // by decreasing attribution
  EXPECT_DOUBLE_EQ(contributors.nodes[0].value, 0.75);
  EXPECT_DOUBLE_EQ(contributors.nodes[1].value, 0.25);
}

TEST(Cascade, DeepChainMultipliesWeights) {
  Org o;
  o.goal("G");
  o.strategy("S", {to_goal("G")});
  o.milestone("MS", {to(EntityKind::strategy, "S")}, {EntityKind::unit, "U0"});
  o.action("A", {to(EntityKind::milestone, "MS")});
  o.objective("O0", {to(EntityKind::milestone, "MS")});
  for (int i = 1; i < 20; ++i)
    o.objective("O" + std::to_string(i), {to_obj("O" + std::to_string(i - 1))});
  // Each level also has a measure of equal weight, so each step halves.
  o.measure("MG", {EntityKind::goal, "G"});
  o.measure("MS_", {EntityKind::strategy, "S"});
  auto c = Cascade::compile(o.m);
  auto sight = c.line_of_sight(EntityKind::objective, "O19");
  ASSERT_EQ(sight.paths.size(), 1u);
  EXPECT_EQ(sight.paths[0].nodes.size(), 23u);  // O19..O0, MS, S, G
  // O0 and A share MS (1/2 each), S is half of G, MS is half of S.
  EXPECT_DOUBLE_EQ(sight.paths[0].weight, 0.5 * 0.5 * 0.5);
  EXPECT_DOUBLE_EQ(attribution_of(c.attribution_to("G"), EntityKind::action, "A"), 0.125);
  // Cascade order: every contributor before what it contributes to; goals last.
  EXPECT_LT(c.index_of(EntityKind::objective, "O19"), c.index_of(EntityKind::objective, "O0"));
  EXPECT_LT(c.index_of(EntityKind::milestone, "MS"), c.index_of(EntityKind::strategy, "S"));
  EXPECT_EQ(c.index_of(EntityKind::goal, "G"), static_cast<std::int64_t>(c.node_count() - 1));
  EXPECT_EQ(c.node(static_cast<std::uint32_t>(c.index_of(EntityKind::action, "A"))).id, "A");
}

TEST(Cascade, CycleOfTwoIsAnErrorNamingBoth) {
  Org o;
  o.goal("G");
  o.objective("A", {to_obj("B"), to_goal("G")});
  o.objective("B", {to_obj("A")});
  const std::string msg = cycle_message(o.m);
  EXPECT_NE(msg.find("objective 'A'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("objective 'B'"), std::string::npos) << msg;
}

TEST(Cascade, LongCycleListsEveryNodeInOrder) {
  Org o;
  o.goal("G");
  const int k = 7;
  for (int i = 0; i < k; ++i)
    o.objective("C" + std::to_string(i), {to_obj("C" + std::to_string((i + 1) % k))});
  o.objective("X", {to_obj("C3"), to_goal("G")});
  try {
    (void)Cascade::compile(o.m);
    FAIL();
  } catch (const Error& e) {
    ASSERT_EQ(e.code(), ErrorCode::cycle);
    const auto& msg = e.issues()[0].message;
    // Each node once, then back to the first; consecutive names follow the links.
    std::vector<int> seq;
    for (std::size_t p = msg.find("'C"); p != std::string::npos; p = msg.find("'C", p + 1))
      seq.push_back(msg[p + 2] - '0');
    ASSERT_EQ(seq.size(), static_cast<std::size_t>(k + 1)) << msg;
    EXPECT_EQ(seq.front(), seq.back());
    for (int i = 0; i < k; ++i) EXPECT_EQ(seq[i + 1], (seq[i] + 1) % k) << msg;
  }
}

TEST(Cascade, SelfLoopNeverEntersTheModel) {
  Org o;
  EXPECT_THROW(o.objective("A", {to_obj("A")}), Error);
}

TEST(Cascade, DanglingLinksAreListed) {
  Org o;
  o.goal("G");
  o.objective("A", {to_goal("G404")});
  o.measure("M", {EntityKind::strategy, "S404"});
  try {
    (void)Cascade::compile(o.m);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::validation);
    ASSERT_EQ(e.issues().size(), 2u);
    EXPECT_EQ(e.issues()[0].id, "A");
    EXPECT_EQ(e.issues()[0].field, "contributes_to[0]");
    EXPECT_EQ(e.issues()[1].id, "M");
  }
}

TEST(Cascade, OrphansUncoveredAndGaps) {
  Org o;
  o.unit("U0");
  o.goal("G1");
  o.goal("G2");  // nothing contributes, no measure: uncovered
  o.goal("G3");
  o.measure("M3", {EntityKind::goal, "G3"});  // covered by its measure alone
  o.strategy("S1", {to_goal("G1")});
  o.strategy("S2", {to_goal("G1")});  // no milestone
  o.milestone("MS1", {to(EntityKind::strategy, "S1")}, {EntityKind::unit, "U0"});
  o.milestone("MS2", {}, {EntityKind::team, "T404"});    // orphan, owner dangling
  o.milestone("MS3", {to(EntityKind::strategy, "S1")});  // no owner
  o.action("A1", {to(EntityKind::milestone, "MS1")});
  o.action("A2", {to(EntityKind::milestone, "MS2")});  // orphan through MS2
  o.objective("O1", {to(EntityKind::milestone, "MS1")});
  o.objective("O2");                  // orphan
  o.objective("O3", {to_obj("O2")});  // orphan through O2
  auto c = Cascade::compile(o.m);
  auto orphans = c.orphans();
  std::vector<std::string> ids;
  for (const auto& r : orphans) ids.push_back(std::string(to_string(r.kind)) + ":" + r.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"milestone:MS2", "action:A2", "objective:O2",
                                           "objective:O3"}));
  EXPECT_EQ(c.uncovered_goals(), (std::vector<std::string>{"G2"}));
  EXPECT_EQ(c.strategies_without_milestones(), (std::vector<std::string>{"S2"}));
  EXPECT_EQ(c.milestones_without_owner(), (std::vector<std::string>{"MS2", "MS3"}));
  EXPECT_TRUE(c.line_of_sight(EntityKind::objective, "O3").paths.empty());
}

TEST(Cascade, CoverageByUnitDivisionTeamAndGoal) {
  Org o;
  Division d;
  d.id = "D1";
  o.m.add(d);
  o.unit("U1", "", "D1");
  o.unit("U2", "U1");  // inherits D1 from its parent
  o.unit("U3");        // no division, no employees
  o.employee("E1", "U1");
  o.employee("E2", "U2");
  o.employee("E3", "U2");
  o.goal("G1");
  o.goal("G2");
  o.objective("O1", {to_goal("G1")}, {EntityKind::employee, "E1"});
  o.objective("O2", {}, {EntityKind::employee, "E2"});  // not aligned
  o.objective("O3", {to_goal("G1"), to_goal("G2")}, {EntityKind::employee, "E3"});
  o.objective("O4", {to_obj("O3")}, {EntityKind::employee, "E3"});
  Team t;
  t.id = "T";
  t.members = {"E2", "E3", "E3"};
  o.m.add(t);
  auto c = Cascade::compile(o.m);
  auto cov = c.coverage();
  EXPECT_EQ(cov.organization.employees, 3u);
  EXPECT_EQ(cov.organization.aligned, 2u);
  ASSERT_EQ(cov.units.size(), 3u);
  EXPECT_EQ(cov.units[0].employees, 3u);  // U1 with U2 below it
  EXPECT_EQ(cov.units[0].aligned, 2u);
  EXPECT_EQ(cov.units[1].employees, 2u);
  EXPECT_DOUBLE_EQ(cov.units[1].share, 0.5);
  EXPECT_TRUE(std::isnan(cov.units[2].share));
  ASSERT_EQ(cov.divisions.size(), 1u);
  EXPECT_EQ(cov.divisions[0].employees, 3u);
  EXPECT_EQ(cov.divisions[0].aligned, 2u);
  ASSERT_EQ(cov.teams.size(), 1u);
  EXPECT_EQ(cov.teams[0].employees, 2u);  // duplicates counted once
  EXPECT_EQ(cov.teams[0].aligned, 1u);
  ASSERT_EQ(cov.goals.size(), 2u);
  EXPECT_EQ(cov.goals[0].contributors, 3u);  // O1, O3, O4
  EXPECT_EQ(cov.goals[0].aligned_employees, 2u);
  EXPECT_EQ(cov.goals[1].contributors, 2u);  // O3, O4
  EXPECT_EQ(cov.goals[1].aligned_employees, 1u);
  EXPECT_DOUBLE_EQ(cov.goal_share, 1.0);
}

TEST(Cascade, ImpactAndOwnersAggregateUpTheUnits) {
  Org o;
  o.unit("U1");
  o.unit("U2", "U1");
  o.employee("E1", "U2");
  o.goal("G");
  o.goal("H");
  o.objective("UO", {to_goal("G")}, {EntityKind::unit, "U2"});
  o.objective("EO", {to_obj("UO"), to_goal("H")}, {EntityKind::employee, "E1"});
  auto c = Cascade::compile(o.m);
  auto e = c.impact(EntityKind::employee, "E1");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_DOUBLE_EQ(e[0].value, 1.0);  // G through UO (its only input) and H directly
  EXPECT_DOUBLE_EQ(e[1].value, 1.0);
  auto u1 = c.impact(EntityKind::unit, "U1");
  ASSERT_EQ(u1.size(), 2u);
  EXPECT_EQ(u1[0].node.id, "G");
  EXPECT_DOUBLE_EQ(u1[0].value, 2.0);  // UO and EO each move G one point
  auto g = c.contributors("G");
  EXPECT_DOUBLE_EQ(attribution_of(g.owners, EntityKind::employee, "E1"), 1.0);
  EXPECT_DOUBLE_EQ(attribution_of(g.owners, EntityKind::unit, "U2"), 2.0);
  EXPECT_DOUBLE_EQ(attribution_of(g.owners, EntityKind::unit, "U1"), 2.0);
  EXPECT_THROW((void)c.impact(EntityKind::goal, "G"), Error);
  EXPECT_THROW((void)c.impact(EntityKind::unit, "nope"), Error);
}

TEST(Cascade, LineOfSightStopsAtTheLimit) {
  Org o;
  o.goal("G");
  // 10 layers of 3 objectives, each linked to all 3 of the next: 3^10 paths from a bottom node.
  const int layers = 10;
  for (int i = 0; i < 3; ++i) o.objective("L0_" + std::to_string(i), {to_goal("G")});
  for (int l = 1; l < layers; ++l)
    for (int i = 0; i < 3; ++i) {
      std::vector<Contribution> links;
      for (int j = 0; j < 3; ++j)
        links.push_back(to_obj("L" + std::to_string(l - 1) + "_" + std::to_string(j)));
      o.objective("L" + std::to_string(l) + "_" + std::to_string(i), links);
    }
  auto c = Cascade::compile(o.m);
  auto sight = c.line_of_sight(EntityKind::objective, "L9_0", 100);
  EXPECT_TRUE(sight.truncated);
  EXPECT_EQ(sight.paths.size(), 100u);
  // Attribution is exact without enumerating: every path's weight multiplies to 3^-10.
  EXPECT_NEAR(attribution_of(c.attribution_to("G"), EntityKind::objective, "L9_0"), 1.0 / 3.0,
              1e-12);
  auto small = c.line_of_sight(EntityKind::objective, "L1_0", 100);
  EXPECT_FALSE(small.truncated);
  EXPECT_EQ(small.paths.size(), 3u);
}

TEST(Cascade, DisconnectedPartsStayApart) {
  Org o;
  o.goal("G1");
  o.goal("G2");
  o.objective("A", {to_goal("G1")});
  o.objective("B", {to_goal("G2")});
  auto c = Cascade::compile(o.m);
  EXPECT_EQ(c.attribution_to("G1").size(), 2u);
  EXPECT_DOUBLE_EQ(attribution_of(c.attribution_to("G1"), EntityKind::objective, "B"), 0.0);
}

TEST(Cascade, StaleAfterAnEditOrWhenTheModelIsGone) {
  auto o = std::make_unique<Org>();
  o->goal("G");
  auto c = Cascade::compile(o->m);
  EXPECT_TRUE(c.is_current());
  EXPECT_NO_THROW(c.orphans());
  // New actuals leave the structure, and so the cascade, as it was.
  o->measure("M", {EntityKind::goal, "G"});
  c = Cascade::compile(o->m);
  const auto before = o->m.revision();
  o->m.set_actual("M", Actual{Period::month(2026, 1), 0.5, {}, {}});
  EXPECT_GT(o->m.revision(), before);
  EXPECT_TRUE(c.is_current());
  o->goal("G2");
  try {
    (void)c.orphans();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::stale);
  }
  c = Cascade::compile(o->m);
  o.reset();
  EXPECT_FALSE(c.is_current());
  EXPECT_THROW((void)c.coverage(), Error);
}

TEST(Cascade, QueriesCheckTheirArguments) {
  Org o;
  o.goal("G");
  auto c = Cascade::compile(o.m);
  EXPECT_THROW((void)c.line_of_sight(EntityKind::employee, "E"), Error);
  EXPECT_THROW((void)c.line_of_sight(EntityKind::objective, "nope"), Error);
  EXPECT_THROW((void)c.line_of_sight(static_cast<EntityKind>(99), "x"), Error);
  EXPECT_THROW((void)c.contributors("nope"), Error);
  EXPECT_THROW((void)c.node(5), Error);
  EXPECT_EQ(c.index_of(EntityKind::employee, "G"), -1);
}

// Attribution by propagation equals the brute-force sum over all enumerated paths, on random
// DAGs, and the matrix agrees with every per-goal column.
TEST(Cascade, AttributionMatchesPathEnumerationOnRandomDags) {
  std::mt19937_64 rng(20261125);
  for (int round = 0; round < 20; ++round) {
    Org o;
    const int goals = 3, objectives = 40;
    for (int g = 0; g < goals; ++g) o.goal("G" + std::to_string(g));
    std::uniform_real_distribution<double> weight(0.5, 2.0);
    for (int i = 0; i < objectives; ++i) {
      std::vector<Contribution> links;
      // Links only to lower-numbered objectives or goals: acyclic by construction.
      std::uniform_int_distribution<int> fan(0, 3);
      const int k = fan(rng);
      for (int j = 0; j < k; ++j) {
        std::uniform_int_distribution<int> pick(-goals, i - 1);
        const int t = pick(rng);
        auto link = t < 0 ? to_goal("G" + std::to_string(-t - 1), weight(rng))
                          : to_obj("O" + std::to_string(t), weight(rng));
        bool dup = false;
        for (const auto& l : links) dup = dup || l.to == link.to;
        if (!dup) links.push_back(link);
      }
      o.objective("O" + std::to_string(i), links);
    }
    if (round % 2) o.measure("M", {EntityKind::goal, "G0"}, 1.5);
    auto c = Cascade::compile(o.m);
    auto matrix = c.attribution();
    auto eigen = as_eigen(matrix);
    ASSERT_EQ(eigen.rows(), static_cast<Eigen::Index>(c.node_count()));
    ASSERT_EQ(eigen.cols(), goals);
    for (int i = 0; i < objectives; ++i) {
      const std::string id = "O" + std::to_string(i);
      auto sight = c.line_of_sight(EntityKind::objective, id, 1000000);
      ASSERT_FALSE(sight.truncated);
      const auto row = c.index_of(EntityKind::objective, id);
      for (int g = 0; g < goals; ++g) {
        double by_paths = 0;
        for (const auto& [goal, w] : sight.goals)
          if (goal == "G" + std::to_string(g)) by_paths = w;
        EXPECT_NEAR(eigen.coeff(row, g), by_paths, 1e-12) << id << " G" << g;
        EXPECT_NEAR(
            attribution_of(c.attribution_to("G" + std::to_string(g)), EntityKind::objective, id),
            by_paths, 1e-12);
      }
    }
    // Goal rows are unit vectors.
    EXPECT_DOUBLE_EQ(eigen.coeff(c.index_of(EntityKind::goal, "G1"), 1), 1.0);
  }
}

TEST(Cascade, CompileIsDeterministic) {
  Org o;
  o.goal("G");
  for (int i = 0; i < 50; ++i)
    o.objective("O" + std::to_string(i),
                i == 0 ? std::vector<Contribution>{to_goal("G")}
                       : std::vector<Contribution>{to_obj("O" + std::to_string(i / 2))});
  auto a = Cascade::compile(o.m);
  auto b = Cascade::compile(o.m);
  for (std::uint32_t v = 0; v < a.node_count(); ++v) EXPECT_EQ(a.node(v), b.node(v));
  auto ma = a.attribution(), mb = b.attribution();
  EXPECT_EQ(ma.values, mb.values);
  EXPECT_EQ(ma.columns, mb.columns);
}

TEST(Cascade, OrderPutsEachNodeRightAfterWhatContributesToIt) {
  // A tree, declared in an order that has nothing to do with it (as a database hands ids over).
  Org o;
  o.goal("G2");
  o.goal("G1");
  o.objective("E3", {to_obj("U2")});
  o.objective("E1", {to_obj("U1")});
  o.objective("U2", {to_goal("G2")});
  o.objective("E2", {to_obj("U1")});
  o.objective("U1", {to_goal("G1")});
  o.objective("E4", {to_obj("U2")});
  o.objective("LOOSE", {});  // reaches no goal
  auto c = Cascade::compile(o.m);
  auto at = [&](EntityKind k, const char* id) { return c.index_of(k, id); };
  // Post-order: the nodes that reach no goal first, then each goal's tree, goals in model order,
  // contributors in model order, each subtree contiguous and its root right after it.
  std::vector<std::string> order;
  for (std::uint32_t v = 0; v < c.node_count(); ++v) order.push_back(c.node(v).id);
  EXPECT_EQ(order,
            (std::vector<std::string>{"LOOSE", "E3", "E4", "U2", "G2", "E1", "E2", "U1", "G1"}));
  EXPECT_EQ(at(EntityKind::goal, "G1"), static_cast<std::int64_t>(c.node_count() - 1));
  EXPECT_LT(at(EntityKind::objective, "U1"), at(EntityKind::goal, "G1"));
}

TEST(Cascade, OrderOfAGeneratedOrganizationIsTopological) {
  GenerateOptions g;
  g.employees = 300;
  g.seed = 7;
  const Model m = generate(g);
  const auto c = Cascade::compile(m);
  for (std::uint32_t v = 0; v < c.node_count(); ++v) {
    const Ref r = c.node(v);
    if (r.kind != EntityKind::objective) continue;
    for (const auto& link : m.get<Objective>(r.id).contributes_to)
      EXPECT_LT(v, c.index_of(link.to.kind, link.to.id)) << r.id << " -> " << link.to.id;
  }
}

TEST(Cascade, AnyNumberOfThreadsCompilesTheSameCascade) {
  GenerateOptions g;
  g.employees = 2000;  // enough links that compile() splits its look-ups between threads
  const Model m = generate(g);
  const auto one = Cascade::compile(m);
  for (int threads : {2, 0}) {
    CompileOptions opt;
    opt.threads = threads;
    const auto c = Cascade::compile(m, opt);
    ASSERT_EQ(c.node_count(), one.node_count());
    ASSERT_EQ(c.edge_count(), one.edge_count());
    for (std::uint32_t v = 0; v < c.node_count(); v += 7) EXPECT_EQ(c.node(v), one.node(v)) << v;
    const auto a = c.attribution(), b = one.attribution();
    EXPECT_EQ(a.values, b.values);
    EXPECT_EQ(a.columns, b.columns);
    // What the owners and the structure give (built beside the graph on two threads or more).
    const auto ca = c.coverage(), cb = one.coverage();
    ASSERT_EQ(ca.units.size(), cb.units.size());
    for (std::size_t u = 0; u < ca.units.size(); ++u) {
      EXPECT_EQ(ca.units[u].employees, cb.units[u].employees) << u;
      EXPECT_EQ(ca.units[u].aligned, cb.units[u].aligned) << u;
    }
    EXPECT_EQ(ca.organization.aligned, cb.organization.aligned);
    const std::string top = m.all<spm::Unit>().front().id;
    const auto ia = c.impact(EntityKind::unit, top), ib = one.impact(EntityKind::unit, top);
    ASSERT_EQ(ia.size(), ib.size());
    for (std::size_t k = 0; k < ia.size(); ++k) {
      EXPECT_EQ(ia[k].node, ib[k].node);
      EXPECT_EQ(ia[k].value, ib[k].value);
    }
    EXPECT_EQ(c.orphans(), one.orphans());
  }
  // A cycle of unit parents, found beside the graph on a second thread, is reported as on one.
  Model looped = m;
  auto units = looped.all<spm::Unit>();
  spm::Unit first = units[0], second = units[1];
  first.parent = second.id;
  second.parent = first.id;
  looped.update(first);
  looped.update(second);
  for (int threads : {1, 2})
    EXPECT_EQ(only_issue(looped, threads, ErrorCode::cycle).field, "parent") << threads;
  CompileOptions bad;
  bad.threads = -2;
  EXPECT_THROW((void)Cascade::compile(m, bad), Error);
  // A dangling link found on a thread is reported like one found on one thread.
  Model broken = m;
  Objective o = broken.all<Objective>()[broken.all<Objective>().size() - 3];
  o.contributes_to.push_back({{EntityKind::objective, "NO-SUCH-OBJECTIVE"}, 1.0});
  broken.update(o);
  for (int threads : {1, 2}) {
    const Issue issue = only_issue(broken, threads, ErrorCode::validation);
    EXPECT_EQ(issue.id, o.id) << threads;
    EXPECT_NE(issue.message.find("NO-SUCH-OBJECTIVE"), std::string::npos) << issue.message;
  }
}

TEST(Cascade, CycleThatReachesNoGoalIsNamedToo) {
  // Nothing on this cycle leads out of it: no search from the goals or the other sinks meets it.
  Org o;
  o.goal("G");
  o.objective("Z", {to_goal("G")});
  o.objective("A", {to_obj("B")});
  o.objective("B", {to_obj("C")});
  o.objective("C", {to_obj("A")});
  const std::string msg = cycle_message(o.m);
  for (const char* id : {"'A'", "'B'", "'C'"}) EXPECT_NE(msg.find(id), std::string::npos) << msg;
  EXPECT_EQ(msg.find("'Z'"), std::string::npos) << msg;
}
