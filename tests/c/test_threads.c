/* test_threads.c - the thread safety that spm.h promises, under ThreadSanitizer in CI:
 * - many threads reading one compiled cascade and one scorecard at once get identical results,
 *   including the model-order measure scores made on first use and the reviews of a cycle;
 * - separate organizations on separate threads (load, edit, compile, score) are independent;
 * - many threads evaluating one cascade at once, each scorecard freed and its score arrays kept
 *   by the cascade for the next evaluation, get identical scores;
 * - one evaluation on several threads of its own, whose nodes wait for inputs that another of
 *   its threads scores, gives the same bits as on one thread;
 * - each thread has its own last error message. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <pthread.h>

#include "check.h"

#define THREADS 8
#define ROUNDS 3

static const char* const example = SPM_SOURCE_DIR "/examples/municipality.json";

static pthread_mutex_t failures_lock = PTHREAD_MUTEX_INITIALIZER;

/* A check from a worker thread: counted under the lock. */
static void thread_check(int ok, const char* what, int thread) {
  if (ok) return;
  pthread_mutex_lock(&failures_lock);
  fprintf(stderr, "thread %d: %s failed; last error: %s\n", thread, what, spm_error_last());
  ++failures;
  pthread_mutex_unlock(&failures_lock);
}

/* Shared, read-only after main() builds them. */
static spm_model* shared_model;
static spm_cascade* shared_cascade;
static spm_scorecard* shared_card;
static double* reference; /* every measure and goal score in every column */
static size_t measures, goals, columns;
/* The review cycle's scorecard (a "2026" column), its reviews and their final scores. */
static spm_scorecard* year_card;
static spm_reviews* shared_reviews;
static double* reference_final;
static size_t reviewed;

static int same(double a, double b) {
  return (isnan(a) && isnan(b)) || a == b;
}

/* Reads every score of the shared scorecard into out (measures, then goals). */
static int read_all(double* out, int thread) {
  size_t i, c, k = 0;
  for (i = 0; i < measures + goals; ++i) {
    const spm_entity_kind kind = i < measures ? SPM_KIND_MEASURE : SPM_KIND_GOAL;
    const char* id = NULL;
    if (spm_model_entity_id(shared_model, kind, i < measures ? i : i - measures, &id) != SPM_OK)
      return 0;
    for (c = 0; c < columns; ++c) {
      spm_score_result r = SPM_SCORE_RESULT_INIT;
      char reason[128];
      if (spm_scorecard_get(shared_card, kind, id, c, &r) != SPM_OK) return 0;
      if (spm_scorecard_reason(shared_card, kind, id, c, reason, sizeof reason, NULL) != SPM_OK)
        return 0;
      out[k++] = r.score;
    }
  }
  (void)thread;
  return 1;
}

static void* reader(void* arg) {
  const int thread = (int)(size_t)arg;
  double* mine = malloc(sizeof(double) * (measures + goals) * columns);
  int round;
  size_t k;
  thread_check(mine != NULL, "malloc", thread);
  if (mine == NULL) return NULL;
  for (round = 0; round < ROUNDS; ++round) {
    spm_refs *nodes = NULL, *owners = NULL;
    spm_sight* sight = NULL;
    spm_explanation* explanation = NULL;
    const double* dense = NULL;
    size_t rows = 0, cols = 0;
    thread_check(read_all(mine, thread), "read_all", thread);
    for (k = 0; k < (measures + goals) * columns; ++k) {
      if (!same(mine[k], reference[k])) {
        thread_check(0, "identical scores", thread);
        break;
      }
    }
    thread_check(spm_scorecard_node_scores(shared_card, &dense, &rows, &cols) == SPM_OK,
                 "node_scores", thread);
    /* The model-order copy of the measure scores, made by whichever thread asks first. */
    thread_check(spm_scorecard_measure_scores(shared_card, &dense, &rows, &cols) == SPM_OK &&
                     rows == measures && cols == columns,
                 "measure_scores", thread);
    if (dense != NULL) {
      size_t i, c;
      for (i = 0; i < measures; ++i)
        for (c = 0; c < columns; ++c)
          if (!same(dense[i * columns + c], reference[i * columns + c])) {
            thread_check(0, "measure_scores equal the scores read one by one", thread);
            i = measures;
            break;
          }
    }
    /* Reviews: each thread computes its own, and reads the shared ones. */
    {
      spm_reviews* mine_reviews = NULL;
      size_t i;
      thread_check(spm_reviews_compute(&mine_reviews, shared_cascade, year_card, "RC-2026",
                                       "2027-01-20") == SPM_OK,
                   "reviews_compute", thread);
      thread_check(spm_reviews_count(mine_reviews) == reviewed, "reviews count", thread);
      for (i = 0; mine_reviews != NULL && i < reviewed; ++i) {
        const spm_employee_review *a = NULL, *b = NULL;
        thread_check(spm_reviews_get(mine_reviews, i, &a) == SPM_OK &&
                         spm_reviews_get(shared_reviews, i, &b) == SPM_OK,
                     "reviews_get", thread);
        if (a != NULL && b != NULL)
          thread_check(same(a->final_score, reference_final[i]) &&
                           same(b->final_score, reference_final[i]) &&
                           strcmp(a->employee, b->employee) == 0,
                       "identical reviews", thread);
      }
      spm_reviews_free(mine_reviews);
    }
    thread_check(spm_scorecard_explain(shared_card, SPM_KIND_GOAL, "G-C4", columns - 1,
                                       &explanation) == SPM_OK,
                 "explain", thread);
    spm_explanation_free(explanation);
    thread_check(spm_cascade_contributors(shared_cascade, "G-S1", &nodes, &owners) == SPM_OK,
                 "contributors", thread);
    spm_refs_free(nodes);
    spm_refs_free(owners);
    thread_check(spm_cascade_line_of_sight(shared_cascade, SPM_KIND_OBJECTIVE, "O-CMO-1", 0,
                                           &sight) == SPM_OK,
                 "line_of_sight", thread);
    spm_sight_free(sight);
    /* Each thread's own error message. */
    {
      char id[32];
      spm_score_result r = SPM_SCORE_RESULT_INIT;
      snprintf(id, sizeof id, "missing-%d", thread);
      thread_check(spm_scorecard_get(shared_card, SPM_KIND_MEASURE, id, 0, &r) == SPM_ENOTFOUND,
                   "not found", thread);
      thread_check(strstr(spm_error_last(), id) != NULL, "own message", thread);
    }
  }
  free(mine);
  return NULL;
}

/* One organization per thread: load, edit, compile, score, and compare with the shared one. */
static void* owner(void* arg) {
  const int thread = (int)(size_t)arg;
  spm_model* model = NULL;
  spm_cascade* cascade = NULL;
  spm_scorecard* card = NULL;
  spm_score_options opts = SPM_SCORE_OPTIONS_INIT;
  spm_score_result mine = SPM_SCORE_RESULT_INIT, shared = SPM_SCORE_RESULT_INIT;
  spm_actual change;
  char goal[96], month[16];
  const char* ids[] = {"M01"};
  thread_check(spm_model_load_file(&model, example) == SPM_OK, "load", thread);
  if (model == NULL) return NULL;
  snprintf(goal, sizeof goal, "{\"id\": \"G-T%d\", \"perspective\": \"customer\"}", thread);
  thread_check(spm_model_add_json(model, SPM_KIND_GOAL, goal, strlen(goal)) == SPM_OK, "add",
               thread);
  thread_check(spm_cascade_compile(&cascade, model) == SPM_OK, "compile", thread);
  thread_check(spm_model_last_actual_month(model, month, sizeof month, NULL) == SPM_OK, "month",
               thread);
  opts.through = month;
  opts.threads = 1 + thread % 2; /* half the owners score on two threads of their own */
  thread_check(spm_scorecard_evaluate(&card, cascade, &opts, NULL) == SPM_OK, "evaluate", thread);
  if (card != NULL) {
    /* The added goal has no inputs: it changes nothing else. */
    thread_check(spm_scorecard_get(card, SPM_KIND_GOAL, "G-S1", columns - 1, &mine) == SPM_OK,
                 "get", thread);
    thread_check(
        spm_scorecard_get(shared_card, SPM_KIND_GOAL, "G-S1", columns - 1, &shared) == SPM_OK,
        "get shared", thread);
    thread_check(same(mine.score, shared.score), "same as shared", thread);
    /* New actuals on this thread's model only. */
    memset(&change, 0, sizeof change);
    change.measure = "M01";
    change.period = month;
    change.value = 9 + thread;
    thread_check(spm_model_set_actuals(model, &change, 1) == SPM_OK, "set_actuals", thread);
    thread_check(spm_scorecard_update(card, model, ids, 1) == SPM_OK, "update", thread);
  }
  spm_scorecard_free(card);
  spm_cascade_free(cascade);
  spm_model_free(model);
  return NULL;
}

/* A cascade large enough that its scorecards' score arrays are kept for reuse (a megabyte or
 * more): one goal, BIG_MEASURES linear measures with twelve months each. */
#define BIG_MEASURES 12000
static spm_cascade* big_cascade;
static double big_reference[12];

static spm_model* big_model(void) {
  const size_t per = 800; /* bytes of text per measure, more than enough */
  char* text = malloc(per * (BIG_MEASURES + 1));
  size_t n = 0, i;
  int mo;
  spm_model* model = NULL;
  if (text == NULL) return NULL;
  n += (size_t)sprintf(text + n,
                       "{\"spm_format_version\": 1, \"perspectives\": [{\"id\": \"customer\"}], "
                       "\"goals\": [{\"id\": \"G\", \"perspective\": \"customer\"}], "
                       "\"measures\": [");
  for (i = 0; i < BIG_MEASURES; ++i) {
    n += (size_t)sprintf(
        text + n,
        "%s{\"id\": \"B%zu\", \"subject\": {\"goal\": \"G\"}, \"baseline\": 0, \"target\": 100, "
        "\"actuals\": [",
        i ? ", " : "", i);
    for (mo = 1; mo <= 12; ++mo)
      n += (size_t)sprintf(text + n, "%s{\"period\": \"2026-%02d\", \"value\": %zu}",
                           mo > 1 ? ", " : "", mo, (i * 7 + (size_t)mo * 13) % 120);
    n += (size_t)sprintf(text + n, "]}");
  }
  n += (size_t)sprintf(text + n, "]}");
  if (spm_model_load_json(&model, text, n) != SPM_OK) model = NULL;
  free(text);
  return model;
}

static int big_scores(double* out, int thread) {
  spm_scorecard* card = NULL;
  spm_score_options opts = SPM_SCORE_OPTIONS_INIT;
  int c, ok = 1;
  thread_check(spm_scorecard_evaluate(&card, big_cascade, &opts, NULL) == SPM_OK, "evaluate big",
               thread);
  if (card == NULL) return 0;
  ok = spm_scorecard_column_count(card) == 12;
  for (c = 0; ok && c < 12; ++c) {
    spm_score_result r = SPM_SCORE_RESULT_INIT;
    ok = spm_scorecard_get(card, SPM_KIND_GOAL, "G", (size_t)c, &r) == SPM_OK;
    out[c] = r.score;
  }
  spm_scorecard_free(card); /* its arrays go back to the cascade */
  return ok;
}

/* A cascade of CHAIN_OBJECTIVES objectives with a measure each, enough for four threads' parts:
 * `chain`, each contributing to the next (every node waits for the one before it); else each to
 * one or two later objectives up to 3000 on (inputs anywhere before, in any part). */
#define CHAIN_OBJECTIVES 20000
static spm_model* chain_model(int chain) {
  const size_t per = 400; /* bytes of text per objective and its measure, more than enough */
  char* text = malloc(per * (CHAIN_OBJECTIVES + 1));
  size_t n = 0, i;
  unsigned long long state = chain ? 5 : 6;
  spm_model* model = NULL;
  if (text == NULL) return NULL;
  n += (size_t)sprintf(text + n,
                       "{\"spm_format_version\": 1, \"perspectives\": [{\"id\": \"customer\"}], "
                       "\"units\": [{\"id\": \"U\"}], "
                       "\"goals\": [{\"id\": \"G\", \"perspective\": \"customer\"}], "
                       "\"objectives\": [");
  for (i = 0; i < CHAIN_OBJECTIVES; ++i) {
    size_t a = i + 1, b = i + 1;
    if (!chain && i + 1 < CHAIN_OBJECTIVES) {
      const size_t span = CHAIN_OBJECTIVES - 1 - i < 3000 ? CHAIN_OBJECTIVES - 1 - i : 3000;
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      a = i + 1 + (size_t)(state >> 33) % span;
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      b = i + 1 + (size_t)(state >> 33) % span;
    }
    n += (size_t)sprintf(text + n, "%s{\"id\": \"O%zu\", \"owner\": {\"unit\": \"U\"}, %s",
                         i ? ", " : "", i, i % 7 == 0 ? "\"missing\": \"propagate\", " : "");
    if (i + 1 == CHAIN_OBJECTIVES)
      n += (size_t)sprintf(text + n, "\"contributes_to\": [{\"goal\": \"G\"}]}");
    else if (a == b)
      n += (size_t)sprintf(text + n, "\"contributes_to\": [{\"objective\": \"O%zu\"}]}", a);
    else
      n += (size_t)sprintf(text + n,
                           "\"contributes_to\": [{\"objective\": \"O%zu\", \"weight\": 2}, "
                           "{\"objective\": \"O%zu\"}]}",
                           a, b);
  }
  n += (size_t)sprintf(text + n, "], \"measures\": [");
  for (i = 0; i < CHAIN_OBJECTIVES; ++i)
    n +=
        (size_t)sprintf(text + n,
                        "%s{\"id\": \"M%zu\", \"subject\": {\"objective\": \"O%zu\"}, "
                        "\"baseline\": 0, \"target\": 100, \"actuals\": [{\"period\": "
                        "\"2026-01\", \"value\": %zu}, {\"period\": \"2026-02\", \"value\": %zu}]}",
                        i ? ", " : "", i, i, (i * 7) % 130, (i * 11) % 120);
  n += (size_t)sprintf(text + n, "]}");
  if (spm_model_load_json(&model, text, n) != SPM_OK) model = NULL;
  free(text);
  return model;
}

/* Every node score of the chain models on 1 thread and on 2, 3 and 4: the same bits. */
static void check_one_evaluation_on_threads(void) {
  int chain;
  for (chain = 1; chain >= 0; --chain) {
    spm_model* model = chain_model(chain);
    spm_cascade* cascade = NULL;
    spm_scorecard* base = NULL;
    const double* want = NULL;
    size_t rows = 0, cols = 0;
    int threads;
    CHECK(model != NULL);
    if (model == NULL) continue;
    CHECK_OK(spm_cascade_compile(&cascade, model));
    if (cascade != NULL) {
      spm_score_options opts = SPM_SCORE_OPTIONS_INIT;
      CHECK_OK(spm_scorecard_evaluate(&base, cascade, &opts, NULL));
    }
    if (base != NULL) CHECK_OK(spm_scorecard_node_scores(base, &want, &rows, &cols));
    CHECK(rows == CHAIN_OBJECTIVES + 1 && cols > 0);
    for (threads = 2; want != NULL && threads <= 4; ++threads) {
      spm_score_options opts = SPM_SCORE_OPTIONS_INIT;
      spm_scorecard* card = NULL;
      const double* got = NULL;
      size_t r = 0, c = 0, k;
      opts.threads = threads;
      CHECK_OK(spm_scorecard_evaluate(&card, cascade, &opts, NULL));
      if (card != NULL) CHECK_OK(spm_scorecard_node_scores(card, &got, &r, &c));
      CHECK(got != NULL && r == rows && c == cols);
      for (k = 0; got != NULL && k < rows * cols; ++k)
        if (!same(got[k], want[k])) {
          fprintf(stderr, "%s, %d threads: node score %zu differs\n", chain ? "chain" : "graph",
                  threads, k);
          CHECK(0);
          break;
        }
      spm_scorecard_free(card);
    }
    spm_scorecard_free(base);
    spm_cascade_free(cascade);
    spm_model_free(model);
  }
}

static void* evaluator(void* arg) {
  const int thread = (int)(size_t)arg;
  int round, c;
  for (round = 0; round < ROUNDS; ++round) {
    double mine[12];
    thread_check(big_scores(mine, thread), "big scores", thread);
    for (c = 0; c < 12; ++c)
      if (!same(mine[c], big_reference[c])) {
        thread_check(0, "identical scores from reused arrays", thread);
        break;
      }
  }
  return NULL;
}

static void run(void* (*fn)(void*)) {
  pthread_t threads[THREADS];
  size_t i;
  for (i = 0; i < THREADS; ++i) {
    if (pthread_create(&threads[i], NULL, fn, (void*)i) != 0) {
      fprintf(stderr, "pthread_create failed\n");
      exit(2);
    }
  }
  for (i = 0; i < THREADS; ++i) pthread_join(threads[i], NULL);
}

int main(void) {
  spm_score_options opts = SPM_SCORE_OPTIONS_INIT;
  char month[16];
  CHECK_OK(spm_model_load_file(&shared_model, example));
  CHECK_OK(spm_cascade_compile(&shared_cascade, shared_model));
  CHECK_OK(spm_model_last_actual_month(shared_model, month, sizeof month, NULL));
  opts.through = month;
  CHECK_OK(spm_scorecard_evaluate(&shared_card, shared_cascade, &opts, NULL));
  CHECK_OK(spm_model_count(shared_model, SPM_KIND_MEASURE, &measures));
  CHECK_OK(spm_model_count(shared_model, SPM_KIND_GOAL, &goals));
  columns = spm_scorecard_column_count(shared_card);
  if (failures > 0) return finish();
  reference = malloc(sizeof(double) * (measures + goals) * columns);
  CHECK(reference != NULL && read_all(reference, -1));
  {
    spm_score_options year = SPM_SCORE_OPTIONS_INIT;
    const char* labels[] = {"2026"};
    size_t i;
    year.columns = labels;
    year.column_count = 1;
    CHECK_OK(spm_scorecard_evaluate(&year_card, shared_cascade, &year, NULL));
    CHECK_OK(
        spm_reviews_compute(&shared_reviews, shared_cascade, year_card, "RC-2026", "2027-01-20"));
    reviewed = spm_reviews_count(shared_reviews);
    CHECK(reviewed > 0);
    reference_final = malloc(sizeof(double) * (reviewed + 1));
    CHECK(reference_final != NULL);
    if (failures > 0) return finish();
    for (i = 0; i < reviewed; ++i) {
      const spm_employee_review* r = NULL;
      CHECK_OK(spm_reviews_get(shared_reviews, i, &r));
      reference_final[i] = r != NULL ? r->final_score : NAN;
    }
  }

  run(reader);
  run(owner);
  {
    spm_model* big = big_model();
    CHECK(big != NULL);
    if (big != NULL) {
      CHECK_OK(spm_cascade_compile(&big_cascade, big));
      CHECK(big_scores(big_reference, -1));
      CHECK(!isnan(big_reference[0]) && big_reference[0] > 0);
      if (failures == 0) run(evaluator);
      spm_cascade_free(big_cascade);
      spm_model_free(big);
    }
    /* The same again on a model never evaluated: the threads' first evaluations race to lay
     * its measure store out in the cascade's order (one does, the others wait for it). */
    big = big_model();
    CHECK(big != NULL);
    if (big != NULL) {
      CHECK_OK(spm_cascade_compile(&big_cascade, big));
      if (failures == 0) run(evaluator);
      spm_cascade_free(big_cascade);
      spm_model_free(big);
    }
  }
  check_one_evaluation_on_threads();
  /* The main thread's message is its own, untouched by the workers'. */
  spm_error_clear();
  run(reader);
  CHECK(strcmp(spm_error_last(), "") == 0);

  free(reference);
  free(reference_final);
  spm_reviews_free(shared_reviews);
  spm_scorecard_free(year_card);
  spm_scorecard_free(shared_card);
  spm_cascade_free(shared_cascade);
  spm_model_free(shared_model);
  return finish();
}
