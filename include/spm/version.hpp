// spm/version.hpp - the library's version, the same as the C header's SPM_VERSION_* macros.
#pragma once

namespace spm {
inline namespace v1 {

struct VersionInfo {
  int major, minor, patch;
};
/// The version of the library linked in (which may differ from the headers compiled against).
VersionInfo version() noexcept;
/// "MAJOR.MINOR.PATCH"
const char* version_string() noexcept;

}  // namespace v1
}  // namespace spm
