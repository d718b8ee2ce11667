// id_index.hpp - an open-addressing hash index from the host's string ids to dense positions.
//
// It stores only 32-bit positions (4 bytes a slot at most 50% full); the ids themselves live in
// the entities, so a million-employee model pays no second copy of every id and no allocation
// per entry. Internal to spm.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace spm {
inline namespace v1 {
namespace detail {

class IdIndex {
 public:
  static constexpr std::uint32_t npos = 0xFFFFFFFFu;

  /// Position of `id`, or npos. `id_at(pos)` gives the id of the entity at a position.
  template <class IdAt>
  std::uint32_t find(std::string_view id, IdAt&& id_at) const noexcept {
    if (slots_.empty()) return npos;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash(id) & mask;; i = (i + 1) & mask) {
      const std::uint32_t s = slots_[i];
      if (s == empty) return npos;
      if (id_at(s) == id) return s;
    }
  }

  /// Inserts position `pos` for `id` (which must not be present yet).
  template <class IdAt>
  void insert(std::string_view id, std::uint32_t pos, IdAt&& id_at) {
    if ((size_ + 1) * 2 > slots_.size()) grow(id_at);
    place(id, pos);
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
      place(id_at(i), i);
      ++size_;
    }
  }

  /// Makes room for n entries without rehashing.
  template <class IdAt>
  void reserve(std::size_t n, IdAt&& id_at) {
    if (n * 2 > slots_.size()) {
      std::size_t cap = 16;
      while (cap < n * 2) cap *= 2;
      rehash(cap, id_at);
    }
  }

  void clear() noexcept {
    slots_.clear();
    size_ = 0;
  }
  std::size_t size() const noexcept { return size_; }

 private:
  static constexpr std::uint32_t empty = npos;
  static std::size_t hash(std::string_view id) noexcept {
    return std::hash<std::string_view>{}(id);
  }
  void place(std::string_view id, std::uint32_t pos) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = hash(id) & mask;
    while (slots_[i] != empty) i = (i + 1) & mask;
    slots_[i] = pos;
  }
  template <class IdAt>
  void grow(IdAt&& id_at) {
    rehash(slots_.empty() ? 16 : slots_.size() * 2, id_at);
  }
  template <class IdAt>
  void rehash(std::size_t cap, IdAt&& id_at) {
    std::vector<std::uint32_t> old(cap, empty);
    old.swap(slots_);
    for (std::uint32_t s : old)
      if (s != empty) place(id_at(s), s);
  }

  std::vector<std::uint32_t> slots_;
  std::size_t size_ = 0;
};

}  // namespace detail
}  // namespace v1
}  // namespace spm
