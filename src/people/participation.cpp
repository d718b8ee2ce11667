// participation.cpp - check-ins against a cadence, and participation by organization, division,
// unit, team and manager (DOMAIN.md section 7).
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "people/people_impl.hpp"

namespace spm {
inline namespace v1 {

namespace {

/// The latest check-in of each employee (by index) on or before as_of, and how many fell in
/// the span.
struct CheckInIndex {
  std::vector<std::optional<Date>> last;
  std::vector<std::size_t> in_span;
};

CheckInIndex index_check_ins(const Model& model, const people::DaySpan& span, Date as_of) {
  CheckInIndex x;
  x.last.resize(model.count(EntityKind::employee));
  x.in_span.assign(x.last.size(), 0);
  for (const CheckIn& c : model.all<CheckIn>()) {
    if (c.date > as_of) continue;
    const auto e = model.index_of(EntityKind::employee, c.employee);
    if (e < 0) continue;
    const auto u = static_cast<std::size_t>(e);
    if (!x.last[u] || *x.last[u] < c.date) x.last[u] = c.date;
    if (span.contains(c.date)) ++x.in_span[u];
  }
  return x;
}

Date from_days(std::int64_t days) {
  // Civil from days (Howard Hinnant's algorithm).
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const auto y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
  return Date::from_ymd(y, static_cast<int>(m), static_cast<int>(d));
}

}  // namespace

CheckInReport check_ins(const Model& model, std::string_view cycle_id, Date as_of) {
  const ReviewCycle& cycle = people::get_cycle(model, cycle_id);
  const people::DaySpan span = people::day_span(cycle_span(cycle));
  const CheckInIndex x = index_check_ins(model, span, as_of);
  CheckInReport out;
  out.cycle = cycle.id;
  out.cadence_days = cycle.check_in_cadence_days;
  out.as_of = as_of;
  for (const std::string& id : cycle_employees(model, cycle_id, as_of)) {
    const auto u = static_cast<std::size_t>(model.index_of(EntityKind::employee, id));
    const Employee& e = model.all<Employee>()[u];
    CheckInStatus s;
    s.employee = id;
    s.in_cycle = x.in_span[u];
    s.last = x.last[u];
    std::int64_t from = span.first;
    if (s.last)
      from = s.last->days();
    else if (e.start)
      from = std::max(from, e.start->days());
    s.days_since = std::max<std::int64_t>(0, as_of.days() - from);
    s.expected = !e.manager.empty();
    if (s.expected && cycle.check_in_cadence_days > 0) {
      s.due = from_days(from + cycle.check_in_cadence_days);
      s.overdue = s.days_since > cycle.check_in_cadence_days;
    }
    out.overdue += s.overdue;
    out.employees.push_back(std::move(s));
  }
  return out;
}

ParticipationReport participation(const Model& model, const Cascade& cascade,
                                  const ParticipationQuery& query) {
  if (query.cycle.empty() == !query.period.has_value())
    throw Error(ErrorCode::invalid_argument,
                "participation is of a review cycle or of a period: give exactly one");
  if (query.cadence_days < 0)
    throw Error(ErrorCode::invalid_argument,
                fmt::format("cadence_days must be >= 0, not {}", query.cadence_days));
  people::check_cascade(model, cascade);
  ParticipationReport out;
  out.as_of = query.as_of;
  const ReviewCycle* cycle = nullptr;
  if (!query.cycle.empty()) {
    cycle = &people::get_cycle(model, query.cycle);
    out.cycle = cycle->id;
    out.span = cycle_span(*cycle);
    out.cadence_days = cycle->check_in_cadence_days;
    out.population = cycle_employees(model, query.cycle, query.as_of);
  } else {
    out.span = Span::of(*query.period);
    out.cadence_days = query.cadence_days;
    out.population = people::employed(model, people::day_span(out.span), query.as_of);
  }
  const people::DaySpan days = people::day_span(out.span);
  const auto employees = model.all<Employee>();
  const auto objectives = model.all<Objective>();
  const std::size_t n = employees.size();

  // Per employee (by index): the six criteria.
  std::vector<std::array<bool, criterion_count>> met(n);
  const auto owned = people::objectives_by_employee(model);
  const people::ObjectiveAttribution attribution = people::objective_attribution(model, cascade);
  const CheckInIndex x = index_check_ins(model, days, query.as_of);
  people::CycleRecords rec;
  if (cycle) {
    std::vector<Issue> ignored;  // participation counts records; review_cycle() checks them
    rec = people::gather(model, *cycle, query.as_of, ignored);
  }
  for (const std::string& id : out.population) {
    const auto u = static_cast<std::size_t>(model.index_of(EntityKind::employee, id));
    auto& m = met[u];
    for (std::uint32_t oi : owned[u]) {
      if (!people::active(objectives[oi], days)) continue;
      m[0] = true;
      if (!attribution.rows[oi].empty()) m[1] = true;
    }
    if (employees[u].manager.empty()) {
      m[2] = true;  // nobody to check in with
    } else if (x.last[u]) {
      const std::int64_t since = query.as_of.days() - x.last[u]->days();
      m[2] = out.cadence_days > 0 ? since <= out.cadence_days : days.contains(*x.last[u]);
    }
    if (cycle) {
      m[3] = rec.self[u] >= 0;
      m[4] = !std::isnan(
          people::feedback_component(people::feedback_groups(model, *cycle, rec.feedback[u])));
      m[5] = rec.review_completed[u];
    }
  }

  // Each group's members as employee indices in population order, built in one pass over the
  // population (linear in its size times the depth of the unit tree).
  std::vector<std::size_t> pop;
  pop.reserve(out.population.size());
  for (const std::string& eid : out.population)
    pop.push_back(static_cast<std::size_t>(model.index_of(EntityKind::employee, eid)));

  auto make_row = [&](GroupKind kind, std::string id, const std::vector<std::size_t>& members) {
    ParticipationRow row;
    row.kind = kind;
    row.id = std::move(id);
    row.employees = members.size();
    for (std::size_t k = 0; k < criterion_count; ++k) {
      auto& c = row.criteria[k];
      c.criterion = static_cast<Criterion>(k);
      c.applies = cycle != nullptr || k < 3;
      if (!c.applies) continue;
      for (std::size_t u : members) {
        if (met[u][k])
          ++c.met;
        else
          c.missing.push_back(employees[u].id);
      }
      if (row.employees > 0)
        c.share = static_cast<double>(c.met) / static_cast<double>(row.employees);
    }
    return row;
  };

  // Units with their sub-units; a unit's division, inherited from the units above it.
  const auto units = model.all<Unit>();
  const auto divisions = model.all<Division>();
  std::vector<std::int64_t> unit_parent(units.size(), -1), unit_division(units.size(), -1);
  for (std::size_t i = 0; i < units.size(); ++i)
    unit_parent[i] =
        units[i].parent.empty() ? -1 : model.index_of(EntityKind::unit, units[i].parent);
  for (std::size_t i = 0; i < units.size(); ++i) {
    auto u = static_cast<std::int64_t>(i);
    for (std::size_t steps = 0; u >= 0 && steps <= units.size(); ++steps) {
      const Unit& unit = units[static_cast<std::size_t>(u)];
      if (!unit.division.empty()) {
        unit_division[i] = model.index_of(EntityKind::division, unit.division);
        break;
      }
      u = unit_parent[static_cast<std::size_t>(u)];
    }
  }
  const auto teams = model.all<Team>();
  std::vector<std::vector<std::size_t>> in_division(divisions.size()), in_unit(units.size()),
      in_team(teams.size()), reports(n);
  std::vector<std::vector<std::uint32_t>> teams_of(n);
  for (std::uint32_t t = 0; t < teams.size(); ++t)
    for (const std::string& member : teams[t].members)
      if (const auto e = model.index_of(EntityKind::employee, member); e >= 0) {
        auto& list = teams_of[static_cast<std::size_t>(e)];
        if (std::find(list.begin(), list.end(), t) == list.end()) list.push_back(t);
      }
  for (std::size_t e : pop) {
    const auto u0 = model.index_of(EntityKind::unit, employees[e].unit);
    if (u0 >= 0 && unit_division[static_cast<std::size_t>(u0)] >= 0)
      in_division[static_cast<std::size_t>(unit_division[static_cast<std::size_t>(u0)])].push_back(
          e);
    auto u = u0;
    for (std::size_t steps = 0; u >= 0 && steps <= units.size(); ++steps) {
      in_unit[static_cast<std::size_t>(u)].push_back(e);
      u = unit_parent[static_cast<std::size_t>(u)];
    }
    for (std::uint32_t t : teams_of[e]) in_team[t].push_back(e);
    if (!employees[e].manager.empty())
      if (const auto m = model.index_of(EntityKind::employee, employees[e].manager); m >= 0)
        reports[static_cast<std::size_t>(m)].push_back(e);
  }

  out.organization = make_row(GroupKind::organization, {}, pop);
  for (std::size_t d = 0; d < divisions.size(); ++d)
    out.divisions.push_back(make_row(GroupKind::division, divisions[d].id, in_division[d]));
  for (std::size_t u = 0; u < units.size(); ++u)
    out.units.push_back(make_row(GroupKind::unit, units[u].id, in_unit[u]));
  for (std::size_t t = 0; t < teams.size(); ++t)
    out.teams.push_back(make_row(GroupKind::team, teams[t].id, in_team[t]));
  for (std::size_t m = 0; m < n; ++m)
    if (!reports[m].empty())
      out.managers.push_back(make_row(GroupKind::manager, employees[m].id, reports[m]));
  return out;
}

}  // namespace v1
}  // namespace spm
