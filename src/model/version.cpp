#include "spm/version.hpp"

#include "spm.h"  // SPM_VERSION_*: the one place the version is written

namespace spm {
inline namespace v1 {

#define SPM_STR2(x) #x
#define SPM_STR(x) SPM_STR2(x)

VersionInfo version() noexcept {
  return {SPM_VERSION_MAJOR, SPM_VERSION_MINOR, SPM_VERSION_PATCH};
}

const char* version_string() noexcept {
  return SPM_STR(SPM_VERSION_MAJOR) "." SPM_STR(SPM_VERSION_MINOR) "." SPM_STR(SPM_VERSION_PATCH);
}

}  // namespace v1
}  // namespace spm
