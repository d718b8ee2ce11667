/* test_capi_people.c - performance management through the C ABI: reviews with their detail
 * lines and 360-degree feedback groups, check-ins, participation, calibration, rewards,
 * training needs and outcome budgeting, every error, and anonymity: no function of spm.h gives
 * away a suppressed feedback group, also not by comparing two queries.
 *
 * The organization is tests/cli/data/people.json, the one whose numbers docs/people.md and
 * tests/cpp/test_people_*.cpp compute by hand:
 *   A: objectives O-A1 (weight 3, score 0.8) -> G1, O-A2 (weight 1, score 0.4) -> G2;
 *      review REV-A (V1 4, C1 3 on 1-5), self-assessment 5, feedback: manager M 4, peers R1..R3
 *      5, 3, 2, direct reports D1, D2 1, 1 (a group of 2: suppressed);
 *   B: objective O-B1 -> G2 without a score, review REV-B (V1 5), no self-assessment;
 *   C: no objectives, review REV-C in progress, self-assessment 3.
 *   Weights 0.4, 0.2, 0.15, 0.05, 0.2; as of 2027-01-20. */
#include <math.h>
#include <stdarg.h>

#include "check.h"

static const char* const bad_utf8 = "A\xc3\x28";
static const char* const as_of = "2027-01-20";

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

static spm_model* load(const char* name) {
  char path[512];
  spm_model* model = NULL;
  snprintf(path, sizeof path, "%s/tests/cli/data/%s", SPM_SOURCE_DIR, name);
  CHECK_OK(spm_model_load_file(&model, path));
  return model;
}

/* A cascade and a scorecard with the cycle's column, 2026. */
typedef struct scored {
  spm_cascade* cascade;
  spm_scorecard* card;
} scored;

static scored score(const spm_model* model) {
  scored s = {NULL, NULL};
  spm_score_options opts = SPM_SCORE_OPTIONS_INIT;
  const char* year[] = {"2026"};
  opts.columns = year;
  opts.column_count = 1;
  CHECK_OK(spm_cascade_compile(&s.cascade, model));
  CHECK_OK(spm_scorecard_evaluate(&s.card, s.cascade, &opts, NULL));
  return s;
}

static void unscore(scored* s) {
  spm_scorecard_free(s->card);
  spm_cascade_free(s->cascade);
}

static int contains(const char* text, const char* needle) {
  return text != NULL && strstr(text, needle) != NULL;
}

/* ---- reviews ------------------------------------------------------------------------------- */

static void test_reviews(void) {
  spm_model* model = load("people.json");
  scored s = score(model);
  spm_reviews* reviews = NULL;
  const spm_employee_review* a = NULL;
  const spm_employee_review* b = NULL;
  const spm_feedback_group* g = NULL;
  spm_buf json = SPM_BUF_INIT;
  const double peers = (1.0 + 0.5 + 0.25) / 3, feedback = (0.75 + (1.0 + 0.5 + 0.25) / 3) / 2;
  const double contribution = (1.0 * 0.8 + 0.5 * 0.4) / 1.5;
  const double final_a = 0.4 * 0.7 + 0.2 * contribution + 0.15 * 0.625 + 0.05 * 1 + 0.2 * feedback;

  CHECK_OK(spm_reviews_compute(&reviews, s.cascade, s.card, "RC", as_of));
  CHECK(spm_reviews_count(reviews) == 3);
  CHECK_OK(spm_reviews_find(reviews, "A", &a));
  CHECK_OK(spm_reviews_find(reviews, "B", &b));
  if (a == NULL || b == NULL) goto done;

  /* The components, and what each adds. */
  CHECK(NEAR(a->component_score[SPM_COMPONENT_OBJECTIVES], 0.7));
  CHECK(NEAR(a->component_score[SPM_COMPONENT_CONTRIBUTION], contribution));
  CHECK(NEAR(a->component_score[SPM_COMPONENT_VALUES], 0.625));
  CHECK(NEAR(a->component_score[SPM_COMPONENT_SELF], 1.0));
  CHECK(NEAR(a->component_score[SPM_COMPONENT_FEEDBACK], feedback));
  CHECK(NEAR(a->final_score, final_a));
  CHECK(NEAR(a->component_normalized[SPM_COMPONENT_OBJECTIVES], 0.4));
  CHECK(NEAR(b->final_score, 1.0) && NEAR(b->weight_present, 0.15));
  CHECK(NEAR(b->component_normalized[SPM_COMPONENT_VALUES], 1.0));
  CHECK(b->component_normalized[SPM_COMPONENT_OBJECTIVES] == 0);
  CHECK(isnan(b->component_score[SPM_COMPONENT_OBJECTIVES]));

  /* Objectives: O-A1 3/4 of the weight, O-A2 1/4. */
  CHECK(a->objective_count == 2);
  if (a->objective_count == 2) {
    CHECK(strcmp(a->objectives[0].objective, "O-A1") == 0);
    CHECK(a->objectives[0].weight == 3 && NEAR(a->objectives[0].score, 0.8));
    CHECK(NEAR(a->objectives[0].normalized, 0.75) && NEAR(a->objectives[0].points, 0.6));
    CHECK(strcmp(a->objectives[1].objective, "O-A2") == 0);
    CHECK(NEAR(a->objectives[1].points, 0.1));
  }
  /* B's only objective has no score: listed, left out. */
  CHECK(b->objective_count == 1 && isnan(b->objectives[0].score));
  /* Goals: G1 (attribution 1, share 2/3) before G2 (0.5, 1/3). */
  CHECK(a->goal_count == 2);
  if (a->goal_count == 2) {
    CHECK(strcmp(a->goals[0].goal, "G1") == 0 && NEAR(a->goals[0].attribution, 1.0));
    CHECK(NEAR(a->goals[0].share, 2.0 / 3) && NEAR(a->goals[0].score, 0.8));
    CHECK(strcmp(a->goals[1].goal, "G2") == 0 && NEAR(a->goals[1].attribution, 0.5));
    CHECK(NEAR(a->goals[0].points + a->goals[1].points, contribution));
  }
  /* Ratings of REV-A as given: V1 4 (0.75), C1 3 (0.5). */
  CHECK(a->rating_count == 2);
  if (a->rating_count == 2) {
    CHECK(a->ratings[0].kind == SPM_KIND_VALUE && strcmp(a->ratings[0].id, "V1") == 0);
    CHECK(a->ratings[0].rating == 4 && NEAR(a->ratings[0].score, 0.75));
    CHECK(a->ratings[1].kind == SPM_KIND_COMPETENCY && NEAR(a->ratings[1].score, 0.5));
  }
  CHECK(a->self_rating == 5 && isnan(b->self_rating));
  CHECK(b->goal_count == 1 && b->rating_count == 1);

  /* 360-degree feedback, in relation order. */
  g = &a->feedback[SPM_RELATION_MANAGER];
  CHECK(g->relation == SPM_RELATION_MANAGER && g->shown && g->threshold == 1);
  CHECK(g->responses == 1 && g->mean_rating == 4 && NEAR(g->mean_score, 0.75));
  CHECK(g->rater_count == 1 && strcmp(g->raters[0], "M") == 0 && g->raters[1] == NULL);
  CHECK(g->comment_count == 1 && strcmp(g->comments[0], "Clear priorities.") == 0);
  g = &a->feedback[SPM_RELATION_PEER];
  CHECK(g->relation == SPM_RELATION_PEER && g->shown && g->threshold == 3);
  CHECK(g->responses == 3 && NEAR(g->mean_rating, 10.0 / 3) && NEAR(g->mean_score, peers));
  CHECK(g->rater_count == 0 && g->raters != NULL && g->raters[0] == NULL); /* peers unnamed */
  CHECK(g->comment_count == 2);
  if (g->comment_count == 2) { /* sorted, not in rater order */
    CHECK(strcmp(g->comments[0], "Always helps.") == 0);
    CHECK(strcmp(g->comments[1], "Late replies.") == 0);
  }
  /* Two direct reports: below the threshold of 3, so nothing at all. */
  g = &a->feedback[SPM_RELATION_DIRECT_REPORT];
  CHECK(g->relation == SPM_RELATION_DIRECT_REPORT && !g->shown && g->threshold == 3);
  CHECK(g->responses == 0 && isnan(g->mean_rating) && isnan(g->mean_score));
  CHECK(g->rater_count == 0 && g->comment_count == 0);
  /* No response at all looks the same as a suppressed group. */
  CHECK(!a->feedback[SPM_RELATION_OTHER].shown && a->feedback[SPM_RELATION_OTHER].responses == 0);
  CHECK(a->feedback[SPM_RELATION_SELF].relation == SPM_RELATION_SELF);
  CHECK(!b->feedback[SPM_RELATION_MANAGER].shown);
  CHECK(strcmp(spm_rater_relation_name(SPM_RELATION_DIRECT_REPORT), "direct_report") == 0);
  CHECK(strcmp(spm_rater_relation_name((spm_rater_relation)99), "") == 0);

  /* As JSON: the document `spm review --format json` prints. */
  CHECK_OK(spm_reviews_to_json(reviews, model, NULL, &json));
  CHECK(contains(json.ptr, "\"cycle\": \"RC\"") && contains(json.ptr, "\"name\": \"Ann\""));
  CHECK(json.size == strlen(json.ptr) && json.ptr[json.size - 1] == '\n');
  CHECK(!contains(json.ptr, "\"feedback\": [")); /* no detail lines */
  spm_buf_dispose(&json);
  CHECK_OK(spm_reviews_to_json(reviews, model, "A", &json));
  CHECK(contains(json.ptr,
                 "\"relation\": \"direct_report\",\n      \"shown\": false,\n      "
                 "\"threshold\": 3\n    }"));
  CHECK(!contains(json.ptr, "SECRET") && !contains(json.ptr, "D1"));
  spm_buf_dispose(&json);
  CHECK_FAILS(spm_reviews_to_json(reviews, model, "R1", &json), SPM_ENOTFOUND, "'R1'");
  CHECK(json.ptr == NULL && json.size == 0);
  CHECK_FAILS(spm_reviews_to_json(reviews, NULL, NULL, &json), SPM_EINVALID, "names");
  CHECK_FAILS(spm_reviews_to_json(NULL, model, NULL, &json), SPM_EINVALID, "reviews");
  CHECK_FAILS(spm_reviews_to_json(reviews, model, NULL, NULL), SPM_EINVALID, "out");
  CHECK_FAILS(spm_reviews_to_json(reviews, model, bad_utf8, &json), SPM_EINVALID, "UTF-8");
done:
  spm_reviews_free(reviews);
  unscore(&s);
  spm_model_free(model);
}

/* Bad review data is refused with every problem named. */
static void test_bad_review_data(void) {
  spm_model* model = load("people_bad_rating.json");
  scored s = score(model);
  spm_reviews* reviews = NULL;
  static const char negative[] =
      "{\"id\": \"RC\", \"first\": \"2026-01\", \"last\": \"2026-12\", \"weights\": "
      "{\"objectives\": -1, \"contribution\": 0, \"values\": 0, \"self\": 0, \"feedback\": 0}}";
  static const char zero[] =
      "{\"id\": \"RC\", \"first\": \"2026-01\", \"last\": \"2026-12\", \"weights\": "
      "{\"objectives\": 0, \"contribution\": 0, \"values\": 0, \"self\": 0, \"feedback\": 0}}";
  CHECK_FAILS(spm_reviews_compute(&reviews, s.cascade, s.card, "RC", as_of), SPM_EVALIDATION,
              "outside");
  CHECK(reviews == NULL);
  unscore(&s);
  spm_model_free(model);

  /* A reviewer reviewing themselves: the model refuses it on load already. */
  model = NULL;
  {
    char path[512];
    snprintf(path, sizeof path, "%s/tests/cli/data/people_self_review.json", SPM_SOURCE_DIR);
    CHECK_FAILS(spm_model_load_file(&model, path), SPM_EVALIDATION, "own reviewer");
    CHECK(model == NULL);
  }
  /* ... and on edit. */
  model = load("people.json");
  CHECK_FAILS(
      spm_model_update_json(model, SPM_KIND_REVIEW,
                            JSON("{\"id\": \"REV-A\", \"cycle\": \"RC\", \"employee\": \"A\", "
                                 "\"reviewer\": \"A\"}")),
      SPM_EVALIDATION, "own reviewer");
  /* ... and a rater giving themselves feedback other than self feedback. */
  CHECK_FAILS(spm_model_add_json(model, SPM_KIND_FEEDBACK,
                                 JSON("{\"id\": \"F9\", \"cycle\": \"RC\", \"subject\": \"A\", "
                                      "\"rater\": \"A\", \"relation\": \"peer\", \"rating\": 5}")),
              SPM_EVALIDATION, "F9");
  /* Weights that make no sense. */
  CHECK_FAILS(spm_model_update_json(model, SPM_KIND_REVIEW_CYCLE, JSON(negative)), SPM_EVALIDATION,
              "weights");
  CHECK_FAILS(spm_model_update_json(model, SPM_KIND_REVIEW_CYCLE, JSON(zero)), SPM_EVALIDATION,
              "weights");
  spm_model_free(model);
}

static void test_review_errors(void) {
  spm_model* model = load("people.json");
  scored s = score(model);
  spm_refs* ids = NULL;
  const spm_ref* ref = NULL;
  double x = 0;
  CHECK_OK(spm_cycle_employees(model, "RC", as_of, &ids));
  CHECK(spm_refs_count(ids) == 3);
  CHECK_OK(spm_refs_get(ids, 2, &ref));
  CHECK(ref != NULL && ref->kind == SPM_KIND_EMPLOYEE && strcmp(ref->id, "C") == 0);
  spm_refs_free(ids);
  CHECK_FAILS(spm_cycle_employees(model, "NOPE", as_of, &ids), SPM_ENOTFOUND, "NOPE");
  CHECK(ids == NULL);
  CHECK_FAILS(spm_cycle_employees(model, "RC", "2027-1-20", &ids), SPM_EINVALID, "2027-1-20");
  CHECK_FAILS(spm_cycle_employees(model, "RC", NULL, &ids), SPM_EINVALID, "as_of");
  CHECK_FAILS(spm_cycle_employees(NULL, "RC", as_of, &ids), SPM_EINVALID, "model");

  /* Ratings on the cycle's scale, 1-5 linear: 1 -> 0, 4 -> 0.75, 5 -> 1. */
  CHECK_OK(spm_cycle_rating_score(model, "RC", 4, &x));
  CHECK(NEAR(x, 0.75));
  CHECK_OK(spm_cycle_rating_score(model, "RC", 1, &x));
  CHECK(x == 0);
  CHECK_FAILS(spm_cycle_rating_score(model, "RC", 6, &x), SPM_EINVALID, "6");
  CHECK_FAILS(spm_cycle_rating_score(model, "RC", 0.5, &x), SPM_EINVALID, "0.5");
  CHECK_FAILS(spm_cycle_rating_score(model, "RC", NAN, &x), SPM_EINVALID, "");
  CHECK_FAILS(spm_cycle_rating_score(model, "RC9", 3, &x), SPM_ENOTFOUND, "RC9");
  CHECK_FAILS(spm_cycle_rating_score(model, bad_utf8, 3, &x), SPM_EINVALID, "UTF-8");
  CHECK_FAILS(spm_cycle_rating_score(model, "RC", 3, NULL), SPM_EINVALID, "out");
  unscore(&s);
  spm_model_free(model);
}

/* ---- check-ins ----------------------------------------------------------------------------- */

static void test_check_ins(void) {
  spm_model* model = load("people.json");
  spm_check_ins* report = NULL;
  const spm_check_in_status* st = NULL;
  spm_buf json = SPM_BUF_INIT;
  CHECK_OK(spm_check_ins_compute(&report, model, "RC", as_of));
  CHECK(spm_check_ins_count(report) == 3);
  CHECK(spm_check_ins_overdue(report) == 2);
  CHECK(spm_check_ins_cadence_days(report) == 30);
  /* A: the latest of two, 2026-12-25, 26 days before as_of; due 30 days after it. */
  CHECK_OK(spm_check_ins_get(report, 0, &st));
  if (st != NULL) {
    CHECK(strcmp(st->employee, "A") == 0 && st->in_cycle == 2);
    CHECK(strcmp(st->last, "2026-12-25") == 0 && st->days_since == 26);
    CHECK(strcmp(st->due, "2027-01-24") == 0 && st->expected && !st->overdue);
  }
  /* B: 50 days since 2026-12-01: overdue. */
  CHECK_OK(spm_check_ins_get(report, 1, &st));
  if (st != NULL) CHECK(st->days_since == 50 && st->overdue && strcmp(st->due, "2026-12-31") == 0);
  /* C: none at all: counted from the span's first day, 2026-01-01. */
  CHECK_OK(spm_check_ins_get(report, 2, &st));
  if (st != NULL) {
    CHECK(st->in_cycle == 0 && strcmp(st->last, "") == 0 && st->days_since == 384);
    CHECK(st->overdue);
  }
  CHECK_OK(spm_check_ins_to_json(report, &json));
  CHECK(contains(json.ptr, "\"overdue\": 2") && contains(json.ptr, "\"last\": null"));
  spm_buf_dispose(&json);
  CHECK_FAILS(spm_check_ins_get(report, 3, &st), SPM_EINVALID, "out of range");
  CHECK(st == NULL);
  CHECK_FAILS(spm_check_ins_get(report, 0, NULL), SPM_EINVALID, "out");
  CHECK_FAILS(spm_check_ins_get(NULL, 0, &st), SPM_EINVALID, "report");
  CHECK_FAILS(spm_check_ins_to_json(NULL, &json), SPM_EINVALID, "report");
  CHECK_FAILS(spm_check_ins_to_json(report, NULL), SPM_EINVALID, "out");
  spm_check_ins_free(report);
  spm_check_ins_free(NULL);
  CHECK(spm_check_ins_count(NULL) == 0 && spm_check_ins_overdue(NULL) == 0);
  CHECK(spm_check_ins_cadence_days(NULL) == 0);

  CHECK_FAILS(spm_check_ins_compute(&report, model, "RC-1999", as_of), SPM_ENOTFOUND, "RC-1999");
  CHECK(report == NULL);
  CHECK_FAILS(spm_check_ins_compute(&report, model, "RC", "2027-02-30"), SPM_EINVALID,
              "2027-02-30");
  CHECK_FAILS(spm_check_ins_compute(&report, model, "RC", "yesterday"), SPM_EINVALID, "yesterday");
  CHECK_FAILS(spm_check_ins_compute(&report, model, bad_utf8, as_of), SPM_EINVALID, "UTF-8");
  CHECK_FAILS(spm_check_ins_compute(&report, NULL, "RC", as_of), SPM_EINVALID, "model");
  CHECK_FAILS(spm_check_ins_compute(NULL, model, "RC", as_of), SPM_EINVALID, "out");
  spm_model_free(model);
}

/* ---- participation ------------------------------------------------------------------------- */

static void test_participation(void) {
  spm_model* model = load("people.json");
  scored s = score(model);
  spm_participation* p = NULL;
  spm_participation_query q = SPM_PARTICIPATION_QUERY_INIT;
  spm_participation_query q2;
  const spm_participation_row* row = NULL;
  spm_buf json = SPM_BUF_INIT;
  int c;

  CHECK_OK(spm_participation_query_init(&q2, SPM_PARTICIPATION_QUERY_VERSION));
  CHECK(q2.version == q.version && q2.cycle == NULL && q2.cadence_days == 30);
  CHECK_FAILS(spm_participation_query_init(&q2, 0), SPM_EVERSION, "version");
  CHECK_FAILS(spm_participation_query_init(&q2, 2), SPM_EVERSION, "version");
  CHECK_FAILS(spm_participation_query_init(NULL, 1), SPM_EINVALID, "query");

  q.cycle = "RC";
  q.as_of = as_of;
  CHECK_OK(spm_participation_compute(&p, s.cascade, &q));
  /* The organization, DIV, U1, U2 and the manager M. */
  CHECK(spm_participation_count(p) == 5);
  CHECK_OK(spm_participation_get(p, 0, &row));
  if (row != NULL) {
    CHECK(row->kind == SPM_GROUP_ORGANIZATION && strcmp(row->id, "") == 0);
    CHECK(strcmp(row->name, "People Test") == 0 && row->employees == 3);
    for (c = 0; c < SPM_CRITERION_COUNT; ++c) CHECK(row->applies[c]);
    CHECK(row->met[SPM_CRITERION_OBJECTIVES] == 2);
    CHECK(NEAR(row->share[SPM_CRITERION_OBJECTIVES], 2.0 / 3));
    CHECK(row->missing_count[SPM_CRITERION_OBJECTIVES] == 1);
    CHECK(strcmp(row->missing[SPM_CRITERION_OBJECTIVES][0], "C") == 0);
    CHECK(row->missing[SPM_CRITERION_OBJECTIVES][1] == NULL);
    /* Check-ins: only A's is within 30 days. */
    CHECK(row->met[SPM_CRITERION_CHECK_IN] == 1 && row->missing_count[SPM_CRITERION_CHECK_IN] == 2);
    CHECK(strcmp(row->missing[SPM_CRITERION_CHECK_IN][0], "B") == 0);
    CHECK(strcmp(row->missing[SPM_CRITERION_CHECK_IN][1], "C") == 0);
    CHECK(strcmp(row->missing[SPM_CRITERION_SELF_ASSESSMENT][0], "B") == 0);
    /* Enough feedback: only A (manager and peers shown). */
    CHECK(row->met[SPM_CRITERION_FEEDBACK] == 1);
    CHECK(row->met[SPM_CRITERION_REVIEW] == 2);
    CHECK(strcmp(row->missing[SPM_CRITERION_REVIEW][0], "C") == 0);
  }
  CHECK_OK(spm_participation_find(p, SPM_GROUP_UNIT, "U1", &row));
  if (row != NULL) {
    CHECK(row->kind == SPM_GROUP_UNIT && strcmp(row->name, "Unit One") == 0);
    CHECK(row->employees == 2 && NEAR(row->share[SPM_CRITERION_CHECK_IN], 0.5));
  }
  CHECK_OK(spm_participation_find(p, SPM_GROUP_MANAGER, "M", &row));
  if (row != NULL) CHECK(row->employees == 3 && strcmp(row->name, "Mona Manager") == 0);
  CHECK_OK(spm_participation_find(p, SPM_GROUP_DIVISION, "DIV", &row));
  CHECK_FAILS(spm_participation_find(p, SPM_GROUP_TEAM, "U1", &row), SPM_ENOTFOUND, "U1");
  CHECK(row == NULL);
  CHECK_FAILS(spm_participation_find(p, (spm_group_kind)7, "U1", &row), SPM_EINVALID, "7");
  CHECK_FAILS(spm_participation_find(p, SPM_GROUP_UNIT, bad_utf8, &row), SPM_EINVALID, "UTF-8");
  CHECK_FAILS(spm_participation_get(p, 5, &row), SPM_EINVALID, "out of range");
  CHECK_OK(spm_participation_to_json(p, model, &json));
  CHECK(contains(json.ptr, "\"organization\": [") && contains(json.ptr, "\"manager\": ["));
  CHECK(contains(json.ptr, "\"self_assessment\": {"));
  spm_buf_dispose(&json);
  CHECK_FAILS(spm_participation_to_json(p, NULL, &json), SPM_EINVALID, "names");
  CHECK_FAILS(spm_participation_to_json(NULL, model, &json), SPM_EINVALID, "report");
  spm_participation_free(p);
  spm_participation_free(NULL);
  CHECK(spm_participation_count(NULL) == 0);
  CHECK(strcmp(spm_criterion_name(SPM_CRITERION_SELF_ASSESSMENT), "self_assessment") == 0);
  CHECK(strcmp(spm_criterion_name((spm_criterion)-1), "") == 0);
  CHECK(strcmp(spm_group_kind_name(SPM_GROUP_MANAGER), "manager") == 0);
  CHECK(strcmp(spm_group_kind_name((spm_group_kind)5), "") == 0);

  /* A period: everyone employed in 2026 (nine), and the cycle-only criteria do not apply. */
  q.cycle = NULL;
  q.period = "2026";
  q.cadence_days = 45;
  CHECK_OK(spm_participation_compute(&p, s.cascade, &q));
  CHECK_OK(spm_participation_get(p, 0, &row));
  if (row != NULL) {
    CHECK(row->employees == 9);
    CHECK(row->applies[SPM_CRITERION_OBJECTIVES] && row->applies[SPM_CRITERION_CHECK_IN]);
    for (c = SPM_CRITERION_SELF_ASSESSMENT; c < SPM_CRITERION_COUNT; ++c) {
      CHECK(!row->applies[c] && isnan(row->share[c]) && row->missing_count[c] == 0);
    }
    /* Two employees with objectives, A and B. */
    CHECK(row->met[SPM_CRITERION_OBJECTIVES] == 2);
  }
  spm_participation_free(p);

  /* Bad queries. */
  q.cycle = "RC";
  CHECK_FAILS(spm_participation_compute(&p, s.cascade, &q), SPM_EINVALID, "not both");
  CHECK(p == NULL);
  q.cycle = NULL;
  q.period = NULL;
  CHECK_FAILS(spm_participation_compute(&p, s.cascade, &q), SPM_EINVALID, "cycle or a period");
  q.period = "2026-13";
  CHECK_FAILS(spm_participation_compute(&p, s.cascade, &q), SPM_EINVALID, "2026-13");
  q.period = "2026";
  q.cadence_days = -1;
  CHECK_FAILS(spm_participation_compute(&p, s.cascade, &q), SPM_EINVALID, "cadence");
  q.cadence_days = 30;
  q.as_of = "2027-02-29";
  CHECK_FAILS(spm_participation_compute(&p, s.cascade, &q), SPM_EINVALID, "2027-02-29");
  q.as_of = NULL;
  CHECK_FAILS(spm_participation_compute(&p, s.cascade, &q), SPM_EINVALID, "as_of");
  q.as_of = as_of;
  q.period = NULL;
  q.cycle = "RC-1999";
  CHECK_FAILS(spm_participation_compute(&p, s.cascade, &q), SPM_ENOTFOUND, "RC-1999");
  q.cycle = bad_utf8;
  CHECK_FAILS(spm_participation_compute(&p, s.cascade, &q), SPM_EINVALID, "UTF-8");
  q.cycle = "RC";
  q.version = 0;
  CHECK_FAILS(spm_participation_compute(&p, s.cascade, &q), SPM_EVERSION, "version 0");
  q.version = SPM_PARTICIPATION_QUERY_VERSION + 1;
  CHECK_FAILS(spm_participation_compute(&p, s.cascade, &q), SPM_EVERSION, "version 2");
  q.version = SPM_PARTICIPATION_QUERY_VERSION;
  CHECK_FAILS(spm_participation_compute(&p, NULL, &q), SPM_EINVALID, "cascade");
  CHECK_FAILS(spm_participation_compute(&p, s.cascade, NULL), SPM_EINVALID, "query");
  CHECK_FAILS(spm_participation_compute(NULL, s.cascade, &q), SPM_EINVALID, "out");
  /* After an edit of the model, the cascade is stale. */
  CHECK_OK(spm_model_remove(model, SPM_KIND_CHECK_IN, "CI3"));
  CHECK_FAILS(spm_participation_compute(&p, s.cascade, &q), SPM_ESTALE, "stale");
  unscore(&s);
  spm_model_free(model);
}

/* ---- calibration --------------------------------------------------------------------------- */

static void test_calibration(void) {
  spm_model* model = load("people.json");
  scored s = score(model);
  spm_reviews* reviews = NULL;
  spm_calibration* cal = NULL;
  const spm_distribution* d = NULL;
  const spm_calibration_line* l = NULL;
  const spm_employee_review* a = NULL;
  spm_buf json = SPM_BUF_INIT;
  double fa, mean, sd;
  CHECK_OK(spm_reviews_compute(&reviews, s.cascade, s.card, "RC", as_of));
  CHECK_OK(spm_reviews_find(reviews, "A", &a));
  fa = a != NULL ? a->final_score : 0;
  mean = (fa + 1.0 + 0.5) / 3;
  sd =
      sqrt(((fa - mean) * (fa - mean) + (1 - mean) * (1 - mean) + (0.5 - mean) * (0.5 - mean)) / 3);

  CHECK_OK(spm_calibration_compute(&cal, reviews, 1.3));
  /* The organization, the manager M, the units U1 and U2. */
  CHECK(spm_calibration_distribution_count(cal) == 4);
  CHECK_OK(spm_calibration_distribution_get(cal, 0, &d));
  if (d != NULL) {
    CHECK(d->kind == SPM_GROUP_ORGANIZATION && d->count == 3);
    CHECK(NEAR(d->mean, mean) && NEAR(d->sd, sd) && d->min == 0.5 && d->max == 1);
    CHECK(NEAR(d->median, fa) && NEAR(d->q1, (0.5 + fa) / 2) && NEAR(d->q3, (fa + 1) / 2));
  }
  CHECK_OK(spm_calibration_distribution_get(cal, 1, &d));
  if (d != NULL) CHECK(d->kind == SPM_GROUP_MANAGER && strcmp(d->id, "M") == 0 && d->count == 3);
  CHECK_OK(spm_calibration_distribution_get(cal, 2, &d));
  if (d != NULL) CHECK(d->kind == SPM_GROUP_UNIT && strcmp(d->id, "U1") == 0 && d->count == 2);
  CHECK_OK(spm_calibration_distribution_get(cal, 3, &d));
  if (d != NULL) CHECK(strcmp(d->id, "U2") == 0 && d->count == 1 && d->sd == 0 && d->median == 0.5);

  CHECK(spm_calibration_count(cal) == 3);
  CHECK_OK(spm_calibration_get(cal, 1, &l));
  if (l != NULL) {
    /* B: z = (1 - mean) / sd = 1.31 > 1.3 in the organization; +1 within U1. */
    CHECK(strcmp(l->employee, "B") == 0 && strcmp(l->unit, "U1") == 0);
    CHECK(NEAR(l->z_organization, (1 - mean) / sd) && NEAR(l->z_manager, (1 - mean) / sd));
    CHECK(NEAR(l->z_unit, 1.0) && l->outlier);
  }
  CHECK_OK(spm_calibration_get(cal, 2, &l));
  if (l != NULL) CHECK(isnan(l->z_unit) && !l->outlier); /* C is alone in U2 */
  CHECK_OK(spm_calibration_to_json(cal, &json));
  CHECK(contains(json.ptr, "\"cycle\": \"RC\",\n  \"outlier_z\": 1.3"));
  spm_buf_dispose(&json);
  CHECK_FAILS(spm_calibration_get(cal, 3, &l), SPM_EINVALID, "out of range");
  CHECK_FAILS(spm_calibration_distribution_get(NULL, 0, &d), SPM_EINVALID, "calibration");
  spm_calibration_free(cal);
  spm_calibration_free(NULL);
  CHECK(spm_calibration_count(NULL) == 0 && spm_calibration_distribution_count(NULL) == 0);

  CHECK_FAILS(spm_calibration_compute(&cal, reviews, 0), SPM_EINVALID, "outlier");
  CHECK(cal == NULL);
  CHECK_FAILS(spm_calibration_compute(&cal, reviews, -2), SPM_EINVALID, "outlier");
  CHECK_FAILS(spm_calibration_compute(&cal, reviews, NAN), SPM_EINVALID, "outlier");
  CHECK_FAILS(spm_calibration_compute(&cal, reviews, INFINITY), SPM_EINVALID, "outlier");
  CHECK_FAILS(spm_calibration_compute(&cal, NULL, 2), SPM_EINVALID, "reviews");
  CHECK_FAILS(spm_calibration_compute(NULL, reviews, 2), SPM_EINVALID, "out");
  CHECK_FAILS(spm_calibration_to_json(NULL, &json), SPM_EINVALID, "calibration");
  spm_reviews_free(reviews);
  unscore(&s);
  spm_model_free(model);
}

/* ---- rewards ------------------------------------------------------------------------------- */

static void test_rewards(void) {
  spm_model* model = load("people.json");
  scored s = score(model);
  spm_reviews* reviews = NULL;
  spm_rewards* rw = NULL;
  spm_reward_rules rules = SPM_REWARD_RULES_INIT, defaults;
  const spm_reward_share* sh = NULL;
  spm_buf json = SPM_BUF_INIT;
  int64_t pool = -1, allocated = -1;
  CHECK_OK(spm_reviews_compute(&reviews, s.cascade, s.card, "RC", as_of));

  CHECK_OK(spm_reward_rules_init(&defaults, SPM_REWARD_RULES_VERSION));
  CHECK(defaults.version == 1 && defaults.pool == 0 && defaults.require_completed_review == 1);
  CHECK(defaults.final_exponent == 1 && defaults.contribution_exponent == 0);
  CHECK_FAILS(spm_reward_rules_init(&defaults, 0), SPM_EVERSION, "version");
  CHECK_FAILS(spm_reward_rules_init(&defaults, 2), SPM_EVERSION, "version");
  CHECK_FAILS(spm_reward_rules_init(NULL, 1), SPM_EINVALID, "rules");

  /* 1000 divided by final score among the completed reviews: A 0.690417, B 1; C is in
   * progress. A: 1000 * 0.690417 / 1.690417 = 408.43, traced 2/3 to G1 and 1/3 to G2. */
  rules.pool = 1000;
  CHECK_OK(spm_rewards_compute(&rw, reviews, &rules));
  CHECK(spm_rewards_count(rw) == 3);
  CHECK_OK(spm_rewards_totals(rw, &pool, &allocated));
  CHECK(pool == 100000 && allocated == 100000);
  CHECK_OK(spm_rewards_get(rw, 0, &sh));
  if (sh != NULL) {
    CHECK(strcmp(sh->employee, "A") == 0 && sh->eligible && strcmp(sh->reason, "") == 0);
    CHECK(sh->cents == 40843 && fabs(sh->exact - 408.43) < 0.005);
    CHECK(sh->goal_count == 2);
    if (sh->goal_count == 2) {
      CHECK(strcmp(sh->goals[0].goal, "G1") == 0 && sh->goals[0].cents == 27229);
      CHECK(strcmp(sh->goals[1].goal, "G2") == 0 && sh->goals[1].cents == 13614);
    }
  }
  CHECK_OK(spm_rewards_get(rw, 1, &sh));
  if (sh != NULL) CHECK(sh->cents == 59157 && sh->goal_count == 1 && NEAR(sh->basis, 1.0));
  CHECK_OK(spm_rewards_get(rw, 2, &sh));
  if (sh != NULL) {
    CHECK(!sh->eligible && sh->cents == 0 && contains(sh->reason, "review"));
    CHECK(sh->basis == 0 && sh->goal_count == 0 && sh->goals != NULL);
  }
  CHECK_OK(spm_rewards_to_json(rw, &json));
  CHECK(contains(json.ptr, "\"pool\": \"1000.00\"") && contains(json.ptr, "\"cents\": 40843"));
  spm_buf_dispose(&json);
  CHECK_FAILS(spm_rewards_get(rw, 3, &sh), SPM_EINVALID, "out of range");
  CHECK_OK(spm_rewards_totals(rw, NULL, NULL));
  spm_rewards_free(rw);

  /* Weighing contribution: B has no contribution score, so is not eligible, and A takes all. */
  rules.contribution_exponent = 1;
  CHECK_OK(spm_rewards_compute(&rw, reviews, &rules));
  CHECK_OK(spm_rewards_get(rw, 0, &sh));
  if (sh != NULL) CHECK(sh->cents == 100000);
  CHECK_OK(spm_rewards_get(rw, 1, &sh));
  if (sh != NULL) CHECK(!sh->eligible && contains(sh->reason, "contribution"));
  spm_rewards_free(rw);

  /* A minimum score above everyone's: nothing is allocated. */
  rules.contribution_exponent = 0;
  rules.min_final_score = 1.5;
  CHECK_OK(spm_rewards_compute(&rw, reviews, &rules));
  CHECK_OK(spm_rewards_totals(rw, &pool, &allocated));
  CHECK(pool == 100000 && allocated == 0);
  spm_rewards_free(rw);

  /* NULL rules: the defaults, a pool of 0. */
  CHECK_OK(spm_rewards_compute(&rw, reviews, NULL));
  CHECK_OK(spm_rewards_totals(rw, &pool, &allocated));
  CHECK(pool == 0 && allocated == 0);
  spm_rewards_free(rw);
  spm_rewards_free(NULL);
  CHECK(spm_rewards_count(NULL) == 0);

  /* Rules that make no sense. */
  rules.min_final_score = 0;
  rules.pool = -1;
  CHECK_FAILS(spm_rewards_compute(&rw, reviews, &rules), SPM_EINVALID, "pool");
  CHECK(rw == NULL);
  rules.pool = NAN;
  CHECK_FAILS(spm_rewards_compute(&rw, reviews, &rules), SPM_EINVALID, "pool");
  rules.pool = 1000;
  rules.final_exponent = -1;
  CHECK_FAILS(spm_rewards_compute(&rw, reviews, &rules), SPM_EINVALID, "final_exponent");
  rules.final_exponent = 1;
  rules.contribution_exponent = INFINITY;
  CHECK_FAILS(spm_rewards_compute(&rw, reviews, &rules), SPM_EINVALID, "contribution_exponent");
  rules.contribution_exponent = 0;
  rules.min_final_score = NAN;
  CHECK_FAILS(spm_rewards_compute(&rw, reviews, &rules), SPM_EINVALID, "min_final_score");
  rules.min_final_score = 0;
  rules.version = 0;
  CHECK_FAILS(spm_rewards_compute(&rw, reviews, &rules), SPM_EVERSION, "spm_reward_rules");
  rules.version = 99;
  CHECK_FAILS(spm_rewards_compute(&rw, reviews, &rules), SPM_EVERSION, "99");
  rules.version = SPM_REWARD_RULES_VERSION;
  CHECK_FAILS(spm_rewards_compute(&rw, NULL, &rules), SPM_EINVALID, "reviews");
  CHECK_FAILS(spm_rewards_compute(NULL, reviews, &rules), SPM_EINVALID, "out");
  CHECK_FAILS(spm_rewards_totals(NULL, &pool, &allocated), SPM_EINVALID, "rewards");
  CHECK_FAILS(spm_rewards_to_json(NULL, &json), SPM_EINVALID, "rewards");
  spm_reviews_free(reviews);
  unscore(&s);
  spm_model_free(model);
}

/* ---- training needs and outcome budgeting -------------------------------------------------- */

static void test_training_and_budget(void) {
  spm_model* model = load("people.json");
  scored s = score(model);
  spm_training_needs* t = NULL;
  const spm_training_gap* gap = NULL;
  const spm_unit_training_need* u = NULL;
  const spm_ref* ref = NULL;
  spm_outcome_budget* b = NULL;
  const spm_strategy_outcome* so = NULL;
  spm_buf json = SPM_BUF_INIT;
  spm_model* other = load("people.json");
  scored os = score(other);

  /* A needs C1 at level 4 for O-A1; REV-A rated it 3 on 1-5: 0.5 x 5 = level 2.5, a gap of
   * 1.5. */
  CHECK_OK(spm_training_needs_compute(&t, s.cascade, "RC", as_of));
  CHECK(spm_training_needs_gap_count(t) == 1);
  CHECK_OK(spm_training_needs_gap_get(t, 0, &gap));
  if (gap != NULL) {
    CHECK(strcmp(gap->employee, "A") == 0 && strcmp(gap->competency, "C1") == 0);
    CHECK(gap->required == 4 && NEAR(gap->assessed, 2.5) && NEAR(gap->gap, 1.5));
    CHECK(gap->objective_count == 1 && strcmp(gap->objectives[0], "O-A1") == 0);
  }
  CHECK(spm_training_needs_unit_count(t) == 1);
  CHECK_OK(spm_training_needs_unit_get(t, 0, &u));
  if (u != NULL) {
    CHECK(strcmp(u->unit, "U1") == 0 && NEAR(u->total_gap, 1.5));
    CHECK(u->employees_with_gap == 1 && u->not_assessed == 0);
    CHECK(spm_refs_count(u->goals) == 1);
    CHECK_OK(spm_refs_get(u->goals, 0, &ref));
    if (ref != NULL) CHECK(ref->kind == SPM_KIND_GOAL && strcmp(ref->id, "G1") == 0);
  }
  CHECK_OK(spm_training_needs_to_json(t, &json));
  CHECK(contains(json.ptr, "\"as_of\": \"2027-01-20\"") && contains(json.ptr, "\"gap\": 1.5"));
  spm_buf_dispose(&json);
  CHECK_FAILS(spm_training_needs_unit_get(t, 1, &u), SPM_EINVALID, "out of range");
  CHECK_FAILS(spm_training_needs_gap_get(NULL, 0, &gap), SPM_EINVALID, "needs");
  spm_training_needs_free(t);
  spm_training_needs_free(NULL);
  CHECK(spm_training_needs_gap_count(NULL) == 0 && spm_training_needs_unit_count(NULL) == 0);
  CHECK_FAILS(spm_training_needs_compute(&t, s.cascade, "NOPE", as_of), SPM_ENOTFOUND, "NOPE");
  CHECK(t == NULL);
  CHECK_FAILS(spm_training_needs_compute(&t, s.cascade, "RC", "2027-00-01"), SPM_EINVALID,
              "2027-00-01");
  CHECK_FAILS(spm_training_needs_compute(&t, NULL, "RC", as_of), SPM_EINVALID, "cascade");
  CHECK_FAILS(spm_training_needs_compute(&t, s.cascade, NULL, as_of), SPM_EINVALID, "cycle");

  /* S1: the 2026 budget (500000) and the whole Q4 one (100000) fall in 2026, 2025's does not.
   * It serves G3 (score 0.6) beside G3's measure, so with weight 1/2: outcome 0.6 per 0.6
   * million = 1.0 per million. */
  CHECK_OK(spm_outcome_budget_compute(&b, s.cascade, s.card, 0, 1e6));
  CHECK(spm_outcome_budget_count(b) == 1);
  CHECK_OK(spm_outcome_budget_get(b, 0, &so));
  if (so != NULL) {
    CHECK(strcmp(so->strategy, "S1") == 0 && so->budget == 600000);
    CHECK(strcmp(so->currency, "EUR") == 0 && isnan(so->strategy_score));
    CHECK(NEAR(so->outcome, 0.6) && NEAR(so->outcome_per_spend, 1.0));
    CHECK(so->goal_count == 1 && strcmp(so->goals[0].goal, "G3") == 0);
    CHECK(so->goals[0].weight == 0.5 && NEAR(so->goals[0].score, 0.6));
  }
  CHECK_OK(spm_outcome_budget_to_json(b, &json));
  CHECK(contains(json.ptr, "\"spend_unit\": 1000000.0"));
  spm_buf_dispose(&json);
  CHECK_FAILS(spm_outcome_budget_get(b, 1, &so), SPM_EINVALID, "out of range");
  spm_outcome_budget_free(b);
  spm_outcome_budget_free(NULL);
  CHECK(spm_outcome_budget_count(NULL) == 0);
  /* Per thousand: outcome 0.6 per 600 thousand. */
  CHECK_OK(spm_outcome_budget_compute(&b, s.cascade, s.card, 0, 1e3));
  CHECK_OK(spm_outcome_budget_get(b, 0, &so));
  if (so != NULL) CHECK(NEAR(so->outcome_per_spend, 0.001));
  spm_outcome_budget_free(b);
  CHECK_FAILS(spm_outcome_budget_compute(&b, s.cascade, s.card, 1, 1e6), SPM_EINVALID,
              "out of range");
  CHECK(b == NULL);
  CHECK_FAILS(spm_outcome_budget_compute(&b, s.cascade, s.card, 0, 0), SPM_EINVALID, "spend");
  CHECK_FAILS(spm_outcome_budget_compute(&b, s.cascade, s.card, 0, NAN), SPM_EINVALID, "spend");
  CHECK_FAILS(spm_outcome_budget_compute(&b, s.cascade, os.card, 0, 1e6), SPM_EINVALID,
              "cascade's model");
  CHECK_FAILS(spm_outcome_budget_compute(&b, NULL, s.card, 0, 1e6), SPM_EINVALID, "cascade");
  CHECK_FAILS(spm_outcome_budget_compute(&b, s.cascade, NULL, 0, 1e6), SPM_EINVALID, "card");
  CHECK_FAILS(spm_outcome_budget_to_json(NULL, &json), SPM_EINVALID, "budget");
  /* A strategy whose budgets mix currencies. */
  CHECK_OK(spm_model_update_json(model, SPM_KIND_BUDGET,
                                 JSON("{\"id\": \"B-2026Q4\", \"strategy\": \"S1\", \"period\": "
                                      "\"2026-Q4\", \"amount\": 100000, \"currency\": \"USD\"}")));
  unscore(&s);
  s = score(model);
  CHECK_FAILS(spm_outcome_budget_compute(&b, s.cascade, s.card, 0, 1e6), SPM_EINVALID, "S1");
  /* Stale after an edit. */
  CHECK_OK(spm_model_remove(model, SPM_KIND_BUDGET, "B-2025"));
  CHECK_FAILS(spm_outcome_budget_compute(&b, s.cascade, s.card, 0, 1e6), SPM_ESTALE, "stale");
  CHECK_FAILS(spm_training_needs_compute(&t, s.cascade, "RC", as_of), SPM_ESTALE, "stale");
  unscore(&s);
  unscore(&os);
  spm_model_free(other);
  spm_model_free(model);
}

/* ---- anonymity ----------------------------------------------------------------------------- */

/* A growing text. */
typedef struct text {
  char* ptr;
  size_t size, capacity;
} text;

static void add(text* t, const char* format, ...) {
  va_list args;
  int n;
  va_start(args, format);
  n = vsnprintf(NULL, 0, format, args);
  va_end(args);
  if (n < 0) return;
  if (t->size + (size_t)n + 1 > t->capacity) {
    size_t cap = (t->capacity + (size_t)n + 1) * 2;
    char* p = (char*)realloc(t->ptr, cap);
    if (p == NULL) return;
    t->ptr = p;
    t->capacity = cap;
  }
  va_start(args, format);
  vsnprintf(t->ptr + t->size, (size_t)n + 1, format, args);
  va_end(args);
  t->size += (size_t)n;
}

static void add_buf(text* t, spm_buf* buf) {
  if (buf->ptr != NULL) add(t, "%s", buf->ptr);
  spm_buf_dispose(buf);
}

static void add_strings(text* t, const char* const* list, size_t n) {
  size_t i;
  for (i = 0; i < n; ++i) add(t, " %s", list[i]);
  add(t, "\n");
}

/* Every number and string that every performance-management function of spm.h returns for the
 * cycle RC as of 2027-01-20 (the mirror of dump_all in tests/cpp/people_fixtures.hpp). */
static char* dump_all(const spm_model* model) {
  text t = {NULL, 0, 0};
  scored s = score(model);
  spm_reviews* reviews = NULL;
  spm_calibration* cal = NULL;
  spm_rewards* rw = NULL;
  spm_participation* p = NULL;
  spm_check_ins* ci = NULL;
  spm_training_needs* tn = NULL;
  spm_outcome_budget* b = NULL;
  spm_refs* ids = NULL;
  spm_reward_rules rules = SPM_REWARD_RULES_INIT;
  spm_participation_query q = SPM_PARTICIPATION_QUERY_INIT;
  spm_buf json = SPM_BUF_INIT;
  size_t i, j;
  int c;
  add(&t, "");
  CHECK_OK(spm_reviews_compute(&reviews, s.cascade, s.card, "RC", as_of));
  for (i = 0; i < spm_reviews_count(reviews); ++i) {
    const spm_employee_review* r = NULL;
    CHECK_OK(spm_reviews_get(reviews, i, &r));
    if (r == NULL) continue;
    add(&t, "R %s %s %s %s %s %d %d %.17g %.17g %.17g %.17g %.17g\n%s\n", r->employee, r->unit,
        r->manager, r->review, r->reviewer, r->review_completed, r->self_submitted, r->final_score,
        r->weight_present, r->overall_rating, r->overall_score, r->self_rating, r->text);
    for (c = 0; c < SPM_COMPONENT_COUNT; ++c) {
      add(&t, " c %.17g %.17g %.17g %.17g %s\n", r->component_score[c], r->component_weight[c],
          r->component_normalized[c], r->component_points[c], r->component_missing[c]);
    }
    for (j = 0; j < r->objective_count; ++j) {
      const spm_review_objective* o = &r->objectives[j];
      add(&t, " o %s %.17g %.17g %.17g %.17g\n", o->objective, o->weight, o->score, o->normalized,
          o->points);
    }
    for (j = 0; j < r->goal_count; ++j) {
      const spm_review_goal* g = &r->goals[j];
      add(&t, " g %s %.17g %.17g %.17g %.17g %.17g\n", g->goal, g->attribution, g->share,
          g->scored_attribution, g->score, g->points);
    }
    for (j = 0; j < r->rating_count; ++j) {
      add(&t, " r %d %s %.17g %.17g\n", (int)r->ratings[j].kind, r->ratings[j].id,
          r->ratings[j].rating, r->ratings[j].score);
    }
    for (c = 0; c < SPM_RELATION_COUNT; ++c) {
      const spm_feedback_group* g = &r->feedback[c];
      add(&t, " f %s %d %d %zu %.17g %.17g raters", spm_rater_relation_name(g->relation),
          g->threshold, g->shown, g->responses, g->mean_rating, g->mean_score);
      add_strings(&t, g->raters, g->rater_count);
      add(&t, "  comments");
      add_strings(&t, g->comments, g->comment_count);
    }
    CHECK_OK(spm_reviews_to_json(reviews, model, r->employee, &json));
    add_buf(&t, &json);
  }
  CHECK_OK(spm_reviews_to_json(reviews, model, NULL, &json));
  add_buf(&t, &json);

  CHECK_OK(spm_calibration_compute(&cal, reviews, 2.0));
  for (i = 0; i < spm_calibration_distribution_count(cal); ++i) {
    const spm_distribution* d = NULL;
    CHECK_OK(spm_calibration_distribution_get(cal, i, &d));
    if (d != NULL) {
      add(&t, "dist %d %s %zu %.17g %.17g %.17g %.17g %.17g %.17g %.17g\n", (int)d->kind, d->id,
          d->count, d->mean, d->sd, d->min, d->q1, d->median, d->q3, d->max);
    }
  }
  for (i = 0; i < spm_calibration_count(cal); ++i) {
    const spm_calibration_line* l = NULL;
    CHECK_OK(spm_calibration_get(cal, i, &l));
    if (l != NULL) {
      add(&t, "cal %s %s %s %.17g %.17g %.17g %.17g %d\n", l->employee, l->manager, l->unit,
          l->final_score, l->z_manager, l->z_unit, l->z_organization, l->outlier);
    }
  }
  CHECK_OK(spm_calibration_to_json(cal, &json));
  add_buf(&t, &json);

  rules.pool = 1000;
  rules.require_completed_review = 0;
  rules.contribution_exponent = 0.5;
  CHECK_OK(spm_rewards_compute(&rw, reviews, &rules));
  for (i = 0; i < spm_rewards_count(rw); ++i) {
    const spm_reward_share* sh = NULL;
    CHECK_OK(spm_rewards_get(rw, i, &sh));
    if (sh == NULL) continue;
    add(&t, "reward %s %d %s %.17g %.17g %lld", sh->employee, sh->eligible, sh->reason, sh->basis,
        sh->exact, (long long)sh->cents);
    for (j = 0; j < sh->goal_count; ++j)
      add(&t, " %s=%lld", sh->goals[j].goal, (long long)sh->goals[j].cents);
    add(&t, "\n");
  }
  CHECK_OK(spm_rewards_to_json(rw, &json));
  add_buf(&t, &json);

  q.cycle = "RC";
  q.as_of = as_of;
  CHECK_OK(spm_participation_compute(&p, s.cascade, &q));
  for (i = 0; i < spm_participation_count(p); ++i) {
    const spm_participation_row* row = NULL;
    CHECK_OK(spm_participation_get(p, i, &row));
    if (row == NULL) continue;
    add(&t, "part %d %s %s %zu\n", (int)row->kind, row->id, row->name, row->employees);
    for (c = 0; c < SPM_CRITERION_COUNT; ++c) {
      add(&t, " %d %zu %.17g", row->applies[c], row->met[c], row->share[c]);
      add_strings(&t, row->missing[c], row->missing_count[c]);
    }
  }
  CHECK_OK(spm_participation_to_json(p, model, &json));
  add_buf(&t, &json);

  CHECK_OK(spm_check_ins_compute(&ci, model, "RC", as_of));
  for (i = 0; i < spm_check_ins_count(ci); ++i) {
    const spm_check_in_status* st = NULL;
    CHECK_OK(spm_check_ins_get(ci, i, &st));
    if (st != NULL) {
      add(&t, "ci %s %zu %s %lld %s %d %d\n", st->employee, st->in_cycle, st->last,
          (long long)st->days_since, st->due, st->expected, st->overdue);
    }
  }
  CHECK_OK(spm_check_ins_to_json(ci, &json));
  add_buf(&t, &json);

  CHECK_OK(spm_training_needs_compute(&tn, s.cascade, "RC", as_of));
  for (i = 0; i < spm_training_needs_gap_count(tn); ++i) {
    const spm_training_gap* g = NULL;
    CHECK_OK(spm_training_needs_gap_get(tn, i, &g));
    if (g == NULL) continue;
    add(&t, "gap %s %s %.17g %.17g %.17g", g->employee, g->competency, g->required, g->assessed,
        g->gap);
    add_strings(&t, g->objectives, g->objective_count);
  }
  for (i = 0; i < spm_training_needs_unit_count(tn); ++i) {
    const spm_unit_training_need* u = NULL;
    CHECK_OK(spm_training_needs_unit_get(tn, i, &u));
    if (u == NULL) continue;
    add(&t, "need %s %s %.17g %zu %zu", u->unit, u->competency, u->total_gap, u->employees_with_gap,
        u->not_assessed);
    for (j = 0; j < spm_refs_count(u->goals); ++j) {
      const spm_ref* ref = NULL;
      CHECK_OK(spm_refs_get(u->goals, j, &ref));
      if (ref != NULL) add(&t, " %s=%.17g", ref->id, ref->value);
    }
    add(&t, "\n");
  }
  CHECK_OK(spm_training_needs_to_json(tn, &json));
  add_buf(&t, &json);

  CHECK_OK(spm_outcome_budget_compute(&b, s.cascade, s.card, 0, 1e6));
  CHECK_OK(spm_outcome_budget_to_json(b, &json));
  add_buf(&t, &json);

  CHECK_OK(spm_cycle_employees(model, "RC", as_of, &ids));
  for (i = 0; i < spm_refs_count(ids); ++i) {
    const spm_ref* ref = NULL;
    CHECK_OK(spm_refs_get(ids, i, &ref));
    if (ref != NULL) add(&t, "employee %s\n", ref->id);
  }

  spm_refs_free(ids);
  spm_outcome_budget_free(b);
  spm_training_needs_free(tn);
  spm_check_ins_free(ci);
  spm_participation_free(p);
  spm_rewards_free(rw);
  spm_calibration_free(cal);
  spm_reviews_free(reviews);
  unscore(&s);
  return t.ptr;
}

static void check_same(const char* what, const char* a, const char* b) {
  if (a == NULL || b == NULL || strcmp(a, b) != 0) {
    fprintf(stderr, "anonymity: %s changed what spm.h returns\n", what);
    ++failures;
  }
}

static void test_anonymity(void) {
  spm_model* model = load("people.json");
  char* before = dump_all(model);
  char* after = NULL;
  static const char* const anonymous[] = {"R1", "R2",    "R3",     "D1",
                                          "D2", "Rater", "Report", "SECRET"};
  size_t i;

  /* No output names a rater outside the manager and self groups, or shows a suppressed
   * answer; the manager group names the manager. */
  for (i = 0; i < sizeof anonymous / sizeof anonymous[0]; ++i) {
    if (contains(before, anonymous[i])) {
      fprintf(stderr, "anonymity: '%s' appears in the output\n", anonymous[i]);
      ++failures;
    }
  }
  CHECK(contains(before, "\"raters\": [\n        \"M\"\n      ]"));
  CHECK(contains(before, "Clear priorities."));

  /* Changing a suppressed answer changes nothing anywhere. */
  CHECK_OK(spm_model_update_json(
      model, SPM_KIND_FEEDBACK,
      JSON("{\"id\": \"F5\", \"cycle\": \"RC\", \"subject\": \"A\", \"rater\": \"D1\", "
           "\"relation\": \"direct_report\", \"rating\": 5, \"comment\": \"different\", "
           "\"submitted\": \"2026-12-01\"}")));
  after = dump_all(model);
  check_same("changing a suppressed response", before, after);
  free(after);
  spm_model_free(model);

  /* Without one of the two suppressed responses: the same. */
  model = load("people.json");
  CHECK_OK(spm_model_remove(model, SPM_KIND_FEEDBACK, "F6"));
  after = dump_all(model);
  check_same("removing a suppressed response", before, after);
  free(after);
  spm_model_free(model);

  /* With one response more that stays below the threshold (B's first 'other' response). */
  model = load("people.json");
  CHECK_OK(spm_model_add_json(
      model, SPM_KIND_FEEDBACK,
      JSON("{\"id\": \"F7\", \"cycle\": \"RC\", \"subject\": \"B\", \"rater\": \"D1\", "
           "\"relation\": \"other\", \"rating\": 1, \"comment\": \"SECRET-THREE\", "
           "\"submitted\": \"2026-12-01\"}")));
  after = dump_all(model);
  check_same("adding a suppressed response", before, after);
  free(after);
  spm_model_free(model);

  /* A response submitted after as_of does not count, though it would lift the direct
   * reports' group to its threshold. */
  model = load("people.json");
  CHECK_OK(spm_model_add_json(
      model, SPM_KIND_FEEDBACK,
      JSON("{\"id\": \"F8\", \"cycle\": \"RC\", \"subject\": \"A\", \"rater\": \"C\", "
           "\"relation\": \"direct_report\", \"rating\": 5, \"submitted\": \"2027-02-01\"}")));
  after = dump_all(model);
  check_same("a response after as_of", before, after);
  free(after);

  /* Once the group reaches its threshold it is shown, and only then does it count: the
   * difference is then the whole group's, never one answer alone. */
  CHECK_OK(spm_model_update_json(
      model, SPM_KIND_FEEDBACK,
      JSON("{\"id\": \"F8\", \"cycle\": \"RC\", \"subject\": \"A\", \"rater\": \"C\", "
           "\"relation\": \"direct_report\", \"rating\": 5, \"submitted\": \"2026-12-01\"}")));
  after = dump_all(model);
  CHECK(after != NULL && strcmp(before, after) != 0);
  CHECK(contains(after, "SECRET-ONE") && !contains(after, "D1"));
  free(after);
  spm_model_free(model);
  free(before);
}

int main(void) {
  test_reviews();
  test_bad_review_data();
  test_review_errors();
  test_check_ins();
  test_participation();
  test_calibration();
  test_rewards();
  test_training_and_budget();
  test_anonymity();
  return finish();
}
