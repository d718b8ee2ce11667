// spm_bench.cpp - the Google Benchmark suite of spm over organization sizes (docs/performance.md).
//
// Sizes come from the environment: SPM_BENCH_SIZES, a comma-separated list of employee counts
// (default "1000,10000"). Every organization is generated once per process (spm::generate, seed
// 1) and shared by the benchmarks of its size. bench/run.sh runs one process per size, so that
// the peak memory of each size is its own.
//
// Benchmarks, each reporting items per second (nodes, or bytes for file input and output):
//   load       JSON text -> validated model (load_json + validate), bytes of JSON per second
//   save       model -> compact JSON text
//   validate   validate(model)
//   compile    Cascade::compile of the model as it is (its references resolved by the
//              footprint's validate; compile_2threads: on two threads); compile_edit: Model::update
//              of one objective, then Cascade::compile (what a host does after an edit)
//   align      orphans, uncovered goals and coverage of every unit
//   score      Scorecard::evaluate: every measure and node in all 12 months (and
//              score_2threads: on two threads)
//   update     Model::set_actual of one actual + Scorecard::update, averaged over many measures
//   whatif     Scorecard::evaluate with one hypothetical actual
//   attrib     Cascade::attribution_to one goal
//   footprint  bytes allocated by the compiled cascade and the scorecard, per node; apart, the
//              references the model resolved for compile and the memory it keeps for the next
//              compiles; the times of the model's first validate, which resolves its
//              references, and of its first compile and first evaluation after it
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "spm/cascade.hpp"
#include "spm/generate.hpp"
#include "spm/io.hpp"
#include "spm/scoring.hpp"
#include "spm/validate.hpp"

namespace {

std::vector<std::int64_t> sizes() {
  const char* env = std::getenv("SPM_BENCH_SIZES");
  std::string text = env && *env ? env : "1000,10000";
  std::vector<std::int64_t> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(std::stoll(item));
  return out;
}

/// One generated organization and what is computed from it, built on first use.
struct Org {
  spm::Model model;
  std::size_t employees = 0;
  std::string json;  // compact, built on demand
  std::unique_ptr<spm::Cascade> cascade;
  std::unique_ptr<spm::Scorecard> card;

  const std::string& text() {
    if (json.empty()) json = spm::save_json(model, spm::SaveOptions{false});
    return json;
  }
  const spm::Cascade& compiled() {
    if (!cascade || !cascade->is_current())
      cascade = std::make_unique<spm::Cascade>(spm::Cascade::compile(model));
    return *cascade;
  }
  spm::Scorecard& scored() {
    if (!card || !card->is_current())
      card = std::make_unique<spm::Scorecard>(spm::Scorecard::evaluate(compiled()));
    return *card;
  }
  std::size_t nodes() {
    if (node_count == 0) node_count = compiled().node_count();
    return node_count;  // edits of the benchmarks change weights and actuals, not nodes
  }
  /// Frees the model and what was computed from it, keeping the text, for the load benchmark:
  /// a process that loads a file holds no other model (and on virtual machines that supply
  /// memory not recently freed slowly, a second model beside it would time the host instead
  /// of the load). org() makes the model again, the same, for the next benchmark.
  void drop_model() {
    card.reset();
    cascade.reset();
    model = spm::Model();
    dropped = true;
  }

  std::size_t node_count = 0;
  bool dropped = false;
};

spm::Model generated(std::int64_t employees) {
  spm::GenerateOptions options;
  options.employees = static_cast<std::uint64_t>(employees);
  options.seed = 1;
  return spm::generate(options);
}

Org& org(std::int64_t employees) {
  static std::map<std::int64_t, std::unique_ptr<Org>> cache;
  auto& slot = cache[employees];
  if (!slot) {
    // Keep one size at a time: the largest organizations take gigabytes.
    for (auto& [n, o] : cache)
      if (n != employees) o.reset();
    slot = std::make_unique<Org>();
    slot->model = generated(employees);
    slot->employees = static_cast<std::size_t>(employees);
  } else if (slot->dropped) {
    // As the footprint benchmark left it: compiled once, its references resolved.
    slot->model = generated(employees);
    slot->dropped = false;
    slot->compiled();
  }
  return *slot;
}

/// One evaluation before the timed ones, timed alone. The first evaluation of a model maps
/// fresh pages for its score arrays (the system clears each first; BM_footprint, which runs
/// first, reports it as `cold_s`); later ones, of any cascade of the model, reuse the arrays
/// that scorecards gone gave back to the model (detail::BufferPool) when the model keeps some.
/// The timed loop measures the steady state of a host that scores again and again; `first_s`
/// reports the first evaluation of this cascade.
template <class F>
void warm_up(benchmark::State& state, F&& evaluate) {
  const auto t0 = std::chrono::steady_clock::now();
  evaluate();
  state.counters["first_s"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::size_t allocated_bytes() {
  const struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

void finish(benchmark::State& state, std::size_t items_per_iteration) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(items_per_iteration));
  state.SetComplexityN(state.range(0));
}

void BM_load(benchmark::State& state) {
  Org& o = org(state.range(0));
  const std::string& text = o.text();
  const std::size_t nodes = o.nodes();
  o.drop_model();
  for (auto _ : state) {
    spm::Model m = spm::load_json(text);
    auto issues = spm::validate(m);
    if (!spm::is_valid(issues)) state.SkipWithError("invalid model");
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
  finish(state, nodes);
}

void BM_save(benchmark::State& state) {
  Org& o = org(state.range(0));
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string text = spm::save_json(o.model, spm::SaveOptions{false});
    bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(bytes));
  finish(state, o.nodes());
}

void BM_validate(benchmark::State& state) {
  Org& o = org(state.range(0));
  for (auto _ : state) {
    auto issues = spm::validate(o.model);
    benchmark::DoNotOptimize(issues.data());
  }
  finish(state, o.nodes());
}

void BM_compile(benchmark::State& state) {
  Org& o = org(state.range(0));
  for (auto _ : state) {
    auto c = spm::Cascade::compile(o.model);
    benchmark::DoNotOptimize(c);
  }
  finish(state, o.nodes());
}

void BM_compile_2threads(benchmark::State& state) {
  Org& o = org(state.range(0));
  spm::CompileOptions options;
  options.threads = 2;
  for (auto _ : state) {
    auto c = spm::Cascade::compile(o.model, options);
    benchmark::DoNotOptimize(c);
  }
  finish(state, o.nodes());
}
// The host's flow after an edit: one objective's link weight changed (Model::update), then a
// new cascade. The objectives edited are spread over the model; the weights alternate, so
// that every iteration is an edit.
void BM_compile_edit(benchmark::State& state) {
  Org& o = org(state.range(0));
  const auto objectives = o.model.all<spm::Objective>();
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < objectives.size() && ids.size() < 64; i += objectives.size() / 64 + 1)
    if (!objectives[i].contributes_to.empty()) ids.push_back(objectives[i].id);
  std::size_t k = 0;
  for (auto _ : state) {
    spm::Objective edited = o.model.get<spm::Objective>(ids[k % ids.size()]);
    edited.contributes_to.front().weight = (k / ids.size()) % 2 == 0 ? 1.5 : 0.75;
    o.model.update(std::move(edited));
    auto c = spm::Cascade::compile(o.model);
    benchmark::DoNotOptimize(c);
    ++k;
  }
  finish(state, o.nodes());
}

void BM_align(benchmark::State& state) {
  Org& o = org(state.range(0));
  const spm::Cascade& c = o.compiled();
  for (auto _ : state) {
    auto orphans = c.orphans();
    auto uncovered = c.uncovered_goals();
    auto coverage = c.coverage();
    benchmark::DoNotOptimize(orphans.data());
    benchmark::DoNotOptimize(uncovered.data());
    benchmark::DoNotOptimize(coverage.units.data());
  }
  finish(state, o.nodes());
}

void BM_score(benchmark::State& state) {
  Org& o = org(state.range(0));
  const spm::Cascade& c = o.compiled();
  // (The columns are counted here rather than from a scorecard kept by `o`, which would hold
  // score arrays that the next run of this benchmark's first evaluation then could not reuse.)
  std::size_t columns = 0;
  warm_up(state, [&] {
    const auto card = spm::Scorecard::evaluate(c);
    columns = card.columns().size();
    benchmark::DoNotOptimize(card.node_scores().data());
  });
  for (auto _ : state) {
    auto card = spm::Scorecard::evaluate(c);
    benchmark::DoNotOptimize(card.node_scores().data());
  }
  finish(state, o.nodes());
  // The bytes a roll-up must touch: every score (measures and nodes, every period) written once
  // and read once, every input link (a 4-byte row and an 8-byte weight) read once.
  const double P = static_cast<double>(columns);
  const double N = static_cast<double>(c.node_count());
  const double M = static_cast<double>(o.model.count(spm::EntityKind::measure));
  const double inputs = static_cast<double>(c.edge_count()) + M;
  state.counters["periods"] = P;
  state.counters["nodes"] = N;
  state.counters["measures"] = M;
  state.counters["bound_bytes"] = (N + M) * P * 8.0 * 2.0 + inputs * 12.0;
}

/// evaluate() on two threads: the same numbers as on one (tests/cpp/test_scorecard.cpp).
void BM_score_2threads(benchmark::State& state) {
  Org& o = org(state.range(0));
  const spm::Cascade& c = o.compiled();
  spm::ScoreOptions options;
  options.threads = 2;
  warm_up(state, [&] {
    benchmark::DoNotOptimize(spm::Scorecard::evaluate(c, options).node_scores().data());
  });
  for (auto _ : state) {
    auto card = spm::Scorecard::evaluate(c, options);
    benchmark::DoNotOptimize(card.node_scores().data());
  }
  finish(state, o.nodes());
}
void BM_update(benchmark::State& state) {
  Org& o = org(state.range(0));
  spm::Scorecard& card = o.scored();
  const auto measures = o.model.all<spm::Measure>();
  // Walk through the measures with a large stride so that the caches do not help.
  std::vector<std::string> ids;
  const std::size_t step = measures.size() / 997 + 1;
  for (std::size_t i = 0; i < measures.size() && ids.size() < 1000; i += step)
    ids.push_back(measures[i].id);
  std::size_t k = 0;
  double value = 1.0;
  for (auto _ : state) {
    const std::string& id = ids[k++ % ids.size()];
    o.model.set_actual(id, spm::Actual{spm::Period::month(2026, 6), value, {}, {}});
    value += 0.25;
    card.update(o.model, std::span<const std::string>(&id, 1));
  }
  finish(state, 1);
}

void BM_whatif(benchmark::State& state) {
  Org& o = org(state.range(0));
  const spm::Cascade& c = o.compiled();
  spm::Scenario scenario;
  scenario.actuals.push_back(
      {o.model.all<spm::Measure>()[0].id, spm::Period::month(2026, 6), 42.0});
  warm_up(state, [&] {
    benchmark::DoNotOptimize(spm::Scorecard::evaluate(c, {}, scenario).node_scores().data());
  });
  for (auto _ : state) {
    auto card = spm::Scorecard::evaluate(c, {}, scenario);
    benchmark::DoNotOptimize(card.node_scores().data());
  }
  finish(state, o.nodes());
}

void BM_attrib(benchmark::State& state) {
  Org& o = org(state.range(0));
  const spm::Cascade& c = o.compiled();
  // The goal with the most contributors: the hardest column.
  std::string goal;
  std::size_t most = 0;
  for (const auto& g : c.coverage().goals)
    if (goal.empty() || g.contributors > most) {
      goal = g.goal;
      most = g.contributors;
    }
  std::size_t reached = 0;
  for (auto _ : state) {
    auto column = c.attribution_to(goal);
    reached = column.size();
    benchmark::DoNotOptimize(column.data());
  }
  finish(state, reached);
}

void BM_footprint(benchmark::State& state) {
  Org& o = org(state.range(0));
  o.card.reset();
  o.cascade.reset();
  // Memory in use: what malloc has handed out, less what the model keeps for its next compiles
  // and evaluations (arrays of cascades and scorecards gone, compiles' scratch), counted apart.
  auto live = [&] { return allocated_bytes() - o.model.kept_bytes(); };
  double rows = 0, per_node = 0, per_row = 0, refs_per_row = 0, store_per_row = 0, kept_per_row = 0;
  for (auto _ : state) {
    const std::size_t before = live();
    // As a host does with what it loads: validate, which resolves every reference that compile
    // reads (the model keeps them), then the first compile, which writes fresh pages.
    const auto v0 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(spm::validate(o.model).size());
    const std::size_t validated = live();
    const auto c0 = std::chrono::steady_clock::now();
    auto c = std::make_unique<spm::Cascade>(spm::Cascade::compile(o.model));
    const auto t0 = std::chrono::steady_clock::now();
    state.counters["first_validate_s"] = std::chrono::duration<double>(c0 - v0).count();
    state.counters["first_compile_s"] = std::chrono::duration<double>(t0 - c0).count();
    auto card = std::make_unique<spm::Scorecard>(spm::Scorecard::evaluate(*c));
    // The first evaluation of the model: its score arrays are fresh pages, and it makes the
    // model's measure store (what scoring reads of every measure, kept in step from then on).
    state.counters["cold_s"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    benchmark::DoNotOptimize(card->node_scores().data());
    const std::size_t with_results = live();
    const double nodes = static_cast<double>(c->node_count());
    rows = nodes + static_cast<double>(o.model.count(spm::EntityKind::measure));
    kept_per_row = static_cast<double>(o.model.kept_bytes()) / rows;
    card.reset();
    c.reset();
    // What stays once they are gone is the model's: the references validate resolved for
    // compile, and the measure store.
    const std::size_t model_only = live();
    per_node = static_cast<double>(with_results - model_only) / nodes;
    per_row = static_cast<double>(with_results - model_only) / rows;
    refs_per_row = static_cast<double>(validated - before) / rows;
    store_per_row = static_cast<double>(model_only - validated) / rows;
  }
  state.counters["bytes_per_node"] = per_node;
  state.counters["bytes_per_row"] = per_row;
  state.counters["refs_per_row"] = refs_per_row;
  state.counters["store_per_row"] = store_per_row;
  state.counters["kept_per_row"] = kept_per_row;
  finish(state, 1);
}

void apply_sizes(benchmark::internal::Benchmark* b) {
  for (std::int64_t n : sizes()) b->Arg(n);
  b->ArgName("employees")->Unit(benchmark::kMillisecond)->UseRealTime()->Complexity(benchmark::oN);
}

// The footprint first, while no scorecard of the organization has gone: the model keeps the
// score arrays of scorecards gone for its next evaluations, which would then not be counted.
BENCHMARK(BM_footprint)->Apply(apply_sizes)->Iterations(1);
BENCHMARK(BM_load)->Apply(apply_sizes);
BENCHMARK(BM_save)->Apply(apply_sizes);
BENCHMARK(BM_validate)->Apply(apply_sizes);
BENCHMARK(BM_compile)->Apply(apply_sizes);
BENCHMARK(BM_compile_2threads)->Apply(apply_sizes);
BENCHMARK(BM_compile_edit)->Apply(apply_sizes);
BENCHMARK(BM_align)->Apply(apply_sizes);
BENCHMARK(BM_score)->Apply(apply_sizes);
BENCHMARK(BM_score_2threads)->Apply(apply_sizes);
BENCHMARK(BM_update)->Apply([](benchmark::internal::Benchmark* b) {
  apply_sizes(b);
  b->Unit(benchmark::kMicrosecond);
});
BENCHMARK(BM_whatif)->Apply(apply_sizes);
BENCHMARK(BM_attrib)->Apply(apply_sizes);

}  // namespace

BENCHMARK_MAIN();
