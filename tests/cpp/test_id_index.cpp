// The index from the host's ids to positions (src/model/id_index.hpp) and the bulk look-up of
// references over it (detail::resolve_refs in src/model/model_impl.hpp).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <vector>

#include "model/id_index.hpp"
#include "model/model_impl.hpp"
#include "spm/model.hpp"

using spm::EntityKind;
using spm::detail::IdIndex;

namespace {

/// Ids of every length from 0 to 40 bytes, and ids that differ from each other in one byte only.
std::vector<std::string> some_ids() {
  std::vector<std::string> ids;
  for (std::size_t len = 0; len <= 40; ++len) ids.push_back(std::string(len, 'a'));
  for (int i = 0; i < 20000; ++i) ids.push_back(fmt::format("E{}", i));
  for (int i = 0; i < 2000; ++i)
    ids.push_back(fmt::format("3f2b8c1e-{:04x}-4a9d-b7e2-5c0d9a6f{:04x}", i % 7, i));
  return ids;
}

}  // namespace

TEST(IdIndexHash, EveryByteOfAnIdOfAnyLengthChangesTheHash) {
  for (std::size_t len = 1; len <= 40; ++len) {
    std::string id;
    for (std::size_t i = 0; i < len; ++i) id.push_back(static_cast<char>('A' + i % 26));
    const std::uint32_t h = IdIndex::hash(id);
    for (std::size_t i = 0; i < len; ++i) {
      std::string other = id;
      other[i] = static_cast<char>(other[i] ^ 0x01);
      EXPECT_NE(IdIndex::hash(other), h) << "length " << len << ", byte " << i;
    }
    EXPECT_NE(IdIndex::hash(id + '\0'), h) << "length " << len << " and one more zero byte";
  }
  EXPECT_NE(IdIndex::hash(""), IdIndex::hash(std::string(1, '\0')));
}

TEST(IdIndexHash, SpreadsSequentialIdsOverTheLowBits) {
  // The slot is the hash's low bits: ids numbered in sequence (as hosts hand them out) must not
  // crowd into a few slots. 4096 ids over 8192 slots: a good hash leaves about 60% of the ids
  // alone in their slot, a hash that ignores the last digits far fewer.
  std::vector<int> count(8192, 0);
  for (int i = 0; i < 4096; ++i) ++count[IdIndex::hash(fmt::format("O{:07}", i)) & 8191];
  int alone = 0, most = 0;
  for (int c : count) {
    alone += c == 1;
    most = std::max(most, c);
  }
  EXPECT_GT(alone, 2000);
  EXPECT_LE(most, 8);
}

TEST(IdIndex, FindsEveryIdInsertedAndNoOther) {
  const std::vector<std::string> ids = some_ids();
  auto id_at = [&](std::uint32_t i) -> std::string_view { return ids[i]; };
  IdIndex index;
  for (std::uint32_t i = 0; i < ids.size(); ++i) index.insert(ids[i], i, id_at);
  ASSERT_EQ(index.size(), ids.size());
  for (std::uint32_t i = 0; i < ids.size(); ++i) {
    ASSERT_EQ(index.find(ids[i], id_at), i) << "'" << ids[i] << "'";
    ASSERT_EQ(index.find(ids[i], IdIndex::hash(ids[i]), id_at), i) << "'" << ids[i] << "'";
  }
  for (const std::string absent :
       {"E20000", "E-1", "e1", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    EXPECT_EQ(index.find(absent, id_at), IdIndex::npos) << absent;
  IdIndex rebuilt;
  rebuilt.rebuild(static_cast<std::uint32_t>(ids.size()), id_at);
  for (std::uint32_t i = 0; i < ids.size(); ++i) ASSERT_EQ(rebuilt.find(ids[i], id_at), i);
}

TEST(IdIndex, AnEmptyIndexFindsNothingAndPrefetchesNothing) {
  IdIndex index;
  auto id_at = [](std::uint32_t) -> std::string_view { return "never read"; };
  EXPECT_EQ(index.find("E1", id_at), IdIndex::npos);
  index.prefetch_slot(IdIndex::hash("E1"));
  index.prefetch_entity(IdIndex::hash("E1"), [](std::uint32_t) -> const void* {
    ADD_FAILURE() << "an empty index named an entity";
    return nullptr;
  });
}

TEST(ResolveRefs, GivesWhatFindGivesForEveryReferenceAtEveryLength) {
  spm::Model model;
  for (int i = 0; i < 300; ++i) {
    spm::Goal g;
    g.id = fmt::format("G{}", i);
    model.add(g);
  }
  for (int i = 0; i < 200; ++i) {
    spm::Unit u;
    u.id = fmt::format("U{}", i);
    model.add(u);
  }
  const auto& m = spm::detail::ModelAccess::impl(model);
  // Known ids of two kinds, unknown ids, an empty id, the right id under the wrong kind, and a
  // kind that is no entity table.
  std::vector<spm::Ref> refs;
  for (int i = 0; i < 1000; ++i) {
    switch (i % 6) {
      case 0:
        refs.push_back({EntityKind::goal, fmt::format("G{}", i % 300)});
        break;
      case 1:
        refs.push_back({EntityKind::unit, fmt::format("U{}", i % 200)});
        break;
      case 2:
        refs.push_back({EntityKind::goal, fmt::format("G{}", 300 + i)});
        break;
      case 3:
        refs.push_back({EntityKind::goal, ""});
        break;
      case 4:
        refs.push_back({EntityKind::unit, fmt::format("G{}", i % 300)});
        break;
      default:
        refs.push_back({static_cast<EntityKind>(200), "G1"});
        break;
    }
  }
  for (std::size_t n : {0u, 1u, 15u, 16u, 17u, 47u, 48u, 49u, 1000u}) {
    std::vector<std::uint32_t> got(n, 12345), touched(n, 0);
    spm::detail::resolve_refs(
        m, 0, n, [&](std::size_t j) { ++touched[j]; },
        [&](std::size_t j) -> const spm::Ref& { return refs[j]; },
        [&](std::size_t j, std::uint32_t pos) { got[j] = pos; });
    for (std::size_t j = 0; j < n; ++j) {
      EXPECT_EQ(touched[j], 1u) << j;
      const auto& r = refs[j];
      std::uint32_t want = IdIndex::npos;
      if (r.kind == EntityKind::goal && !r.id.empty())
        want = m.table<spm::Goal>().find(r.id);
      else if (r.kind == EntityKind::unit)
        want = m.table<spm::Unit>().find(r.id);
      ASSERT_EQ(got[j], want) << "n " << n << ", reference " << j << " '" << r.id << "'";
    }
  }
  // A range that starts past 0 looks up only its own references, by their own indices.
  std::vector<std::uint32_t> got(1000, 12345);
  spm::detail::resolve_refs(
      m, 100, 130, [](std::size_t) {},
      [&](std::size_t j) {
        return spm::detail::RefView{refs[j].kind, refs[j].id};
      },
      [&](std::size_t j, std::uint32_t pos) { got[j] = pos; });
  EXPECT_EQ(got[99], 12345u);
  EXPECT_EQ(got[102], m.table<spm::Goal>().find(refs[102].id));
  EXPECT_EQ(got[103], m.table<spm::Unit>().find(refs[103].id));
  EXPECT_EQ(got[130], 12345u);
}
