// model_impl.hpp - the Model's storage: one table per entity kind. Internal to spm.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string_view>
#include <tuple>
#include <utility>

#include "common/buffer.hpp"
#include "model/id_index.hpp"
#include "model/measure_store.hpp"
#include "model/ref_cache.hpp"
#include "spm/model.hpp"

namespace spm {
inline namespace v1 {
namespace detail {

struct NoStore {};

/// The entities of one kind, in order, with an index by id. The table of measures also keeps
/// their MeasureStore in step with every edit.
template <class T>
class Table {
  static constexpr bool has_store = std::is_same_v<T, Measure>;

 public:
  using Store = std::conditional_t<has_store, MeasureStore, NoStore>;
  std::span<const T> items() const noexcept { return items_; }
  std::size_t size() const noexcept { return items_.size(); }

  std::uint32_t find(std::string_view id) const noexcept {
    return index_.find(id, [this](std::uint32_t i) -> std::string_view { return items_[i].id; });
  }
  const T& at(std::uint32_t i) const noexcept { return items_[i]; }
  /// find() with `h` = IdIndex::hash(id).
  std::uint32_t find(std::string_view id, std::uint32_t h) const noexcept {
    return index_.find(id, h, id_at());
  }
  /// See IdIndex::prefetch, prefetch_slot and prefetch_entity.
  void prefetch(std::string_view id, bool entity) const noexcept {
    index_.prefetch(id, entity, [this](std::uint32_t i) { return &items_[i].id; });
  }
  void prefetch_slot(std::uint32_t h) const noexcept { index_.prefetch_slot(h); }
  void prefetch_entity(std::uint32_t h) const noexcept {
    index_.prefetch_entity(h, [this](std::uint32_t i) { return &items_[i].id; });
  }
  /// Changes the entity at `pos` in place: f(entity).
  template <class F>
  void modify(std::uint32_t pos, F&& f) {
    f(items_[pos]);
    if constexpr (has_store) store_.replace(pos, items_[pos]);
  }
  const Store& store() const noexcept { return store_; }

  /// Appends; the caller has checked that the id is new.
  void push(const T& entity) { push(T(entity)); }
  void push(T&& entity) {
    items_.push_back(std::move(entity));
    keep_in_store();
    const auto pos = static_cast<std::uint32_t>(items_.size() - 1);
    index_.insert(items_.back().id, pos, id_at());
  }
  /// Looks `id` up for an insertion (IdIndex::probe): found, or where push_at() puts it.
  IdIndex::Probe probe(std::string_view id) {
    index_.make_room();
    return index_.probe(id, id_at());
  }
  /// Appends after probe() found the entity's id absent, with no edit in between.
  void push_at(const IdIndex::Probe& p, T&& entity) {
    items_.push_back(std::move(entity));
    keep_in_store();
    index_.insert_at(p, static_cast<std::uint32_t>(items_.size() - 1));
  }
  void replace(std::uint32_t pos, T entity) {
    items_[pos] = std::move(entity);
    if constexpr (has_store) store_.replace(pos, items_[pos]);
  }
  void erase(std::uint32_t pos) {
    items_.erase(items_.begin() + pos);
    if constexpr (has_store) store_.erase(pos);
    index_.rebuild(static_cast<std::uint32_t>(items_.size()), id_at());
  }
  void reserve(std::size_t n) {
    items_.reserve(n);
    if constexpr (has_store) store_.reserve(n);
    index_.reserve(n, id_at());
  }

 private:
  void keep_in_store() noexcept {
    if constexpr (has_store) store_.push(items_.back());
  }
  auto id_at() const {
    return [this](std::uint32_t i) -> std::string_view { return items_[i].id; };
  }
  // Plain pages, not huge ones (common/huge.hpp): a load writes a table once, in order, into
  // memory it has just taken, and on virtual machines a huge page's first write costs the host
  // a fresh 2 MiB block where small pages reuse those just freed (the reader's chunks): at 100k
  // employees that was 2 to 3 s of a 10 s load. The id index, read at random, keeps huge pages;
  // look-ups that compare an entity's id cost validate about a tenth more.
  std::vector<T> items_;
  IdIndex index_;
  [[no_unique_address]] Store store_;
};

template <class V>
struct tables_of;
template <class... T>
struct tables_of<std::variant<T...>> {
  using type = std::tuple<Table<T>...>;
};
using Tables = tables_of<AnyEntity>::type;

}  // namespace detail

namespace detail {
/// Shared by a Model and every result computed from it (a compiled cascade, a scorecard). A
/// result remembers the revision it was computed at and compares before it reads the model, so
/// that using it after an edit, or after the model is gone, is a clear error and never a read of
/// changed or freed memory.
struct ModelToken {
  static constexpr std::uint64_t dead = ~std::uint64_t{0};
  std::atomic<std::uint64_t> revision{0};   ///< every edit
  std::atomic<std::uint64_t> structure{0};  ///< edits of entities (not of actuals alone)
  const Model::Impl* impl = nullptr;        ///< valid while revision != dead
  /// The large arrays of the model's cascades and scorecards gone, and the scratch arrays of
  /// its compiles, for its next compiles and evaluations: a recompile after a structural edit,
  /// and the evaluation after it, then reuse them instead of mapping fresh pages (see
  /// BufferPool). Held while the model or any cascade or scorecard of it lives;
  /// Model::release_memory() frees what it keeps.
  mutable BufferPool buffers;
  /// Held while the model's MeasureStore is laid out for a cascade, and while it is read by
  /// an incremental update, which both may happen on several threads at once (the model is
  /// const to them).
  mutable std::mutex store_mutex;
};
}  // namespace detail

struct Model::Impl {
  OrganizationInfo info;
  detail::Tables tables;
  /// The references resolved by compile, kept in step with every edit of the tables.
  mutable detail::RefCache refs;
  std::shared_ptr<detail::ModelToken> token = std::make_shared<detail::ModelToken>();

  Impl() { token->impl = this; }
  Impl(const Impl& other) : info(other.info), tables(other.tables) { token->impl = this; }
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    token->revision.store(detail::ModelToken::dead);
    token->structure.store(detail::ModelToken::dead);
    token->impl = nullptr;
  }

  std::uint64_t revision() const noexcept { return token->revision.load(); }
  std::uint64_t structure() const noexcept { return token->structure.load(); }
  /// After an edit of entities.
  void bump() noexcept {
    token->structure.fetch_add(1);
    token->revision.fetch_add(1);
  }
  /// After an edit of actuals only: compiled cascades stay valid.
  void bump_data() noexcept { token->revision.fetch_add(1); }

  template <class T>
  detail::Table<T>& table() {
    return std::get<detail::Table<T>>(tables);
  }
  template <class T>
  const detail::Table<T>& table() const {
    return std::get<detail::Table<T>>(tables);
  }
};

namespace detail {
/// The one door from spm's own stages into a Model's storage.
struct ModelAccess {
  static const Model::Impl& impl(const Model& m) noexcept { return *m.impl_; }
  static Model::Impl& impl(Model& m) noexcept { return *m.impl_; }
};

/// Calls f(table) with the table of a kind known only at run time.
template <class Tup, class F>
decltype(auto) with_table(Tup& tables, EntityKind kind, F&& f) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    using R = decltype(f(std::get<0>(tables)));
    if constexpr (std::is_void_v<R>) {
      ((static_cast<std::size_t>(kind) == I ? (f(std::get<I>(tables)), true) : false) || ...);
    } else {
      R result{};
      ((static_cast<std::size_t>(kind) == I ? (result = f(std::get<I>(tables)), true) : false) ||
       ...);
      return result;
    }
  }
  (std::make_index_sequence<std::tuple_size_v<std::remove_const_t<Tup>>>{});
}
/// Table::prefetch() for a reference to an entity of a kind known only at run time: the index
/// slot of `id` (`entity` false), or the entity that slot names (true). Nothing for an empty id
/// or an unknown kind.
inline void prefetch_ref(const Model::Impl& m, EntityKind kind, std::string_view id,
                         bool entity) noexcept {
  if (id.empty() || static_cast<int>(kind) >= entity_kind_count) return;
  with_table(m.tables, kind, [&](const auto& table) { table.prefetch(id, entity); });
}

/// A reference to look up: `id` views a string of the model.
struct RefView {
  EntityKind kind;
  std::string_view id;
};

/// Looks up references in bulk: for every j in [from, to), `ref_at(j)` gives a reference (a Ref
/// or a RefView, whose id stays put until the call returns) and `found(j, pos)` receives its
/// position within the table of its kind, or IdIndex::npos (an empty or unknown id, or a kind
/// with no table). `touch(j)` starts loading what `ref_at(j)` will read.
///
/// On a large model each look-up misses the caches three times over, one after the other: the
/// reference itself, the id's index slot, the entity that slot names (whose id is compared).
/// The look-ups therefore run as a pipeline over blocks of `block` references: while block b is
/// probed, the entities of block b+1, the slots of block b+2 and the references of block b+3
/// are being loaded, and each id is hashed once.
template <class Touch, class RefAt, class Found>
void resolve_refs(const Model::Impl& m, std::size_t from, std::size_t to, Touch&& touch,
                  RefAt&& ref_at, Found&& found) {
  constexpr std::size_t block = 16;
  struct Pending {
    EntityKind kind;
    std::string_view id;
    std::uint32_t hash;
  };
  std::array<std::array<Pending, block>, 3> ring;  // blocks b, b+1 and b+2, by b % 3
  const std::size_t blocks = (to - from + block - 1) / block;
  auto span_of = [&](std::size_t b) {
    const std::size_t lo = from + b * block;
    return std::pair{lo, std::min(lo + block, to)};
  };
  auto valid = [](const Pending& p) {
    return !p.id.empty() && static_cast<int>(p.kind) < entity_kind_count;
  };
  for (std::size_t step = 0; step < blocks + 3; ++step) {
    if (step < blocks) {
      const auto [lo, hi] = span_of(step);
      for (std::size_t j = lo; j < hi; ++j) touch(j);
    }
    if (step >= 1 && step - 1 < blocks) {  // hash, and load the slots
      const auto [lo, hi] = span_of(step - 1);
      auto& pending = ring[(step - 1) % 3];
      for (std::size_t j = lo; j < hi; ++j) {
        Pending& p = pending[j - lo];
        const auto& r = ref_at(j);  // a Ref, or anything with a kind and an id
        p.kind = r.kind;
        p.id = r.id;
        p.hash = IdIndex::hash(p.id);
        if (valid(p)) with_table(m.tables, p.kind, [&](const auto& t) { t.prefetch_slot(p.hash); });
      }
    }
    if (step >= 2 && step - 2 < blocks) {  // load the entities the slots name
      const auto [lo, hi] = span_of(step - 2);
      const auto& pending = ring[(step - 2) % 3];
      for (std::size_t j = lo; j < hi; ++j)
        if (const Pending& p = pending[j - lo]; valid(p))
          with_table(m.tables, p.kind, [&](const auto& t) { t.prefetch_entity(p.hash); });
    }
    if (step >= 3) {  // probe
      const auto [lo, hi] = span_of(step - 3);
      const auto& pending = ring[(step - 3) % 3];
      for (std::size_t j = lo; j < hi; ++j) {
        const Pending& p = pending[j - lo];
        found(j, valid(p) ? with_table(m.tables, p.kind,
                                       [&](const auto& t) { return t.find(p.id, p.hash); })
                          : IdIndex::npos);
      }
    }
  }
}

}  // namespace detail

}  // namespace v1
}  // namespace spm
