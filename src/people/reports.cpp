// reports.cpp - what is built on the reviews and the scorecard: calibration, rewards, training
// needs and outcome budgeting (DOMAIN.md section 7).
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "people/people_impl.hpp"

namespace spm {
inline namespace v1 {

namespace {

/// Quantile by linear interpolation between order statistics (sorted input).
double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return no_score;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

Distribution distribution(GroupKind kind, std::string id, std::vector<double> xs) {
  Distribution d;
  d.kind = kind;
  d.id = std::move(id);
  d.count = xs.size();
  if (xs.empty()) return d;
  std::sort(xs.begin(), xs.end());
  double sum = 0;
  for (double x : xs) sum += x;
  d.mean = sum / static_cast<double>(xs.size());
  double ss = 0;
  for (double x : xs) ss += (x - d.mean) * (x - d.mean);
  d.sd = std::sqrt(ss / static_cast<double>(xs.size()));
  d.min = xs.front();
  d.max = xs.back();
  d.q1 = quantile(xs, 0.25);
  d.median = quantile(xs, 0.5);
  d.q3 = quantile(xs, 0.75);
  return d;
}

double z_of(double x, const Distribution& d) {
  if (d.count < 2 || !(d.sd > 1e-12)) return no_score;
  return (x - d.mean) / d.sd;
}

[[noreturn]] void bad(const std::string& message) {
  throw Error(ErrorCode::invalid_argument, message);
}

}  // namespace

Calibration calibrate(const CycleReviews& reviews, double outlier_z) {
  if (!std::isfinite(outlier_z) || !(outlier_z > 0))
    bad(fmt::format("the outlier threshold must be a finite number > 0, not {}", outlier_z));
  Calibration out;
  out.outlier_z = outlier_z;
  std::vector<std::string> manager_order, unit_order;
  std::map<std::string, std::vector<double>> by_manager, by_unit;
  std::vector<double> all;
  for (const EmployeeReview& r : reviews.employees) {
    if (std::isnan(r.final_score)) continue;
    all.push_back(r.final_score);
    if (!by_manager.contains(r.manager)) manager_order.push_back(r.manager);
    by_manager[r.manager].push_back(r.final_score);
    if (!by_unit.contains(r.unit)) unit_order.push_back(r.unit);
    by_unit[r.unit].push_back(r.final_score);
  }
  out.organization = distribution(GroupKind::organization, {}, all);
  std::map<std::string, std::size_t> mi, ui;
  for (const auto& m : manager_order) {
    mi[m] = out.managers.size();
    out.managers.push_back(distribution(GroupKind::manager, m, by_manager[m]));
  }
  for (const auto& u : unit_order) {
    ui[u] = out.units.size();
    out.units.push_back(distribution(GroupKind::unit, u, by_unit[u]));
  }
  for (const EmployeeReview& r : reviews.employees) {
    if (std::isnan(r.final_score)) continue;
    CalibrationLine line;
    line.employee = r.employee;
    line.manager = r.manager;
    line.unit = r.unit;
    line.final_score = r.final_score;
    line.z_manager = z_of(r.final_score, out.managers[mi[r.manager]]);
    line.z_unit = z_of(r.final_score, out.units[ui[r.unit]]);
    line.z_organization = z_of(r.final_score, out.organization);
    for (double z : {line.z_manager, line.z_unit, line.z_organization})
      if (std::abs(z) > outlier_z) line.outlier = true;  // NaN compares false
    out.employees.push_back(std::move(line));
  }
  return out;
}

RewardReport rewards(const CycleReviews& reviews, const RewardRules& rules) {
  if (!std::isfinite(rules.pool) || rules.pool < 0)
    bad(fmt::format("the pool must be a finite amount >= 0, not {}", rules.pool));
  if (rules.pool * 100 > 9e15) bad("the pool is too large to divide in cents");
  if (!std::isfinite(rules.final_exponent) || rules.final_exponent < 0)
    bad(fmt::format("final_exponent must be finite and >= 0, not {}", rules.final_exponent));
  if (!std::isfinite(rules.contribution_exponent) || rules.contribution_exponent < 0)
    bad(fmt::format("contribution_exponent must be finite and >= 0, not {}",
                    rules.contribution_exponent));
  if (!std::isfinite(rules.min_final_score)) bad("min_final_score must be a finite number");
  RewardReport out;
  out.rules = rules;
  out.pool_cents = std::llround(rules.pool * 100);
  std::vector<double> basis;
  for (const EmployeeReview& r : reviews.employees) {
    RewardShare s;
    s.employee = r.employee;
    const double contribution = r.component(Component::contribution).score;
    if (std::isnan(r.final_score))
      s.reason = "no final score";
    else if (rules.require_completed_review && !r.review_completed)
      s.reason = "no completed review";
    else if (r.final_score < rules.min_final_score)
      s.reason = fmt::format("final score below {}", rules.min_final_score);
    else if (rules.contribution_exponent > 0 && std::isnan(contribution))
      s.reason = "no contribution to strategy score";
    else {
      s.eligible = true;
      s.basis =
          std::pow(r.final_score, rules.final_exponent) *
          (rules.contribution_exponent > 0 ? std::pow(contribution, rules.contribution_exponent)
                                           : 1.0);
    }
    basis.push_back(s.basis);
    out.employees.push_back(std::move(s));
  }
  double total = 0;
  for (double b : basis) total += b;
  const auto cents = people::largest_remainder(out.pool_cents, basis);
  for (std::size_t i = 0; i < out.employees.size(); ++i) {
    RewardShare& s = out.employees[i];
    s.cents = cents[i];
    out.allocated_cents += s.cents;
    if (total > 0) s.exact = rules.pool * basis[i] / total;
    if (!s.eligible) continue;
    // Trace the share to the goals by the employee's goal shares.
    const EmployeeReview& r = reviews.employees[i];
    std::vector<double> shares;
    for (const GoalLine& g : r.goals) shares.push_back(g.share);
    double traced = 0;
    for (double x : shares) traced += x;
    if (traced > 0) {
      const auto parts = people::largest_remainder(s.cents, shares);
      for (std::size_t k = 0; k < parts.size(); ++k)
        if (parts[k] != 0) s.goals.push_back(RewardTrace{r.goals[k].goal, parts[k]});
    } else if (s.cents != 0) {
      s.goals.push_back(RewardTrace{{}, s.cents});
    }
  }
  return out;
}

TrainingNeeds training_needs(const Model& model, const Cascade& cascade, std::string_view cycle_id,
                             Date as_of) {
  const ReviewCycle& cycle = people::get_cycle(model, cycle_id);
  people::check_cascade(model, cascade);
  const people::DaySpan days = people::day_span(cycle_span(cycle));
  const auto employees = model.all<Employee>();
  const auto objectives = model.all<Objective>();
  const auto competencies = model.all<Competency>();
  const auto goals = model.all<Goal>();
  const auto owned = people::objectives_by_employee(model);
  const people::ObjectiveAttribution attribution = people::objective_attribution(model, cascade);

  // The latest completed review (on or before as_of) rating each competency, per employee.
  std::vector<Issue> issues;
  struct Assessed {
    Date when;
    double level;
  };
  std::vector<std::map<std::uint32_t, Assessed>> assessed(employees.size());
  for (const Review& rv : model.all<Review>()) {
    if (!rv.completed || *rv.completed > as_of) continue;
    const ReviewCycle* rc = model.find<ReviewCycle>(rv.cycle);
    const auto e = model.index_of(EntityKind::employee, rv.employee);
    if (!rc || e < 0) continue;
    for (std::size_t k = 0; k < rv.ratings.size(); ++k) {
      const Rating& rt = rv.ratings[k];
      if (rt.subject.kind != EntityKind::competency) continue;
      const auto c = model.index_of(EntityKind::competency, rt.subject.id);
      if (c < 0) continue;
      double score = 0;
      try {
        score = rating_score(rc->scale, rt.rating);
      } catch (const Error& err) {
        issues.push_back(Issue{Severity::error,
                               "review",
                               rv.id,
                               fmt::format("ratings[{}].rating", k),
                               err.what(),
                               {}});
        continue;
      }
      auto& slot = assessed[static_cast<std::size_t>(e)];
      const auto ci = static_cast<std::uint32_t>(c);
      const auto it = slot.find(ci);
      if (it == slot.end() || it->second.when <= *rv.completed)
        slot[ci] = Assessed{*rv.completed, score * competencies[ci].max_level};
    }
  }
  people::throw_if_any(std::move(issues));

  TrainingNeeds out;
  // Per (unit, competency): total, counts, goal attribution.
  struct Acc {
    double total = 0;
    std::size_t with_gap = 0, not_assessed = 0;
    std::map<std::uint32_t, double> goals;
    bool any = false;
  };
  const auto units = model.all<Unit>();
  std::vector<std::vector<Acc>> acc(units.size(), std::vector<Acc>(competencies.size()));
  for (const std::string& id : cycle_employees(model, cycle_id, as_of)) {
    const auto ei = static_cast<std::size_t>(model.index_of(EntityKind::employee, id));
    std::map<std::uint32_t, TrainingGap> needs;  // by competency index
    std::map<std::uint32_t, std::vector<std::uint32_t>> requiring;
    for (std::uint32_t oi : owned[ei]) {
      const Objective& o = objectives[oi];
      if (!people::active(o, days)) continue;
      for (const CompetencyRequirement& req : o.requires_competencies) {
        const auto c = model.index_of(EntityKind::competency, req.competency);
        if (c < 0) continue;
        const auto ci = static_cast<std::uint32_t>(c);
        TrainingGap& g = needs[ci];
        g.employee = id;
        g.competency = req.competency;
        g.required = std::max(g.required, req.level);
        if (std::find(g.objectives.begin(), g.objectives.end(), o.id) == g.objectives.end()) {
          g.objectives.push_back(o.id);
          requiring[ci].push_back(oi);
        }
      }
    }
    // The unit and the units above it.
    std::vector<std::size_t> chain;
    for (auto u = model.index_of(EntityKind::unit, employees[ei].unit);
         u >= 0 && chain.size() <= units.size();
         u = units[static_cast<std::size_t>(u)].parent.empty()
                 ? -1
                 : model.index_of(EntityKind::unit, units[static_cast<std::size_t>(u)].parent))
      chain.push_back(static_cast<std::size_t>(u));
    for (auto& [ci, g] : needs) {
      if (const auto it = assessed[ei].find(ci); it != assessed[ei].end()) {
        g.assessed = it->second.level;
        g.gap = std::max(g.required - g.assessed, 0.0);
      }
      for (std::size_t u : chain) {
        Acc& a = acc[u][ci];
        a.any = true;
        if (std::isnan(g.gap))
          ++a.not_assessed;
        else if (g.gap > 0)
          a.total += g.gap, ++a.with_gap;
        for (std::uint32_t oi : requiring[ci])
          for (const auto& [goal, value] : attribution.rows[oi]) a.goals[goal] += value;
      }
      out.gaps.push_back(std::move(g));
    }
  }
  for (std::size_t u = 0; u < units.size(); ++u)
    for (std::size_t c = 0; c < competencies.size(); ++c) {
      const Acc& a = acc[u][c];
      if (!a.any) continue;
      UnitTrainingNeed need;
      need.unit = units[u].id;
      need.competency = competencies[c].id;
      need.total_gap = a.total;
      need.employees_with_gap = a.with_gap;
      need.not_assessed = a.not_assessed;
      for (const auto& [goal, value] : a.goals)
        need.goals.push_back(Attribution{Ref{EntityKind::goal, goals[goal].id}, value});
      std::stable_sort(
          need.goals.begin(), need.goals.end(),
          [](const Attribution& x, const Attribution& y) { return x.value > y.value; });
      out.units.push_back(std::move(need));
    }
  return out;
}

OutcomeBudget outcome_budget(const Model& model, const Cascade& cascade, const Scorecard& card,
                             int column, double spend_unit) {
  people::check_cascade(model, cascade);
  if (!card.is_current())
    throw Error(ErrorCode::stale, "the scorecard is stale: evaluate it again");
  if (column < 0 || static_cast<std::size_t>(column) >= card.columns().size())
    bad(fmt::format("column {} does not exist (the scorecard has {})", column,
                    card.columns().size()));
  if (!std::isfinite(spend_unit) || !(spend_unit > 0))
    bad(fmt::format("the spend unit must be a finite number > 0, not {}", spend_unit));
  OutcomeBudget out;
  out.span = card.columns()[static_cast<std::size_t>(column)];
  out.spend_unit = spend_unit;
  const int fm = out.span.first.first_month(), lm = out.span.last.last_month();
  const AttributionMatrix a = cascade.attribution();
  const auto goals = model.all<Goal>();
  std::vector<Issue> issues;
  for (const Strategy& st : model.all<Strategy>()) {
    StrategyOutcome so;
    so.strategy = st.id;
    for (const Budget& b : model.all<Budget>()) {
      if (b.strategy != st.id) continue;
      const int bf = b.period.first_month(), bl = b.period.last_month();
      const int overlap = std::min(bl, lm) - std::max(bf, fm) + 1;
      if (overlap <= 0) continue;
      if (!so.currency.empty() && so.currency != b.currency)
        issues.push_back(Issue{
            Severity::error,
            "budget",
            b.id,
            "currency",
            fmt::format("strategy '{}' has budgets in {} and {}", st.id, so.currency, b.currency),
            {}});
      if (so.currency.empty()) so.currency = b.currency;
      so.budget += b.amount * overlap / (bl - bf + 1);
    }
    so.strategy_score = card.node(EntityKind::strategy, st.id, column).score;
    const auto v = cascade.index_of(EntityKind::strategy, st.id);
    double ws = 0, ss = 0;
    if (v >= 0) {
      const auto r = static_cast<std::size_t>(v);
      for (int k = a.row_offsets[r]; k < a.row_offsets[r + 1]; ++k) {
        ServedGoal g;
        g.goal = goals[static_cast<std::size_t>(a.columns[static_cast<std::size_t>(k)])].id;
        g.weight = a.values[static_cast<std::size_t>(k)];
        g.score = card.node(EntityKind::goal, g.goal, column).score;
        if (!std::isnan(g.score)) ws += g.weight, ss += g.weight * g.score;
        so.goals.push_back(std::move(g));
      }
    }
    if (ws > 0) so.outcome = ss / ws;
    if (so.budget > 0 && !std::isnan(so.outcome))
      so.outcome_per_spend = so.outcome / (so.budget / spend_unit);
    out.strategies.push_back(std::move(so));
  }
  if (!issues.empty()) throw Error(ErrorCode::invalid_argument, std::move(issues));
  return out;
}

}  // namespace v1
}  // namespace spm
