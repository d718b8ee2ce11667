// Tests of actuals as CSV: round trips, all-or-nothing loads, and line numbers in errors.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "io_fixtures.hpp"
#include "spm/error.hpp"
#include "spm/io.hpp"
#include "spm/model.hpp"

namespace {

using namespace spm;

Model measures() {
  Model m;
  for (const char* id : {"M1", "M,2", "M3"}) {
    Measure ms;
    ms.id = id;
    ms.subject = {EntityKind::goal, "G1"};
    ms.method = ScoringMethod::binary;
    ms.target = 1;
    m.add(ms);
  }
  return m;
}

Error csv_error(Model& m, const std::string& text, ErrorCode code) {
  try {
    (void)load_actuals_csv(m, text);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    return e;
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return Error(ErrorCode::internal, "no error");
}

bool has_issue(const Error& e, const std::string& location, const std::string& field) {
  for (const auto& i : e.issues())
    if (i.location == location && i.field == field) return true;
  return false;
}

std::string all_issues(const Error& e) {
  std::string out;
  for (const auto& i : e.issues()) out += i.to_string() + "\n";
  return out;
}

TEST(CsvActuals, LoadSetsActuals) {
  Model m = measures();
  const auto result = load_actuals_csv(m,
                                       "measure,period,value,numerator,denominator\n"
                                       "M1,2026-01,12.5,,\n"
                                       "M1,2026-Q1,-3,,\n"
                                       "\"M,2\",2026,,2,4\n"
                                       "M3,2026-02,,,\n"
                                       "\n"
                                       "  M3  , 2026-03 , 1e6 ,,\n");
  EXPECT_EQ(result.rows, 4u);
  const auto& a1 = m.get<Measure>("M1").actuals;
  ASSERT_EQ(a1.size(), 2u);
  EXPECT_EQ(a1[0].period, Period::quarter(2026, 1));  // sorted by period: Q1 before its January
  EXPECT_EQ(a1[1].value, 12.5);
  const auto& a2 = m.get<Measure>("M,2").actuals;
  ASSERT_EQ(a2.size(), 1u);
  EXPECT_EQ(a2[0].value, 0.5);
  EXPECT_EQ(a2[0].numerator, 2.0);
  EXPECT_EQ(a2[0].denominator, 4.0);
  ASSERT_EQ(m.get<Measure>("M3").actuals.size(), 1u);  // the empty row is no data
  EXPECT_EQ(m.get<Measure>("M3").actuals[0].value, 1e6);
}

TEST(CsvActuals, ColumnsInAnyOrderAndOptionalRatioColumns) {
  Model m = measures();
  load_actuals_csv(m, "period,value,measure\r\n2026-05,7,M1\r\n");
  ASSERT_EQ(m.get<Measure>("M1").actuals.size(), 1u);
  EXPECT_EQ(m.get<Measure>("M1").actuals[0].value, 7);
  // A byte order mark is ignored; the last row needs no line break.
  load_actuals_csv(m, "\xEF\xBB\xBFmeasure,period,value\nM1,2026-06,8");
  EXPECT_EQ(m.get<Measure>("M1").actuals.size(), 2u);
}

TEST(CsvActuals, RowsReplaceExistingActuals) {
  Model m = measures();
  m.set_actual("M1", Actual{Period::month(2026, 1), 1, {}, {}});
  load_actuals_csv(m, "measure,period,value\nM1,2026-01,2\n");
  ASSERT_EQ(m.get<Measure>("M1").actuals.size(), 1u);
  EXPECT_EQ(m.get<Measure>("M1").actuals[0].value, 2);
}

TEST(CsvActuals, SaveWritesEveryActualInOrder) {
  Model m = measures();
  load_actuals_csv(m,
                   "measure,period,value,numerator,denominator\n"
                   "M3,2026-02,0.1,,\n"
                   "M1,2026-02,1e-7,,\n"
                   "M1,2026-01,100,,\n"
                   "\"M,2\",2026-01,,1,3\n");
  EXPECT_EQ(save_actuals_csv(m),
            "measure,period,value,numerator,denominator\n"
            "M1,2026-01,100,,\n"
            "M1,2026-02,1e-07,,\n"
            "\"M,2\",2026-01,,1,3\n"
            "M3,2026-02,0.1,,\n");
}

TEST(CsvActuals, RoundTripOfRandomModels) {
  for (std::uint64_t seed : {7u, 8u}) {
    const Model m = spm_test::RandomModel(seed).make(60);
    const std::string csv = save_actuals_csv(m);
    // Clear every actual, then load them back.
    Model cleared = m;
    for (const Measure& ms : m.all<Measure>())
      for (const Actual& a : ms.actuals) cleared.erase_actual(ms.id, a.period);
    load_actuals_csv(cleared, csv);
    EXPECT_TRUE(cleared == m) << "seed " << seed;
    EXPECT_EQ(save_actuals_csv(cleared), csv);
  }
}

TEST(CsvActuals, AllOrNothingWithLineNumbers) {
  Model m = measures();
  m.set_actual("M1", Actual{Period::month(2026, 1), 1, {}, {}});
  const Model before = m;
  const Error e = csv_error(m,
                            "measure,period,value,numerator,denominator\n"
                            "M1,2026-01,5,,\n"       // 2: fine
                            "M9,2026-01,5,,\n"       // 3: unknown measure
                            "M1,2026-13,5,,\n"       // 4: bad period
                            "M1,2026-02,abc,,\n"     // 5: not a number
                            "M1,2026-03,inf,,\n"     // 6: infinite
                            "M1,2026-04,,3,\n"       // 7: numerator without denominator
                            "M1,2026-01,6,,\n"       // 8: repeats line 2
                            "M1,2026-05,1,,,\n"      // 9: too many fields
                            "M1,2026-06,,1,0\n"      // 10: denominator 0
                            "M1,2026-07,nan,,\n"     // 11: not a number
                            "M1,2026-08,1e999,,\n",  // 12: out of range
                            ErrorCode::parse);
  EXPECT_TRUE(m == before);
  EXPECT_TRUE(has_issue(e, "line 3", "measure")) << all_issues(e);
  EXPECT_TRUE(has_issue(e, "line 4", "period")) << all_issues(e);
  EXPECT_TRUE(has_issue(e, "line 5", "value")) << all_issues(e);
  EXPECT_TRUE(has_issue(e, "line 6", "value")) << all_issues(e);
  EXPECT_TRUE(has_issue(e, "line 7", "denominator")) << all_issues(e);
  EXPECT_TRUE(has_issue(e, "line 8", "period")) << all_issues(e);
  EXPECT_TRUE(has_issue(e, "line 9", "")) << all_issues(e);
  EXPECT_TRUE(has_issue(e, "line 10", "denominator")) << all_issues(e);
  EXPECT_TRUE(has_issue(e, "line 11", "value")) << all_issues(e);
  EXPECT_TRUE(has_issue(e, "line 12", "value")) << all_issues(e);
  EXPECT_EQ(e.issues().size(), 10u) << all_issues(e);
  for (const auto& i : e.issues()) {
    if (i.location == "line 3") {
      EXPECT_NE(i.message.find("M9"), std::string::npos);
    }
  }
}

TEST(CsvActuals, OnlyUnknownMeasuresIsValidation) {
  Model m = measures();
  const Error e =
      csv_error(m, "measure,period,value\nM1,2026-01,1\nX,2026-01,1\n", ErrorCode::validation);
  EXPECT_TRUE(has_issue(e, "line 3", "measure")) << all_issues(e);
  EXPECT_TRUE(m.get<Measure>("M1").actuals.empty());
}

TEST(CsvActuals, RefusalByTheModelRollsBack) {
  // A measure scored by the ratio method refuses negative actuals (a rule of the model's).
  Model m;
  Measure ms;
  ms.id = "R";
  ms.subject = {EntityKind::goal, "G1"};
  ms.method = ScoringMethod::ratio;
  ms.target = 1;
  m.add(ms);
  m.set_actual("R", Actual{Period::month(2026, 1), 1, {}, {}});
  const Model before = m;
  try {
    load_actuals_csv(m, "measure,period,value\nR,2026-01,2\nR,2026-02,3\nR,2026-03,-1\n");
    FAIL() << "the model took a negative actual";
  } catch (const Error& e) {
    ASSERT_FALSE(e.issues().empty());
    EXPECT_EQ(e.issues()[0].location, "line 4") << all_issues(e);
  }
  EXPECT_TRUE(m == before);
}

TEST(CsvActuals, BadHeaders) {
  Model m = measures();
  const Error unknown =
      csv_error(m, "measure,period,value,comment\nM1,2026-01,1,x\n", ErrorCode::parse);
  EXPECT_NE(std::string(unknown.what()).find("comment"), std::string::npos);
  EXPECT_EQ(unknown.issues()[0].location, "line 1");
  csv_error(m, "measure,value\nM1,1\n", ErrorCode::parse);
  csv_error(m, "measure,period,value,value\n", ErrorCode::parse);
  csv_error(m, "", ErrorCode::parse);
  csv_error(m, "measure,period,value\nM1,\"2026-01,1\n", ErrorCode::parse);  // open quote
}

TEST(CsvActuals, QuotingAndLineNumbersAfterLineBreaksInQuotes) {
  Model m;
  Measure ms;
  ms.id = "say \"hi\", ok ";
  ms.subject = {EntityKind::goal, "G1"};
  ms.method = ScoringMethod::binary;
  ms.target = 1;
  m.add(ms);
  m.set_actual(ms.id, Actual{Period::month(2026, 1), 4, {}, {}});
  const std::string csv = save_actuals_csv(m);
  EXPECT_EQ(csv,
            "measure,period,value,numerator,denominator\n\"say \"\"hi\"\", ok \",2026-01,4,,\n");
  Model copy = m;
  copy.erase_actual(ms.id, Period::month(2026, 1));
  load_actuals_csv(copy, csv);
  EXPECT_TRUE(copy == m);
  const Error e = csv_error(copy, "measure,period,value\n\"two\nlines\",2026-01,1\nM0,2026-01,1\n",
                            ErrorCode::validation);
  EXPECT_TRUE(has_issue(e, "line 2", "measure")) << all_issues(e);
  EXPECT_TRUE(has_issue(e, "line 4", "measure")) << all_issues(e);
}

TEST(CsvActuals, Files) {
  Model m = measures();
  m.set_actual("M1", Actual{Period::month(2026, 1), 1, {}, {}});
  save_actuals_csv_file(m, "actuals.csv");
  Model n = measures();
  EXPECT_EQ(load_actuals_csv_file(n, "actuals.csv").rows, 1u);
  EXPECT_TRUE(n == m);
  try {
    load_actuals_csv_file(n, "no/such/actuals.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
  }
  EXPECT_THROW(save_actuals_csv_file(m, "no/such/dir/a.csv"), Error);
}

}  // namespace
