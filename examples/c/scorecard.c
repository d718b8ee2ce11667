/* scorecard.c - loads an organization and prints its scorecard for the latest month with
 * actuals, through the C ABI (spm.h) alone.
 *
 *   cc -o scorecard scorecard.c $(pkg-config --cflags --libs spm)
 *   ./scorecard examples/municipality.json
 *
 * One line per row: the organization, then each perspective, goal and measure in model order,
 * with tab-separated kind, id, score (4 decimals, "-" for none), status, trend and name. The
 * Python and Go versions beside this one print the same bytes. */
#include <stdio.h>
#include <stdlib.h>

#include "spm.h"

static int fail(const char* what, int rc) {
  fprintf(stderr, "scorecard: %s: %s: %s\n", what, spm_strerror(rc), spm_error_last());
  return 1;
}

static void print_row(const char* kind, const char* id, const spm_score_result* r,
                      const char* name) {
  char score[32];
  if (r->score != r->score) { /* NaN: no score */
    snprintf(score, sizeof score, "-");
  } else {
    snprintf(score, sizeof score, "%.4f", r->score);
  }
  printf("%s\t%s\t%s\t%s\t%s\t%s\n", kind, id, score, spm_status_name(r->status),
         spm_trend_name(r->trend), name);
}

/* Prints every entity of a kind that has a score. */
static int print_kind(const spm_model* model, const spm_scorecard* card, spm_entity_kind kind,
                      size_t column) {
  size_t n = 0, i;
  int rc = spm_model_count(model, kind, &n);
  if (rc != SPM_OK) return fail("count", rc);
  for (i = 0; i < n; ++i) {
    const char *id = NULL, *name = NULL;
    spm_score_result r = SPM_SCORE_RESULT_INIT;
    if ((rc = spm_model_entity_id(model, kind, i, &id)) != SPM_OK) return fail("id", rc);
    if ((rc = spm_model_entity_name(model, kind, i, &name)) != SPM_OK) return fail("name", rc);
    if ((rc = spm_scorecard_get(card, kind, id, column, &r)) != SPM_OK) return fail(id, rc);
    print_row(spm_kind_name(kind), id, &r, name);
  }
  return 0;
}

int main(int argc, char** argv) {
  spm_model* model = NULL;
  spm_cascade* cascade = NULL;
  spm_scorecard* card = NULL;
  spm_score_options opts = SPM_SCORE_OPTIONS_INIT;
  spm_score_result org = SPM_SCORE_RESULT_INIT;
  char month[16];
  const char* label = NULL;
  size_t columns, last;
  int rc, status = 1;

  if (argc != 2) {
    fprintf(stderr, "usage: scorecard FILE.json\n");
    return 2;
  }
  if ((rc = spm_model_load_file(&model, argv[1])) != SPM_OK) return fail(argv[1], rc);
  if ((rc = spm_cascade_compile(&cascade, model)) != SPM_OK) {
    fail("compile", rc);
    goto done;
  }
  if ((rc = spm_model_last_actual_month(model, month, sizeof month, NULL)) != SPM_OK) {
    fail("last month", rc);
    goto done;
  }
  opts.through = month; /* every month with actuals up to the last: the trend needs them */
  if ((rc = spm_scorecard_evaluate(&card, cascade, &opts, NULL)) != SPM_OK) {
    fail("evaluate", rc);
    goto done;
  }
  columns = spm_scorecard_column_count(card);
  last = columns - 1;
  if ((rc = spm_scorecard_column_label(card, last, &label)) != SPM_OK) {
    fail("column", rc);
    goto done;
  }
  printf("scorecard\t%s\t%lu columns\n", label, (unsigned long)columns);
  if ((rc = spm_scorecard_get_organization(card, last, &org)) != SPM_OK) {
    fail("organization", rc);
    goto done;
  }
  print_row("organization", "-", &org, "");
  if (print_kind(model, card, SPM_KIND_PERSPECTIVE, last) != 0 ||
      print_kind(model, card, SPM_KIND_GOAL, last) != 0 ||
      print_kind(model, card, SPM_KIND_MEASURE, last) != 0)
    goto done;
  status = 0;
done:
  spm_scorecard_free(card);
  spm_cascade_free(cascade);
  spm_model_free(model);
  return status;
}
