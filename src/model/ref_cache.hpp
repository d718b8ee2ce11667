// ref_cache.hpp - the model's references resolved to positions, kept across edits for compile.
// Internal to spm.
//
// A compile turns every reference of the model into a node number: the contributions of
// strategies, milestones, actions and objectives, the subjects of measures, the owners of
// objectives, the units of employees and the parents of units. At a million employees that is
// about 27 million look-ups by id, each three cache misses one after the other (the reference,
// the id's index slot, the entity it names); they were half of compile's time. The model
// resolves them once, in its first validate or compile (validate checks them through the cache),
// and keeps the positions in step with every later edit, so that a compile after a validate,
// and a recompile after an edit, read them as plain arrays:
//
// - adding an entity moves no position: nothing changes (unless some reference named an id that
//   was missing, which the new entity may have; then everything is resolved again);
// - updating an entity resolves that entity's own references again (an update keeps the id, so
//   references to the entity stay right);
// - removing an entity drops its own references, turns references to it into missing ones and
//   moves references to the later entities of its kind one position down;
// - anything else (a batch of mixed edits) starts over.
//
// Resolution is lazy: entities added since the last validate or compile are resolved by the
// next one.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>

#include "common/huge.hpp"
#include "spm/model.hpp"

namespace spm {
inline namespace v1 {
namespace detail {

class RefCache {
 public:
  /// A resolved reference: the kind (5 bits) and the position within its table (27 bits), or
  /// one of two positions that name nothing.
  using Packed = std::uint32_t;
  static constexpr int pos_bits = 27;
  static constexpr std::uint32_t pos_mask = (std::uint32_t{1} << pos_bits) - 1;
  /// An id that no entity of its kind has (yet): an entity added later may resolve it.
  static constexpr std::uint32_t missing = pos_mask;
  /// No id, or a kind that names no entity: nothing will ever resolve it.
  static constexpr std::uint32_t absent = pos_mask - 1;
  /// The most entities of one kind that positions can name.
  static constexpr std::uint32_t max_entities = absent;

  static Packed pack(EntityKind kind, std::uint32_t pos) noexcept {
    const auto k = static_cast<std::uint32_t>(kind);
    return (k < 32 ? k : 31u) << pos_bits | pos;
  }
  static EntityKind kind_of(Packed p) noexcept { return static_cast<EntityKind>(p >> pos_bits); }
  static std::uint32_t pos_of(Packed p) noexcept { return p & pos_mask; }
  static bool found(Packed p) noexcept { return pos_of(p) < absent; }

  /// The contributions of the entities of one kind, entity by entity, in model order.
  struct Links {
    std::uint32_t covered = 0;  ///< entities [0, covered) are here
    HugeVector<std::uint32_t>
        offsets;  ///< covered + 1: entity i's links are [offsets[i], ..[i + 1])
    HugeVector<Packed> to;
    HugeVector<double> weight;  ///< as given
  };
  /// One reference per entity.
  struct Refs {
    std::uint32_t covered = 0;
    HugeVector<Packed> to;
    HugeVector<double> weight;  ///< measures' weights; empty for the other sections
  };

  /// The kinds whose contributions `links` holds, in its order.
  static constexpr std::array<EntityKind, 4> link_kinds = {
      EntityKind::strategy, EntityKind::milestone, EntityKind::action, EntityKind::objective};
  /// The section of `links` that holds the contributions of entities of type T.
  template <class T>
  static constexpr std::size_t link_section() {
    constexpr EntityKind kind = entity_kind_of<T>::value;
    static_assert(kind == EntityKind::strategy || kind == EntityKind::milestone ||
                      kind == EntityKind::action || kind == EntityKind::objective,
                  "only strategies, milestones, actions and objectives contribute");
    std::size_t s = 0;
    while (link_kinds[s] != kind) ++s;
    return s;
  }
  /// Contributions of strategies, milestones, actions and objectives (link_kinds' order).
  std::array<Links, link_kinds.size()> links;
  Refs subject;  ///< of every measure, with its weight
  Refs owner;    ///< of every objective
  Refs unit;     ///< of every employee
  Refs parent;   ///< of every unit

  /// Held by a validate or compile while it extends and reads the cache (they may run on
  /// several threads at once on one model: the model is const to them), and by the edits.
  std::mutex mutex;

  RefCache() = default;
  /// A copy of a model starts with nothing resolved.
  RefCache(const RefCache&) : RefCache() {}
  RefCache& operator=(const RefCache&) = delete;

  /// Resolves the references of every entity not covered yet, on up to `threads` threads; the
  /// caller holds `mutex`. Throws Error (invalid_argument) for a kind of more than max_entities
  /// entities, std::bad_alloc; on a throw the cache is left empty.
  void extend(const Model::Impl& m, int threads);

  // After each edit of the model's tables (the model has been changed already). Never throw:
  // when the cache cannot follow an edit it starts over.
  void pushed() noexcept;
  void replaced(const Model::Impl& m, EntityKind kind, std::uint32_t pos) noexcept;
  void erased(EntityKind kind, std::uint32_t pos) noexcept;
  void reset() noexcept;

  /// Whether anything was resolved yet (by a validate or compile); the caller holds `mutex`.
  bool started() const noexcept {
    for (const Links& L : links)
      if (L.covered) return true;
    return subject.covered || owner.covered || unit.covered || parent.covered;
  }

 private:
  void clear() noexcept;
  std::size_t missing_ = 0;
};

}  // namespace detail
}  // namespace v1
}  // namespace spm
