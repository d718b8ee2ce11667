// Tests of the JSON format: round trips of every field and of random models, and bad documents.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "io_fixtures.hpp"
#include "model/describe.hpp"
#include "spm/error.hpp"
#include "spm/io.hpp"
#include "spm/model.hpp"

namespace {

using namespace spm;
using spm_test::full_model;

std::string doc(const std::string& members) {
  return "{\"spm_format_version\": 1" + (members.empty() ? "" : ", " + members) + "}";
}

/// Loads `text`, expects an spm::Error with `code`, and returns it.
Error load_error(const std::string& text, ErrorCode code) {
  try {
    (void)load_json(text);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    return e;
  }
  ADD_FAILURE() << "no error for: " << text;
  return Error(ErrorCode::internal, "no error");
}

/// The first issue whose location starts with `path`.
const Issue* issue_at(const Error& e, const std::string& path) {
  for (const auto& i : e.issues())
    if (i.location.rfind(path, 0) == 0) return &i;
  return nullptr;
}

std::string all_issues(const Error& e) {
  std::string out;
  for (const auto& i : e.issues()) out += i.to_string() + "\n";
  return out;
}

#define EXPECT_ISSUE_AT(error, path)                                                  \
  EXPECT_NE(issue_at(error, path), nullptr) << "no issue at " << (path) << " among\n" \
                                            << all_issues(error)

// ---- round trips ------------------------------------------------------------------------------

TEST(JsonRoundTrip, EveryFieldOfEveryKind) {
  const Model m = full_model();
  for (bool pretty : {true, false}) {
    const std::string first = save_json(m, {pretty});
    const Model back = load_json(first);
    EXPECT_TRUE(back == m) << first;
    EXPECT_EQ(save_json(back, {pretty}), first);
  }
}

TEST(JsonRoundTrip, EveryFieldIsWrittenWhenNotDefault) {
  const Model m = full_model();
  const std::string text = save_json(m);
  detail::for_each_entity_type([&]<class T>(detail::tag<T>) {
    detail::describe(
        [&](const char* name, auto) {
          EXPECT_NE(text.find("\"" + std::string(name) + "\": "), std::string::npos) << name;
        },
        detail::tag<T>{});
  });
}

TEST(JsonRoundTrip, StreamAndFileMatchString) {
  const Model m = full_model();
  std::ostringstream out;
  save_json(m, out);
  EXPECT_EQ(out.str(), save_json(m));

  const std::string path = "roundtrip.json";
  save_json_file(m, path);
  EXPECT_TRUE(load_json_file(path) == m);
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str(), save_json(m));
  for (const auto& entry : std::filesystem::directory_iterator("."))
    EXPECT_EQ(entry.path().filename().string().find("roundtrip.json.tmp"), std::string::npos);
}

TEST(JsonRoundTrip, RandomModels) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    spm_test::RandomModel gen(seed);
    const Model m = gen.make(seed == 1 ? 300 : 100);
    for (bool pretty : {true, false}) {
      const std::string first = save_json(m, {pretty});
      const Model back = load_json(first);
      ASSERT_TRUE(back == m) << "seed " << seed;
      EXPECT_EQ(save_json(back, {pretty}), first) << "seed " << seed;
    }
  }
}

TEST(JsonWrite, DefaultsAreLeftOutAndLayoutIsOneEntityALine) {
  Model m;
  Goal g;
  g.id = "G1";
  m.add(g);
  g.id = "G2";
  g.name = "Two";
  m.add(g);
  const std::string text = save_json(m);
  EXPECT_EQ(text,
            "{\n"
            "  \"spm_format_version\": 1,\n"
            "  \"organization\": {\"id\": \"\"},\n"
            "  \"perspectives\": [],\n"
            "  \"goals\": [\n"
            "    {\"id\": \"G1\"},\n"
            "    {\"id\": \"G2\", \"name\": \"Two\"}\n"
            "  ]\n"
            "}\n");
  EXPECT_EQ(save_json(m, {false}),
            "{\"spm_format_version\":1,\"organization\":{\"id\":\"\"},\"perspectives\":[],"
            "\"goals\":[{\"id\":\"G1\"},{\"id\":\"G2\",\"name\":\"Two\"}]}");
}

TEST(JsonWrite, EscapesAndNumbers) {
  Model m;
  Measure ms;
  ms.id = "M\"1\\";
  ms.name = std::string("a\x01\x1f\n\t\xE2\x82\xAC", 8);
  ms.subject = {EntityKind::goal, "G"};
  ms.baseline = 0.1;
  ms.target = 1e300;
  ms.weight = 5;
  ms.cap = 1.0000000000000002;
  m.add(ms);
  const std::string text = save_json(m, {false});
  EXPECT_NE(text.find(R"("id":"M\"1\\")"), std::string::npos) << text;
  EXPECT_NE(text.find("\"name\":\"a\\u0001\\u001f\\n\\t\xE2\x82\xAC\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"baseline\":0.1,"), std::string::npos) << text;
  EXPECT_NE(text.find("\"target\":1e+300"), std::string::npos) << text;
  EXPECT_NE(text.find("\"weight\":5,"), std::string::npos) << text;
  EXPECT_NE(text.find("\"cap\":1.0000000000000002"), std::string::npos) << text;
  EXPECT_TRUE(load_json(text) == m);
}

// ---- reading ----------------------------------------------------------------------------------

TEST(JsonRead, KeysInAnyOrderAndMissingArrays) {
  const Model m = load_json(
      R"({"goals": [{"id": "G1", "perspective": "customer"}], "organization": {"id": "o"},
          "spm_format_version": 1})");
  EXPECT_EQ(m.info().id, "o");
  ASSERT_EQ(m.count(EntityKind::goal), 1u);
  EXPECT_EQ(m.count(EntityKind::measure), 0u);
}

TEST(JsonRead, AbsentPerspectivesMeanTheDefaultFour) {
  const Model m = load_json(doc(""));
  const auto defaults = default_perspectives();
  ASSERT_EQ(m.all<Perspective>().size(), defaults.size());
  for (std::size_t i = 0; i < defaults.size(); ++i) EXPECT_EQ(m.all<Perspective>()[i], defaults[i]);
  EXPECT_EQ(load_json(doc("\"perspectives\": []")).count(EntityKind::perspective), 0u);
  // A model without perspectives saves an explicit [] so that it loads without them.
  EXPECT_EQ(load_json(save_json(Model())).count(EntityKind::perspective), 0u);
}

TEST(JsonRead, SpecialShapes) {
  const Model m = load_json(doc(R"(
    "measures": [{"id": "M1", "subject": {"objective": "O1"}, "method": "binary", "target": 1,
                  "actuals": [{"period": "2026-01", "value": 12.5},
                              {"period": "2026-02", "value": null},
                              {"period": "2026-03", "numerator": 2, "denominator": 4}]}],
    "strategies": [{"id": "S1", "contributes_to": [{"goal": "G1"}, {"goal": "G2", "weight": 2}]}],
    "reviews": [{"id": "R1", "ratings": [{"value": "V1", "rating": 4},
                                         {"competency": "C2", "rating": 3}]}])"));
  const Measure& ms = m.get<Measure>("M1");
  EXPECT_EQ(ms.subject, (Ref{EntityKind::objective, "O1"}));
  ASSERT_EQ(ms.actuals.size(), 2u);  // null: no data, not stored
  EXPECT_EQ(ms.actuals[0].value, 12.5);
  EXPECT_EQ(ms.actuals[1].period, Period::month(2026, 3));
  EXPECT_EQ(ms.actuals[1].value, 0.5);
  EXPECT_EQ(ms.actuals[1].numerator, 2.0);
  const Strategy& s = m.get<Strategy>("S1");
  ASSERT_EQ(s.contributes_to.size(), 2u);
  EXPECT_EQ(s.contributes_to[0].weight, 1.0);
  EXPECT_EQ(s.contributes_to[1].weight, 2.0);
  const Review& r = m.get<Review>("R1");
  ASSERT_EQ(r.ratings.size(), 2u);
  EXPECT_EQ(r.ratings[1].subject, (Ref{EntityKind::competency, "C2"}));
  EXPECT_EQ(r.ratings[1].rating, 3.0);
}

TEST(JsonRead, AttributesKeepAnyJsonAsCompactText) {
  const Model m = load_json(doc(
      R"("values": [{"id": "V1", "attributes": {"b": [1, 2.50, {"x": null}], "a": "s\u00e9",
                                                "n": -3, "t": true}}])"));
  const Attributes expected = {
      {"b", "[1,2.50,{\"x\":null}]"}, {"a", "\"s\xC3\xA9\""}, {"n", "-3"}, {"t", "true"}};
  EXPECT_EQ(m.get<Value>("V1").attributes, expected);
}

TEST(JsonRead, IntegralFloatsForIntFields) {
  const Model m =
      load_json(doc(R"("review_cycles": [{"id": "RC", "check_in_cadence_days": 7.0}])"));
  EXPECT_EQ(m.get<ReviewCycle>("RC").check_in_cadence_days, 7);
}

// ---- bad documents ----------------------------------------------------------------------------

TEST(JsonErrors, SyntaxErrorsGiveLineAndColumn) {
  const Error e = load_error(
      "{\"spm_format_version\": 1,\n  \"goals\": [\n    {\"id\": \"G1\",}\n]}", ErrorCode::parse);
  ASSERT_EQ(e.issues().size(), 1u);
  EXPECT_NE(e.issues()[0].location.find("line 3, column"), std::string::npos)
      << e.issues()[0].location;
  EXPECT_NE(e.issues()[0].location.find("$.goals[0]"), std::string::npos) << e.issues()[0].location;
  EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
}

TEST(JsonErrors, Truncated) {
  const std::string text = save_json(full_model());
  for (std::size_t cut :
       {std::size_t{0}, std::size_t{1}, text.size() / 3, text.size() / 2, text.size() - 2}) {
    const Error e = load_error(text.substr(0, cut), ErrorCode::parse);
    ASSERT_FALSE(e.issues().empty());
    EXPECT_NE(e.issues().back().location.find("line"), std::string::npos);
  }
}

TEST(JsonErrors, NotAnObject) {
  load_error("[1, 2]", ErrorCode::parse);
  load_error("\"spm\"", ErrorCode::parse);
  load_error("", ErrorCode::parse);
  load_error("{} trailing", ErrorCode::parse);
}

TEST(JsonErrors, FormatVersion) {
  const Error missing = load_error(R"({"goals": []})", ErrorCode::unsupported);
  EXPECT_NE(std::string(missing.what()).find("spm_format_version"), std::string::npos);
  const Error future = load_error(R"({"spm_format_version": 2})", ErrorCode::unsupported);
  EXPECT_NE(std::string(future.what()).find('2'), std::string::npos) << future.what();
  load_error(R"({"spm_format_version": 0})", ErrorCode::unsupported);
  const Error text = load_error(R"({"spm_format_version": "1"})", ErrorCode::unsupported);
  EXPECT_NE(std::string(text.what()).find("\"1\""), std::string::npos) << text.what();
  // The version decides before any other problem.
  load_error(R"({"goals": [{"id": 5}], "spm_format_version": 99})", ErrorCode::unsupported);
}

TEST(JsonErrors, WrongTypes) {
  const Error e = load_error(doc(R"("goals": [{"id": "G1"}, {"id": "G2", "name": 5,
                                     "drives": "G1", "start": 20260101}],
                                    "organization": [])"),
                             ErrorCode::parse);
  const Issue* name = issue_at(e, "$.goals[1].name");
  ASSERT_NE(name, nullptr) << all_issues(e);
  EXPECT_EQ(name->kind, "goal");
  EXPECT_EQ(name->id, "G2");
  EXPECT_EQ(name->field, "name");
  EXPECT_NE(name->message.find("string"), std::string::npos);
  EXPECT_NE(name->location.find("line 1"), std::string::npos);
  EXPECT_ISSUE_AT(e, "$.goals[1].drives");
  EXPECT_ISSUE_AT(e, "$.goals[1].start");
  EXPECT_ISSUE_AT(e, "$.organization");
  EXPECT_EQ(e.issues().size(), 4u) << all_issues(e);
}

TEST(JsonErrors, UnknownKeysAnywhere) {
  const Error e = load_error(doc(R"("goals": [{"id": "G1", "nmae": "x"}],
             "organization": {"id": "o", "settings": {"capp": 2,
                                "status_bands": [{"status": "green", "lowr": 1}]}},
             "gaols": [],
             "measures": [{"id": "M", "targets": [{"period": "2026", "valeu": 1}],
                           "actuals": [{"period": "2026", "vlaue": 1}]}])"),
                             ErrorCode::parse);
  EXPECT_ISSUE_AT(e, "$.goals[0].nmae");
  EXPECT_ISSUE_AT(e, "$.organization.settings.capp");
  EXPECT_ISSUE_AT(e, "$.organization.settings.status_bands[0].lowr");
  EXPECT_ISSUE_AT(e, "$.gaols");
  EXPECT_ISSUE_AT(e, "$.measures[0].targets[0].valeu");
  EXPECT_ISSUE_AT(e, "$.measures[0].actuals[0].vlaue");
  EXPECT_EQ(issue_at(e, "$.goals[0].nmae")->field, "nmae");
}

TEST(JsonErrors, UnknownEnumValue) {
  const Error e =
      load_error(doc(R"("measures": [{"id": "M", "method": "lineer"}])"), ErrorCode::parse);
  const Issue* i = issue_at(e, "$.measures[0].method");
  ASSERT_NE(i, nullptr) << all_issues(e);
  EXPECT_NE(i->message.find("linear"), std::string::npos) << i->message;
}

TEST(JsonErrors, DuplicateKeys) {
  const Error e = load_error(doc(R"("goals": [{"id": "G1", "name": "a", "name": "b"},
                       {"id": "G2", "attributes": {"x": {"y": 1, "y": 2}}}],
             "goals": [])"),
                             ErrorCode::parse);
  EXPECT_ISSUE_AT(e, "$.goals[0].name");
  EXPECT_ISSUE_AT(e, "$.goals[1].attributes.x.y");
  EXPECT_ISSUE_AT(e, "$.goals,");
  // Objects with many members use a set; still caught.
  std::string many = "\"values\": [{\"id\": \"V\", \"attributes\": {";
  for (int i = 0; i < 40; ++i) many += "\"k" + std::to_string(i) + "\": 1, ";
  many += "\"k7\": 2}}]";
  EXPECT_ISSUE_AT(load_error(doc(many), ErrorCode::parse), "$.values[0].attributes.k7");
}

TEST(JsonErrors, NumbersOutOfRange) {
  const Error huge =
      load_error(doc(R"("measures": [{"id": "M", "weight": 1e400}])"), ErrorCode::parse);
  EXPECT_ISSUE_AT(huge, "$.measures[0].weight");
  load_error(doc(R"("measures": [{"id": "M", "weight": -1e999}])"), ErrorCode::parse);
  const Error big_int =
      load_error(doc(R"("review_cycles": [{"id": "R", "check_in_cadence_days": 3000000000}])"),
                 ErrorCode::parse);
  EXPECT_ISSUE_AT(big_int, "$.review_cycles[0].check_in_cadence_days");
  const Error fraction = load_error(
      doc(R"("review_cycles": [{"id": "R", "anonymity": {"peer": 2.5}}])"), ErrorCode::parse);
  EXPECT_ISSUE_AT(fraction, "$.review_cycles[0].anonymity.peer");
}

TEST(JsonErrors, NanAndInfinityAreNotJson) {
  for (const char* literal : {"NaN", "nan", "Infinity", "-Infinity", "inf"}) {
    const Error e =
        load_error(doc(std::string("\"measures\": [{\"id\": \"M\", \"weight\": ") + literal + "}]"),
                   ErrorCode::parse);
    EXPECT_ISSUE_AT(e, "$.measures[0].weight");
  }
}

TEST(JsonErrors, InvalidUtf8) {
  for (const char* bad : {"\xFF", "\xC3", "\xED\xA0\x80", "\xC0\xAF"}) {
    const Error e =
        load_error(doc(std::string("\"goals\": [{\"id\": \"G1\", \"name\": \"a") + bad + "\"}]"),
                   ErrorCode::parse);
    EXPECT_ISSUE_AT(e, "$.goals[0]");
  }
}

TEST(JsonErrors, DuplicateIds) {
  const Error e = load_error(doc(R"("goals": [{"id": "G1"}, {"id": "G2"}, {"id": "G1"}])"),
                             ErrorCode::validation);
  ASSERT_EQ(e.issues().size(), 1u) << all_issues(e);
  EXPECT_TRUE(e.issues()[0].location.starts_with("$.goals[2].id, line 1")) << all_issues(e);
  EXPECT_EQ(e.issues()[0].kind, "goal");
  EXPECT_EQ(e.issues()[0].id, "G1");
  EXPECT_EQ(e.issues()[0].field, "id");
}

TEST(JsonErrors, BadDatesAndPeriods) {
  const Error e = load_error(
      doc(R"("goals": [{"id": "G1", "start": "2026-02-30"}, {"id": "G2", "end": "26-1-1"}],
             "budgets": [{"id": "B", "period": "2026-13"}],
             "review_cycles": [{"id": "R", "first": "2026-Q5", "last": "2026-Q4"}])"),
      ErrorCode::parse);
  EXPECT_ISSUE_AT(e, "$.goals[0].start");
  EXPECT_ISSUE_AT(e, "$.goals[1].end");
  EXPECT_ISSUE_AT(e, "$.budgets[0].period");
  EXPECT_ISSUE_AT(e, "$.review_cycles[0].first");
  EXPECT_EQ(e.issues().size(), 4u) << all_issues(e);
}

TEST(JsonErrors, BadRefs) {
  const Error e = load_error(doc(R"("measures": [
      {"id": "M1", "subject": {}},
      {"id": "M2", "subject": {"goal": "G1", "strategy": "S1"}},
      {"id": "M3", "subject": {"goul": "G1"}},
      {"id": "M4", "subject": {"goal": 7}},
      {"id": "M5", "subject": "G1"}],
      "strategies": [{"id": "S", "contributes_to": [{"goal": "G", "weight": "2"}]}],
      "reviews": [{"id": "R", "ratings": [{"value": "V1"}]}])"),
                             ErrorCode::parse);
  EXPECT_ISSUE_AT(e, "$.measures[0].subject");
  EXPECT_ISSUE_AT(e, "$.measures[1].subject.strategy");
  EXPECT_ISSUE_AT(e, "$.measures[2].subject.goul");
  EXPECT_ISSUE_AT(e, "$.measures[3].subject.goal");
  EXPECT_ISSUE_AT(e, "$.measures[4].subject");
  EXPECT_ISSUE_AT(e, "$.strategies[0].contributes_to[0].weight");
  EXPECT_ISSUE_AT(e, "$.reviews[0].ratings[0]");
}

TEST(JsonErrors, BadActuals) {
  const Error e = load_error(doc(R"("measures": [{"id": "M", "actuals": [
      {"period": "2026-01", "numerator": 1, "denominator": 0},
      {"period": "2026-02", "numerator": 1},
      {"period": "2026-03", "value": 1, "numerator": 1, "denominator": 2},
      {"value": 1},
      {"period": "2026-05"}]}])"),
                             ErrorCode::parse);
  EXPECT_ISSUE_AT(e, "$.measures[0].actuals[0].denominator");
  EXPECT_ISSUE_AT(e, "$.measures[0].actuals[1]");
  EXPECT_ISSUE_AT(e, "$.measures[0].actuals[2]");
  EXPECT_ISSUE_AT(e, "$.measures[0].actuals[3]");
  EXPECT_ISSUE_AT(e, "$.measures[0].actuals[4]");
  EXPECT_EQ(e.issues().size(), 5u) << all_issues(e);
}

TEST(JsonErrors, ModelChecksGetPaths) {
  const Error e = load_error(doc(R"("milestones": [{"id": "MS", "progress": 150}],
             "measures": [{"id": "M", "subject": {"goal": "G"}, "method": "linear",
                           "baseline": 5, "targets": [{"period": "2026", "value": 1}]}],
             "organization": {"id": "o", "settings": {"cap": 0.5}})"),
                             ErrorCode::validation);
  const Issue* progress = issue_at(e, "$.milestones[0].progress");
  ASSERT_NE(progress, nullptr) << all_issues(e);
  EXPECT_EQ(progress->kind, "milestone");
  EXPECT_EQ(progress->id, "MS");
  EXPECT_EQ(progress->field, "progress");
  EXPECT_ISSUE_AT(e, "$.measures[0].targets[0].value");
  EXPECT_ISSUE_AT(e, "$.organization.settings.cap");
}

TEST(JsonErrors, ShapeProblemsOutrankModelProblems) {
  load_error(doc(R"("milestones": [{"id": "MS", "progress": 150}, {"id": "X", "oops": 1}])"),
             ErrorCode::parse);
}

TEST(JsonErrors, EntitiesMustBeObjects) {
  const Error e = load_error(doc(R"("goals": [1, "G", null, []], "values": {})"), ErrorCode::parse);
  for (const char* p : {"$.goals[0]", "$.goals[1]", "$.goals[2]", "$.goals[3]", "$.values"})
    EXPECT_ISSUE_AT(e, p);
}

TEST(JsonErrors, DeepNestingIsRefused) {
  std::string deep(100000, '[');
  load_error(doc("\"values\": [{\"id\": \"V\", \"attributes\": {\"a\": " + deep + "}}]"),
             ErrorCode::parse);
}

TEST(JsonErrors, HostileArraysDoNotReserveMemory) {
  // Ten million commas: the pre-count must not reserve an entity for each.
  std::string commas(10000000, ',');
  load_error(doc("\"employees\": [" + commas + "]"), ErrorCode::parse);
}

TEST(JsonErrors, OddKeysAreQuotedInPaths) {
  const Error e = load_error(
      doc(R"("values": [{"id": "V", "attributes": {"cost center": {"a b": 1, "a b": 2}}}])"),
      ErrorCode::parse);
  EXPECT_ISSUE_AT(e, "$.values[0].attributes[\"cost center\"][\"a b\"]");
}

TEST(JsonErrors, CorruptedDocumentsGiveErrorsNeverCrashes) {
  const std::string text = save_json(full_model());
  const char replacements[] = {'}', ',', '"', '[', '\0'};
  std::size_t errors = 0;
  for (std::size_t at = 0; at < text.size(); at += 11) {
    for (char r : replacements) {
      std::string bad = text;
      bad[at] = r;
      try {
        (void)load_json(bad);
      } catch (const Error& e) {
        ++errors;
        EXPECT_FALSE(e.issues().empty() && e.code() != ErrorCode::unsupported) << e.what();
      }
    }
    std::string cut = text;
    cut.erase(at, 1);
    try {
      (void)load_json(cut);
    } catch (const Error&) {
      ++errors;
    }
  }
  EXPECT_GT(errors, 0u);
}

TEST(JsonFiles, IoErrors) {
  try {
    (void)load_json_file("no/such/file.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
    EXPECT_NE(std::string(e.what()).find("no/such/file.json"), std::string::npos);
  }
  try {
    save_json_file(Model(), "no/such/dir/out.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
    EXPECT_NE(std::string(e.what()).find("no/such/dir/out.json"), std::string::npos);
  }
}

TEST(JsonFiles, SaveReplacesWholeFile) {
  const std::string path = "replace.json";
  { std::ofstream(path) << std::string(100000, 'x'); }
  Model m;
  Goal g;
  g.id = "G";
  m.add(g);
  save_json_file(m, path);
  EXPECT_TRUE(load_json_file(path) == m);
}

TEST(JsonErrors, DocumentCutOffInsideAnEntityArray) {
  // Once crashed the loader while it named the open array in its error.
  for (const char* text : {R"({"spm_format_version": 1, "goals": [)",
                           R"({"spm_format_version": 1, "goals": [{"id": "G")",
                           R"({"spm_format_version": 1, "goals": [{}, )"}) {
    try {
      (void)load_json(text);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::parse) << text;
    }
  }
}

TEST(JsonFiles, ADirectoryIsAnIoErrorNotACrash) {
  std::filesystem::create_directories("a_directory.json");
  try {
    (void)load_json_file("a_directory.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
    EXPECT_NE(std::string(e.what()).find("directory"), std::string::npos);
  }
  EXPECT_THROW(save_json_file(Model(), "a_directory.json"), Error);
}

TEST(JsonFiles, SaveWritesThroughALinkAndKeepsPermissions) {
  namespace fs = std::filesystem;
  const std::string target = "link_target.json", link = "link.json";
  fs::remove(target);
  fs::remove(link);
  { std::ofstream(target) << "{}"; }
  fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  fs::create_symlink(target, link);
  Model m;
  Goal g;
  g.id = "G";
  m.add(g);
  save_json_file(m, link);
  EXPECT_TRUE(fs::is_symlink(link));  // still a link, not replaced by a file
  EXPECT_TRUE(load_json_file(target) == m);
  EXPECT_EQ(fs::status(target).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
}

// ---- documentation ----------------------------------------------------------------------------

/// docs/format.md has a section `### <name>` with a table whose rows start "| `field` |" for
/// every entity kind and nested structure. Every field of describe.hpp must be in its table.
TEST(JsonDocs, EveryFieldIsDocumented) {
  std::ifstream in(std::string(SPM_SOURCE_DIR) + "/docs/format.md");
  ASSERT_TRUE(in) << "docs/format.md is missing";
  std::map<std::string, std::set<std::string>> tables;
  std::string line, section;
  while (std::getline(in, line)) {
    if (line.starts_with("#")) {
      section = line.starts_with("### ") ? line.substr(4) : "";
      if (auto sp = section.find(' '); sp != std::string::npos) section.resize(sp);
      continue;
    }
    if (line.starts_with("| `") && !section.empty()) {
      const auto end = line.find('`', 3);
      if (end != std::string::npos) tables[section].insert(line.substr(3, end - 3));
    }
  }
  auto check = [&]<class T>(const std::string& name, detail::tag<T>) {
    ASSERT_TRUE(tables.count(name)) << "docs/format.md has no section ### " << name;
    detail::describe(
        [&](const char* field, auto) {
          EXPECT_TRUE(tables[name].count(field))
              << "docs/format.md: field `" << field << "` missing from ### " << name;
        },
        detail::tag<T>{});
    // And nothing documented that does not exist.
    std::set<std::string> real;
    detail::describe([&](const char* field, auto) { real.insert(field); }, detail::tag<T>{});
    for (const auto& f : tables[name])
      EXPECT_TRUE(real.count(f)) << "docs/format.md: ### " << name << " documents `" << f
                                 << "`, which is not a field";
  };
  detail::for_each_entity_type(
      [&]<class T>(detail::tag<T> t) { check(to_string(entity_kind_of<T>::value), t); });
  check("organization", detail::tag<OrganizationInfo>{});
  check("settings", detail::tag<Settings>{});
  check("status_band", detail::tag<StatusBand>{});
  check("score_range", detail::tag<ScoreRange>{});
  check("period_target", detail::tag<PeriodTarget>{});
  check("competency_requirement", detail::tag<CompetencyRequirement>{});
  check("rating_scale", detail::tag<RatingScale>{});
  check("component_weights", detail::tag<ComponentWeights>{});
  check("anonymity_thresholds", detail::tag<AnonymityThresholds>{});
}

}  // namespace
