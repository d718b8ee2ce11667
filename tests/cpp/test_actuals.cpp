// Actuals: a measure's actuals, kept compact, read like a std::vector<Actual> of values.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <type_traits>
#include <vector>

#include "spm/error.hpp"
#include "spm/model.hpp"

using spm::Actual;
using spm::Actuals;
using spm::Period;

namespace {

Actual plain(int month, double value) {
  return Actual{Period::month(2026, month), value, {}, {}};
}
Actual ratio(int month, double numerator, double denominator) {
  return Actual{Period::month(2026, month), numerator / denominator, numerator, denominator};
}

// Neither an element nor what an iterator points at can be assigned to: such an assignment
// would change a copy, not the actual.
static_assert(!std::is_assignable_v<decltype(std::declval<Actuals&>()[0]), Actual>);
static_assert(!std::is_assignable_v<decltype(*std::declval<Actuals::const_iterator>()), Actual>);
static_assert(std::random_access_iterator<Actuals::const_iterator>);
static_assert(std::ranges::random_access_range<const Actuals>);
static_assert(!std::is_constructible_v<Actuals, int, int>);  // a range needs iterators

}  // namespace

TEST(Actuals, HoldsWhatItIsGivenInOrder) {
  const std::vector<Actual> given = {plain(1, 1.5), plain(2, -2.0), plain(4, 0.0)};
  const Actuals a = given;
  ASSERT_EQ(a.size(), 3u);
  EXPECT_FALSE(a.empty());
  for (std::size_t i = 0; i < given.size(); ++i) {
    EXPECT_EQ(a[i], given[i]) << i;
    EXPECT_EQ(a.period(i), given[i].period) << i;
    EXPECT_EQ(a.value(i), given[i].value) << i;
  }
  EXPECT_EQ(a.front(), given.front());
  EXPECT_EQ(a.back(), given.back());
  EXPECT_EQ(a.to_vector(), given);
  EXPECT_EQ(std::vector<Actual>(a.begin(), a.end()), given);
  EXPECT_EQ(a.end() - a.begin(), 3);
  EXPECT_EQ(a.begin()[2], given[2]);
  EXPECT_EQ(a.begin()->value, 1.5);
  EXPECT_EQ(Actuals({plain(1, 1.5), plain(2, -2.0), plain(4, 0.0)}), a);
  EXPECT_TRUE(Actuals().empty());
}

TEST(Actuals, KeepsNumeratorsAndDenominatorsOnlyWhereGiven) {
  Actuals a;
  a.push_back(plain(1, 3.0));
  a.push_back(ratio(2, 1.0, 4.0));  // the first ratio: the plain one before keeps none
  a.push_back(plain(3, 5.0));
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0], plain(1, 3.0));
  EXPECT_FALSE(a[0].numerator);
  EXPECT_FALSE(a[0].denominator);
  EXPECT_EQ(a[1], ratio(2, 1.0, 4.0));
  EXPECT_EQ(*a[1].numerator, 1.0);
  EXPECT_EQ(*a[1].denominator, 4.0);
  EXPECT_EQ(a[2], plain(3, 5.0));
  EXPECT_FALSE(a[2].numerator);

  // A ratio as the very first actual, and one part alone (validate refuses it; the container
  // keeps what it is given).
  Actuals b;
  b.push_back(ratio(1, 2.0, 8.0));
  EXPECT_EQ(b[0], ratio(1, 2.0, 8.0));
  Actual half = plain(2, 1.0);
  half.denominator = 3.0;
  b.push_back(half);
  EXPECT_EQ(b[1], half);
  EXPECT_FALSE(b[1].numerator);
  EXPECT_NE(a, b);
}

TEST(Actuals, InsertsSetsAndErasesAtAnyPosition) {
  Actuals a = {plain(1, 1.0), plain(3, 3.0)};
  auto it = a.insert(a.begin() + 1, plain(2, 2.0));
  EXPECT_EQ(it - a.begin(), 1);
  a.insert(a.begin(), ratio(0 + 12, 1.0, 2.0));  // ratio parts appear in the middle of a life
  EXPECT_EQ(a.to_vector(), (std::vector<Actual>{ratio(12, 1.0, 2.0), plain(1, 1.0), plain(2, 2.0),
                                                plain(3, 3.0)}));
  a.set(2, ratio(2, 3.0, 4.0));
  EXPECT_EQ(a[2], ratio(2, 3.0, 4.0));
  a.set(0, plain(12, 7.0));
  EXPECT_EQ(a[0], plain(12, 7.0));
  EXPECT_FALSE(a[0].numerator);
  it = a.erase(a.begin());
  EXPECT_EQ(it - a.begin(), 0);
  EXPECT_EQ(a.to_vector(), (std::vector<Actual>{plain(1, 1.0), ratio(2, 3.0, 4.0), plain(3, 3.0)}));
  a.erase(a.begin() + 1, a.end());
  EXPECT_EQ(a.to_vector(), std::vector<Actual>{plain(1, 1.0)});
  a.pop_back();
  EXPECT_TRUE(a.empty());
  a.push_back(plain(5, 5.0));
  EXPECT_EQ(a[0], plain(5, 5.0));
  a.clear();
  EXPECT_EQ(a.size(), 0u);
}

TEST(Actuals, SearchesLikeASortedVector) {
  Actuals a;
  for (int m = 1; m <= 12; m += 2) a.push_back(plain(m, m * 10.0));
  const auto before = [](const Actual& x, Period p) { return x.period < p; };
  auto it = std::lower_bound(a.begin(), a.end(), Period::month(2026, 5), before);
  ASSERT_NE(it, a.end());
  EXPECT_EQ(it->value, 50.0);
  it = std::lower_bound(a.begin(), a.end(), Period::month(2026, 6), before);
  EXPECT_EQ(it->period, Period::month(2026, 7));
  EXPECT_EQ(std::distance(a.begin(), it), 3);
  EXPECT_EQ(std::ranges::count_if(a, [](const Actual& x) { return x.value > 60.0; }), 3);
}

TEST(Actuals, AtNamesTheMissingActual) {
  const Actuals a = {plain(1, 1.0)};
  EXPECT_EQ(a.at(0), plain(1, 1.0));
  try {
    (void)a.at(1);
    FAIL() << "no error";
  } catch (const spm::Error& e) {
    EXPECT_EQ(e.code(), spm::ErrorCode::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("actual 1 does not exist (there are 1)"),
              std::string::npos)
        << e.what();
  }
}

TEST(Actuals, EqualityComparesEveryPart) {
  const Actuals a = {plain(1, 1.0), ratio(2, 1.0, 2.0)};
  Actuals b = a;
  EXPECT_EQ(a, b);
  b.set(1, ratio(2, 2.0, 4.0));  // the same value, other parts
  EXPECT_NE(a, b);
  b = a;
  b.set(0, Actual{Period::quarter(2026, 1), 1.0, {}, {}});
  EXPECT_NE(a, b);
  b = a;
  b.push_back(plain(3, 0.0));
  EXPECT_NE(a, b);
}

TEST(Actuals, ReservedRoomIsUsedAndAModelKeepsThemSorted) {
  // Room reserved is room used: a loader reserves each measure's actuals at their number.
  Actuals a;
  a.reserve(12);
  for (int m = 1; m <= 12; ++m) a.push_back(plain(m, m));
  EXPECT_EQ(a.capacity(), 12u);

  spm::Model model;
  spm::Goal g;
  g.id = "G";
  g.name = "Goal";
  model.add(g);
  spm::Measure m;
  m.id = "M";
  m.name = "Measure";
  m.subject = {spm::EntityKind::goal, "G"};
  m.baseline = 0.0;
  m.target = 1.0;
  m.actuals = {plain(3, 3.0), plain(1, 1.0)};  // out of order: refused, the model unchanged
  EXPECT_THROW(model.add(m), spm::Error);
  EXPECT_EQ(model.count(spm::EntityKind::measure), 0u);
  m.actuals = {plain(1, 1.0), plain(3, 3.0)};
  model.add(m);
  model.set_actual("M", plain(2, 2.0));
  model.set_actual("M", plain(3, 4.0));
  EXPECT_EQ(model.get<spm::Measure>("M").actuals.to_vector(),
            (std::vector<Actual>{plain(1, 1.0), plain(2, 2.0), plain(3, 4.0)}));
  EXPECT_TRUE(model.erase_actual("M", Period::month(2026, 1)));
  EXPECT_EQ(model.get<spm::Measure>("M").actuals.to_vector(),
            (std::vector<Actual>{plain(2, 2.0), plain(3, 4.0)}));
}
