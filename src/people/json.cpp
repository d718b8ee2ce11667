// json.cpp - the people reports as JSON documents (people.hpp, "as JSON"): the one renderer
// behind `spm review --format json`, `spm participation --format json` and the C ABI's
// spm_*_to_json functions.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "spm/error.hpp"
#include "spm/model.hpp"
#include "spm/people.hpp"

namespace spm {
inline namespace v1 {
namespace {

using nlohmann::ordered_json;

/// Indented by two spaces, UTF-8, a final newline; NaN is written as null.
std::string dump(const ordered_json& j) {
  // Strings come from the model, which holds UTF-8; replace rather than throw should one not.
  return j.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

template <class T>
std::string name_or_empty(const Model& m, const std::string& id) {
  const T* e = m.find<T>(id);
  return e ? e->name : std::string();
}

ordered_json component_json(const ComponentScore& c) {
  ordered_json j;
  j["component"] = to_string(c.component);
  j["score"] = c.score;
  j["weight"] = c.weight;
  j["normalized"] = c.normalized;
  j["points"] = c.points;
  if (!c.present()) j["missing"] = c.missing;
  return j;
}

ordered_json employee_review_json(const Model& m, const EmployeeReview& r, bool detail) {
  ordered_json j;
  j["employee"] = r.employee;
  j["name"] = name_or_empty<Employee>(m, r.employee);
  j["unit"] = r.unit;
  j["manager"] = r.manager;
  j["review"] = r.review;
  j["review_completed"] = r.review_completed;
  j["self_submitted"] = r.self_submitted;
  j["final_score"] = r.final_score;
  j["weight_present"] = r.weight_present;
  j["components"] = ordered_json::array();
  for (const auto& c : r.components) j["components"].push_back(component_json(c));
  if (!detail) return j;
  j["reviewer"] = r.reviewer;
  j["objectives"] = ordered_json::array();
  for (const auto& o : r.objectives)
    j["objectives"].push_back({{"objective", o.objective},
                               {"weight", o.weight},
                               {"score", o.score},
                               {"normalized", o.normalized},
                               {"points", o.points}});
  j["goals"] = ordered_json::array();
  for (const auto& g : r.goals)
    j["goals"].push_back({{"goal", g.goal},
                          {"attribution", g.attribution},
                          {"share", g.share},
                          {"score", g.score},
                          {"points", g.points}});
  j["ratings"] = ordered_json::array();
  for (const auto& rt : r.ratings)
    j["ratings"].push_back({{"kind", to_string(rt.subject.kind)},
                            {"id", rt.subject.id},
                            {"rating", rt.rating},
                            {"score", rt.score}});
  j["self_rating"] = r.self_rating;
  j["overall_rating"] = r.overall_rating;
  j["overall_score"] = r.overall_score;
  // Only shown groups carry anything; a group that is not shown is just that.
  j["feedback"] = ordered_json::array();
  for (const auto& g : r.feedback) {
    ordered_json fj{{"relation", to_string(g.relation)}, {"shown", g.shown}};
    if (g.shown) {
      fj["responses"] = g.responses;
      fj["mean_rating"] = g.mean_rating;
      fj["mean_score"] = g.mean_score;
      if (!g.raters.empty()) fj["raters"] = g.raters;
      fj["comments"] = g.comments;
    } else {
      fj["threshold"] = g.threshold;
    }
    j["feedback"].push_back(fj);
  }
  return j;
}

ordered_json distribution_json(const Distribution& d) {
  return {{"kind", to_string(d.kind)},
          {"id", d.id},
          {"count", d.count},
          {"mean", d.mean},
          {"sd", d.sd},
          {"min", d.min},
          {"q1", d.q1},
          {"median", d.median},
          {"q3", d.q3},
          {"max", d.max}};
}

std::string group_name(const Model& m, const ParticipationRow& r) {
  switch (r.kind) {
    case GroupKind::organization:
      return m.info().name;
    case GroupKind::division:
      return name_or_empty<Division>(m, r.id);
    case GroupKind::unit:
      return name_or_empty<Unit>(m, r.id);
    case GroupKind::team:
      return name_or_empty<Team>(m, r.id);
    case GroupKind::manager:
      return name_or_empty<Employee>(m, r.id);
  }
  return {};
}

ordered_json row_json(const Model& m, const ParticipationRow& r) {
  ordered_json j{{"kind", to_string(r.kind)},
                 {"id", r.id},
                 {"name", group_name(m, r)},
                 {"employees", r.employees}};
  j["criteria"] = ordered_json::object();
  for (const auto& c : r.criteria) {
    if (!c.applies) continue;
    j["criteria"][to_string(c.criterion)] = {
        {"met", c.met}, {"share", c.share}, {"missing", c.missing}};
  }
  return j;
}

}  // namespace

std::string money_text(std::int64_t cents) {
  return fmt::format("{}{}.{:02}", cents < 0 ? "-" : "", std::llabs(cents) / 100,
                     std::llabs(cents) % 100);
}

std::string reviews_json(const Model& model, const CycleReviews& reviews) {
  ordered_json j{
      {"cycle", reviews.cycle}, {"span", reviews.span.label}, {"as_of", reviews.as_of.to_string()}};
  const ComponentWeights& w = reviews.weights;
  j["weights"] = {{"objectives", w.objectives},
                  {"contribution", w.contribution},
                  {"values", w.values},
                  {"self", w.self},
                  {"feedback", w.feedback}};
  j["employees"] = ordered_json::array();
  for (const auto& r : reviews.employees)
    j["employees"].push_back(employee_review_json(model, r, false));
  return dump(j);
}

std::string review_json(const Model& model, const CycleReviews& reviews,
                        std::string_view employee) {
  const std::int64_t i = reviews.index_of(employee);
  if (i < 0)
    throw Error(ErrorCode::not_found,
                fmt::format("'{}' is not reviewed in cycle '{}' as of {}", employee, reviews.cycle,
                            reviews.as_of.to_string()));
  ordered_json j =
      employee_review_json(model, reviews.employees[static_cast<std::size_t>(i)], true);
  j["cycle"] = reviews.cycle;
  j["span"] = reviews.span.label;
  j["as_of"] = reviews.as_of.to_string();
  return dump(j);
}

std::string check_ins_json(const CheckInReport& r) {
  ordered_json j{{"cycle", r.cycle},
                 {"cadence_days", r.cadence_days},
                 {"as_of", r.as_of.to_string()},
                 {"overdue", r.overdue}};
  j["employees"] = ordered_json::array();
  for (const auto& s : r.employees)
    j["employees"].push_back({{"employee", s.employee},
                              {"in_cycle", s.in_cycle},
                              {"last", s.last ? ordered_json(s.last->to_string()) : ordered_json()},
                              {"days_since", s.days_since},
                              {"due", s.due ? ordered_json(s.due->to_string()) : ordered_json()},
                              {"expected", s.expected},
                              {"overdue", s.overdue}});
  return dump(j);
}

std::string calibration_json(const Calibration& cal, std::string_view cycle) {
  ordered_json j{{"cycle", cycle}, {"outlier_z", cal.outlier_z}};
  j["organization"] = distribution_json(cal.organization);
  j["managers"] = ordered_json::array();
  for (const auto& d : cal.managers) j["managers"].push_back(distribution_json(d));
  j["units"] = ordered_json::array();
  for (const auto& d : cal.units) j["units"].push_back(distribution_json(d));
  j["employees"] = ordered_json::array();
  for (const auto& l : cal.employees)
    j["employees"].push_back({{"employee", l.employee},
                              {"manager", l.manager},
                              {"unit", l.unit},
                              {"final_score", l.final_score},
                              {"z_manager", l.z_manager},
                              {"z_unit", l.z_unit},
                              {"z_organization", l.z_organization},
                              {"outlier", l.outlier}});
  return dump(j);
}

std::string rewards_json(const RewardReport& r, std::string_view cycle) {
  ordered_json j{{"cycle", cycle},
                 {"pool", money_text(r.pool_cents)},
                 {"pool_cents", r.pool_cents},
                 {"allocated_cents", r.allocated_cents}};
  j["rules"] = {{"require_completed_review", r.rules.require_completed_review},
                {"min_final_score", r.rules.min_final_score},
                {"final_exponent", r.rules.final_exponent},
                {"contribution_exponent", r.rules.contribution_exponent}};
  j["employees"] = ordered_json::array();
  for (const auto& s : r.employees) {
    ordered_json e{{"employee", s.employee}, {"eligible", s.eligible}};
    if (!s.eligible) e["reason"] = s.reason;
    e["basis"] = s.basis;
    e["exact"] = s.exact;
    e["cents"] = s.cents;
    e["goals"] = ordered_json::array();
    for (const auto& t : s.goals) e["goals"].push_back({{"goal", t.goal}, {"cents", t.cents}});
    j["employees"].push_back(e);
  }
  return dump(j);
}

std::string training_needs_json(const TrainingNeeds& t, std::string_view cycle, Date as_of) {
  ordered_json j{{"cycle", cycle}, {"as_of", as_of.to_string()}};
  j["units"] = ordered_json::array();
  for (const auto& u : t.units) {
    ordered_json uj{{"unit", u.unit},
                    {"competency", u.competency},
                    {"total_gap", u.total_gap},
                    {"employees_with_gap", u.employees_with_gap},
                    {"not_assessed", u.not_assessed}};
    uj["goals"] = ordered_json::array();
    for (const auto& g : u.goals)
      uj["goals"].push_back({{"goal", g.node.id}, {"attribution", g.value}});
    j["units"].push_back(uj);
  }
  j["gaps"] = ordered_json::array();
  for (const auto& g : t.gaps)
    j["gaps"].push_back({{"employee", g.employee},
                         {"competency", g.competency},
                         {"required", g.required},
                         {"assessed", g.assessed},
                         {"gap", g.gap},
                         {"objectives", g.objectives}});
  return dump(j);
}

std::string outcome_budget_json(const OutcomeBudget& b) {
  ordered_json j{{"span", b.span.label}, {"spend_unit", b.spend_unit}};
  j["strategies"] = ordered_json::array();
  for (const auto& s : b.strategies) {
    ordered_json sj{{"strategy", s.strategy}, {"budget", s.budget},
                    {"currency", s.currency}, {"strategy_score", s.strategy_score},
                    {"outcome", s.outcome},   {"outcome_per_spend", s.outcome_per_spend}};
    sj["goals"] = ordered_json::array();
    for (const auto& g : s.goals)
      sj["goals"].push_back({{"goal", g.goal}, {"weight", g.weight}, {"score", g.score}});
    j["strategies"].push_back(sj);
  }
  return dump(j);
}

std::string participation_json(const Model& model, const ParticipationReport& p,
                               const std::vector<GroupKind>& by) {
  ordered_json j{{"cycle", p.cycle},
                 {"span", p.span.label},
                 {"as_of", p.as_of.to_string()},
                 {"cadence_days", p.cadence_days},
                 {"employees", p.population.size()}};
  for (const GroupKind kind : by) {
    ordered_json list = ordered_json::array();
    if (kind == GroupKind::organization) list.push_back(row_json(model, p.organization));
    const std::vector<ParticipationRow>* rows = kind == GroupKind::division  ? &p.divisions
                                                : kind == GroupKind::unit    ? &p.units
                                                : kind == GroupKind::team    ? &p.teams
                                                : kind == GroupKind::manager ? &p.managers
                                                                             : nullptr;
    if (rows)
      for (const auto& r : *rows) list.push_back(row_json(model, r));
    j[to_string(kind)] = list;
  }
  return dump(j);
}

}  // namespace v1
}  // namespace spm
