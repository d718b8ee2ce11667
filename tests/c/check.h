/* check.h - the checks shared by the C tests of spm.h. */
#ifndef SPM_TEST_CHECK_H
#define SPM_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spm.h"

static int failures = 0;

#define CHECK(cond)                                                                           \
  do {                                                                                        \
    if (!(cond)) {                                                                            \
      fprintf(stderr, "%s:%d: CHECK(%s) failed; last error: %s\n", __FILE__, __LINE__, #cond, \
              spm_error_last());                                                              \
      ++failures;                                                                             \
    }                                                                                         \
  } while (0)

/* A call that must succeed. */
#define CHECK_OK(call)                                                                           \
  do {                                                                                           \
    int rc_ = (call);                                                                            \
    if (rc_ != SPM_OK) {                                                                         \
      fprintf(stderr, "%s:%d: %s returned %d (%s); last error: %s\n", __FILE__, __LINE__, #call, \
              rc_, spm_strerror(rc_), spm_error_last());                                         \
      ++failures;                                                                                \
    }                                                                                            \
  } while (0)

/* A call that must fail with `code` and leave a message that mentions `needle`. */
#define CHECK_FAILS(call, code, needle)                                                           \
  do {                                                                                            \
    int rc_ = (call);                                                                             \
    if (rc_ != (code)) {                                                                          \
      fprintf(stderr, "%s:%d: %s returned %d (%s), expected %d (%s); last error: %s\n", __FILE__, \
              __LINE__, #call, rc_, spm_strerror(rc_), (code), spm_strerror(code),                \
              spm_error_last());                                                                  \
      ++failures;                                                                                 \
    } else if (strstr(spm_error_last(), (needle)) == NULL) {                                      \
      fprintf(stderr, "%s:%d: %s: message '%s' does not mention '%s'\n", __FILE__, __LINE__,      \
              #call, spm_error_last(), (needle));                                                 \
      ++failures;                                                                                 \
    }                                                                                             \
  } while (0)

/* Length of a string literal or array, for the (json, len) arguments. */
#define JSON(text) (text), strlen(text)

static int finish(void) {
  if (failures > 0) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("all checks passed\n");
  return 0;
}

#endif /* SPM_TEST_CHECK_H */
