/* headertest.c - spm.h alone compiles as strict C99 (and as C++): see tests/CMakeLists.txt. */
#include "spm.h"

int spm_headertest(void);

int spm_headertest(void) {
  spm_buf buf = SPM_BUF_INIT;
  spm_save_options opts = SPM_SAVE_OPTIONS_INIT;
  spm_model* model = NULL;
  spm_issues* issues = NULL;
  const spm_issue* issue = NULL;
  spm_entity_kind kind = SPM_KIND_GOAL;
  (void)buf;
  (void)opts;
  (void)model;
  (void)issues;
  (void)issue;
  (void)kind;
  return SPM_VERSION_NUMBER >= 0 && SPM_SOVERSION >= 0 ? SPM_OK : SPM_EINTERNAL;
}
