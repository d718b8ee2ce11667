// cmd_score.cpp - `spm score FILE`: the balanced scorecard of one period, by perspective, goal,
// strategy and measure, with status, trend and coverage.
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "analysis.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "spm/scoring.hpp"

namespace spm::cli {
namespace {

struct ScoreCmdOptions {
  std::string file;
  std::string actuals;
  std::string period;
  std::string format = "table";
  std::string scale = "percent";
  int decimals = 1;
  int threads = 1;
};

Scale parse_scale(const std::string& s) {
  for (Scale sc : {Scale::fraction, Scale::percent, Scale::ten_point, Scale::five_point})
    if (s == to_string(sc)) return sc;
  throw UsageError(fmt::format("unknown scale '{}'", s));
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + '"';
}

struct Printer {
  const Model& model;
  const Scorecard& card;
  int col;
  Scale scale;
  int decimals;
  std::string format;
  std::string out;
  nlohmann::ordered_json json;

  std::string shown(double s) const { return number(to_scale(s, scale), decimals); }

  nlohmann::ordered_json result_json(const ScoreResult& r) const {
    nlohmann::ordered_json j;
    j["score"] = r.score;
    j["display"] =
        std::isnan(r.score)
            ? nlohmann::ordered_json(nullptr)
            : nlohmann::ordered_json(round_half_away(to_scale(r.score, scale), decimals));
    j["status"] = to_string(r.status);
    j["reason"] = r.reason.to_string(r.status);
    j["trend"] = to_string(r.trend);
    j["slope"] = r.slope;
    j["coverage"] = r.coverage;
    return j;
  }

  void row(int depth, const char* kind, const std::string& id, const std::string& name,
           const std::string& parent, const ScoreResult& r, double actual = NAN,
           double target = NAN, bool is_measure = false) {
    if (format == "csv") {
      out += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", depth, kind, csv_field(id),
                         csv_field(name), csv_field(parent),
                         std::isnan(r.score) ? "" : fmt::format("{}", r.score), to_string(r.status),
                         to_string(r.trend), fmt::format("{}", r.coverage),
                         std::isnan(actual) ? "" : fmt::format("{}", actual),
                         std::isnan(target) ? "" : fmt::format("{}", target));
      return;
    }
    std::string label = std::string(2 * static_cast<std::size_t>(depth), ' ');
    if (*kind) label += fmt::format("{} {} ", kind, id);
    label += name;
    out += fmt::format("{} {:>7}  {:<7} {:^5} {:>8}", fit(label, 46), shown(r.score),
                       to_string(r.status), arrow(r.trend), number(r.coverage * 100, 0) + "%");
    if (is_measure) out += fmt::format(" {:>10} {:>10}", number(actual, 2), number(target, 2));
    out += "\n";
  }

  nlohmann::ordered_json measures_under(int depth, EntityKind kind, const std::string& id) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Measure& m : model.all<Measure>()) {
      if (m.subject.kind != kind || m.subject.id != id) continue;
      const ScoreResult r = card.measure(m.id, col);
      const double a = card.actual(m.id, col), t = card.target(m.id, col);
      row(depth, "measure", m.id, m.name, id, r, a, t, true);
      auto j = result_json(r);
      j["id"] = m.id;
      j["name"] = m.name;
      j["unit"] = m.unit;
      j["actual"] = a;
      j["target"] = t;
      list.push_back(j);
    }
    return list;
  }

  void run() {
    const ScoreResult org = card.organization(col);
    row(0, "", "", "Organization: " + model.info().name, "", org);
    json["score"] = result_json(org);
    json["perspectives"] = nlohmann::ordered_json::array();
    for (const Perspective& p : model.all<Perspective>()) {
      const ScoreResult pr = card.perspective(p.id, col);
      row(0, "perspective", p.id, p.name, "", pr);
      auto pj = result_json(pr);
      pj["id"] = p.id;
      pj["name"] = p.name;
      pj["goals"] = nlohmann::ordered_json::array();
      for (const Goal& g : model.all<Goal>()) {
        if (g.perspective != p.id) continue;
        const ScoreResult gr = card.node(EntityKind::goal, g.id, col);
        row(1, "goal", g.id, g.name, p.id, gr);
        auto gj = result_json(gr);
        gj["id"] = g.id;
        gj["name"] = g.name;
        gj["measures"] = measures_under(2, EntityKind::goal, g.id);
        gj["strategies"] = nlohmann::ordered_json::array();
        for (const Strategy& s : model.all<Strategy>()) {
          const bool serves = std::any_of(s.contributes_to.begin(), s.contributes_to.end(),
                                          [&](const Contribution& c) {
                                            return c.to.kind == EntityKind::goal && c.to.id == g.id;
                                          });
          if (!serves) continue;
          const ScoreResult sr = card.node(EntityKind::strategy, s.id, col);
          row(2, "strategy", s.id, s.name, g.id, sr);
          auto sj = result_json(sr);
          sj["id"] = s.id;
          sj["name"] = s.name;
          sj["measures"] = measures_under(3, EntityKind::strategy, s.id);
          gj["strategies"].push_back(sj);
        }
        pj["goals"].push_back(gj);
      }
      json["perspectives"].push_back(pj);
    }
  }
};

void run_score(const ScoreCmdOptions& options) {
  const Scale scale = parse_scale(options.scale);
  Compiled c = load_and_compile(options.file, options.actuals, options.threads);
  Span last;
  if (options.period.empty()) {
    const auto latest = last_actual_month(c.model);
    if (!latest)
      throw Failure(
          fmt::format("'{}' has no actuals: give --period to score a period anyway", options.file));
    last = Span::of(*latest);
  } else {
    try {
      last = Span::parse(options.period);
    } catch (const Error& e) {
      throw UsageError(e.what());
    }
  }
  ScoreOptions so;
  so.columns = columns_through(c.model, last);
  so.threads = options.threads;
  Scorecard card = Scorecard::evaluate(c.cascade, so);
  const int col = static_cast<int>(so.columns.size()) - 1;

  Printer p{c.model, card, col, scale, options.decimals, options.format, {}, {}};
  if (options.format == "csv")
    p.out = "depth,kind,id,name,parent,score,status,trend,coverage,actual,target\n";
  else if (options.format == "table")
    p.out = fmt::format(
        "Scorecard of {} for {} (scores in {}, trend over the last {} columns)\n\n{} {:>7}  {:<7} "
        "{:^5} {:>8} {:>10} {:>10}\n",
        c.model.info().name, last.label, to_string(scale), so.trend_periods, pad("", 46), "score",
        "status", "trend", "coverage", "actual", "target");
  p.run();
  if (options.format == "json") {
    nlohmann::ordered_json j;
    j["organization"] = {{"id", c.model.info().id}, {"name", c.model.info().name}};
    j["column"] = last.label;
    j["scale"] = to_string(scale);
    for (auto& [k, v] : p.json.items()) j[k] = v;
    fmt::print("{}", dump_json(j));
  } else {
    fmt::print("{}", p.out);
  }
}

}  // namespace

void register_score(CLI::App& app) {
  auto options = std::make_shared<ScoreCmdOptions>();
  CLI::App* cmd = app.add_subcommand(
      "score", "The balanced scorecard of one period: perspectives, goals, strategies, measures");
  add_path_argument(*cmd, "FILE", options->file, "The organization's JSON file");
  add_actuals_option(*cmd, options->actuals, "Merge this CSV of actuals in before scoring");
  cmd->add_option("--period", options->period,
                  "The period: YYYY-MM, YYYY-Qn, YYYY or YYYY-YTD-MM (default: the last month "
                  "with actuals)");
  cmd->add_option("--format", options->format, "table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  cmd->add_option("--scale", options->scale,
                  "How table and display scores are shown: fraction, percent, ten_point, "
                  "five_point")
      ->check(CLI::IsMember({"fraction", "percent", "ten_point", "five_point"}))
      ->capture_default_str();
  cmd->add_option("--decimals", options->decimals, "Decimals shown (display only)")
      ->check(CLI::Range(0, 6))
      ->capture_default_str();
  add_threads_option(*cmd, options->threads);
  cmd->footer(
      "Scores are 0 at baseline or worse and 1 (100%) at target; status by the organization's\n"
      "bands (or the measure's); trend arrows: ^ up, = flat, v down (blank: too few periods).\n"
      "JSON and CSV give unrounded scores as fractions. docs/scoring.md has every rule.\n"
      "Exit status: 0 success, 1 a file that cannot be loaded, has validation errors or an\n"
      "actual outside its measure's domain, 2 a bad command line.");
  cmd->callback([options] { run_score(*options); });
}

}  // namespace spm::cli
