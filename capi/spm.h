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
 * - Thread safety: the library has no global mutable state except each thread's last error
 *   message. Different handles may be used on different threads at once. One handle may be
 *   read (functions taking `const`) from several threads at once, but a function that takes a
 *   non-const handle needs exclusive access to it.
 * - No C++ exception ever crosses this interface.
 */
#ifndef SPM_H
#define SPM_H

#include <stddef.h>

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
 * such file or directory". Never NULL: "" if nothing has failed on this thread since it started
 * or since spm_error_clear(). Successful calls leave it unchanged. The text is owned by the
 * library and is valid until the next failing call or spm_error_clear() on the same thread.
 * Thread-safe (each thread has its own). */
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

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SPM_H */
