// Tests of the JSON reader's fast path (io/json_fast.hpp): it takes every good document and
// builds the same model as the diagnosing reader, from memory and from files through buffers of
// any size; it gives up on everything else, so that load_json reports exactly what the
// diagnosing reader reports.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "io/json_fast.hpp"
#include "io_fixtures.hpp"
#include "model/model_impl.hpp"
#include "spm/error.hpp"
#include "spm/generate.hpp"
#include "spm/io.hpp"
#include "spm/model.hpp"
#include "spm/scoring.hpp"

namespace {

using namespace spm;
using spm_test::full_model;

std::string doc(const std::string& members) {
  return "{\"spm_format_version\": 1" + (members.empty() ? "" : ", " + members) + "}";
}

/// A file of this test's own: ctest runs tests side by side in one directory.
std::string scratch_file(const char* what) {
  return std::string("json_fast_") +
         ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" + what + ".json";
}

void write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

/// What a reader made of a text: the model's saved form and revision, or the error in full.
struct Outcome {
  std::optional<std::string> saved;
  std::uint64_t revision = 0;
  ErrorCode code = ErrorCode::internal;
  std::string what;
  std::vector<Issue> issues;

  bool operator==(const Outcome&) const = default;
};
template <class Load>
Outcome outcome(Load&& load) {
  Outcome o;
  try {
    const Model m = load();
    o.saved = save_json(m);
    o.revision = m.revision();
  } catch (const Error& e) {
    o.code = e.code();
    o.what = e.what();
    o.issues = e.issues();
  }
  return o;
}

/// The fast reader takes `text`, and builds exactly what the diagnosing reader builds; through
/// a file with each of the buffer sizes too.
void expect_fast(const std::string& text, std::initializer_list<std::size_t> buffers = {}) {
  const auto fast = detail::load_json_fast(text);
  ASSERT_TRUE(fast.has_value()) << text.substr(0, 300);
  const Model slow = detail::load_json_diagnosing(text);
  EXPECT_TRUE(*fast == slow);
  EXPECT_EQ(fast->revision(), slow.revision());
  EXPECT_EQ(fast->structure_revision(), slow.structure_revision());
  EXPECT_EQ(save_json(*fast), save_json(slow));
  const std::string path = scratch_file("fast");
  write(path, text);
  for (std::size_t buffer : buffers) {
    const auto streamed = detail::load_json_file_fast(path, buffer);
    ASSERT_TRUE(streamed.has_value()) << "buffer " << buffer;
    EXPECT_TRUE(*streamed == slow) << "buffer " << buffer;
    EXPECT_EQ(streamed->revision(), slow.revision());
  }
}

/// load_json and load_json_file give what the diagnosing reader gives, model or error.
void expect_same(const std::string& text, std::size_t buffer = 0) {
  const Outcome slow = outcome([&] { return detail::load_json_diagnosing(text); });
  EXPECT_EQ(outcome([&] { return load_json(text); }), slow) << text;
  if (buffer > 0) {
    const std::string path = scratch_file("same");
    write(path, text);
    const Outcome file = outcome([&] {
      if (auto m = detail::load_json_file_fast(path, buffer)) return std::move(*m);
      return detail::load_json_diagnosing(text);
    });
    EXPECT_EQ(file, slow) << text;
  }
}

// ---- good documents ---------------------------------------------------------------------------

TEST(JsonFast, TakesEveryFieldOfEveryKind) {
  const Model m = full_model();
  for (bool pretty : {true, false}) expect_fast(save_json(m, {pretty}), {1, 2, 3, 7, 64, 4096});
}

TEST(JsonFast, TakesRandomAndGeneratedModels) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    spm_test::RandomModel gen(seed);
    expect_fast(save_json(gen.make(60), {seed == 2}), {5, 1000});
  }
  GenerateOptions options;
  options.employees = 300;
  options.seed = 7;
  expect_fast(save_json(generate(options), {false}), {4096, 65536});
}

TEST(JsonFast, TakesWhatTheFormatAllows) {
  // Escapes of every kind, surrogate pairs, raw UTF-8, a byte order mark, whitespace anywhere,
  // numbers in every spelling, nulls for optional fields, and keys in any order.
  const std::string text =
      "\xEF\xBB\xBF \r\n\t{ \"goals\" : [ {\"name\": \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t"
      "\\u00e9\\u20AC\\ud83d\\ude00 \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\", \"id\": \"G\\u0031\","
      " \"start\": null, \"rollup\": null, \"perspective\": \"customer\"} ],"
      " \"measures\": [{\"id\": \"M\", \"subject\": {\"goal\": \"G1\"}, \"weight\": 2.5e0,"
      " \"baseline\": -0, \"target\": 1E2, \"cap\": 1.000, \"band_low\": -0.0,"
      " \"actuals\": [{\"value\": 12.5, \"period\": \"2026-01\"}, {\"period\": \"2026-02\","
      " \"value\": null}, {\"denominator\": 4, \"numerator\": 1, \"period\": \"2026-03\"}],"
      " \"attributes\": {\"n\": -0, \"f\": 2.50, \"big\": 123456789012345678901234567890,"
      " \"s\": \"\\u0001x\", \"o\": {\"a\": [true, false, null, {}], \"b\": []}}}],"
      " \"review_cycles\": [{\"id\": \"RC\", \"check_in_cadence_days\": 7.0,"
      " \"anonymity\": {\"peer\": 2}}],"
      " \"reviews\": [{\"id\": \"R\", \"ratings\": [{\"rating\": 4, \"value\": \"V\"}]}],"
      " \"spm_format_version\": 1.0 } \n";
  expect_fast(text, {1, 2, 3, 4, 5, 6, 7, 8, 13, 100});
  const Model m = load_json(text);
  EXPECT_EQ(m.get<Goal>("G1").name,
            "a\"b\\c/d\b\f\n\r\t\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 "
            "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  const Measure& ms = m.get<Measure>("M");
  EXPECT_FALSE(std::signbit(*ms.baseline));  // the integer -0 is 0
  EXPECT_TRUE(std::signbit(*ms.band_low));   // -0.0 is not
  ASSERT_EQ(ms.actuals.size(), 2u);
  EXPECT_EQ(ms.actuals[1].value, 0.25);
  EXPECT_EQ(ms.attributes[0].second, "0");
  EXPECT_EQ(ms.attributes[1].second, "2.50");
  EXPECT_EQ(ms.attributes[3].second, "\"\\u0001x\"");
  EXPECT_EQ(ms.attributes[4].second, "{\"a\":[true,false,null,{}],\"b\":[]}");
}

TEST(JsonFast, NumbersReadToTheSameDoubles) {
  // Short decimals take the reader's own conversion, the others from_chars; both must give the
  // double that strtod gives the diagnosing reader, to the bit (save_json shows -0.0 and every
  // last digit).
  std::mt19937_64 rng(11);
  std::string measures;
  for (int i = 0; i < 3000; ++i) {
    std::string digits = std::to_string(rng() % 1000000000000000000ull);
    digits.resize(1 + rng() % std::min<std::size_t>(digits.size(), 18));
    std::string number = (rng() % 4 == 0 ? "-" : "") + digits;
    if (const std::size_t fraction = rng() % 10; fraction > 0)
      number += "." + std::to_string(rng() % 100000000000ull).substr(0, fraction);
    if (rng() % 10 == 0) number += "e" + std::to_string(static_cast<int>(rng() % 40) - 20);
    if (i % 50 == 0) number = i % 100 == 0 ? "-0" : "-0.0";
    measures += (measures.empty() ? "" : ", ") + std::string("{\"id\": \"M") + std::to_string(i) +
                "\", \"subject\": {\"goal\": \"G\"}, \"method\": \"binary\", \"target\": 1, "
                "\"baseline\": " +
                number + "}";
  }
  expect_fast(doc("\"measures\": [" + measures + "]"), {64});
}

TEST(JsonFast, LongStringsAndNumbersCrossTheBuffer) {
  std::string name(10000, 'x');
  name += "\\u00e9";
  name += std::string(5000, 'y');
  const std::string text = doc("\"goals\": [{\"id\": \"G\", \"name\": \"" + name +
                               "\", \"attributes\": {\"" + std::string(3000, 'k') +
                               "\": 1.00000000000000000000000000000000000000000000000000001}}]");
  expect_fast(text, {1, 16, 1000, 4096});
}

TEST(JsonFast, TakesEmptyAndDefaultDocuments) {
  expect_fast(doc(""), {1});
  expect_fast(doc("\"perspectives\": []"), {1});
  expect_fast(doc("\"organization\": {}, \"goals\": []"), {2});
  expect_fast(save_json(Model()), {3});
}

// ---- everything else goes to the diagnosing reader ---------------------------------------------

TEST(JsonFast, GivesUpOnBadDocuments) {
  for (const std::string& bad : std::vector<std::string>{
           "",
           " ",
           "[]",
           "{}",
           "{} x",
           doc("") + std::string(1, '\0'),
           doc("\"goals\": [{\"id\": \"G\",}]"),
           doc("\"goals\": [{\"id\": \"G\", \"id\": \"H\"}]"),
           doc("\"goals\": [{\"id\": \"G\"}, {\"id\": \"G\"}]"),
           doc("\"goals\": [], \"goals\": []"),
           doc("\"gaols\": []"),
           doc("\"goals\": [{\"id\": \"G\", \"nmae\": 1}]"),
           doc("\"goals\": [{\"id\": \"G\", \"name\": 1}]"),
           doc("\"goals\": [{\"id\": \"G\", \"name\": \"\xC0\xAF\"}]"),
           doc("\"goals\": [{\"id\": \"G\", \"name\": \"\\ud800\"}]"),
           doc("\"goals\": [{\"id\": \"G\\u0001\"}]"),
           doc("\"goals\": [{\"name\": \"G\"}]"),
           doc("\"measures\": [{\"id\": \"M\", \"weight\": 1e400}]"),
           doc("\"measures\": [{\"id\": \"M\", \"weight\": 01}]"),
           doc("\"measures\": [{\"id\": \"M\", \"weight\": 1.}]"),
           doc("\"measures\": [{\"id\": \"M\", \"weight\": NaN}]"),
           doc("\"measures\": [{\"id\": \"M\", \"subject\": {\"goal\": \"G\", \"unit\": \"U\"}}]"),
           doc("\"measures\": [{\"id\": \"M\", \"actuals\": [{\"period\": \"2026-01\"}]}]"),
           doc("\"milestones\": [{\"id\": \"MS\", \"progress\": 150}]"),
           doc("\"values\": [{\"id\": \"V\", \"attributes\": {\"a\": 1, \"a\": 2}}]"),
           doc("\"values\": [{\"id\": \"V\", \"attributes\": {\"a\": {\"b\": 1, \"b\": 2}}}]"),
           doc("\"reviews\": [{\"id\": \"R\", \"ratings\": [{\"value\": \"V\"}]}]"),
           R"({"spm_format_version": 2})",
           R"({"goals": []})",
           "\xEF\xBB{}"}) {
    EXPECT_FALSE(detail::load_json_fast(bad).has_value()) << bad;
    expect_same(bad, 3);
  }
}

TEST(JsonFast, UnderflowIsTheDiagnosingReadersToJudge) {
  // nlohmann/json reads 1e-400 as 0; the fast reader leaves such numbers to it.
  expect_same(doc("\"measures\": [{\"id\": \"M\", \"weight\": 1, \"baseline\": 1e-400}]"), 7);
}

TEST(JsonFast, TruncatedDocumentsGetTheSameErrors) {
  const std::string text = save_json(full_model(), {false});
  for (std::size_t cut = 0; cut < text.size(); cut += 97) expect_same(text.substr(0, cut), 5);
}

TEST(JsonFast, CorruptedDocumentsGetTheSameErrorsOrModels) {
  const std::string text = save_json(full_model());
  const char replacements[] = {'}', ',', '"', '[', '\0', '1', '\\', '\xC3'};
  for (std::size_t at = 0; at < text.size(); at += 41)
    for (char r : replacements) {
      std::string bad = text;
      bad[at] = r;
      expect_same(bad, at % 3 == 0 ? 2 : 0);
    }
}

TEST(JsonFast, FilesThatCannotBeStreamedAreLeftToTheCaller) {
  EXPECT_FALSE(detail::load_json_file_fast("no/such/file.json").has_value());
  EXPECT_FALSE(detail::load_json_file_fast(".").has_value());
}

// ---- the entity counter -------------------------------------------------------------------------

// A load leaves the measure store to the model's first evaluation, which takes its pool at once
// for every measure's run (instead of letting it grow by doubling, a copy each time).
TEST(JsonFast, LeavesTheMeasureStoreToTheFirstEvaluation) {
  const std::string measures =
      R"("perspectives": [{"id": "customer", "name": "Customer"}],)"
      R"("goals": [{"id": "G", "name": "G", "perspective": "customer"}],)"
      R"("measures": [)"
      R"({"id": "M1", "subject": {"goal": "G"}, "baseline": 0, "target": 10, "actuals": [)"
      R"({"period": "2026-01", "value": 1}, {"period": "2026-12", "value": 2}]},)"
      R"({"id": "M2", "subject": {"goal": "G"}, "baseline": 0, "target": 10, "actuals": [)"
      R"({"period": "2026-03", "value": 1}, {"period": "2026-04", "value": 2},)"
      R"({"period": "2026-07", "value": 3}]},)"
      R"({"id": "M3", "subject": {"goal": "G"}, "baseline": 0, "target": 10}])";
  const auto model = detail::load_json_fast(doc(measures));
  ASSERT_TRUE(model.has_value());
  const auto& store = detail::ModelAccess::impl(*model).table<Measure>().store();
  EXPECT_FALSE(store.active());
  EXPECT_EQ(store.values_capacity(), 0u);
  (void)Scorecard::evaluate(Cascade::compile(*model));
  EXPECT_TRUE(store.usable());
  EXPECT_EQ(store.values_held(), 12u + 5u);
  EXPECT_EQ(store.values_capacity(), 12u + 5u);
}

TEST(JsonFast, EntityCounterGivesTheSameCountsForAnyChunks) {
  GenerateOptions options;
  options.employees = 50;
  const std::string text = save_json(generate(options)) +
                           doc("\"goals\": [{\"id\": \"a\\\"b\"}, {\"i\\\"d\": 1}, {\"id\": 2}]");
  detail::EntityCounter whole;
  whole.feed(text);
  const auto counts = whole.counts();
  EXPECT_GT(counts[static_cast<std::size_t>(EntityKind::measure)], 0u);
  for (std::size_t chunk : {1u, 2u, 3u, 7u, 100u}) {
    detail::EntityCounter pieces;
    for (std::size_t i = 0; i < text.size(); i += chunk)
      pieces.feed(std::string_view(text).substr(i, chunk));
    EXPECT_EQ(pieces.counts(), counts) << "chunks of " << chunk;
  }
}

}  // namespace
