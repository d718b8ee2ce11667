// The storage of large arrays (src/common/buffer.hpp): what a kept block is reused for.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/buffer.hpp"

using spm::detail::BufferPool;
using spm::detail::DoubleBuffer;
using spm::detail::PoolAllocator;
using spm::detail::PoolVector;

namespace {
constexpr std::size_t page = spm::detail::huge_page_bytes / sizeof(double);
}

TEST(DoubleBuffer, ALargeBlockHoldsWholeHugePagesASmallOneWhatWasAsked) {
  DoubleBuffer b;
  b.allocate(2 * page + 10);  // just over 4 MiB: rounded up to 6 MiB
  EXPECT_EQ(b.size(), 2 * page + 10);
  EXPECT_EQ(b.capacity(), 3 * page);
  b.allocate(1000);
  EXPECT_EQ(b.capacity(), 1000u);
}

TEST(BlockFits, ARequestOfAboutTheBlocksSize) {
  using spm::detail::block_fits;
  constexpr std::size_t huge = spm::detail::huge_page_bytes;
  EXPECT_TRUE(block_fits(3 * huge, 2 * huge + 40000));  // a cascade a few hundred nodes larger
  EXPECT_TRUE(block_fits(3 * huge, 2 * huge));          // or a little smaller
  EXPECT_FALSE(block_fits(3 * huge, 3 * huge + 1));     // more than it holds
  EXPECT_FALSE(block_fits(3 * huge, huge));             // a third of it: too much to spare
  EXPECT_FALSE(block_fits(3 * huge, 80));
  EXPECT_TRUE(block_fits(8000, 7200));
  EXPECT_FALSE(block_fits(8000, 8008));
  EXPECT_FALSE(block_fits(8000, 5600));  // more than a quarter to spare
}

TEST(BufferPool, KeepsLargeArraysForRequestsOfAboutTheirSize) {
  BufferPool pool;
  DoubleBuffer big = pool.take_doubles(2 * page + 10);
  const double* const at = big.data();
  pool.give(std::move(big));
  // A small request does not take the large array, which stays for a request that fits it.
  DoubleBuffer small = pool.take_doubles(100);
  EXPECT_NE(small.data(), at);
  DoubleBuffer again = pool.take_doubles(2 * page + 4000);
  EXPECT_EQ(again.data(), at);
  // Arrays under 1 MiB are not kept: the pool is empty again after taking the large one.
  pool.give(std::move(small));
  DoubleBuffer other = pool.take_doubles(2 * page + 4000);
  EXPECT_NE(other.data(), at);
}

TEST(BufferPool, TakesTheBestFittingBlockAndCountsWhatItKeeps) {
  BufferPool pool;
  constexpr std::size_t mib = std::size_t{1} << 20;
  const auto big = pool.take(40 * mib), medium = pool.take(10 * mib), small = pool.take(mib);
  EXPECT_GE(big.bytes, 40 * mib);
  pool.give(big);
  pool.give(medium);
  pool.give(small);
  EXPECT_EQ(pool.kept_bytes(), big.bytes + medium.bytes + small.bytes);
  // 9 MiB fits the 10 MiB block (and the 40 MiB one, with far too much to spare).
  const auto again = pool.take(9 * mib);
  EXPECT_EQ(again.p, medium.p);
  EXPECT_EQ(pool.kept_bytes(), big.bytes + small.bytes);
  pool.give(again);
  pool.release();
  EXPECT_EQ(pool.kept_bytes(), 0u);
  const auto fresh = pool.take(9 * mib);  // a new block
  EXPECT_NE(fresh.p, nullptr);
  pool.give(fresh);  // kept, and freed with the pool
  EXPECT_EQ(pool.kept_bytes(), fresh.bytes);
}

TEST(BufferPool, KeepsAtMostItsSlots) {
  BufferPool pool;
  std::vector<BufferPool::Block> blocks;
  for (std::size_t i = 0; i < BufferPool::slots + 3; ++i)
    blocks.push_back(pool.take(BufferPool::min_bytes));
  for (const auto& b : blocks) pool.give(b);  // the last three are freed
  EXPECT_EQ(pool.kept_bytes(), BufferPool::slots * blocks.front().bytes);
}

TEST(PoolAllocator, LargeArraysComeBackForTheNextOfTheirSize) {
  BufferPool pool;
  const PoolAllocator<char> alloc(&pool);
  const std::uint32_t* first = nullptr;
  {
    PoolVector<std::uint32_t> v(1'000'000, 7u, alloc);  // 4 MB: from the pool
    first = v.data();
    PoolVector<std::uint32_t> small(100, 1u, alloc);  // from malloc, as usual
    EXPECT_EQ(pool.kept_bytes(), 0u);
  }
  EXPECT_GE(pool.kept_bytes(), 4'000'000u);
  PoolVector<std::uint32_t> w(alloc);
  w.assign(990'000, 1u);
  EXPECT_EQ(w.data(), first);  // the same memory, no fresh pages
  EXPECT_EQ(pool.kept_bytes(), 0u);
  // Copies and moves keep the pool.
  PoolVector<std::uint32_t> copy = w;
  EXPECT_EQ(copy.get_allocator(), w.get_allocator());
  PoolVector<std::uint32_t> moved = std::move(copy);
  EXPECT_EQ(moved.get_allocator().pool, &pool);
  // Without a pool it allocates and frees as usual.
  PoolVector<std::uint32_t> plain(1'000'000, 3u);
  EXPECT_EQ(plain.get_allocator().pool, nullptr);
  EXPECT_EQ(plain[999'999], 3u);
}
