# capi.cmake - the C ABI's tests beyond the per-file C tests of tests/CMakeLists.txt: the
# libraries the C tests need, the examples in C, Python (ctypes) and Go (cgo) with byte-equal
# output, and the ABI check against abi/libspm.abi. Included by tests/CMakeLists.txt.
find_package(Threads REQUIRED)
foreach(_src IN LISTS SPM_C_TESTS)
  get_filename_component(_name ${_src} NAME_WE)
  target_link_libraries(c_${_name} PRIVATE Threads::Threads m)
endforeach()

# ---- the examples ------------------------------------------------------------------------------
add_executable(spm_example_scorecard ${PROJECT_SOURCE_DIR}/examples/c/scorecard.c)
set_target_properties(spm_example_scorecard PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON
                      C_EXTENSIONS OFF)
target_link_libraries(spm_example_scorecard PRIVATE spm::capi spm_warnings)

set(_langs c)
# Python and Go load libspm.so into their own runtimes, which a sanitized library cannot join.
if(NOT SPM_SANITIZE)
  list(APPEND _langs python go)
endif()
foreach(_lang IN LISTS _langs)
  add_test(NAME c.example.${_lang}
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/c/run_example.sh ${_lang} ${PROJECT_SOURCE_DIR}
            $<TARGET_FILE:spm_capi> $<TARGET_FILE:spm_example_scorecard>
            ${SPM_TEST_WORK_DIR}/example-${_lang})
  set_tests_properties(c.example.${_lang} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
endforeach()

# ---- the ABI against the committed baseline (a Debug build, as the baseline is) ----------------
find_program(SPM_ABIDIFF abidiff)
if(SPM_ABIDIFF AND CMAKE_BUILD_TYPE STREQUAL "Debug" AND NOT SPM_SANITIZE)
  add_test(NAME c.abi
    COMMAND bash ${PROJECT_SOURCE_DIR}/abi/check.sh $<TARGET_FILE:spm_capi>)
endif()
