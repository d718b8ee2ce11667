// check.hpp - checks of one entity's own fields (no look-ups of other entities). Used by every
// edit of the Model, by the loaders and by validate(). Internal to spm.
#pragma once

#include <string_view>
#include <vector>

#include "spm/model.hpp"

namespace spm {
inline namespace v1 {
namespace detail {

/// Appends an Issue for every problem in the entity's own fields.
template <class T>
void check_entity(const T& entity, std::vector<Issue>& out);
void check_info(const OrganizationInfo& info, std::vector<Issue>& out);

/// Whether `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

/// Where a contribution from `from` may point (DOMAIN.md section 2).
bool contribution_allowed(EntityKind from, EntityKind to) noexcept;

}  // namespace detail
}  // namespace v1
}  // namespace spm
