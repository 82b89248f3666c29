/*
 * fl_docmeta.h - what a searcher knows of every document without reading
 * the documents table per match: its day, month, source, type and lang
 * (filters, facets, recency, date sort) and its row length (fl_bm25).
 *
 * One snapshot per index generation, read once and then immutable, so the
 * searchers of one process (searchd's workers) share it through a
 * fl_docmeta_share instead of each holding a copy: the daemon's memory
 * then holds one table of 32 bytes a document, whatever its thread count.
 * A share given a spill directory keeps that table in an unlinked file it
 * maps read-only, as the index itself is mapped: its pages are then the
 * kernel's page cache, which can drop and reread them, and the process
 * heap holds nothing per document.
 * Also the date periods the table and the search filters are keyed by.
 */
#ifndef FL_DOCMETA_H
#define FL_DOCMETA_H

#include <sqlite3.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "fl_err.h"
#include "fl_spill.h"

/* The rows a table is read from, in id order; schema 0002 gives it a
 * covering index (test_store checks the plan uses it). */
#define FL_DOCMETA_ROWS_SQL \
	"SELECT id, day, source, type, lang FROM documents ORDER BY id"

/* Day of a document without a date. */
#define FL_DOCMETA_NO_DAY INT32_MIN

/* Distinct values of one text column, sorted (for bsearch). */
struct fl_strtab {
	char **v;
	size_t n;
};

/* One document; the index into fl_docmeta.docs is its "slot". */
struct fl_docmeta_doc {
	uint32_t id;       /* documents.id, the FTS5 rowid */
	int32_t day;       /* days since 1970-01-01, FL_DOCMETA_NO_DAY */
	int32_t month;     /* year * 12 + month - 1, -1 when not known */
	uint32_t source;   /* index into sources, UINT32_MAX when NULL */
	uint32_t type;
	uint32_t lang;
};

/* A generation's table. Read-only for everybody but fl_docmeta.c. */
struct fl_docmeta {
	uint64_t file_id;             /* fl_store_file_id of the index */
	int64_t generation;
	struct fl_docmeta_doc *docs;  /* sorted by id */
	size_t ndocs;
	int32_t *slot_of;             /* id -> slot, -1 = none; nids */
	uint32_t *dlen;               /* id -> tokens of the row, 0 = unknown */
	size_t nids;                  /* largest id + 1 */
	int32_t newest;               /* newest day, FL_DOCMETA_NO_DAY */
	struct fl_strtab sources, types, langs;
	struct fl_spill spill;        /* docs, slot_of, dlen when spilled */
	atomic_int refs;
};

/* Searchers of one process sharing the newest generation's table. */
struct fl_docmeta_share;

/*
 * NULL when out of memory. spill_dir: where the tables go as unlinked
 * files (O_TMPFILE), tried before $TMPDIR and /var/tmp; NULL keeps them on
 * the heap. A table that no directory takes stays on the heap too.
 */
struct fl_docmeta_share *fl_docmeta_share_new(const char *spill_dir);
/* Drops the share's reference; tables still held elsewhere live on. */
void fl_docmeta_share_free(struct fl_docmeta_share *sh);

/*
 * The table of generation gen of the index file file_id
 * (fl_store_file_id), read from db, which must be inside the read
 * transaction that saw gen. With a share: the shared one when it has the
 * same file and gen (one thread reads it, the others wait for it); a newer
 * generation or another file replaces the shared one. sh NULL: a private
 * table. *out holds a reference: fl_docmeta_release it.
 */
int fl_docmeta_get(struct fl_docmeta_share *sh, sqlite3 *db,
		   uint64_t file_id, int64_t gen,
		   const struct fl_docmeta **out, struct fl_err *err);
void fl_docmeta_release(const struct fl_docmeta *m);

/* Bytes of the per-document arrays of the share's newest table, and
 * whether they are mapped from a file (1) or on the heap (0). 0 and 0
 * before any table was read. */
void fl_docmeta_share_size(struct fl_docmeta_share *sh, size_t *bytes,
			   int *mapped);

/* Slot of a rowid, -1 when the table does not know it. */
static inline int32_t fl_docmeta_slot(const struct fl_docmeta *m, int64_t id)
{
	if (id < 0 || (uint64_t)id >= m->nids)
		return -1;
	return m->slot_of[id];
}

/* Index of s in t, UINT32_MAX when absent or s is NULL. */
uint32_t fl_strtab_find(const struct fl_strtab *t, const char *s);

/*
 * Parse YYYY, YYYY-MM or YYYY-MM-DD into the first day of that period
 * (*first) and the first day after it (*after), in days since 1970-01-01.
 * 0 when s is no such date.
 */
int fl_docmeta_parse_period(const char *s, int32_t *first, int32_t *after);

#endif
