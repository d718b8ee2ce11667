// The score arrays' storage (src/common/buffer.hpp): what a kept array is reused for.
#include <gtest/gtest.h>

#include <cstddef>

#include "common/buffer.hpp"

using spm::detail::BufferPool;
using spm::detail::DoubleBuffer;

namespace {
constexpr std::size_t page = spm::detail::huge_page_bytes / sizeof(double);
}

TEST(DoubleBuffer, ALargeBlockHoldsWholeHugePagesAndFitsASlightlyLargerRequest) {
  DoubleBuffer b;
  b.allocate(2 * page + 10);  // just over 4 MiB: rounded up to 6 MiB
  EXPECT_EQ(b.size(), 2 * page + 10);
  EXPECT_EQ(b.capacity(), 3 * page);
  EXPECT_TRUE(b.fits(2 * page + 5000));  // a cascade a few hundred nodes larger
  EXPECT_TRUE(b.fits(2 * page));         // or a little smaller
  EXPECT_FALSE(b.fits(3 * page + 1));    // more than it holds
  EXPECT_FALSE(b.fits(page));            // a third of it: too much to spare
  EXPECT_FALSE(b.fits(10));
  const double* const at = b.data();
  b.reuse_or_allocate(2 * page + 5000);
  EXPECT_EQ(b.data(), at);
  EXPECT_EQ(b.size(), 2 * page + 5000);
}

TEST(DoubleBuffer, ASmallBlockHoldsWhatWasAsked) {
  DoubleBuffer b;
  b.allocate(1000);
  EXPECT_EQ(b.capacity(), 1000u);
  EXPECT_TRUE(b.fits(900));
  EXPECT_FALSE(b.fits(1001));
  EXPECT_FALSE(b.fits(700));  // more than a quarter to spare
}

TEST(BufferPool, KeepsLargeArraysForRequestsOfAboutTheirSize) {
  BufferPool pool;
  DoubleBuffer big = pool.take(2 * page + 10);
  const double* const at = big.data();
  pool.give(std::move(big));
  // A small request does not take the large array, which stays for a request that fits it.
  DoubleBuffer small = pool.take(100);
  EXPECT_NE(small.data(), at);
  DoubleBuffer again = pool.take(2 * page + 4000);
  EXPECT_EQ(again.data(), at);
  // Arrays under 1 MiB are not kept: the pool is empty again after taking the large one.
  pool.give(std::move(small));
  DoubleBuffer other = pool.take(2 * page + 4000);
  EXPECT_NE(other.data(), at);
}
