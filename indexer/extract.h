/*
 * extract.h - format extractors of findling-index: file bytes in, plain
 * UTF-8 text and metadata out as struct fl_doc. Table-driven by file name
 * extension (idx_extractor_find). Extractors never abort the run: a bad
 * input is an error for that file (or that jsonl line) only.
 *
 * Defaults when the input does not say: type "news" (txt, md, html),
 * "publication" (pdf); lang "de". ext_id and path are set by ingest.c.
 */
#ifndef IDX_EXTRACT_H
#define IDX_EXTRACT_H

#include <stddef.h>
#include <stdio.h>

#include "fl_doc.h"
#include "fl_err.h"

/* Longest title kept (bytes, cut at a character boundary). */
#define IDX_MAX_TITLE 512
/* Longest jsonl line (a record holds at most one maximal document). */
#define IDX_MAX_JSON_LINE (FL_DOC_MAX_BYTES + 1024 * 1024)

/* Where a multi-document extractor sends documents and per-line problems. */
struct idx_sink {
	/* Store doc, read from line `line` (the sink releases it).
	 * Non-FL_OK stops the extractor. */
	int (*emit)(void *ctx, struct fl_doc *doc, size_t line,
		    struct fl_err *err);
	/* Report that line `line` was skipped for `reason`. */
	void (*skip)(void *ctx, size_t line, const char *reason);
	void *ctx;
	/* Optional (jsonl): take the raw record line instead of a parsed
	 * document, to parse it elsewhere with idx_jsonl_parse (the indexer's
	 * look-ahead thread). Non-FL_OK stops the extractor. */
	int (*line)(void *ctx, const char *s, size_t n, size_t lineno,
		    struct fl_err *err);
};

/* idx_jsonl_parse verdicts besides FL_OK and FL_E... codes. */
#define IDX_JSONL_SKIP 1
/* Bytes of a skip reason. */
#define IDX_JSONL_MSG 256

/*
 * Parse one jsonl record into doc (initialised by the caller). FL_OK: doc
 * filled; IDX_JSONL_SKIP: the record is bad, why (size IDX_JSONL_MSG)
 * says how and doc is released; a negative FL_E... code: failure (err).
 * Thread-safe.
 */
int idx_jsonl_parse(const char *s, size_t n, struct fl_doc *doc, char *why,
		    struct fl_err *err);

struct idx_extractor {
	const char *name;            /* "text", "markdown", ... */
	const char *const *exts;     /* lower-case extensions, NULL-ended */
	/* One document from a whole file in memory; fills title, body, ... */
	int (*extract)(const char *data, size_t len, struct fl_doc *doc,
		       struct fl_err *err);
	/* Many documents from a stream (jsonl); name is for messages. */
	int (*extract_stream)(FILE *f, const char *name,
			      const struct idx_sink *sink, struct fl_err *err);
};

/* The extractor for path's extension, or NULL when there is none. */
const struct idx_extractor *idx_extractor_find(const char *path);

int idx_extract_text(const char *data, size_t len, struct fl_doc *doc,
		     struct fl_err *err);
int idx_extract_markdown(const char *data, size_t len, struct fl_doc *doc,
			 struct fl_err *err);
int idx_extract_html(const char *data, size_t len, struct fl_doc *doc,
		     struct fl_err *err);
int idx_extract_pdf(const char *data, size_t len, struct fl_doc *doc,
		    struct fl_err *err);
int idx_extract_jsonl(FILE *f, const char *name, const struct idx_sink *sink,
		      struct fl_err *err);

/* Helpers shared by the extractors (extract_text.c). */

/*
 * Copy len bytes to a NUL-terminated UTF-8 string in *out (malloc'd):
 * as is when valid UTF-8 (a BOM is dropped), else decoded as Windows-1252.
 */
int idx_to_utf8(const char *data, size_t len, char **out, size_t *outlen,
		struct fl_err *err);

/* Set doc->title to the first non-empty line of text (trimmed, capped). */
int idx_title_from_text(struct fl_doc *doc, const char *text,
			struct fl_err *err);

/* Set *field to s trimmed of white space and capped at max bytes. */
int idx_set_trimmed(char **field, const char *s, size_t n, size_t max,
		    struct fl_err *err);

#endif
