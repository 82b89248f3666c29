/*
 * params.h - request target parsing of findling-searchd, without HTTP:
 * the raw request target (path and query string, still percent-encoded,
 * any bytes) is split, decoded and checked into a plain struct, and the
 * typed readers validate what the API handlers take. Every refusal is a
 * struct sd_params_err with the HTTP status (400 or 414), the error code,
 * the parameter it names and the message the daemon answers with.
 *
 * http.c parses each request with sd_params_target(); api_search.c reads
 * its options with sd_params_search() / sd_params_suggest(). The unit test
 * test_sd_params and the libFuzzer target fuzz_http_params call the same
 * functions. Knows nothing about libmicrohttpd, so it can be fuzzed.
 *
 * Decoding rules (the same for names and values):
 *   - parameters are separated by '&'; empty pieces ("a=1&&b=2") are
 *     skipped; a piece without '=' is a name with the empty value;
 *   - '+' is a space in the query string, but not in the path;
 *   - %XX needs two hex digits, anything else is "invalid
 *     percent-encoding"; a decoded NUL byte (%00) and invalid UTF-8
 *     (overlong forms, surrogates, stray bytes) are refused;
 *   - a name may repeat: the first occurrence counts;
 *   - an empty value counts as absent for the string and date readers.
 */
#ifndef SD_PARAMS_H
#define SD_PARAMS_H

#include <stddef.h>

#include "fl_err.h"
#include "fl_search.h"

/* ---- limits; going over one is a specific 4xx, never a crash ---- */

/* Longest request target (path + query, raw bytes): 414 above it. */
#define SD_MAX_URL_BYTES 8192
/* Longest q after decoding: nobody types more into a search box. */
#define SD_MAX_QUERY_BYTES 1024
/* Longest value of source/type/lang/facets and other short parameters. */
#define SD_MAX_PARAM_BYTES 256
/* Parameters per request; more is 400 (bounds the parse work). */
#define SD_MAX_PARAMS 32
/* Results per page (limit) and the deepest offset we page to. */
#define SD_MAX_LIMIT 100
#define SD_DEFAULT_LIMIT 10
#define SD_MAX_OFFSET 10000
/* Suggestions per request. */
#define SD_MAX_SUGGEST 20
#define SD_DEFAULT_SUGGEST 8
/* Bytes of a bad value quoted back in an error message (whole UTF-8
 * characters; "..." marks the cut). */
#define SD_SHOW_VALUE_MAX 60

/* Bytes of an unknown document id quoted back in the 404 (api_doc.c). */
#define SD_SHOW_ID_MAX 200

/* HTTP statuses of a refused request target. */
#define SD_STATUS_BAD_REQUEST 400
#define SD_STATUS_URI_TOO_LONG 414

/* One decoded query parameter (both NUL-terminated, valid UTF-8). */
struct sd_param {
	char *name;                  /* decoded name, may be "" */
	char *value;                 /* decoded value, "" when no '=' */
	size_t value_len;            /* bytes of value */
};

/* The decoded query string of one request, in the order sent. */
struct sd_params {
	struct sd_param v[SD_MAX_PARAMS]; /* v[0..n) are set */
	size_t n;                    /* parameters kept */
};

/*
 * Why a request target was refused, exactly as the daemon answers it:
 * status, "code", "parameter" and "message" of the JSON error. Not a
 * struct fl_err because the daemon needs the status, code and parameter
 * as well as the message.
 */
struct sd_params_err {
	unsigned status;             /* 400 or 414; 0 while there is none */
	const char *code;            /* "bad_parameter", "bad_path",
				      * "uri_too_long"; static */
	const char *param;           /* parameter named, NULL = none; static
				      * or borrowed from the struct sd_params
				      * (valid until its release) */
	char msg[FL_ERR_MSG_MAX];    /* valid UTF-8, NUL-terminated */
};

/* What GET /api/suggest takes. Strings are borrowed from the params. */
struct sd_suggest_opts {
	const char *q;               /* NULL = absent or empty */
	unsigned long limit;         /* 1..FL_SUGGEST_MAX_LIMIT */
	int opensearch;              /* format=opensearch */
};

/* Embedded lifecycle: init, then release (frees every name and value). */
void sd_params_init(struct sd_params *p);
void sd_params_release(struct sd_params *p);

/* Reset e to "no error". */
void sd_params_err_clear(struct sd_params_err *e);

/*
 * 414 when a request target of len raw bytes is over SD_MAX_URL_BYTES.
 * Returns FL_OK or FL_ELIMIT with e set.
 */
int sd_params_check_len(size_t len, struct sd_params_err *e);

/*
 * Parse the raw request target raw[0..len) (any bytes): check its length,
 * decode the path (before the first '?') into *path and the query string
 * after it into p (initialised here). Returns FL_OK; FL_ELIMIT (414) or
 * FL_EINVAL (400) with e set; FL_ENOMEM with e cleared (the daemon then
 * drops the connection). *path stays set when the path decoded but the
 * query string failed (the daemon still knows an /api/ path), NULL
 * otherwise; caller frees it. p holds what was decoded before an error
 * (e->param may point into it, and the slot named may have a NULL value):
 * release p in every case and read nothing else from it after a failure.
 */
int sd_params_target(const char *raw, size_t len, char **path,
		     struct sd_params *p, struct sd_params_err *e);

/*
 * Decode the query string qs[0..len) (what follows '?', any bytes) into
 * p, which must be initialised and empty. Errors as sd_params_target().
 */
int sd_params_parse(struct sd_params *p, const char *qs, size_t len,
		    struct sd_params_err *e);

/* The first parameter called name, or NULL when absent. */
const struct sd_param *sd_params_get(const struct sd_params *p,
				     const char *name);

/*
 * Typed readers. Each returns FL_OK with *out set (the default or NULL
 * when the parameter is absent) or FL_EINVAL with a 400 naming name in e.
 * Strings are borrowed from p.
 *   uint: decimal digits only (no sign, at most 9 digits), min..max;
 *   str:  at most max bytes; "" reads as absent (NULL);
 *   date: a real calendar date YYYY-MM-DD, a month YYYY-MM or a year
 *         YYYY (the whole period); "" reads as absent.
 */
int sd_params_uint(const struct sd_params *p, const char *name,
		   unsigned long min, unsigned long max, unsigned long dflt,
		   unsigned long *out, struct sd_params_err *e);
int sd_params_str(const struct sd_params *p, const char *name, size_t max,
		  const char **out, struct sd_params_err *e);
int sd_params_date(const struct sd_params *p, const char *name,
		   const char **out, struct sd_params_err *e);

/*
 * Every parameter of GET /api/search into o (initialised here): q, limit,
 * offset, source, type, lang, from, to, sort, facets, snippets (0 or 1),
 * in that order; the first bad one is the error, then a 'to' period
 * ending before the 'from' period begins. Strings in o are
 * borrowed from p.
 */
int sd_params_search(const struct sd_params *p, struct fl_search_opts *o,
		     struct sd_params_err *e);

/* The parameters of GET /api/suggest: q, limit, format. */
int sd_params_suggest(const struct sd_params *p, struct sd_suggest_opts *o,
		      struct sd_params_err *e);

/*
 * Bytes of s[0..len) to quote back in a message: all of it when it is at
 * most max bytes, else the longest prefix of whole UTF-8 characters that
 * fits in max (the caller adds "...").
 */
size_t sd_params_shown(const char *s, size_t len, size_t max);

#endif
