// cmd_review.cpp - `spm review FILE`: the reviews of one review cycle in components, one
// employee's review explained, and the reports built on them: check-ins, calibration, rewards,
// training needs and outcome budgeting (docs/people.md).
#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "analysis.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "spm/people.hpp"
#include "spm/scoring.hpp"

namespace spm::cli {
namespace {

struct ReviewCmdOptions {
  std::string file;
  std::string actuals;
  std::string cycle;
  std::string as_of;
  std::string employee;
  std::string report = "reviews";
  std::string format = "text";
  double pool = 0;
  double min_score = 0;
  double final_exponent = 1;
  double contribution_exponent = 0;
  bool any_review = false;
  double outlier_z = 2;
  double spend_unit = 1e6;
  int threads = 1;
};

/// The cycle named, or the model's only one.
const ReviewCycle& pick_cycle(const Model& model, const std::string& id) {
  if (!id.empty()) {
    const ReviewCycle* c = model.find<ReviewCycle>(id);
    if (!c) throw Failure(fmt::format("no review cycle has the id '{}'", id));
    return *c;
  }
  const auto cycles = model.all<ReviewCycle>();
  if (cycles.size() == 1) return cycles.front();
  if (cycles.empty()) throw Failure("the organization has no review cycle");
  std::string ids;
  for (const ReviewCycle& c : cycles) ids += (ids.empty() ? "" : ", ") + c.id;
  throw UsageError(fmt::format("the organization has {} review cycles; say which with --cycle: {}",
                               cycles.size(), ids));
}

/// --as-of, or the organization's `data_as_of` attribute; never the system clock.
Date pick_as_of(const Model& model, const std::string& text) {
  if (!text.empty()) {
    if (auto d = Date::parse(text)) return *d;
    throw UsageError(fmt::format("--as-of '{}' is not a date YYYY-MM-DD", text));
  }
  for (const auto& [key, value] : model.info().attributes)
    if (key == "data_as_of" && value.size() > 2 && value.front() == '"')
      if (auto d = Date::parse(std::string_view(value).substr(1, value.size() - 2))) return *d;
  throw UsageError(
      "give --as-of YYYY-MM-DD (the organization has no attribute data_as_of to default to)");
}

std::string num3(double x) {
  return number(x, 3);
}

/// Text without trailing spaces.
std::string trim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::string employee_name(const Model& m, const std::string& id) {
  return name_of(m, Ref{EntityKind::employee, id});
}

struct Context {
  Compiled compiled;
  const ReviewCycle* cycle = nullptr;
  Date as_of;
  std::optional<Scorecard> card;
  std::optional<CycleReviews> reviews;
};

std::string header(const Context& c, const char* what) {
  return fmt::format("{} of {} ({}), {}, as of {}\n", what,
                     c.cycle->name.empty() ? c.cycle->id : c.cycle->name, c.cycle->id,
                     cycle_span(*c.cycle).label, c.as_of.to_string());
}

void print_reviews(Context& c, const ReviewCmdOptions& o) {
  const Model& m = c.compiled.model;
  const CycleReviews& rv = *c.reviews;
  if (!o.employee.empty()) {
    const auto i = rv.index_of(o.employee);
    if (i < 0)
      throw Failure(fmt::format("'{}' is not reviewed in cycle '{}' as of {}", o.employee, rv.cycle,
                                c.as_of.to_string()));
    const EmployeeReview& r = rv.employees[static_cast<std::size_t>(i)];
    if (o.format == "json") {
      fmt::print("{}", review_json(m, rv, o.employee));
    } else {
      fmt::print("{}{}  {}\n\n{}", header(c, "Review"), r.employee, employee_name(m, r.employee),
                 r.text());
    }
    return;
  }
  if (o.format == "json") {
    fmt::print("{}", reviews_json(m, rv));
    return;
  }
  const ComponentWeights& w = rv.weights;
  std::string out = header(c, "Reviews");
  out += fmt::format(
      "weights: objectives {}, contribution {}, values {}, self {}, feedback {}\n"
      "'-': a missing component, left out of the final score (never counted as 0)\n\n",
      w.objectives, w.contribution, w.values, w.self, w.feedback);
  out += fmt::format("{} {}  {:>6} {:>6} {:>6} {:>6} {:>6}  {:>6} {:>6}  {}\n", pad("employee", 10),
                     pad("name", 24), "objec.", "contr.", "values", "self", "feedb.", "final",
                     "weight", "review");
  double sum = 0;
  std::size_t scored = 0, completed = 0;
  for (const auto& r : rv.employees) {
    out += fmt::format(
        "{} {}  {:>6} {:>6} {:>6} {:>6} {:>6}  {:>6} {:>6}  {}\n", fit(r.employee, 10),
        fit(employee_name(m, r.employee), 24), num3(r.components[0].score),
        num3(r.components[1].score), num3(r.components[2].score), num3(r.components[3].score),
        num3(r.components[4].score), num3(r.final_score), number(r.weight_present * 100, 0) + "%",
        r.review_completed ? "completed" : (r.review.empty() ? "none" : "in progress"));
    if (!std::isnan(r.final_score)) sum += r.final_score, ++scored;
    completed += r.review_completed;
  }
  out +=
      fmt::format("\n{} employees, {} with a completed review, {} with a final score (mean {})\n",
                  rv.employees.size(), completed, scored,
                  num3(scored ? sum / static_cast<double>(scored) : NAN));
  fmt::print("{}", out);
}

void print_check_ins(Context& c, const ReviewCmdOptions& o) {
  const CheckInReport r = check_ins(c.compiled.model, c.cycle->id, c.as_of);
  if (o.format == "json") {
    fmt::print("{}", check_ins_json(r));
    return;
  }
  std::string out = header(c, "Check-ins");
  out += fmt::format("cadence: every {} days; {} of {} employees overdue\n\n", r.cadence_days,
                     r.overdue, r.employees.size());
  out += fmt::format("{} {}  {:>8}  {:<10}  {:>10}  {:<10}  {}\n", pad("employee", 10),
                     pad("name", 24), "in cycle", "last", "days since", "due", "status");
  for (const auto& s : r.employees)
    out += fmt::format("{} {}  {:>8}  {:<10}  {:>10}  {:<10}  {}\n", fit(s.employee, 10),
                       fit(employee_name(c.compiled.model, s.employee), 24), s.in_cycle,
                       s.last ? s.last->to_string() : "-", s.days_since,
                       s.due ? s.due->to_string() : "-",
                       !s.expected ? "no manager" : (s.overdue ? "OVERDUE" : "ok"));
  fmt::print("{}", out);
}

void print_calibration(Context& c, const ReviewCmdOptions& o) {
  const Calibration cal = calibrate(*c.reviews, o.outlier_z);
  const Model& m = c.compiled.model;
  if (o.format == "json") {
    fmt::print("{}", calibration_json(cal, c.cycle->id));
    return;
  }
  std::string out = header(c, "Calibration");
  auto table = [&](const char* title, const std::vector<Distribution>& rows, bool managers) {
    out += fmt::format("\n{}\n{} {}  {:>5} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}\n", title,
                       pad("id", 10), pad("name", 24), "count", "mean", "sd", "min", "q1", "median",
                       "q3", "max");
    for (const auto& d : rows)
      out += fmt::format(
          "{} {}  {:>5} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}\n",
          fit(d.id.empty() ? "-" : d.id, 10),
          fit(managers ? employee_name(m, d.id) : name_of(m, {EntityKind::unit, d.id}), 24),
          d.count, num3(d.mean), num3(d.sd), num3(d.min), num3(d.q1), num3(d.median), num3(d.q3),
          num3(d.max));
  };
  table("Organization", {cal.organization}, false);
  table("By manager", cal.managers, true);
  table("By unit", cal.units, false);
  std::size_t outliers = 0;
  for (const auto& l : cal.employees) outliers += l.outlier;
  out += fmt::format("\nOutliers: |z| > {} within manager, unit or organization ({})\n",
                     cal.outlier_z, outliers);
  for (const auto& l : cal.employees)
    if (l.outlier)
      out += fmt::format("  {} {}  final {}  z manager {:>6}  z unit {:>6}  z org {:>6}\n",
                         fit(l.employee, 10), fit(employee_name(m, l.employee), 24),
                         num3(l.final_score), number(l.z_manager, 2), number(l.z_unit, 2),
                         number(l.z_organization, 2));
  fmt::print("{}", out);
}

void print_rewards(Context& c, const ReviewCmdOptions& o) {
  RewardRules rules;
  rules.pool = o.pool;
  rules.require_completed_review = !o.any_review;
  rules.min_final_score = o.min_score;
  rules.final_exponent = o.final_exponent;
  rules.contribution_exponent = o.contribution_exponent;
  const RewardReport r = rewards(*c.reviews, rules);
  const Model& m = c.compiled.model;
  if (o.format == "json") {
    fmt::print("{}", rewards_json(r, c.cycle->id));
    return;
  }
  std::string out = header(c, "Rewards");
  out += fmt::format(
      "pool {}; each share proportional to final^{} x contribution^{}\n"
      "eligible: {}final score >= {}\n"
      "allocated {} (shares rounded to cents by largest remainders)\n\n",
      money_text(r.pool_cents), rules.final_exponent, rules.contribution_exponent,
      rules.require_completed_review ? "completed review, " : "", rules.min_final_score,
      money_text(r.allocated_cents));
  out += fmt::format("{} {}  {:>12}  {}\n", pad("employee", 10), pad("name", 24), "share",
                     "traced to goals, or why not eligible");
  for (const auto& s : r.employees) {
    std::string why;
    if (!s.eligible) {
      why = s.reason;
    } else {
      for (const auto& t : s.goals)
        why += fmt::format("{}{} {}", why.empty() ? "" : ", ",
                           t.goal.empty() ? "(no goal)" : t.goal, money_text(t.cents));
    }
    out += fmt::format("{} {}  {:>12}  {}\n", fit(s.employee, 10),
                       fit(employee_name(m, s.employee), 24),
                       s.eligible ? money_text(s.cents) : "-", trim(fit(why, text_width - 51)));
  }
  fmt::print("{}", out);
}

std::string competency_label(const Model& m, const std::string& id) {
  const Competency* comp = m.find<Competency>(id);
  return comp && !comp->name.empty() ? id + " " + comp->name : id;
}

void print_training(Context& c, const ReviewCmdOptions& o) {
  const TrainingNeeds t =
      training_needs(c.compiled.model, c.compiled.cascade, c.cycle->id, c.as_of);
  const Model& m = c.compiled.model;
  if (o.format == "json") {
    fmt::print("{}", training_needs_json(t, c.cycle->id, c.as_of));
    return;
  }
  std::string out = header(c, "Training needs");
  out += "gap = required level - assessed level (latest completed review), summed by unit\n\n";
  out += fmt::format("{} {}  {:>9} {:>8} {:>12}  {}\n", pad("unit", 10), pad("competency", 22),
                     "total gap", "with gap", "not assessed", "goals served (attribution)");
  for (const auto& u : t.units) {
    std::string goals;
    for (std::size_t k = 0; k < u.goals.size() && k < 3; ++k)
      goals += fmt::format("{}{} {:.3f}", k ? ", " : "", u.goals[k].node.id, u.goals[k].value);
    if (u.goals.size() > 3) goals += fmt::format(", +{}", u.goals.size() - 3);
    out += fmt::format("{} {}  {:>9} {:>8} {:>12}  {}\n", fit(u.unit, 10),
                       fit(competency_label(m, u.competency), 22), number(u.total_gap, 2),
                       u.employees_with_gap, u.not_assessed, trim(fit(goals, text_width - 70)));
  }
  fmt::print("{}", out);
}

void print_budget(Context& c, const ReviewCmdOptions& o) {
  const OutcomeBudget b =
      outcome_budget(c.compiled.model, c.compiled.cascade, *c.card, 0, o.spend_unit);
  const Model& m = c.compiled.model;
  if (o.format == "json") {
    fmt::print("{}", outcome_budget_json(b));
    return;
  }
  std::string out = fmt::format(
      "Outcome budgeting for {}: budget by strategy against the scores of "
      "the goals it serves\n\n",
      b.span.label);
  const std::string per = b.spend_unit == 1e6   ? std::string("per 1M")
                          : b.spend_unit == 1e3 ? std::string("per 1k")
                                                : fmt::format("per {:g}", b.spend_unit);
  out += fmt::format("{} {}  {:>14}  {:>8} {:>8} {:>10}  {}\n", pad("strategy", 8), pad("name", 20),
                     "budget", "strategy", "outcome", per, "goals: score");
  for (const auto& s : b.strategies) {
    std::string goals;
    for (const auto& g : s.goals)
      goals += fmt::format("{}{} {}", goals.empty() ? "" : ", ", g.goal, num3(g.score));
    out += fmt::format("{} {}  {:>14}  {:>8} {:>8} {:>10}  {}\n", fit(s.strategy, 8),
                       fit(name_of(m, {EntityKind::strategy, s.strategy}), 20),
                       fmt::format("{:.0f} {}", s.budget, s.currency), num3(s.strategy_score),
                       num3(s.outcome), number(s.outcome_per_spend, 3),
                       trim(fit(goals, text_width - 77)));
  }
  fmt::print("{}", out);
}

void run_review(const ReviewCmdOptions& o) {
  Context c{load_and_compile(o.file, o.actuals, o.threads), nullptr, {}, {}, {}};
  c.cycle = &pick_cycle(c.compiled.model, o.cycle);
  c.as_of = pick_as_of(c.compiled.model, o.as_of);
  if (o.report == "rewards" && !(o.pool >= 0)) throw UsageError("--pool must be >= 0");
  if (o.report != "reviews" && !o.employee.empty())
    throw UsageError("--employee goes with --report reviews");
  ScoreOptions so;
  so.columns = {cycle_span(*c.cycle)};
  so.threads = o.threads;
  c.card.emplace(Scorecard::evaluate(c.compiled.cascade, so));
  const std::string& r = o.report;
  if (r == "reviews" || r == "calibration" || r == "rewards")
    c.reviews.emplace(
        review_cycle(c.compiled.model, c.compiled.cascade, *c.card, c.cycle->id, c.as_of));
  if (r == "reviews") print_reviews(c, o);
  if (r == "check-ins") print_check_ins(c, o);
  if (r == "calibration") print_calibration(c, o);
  if (r == "rewards") print_rewards(c, o);
  if (r == "training") print_training(c, o);
  if (r == "budget") print_budget(c, o);
}

}  // namespace

void register_review(CLI::App& app) {
  auto o = std::make_shared<ReviewCmdOptions>();
  CLI::App* cmd = app.add_subcommand(
      "review",
      "Reviews of a cycle by component; check-ins, calibration, rewards, training, budgets");
  add_path_argument(*cmd, "FILE", o->file, "The organization's JSON file");
  add_actuals_option(*cmd, o->actuals, "Merge this CSV of actuals in before scoring");
  cmd->add_option("--cycle", o->cycle, "The review cycle's id (default: the only one)");
  cmd->add_option("--as-of", o->as_of,
                  "The day counted as today, YYYY-MM-DD (default: the organization's data_as_of)");
  cmd->add_option("--report", o->report,
                  "reviews, check-ins, calibration, rewards, training or budget")
      ->check(
          CLI::IsMember({"reviews", "check-ins", "calibration", "rewards", "training", "budget"}))
      ->capture_default_str();
  cmd->add_option("--employee", o->employee, "One employee's review, every number explained");
  cmd->add_option("--pool", o->pool, "rewards: the amount to divide")->capture_default_str();
  cmd->add_option("--min-score", o->min_score, "rewards: the lowest final score eligible")
      ->capture_default_str();
  cmd->add_option("--final-exponent", o->final_exponent,
                  "rewards: share proportional to final^A x contribution^B; this is A")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--contribution-exponent", o->contribution_exponent, "rewards: B")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_flag("--any-review", o->any_review,
                "rewards: also employees whose review is not completed");
  cmd->add_option("--outlier-z", o->outlier_z, "calibration: outliers beyond this |z|")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--spend-unit", o->spend_unit, "budget: outcome per this much spend")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  add_format_option(*cmd, o->format);
  add_threads_option(*cmd, o->threads);
  cmd->footer(
      "Scores are fractions: 0 at baseline or worse, 1 at target. A missing component is shown\n"
      "as '-' and left out of the final score, never counted as 0. Feedback groups below their\n"
      "anonymity threshold are never shown. docs/people.md has every rule.\n"
      "Exit status: 0 success, 1 a file that cannot be used or bad review data (a rating out of\n"
      "scale, ...), 2 a bad command line.");
  cmd->callback([o] { run_review(*o); });
}

}  // namespace spm::cli
