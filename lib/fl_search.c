/*
 * fl_search.c - run a query (see fl_search.h).
 *
 * The match set is collected in C: one FTS5 MATCH gives (rowid, bm25) of
 * every matching document; filters, facets, the recency blend and the date
 * sort use a per-searcher cache of every document's day, source, type and
 * lang (reloaded when the index generation changes), so no join with
 * documents runs per match. Only the hits of the page are read from
 * documents, with their text for the snippets.
 *
 * Score (relevance): r = -bm25(title 4, body 1) of the strict query, plus
 * FL_SEARCH_EXACT_WEIGHT * -bm25 of the query's whole words (not the parts
 * of a split compound) as exact-form queries (EXACT tokens only, so
 * Förderung ranks above Forderung and schon above schön), for the best
 * FL_SEARCH_RERANK candidates of match sets up
 * to FL_SEARCH_EXACT_MAX_MATCHES, times 1 + FL_SEARCH_RECENCY_WEIGHT *
 * 2^(-age / half life). In minimum-should-match mode r is the bm25 of
 * the OR times the share of query terms the document matches (Lucene's
 * classic coord factor), so one rare term can outweigh two common ones.
 * Ties: score, then date, then id.
 */
#include "fl_search.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fl_buf.h"
#include "fl_docmeta.h"
#include "fl_query.h"
#include "fl_rank.h"
#include "fl_snippet.h"
#include "fl_suggest.h"
#include "fl_termstats.h"
#include "fl_tokenizer.h"
#include "fl_utf8.h"
#include "fl_banned.h"

/* Field weights of bm25: a title match counts four body matches. */
#define FL_SEARCH_BM25 FL_RANK_BM25 "(docs_fts, 4.0, 1.0)"
/* Weight of the exact-form bonus relative to the strict bm25. */
#define FL_SEARCH_EXACT_WEIGHT 0.5
/* Recency blend: at most +15 % for the newest documents, halving every
 * FL_SEARCH_RECENCY_HALF_LIFE days before the newest day in the index. */
#define FL_SEARCH_RECENCY_WEIGHT 0.15
#define FL_SEARCH_RECENCY_HALF_LIFE 180.0
/* Strict AND finding fewer documents than this falls back to OR ranked by
 * the number of terms matched (minimum should match). */
#define FL_SEARCH_MSM_MIN 3
/* Did-you-mean is tried when fewer documents than this are found. */
#define FL_SEARCH_DYM_BELOW 3
/* Words of the query looked at for corrections / snippets. */
#define FL_SEARCH_MAX_WORDS 32
/* Text ceilings: expressions we build, and a hit's text fields. */
#define FL_SEARCH_EXPR_MAX (64 * 1024)
/* Days value of a document without a date. */
#define NO_DAY FL_DOCMETA_NO_DAY

enum {
	SLOT_MATCH = FL_SLOT_SEARCH_FIRST,
	SLOT_IDS,
	SLOT_HIT,
	SLOT_GEN,
	SLOT_TERM_ROW,
	SLOT_BEGIN,
	SLOT_END,
	SLOT_COUNT,
};

struct fl_searcher {
	struct fl_store *st;       /* borrowed */
	struct fl_lexicon *lex;    /* reference */
	struct fl_analyzer *an;    /* own, for queries and snippets */
	struct fl_docmeta_share *share; /* borrowed, NULL = private tables */
	const struct fl_docmeta *dm; /* of generation, a reference; NULL */
	int64_t generation;        /* of dm; -1 = not loaded */
	struct fl_rank *rank;      /* fl_bm25 of st's connection, borrowed */
	struct fl_termstats *ts;   /* phrase document counts, own */
};

struct cand {
	uint32_t slot;
	double score;
	double bm25;               /* the strict part, for nmatched ties */
	unsigned nmatched;
};

/* Where a candidate sits in run.c, found by its slot: per-search scratch
 * sized to the candidates, so a searcher holds nothing per document. */
struct slot_ix {
	uint32_t slot;
	uint32_t i;
};

/* One search in progress. */
struct run {
	struct fl_searcher *s;
	const struct fl_search_opts *o;
	struct fl_query *q;
	unsigned char *ok_source, *ok_type, *ok_lang; /* NULL = any */
	int32_t from, to;          /* [from, to) days; NO_DAY = open */
	struct cand *c;
	size_t nc, capc;
	char *words[FL_SEARCH_MAX_WORDS];
	size_t nwords;
	struct fl_result *r;
	int match_failed;          /* FTS5 refused the expression */
	struct slot_ix *ix;        /* candidates by slot (ix_build) */
	size_t nix;
	uint32_t *marks;           /* excluded slots of a browse */
	size_t nmarks, capmarks;
};

/* ---- small helpers -------------------------------------------------- */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static char *xstrdup(const char *s)
{
	size_t n;
	char *d;

	if (!s)
		return NULL;
	n = strlen(s);
	d = malloc(n + 1);
	if (d)
		memcpy(d, s, n + 1);
	return d;
}

/* ---- the document table ------------------------------------------- */

static void cache_release(struct fl_searcher *s)
{
	if (s->rank)
		fl_rank_set_lengths(s->rank, NULL, 0);
	fl_docmeta_release(s->dm);
	s->dm = NULL;
	s->generation = -1;
}

/* Take the table of the snapshot's generation (the caller's read
 * transaction), unless held already. */
static int cache_fresh(struct fl_searcher *s, struct fl_err *err)
{
	const struct fl_docmeta *dm;
	int64_t gen;
	int rc;

	rc = fl_store_generation(s->st, &gen, err);
	if (rc != FL_OK)
		return rc;
	if (gen == s->generation && s->dm)
		return FL_OK;
	cache_release(s);
	rc = fl_docmeta_get(s->share, fl_store_db(s->st),
			    fl_store_file_id(s->st), gen, &dm, err);
	if (rc != FL_OK)
		return rc;
	s->dm = dm;
	s->generation = gen;
	fl_rank_set_lengths(s->rank, dm->dlen, dm->nids);
	return FL_OK;
}

static const struct fl_docmeta_doc *doc_at(const struct fl_searcher *s,
					   uint32_t slot)
{
	return &s->dm->docs[slot];
}

/* ---- searcher ------------------------------------------------------- */

int fl_searcher_new(struct fl_store *st, struct fl_lexicon *lex,
		    struct fl_searcher **out, struct fl_err *err)
{
	struct fl_searcher *s = calloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	if (!s)
		return fl_error(err, FL_ENOMEM, "search: out of memory");
	s->st = st;
	s->generation = -1;
	s->lex = fl_lexicon_ref(lex);
	rc = fl_analyzer_new(lex, &s->an, err);
	if (rc == FL_OK)
		rc = fl_rank_register(fl_store_db(st), &s->rank, err);
	if (rc == FL_OK)
		rc = fl_termstats_new(&s->ts, err);
	if (rc != FL_OK) {
		fl_searcher_free(s);
		return rc;
	}
	*out = s;
	return FL_OK;
}

void fl_searcher_free(struct fl_searcher *s)
{
	if (!s)
		return;
	cache_release(s);
	fl_termstats_free(s->ts);
	fl_analyzer_free(s->an);
	fl_lexicon_unref(s->lex);
	free(s);
}

void fl_searcher_share_docs(struct fl_searcher *s,
			    struct fl_docmeta_share *sh)
{
	cache_release(s);
	s->share = sh;
}

void fl_search_opts_init(struct fl_search_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->limit = FL_SEARCH_DEFAULT_LIMIT;
	o->snippets = 1;
	o->suggest = 1;
}

static const char *const facet_names[] = { "source", "type", "year",
					   "month" };
#define NFACETS (sizeof(facet_names) / sizeof(facet_names[0]))

int fl_search_parse_facets(const char *list, unsigned *out,
			   struct fl_err *err)
{
	const char *p = list ? list : "";
	size_t i, n;

	*out = 0;
	while (*p) {
		n = strcspn(p, ", ");
		if (n == 3 && !strncmp(p, "all", 3))
			*out |= FL_FACET_ALL;
		for (i = 0; n && n != 3 && i < NFACETS; i++)
			if (strlen(facet_names[i]) == n &&
			    !strncmp(p, facet_names[i], n))
				break;
		if (n && n != 3 && i == NFACETS)
			return fl_error(err, FL_EINVAL, "unknown facet '%.*s' "
					"(source, type, year, month, all)",
					(int)n, p);
		if (n && n != 3)
			*out |= 1u << i;
		if (n == 3 && strncmp(p, "all", 3))
			return fl_error(err, FL_EINVAL, "unknown facet '%.*s' "
					"(source, type, year, month, all)",
					(int)n, p);
		p += n;
		p += strspn(p, ", ");
	}
	return FL_OK;
}

const char *fl_search_sort_name(enum fl_search_sort sort)
{
	return sort == FL_SEARCH_SORT_DATE ? "date" : "relevance";
}

const char *fl_search_mode_name(enum fl_search_mode mode)
{
	static const char *const names[] = {
		[FL_SEARCH_MODE_ALL] = "all",
		[FL_SEARCH_MODE_ANY] = "any",
		[FL_SEARCH_MODE_BROWSE] = "browse",
	};

	return (unsigned)mode < 3 ? names[mode] : "all";
}

int fl_search_parse_sort(const char *s, enum fl_search_sort *out,
			 struct fl_err *err)
{
	if (s && !strcmp(s, "relevance"))
		*out = FL_SEARCH_SORT_RELEVANCE;
	else if (s && !strcmp(s, "date"))
		*out = FL_SEARCH_SORT_DATE;
	else
		return fl_error(err, FL_EINVAL, "unknown sort '%s' (relevance, "
				"date)", s ? s : "");
	return FL_OK;
}

/* ---- result memory -------------------------------------------------- */

static void hit_release(struct fl_hit *h)
{
	free(h->ext_id);
	free(h->title);
	free(h->url);
	free(h->date);
	free(h->source);
	free(h->type);
	free(h->snippet);
	free(h->snippet_text);
	free(h->marks);
	free(h->term_scores);
}

static void suggestion_free(struct fl_suggestion *sg)
{
	size_t i;

	if (!sg)
		return;
	for (i = 0; i < sg->nchanges; i++) {
		free(sg->changes[i].from);
		free(sg->changes[i].to);
	}
	free(sg->changes);
	free(sg->text);
	free(sg);
}

void fl_result_free(struct fl_result *r)
{
	size_t i, j;

	if (!r)
		return;
	for (i = 0; i < r->nhits; i++)
		hit_release(&r->hits[i]);
	free(r->hits);
	for (i = 0; i < r->nfacets; i++) {
		for (j = 0; j < r->facets[i].n; j++)
			free(r->facets[i].values[j].value);
		free(r->facets[i].values);
	}
	free(r->facets);
	suggestion_free(r->suggestion);
	for (i = 0; i < r->nterms; i++)
		free(r->terms[i]);
	free(r->terms);
	free(r->query);
	free(r->interpreted);
	free(r->notes);
	free(r);
}

/* ---- filters -------------------------------------------------------- */

/* Allowed-value map of one column: query values (ORed), minus excluded
 * ones, intersected with the option value. NULL in *out = any value. */
static int build_allow(const struct fl_strtab *t,
		       const struct fl_query_values *yes,
		       const struct fl_query_values *no, const char *opt,
		       unsigned char **out)
{
	unsigned char *a;
	size_t i, j;

	*out = NULL;
	if (!yes->n && !no->n && !opt)
		return FL_OK;
	a = malloc(t->n + 1);
	if (!a)
		return FL_ENOMEM;
	for (i = 0; i < t->n; i++) {
		int ok = !yes->n;

		for (j = 0; j < yes->n && !ok; j++)
			ok = !strcasecmp(t->v[i], yes->v[j]);
		for (j = 0; j < no->n && ok; j++)
			ok = strcasecmp(t->v[i], no->v[j]) != 0;
		if (ok && opt)
			ok = !strcasecmp(t->v[i], opt);
		a[i] = (unsigned char)ok;
	}
	*out = a;
	return FL_OK;
}

static int ymd_days(const char *s, int32_t *out)
{
	int32_t after;

	return s[0] && fl_docmeta_parse_period(s, out, &after);
}

static int build_dates(struct run *ru, struct fl_err *err)
{
	const struct fl_search_opts *o = ru->o;
	int32_t first, after, d;

	ru->from = ru->to = NO_DAY;
	if (ru->q->has_date) {
		if (ymd_days(ru->q->date_from, &d))
			ru->from = d;
		if (ymd_days(ru->q->date_to, &d))
			ru->to = d;
	}
	if (o->from && o->from[0]) {
		if (!fl_docmeta_parse_period(o->from, &first, &after))
			return fl_error(err, FL_EINVAL, "bad date from='%s' "
					"(YYYY, YYYY-MM or YYYY-MM-DD)",
					o->from);
		if (ru->from == NO_DAY || first > ru->from)
			ru->from = first;
	}
	if (o->to && o->to[0]) {
		if (!fl_docmeta_parse_period(o->to, &first, &after))
			return fl_error(err, FL_EINVAL, "bad date to='%s' "
					"(YYYY, YYYY-MM or YYYY-MM-DD)", o->to);
		if (ru->to == NO_DAY || after < ru->to)
			ru->to = after;
	}
	return FL_OK;
}

static int build_filters(struct run *ru, struct fl_err *err)
{
	struct fl_searcher *s = ru->s;
	struct fl_query *q = ru->q;
	int rc;

	rc = build_allow(&s->dm->sources, &q->sources, &q->not_sources,
			 ru->o->source, &ru->ok_source);
	if (rc == FL_OK)
		rc = build_allow(&s->dm->types, &q->types, &q->not_types,
				 ru->o->type, &ru->ok_type);
	if (rc == FL_OK)
		rc = build_allow(&s->dm->langs, &q->langs, &q->not_langs,
				 ru->o->lang, &ru->ok_lang);
	if (rc != FL_OK)
		return fl_error(err, rc, "search: out of memory");
	return build_dates(ru, err);
}

static int allowed(const unsigned char *a, uint32_t v)
{
	return !a || (v != UINT32_MAX && a[v]);
}

static int passes(const struct run *ru, const struct fl_docmeta_doc *d)
{
	if (!allowed(ru->ok_source, d->source) ||
	    !allowed(ru->ok_type, d->type) || !allowed(ru->ok_lang, d->lang))
		return 0;
	if (ru->from != NO_DAY && (d->day == NO_DAY || d->day < ru->from))
		return 0;
	if (ru->to != NO_DAY && (d->day == NO_DAY || d->day >= ru->to))
		return 0;
	return 1;
}

/* ---- matching ------------------------------------------------------- */

static int add_cand(struct run *ru, uint32_t slot, double bm25)
{
	if (ru->nc == ru->capc) {
		size_t cap = ru->capc ? ru->capc * 2 : 256;
		struct cand *g = realloc(ru->c, cap * sizeof(*g));

		if (!g)
			return FL_ENOMEM;
		ru->c = g;
		ru->capc = cap;
	}
	ru->c[ru->nc].slot = slot;
	ru->c[ru->nc].bm25 = bm25;
	ru->c[ru->nc].score = 0;
	ru->c[ru->nc].nmatched = 0;
	ru->nc++;
	return FL_OK;
}

/*
 * Run MATCH expr and call fn(ru, slot, bm25) for every matching document
 * the cache knows. A MATCH that FTS5 refuses counts as no match and sets
 * ru->match_failed (the query language should make that impossible).
 * each_match_ids passes bm25 0 and does not compute it.
 */
typedef int (*match_fn)(struct run *ru, uint32_t slot, double bm25);

static int count_rows(void *ctx, const char *expr, int64_t *n)
{
	struct fl_searcher *s = ctx;
	sqlite3_stmt *st;
	int rc;

	rc = fl_store_stmt(s->st, SLOT_COUNT, "SELECT count(*) FROM docs_fts "
			   "WHERE docs_fts MATCH ?1", &st, NULL);
	if (rc != FL_OK)
		return rc;
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_ROW ? FL_OK : FL_EDB;
	*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc;
}

/* Hand fl_bm25 the phrase counts of expr, remembered per generation. */
static void phrase_counts(struct fl_searcher *s, const char *expr)
{
	const int64_t *df;
	size_t n = fl_termstats_phrases(s->ts, expr, s->generation,
					count_rows, s, &df);

	fl_rank_set_df(s->rank, n ? df : NULL, n);
}

static int match_rows(struct run *ru, int scored, const char *expr,
		      match_fn fn, struct fl_err *err)
{
	sqlite3_stmt *st;
	int rc, src;

	if (scored)
		rc = fl_store_stmt(ru->s->st, SLOT_MATCH, "SELECT rowid, "
				   FL_SEARCH_BM25 " FROM docs_fts WHERE "
				   "docs_fts MATCH ?1", &st, err);
	else
		rc = fl_store_stmt(ru->s->st, SLOT_IDS, "SELECT rowid, 0 FROM "
				   "docs_fts WHERE docs_fts MATCH ?1", &st,
				   err);
	if (rc != FL_OK)
		return rc;
	if (scored)
		phrase_counts(ru->s, expr);
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		int32_t slot = fl_docmeta_slot(ru->s->dm,
					       sqlite3_column_int64(st, 0));

		if (slot < 0)
			continue;
		rc = fn(ru, (uint32_t)slot, sqlite3_column_double(st, 1));
		if (rc != FL_OK)
			break;
	}
	sqlite3_reset(st);
	if (scored)
		fl_rank_set_df(ru->s->rank, NULL, 0);
	if (rc != FL_OK)
		return fl_error(err, rc, "search: out of memory");
	if (src != SQLITE_DONE && src != SQLITE_ROW)
		ru->match_failed = 1;
	return FL_OK;
}

static int each_match(struct run *ru, const char *expr, match_fn fn,
		      struct fl_err *err)
{
	return match_rows(ru, 1, expr, fn, err);
}

static int each_match_ids(struct run *ru, const char *expr, match_fn fn,
			  struct fl_err *err)
{
	return match_rows(ru, 0, expr, fn, err);
}

static int on_strict(struct run *ru, uint32_t slot, double bm25)
{
	if (!passes(ru, doc_at(ru->s, slot)))
		return FL_OK;
	return add_cand(ru, slot, bm25);
}

static int ix_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct slot_ix *)a)->slot;
	uint32_t y = ((const struct slot_ix *)b)->slot;

	return x < y ? -1 : x > y;
}

/* Index the first n candidates by slot (they usually arrive sorted:
 * FTS5 returns rows by rowid, and slots follow ids). */
static int ix_build(struct run *ru, size_t n)
{
	size_t i;
	int sorted = 1;

	free(ru->ix);
	ru->nix = 0;
	ru->ix = malloc((n ? n : 1) * sizeof(*ru->ix));
	if (!ru->ix)
		return FL_ENOMEM;
	for (i = 0; i < n; i++) {
		ru->ix[i].slot = ru->c[i].slot;
		ru->ix[i].i = (uint32_t)i;
		if (i && ru->ix[i].slot < ru->ix[i - 1].slot)
			sorted = 0;
	}
	if (!sorted)
		qsort(ru->ix, n, sizeof(*ru->ix), ix_cmp);
	ru->nix = n;
	return FL_OK;
}

/* The indexed candidate of slot, NULL when there is none. */
static struct cand *ix_find(const struct run *ru, uint32_t slot)
{
	size_t lo = 0, hi = ru->nix;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ru->ix[mid].slot < slot)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ru->nix && ru->ix[lo].slot == slot)
		return &ru->c[ru->ix[lo].i];
	return NULL;
}

static int on_count(struct run *ru, uint32_t slot, double bm25)
{
	struct cand *c = ix_find(ru, slot);

	(void)bm25;
	if (c)
		c->nmatched++;
	return FL_OK;
}

static int on_mark(struct run *ru, uint32_t slot, double bm25)
{
	(void)bm25;
	if (ru->nmarks == ru->capmarks) {
		size_t cap = ru->capmarks ? 2 * ru->capmarks : 256;
		uint32_t *g = realloc(ru->marks, cap * sizeof(*g));

		if (!g)
			return FL_ENOMEM;
		ru->marks = g;
		ru->capmarks = cap;
	}
	ru->marks[ru->nmarks++] = slot;
	return FL_OK;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Browse: every document passing the filters and not excluded. */
static int match_browse(struct run *ru, struct fl_err *err)
{
	const struct fl_docmeta *dm = ru->s->dm;
	size_t i, m = 0;
	int rc = FL_OK;

	if (ru->q->exclude)
		rc = each_match_ids(ru, ru->q->exclude, on_mark, err);
	if (rc != FL_OK)
		return rc;
	if (ru->nmarks)
		qsort(ru->marks, ru->nmarks, sizeof(*ru->marks), u32_cmp);
	for (i = 0; i < dm->ndocs && rc == FL_OK; i++) {
		while (m < ru->nmarks && ru->marks[m] < i)
			m++;
		if ((m == ru->nmarks || ru->marks[m] != i) &&
		    passes(ru, &dm->docs[i]))
			rc = add_cand(ru, (uint32_t)i, 0);
	}
	if (rc != FL_OK)
		return fl_error(err, rc, "search: out of memory");
	ru->r->mode = FL_SEARCH_MODE_BROWSE;
	return FL_OK;
}

/* Minimum should match: OR of the terms, nmatched = terms matched. */
static int match_any(struct run *ru, struct fl_err *err)
{
	size_t i;
	int rc;

	ru->nc = 0;
	rc = each_match(ru, ru->q->match_any, on_strict, err);
	if (rc == FL_OK && ix_build(ru, ru->nc) != FL_OK)
		rc = fl_error(err, FL_ENOMEM, "search: out of memory");
	for (i = 0; i < ru->q->nterms && rc == FL_OK; i++)
		rc = each_match_ids(ru, ru->q->terms[i], on_count, err);
	for (i = 0; i < ru->nc; i++)
		if (ru->c[i].nmatched == 0)
			ru->c[i].nmatched = 1;
	ru->r->mode = FL_SEARCH_MODE_ANY;
	return rc;
}

/* Length of the compound-part group at p, `("p1" AND "p2" ...)` right
 * after `"word" OR ` (fl_query's split alternative), else 0. */
static size_t part_group_len(const char *expr, const char *p)
{
	size_t i = 1, n;

	if (*p != '(' || p - expr < 5 || strncmp(p - 4, " OR ", 4) ||
	    p[-5] != '"')
		return 0;
	for (;;) {
		n = fl_query_quoted_len(p + i);
		if (!n)
			return 0;
		i += n;
		if (p[i] == ')')
			return i + 1;
		if (strncmp(p + i, " AND ", 5))
			return 0;
		i += 5;
	}
}

/*
 * Append to b the quoted strings of expr as exact-form queries ORed
 * ("\1x" OR "\1y" ...): a string opening with FL_TOKENIZER_EXACT_MARK
 * yields EXACT forms only, one doclist per word; the user's prefix terms
 * stay prefix queries ("x" *, EXACT forms in prefix mode too). The parts
 * of a split compound are left out: the whole word carries the exact
 * form.
 */
static void exact_expr(struct fl_buf *b, const char *expr)
{
	const char *p = expr;
	size_t n;

	while (*p) {
		n = part_group_len(expr, p);
		if (n) {
			p += n;
			continue;
		}
		n = fl_query_quoted_len(p);
		if (!n) {
			p++;
			continue;
		}
		if (b->len)
			fl_buf_adds(b, " OR ");
		if (p[n] == '*') {
			fl_buf_add(b, p, n);
			fl_buf_adds(b, " *");
		} else {
			fl_buf_addc(b, '"');
			fl_buf_addc(b, FL_TOKENIZER_EXACT_MARK);
			fl_buf_add(b, p + 1, n - 1);
		}
		p += n;
	}
}

/* Candidates re-ranked with the exact-form bonus, and the largest match
 * set it is computed for: the bonus is a second MATCH with bm25 over every
 * document holding the exact forms; above this many matches the
 * recency-blended bm25 alone decides. */
#define FL_SEARCH_RERANK 100
#define FL_SEARCH_EXACT_MAX_MATCHES 1000

static double recency(const struct fl_searcher *s,
		      const struct fl_docmeta_doc *d);

/* The bonus of one document holding exact forms, if it is an indexed
 * (best) candidate. */
static int on_exact(struct run *ru, uint32_t slot, double bm25)
{
	struct cand *c = ix_find(ru, slot);

	if (c)
		c->score += FL_SEARCH_EXACT_WEIGHT * -bm25 *
			    recency(ru->s, doc_at(ru->s, slot));
	return FL_OK;
}

/* Add the bonus of the terms as exact-form queries to the indexed
 * candidates. */
static int exact_bonus(struct run *ru, struct fl_err *err)
{
	struct fl_buf b;
	size_t i;
	int rc = FL_OK;

	fl_buf_init(&b, FL_SEARCH_EXPR_MAX);
	for (i = 0; i < ru->q->nterms; i++)
		exact_expr(&b, ru->q->terms[i]);
	if (b.rc == FL_OK && b.len)
		rc = each_match(ru, b.data, on_exact, err);
	fl_buf_release(&b);
	ru->match_failed = 0; /* the bonus is optional */
	return rc;
}

static double recency(const struct fl_searcher *s,
		      const struct fl_docmeta_doc *d)
{
	if (d->day == NO_DAY || s->dm->newest == NO_DAY)
		return 1.0;
	return 1.0 + FL_SEARCH_RECENCY_WEIGHT *
	       exp2(-(double)(s->dm->newest - d->day) /
		    FL_SEARCH_RECENCY_HALF_LIFE);
}

static void score_all(struct run *ru)
{
	struct fl_searcher *s = ru->s;
	size_t i;

	for (i = 0; i < ru->nc; i++) {
		struct cand *c = &ru->c[i];

		c->score = -c->bm25 * recency(s, doc_at(s, c->slot));
		if (ru->r->mode == FL_SEARCH_MODE_ALL)
			c->nmatched = (unsigned)ru->q->nterms;
		else if (ru->q->nterms)
			c->score *= (double)c->nmatched / ru->q->nterms;
	}
}

static void top_k(struct run *ru, size_t k);

/* Re-rank the best candidates with the exact-form bonus. */
static int rerank(struct run *ru, struct fl_err *err)
{
	size_t k = ru->r->offset + ru->r->limit;

	k = k > FL_SEARCH_RERANK ? k : FL_SEARCH_RERANK;
	k = k < ru->nc ? k : ru->nc;
	if (!k || !ru->q->nterms || ru->nc > FL_SEARCH_EXACT_MAX_MATCHES)
		return FL_OK;
	top_k(ru, k);
	if (ix_build(ru, k) != FL_OK)
		return fl_error(err, FL_ENOMEM, "search: out of memory");
	return exact_bonus(ru, err);
}

static int do_match(struct run *ru, struct fl_err *err)
{
	int rc;

	if (!ru->q->match)
		return match_browse(ru, err);
	ru->r->mode = FL_SEARCH_MODE_ALL;
	rc = each_match(ru, ru->q->match, on_strict, err);
	if (rc == FL_OK && ru->nc < FL_SEARCH_MSM_MIN && ru->q->nterms > 1 &&
	    ru->q->match_any)
		rc = match_any(ru, err);
	score_all(ru);
	if (rc == FL_OK && ru->o->sort == FL_SEARCH_SORT_RELEVANCE)
		rc = rerank(ru, err);
	return rc;
}

/* ---- ordering ------------------------------------------------------- */

/* < 0 when a ranks before b. */
static int cand_cmp(const struct run *ru, const struct cand *a,
		    const struct cand *b)
{
	const struct fl_docmeta_doc *da = doc_at(ru->s, a->slot);
	const struct fl_docmeta_doc *db = doc_at(ru->s, b->slot);
	int by_date = ru->o->sort == FL_SEARCH_SORT_DATE ||
		      ru->r->mode == FL_SEARCH_MODE_BROWSE;

	if (by_date && da->day != db->day)
		return da->day > db->day ? -1 : 1;
	if (a->nmatched != b->nmatched && ru->r->mode != FL_SEARCH_MODE_ANY)
		return a->nmatched > b->nmatched ? -1 : 1;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (da->day != db->day)
		return da->day > db->day ? -1 : 1;
	return da->id < db->id ? -1 : (da->id > db->id);
}

static void sift_down(const struct run *ru, struct cand *h, size_t n,
		      size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, w = i;
		struct cand t;

		/* max-heap on "ranks later": the root is the worst kept */
		if (l < n && cand_cmp(ru, &h[l], &h[w]) > 0)
			w = l;
		if (r < n && cand_cmp(ru, &h[r], &h[w]) > 0)
			w = r;
		if (w == i)
			return;
		t = h[i];
		h[i] = h[w];
		h[w] = t;
		i = w;
	}
}

/* Move the best k candidates to the front of ru->c, in rank order. */
static void top_k(struct run *ru, size_t k)
{
	struct cand *c = ru->c;
	size_t i, n;

	if (k > ru->nc)
		k = ru->nc;
	if (!k)
		return;
	for (i = k / 2; i-- > 0;)
		sift_down(ru, c, k, i);
	for (i = k; i < ru->nc; i++) {
		if (cand_cmp(ru, &c[i], &c[0]) < 0) {
			struct cand t = c[0];

			/* swap, not overwrite: the whole set stays intact
			 * for facets and a second selection after rerank */
			c[0] = c[i];
			c[i] = t;
			sift_down(ru, c, k, 0);
		}
	}
	for (n = k; n > 1; n--) { /* heap sort: worst to the back */
		struct cand t = c[0];

		c[0] = c[n - 1];
		c[n - 1] = t;
		sift_down(ru, c, n - 1, 0);
	}
}

/* ---- facets --------------------------------------------------------- */

static int fv_cmp_count(const void *a, const void *b)
{
	const struct fl_facet_value *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->value, y->value);
}

static int fv_cmp_value(const void *a, const void *b)
{
	const struct fl_facet_value *x = a, *y = b;

	return strcmp(x->value, y->value);
}

/* Turn counts[0..n) into facet values named by name_of(i); keep the
 * FL_SEARCH_MAX_FACET_VALUES first in sort order (chrono: by value, the
 * newest kept). */
static int facet_fill(struct fl_facet *f, const int64_t *counts, size_t n,
		      const struct fl_strtab *t, int32_t base, int month,
		      int chrono)
{
	size_t i, k = 0, keep, cap = chrono ? FL_SEARCH_MAX_MONTHS
					   : FL_SEARCH_MAX_FACET_VALUES;
	char name[16];

	f->values = calloc(n + 1, sizeof(*f->values));
	if (!f->values)
		return FL_ENOMEM;
	for (i = 0; i < n; i++) {
		if (!counts[i])
			continue;
		if (t) {
			f->values[k].value = xstrdup(t->v[i]);
		} else if (month) {
			int32_t m = base + (int32_t)i;

			snprintf(name, sizeof(name), "%04d-%02d",
				 (int)(m / 12), (int)(m % 12 + 1));
			f->values[k].value = xstrdup(name);
		} else {
			snprintf(name, sizeof(name), "%04d",
				 (int)(base + (int32_t)i));
			f->values[k].value = xstrdup(name);
		}
		if (!f->values[k].value)
			return FL_ENOMEM;
		f->values[k++].count = counts[i];
	}
	qsort(f->values, k, sizeof(*f->values),
	      chrono ? fv_cmp_value : fv_cmp_count);
	keep = k < cap ? k : cap;
	if (chrono && k > keep) { /* keep the newest */
		for (i = 0; i < k - keep; i++)
			free(f->values[i].value);
		memmove(f->values, f->values + (k - keep),
			keep * sizeof(*f->values));
	}
	for (i = keep; !chrono && i < k; i++)
		free(f->values[i].value);
	f->n = keep;
	return FL_OK;
}

static int facet_table(struct run *ru, struct fl_facet *f, int which)
{
	const struct fl_strtab *t = which == 0 ? &ru->s->dm->sources
						: &ru->s->dm->types;
	int64_t *counts = calloc(t->n + 1, sizeof(*counts));
	size_t i;
	int rc;

	if (!counts)
		return FL_ENOMEM;
	for (i = 0; i < ru->nc; i++) {
		const struct fl_docmeta_doc *d = doc_at(ru->s, ru->c[i].slot);
		uint32_t v = which == 0 ? d->source : d->type;

		if (v != UINT32_MAX)
			counts[v]++;
	}
	rc = facet_fill(f, counts, t->n, t, 0, 0, 0);
	free(counts);
	return rc;
}

static int facet_time(struct run *ru, struct fl_facet *f, int month)
{
	int32_t lo = INT32_MAX, hi = INT32_MIN, v;
	int64_t *counts;
	size_t i;
	int rc;

	for (i = 0; i < ru->nc; i++) {
		v = doc_at(ru->s, ru->c[i].slot)->month;
		if (v < 0)
			continue;
		v = month ? v : v / 12;
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	if (lo > hi) {
		f->values = calloc(1, sizeof(*f->values));
		return f->values ? FL_OK : FL_ENOMEM;
	}
	counts = calloc((size_t)(hi - lo) + 1, sizeof(*counts));
	if (!counts)
		return FL_ENOMEM;
	for (i = 0; i < ru->nc; i++) {
		v = doc_at(ru->s, ru->c[i].slot)->month;
		if (v >= 0)
			counts[(month ? v : v / 12) - lo]++;
	}
	rc = facet_fill(f, counts, (size_t)(hi - lo) + 1, NULL, lo, month, 1);
	free(counts);
	return rc;
}

static int do_facets(struct run *ru, struct fl_err *err)
{
	struct fl_result *r = ru->r;
	size_t i;
	int rc = FL_OK;

	if (!ru->o->facets)
		return FL_OK;
	r->facets = calloc(NFACETS, sizeof(*r->facets));
	if (!r->facets)
		return fl_error(err, FL_ENOMEM, "search: out of memory");
	for (i = 0; i < NFACETS && rc == FL_OK; i++) {
		struct fl_facet *f;

		if (!(ru->o->facets & (1u << i)))
			continue;
		f = &r->facets[r->nfacets++];
		f->name = facet_names[i];
		rc = i < 2 ? facet_table(ru, f, (int)i)
			   : facet_time(ru, f, i == 3);
	}
	if (rc != FL_OK)
		return fl_error(err, rc, "search: out of memory");
	return FL_OK;
}

/* ---- the query's words ---------------------------------------------- */

/* Collect the quoted strings of the positive terms (unescaped). */
static int collect_words(struct run *ru)
{
	size_t i;

	for (i = 0; i < ru->q->nterms; i++) {
		const char *p = ru->q->terms[i];

		while ((p = strchr(p, '"')) && ru->nwords < FL_SEARCH_MAX_WORDS) {
			struct fl_buf b;

			fl_buf_init(&b, FL_QUERY_MAX_BYTES);
			for (p++; *p; p++) {
				if (p[0] == '"' && p[1] != '"')
					break;
				if (p[0] == '"')
					p++;
				fl_buf_addc(&b, *p);
			}
			if (*p)
				p++;
			if (b.rc != FL_OK || b.len == 0) {
				fl_buf_release(&b);
				continue;
			}
			ru->words[ru->nwords] = fl_buf_detach(&b, NULL);
			if (!ru->words[ru->nwords])
				return FL_ENOMEM;
			ru->nwords++;
		}
	}
	return FL_OK;
}

/* ---- hits ----------------------------------------------------------- */

static int hit_snippet(struct run *ru, struct fl_hit *h,
		       struct fl_snippet_query *sq, const char *body,
		       size_t len, struct fl_err *err)
{
	struct fl_snippet sn;
	struct fl_buf b;
	int rc;

	if (!len) {
		body = h->title;
		len = strlen(h->title);
	}
	rc = fl_snippet_make(ru->s->an, sq, body, len, &sn, err);
	if (rc != FL_OK)
		return rc;
	fl_buf_init(&b, FL_SNIPPET_CHARS * 64);
	fl_snippet_html(&sn, &b);
	h->snippet = fl_buf_detach(&b, NULL);
	h->snippet_text = sn.text;
	h->marks = sn.marks;
	h->nmarks = sn.nmarks;
	if (!h->snippet) {
		rc = fl_error(err, FL_ENOMEM, "search: out of memory");
		free(h->snippet_text);
		free(h->marks);
		h->snippet_text = NULL;
		h->marks = NULL;
		h->nmarks = 0;
	}
	return rc;
}

static int hit_load(struct run *ru, const struct cand *c, struct fl_hit *h,
		    struct fl_snippet_query *sq, struct fl_err *err)
{
	sqlite3_stmt *st;
	int rc;

	h->id = doc_at(ru->s, c->slot)->id;
	h->score = c->score;
	h->nmatched = c->nmatched;
	rc = fl_store_stmt(ru->s->st, SLOT_HIT, "SELECT ext_id, title, url, "
			   "date, source, type, body FROM documents WHERE "
			   "id = ?1", &st, err);
	if (rc != FL_OK)
		return rc;
	sqlite3_bind_int64(st, 1, h->id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return fl_error(err, FL_EDB, "search: document %lld vanished",
				(long long)h->id);
	}
	h->ext_id = fl_store_column_dup(st, 0);
	h->title = fl_store_column_dup(st, 1);
	h->url = fl_store_column_dup(st, 2);
	h->date = fl_store_column_dup(st, 3);
	h->source = fl_store_column_dup(st, 4);
	h->type = fl_store_column_dup(st, 5);
	if (!h->title)
		h->title = xstrdup("");
	if (!h->type)
		h->type = xstrdup("");
	if (!h->ext_id || !h->title || !h->type)
		rc = fl_error(err, FL_ENOMEM, "search: out of memory");
	if (rc == FL_OK && ru->o->snippets)
		rc = hit_snippet(ru, h, sq,
				 (const char *)sqlite3_column_text(st, 6),
				 (size_t)sqlite3_column_bytes(st, 6), err);
	sqlite3_reset(st);
	return rc;
}

static int do_hits(struct run *ru, struct fl_err *err)
{
	struct fl_result *r = ru->r;
	struct fl_snippet_query *sq = NULL;
	size_t i, n;
	int rc = FL_OK;

	top_k(ru, r->offset + r->limit);
	n = ru->nc > r->offset ? ru->nc - r->offset : 0;
	n = n < r->limit ? n : r->limit;
	r->hits = calloc(n + 1, sizeof(*r->hits));
	if (!r->hits)
		return fl_error(err, FL_ENOMEM, "search: out of memory");
	if (n && ru->o->snippets)
		rc = fl_snippet_query_new(ru->s->an,
					  (const char *const *)ru->words,
					  ru->nwords, &sq, err);
	for (i = 0; i < n && rc == FL_OK; i++) {
		rc = hit_load(ru, &ru->c[r->offset + i], &r->hits[i], sq, err);
		r->nhits++;
	}
	fl_snippet_query_free(sq);
	return rc;
}

/* ---- explain -------------------------------------------------------- */

static int term_score(struct run *ru, const char *expr, int64_t id,
		      double *out, struct fl_err *err)
{
	sqlite3_stmt *st;
	int rc;

	rc = fl_store_stmt(ru->s->st, SLOT_TERM_ROW, "SELECT " FL_SEARCH_BM25
			   " FROM docs_fts WHERE docs_fts MATCH ?1 AND "
			   "rowid = ?2", &st, err);
	if (rc != FL_OK)
		return rc;
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	*out = sqlite3_step(st) == SQLITE_ROW ? -sqlite3_column_double(st, 0)
					     : 0.0;
	sqlite3_reset(st);
	return FL_OK;
}

static int do_explain(struct run *ru, struct fl_err *err)
{
	struct fl_result *r = ru->r;
	size_t i, j, n = ru->q->nterms;
	int rc = FL_OK;

	r->terms = calloc(n + 1, sizeof(*r->terms));
	if (!r->terms)
		return fl_error(err, FL_ENOMEM, "search: out of memory");
	for (i = 0; i < n; i++) {
		r->terms[i] = xstrdup(ru->q->terms[i]);
		if (!r->terms[i])
			return fl_error(err, FL_ENOMEM, "search: out of memory");
		r->nterms++;
	}
	for (i = 0; i < r->nhits && rc == FL_OK; i++) {
		r->hits[i].term_scores = calloc(n + 1, sizeof(double));
		if (!r->hits[i].term_scores)
			return fl_error(err, FL_ENOMEM, "search: out of memory");
		for (j = 0; j < n && rc == FL_OK; j++)
			rc = term_score(ru, r->terms[j], r->hits[i].id,
					&r->hits[i].term_scores[j], err);
	}
	return rc;
}

/* ---- did you mean --------------------------------------------------- */

static char *key_of(const char *w, size_t n)
{
	struct fl_buf b;

	fl_buf_init(&b, FL_SUGGEST_MAX_PREFIX * 4);
	if (fl_suggest_key(w, n, &b) != FL_OK) {
		fl_buf_release(&b);
		return NULL;
	}
	return fl_buf_detach(&b, NULL);
}

static char *fold_of(const char *w)
{
	struct fl_buf b;

	fl_buf_init(&b, FL_SUGGEST_MAX_PREFIX * 4);
	fl_utf8_fold(w, strlen(w), &b);
	if (b.rc != FL_OK) {
		fl_buf_release(&b);
		return NULL;
	}
	return fl_buf_detach(&b, NULL);
}

/* The word as written differs from its usual spelling (Buergermeister vs
 * Bürgermeister): 1 and *to set. */
static int dym_spelling(const char *w, char *surface, char **to)
{
	char *a = fold_of(w), *b = fold_of(surface);
	int differs = a && b && strcmp(a, b) != 0;

	free(a);
	free(b);
	if (differs)
		*to = surface;
	else
		free(surface);
	return differs;
}

/* Split key into two known words, the pair with the best rarer half. */
static int dym_split(struct fl_store *st, const char *key, char **to,
		     struct fl_err *err)
{
	size_t n = strlen(key), i;
	int64_t best = 0, na, nb;
	char *sa, *sb;

	for (i = 3; i + 3 <= n; i++) {
		if (fl_suggest_surface(st, key, i, &sa, &na, err) != FL_OK)
			continue;
		if (fl_suggest_surface(st, key + i, n - i, &sb, &nb, err) ==
		    FL_OK) {
			int64_t m = na < nb ? na : nb;

			if (m > best) {
				struct fl_buf b;

				fl_buf_init(&b, 2 * FL_SUGGEST_MAX_PREFIX * 4);
				fl_buf_addf(&b, "%s %s", sa, sb);
				free(*to);
				*to = fl_buf_detach(&b, NULL);
				best = m;
			}
			free(sb);
		}
		free(sa);
	}
	if (err)
		fl_err_clear(err);
	return *to != NULL;
}

/* Find a correction for word w (and maybe its successor next). */
static const char *dym_word(struct fl_store *st, const char *w,
			    const char *next, char **to, int *joined)
{
	struct fl_err e = { 0 };
	char *key = key_of(w, strlen(w)), *jkey = NULL, *surface = NULL;
	const char *why = NULL;
	int64_t n;

	*to = NULL;
	*joined = 0;
	if (!key)
		return NULL;
	if (next) {
		jkey = key_of(next, strlen(next));
		if (jkey) {
			struct fl_buf b;

			fl_buf_init(&b, FL_SUGGEST_MAX_PREFIX * 8);
			fl_buf_addf(&b, "%s%s", key, jkey);
			free(jkey);
			jkey = fl_buf_detach(&b, NULL);
		}
	}
	if (jkey && fl_suggest_surface(st, jkey, strlen(jkey), to, &n,
				       &e) == FL_OK) {
		why = "join";
		*joined = 1;
	} else if (fl_suggest_surface(st, key, strlen(key), &surface, &n,
				      &e) == FL_OK) {
		why = dym_spelling(w, surface, to) ? "spelling" : NULL;
	} else if (fl_suggest_correct(st, key, strlen(key),
				      strlen(key) >= 7 ? 2 : 1, 1, to, &n,
				      &e) == FL_OK) {
		why = "typo";
	} else if (dym_split(st, key, to, &e)) {
		why = "split";
	}
	free(key);
	free(jkey);
	return why;
}

static int add_change(struct fl_suggestion *sg, const char *from, char *to,
		      const char *why)
{
	struct fl_change *g = realloc(sg->changes, (sg->nchanges + 1) *
				      sizeof(*g));

	if (!g) {
		free(to);
		return FL_ENOMEM;
	}
	sg->changes = g;
	g[sg->nchanges].from = xstrdup(from);
	g[sg->nchanges].to = to;
	g[sg->nchanges].why = why;
	sg->nchanges++;
	return g[sg->nchanges - 1].from ? FL_OK : FL_ENOMEM;
}

/* The query text with every change applied (first occurrence each). */
static char *dym_text(const char *query, const struct fl_suggestion *sg)
{
	struct fl_buf b, t;
	size_t i;

	fl_buf_init(&b, FL_QUERY_MAX_BYTES * 2);
	fl_buf_adds(&b, query);
	for (i = 0; i < sg->nchanges && b.rc == FL_OK; i++) {
		const char *at = strstr(b.data, sg->changes[i].from);

		if (!at)
			continue;
		fl_buf_init(&t, FL_QUERY_MAX_BYTES * 2);
		fl_buf_add(&t, b.data, (size_t)(at - b.data));
		fl_buf_adds(&t, sg->changes[i].to);
		fl_buf_adds(&t, at + strlen(sg->changes[i].from));
		fl_buf_release(&b);
		b = t;
	}
	if (b.rc != FL_OK) {
		fl_buf_release(&b);
		return NULL;
	}
	return fl_buf_detach(&b, NULL);
}

/* "from" of a join: "Bildungs monitoring" as typed (both words). */
static char *joined_from(const char *a, const char *b)
{
	struct fl_buf x;

	fl_buf_init(&x, FL_QUERY_MAX_BYTES * 2);
	fl_buf_addf(&x, "%s %s", a, b);
	if (x.rc != FL_OK) {
		fl_buf_release(&x);
		return NULL;
	}
	return fl_buf_detach(&x, NULL);
}

static int dym_changes(struct run *ru, struct fl_suggestion *sg)
{
	size_t i;
	int rc = FL_OK;

	for (i = 0; i < ru->nwords && rc == FL_OK; i++) {
		const char *w = ru->words[i];
		const char *next = i + 1 < ru->nwords ? ru->words[i + 1] : NULL;
		const char *why;
		char *to, *from;
		int joined;

		if (strchr(w, ' ') || (next && strchr(next, ' ')))
			next = NULL;
		if (strchr(w, ' '))
			continue;
		why = dym_word(ru->s->st, w, next, &to, &joined);
		if (!why)
			continue;
		if (!joined) {
			rc = add_change(sg, w, to, why);
			continue;
		}
		from = joined_from(w, next);
		rc = from ? add_change(sg, from, to, why) : FL_ENOMEM;
		free(from);
		i++;
	}
	return rc;
}

static int do_suggest(struct run *ru, struct fl_err *err)
{
	struct fl_suggestion *sg = calloc(1, sizeof(*sg));
	struct fl_search_opts o = *ru->o;
	struct fl_result *r2 = NULL;
	int rc;

	if (!sg)
		return fl_error(err, FL_ENOMEM, "search: out of memory");
	rc = dym_changes(ru, sg);
	if (rc == FL_OK && sg->nchanges) {
		sg->text = dym_text(ru->r->query, sg);
		rc = sg->text ? FL_OK : FL_ENOMEM;
	}
	if (rc != FL_OK || !sg->nchanges) {
		suggestion_free(sg);
		return rc == FL_OK ? FL_OK
				   : fl_error(err, rc, "search: out of memory");
	}
	o.query = sg->text;
	o.query_len = 0;
	o.limit = 1;
	o.offset = 0;
	o.facets = 0;
	o.snippets = 0;
	o.suggest = 0;
	o.explain = 0;
	rc = fl_search(ru->s, &o, &r2, err);
	if (rc == FL_OK)
		sg->total = r2->total;
	fl_result_free(r2);
	if (rc == FL_OK && sg->total > ru->r->total)
		ru->r->suggestion = sg;
	else
		suggestion_free(sg);
	return rc;
}

/* ---- fl_search ------------------------------------------------------ */

/* A copy of q without invalid UTF-8 and NUL bytes. */
static char *clean_copy(const char *q, size_t len)
{
	struct fl_buf b;
	size_t i = 0;

	fl_buf_init(&b, len + 1);
	while (i < len) {
		int32_t cp;
		size_t n = fl_utf8_next(q + i, len - i, &cp);

		if (cp > 0)
			fl_buf_add(&b, q + i, n);
		i += n;
	}
	if (b.rc != FL_OK) {
		fl_buf_release(&b);
		return NULL;
	}
	return fl_buf_detach(&b, NULL);
}

static int check_opts(const struct fl_search_opts *o, struct fl_err *err)
{
	if (o->limit > FL_SEARCH_MAX_LIMIT)
		return fl_error(err, FL_EINVAL, "limit %zu out of range 1..%d",
				o->limit, FL_SEARCH_MAX_LIMIT);
	if (o->offset > FL_SEARCH_MAX_OFFSET)
		return fl_error(err, FL_EINVAL, "offset %zu out of range "
				"0..%d", o->offset, FL_SEARCH_MAX_OFFSET);
	if ((o->source && strlen(o->source) > FL_SEARCH_MAX_FILTER) ||
	    (o->type && strlen(o->type) > FL_SEARCH_MAX_FILTER) ||
	    (o->lang && strlen(o->lang) > FL_SEARCH_MAX_FILTER))
		return fl_error(err, FL_EINVAL, "filter value longer than %d "
				"bytes", FL_SEARCH_MAX_FILTER);
	return FL_OK;
}

static int run_init(struct run *ru, const struct fl_search_opts *o,
		    struct fl_err *err)
{
	struct fl_query_opts qo = { ru->s->lex, ru->s->an };
	const char *text = o->query ? o->query : "";
	size_t len = o->query_len ? o->query_len : strlen(text);
	struct fl_result *r = ru->r;
	int rc;

	r->offset = o->offset;
	r->limit = o->limit ? o->limit : FL_SEARCH_DEFAULT_LIMIT;
	r->sort = o->sort;
	r->query = clean_copy(text, len < FL_QUERY_MAX_BYTES ? len
					 : FL_QUERY_MAX_BYTES);
	if (!r->query)
		return fl_error(err, FL_ENOMEM, "search: out of memory");
	rc = fl_query_parse(text, len, &qo, &ru->q, err);
	if (rc != FL_OK)
		return rc;
	r->interpreted = xstrdup(ru->q->interpreted);
	r->notes = xstrdup(ru->q->notes);
	if (!r->interpreted || !r->notes || collect_words(ru) != FL_OK)
		return fl_error(err, FL_ENOMEM, "search: out of memory");
	return FL_OK;
}

static void run_release(struct run *ru)
{
	size_t i;

	fl_query_free(ru->q);
	free(ru->ok_source);
	free(ru->ok_type);
	free(ru->ok_lang);
	free(ru->c);
	free(ru->ix);
	free(ru->marks);
	for (i = 0; i < ru->nwords; i++)
		free(ru->words[i]);
}

static int note_failed(struct fl_result *r)
{
	struct fl_buf b;

	fl_buf_init(&b, FL_QUERY_MAX_BYTES * 2);
	fl_buf_adds(&b, r->notes);
	if (b.len)
		fl_buf_addc(&b, '\n');
	fl_buf_adds(&b, "the full-text index could not run this query");
	if (b.rc != FL_OK) {
		fl_buf_release(&b);
		return FL_ENOMEM;
	}
	free(r->notes);
	r->notes = fl_buf_detach(&b, NULL);
	return r->notes ? FL_OK : FL_ENOMEM;
}

/*
 * Run a search inside one read transaction: every statement of it (match,
 * bonus, facets, hits) sees the same snapshot even while the indexer
 * commits, and the WAL read lock is taken once instead of per statement.
 * Returns 1 when the transaction is ours to end. A store transaction the
 * caller opened is used as it is; a read transaction left open by an
 * interrupted end (searchd's time budget) is ended first, so no later
 * search keeps reading an old snapshot.
 */
static int step_slot(struct fl_searcher *s, int slot, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (fl_store_stmt(s->st, slot, sql, &st, NULL) != FL_OK)
		return 0;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE;
}

static int snapshot_begin(struct fl_searcher *s)
{
	if (fl_store_in_tx(s->st))
		return 0;
	if (!sqlite3_get_autocommit(fl_store_db(s->st)))
		step_slot(s, SLOT_END, "ROLLBACK");
	return step_slot(s, SLOT_BEGIN, "BEGIN");
}

static void snapshot_end(struct fl_searcher *s, int ours)
{
	if (ours)
		step_slot(s, SLOT_END, "ROLLBACK");
}

int fl_search(struct fl_searcher *s, const struct fl_search_opts *o,
	      struct fl_result **out, struct fl_err *err)
{
	struct run ru;
	double t0 = now_ms();
	int rc, ours;

	*out = NULL;
	rc = check_opts(o, err);
	if (rc != FL_OK)
		return rc;
	memset(&ru, 0, sizeof(ru));
	ru.s = s;
	ru.o = o;
	ru.r = calloc(1, sizeof(*ru.r));
	if (!ru.r)
		return fl_error(err, FL_ENOMEM, "search: out of memory");
	ours = snapshot_begin(s);
	rc = cache_fresh(s, err);
	if (rc == FL_OK)
		rc = run_init(&ru, o, err);
	if (rc == FL_OK)
		rc = build_filters(&ru, err);
	if (rc == FL_OK)
		rc = do_match(&ru, err);
	if (rc == FL_OK && ru.match_failed)
		rc = note_failed(ru.r);
	ru.r->total = (int64_t)ru.nc;
	if (rc == FL_OK)
		rc = do_facets(&ru, err);
	if (rc == FL_OK)
		rc = do_hits(&ru, err);
	if (rc == FL_OK && o->explain)
		rc = do_explain(&ru, err);
	if (rc == FL_OK && o->suggest && ru.r->total < FL_SEARCH_DYM_BELOW &&
	    ru.nwords)
		rc = do_suggest(&ru, err);
	snapshot_end(s, ours);
	run_release(&ru);
	if (rc != FL_OK) {
		fl_result_free(ru.r);
		return rc;
	}
	ru.r->took_ms = now_ms() - t0;
	*out = ru.r;
	return FL_OK;
}

/* ---- statistics ----------------------------------------------------- */

static int stat_int(sqlite3 *db, const char *sql, int64_t *out,
		    struct fl_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return fl_error(err, FL_EDB, "stats: %s", sqlite3_errmsg(db));
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fl_error(err, FL_EDB, "stats: %s", sqlite3_errmsg(db));
	return FL_OK;
}

static int stat_groups(sqlite3 *db, const char *col,
		       struct fl_stat_count **out, size_t *n,
		       struct fl_err *err)
{
	char sql[160];
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT %s, count(*) FROM documents "
		 "WHERE %s IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1", col,
		 col);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return fl_error(err, FL_EDB, "stats: %s", sqlite3_errmsg(db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct fl_stat_count *g;

			cap = cap ? cap * 2 : 16;
			g = realloc(*out, cap * sizeof(*g));
			if (!g)
				break;
			*out = g;
		}
		(*out)[*n].value = fl_store_column_dup(st, 0);
		(*out)[*n].count = sqlite3_column_int64(st, 1);
		if (!(*out)[*n].value)
			break;
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fl_error(err, FL_EDB, "stats: cannot group by %s", col);
	return FL_OK;
}

static char *meta_dup(struct fl_store *st, const char *key)
{
	char buf[256];
	struct fl_err e = { 0 };

	if (fl_store_meta(st, key, buf, sizeof(buf), &e) != FL_OK)
		return NULL;
	return xstrdup(buf);
}

int fl_stats_get(struct fl_store *st, struct fl_stats **out,
		 struct fl_err *err)
{
	struct fl_stats *s = calloc(1, sizeof(*s));
	sqlite3 *db = fl_store_db(st);
	int64_t v = 0, ps = 0;
	int rc;

	*out = NULL;
	if (!s)
		return fl_error(err, FL_ENOMEM, "stats: out of memory");
	rc = stat_int(db, "SELECT count(*) FROM documents", &s->documents,
		      err);
	if (rc == FL_OK)
		rc = stat_int(db, "SELECT count(*) FROM docs_vocab",
			      &s->vocabulary, err);
	if (rc == FL_OK)
		rc = stat_int(db, "PRAGMA page_count", &v, err);
	if (rc == FL_OK)
		rc = stat_int(db, "PRAGMA page_size", &ps, err);
	s->index_bytes = v * ps;
	if (rc == FL_OK)
		rc = stat_int(db, "PRAGMA user_version", &v, err);
	s->schema_version = (int)v;
	if (rc == FL_OK)
		rc = fl_store_generation(st, &s->generation, err);
	s->analyzer_version = meta_dup(st, "analyzer_version");
	s->created_at = meta_dup(st, "created_at");
	if (rc == FL_OK)
		rc = stat_groups(db, "type", &s->types, &s->ntypes, err);
	if (rc == FL_OK)
		rc = stat_groups(db, "source", &s->sources, &s->nsources, err);
	if (rc == FL_OK)
		rc = stat_groups(db, "year", &s->years, &s->nyears, err);
	if (rc != FL_OK) {
		fl_stats_free(s);
		return rc;
	}
	*out = s;
	return FL_OK;
}

static void counts_free(struct fl_stat_count *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(c[i].value);
	free(c);
}

void fl_stats_free(struct fl_stats *s)
{
	if (!s)
		return;
	counts_free(s->types, s->ntypes);
	counts_free(s->sources, s->nsources);
	counts_free(s->years, s->nyears);
	free(s->analyzer_version);
	free(s->created_at);
	free(s);
}
