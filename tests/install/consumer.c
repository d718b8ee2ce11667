/* consumer.c - uses the installed C library, found by CMake or by pkg-config.
 * Usage: consumer_c [model.json] */
#include <stdio.h>

#include "spm.h"

int main(int argc, char** argv) {
  spm_model* model = NULL;
  spm_buf json = SPM_BUF_INIT;
  size_t goals = 0;
  int major = 0;
  int rc = spm_version(&major, NULL, NULL);
  if (rc != SPM_OK || major != SPM_VERSION_MAJOR) return 1;

  rc = argc > 1 ? spm_model_load_file(&model, argv[1]) : spm_model_new(&model);
  if (rc == SPM_OK) rc = spm_model_count(model, SPM_KIND_GOAL, &goals);
  if (rc == SPM_OK) rc = spm_model_save_json(model, &json, NULL);
  if (rc != SPM_OK) {
    fprintf(stderr, "consumer_c: %s: %s\n", spm_strerror(rc), spm_error_last());
    spm_model_free(model);
    return 1;
  }
  printf("consumer_c: spm %s OK, %lu goals, %lu bytes of JSON\n", spm_version_string(),
         (unsigned long)goals, (unsigned long)json.size);
  spm_buf_dispose(&json);
  spm_model_free(model);
  return 0;
}
