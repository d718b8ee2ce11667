/* spm.h - the C interface of spm. Hosts include this header and nothing else.
 *
 * Conventions (docs/api-stability.md says what is stable):
 *
 * - Every function is spm_<module>_<verb>, every type spm_<noun>, every macro and enum constant
 *   SPM_*.
 * - Functions that can fail return int: SPM_OK (0) on success, a negative SPM_E* code on
 *   failure. The codes are fixed forever; new ones are only appended. A failure also records a
 *   message for the calling thread, read with spm_error_last().
 * - Handles are opaque. A constructor takes its out-pointer first; what it returns there belongs
 *   to the caller and is released with the matching spm_*_free, which accepts NULL. On failure
 *   the out-pointer is set to NULL. A pointer returned by a getter is borrowed from its parent
 *   and lives as long as the parent does.
 * - Inputs (strings, buffers) are copied: the caller may free or reuse them on return.
 * - Strings and arrays that the library allocates come back in an spm_buf and are released
 *   with spm_buf_dispose: never with free().
 * - Options structs start with `unsigned int version`; initialize them with their _INIT macro
 *   or _init() function. Fields are only ever appended. Version 0 or a version newer than the
 *   library knows is refused with SPM_EVERSION.
 * - Text copied into a caller's buffer follows "caller buffers" below: SPM_EBUFSIZE with the
 *   size needed when the buffer is too small.
 * - Ids are UTF-8 text; an id that is not valid UTF-8 is refused with SPM_EINVALID naming the
 *   argument (or SPM_EVALIDATION naming the field, inside an entity's JSON).
 * - Thread safety: the library has no global mutable state except each thread's last error
 *   message. Different handles may be used on different threads at once: separate models, and
 *   everything computed from them, are fully independent. One handle may be read (functions
 *   taking `const`) from several threads at once, but a function that takes a non-const handle
 *   needs exclusive access to it, and an edit of a model needs exclusive access to the model
 *   and to everything computed from it (cascades, scorecards). Each declaration below repeats
 *   what applies to it.
 * - No C++ exception ever crosses this interface.
 */
#ifndef SPM_H
#define SPM_H

#include <stddef.h>
#include <stdint.h>

#define SPM_VERSION_MAJOR 0
#define SPM_VERSION_MINOR 1
#define SPM_VERSION_PATCH 0
#define SPM_VERSION_NUMBER (SPM_VERSION_MAJOR * 10000 + SPM_VERSION_MINOR * 100 + SPM_VERSION_PATCH)
/* Changes only when the ABI breaks. */
#define SPM_SOVERSION 0

/* SPM_EXTERN marks the functions that libspm exports. */
#if defined(_WIN32)
#if defined(SPM_BUILDING_LIBRARY)
#define SPM_EXTERN __declspec(dllexport)
#else
#define SPM_EXTERN __declspec(dllimport)
#endif
#elif defined(SPM_BUILDING_LIBRARY) && (defined(__GNUC__) || defined(__clang__))
#define SPM_EXTERN __attribute__((visibility("default")))
#else
#define SPM_EXTERN
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- versions ------------------------------------------------------------------------------ */

/* The version of the library linked in at run time, which may differ from the SPM_VERSION_*
 * macros of the header compiled against. Any of the pointers may be NULL.
 * Returns SPM_OK. Thread-safe. */
SPM_EXTERN int spm_version(int* major, int* minor, int* patch);

/* The run-time version as static text, "MAJOR.MINOR.PATCH". Never NULL; not to be freed.
 * Thread-safe. */
SPM_EXTERN const char* spm_version_string(void);

/* ---- errors -------------------------------------------------------------------------------- */

/* Error codes. The values are fixed forever; new codes are only appended. SPM_EINVALID to
 * SPM_EINTERNAL are the C++ API's spm::ErrorCode values, negated. */
typedef enum spm_error_code {
  SPM_OK = 0,
  SPM_EINVALID = -1,     /* an invalid argument: NULL where a value is needed, a value out of its
                            domain, an index out of range, an unknown enum value */
  SPM_ENOTFOUND = -2,    /* an id that names no entity of that kind */
  SPM_EDUPLICATE = -3,   /* an id already taken within its kind */
  SPM_EVALIDATION = -4,  /* the model, or an edit to it, breaks one or more rules */
  SPM_EPARSE = -5,       /* a file or text that is not well-formed JSON or CSV, or has the
                            wrong shape */
  SPM_EIO = -6,          /* a file that cannot be read or written */
  SPM_EUNSUPPORTED = -7, /* an unknown format version or feature */
  SPM_ESTALE = -8,       /* a result used after the model it came from changed */
  SPM_ECYCLE = -9,       /* a cycle in the cascade or in the reporting lines */
  SPM_EINTERNAL = -10,   /* a bug in spm; please report it with spm_error_last()'s text */
  SPM_ENOMEM = -11,      /* out of memory */
  SPM_EVERSION = -12,    /* an options struct whose version is 0 or newer than the library */
  SPM_EBUFSIZE = -13     /* a buffer supplied by the caller is too small */
} spm_error_code;

/* The message of the most recent failure on the calling thread, e.g. "cannot open 'x.json': No
 * such file or directory". It names the entity, id and field when there is one, and is always
 * valid UTF-8 (a byte of the host's input that is not is written as \xNN). Never NULL: "" if
 * nothing has failed on this thread since it started or since spm_error_clear(). Successful calls
 * leave it unchanged. The text is owned by the library and is valid until the next failing call or
 * spm_error_clear() on the same thread. Thread-safe (each thread has its own). */
SPM_EXTERN const char* spm_error_last(void);

/* Forgets the calling thread's last error message. Thread-safe. */
SPM_EXTERN void spm_error_clear(void);

/* Static text for an error code ("not found", ...); "unknown error" for a value that is not an
 * spm_error_code. Never NULL; not to be freed. Thread-safe. */
SPM_EXTERN const char* spm_strerror(int code);

/* ---- buffers ------------------------------------------------------------------------------- */

/* Text that the library allocated for the caller: `ptr` holds `size` bytes followed by a NUL
 * (which `size` does not count). Functions that fill an spm_buf overwrite it without reading
 * it, so dispose of earlier contents first. */
typedef struct spm_buf {
  char* ptr;
  size_t size;
} spm_buf;

#define SPM_BUF_INIT \
  { NULL, 0 }

/* Frees the buffer's memory and sets it to {NULL, 0}. NULL, or a buffer already disposed of,
 * is fine. Thread-safe for different buffers. */
SPM_EXTERN void spm_buf_dispose(spm_buf* buf);

/* ---- the model ----------------------------------------------------------------------------- */

/* One organization: its info and all of its entities (docs/model.md). */
typedef struct spm_model spm_model;

/* The kinds of entity, in file order. Values are fixed forever; new kinds are only appended. */
typedef enum spm_entity_kind {
  SPM_KIND_VALUE = 0,
  SPM_KIND_PERSPECTIVE = 1,
  SPM_KIND_FUNCTION = 2,
  SPM_KIND_DIVISION = 3,
  SPM_KIND_UNIT = 4,
  SPM_KIND_TEAM = 5,
  SPM_KIND_EMPLOYEE = 6,
  SPM_KIND_GOAL = 7,
  SPM_KIND_STRATEGY = 8,
  SPM_KIND_MEASURE = 9,
  SPM_KIND_MILESTONE = 10,
  SPM_KIND_ACTION = 11,
  SPM_KIND_OBJECTIVE = 12,
  SPM_KIND_COMPETENCY = 13,
  SPM_KIND_REVIEW_CYCLE = 14,
  SPM_KIND_REVIEW = 15,
  SPM_KIND_SELF_ASSESSMENT = 16,
  SPM_KIND_FEEDBACK = 17,
  SPM_KIND_CHECK_IN = 18,
  SPM_KIND_BUDGET = 19
} spm_entity_kind;

/* Creates an empty model. On success *out is the caller's, to be released with
 * spm_model_free(); on failure *out is NULL.
 * Errors: SPM_EINVALID (out is NULL), SPM_ENOMEM. Thread-safe. */
SPM_EXTERN int spm_model_new(spm_model** out);

/* Releases a model and everything borrowed from it. NULL is fine. Needs exclusive access to
 * the model. */
SPM_EXTERN void spm_model_free(spm_model* model);

/* Reads an organization from a JSON file (docs/format.md). On success *out is the caller's, to
 * be released with spm_model_free(); on failure *out is NULL. References between entities are
 * not checked: call spm_model_validate().
 * Errors: SPM_EINVALID (out or path is NULL), SPM_EIO (the file cannot be read), SPM_EPARSE
 * (malformed JSON or wrong shape; the message gives the JSON path, line and column),
 * SPM_EUNSUPPORTED (an unknown format version), SPM_EVALIDATION (bad fields of an entity),
 * SPM_ENOMEM. Thread-safe. */
SPM_EXTERN int spm_model_load_file(spm_model** out, const char* path);

/* Like spm_model_load_file(), from `len` bytes of JSON text at `text` (which need not be
 * NUL-terminated; it is not kept). `text` may be NULL only when `len` is 0.
 * Errors: SPM_EINVALID (out is NULL, or text is NULL with len > 0), SPM_EPARSE,
 * SPM_EUNSUPPORTED, SPM_EVALIDATION, SPM_ENOMEM. Thread-safe. */
SPM_EXTERN int spm_model_load_json(spm_model** out, const char* text, size_t len);

/* Options for saving a model as JSON. */
typedef struct spm_save_options {
  unsigned int version; /* SPM_SAVE_OPTIONS_VERSION */
  int pretty;           /* nonzero (the default): indented; 0: compact, one line */
} spm_save_options;

#define SPM_SAVE_OPTIONS_VERSION 1
#define SPM_SAVE_OPTIONS_INIT \
  { SPM_SAVE_OPTIONS_VERSION, 1 }

/* Sets *opts to the defaults of the given version (pass SPM_SAVE_OPTIONS_VERSION); the same as
 * SPM_SAVE_OPTIONS_INIT.
 * Errors: SPM_EINVALID (opts is NULL), SPM_EVERSION (version 0 or unknown). Thread-safe. */
SPM_EXTERN int spm_save_options_init(spm_save_options* opts, unsigned int version);

/* Writes the model as JSON to a file, through a temporary file beside it that is renamed over
 * `path`, so a failed save never leaves a half-written file. `opts` may be NULL for the
 * defaults. Loading the file gives back an equal model.
 * Errors: SPM_EINVALID (model or path is NULL), SPM_EVERSION (opts->version), SPM_EIO,
 * SPM_ENOMEM. May run concurrently with other reads of the model. */
SPM_EXTERN int spm_model_save_file(const spm_model* model, const char* path,
                                   const spm_save_options* opts);

/* Writes the model as JSON text into *out (which is overwritten, not read: dispose of earlier
 * contents first). On success out->ptr is the caller's, to be released with
 * spm_buf_dispose(); on failure *out is {NULL, 0}. `opts` may be NULL for the defaults.
 * Errors: SPM_EINVALID (model or out is NULL), SPM_EVERSION (opts->version), SPM_ENOMEM.
 * May run concurrently with other reads of the model. */
SPM_EXTERN int spm_model_save_json(const spm_model* model, spm_buf* out,
                                   const spm_save_options* opts);

/* Sets *out to the number of entities of a kind in the model.
 * Errors: SPM_EINVALID (model or out is NULL, or kind is not an spm_entity_kind).
 * May run concurrently with other reads of the model. */
SPM_EXTERN int spm_model_count(const spm_model* model, spm_entity_kind kind, size_t* out);

/* Sets *out to the bytes of memory the model keeps for its next compiles and evaluations
 * (arrays of cascades and scorecards gone, scratch of compiles and validations, the arrays of
 * the actuals' layout before the current one), which spares them fresh pages.
 * Errors: SPM_EINVALID (model or out is NULL). May run concurrently with any read of the model. */
SPM_EXTERN int spm_model_kept_bytes(const spm_model* model, size_t* out);

/* Frees the memory that spm_model_kept_bytes() counts; results are unchanged, and the next
 * compile and evaluation allocate afresh. Errors: SPM_EINVALID (model is NULL).
 * May run concurrently with any read of the model, compiles and evaluations included. */
SPM_EXTERN int spm_model_release_memory(const spm_model* model);

/* Sets every actual of a CSV file (docs/format.md: a header row
 * `measure,period,value,numerator,denominator`, then one row per actual) in the model, all or
 * none. `rows`, if not NULL, receives the number of actuals set.
 * Errors: SPM_EINVALID (model or path is NULL), SPM_EIO, SPM_EPARSE or SPM_EVALIDATION (the
 * message lists every bad row with its line number; the model is then unchanged), SPM_ENOMEM.
 * Needs exclusive access to the model. */
SPM_EXTERN int spm_model_load_actuals_csv(spm_model* model, const char* path, size_t* rows);

/* ---- validation ---------------------------------------------------------------------------- */

/* The problems found by spm_model_validate(): an immutable list, independent of the model. */
typedef struct spm_issues spm_issues;

typedef enum spm_severity {
  SPM_SEVERITY_ERROR = 0,  /* makes the model invalid */
  SPM_SEVERITY_WARNING = 1 /* worth a look; the model is still valid */
} spm_severity;

/* One problem. Every string is NUL-terminated and never NULL (but may be empty). Owned by the
 * list it came from. Fields are only ever appended, and only the library allocates this
 * struct. */
typedef struct spm_issue {
  spm_severity severity;
  const char* kind;     /* entity kind, e.g. "goal" */
  const char* id;       /* the entity's id; "" when it has none */
  const char* field;    /* the field, e.g. "perspective" or "targets[2].period" */
  const char* message;  /* what is wrong */
  const char* location; /* where in a file, e.g. "$.goals[3]"; "" for in-memory edits */
  const char* text;     /* all of the above on one line, for display */
} spm_issue;

/* Checks the whole model and returns every problem found, in a deterministic order (by
 * entity kind, then entity order, then field). Finding problems is not a failure: the call
 * returns SPM_OK and the problems are in the list; the model is valid when
 * spm_issues_error_count() is 0. On success *out is the caller's, to be released with
 * spm_issues_free(); on failure *out is NULL.
 * Errors: SPM_EINVALID (model or out is NULL), SPM_ENOMEM.
 * May run concurrently with other reads of the model. */
SPM_EXTERN int spm_model_validate(const spm_model* model, spm_issues** out);

/* Options of spm_model_validate_with(). */
typedef struct spm_validate_options {
  unsigned int version; /* SPM_VALIDATE_OPTIONS_VERSION */
  int threads; /* threads validate may use to resolve the references that compile reads, the
                  caller's included (default 1; 0: one per core); the same issues whatever the
                  number */
} spm_validate_options;

#define SPM_VALIDATE_OPTIONS_VERSION 1
#define SPM_VALIDATE_OPTIONS_INIT \
  { SPM_VALIDATE_OPTIONS_VERSION, 1 }

/* Sets *opts to the defaults of the given version. Errors: SPM_EINVALID (opts NULL),
 * SPM_EVERSION. Thread-safe. */
SPM_EXTERN int spm_validate_options_init(spm_validate_options* opts, unsigned int version);

/* spm_model_validate() with options (NULL: the defaults). The model keeps the references it
 * resolved, so that a compile after it looks nothing up. Errors: those of
 * spm_model_validate(), SPM_EVERSION, and SPM_EINVALID for threads < 0. */
SPM_EXTERN int spm_model_validate_with(const spm_model* model, const spm_validate_options* opts,
                                       spm_issues** out);

/* The number of issues in the list; 0 for NULL. Thread-safe. */
SPM_EXTERN size_t spm_issues_count(const spm_issues* issues);

/* The number of issues of severity SPM_SEVERITY_ERROR; 0 for NULL. Thread-safe. */
SPM_EXTERN size_t spm_issues_error_count(const spm_issues* issues);

/* Sets *out to the i-th issue (from 0), borrowed from the list: valid until spm_issues_free().
 * Errors: SPM_EINVALID (issues or out is NULL, or i >= spm_issues_count(); *out is then NULL).
 * Thread-safe. */
SPM_EXTERN int spm_issues_get(const spm_issues* issues, size_t i, const spm_issue** out);

/* Releases the list and every issue borrowed from it. NULL is fine. */
SPM_EXTERN void spm_issues_free(spm_issues* issues);

/* ---- names --------------------------------------------------------------------------------- */

/* The singular name of an entity kind as the file format writes it ("goal", "review_cycle");
 * "" for a value that is not an spm_entity_kind. Static; never NULL. Thread-safe. */
SPM_EXTERN const char* spm_kind_name(spm_entity_kind kind);

/* Sets *out to the kind named `name` (singular, as spm_kind_name() gives it).
 * Errors: SPM_EINVALID (name or out is NULL, or no kind has that name). Thread-safe. */
SPM_EXTERN int spm_kind_parse(const char* name, spm_entity_kind* out);

/* ---- caller buffers ------------------------------------------------------------------------ */

/* Functions that copy text into a buffer of the caller's take (char* buf, size_t size,
 * size_t* needed). They set *needed (if `needed` is not NULL) to the size the text needs,
 * counting its terminating NUL, then copy the text with its NUL when it fits. When it does not
 * fit they return SPM_EBUFSIZE and, if size > 0, write "" into buf: call again with a buffer of
 * *needed bytes. `buf` may be NULL only when size is 0 (to ask for the size). */

/* ---- reading entities ---------------------------------------------------------------------- */

/* Sets *out to the id of the entity at position `index` (from 0) of its kind, in model order.
 * The string is borrowed from the model: valid until the next edit of that kind or
 * spm_model_free().
 * Errors: SPM_EINVALID (model or out is NULL, kind unknown, index >= the count; *out is then
 * NULL). May run concurrently with other reads of the model. */
SPM_EXTERN int spm_model_entity_id(const spm_model* model, spm_entity_kind kind, size_t index,
                                   const char** out);

/* Sets *out to the name of the entity at position `index` of its kind; "" for kinds without a
 * name (reviews, self-assessments, feedback, check-ins, budgets). Borrowed like
 * spm_model_entity_id()'s string. Errors and threads: as spm_model_entity_id(). */
SPM_EXTERN int spm_model_entity_name(const spm_model* model, spm_entity_kind kind, size_t index,
                                     const char** out);

/* Sets *index to the position of the entity `id` within its kind.
 * Errors: SPM_EINVALID (a NULL argument, kind unknown, id not valid UTF-8), SPM_ENOTFOUND.
 * May run concurrently with other reads of the model. */
SPM_EXTERN int spm_model_find(const spm_model* model, spm_entity_kind kind, const char* id,
                              size_t* index);

/* Writes one entity as a JSON object of the file format (docs/format.md) into *out, which is
 * overwritten, not read; on success out->ptr is the caller's (spm_buf_dispose()), on failure
 * *out is {NULL, 0}.
 * Errors: SPM_EINVALID (a NULL argument, kind unknown, id not valid UTF-8), SPM_ENOTFOUND,
 * SPM_ENOMEM. May run concurrently with other reads of the model. */
SPM_EXTERN int spm_model_get_json(const spm_model* model, spm_entity_kind kind, const char* id,
                                  spm_buf* out);

/* Writes the organization's own record (the "organization" object of the file format: id,
 * name, vision, mission, settings, attributes) as JSON into *out, like spm_model_get_json().
 * Errors: SPM_EINVALID (model or out is NULL), SPM_ENOMEM. May run concurrently with other
 * reads of the model. */
SPM_EXTERN int spm_model_get_info_json(const spm_model* model, spm_buf* out);

/* ---- editing entities ---------------------------------------------------------------------- */

/* Entities travel as JSON objects of the file format (docs/format.md), one per call here, of
 * `len` bytes at `json` (not necessarily NUL-terminated; not kept). Every edit checks the
 * entity's own fields and either applies whole or changes nothing. References to other
 * entities are not checked at edit time (entities may come in any order): call
 * spm_model_validate(). Every edit needs exclusive access to the model, and makes cascades and
 * scorecards computed from it stale (SPM_ESTALE); edits of actuals only (spm_model_set_actuals)
 * leave a cascade valid. */

/* Replaces the organization's own record with the JSON object `json` ("organization" in the
 * file format). Errors: SPM_EINVALID (model NULL, or json NULL with len > 0), SPM_EPARSE (not
 * one JSON object, or the wrong shape), SPM_EVALIDATION (bad fields), SPM_ENOMEM. */
SPM_EXTERN int spm_model_set_info_json(spm_model* model, const char* json, size_t len);

/* Adds an entity of `kind` at the end of its kind.
 * Errors: SPM_EINVALID (model NULL, json NULL with len > 0, kind unknown), SPM_EPARSE (not one
 * JSON object, malformed, or the wrong shape; the message names the field), SPM_EVALIDATION
 * (bad fields: the message names the kind, id and field, e.g. an id that is not UTF-8),
 * SPM_EDUPLICATE (the id is taken), SPM_ENOMEM. */
SPM_EXTERN int spm_model_add_json(spm_model* model, spm_entity_kind kind, const char* json,
                                  size_t len);

/* Replaces the entity with the same id, keeping its position. Errors: as spm_model_add_json(),
 * with SPM_ENOTFOUND (no such entity) instead of SPM_EDUPLICATE. */
SPM_EXTERN int spm_model_update_json(spm_model* model, spm_entity_kind kind, const char* json,
                                     size_t len);

/* Adds or updates, whichever applies. Errors: as spm_model_add_json(), without
 * SPM_EDUPLICATE. */
SPM_EXTERN int spm_model_upsert_json(spm_model* model, spm_entity_kind kind, const char* json,
                                     size_t len);

/* Removes an entity; later entities of the kind move up one place. References to it are left
 * for spm_model_validate() to report.
 * Errors: SPM_EINVALID (a NULL argument, kind unknown, id not valid UTF-8), SPM_ENOTFOUND. */
SPM_EXTERN int spm_model_remove(spm_model* model, spm_entity_kind kind, const char* id);

/* ---- bulk edits ---------------------------------------------------------------------------- */

/* A list of edits applied to a model all together or not at all (spm_model_apply). Building a
 * batch parses and checks each entity's own fields at once, so a bad entity is reported by the
 * call that adds it. A batch is independent of any model. */
typedef struct spm_batch spm_batch;

typedef enum spm_edit_op { SPM_EDIT_ADD = 0, SPM_EDIT_UPDATE = 1, SPM_EDIT_UPSERT = 2 } spm_edit_op;

/* Creates an empty batch; *out is the caller's (spm_batch_free()), NULL on failure.
 * Errors: SPM_EINVALID (out is NULL), SPM_ENOMEM. Thread-safe. */
SPM_EXTERN int spm_batch_new(spm_batch** out);

/* Releases a batch. NULL is fine. */
SPM_EXTERN void spm_batch_free(spm_batch* batch);

/* The number of edits in the batch; 0 for NULL. */
SPM_EXTERN size_t spm_batch_count(const spm_batch* batch);

/* Forgets every edit. NULL is fine. */
SPM_EXTERN void spm_batch_clear(spm_batch* batch);

/* Appends one edit of one entity given as a JSON object. On failure the batch is unchanged.
 * Errors: SPM_EINVALID (batch NULL, json NULL with len > 0, op or kind unknown), SPM_EPARSE,
 * SPM_EVALIDATION (bad fields of the entity), SPM_ENOMEM. Needs exclusive access to the
 * batch. */
SPM_EXTERN int spm_batch_add_json(spm_batch* batch, spm_edit_op op, spm_entity_kind kind,
                                  const char* json, size_t len);

/* Appends one edit per element of a JSON array of entities of one kind, in order; all or none
 * (on failure the batch is unchanged, and the message lists every bad element).
 * Errors: as spm_batch_add_json(). */
SPM_EXTERN int spm_batch_add_json_array(spm_batch* batch, spm_edit_op op, spm_entity_kind kind,
                                        const char* json, size_t len);

/* Appends the removal of `n` entities of one kind, by id (`ids` may be NULL when n is 0).
 * Errors: SPM_EINVALID (batch NULL, ids NULL with n > 0, an id NULL or not valid UTF-8, kind
 * unknown; the batch is then unchanged), SPM_ENOMEM. */
SPM_EXTERN int spm_batch_remove(spm_batch* batch, spm_entity_kind kind, const char* const* ids,
                                size_t n);

/* Applies every edit of the batch to the model, in order, or none: on any problem the model is
 * unchanged and the message lists every problem found. The batch is not changed.
 * Errors: SPM_EINVALID (model or batch NULL), SPM_EVALIDATION (the message lists every
 * problem, a line each: an id taken, an id to update or remove that names nothing, bad
 * fields), SPM_ENOMEM.
 * Needs exclusive access to the model; may run concurrently with other reads of the batch. */
SPM_EXTERN int spm_model_apply(spm_model* model, const spm_batch* batch);

/* ---- actuals ------------------------------------------------------------------------------- */

/* One measure's actual in one period, for spm_model_set_actuals(). The layout is fixed: a
 * future version adds a new struct rather than changing this one. */
typedef struct spm_actual {
  const char* measure; /* the measure's id */
  const char* period;  /* "2026-03", "2026-Q1" or "2026" */
  double value;        /* ignored when has_ratio; NaN (without ratio) removes the actual */
  int has_ratio;       /* nonzero: numerator and denominator give the value */
  double numerator;
  double denominator;
} spm_actual;

/* Sets (or replaces, or with a NaN value removes) `n` actuals, all or none: on any problem
 * (an unknown measure, a bad period, a value that is not finite, a bad ratio) the model is
 * unchanged and the message names every bad element by its index, measure and field.
 * `actuals` may be NULL when n is 0. Leaves compiled cascades valid; scorecards take the new
 * actuals with spm_scorecard_update().
 * Errors: SPM_EINVALID (model NULL, actuals NULL with n > 0, a NULL or non-UTF-8 string),
 * SPM_ENOTFOUND (an unknown measure, when that is the only kind of problem), SPM_EVALIDATION,
 * SPM_ENOMEM. Needs exclusive access to the model. */
SPM_EXTERN int spm_model_set_actuals(spm_model* model, const spm_actual* actuals, size_t n);

/* Writes the last month that any measure has an actual for ("2026-12") into the caller's
 * buffer (see "caller buffers").
 * Errors: SPM_EINVALID (model NULL, buf NULL with size > 0), SPM_ENOTFOUND (no actuals at
 * all), SPM_EBUFSIZE. May run concurrently with other reads of the model. */
SPM_EXTERN int spm_model_last_actual_month(const spm_model* model, char* buf, size_t size,
                                           size_t* needed);

/* ---- lists of entities --------------------------------------------------------------------- */

/* An immutable list of entities with a number each, the answer of many queries (what the
 * number means is said by each query; 0 where it means nothing). Independent of the model and
 * cascade it came from. Every function on a list may run from many threads at once. */
typedef struct spm_refs spm_refs;

/* One element, owned by its list. Fields are only ever appended, and only the library
 * allocates this struct. */
typedef struct spm_ref {
  spm_entity_kind kind;
  const char* id; /* never NULL */
  double value;
} spm_ref;

/* The number of elements; 0 for NULL. */
SPM_EXTERN size_t spm_refs_count(const spm_refs* refs);

/* Sets *out to the i-th element (from 0), borrowed from the list: valid until spm_refs_free().
 * Errors: SPM_EINVALID (refs or out NULL, i out of range; *out is then NULL). */
SPM_EXTERN int spm_refs_get(const spm_refs* refs, size_t i, const spm_ref** out);

/* Releases a list. NULL is fine. */
SPM_EXTERN void spm_refs_free(spm_refs* refs);

/* ---- the cascade --------------------------------------------------------------------------- */

/* The goal cascade compiled from a model (docs/cascade.md): immutable. It stays usable only
 * while its model is alive and its entities unchanged (new actuals are fine); after that every
 * query fails with SPM_ESTALE: compile again. Every function taking a const spm_cascade* may
 * run from many threads at once, provided nobody edits the model meanwhile. */
typedef struct spm_cascade spm_cascade;

/* Compiles the model's contribution links. *out is the caller's (spm_cascade_free()), NULL on
 * failure. The model must outlive the cascade's use (a cascade of a freed model is stale).
 * Errors: SPM_EINVALID (out or model NULL), SPM_EVALIDATION (links or measures naming nothing;
 * every one listed), SPM_ECYCLE (the message names every node on the cycle in order),
 * SPM_ENOMEM. May run concurrently with other reads of the model. */
SPM_EXTERN int spm_cascade_compile(spm_cascade** out, const spm_model* model);

/* Options of spm_cascade_compile_with(). */
typedef struct spm_compile_options {
  unsigned int version; /* SPM_COMPILE_OPTIONS_VERSION */
  int threads; /* threads compile may use, the caller's included (default 1; 0: one per core);
                  the cascade is the same whatever the number */
} spm_compile_options;

#define SPM_COMPILE_OPTIONS_VERSION 1
#define SPM_COMPILE_OPTIONS_INIT \
  { SPM_COMPILE_OPTIONS_VERSION, 1 }

/* Sets *opts to the defaults of the given version. Errors: SPM_EINVALID (opts NULL),
 * SPM_EVERSION. Thread-safe. */
SPM_EXTERN int spm_compile_options_init(spm_compile_options* opts, unsigned int version);

/* spm_cascade_compile() with options (NULL: the defaults). Errors: those of
 * spm_cascade_compile(), SPM_EVERSION, and SPM_EINVALID for threads < 0. */
SPM_EXTERN int spm_cascade_compile_with(spm_cascade** out, const spm_model* model,
                                        const spm_compile_options* opts);

/* Releases a cascade and everything borrowed from it. NULL is fine. Scorecards evaluated from
 * it stay valid. */
SPM_EXTERN void spm_cascade_free(spm_cascade* cascade);

/* 1 if the model is alive and its entities unchanged since compile, else 0 (0 for NULL). */
SPM_EXTERN int spm_cascade_is_current(const spm_cascade* cascade);

/* The number of nodes (goals, strategies, milestones, actions, objectives) and of contribution
 * links. Errors: SPM_EINVALID (a NULL argument), SPM_ESTALE. */
SPM_EXTERN int spm_cascade_node_count(const spm_cascade* cascade, size_t* out);
SPM_EXTERN int spm_cascade_edge_count(const spm_cascade* cascade, size_t* out);

/* The node with cascade index `index`: contributors come before the nodes they contribute to,
 * each node right after everything below it. `kind` or `id` may be NULL when not wanted; *id is
 * borrowed from the cascade (valid until spm_cascade_free()). Rows of the dense score arrays and of
 * the attribution matrix are these indices. Errors: SPM_EINVALID (cascade NULL, index >= node
 * count), SPM_ESTALE. */
SPM_EXTERN int spm_cascade_node(const spm_cascade* cascade, size_t index, spm_entity_kind* kind,
                                const char** id);

/* Sets *index to the cascade index of a node.
 * Errors: SPM_EINVALID (a NULL argument, kind unknown, id not valid UTF-8), SPM_ENOTFOUND (not
 * a node of the cascade), SPM_ESTALE. */
SPM_EXTERN int spm_cascade_index_of(const spm_cascade* cascade, spm_entity_kind kind,
                                    const char* id, size_t* index);

/* Alignment gaps, each a new list (*out is the caller's, spm_refs_free(); NULL on failure):
 * - orphans: objectives, actions and milestones with no path to any goal (milestones, then
 *   actions, then objectives, in model order);
 * - uncovered goals: goals that nothing contributes to and that have no measure;
 * - strategies without milestones; milestones without an owner (empty, or naming no unit or
 *   team).
 * Every element's value is 0. Errors: SPM_EINVALID (a NULL argument), SPM_ESTALE, SPM_ENOMEM. */
SPM_EXTERN int spm_cascade_orphans(const spm_cascade* cascade, spm_refs** out);
SPM_EXTERN int spm_cascade_uncovered_goals(const spm_cascade* cascade, spm_refs** out);
SPM_EXTERN int spm_cascade_strategies_without_milestones(const spm_cascade* cascade,
                                                         spm_refs** out);
SPM_EXTERN int spm_cascade_milestones_without_owner(const spm_cascade* cascade, spm_refs** out);

/* Everything below one goal: `nodes` (objectives, actions, milestones, strategies with a path
 * to the goal, value = attribution, by decreasing attribution) and `owners` (employees, units,
 * teams whose objectives reach it, value = summed attribution). Either out-pointer may be NULL
 * when not wanted, not both; each list is the caller's.
 * Errors: SPM_EINVALID (cascade or goal NULL, both outs NULL, goal not valid UTF-8),
 * SPM_ENOTFOUND (no such goal), SPM_ESTALE, SPM_ENOMEM. */
SPM_EXTERN int spm_cascade_contributors(const spm_cascade* cascade, const char* goal,
                                        spm_refs** nodes, spm_refs** owners);

/* The goals that an employee, unit or team affects (kind goal, value = summed attribution of
 * its objectives), by decreasing value.
 * Errors: SPM_EINVALID (a NULL argument, kind not employee, unit or team, id not UTF-8),
 * SPM_ENOTFOUND, SPM_ESTALE, SPM_ENOMEM. */
SPM_EXTERN int spm_cascade_impact(const spm_cascade* cascade, spm_entity_kind kind, const char* id,
                                  spm_refs** out);

/* One goal's column of the attribution matrix: every node reaching the goal, value = its
 * attribution, in cascade order. Errors: as spm_cascade_contributors(). */
SPM_EXTERN int spm_cascade_attribution_to(const spm_cascade* cascade, const char* goal,
                                          spm_refs** out);

/* Line of sight: every path from a node up to the goals. An immutable result, independent of
 * the cascade; its functions may run from many threads at once. */
typedef struct spm_sight spm_sight;

/* Enumerates at most `max_paths` paths (0: the default, 10000) from the node. *out is the
 * caller's (spm_sight_free()), NULL on failure.
 * Errors: SPM_EINVALID (a NULL argument, kind unknown, id not UTF-8), SPM_ENOTFOUND (not a
 * node), SPM_ESTALE, SPM_ENOMEM. */
SPM_EXTERN int spm_cascade_line_of_sight(const spm_cascade* cascade, spm_entity_kind kind,
                                         const char* id, size_t max_paths, spm_sight** out);
SPM_EXTERN void spm_sight_free(spm_sight* sight);
/* The number of paths; 0 for NULL. */
SPM_EXTERN size_t spm_sight_path_count(const spm_sight* sight);
/* 1 if enumeration stopped at max_paths, else 0 (0 for NULL). */
SPM_EXTERN int spm_sight_truncated(const spm_sight* sight);
/* Path `i` as a borrowed list from the start node (first) to the goal (last): element j's
 * value is the normalized weight of the link from node j to node j+1 (1 for the last); *weight
 * (may be NULL) is the product along the path. Valid until spm_sight_free().
 * Errors: SPM_EINVALID (sight or nodes NULL, i out of range). */
SPM_EXTERN int spm_sight_path(const spm_sight* sight, size_t i, const spm_refs** nodes,
                              double* weight);
/* Per goal reached, the sum of the weights of the paths listed (kind goal): borrowed, valid
 * until spm_sight_free(). Errors: SPM_EINVALID (a NULL argument). */
SPM_EXTERN int spm_sight_goals(const spm_sight* sight, const spm_refs** out);

/* Alignment coverage: who is aligned, per group of employees and per goal. Immutable and
 * independent of the cascade; its functions may run from many threads at once. */
typedef struct spm_coverage spm_coverage;

/* One group of employees: the share with at least one objective that reaches a goal. Owned by
 * its report; fields only ever appended; only the library allocates it. */
typedef struct spm_coverage_row {
  spm_entity_kind kind; /* SPM_KIND_DIVISION, SPM_KIND_UNIT or SPM_KIND_TEAM; see is_org */
  int is_organization;  /* nonzero for the organization's row (id "") */
  const char* id;
  const char* name;
  size_t employees;
  size_t aligned;
  double share; /* aligned / employees; NaN without employees */
} spm_coverage_row;

/* One goal: what serves it. Owned by its report; fields only ever appended. */
typedef struct spm_goal_coverage {
  const char* goal;
  size_t measures;          /* measures attached to the goal itself */
  size_t contributors;      /* nodes with a path to the goal */
  size_t objectives;        /* of which objectives */
  size_t aligned_employees; /* employees with an objective reaching the goal */
  int covered;              /* nonzero: something contributes, or it has a measure */
} spm_goal_coverage;

/* Computes coverage. *out is the caller's (spm_coverage_free()), NULL on failure.
 * Errors: SPM_EINVALID (a NULL argument), SPM_ESTALE, SPM_ENOMEM. */
SPM_EXTERN int spm_cascade_coverage(const spm_cascade* cascade, spm_coverage** out);
SPM_EXTERN void spm_coverage_free(spm_coverage* coverage);
/* Rows: the organization first, then divisions, units (each with its sub-units) and teams in
 * model order. 0 for NULL. */
SPM_EXTERN size_t spm_coverage_row_count(const spm_coverage* coverage);
/* Borrowed, valid until spm_coverage_free(). Errors: SPM_EINVALID (NULL, out of range). */
SPM_EXTERN int spm_coverage_row_get(const spm_coverage* coverage, size_t i,
                                    const spm_coverage_row** out);
/* Goals in model order. 0 for NULL. */
SPM_EXTERN size_t spm_coverage_goal_count(const spm_coverage* coverage);
SPM_EXTERN int spm_coverage_goal_get(const spm_coverage* coverage, size_t i,
                                     const spm_goal_coverage** out);
/* The share of goals covered (NaN without goals; NaN for NULL). */
SPM_EXTERN double spm_coverage_goal_share(const spm_coverage* coverage);

/* The attribution of every node to every goal, a sparse matrix in compressed rows: row r is
 * cascade node r, column c the c-th goal of the model. Immutable; independent of the cascade. */
typedef struct spm_attribution spm_attribution;

/* Errors: SPM_EINVALID (a NULL argument), SPM_ESTALE, SPM_ENOMEM. */
SPM_EXTERN int spm_cascade_attribution(const spm_cascade* cascade, spm_attribution** out);
SPM_EXTERN void spm_attribution_free(spm_attribution* attribution);
/* The matrix as borrowed arrays (valid until spm_attribution_free()): `row_offsets` has
 * rows + 1 entries; `columns` and `values` have row_offsets[rows] (= *nnz) entries, columns
 * increasing within a row. Any out-pointer may be NULL when not wanted.
 * Errors: SPM_EINVALID (attribution NULL). Thread-safe. */
SPM_EXTERN int spm_attribution_csr(const spm_attribution* attribution, size_t* rows, size_t* cols,
                                   size_t* nnz, const int** row_offsets, const int** columns,
                                   const double** values);

/* ---- scoring ------------------------------------------------------------------------------- */

/* Statuses, trends: values fixed forever, new ones only appended. */
typedef enum spm_status {
  SPM_STATUS_GREEN = 0,
  SPM_STATUS_AMBER = 1,
  SPM_STATUS_RED = 2,
  SPM_STATUS_NO_DATA = 3
} spm_status;

typedef enum spm_trend {
  SPM_TREND_DOWN = 0,
  SPM_TREND_FLAT = 1,
  SPM_TREND_UP = 2,
  SPM_TREND_UNKNOWN = 3
} spm_trend;

/* "green", "amber", "red", "no_data"; "" for an unknown value. Static. Thread-safe. */
SPM_EXTERN const char* spm_status_name(spm_status status);
/* "down", "flat", "up", "unknown"; "" for an unknown value. Static. Thread-safe. */
SPM_EXTERN const char* spm_trend_name(spm_trend trend);

/* Options for spm_scorecard_evaluate(). */
typedef struct spm_score_options {
  unsigned int version;       /* SPM_SCORE_OPTIONS_VERSION */
  const char* const* columns; /* column labels in time order ("2026-03", "2026-Q1", "2026",
                                 "2026-YTD-05"), copied; NULL with column_count 0: see below */
  size_t column_count;
  const char* through;    /* when there are no columns: NULL scores every month from the
                             first to the last month with an actual; a label scores every
                             span like it from the first actual up to it (like columns
                             compare like with like) */
  int trend_periods;      /* trend over the last N columns (default 6, >= 2) */
  double trend_dead_band; /* slopes within +- this are flat (default 0.01) */
  double on_track_share;  /* pace: on track at this share of expected (default 0.95) */
  /* Since version 2. */
  int threads; /* threads evaluate may use, the caller's included (default 1; 0: one per
                  core); the scores are the same to the bit whatever the number */
} spm_score_options;

#define SPM_SCORE_OPTIONS_VERSION 2
#define SPM_SCORE_OPTIONS_INIT \
  { SPM_SCORE_OPTIONS_VERSION, NULL, 0, NULL, 6, 0.01, 0.95, 1 }

/* Sets *opts to the defaults of the given version; the same as SPM_SCORE_OPTIONS_INIT. Only the
 * fields of that version are written, so a host built against an older header passes its own
 * version and struct. Errors: SPM_EINVALID (opts NULL), SPM_EVERSION. Thread-safe. */
SPM_EXTERN int spm_score_options_init(spm_score_options* opts, unsigned int version);

/* Hypothetical changes for what-if, applied by spm_scorecard_evaluate() without touching the
 * model. Built with the functions below; independent of any model (ids are checked when
 * evaluating). */
typedef struct spm_scenario spm_scenario;

/* Errors: SPM_EINVALID (out NULL), SPM_ENOMEM. Thread-safe. */
SPM_EXTERN int spm_scenario_new(spm_scenario** out);
SPM_EXTERN void spm_scenario_free(spm_scenario* scenario);
/* Forgets every change. NULL is fine. */
SPM_EXTERN void spm_scenario_clear(spm_scenario* scenario);
/* The number of changes; 0 for NULL. */
SPM_EXTERN size_t spm_scenario_count(const spm_scenario* scenario);
/* A hypothetical actual of a measure in a period; NaN removes the actual.
 * Errors: SPM_EINVALID (a NULL argument, a string not UTF-8, a bad period), SPM_ENOMEM. */
SPM_EXTERN int spm_scenario_set_actual(spm_scenario* scenario, const char* measure,
                                       const char* period, double value);
/* A hypothetical target of a measure for a period, or (period NULL) its default target.
 * Errors: as spm_scenario_set_actual(). */
SPM_EXTERN int spm_scenario_set_target(spm_scenario* scenario, const char* measure,
                                       const char* period, double value);
/* A hypothetical weight: of the link from node (from_kind, from_id) to node (to_kind, to_id),
 * or, with from_kind SPM_KIND_MEASURE, of a measure among its subject's inputs (to_id is then
 * ignored and may be NULL). Errors: as spm_scenario_set_actual(), and kinds unknown. */
SPM_EXTERN int spm_scenario_set_weight(spm_scenario* scenario, spm_entity_kind from_kind,
                                       const char* from_id, spm_entity_kind to_kind,
                                       const char* to_id, double weight);

/* Scores per column for every measure, cascade node, perspective and the organization
 * (docs/scoring.md). Immutable, except through spm_scorecard_update(). It remembers the model
 * it scored: after an edit of the model's entities, queries fail with SPM_ESTALE. Every
 * function taking a const spm_scorecard* may run from many threads at once, provided nobody
 * edits the model or updates the scorecard meanwhile. */
typedef struct spm_scorecard spm_scorecard;

/* Scores the model behind `cascade`. `opts` and `scenario` may be NULL (defaults, no what-if).
 * *out is the caller's (spm_scorecard_free()), NULL on failure. It does not borrow the cascade,
 * the options or the scenario.
 * Errors: SPM_EINVALID (out or cascade NULL; a bad column label, a scenario naming unknown
 * entities or giving non-finite values, an out-of-domain actual: the message names each),
 * SPM_EVERSION (opts->version), SPM_ESTALE (the model changed since compile), SPM_ENOMEM.
 * May run concurrently with other reads of the cascade and the model. */
SPM_EXTERN int spm_scorecard_evaluate(spm_scorecard** out, const spm_cascade* cascade,
                                      const spm_score_options* opts, const spm_scenario* scenario);

/* Releases a scorecard and everything borrowed from it. NULL is fine. */
SPM_EXTERN void spm_scorecard_free(spm_scorecard* card);

/* 1 if the model is unchanged (but for actuals) since evaluation, else 0 (0 for NULL). */
SPM_EXTERN int spm_scorecard_is_current(const spm_scorecard* card);

/* The number of columns; 0 for NULL. */
SPM_EXTERN size_t spm_scorecard_column_count(const spm_scorecard* card);

/* The label of column i, borrowed (valid until spm_scorecard_free()).
 * Errors: SPM_EINVALID (NULL, i out of range). */
SPM_EXTERN int spm_scorecard_column_label(const spm_scorecard* card, size_t i, const char** out);

/* The index of the column labelled `label`.
 * Errors: SPM_EINVALID (a NULL argument), SPM_ENOTFOUND (no such column). */
SPM_EXTERN int spm_scorecard_column_index(const spm_scorecard* card, const char* label,
                                          size_t* out);

/* One row's result in one column. The caller sets `version` (SPM_SCORE_RESULT_VERSION, or the
 * SPM_SCORE_RESULT_INIT macro); the library fills the fields that version has. */
typedef struct spm_score_result {
  unsigned int version; /* SPM_SCORE_RESULT_VERSION */
  double score;         /* NaN: no score */
  double coverage;      /* share of input weight that had data */
  spm_status status;
  spm_trend trend;
  double slope; /* score points per column; NaN without two points */
} spm_score_result;

#define SPM_SCORE_RESULT_VERSION 1
#define SPM_SCORE_RESULT_INIT \
  { SPM_SCORE_RESULT_VERSION, 0.0, 0.0, SPM_STATUS_NO_DATA, SPM_TREND_UNKNOWN, 0.0 }

/* The result of a row in a column. The row is a measure (SPM_KIND_MEASURE), a perspective
 * (SPM_KIND_PERSPECTIVE) or a cascade node (goal, strategy, milestone, action, objective).
 * Errors: SPM_EINVALID (a NULL argument, a kind that has no score, id not UTF-8, column out of
 * range), SPM_EVERSION (out->version), SPM_ENOTFOUND (no such row), SPM_ESTALE. */
SPM_EXTERN int spm_scorecard_get(const spm_scorecard* card, spm_entity_kind kind, const char* id,
                                 size_t column, spm_score_result* out);

/* The organization's result in a column. Errors: as spm_scorecard_get(). */
SPM_EXTERN int spm_scorecard_get_organization(const spm_scorecard* card, size_t column,
                                              spm_score_result* out);

/* Why a row has its status in a column, as text ("amber: 0.7 <= score < 0.9 (organization
 * bands)"), into the caller's buffer (see "caller buffers"). Errors: as spm_scorecard_get(),
 * and SPM_EBUFSIZE. */
SPM_EXTERN int spm_scorecard_reason(const spm_scorecard* card, spm_entity_kind kind, const char* id,
                                    size_t column, char* buf, size_t size, size_t* needed);
SPM_EXTERN int spm_scorecard_organization_reason(const spm_scorecard* card, size_t column,
                                                 char* buf, size_t size, size_t* needed);

/* A measure's aggregated actual in a column (NaN: none) and the target that applied (NaN:
 * none). Errors: SPM_EINVALID (a NULL argument, id not UTF-8, column out of range),
 * SPM_ENOTFOUND, SPM_ESTALE. */
SPM_EXTERN int spm_scorecard_actual(const spm_scorecard* card, const char* measure, size_t column,
                                    double* out);
SPM_EXTERN int spm_scorecard_target(const spm_scorecard* card, const char* measure, size_t column,
                                    double* out);

/* Dense scores, row-major with *cols columns, borrowed (valid until the scorecard is updated or
 * freed): node rows are cascade indices (spm_cascade_node()), measure rows are measures in
 * model order (spm_model_entity_id()). NaN: no score. Any of rows/cols may be NULL. Both are
 * changed in place by spm_scorecard_update(). The node array is the engine's own; the engine
 * keeps the measures' scores in cascade order, and the first call of
 * spm_scorecard_measure_scores() copies them into model order (later calls return that copy).
 * Errors: SPM_EINVALID (card or data NULL); SPM_ENOMEM (the measures' copy). */
SPM_EXTERN int spm_scorecard_node_scores(const spm_scorecard* card, const double** data,
                                         size_t* rows, size_t* cols);
SPM_EXTERN int spm_scorecard_measure_scores(const spm_scorecard* card, const double** data,
                                            size_t* rows, size_t* cols);

/* How a node's score in one column came about: each input as the roll-up used it. Immutable,
 * independent of the scorecard; its functions may run from many threads at once. */
typedef struct spm_explanation spm_explanation;

/* The summary; owned by the explanation. Fields only ever appended; only the library
 * allocates it. */
typedef struct spm_explanation_info {
  spm_entity_kind kind;
  const char* id;
  const char* column;
  double score;
  double coverage;
  const char* rollup;   /* "mean", "min", "max", "status_counts" */
  const char* missing;  /* "skip", "zero", "propagate", "carry" */
  int status_counts[4]; /* inputs by status (green, amber, red, no_data), for status_counts */
  const char* text;     /* a readable multi-line explanation */
  size_t input_count;
} spm_explanation_info;

/* One input; owned by the explanation. Fields only ever appended. */
typedef struct spm_explanation_input {
  spm_entity_kind kind; /* SPM_KIND_MEASURE or a contributing node's kind */
  const char* id;
  double score;        /* the score used; NaN: none */
  int carried;         /* nonzero: the input's last known score (missing policy carry) */
  double weight;       /* as given */
  double normalized;   /* share among the inputs counted in this column */
  double contribution; /* points added to the node's score */
} spm_explanation_input;

/* Explains a cascade node's score in a column. *out is the caller's (spm_explanation_free()).
 * Errors: SPM_EINVALID (a NULL argument, a kind that is not a node kind, id not UTF-8, column
 * out of range), SPM_ENOTFOUND, SPM_ESTALE, SPM_ENOMEM. */
SPM_EXTERN int spm_scorecard_explain(const spm_scorecard* card, spm_entity_kind kind,
                                     const char* id, size_t column, spm_explanation** out);
SPM_EXTERN void spm_explanation_free(spm_explanation* explanation);
/* Borrowed, valid until spm_explanation_free(). Errors: SPM_EINVALID (a NULL argument). */
SPM_EXTERN int spm_explanation_info_get(const spm_explanation* explanation,
                                        const spm_explanation_info** out);
/* Inputs: measures first, then contributing nodes. Errors: SPM_EINVALID (NULL, out of
 * range). */
SPM_EXTERN int spm_explanation_input_get(const spm_explanation* explanation, size_t i,
                                         const spm_explanation_input** out);

/* A measure's pace (docs/scoring.md): the caller sets `version`, the library fills the rest. */
typedef struct spm_pace {
  unsigned int version; /* SPM_PACE_VERSION */
  char span[32];        /* the target's span, e.g. "2026" */
  char as_of[16];       /* the last month counted */
  double elapsed;       /* share of the span's months elapsed */
  double actual;        /* the actual to date (NaN: none) */
  double expected;
  double ratio;
  int on_track;
} spm_pace;

#define SPM_PACE_VERSION 1

/* Pace of a measure as of a month ("2026-06").
 * Errors: SPM_EINVALID (a NULL argument, a bad month, id not UTF-8), SPM_EVERSION,
 * SPM_ENOTFOUND, SPM_ESTALE. */
SPM_EXTERN int spm_scorecard_pace(const spm_scorecard* card, const char* measure, const char* as_of,
                                  spm_pace* out);

/* A measure's forecast at the end of a span: the caller sets `version`. */
typedef struct spm_forecast {
  unsigned int version; /* SPM_FORECAST_VERSION */
  char span[32];
  double value; /* NaN: fewer than two actuals to project from */
  double score;
  spm_status status;
} spm_forecast;

#define SPM_FORECAST_VERSION 1

/* Forecast of a measure for a span label ("2026", "2026-Q4").
 * Errors: as spm_scorecard_pace(). */
SPM_EXTERN int spm_scorecard_forecast(const spm_scorecard* card, const char* measure,
                                      const char* span, spm_forecast* out);

/* d(goal score) / d(measure score) with static weights.
 * Errors: SPM_EINVALID (a NULL argument, an id not UTF-8), SPM_ENOTFOUND, SPM_ESTALE. */
SPM_EXTERN int spm_scorecard_sensitivity(const spm_scorecard* card, const char* goal,
                                         const char* measure, double* out);

/* Takes the model's current actuals of `n` measures and rescores them and everything above
 * them: the same numbers to the bit as a fresh evaluation. The model must be the one scored,
 * with only actuals changed since. Borrowed score arrays are invalidated.
 * Errors: SPM_EINVALID (card or model NULL, ids NULL with n > 0, an id NULL or not UTF-8, another
 * model), SPM_ENOTFOUND, SPM_ESTALE, SPM_ENOMEM. Needs exclusive access to the scorecard. */
SPM_EXTERN int spm_scorecard_update(spm_scorecard* card, const spm_model* model,
                                    const char* const* ids, size_t n);

/* ---- tables for Arrow (the Arrow C Data Interface) ----------------------------------------- */

/* The two structs of the Arrow C Data Interface (arrow.apache.org/docs/format/CDataInterface),
 * declared here exactly as the specification gives them, under its guard macro, so that any
 * Arrow consumer (pyarrow, polars, DuckDB, R, Java, nanoarrow) takes spm's tables without spm
 * depending on Arrow. */
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;
  void (*release)(struct ArrowSchema*);
  void* private_data;
};

struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;
  void (*release)(struct ArrowArray*);
  void* private_data;
};

#endif /* ARROW_C_DATA_INTERFACE */

/* Which rows a score table has. Values fixed forever; new ones only appended. */
typedef enum spm_table_rows {
  SPM_ROWS_MEASURES = 0, /* every measure, in model order */
  SPM_ROWS_NODES = 1     /* every cascade node, in cascade order (spm_cascade_node()) */
} spm_table_rows;

/* Exports the scores of a scorecard as an Arrow table: a struct array (format "+s") with one
 * row per measure or cascade node and the children "kind" (utf8, e.g. "goal"), "id" (utf8) and
 * one nullable float64 column per scorecard column, named by its label, null where there is
 * no score. The table is a copy, independent of the scorecard: on success *schema and *array
 * are the caller's, each released by calling its own release callback (the consumer does so
 * when it imports them). On failure both have release == NULL.
 * Errors: SPM_EINVALID (a NULL argument, rows unknown), SPM_ESTALE, SPM_ENOMEM.
 * May run concurrently with other reads of the scorecard. */
SPM_EXTERN int spm_scorecard_export_arrow(const spm_scorecard* card, spm_table_rows rows,
                                          struct ArrowSchema* schema, struct ArrowArray* array);

/* ---- performance management (DOMAIN.md section 7, docs/people.md) ------------------------- */

/* The reviews of one review cycle: an immutable result, independent of the model, cascade and
 * scorecard it came from; its functions may run from many threads at once. */
typedef struct spm_reviews spm_reviews;

/* The components of a review, in this order in spm_employee_review's arrays. Values fixed
 * forever; new ones only appended. */
typedef enum spm_review_component {
  SPM_COMPONENT_OBJECTIVES = 0,
  SPM_COMPONENT_CONTRIBUTION = 1,
  SPM_COMPONENT_VALUES = 2,
  SPM_COMPONENT_SELF = 3,
  SPM_COMPONENT_FEEDBACK = 4
} spm_review_component;

#define SPM_COMPONENT_COUNT 5

/* Rater relations of 360-degree feedback, in this order in spm_employee_review's feedback.
 * Values fixed forever; new ones only appended. */
typedef enum spm_rater_relation {
  SPM_RELATION_MANAGER = 0,
  SPM_RELATION_PEER = 1,
  SPM_RELATION_DIRECT_REPORT = 2,
  SPM_RELATION_OTHER = 3,
  SPM_RELATION_SELF = 4
} spm_rater_relation;

#define SPM_RELATION_COUNT 5

/* "manager", "peer", "direct_report", "other", "self"; "" for an unknown value. Static.
 * Thread-safe. */
SPM_EXTERN const char* spm_rater_relation_name(spm_rater_relation relation);

/* One rater group of an employee's 360-degree feedback (docs/people.md, "360-degree feedback
 * and anonymity"). A group is shown when its counted responses reach the cycle's threshold for
 * the relation; a group that is not shown looks the same whether it has no response or some
 * (responses 0, means NaN, no raters, no comments), and no number of any function depends on
 * it. Only the manager and self groups name their raters. Owned by the review; fields only
 * ever appended; only the library allocates it. */
typedef struct spm_feedback_group {
  spm_rater_relation relation;
  int threshold;             /* the cycle's anonymity threshold for the relation */
  int shown;                 /* nonzero: at least `threshold` counted responses */
  size_t responses;          /* 0 when not shown */
  double mean_rating;        /* NaN when not shown */
  double mean_score;         /* NaN when not shown */
  const char* const* raters; /* manager and self groups only, when shown (sorted) */
  size_t rater_count;
  const char* const* comments; /* non-empty comments, when shown (sorted) */
  size_t comment_count;
} spm_feedback_group;

/* One of the employee's objectives as the objectives component used it. Owned by the review. */
typedef struct spm_review_objective {
  const char* objective;
  double weight;     /* the objective's weight */
  double score;      /* in the cycle's column; NaN: no score (left out) */
  double normalized; /* share among the employee's objectives with a score */
  double points;     /* normalized * score */
} spm_review_objective;

/* One goal that the employee's objectives reach, as the contribution component used it. */
typedef struct spm_review_goal {
  const char* goal;
  double attribution;        /* summed attribution of all the employee's objectives */
  double share;              /* attribution / the sum over the goals (traces rewards) */
  double scored_attribution; /* the part of `attribution` from objectives with a score */
  double score;              /* attribution-weighted mean of those objectives' scores */
  double points;             /* what the goal adds to the contribution component */
} spm_review_goal;

/* A manager's rating of a value (SPM_KIND_VALUE) or competency (SPM_KIND_COMPETENCY). */
typedef struct spm_review_rating {
  spm_entity_kind kind;
  const char* id;
  double rating;
  double score; /* the rating on the score scale */
} spm_review_rating;

/* One employee's review. Owned by its spm_reviews; fields only ever appended; only the library
 * allocates it. Scores are NaN when missing: a missing component is never counted as 0. */
typedef struct spm_employee_review {
  const char* employee;
  const char* unit;
  const char* manager;
  const char* review;   /* the review's id; "" without one */
  const char* reviewer; /* "" without a review */
  int review_completed; /* nonzero: completed on or before as_of */
  int self_submitted;   /* nonzero: a self-assessment submitted on or before as_of */
  double final_score;   /* weighted mean of the components present; NaN: none */
  double weight_present;
  double component_score[SPM_COMPONENT_COUNT];        /* NaN: missing */
  double component_weight[SPM_COMPONENT_COUNT];       /* the cycle's weights */
  double component_points[SPM_COMPONENT_COUNT];       /* what each adds to final_score */
  const char* component_missing[SPM_COMPONENT_COUNT]; /* why missing; "" when present */
  double overall_rating; /* the reviewer's overall rating (not a component); NaN: none */
  double overall_score;
  const char* text; /* every number explained, in a few lines */
  /* Appended: the detail lines and the 360-degree feedback groups. */
  double component_normalized[SPM_COMPONENT_COUNT]; /* share among the components present */
  const spm_review_objective* objectives;           /* the employee's objectives, model order */
  size_t objective_count;
  const spm_review_goal* goals; /* goals reached, by decreasing attribution */
  size_t goal_count;
  const spm_review_rating* ratings; /* of the completed review, as given */
  size_t rating_count;
  double self_rating; /* the self-assessment's rating; NaN: none */
  /* One group per spm_rater_relation, in that order. A group that is not shown carries
   * nothing: responses 0, means NaN, no raters, no comments. */
  spm_feedback_group feedback[SPM_RELATION_COUNT];
} spm_employee_review;

/* Computes the reviews of a cycle as of a date ("2027-01-20"; spm never reads the clock). The
 * scorecard must have a column with the cycle's span (e.g. "2026" for a calendar-year cycle),
 * and the cascade and scorecard must be current and of the same model. *out is the caller's
 * (spm_reviews_free()), NULL on failure. Anonymity thresholds apply as docs/people.md says.
 * Errors: SPM_EINVALID (a NULL argument, a string not UTF-8, a bad date, a scorecard without
 * the cycle's column or of another cascade), SPM_ENOTFOUND (no such cycle), SPM_ESTALE,
 * SPM_EVALIDATION (every problem of the cycle's records listed), SPM_ENOMEM.
 * May run concurrently with other reads of the model, cascade and scorecard. */
SPM_EXTERN int spm_reviews_compute(spm_reviews** out, const spm_cascade* cascade,
                                   const spm_scorecard* card, const char* cycle, const char* as_of);
SPM_EXTERN void spm_reviews_free(spm_reviews* reviews);
/* The number of employees reviewed; 0 for NULL. */
SPM_EXTERN size_t spm_reviews_count(const spm_reviews* reviews);
/* The i-th employee's review (in the cycle's employee order), borrowed: valid until
 * spm_reviews_free(). Errors: SPM_EINVALID (a NULL argument, i out of range). */
SPM_EXTERN int spm_reviews_get(const spm_reviews* reviews, size_t i,
                               const spm_employee_review** out);
/* The review of one employee. Errors: SPM_EINVALID (a NULL argument, id not UTF-8),
 * SPM_ENOTFOUND (not reviewed in this cycle). */
SPM_EXTERN int spm_reviews_find(const spm_reviews* reviews, const char* employee,
                                const spm_employee_review** out);

/* The reviews as a JSON document into *out (overwritten, not read; on success the caller's,
 * spm_buf_dispose(); on failure {NULL, 0}): the text `spm review --format json` prints. With
 * `employee` NULL, every employee without detail lines; with an employee's id, that review with
 * every line (objectives, goals, ratings, feedback groups; a group not shown only as
 * {"relation", "shown": false, "threshold"}). Names beside ids are read from `names`, the model
 * as it is now (usually the one the reviews came from).
 * Errors: SPM_EINVALID (reviews, names or out NULL, employee not UTF-8), SPM_ENOTFOUND (the
 * employee is not reviewed in this cycle), SPM_ENOMEM. May run concurrently with other reads
 * of the reviews and the model. */
SPM_EXTERN int spm_reviews_to_json(const spm_reviews* reviews, const spm_model* names,
                                   const char* employee, spm_buf* out);

/* The employees a cycle reviews as of a date (docs/people.md, "who is reviewed"): a new list
 * of kind employee, value 0, in the cycle's (or the model's) order; *out is the caller's
 * (spm_refs_free()), NULL on failure.
 * Errors: SPM_EINVALID (a NULL argument, a string not UTF-8, a bad date), SPM_ENOTFOUND (no
 * such cycle), SPM_ENOMEM. May run concurrently with other reads of the model. */
SPM_EXTERN int spm_cycle_employees(const spm_model* model, const char* cycle, const char* as_of,
                                   spm_refs** out);

/* The score of a rating on a cycle's scale (its table, or linear from min to max).
 * Errors: SPM_EINVALID (a NULL argument, cycle not UTF-8, a rating that is not finite, lies
 * outside the scale or falls in no range of its table), SPM_ENOTFOUND (no such cycle).
 * May run concurrently with other reads of the model. */
SPM_EXTERN int spm_cycle_rating_score(const spm_model* model, const char* cycle, double rating,
                                      double* out);

/* ---- check-ins ----------------------------------------------------------------------------- */

/* The check-ins of a cycle's employees against its cadence: an immutable result, independent
 * of the model; its functions may run from many threads at once. */
typedef struct spm_check_ins spm_check_ins;

/* One employee's check-ins. Owned by its report; fields only ever appended; only the library
 * allocates it. Dates are "YYYY-MM-DD", "" for none. */
typedef struct spm_check_in_status {
  const char* employee;
  size_t in_cycle;    /* check-ins held within the cycle's span, up to as_of */
  const char* last;   /* the latest check-in on or before as_of; "" for none */
  int64_t days_since; /* from `last` (or the later of the span's first day and the employee's
                         start, without one) to as_of */
  const char* due;    /* the day the next one is due; "" without a cadence or a last one */
  int expected;       /* 0 without a manager: check-ins are with a manager */
  int overdue;        /* expected and days_since > the cadence (never without one) */
} spm_check_in_status;

/* Check-ins of the cycle's employees as of a date ("2027-01-20"). *out is the caller's
 * (spm_check_ins_free()), NULL on failure.
 * Errors: SPM_EINVALID (a NULL argument, a string not UTF-8, a bad date), SPM_ENOTFOUND (no
 * such cycle), SPM_ENOMEM. May run concurrently with other reads of the model. */
SPM_EXTERN int spm_check_ins_compute(spm_check_ins** out, const spm_model* model, const char* cycle,
                                     const char* as_of);
SPM_EXTERN void spm_check_ins_free(spm_check_ins* report);
/* The number of employees (in the cycle's employee order); 0 for NULL. */
SPM_EXTERN size_t spm_check_ins_count(const spm_check_ins* report);
/* How many are overdue; 0 for NULL. */
SPM_EXTERN size_t spm_check_ins_overdue(const spm_check_ins* report);
/* The cycle's cadence in days (0: none); 0 for NULL. */
SPM_EXTERN int spm_check_ins_cadence_days(const spm_check_ins* report);
/* The i-th employee, borrowed: valid until spm_check_ins_free().
 * Errors: SPM_EINVALID (a NULL argument, i out of range). */
SPM_EXTERN int spm_check_ins_get(const spm_check_ins* report, size_t i,
                                 const spm_check_in_status** out);
/* The report as JSON (`spm review --report check-ins --format json`), like
 * spm_reviews_to_json(). Errors: SPM_EINVALID (a NULL argument), SPM_ENOMEM. */
SPM_EXTERN int spm_check_ins_to_json(const spm_check_ins* report, spm_buf* out);

/* ---- participation ------------------------------------------------------------------------- */

/* Groups of employees that participation and calibration report on. Values fixed forever; new
 * ones only appended. */
typedef enum spm_group_kind {
  SPM_GROUP_ORGANIZATION = 0,
  SPM_GROUP_DIVISION = 1,
  SPM_GROUP_UNIT = 2,
  SPM_GROUP_TEAM = 3,
  SPM_GROUP_MANAGER = 4 /* a manager's direct reports; the id is the manager's employee id */
} spm_group_kind;

/* "organization", "division", "unit", "team", "manager"; "" for an unknown value. Static.
 * Thread-safe. */
SPM_EXTERN const char* spm_group_kind_name(spm_group_kind kind);

/* What participation counts, in this order in spm_participation_row's arrays. Values fixed
 * forever; new ones only appended. */
typedef enum spm_criterion {
  SPM_CRITERION_OBJECTIVES = 0,      /* owns an objective active in the span */
  SPM_CRITERION_ALIGNED = 1,         /* ... of which one reaches a goal */
  SPM_CRITERION_CHECK_IN = 2,        /* a check-in within the cadence (or no manager to meet) */
  SPM_CRITERION_SELF_ASSESSMENT = 3, /* a self-assessment submitted (cycle only) */
  SPM_CRITERION_FEEDBACK = 4,        /* a feedback group other than self shown (cycle only) */
  SPM_CRITERION_REVIEW = 5           /* a completed review (cycle only) */
} spm_criterion;

#define SPM_CRITERION_COUNT 6

/* "objectives", "aligned", "check_in", "self_assessment", "feedback", "review"; "" for an
 * unknown value. Static. Thread-safe. */
SPM_EXTERN const char* spm_criterion_name(spm_criterion criterion);

/* What to count participation of: a review cycle (its employees, span and cadence; all six
 * criteria apply) or, with cycle NULL, a period (everyone employed on some day of it and on
 * as_of, objectives active in it, cadence_days; the three cycle-only criteria do not apply). */
typedef struct spm_participation_query {
  unsigned int version; /* SPM_PARTICIPATION_QUERY_VERSION */
  const char* cycle;    /* a review cycle's id, or NULL */
  const char* period;   /* without a cycle: "2026", "2026-Q3" or "2026-05"; else NULL */
  const char* as_of;    /* the day counted as today, "YYYY-MM-DD"; required */
  int cadence_days;     /* for a period: days within which a check-in is recent (default 30) */
} spm_participation_query;

#define SPM_PARTICIPATION_QUERY_VERSION 1
#define SPM_PARTICIPATION_QUERY_INIT \
  { SPM_PARTICIPATION_QUERY_VERSION, NULL, NULL, NULL, 30 }

/* Sets *query to the defaults of the given version; the same as SPM_PARTICIPATION_QUERY_INIT.
 * Errors: SPM_EINVALID (query NULL), SPM_EVERSION. Thread-safe. */
SPM_EXTERN int spm_participation_query_init(spm_participation_query* query, unsigned int version);

/* Participation by organization, division, unit, team and manager: an immutable result,
 * independent of the model and cascade; its functions may run from many threads at once. */
typedef struct spm_participation spm_participation;

/* One group. Owned by its report; fields only ever appended; only the library allocates it.
 * Per criterion: whether it applies (0 for the cycle-only criteria of a period query), how
 * many meet it, the share (NaN without employees or when it does not apply) and the ids of the
 * employees missing it, in population order (borrowed arrays of missing_count[c] strings). */
typedef struct spm_participation_row {
  spm_group_kind kind;
  const char* id;   /* "" for the organization */
  const char* name; /* the group's name in the model ("" for none) */
  size_t employees;
  int applies[SPM_CRITERION_COUNT];
  size_t met[SPM_CRITERION_COUNT];
  double share[SPM_CRITERION_COUNT];
  const char* const* missing[SPM_CRITERION_COUNT];
  size_t missing_count[SPM_CRITERION_COUNT];
} spm_participation_row;

/* Computes participation. *out is the caller's (spm_participation_free()), NULL on failure.
 * Errors: SPM_EINVALID (a NULL argument, query with both or neither of cycle and period, a
 * string not UTF-8, a bad period or date, a negative cadence), SPM_EVERSION (query->version),
 * SPM_ENOTFOUND (no such cycle), SPM_ESTALE, SPM_ENOMEM.
 * May run concurrently with other reads of the cascade and its model. */
SPM_EXTERN int spm_participation_compute(spm_participation** out, const spm_cascade* cascade,
                                         const spm_participation_query* query);
SPM_EXTERN void spm_participation_free(spm_participation* report);
/* Rows: the organization first, then divisions, units (each with its sub-units), teams (model
 * order) and managers (model order of the managers). 0 for NULL. */
SPM_EXTERN size_t spm_participation_count(const spm_participation* report);
/* Borrowed, valid until spm_participation_free(). Errors: SPM_EINVALID (NULL, out of range). */
SPM_EXTERN int spm_participation_get(const spm_participation* report, size_t i,
                                     const spm_participation_row** out);
/* The row of one group (id "" for the organization).
 * Errors: SPM_EINVALID (a NULL argument, kind unknown, id not UTF-8), SPM_ENOTFOUND. */
SPM_EXTERN int spm_participation_find(const spm_participation* report, spm_group_kind kind,
                                      const char* id, const spm_participation_row** out);
/* The report as JSON (`spm participation --format json`, every group), like
 * spm_reviews_to_json(); names from `names`.
 * Errors: SPM_EINVALID (a NULL argument), SPM_ENOMEM. */
SPM_EXTERN int spm_participation_to_json(const spm_participation* report, const spm_model* names,
                                         spm_buf* out);

/* ---- calibration --------------------------------------------------------------------------- */

/* Distributions of final scores and normalized scores: immutable, independent of the reviews;
 * its functions may run from many threads at once. */
typedef struct spm_calibration spm_calibration;

/* The distribution of final scores in one group (the employees with a final score). Owned by
 * its calibration; fields only ever appended; only the library allocates it. */
typedef struct spm_distribution {
  spm_group_kind kind; /* organization, manager or unit */
  const char* id;      /* "" for the organization */
  size_t count;
  double mean, sd; /* population standard deviation */
  double min, q1, median, q3, max;
} spm_distribution;

/* One employee with a final score. Owned by its calibration; fields only ever appended. */
typedef struct spm_calibration_line {
  const char* employee;
  const char* manager;
  const char* unit;
  double final_score;
  double z_manager; /* (score - the manager group's mean) / its sd; NaN for a group of fewer
                       than two or without spread */
  double z_unit;
  double z_organization;
  int outlier; /* |z| > outlier_z within manager, unit or organization */
} spm_calibration_line;

/* Calibrates a cycle's reviews; outlier_z (finite, > 0; docs/people.md uses 2) is the |z|
 * beyond which an employee is an outlier. *out is the caller's (spm_calibration_free()).
 * Errors: SPM_EINVALID (a NULL argument, outlier_z not finite or <= 0), SPM_ENOMEM.
 * May run concurrently with other reads of the reviews. */
SPM_EXTERN int spm_calibration_compute(spm_calibration** out, const spm_reviews* reviews,
                                       double outlier_z);
SPM_EXTERN void spm_calibration_free(spm_calibration* calibration);
/* Distributions: the organization first, then managers and units in order of first appearance
 * in the reviews. 0 for NULL. */
SPM_EXTERN size_t spm_calibration_distribution_count(const spm_calibration* calibration);
SPM_EXTERN int spm_calibration_distribution_get(const spm_calibration* calibration, size_t i,
                                                const spm_distribution** out);
/* Employees with a final score, in review order. 0 for NULL. */
SPM_EXTERN size_t spm_calibration_count(const spm_calibration* calibration);
/* Borrowed, valid until spm_calibration_free(). Errors: SPM_EINVALID (NULL, out of range). */
SPM_EXTERN int spm_calibration_get(const spm_calibration* calibration, size_t i,
                                   const spm_calibration_line** out);
/* As JSON (`spm review --report calibration --format json`), like spm_reviews_to_json().
 * Errors: SPM_EINVALID (a NULL argument), SPM_ENOMEM. */
SPM_EXTERN int spm_calibration_to_json(const spm_calibration* calibration, spm_buf* out);

/* ---- rewards ------------------------------------------------------------------------------- */

/* The rules that divide a reward pool (docs/people.md, "rewards"). */
typedef struct spm_reward_rules {
  unsigned int version;         /* SPM_REWARD_RULES_VERSION */
  double pool;                  /* the money to divide (finite, >= 0); rounded to cents first */
  int require_completed_review; /* nonzero (the default): only completed reviews are eligible */
  double min_final_score;       /* eligible at or above (default 0) */
  double final_exponent;        /* a >= 0: share proportional to final^a x contribution^b (1) */
  double contribution_exponent; /* b >= 0 (default 0); b > 0 needs a contribution score */
} spm_reward_rules;

#define SPM_REWARD_RULES_VERSION 1
#define SPM_REWARD_RULES_INIT \
  { SPM_REWARD_RULES_VERSION, 0.0, 1, 0.0, 1.0, 0.0 }

/* Sets *rules to the defaults of the given version; the same as SPM_REWARD_RULES_INIT.
 * Errors: SPM_EINVALID (rules NULL), SPM_EVERSION. Thread-safe. */
SPM_EXTERN int spm_reward_rules_init(spm_reward_rules* rules, unsigned int version);

/* A reward pool divided: immutable, independent of the reviews; its functions may run from
 * many threads at once. */
typedef struct spm_rewards spm_rewards;

/* Part of a share traced to one goal. Owned by its report. */
typedef struct spm_reward_trace {
  const char* goal; /* "" for the part not traced to any goal */
  int64_t cents;
} spm_reward_trace;

/* One employee's share. Owned by its report; fields only ever appended; only the library
 * allocates it. */
typedef struct spm_reward_share {
  const char* employee;
  int eligible;
  const char* reason;            /* why not eligible; "" when eligible */
  double basis;                  /* final^a x contribution^b (0 when not eligible) */
  double exact;                  /* the unrounded share, in money */
  int64_t cents;                 /* the share in cents; the shares sum exactly to the pool */
  const spm_reward_trace* goals; /* the share split by the employee's goal shares; the parts sum
                                    exactly to `cents` */
  size_t goal_count;
} spm_reward_share;

/* Divides rules->pool among a cycle's reviews (NULL rules: the defaults, a pool of 0). *out is
 * the caller's (spm_rewards_free()), NULL on failure.
 * Errors: SPM_EINVALID (out or reviews NULL; a pool or exponents negative or not finite, a
 * minimum score that is not finite), SPM_EVERSION (rules->version), SPM_ENOMEM.
 * May run concurrently with other reads of the reviews. */
SPM_EXTERN int spm_rewards_compute(spm_rewards** out, const spm_reviews* reviews,
                                   const spm_reward_rules* rules);
SPM_EXTERN void spm_rewards_free(spm_rewards* rewards);
/* The number of employees (review order); 0 for NULL. */
SPM_EXTERN size_t spm_rewards_count(const spm_rewards* rewards);
/* Borrowed, valid until spm_rewards_free(). Errors: SPM_EINVALID (NULL, out of range). */
SPM_EXTERN int spm_rewards_get(const spm_rewards* rewards, size_t i, const spm_reward_share** out);
/* The pool in cents and the cents allocated (the pool when someone eligible has a basis > 0,
 * else 0). Either pointer may be NULL. Errors: SPM_EINVALID (rewards NULL). */
SPM_EXTERN int spm_rewards_totals(const spm_rewards* rewards, int64_t* pool_cents,
                                  int64_t* allocated_cents);
/* As JSON (`spm review --report rewards --format json`), like spm_reviews_to_json().
 * Errors: SPM_EINVALID (a NULL argument), SPM_ENOMEM. */
SPM_EXTERN int spm_rewards_to_json(const spm_rewards* rewards, spm_buf* out);

/* ---- training needs ------------------------------------------------------------------------ */

/* Competency gaps of a cycle's employees: immutable, independent of the model; its functions
 * may run from many threads at once. */
typedef struct spm_training_needs spm_training_needs;

/* One employee's need of one competency. Owned by its report; fields only ever appended. */
typedef struct spm_training_gap {
  const char* employee;
  const char* competency;
  double required;               /* the highest level the employee's objectives require */
  double assessed;               /* from the latest completed review rating it; NaN: not assessed */
  double gap;                    /* max(required - assessed, 0); NaN when not assessed */
  const char* const* objectives; /* the employee's objectives that require it */
  size_t objective_count;
} spm_training_gap;

/* One unit's need of one competency (a unit includes its sub-units). Owned by its report. */
typedef struct spm_unit_training_need {
  const char* unit;
  const char* competency;
  double total_gap; /* summed over the unit's assessed employees */
  size_t employees_with_gap;
  size_t not_assessed;
  const spm_refs* goals; /* goals the requiring objectives reach (kind goal, value = summed
                            attribution), by decreasing attribution; borrowed */
} spm_unit_training_need;

/* Training needs of a cycle as of a date. *out is the caller's (spm_training_needs_free()).
 * Errors: SPM_EINVALID (a NULL argument, a string not UTF-8, a bad date), SPM_ENOTFOUND (no
 * such cycle), SPM_ESTALE, SPM_ENOMEM. May run concurrently with other reads of the cascade
 * and its model. */
SPM_EXTERN int spm_training_needs_compute(spm_training_needs** out, const spm_cascade* cascade,
                                          const char* cycle, const char* as_of);
SPM_EXTERN void spm_training_needs_free(spm_training_needs* needs);
/* Gaps by employee (population order), then competency (model order). 0 for NULL. */
SPM_EXTERN size_t spm_training_needs_gap_count(const spm_training_needs* needs);
SPM_EXTERN int spm_training_needs_gap_get(const spm_training_needs* needs, size_t i,
                                          const spm_training_gap** out);
/* By unit (model order), then competency (model order). 0 for NULL. */
SPM_EXTERN size_t spm_training_needs_unit_count(const spm_training_needs* needs);
/* Borrowed, valid until spm_training_needs_free(). Errors: SPM_EINVALID (NULL, out of
 * range). */
SPM_EXTERN int spm_training_needs_unit_get(const spm_training_needs* needs, size_t i,
                                           const spm_unit_training_need** out);
/* As JSON (`spm review --report training --format json`), like spm_reviews_to_json().
 * Errors: SPM_EINVALID (a NULL argument), SPM_ENOMEM. */
SPM_EXTERN int spm_training_needs_to_json(const spm_training_needs* needs, spm_buf* out);

/* ---- outcome budgeting --------------------------------------------------------------------- */

/* Budget by strategy against the scores of the goals it serves: immutable, independent of the
 * scorecard; its functions may run from many threads at once. */
typedef struct spm_outcome_budget spm_outcome_budget;

/* A goal that a strategy serves. Owned by its report. */
typedef struct spm_served_goal {
  const char* goal;
  double weight; /* the strategy's normalized weight among the goal's inputs */
  double score;  /* the goal's score in the column; NaN: none */
} spm_served_goal;

/* One strategy. Owned by its report; fields only ever appended; only the library allocates
 * it. */
typedef struct spm_strategy_outcome {
  const char* strategy;
  double budget; /* within the column's span, prorated by months for partial overlaps */
  const char* currency;
  double strategy_score;    /* the strategy's own score; NaN: none */
  double outcome;           /* weight-averaged score of the goals served that have a score */
  double outcome_per_spend; /* outcome / (budget / spend_unit); NaN without budget or outcome */
  const spm_served_goal* goals;
  size_t goal_count;
} spm_strategy_outcome;

/* Outcome budgeting in one column of a scorecard, spend_unit (> 0, finite; 1e6: outcome per
 * million) the spend that outcome_per_spend is per. *out is the caller's
 * (spm_outcome_budget_free()).
 * Errors: SPM_EINVALID (a NULL argument, column out of range, spend_unit not > 0, a scorecard
 * of another cascade, a strategy whose budgets in the span mix currencies), SPM_ESTALE,
 * SPM_ENOMEM. May run concurrently with other reads of the cascade, scorecard and model. */
SPM_EXTERN int spm_outcome_budget_compute(spm_outcome_budget** out, const spm_cascade* cascade,
                                          const spm_scorecard* card, size_t column,
                                          double spend_unit);
SPM_EXTERN void spm_outcome_budget_free(spm_outcome_budget* budget);
/* Strategies in model order. 0 for NULL. */
SPM_EXTERN size_t spm_outcome_budget_count(const spm_outcome_budget* budget);
/* Borrowed, valid until spm_outcome_budget_free(). Errors: SPM_EINVALID (NULL, out of range). */
SPM_EXTERN int spm_outcome_budget_get(const spm_outcome_budget* budget, size_t i,
                                      const spm_strategy_outcome** out);
/* As JSON (`spm review --report budget --format json`), like spm_reviews_to_json().
 * Errors: SPM_EINVALID (a NULL argument), SPM_ENOMEM. */
SPM_EXTERN int spm_outcome_budget_to_json(const spm_outcome_budget* budget, spm_buf* out);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SPM_H */
