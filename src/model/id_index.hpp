// id_index.hpp - an open-addressing hash index from the host's string ids to dense positions.
//
// Each slot holds a 32-bit position and 32 bits of the id's hash (8 bytes a slot, at most 50%
// full); the ids themselves live in the entities, so a million-employee model pays no second
// copy of every id and no allocation per entry. The stored hash bits decide where a slot goes
// when the index grows, and they let a probe pass over other ids' slots without reading those
// entities: a look-up reads one entity (the match) instead of one per slot of its cluster,
// which is most of the cost once the entities no longer fit the caches. Internal to spm.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "common/huge.hpp"

namespace spm {
inline namespace v1 {
namespace detail {

class IdIndex {
 public:
  static constexpr std::uint32_t npos = 0xFFFFFFFFu;

  /// Position of `id`, or npos. `id_at(pos)` gives the id of the entity at a position.
  template <class IdAt>
  std::uint32_t find(std::string_view id, IdAt&& id_at) const noexcept {
    return slots_.empty() ? npos : probe(id, id_at).pos;
  }

  /// Starts loading what a find(id) will read, so that look-ups issued ahead of their use
  /// overlap their cache misses: `entity` false, the id's slot; true, the entity at the position
  /// in that slot (`at(pos)` gives its address), once the slot itself has been loaded.
  template <class At>
  void prefetch(std::string_view id, bool entity, At&& at) const noexcept {
    if (slots_.empty()) return;
    const std::size_t i = hash(id) & (slots_.size() - 1);
    if (!entity) {
      __builtin_prefetch(&slots_[i]);
      return;
    }
    if (const std::uint64_t s = slots_[i]; s != empty)
      __builtin_prefetch(at(static_cast<std::uint32_t>(s)));
  }

  /// Where a look-up of `id` ended: at its position, or at the empty slot it would take.
  struct Probe {
    std::uint32_t pos = npos;  ///< npos: not present
    std::uint32_t hash = 0;
    std::size_t slot = 0;
  };
  /// One probe for an insertion that may turn out to be a duplicate: make_room() first, then
  /// probe(), then (when not present, and with no other change in between) insert_at().
  void make_room() {
    if ((size_ + 1) * 2 > slots_.size()) rehash(slots_.empty() ? 16 : slots_.size() * 2);
  }
  template <class IdAt>
  Probe probe(std::string_view id, IdAt&& id_at) const noexcept {
    Probe p;
    p.hash = hash(id);
    const std::size_t mask = slots_.size() - 1;
    for (p.slot = p.hash & mask;; p.slot = (p.slot + 1) & mask) {
      const std::uint64_t s = slots_[p.slot];
      if (s == empty) return p;
      const auto pos = static_cast<std::uint32_t>(s);
      if (static_cast<std::uint32_t>(s >> 32) == p.hash && id_at(pos) == id) {
        p.pos = pos;
        return p;
      }
    }
  }
  void insert_at(const Probe& p, std::uint32_t pos) noexcept {
    slots_[p.slot] = (static_cast<std::uint64_t>(p.hash) << 32) | pos;
    ++size_;
  }

  /// Inserts position `pos` for `id` (which must not be present yet).
  template <class IdAt>
  void insert(std::string_view id, std::uint32_t pos, IdAt&&) {
    make_room();
    place(hash(id), pos);
    ++size_;
  }

  /// Rebuilds from scratch for positions 0..n-1.
  template <class IdAt>
  void rebuild(std::uint32_t n, IdAt&& id_at) {
    std::size_t cap = 16;
    while (cap < static_cast<std::size_t>(n) * 2) cap *= 2;
    slots_.assign(cap, empty);
    size_ = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
      place(hash(id_at(i)), i);
      ++size_;
    }
  }

  /// Makes room for n entries without rehashing.
  template <class IdAt>
  void reserve(std::size_t n, IdAt&&) {
    if (n * 2 > slots_.size()) {
      std::size_t cap = 16;
      while (cap < n * 2) cap *= 2;
      rehash(cap);
    }
  }

  void clear() noexcept {
    slots_.clear();
    size_ = 0;
  }
  std::size_t size() const noexcept { return size_; }

 private:
  static constexpr std::uint64_t empty = ~std::uint64_t{0};
  static std::uint32_t hash(std::string_view id) noexcept {
    const std::size_t h = std::hash<std::string_view>{}(id);
    // Fold the high half in, so that the 32 bits kept see all of the hash.
    return static_cast<std::uint32_t>(h ^ (h >> 32));
  }
  void place(std::uint32_t h, std::uint32_t pos) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = h & mask;
    while (slots_[i] != empty) i = (i + 1) & mask;
    slots_[i] = (static_cast<std::uint64_t>(h) << 32) | pos;
  }
  void rehash(std::size_t cap) {
    HugeVector<std::uint64_t> old(cap, empty);
    old.swap(slots_);
    for (std::uint64_t s : old)
      if (s != empty) place(static_cast<std::uint32_t>(s >> 32), static_cast<std::uint32_t>(s));
  }

  HugeVector<std::uint64_t> slots_;
  std::size_t size_ = 0;
};

}  // namespace detail
}  // namespace v1
}  // namespace spm
