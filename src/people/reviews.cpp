// reviews.cpp - review scores in components (DOMAIN.md section 7), and their explanation.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "people/people_impl.hpp"
#include "spm/rules.hpp"

namespace spm {
inline namespace v1 {

std::int64_t CycleReviews::index_of(std::string_view employee) const noexcept {
  for (std::size_t i = 0; i < employees.size(); ++i)
    if (employees[i].employee == employee) return static_cast<std::int64_t>(i);
  return -1;
}

namespace {

int find_column(const Scorecard& card, const Span& span) {
  const auto& cols = card.columns();
  for (std::size_t c = 0; c < cols.size(); ++c)
    if (cols[c].first.first_month() == span.first.first_month() &&
        cols[c].last.last_month() == span.last.last_month())
      return static_cast<int>(c);
  throw Error(ErrorCode::invalid_argument,
              fmt::format("the scorecard has no column for the cycle's span {} (add "
                          "spm::cycle_span(cycle) to ScoreOptions::columns)",
                          span.label));
}

/// Fixed decimals, rounded half away from zero as every display of spm is; "-" for NaN.
std::string num(double x, int decimals = 4) {
  return std::isnan(x) ? std::string("-")
                       : fmt::format("{:.{}f}", round_half_away(x, decimals), decimals);
}

}  // namespace

CycleReviews review_cycle(const Model& model, const Cascade& cascade, const Scorecard& card,
                          std::string_view cycle_id, Date as_of) {
  const ReviewCycle& cycle = people::get_cycle(model, cycle_id);
  people::check_cascade(model, cascade);
  if (!card.is_current())
    throw Error(ErrorCode::stale, "the scorecard is stale: evaluate it again");
  const Span span = cycle_span(cycle);
  const int col = find_column(card, span);
  const people::DaySpan days = people::day_span(span);

  std::vector<Issue> issues;
  const people::CycleRecords rec = people::gather(model, cycle, as_of, issues);
  people::throw_if_any(std::move(issues));

  const auto employees = model.all<Employee>();
  const auto objectives = model.all<Objective>();
  const auto goals = model.all<Goal>();
  const auto owned = people::objectives_by_employee(model);
  const people::ObjectiveAttribution attribution = people::objective_attribution(model, cascade);
  const ComponentWeights& w = cycle.weights;
  const double weights[component_count] = {w.objectives, w.contribution, w.values, w.self,
                                           w.feedback};
  double total_weight = 0;
  for (double x : weights) total_weight += x;

  CycleReviews out;
  out.cycle = cycle.id;
  out.span = span;
  out.as_of = as_of;
  out.weights = w;
  for (const std::string& id : cycle_employees(model, cycle_id, as_of)) {
    const auto ei = static_cast<std::size_t>(model.index_of(EntityKind::employee, id));
    const Employee& emp = employees[ei];
    EmployeeReview r;
    r.employee = emp.id;
    r.unit = emp.unit;
    r.manager = emp.manager;
    for (int k = 0; k < component_count; ++k) {
      r.components[static_cast<std::size_t>(k)].component = static_cast<Component>(k);
      r.components[static_cast<std::size_t>(k)].weight = weights[k];
    }
    auto& objectives_c = r.components[0];
    auto& contribution_c = r.components[1];
    auto& values_c = r.components[2];
    auto& self_c = r.components[3];
    auto& feedback_c = r.components[4];

    // Objective results: the weighted mean of the scored objectives active in the span.
    double wsum = 0, ssum = 0;
    std::size_t active = 0;
    std::map<std::uint32_t, std::pair<double, double>> per_goal;  // goal -> (attr, scored attr)
    std::map<std::uint32_t, double> goal_points;                  // goal -> sum attr * score
    for (std::uint32_t oi : owned[ei]) {
      const Objective& o = objectives[oi];
      if (!people::active(o, days)) continue;
      ++active;
      ObjectiveLine line;
      line.objective = o.id;
      line.weight = o.weight;
      line.score = card.node(EntityKind::objective, o.id, col).score;
      if (!std::isnan(line.score)) {
        wsum += o.weight;
        ssum += o.weight * line.score;
      }
      for (const auto& [g, a] : attribution.rows[oi]) {
        auto& pg = per_goal[g];
        pg.first += a;
        if (!std::isnan(line.score)) {
          pg.second += a;
          goal_points[g] += a * line.score;
        }
      }
      r.objectives.push_back(std::move(line));
    }
    for (auto& line : r.objectives) {
      if (std::isnan(line.score)) continue;
      line.normalized = line.weight / wsum;
      line.points = line.normalized * line.score;
    }
    if (active == 0)
      objectives_c.missing = fmt::format("no objectives in {}", span.label);
    else if (wsum > 0)
      objectives_c.score = ssum / wsum;
    else
      objectives_c.missing =
          fmt::format("none of the {} objectives has a score in {}", active, span.label);

    // Contribution to strategy: objective scores weighted by their attribution to the goals.
    double attr_total = 0, scored_total = 0, points_total = 0;
    for (const auto& [g, pg] : per_goal) {
      attr_total += pg.first;
      scored_total += pg.second;
      points_total += goal_points[g];
    }
    for (const auto& [g, pg] : per_goal) {
      GoalLine gl;
      gl.goal = goals[g].id;
      gl.attribution = pg.first;
      gl.share = attr_total > 0 ? pg.first / attr_total : 0.0;
      gl.scored_attribution = pg.second;
      if (pg.second > 0) {
        gl.score = goal_points[g] / pg.second;
        gl.points = goal_points[g] / scored_total;
      }
      r.goals.push_back(std::move(gl));
    }
    std::stable_sort(r.goals.begin(), r.goals.end(), [](const GoalLine& a, const GoalLine& b) {
      return a.attribution > b.attribution;
    });
    if (per_goal.empty())
      contribution_c.missing = active == 0 ? "no objectives" : "no objective reaches a goal";
    else if (scored_total > 0)
      contribution_c.score = points_total / scored_total;
    else
      contribution_c.missing = "no objective that reaches a goal has a score";

    // Values and competencies: the mean score of the completed review's ratings.
    const std::int64_t ri = rec.review[ei];
    if (ri >= 0) {
      const Review& rv = model.all<Review>()[static_cast<std::size_t>(ri)];
      r.review = rv.id;
      r.reviewer = rv.reviewer;
      r.review_completed = rec.review_completed[ei];
      if (r.review_completed) {
        double sum = 0;
        for (const Rating& rt : rv.ratings) {
          const double s = rating_score(cycle.scale, rt.rating);
          r.ratings.push_back(RatingLine{rt.subject, rt.rating, s});
          sum += s;
        }
        if (!rv.ratings.empty()) values_c.score = sum / static_cast<double>(rv.ratings.size());
        if (rv.overall) {
          r.overall_rating = *rv.overall;
          r.overall_score = rating_score(cycle.scale, *rv.overall);
        }
      }
    }
    if (std::isnan(values_c.score))
      values_c.missing = !r.review_completed
                             ? (ri >= 0 ? "the review is not completed" : "no review")
                             : "the review rates no value or competency";

    // Self-assessment.
    if (const std::int64_t si = rec.self[ei]; si >= 0) {
      const SelfAssessment& s = model.all<SelfAssessment>()[static_cast<std::size_t>(si)];
      r.self_submitted = true;
      if (s.rating) {
        r.self_rating = *s.rating;
        self_c.score = rating_score(cycle.scale, *s.rating);
      } else {
        self_c.missing = "the self-assessment has no rating";
      }
    } else {
      self_c.missing = "no self-assessment submitted";
    }

    // 360-degree feedback: only the groups at or above their threshold.
    r.feedback = people::feedback_groups(model, cycle, rec.feedback[ei]);
    feedback_c.score = people::feedback_component(r.feedback);
    if (std::isnan(feedback_c.score))
      feedback_c.missing = "no feedback group other than self reaches its anonymity threshold";

    // The final score: the weighted mean of the components present.
    double fw = 0, fs = 0;
    for (auto& c : r.components) {
      if (!c.present()) continue;
      fw += c.weight;
      fs += c.weight * c.score;
    }
    r.weight_present = total_weight > 0 ? fw / total_weight : 0.0;
    if (fw > 0) {
      r.final_score = fs / fw;
      for (auto& c : r.components) {
        if (!c.present()) continue;
        c.normalized = c.weight / fw;
        c.points = c.normalized * c.score;
      }
    }
    out.employees.push_back(std::move(r));
  }
  return out;
}

std::string EmployeeReview::text() const {
  std::string out = fmt::format("employee '{}': final score {}", employee, num(final_score));
  out += std::isnan(final_score)
             ? " (no component with a weight is present)\n"
             : fmt::format(" = weighted mean of the components present ({}% of the weight)\n",
                           num(weight_present * 100, 1));
  for (const ComponentScore& c : components) {
    if (c.present())
      out +=
          fmt::format("  {:<13} score {}  weight {:<6} share {}  = +{}\n", to_string(c.component),
                      num(c.score), fmt::format("{}", c.weight), num(c.normalized), num(c.points));
    else
      out += fmt::format("  {:<13} missing: {} (not counted)\n", to_string(c.component), c.missing);
  }
  if (!objectives.empty()) {
    out += "  objectives (weighted mean of those with a score):\n";
    for (const ObjectiveLine& o : objectives)
      out += std::isnan(o.score)
                 ? fmt::format("    {:<16} weight {:<6} no score (left out)\n", o.objective,
                               fmt::format("{}", o.weight))
                 : fmt::format("    {:<16} weight {:<6} score {}  share {}  = +{}\n", o.objective,
                               fmt::format("{}", o.weight), num(o.score), num(o.normalized),
                               num(o.points));
  }
  if (!goals.empty()) {
    out += "  contribution (objective scores weighted by attribution to the goals):\n";
    for (const GoalLine& g : goals)
      out += fmt::format("    {:<16} attribution {} (share {})  score {}  = +{}\n", g.goal,
                         num(g.attribution), num(g.share), num(g.score), num(g.points));
  }
  if (!ratings.empty()) {
    out += "  values and competencies (mean score of the ratings):\n";
    for (const RatingLine& rt : ratings)
      out += fmt::format("    {:<10} {:<16} rating {}  score {}\n", to_string(rt.subject.kind),
                         rt.subject.id, fmt::format("{}", rt.rating), num(rt.score));
  }
  if (!std::isnan(self_rating))
    out += fmt::format("  self-assessment: rating {}  score {}\n", fmt::format("{}", self_rating),
                       num(components[3].score));
  out += "  feedback (mean of the shown groups other than self):\n";
  for (const FeedbackGroup& g : feedback) {
    if (!g.shown) {
      out += fmt::format("    {:<14} not shown (groups show from {} responses)\n",
                         to_string(g.relation), g.threshold);
      continue;
    }
    out += fmt::format("    {:<14} {} {}  mean rating {}  score {}", to_string(g.relation),
                       g.responses, g.responses == 1 ? "response" : "responses",
                       num(g.mean_rating, 2), num(g.mean_score));
    if (g.relation == RaterRelation::self) out += " (not in the component)";
    out += "\n";
  }
  if (!std::isnan(overall_rating))
    out += fmt::format("  the reviewer's overall rating {} (score {}) is shown, not counted\n",
                       fmt::format("{}", overall_rating), num(overall_score));
  return out;
}

}  // namespace v1
}  // namespace spm
