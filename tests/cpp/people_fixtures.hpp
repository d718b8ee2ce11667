// people_fixtures.hpp - a small organization whose review numbers are computed by hand in the
// tests of the people stage, and a dump of every number that the people functions return.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "spm/cascade.hpp"
#include "spm/model.hpp"
#include "spm/people.hpp"
#include "spm/scoring.hpp"

namespace people_test {

using namespace spm;

inline Contribution to(EntityKind kind, const std::string& id, double w = 1.0) {
  return Contribution{Ref{kind, id}, w};
}

/// The hand-computed organization:
///   goals G1 (input: O-A1), G2 (inputs: O-A2, O-B1), G3 (inputs: measure MG3, strategy S1)
///   employee A (manager M, unit U1): O-A1 weight 3 score 0.8 -> G1; O-A2 weight 1 score 0.4 -> G2
///   employee B (manager M, unit U1): O-B1 weight 1, no measure -> G2
///   employee C (manager M, unit U2): no objectives
///   peers R1..R3 rate A; direct reports D1, D2 rate A (a group of 2: suppressed)
struct Org {
  Model m;
  Date as_of = Date::from_ymd(2027, 1, 20);

  void employee(const std::string& id, const std::string& unit, const std::string& manager = "") {
    Employee e;
    e.id = id;
    e.name = "Name of " + id;
    e.unit = unit;
    e.manager = manager;
    m.add(e);
  }
  void objective(const std::string& id, const std::string& owner, double weight,
                 std::vector<Contribution> to_list) {
    Objective o;
    o.id = id;
    o.owner = Ref{EntityKind::employee, owner};
    o.weight = weight;
    o.contributes_to = std::move(to_list);
    m.add(o);
  }
  /// A measure on a node whose 2026 actual (average of one month) scores `score`.
  void measure(const std::string& id, Ref subject, double score) {
    Measure ms;
    ms.id = id;
    ms.subject = std::move(subject);
    ms.baseline = 0;
    ms.target = 100;
    ms.actuals.push_back(Actual{Period::month(2026, 6), score * 100, {}, {}});
    m.add(ms);
  }
  void feedback(const std::string& id, const std::string& subject, const std::string& rater,
                RaterRelation relation, double rating, const std::string& comment = "") {
    Feedback f;
    f.id = id;
    f.cycle = "RC";
    f.subject = subject;
    f.rater = rater;
    f.relation = relation;
    f.rating = rating;
    f.comment = comment;
    f.submitted = Date::from_ymd(2026, 12, 1);
    m.add(f);
  }
  void check_in(const std::string& id, const std::string& employee, Date date) {
    CheckIn c;
    c.id = id;
    c.employee = employee;
    c.manager = "M";
    c.date = date;
    m.add(c);
  }

  Org() {
    for (auto& p : default_perspectives()) m.add(p);
    Division d;
    d.id = "DIV";
    m.add(d);
    for (const char* u : {"U1", "U2"}) {
      Unit unit;
      unit.id = u;
      unit.division = "DIV";
      m.add(unit);
    }
    Value v;
    v.id = "V1";
    m.add(v);
    Competency c;
    c.id = "C1";
    c.max_level = 5;
    m.add(c);
    for (const char* g : {"G1", "G2", "G3"}) {
      Goal goal;
      goal.id = g;
      goal.perspective = "customer";
      m.add(goal);
    }
    Strategy s;
    s.id = "S1";
    s.contributes_to = {to(EntityKind::goal, "G3")};
    m.add(s);
    measure("MG3", {EntityKind::goal, "G3"}, 0.6);

    employee("M", "U1");
    employee("A", "U1", "M");
    employee("B", "U1", "M");
    employee("C", "U2", "M");
    for (const char* p : {"R1", "R2", "R3", "D1", "D2"}) employee(p, "U2");

    objective("O-A1", "A", 3, {to(EntityKind::goal, "G1")});
    objective("O-A2", "A", 1, {to(EntityKind::goal, "G2")});
    objective("O-B1", "B", 1, {to(EntityKind::goal, "G2")});
    Objective with_need = m.get<Objective>("O-A1");
    with_need.requires_competencies = {CompetencyRequirement{"C1", 4}};
    m.update(with_need);
    measure("MA1", {EntityKind::objective, "O-A1"}, 0.8);
    measure("MA2", {EntityKind::objective, "O-A2"}, 0.4);

    ReviewCycle rc;
    rc.id = "RC";
    rc.first = Period::month(2026, 1);
    rc.last = Period::month(2026, 12);
    rc.employees = {"A", "B", "C"};
    m.add(rc);

    Review ra;
    ra.id = "REV-A";
    ra.cycle = "RC";
    ra.employee = "A";
    ra.reviewer = "M";
    ra.completed = Date::from_ymd(2027, 1, 10);
    ra.ratings = {Rating{{EntityKind::value, "V1"}, 4}, Rating{{EntityKind::competency, "C1"}, 3}};
    ra.overall = 4;
    m.add(ra);
    Review rb;
    rb.id = "REV-B";
    rb.cycle = "RC";
    rb.employee = "B";
    rb.reviewer = "M";
    rb.completed = Date::from_ymd(2027, 1, 12);
    rb.ratings = {Rating{{EntityKind::value, "V1"}, 5}};
    m.add(rb);
    Review rc_review;  // in progress
    rc_review.id = "REV-C";
    rc_review.cycle = "RC";
    rc_review.employee = "C";
    rc_review.reviewer = "M";
    m.add(rc_review);

    SelfAssessment sa;
    sa.id = "SA-A";
    sa.cycle = "RC";
    sa.employee = "A";
    sa.rating = 5;
    sa.submitted = Date::from_ymd(2026, 12, 20);
    m.add(sa);
    SelfAssessment sc = sa;
    sc.id = "SA-C";
    sc.employee = "C";
    sc.rating = 3;
    m.add(sc);

    feedback("F1", "A", "M", RaterRelation::manager, 4, "Clear priorities.");
    feedback("F2", "A", "R1", RaterRelation::peer, 5, "Always helps.");
    feedback("F3", "A", "R2", RaterRelation::peer, 3);
    feedback("F4", "A", "R3", RaterRelation::peer, 2, "Late replies.");
    feedback("F5", "A", "D1", RaterRelation::direct_report, 1, "SECRET-ONE");
    feedback("F6", "A", "D2", RaterRelation::direct_report, 1, "SECRET-TWO");

    check_in("CI1", "A", Date::from_ymd(2026, 12, 25));
    check_in("CI2", "B", Date::from_ymd(2026, 12, 1));
    check_in("CI3", "A", Date::from_ymd(2026, 6, 1));

    Budget b;
    b.id = "B-2026";
    b.strategy = "S1";
    b.period = Period::year(2026);
    b.amount = 500000;
    b.currency = "EUR";
    m.add(b);
    b.id = "B-2025";
    b.period = Period::year(2025);
    b.amount = 900000;
    m.add(b);
    b.id = "B-2026Q4";
    b.period = Period::quarter(2026, 4);
    b.amount = 100000;
    m.add(b);
  }
};

/// The model compiled and scored over the cycle's span.
struct Scored {
  Cascade cascade;
  Scorecard card;
  explicit Scored(const Model& m, const std::string& cycle = "RC")
      : cascade(Cascade::compile(m)), card(Scorecard::evaluate(cascade, options(m, cycle))) {}
  static ScoreOptions options(const Model& m, const std::string& cycle) {
    ScoreOptions o;
    o.columns = {cycle_span(m.get<ReviewCycle>(cycle))};
    return o;
  }
};

inline std::string n(double x) {
  return std::isnan(x) ? "nan" : fmt::format("{}", x);
}

/// Every number and id that the people functions return for a cycle, as text.
inline std::string dump_all(const Model& m, const std::string& cycle, Date as_of) {
  Scored s(m, cycle);
  std::string out;
  const CycleReviews reviews = review_cycle(m, s.cascade, s.card, cycle, as_of);
  for (const EmployeeReview& r : reviews.employees) {
    out += fmt::format("R {} {} {} {} {} {} {} {} {} {}\n", r.employee, r.unit, r.manager, r.review,
                       r.reviewer, r.review_completed, r.self_submitted, n(r.final_score),
                       n(r.weight_present), r.text());
    for (const auto& c : r.components)
      out += fmt::format(" c {} {} {} {} {} {}\n", to_string(c.component), n(c.score), n(c.weight),
                         n(c.normalized), n(c.points), c.missing);
    for (const auto& o : r.objectives)
      out += fmt::format(" o {} {} {} {} {}\n", o.objective, n(o.weight), n(o.score),
                         n(o.normalized), n(o.points));
    for (const auto& g : r.goals)
      out += fmt::format(" g {} {} {} {} {} {}\n", g.goal, n(g.attribution), n(g.share),
                         n(g.scored_attribution), n(g.score), n(g.points));
    for (const auto& g : r.feedback) {
      out += fmt::format(" f {} {} {} {} {} {}", to_string(g.relation), g.threshold, g.shown,
                         g.responses, n(g.mean_rating), n(g.mean_score));
      for (const auto& x : g.raters) out += " rater:" + x;
      for (const auto& x : g.comments) out += " comment:" + x;
      out += "\n";
    }
  }
  const Calibration cal = calibrate(reviews);
  for (const auto& l : cal.employees)
    out += fmt::format("cal {} {} {} {} {}\n", l.employee, n(l.final_score), n(l.z_manager),
                       n(l.z_unit), l.outlier);
  for (const auto* list : {&cal.managers, &cal.units})
    for (const auto& d : *list)
      out += fmt::format("dist {} {} {} {} {} {}\n", d.id, d.count, n(d.mean), n(d.sd), n(d.median),
                         n(d.max));
  RewardRules rules;
  rules.pool = 1000;
  rules.require_completed_review = false;
  const RewardReport rw = rewards(reviews, rules);
  for (const auto& sh : rw.employees) {
    out += fmt::format("reward {} {} {} {} {}", sh.employee, sh.eligible, n(sh.basis), sh.cents,
                       sh.reason);
    for (const auto& t : sh.goals) out += fmt::format(" {}={}", t.goal, t.cents);
    out += "\n";
  }
  ParticipationQuery q;
  q.cycle = cycle;
  q.as_of = as_of;
  const ParticipationReport p = participation(m, s.cascade, q);
  std::vector<const ParticipationRow*> rows{&p.organization};
  for (const auto* list : {&p.divisions, &p.units, &p.teams, &p.managers})
    for (const auto& r : *list) rows.push_back(&r);
  for (const auto* r : rows) {
    out += fmt::format("part {} {} {}", to_string(r->kind), r->id, r->employees);
    for (const auto& c : r->criteria) {
      out += fmt::format(" {}:{}:{}", to_string(c.criterion), c.met, n(c.share));
      for (const auto& x : c.missing) out += "," + x;
    }
    out += "\n";
  }
  const CheckInReport ci = check_ins(m, cycle, as_of);
  for (const auto& c : ci.employees)
    out += fmt::format("ci {} {} {} {}\n", c.employee, c.in_cycle, c.days_since, c.overdue);
  const TrainingNeeds tn = training_needs(m, s.cascade, cycle, as_of);
  for (const auto& g : tn.gaps)
    out += fmt::format("gap {} {} {} {} {}\n", g.employee, g.competency, n(g.required),
                       n(g.assessed), n(g.gap));
  return out;
}

}  // namespace people_test
