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
#include <cstring>
#include <functional>
#include <string_view>
#include <vector>

#include "common/huge.hpp"
#include "common/prefetch.hpp"

namespace spm {
inline namespace v1 {
namespace detail {

class IdIndex {
 public:
  static constexpr std::uint32_t npos = 0xFFFFFFFFu;

  /// The 32 bits of `id`'s hash that the index keeps. A multiply-and-fold hash in the manner of
  /// wyhash, over 8-byte words: ids are short, and a general byte-string hash (std::hash) takes
  /// several times as long for them, which a look-up pays on every reference of a large model.
  /// Nothing that spm prints depends on these bits: only where ids sit in the index.
  static std::uint32_t hash(std::string_view id) noexcept {
    constexpr std::uint64_t k0 = 0xa0761d6478bd642fULL, k1 = 0xe7037ed1a0b428dbULL,
                            k2 = 0x8ebc6af09c88c6e3ULL;
    const char* p = id.data();
    const std::size_t n = id.size();
    std::uint64_t seed = k0 ^ n, a = 0, b = 0;
    if (n <= 16) {
      if (n >= 8) {
        a = word(p);
        b = word(p + n - 8);
      } else if (n >= 4) {
        a = half_word(p);
        b = half_word(p + n - 4);
      } else if (n > 0) {
        a = (std::uint64_t{byte(p[0])} << 16) | (std::uint64_t{byte(p[n >> 1])} << 8) |
            byte(p[n - 1]);
      }
    } else {
      std::size_t i = 0;
      for (; i + 16 < n; i += 16) seed = mix(word(p + i) ^ k1, word(p + i + 8) ^ seed);
      a = word(p + n - 16);
      b = word(p + n - 8);
    }
    const std::uint64_t h = mix(k1 ^ n, mix(a ^ k1, b ^ seed) ^ k2);
    return static_cast<std::uint32_t>(h ^ (h >> 32));
  }

  /// Position of `id`, or npos. `id_at(pos)` gives the id of the entity at a position.
  template <class IdAt>
  std::uint32_t find(std::string_view id, IdAt&& id_at) const noexcept {
    return find(id, hash(id), id_at);
  }
  /// find() with `h` = hash(id) already at hand (a look-up prefetched ahead computes it once).
  template <class IdAt>
  std::uint32_t find(std::string_view id, std::uint32_t h, IdAt&& id_at) const noexcept {
    return slots_.empty() ? npos : probe(id, h, id_at).pos;
  }

  /// Starts loading what a find(id) will read, so that look-ups issued ahead of their use
  /// overlap their cache misses: `entity` false, the id's slot; true, the entity at the position
  /// in that slot (`at(pos)` gives its address), once the slot itself has been loaded.
  template <class At>
  void prefetch(std::string_view id, bool entity, At&& at) const noexcept {
    if (entity)
      prefetch_entity(hash(id), at);
    else
      prefetch_slot(hash(id));
  }
  /// prefetch() by the id's hash: its slot, or (once that is loaded) the entity it names.
  void prefetch_slot(std::uint32_t h) const noexcept {
    if (!slots_.empty()) prefetch_line(&slots_[h & (slots_.size() - 1)]);
  }
  template <class At>
  void prefetch_entity(std::uint32_t h, At&& at) const noexcept {
    if (slots_.empty()) return;
    if (const std::uint64_t s = slots_[h & (slots_.size() - 1)]; s != empty)
      prefetch_line(at(static_cast<std::uint32_t>(s)));
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
    return probe(id, hash(id), id_at);
  }
  template <class IdAt>
  Probe probe(std::string_view id, std::uint32_t h, IdAt&& id_at) const noexcept {
    Probe p;
    p.hash = h;
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
  static std::uint64_t mix(std::uint64_t a, std::uint64_t b) noexcept {
    __extension__ using u128 = unsigned __int128;
    const u128 r = static_cast<u128>(a) * b;
    return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
  }
  static std::uint64_t byte(char c) noexcept { return static_cast<unsigned char>(c); }
  static std::uint64_t word(const char* p) noexcept {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
  }
  static std::uint64_t half_word(const char* p) noexcept {
    std::uint32_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
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
