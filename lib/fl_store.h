/*
 * fl_store.h - the index store: one SQLite database (WAL) holding the
 * documents, the FTS5 index over them and a few facts about the index.
 * Owns the sqlite3 handle, creates and migrates the schema (the files in schema/,
 * compiled in), registers the `german` tokenizer, runs transactions and
 * integrity checks. Documents themselves are written through fl_doc.h.
 *
 * Used by the indexer (write mode), the CLI and searchd (read mode, one
 * store per thread: a store is one connection and is not thread-safe).
 *
 * Tables other lib modules may query through fl_store_db():
 *   documents(id, ext_id, title, body, date, day, year, source, url, type,
 *             lang, path, content_hash, indexed_at)
 *   docs_fts(title, body)     FTS5, rowid = documents.id, tokenize='german'
 *   docs_vocab                fts5vocab(docs_fts, row): term, doc, cnt
 *   term_freq(term, n)        corpus word frequencies for the splitter
 *   meta(key, value)          schema_version, analyzer_version, generation
 */
#ifndef FL_STORE_H
#define FL_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "fl_err.h"
#include "fl_lexicon.h"

/* Schema version this build creates and understands (PRAGMA user_version). */
#define FL_STORE_SCHEMA_VERSION 2

/* Wait this long for the writer lock before failing with FL_EBUSY. */
#define FL_STORE_BUSY_TIMEOUT_MS 5000

/* Keep at most this many words in term_freq (the splitter's counts). */
#define FL_STORE_MAX_FREQ_TERMS 300000

/* Words must occur in this many documents to enter term_freq (halves the
 * table and the refresh time; a word seen once says little about splits). */
#define FL_STORE_MIN_FREQ_DOCS 2

/* Words must have at least this many characters to enter term_freq. */
#define FL_STORE_MIN_FREQ_CHARS 3

enum fl_store_flags {
	FL_STORE_READONLY = 1 << 0,  /* read only; the index must exist */
	FL_STORE_CREATE = 1 << 1,    /* create the index if it is missing */
	FL_STORE_BULK = 1 << 2,      /* bulk-load pragmas: big cache, mmap */
	FL_STORE_ANY_ANALYZER = 1 << 3, /* open despite an analyzer version
					 * mismatch (only for fl_store_rebuild) */
	FL_STORE_FREQ = 1 << 4,      /* load term_freq into the own lexicon even
				      * in read mode (CLI analyze) */
};

struct fl_store;

/*
 * Open (and with FL_STORE_CREATE create or migrate) the index at path.
 *
 * lex: a shared, already complete lexicon (the store takes a reference),
 * or NULL to load an own one. An own lexicon gets the corpus frequencies
 * from term_freq only in write mode or with FL_STORE_FREQ: queries do not
 * split compounds, so readers skip that cost and open fast.
 *
 * Fails with FL_EVERSION when the index has a newer schema than this build,
 * or was built with another analyzer (unless FL_STORE_ANY_ANALYZER), with
 * FL_ENOTFOUND when a read-only index does not exist. *out is NULL on
 * failure. Caller closes with fl_store_close().
 */
int fl_store_open(const char *path, unsigned flags, struct fl_lexicon *lex,
		  struct fl_store **out, struct fl_err *err);

/* Finalize statements and close the database. NULL is fine. */
void fl_store_close(struct fl_store *st);

/*
 * Load a lexicon plus the corpus frequencies stored in the index at path,
 * for sharing between many read stores (searchd). The index is only read.
 * Caller drops it with fl_lexicon_unref().
 */
int fl_store_lexicon_load(const char *path, struct fl_lexicon **out,
			  struct fl_err *err);

/*
 * Transactions. begin takes the write lock (BEGIN IMMEDIATE) in write mode
 * and starts a read snapshot in read mode. commit bumps meta(generation)
 * when something was written since begin. rollback after a failure; it is
 * a no-op when no transaction is open.
 */
int fl_store_begin(struct fl_store *st, struct fl_err *err);
int fl_store_commit(struct fl_store *st, struct fl_err *err);
void fl_store_rollback(struct fl_store *st);

/* 1 while a transaction opened with fl_store_begin is open. */
int fl_store_in_tx(const struct fl_store *st);

/*
 * The connection, for lib modules (fl_doc, fl_search, fl_snippet,
 * fl_suggest) only: programs go through the module APIs. Borrowed; valid
 * until fl_store_close(). Do not change pragmas or close it.
 */
sqlite3 *fl_store_db(struct fl_store *st);

/* A malloc'd NUL-terminated copy of text column col of st's current
 * row (the caller frees it); NULL when the value is NULL or out of
 * memory. */
char *fl_store_column_dup(sqlite3_stmt *st, int col);

/*
 * Which file the store opened (its device and inode, mixed; 0 unknown):
 * with the generation it tells two snapshots apart, also across an index
 * file replaced under the same path.
 */
uint64_t fl_store_file_id(const struct fl_store *st);

/* Bytes the connection's page cache holds now (SQLite's own count). */
size_t fl_store_cache_bytes(struct fl_store *st);

/*
 * A statement for sql, prepared once per store and cached under slot
 * (0 <= slot < FL_STORE_MAX_STMTS; each module owns fixed slots, see
 * enum fl_store_slot). The statement is reset and its bindings cleared
 * before it is returned. Borrowed; valid until fl_store_close().
 */
enum fl_store_slot {
	FL_SLOT_STORE_FIRST = 0,     /* 0..15 fl_store.c */
	FL_SLOT_DOC_FIRST = 16,      /* 16..39 fl_doc.c */
	FL_SLOT_SEARCH_FIRST = 40,   /* 40..63 fl_search.c, fl_snippet.c */
	FL_SLOT_SUGGEST_FIRST = 64,  /* 64..79 fl_suggest.c */
	FL_STORE_MAX_STMTS = 96,
};
int fl_store_stmt(struct fl_store *st, int slot, const char *sql,
		  sqlite3_stmt **out, struct fl_err *err);

/* Turn the current SQLite error of st into an FL_EDB error about what. */
int fl_store_dberr(struct fl_store *st, const char *what, struct fl_err *err);

/*
 * The suggest tally of a writable store (NULL in read mode): fl_doc sets
 * its sign around FTS5 writes; commit flushes it into the suggest table
 * (fl_suggest_flush) in the same transaction, rollback drops it.
 */
struct fl_tally;
struct fl_tally *fl_store_tally(struct fl_store *st);

/*
 * Texts already analysed (fl_analyzer_collect, e.g. by an indexer thread
 * working one document ahead): while set, the tokenizer replays their
 * tokens when FTS5 hands it an equal text. a, b may be NULL; borrowed
 * until the next call. Only an optimisation: results are identical.
 */
struct fl_tokens;
void fl_store_set_prepared(struct fl_store *st, const struct fl_tokens *a,
			   const struct fl_tokens *b);

/* The lexicon the store's tokenizer uses (borrowed; take a reference to
 * keep it). */
struct fl_lexicon *fl_store_lexicon(struct fl_store *st);

/* Note that a write happened (fl_doc does; commit then bumps generation). */
void fl_store_touch(struct fl_store *st);

/* Whether fl_doc records touched documents for pruning (fl_doc.c). */
int fl_store_tracking(const struct fl_store *st);
void fl_store_set_tracking(struct fl_store *st, int on);

/* Number of documents. */
int fl_store_doc_count(struct fl_store *st, int64_t *out, struct fl_err *err);

/*
 * The index generation: bumped by every committed write batch. A reader
 * compares it to notice that the index changed.
 */
int fl_store_generation(struct fl_store *st, int64_t *out,
			struct fl_err *err);

/*
 * Value of meta(key) as text into buf (size bytes, NUL-terminated; cut when
 * longer). FL_ENOTFOUND when the key is missing.
 */
int fl_store_meta(struct fl_store *st, const char *key, char *buf,
		  size_t size, struct fl_err *err);

/*
 * SQLite integrity_check plus the FTS5 'integrity-check' (index agrees with
 * the documents). FL_EDB with the first problem in err when it fails.
 * Needs write mode (the FTS5 check is issued as an INSERT).
 */
int fl_store_check(struct fl_store *st, struct fl_err *err);

/*
 * Re-analyse every stored document into a fresh FTS table with the current
 * analyzer and record its version. Runs in its own transaction. Open the
 * store with FL_STORE_ANY_ANALYZER to use it on an outdated index.
 */
int fl_store_rebuild(struct fl_store *st, struct fl_err *err);

/*
 * Recompute term_freq from docs_vocab (words of letters only, at least
 * FL_STORE_MIN_FREQ_CHARS characters in FL_STORE_MIN_FREQ_DOCS documents, the FL_STORE_MAX_FREQ_TERMS most
 * frequent). *nterms (may be NULL) gets the count. Own transaction.
 */
int fl_store_refresh_freq(struct fl_store *st, size_t *nterms,
			  struct fl_err *err);

/*
 * *stale = 1 when term_freq was not made from the documents of the
 * current generation: documents changed since the last refresh, e.g. a
 * run killed between its last batch and its refresh, whose rerun then
 * finds every document unchanged.
 */
int fl_store_freq_stale(struct fl_store *st, int *stale, struct fl_err *err);

/*
 * Input file bookkeeping for the indexer's mtime+size fast path:
 * fl_store_file_get sets *found and, when found, *mtime_ns and *size;
 * fl_store_file_set records them.
 */
int fl_store_file_get(struct fl_store *st, const char *path, int *found,
		      int64_t *mtime_ns, int64_t *size, struct fl_err *err);
int fl_store_file_set(struct fl_store *st, const char *path,
		      int64_t mtime_ns, int64_t size, struct fl_err *err);

/* The analyzer version string this build writes into new indexes. */
const char *fl_store_analyzer_version(void);

#endif
