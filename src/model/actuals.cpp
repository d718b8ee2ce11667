// actuals.cpp - Actuals, a measure's actuals kept compact (spm/model.hpp).
#include <algorithm>

#include <fmt/format.h>

#include "spm/model.hpp"

namespace spm {
inline namespace v1 {

void Actuals::reserve(size_type n) {
  entries_.reserve(n);
  if (!ratios_.empty()) ratios_.reserve(n);
}

void Actuals::clear() noexcept {
  entries_.clear();
  ratios_.clear();
}

void Actuals::shrink_to_fit() {
  entries_.shrink_to_fit();
  ratios_.shrink_to_fit();
}

const Actual Actuals::at(size_type i) const {
  if (i >= size())
    throw Error(ErrorCode::invalid_argument,
                fmt::format("actual {} does not exist (there are {})", i, size()));
  return (*this)[i];
}

std::pair<Actuals::Entry, Actuals::Ratio> Actuals::split(const Actual& a) noexcept {
  Entry e;
  e.period = a.period.raw();
  e.value = a.value;
  Ratio r;
  if (a.numerator) {
    e.parts |= 1u;
    r.numerator = *a.numerator;
  }
  if (a.denominator) {
    e.parts |= 2u;
    r.denominator = *a.denominator;
  }
  return {e, r};
}

void Actuals::pop_back() noexcept {
  entries_.pop_back();
  if (!ratios_.empty()) ratios_.pop_back();
}

void Actuals::set(size_type i, const Actual& actual) {
  const auto [e, r] = split(actual);
  if (e.parts != 0 && ratios_.empty()) ratios_.resize(entries_.size());
  entries_[i] = e;
  if (!ratios_.empty()) ratios_[i] = r;
}

Actuals::const_iterator Actuals::insert(const_iterator pos, const Actual& actual) {
  const auto [e, r] = split(actual);
  const auto at = static_cast<difference_type>(pos.at_);
  // Numerators and denominators are kept, one for every entry, once some actual has one (with
  // no entry yet, `ratios_` is empty either way).
  const bool with_ratios = e.parts != 0 || !ratios_.empty();
  // Room first, so that a failed allocation leaves both arrays as they were.
  if (e.parts != 0 && ratios_.empty()) {
    std::vector<Ratio> ratios;
    ratios.reserve(std::max(entries_.capacity(), entries_.size() + 1));
    ratios.resize(entries_.size());
    entries_.reserve(entries_.size() + 1);
    ratios_.swap(ratios);
  } else {
    entries_.reserve(entries_.size() + 1);
    if (!ratios_.empty()) ratios_.reserve(entries_.capacity());
  }
  entries_.insert(entries_.begin() + at, e);  // cannot throw: room reserved, trivial type
  if (with_ratios) ratios_.insert(ratios_.begin() + at, r);
  return const_iterator(this, pos.at_);
}

Actuals::const_iterator Actuals::erase(const_iterator pos) {
  return erase(pos, pos + 1);
}

Actuals::const_iterator Actuals::erase(const_iterator first, const_iterator last) {
  const auto a = static_cast<difference_type>(first.at_),
             b = static_cast<difference_type>(last.at_);
  entries_.erase(entries_.begin() + a, entries_.begin() + b);
  if (!ratios_.empty()) ratios_.erase(ratios_.begin() + a, ratios_.begin() + b);
  return const_iterator(this, first.at_);
}

std::vector<Actual> Actuals::to_vector() const {
  return std::vector<Actual>(begin(), end());
}

bool operator==(const Actuals& a, const Actuals& b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i])) return false;
  return true;
}

}  // namespace v1
}  // namespace spm
