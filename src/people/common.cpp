// common.cpp - the people stage's shared pieces: rating scales, cycle spans and populations,
// the checks of the inputs, feedback groups behind anonymity thresholds, and rounding to cents.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <utility>

#include <fmt/format.h>

#include "cascade/cascade_impl.hpp"
#include "people/people_impl.hpp"

namespace spm {
inline namespace v1 {

double rating_score(const RatingScale& scale, double rating) {
  if (!std::isfinite(rating) || rating < scale.min || rating > scale.max)
    throw Error(ErrorCode::invalid_argument, fmt::format("rating {} is outside the scale {} to {}",
                                                         rating, scale.min, scale.max));
  if (scale.table.empty()) return (rating - scale.min) / (scale.max - scale.min);
  for (std::size_t i = 0; i < scale.table.size(); ++i) {
    const ScoreRange& r = scale.table[i];
    const bool last = i + 1 == scale.table.size();
    if (rating >= r.from && (rating < r.to || (last && rating <= r.to))) return r.score;
  }
  throw Error(ErrorCode::invalid_argument,
              fmt::format("rating {} falls in no range of the scale's table", rating));
}

Span cycle_span(const ReviewCycle& cycle) {
  const int fm = cycle.first.first_month(), lm = cycle.last.last_month();
  const auto month = [](int m) { return Period::month(m / 12, m % 12 + 1); };
  if (fm == lm) return Span::of(month(fm));
  if (fm % 3 == 0 && lm == fm + 2) return Span::of(Period::quarter(fm / 12, fm % 12 / 3 + 1));
  if (fm % 12 == 0 && lm == fm + 11) return Span::of(Period::year(fm / 12));
  Span s;
  s.first = month(fm);
  s.last = month(lm);
  s.label = cycle.first.to_string() + ".." + cycle.last.to_string();
  return s;
}

const char* to_string(Component c) noexcept {
  switch (c) {
    case Component::objectives:
      return "objectives";
    case Component::contribution:
      return "contribution";
    case Component::values:
      return "values";
    case Component::self:
      return "self";
    case Component::feedback:
      return "feedback";
  }
  return "?";
}

const char* to_string(Criterion c) noexcept {
  switch (c) {
    case Criterion::objectives:
      return "objectives";
    case Criterion::aligned:
      return "aligned";
    case Criterion::check_in:
      return "check_in";
    case Criterion::self_assessed:
      return "self_assessment";
    case Criterion::feedback:
      return "feedback";
    case Criterion::reviewed:
      return "review";
  }
  return "?";
}

const char* to_string(GroupKind k) noexcept {
  switch (k) {
    case GroupKind::organization:
      return "organization";
    case GroupKind::division:
      return "division";
    case GroupKind::unit:
      return "unit";
    case GroupKind::team:
      return "team";
    case GroupKind::manager:
      return "manager";
  }
  return "?";
}

std::vector<std::string> cycle_employees(const Model& model, std::string_view cycle_id,
                                         Date as_of) {
  const ReviewCycle& cycle = people::get_cycle(model, cycle_id);
  const people::DaySpan span = people::day_span(cycle_span(cycle));
  if (cycle.employees.empty()) return people::employed(model, span, as_of);
  std::vector<std::string> out;
  for (const std::string& id : cycle.employees) {
    const Employee* e = model.find<Employee>(id);
    if (!e)
      throw Error(ErrorCode::not_found,
                  std::vector<Issue>{Issue{Severity::error,
                                           "review_cycle",
                                           cycle.id,
                                           "employees",
                                           fmt::format("unknown employee '{}'", id),
                                           {}}});
    if (people::employed_on(*e, as_of) && std::find(out.begin(), out.end(), id) == out.end())
      out.push_back(id);
  }
  return out;
}

namespace people {

DaySpan day_span(const Span& span) {
  const int fm = span.first.first_month(), lm = span.last.last_month() + 1;
  const Date first = Date::from_ymd(fm / 12, fm % 12 + 1, 1);
  const Date after = Date::from_ymd(lm / 12, lm % 12 + 1, 1);
  return DaySpan{first.days(), after.days() - 1};
}

const ReviewCycle& get_cycle(const Model& model, std::string_view cycle_id) {
  return model.get<ReviewCycle>(cycle_id);
}

void check_cascade(const Model& model, const Cascade& cascade) {
  cascade.ensure_current();
  const auto& impl = detail::CascadeAccess::impl(cascade);
  if (impl->token->impl != &detail::ModelAccess::impl(model))
    throw Error(ErrorCode::invalid_argument,
                "the cascade was compiled from another model than the one given");
}

bool employed_on(const Employee& e, Date day) noexcept {
  return (!e.start || *e.start <= day) && (!e.end || *e.end >= day);
}

std::vector<std::string> employed(const Model& model, const DaySpan& span, Date as_of) {
  std::vector<std::string> out;
  for (const Employee& e : model.all<Employee>())
    if (span.overlaps(e.start, e.end) && employed_on(e, as_of)) out.push_back(e.id);
  return out;
}

ObjectiveAttribution objective_attribution(const Model& model, const Cascade& cascade) {
  const AttributionMatrix a = cascade.attribution();
  const auto objectives = model.all<Objective>();
  ObjectiveAttribution out;
  out.rows.resize(objectives.size());
  for (std::size_t i = 0; i < objectives.size(); ++i) {
    const auto v = cascade.index_of(EntityKind::objective, objectives[i].id);
    if (v < 0) continue;
    const auto r = static_cast<std::size_t>(v);
    for (int k = a.row_offsets[r]; k < a.row_offsets[r + 1]; ++k)
      out.rows[i].emplace_back(static_cast<std::uint32_t>(a.columns[static_cast<std::size_t>(k)]),
                               a.values[static_cast<std::size_t>(k)]);
  }
  return out;
}

std::vector<std::vector<std::uint32_t>> objectives_by_employee(const Model& model) {
  std::vector<std::vector<std::uint32_t>> out(model.count(EntityKind::employee));
  const auto objectives = model.all<Objective>();
  for (std::uint32_t i = 0; i < objectives.size(); ++i) {
    const Objective& o = objectives[i];
    if (o.owner.kind != EntityKind::employee) continue;
    const auto e = model.index_of(EntityKind::employee, o.owner.id);
    if (e >= 0) out[static_cast<std::size_t>(e)].push_back(i);
  }
  return out;
}

namespace {

Issue issue(EntityKind kind, const std::string& id, std::string field, std::string message) {
  return Issue{Severity::error, to_string(kind), id, std::move(field), std::move(message), {}};
}

void check_rating(std::vector<Issue>& issues, EntityKind kind, const std::string& id,
                  const std::string& field, const RatingScale& scale, double rating) {
  try {
    (void)rating_score(scale, rating);
  } catch (const Error& e) {
    issues.push_back(issue(kind, id, field, e.what()));
  }
}

}  // namespace

CycleRecords gather(const Model& model, const ReviewCycle& cycle, Date as_of,
                    std::vector<Issue>& issues) {
  const std::size_t n = model.count(EntityKind::employee);
  CycleRecords r;
  r.review.assign(n, -1);
  r.review_completed.assign(n, 0);
  r.self.assign(n, -1);
  r.feedback.resize(n);
  const auto employee = [&](EntityKind kind, const std::string& id, const char* field,
                            const std::string& who) -> std::int64_t {
    const auto e = model.index_of(EntityKind::employee, who);
    if (e < 0) issues.push_back(issue(kind, id, field, fmt::format("unknown employee '{}'", who)));
    return e;
  };

  const auto reviews = model.all<Review>();
  for (std::size_t i = 0; i < reviews.size(); ++i) {
    const Review& rv = reviews[i];
    if (rv.cycle != cycle.id) continue;
    if (!rv.employee.empty() && rv.reviewer == rv.employee)
      issues.push_back(
          issue(EntityKind::review, rv.id, "reviewer", "an employee cannot be their own reviewer"));
    for (std::size_t k = 0; k < rv.ratings.size(); ++k)
      check_rating(issues, EntityKind::review, rv.id, fmt::format("ratings[{}].rating", k),
                   cycle.scale, rv.ratings[k].rating);
    if (rv.overall)
      check_rating(issues, EntityKind::review, rv.id, "overall", cycle.scale, *rv.overall);
    const auto e = employee(EntityKind::review, rv.id, "employee", rv.employee);
    if (e < 0) continue;
    const auto u = static_cast<std::size_t>(e);
    const bool done = rv.completed && *rv.completed <= as_of;
    // The latest completed review counts; without one, the first in progress.
    const std::int64_t cur = r.review[u];
    bool take = cur < 0;
    if (!take && done != static_cast<bool>(r.review_completed[u]))
      take = done;
    else if (!take && done)
      take = *rv.completed >= *reviews[static_cast<std::size_t>(cur)].completed;
    if (take) {
      r.review[u] = static_cast<std::int64_t>(i);
      r.review_completed[u] = done;
    }
  }

  const auto selfs = model.all<SelfAssessment>();
  for (std::size_t i = 0; i < selfs.size(); ++i) {
    const SelfAssessment& s = selfs[i];
    if (s.cycle != cycle.id) continue;
    if (s.rating)
      check_rating(issues, EntityKind::self_assessment, s.id, "rating", cycle.scale, *s.rating);
    const auto e = employee(EntityKind::self_assessment, s.id, "employee", s.employee);
    if (e < 0 || !s.submitted || *s.submitted > as_of) continue;
    const auto u = static_cast<std::size_t>(e);
    const std::int64_t cur = r.self[u];
    if (cur < 0 || *s.submitted >= *selfs[static_cast<std::size_t>(cur)].submitted)
      r.self[u] = static_cast<std::int64_t>(i);
  }

  const auto feedback = model.all<Feedback>();
  std::map<std::pair<std::string_view, std::string_view>, std::string_view> seen;
  for (std::uint32_t i = 0; i < feedback.size(); ++i) {
    const Feedback& f = feedback[i];
    if (f.cycle != cycle.id) continue;
    if (f.rating)
      check_rating(issues, EntityKind::feedback, f.id, "rating", cycle.scale, *f.rating);
    if (f.relation != RaterRelation::self && f.rater == f.subject)
      issues.push_back(issue(EntityKind::feedback, f.id, "rater",
                             "a rater cannot give themselves feedback as someone else"));
    if (f.relation == RaterRelation::self && f.rater != f.subject)
      issues.push_back(issue(EntityKind::feedback, f.id, "relation",
                             "self feedback must have the subject as rater"));
    if (auto [it, fresh] =
            seen.emplace(std::pair{std::string_view(f.subject), std::string_view(f.rater)},
                         std::string_view(f.id));
        !fresh)
      issues.push_back(issue(EntityKind::feedback, f.id, "rater",
                             fmt::format("a second response of one rater about one person in the "
                                         "cycle (the first is '{}')",
                                         it->second)));
    const auto e = employee(EntityKind::feedback, f.id, "subject", f.subject);
    if (model.index_of(EntityKind::employee, f.rater) < 0)
      issues.push_back(issue(EntityKind::feedback, f.id, "rater",
                             fmt::format("unknown employee '{}'", f.rater)));
    if (e < 0 || !f.rating || !f.submitted || *f.submitted > as_of) continue;
    r.feedback[static_cast<std::size_t>(e)][static_cast<std::size_t>(f.relation)].push_back(i);
  }
  return r;
}

std::array<FeedbackGroup, 5> feedback_groups(const Model& model, const ReviewCycle& cycle,
                                             const std::array<std::vector<std::uint32_t>, 5>& in) {
  const auto feedback = model.all<Feedback>();
  const AnonymityThresholds& a = cycle.anonymity;
  const int thresholds[5] = {a.manager, a.peer, a.direct_report, a.other, a.self};
  std::array<FeedbackGroup, 5> out;
  for (std::size_t g = 0; g < 5; ++g) {
    FeedbackGroup& fg = out[g];
    fg.relation = static_cast<RaterRelation>(g);
    fg.threshold = std::max(1, thresholds[g]);
    if (in[g].size() < static_cast<std::size_t>(fg.threshold)) continue;  // suppressed: nothing
    fg.shown = true;
    fg.responses = in[g].size();
    double rating = 0, score = 0;
    for (std::uint32_t i : in[g]) {
      const Feedback& f = feedback[i];
      rating += *f.rating;
      score += rating_score(cycle.scale, *f.rating);
      if (!f.comment.empty()) fg.comments.push_back(f.comment);
      if (fg.relation == RaterRelation::manager || fg.relation == RaterRelation::self)
        fg.raters.push_back(f.rater);
    }
    fg.mean_rating = rating / static_cast<double>(fg.responses);
    fg.mean_score = score / static_cast<double>(fg.responses);
    std::sort(fg.comments.begin(), fg.comments.end());
    std::sort(fg.raters.begin(), fg.raters.end());
  }
  return out;
}

double feedback_component(const std::array<FeedbackGroup, 5>& groups) noexcept {
  double sum = 0;
  int n = 0;
  for (const FeedbackGroup& g : groups) {
    if (!g.shown || g.relation == RaterRelation::self) continue;
    sum += g.mean_score;
    ++n;
  }
  return n ? sum / n : no_score;
}

std::vector<std::int64_t> largest_remainder(std::int64_t total,
                                            const std::vector<double>& weights) {
  std::vector<std::int64_t> out(weights.size(), 0);
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  if (!(sum > 0) || total <= 0) return out;
  std::vector<double> frac(weights.size(), 0.0);
  std::int64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const long double exact =
        static_cast<long double>(total) * static_cast<long double>(weights[i]) / sum;
    const long double fl = std::floor(exact);
    out[i] = static_cast<std::int64_t>(fl);
    frac[i] = static_cast<double>(exact - fl);
    given += out[i];
  }
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return frac[a] > frac[b]; });
  // Rounding inside the division can leave the floors a cent above or below the total.
  for (std::size_t k = 0; given < total; k = (k + 1) % order.size())
    if (weights[order[k]] > 0) ++out[order[k]], ++given;
  for (std::size_t k = order.size(); given > total;) {
    k = k == 0 ? order.size() - 1 : k - 1;
    if (out[order[k]] > 0) --out[order[k]], --given;
  }
  return out;
}

void throw_if_any(std::vector<Issue> issues) {
  if (issues.empty()) return;
  throw Error(ErrorCode::validation, std::move(issues));
}

}  // namespace people
}  // namespace v1
}  // namespace spm
