# FindLibCSV.cmake - finds libcsv (Robert Gamble's C CSV parser), which ships no CMake package.
#
# Defines the imported target LibCSV::csv and the variables LibCSV_FOUND, LibCSV_INCLUDE_DIR,
# LibCSV_LIBRARY. Installed beside spmConfig.cmake, because a consumer linking the static
# spm::core needs it too.
include(FindPackageHandleStandardArgs)

find_path(LibCSV_INCLUDE_DIR NAMES csv.h)
# Prefer the shared library: Debian's libcsv.a is not position-independent.
find_library(LibCSV_LIBRARY NAMES ${CMAKE_SHARED_LIBRARY_PREFIX}csv${CMAKE_SHARED_LIBRARY_SUFFIX} csv)
mark_as_advanced(LibCSV_INCLUDE_DIR LibCSV_LIBRARY)

find_package_handle_standard_args(LibCSV REQUIRED_VARS LibCSV_LIBRARY LibCSV_INCLUDE_DIR)

if(LibCSV_FOUND AND NOT TARGET LibCSV::csv)
  add_library(LibCSV::csv UNKNOWN IMPORTED)
  set_target_properties(LibCSV::csv PROPERTIES
    IMPORTED_LOCATION "${LibCSV_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${LibCSV_INCLUDE_DIR}")
endif()
