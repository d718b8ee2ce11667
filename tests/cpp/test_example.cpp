// The bundled example organization: it loads, is valid, and survives save and load unchanged.
#include <gtest/gtest.h>

#include <string>

#include "spm/cascade.hpp"
#include "spm/io.hpp"
#include "spm/model.hpp"
#include "spm/validate.hpp"

using namespace spm;

namespace {
const std::string example = std::string(SPM_SOURCE_DIR) + "/examples/municipality.json";
const std::string example_csv = std::string(SPM_SOURCE_DIR) + "/examples/municipality-actuals.csv";
}  // namespace

TEST(Example, LoadsValidAndRealisticInSize) {
  const Model m = load_json_file(example);
  const auto issues = validate(m);
  for (const auto& i : issues) ADD_FAILURE() << i.to_string();
  EXPECT_EQ(m.count(EntityKind::perspective), 4u);
  EXPECT_GE(m.count(EntityKind::goal), 8u);
  EXPECT_EQ(m.count(EntityKind::strategy), 12u);
  // 30 measures on goals and strategies, and one on most employee objectives.
  EXPECT_EQ(m.count(EntityKind::measure), 421u);
  std::size_t on_objectives = 0;
  for (const Measure& ms : m.all<Measure>())
    on_objectives += ms.subject.kind == EntityKind::objective;
  EXPECT_EQ(on_objectives, 391u);
  EXPECT_EQ(m.count(EntityKind::division), 3u);
  EXPECT_EQ(m.count(EntityKind::unit), 10u);
  EXPECT_EQ(m.count(EntityKind::team), 2u);
  EXPECT_GE(m.count(EntityKind::employee), 180u);
  EXPECT_GE(m.count(EntityKind::feedback), 1u);
  EXPECT_GE(m.count(EntityKind::check_in), 1u);
  EXPECT_GE(m.count(EntityKind::self_assessment), 1u);
  // A few orphans, as real data has.
  const auto orphans = Cascade::compile(m).orphans();
  EXPECT_GT(orphans.size(), 0u);
  EXPECT_LT(orphans.size(), 20u);
}

TEST(Example, SaveThenLoadGivesTheSameModelAndTheSameBytes) {
  const Model m = load_json_file(example);
  const std::string once = save_json(m);
  const Model again = load_json(once);
  EXPECT_TRUE(again == m);
  EXPECT_EQ(save_json(again), once);
  const Model compact = load_json(save_json(m, SaveOptions{false}));
  EXPECT_TRUE(compact == m);
}

TEST(Example, ActualsCsvMatchesTheDocument) {
  const Model m = load_json_file(example);
  Model from_csv = m;
  // Loading the published CSV over the document's own actuals changes nothing.
  load_actuals_csv_file(from_csv, example_csv);
  EXPECT_TRUE(from_csv == m);
  EXPECT_EQ(save_actuals_csv(m), save_actuals_csv(from_csv));
}
