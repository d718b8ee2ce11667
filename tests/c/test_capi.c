/* test_capi.c - every function of spm.h, and every error it documents. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static void write_file(const char* path, const char* text) {
  FILE* f = fopen(path, "wb");
  if (f == NULL) {
    fprintf(stderr, "cannot write %s\n", path);
    exit(2);
  }
  fputs(text, f);
  fclose(f);
}

static void test_version(void) {
  int major = -1, minor = -1, patch = -1;
  char expected[64];
  CHECK(spm_version(&major, &minor, &patch) == SPM_OK);
  CHECK(major == SPM_VERSION_MAJOR);
  CHECK(minor == SPM_VERSION_MINOR);
  CHECK(patch == SPM_VERSION_PATCH);
  CHECK(spm_version(NULL, NULL, NULL) == SPM_OK);
  snprintf(expected, sizeof expected, "%d.%d.%d", major, minor, patch);
  CHECK(spm_version_string() != NULL);
  CHECK(strcmp(spm_version_string(), expected) == 0);
}

static void test_errors(void) {
  static const int codes[] = {SPM_OK,          SPM_EINVALID, SPM_ENOTFOUND, SPM_EDUPLICATE,
                              SPM_EVALIDATION, SPM_EPARSE,   SPM_EIO,       SPM_EUNSUPPORTED,
                              SPM_ESTALE,      SPM_ECYCLE,   SPM_EINTERNAL, SPM_ENOMEM,
                              SPM_EVERSION,    SPM_EBUFSIZE};
  size_t i, j;
  /* Fixed forever. */
  CHECK(SPM_OK == 0);
  CHECK(SPM_EINVALID == -1);
  CHECK(SPM_EINTERNAL == -10);
  CHECK(SPM_EBUFSIZE == -13);
  for (i = 0; i < sizeof codes / sizeof codes[0]; ++i) {
    const char* text = spm_strerror(codes[i]);
    CHECK(text != NULL && text[0] != '\0');
    CHECK(strcmp(text, "unknown error") != 0);
    for (j = 0; j < i; ++j) CHECK(strcmp(text, spm_strerror(codes[j])) != 0);
  }
  CHECK(strcmp(spm_strerror(-9999), "unknown error") == 0);
  CHECK(strcmp(spm_strerror(1), "unknown error") == 0);

  spm_error_clear();
  CHECK(spm_error_last() != NULL);
  CHECK(strcmp(spm_error_last(), "") == 0);
  CHECK_FAILS(spm_model_new(NULL), SPM_EINVALID, "out");
  CHECK(strlen(spm_error_last()) > 0);
  /* A success leaves the message alone; clear forgets it. */
  CHECK(spm_version(NULL, NULL, NULL) == SPM_OK);
  CHECK(strlen(spm_error_last()) > 0);
  spm_error_clear();
  CHECK(strcmp(spm_error_last(), "") == 0);
}

static void test_buf(void) {
  spm_buf buf = SPM_BUF_INIT;
  spm_buf_dispose(NULL);
  spm_buf_dispose(&buf);
  CHECK(buf.ptr == NULL && buf.size == 0);
}

static void test_model_new_free_count(void) {
  spm_model* model = NULL;
  size_t n = 99;
  CHECK(spm_model_new(&model) == SPM_OK);
  CHECK(model != NULL);
  CHECK(spm_model_count(model, SPM_KIND_GOAL, &n) == SPM_OK);
  CHECK(n == 0);
  CHECK(spm_model_count(model, SPM_KIND_BUDGET, &n) == SPM_OK);
  CHECK_FAILS(spm_model_count(NULL, SPM_KIND_GOAL, &n), SPM_EINVALID, "model");
  CHECK_FAILS(spm_model_count(model, SPM_KIND_GOAL, NULL), SPM_EINVALID, "out");
  CHECK_FAILS(spm_model_count(model, (spm_entity_kind)20, &n), SPM_EINVALID, "20");
  CHECK_FAILS(spm_model_count(model, (spm_entity_kind)-1, &n), SPM_EINVALID, "-1");
  spm_model_free(model);
  spm_model_free(NULL);
}

static void test_save_options(void) {
  spm_save_options opts = SPM_SAVE_OPTIONS_INIT;
  spm_save_options init;
  CHECK(opts.version == SPM_SAVE_OPTIONS_VERSION);
  CHECK(opts.pretty != 0);
  memset(&init, 0x5a, sizeof init);
  CHECK(spm_save_options_init(&init, SPM_SAVE_OPTIONS_VERSION) == SPM_OK);
  CHECK(init.version == opts.version && init.pretty == opts.pretty);
  CHECK_FAILS(spm_save_options_init(NULL, SPM_SAVE_OPTIONS_VERSION), SPM_EINVALID, "opts");
  CHECK_FAILS(spm_save_options_init(&init, 0), SPM_EVERSION, "version 0");
  CHECK_FAILS(spm_save_options_init(&init, SPM_SAVE_OPTIONS_VERSION + 1), SPM_EVERSION,
              "is not supported");
}

static void test_json_round_trip(void) {
  spm_model *model = NULL, *again = NULL;
  spm_buf pretty = SPM_BUF_INIT, compact = SPM_BUF_INIT, bad = {(char*)"junk", 4};
  spm_save_options opts = SPM_SAVE_OPTIONS_INIT;
  CHECK(spm_model_new(&model) == SPM_OK);

  CHECK(spm_model_save_json(model, &pretty, NULL) == SPM_OK);
  CHECK(pretty.ptr != NULL && pretty.size > 0);
  CHECK(pretty.ptr != NULL && strlen(pretty.ptr) == pretty.size);
  opts.pretty = 0;
  CHECK(spm_model_save_json(model, &compact, &opts) == SPM_OK);
  CHECK(compact.ptr != NULL && strchr(compact.ptr, '\n') == NULL);
  CHECK(compact.size <= pretty.size);

  CHECK(spm_model_load_json(&again, pretty.ptr, pretty.size) == SPM_OK);
  CHECK(again != NULL);
  spm_model_free(again);
  again = NULL;
  CHECK(spm_model_load_json(&again, compact.ptr, compact.size) == SPM_OK);
  spm_model_free(again);
  again = NULL;

  /* Errors. */
  CHECK_FAILS(spm_model_save_json(NULL, &bad, NULL), SPM_EINVALID, "model");
  CHECK(bad.ptr == NULL && bad.size == 0); /* the out buffer is reset on failure */
  CHECK_FAILS(spm_model_save_json(model, NULL, NULL), SPM_EINVALID, "out");
  opts.version = 0;
  CHECK_FAILS(spm_model_save_json(model, &bad, &opts), SPM_EVERSION, "version 0");
  opts.version = SPM_SAVE_OPTIONS_VERSION + 1;
  CHECK_FAILS(spm_model_save_json(model, &bad, &opts), SPM_EVERSION, "is not supported");
  CHECK(bad.ptr == NULL);

  again = model; /* must be reset to NULL on failure */
  CHECK_FAILS(spm_model_load_json(NULL, "{}", 2), SPM_EINVALID, "out");
  CHECK_FAILS(spm_model_load_json(&again, NULL, 5), SPM_EINVALID, "text");
  CHECK(again == NULL);
  CHECK_FAILS(spm_model_load_json(&again, "{\"goals\": [", 11), SPM_EPARSE, "");
  CHECK(again == NULL);
  CHECK_FAILS(spm_model_load_json(&again, "not json", 8), SPM_EPARSE, "");
  /* The length is honoured: the text need not be NUL-terminated. */
  CHECK_FAILS(spm_model_load_json(&again, pretty.ptr, pretty.size / 2), SPM_EPARSE, "");
  CHECK_FAILS(spm_model_load_json(&again, NULL, 0), SPM_EPARSE, "");

  spm_buf_dispose(&pretty);
  spm_buf_dispose(&compact);
  CHECK(pretty.ptr == NULL && pretty.size == 0);
  spm_model_free(model);
}

static void test_files(void) {
  spm_model *model = NULL, *again = NULL;
  spm_save_options opts = SPM_SAVE_OPTIONS_INIT;
  CHECK(spm_model_new(&model) == SPM_OK);

  CHECK(spm_model_save_file(model, "test_capi_model.json", NULL) == SPM_OK);
  CHECK(spm_model_save_file(model, "test_capi_model.json", &opts) == SPM_OK);
  CHECK(spm_model_load_file(&again, "test_capi_model.json") == SPM_OK);
  CHECK(again != NULL);
  spm_model_free(again);
  remove("test_capi_model.json");

  CHECK_FAILS(spm_model_save_file(NULL, "x.json", NULL), SPM_EINVALID, "model");
  CHECK_FAILS(spm_model_save_file(model, NULL, NULL), SPM_EINVALID, "path");
  opts.version = 0;
  CHECK_FAILS(spm_model_save_file(model, "x.json", &opts), SPM_EVERSION, "version");
  CHECK_FAILS(spm_model_save_file(model, "no-such-dir/x.json", NULL), SPM_EIO, "no-such-dir");

  again = model;
  CHECK_FAILS(spm_model_load_file(NULL, "x.json"), SPM_EINVALID, "out");
  CHECK_FAILS(spm_model_load_file(&again, NULL), SPM_EINVALID, "path");
  CHECK(again == NULL);
  CHECK_FAILS(spm_model_load_file(&again, "no-such-file.json"), SPM_EIO, "no-such-file.json");
  CHECK(again == NULL);
  write_file("test_capi_bad.json", "{\"format_version\": 1, \"goals\": [}\n");
  CHECK_FAILS(spm_model_load_file(&again, "test_capi_bad.json"), SPM_EPARSE, "");
  CHECK(again == NULL);
  remove("test_capi_bad.json");

  spm_model_free(model);
}

static void test_actuals_csv(void) {
  spm_model* model = NULL;
  size_t rows = 99;
  int rc;
  CHECK(spm_model_new(&model) == SPM_OK);

  write_file("test_capi_empty.csv", "measure,period,value,numerator,denominator\n");
  CHECK(spm_model_load_actuals_csv(model, "test_capi_empty.csv", &rows) == SPM_OK);
  CHECK(rows == 0);
  CHECK(spm_model_load_actuals_csv(model, "test_capi_empty.csv", NULL) == SPM_OK);
  remove("test_capi_empty.csv");

  write_file("test_capi_unknown.csv",
             "measure,period,value,numerator,denominator\nno-such-measure,2026-01,1,,\n");
  rc = spm_model_load_actuals_csv(model, "test_capi_unknown.csv", &rows);
  CHECK(rc == SPM_EVALIDATION || rc == SPM_EPARSE || rc == SPM_ENOTFOUND);
  CHECK(strstr(spm_error_last(), "no-such-measure") != NULL);
  remove("test_capi_unknown.csv");

  CHECK_FAILS(spm_model_load_actuals_csv(NULL, "a.csv", &rows), SPM_EINVALID, "model");
  CHECK_FAILS(spm_model_load_actuals_csv(model, NULL, &rows), SPM_EINVALID, "path");
  CHECK_FAILS(spm_model_load_actuals_csv(model, "no-such-file.csv", &rows), SPM_EIO,
              "no-such-file.csv");
  spm_model_free(model);
}

static void test_validate(void) {
  spm_model* model = NULL;
  spm_issues* issues = NULL;
  const spm_issue* issue = NULL;
  size_t i;
  CHECK(spm_model_new(&model) == SPM_OK);

  CHECK(spm_model_validate(model, &issues) == SPM_OK);
  CHECK(issues != NULL);
  CHECK(spm_issues_error_count(issues) <= spm_issues_count(issues));
  for (i = 0; i < spm_issues_count(issues); ++i) {
    CHECK(spm_issues_get(issues, i, &issue) == SPM_OK);
    CHECK(issue != NULL && issue->message != NULL && issue->text != NULL);
  }
  issue = (const spm_issue*)issues;
  CHECK_FAILS(spm_issues_get(issues, spm_issues_count(issues), &issue), SPM_EINVALID,
              "out of range");
  CHECK(issue == NULL);
  CHECK_FAILS(spm_issues_get(NULL, 0, &issue), SPM_EINVALID, "issues");
  CHECK_FAILS(spm_issues_get(issues, 0, NULL), SPM_EINVALID, "out");
  spm_issues_free(issues);
  spm_issues_free(NULL);
  CHECK(spm_issues_count(NULL) == 0);
  CHECK(spm_issues_error_count(NULL) == 0);

  issues = (spm_issues*)model;
  CHECK_FAILS(spm_model_validate(NULL, &issues), SPM_EINVALID, "model");
  CHECK(issues == NULL);
  CHECK_FAILS(spm_model_validate(model, NULL), SPM_EINVALID, "out");
  spm_model_free(model);
}

/* The bundled example organization, once it exists: loads, counts and validates cleanly. */
static void test_example(void) {
  const char* path = SPM_SOURCE_DIR "/examples/municipality.json";
  spm_model* model = NULL;
  spm_issues* issues = NULL;
  size_t goals = 0;
  FILE* f = fopen(path, "rb");
  if (f == NULL) {
    printf("skipped: %s does not exist yet\n", path);
    return;
  }
  fclose(f);
  CHECK(spm_model_load_file(&model, path) == SPM_OK);
  CHECK(spm_model_count(model, SPM_KIND_GOAL, &goals) == SPM_OK);
  CHECK(goals > 0);
  CHECK(spm_model_validate(model, &issues) == SPM_OK);
  CHECK(spm_issues_error_count(issues) == 0);
  spm_issues_free(issues);
  spm_model_free(model);
}

int main(void) {
  test_version();
  test_errors();
  test_buf();
  test_model_new_free_count();
  test_save_options();
  test_json_round_trip();
  test_files();
  test_actuals_csv();
  test_validate();
  test_example();
  return finish();
}
