/*
 * fl_doc.h - the document model and its writes: put (insert or replace by
 * external id, idempotent through a content hash), delete, get, prune.
 * Keeps documents and the external-content FTS table docs_fts in sync
 * inside the caller's transaction (fl_store_begin/commit).
 *
 * Used by the indexer (put/delete/prune), by searchd and the CLI (get).
 */
#ifndef FL_DOC_H
#define FL_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "fl_err.h"
#include "fl_store.h"

/* Longest document body accepted (bytes); longer input is an error. */
#define FL_DOC_MAX_BYTES (64u * 1024 * 1024)
/* Longest ext_id, title, url and other short fields (bytes). */
#define FL_DOC_MAX_FIELD 4096

/*
 * A document. All strings are heap-allocated and owned by the struct
 * (NULL = not set); fl_doc_release() frees them. Only ext_id is required
 * for a put; type defaults to "news" and lang to "de".
 */
struct fl_doc {
	int64_t id;        /* documents.id (set by get and put), 0 = unknown */
	char *ext_id;      /* stable external id */
	char *title;       /* "" when unknown */
	char *body;        /* plain text */
	size_t body_len;   /* bytes of body; 0 = strlen(body) on put */
	char *date;        /* any date fl_doc_norm_date understands */
	char *source;      /* publisher / origin */
	char *url;
	char *type;        /* news, publication, ... */
	char *lang;        /* ISO 639-1 */
	char *path;        /* absolute source file, NULL for stdin */
	char *indexed_at;  /* set by get only */
	int date_dropped;  /* set by put: date given but not understood, so
			    * the document was stored undated */
};

void fl_doc_init(struct fl_doc *doc);
void fl_doc_release(struct fl_doc *doc);

/* Replace a field (*field is freed) with a copy of s (n bytes). */
int fl_doc_set(char **field, const char *s, size_t n, struct fl_err *err);

enum fl_doc_result {
	FL_DOC_ADDED = 0,     /* new ext_id */
	FL_DOC_UPDATED = 1,   /* ext_id known, content changed */
	FL_DOC_UNCHANGED = 2, /* same content hash: nothing written */
};

/*
 * Insert doc, or replace the document with the same ext_id. When the
 * content hash is unchanged nothing is written (a changed path alone is
 * updated without re-indexing). Must run inside fl_store_begin/commit.
 * *res (may be NULL) tells what happened; doc->id is set. A date that
 * fl_doc_norm_date does not understand is no error: the document is
 * stored without a date and doc->date_dropped is set, for the caller
 * to tell its user (the library does not print).
 */
int fl_doc_put(struct fl_store *st, struct fl_doc *doc,
	       enum fl_doc_result *res, struct fl_err *err);

/* Delete by ext_id; FL_ENOTFOUND when there is none. Inside a transaction. */
int fl_doc_delete(struct fl_store *st, const char *ext_id,
		  struct fl_err *err);

/*
 * Fetch a document by ext_id (fl_doc_get) or id (fl_doc_get_id) into doc
 * (initialised by the call; caller frees with fl_doc_release()).
 * FL_ENOTFOUND when there is none.
 */
int fl_doc_get(struct fl_store *st, const char *ext_id, struct fl_doc *doc,
	       struct fl_err *err);
int fl_doc_get_id(struct fl_store *st, int64_t id, struct fl_doc *doc,
		  struct fl_err *err);

/*
 * Call cb for every document whose path is path or lies below it (a file
 * or directory, absolute), in ext_id order. ext_id is borrowed for the
 * call. A non-zero return from cb stops the listing and is returned.
 */
typedef int (*fl_doc_list_cb)(void *ctx, int64_t id, const char *ext_id);
int fl_doc_list_path(struct fl_store *st, const char *path,
		     fl_doc_list_cb cb, void *ctx, struct fl_err *err);

/*
 * Pruning support. fl_doc_seen_begin starts recording which documents a
 * run touched: every later fl_doc_put (also "unchanged") marks its
 * document, and fl_doc_seen_path marks a file as present (with_docs: and all
 * documents from it, the indexer's mtime fast path). fl_doc_prune then deletes the documents
 * whose path lies under root (a file or directory, absolute) that were not
 * marked, and forgets unmarked files under root. Inside a transaction.
 */
int fl_doc_seen_begin(struct fl_store *st, struct fl_err *err);
int fl_doc_seen_path(struct fl_store *st, const char *path, int with_docs,
		     struct fl_err *err);
int fl_doc_prune(struct fl_store *st, const char *root, size_t *ndeleted,
		 struct fl_err *err);

/*
 * Normalise a date to YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with the zone as
 * given (Z or +hh:mm). Accepts ISO 8601 forms, "YYYY-MM-DD HH:MM[:SS]",
 * German DD.MM.YYYY, YYYY-MM and YYYY (the first of that month or year:
 * "2019" is 2019-01-01). Writes into out (size >= 32); returns
 * FL_EFORMAT when in is not a date.
 */
#define FL_DOC_DATE_MAX 32
int fl_doc_norm_date(const char *in, char *out, size_t size,
		     struct fl_err *err);

#endif
