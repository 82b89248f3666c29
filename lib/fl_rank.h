/*
 * fl_rank.h - the FTS5 auxiliary function fl_bm25(tbl, w0, w1, ...):
 * the same Okapi BM25 as FTS5's built-in bm25() (k1 1.2, b 0.75, column
 * weights, negative scores), with one difference in where the document
 * length comes from. bm25() reads every matching row's length from the
 * %_docsize table, a nested SQL statement and a B-tree lookup per row that
 * cost about a fifth of a search on news-de; fl_bm25 reads it from a table
 * in memory that the searcher keeps (per rowid, loaded with its document
 * cache) and falls back to FTS5's own lookup for rows it does not know.
 */
#ifndef FL_RANK_H
#define FL_RANK_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "fl_err.h"

/* Name of the function in SQL. */
#define FL_RANK_BM25 "fl_bm25"

struct fl_rank;

/*
 * Register fl_bm25 on db. *out is owned by db (freed when db closes): the
 * caller only borrows it to set the lengths, and must not use it after
 * closing db.
 */
int fl_rank_register(sqlite3 *db, struct fl_rank **out, struct fl_err *err);

/*
 * Use len[rowid] (tokens over all columns, 0 = unknown) for rowids below
 * n; NULL: none. Borrowed: the caller keeps len alive and unchanged while
 * set, and sets NULL before freeing it. The lengths must come from the
 * same snapshot the statements read.
 */
void fl_rank_set_lengths(struct fl_rank *r, const uint32_t *len, size_t n);

/*
 * Use df[i] as the number of rows holding phrase i of the next statements
 * (fl_termstats), instead of FTS5 walking each phrase's doclist; ignored
 * unless n equals the statement's phrase count. NULL: none. Borrowed like
 * the lengths; the counts must come from the same snapshot.
 */
void fl_rank_set_df(struct fl_rank *r, const int64_t *df, size_t n);

/*
 * Token count of every column of one %_docsize blob, summed; 0 when the
 * blob is malformed.
 */
uint32_t fl_rank_docsize_total(const unsigned char *blob, size_t n);

#endif
