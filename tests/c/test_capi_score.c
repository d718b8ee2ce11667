/* test_capi_score.c - the cascade and the scorecard through the C ABI: every query, every
 * result accessor, what-if, incremental update, staleness, and every error documented. */
#include <math.h>

#include "check.h"

static const char* const bad_utf8 = "G\xc3\x28";

/* A small organization with every kind of cascade node and some gaps:
 *   O1 (unit U1) -> MS1 -> S1 -> G1 <- M1; S1 <- M2; G2 uncovered; S2 without milestones;
 *   A1 orphan; MS2 without owner. */
static spm_model* small_model(void) {
  static const char* const edits[][2] = {
      {"perspective", "{\"id\": \"P1\", \"name\": \"Community\"}"},
      {"goal", "{\"id\": \"G1\", \"name\": \"Safe\", \"perspective\": \"P1\"}"},
      {"goal", "{\"id\": \"G2\", \"name\": \"Clean\", \"perspective\": \"P1\"}"},
      {"strategy", "{\"id\": \"S1\", \"contributes_to\": [{\"goal\": \"G1\", \"weight\": 1}]}"},
      {"strategy", "{\"id\": \"S2\", \"contributes_to\": [{\"goal\": \"G1\", \"weight\": 1}]}"},
      {"unit", "{\"id\": \"U1\", \"name\": \"Streets\"}"},
      {"employee", "{\"id\": \"E1\", \"name\": \"Ann\", \"unit\": \"U1\"}"},
      {"milestone",
       "{\"id\": \"MS1\", \"owner\": {\"unit\": \"U1\"}, \"contributes_to\": [{\"strategy\": "
       "\"S1\"}]}"},
      {"milestone", "{\"id\": \"MS2\", \"contributes_to\": [{\"strategy\": \"S1\"}]}"},
      {"action", "{\"id\": \"A1\"}"},
      {"objective",
       "{\"id\": \"O1\", \"owner\": {\"employee\": \"E1\"}, \"contributes_to\": [{\"milestone\": "
       "\"MS1\"}]}"},
      {"measure",
       "{\"id\": \"M1\", \"subject\": {\"goal\": \"G1\"}, \"baseline\": 0, \"target\": 100}"},
      {"measure",
       "{\"id\": \"M2\", \"subject\": {\"strategy\": \"S1\"}, \"baseline\": 0, \"target\": 10}"},
  };
  spm_model* model = NULL;
  size_t i;
  spm_actual actuals[4];
  CHECK_OK(spm_model_new(&model));
  for (i = 0; i < sizeof edits / sizeof edits[0]; ++i) {
    spm_entity_kind kind = SPM_KIND_VALUE;
    CHECK_OK(spm_kind_parse(edits[i][0], &kind));
    CHECK_OK(spm_model_add_json(model, kind, edits[i][1], strlen(edits[i][1])));
  }
  memset(actuals, 0, sizeof actuals);
  actuals[0].measure = "M1";
  actuals[0].period = "2026-01";
  actuals[0].value = 50;
  actuals[1].measure = "M1";
  actuals[1].period = "2026-02";
  actuals[1].value = 80;
  actuals[2].measure = "M2";
  actuals[2].period = "2026-01";
  actuals[2].value = 10;
  actuals[3].measure = "M2";
  actuals[3].period = "2026-02";
  actuals[3].value = 5;
  CHECK_OK(spm_model_set_actuals(model, actuals, 4));
  return model;
}

static int refs_contains(const spm_refs* refs, spm_entity_kind kind, const char* id) {
  size_t i;
  for (i = 0; i < spm_refs_count(refs); ++i) {
    const spm_ref* r = NULL;
    if (spm_refs_get(refs, i, &r) == SPM_OK && r->kind == kind && strcmp(r->id, id) == 0) return 1;
  }
  return 0;
}

static void test_cascade(void) {
  spm_model* model = small_model();
  spm_cascade* cascade = NULL;
  spm_refs *refs = NULL, *owners = NULL;
  const spm_refs* path = NULL;
  const spm_ref* ref = NULL;
  spm_sight* sight = NULL;
  spm_coverage* coverage = NULL;
  const spm_coverage_row* row = NULL;
  const spm_goal_coverage* goal = NULL;
  spm_attribution* attribution = NULL;
  size_t n = 0, edges = 0, index = 0, rows = 0, cols = 0, nnz = 0, i;
  const int *offsets = NULL, *columns = NULL;
  const double* values = NULL;
  spm_entity_kind kind = SPM_KIND_VALUE;
  const char* id = NULL;
  double weight = 0;

  CHECK_OK(spm_cascade_compile(&cascade, model));
  CHECK(spm_cascade_is_current(cascade) == 1);
  CHECK_OK(spm_cascade_node_count(cascade, &n));
  CHECK(n == 8); /* 2 goals, 2 strategies, 2 milestones, 1 action, 1 objective */
  CHECK_OK(spm_cascade_edge_count(cascade, &edges));
  CHECK(edges == 5);
  CHECK_OK(spm_cascade_node(cascade, n - 1, &kind, &id));
  CHECK(kind == SPM_KIND_GOAL); /* the last goal is the last node */
  CHECK_OK(spm_cascade_index_of(cascade, kind, id, &index));
  CHECK(index == n - 1);
  CHECK_OK(spm_cascade_node(cascade, 0, NULL, NULL));

  CHECK_OK(spm_cascade_orphans(cascade, &refs));
  CHECK(spm_refs_count(refs) == 1 && refs_contains(refs, SPM_KIND_ACTION, "A1"));
  spm_refs_free(refs);
  CHECK_OK(spm_cascade_uncovered_goals(cascade, &refs));
  CHECK(spm_refs_count(refs) == 1 && refs_contains(refs, SPM_KIND_GOAL, "G2"));
  spm_refs_free(refs);
  CHECK_OK(spm_cascade_strategies_without_milestones(cascade, &refs));
  CHECK(spm_refs_count(refs) == 1 && refs_contains(refs, SPM_KIND_STRATEGY, "S2"));
  spm_refs_free(refs);
  CHECK_OK(spm_cascade_milestones_without_owner(cascade, &refs));
  CHECK(spm_refs_count(refs) == 1 && refs_contains(refs, SPM_KIND_MILESTONE, "MS2"));
  spm_refs_free(refs);

  CHECK_OK(spm_cascade_contributors(cascade, "G1", &refs, &owners));
  CHECK(refs_contains(refs, SPM_KIND_OBJECTIVE, "O1") &&
        refs_contains(refs, SPM_KIND_STRATEGY, "S1"));
  CHECK(refs_contains(owners, SPM_KIND_EMPLOYEE, "E1"));
  CHECK(refs_contains(owners, SPM_KIND_UNIT, "U1"));
  CHECK_OK(spm_refs_get(refs, 0, &ref));
  CHECK(ref->value > 0 && ref->value <= 1);
  spm_refs_free(refs);
  spm_refs_free(owners);
  CHECK_OK(spm_cascade_contributors(cascade, "G1", NULL, &owners));
  spm_refs_free(owners);

  CHECK_OK(spm_cascade_impact(cascade, SPM_KIND_EMPLOYEE, "E1", &refs));
  CHECK(spm_refs_count(refs) == 1 && refs_contains(refs, SPM_KIND_GOAL, "G1"));
  spm_refs_free(refs);
  CHECK_OK(spm_cascade_attribution_to(cascade, "G1", &refs));
  CHECK(refs_contains(refs, SPM_KIND_OBJECTIVE, "O1"));
  spm_refs_free(refs);

  CHECK_OK(spm_cascade_line_of_sight(cascade, SPM_KIND_OBJECTIVE, "O1", 0, &sight));
  CHECK(spm_sight_path_count(sight) == 1);
  CHECK(spm_sight_truncated(sight) == 0);
  CHECK_OK(spm_sight_path(sight, 0, &path, &weight));
  CHECK(spm_refs_count(path) == 4); /* O1, MS1, S1, G1 */
  CHECK_OK(spm_refs_get(path, 3, &ref));
  CHECK(ref->kind == SPM_KIND_GOAL && strcmp(ref->id, "G1") == 0);
  CHECK(weight > 0 && weight < 1);
  CHECK_OK(spm_sight_goals(sight, &path));
  CHECK(spm_refs_count(path) == 1);
  CHECK_FAILS(spm_sight_path(sight, 1, &path, NULL), SPM_EINVALID, "out of range");
  CHECK(path == NULL);
  CHECK_FAILS(spm_sight_path(NULL, 0, &path, NULL), SPM_EINVALID, "sight");
  CHECK_FAILS(spm_sight_path(sight, 0, NULL, NULL), SPM_EINVALID, "nodes");
  CHECK_FAILS(spm_sight_goals(NULL, &path), SPM_EINVALID, "sight");
  CHECK_FAILS(spm_sight_goals(sight, NULL), SPM_EINVALID, "out");
  spm_sight_free(sight);
  spm_sight_free(NULL);
  CHECK(spm_sight_path_count(NULL) == 0 && spm_sight_truncated(NULL) == 0);

  CHECK_OK(spm_cascade_coverage(cascade, &coverage));
  CHECK(spm_coverage_row_count(coverage) == 2); /* the organization and U1 */
  CHECK_OK(spm_coverage_row_get(coverage, 0, &row));
  CHECK(row->is_organization && row->employees == 1 && row->aligned == 1 && row->share == 1.0);
  CHECK_OK(spm_coverage_row_get(coverage, 1, &row));
  CHECK(!row->is_organization && row->kind == SPM_KIND_UNIT && strcmp(row->id, "U1") == 0);
  CHECK(strcmp(row->name, "Streets") == 0);
  CHECK(spm_coverage_goal_count(coverage) == 2);
  CHECK_OK(spm_coverage_goal_get(coverage, 1, &goal));
  CHECK(strcmp(goal->goal, "G2") == 0 && !goal->covered);
  CHECK(spm_coverage_goal_share(coverage) == 0.5);
  CHECK_FAILS(spm_coverage_row_get(coverage, 2, &row), SPM_EINVALID, "out of range");
  CHECK_FAILS(spm_coverage_goal_get(coverage, 2, &goal), SPM_EINVALID, "out of range");
  CHECK_FAILS(spm_coverage_row_get(NULL, 0, &row), SPM_EINVALID, "coverage");
  CHECK_FAILS(spm_coverage_goal_get(coverage, 0, NULL), SPM_EINVALID, "out");
  spm_coverage_free(coverage);
  spm_coverage_free(NULL);
  CHECK(spm_coverage_row_count(NULL) == 0 && spm_coverage_goal_count(NULL) == 0);
  CHECK(isnan(spm_coverage_goal_share(NULL)));

  CHECK_OK(spm_cascade_attribution(cascade, &attribution));
  CHECK_OK(spm_attribution_csr(attribution, &rows, &cols, &nnz, &offsets, &columns, &values));
  CHECK(rows == n && cols == 2 && offsets[rows] == (int)nnz && nnz > 0);
  for (i = 0; i < nnz; ++i) CHECK(columns[i] >= 0 && columns[i] < 2 && values[i] > 0);
  CHECK_OK(spm_attribution_csr(attribution, NULL, NULL, NULL, NULL, NULL, NULL));
  CHECK_FAILS(spm_attribution_csr(NULL, &rows, NULL, NULL, NULL, NULL, NULL), SPM_EINVALID,
              "attribution");
  spm_attribution_free(attribution);
  spm_attribution_free(NULL);

  /* Errors. */
  spm_cascade_free(cascade);
  CHECK_FAILS(spm_cascade_compile(NULL, model), SPM_EINVALID, "out");
  CHECK_FAILS(spm_cascade_compile(&cascade, NULL), SPM_EINVALID, "model");
  CHECK(cascade == NULL);
  CHECK_OK(spm_cascade_compile(&cascade, model));
  CHECK_FAILS(spm_cascade_node_count(NULL, &n), SPM_EINVALID, "cascade");
  CHECK_FAILS(spm_cascade_node_count(cascade, NULL), SPM_EINVALID, "out");
  CHECK_FAILS(spm_cascade_edge_count(cascade, NULL), SPM_EINVALID, "out");
  CHECK_FAILS(spm_cascade_node(cascade, n, &kind, &id), SPM_EINVALID, "out of range");
  CHECK(id == NULL);
  CHECK_FAILS(spm_cascade_index_of(cascade, SPM_KIND_GOAL, "G9", &index), SPM_ENOTFOUND, "G9");
  CHECK_FAILS(spm_cascade_index_of(cascade, SPM_KIND_UNIT, "U1", &index), SPM_ENOTFOUND, "U1");
  CHECK_FAILS(spm_cascade_index_of(cascade, SPM_KIND_GOAL, bad_utf8, &index), SPM_EINVALID,
              "UTF-8");
  CHECK_FAILS(spm_cascade_index_of(cascade, (spm_entity_kind)20, "G1", &index), SPM_EINVALID, "20");
  CHECK_FAILS(spm_cascade_index_of(cascade, SPM_KIND_GOAL, "G1", NULL), SPM_EINVALID, "index");
  CHECK_FAILS(spm_cascade_orphans(cascade, NULL), SPM_EINVALID, "out");
  CHECK_FAILS(spm_cascade_uncovered_goals(NULL, &refs), SPM_EINVALID, "cascade");
  CHECK(refs == NULL);
  CHECK_FAILS(spm_cascade_contributors(cascade, "G9", &refs, NULL), SPM_ENOTFOUND, "G9");
  CHECK_FAILS(spm_cascade_contributors(cascade, "G1", NULL, NULL), SPM_EINVALID, "both NULL");
  CHECK_FAILS(spm_cascade_contributors(cascade, bad_utf8, &refs, NULL), SPM_EINVALID, "UTF-8");
  CHECK_FAILS(spm_cascade_impact(cascade, SPM_KIND_GOAL, "G1", &refs), SPM_EINVALID, "goal");
  CHECK_FAILS(spm_cascade_impact(cascade, SPM_KIND_EMPLOYEE, "E9", &refs), SPM_ENOTFOUND, "E9");
  CHECK_FAILS(spm_cascade_impact(cascade, SPM_KIND_EMPLOYEE, NULL, &refs), SPM_EINVALID, "id");
  CHECK_FAILS(spm_cascade_attribution_to(cascade, "G9", &refs), SPM_ENOTFOUND, "G9");
  CHECK_FAILS(spm_cascade_attribution_to(cascade, NULL, &refs), SPM_EINVALID, "goal");
  CHECK_FAILS(spm_cascade_line_of_sight(cascade, SPM_KIND_OBJECTIVE, "O9", 0, &sight),
              SPM_ENOTFOUND, "O9");
  CHECK(sight == NULL);
  CHECK_FAILS(spm_cascade_line_of_sight(cascade, SPM_KIND_OBJECTIVE, "O1", 0, NULL), SPM_EINVALID,
              "out");
  CHECK_FAILS(spm_cascade_coverage(cascade, NULL), SPM_EINVALID, "out");
  CHECK_FAILS(spm_cascade_attribution(NULL, &attribution), SPM_EINVALID, "cascade");
  CHECK_FAILS(spm_refs_get(NULL, 0, &ref), SPM_EINVALID, "refs");
  CHECK(spm_refs_count(NULL) == 0);
  spm_refs_free(NULL);

  /* Calls in the wrong order: a cascade used after its model changed. */
  CHECK_OK(
      spm_model_add_json(model, SPM_KIND_GOAL, JSON("{\"id\": \"G3\", \"perspective\": \"P1\"}")));
  CHECK(spm_cascade_is_current(cascade) == 0);
  CHECK_FAILS(spm_cascade_node_count(cascade, &n), SPM_ESTALE, "stale");
  CHECK_FAILS(spm_cascade_orphans(cascade, &refs), SPM_ESTALE, "stale");
  CHECK_FAILS(spm_cascade_line_of_sight(cascade, SPM_KIND_OBJECTIVE, "O1", 0, &sight), SPM_ESTALE,
              "stale");
  CHECK_FAILS(spm_scorecard_evaluate((spm_scorecard**)&refs, cascade, NULL, NULL), SPM_ESTALE,
              "stale");
  spm_cascade_free(cascade);
  spm_cascade_free(NULL);
  CHECK(spm_cascade_is_current(NULL) == 0);

  /* Compile errors: a cycle names its nodes; a link to nothing is listed. */
  CHECK_OK(spm_model_update_json(model, SPM_KIND_OBJECTIVE,
                                 JSON("{\"id\": \"O1\", \"owner\": {\"unit\": \"U1\"}, "
                                      "\"contributes_to\": [{\"objective\": \"O2\"}]}")));
  CHECK_OK(spm_model_add_json(model, SPM_KIND_OBJECTIVE,
                              JSON("{\"id\": \"O2\", \"owner\": {\"unit\": \"U1\"}, "
                                   "\"contributes_to\": [{\"objective\": \"O1\"}]}")));
  CHECK_FAILS(spm_cascade_compile(&cascade, model), SPM_ECYCLE, "O2");
  CHECK_OK(spm_model_remove(model, SPM_KIND_OBJECTIVE, "O2"));
  CHECK_FAILS(spm_cascade_compile(&cascade, model), SPM_EVALIDATION, "O2");
  CHECK(cascade == NULL);
  spm_model_free(model);
}

static void test_scorecard(void) {
  spm_model* model = small_model();
  spm_cascade* cascade = NULL;
  spm_scorecard *card = NULL, *what_if = NULL;
  spm_scenario* scenario = NULL;
  spm_score_options opts = SPM_SCORE_OPTIONS_INIT, init;
  spm_score_result r = SPM_SCORE_RESULT_INIT;
  spm_explanation* explanation = NULL;
  const spm_explanation_info* info = NULL;
  const spm_explanation_input* input = NULL;
  spm_pace pace;
  spm_forecast forecast;
  const char* labels[] = {"2026-01", "2026-02", "2026-Q1"};
  const char* bad_labels[] = {"2026-01", "2026-13"};
  const char* label = NULL;
  const char* ids[] = {"M1"};
  const double* data = NULL;
  size_t rows = 0, cols = 0, column = 0, needed = 0, n = 0;
  char reason[128], tiny[4];
  double value = 0;
  spm_actual change;

  CHECK(opts.version == SPM_SCORE_OPTIONS_VERSION && opts.trend_periods == 6);
  memset(&init, 0x5a, sizeof init);
  CHECK_OK(spm_score_options_init(&init, SPM_SCORE_OPTIONS_VERSION));
  CHECK(init.columns == NULL && init.through == NULL && init.trend_periods == 6 &&
        init.trend_dead_band == 0.01 && init.on_track_share == 0.95);
  CHECK(init.threads == 1);
  /* A version-1 host's struct ends before `threads`: init writes nothing past it. */
  memset(&init, 0x5a, sizeof init);
  CHECK_OK(spm_score_options_init(&init, 1));
  CHECK(init.version == 1 && init.trend_periods == 6 && init.on_track_share == 0.95);
  {
    int untouched;
    memset(&untouched, 0x5a, sizeof untouched);
    CHECK(memcmp(&init.threads, &untouched, sizeof untouched) == 0);
  }
  CHECK_FAILS(spm_score_options_init(&init, 0), SPM_EVERSION, "version 0");
  CHECK_FAILS(spm_score_options_init(&init, 3), SPM_EVERSION, "version 3");
  CHECK_FAILS(spm_score_options_init(NULL, 1), SPM_EINVALID, "opts");
  CHECK(strcmp(spm_status_name(SPM_STATUS_AMBER), "amber") == 0);
  CHECK(strcmp(spm_status_name((spm_status)9), "") == 0);
  CHECK(strcmp(spm_trend_name(SPM_TREND_UP), "up") == 0);
  CHECK(strcmp(spm_trend_name((spm_trend)-1), "") == 0);

  {
    /* Compile options: threads, version checks; the cascade is the same. */
    spm_compile_options copts = SPM_COMPILE_OPTIONS_INIT;
    spm_cascade* other = NULL;
    size_t a = 0, b = 0;
    CHECK(copts.version == SPM_COMPILE_OPTIONS_VERSION && copts.threads == 1);
    copts.threads = 2;
    CHECK_OK(spm_cascade_compile_with(&other, model, &copts));
    CHECK_OK(spm_cascade_node_count(other, &a));
    spm_cascade_free(other);
    other = NULL;
    CHECK_OK(spm_cascade_compile_with(&other, model, NULL));
    CHECK_OK(spm_cascade_node_count(other, &b));
    CHECK(a == b && a > 0);
    spm_cascade_free(other);
    other = NULL;
    copts.threads = -1;
    CHECK_FAILS(spm_cascade_compile_with(&other, model, &copts), SPM_EINVALID, "threads");
    CHECK(other == NULL);
    copts.threads = 1;
    copts.version = 0;
    CHECK_FAILS(spm_cascade_compile_with(&other, model, &copts), SPM_EVERSION, "version");
    CHECK_FAILS(spm_compile_options_init(&copts, 2), SPM_EVERSION, "version 2");
    CHECK_OK(spm_compile_options_init(&copts, 1));
    CHECK(copts.threads == 1);
  }
  CHECK_OK(spm_cascade_compile(&cascade, model));
  {
    /* Threads: the same scores to the bit; a negative count is refused. */
    spm_score_options topts = SPM_SCORE_OPTIONS_INIT;
    spm_scorecard *one = NULL, *two = NULL;
    const double *d1 = NULL, *d2 = NULL;
    size_t r1 = 0, c1 = 0, r2 = 0, c2 = 0;
    CHECK_OK(spm_scorecard_evaluate(&one, cascade, &topts, NULL));
    topts.threads = 0;
    CHECK_OK(spm_scorecard_evaluate(&two, cascade, &topts, NULL));
    CHECK_OK(spm_scorecard_node_scores(one, &d1, &r1, &c1));
    CHECK_OK(spm_scorecard_node_scores(two, &d2, &r2, &c2));
    CHECK(r1 == r2 && c1 == c2 && memcmp(d1, d2, r1 * c1 * sizeof(double)) == 0);
    spm_scorecard_free(two);
    two = NULL;
    topts.threads = -3;
    CHECK_FAILS(spm_scorecard_evaluate(&two, cascade, &topts, NULL), SPM_EINVALID, "threads");
    CHECK(two == NULL);
    spm_scorecard_free(one);
    /* Memory kept for the next evaluations: counted, freed, and the scores stay the same. */
    size_t kept = 1;
    CHECK_OK(spm_model_kept_bytes(model, &kept));
    CHECK_OK(spm_model_release_memory(model));
    CHECK_OK(spm_model_kept_bytes(model, &kept));
    CHECK(kept == 0);
    CHECK_OK(spm_scorecard_evaluate(&one, cascade, NULL, NULL));
    CHECK_OK(spm_scorecard_node_scores(one, &d2, &r2, &c2));
    CHECK(r1 == r2 && c1 == c2);
    spm_scorecard_free(one);
    CHECK_FAILS(spm_model_kept_bytes(NULL, &kept), SPM_EINVALID, "model");
    CHECK_FAILS(spm_model_kept_bytes(model, NULL), SPM_EINVALID, "out");
    CHECK_FAILS(spm_model_release_memory(NULL), SPM_EINVALID, "model");
  }
  /* Default columns: every month with actuals. */
  CHECK_OK(spm_scorecard_evaluate(&card, cascade, NULL, NULL));
  CHECK(spm_scorecard_column_count(card) == 2);
  spm_scorecard_free(card);
  opts.columns = labels;
  opts.column_count = 3;
  CHECK_OK(spm_scorecard_evaluate(&card, cascade, &opts, NULL));
  CHECK(spm_scorecard_is_current(card) == 1);
  CHECK(spm_scorecard_column_count(card) == 3);
  CHECK_OK(spm_scorecard_column_label(card, 2, &label));
  CHECK(strcmp(label, "2026-Q1") == 0);
  CHECK_OK(spm_scorecard_column_index(card, "2026-02", &column));
  CHECK(column == 1);

  /* M1 in 2026-02: 80 of 100 from 0: 0.8, amber by the organization's bands. */
  CHECK_OK(spm_scorecard_get(card, SPM_KIND_MEASURE, "M1", 1, &r));
  CHECK(fabs(r.score - 0.8) < 1e-12 && r.status == SPM_STATUS_AMBER && r.coverage == 1.0);
  CHECK(r.trend == SPM_TREND_UP);
  CHECK_OK(spm_scorecard_reason(card, SPM_KIND_MEASURE, "M1", 1, reason, sizeof reason, &needed));
  CHECK(strstr(reason, "amber") != NULL && needed == strlen(reason) + 1);
  CHECK_FAILS(spm_scorecard_reason(card, SPM_KIND_MEASURE, "M1", 1, tiny, sizeof tiny, &needed),
              SPM_EBUFSIZE, "needed");
  CHECK(tiny[0] == '\0' && needed == strlen(reason) + 1);
  CHECK_OK(spm_scorecard_get(card, SPM_KIND_GOAL, "G1", 1, &r));
  CHECK(!isnan(r.score));
  CHECK_OK(spm_scorecard_get(card, SPM_KIND_GOAL, "G2", 1, &r));
  CHECK(isnan(r.score) && r.status == SPM_STATUS_NO_DATA);
  CHECK_OK(spm_scorecard_get(card, SPM_KIND_PERSPECTIVE, "P1", 1, &r));
  CHECK_OK(spm_scorecard_get(card, SPM_KIND_STRATEGY, "S1", 1, &r));
  CHECK_OK(spm_scorecard_get_organization(card, 1, &r));
  CHECK(!isnan(r.score));
  CHECK_OK(spm_scorecard_organization_reason(card, 1, reason, sizeof reason, NULL));
  CHECK_FAILS(spm_scorecard_organization_reason(card, 1, NULL, 0, &needed), SPM_EBUFSIZE, "needed");
  CHECK(needed == strlen(reason) + 1);
  CHECK_OK(spm_scorecard_actual(card, "M1", 2, &value));
  CHECK(value == 65); /* the average of 50 and 80 */
  CHECK_OK(spm_scorecard_target(card, "M1", 2, &value));
  CHECK(value == 100);

  CHECK_OK(spm_scorecard_measure_scores(card, &data, &rows, &cols));
  CHECK(rows == 2 && cols == 3 && fabs(data[1] - 0.8) < 1e-12);
  CHECK_OK(spm_scorecard_node_scores(card, &data, &rows, NULL));
  CHECK(rows == 8);

  CHECK_OK(spm_scorecard_explain(card, SPM_KIND_GOAL, "G1", 1, &explanation));
  CHECK_OK(spm_explanation_info_get(explanation, &info));
  CHECK(info->kind == SPM_KIND_GOAL && strcmp(info->id, "G1") == 0);
  CHECK(strcmp(info->column, "2026-02") == 0 && strcmp(info->rollup, "mean") == 0);
  CHECK(strcmp(info->missing, "skip") == 0 && strlen(info->text) > 0);
  CHECK(info->input_count == 3); /* M1, S1, S2 */
  CHECK_OK(spm_explanation_input_get(explanation, 0, &input));
  CHECK(input->kind == SPM_KIND_MEASURE && strcmp(input->id, "M1") == 0);
  CHECK_FAILS(spm_explanation_input_get(explanation, 3, &input), SPM_EINVALID, "out of range");
  CHECK(input == NULL);
  CHECK_FAILS(spm_explanation_input_get(NULL, 0, &input), SPM_EINVALID, "explanation");
  CHECK_FAILS(spm_explanation_info_get(NULL, &info), SPM_EINVALID, "explanation");
  CHECK_FAILS(spm_explanation_info_get(explanation, NULL), SPM_EINVALID, "out");
  spm_explanation_free(explanation);
  spm_explanation_free(NULL);

  memset(&pace, 0, sizeof pace);
  pace.version = SPM_PACE_VERSION;
  CHECK_OK(spm_scorecard_pace(card, "M1", "2026-02", &pace));
  CHECK(strcmp(pace.as_of, "2026-02") == 0 && strcmp(pace.span, "2026") == 0);
  pace.version = 0;
  CHECK_FAILS(spm_scorecard_pace(card, "M1", "2026-02", &pace), SPM_EVERSION, "spm_pace");
  pace.version = SPM_PACE_VERSION;
  CHECK_FAILS(spm_scorecard_pace(card, "M1", "2026-99", &pace), SPM_EINVALID, "2026-99");
  CHECK_FAILS(spm_scorecard_pace(card, "M9", "2026-02", &pace), SPM_ENOTFOUND, "M9");
  CHECK_FAILS(spm_scorecard_pace(card, "M1", "2026-02", NULL), SPM_EINVALID, "out");
  memset(&forecast, 0, sizeof forecast);
  forecast.version = SPM_FORECAST_VERSION;
  CHECK_OK(spm_scorecard_forecast(card, "M1", "2026-Q1", &forecast));
  CHECK(strcmp(forecast.span, "2026-Q1") == 0 && !isnan(forecast.value));
  forecast.version = 2;
  CHECK_FAILS(spm_scorecard_forecast(card, "M1", "2026-Q1", &forecast), SPM_EVERSION,
              "spm_forecast");
  forecast.version = SPM_FORECAST_VERSION;
  CHECK_FAILS(spm_scorecard_forecast(card, "M1", "Q1", &forecast), SPM_EINVALID, "Q1");
  CHECK_OK(spm_scorecard_sensitivity(card, "G1", "M1", &value));
  CHECK(value > 0 && value <= 1);
  CHECK_FAILS(spm_scorecard_sensitivity(card, "G1", "M9", &value), SPM_ENOTFOUND, "M9");
  CHECK_FAILS(spm_scorecard_sensitivity(card, "G1", NULL, &value), SPM_EINVALID, "measure");

  /* What-if: M1 at 100 in February gives 1; the model is untouched. */
  CHECK_OK(spm_scenario_new(&scenario));
  CHECK_OK(spm_scenario_set_actual(scenario, "M1", "2026-02", 100));
  CHECK_OK(spm_scenario_set_target(scenario, "M2", NULL, 10));
  CHECK_OK(spm_scenario_set_target(scenario, "M2", "2026-01", 10));
  CHECK_OK(spm_scenario_set_weight(scenario, SPM_KIND_STRATEGY, "S1", SPM_KIND_GOAL, "G1", 2));
  CHECK_OK(spm_scenario_set_weight(scenario, SPM_KIND_MEASURE, "M1", SPM_KIND_GOAL, NULL, 3));
  CHECK(spm_scenario_count(scenario) == 5);
  CHECK_OK(spm_scorecard_evaluate(&what_if, cascade, &opts, scenario));
  CHECK_OK(spm_scorecard_get(what_if, SPM_KIND_MEASURE, "M1", 1, &r));
  CHECK(r.score == 1.0);
  CHECK_OK(spm_scorecard_get(card, SPM_KIND_MEASURE, "M1", 1, &r));
  CHECK(fabs(r.score - 0.8) < 1e-12);
  spm_scorecard_free(what_if);
  what_if = NULL;
  CHECK_OK(spm_scenario_set_actual(scenario, "M9", "2026-02", 1));
  CHECK_FAILS(spm_scorecard_evaluate(&what_if, cascade, &opts, scenario), SPM_EINVALID, "M9");
  CHECK(what_if == NULL);
  spm_scenario_clear(scenario);
  CHECK(spm_scenario_count(scenario) == 0);
  CHECK_FAILS(spm_scenario_set_actual(scenario, "M1", "someday", 1), SPM_EINVALID, "someday");
  CHECK_FAILS(spm_scenario_set_actual(scenario, bad_utf8, "2026-01", 1), SPM_EINVALID, "UTF-8");
  CHECK_FAILS(spm_scenario_set_actual(NULL, "M1", "2026-01", 1), SPM_EINVALID, "scenario");
  CHECK_FAILS(spm_scenario_set_target(scenario, NULL, NULL, 1), SPM_EINVALID, "measure");
  CHECK_FAILS(
      spm_scenario_set_weight(scenario, SPM_KIND_STRATEGY, "S1", (spm_entity_kind)20, "G1", 1),
      SPM_EINVALID, "20");
  CHECK_FAILS(spm_scenario_set_weight(scenario, SPM_KIND_STRATEGY, "S1", SPM_KIND_GOAL, NULL, 1),
              SPM_EINVALID, "to_id");
  CHECK(spm_scenario_count(scenario) == 0);
  CHECK_FAILS(spm_scenario_new(NULL), SPM_EINVALID, "out");
  spm_scenario_free(scenario);
  spm_scenario_free(NULL);
  spm_scenario_clear(NULL);
  CHECK(spm_scenario_count(NULL) == 0);

  /* Incremental update equals a fresh evaluation. */
  memset(&change, 0, sizeof change);
  change.measure = "M1";
  change.period = "2026-02";
  change.value = 95;
  CHECK_OK(spm_model_set_actuals(model, &change, 1));
  CHECK(spm_cascade_is_current(cascade) == 1); /* actuals leave the cascade valid */
  CHECK_OK(spm_scorecard_update(card, model, ids, 1));
  CHECK_OK(spm_scorecard_evaluate(&what_if, cascade, &opts, NULL));
  {
    const double *a = NULL, *b = NULL;
    size_t ra = 0, rb = 0, k;
    CHECK_OK(spm_scorecard_node_scores(card, &a, &ra, &cols));
    CHECK_OK(spm_scorecard_node_scores(what_if, &b, &rb, NULL));
    CHECK(ra == rb);
    for (k = 0; k < ra * cols; ++k) CHECK((isnan(a[k]) && isnan(b[k])) || a[k] == b[k]);
  }
  spm_scorecard_free(what_if);
  what_if = NULL;
  CHECK_FAILS(spm_scorecard_update(card, model, NULL, 1), SPM_EINVALID, "ids");
  ids[0] = "M9";
  CHECK_FAILS(spm_scorecard_update(card, model, ids, 1), SPM_ENOTFOUND, "M9");
  ids[0] = bad_utf8;
  CHECK_FAILS(spm_scorecard_update(card, model, ids, 1), SPM_EINVALID, "UTF-8");
  CHECK_FAILS(spm_scorecard_update(NULL, model, ids, 1), SPM_EINVALID, "card");
  {
    spm_model* other = small_model();
    CHECK_FAILS(spm_scorecard_update(card, other, NULL, 0), SPM_EINVALID, "not the model");
    spm_model_free(other);
  }

  /* Option and argument errors. */
  opts.version = 0;
  CHECK_FAILS(spm_scorecard_evaluate(&what_if, cascade, &opts, NULL), SPM_EVERSION, "version 0");
  opts.version = SPM_SCORE_OPTIONS_VERSION + 1;
  CHECK_FAILS(spm_scorecard_evaluate(&what_if, cascade, &opts, NULL), SPM_EVERSION,
              "not supported");
  opts.version = SPM_SCORE_OPTIONS_VERSION;
  opts.columns = bad_labels;
  opts.column_count = 2;
  CHECK_FAILS(spm_scorecard_evaluate(&what_if, cascade, &opts, NULL), SPM_EINVALID, "2026-13");
  opts.columns = NULL;
  CHECK_FAILS(spm_scorecard_evaluate(&what_if, cascade, &opts, NULL), SPM_EINVALID, "columns");
  opts.column_count = 0;
  opts.through = "2026-02";
  opts.trend_periods = 1;
  CHECK_FAILS(spm_scorecard_evaluate(&what_if, cascade, &opts, NULL), SPM_EINVALID,
              "trend_periods");
  opts.trend_periods = 6;
  CHECK_OK(spm_scorecard_evaluate(&what_if, cascade, &opts, NULL));
  CHECK(spm_scorecard_column_count(what_if) == 2);
  spm_scorecard_free(what_if);
  what_if = NULL;
  CHECK_FAILS(spm_scorecard_evaluate(NULL, cascade, NULL, NULL), SPM_EINVALID, "out");
  CHECK_FAILS(spm_scorecard_evaluate(&what_if, NULL, NULL, NULL), SPM_EINVALID, "cascade");

  r.version = 0;
  CHECK_FAILS(spm_scorecard_get(card, SPM_KIND_MEASURE, "M1", 0, &r), SPM_EVERSION,
              "spm_score_result");
  r.version = SPM_SCORE_RESULT_VERSION + 1;
  CHECK_FAILS(spm_scorecard_get_organization(card, 0, &r), SPM_EVERSION, "spm_score_result");
  r.version = SPM_SCORE_RESULT_VERSION;
  CHECK_FAILS(spm_scorecard_get(card, SPM_KIND_MEASURE, "M9", 0, &r), SPM_ENOTFOUND, "M9");
  CHECK_FAILS(spm_scorecard_get(card, SPM_KIND_GOAL, "G9", 0, &r), SPM_ENOTFOUND, "G9");
  CHECK_FAILS(spm_scorecard_get(card, SPM_KIND_PERSPECTIVE, "P9", 0, &r), SPM_ENOTFOUND, "P9");
  CHECK_FAILS(spm_scorecard_get(card, SPM_KIND_UNIT, "U1", 0, &r), SPM_EINVALID, "no score");
  CHECK_FAILS(spm_scorecard_get(card, SPM_KIND_MEASURE, "M1", 3, &r), SPM_EINVALID, "column 3");
  CHECK_FAILS(spm_scorecard_get(card, SPM_KIND_MEASURE, bad_utf8, 0, &r), SPM_EINVALID, "UTF-8");
  CHECK_FAILS(spm_scorecard_get(card, SPM_KIND_MEASURE, NULL, 0, &r), SPM_EINVALID, "id");
  CHECK_FAILS(spm_scorecard_get(NULL, SPM_KIND_MEASURE, "M1", 0, &r), SPM_EINVALID, "card");
  CHECK_FAILS(spm_scorecard_get(card, SPM_KIND_MEASURE, "M1", 0, NULL), SPM_EINVALID, "out");
  CHECK_FAILS(spm_scorecard_get(card, (spm_entity_kind)20, "M1", 0, &r), SPM_EINVALID, "20");
  CHECK_FAILS(spm_scorecard_get_organization(card, 3, &r), SPM_EINVALID, "column 3");
  CHECK_FAILS(spm_scorecard_get_organization(NULL, 0, &r), SPM_EINVALID, "card");
  CHECK_FAILS(spm_scorecard_reason(card, SPM_KIND_MEASURE, "M1", 0, NULL, 5, &needed), SPM_EINVALID,
              "buf");
  CHECK_FAILS(spm_scorecard_reason(card, SPM_KIND_MEASURE, "M9", 0, reason, sizeof reason, NULL),
              SPM_ENOTFOUND, "M9");
  CHECK_FAILS(spm_scorecard_organization_reason(card, 9, reason, sizeof reason, NULL), SPM_EINVALID,
              "column 9");
  CHECK_FAILS(spm_scorecard_actual(card, "M9", 0, &value), SPM_ENOTFOUND, "M9");
  CHECK_FAILS(spm_scorecard_actual(card, "M1", 0, NULL), SPM_EINVALID, "out");
  CHECK_FAILS(spm_scorecard_target(card, "M1", 7, &value), SPM_EINVALID, "column 7");
  CHECK_FAILS(spm_scorecard_column_label(card, 3, &label), SPM_EINVALID, "out of range");
  CHECK(label == NULL);
  CHECK_FAILS(spm_scorecard_column_index(card, "2030", &column), SPM_ENOTFOUND, "2030");
  CHECK_FAILS(spm_scorecard_column_index(card, NULL, &column), SPM_EINVALID, "label");
  CHECK_FAILS(spm_scorecard_node_scores(card, NULL, &rows, &cols), SPM_EINVALID, "data");
  CHECK_FAILS(spm_scorecard_measure_scores(NULL, &data, &rows, &cols), SPM_EINVALID, "card");
  CHECK_FAILS(spm_scorecard_explain(card, SPM_KIND_MEASURE, "M1", 0, &explanation), SPM_EINVALID,
              "");
  CHECK(explanation == NULL);
  CHECK_FAILS(spm_scorecard_explain(card, SPM_KIND_GOAL, "G9", 0, &explanation), SPM_ENOTFOUND,
              "G9");
  CHECK_FAILS(spm_scorecard_explain(card, SPM_KIND_GOAL, "G1", 5, &explanation), SPM_EINVALID,
              "column 5");
  CHECK_FAILS(spm_scorecard_explain(card, SPM_KIND_GOAL, "G1", 0, NULL), SPM_EINVALID, "out");
  CHECK(spm_scorecard_column_count(NULL) == 0 && spm_scorecard_is_current(NULL) == 0);

  /* Calls in the wrong order: a scorecard used after its model's entities changed. */
  CHECK_OK(spm_model_remove(model, SPM_KIND_ACTION, "A1"));
  CHECK(spm_scorecard_is_current(card) == 0);
  CHECK_FAILS(spm_scorecard_get(card, SPM_KIND_MEASURE, "M1", 0, &r), SPM_ESTALE, "");
  CHECK_FAILS(spm_scorecard_update(card, model, NULL, 0), SPM_ESTALE, "");
  CHECK_FAILS(spm_scorecard_explain(card, SPM_KIND_GOAL, "G1", 0, &explanation), SPM_ESTALE, "");
  spm_scorecard_free(card);
  spm_scorecard_free(NULL);
  spm_cascade_free(cascade);
  /* A cascade whose model is gone is stale, not a dangling pointer. */
  CHECK_OK(spm_cascade_compile(&cascade, model));
  spm_model_free(model);
  CHECK(spm_cascade_is_current(cascade) == 0);
  CHECK_FAILS(spm_cascade_node_count(cascade, &n), SPM_ESTALE, "stale");
  opts.through = "2026-02";
  CHECK_FAILS(spm_scorecard_evaluate(&card, cascade, &opts, NULL), SPM_ESTALE, "stale");
  spm_cascade_free(cascade);
}

/* The example organization: every analysis runs, and agrees with itself. */
static void test_example(void) {
  spm_model* model = NULL;
  spm_cascade* cascade = NULL;
  spm_scorecard* card = NULL;
  spm_refs* refs = NULL;
  spm_sight* sight = NULL;
  spm_score_options opts = SPM_SCORE_OPTIONS_INIT;
  spm_score_result r = SPM_SCORE_RESULT_INIT;
  size_t goals = 0, i;
  char month[16];
  CHECK_OK(spm_model_load_file(&model, SPM_SOURCE_DIR "/examples/municipality.json"));
  CHECK_OK(spm_cascade_compile(&cascade, model));
  CHECK_OK(spm_cascade_orphans(cascade, &refs));
  CHECK(spm_refs_count(refs) > 0);
  spm_refs_free(refs);
  CHECK_OK(spm_cascade_line_of_sight(cascade, SPM_KIND_OBJECTIVE, "O-CMO-1", 1, &sight));
  CHECK(spm_sight_path_count(sight) <= 1);
  spm_sight_free(sight);
  CHECK_OK(spm_model_last_actual_month(model, month, sizeof month, NULL));
  CHECK(strcmp(month, "2026-12") == 0);
  opts.through = month;
  CHECK_OK(spm_scorecard_evaluate(&card, cascade, &opts, NULL));
  CHECK(spm_scorecard_column_count(card) == 24);
  CHECK_OK(spm_model_count(model, SPM_KIND_GOAL, &goals));
  for (i = 0; i < goals; ++i) {
    const char* id = NULL;
    spm_explanation* e = NULL;
    const spm_explanation_info* info = NULL;
    CHECK_OK(spm_model_entity_id(model, SPM_KIND_GOAL, i, &id));
    CHECK_OK(spm_scorecard_get(card, SPM_KIND_GOAL, id, 23, &r));
    CHECK_OK(spm_scorecard_explain(card, SPM_KIND_GOAL, id, 23, &e));
    CHECK_OK(spm_explanation_info_get(e, &info));
    CHECK((isnan(r.score) && isnan(info->score)) || r.score == info->score);
    spm_explanation_free(e);
  }
  CHECK_OK(spm_scorecard_get(card, SPM_KIND_GOAL, "G-S1", 23, &r));
  CHECK(fabs(r.score - 0.911) < 0.001 && r.status == SPM_STATUS_GREEN);
  spm_scorecard_free(card);
  spm_cascade_free(cascade);
  spm_model_free(model);
}

/* Performance management: the example's 2026 reviews. */
static void test_reviews(void) {
  spm_model* model = NULL;
  spm_cascade* cascade = NULL;
  spm_scorecard *card = NULL, *months = NULL;
  spm_reviews* reviews = NULL;
  const spm_employee_review* review = NULL;
  const spm_employee_review* found = NULL;
  spm_score_options opts = SPM_SCORE_OPTIONS_INIT;
  const char* year[] = {"2026"};
  size_t i, n, finals = 0;
  CHECK_OK(spm_model_load_file(&model, SPM_SOURCE_DIR "/examples/municipality.json"));
  CHECK_OK(spm_cascade_compile(&cascade, model));
  opts.columns = year;
  opts.column_count = 1;
  CHECK_OK(spm_scorecard_evaluate(&card, cascade, &opts, NULL));
  CHECK_OK(spm_reviews_compute(&reviews, cascade, card, "RC-2026", "2027-01-20"));
  n = spm_reviews_count(reviews);
  CHECK(n > 0);
  for (i = 0; i < n; ++i) {
    double sum = 0;
    int c;
    CHECK_OK(spm_reviews_get(reviews, i, &review));
    CHECK(review->employee[0] != '\0' && review->text != NULL);
    for (c = 0; c < SPM_COMPONENT_COUNT; ++c) {
      CHECK(isnan(review->component_score[c]) == (review->component_missing[c][0] != '\0'));
      if (!isnan(review->component_score[c])) sum += review->component_points[c];
    }
    if (!isnan(review->final_score)) {
      ++finals;
      CHECK(fabs(sum - review->final_score) < 1e-9);
    }
  }
  CHECK(finals > 0);
  CHECK_OK(spm_reviews_get(reviews, 0, &review));
  CHECK_OK(spm_reviews_find(reviews, review->employee, &found));
  CHECK(found == review);
  CHECK_FAILS(spm_reviews_find(reviews, "E9999", &found), SPM_ENOTFOUND, "E9999");
  CHECK(found == NULL);
  CHECK_FAILS(spm_reviews_find(reviews, bad_utf8, &found), SPM_EINVALID, "UTF-8");
  CHECK_FAILS(spm_reviews_find(NULL, "E0001", &found), SPM_EINVALID, "reviews");
  CHECK_FAILS(spm_reviews_get(reviews, n, &review), SPM_EINVALID, "out of range");
  CHECK_FAILS(spm_reviews_get(reviews, 0, NULL), SPM_EINVALID, "out");
  spm_reviews_free(reviews);
  spm_reviews_free(NULL);
  CHECK(spm_reviews_count(NULL) == 0);

  /* Errors: unknown cycle, bad date, a scorecard without the cycle's column. */
  CHECK_FAILS(spm_reviews_compute(&reviews, cascade, card, "RC-1999", "2027-01-20"), SPM_ENOTFOUND,
              "RC-1999");
  CHECK(reviews == NULL);
  CHECK_FAILS(spm_reviews_compute(&reviews, cascade, card, "RC-2026", "2027-02-30"), SPM_EINVALID,
              "2027-02-30");
  CHECK_OK(spm_scorecard_evaluate(&months, cascade, NULL, NULL));
  CHECK_FAILS(spm_reviews_compute(&reviews, cascade, months, "RC-2026", "2027-01-20"), SPM_EINVALID,
              "");
  CHECK_FAILS(spm_reviews_compute(NULL, cascade, card, "RC-2026", "2027-01-20"), SPM_EINVALID,
              "out");
  CHECK_FAILS(spm_reviews_compute(&reviews, NULL, card, "RC-2026", "2027-01-20"), SPM_EINVALID,
              "cascade");
  CHECK_FAILS(spm_reviews_compute(&reviews, cascade, NULL, "RC-2026", "2027-01-20"), SPM_EINVALID,
              "card");
  CHECK_FAILS(spm_reviews_compute(&reviews, cascade, card, NULL, "2027-01-20"), SPM_EINVALID,
              "cycle");
  /* Calls in the wrong order: after an edit, the cascade is stale. */
  CHECK_OK(spm_model_remove(model, SPM_KIND_ACTION, "A-0101"));
  CHECK_FAILS(spm_reviews_compute(&reviews, cascade, card, "RC-2026", "2027-01-20"), SPM_ESTALE,
              "stale");
  spm_scorecard_free(months);
  spm_scorecard_free(card);
  spm_cascade_free(cascade);
  spm_model_free(model);
}

/* The score table through the Arrow C Data Interface, read back by hand. */
static void check_arrow(const spm_scorecard* card, spm_table_rows rows, size_t expect_rows) {
  struct ArrowSchema schema;
  struct ArrowArray array;
  const double* data = NULL;
  size_t n = 0, cols = 0, r, c;
  int64_t i;
  CHECK_OK(spm_scorecard_export_arrow(card, rows, &schema, &array));
  if (rows == SPM_ROWS_MEASURES) {
    CHECK_OK(spm_scorecard_measure_scores(card, &data, &n, &cols));
  } else {
    CHECK_OK(spm_scorecard_node_scores(card, &data, &n, &cols));
  }
  CHECK(n == expect_rows);
  CHECK(strcmp(schema.format, "+s") == 0 && schema.n_children == (int64_t)(2 + cols));
  CHECK(strcmp(schema.children[0]->format, "u") == 0);
  CHECK(strcmp(schema.children[0]->name, "kind") == 0);
  CHECK(strcmp(schema.children[1]->name, "id") == 0);
  CHECK(array.length == (int64_t)n && array.n_children == schema.n_children);
  CHECK(array.n_buffers == 1 && array.buffers[0] == NULL && array.null_count == 0);
  {
    /* Row 0's kind and id. */
    const struct ArrowArray* kinds = array.children[0];
    const struct ArrowArray* ids = array.children[1];
    const int32_t* kind_offsets = (const int32_t*)kinds->buffers[1];
    const int32_t* offsets = (const int32_t*)ids->buffers[1];
    const char* chars = (const char*)ids->buffers[2];
    CHECK(ids->n_buffers == 3 && ids->length == (int64_t)n && offsets[0] == 0);
    CHECK(kinds->n_buffers == 3 && kinds->length == (int64_t)n && kind_offsets[0] == 0);
    if (rows == SPM_ROWS_MEASURES) {
      CHECK(offsets[1] == 2 && memcmp(chars, "M1", 2) == 0);
      CHECK(kind_offsets[1] == 7 && memcmp(kinds->buffers[2], "measure", 7) == 0);
    } else { /* the last node is a goal */
      const char* kind_chars = (const char*)kinds->buffers[2];
      CHECK(kind_offsets[n] - kind_offsets[n - 1] == 4);
      CHECK(memcmp(kind_chars + kind_offsets[n - 1], "goal", 4) == 0);
    }
  }
  for (c = 0; c < cols; ++c) {
    const struct ArrowArray* col = array.children[2 + c];
    const struct ArrowSchema* col_schema = schema.children[2 + c];
    const uint8_t* validity = (const uint8_t*)col->buffers[0];
    const double* values = (const double*)col->buffers[1];
    const char* label = NULL;
    int64_t nulls = 0;
    CHECK_OK(spm_scorecard_column_label(card, c, &label));
    CHECK(strcmp(col_schema->format, "g") == 0 && strcmp(col_schema->name, label) == 0);
    CHECK((col_schema->flags & ARROW_FLAG_NULLABLE) != 0);
    CHECK(col->n_buffers == 2 && col->length == (int64_t)n);
    for (r = 0; r < n; ++r) {
      const double want = data[r * cols + c];
      const int valid = validity == NULL || ((validity[r / 8] >> (r % 8)) & 1);
      if (isnan(want)) {
        CHECK(!valid);
        ++nulls;
      } else {
        CHECK(valid && values[r] == want);
      }
    }
    CHECK(col->null_count == nulls);
  }
  for (i = 0; i < array.n_children; ++i) CHECK(array.children[i]->release != NULL);
  schema.release(&schema);
  array.release(&array);
  CHECK(schema.release == NULL && array.release == NULL);
}

static void test_arrow(void) {
  spm_model* model = small_model();
  spm_cascade* cascade = NULL;
  spm_scorecard* card = NULL;
  struct ArrowSchema schema;
  struct ArrowArray array;
  CHECK_OK(spm_cascade_compile(&cascade, model));
  CHECK_OK(spm_scorecard_evaluate(&card, cascade, NULL, NULL));
  check_arrow(card, SPM_ROWS_MEASURES, 2);
  check_arrow(card, SPM_ROWS_NODES, 8);
  schema.release = (void (*)(struct ArrowSchema*))1;
  array.release = (void (*)(struct ArrowArray*))1;
  CHECK_FAILS(spm_scorecard_export_arrow(card, (spm_table_rows)7, &schema, &array), SPM_EINVALID,
              "7");
  CHECK(schema.release == NULL && array.release == NULL);
  CHECK_FAILS(spm_scorecard_export_arrow(NULL, SPM_ROWS_NODES, &schema, &array), SPM_EINVALID,
              "card");
  CHECK_FAILS(spm_scorecard_export_arrow(card, SPM_ROWS_NODES, NULL, &array), SPM_EINVALID,
              "schema");
  CHECK_FAILS(spm_scorecard_export_arrow(card, SPM_ROWS_NODES, &schema, NULL), SPM_EINVALID,
              "array");
  CHECK_OK(spm_model_remove(model, SPM_KIND_ACTION, "A1"));
  CHECK_FAILS(spm_scorecard_export_arrow(card, SPM_ROWS_MEASURES, &schema, &array), SPM_ESTALE,
              "stale");
  spm_scorecard_free(card);
  spm_cascade_free(cascade);
  spm_model_free(model);
}

/* Validate with options: the same issues on any thread count (a dangling link and subject among
 * them), the cascade compiled after it the same; bad options refused. */
static void test_validate_with(void) {
  static const char* const dangling[][2] = {
      {"objective",
       "{\"id\": \"O9\", \"owner\": {\"employee\": \"E1\"}, \"contributes_to\": "
       "[{\"objective\": \"nowhere\"}]}"},
      {"measure",
       "{\"id\": \"M9\", \"subject\": {\"goal\": \"G9\"}, \"baseline\": 0, \"target\": 1}"},
  };
  spm_model* model = small_model();
  spm_model* copy = small_model();
  spm_validate_options vopts = SPM_VALIDATE_OPTIONS_INIT;
  spm_issues *one = NULL, *two = NULL;
  const spm_issue *a = NULL, *b = NULL;
  spm_cascade* cascade = NULL;
  size_t i, nodes = 0;
  for (i = 0; i < sizeof dangling / sizeof dangling[0]; ++i) {
    spm_entity_kind kind = SPM_KIND_VALUE;
    CHECK_OK(spm_kind_parse(dangling[i][0], &kind));
    CHECK_OK(spm_model_add_json(model, kind, dangling[i][1], strlen(dangling[i][1])));
    CHECK_OK(spm_model_add_json(copy, kind, dangling[i][1], strlen(dangling[i][1])));
  }
  CHECK(vopts.version == SPM_VALIDATE_OPTIONS_VERSION && vopts.threads == 1);
  CHECK_OK(spm_model_validate_with(model, NULL, &one));
  vopts.threads = 2;
  CHECK_OK(spm_model_validate_with(copy, &vopts, &two));
  CHECK(spm_issues_error_count(one) == 2 && spm_issues_count(one) == spm_issues_count(two));
  for (i = 0; i < spm_issues_count(one); ++i) {
    CHECK_OK(spm_issues_get(one, i, &a));
    CHECK_OK(spm_issues_get(two, i, &b));
    CHECK(strcmp(a->text, b->text) == 0);
  }
  {
    int named = 0;
    for (i = 0; i < spm_issues_count(one); ++i) {
      CHECK_OK(spm_issues_get(one, i, &a));
      named += strstr(a->text, "unknown objective 'nowhere'") != NULL;
      named += strstr(a->text, "unknown goal 'G9'") != NULL;
    }
    CHECK(named == 2);
  }
  spm_issues_free(one);
  spm_issues_free(two);
  one = two = NULL;
  /* Made valid again, it compiles from what validate resolved, as a fresh model does. */
  CHECK_OK(spm_model_remove(model, SPM_KIND_OBJECTIVE, "O9"));
  CHECK_OK(spm_model_remove(model, SPM_KIND_MEASURE, "M9"));
  CHECK_OK(spm_model_validate_with(model, &vopts, &one));
  CHECK(spm_issues_error_count(one) == 0);
  CHECK_OK(spm_cascade_compile(&cascade, model));
  CHECK_OK(spm_cascade_node_count(cascade, &nodes));
  CHECK(nodes == 8); /* G1, G2, S1, S2, MS1, MS2, A1, O1 */
  spm_cascade_free(cascade);
  spm_issues_free(one);
  one = NULL;
  vopts.threads = -1;
  two = (spm_issues*)model;
  CHECK_FAILS(spm_model_validate_with(model, &vopts, &two), SPM_EINVALID, "threads");
  CHECK(two == NULL);
  vopts.threads = 1;
  vopts.version = 2;
  CHECK_FAILS(spm_model_validate_with(model, &vopts, &two), SPM_EVERSION, "version");
  CHECK_FAILS(spm_model_validate_with(NULL, &vopts, &two), SPM_EINVALID, "model");
  CHECK_FAILS(spm_validate_options_init(&vopts, 0), SPM_EVERSION, "version 0");
  CHECK_FAILS(spm_validate_options_init(NULL, 1), SPM_EINVALID, "opts");
  vopts.threads = 5;
  CHECK_OK(spm_validate_options_init(&vopts, 1));
  CHECK(vopts.version == 1 && vopts.threads == 1);
  spm_model_free(model);
  spm_model_free(copy);
}

int main(void) {
  test_cascade();
  test_validate_with();
  test_scorecard();
  test_example();
  test_reviews();
  test_arrow();
  return finish();
}
