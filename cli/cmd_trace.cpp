// cmd_trace.cpp - `spm trace FILE ID`: the line of sight of one node, every path up to the
// goals, as an indented tree with the normalized weight of each link.
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

struct TraceOptions {
  std::string file;
  std::string node;
  std::string actuals;
  std::string format = "text";
  std::size_t max_paths = 1000;
  int threads = 1;
};

void run_trace(const TraceOptions& options) {
  Compiled c = load_and_compile(options.file, options.actuals, options.threads);
  const Ref ref = resolve_node(c.model, options.node);
  const LineOfSight sight = c.cascade.line_of_sight(ref.kind, ref.id, options.max_paths);

  if (options.format == "json") {
    nlohmann::ordered_json j;
    j["kind"] = to_string(ref.kind);
    j["id"] = ref.id;
    j["name"] = name_of(c.model, ref);
    j["truncated"] = sight.truncated;
    j["paths"] = nlohmann::ordered_json::array();
    for (const auto& p : sight.paths) {
      nlohmann::ordered_json path;
      path["weight"] = p.weight;
      path["nodes"] = nlohmann::ordered_json::array();
      for (std::size_t i = 0; i < p.nodes.size(); ++i) {
        nlohmann::ordered_json n{{"kind", to_string(p.nodes[i].kind)}, {"id", p.nodes[i].id}};
        if (i > 0) n["step"] = p.steps[i - 1];
        path["nodes"].push_back(n);
      }
      j["paths"].push_back(path);
    }
    j["goals"] = nlohmann::ordered_json::array();
    for (const auto& [goal, w] : sight.goals)
      j["goals"].push_back(
          {{"id", goal}, {"name", name_of(c.model, {EntityKind::goal, goal})}, {"weight", w}});
    fmt::print("{}", dump_json(j));
    return;
  }

  std::string out = fmt::format("Line of sight of {} '{}'", to_string(ref.kind), ref.id);
  if (auto name = name_of(c.model, ref); !name.empty()) out += fmt::format(" ({})", name);
  out += "\n";
  if (sight.paths.empty()) {
    out += "  no path to any goal: an orphan\n";
    fmt::print("{}", out);
    return;
  }
  // Paths come depth first, so each shares a prefix with the one before: print each node once
  // per prefix, indented by its depth.
  out += fmt::format("{} {}  {}\n", to_string(ref.kind), ref.id, name_of(c.model, ref));
  const std::vector<Ref>* previous = nullptr;
  for (const auto& p : sight.paths) {
    std::size_t common = 1;
    if (previous)
      while (common < p.nodes.size() && common < previous->size() &&
             p.nodes[common] == (*previous)[common])
        ++common;
    for (std::size_t i = common; i < p.nodes.size(); ++i) {
      out += fmt::format("{}-> x{} {} {}  {}", std::string(2 * i, ' '), number(p.steps[i - 1], 3),
                         to_string(p.nodes[i].kind), p.nodes[i].id, name_of(c.model, p.nodes[i]));
      if (i + 1 == p.nodes.size()) out += fmt::format("   [path {}]", number(p.weight, 4));
      out += "\n";
    }
    previous = &p.nodes;
  }
  out += "\nAttribution to the goals reached (sum of the paths listed)\n";
  for (const auto& [goal, w] : sight.goals)
    out += fmt::format("  {}  {}  {}\n", pad(goal, 8), number(w, 4),
                       name_of(c.model, {EntityKind::goal, goal}));
  out += fmt::format(
      "{} {}{}\n", sight.paths.size(), sight.paths.size() == 1 ? "path" : "paths",
      sight.truncated ? fmt::format(" (stopped at --max-paths {})", options.max_paths) : "");
  fmt::print("{}", out);
}

}  // namespace

void register_trace(CLI::App& app) {
  auto options = std::make_shared<TraceOptions>();
  CLI::App* cmd = app.add_subcommand(
      "trace", "The line of sight of one goal, strategy, milestone, action or objective");
  add_path_argument(*cmd, "FILE", options->file, "The organization's JSON file");
  cmd->add_option("ID", options->node,
                  "The node: an id, or KIND:ID where the id is used by more than one kind")
      ->required();
  add_actuals_option(*cmd, options->actuals, "Merge this CSV of actuals in first");
  add_threads_option(*cmd, options->threads);
  cmd->add_option("--max-paths", options->max_paths,
                  "Stop listing paths after this many (a dense cascade has very many)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10000000}))
      ->capture_default_str();
  add_format_option(*cmd, options->format);
  cmd->footer(
      "Every path from the node up to a goal, as a tree: each link shows its normalized weight\n"
      "(its share of the inputs of the node it leads to), each goal the product along its path.\n"
      "Exit status: 0 success, 1 an unknown id or a file that cannot be used, 2 a bad command\n"
      "line (also an id used by more than one kind without KIND:).");
  cmd->callback([options] { run_trace(*options); });
}

}  // namespace spm::cli
