// The model's compact store of what scoring reads (src/model/measure_store.hpp): measures
// scored from it give the numbers of the general path to the bit, and every kind of edit keeps
// it in step with the measures.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "model/model_impl.hpp"
#include "spm/generate.hpp"
#include "spm/io.hpp"
#include "spm/scoring.hpp"
#include "spm/validate.hpp"

using namespace spm;

namespace {

const detail::MeasureStore& store_of(const Model& m) {
  return detail::ModelAccess::impl(m).table<Measure>().store();
}
/// The store, made now (in model order) if no evaluation has made it yet. (The store is the
/// model's, on the heap: the cast only reaches what evaluate() reaches.)
const detail::MeasureStore& made_store_of(const Model& m) {
  const auto& table = detail::ModelAccess::impl(m).table<Measure>();
  const_cast<detail::MeasureStore&>(table.store()).activate(table.items());
  return table.store();
}
bool stored(const Model& m, std::string_view id) {
  const auto i = m.index_of(EntityKind::measure, id);
  return i >= 0 && made_store_of(m).head(static_cast<std::uint32_t>(i)).fast;
}

bool same_bits(std::span<const double> a, std::span<const double> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size_bytes()) == 0;
}

std::span<const double> row_of(const Scorecard& s, const Model& m, std::string_view measure) {
  const auto i = static_cast<std::size_t>(m.index_of(EntityKind::measure, measure));
  return s.measure_scores().subspan(i * s.columns().size(), s.columns().size());
}

/// Evaluates `m` and a copy of it read back from its own JSON (a store built afresh, with no
/// history of edits) and expects the same numbers to the bit.
void expect_same_as_fresh(const Model& m, const ScoreOptions& opt, const std::string& when) {
  const Model fresh = load_json(save_json(m));
  const auto a = Scorecard::evaluate(Cascade::compile(m), opt);
  const auto b = Scorecard::evaluate(Cascade::compile(fresh), opt);
  ASSERT_EQ(a.columns().size(), b.columns().size()) << when;
  EXPECT_TRUE(same_bits(a.measure_scores(), b.measure_scores())) << when;
  EXPECT_TRUE(same_bits(a.node_scores(), b.node_scores())) << when;
  for (std::size_t c = 0; c < a.columns().size(); ++c) {
    const double x = a.organization(static_cast<int>(c)).score;
    const double y = b.organization(static_cast<int>(c)).score;
    EXPECT_EQ(std::memcmp(&x, &y, sizeof x), 0) << when << ", column " << c;
  }
}

}  // namespace

TEST(MeasureStore, StoredMeasuresScoreAsTheGeneralPathDoes) {
  // Each measure has a twin that the store does not take (a per-month target equal to the
  // default target, so the same rule), on a goal of its own: both must score alike.
  Model m;
  for (auto& p : default_perspectives()) m.add(p);
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> vdist(-50, 150);
  struct Shape {
    double baseline, target;
    std::optional<double> cap;
  };
  const Shape shapes[] = {{0, 100, {}}, {100, 20, {}}, {-5, 5, 1.5}, {10, 11, 1.0}, {0, 1e-3, {}}};
  // (100 -> 20 is a decreasing measure.)
  for (int k = 0; k < 40; ++k) {
    for (int twin = 0; twin < 2; ++twin) {
      const std::string goal = "G" + std::to_string(k) + (twin ? "b" : "a");
      Goal g;
      g.id = goal;
      g.perspective = "customer";
      m.add(g);
      Measure ms;
      ms.id = "M" + std::to_string(k) + (twin ? "b" : "a");
      ms.subject = {EntityKind::goal, goal};
      const Shape& s = shapes[k % 5];
      ms.baseline = s.baseline;
      ms.target = s.target;
      ms.cap = s.cap;
      if (s.target < s.baseline) ms.polarity = Polarity::decreasing;
      if (k % 4 == 1) ms.aggregation = Aggregation::sum;
      if (twin)
        for (int mo = 1; mo <= 12; ++mo)
          for (int y : {2025, 2026}) ms.targets.push_back({Period::month(y, mo), s.target});
      m.add(ms);
    }
  }
  // The same actuals for both twins: gaps, months outside the columns, a quarter among them.
  for (int k = 0; k < 40; ++k) {
    for (int mo = 1; mo <= 12; ++mo) {
      if (rng() % 4 == 0) continue;
      const double v = vdist(rng);
      const int year = k % 3 == 0 && mo > 10 ? 2025 : 2026;
      for (const char* t : {"a", "b"})
        m.set_actual("M" + std::to_string(k) + t, Actual{Period::month(year, mo), v, {}, {}});
    }
    if (k % 5 == 0)
      for (const char* t : {"a", "b"})
        m.set_actual("M" + std::to_string(k) + t, Actual{Period::quarter(2026, 2), 7, {}, {}});
  }
  for (int k = 0; k < 40; ++k) {
    EXPECT_TRUE(stored(m, "M" + std::to_string(k) + "a")) << k;
    EXPECT_FALSE(stored(m, "M" + std::to_string(k) + "b")) << k;
  }
  const auto c = Cascade::compile(m);
  std::vector<ScoreOptions> options(3);
  for (int mo = 1; mo <= 12; mo += 2)
    options[1].columns.push_back(Span::of(Period::month(2026, mo)));
  for (int mo = 6; mo <= 12; ++mo) options[2].columns.push_back(Span::of(Period::month(2025, mo)));
  for (std::size_t o = 0; o < options.size(); ++o) {
    const auto s = Scorecard::evaluate(c, options[o]);
    for (int k = 0; k < 40; ++k) {
      const std::string a = "M" + std::to_string(k) + "a", b = "M" + std::to_string(k) + "b";
      EXPECT_TRUE(same_bits(row_of(s, m, a), row_of(s, m, b))) << a << ", options " << o;
    }
  }
  // The default columns run from the first actual to the last, the quarter included.
  const auto s = Scorecard::evaluate(c);
  ASSERT_FALSE(s.columns().empty());
  EXPECT_EQ(s.columns().front().label, "2025-11");
  EXPECT_EQ(s.columns().back().label, "2026-12");
}

TEST(MeasureStore, MeasuresItDoesNotTakeAreScoredFromTheModel) {
  Model m;
  for (auto& p : default_perspectives()) m.add(p);
  Goal g;
  g.id = "G";
  g.perspective = "customer";
  m.add(g);
  auto measure = [&](const std::string& id) {
    Measure ms;
    ms.id = id;
    ms.subject = {EntityKind::goal, "G"};
    ms.baseline = 0;
    ms.target = 10;
    return ms;
  };
  Measure band = measure("band");
  band.method = ScoringMethod::band;
  band.band_low = 4;
  band.band_high = 6;
  band.band_tolerance = 2;
  m.add(band);
  Measure flat = measure("flat");
  flat.baseline = 10;  // baseline equal to the target: meets or not
  m.add(flat);
  Measure sparse = measure("sparse");  // two actuals 30 years apart
  sparse.actuals = {{Period::month(1996, 1), 5, {}, {}}, {Period::month(2026, 1), 5, {}, {}}};
  m.add(sparse);
  Measure ratio = measure("ratio");
  ratio.method = ScoringMethod::ratio;
  m.add(ratio);
  for (const char* id : {"band", "flat", "sparse", "ratio"}) EXPECT_FALSE(stored(m, id)) << id;
  m.set_actual("band", Actual{Period::month(2026, 1), 5, {}, {}});
  m.set_actual("flat", Actual{Period::month(2026, 1), 12, {}, {}});
  m.set_actual("ratio", Actual{Period::month(2026, 1), 2.5, {}, {}});
  ScoreOptions o;
  o.columns = {Span::of(Period::month(2026, 1))};
  const auto s = Scorecard::evaluate(Cascade::compile(m), o);
  EXPECT_EQ(s.measure("band", 0).score, 1.0);
  EXPECT_EQ(s.measure("flat", 0).score, 1.0);
  EXPECT_DOUBLE_EQ(s.measure("sparse", 0).score, 0.5);
  EXPECT_DOUBLE_EQ(s.measure("ratio", 0).score, 0.25);
  // Turning into a measure the store takes, and back.
  Measure plain = measure("band");
  plain.actuals = m.get<Measure>("band").actuals;
  m.update(plain);
  EXPECT_TRUE(stored(m, "band"));
  EXPECT_DOUBLE_EQ(Scorecard::evaluate(Cascade::compile(m), o).measure("band", 0).score, 0.5);
  m.update(band);
  EXPECT_FALSE(stored(m, "band"));
}

TEST(MeasureStore, EveryKindOfEditKeepsItInStep) {
  GenerateOptions g;
  g.employees = 40;
  g.seed = 5;
  Model m = generate(g);
  (void)made_store_of(m);  // kept in step from the first edit on
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> vdist(-20, 140);
  ScoreOptions months;  // every month of 2026 and 2027, whether it has actuals or not
  for (int y : {2026, 2027})
    for (int mo = 1; mo <= 12; ++mo) months.columns.push_back(Span::of(Period::month(y, mo)));
  const ScoreOptions defaults;
  auto random_measure = [&]() -> std::string {
    const auto all = m.all<Measure>();
    return all[rng() % all.size()].id;
  };
  int added = 0;
  for (int round = 0; round < 12; ++round) {
    for (int edit = 0; edit < 400; ++edit) {
      const std::string id = random_measure();
      const int kind = static_cast<int>(rng() % 20);
      if (kind < 10) {  // an actual of a month, often past the end of the run (it grows)
        const int mo = static_cast<int>(rng() % 24);
        m.set_actual(id, Actual{Period::month(2026 + mo / 12, mo % 12 + 1), vdist(rng), {}, {}});
      } else if (kind < 13) {  // an actual erased
        const auto& actuals = m.get<Measure>(id).actuals;
        if (!actuals.empty()) m.erase_actual(id, actuals[rng() % actuals.size()].period);
      } else if (kind < 17) {  // the measure itself changed: its rule, its targets, its cap
        Measure ms = m.get<Measure>(id);
        switch (rng() % 6) {
          case 0: {
            const double d = 1.0 + static_cast<double>(rng() % 100);
            ms.target = ms.baseline.value_or(0) + (ms.polarity == Polarity::increasing ? d : -d);
            break;
          }
          case 1:
            ms.targets = {{Period::month(2026, 3), *ms.target}};
            break;
          case 2:
            ms.targets.clear();
            break;
          case 3:
            ms.cap = ms.cap ? std::optional<double>() : std::optional<double>(1.25);
            break;
          case 4:
            ms.actuals.clear();
            break;
          case 5:
            ms.actuals = {{Period::month(2030, 1), 3, {}, {}}};
            break;
        }
        m.update(ms);
      } else if (kind < 18) {  // a measure removed
        m.remove(EntityKind::measure, id);
      } else {  // a measure added, with a few months
        Measure ms = m.get<Measure>(id);
        ms.id = "added-" + std::to_string(added++);
        ms.actuals.clear();
        for (int mo = 1; mo <= 12; mo += static_cast<int>(1 + rng() % 3))
          ms.actuals.push_back({Period::month(2027, mo), vdist(rng), {}, {}});
        m.add(ms);
      }
    }
    ASSERT_EQ(store_of(m).size(), m.count(EntityKind::measure));
    expect_same_as_fresh(m, months, "round " + std::to_string(round));
    expect_same_as_fresh(m, defaults, "round " + std::to_string(round) + ", default columns");
  }
  // Laid out again for each round's new cascade (measures were added and removed).
  EXPECT_GE(store_of(m).layouts(), 12u);
}

TEST(MeasureStore, ACopyOfTheModelHasItsOwn) {
  GenerateOptions g;
  g.employees = 20;
  Model a = generate(g);
  Model b = a;
  const Measure& ms = a.all<Measure>()[0];
  const std::string id = ms.id;
  const auto sb = Scorecard::evaluate(Cascade::compile(b));
  // An actual in a that scores 0 where b's scores more, or 1 where b's scores less.
  const double before = sb.measure(id, 0).score;
  const double x = !(before > 0) ? *ms.target : ms.baseline.value_or(0);
  a.set_actual(id, Actual{sb.columns()[0].first, x, {}, {}});
  const auto sa = Scorecard::evaluate(Cascade::compile(a));
  EXPECT_NE(sa.measure(id, 0).score, before);
  // b, evaluated afresh after the edit of a, scores as before it.
  EXPECT_EQ(Scorecard::evaluate(Cascade::compile(b)).measure(id, 0).score, before);
  expect_same_as_fresh(b, {}, "the copy");
}

namespace {
const void* owner_of(const Model& m) {
  return detail::ModelAccess::impl(m).token.get();
}
std::uint64_t structure_of(const Model& m) {
  return detail::ModelAccess::impl(m).structure();
}
}  // namespace

TEST(MeasureStore, TheFirstEvaluationMakesItAndNothingBefore) {
  // Built, edited, copied, checked and compiled, a model holds no store; its first evaluation
  // makes it, in the cascade's order, with the pool taken once for every measure's run.
  GenerateOptions g;
  g.employees = 50;
  Model m = generate(g);
  const auto& st = store_of(m);
  const std::string first_id = m.all<Measure>()[0].id;
  m.set_actual(first_id, Actual{Period::month(2027, 1), 42, {}, {}});
  Measure added = m.get<Measure>(first_id);
  added.id = "added";
  m.add(added);
  m.remove(EntityKind::measure, m.all<Measure>()[1].id);
  const Model copy = m;
  EXPECT_TRUE(validate(m).empty());
  const auto c = Cascade::compile(m);
  for (const Model* x : {static_cast<const Model*>(&m), &copy}) {
    EXPECT_FALSE(store_of(*x).active());
    EXPECT_FALSE(store_of(*x).usable());
    EXPECT_EQ(store_of(*x).size(), 0u);
    EXPECT_EQ(store_of(*x).values_capacity(), 0u);
  }
  // An evaluation refused for its options makes nothing.
  ScoreOptions bad;
  bad.trend_periods = 1;
  EXPECT_ANY_THROW((void)Scorecard::evaluate(c, bad));
  EXPECT_FALSE(st.active());
  const auto s = Scorecard::evaluate(c);
  ASSERT_TRUE(st.usable());
  EXPECT_EQ(st.size(), m.count(EntityKind::measure));
  EXPECT_TRUE(st.in_order_for(owner_of(m), structure_of(m)));
  EXPECT_EQ(st.layouts(), 1u);
  EXPECT_EQ(st.spare_bytes(), 0u);
  std::size_t runs = 0, held = 0;
  for (std::uint32_t i = 0; i < st.size(); ++i) {
    const std::size_t run = detail::MeasureStore::month_run(m.all<Measure>()[i]);
    runs += run;
    held += st.head(i).fast ? run : 0;
  }
  EXPECT_GT(held, 0u);
  EXPECT_EQ(st.values_held(), held);
  EXPECT_EQ(st.values_capacity(), runs);
  EXPECT_FALSE(store_of(copy).active());  // the copy's own store, untouched
  expect_same_as_fresh(m, {}, "made by the first evaluation");
  // Kept in step from then on.
  m.set_actual("added", Actual{Period::month(2027, 2), 7, {}, {}});
  EXPECT_TRUE(st.usable());
  expect_same_as_fresh(m, {}, "after an edit");
}

TEST(MeasureStore, TheFirstEvaluationLaysItOutInTheCascadesOrder) {
  GenerateOptions g;
  g.employees = 60;
  Model m = generate(g);
  const auto& st = store_of(m);
  EXPECT_FALSE(st.laid_out_for(owner_of(m), structure_of(m)));
  const auto c = Cascade::compile(m);
  const auto first = Scorecard::evaluate(c);
  EXPECT_TRUE(st.in_order_for(owner_of(m), structure_of(m)));
  const std::size_t layouts = st.layouts();
  EXPECT_EQ(layouts, 1u);
  // Slot r holds measure row r: the measures in the cascade's order, not the model's.
  bool reordered = false;
  for (std::uint32_t i = 0; i < st.size(); ++i)
    reordered = reordered || &st.head(i) != &st.head_at_slot(i);
  EXPECT_TRUE(reordered);
  // Later evaluations, of this cascade or of another compiled from the same model, read it as
  // it is; and they score as a model read afresh from its own JSON does.
  const auto again = Scorecard::evaluate(c);
  const auto other = Scorecard::evaluate(Cascade::compile(m));
  EXPECT_EQ(st.layouts(), layouts);
  EXPECT_TRUE(same_bits(first.measure_scores(), again.measure_scores()));
  EXPECT_TRUE(same_bits(first.node_scores(), other.node_scores()));
  expect_same_as_fresh(m, {}, "laid out");

  // Two new months for every measure: every run grows and moves, twice; the pool, left mostly
  // dead, is compacted on the way, and then the runs that move again leave it out of order
  // until the next evaluation lays it out anew.
  const auto measures = m.all<Measure>();
  std::vector<std::string> ids;
  for (const Measure& ms : measures) ids.push_back(ms.id);
  for (int mo : {1, 2})
    for (std::size_t k = 0; k < ids.size(); ++k)
      m.set_actual(ids[k], Actual{Period::month(2027, mo), static_cast<double>(k % 97), {}, {}});
  EXPECT_GT(st.compactions(), 0u);
  EXPECT_FALSE(st.in_order_for(owner_of(m), structure_of(m)));
  EXPECT_TRUE(st.laid_out_for(owner_of(m), structure_of(m)));  // the slots hold
  (void)Scorecard::evaluate(c);
  EXPECT_EQ(st.layouts(), layouts + 1);
  EXPECT_TRUE(st.in_order_for(owner_of(m), structure_of(m)));
  expect_same_as_fresh(m, {}, "after a month for every measure");

  // A measure added: the structure moves, and the next cascade's first evaluation lays the
  // store out for it.
  Measure added = m.get<Measure>(ids[0]);
  added.id = "added";
  m.add(added);
  EXPECT_FALSE(st.laid_out_for(owner_of(m), structure_of(m)));
  const auto recompiled = Cascade::compile(m);
  const auto after = Scorecard::evaluate(recompiled);
  EXPECT_TRUE(st.laid_out_for(owner_of(m), structure_of(m)));
  EXPECT_GT(st.layouts(), layouts);
  EXPECT_TRUE(same_bits(row_of(after, m, "added"), row_of(after, m, ids[0])));
  expect_same_as_fresh(m, {}, "after a measure added");
}

TEST(MeasureStore, ACopyIsLaidOutForItsOwnCascades) {
  GenerateOptions g;
  g.employees = 30;
  Model a = generate(g);
  const auto sa = Scorecard::evaluate(Cascade::compile(a));
  ASSERT_TRUE(store_of(a).laid_out_for(owner_of(a), structure_of(a)));
  Model b = a;
  EXPECT_FALSE(store_of(b).laid_out_for(owner_of(b), structure_of(b)));
  const auto sb = Scorecard::evaluate(Cascade::compile(b));
  EXPECT_TRUE(store_of(b).laid_out_for(owner_of(b), structure_of(b)));
  EXPECT_TRUE(same_bits(sa.measure_scores(), sb.measure_scores()));
  EXPECT_TRUE(same_bits(sa.node_scores(), sb.node_scores()));
}

TEST(MeasureStore, ManyThreadsEvaluatingANewCascadeAtOnceGetTheSameNumbers) {
  // The first evaluations of a cascade race to lay the store out: one does, under the model's
  // lock, and every one scores as a model of its own does.
  GenerateOptions g;
  g.employees = 200;
  const Model m = generate(g);
  const auto reference = Scorecard::evaluate(Cascade::compile(load_json(save_json(m))));
  const auto c = Cascade::compile(m);
  ASSERT_FALSE(store_of(m).laid_out_for(owner_of(m), structure_of(m)));
  constexpr int n = 4;
  std::vector<int> same(n, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < n; ++t)
    threads.emplace_back([&, t] {
      ScoreOptions o;
      o.threads = 1 + t % 2;
      const auto s = Scorecard::evaluate(c, o);
      same[static_cast<std::size_t>(t)] = same_bits(s.node_scores(), reference.node_scores()) &&
                                          same_bits(s.measure_scores(), reference.measure_scores());
    });
  for (auto& t : threads) t.join();
  for (int t = 0; t < n; ++t) EXPECT_TRUE(same[static_cast<std::size_t>(t)]) << "thread " << t;
  EXPECT_EQ(store_of(m).layouts(), 1u);
}

TEST(MeasureStore, ALayoutInAnOrderThatIsNoPermutationIsRefusedAndChangesNothing) {
  GenerateOptions g;
  g.employees = 10;
  Model m = generate(g);
  auto& st = const_cast<detail::MeasureStore&>(made_store_of(m));
  const auto n = static_cast<std::uint32_t>(st.size());
  ASSERT_GT(n, 2u);
  std::vector<std::uint32_t> order(n);
  for (std::uint32_t r = 0; r < n; ++r) order[r] = n - 1 - r;
  const ScoreOptions o;
  const auto before = Scorecard::evaluate(Cascade::compile(load_json(save_json(m))), o);
  std::vector<std::uint32_t> twice = order;
  twice[1] = twice[0];  // a measure twice, another never
  std::vector<std::uint32_t> outside = order;
  outside[0] = n;  // no such measure
  const std::uint64_t rev = structure_of(m);
  for (const auto& bad : {twice, outside, std::vector<std::uint32_t>(n - 1, 0)}) {
    EXPECT_FALSE(st.relayout(bad, owner_of(m), rev));
    EXPECT_FALSE(st.laid_out_for(owner_of(m), rev));
  }
  // A good one, for another (made-up) owner: slot r holds measure n - 1 - r.
  ASSERT_TRUE(st.relayout(order, &order, rev));
  for (std::uint32_t i = 0; i < n; ++i) EXPECT_EQ(&st.head(i), &st.head_at_slot(n - 1 - i));
  // Not the cascade's order: the next evaluation lays it out again, with the same numbers.
  EXPECT_TRUE(
      same_bits(Scorecard::evaluate(Cascade::compile(m), o).node_scores(), before.node_scores()));
}

TEST(MeasureStore, ALayoutAfterAnEditWritesIntoTheArraysOfTheLayoutBefore) {
  // A host edits, recompiles and evaluates: each evaluation after a structural edit lays the
  // store out again. From the second layout on, it writes into the arrays of the layout before
  // (kept by the model, counted by kept_bytes, freed by release_memory) instead of new ones.
  GenerateOptions g;
  g.employees = 60;
  Model m = generate(g);
  const auto& st = store_of(m);
  (void)Scorecard::evaluate(Cascade::compile(m));
  ASSERT_EQ(st.layouts(), 1u);
  EXPECT_EQ(st.spare_bytes(), 0u);  // the first layout frees the arrays in model order
  std::vector<const detail::MeasureHead*> heads;
  for (int edit = 1; edit <= 4; ++edit) {
    Objective o = m.all<Objective>()[static_cast<std::size_t>(edit)];
    if (!o.contributes_to.empty()) o.contributes_to.front().weight += 0.5;
    o.name += " (edited)";
    m.update(o);
    (void)Scorecard::evaluate(Cascade::compile(m));
    EXPECT_EQ(st.layouts(), 1u + static_cast<std::size_t>(edit));
    EXPECT_GT(st.spare_bytes(), 0u);
    EXPECT_GE(m.kept_bytes(), st.spare_bytes());
    heads.push_back(&st.head_at_slot(0));
    expect_same_as_fresh(m, {}, "after edit " + std::to_string(edit));
  }
  // Two sets of arrays take turns.
  EXPECT_EQ(heads[0], heads[2]);
  EXPECT_EQ(heads[1], heads[3]);
  EXPECT_NE(heads[0], heads[1]);
  m.release_memory();
  EXPECT_EQ(st.spare_bytes(), 0u);
  EXPECT_EQ(m.kept_bytes(), 0u);
  expect_same_as_fresh(m, {}, "after release_memory");
}
