/* test_capi_edit.c - entities through the C ABI: one at a time and in bulk, read back,
 * removed, and every error each function documents. */
#include "check.h"

static const char* const bad_utf8 = "G\xc3\x28";

static spm_model* new_model(void) {
  spm_model* model = NULL;
  CHECK_OK(spm_model_new(&model));
  return model;
}

static void test_names(void) {
  spm_entity_kind kind = SPM_KIND_VALUE;
  CHECK(strcmp(spm_kind_name(SPM_KIND_GOAL), "goal") == 0);
  CHECK(strcmp(spm_kind_name(SPM_KIND_REVIEW_CYCLE), "review_cycle") == 0);
  CHECK(strcmp(spm_kind_name((spm_entity_kind)99), "") == 0);
  CHECK_OK(spm_kind_parse("check_in", &kind));
  CHECK(kind == SPM_KIND_CHECK_IN);
  CHECK_FAILS(spm_kind_parse("goals", &kind), SPM_EINVALID, "goals");
  CHECK_FAILS(spm_kind_parse(NULL, &kind), SPM_EINVALID, "name");
  CHECK_FAILS(spm_kind_parse("goal", NULL), SPM_EINVALID, "out");
}

static void test_one_at_a_time(void) {
  spm_model* model = new_model();
  spm_buf buf = SPM_BUF_INIT;
  const char* id = NULL;
  const char* name = NULL;
  size_t n = 0, index = 99;

  CHECK_OK(spm_model_add_json(model, SPM_KIND_PERSPECTIVE,
                              JSON("{\"id\": \"P1\", \"name\": \"Money\"}")));
  CHECK_OK(spm_model_add_json(
      model, SPM_KIND_GOAL, JSON("{\"id\": \"G1\", \"name\": \"Grow\", \"perspective\": \"P1\"}")));
  CHECK_OK(spm_model_add_json(
      model, SPM_KIND_GOAL,
      JSON("  {\"id\": \"G2\", \"name\": \"Keep\", \"perspective\": \"P1\"}\n")));
  CHECK_OK(spm_model_count(model, SPM_KIND_GOAL, &n));
  CHECK(n == 2);
  /* No default perspectives sneak in with an entity. */
  CHECK_OK(spm_model_count(model, SPM_KIND_PERSPECTIVE, &n));
  CHECK(n == 1);

  CHECK_OK(spm_model_entity_id(model, SPM_KIND_GOAL, 1, &id));
  CHECK(id != NULL && strcmp(id, "G2") == 0);
  CHECK_OK(spm_model_entity_name(model, SPM_KIND_GOAL, 0, &name));
  CHECK(name != NULL && strcmp(name, "Grow") == 0);
  CHECK_OK(spm_model_find(model, SPM_KIND_GOAL, "G2", &index));
  CHECK(index == 1);

  CHECK_OK(spm_model_get_json(model, SPM_KIND_GOAL, "G1", &buf));
  CHECK(buf.ptr != NULL && buf.ptr[0] == '{' && buf.ptr[buf.size - 1] == '}');
  CHECK(buf.ptr != NULL && strstr(buf.ptr, "\"perspective\":\"P1\"") != NULL);
  CHECK(buf.ptr != NULL && strlen(buf.ptr) == buf.size);
  /* What get_json gives, update_json takes. */
  CHECK_OK(spm_model_update_json(model, SPM_KIND_GOAL, buf.ptr, buf.size));
  spm_buf_dispose(&buf);

  CHECK_OK(spm_model_update_json(
      model, SPM_KIND_GOAL,
      JSON("{\"id\": \"G1\", \"name\": \"Grow more\", \"perspective\": \"P1\"}")));
  CHECK_OK(spm_model_entity_name(model, SPM_KIND_GOAL, 0, &name));
  CHECK(strcmp(name, "Grow more") == 0);
  CHECK_OK(spm_model_upsert_json(model, SPM_KIND_GOAL,
                                 JSON("{\"id\": \"G3\", \"perspective\": \"P1\"}")));
  CHECK_OK(spm_model_upsert_json(
      model, SPM_KIND_GOAL, JSON("{\"id\": \"G3\", \"name\": \"x\", \"perspective\": \"P1\"}")));
  CHECK_OK(spm_model_count(model, SPM_KIND_GOAL, &n));
  CHECK(n == 3);
  CHECK_OK(spm_model_remove(model, SPM_KIND_GOAL, "G3"));
  CHECK_OK(spm_model_count(model, SPM_KIND_GOAL, &n));
  CHECK(n == 2);

  /* Kinds without a name, and every other kind, through the same calls. */
  CHECK_OK(spm_model_add_json(model, SPM_KIND_STRATEGY,
                              JSON("{\"id\": \"S1\", \"if\": \"we act\", \"then\": [\"it works\"], "
                                   "\"contributes_to\": [{\"goal\": \"G1\", \"weight\": 2}]}")));
  CHECK_OK(spm_model_add_json(model, SPM_KIND_BUDGET,
                              JSON("{\"id\": \"B1\", \"strategy\": \"S1\", \"period\": \"2026\", "
                                   "\"amount\": 10, \"currency\": \"EUR\"}")));
  CHECK_OK(spm_model_entity_name(model, SPM_KIND_BUDGET, 0, &name));
  CHECK(name != NULL && strcmp(name, "") == 0);

  /* The organization's own record. */
  CHECK_OK(spm_model_set_info_json(
      model, JSON("{\"id\": \"acme\", \"name\": \"Acme\", \"vision\": \"v\"}")));
  CHECK_OK(spm_model_get_info_json(model, &buf));
  CHECK(buf.ptr != NULL && strstr(buf.ptr, "\"name\":\"Acme\"") != NULL && buf.ptr[0] == '{');
  spm_buf_dispose(&buf);

  /* Errors. */
  CHECK_FAILS(spm_model_add_json(NULL, SPM_KIND_GOAL, JSON("{}")), SPM_EINVALID, "model");
  CHECK_FAILS(spm_model_add_json(model, SPM_KIND_GOAL, NULL, 3), SPM_EINVALID, "json");
  CHECK_FAILS(spm_model_add_json(model, (spm_entity_kind)20, JSON("{}")), SPM_EINVALID, "20");
  CHECK_FAILS(
      spm_model_add_json(model, SPM_KIND_GOAL, JSON("{\"id\": \"G1\", \"perspective\": \"P1\"}")),
      SPM_EDUPLICATE, "G1");
  CHECK_FAILS(spm_model_update_json(model, SPM_KIND_GOAL,
                                    JSON("{\"id\": \"G9\", \"perspective\": \"P1\"}")),
              SPM_ENOTFOUND, "G9");
  CHECK_FAILS(spm_model_add_json(model, SPM_KIND_GOAL, JSON("{\"id\": \"G4\", \"colour\": 1}")),
              SPM_EPARSE, "colour");
  CHECK_FAILS(spm_model_add_json(model, SPM_KIND_GOAL, JSON("{\"id\": ")), SPM_EPARSE, "");
  CHECK_FAILS(spm_model_add_json(model, SPM_KIND_GOAL, JSON("[{\"id\": \"G4\"}]")), SPM_EPARSE,
              "one JSON object");
  /* One entity's text cannot close the document around it and add to it. */
  CHECK_FAILS(spm_model_add_json(model, SPM_KIND_GOAL,
                                 JSON("{\"id\": \"G4\"}], \"perspectives\": [{\"id\": \"X\"}")),
              SPM_EPARSE, "nothing after it");
  CHECK_FAILS(spm_model_add_json(model, SPM_KIND_GOAL, JSON("{\"id\": \"G4\"}, {\"id\": \"G5\"}")),
              SPM_EPARSE, "nothing after it");
  CHECK_FAILS(spm_model_add_json(model, SPM_KIND_GOAL, JSON("")), SPM_EPARSE, "one JSON object");
  CHECK_FAILS(spm_model_add_json(model, SPM_KIND_GOAL, NULL, 0), SPM_EPARSE, "one JSON object");
  /* Bad fields name the entity and the field. */
  CHECK_FAILS(
      spm_model_add_json(
          model, SPM_KIND_STRATEGY,
          JSON("{\"id\": \"S2\", \"contributes_to\": [{\"goal\": \"G1\", \"weight\": -1}]}")),
      SPM_EVALIDATION, "weight");
  CHECK_FAILS(spm_model_add_json(model, SPM_KIND_GOAL, JSON("{\"id\": \"\"}")), SPM_EVALIDATION,
              "id");
  {
    /* Invalid UTF-8 inside an entity's JSON is refused, naming the field. */
    char json[64];
    int rc;
    snprintf(json, sizeof json, "{\"id\": \"%s\"}", bad_utf8);
    rc = spm_model_add_json(model, SPM_KIND_GOAL, json, strlen(json));
    CHECK(rc == SPM_EPARSE || rc == SPM_EVALIDATION);
    CHECK(strstr(spm_error_last(), "UTF-8") != NULL);
    CHECK(strstr(spm_error_last(), "id") != NULL);
    /* The message quotes the bad byte as \xNN, so that it is valid UTF-8 itself. */
    CHECK(strstr(spm_error_last(), "\\xC3(") != NULL);
  }
  CHECK_OK(spm_model_count(model, SPM_KIND_GOAL, &n));
  CHECK(n == 2); /* nothing above changed the model */

  CHECK_FAILS(spm_model_set_info_json(NULL, JSON("{}")), SPM_EINVALID, "model");
  CHECK_FAILS(spm_model_set_info_json(model, NULL, 1), SPM_EINVALID, "json");
  CHECK_FAILS(spm_model_set_info_json(model, JSON("{\"id\": \"a\"}, \"goals\": []")), SPM_EPARSE,
              "nothing after it");
  CHECK_FAILS(spm_model_set_info_json(model, JSON("{\"settings\": {\"cap\": 0.5}}")),
              SPM_EVALIDATION, "cap");
  CHECK_FAILS(spm_model_get_info_json(NULL, &buf), SPM_EINVALID, "model");
  CHECK_FAILS(spm_model_get_info_json(model, NULL), SPM_EINVALID, "out");

  CHECK_FAILS(spm_model_remove(model, SPM_KIND_GOAL, "G9"), SPM_ENOTFOUND, "G9");
  CHECK_FAILS(spm_model_remove(model, SPM_KIND_GOAL, NULL), SPM_EINVALID, "id");
  CHECK_FAILS(spm_model_remove(model, SPM_KIND_GOAL, bad_utf8), SPM_EINVALID, "UTF-8");
  CHECK_FAILS(spm_model_remove(NULL, SPM_KIND_GOAL, "G1"), SPM_EINVALID, "model");
  CHECK_FAILS(spm_model_remove(model, (spm_entity_kind)-3, "G1"), SPM_EINVALID, "-3");

  buf.ptr = (char*)model;
  CHECK_FAILS(spm_model_get_json(model, SPM_KIND_GOAL, "G9", &buf), SPM_ENOTFOUND, "G9");
  CHECK(buf.ptr == NULL && buf.size == 0);
  CHECK_FAILS(spm_model_get_json(model, SPM_KIND_GOAL, bad_utf8, &buf), SPM_EINVALID, "UTF-8");
  CHECK_FAILS(spm_model_get_json(model, SPM_KIND_GOAL, "G1", NULL), SPM_EINVALID, "out");
  CHECK_FAILS(spm_model_get_json(NULL, SPM_KIND_GOAL, "G1", &buf), SPM_EINVALID, "model");
  CHECK_FAILS(spm_model_get_json(model, (spm_entity_kind)20, "G1", &buf), SPM_EINVALID, "20");

  id = "x";
  CHECK_FAILS(spm_model_entity_id(model, SPM_KIND_GOAL, 2, &id), SPM_EINVALID, "out of range");
  CHECK(id == NULL);
  CHECK_FAILS(spm_model_entity_id(NULL, SPM_KIND_GOAL, 0, &id), SPM_EINVALID, "model");
  CHECK_FAILS(spm_model_entity_id(model, SPM_KIND_GOAL, 0, NULL), SPM_EINVALID, "out");
  CHECK_FAILS(spm_model_entity_id(model, (spm_entity_kind)20, 0, &id), SPM_EINVALID, "20");
  CHECK_FAILS(spm_model_entity_name(model, SPM_KIND_GOAL, 2, &name), SPM_EINVALID, "out of range");
  CHECK_FAILS(spm_model_entity_name(NULL, SPM_KIND_GOAL, 0, &name), SPM_EINVALID, "model");
  CHECK_FAILS(spm_model_entity_name(model, SPM_KIND_GOAL, 0, NULL), SPM_EINVALID, "out");
  CHECK_FAILS(spm_model_entity_name(model, (spm_entity_kind)20, 0, &name), SPM_EINVALID, "20");
  CHECK_FAILS(spm_model_find(model, SPM_KIND_GOAL, "G9", &index), SPM_ENOTFOUND, "G9");
  CHECK_FAILS(spm_model_find(model, SPM_KIND_GOAL, bad_utf8, &index), SPM_EINVALID, "UTF-8");
  CHECK_FAILS(spm_model_find(model, SPM_KIND_GOAL, NULL, &index), SPM_EINVALID, "id");
  CHECK_FAILS(spm_model_find(model, SPM_KIND_GOAL, "G1", NULL), SPM_EINVALID, "index");
  CHECK_FAILS(spm_model_find(NULL, SPM_KIND_GOAL, "G1", &index), SPM_EINVALID, "model");
  CHECK_FAILS(spm_model_find(model, (spm_entity_kind)20, "G1", &index), SPM_EINVALID, "20");
  spm_model_free(model);
}

static void test_batch(void) {
  spm_model* model = new_model();
  spm_batch* batch = NULL;
  const char* ids[] = {"G2", "G3"};
  const char* bad_ids[] = {"G1", NULL};
  const char* utf8_ids[] = {"G1", NULL};
  size_t n = 0;
  utf8_ids[1] = bad_utf8;

  CHECK_OK(spm_batch_new(&batch));
  CHECK(spm_batch_count(batch) == 0);
  CHECK_OK(spm_batch_add_json(batch, SPM_EDIT_ADD, SPM_KIND_PERSPECTIVE, JSON("{\"id\": \"P1\"}")));
  CHECK_OK(spm_batch_add_json_array(
      batch, SPM_EDIT_ADD, SPM_KIND_GOAL,
      JSON("[{\"id\": \"G1\", \"perspective\": \"P1\"}, {\"id\": \"G2\", \"perspective\": \"P1\"},"
           " {\"id\": \"G3\", \"perspective\": \"P1\"}]")));
  CHECK(spm_batch_count(batch) == 4);
  CHECK_OK(
      spm_batch_add_json(batch, SPM_EDIT_UPSERT, SPM_KIND_GOAL,
                         JSON("{\"id\": \"G1\", \"name\": \"one\", \"perspective\": \"P1\"}")));
  CHECK_OK(spm_batch_add_json_array(
      batch, SPM_EDIT_UPDATE, SPM_KIND_GOAL,
      JSON("[{\"id\": \"G2\", \"name\": \"two\", \"perspective\": \"P1\"}]")));
  CHECK_OK(spm_batch_add_json_array(batch, SPM_EDIT_ADD, SPM_KIND_GOAL, JSON("[]")));
  CHECK_OK(spm_batch_remove(batch, SPM_KIND_GOAL, ids + 1, 1));
  CHECK_OK(spm_batch_remove(batch, SPM_KIND_GOAL, NULL, 0));
  CHECK(spm_batch_count(batch) == 7);
  CHECK_OK(spm_model_apply(model, batch));
  CHECK_OK(spm_model_count(model, SPM_KIND_GOAL, &n));
  CHECK(n == 2);

  /* All or nothing: a bad element leaves the batch as it was... */
  spm_batch_clear(batch);
  CHECK(spm_batch_count(batch) == 0);
  CHECK_FAILS(spm_batch_add_json_array(batch, SPM_EDIT_ADD, SPM_KIND_GOAL,
                                       JSON("[{\"id\": \"G4\"}, {\"id\": \"G5\", \"start\": "
                                            "\"2026-05-01\", \"end\": \"2026-01-01\"}]")),
              SPM_EVALIDATION, "end");
  CHECK(spm_batch_count(batch) == 0);
  CHECK_FAILS(spm_batch_remove(batch, SPM_KIND_GOAL, bad_ids, 2), SPM_EINVALID, "ids[1]");
  CHECK_FAILS(spm_batch_remove(batch, SPM_KIND_GOAL, utf8_ids, 2), SPM_EINVALID, "UTF-8");
  CHECK(spm_batch_count(batch) == 0);
  /* ...and a batch that cannot apply leaves the model as it was. */
  CHECK_OK(spm_batch_add_json(batch, SPM_EDIT_ADD, SPM_KIND_GOAL, JSON("{\"id\": \"G7\"}")));
  CHECK_OK(spm_batch_remove(batch, SPM_KIND_GOAL, ids, 2)); /* G3 is gone already */
  CHECK_FAILS(spm_model_apply(model, batch), SPM_EVALIDATION, "G3");
  CHECK_OK(spm_model_count(model, SPM_KIND_GOAL, &n));
  CHECK(n == 2);
  CHECK_FAILS(spm_model_find(model, SPM_KIND_GOAL, "G7", &n), SPM_ENOTFOUND, "G7");

  /* Errors. */
  CHECK_FAILS(spm_batch_new(NULL), SPM_EINVALID, "out");
  CHECK_FAILS(spm_batch_add_json(NULL, SPM_EDIT_ADD, SPM_KIND_GOAL, JSON("{}")), SPM_EINVALID,
              "batch");
  CHECK_FAILS(spm_batch_add_json(batch, (spm_edit_op)7, SPM_KIND_GOAL, JSON("{}")), SPM_EINVALID,
              "7");
  CHECK_FAILS(spm_batch_add_json(batch, SPM_EDIT_ADD, (spm_entity_kind)20, JSON("{}")),
              SPM_EINVALID, "20");
  CHECK_FAILS(spm_batch_add_json(batch, SPM_EDIT_ADD, SPM_KIND_GOAL, NULL, 2), SPM_EINVALID,
              "json");
  CHECK_FAILS(spm_batch_add_json(batch, SPM_EDIT_ADD, SPM_KIND_GOAL, JSON("[]")), SPM_EPARSE,
              "one JSON object");
  CHECK_FAILS(spm_batch_add_json_array(batch, SPM_EDIT_ADD, SPM_KIND_GOAL, JSON("{}")), SPM_EPARSE,
              "array");
  CHECK_FAILS(spm_batch_add_json_array(batch, SPM_EDIT_ADD, SPM_KIND_GOAL,
                                       JSON("[{\"id\": \"a\"}], \"values\": [")),
              SPM_EPARSE, "nothing after it");
  CHECK_FAILS(spm_batch_remove(NULL, SPM_KIND_GOAL, ids, 1), SPM_EINVALID, "batch");
  CHECK_FAILS(spm_batch_remove(batch, SPM_KIND_GOAL, NULL, 1), SPM_EINVALID, "ids");
  CHECK_FAILS(spm_batch_remove(batch, (spm_entity_kind)20, ids, 1), SPM_EINVALID, "20");
  CHECK_FAILS(spm_model_apply(NULL, batch), SPM_EINVALID, "model");
  CHECK_FAILS(spm_model_apply(model, NULL), SPM_EINVALID, "batch");
  CHECK(spm_batch_count(NULL) == 0);
  spm_batch_clear(NULL);
  spm_batch_free(batch);
  spm_batch_free(NULL);
  spm_model_free(model);
}

static spm_actual actual(const char* measure, const char* period, double value) {
  spm_actual a;
  memset(&a, 0, sizeof a);
  a.measure = measure;
  a.period = period;
  a.value = value;
  return a;
}

static void test_actuals(void) {
  spm_model* model = new_model();
  spm_actual list[4];
  spm_buf buf = SPM_BUF_INIT;
  char month[8];
  size_t needed = 0;
  const double nan = strtod("nan", NULL);

  CHECK_OK(spm_model_add_json(model, SPM_KIND_GOAL,
                              JSON("{\"id\": \"G1\", \"perspective\": \"customer\"}")));
  CHECK_OK(spm_model_add_json(
      model, SPM_KIND_MEASURE,
      JSON("{\"id\": \"M1\", \"subject\": {\"goal\": \"G1\"}, \"baseline\": 0, \"target\": 10}")));
  CHECK_OK(spm_model_add_json(
      model, SPM_KIND_MEASURE,
      JSON("{\"id\": \"M2\", \"subject\": {\"goal\": \"G1\"}, \"method\": \"ratio\", "
           "\"aggregation\": \"ratio\", \"target\": 0.5}")));
  CHECK_FAILS(spm_model_last_actual_month(model, month, sizeof month, &needed), SPM_ENOTFOUND,
              "no measure");

  list[0] = actual("M1", "2026-01", 4);
  list[1] = actual("M1", "2026-02", 5);
  list[2] = actual("M2", "2026-03", 0);
  list[2].has_ratio = 1;
  list[2].numerator = 1;
  list[2].denominator = 4;
  CHECK_OK(spm_model_set_actuals(model, list, 3));
  CHECK_OK(spm_model_set_actuals(model, NULL, 0));
  CHECK_OK(spm_model_last_actual_month(model, month, sizeof month, &needed));
  CHECK(strcmp(month, "2026-03") == 0 && needed == 8);
  CHECK_FAILS(spm_model_last_actual_month(model, month, 7, &needed), SPM_EBUFSIZE, "8");
  CHECK(needed == 8 && month[0] == '\0');
  CHECK_FAILS(spm_model_last_actual_month(model, NULL, 0, &needed), SPM_EBUFSIZE, "needed");
  CHECK(needed == 8);
  CHECK_FAILS(spm_model_last_actual_month(model, NULL, 8, &needed), SPM_EINVALID, "buf");
  CHECK_FAILS(spm_model_last_actual_month(NULL, month, 8, &needed), SPM_EINVALID, "model");

  /* NaN removes. */
  list[0] = actual("M2", "2026-03", nan);
  CHECK_OK(spm_model_set_actuals(model, list, 1));
  CHECK_OK(spm_model_last_actual_month(model, month, sizeof month, NULL));
  CHECK(strcmp(month, "2026-02") == 0);

  /* All or none: every bad element named, the model unchanged. */
  CHECK_OK(spm_model_save_json(model, &buf, NULL));
  list[0] = actual("M1", "2026-04", 1);
  list[1] = actual("M9", "2026-04", 1);
  list[2] = actual("M1", "2026-14", 1);
  list[3] = actual("M1", "2026-05", 1.0 / 0.0);
  CHECK_FAILS(spm_model_set_actuals(model, list, 4), SPM_EVALIDATION, "actuals[1]");
  CHECK(strstr(spm_error_last(), "M9") != NULL);
  CHECK(strstr(spm_error_last(), "actuals[2]") != NULL &&
        strstr(spm_error_last(), "2026-14") != NULL);
  CHECK(strstr(spm_error_last(), "actuals[3]") != NULL);
  CHECK_FAILS(spm_model_set_actuals(model, list, 2), SPM_ENOTFOUND, "M9");
  /* A failure found only while editing undoes the edits before it. */
  list[1] = actual("M2", "2026-04", 0);
  list[1].has_ratio = 1;
  list[1].numerator = 1;
  list[1].denominator = -2;
  CHECK_FAILS(spm_model_set_actuals(model, list, 2), SPM_EVALIDATION, "actuals[1]");
  {
    spm_buf again = SPM_BUF_INIT;
    CHECK_OK(spm_model_save_json(model, &again, NULL));
    CHECK(again.size == buf.size && memcmp(again.ptr, buf.ptr, buf.size) == 0);
    spm_buf_dispose(&again);
  }
  spm_buf_dispose(&buf);

  list[0] = actual(NULL, "2026-04", 1);
  CHECK_FAILS(spm_model_set_actuals(model, list, 1), SPM_EINVALID, "actuals[0].measure");
  list[0] = actual("M1", NULL, 1);
  CHECK_FAILS(spm_model_set_actuals(model, list, 1), SPM_EINVALID, "actuals[0].period");
  list[0] = actual(bad_utf8, "2026-04", 1);
  CHECK_FAILS(spm_model_set_actuals(model, list, 1), SPM_EINVALID, "UTF-8");
  CHECK_FAILS(spm_model_set_actuals(model, NULL, 1), SPM_EINVALID, "actuals");
  CHECK_FAILS(spm_model_set_actuals(NULL, list, 1), SPM_EINVALID, "model");
  spm_model_free(model);
}

int main(void) {
  test_names();
  test_one_at_a_time();
  test_batch();
  test_actuals();
  return finish();
}
