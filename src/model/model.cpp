#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <utility>

#include "model/check.hpp"
#include "model/describe.hpp"
#include "model/model_impl.hpp"

namespace spm {
inline namespace v1 {

using detail::Table;

namespace {

template <class T>
[[noreturn]] void throw_not_found(std::string_view id) {
  throw Error(ErrorCode::not_found,
              std::vector<Issue>{
                  Issue{Severity::error,
                        to_string(entity_kind_of<T>::value),
                        std::string(id),
                        "id",
                        fmt::format("no {} has this id", to_string(entity_kind_of<T>::value)),
                        {}}});
}

template <class T>
std::vector<Issue> own_issues(const T& entity) {
  std::vector<Issue> issues;
  detail::check_entity(entity, issues);
  return issues;
}

template <class T>
void throw_if_invalid(const T& entity) {
  auto issues = own_issues(entity);
  if (!issues.empty()) throw Error(ErrorCode::validation, std::move(issues));
}

Issue duplicate_issue(EntityKind kind, std::string_view id) {
  return Issue{Severity::error,
               to_string(kind),
               std::string(id),
               "id",
               fmt::format("another {} already has this id", to_string(kind)),
               {}};
}

EntityKind kind_of(const AnyEntity& e) {
  return static_cast<EntityKind>(e.index());
}
std::string_view id_of(const AnyEntity& e) {
  return std::visit([](const auto& x) -> std::string_view { return x.id; }, e);
}

}  // namespace

Model::Model() : impl_(std::make_unique<Impl>()) {}
Model::~Model() = default;
Model::Model(const Model& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
Model& Model::operator=(const Model& other) {
  if (this != &other) {
    impl_ = std::make_unique<Impl>(*other.impl_);
  }
  return *this;
}
// A moved-from Model is an empty organization, so that using it by mistake is harmless.
Model::Model(Model&& other) noexcept
    : impl_(std::exchange(other.impl_, std::make_unique<Impl>())) {}
Model& Model::operator=(Model&& other) noexcept {
  if (this != &other) std::swap(impl_, other.impl_);
  return *this;
}

const OrganizationInfo& Model::info() const noexcept {
  return impl_->info;
}

void Model::set_info(OrganizationInfo info) {
  std::vector<Issue> issues;
  detail::check_info(info, issues);
  if (!issues.empty()) throw Error(ErrorCode::validation, std::move(issues));
  impl_->info = std::move(info);
  impl_->bump();
}

template <class T>
std::span<const T> Model::all() const noexcept {
  return impl_->table<T>().items();
}

template <class T>
const T* Model::find(std::string_view id) const noexcept {
  const auto& t = impl_->table<T>();
  const auto pos = t.find(id);
  return pos == detail::IdIndex::npos ? nullptr : &t.at(pos);
}

template <class T>
const T& Model::get(std::string_view id) const {
  if (const T* e = find<T>(id)) return *e;
  throw_not_found<T>(id);
}

std::int64_t Model::index_of(EntityKind kind, std::string_view id) const noexcept {
  return detail::with_table(impl_->tables, kind, [&](const auto& t) -> std::int64_t {
    const auto pos = t.find(id);
    return pos == detail::IdIndex::npos ? -1 : static_cast<std::int64_t>(pos);
  });
}

std::size_t Model::count(EntityKind kind) const noexcept {
  return detail::with_table(impl_->tables, kind, [](const auto& t) { return t.size(); });
}

template <class T>
void Model::add(T entity) {
  auto& t = impl_->table<T>();
  const auto probe = t.probe(entity.id);  // one look-up for the check and the insertion
  if (probe.pos != detail::IdIndex::npos)
    throw Error(ErrorCode::duplicate,
                std::vector<Issue>{duplicate_issue(entity_kind_of<T>::value, entity.id)});
  throw_if_invalid(entity);
  try {
    t.push_at(probe, std::move(entity));
  } catch (...) {
    impl_->refs.reset();  // whatever the table holds now, the next compile resolves it afresh
    throw;
  }
  impl_->refs.pushed();
  impl_->bump();
}

template <class T>
void Model::update(T entity) {
  auto& t = impl_->table<T>();
  const auto pos = t.find(entity.id);
  if (pos == detail::IdIndex::npos) throw_not_found<T>(entity.id);
  throw_if_invalid(entity);
  try {
    t.replace(pos, std::move(entity));
  } catch (...) {
    impl_->refs.reset();
    throw;
  }
  impl_->refs.replaced(*impl_, entity_kind_of<T>::value, pos);
  impl_->bump();
}

template <class T>
void Model::upsert(T entity) {
  if (find<T>(entity.id))
    update(std::move(entity));
  else
    add(std::move(entity));
}

void Model::remove(EntityKind kind, std::string_view id) {
  if (static_cast<int>(kind) >= entity_kind_count)
    throw Error(ErrorCode::invalid_argument,
                fmt::format("invalid entity kind {}", static_cast<int>(kind)));
  detail::with_table(impl_->tables, kind, [&](auto& t) {
    using T = std::decay_t<decltype(t.at(0))>;
    const auto pos = t.find(id);
    if (pos == detail::IdIndex::npos) throw_not_found<T>(id);
    try {
      t.erase(pos);
    } catch (...) {
      impl_->refs.reset();
      throw;
    }
    impl_->refs.erased(kind, pos);
  });
  impl_->bump();
}

void Model::apply(const Batch& batch) {
  if (batch.empty()) return;
  std::vector<Issue> issues;
  auto note = [&](std::size_t i, std::vector<Issue> found) {
    for (auto& is : found) {
      is.location = fmt::format("edit {}", i);
      issues.push_back(std::move(is));
    }
  };
  const auto& edits = batch.edits();
  const bool only_adds = std::all_of(edits.begin(), edits.end(),
                                     [](const Batch::Edit& e) { return e.op == Batch::Op::add; });

  if (only_adds) {
    // The bulk-load path: no copies; check everything, then append everything.
    std::set<std::pair<EntityKind, std::string_view>> seen;
    std::size_t per_kind[entity_kind_count] = {};
    for (std::size_t i = 0; i < edits.size(); ++i) {
      const auto& e = edits[i].entity;
      const EntityKind kind = kind_of(e);
      ++per_kind[static_cast<int>(kind)];
      if (contains(kind, id_of(e)) || !seen.emplace(kind, id_of(e)).second)
        note(i, {duplicate_issue(kind, id_of(e))});
      std::visit([&](const auto& x) { note(i, own_issues(x)); }, e);
    }
    if (!issues.empty()) throw Error(ErrorCode::validation, std::move(issues));
    for (int k = 0; k < entity_kind_count; ++k)
      if (per_kind[k])
        reserve(static_cast<EntityKind>(k), count(static_cast<EntityKind>(k)) + per_kind[k]);
    try {
      for (const auto& edit : edits)
        std::visit(
            [&](const auto& x) {
              using T = std::decay_t<decltype(x)>;
              impl_->table<T>().push(x);
            },
            edit.entity);
    } catch (...) {
      impl_->refs.reset();  // as in add(): the next compile resolves whatever the tables hold
      throw;
    }
    impl_->refs.pushed();
    impl_->bump();
    return;
  }

  // The general path: edit copies of the tables touched, then swap them in.
  detail::Tables work;
  bool touched[entity_kind_count] = {};
  for (const auto& edit : edits) {
    const auto k = static_cast<std::size_t>(kind_of(edit.entity));
    if (!touched[k]) {
      touched[k] = true;
      detail::with_table(work, static_cast<EntityKind>(k), [&](auto& t) {
        using T = std::decay_t<decltype(t.at(0))>;
        t = impl_->table<T>();
      });
    }
  }
  for (std::size_t i = 0; i < edits.size(); ++i) {
    const auto& edit = edits[i];
    std::visit(
        [&](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          auto& t = std::get<Table<T>>(work);
          const auto pos = t.find(x.id);
          const bool exists = pos != detail::IdIndex::npos;
          const EntityKind kind = entity_kind_of<T>::value;
          switch (edit.op) {
            case Batch::Op::remove:
              if (!exists) {
                note(i, {Issue{Severity::error,
                               to_string(kind),
                               x.id,
                               "id",
                               fmt::format("no {} has this id", to_string(kind)),
                               {}}});
                return;
              }
              t.erase(pos);
              return;
            case Batch::Op::add:
              if (exists) {
                note(i, {duplicate_issue(kind, x.id)});
                return;
              }
              break;
            case Batch::Op::update:
              if (!exists) {
                note(i, {Issue{Severity::error,
                               to_string(kind),
                               x.id,
                               "id",
                               fmt::format("no {} has this id", to_string(kind)),
                               {}}});
                return;
              }
              break;
            case Batch::Op::upsert:
              break;
          }
          auto found = own_issues(x);
          if (!found.empty()) {
            note(i, std::move(found));
            return;
          }
          if (exists)
            t.replace(pos, x);
          else
            t.push(x);
        },
        edit.entity);
  }
  if (!issues.empty()) throw Error(ErrorCode::validation, std::move(issues));
  for (std::size_t k = 0; k < entity_kind_count; ++k)
    if (touched[k])
      detail::with_table(work, static_cast<EntityKind>(k), [&](auto& t) {
        using T = std::decay_t<decltype(t.at(0))>;
        impl_->table<T>() = std::move(t);
      });
  impl_->refs.reset();  // tables swapped in whole: resolved again by the next compile
  impl_->bump();
}

Batch& Batch::remove(EntityKind kind, std::string id) {
  if (static_cast<int>(kind) >= entity_kind_count)
    throw Error(ErrorCode::invalid_argument,
                fmt::format("invalid entity kind {}", static_cast<int>(kind)));
  AnyEntity e = [&]<std::size_t... I>(std::index_sequence<I...>) {
    AnyEntity out;
    ((static_cast<std::size_t>(kind) == I ? (out.emplace<I>(), true) : false) || ...);
    return out;
  }
  (std::make_index_sequence<std::variant_size_v<AnyEntity>>{});
  std::visit([&](auto& x) { x.id = std::move(id); }, e);
  edits_.push_back(Edit{Op::remove, std::move(e)});
  return *this;
}

void Model::set_actual(std::string_view measure_id, Actual actual) {
  auto& t = impl_->table<Measure>();
  const auto pos = t.find(measure_id);
  if (pos == detail::IdIndex::npos) throw_not_found<Measure>(measure_id);
  const Measure& m = std::as_const(t).at(pos);
  if (actual.numerator && actual.denominator && std::isfinite(*actual.numerator) &&
      std::isfinite(*actual.denominator) && *actual.denominator > 0)
    actual.value = *actual.numerator / *actual.denominator;
  // Check the actual as the measure would hold it, without copying the measure's history.
  Measure probe;
  probe.id = m.id;
  probe.subject = m.subject;
  probe.method = m.method == ScoringMethod::ratio ? ScoringMethod::ratio : ScoringMethod::binary;
  probe.target = 1.0;
  probe.aggregation = m.aggregation;
  probe.actuals.push_back(actual);
  std::vector<Issue> issues;
  detail::check_entity(probe, issues);
  std::erase_if(issues, [](const Issue& i) { return i.field.rfind("actuals", 0) != 0; });
  for (auto& i : issues) i.field.replace(0, std::string_view("actuals[0]").size(), "actual");
  if (!issues.empty()) throw Error(ErrorCode::validation, std::move(issues));

  t.modify(pos, [&](Measure& edited) {
    auto& actuals = edited.actuals;
    auto it = std::lower_bound(actuals.begin(), actuals.end(), actual.period,
                               [](const Actual& a, Period p) { return a.period < p; });
    if (it != actuals.end() && it->period == actual.period)
      actuals.set(static_cast<std::size_t>(it - actuals.begin()), actual);
    else
      actuals.insert(it, actual);
  });
  impl_->bump_data();
}

bool Model::erase_actual(std::string_view measure_id, Period period) {
  auto& t = impl_->table<Measure>();
  const auto pos = t.find(measure_id);
  if (pos == detail::IdIndex::npos) throw_not_found<Measure>(measure_id);
  const auto& actuals = t.at(pos).actuals;
  auto it = std::lower_bound(actuals.begin(), actuals.end(), period,
                             [](const Actual& a, Period p) { return a.period < p; });
  if (it == actuals.end() || !(it->period == period)) return false;
  const auto k = it - actuals.begin();
  t.modify(pos, [&](Measure& edited) { edited.actuals.erase(edited.actuals.begin() + k); });
  impl_->bump_data();
  return true;
}

std::uint64_t Model::revision() const noexcept {
  return impl_->revision();
}
std::uint64_t Model::structure_revision() const noexcept {
  return impl_->structure();
}

std::size_t Model::kept_bytes() const noexcept {
  std::lock_guard lock(impl_->token->store_mutex);
  return impl_->token->buffers.kept_bytes() + impl_->table<Measure>().store().spare_bytes();
}
void Model::release_memory() const noexcept {
  impl_->token->buffers.release();
  // The store's arrays kept for its next layout: the model is const here, but its Impl, on the
  // heap, is not (as for a layout, under the same lock).
  std::lock_guard lock(impl_->token->store_mutex);
  const_cast<detail::MeasureStore&>(impl_->table<Measure>().store()).release_spares();
}

bool Model::operator==(const Model& other) const {
  if (!(impl_->info == other.impl_->info)) return false;
  bool equal = true;
  detail::for_each_entity_type([&](auto tag) {
    using T = typename decltype(tag)::type;
    const auto a = impl_->table<T>().items();
    const auto b = other.impl_->table<T>().items();
    equal = equal && std::equal(a.begin(), a.end(), b.begin(), b.end());
  });
  return equal;
}

void Model::reserve(EntityKind kind, std::size_t n) {
  if (static_cast<int>(kind) >= entity_kind_count) return;
  detail::with_table(impl_->tables, kind, [&](auto& t) { t.reserve(n); });
}

#define SPM_INSTANTIATE(T)                                           \
  template std::span<const T> Model::all<T>() const noexcept;        \
  template const T* Model::find<T>(std::string_view) const noexcept; \
  template const T& Model::get<T>(std::string_view) const;           \
  template void Model::add<T>(T);                                    \
  template void Model::update<T>(T);                                 \
  template void Model::upsert<T>(T);
SPM_INSTANTIATE(Value)
SPM_INSTANTIATE(Perspective)
SPM_INSTANTIATE(Function)
SPM_INSTANTIATE(Division)
SPM_INSTANTIATE(Unit)
SPM_INSTANTIATE(Team)
SPM_INSTANTIATE(Employee)
SPM_INSTANTIATE(Goal)
SPM_INSTANTIATE(Strategy)
SPM_INSTANTIATE(Measure)
SPM_INSTANTIATE(Milestone)
SPM_INSTANTIATE(Action)
SPM_INSTANTIATE(Objective)
SPM_INSTANTIATE(Competency)
SPM_INSTANTIATE(ReviewCycle)
SPM_INSTANTIATE(Review)
SPM_INSTANTIATE(SelfAssessment)
SPM_INSTANTIATE(Feedback)
SPM_INSTANTIATE(CheckIn)
SPM_INSTANTIATE(Budget)
#undef SPM_INSTANTIATE

}  // namespace v1
}  // namespace spm
