// cmd_participation.cpp - `spm participation FILE`: for a review cycle or a period, the share of
// employees with objectives, aligned objectives, a recent check-in, a self-assessment, enough
// feedback and a completed review, by organization, division, unit, team and manager, and who
// is missing each (docs/people.md).
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

namespace spm::cli {
namespace {

struct ParticipationCmdOptions {
  std::string file;
  std::string actuals;
  std::string cycle;
  std::string period;
  std::string as_of;
  int cadence = 30;
  std::vector<std::string> by{"organization", "division", "unit", "team", "manager"};
  bool missing = false;
  std::string format = "text";
  int threads = 1;
};

/// --as-of, or the organization's `data_as_of` attribute; never the system clock.
Date as_of_date(const Model& model, const std::string& text) {
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

std::string share_text(const CriterionCount& c) {
  if (!c.applies) return "n/a";
  return number(c.share * 100, 1) + (c.share == c.share ? "%" : "");
}

std::string group_name(const Model& m, const ParticipationRow& r) {
  switch (r.kind) {
    case GroupKind::organization:
      return m.info().name;
    case GroupKind::division:
      if (auto* d = m.find<Division>(r.id)) return d->name;
      return {};
    case GroupKind::unit:
      return name_of(m, {EntityKind::unit, r.id});
    case GroupKind::team:
      return name_of(m, {EntityKind::team, r.id});
    case GroupKind::manager:
      return name_of(m, {EntityKind::employee, r.id});
  }
  return {};
}

void run_participation(const ParticipationCmdOptions& o) {
  Compiled c = load_and_compile(o.file, o.actuals, o.threads);
  const Model& m = c.model;
  ParticipationQuery q;
  q.as_of = as_of_date(m, o.as_of);
  q.cadence_days = o.cadence;
  if (!o.period.empty()) {
    if (!o.cycle.empty()) throw UsageError("give --cycle or --period, not both");
    const auto p = Period::parse(o.period);
    if (!p)
      throw UsageError(fmt::format("--period '{}' is not YYYY-MM, YYYY-Qn or YYYY", o.period));
    q.period = *p;
  } else if (!o.cycle.empty()) {
    if (!m.contains(EntityKind::review_cycle, o.cycle))
      throw Failure(fmt::format("no review cycle has the id '{}'", o.cycle));
    q.cycle = o.cycle;
  } else {
    const auto cycles = m.all<ReviewCycle>();
    if (cycles.size() != 1)
      throw UsageError(
          fmt::format("the organization has {} review cycles; give --cycle or "
                      "--period",
                      cycles.size()));
    q.cycle = cycles.front().id;
  }
  const ParticipationReport p = participation(m, c.cascade, q);

  std::vector<std::pair<std::string, std::vector<const ParticipationRow*>>> sections;
  for (const std::string& by : o.by) {
    std::vector<const ParticipationRow*> rows;
    if (by == "organization") rows.push_back(&p.organization);
    const std::vector<ParticipationRow>* list = by == "division"  ? &p.divisions
                                                : by == "unit"    ? &p.units
                                                : by == "team"    ? &p.teams
                                                : by == "manager" ? &p.managers
                                                                  : nullptr;
    if (list)
      for (const auto& r : *list) rows.push_back(&r);
    sections.emplace_back(by, std::move(rows));
  }

  if (o.format == "json") {
    std::vector<GroupKind> by;
    for (const std::string& name : o.by)
      for (GroupKind k : {GroupKind::organization, GroupKind::division, GroupKind::unit,
                          GroupKind::team, GroupKind::manager})
        if (name == to_string(k)) by.push_back(k);
    fmt::print("{}", participation_json(m, p, by));
    return;
  }

  std::string out = fmt::format(
      "Participation in {}{}, as of {}: {} employees\n"
      "check-in: within {} days before the as-of date; n/a: needs a review cycle\n",
      p.cycle.empty() ? "" : "cycle " + p.cycle + ", ", p.span.label, p.as_of.to_string(),
      p.population.size(), p.cadence_days);
  for (const auto& [by, rows] : sections) {
    if (rows.empty()) continue;
    out += fmt::format("\n{} {}  {:>5} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}\n", pad(by, 12),
                       pad("name", 24), "empl.", "object.", "aligned", "checkin", "self", "feedbk",
                       "review");
    for (const auto* r : rows) {
      out += fmt::format("{} {}  {:>5}", fit(r->id.empty() ? "-" : r->id, 12),
                         fit(group_name(m, *r), 24), r->employees);
      for (const auto& cr : r->criteria) out += fmt::format(" {:>7}", share_text(cr));
      out += "\n";
    }
  }
  if (o.missing) {
    out += "\nWho is missing what (the organization)\n";
    for (const auto& cr : p.organization.criteria) {
      if (!cr.applies) continue;
      std::string names;
      for (const auto& id : cr.missing) names += (names.empty() ? "" : ", ") + id;
      out += fmt::format("  {:<16} {:>4}  ", to_string(cr.criterion), cr.missing.size());
      std::vector<std::string> lines = wrap(names, text_width - 25);
      for (std::size_t i = 0; i < lines.size(); ++i)
        out += (i ? std::string(25, ' ') : std::string()) + lines[i] + "\n";
      if (lines.empty()) out += "\n";
    }
  }
  fmt::print("{}", out);
}

}  // namespace

void register_participation(CLI::App& app) {
  auto o = std::make_shared<ParticipationCmdOptions>();
  CLI::App* cmd = app.add_subcommand(
      "participation",
      "Who takes part: objectives, alignment, check-ins, self-assessments, feedback, reviews");
  add_path_argument(*cmd, "FILE", o->file, "The organization's JSON file");
  add_actuals_option(*cmd, o->actuals, "Merge this CSV of actuals in first");
  add_threads_option(*cmd, o->threads);
  cmd->add_option("--cycle", o->cycle, "A review cycle's id (default: the only one)");
  cmd->add_option("--period", o->period,
                  "Instead of a cycle: a period YYYY-MM, YYYY-Qn or YYYY (no review criteria)");
  cmd->add_option("--as-of", o->as_of,
                  "The day counted as today, YYYY-MM-DD (default: the organization's data_as_of)");
  cmd->add_option("--cadence", o->cadence, "With --period: days within which a check-in is recent")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--by", o->by, "Groups: organization, division, unit, team, manager")
      ->check(CLI::IsMember({"organization", "division", "unit", "team", "manager"}))
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_flag("--missing", o->missing, "List who is missing each criterion");
  add_format_option(*cmd, o->format);
  cmd->footer(
      "Shares are of the employees in the cycle (or employed in the period) and still employed\n"
      "on the as-of date. A unit counts its sub-units' people; a manager their direct reports.\n"
      "Enough feedback: at least one rater group other than self at its anonymity threshold.\n"
      "Exit status: 0 success, 1 a file that cannot be used, 2 a bad command line.");
  cmd->callback([o] { run_participation(*o); });
}

}  // namespace spm::cli
