// cmd_show.cpp - `spm show FILE`: a summary of an organization for a person new to it: identity,
// values, the strategy map (perspectives, goals, cause and effect, strategies), how many of each
// entity, the structure, the span of the actuals and the review cycles. Text or JSON, both from
// the same Summary, in model order, so the output is deterministic.
#include <algorithm>
#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/core.h>
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "common.hpp"
#include "spm/model.hpp"

namespace spm::cli {
namespace {

using Json = nlohmann::ordered_json;

struct ShowOptions {
  std::string file;
  std::string actuals;
  std::string format = "text";
};

// ---- the summary, computed once ------------------------------------------------------------

struct UnitNode {
  const Unit* unit = nullptr;
  std::size_t employees = 0;  ///< employees whose unit is this one
  std::vector<UnitNode> children;
};

struct DivisionNode {
  const Division* division = nullptr;
  std::vector<UnitNode> units;
};

struct ActualSpan {
  std::size_t actuals = 0;
  std::size_t measures = 0;  ///< measures with at least one actual
  std::optional<Period> first, last;
};

struct Summary {
  const Model* model = nullptr;
  std::unordered_map<std::string_view, std::vector<const Goal*>> goals_by_perspective;
  std::vector<const Goal*> goals_without_perspective;  ///< perspective empty or unknown
  std::unordered_map<std::string_view, std::vector<const Strategy*>> strategies_by_goal;
  std::vector<const Strategy*> strategies_without_goal;  ///< contribute to no known goal
  std::vector<DivisionNode> divisions;
  std::vector<UnitNode> other_units;       ///< in no known division
  std::size_t employees_without_unit = 0;  ///< unit empty or unknown
  ActualSpan span;
};

std::size_t total_units(const std::vector<UnitNode>& nodes) {
  std::size_t n = nodes.size();
  for (const UnitNode& node : nodes) n += total_units(node.children);
  return n;
}

std::size_t total_employees(const std::vector<UnitNode>& nodes) {
  std::size_t n = 0;
  for (const UnitNode& node : nodes) n += node.employees + total_employees(node.children);
  return n;
}

/// Units form a tree under their parent unit (when it exists), else under their division. A
/// unit on a parent cycle (an error that validate reports) is shown with the units outside any
/// division, so that every unit is shown exactly once.
void build_structure(const Model& model, Summary& summary) {
  std::unordered_map<std::string_view, std::size_t> employees_in;
  for (const Employee& e : model.all<Employee>()) {
    if (model.find<Unit>(e.unit) != nullptr)
      ++employees_in[e.unit];
    else
      ++summary.employees_without_unit;
  }

  std::unordered_map<std::string_view, std::vector<const Unit*>> children;
  std::vector<const Unit*> roots;
  for (const Unit& u : model.all<Unit>()) {
    if (!u.parent.empty() && u.parent != u.id && model.find<Unit>(u.parent) != nullptr)
      children[u.parent].push_back(&u);
    else
      roots.push_back(&u);
  }

  std::unordered_set<const Unit*> placed;
  auto make_node = [&](auto& self, const Unit* unit) -> UnitNode {
    placed.insert(unit);
    UnitNode node;
    node.unit = unit;
    auto it = employees_in.find(unit->id);
    node.employees = it == employees_in.end() ? 0 : it->second;
    auto kids = children.find(unit->id);
    if (kids != children.end())
      for (const Unit* child : kids->second)
        if (placed.count(child) == 0) node.children.push_back(self(self, child));
    return node;
  };

  std::unordered_map<std::string_view, std::size_t> division_index;
  for (const Division& d : model.all<Division>()) {
    division_index.emplace(d.id, summary.divisions.size());
    summary.divisions.push_back(DivisionNode{&d, {}});
  }
  for (const Unit* unit : roots) {
    UnitNode node = make_node(make_node, unit);
    auto it = division_index.find(unit->division);
    if (it != division_index.end())
      summary.divisions[it->second].units.push_back(std::move(node));
    else
      summary.other_units.push_back(std::move(node));
  }
  for (const Unit& u : model.all<Unit>())
    if (placed.count(&u) == 0) summary.other_units.push_back(make_node(make_node, &u));
}

Summary summarize(const Model& model) {
  Summary s;
  s.model = &model;

  for (const Goal& g : model.all<Goal>()) {
    if (model.find<Perspective>(g.perspective) != nullptr)
      s.goals_by_perspective[g.perspective].push_back(&g);
    else
      s.goals_without_perspective.push_back(&g);
  }

  for (const Strategy& st : model.all<Strategy>()) {
    bool linked = false;
    std::set<std::string_view> seen;  // a goal named twice lists the strategy once
    for (const Contribution& c : st.contributes_to) {
      if (c.to.kind != EntityKind::goal || model.find<Goal>(c.to.id) == nullptr) continue;
      linked = true;
      if (seen.insert(c.to.id).second) s.strategies_by_goal[c.to.id].push_back(&st);
    }
    if (!linked) s.strategies_without_goal.push_back(&st);
  }

  build_structure(model, s);

  for (const Measure& m : model.all<Measure>()) {
    if (m.actuals.empty()) continue;
    ++s.span.measures;
    s.span.actuals += m.actuals.size();
    for (const Actual& a : m.actuals) {
      if (!s.span.first || a.period < *s.span.first) s.span.first = a.period;
      if (!s.span.last || *s.span.last < a.period) s.span.last = a.period;
    }
  }
  return s;
}

template <class T>
std::span<const T> all(const Summary& s) {
  return s.model->all<T>();
}

template <class T>
const std::vector<const T*>& lookup(
    const std::unordered_map<std::string_view, std::vector<const T*>>& map, std::string_view key) {
  static const std::vector<const T*> none;
  auto it = map.find(key);
  return it == map.end() ? none : it->second;
}

/// "C1 (Safe streets)", or "C9 (unknown goal)" for a dangling reference.
std::string goal_label(const Model& model, std::string_view id) {
  const Goal* g = model.find<Goal>(id);
  return fmt::format("{} ({})", id, g != nullptr ? g->name : std::string("unknown goal"));
}

// ---- text ------------------------------------------------------------------------------------

class TextReport {
 public:
  explicit TextReport(const Summary& s) : s_(s), model_(*s.model) {}

  std::string render() {
    header();
    values();
    strategy_map();
    counts();
    structure();
    actuals();
    review_cycles();
    return out_;
  }

 private:
  void section(std::string_view title) {
    out_ += '\n';
    out_ += title;
    out_ += '\n';
  }

  void header() {
    const OrganizationInfo& info = model_.info();
    std::string name = info.name.empty() ? std::string("(unnamed organization)") : info.name;
    if (!info.id.empty()) name += fmt::format(" [{}]", info.id);
    append_labeled(out_, 0, "Organization", 12, name);
    if (!info.vision.empty()) append_labeled(out_, 0, "Vision", 12, info.vision);
    if (!info.mission.empty()) append_labeled(out_, 0, "Mission", 12, info.mission);
  }

  void values() {
    auto values = all<Value>(s_);
    if (values.empty()) return;
    section("Values");
    std::size_t width = 0;
    for (const Value& v : values) width = std::max(width, display_width(value_name(v)));
    width = std::min<std::size_t>(width, 24);
    for (const Value& v : values) append_labeled(out_, 2, value_name(v), width, v.description);
  }

  static std::string value_name(const Value& v) { return v.name.empty() ? v.id : v.name; }

  void strategy_map() {
    section("Perspectives and goals");
    std::size_t id_width = 0;
    for (const Goal& g : all<Goal>(s_)) id_width = std::max(id_width, display_width(g.id));
    id_width = std::min<std::size_t>(id_width, 12);

    auto perspectives = all<Perspective>(s_);
    if (perspectives.empty() && s_.goals_without_perspective.empty()) out_ += "  (none)\n";
    for (const Perspective& p : perspectives) {
      out_ += fmt::format("  {} [{}]\n", p.name.empty() ? p.id : p.name, p.id);
      const auto& goals = lookup(s_.goals_by_perspective, p.id);
      if (goals.empty()) out_ += "    (no goals)\n";
      for (const Goal* g : goals) goal(*g, id_width);
    }
    if (!s_.goals_without_perspective.empty()) {
      out_ += "  Goals without a known perspective\n";
      for (const Goal* g : s_.goals_without_perspective) goal(*g, id_width);
    }
    if (!s_.strategies_without_goal.empty()) {
      out_ += "  Strategies not linked to a goal\n";
      for (const Strategy* st : s_.strategies_without_goal) strategy(*st, 4);
    }
  }

  void goal(const Goal& g, std::size_t id_width) {
    append_labeled(out_, 4, g.id, id_width, g.name);
    std::size_t indent = 4 + id_width + 2;
    if (!g.drives.empty()) {
      std::vector<std::string> driven;
      for (const std::string& id : g.drives) driven.push_back(goal_label(model_, id));
      append_labeled(out_, indent, "drives", 8, fmt::format("{}", fmt::join(driven, ", ")));
    }
    for (const Strategy* st : lookup(s_.strategies_by_goal, g.id)) strategy(*st, indent);
  }

  void strategy(const Strategy& st, std::size_t indent) {
    // A strategy serving several goals shows its theory of action the first time only.
    bool first = shown_strategies_.insert(&st).second;
    append_labeled(out_, indent, "strategy", 8,
                   fmt::format("{} {}{}", st.id, st.name, first ? "" : " (see above)"));
    if (!first) return;
    std::size_t inner = indent + 2;
    if (!st.if_part.empty()) append_labeled(out_, inner, "if", 4, st.if_part);
    for (std::size_t i = 0; i < st.then_parts.size(); ++i)
      append_labeled(out_, inner, i == 0 ? "then" : "", 4, st.then_parts[i]);
  }

  void counts() {
    section("Counts");
    std::vector<std::pair<std::string_view, std::size_t>> rows;
    std::size_t label_width = 0, number_width = 0;
    for (int k = 0; k < entity_kind_count; ++k) {
      auto kind = static_cast<EntityKind>(k);
      std::size_t n = model_.count(kind);
      if (n == 0) continue;
      std::string_view name = plural_name(kind);
      rows.emplace_back(name, n);
      label_width = std::max(label_width, name.size());
      number_width = std::max(number_width, fmt::formatted_size("{}", n));
    }
    if (rows.empty()) out_ += "  (empty)\n";
    for (const auto& [name, n] : rows)
      out_ += fmt::format("  {:<{}}  {:>{}}\n", name, label_width, n, number_width);
  }

  void structure() {
    bool any = !s_.divisions.empty() || !s_.other_units.empty() || s_.employees_without_unit > 0 ||
               !all<Team>(s_).empty();
    if (!any) return;
    section("Structure");
    for (const DivisionNode& d : s_.divisions) {
      std::vector<std::string> facts;
      if (const Function* f = model_.find<Function>(d.division->function))
        facts.push_back(fmt::format("function: {}", f->name.empty() ? f->id : f->name));
      facts.push_back(count_noun(total_units(d.units), "unit", "units"));
      facts.push_back(count_noun(total_employees(d.units), "employee", "employees"));
      append_labeled(
          out_, 2, "division", 8,
          fmt::format("{} {} ({})", d.division->id, d.division->name, fmt::join(facts, ", ")));
      for (const UnitNode& u : d.units) unit(u, 4, d.division->function);
    }
    if (!s_.other_units.empty()) {
      out_ += s_.divisions.empty() ? "  Units\n" : "  Units outside any division\n";
      for (const UnitNode& u : s_.other_units) unit(u, 4, {});
    }
    if (s_.employees_without_unit > 0)
      out_ += fmt::format("  Employees in no known unit: {}\n", s_.employees_without_unit);
    for (const Team& t : all<Team>(s_)) {
      std::vector<std::string> facts;
      if (!t.milestone.empty()) facts.push_back(fmt::format("milestone {}", t.milestone));
      if (!t.lead.empty()) facts.push_back(fmt::format("lead {}", t.lead));
      facts.push_back(count_noun(t.members.size(), "member", "members"));
      if (!t.units.empty()) facts.push_back(fmt::format("units {}", fmt::join(t.units, ", ")));
      append_labeled(out_, 2, "team", 8,
                     fmt::format("{} {} ({})", t.id, t.name, fmt::join(facts, ", ")));
    }
  }

  /// `inherited`: the function of the division or unit above, which need not be repeated.
  void unit(const UnitNode& node, std::size_t indent, std::string_view inherited) {
    std::vector<std::string> facts;
    const Function* f = model_.find<Function>(node.unit->function);
    if (f != nullptr && f->id != inherited)
      facts.push_back(fmt::format("function: {}", f->name.empty() ? f->id : f->name));
    facts.push_back(count_noun(node.employees, "employee", "employees"));
    append_labeled(
        out_, indent, "unit", 4,
        fmt::format("{} {} ({})", node.unit->id, node.unit->name, fmt::join(facts, ", ")));
    std::string_view function = f != nullptr ? std::string_view(f->id) : inherited;
    for (const UnitNode& child : node.children) unit(child, indent + 2, function);
  }

  void actuals() {
    section("Actuals");
    if (s_.span.actuals == 0) {
      out_ += "  none\n";
      return;
    }
    out_ += fmt::format("  {} to {}: {} on {}\n", s_.span.first->to_string(),
                        s_.span.last->to_string(), count_noun(s_.span.actuals, "actual", "actuals"),
                        count_noun(s_.span.measures, "measure", "measures"));
  }

  void review_cycles() {
    auto cycles = all<ReviewCycle>(s_);
    if (cycles.empty()) return;
    section("Review cycles");
    for (const ReviewCycle& c : cycles) {
      std::vector<std::string> facts;
      facts.push_back(fmt::format("{} to {}", c.first.to_string(), c.last.to_string()));
      facts.push_back(c.employees.empty()
                          ? std::string("all employees")
                          : count_noun(c.employees.size(), "employee", "employees"));
      if (c.check_in_cadence_days > 0)
        facts.push_back(fmt::format("check-ins every {} days", c.check_in_cadence_days));
      append_labeled(out_, 2, "", 0,
                     fmt::format("{} {} ({})", c.id, c.name, fmt::join(facts, ", ")));
    }
  }

  const Summary& s_;
  const Model& model_;
  std::string out_;
  std::unordered_set<const Strategy*> shown_strategies_;
};

// ---- JSON ------------------------------------------------------------------------------------

Json strategy_json(const Strategy& st) {
  Json j;
  j["id"] = st.id;
  j["name"] = st.name;
  j["if"] = st.if_part;
  j["then"] = st.then_parts;
  return j;
}

Json goal_json(const Summary& s, const Goal& g) {
  Json j;
  j["id"] = g.id;
  j["name"] = g.name;
  j["drives"] = g.drives;
  Json strategies = Json::array();
  for (const Strategy* st : lookup(s.strategies_by_goal, g.id))
    strategies.push_back(strategy_json(*st));
  j["strategies"] = std::move(strategies);
  return j;
}

Json unit_json(const UnitNode& node) {
  Json j;
  j["id"] = node.unit->id;
  j["name"] = node.unit->name;
  j["function"] = node.unit->function;
  j["employees"] = node.employees;
  Json children = Json::array();
  for (const UnitNode& child : node.children) children.push_back(unit_json(child));
  j["units"] = std::move(children);
  return j;
}

Json units_json(const std::vector<UnitNode>& nodes) {
  Json array = Json::array();
  for (const UnitNode& node : nodes) array.push_back(unit_json(node));
  return array;
}

Json summary_json(const Summary& s) {
  const Model& model = *s.model;
  Json j;
  const OrganizationInfo& info = model.info();
  j["organization"] = {
      {"id", info.id}, {"name", info.name}, {"vision", info.vision}, {"mission", info.mission}};

  Json values = Json::array();
  for (const Value& v : model.all<Value>())
    values.push_back({{"id", v.id}, {"name", v.name}, {"description", v.description}});
  j["values"] = std::move(values);

  Json perspectives = Json::array();
  for (const Perspective& p : model.all<Perspective>()) {
    Json goals = Json::array();
    for (const Goal* g : lookup(s.goals_by_perspective, p.id)) goals.push_back(goal_json(s, *g));
    perspectives.push_back({{"id", p.id}, {"name", p.name}, {"goals", std::move(goals)}});
  }
  j["perspectives"] = std::move(perspectives);
  Json loose_goals = Json::array();
  for (const Goal* g : s.goals_without_perspective) loose_goals.push_back(goal_json(s, *g));
  j["goals_without_perspective"] = std::move(loose_goals);
  Json loose_strategies = Json::array();
  for (const Strategy* st : s.strategies_without_goal)
    loose_strategies.push_back(strategy_json(*st));
  j["strategies_without_goal"] = std::move(loose_strategies);

  Json counts = Json::object();
  for (int k = 0; k < entity_kind_count; ++k) {
    auto kind = static_cast<EntityKind>(k);
    if (std::size_t n = model.count(kind); n > 0) counts[plural_name(kind)] = n;
  }
  j["counts"] = std::move(counts);

  Json divisions = Json::array();
  for (const DivisionNode& d : s.divisions) {
    Json dj;
    dj["id"] = d.division->id;
    dj["name"] = d.division->name;
    dj["function"] = d.division->function;
    dj["unit_count"] = total_units(d.units);
    dj["employees"] = total_employees(d.units);
    dj["units"] = units_json(d.units);
    divisions.push_back(std::move(dj));
  }
  Json teams = Json::array();
  for (const Team& t : model.all<Team>()) {
    Json tj;
    tj["id"] = t.id;
    tj["name"] = t.name;
    tj["milestone"] = t.milestone;
    tj["lead"] = t.lead;
    tj["members"] = t.members.size();
    tj["units"] = t.units;
    teams.push_back(std::move(tj));
  }
  j["structure"] = {{"divisions", std::move(divisions)},
                    {"units_outside_divisions", units_json(s.other_units)},
                    {"employees_without_unit", s.employees_without_unit},
                    {"teams", std::move(teams)}};

  Json span;
  span["count"] = s.span.actuals;
  span["measures"] = s.span.measures;
  span["first"] = s.span.first ? Json(s.span.first->to_string()) : Json(nullptr);
  span["last"] = s.span.last ? Json(s.span.last->to_string()) : Json(nullptr);
  j["actuals"] = std::move(span);

  Json cycles = Json::array();
  for (const ReviewCycle& c : model.all<ReviewCycle>()) {
    Json cj;
    cj["id"] = c.id;
    cj["name"] = c.name;
    cj["first"] = c.first.to_string();
    cj["last"] = c.last.to_string();
    cj["all_employees"] = c.employees.empty();
    cj["employees"] = c.employees.size();
    cj["check_in_cadence_days"] = c.check_in_cadence_days;
    cycles.push_back(std::move(cj));
  }
  j["review_cycles"] = std::move(cycles);
  return j;
}

void run_show(const ShowOptions& options) {
  Model model = load_model(options.file, options.actuals);
  Summary summary = summarize(model);
  if (options.format == "json")
    fmt::print("{}", dump_json(summary_json(summary)));
  else
    fmt::print("{}", TextReport(summary).render());
}

}  // namespace

void register_show(CLI::App& app) {
  auto options = std::make_shared<ShowOptions>();
  CLI::App* cmd = app.add_subcommand(
      "show", "Summarize an organization: vision, values, strategy map, structure, actuals");
  add_path_argument(*cmd, "FILE", options->file, "The organization's JSON file");
  add_actuals_option(*cmd, options->actuals, "Merge this CSV of actuals in before summarizing");
  add_format_option(*cmd, options->format);
  cmd->footer(
      "Does not check references between entities: run 'spm validate' for that.\n"
      "Exit status: 0 success, 1 the file cannot be loaded, 2 a bad command line.");
  cmd->callback([options] { run_show(*options); });
}

}  // namespace spm::cli
