// cmd_align.cpp - `spm align FILE`: alignment coverage per organization, division, unit, team
// and goal, and the gaps of the cascade: orphans, uncovered goals, strategies without
// milestones, milestones without an owner.
#include <memory>
#include <string>

#include <fmt/core.h>
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "analysis.hpp"
#include "commands.hpp"
#include "common.hpp"

namespace spm::cli {
namespace {

struct AlignOptions {
  std::string file;
  std::string actuals;
  std::string format = "text";
  int threads = 1;
};

std::string percent(double share) {
  return number(share * 100, 1) + (share == share ? "%" : "");
}

nlohmann::ordered_json row_json(const CoverageRow& r) {
  nlohmann::ordered_json j;
  if (!r.id.empty()) j["id"] = r.id;
  j["name"] = r.name;
  j["employees"] = r.employees;
  j["aligned"] = r.aligned;
  j["share"] = r.share;  // NaN (no employees) is written as null
  return j;
}

void append_rows(std::string& out, const char* title, const std::vector<CoverageRow>& rows) {
  if (rows.empty()) return;
  std::size_t w = 4;
  for (const auto& r : rows) w = std::max(w, display_width(r.id));
  out += fmt::format("\n{}\n  {} {}  {:>9}  {:>7}  {:>6}\n", title, pad("id", w), pad("name", 36),
                     "employees", "aligned", "share");
  for (const auto& r : rows)
    out += fmt::format("  {} {}  {:>9}  {:>7}  {:>6}\n", pad(r.id, w), fit(r.name, 36), r.employees,
                       r.aligned, percent(r.share));
}

void run_align(const AlignOptions& options) {
  Compiled c = load_and_compile(options.file, options.actuals, options.threads);
  const CoverageReport cov = c.cascade.coverage();
  const auto orphans = c.cascade.orphans();
  const auto uncovered = c.cascade.uncovered_goals();
  const auto no_milestones = c.cascade.strategies_without_milestones();
  const auto no_owner = c.cascade.milestones_without_owner();

  if (options.format == "json") {
    nlohmann::ordered_json j;
    j["organization"] = row_json(cov.organization);
    j["goal_share"] = cov.goal_share;
    for (auto [key, rows] :
         {std::pair{"divisions", &cov.divisions}, {"units", &cov.units}, {"teams", &cov.teams}}) {
      j[key] = nlohmann::ordered_json::array();
      for (const auto& r : *rows) j[key].push_back(row_json(r));
    }
    j["goals"] = nlohmann::ordered_json::array();
    for (const auto& g : cov.goals)
      j["goals"].push_back({{"id", g.goal},
                            {"name", name_of(c.model, {EntityKind::goal, g.goal})},
                            {"measures", g.measures},
                            {"contributors", g.contributors},
                            {"objectives", g.objectives},
                            {"aligned_employees", g.aligned_employees},
                            {"covered", g.covered}});
    j["orphans"] = nlohmann::ordered_json::array();
    for (const auto& o : orphans)
      j["orphans"].push_back(
          {{"kind", to_string(o.kind)}, {"id", o.id}, {"name", name_of(c.model, o)}});
    j["uncovered_goals"] = uncovered;
    j["strategies_without_milestones"] = no_milestones;
    j["milestones_without_owner"] = no_owner;
    fmt::print("{}", dump_json(j));
    return;
  }

  std::string out = fmt::format("Alignment of {}\n", c.model.info().name);
  out += fmt::format("  employees aligned  {} of {} ({})\n", cov.organization.aligned,
                     cov.organization.employees, percent(cov.organization.share));
  std::size_t covered = 0;
  for (const auto& g : cov.goals) covered += g.covered;
  out += fmt::format("  goals covered      {} of {} ({})\n", covered, cov.goals.size(),
                     percent(cov.goal_share));
  append_rows(out, "Divisions", cov.divisions);
  append_rows(out, "Units (with their sub-units)", cov.units);
  append_rows(out, "Teams", cov.teams);
  if (!cov.goals.empty()) {
    std::size_t w = 4;
    for (const auto& g : cov.goals) w = std::max(w, display_width(g.goal));
    out += fmt::format("\nGoals\n  {} {}  {:>8}  {:>12}  {:>10}  {:>9}\n", pad("id", w),
                       pad("name", 36), "measures", "contributors", "objectives", "employees");
    for (const auto& g : cov.goals)
      out += fmt::format("  {} {}  {:>8}  {:>12}  {:>10}  {:>9}\n", pad(g.goal, w),
                         fit(name_of(c.model, {EntityKind::goal, g.goal}), 36), g.measures,
                         g.contributors, g.objectives, g.aligned_employees);
  }
  out += fmt::format("\nOrphans: no path to any goal ({})\n", orphans.size());
  for (const auto& o : orphans)
    out += fmt::format("  {:<10} {}  {}\n", to_string(o.kind), o.id, name_of(c.model, o));
  auto list = [&](const char* title, const std::vector<std::string>& ids, EntityKind kind) {
    out += fmt::format("\n{} ({})\n", title, ids.size());
    for (const auto& id : ids) out += fmt::format("  {}  {}\n", id, name_of(c.model, {kind, id}));
  };
  list("Uncovered goals: nothing contributes and no measure", uncovered, EntityKind::goal);
  list("Strategies without milestones", no_milestones, EntityKind::strategy);
  list("Milestones without an owner", no_owner, EntityKind::milestone);
  fmt::print("{}", out);
}

}  // namespace

void register_align(CLI::App& app) {
  auto options = std::make_shared<AlignOptions>();
  CLI::App* cmd = app.add_subcommand(
      "align", "Alignment coverage by division, unit, team and goal, and the cascade's gaps");
  add_path_argument(*cmd, "FILE", options->file, "The organization's JSON file");
  add_actuals_option(*cmd, options->actuals, "Merge this CSV of actuals in first");
  add_format_option(*cmd, options->format);
  add_threads_option(*cmd, options->threads);
  cmd->footer(
      "An employee is aligned with at least one objective that reaches a goal. A unit counts\n"
      "the employees of its sub-units too. Orphans are objectives, actions and milestones with\n"
      "no path to any goal.\n"
      "Exit status: 0 success, 1 a file that cannot be loaded or has validation errors,\n"
      "2 a bad command line.");
  cmd->callback([options] { run_align(*options); });
}

}  // namespace spm::cli
