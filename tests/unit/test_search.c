/*
 * test_search.c - fl_search on a tiny index built through fl_doc: title
 * above body, exact form above stemmed (Förderung vs Forderung, schön
 * vs schon, Bürger vs Burg: a stem never counts as an exact form),
 * deterministic ties, filters, facets over the whole match set equal to
 * SQL counts, sort by date, paging, the minimum-should-match fallback of
 * a question, browsing with exclusions, the compound part highlighted in
 * a snippet, and searchers sharing one per-document table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "support_searchfx.h"
#include "fl_doc.h"
#include "fl_docmeta.h"
#include "fl_query.h"
#include "fl_search.h"
#include "fl_store.h"
#include "fl_banned.h"


/* Filler so that title and body matches compete at similar lengths. */
#define FILL "Der Bericht nennt weitere Zahlen und Hintergründe. "

static const struct {
	const char *id, *title, *body, *date, *source, *type;
} docs[] = {
	{ "t-title", "Lausitz im Wandel", FILL FILL "Ein Rückblick.",
	  "2024-03-01", "lvz", "news" },
	{ "t-body", "Ein Rückblick", FILL FILL "Auch die Lausitz.",
	  "2024-03-01", "lvz", "news" },
	{ "f-exact", "Programm", FILL "Die Förderung steigt.", "2023-05-01",
	  "mdr", "news" },
	{ "f-stem", "Programm", FILL "Die Forderung steigt.", "2023-05-01",
	  "mdr", "news" },
	{ "u-schoen", "Notiz", FILL "Das Wetter war schön.", "2023-06-01",
	  "mdr", "news" },
	{ "u-schon", "Notiz", FILL "Das Wetter war schon.", "2023-06-01",
	  "mdr", "news" },
	{ "u-buerger", "Notiz", FILL "Der Bürger kam.", "2023-06-02",
	  "mdr", "news" },
	{ "u-burg", "Notiz", FILL "Der Burg kam.", "2023-06-02",
	  "mdr", "news" },
	{ "tie-a", "Gleichstand", "Kita Gebühren in Halle.", "2022-01-10",
	  "a", "report" },
	{ "tie-b", "Gleichstand", "Kita Gebühren in Halle.", "2022-01-10",
	  "a", "report" },
	{ "s-1", "Schule in Leipzig", "Die Schule öffnet.", "2021-09-01",
	  "lvz", "news" },
	{ "s-2", "Schulen", "Neue Schulen in Halle.", "2023-09-01", "mdr",
	  "news" },
	{ "s-3", "Schulbau", "Eine Schule wird gebaut.", "2024-09-01",
	  "mdr", "report" },
	{ "s-4", "Schule", "Schule und Sport.", "2020-02-01", "sz",
	  "news" },
	{ "s-5", "Schule", "Schule und Musik.", NULL, "sz", "news" },
	{ "azubi", "Ausbildung", "Zahl der Auszubildenden in Sachsen "
	  "gestiegen.", "2024-01-15", "lvz", "news" },
	{ "sachsen", "Sachsen", "Sachsen wählt.", "2024-01-15", "lvz",
	  "news" },
	{ "bimo", "Studie", "Das Bildungsmonitoring zeigt Lücken.",
	  "2024-02-02", "mdr", "report" },
};
#define NDOCS (sizeof(docs) / sizeof(docs[0]))

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int setup(void **state)
{
	struct fx *f = fx_open("search");
	struct fl_err err = { 0 };
	size_t i;

	if (!f)
		return -1;
	for (i = 0; i < NDOCS; i++) {
		struct fl_doc d;
		enum fl_doc_result res;

		fl_doc_init(&d);
		d.ext_id = strdup(docs[i].id);
		d.title = strdup(docs[i].title);
		d.body = strdup(docs[i].body);
		d.date = dup_or_null(docs[i].date);
		d.source = strdup(docs[i].source);
		d.type = strdup(docs[i].type);
		d.lang = strdup("de");
		if (fl_doc_put(f->st, &d, &res, &err)) {
			fprintf(stderr, "# put %s: %s\n", docs[i].id, err.msg);
			return -1;
		}
		fl_doc_release(&d);
	}
	if (fx_finish(f, 0))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_close(*state);
	return 0;
}

static struct fl_result *run(struct fx *f, struct fl_search_opts *o)
{
	struct fl_result *r = NULL;
	struct fl_err err = { 0 };

	if (fl_search(f->s, o, &r, &err) != FL_OK)
		fail_msg("search '%s': %s", o->query, err.msg);
	return r;
}

static struct fl_result *query(struct fx *f, const char *q)
{
	struct fl_search_opts o;

	fl_search_opts_init(&o);
	o.query = q;
	o.limit = FL_SEARCH_MAX_LIMIT;
	return run(f, &o);
}

/* Rank of ext_id in r (0-based), -1 when absent. */
static int rank_of(const struct fl_result *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nhits; i++)
		if (!strcmp(r->hits[i].ext_id, id))
			return (int)i;
	return -1;
}

static void test_title_above_body(void **state)
{
	struct fl_result *r = query(*state, "Lausitz");

	assert_int_equal(r->total, 2);
	assert_int_equal(rank_of(r, "t-title"), 0);
	assert_int_equal(rank_of(r, "t-body"), 1);
	fl_result_free(r);
}

static void test_exact_above_stemmed(void **state)
{
	struct fl_result *r = query(*state, "Förderung");

	assert_int_equal(rank_of(r, "f-exact"), 0);
	assert_int_equal(rank_of(r, "f-stem"), 1); /* found through the stem */
	fl_result_free(r);
	r = query(*state, "Forderung");
	assert_int_equal(rank_of(r, "f-stem"), 0);
	assert_int_equal(rank_of(r, "f-exact"), 1);
	fl_result_free(r);
}

/* The stem of schön is "schon", the exact form of schon; both are found,
 * each ranked first for its own spelling. */
static void test_umlaut_pairs_apart(void **state)
{
	static const char *const pair[][4] = {
		{ "schon", "schön", "u-schon", "u-schoen" },
		{ "Burg", "Bürger", "u-burg", "u-buerger" },
	};
	struct fl_result *r;
	size_t i;

	for (i = 0; i < sizeof(pair) / sizeof(pair[0]); i++) {
		r = query(*state, pair[i][0]);
		assert_int_equal(rank_of(r, pair[i][2]), 0);
		assert_int_equal(rank_of(r, pair[i][3]), 1);
		fl_result_free(r);
		r = query(*state, pair[i][1]);
		assert_int_equal(rank_of(r, pair[i][3]), 0);
		assert_int_equal(rank_of(r, pair[i][2]), 1);
		fl_result_free(r);
	}
}

static void test_tie_break_deterministic(void **state)
{
	struct fl_result *a = query(*state, "Kita Gebühren");
	struct fl_result *b = query(*state, "Kita Gebühren");

	assert_int_equal(a->total, 2);
	assert_true(a->hits[0].score == a->hits[1].score);
	assert_true(a->hits[0].id < a->hits[1].id); /* lower id first */
	assert_string_equal(a->hits[0].ext_id, "tie-a");
	assert_string_equal(b->hits[0].ext_id, a->hits[0].ext_id);
	assert_string_equal(b->hits[1].ext_id, a->hits[1].ext_id);
	fl_result_free(a);
	fl_result_free(b);
}

static void test_filters(void **state)
{
	struct fl_search_opts o;
	struct fl_result *r;
	size_t i;

	fl_search_opts_init(&o);
	o.query = "Schule";
	o.limit = FL_SEARCH_MAX_LIMIT;
	o.source = "mdr";
	r = run(*state, &o);
	assert_int_equal(r->total, 2);
	for (i = 0; i < r->nhits; i++)
		assert_string_equal(r->hits[i].source, "mdr");
	fl_result_free(r);

	fl_search_opts_init(&o);
	o.query = "Schule type:report";
	r = run(*state, &o);
	assert_int_equal(r->total, 1);
	assert_string_equal(r->hits[0].ext_id, "s-3");
	fl_result_free(r);

	fl_search_opts_init(&o);
	o.query = "Schule -source:sz";
	o.from = "2022";
	o.to = "2023-12";
	r = run(*state, &o);
	assert_int_equal(r->total, 1);
	assert_string_equal(r->hits[0].ext_id, "s-2");
	fl_result_free(r);
}

/* Documents of source (NULL: any) in the match set of q, straight SQL. */
static int64_t sql_count(struct fx *f, const char *q, const char *source)
{
	struct fl_query_opts qo = { f->lex, NULL };
	struct fl_query *pq = NULL;
	struct fl_err err = { 0 };
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	assert_int_equal(fl_query_parse(q, strlen(q), &qo, &pq, &err), FL_OK);
	assert_int_equal(sqlite3_prepare_v2(fl_store_db(f->st),
		"SELECT count(*) FROM documents WHERE (?2 IS NULL OR source = "
		"?2) AND id IN (SELECT rowid FROM docs_fts WHERE docs_fts "
		"MATCH ?1)", -1,
		&st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, pq->match, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	fl_query_free(pq);
	return n;
}

static void test_facets_whole_set(void **state)
{
	struct fx *f = *state;
	struct fl_search_opts o;
	struct fl_result *r;
	int64_t sum = 0;
	size_t i;

	fl_search_opts_init(&o);
	o.query = "Schule";
	o.limit = 1;
	o.facets = FL_FACET_ALL;
	r = run(f, &o);
	assert_int_equal(r->nhits, 1);
	assert_int_equal(r->total, 5);
	assert_int_equal(r->nfacets, 4);
	assert_string_equal(r->facets[0].name, "source");
	for (i = 0; i < r->facets[0].n; i++) {
		const struct fl_facet_value *v = &r->facets[0].values[i];

		assert_int_equal(v->count, sql_count(f, "Schule", v->value));
		sum += v->count;
	}
	assert_int_equal(sum, r->total);
	/* most frequent first: mdr 2, sz 2, lvz 1 (ties by name) */
	assert_string_equal(r->facets[0].values[0].value, "mdr");
	assert_string_equal(r->facets[2].name, "year");
	assert_string_equal(r->facets[3].name, "month");
	fl_result_free(r);
}

static void test_sort_date(void **state)
{
	struct fl_search_opts o;
	struct fl_result *r;
	size_t i;

	fl_search_opts_init(&o);
	o.query = "Schule";
	o.sort = FL_SEARCH_SORT_DATE;
	r = run(*state, &o);
	assert_int_equal(r->nhits, 5);
	assert_string_equal(r->hits[0].ext_id, "s-3");
	for (i = 1; i + 1 < r->nhits; i++)
		assert_true(strcmp(r->hits[i - 1].date, r->hits[i].date) >= 0);
	assert_null(r->hits[r->nhits - 1].date); /* undated last */
	fl_result_free(r);
}

static void test_paging(void **state)
{
	struct fl_search_opts o;
	struct fl_result *all, *p1, *p2;
	size_t i;

	fl_search_opts_init(&o);
	o.query = "Schule";
	o.limit = 4;
	all = run(*state, &o);
	o.limit = 2;
	p1 = run(*state, &o);
	o.offset = 2;
	p2 = run(*state, &o);
	assert_int_equal(all->nhits, 4);
	assert_int_equal(p1->nhits, 2);
	assert_int_equal(p2->nhits, 2);
	assert_int_equal(p2->total, all->total);
	for (i = 0; i < 2; i++) {
		assert_string_equal(p1->hits[i].ext_id, all->hits[i].ext_id);
		assert_string_equal(p2->hits[i].ext_id,
				    all->hits[i + 2].ext_id);
	}
	fl_result_free(all);
	fl_result_free(p1);
	fl_result_free(p2);
	o.offset = 50; /* past the end: no hits, same total */
	p1 = run(*state, &o);
	assert_int_equal(p1->nhits, 0);
	assert_int_equal(p1->total, 5);
	fl_result_free(p1);
}

static void test_msm_question(void **state)
{
	struct fl_result *r = query(*state, "Wie viele Auszubildende gibt es "
				    "in Sachsen?");

	assert_int_equal(r->mode, FL_SEARCH_MODE_ANY);
	assert_true(r->total >= 2);
	assert_string_equal(r->hits[0].ext_id, "azubi");
	assert_true(r->hits[0].nmatched > r->hits[1].nmatched);
	fl_result_free(r);
}

/* Add one document through a second, writing connection, as the indexer
 * would while the searcher's connection stays open. */
static void commit_doc(struct fx *f, const char *id, const char *title,
		       const char *body, const char *date)
{
	struct fl_err err = { 0 };
	struct fl_store *w = NULL;
	enum fl_doc_result res;
	struct fl_doc d;

	assert_int_equal(fl_store_open(f->tmp.path, 0, f->lex, &w, &err),
			 FL_OK);
	assert_int_equal(fl_store_begin(w, &err), FL_OK);
	fl_doc_init(&d);
	d.ext_id = strdup(id);
	d.title = strdup(title);
	d.body = strdup(body);
	d.date = date ? strdup(date) : NULL;
	assert_int_equal(fl_doc_put(w, &d, &res, &err), FL_OK);
	fl_doc_release(&d);
	assert_int_equal(fl_store_commit(w, &err), FL_OK);
	fl_store_close(w);
}

/* A query of exclusions only browses everything else, newest first. */
static void test_browse_excluding(void **state)
{
	struct fx *f = *state;
	struct fl_result *all = query(f, "-Qxzywv");
	struct fl_result *r = query(f, "-Schule -Notiz");
	int64_t schule = sql_count(f, "Schule", NULL);
	int64_t notiz = sql_count(f, "Notiz", NULL);
	size_t i;

	assert_int_equal(all->mode, FL_SEARCH_MODE_BROWSE);
	assert_int_equal(r->mode, FL_SEARCH_MODE_BROWSE);
	assert_true(schule >= 5 && notiz == 4);
	assert_int_equal(r->total, all->total - schule - notiz);
	for (i = 0; i < r->nhits; i++) {
		assert_true(strncmp(r->hits[i].ext_id, "s-", 2) != 0);
		assert_true(strncmp(r->hits[i].ext_id, "u-", 2) != 0);
	}
	fl_result_free(all);
	fl_result_free(r);
}

/*
 * Searchers sharing one fl_docmeta_share hold one table per generation:
 * the same object for the same generation, a new one (replacing the
 * shared one) when the index changed, and tables already handed out stay
 * valid until released. Two searchers on their own connections answer
 * alike through it, before and after a commit.
 */
static void test_shared_docs(void **state)
{
	struct fx *f = *state;
	struct fl_docmeta_share *sh = fl_docmeta_share_new(NULL);
	const struct fl_docmeta *a = NULL, *b = NULL, *c = NULL, *p = NULL;
	struct fl_searcher *s2 = NULL;
	struct fl_store *st2 = NULL;
	struct fl_err err = { 0 };
	struct fl_search_opts o;
	struct fl_result *r1, *r2;
	sqlite3 *db = fl_store_db(f->st);
	uint64_t fid = fl_store_file_id(f->st);
	int64_t gen;

	assert_non_null(sh);
	assert_int_equal(fl_store_generation(f->st, &gen, &err), FL_OK);
	assert_int_equal(fl_docmeta_get(sh, db, fid, gen, &a, &err), FL_OK);
	assert_int_equal(fl_docmeta_get(sh, db, fid, gen, &b, &err), FL_OK);
	assert_ptr_equal(a, b);
	assert_int_equal(fl_docmeta_get(NULL, db, fid, gen, &p, &err), FL_OK);
	assert_ptr_not_equal(a, p);
	assert_int_equal(p->ndocs, a->ndocs);
	assert_int_equal(fl_docmeta_get(sh, db, fid, gen + 1, &c, &err),
			 FL_OK);
	assert_ptr_not_equal(a, c);
	fl_docmeta_release(b);
	fl_docmeta_release(c);
	assert_int_equal(fl_docmeta_get(sh, db, fid, gen + 1, &b, &err),
			 FL_OK);
	assert_ptr_equal(b, c);               /* the newer one is shared now */
	assert_int_equal(a->ndocs, p->ndocs); /* a outlived its replacement */
	fl_docmeta_release(a);
	fl_docmeta_release(b);
	fl_docmeta_release(p);
	fl_docmeta_share_free(sh); /* it holds a table labelled gen + 1 */
	sh = fl_docmeta_share_new(NULL);
	assert_non_null(sh);

	assert_int_equal(fl_store_open(f->tmp.path, FL_STORE_READONLY, f->lex,
				       &st2, &err), FL_OK);
	assert_int_equal(fl_searcher_new(st2, f->lex, &s2, &err), FL_OK);
	fl_searcher_share_docs(f->s, sh);
	fl_searcher_share_docs(s2, sh);
	fl_search_opts_init(&o);
	o.query = "Schule";
	o.facets = FL_FACET_ALL;
	assert_int_equal(fl_search(f->s, &o, &r1, &err), FL_OK);
	assert_int_equal(fl_search(s2, &o, &r2, &err), FL_OK);
	assert_int_equal(r1->total, r2->total);
	assert_string_equal(r1->hits[0].ext_id, r2->hits[0].ext_id);
	fl_result_free(r1);
	fl_result_free(r2);

	commit_doc(f, "shared-late", "Schule am See",
		   "Eine Schule am Cospudener See.", "2030-01-01");
	o.sort = FL_SEARCH_SORT_DATE;
	assert_int_equal(fl_search(f->s, &o, &r1, &err), FL_OK);
	assert_int_equal(fl_search(s2, &o, &r2, &err), FL_OK);
	assert_string_equal(r1->hits[0].ext_id, "shared-late");
	assert_string_equal(r2->hits[0].ext_id, "shared-late");
	assert_int_equal(r1->total, r2->total);
	fl_result_free(r1);
	fl_result_free(r2);

	fl_searcher_free(s2);
	fl_store_close(st2);
	fl_searcher_share_docs(f->s, NULL);
	fl_docmeta_share_free(sh);
}

/* A new index of one document from source src, as its own fixture. */
static struct fx *one_doc_index(const char *tag, const char *src)
{
	struct fx *g = fx_open(tag);
	struct fl_err err = { 0 };
	enum fl_doc_result res;
	struct fl_doc d;

	assert_non_null(g);
	fl_doc_init(&d);
	d.ext_id = strdup(tag);
	d.title = strdup("Zugverkehr");
	d.body = strdup("Der Zugverkehr nach Halle ruht.");
	d.date = strdup("2024-04-04");
	d.source = strdup(src);
	assert_int_equal(fl_doc_put(g->st, &d, &res, &err), FL_OK);
	fl_doc_release(&d);
	assert_int_equal(fx_finish(g, 0), 0);
	return g;
}

/* Two index files at the same generation (as after replacing the index
 * under the same path and SIGHUP) must not share one table: each
 * searcher sees its own file's sources. */
static void test_shared_docs_two_files(void **state)
{
	struct fx *a = one_doc_index("share-a", "quelle-a");
	struct fx *b = one_doc_index("share-b", "quelle-b");
	struct fl_docmeta_share *sh = fl_docmeta_share_new(NULL);
	struct fl_err err = { 0 };
	struct fl_search_opts o;
	struct fl_result *ra, *rb;
	int64_t ga, gb;

	(void)state;
	assert_non_null(sh);
	assert_int_equal(fl_store_generation(a->st, &ga, &err), FL_OK);
	assert_int_equal(fl_store_generation(b->st, &gb, &err), FL_OK);
	assert_int_equal(ga, gb);
	assert_true(fl_store_file_id(a->st) != fl_store_file_id(b->st));
	fl_searcher_share_docs(a->s, sh);
	fl_searcher_share_docs(b->s, sh);
	fl_search_opts_init(&o);
	o.query = "Zugverkehr";
	o.facets = FL_FACET_SOURCE;
	assert_int_equal(fl_search(a->s, &o, &ra, &err), FL_OK);
	assert_int_equal(fl_search(b->s, &o, &rb, &err), FL_OK);
	assert_int_equal(ra->nfacets, 1);
	assert_int_equal(rb->nfacets, 1);
	assert_string_equal(ra->facets[0].values[0].value, "quelle-a");
	assert_string_equal(rb->facets[0].values[0].value, "quelle-b");
	fl_result_free(ra);
	fl_result_free(rb);
	fx_close(a);
	fx_close(b);
	fl_docmeta_share_free(sh);
}

/* The arrays of two tables of one generation hold the same values. */
static void assert_same_table(const struct fl_docmeta *a,
			      const struct fl_docmeta *b)
{
	assert_int_equal(a->ndocs, b->ndocs);
	assert_int_equal(a->nids, b->nids);
	assert_int_equal(a->newest, b->newest);
	assert_memory_equal(a->docs, b->docs, a->ndocs * sizeof(*a->docs));
	assert_memory_equal(a->slot_of, b->slot_of,
			    a->nids * sizeof(*a->slot_of));
	assert_memory_equal(a->dlen, b->dlen, a->nids * sizeof(*a->dlen));
}

/* A search through sh answers as one through a private table. */
static void assert_share_answers_alike(struct fx *f,
				       struct fl_docmeta_share *sh)
{
	struct fl_err err = { 0 };
	struct fl_search_opts o;
	struct fl_result *r1, *r2;
	size_t i;

	fl_search_opts_init(&o);
	o.query = "Schule";
	o.facets = FL_FACET_ALL;
	o.sort = FL_SEARCH_SORT_DATE;
	assert_int_equal(fl_search(f->s, &o, &r1, &err), FL_OK);
	fl_searcher_share_docs(f->s, sh);
	assert_int_equal(fl_search(f->s, &o, &r2, &err), FL_OK);
	fl_searcher_share_docs(f->s, NULL);
	assert_true(r1->total > 0);
	assert_int_equal(r1->total, r2->total);
	assert_int_equal(r1->nhits, r2->nhits);
	for (i = 0; i < r1->nhits; i++)
		assert_string_equal(r1->hits[i].ext_id, r2->hits[i].ext_id);
	assert_int_equal(r1->nfacets, r2->nfacets);
	fl_result_free(r1);
	fl_result_free(r2);
}

/*
 * A share with a spill directory keeps its table in a mapped file (off
 * the heap) holding what the heap table holds; a directory that takes
 * no file falls back to $TMPDIR.
 */
static void test_shared_docs_spilled(void **state)
{
	struct fx *f = *state;
	struct fl_docmeta_share *sh = fl_docmeta_share_new(f->tmp.dir);
	const struct fl_docmeta *m = NULL, *p = NULL;
	struct fl_err err = { 0 };
	sqlite3 *db = fl_store_db(f->st);
	uint64_t fid = fl_store_file_id(f->st);
	char *old_tmp = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
	size_t bytes;
	int64_t gen;
	int mapped;

	assert_non_null(sh);
	fl_docmeta_share_size(sh, &bytes, &mapped);
	assert_int_equal(bytes, 0);
	assert_int_equal(fl_store_generation(f->st, &gen, &err), FL_OK);
	assert_int_equal(fl_docmeta_get(sh, db, fid, gen, &m, &err), FL_OK);
	assert_int_equal(fl_docmeta_get(NULL, db, fid, gen, &p, &err), FL_OK);
	assert_non_null(m->spill.map);
	assert_null(p->spill.map);
	assert_same_table(m, p);
	fl_docmeta_share_size(sh, &bytes, &mapped);
	assert_int_equal(mapped, 1);
	assert_true(bytes >= m->ndocs * sizeof(*m->docs) +
		    2 * m->nids * sizeof(uint32_t));
	assert_share_answers_alike(f, sh);
	fl_docmeta_release(m);
	fl_docmeta_share_free(sh);

	sh = fl_docmeta_share_new("/nonexistent-findling-dir");
	assert_non_null(sh);
	setenv("TMPDIR", f->tmp.dir, 1);
	assert_int_equal(fl_docmeta_get(sh, db, fid, gen, &m, &err), FL_OK);
	if (old_tmp)
		setenv("TMPDIR", old_tmp, 1);
	else
		unsetenv("TMPDIR");
	free(old_tmp);
	assert_non_null(m->spill.map);
	assert_same_table(m, p);
	fl_docmeta_release(m);
	fl_docmeta_release(p);
	fl_docmeta_share_free(sh);
}

static void test_bad_options(void **state)
{
	struct fl_search_opts o;
	struct fl_result *r = NULL;
	struct fl_err err = { 0 };
	struct fx *f = *state;

	fl_search_opts_init(&o);
	o.query = "Schule";
	o.limit = FL_SEARCH_MAX_LIMIT + 1;
	assert_int_equal(fl_search(f->s, &o, &r, &err), FL_EINVAL);
	assert_null(r);
	fl_search_opts_init(&o);
	o.query = "Schule";
	o.from = "gestern";
	assert_int_equal(fl_search(f->s, &o, &r, &err), FL_EINVAL);
	assert_null(r);
}

static void test_part_highlighted(void **state)
{
	struct fl_result *r = query(*state, "Monitoring");

	assert_int_equal(r->total, 1);
	assert_string_equal(r->hits[0].ext_id, "bimo");
	assert_non_null(strstr(r->hits[0].snippet,
			       "Das Bildungs<mark>monitoring</mark> zeigt"));
	fl_result_free(r);
}

/* More matches than the re-rank window (100): every hit once, and the
 * facets still count the whole set (the selection must not lose or
 * duplicate candidates). Adds documents: runs last. */
static void test_large_set_no_duplicates(void **state)
{
	struct fx *f = *state;
	struct fl_err err = { 0 };
	struct fl_search_opts o;
	struct fl_result *r;
	int64_t sum = 0;
	size_t i, j;

	assert_int_equal(fl_store_begin(f->st, &err), FL_OK);
	for (i = 0; i < 150; i++) {
		struct fl_doc d;
		enum fl_doc_result res;
		char id[32], body[128];

		snprintf(id, sizeof(id), "mass-%zu", i);
		snprintf(body, sizeof(body), "Massentest %s", i % 3 ?
			 "Eintrag." : "Massentest Massentest Eintrag.");
		fl_doc_init(&d);
		d.ext_id = strdup(id);
		d.title = strdup(i % 7 ? "Liste" : "Massentest");
		d.body = strdup(body);
		d.source = strdup(i % 2 ? "odd" : "even");
		assert_int_equal(fl_doc_put(f->st, &d, &res, &err), FL_OK);
		fl_doc_release(&d);
	}
	assert_int_equal(fl_store_commit(f->st, &err), FL_OK);
	fl_search_opts_init(&o);
	o.query = "Massentest";
	o.limit = FL_SEARCH_MAX_LIMIT;
	o.facets = FL_FACET_SOURCE;
	r = run(f, &o);
	assert_int_equal(r->total, 150);
	assert_int_equal(r->nhits, FL_SEARCH_MAX_LIMIT);
	for (i = 0; i < r->nhits; i++)
		for (j = i + 1; j < r->nhits; j++)
			assert_string_not_equal(r->hits[i].ext_id,
						r->hits[j].ext_id);
	for (i = 0; i < r->facets[0].n; i++) {
		assert_int_equal(r->facets[0].values[i].count, 75);
		sum += r->facets[0].values[i].count;
	}
	assert_int_equal(sum, 150);
	fl_result_free(r);
}

/*
 * A read transaction left open on the searcher's connection (a search cut
 * short by searchd's time budget) must not pin an old snapshot: the next
 * search sees what another connection committed since.
 */
static void test_stale_snapshot_ended(void **state)
{
	struct fx *f = *state;
	struct fl_result *r;

	assert_int_equal(sqlite3_exec(fl_store_db(f->st), "BEGIN; SELECT "
				      "count(*) FROM documents;", NULL, NULL,
				      NULL), SQLITE_OK);
	commit_doc(f, "late", "Zwergpinguinparade",
		   "Eine Zwergpinguinparade zieht durch Leipzig.", NULL);
	r = query(f, "Zwergpinguinparade");
	assert_int_equal(r->total, 1);
	fl_result_free(r);
	assert_true(sqlite3_get_autocommit(fl_store_db(f->st)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_title_above_body),
		cmocka_unit_test(test_exact_above_stemmed),
		cmocka_unit_test(test_umlaut_pairs_apart),
		cmocka_unit_test(test_tie_break_deterministic),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_facets_whole_set),
		cmocka_unit_test(test_sort_date),
		cmocka_unit_test(test_paging),
		cmocka_unit_test(test_msm_question),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_part_highlighted),
		cmocka_unit_test(test_large_set_no_duplicates),
		cmocka_unit_test(test_stale_snapshot_ended),
		cmocka_unit_test(test_browse_excluding),
		cmocka_unit_test(test_shared_docs),
		cmocka_unit_test(test_shared_docs_two_files),
		cmocka_unit_test(test_shared_docs_spilled),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
