// The whole scorecard of the example organization, every measure and node in every month and
// quarter, against a golden file: a change that moves any number shows here. After an intended
// change, regenerate with SPM_UPDATE_GOLDEN=1 and review the diff.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "spm/eigen.hpp"
#include "spm/io.hpp"
#include "spm/scoring.hpp"
#include "spm/validate.hpp"

using namespace spm;

namespace {

const std::string source_dir = SPM_SOURCE_DIR;

std::string scorecard_text(const Model& model, const Cascade& cascade, const Scorecard& card) {
  std::string out;
  out += "column";
  for (const auto& c : card.columns()) out += " " + c.label;
  out += "\n";
  // 12 significant digits: what the numbers mean, not the last bits of their arithmetic.
  auto cell = [](double v) { return std::isnan(v) ? std::string("-") : fmt::format("{:.12g}", v); };
  const auto measures = measure_scores(card);
  for (Eigen::Index i = 0; i < measures.rows(); ++i) {
    out += "measure " + model.all<Measure>()[static_cast<std::size_t>(i)].id;
    for (Eigen::Index c = 0; c < measures.cols(); ++c) out += " " + cell(measures(i, c));
    out += "\n";
  }
  const auto nodes = node_scores(card);
  for (Eigen::Index v = 0; v < nodes.rows(); ++v) {
    const Ref r = cascade.node(static_cast<std::uint32_t>(v));
    out += fmt::format("{} {}", to_string(r.kind), r.id);
    for (Eigen::Index c = 0; c < nodes.cols(); ++c) out += " " + cell(nodes(v, c));
    out += "\n";
  }
  for (const auto& p : model.all<Perspective>()) {
    out += "perspective " + p.id;
    for (int c = 0; c < static_cast<int>(card.columns().size()); ++c)
      out += " " + cell(card.perspective(p.id, c).score);
    out += "\n";
  }
  out += "organization";
  for (int c = 0; c < static_cast<int>(card.columns().size()); ++c)
    out += " " + cell(card.organization(c).score);
  out += "\n";
  return out;
}

}  // namespace

TEST(ExampleScorecard, MatchesTheGoldenFile) {
  const Model model = load_json_file(source_dir + "/examples/municipality.json");
  ensure_valid(model);
  const Cascade cascade = Cascade::compile(model);
  ScoreOptions options;
  for (int y : {2025, 2026}) {
    for (int m = 1; m <= 12; ++m) options.columns.push_back(Span::of(Period::month(y, m)));
    for (int q = 1; q <= 4; ++q) options.columns.push_back(Span::of(Period::quarter(y, q)));
    options.columns.push_back(Span::of(Period::year(y)));
  }
  options.columns.push_back(Span::year_to_date(Period::month(2026, 6)));
  const Scorecard card = Scorecard::evaluate(cascade, options);
  const std::string text = scorecard_text(model, cascade, card);

  const std::string golden = source_dir + "/tests/golden/municipality_scorecard.txt";
  if (std::getenv("SPM_UPDATE_GOLDEN")) {
    std::ofstream(golden, std::ios::binary) << text;
    GTEST_SKIP() << "golden file rewritten";
  }
  std::ifstream in(golden, std::ios::binary);
  ASSERT_TRUE(in) << "missing " << golden << " (run with SPM_UPDATE_GOLDEN=1)";
  std::stringstream expected;
  expected << in.rdbuf();
  // Compare line by line so that a failure names the row that moved.
  std::istringstream a(text), b(expected.str());
  std::string la, lb;
  int line = 0;
  while (true) {
    const bool ga = static_cast<bool>(std::getline(a, la));
    const bool gb = static_cast<bool>(std::getline(b, lb));
    ++line;
    if (!ga && !gb) break;
    ASSERT_EQ(la, lb) << "line " << line << " of the golden scorecard";
  }
}

TEST(ExampleScorecard, EveryGoalAndPerspectiveHasAScore) {
  const Model model = load_json_file(source_dir + "/examples/municipality.json");
  const Cascade cascade = Cascade::compile(model);
  ScoreOptions options;
  options.columns = {Span::of(Period::year(2026))};
  const Scorecard card = Scorecard::evaluate(cascade, options);
  for (const Goal& g : model.all<Goal>()) {
    const auto r = card.node(EntityKind::goal, g.id, 0);
    EXPECT_FALSE(std::isnan(r.score)) << g.id;
    EXPECT_GE(r.score, 0.0);
    EXPECT_LE(r.score, 1.5);
  }
  for (const Perspective& p : model.all<Perspective>())
    EXPECT_FALSE(std::isnan(card.perspective(p.id, 0).score)) << p.id;
}
