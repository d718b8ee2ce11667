// cmd_explain.cpp - `spm explain FILE ID --period P`: how one node's (or measure's) score in one
// period came about: every input's score, normalized weight and contribution in points.
#include <memory>
#include <string>

#include <fmt/core.h>
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "analysis.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "spm/scoring.hpp"

namespace spm::cli {
namespace {

struct ExplainOptions {
  std::string file;
  std::string node;
  std::string actuals;
  std::string period;
  std::string format = "text";
  int threads = 1;
};

void run_explain(const ExplainOptions& options) {
  Span span;
  try {
    span = Span::parse(options.period);
  } catch (const Error& e) {
    throw UsageError(e.what());
  }
  Compiled c = load_and_compile(options.file, options.actuals, options.threads);
  // A measure, or a cascade node.
  const bool measure_spec = options.node.rfind("measure:", 0) == 0;
  const std::string measure_id = measure_spec ? options.node.substr(8) : options.node;
  const bool is_measure = measure_spec || (c.model.contains(EntityKind::measure, measure_id) &&
                                           !c.model.contains(EntityKind::goal, measure_id) &&
                                           !c.model.contains(EntityKind::strategy, measure_id) &&
                                           !c.model.contains(EntityKind::milestone, measure_id) &&
                                           !c.model.contains(EntityKind::action, measure_id) &&
                                           !c.model.contains(EntityKind::objective, measure_id));
  ScoreOptions so;
  so.columns = {span};
  so.threads = options.threads;
  Scorecard card = Scorecard::evaluate(c.cascade, so);

  if (is_measure) {
    const Measure* m = c.model.find<Measure>(measure_id);
    if (!m) throw Failure(fmt::format("no measure has the id '{}'", measure_id));
    const ScoreResult r = card.measure(m->id, 0);
    const double a = card.actual(m->id, 0), t = card.target(m->id, 0);
    if (options.format == "json") {
      nlohmann::ordered_json j{{"kind", "measure"},
                               {"id", m->id},
                               {"name", m->name},
                               {"column", span.label},
                               {"method", to_string(m->method)},
                               {"polarity", to_string(m->polarity)},
                               {"aggregation", to_string(m->aggregation)},
                               {"actual", a},
                               {"target", t},
                               {"baseline", m->baseline ? *m->baseline : NAN},
                               {"score", r.score},
                               {"status", to_string(r.status)},
                               {"reason", r.reason.to_string(r.status)}};
      fmt::print("{}", dump_json(j));
      return;
    }
    fmt::print(
        "measure '{}' in {}: {}\n  method {}, polarity {}, {} over the period\n  actual {}, "
        "target {}, baseline {}\n  score {}  {}\n",
        m->id, span.label, m->name, to_string(m->method), to_string(m->polarity),
        to_string(m->aggregation), number(a, 4), number(t, 4),
        m->baseline ? number(*m->baseline, 4) : std::string("-"), number(r.score, 4),
        r.reason.to_string(r.status));
    return;
  }

  const Ref ref = resolve_node(c.model, options.node);
  const Explanation ex = card.explain(ref.kind, ref.id, 0);
  if (options.format == "json") {
    nlohmann::ordered_json j{{"kind", to_string(ref.kind)},
                             {"id", ref.id},
                             {"name", name_of(c.model, ref)},
                             {"column", ex.column},
                             {"score", ex.score},
                             {"coverage", ex.coverage},
                             {"rollup", to_string(ex.rollup)},
                             {"missing", to_string(ex.missing)}};
    j["inputs"] = nlohmann::ordered_json::array();
    for (const auto& in : ex.inputs)
      j["inputs"].push_back({{"kind", to_string(in.input.kind)},
                             {"id", in.input.id},
                             {"name", name_of(c.model, in.input)},
                             {"score", in.score},
                             {"carried", in.carried},
                             {"weight", in.weight},
                             {"normalized", in.normalized},
                             {"contribution", in.contribution}});
    fmt::print("{}", dump_json(j));
    return;
  }
  fmt::print("{}", ex.text());
}

}  // namespace

void register_explain(CLI::App& app) {
  auto options = std::make_shared<ExplainOptions>();
  CLI::App* cmd = app.add_subcommand(
      "explain", "How one goal's, strategy's, objective's or measure's score came about");
  add_path_argument(*cmd, "FILE", options->file, "The organization's JSON file");
  cmd->add_option(
         "ID", options->node,
         "The node or measure: an id, or KIND:ID where the id is used by more than one kind")
      ->required();
  cmd->add_option("--period", options->period, "The period: YYYY-MM, YYYY-Qn, YYYY or YYYY-YTD-MM")
      ->required();
  add_actuals_option(*cmd, options->actuals, "Merge this CSV of actuals in before scoring");
  add_format_option(*cmd, options->format);
  add_threads_option(*cmd, options->threads);
  cmd->footer(
      "For a node: each input (its measures, then what contributes to it) with its score,\n"
      "weight, share of the inputs counted and contribution in points. For a measure: the\n"
      "actual and target of the period, the method and the status with its rule.\n"
      "Exit status: 0 success, 1 an unknown id or a file that cannot be used, 2 a bad command\n"
      "line.");
  cmd->callback([options] { run_explain(*options); });
}

}  // namespace spm::cli
