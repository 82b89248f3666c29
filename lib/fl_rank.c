/*
 * fl_rank.c - the fl_bm25 ranking function (see fl_rank.h).
 *
 * Per query (cached as FTS5 aux data): the number of rows, the average
 * row length and each phrase's IDF, exactly as bm25() computes them. Per
 * row: the weighted frequency of each phrase from its instances, and the
 * row's length from the searcher's table.
 */
#include "fl_rank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fl_tokenizer.h"
#include "fl_banned.h"

/* BM25 parameters of FTS5's bm25(). */
#define RANK_K1 1.2
#define RANK_B 0.75
/* Smallest IDF: a phrase in more than half the rows still counts a bit. */
#define RANK_MIN_IDF 1e-6

struct fl_rank {
	const uint32_t *len;   /* tokens per rowid, borrowed; NULL: none */
	size_t n;              /* entries of len */
	const int64_t *df;     /* rows per phrase, borrowed; NULL: none */
	size_t ndf;            /* entries of df */
};

/* Statistics of one query, shared by every row it matches. */
struct rank_query {
	int nphrase;
	double avgdl;          /* mean tokens per row */
	double *idf;           /* per phrase */
	double *freq;          /* per phrase, scratch of one row */
};

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts,
		     void *ctx)
{
	(void)api;
	(void)fts;
	(*(sqlite3_int64 *)ctx)++;
	return SQLITE_OK;
}

static void query_free(void *p)
{
	struct rank_query *q = p;

	if (q) {
		free(q->idf);
		free(q);
	}
}

static int query_stats(const struct fl_rank *r,
		       const Fts5ExtensionApi *api, Fts5Context *fts,
		       struct rank_query *q)
{
	sqlite3_int64 nrow = 0, ntok = 0, nhit;
	int rc, i;

	rc = api->xRowCount(fts, &nrow);
	if (rc == SQLITE_OK)
		rc = api->xColumnTotalSize(fts, -1, &ntok);
	q->avgdl = nrow > 0 ? (double)ntok / (double)nrow : 0.0;
	for (i = 0; rc == SQLITE_OK && i < q->nphrase; i++) {
		double idf;

		nhit = 0;
		if (r->df && r->ndf == (size_t)q->nphrase)
			nhit = r->df[i];
		else
			rc = api->xQueryPhrase(fts, i, &nhit, count_row);
		idf = log((0.5 + (double)(nrow - nhit)) / (0.5 + (double)nhit));
		q->idf[i] = idf > 0.0 ? idf : RANK_MIN_IDF;
	}
	return rc;
}

/* The query's statistics, computed on its first row. */
static struct rank_query *query_of(const struct fl_rank *r,
				   const Fts5ExtensionApi *api,
				   Fts5Context *fts, int *rc)
{
	struct rank_query *q = api->xGetAuxdata(fts, 0);
	int n;

	if (q)
		return q;
	n = api->xPhraseCount(fts);
	q = calloc(1, sizeof(*q));
	if (!q || !(q->idf = calloc((size_t)n * 2 + 1, sizeof(double)))) {
		query_free(q);
		*rc = SQLITE_NOMEM;
		return NULL;
	}
	q->nphrase = n;
	q->freq = q->idf + n;
	*rc = query_stats(r, api, fts, q);
	if (*rc == SQLITE_OK)
		*rc = api->xSetAuxdata(fts, q, query_free);
	else
		query_free(q);
	return *rc == SQLITE_OK ? q : NULL;
}

/* Tokens of the current row over all columns. */
static int row_length(const struct fl_rank *r, const Fts5ExtensionApi *api,
		      Fts5Context *fts, double *out)
{
	sqlite3_int64 id = api->xRowid(fts);
	int ntok = 0, rc;

	if (r->len && id >= 0 && (uint64_t)id < r->n && r->len[id]) {
		*out = (double)r->len[id];
		return SQLITE_OK;
	}
	rc = api->xColumnSize(fts, -1, &ntok);
	*out = (double)ntok;
	return rc;
}

static void bm25_func(const Fts5ExtensionApi *api, Fts5Context *fts,
		      sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	const struct fl_rank *r = api->xUserData(fts);
	struct rank_query *q;
	double score = 0.0, dl = 0.0;
	int rc = SQLITE_OK, ninst = 0, i;

	q = query_of(r, api, fts, &rc);
	if (q) {
		memset(q->freq, 0, (size_t)q->nphrase * sizeof(double));
		rc = api->xInstCount(fts, &ninst);
	}
	for (i = 0; rc == SQLITE_OK && i < ninst; i++) {
		int ip, ic, io;

		rc = api->xInst(fts, i, &ip, &ic, &io);
		if (rc == SQLITE_OK && ip >= 0 && ip < q->nphrase)
			q->freq[ip] += ic < nval ? sqlite3_value_double(val[ic])
						 : 1.0;
	}
	if (rc == SQLITE_OK)
		rc = row_length(r, api, fts, &dl);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	for (i = 0; i < q->nphrase; i++) {
		double f = q->freq[i];
		double norm = q->avgdl > 0.0 ? dl / q->avgdl : 1.0;

		score += q->idf[i] * (f * (RANK_K1 + 1.0)) /
			 (f + RANK_K1 * (1.0 - RANK_B + RANK_B * norm));
	}
	sqlite3_result_double(ctx, -score);
}

int fl_rank_register(sqlite3 *db, struct fl_rank **out, struct fl_err *err)
{
	fts5_api *api = fl_tokenizer_fts5_api(db);
	struct fl_rank *r;

	*out = NULL;
	if (!api)
		return fl_error(err, FL_EDB, "rank: sqlite has no fts5");
	r = calloc(1, sizeof(*r));
	if (!r)
		return fl_error(err, FL_ENOMEM, "rank: out of memory");
	if (api->xCreateFunction(api, FL_RANK_BM25, r, bm25_func, free) !=
	    SQLITE_OK) {
		free(r);
		return fl_error(err, FL_EDB, "rank: cannot register %s",
				FL_RANK_BM25);
	}
	*out = r;
	return FL_OK;
}

void fl_rank_set_lengths(struct fl_rank *r, const uint32_t *len, size_t n)
{
	r->len = len;
	r->n = len ? n : 0;
}

void fl_rank_set_df(struct fl_rank *r, const int64_t *df, size_t n)
{
	r->df = df;
	r->ndf = df ? n : 0;
}

/* One SQLite varint at b[*i..n) into *v; 0 when it runs past n. */
static int get_varint(const unsigned char *b, size_t n, size_t *i,
		      uint64_t *v)
{
	size_t k;

	*v = 0;
	for (k = 0; k < 9 && *i < n; k++) {
		unsigned char c = b[(*i)++];

		if (k == 8) {
			*v = (*v << 8) | c;
			return 1;
		}
		*v = (*v << 7) | (c & 0x7f);
		if (!(c & 0x80))
			return 1;
	}
	return 0;
}

uint32_t fl_rank_docsize_total(const unsigned char *blob, size_t n)
{
	uint64_t total = 0, v;
	size_t i = 0;

	while (i < n) {
		if (!get_varint(blob, n, &i, &v))
			return 0;
		total += v;
	}
	return total > UINT32_MAX ? 0 : (uint32_t)total;
}
