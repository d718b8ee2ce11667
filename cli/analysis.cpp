// analysis.cpp - shared helpers of the analysis subcommands (see analysis.hpp).
#include "analysis.hpp"

#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "common.hpp"
#include "spm/rules.hpp"
#include "spm/validate.hpp"

namespace spm::cli {

Compiled load_and_compile(const std::string& json_path, const std::string& actuals_csv,
                          int threads) {
  Model model = load_model(json_path, actuals_csv);
  ValidateOptions validate_options;  // resolves the references that compile reads
  validate_options.threads = threads;
  std::vector<Issue> errors = validate(model, validate_options);
  std::erase_if(errors, [](const Issue& i) { return i.severity != Severity::error; });
  if (!errors.empty())
    throw Failure(fmt::format("'{}' has {}; 'spm validate' lists them", json_path,
                              count_noun(errors.size(), "error", "errors")),
                  std::move(errors));
  try {
    CompileOptions options;
    options.threads = threads;
    Cascade cascade = Cascade::compile(model, options);
    return Compiled{std::move(model), std::move(cascade)};
  } catch (const Error& e) {
    fail_with(e, json_path, "compile the cascade of");
  }
}

Ref resolve_node(const Model& model, std::string_view spec) {
  static constexpr EntityKind node_kinds[] = {EntityKind::objective, EntityKind::action,
                                              EntityKind::milestone, EntityKind::strategy,
                                              EntityKind::goal};
  if (const auto colon = spec.find(':'); colon != std::string_view::npos) {
    const auto kind = parse_entity_kind(spec.substr(0, colon));
    const std::string id(spec.substr(colon + 1));
    if (!kind)
      throw UsageError(
          fmt::format("'{}' is not a kind of entity (use goal, strategy, milestone, "
                      "action or objective)",
                      spec.substr(0, colon)));
    if (!model.contains(*kind, id))
      throw Failure(fmt::format("no {} has the id '{}'", to_string(*kind), id));
    return Ref{*kind, id};
  }
  std::vector<EntityKind> found;
  for (EntityKind k : node_kinds)
    if (model.contains(k, spec)) found.push_back(k);
  if (found.empty())
    throw Failure(
        fmt::format("no goal, strategy, milestone, action or objective has the id '{}'", spec));
  if (found.size() > 1) {
    std::string kinds;
    for (EntityKind k : found)
      kinds += fmt::format("{}{}:{}", kinds.empty() ? "" : ", ", to_string(k), spec);
    throw UsageError(fmt::format("'{}' names more than one entity; say which: {}", spec, kinds));
  }
  return Ref{found.front(), std::string(spec)};
}

std::string name_of(const Model& model, const Ref& ref) {
  std::string out;
  switch (ref.kind) {
    case EntityKind::goal:
      if (auto* e = model.find<Goal>(ref.id)) out = e->name;
      break;
    case EntityKind::strategy:
      if (auto* e = model.find<Strategy>(ref.id)) out = e->name;
      break;
    case EntityKind::milestone:
      if (auto* e = model.find<Milestone>(ref.id)) out = e->name;
      break;
    case EntityKind::action:
      if (auto* e = model.find<Action>(ref.id)) out = e->name;
      break;
    case EntityKind::objective:
      if (auto* e = model.find<Objective>(ref.id)) out = e->name;
      break;
    case EntityKind::measure:
      if (auto* e = model.find<Measure>(ref.id)) out = e->name;
      break;
    case EntityKind::employee:
      if (auto* e = model.find<Employee>(ref.id)) out = e->name;
      break;
    case EntityKind::unit:
      if (auto* e = model.find<Unit>(ref.id)) out = e->name;
      break;
    case EntityKind::team:
      if (auto* e = model.find<Team>(ref.id)) out = e->name;
      break;
    default:
      break;
  }
  return out;
}

std::string fit(std::string_view text, std::size_t width) {
  std::string out(text);
  if (display_width(out) > width) {
    while (!out.empty() && display_width(out) + 3 > width) {
      out.pop_back();
      while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80)
        out.pop_back();  // never cut a UTF-8 sequence in half
      if (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0xC0) out.pop_back();
    }
    out += "...";
  }
  return pad(out, width);
}

std::string number(double value, int decimals) {
  if (std::isnan(value)) return "-";
  return fmt::format("{:.{}f}", round_half_away(value, decimals), decimals);
}

}  // namespace spm::cli
