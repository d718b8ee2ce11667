// ref_cache.cpp - resolving the model's references once, and keeping them in step with edits.
#include "model/ref_cache.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "common/parallel.hpp"
#include "common/prefetch.hpp"
#include "model/model_impl.hpp"

namespace spm {
inline namespace v1 {
namespace detail {
namespace {

constexpr std::size_t min_per_thread = 4096;

using Packed = RefCache::Packed;

Packed packed(EntityKind kind, std::string_view id, std::uint32_t pos) noexcept {
  if (id.empty() || static_cast<int>(kind) >= entity_kind_count)
    return RefCache::pack(kind, RefCache::absent);
  return RefCache::pack(kind, pos == IdIndex::npos ? RefCache::missing : pos);
}

Packed resolve(const Model::Impl& m, EntityKind kind, std::string_view id) {
  if (id.empty() || static_cast<int>(kind) >= entity_kind_count)
    return RefCache::pack(kind, RefCache::absent);
  return packed(kind, id, with_table(m.tables, kind, [&](const auto& t) { return t.find(id); }));
}

bool is_missing(Packed p) noexcept {
  return RefCache::pos_of(p) == RefCache::missing;
}
std::size_t count_missing(const Packed* from, const Packed* to) noexcept {
  return static_cast<std::size_t>(std::count_if(from, to, is_missing));
}

template <class T>
void check_size(std::size_t n) {
  if (n > RefCache::max_entities)
    throw Error(ErrorCode::invalid_argument,
                fmt::format("the model has more than {} {}", RefCache::max_entities,
                            plural_name(entity_kind_of<T>::value)));
}

/// Resolves the contributions of the entities of `items` from L.covered on.
template <class T>
std::size_t extend_links(const Model::Impl& m, std::span<const T> items, RefCache::Links& L,
                         int threads) {
  check_size<T>(items.size());
  const std::size_t first = L.covered;
  if (first >= items.size()) return 0;
  std::size_t count = 0;
  for (std::size_t i = first; i < items.size(); ++i) count += items[i].contributes_to.size();
  const std::size_t at = L.to.size();
  if (at + count >= std::size_t{0xFFFFFFFFu})
    throw Error(ErrorCode::invalid_argument, "the model has more than 4 billion contributions");
  if (L.offsets.empty()) L.offsets.push_back(0);
  L.offsets.reserve(items.size() + 1);
  for (std::size_t i = first; i < items.size(); ++i)
    L.offsets.push_back(L.offsets.back() +
                        static_cast<std::uint32_t>(items[i].contributes_to.size()));
  L.to.resize(at + count);
  L.weight.resize(at + count);
  std::vector<const Contribution*> link;
  link.reserve(count);
  advise_huge(link.data(), count * sizeof(link[0]));
  for (std::size_t i = first; i < items.size(); ++i)
    for (const Contribution& c : items[i].contributes_to) link.push_back(&c);
  parallel_for(count, threads, min_per_thread, [&](std::size_t from, std::size_t to) {
    resolve_refs(
        m, from, to, [&](std::size_t j) { prefetch_line(link[j]); },
        [&](std::size_t j) -> const Ref& { return link[j]->to; },
        [&](std::size_t j, std::uint32_t pos) {
          L.to[at + j] = packed(link[j]->to.kind, link[j]->to.id, pos);
          L.weight[at + j] = link[j]->weight;
        });
  });
  L.covered = static_cast<std::uint32_t>(items.size());
  return count_missing(L.to.data() + at, L.to.data() + at + count);
}

/// Resolves one reference per entity from R.covered on: `field` is the member that holds it
/// (loaded ahead), ref_at(item) gives it as a Ref or a RefView, weight_of(item) the weight kept
/// with it (nullptr: a section without weights).
template <class T, class Field, class RefAt, class WeightOf>
std::size_t extend_refs(const Model::Impl& m, std::span<const T> items, RefCache::Refs& R,
                        int threads, Field T::*field, RefAt&& ref_at, WeightOf&& weight_of) {
  constexpr bool weighted = !std::is_same_v<std::decay_t<WeightOf>, std::nullptr_t>;
  check_size<T>(items.size());
  const std::size_t first = R.covered;
  if (first >= items.size()) return 0;
  R.to.resize(items.size());
  if constexpr (weighted) R.weight.resize(items.size());
  parallel_for(
      items.size() - first, threads, min_per_thread, [&](std::size_t from, std::size_t to) {
        resolve_refs(
            m, first + from, first + to, [&](std::size_t i) { prefetch_line(&(items[i].*field)); },
            // A Ref by reference, a RefView by value: the id must stay put.
            [&](std::size_t i) -> decltype(auto) { return ref_at(items[i]); },
            [&](std::size_t i, std::uint32_t pos) {
              const auto& r = ref_at(items[i]);
              R.to[i] = packed(r.kind, r.id, pos);
              if constexpr (weighted) R.weight[i] = weight_of(items[i]);
            });
      });
  R.covered = static_cast<std::uint32_t>(items.size());
  return count_missing(R.to.data() + first, R.to.data() + items.size());
}

RefView unit_of(const Employee& e) noexcept {
  return RefView{EntityKind::unit, e.unit};
}
RefView parent_of(const Unit& u) noexcept {
  return RefView{EntityKind::unit, u.parent};
}

}  // namespace

void RefCache::extend(const Model::Impl& m, int threads) {
  try {
    std::size_t found_missing = 0;
    auto contributions = [&]<class... T>() {
      ((found_missing += extend_links(m, m.table<T>().items(), links[link_section<T>()], threads)),
       ...);
    };
    contributions.template operator()<Strategy, Milestone, Action, Objective>();
    found_missing += extend_refs(
        m, m.table<Measure>().items(), subject, threads, &Measure::subject,
        [](const Measure& x) -> const Ref& { return x.subject; },
        [](const Measure& x) { return x.weight; });
    found_missing += extend_refs(
        m, m.table<Objective>().items(), owner, threads, &Objective::owner,
        [](const Objective& x) -> const Ref& { return x.owner; }, nullptr);
    found_missing += extend_refs(m, m.table<Employee>().items(), unit, threads, &Employee::unit,
                                 unit_of, nullptr);
    found_missing +=
        extend_refs(m, m.table<Unit>().items(), parent, threads, &Unit::parent, parent_of, nullptr);
    missing_ += found_missing;
  } catch (...) {
    clear();
    throw;
  }
}

void RefCache::pushed() noexcept {
  std::lock_guard lock(mutex);
  if (missing_ > 0) clear();
}

void RefCache::replaced(const Model::Impl& m, EntityKind kind, std::uint32_t pos) noexcept {
  std::lock_guard lock(mutex);
  try {
    auto relink = [&](Links& L, const std::vector<Contribution>& given) {
      if (pos >= L.covered) return;
      const std::uint32_t a = L.offsets[pos], b = L.offsets[pos + 1];
      missing_ -= count_missing(L.to.data() + a, L.to.data() + b);
      std::vector<Packed> to(given.size());
      std::vector<double> weight(given.size());
      for (std::size_t k = 0; k < given.size(); ++k) {
        to[k] = resolve(m, given[k].to.kind, given[k].to.id);
        weight[k] = given[k].weight;
      }
      missing_ += count_missing(to.data(), to.data() + to.size());
      if (to.size() == b - a) {
        std::copy(to.begin(), to.end(), L.to.begin() + a);
        std::copy(weight.begin(), weight.end(), L.weight.begin() + a);
        return;
      }
      if (L.to.size() - (b - a) + to.size() >= std::size_t{0xFFFFFFFFu}) {
        clear();
        return;
      }
      L.to.erase(L.to.begin() + a, L.to.begin() + b);
      L.to.insert(L.to.begin() + a, to.begin(), to.end());
      L.weight.erase(L.weight.begin() + a, L.weight.begin() + b);
      L.weight.insert(L.weight.begin() + a, weight.begin(), weight.end());
      const auto grown = static_cast<std::uint32_t>(to.size()), shrunk = b - a;
      for (std::size_t i = pos + 1; i <= L.covered; ++i)
        L.offsets[i] = L.offsets[i] - shrunk + grown;
    };
    auto rebind = [&](Refs& R, Packed p) {
      if (pos >= R.covered) return;
      if (is_missing(R.to[pos])) --missing_;
      if (is_missing(p)) ++missing_;
      R.to[pos] = p;
    };
    switch (kind) {
      case EntityKind::strategy:
        relink(links[link_section<Strategy>()], m.table<Strategy>().at(pos).contributes_to);
        break;
      case EntityKind::milestone:
        relink(links[link_section<Milestone>()], m.table<Milestone>().at(pos).contributes_to);
        break;
      case EntityKind::action:
        relink(links[link_section<Action>()], m.table<Action>().at(pos).contributes_to);
        break;
      case EntityKind::objective: {
        const Objective& o = m.table<Objective>().at(pos);
        relink(links[link_section<Objective>()], o.contributes_to);
        rebind(owner, resolve(m, o.owner.kind, o.owner.id));
        break;
      }
      case EntityKind::measure: {
        const Measure& x = m.table<Measure>().at(pos);
        rebind(subject, resolve(m, x.subject.kind, x.subject.id));
        if (pos < subject.covered) subject.weight[pos] = x.weight;
        break;
      }
      case EntityKind::employee:
        rebind(unit, resolve(m, EntityKind::unit, m.table<Employee>().at(pos).unit));
        break;
      case EntityKind::unit:
        rebind(parent, resolve(m, EntityKind::unit, m.table<Unit>().at(pos).parent));
        break;
      default:
        break;
    }
  } catch (...) {
    clear();
  }
}

void RefCache::erased(EntityKind kind, std::uint32_t pos) noexcept {
  std::lock_guard lock(mutex);
  // The entity's own references go.
  for (std::size_t s = 0; s < links.size(); ++s) {
    Links& L = links[s];
    if (link_kinds[s] != kind || pos >= L.covered) continue;
    const std::uint32_t a = L.offsets[pos], b = L.offsets[pos + 1];
    missing_ -= count_missing(L.to.data() + a, L.to.data() + b);
    L.to.erase(L.to.begin() + a, L.to.begin() + b);
    L.weight.erase(L.weight.begin() + a, L.weight.begin() + b);
    L.offsets.erase(L.offsets.begin() + pos + 1);
    for (std::size_t i = pos + 1; i < L.offsets.size(); ++i) L.offsets[i] -= b - a;
    --L.covered;
  }
  auto drop = [&](Refs& R, EntityKind of) {
    if (of != kind || pos >= R.covered) return;
    if (is_missing(R.to[pos])) --missing_;
    R.to.erase(R.to.begin() + pos);
    if (!R.weight.empty()) R.weight.erase(R.weight.begin() + pos);
    --R.covered;
  };
  drop(subject, EntityKind::measure);
  drop(owner, EntityKind::objective);
  drop(unit, EntityKind::employee);
  drop(parent, EntityKind::unit);
  // References to it now miss; those to the entities after it move one position down.
  auto follow = [&](HugeVector<Packed>& to) {
    for (Packed& p : to) {
      if (kind_of(p) != kind) continue;
      const std::uint32_t q = pos_of(p);
      if (q >= absent || q < pos) continue;
      if (q == pos) {
        p = pack(kind, missing);
        ++missing_;
      } else {
        p = pack(kind, q - 1);
      }
    }
  };
  for (Links& L : links) follow(L.to);
  follow(subject.to);
  follow(owner.to);
  follow(unit.to);
  follow(parent.to);
}

void RefCache::reset() noexcept {
  std::lock_guard lock(mutex);
  clear();
}

void RefCache::clear() noexcept {
  for (Links& L : links) L = Links{};
  subject = Refs{};
  owner = Refs{};
  unit = Refs{};
  parent = Refs{};
  missing_ = 0;
}

}  // namespace detail
}  // namespace v1
}  // namespace spm
