/*
 * fl_json.h - the one wire format: search results, suggestions, documents,
 * statistics and errors as JSON (jansson). `findling ... --format json` and
 * every HTTP API response are built here, so they never drift apart.
 *
 * Every function returns a new reference (caller drops it with
 * json_decref()) or NULL when out of memory.
 *
 * Search result:
 *   {"query", "interpreted", "notes", "mode": "all|any|browse",
 *    "total", "took_ms", "offset", "limit", "sort",
 *    "hits": [{"id" (external id), "title", "url", "date", "source",
 *              "type", "score", "matched", "snippet" (HTML, <mark> only),
 *              "snippet_text", "marks": [[start, end], ...] (code points
 *              in snippet_text), "explain": {term: score} (explain only)}],
 *    "facets": {"source": [{"value", "count"}], "type": [...],
 *               "year": [...], "month": [...]}   (only those asked for),
 *    "suggestion": null | {"text", "total",
 *                  "changes": [{"from", "to", "why"}]}}
 * Suggestions: {"prefix", "took_ms", "suggestions": [{"text", "word", "n"}]}
 * Document:   {"id", "title", "url", "date", "source", "type", "lang",
 *              "path", "indexed_at", "body"}
 * Stats:      {"documents", "vocabulary", "index_bytes", "schema_version",
 *              "analyzer_version", "created_at", "generation",
 *              "types": {name: n}, "sources": {name: n}, "years": {y: n}}
 * Error:      {"error": {"code": "invalid input", "message": "..."}}
 */
#ifndef FL_JSON_H
#define FL_JSON_H

#include <jansson.h>

#include "fl_doc.h"
#include "fl_search.h"
#include "fl_suggest.h"

json_t *fl_json_result(const struct fl_result *r);
json_t *fl_json_suggestions(const struct fl_suggestions *s);
/* with_body: include "body" (the full text). */
json_t *fl_json_doc(const struct fl_doc *d, int with_body);
json_t *fl_json_stats(const struct fl_stats *s);
/* code: an enum fl_rc (named with fl_rc_str), msg: the detail. */
json_t *fl_json_error(int code, const char *msg);

/*
 * Serialise j compactly (indent 0) or pretty (indent > 0) as UTF-8 with
 * non-ASCII kept. Caller frees with free(); NULL when out of memory.
 */
char *fl_json_dump(const json_t *j, int indent);

/*
 * The inverse of fl_json_result: rebuild a result from its wire form (as
 * GET /api/search answers it), so `findling search --server` prints with
 * the same writers. Unknown keys are ignored, missing ones left empty;
 * explain scores are not read back. FL_EINVAL when j is no result object.
 * *out: caller frees with fl_result_free().
 */
int fl_json_parse_result(const json_t *j, struct fl_result **out,
			 struct fl_err *err);

#endif
