/*
 * test_rank.c - fl_bm25 gives FTS5's bm25() scores, with the row lengths
 * from FTS5's docsize table (fallback) and from the table in memory, and
 * the phrase counts from FTS5 or from fl_termstats, and really reads both;
 * fl_termstats counts once per generation; fl_rank_docsize_total decodes
 * docsize blobs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "fl_rank.h"
#include "fl_termstats.h"
#include "fl_banned.h"

#define MAX_ID 16 /* above the rowids of rows[] */

struct rfx {
	sqlite3 *db;
	struct fl_rank *rank;
	struct fl_termstats *ts;
	uint32_t len[MAX_ID + 1];
	int counts;             /* count_rows calls */
};

static const char *const rows[][2] = {
	{ "Kita Gebühren", "Die Kita in Halle erhöht die Gebühren nicht." },
	{ "Schule", "Kita und Schule und Kita und Hort in Leipzig." },
	{ "Leipzig", "Ein langer Text über Leipzig, Halle und die Region, "
		     "mit vielen Wörtern, damit die Länge zählt: Kita." },
	{ "Hort", "Hort." },
	{ "Halle Halle", "Halle an der Saale." },
	/* rows without the query words, so that every IDF is well above 0 */
	{ "Wetter", "Morgen wird es sonnig." },
	{ "Sport", "Das Spiel endete unentschieden." },
	{ "Kultur", "Das Museum öffnet am Sonntag." },
	{ "Verkehr", "Die Brücke bleibt gesperrt." },
	{ "Wirtschaft", "Der Umsatz stieg im dritten Quartal." },
};

/* Written as fl_query writes them: every phrase quoted. */
static const char *const queries[] = {
	"\"kita\"", "\"halle\"", "\"kita\" \"halle\"", "\"kita\" OR \"hort\"",
	"\"und kita\"", "\"leipzig\" NOT \"hort\"", "\"a\" * OR \"h\"*",
	"(\"kita\" OR (\"hort\" AND \"leipzig\")) AND \"halle\"",
};

static int setup(void **state)
{
	struct rfx *f = calloc(1, sizeof(*f));
	struct fl_err err = { 0 };
	sqlite3_stmt *st = NULL;
	size_t i;

	if (!f || sqlite3_open(":memory:", &f->db) != SQLITE_OK ||
	    sqlite3_exec(f->db, "CREATE VIRTUAL TABLE t USING fts5(a, b)",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(f->db, "INSERT INTO t(a, b) VALUES (?1, ?2)",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		sqlite3_bind_text(st, 1, rows[i][0], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, rows[i][1], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			return -1;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (fl_rank_register(f->db, &f->rank, &err) != FL_OK ||
	    fl_termstats_new(&f->ts, &err) != FL_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct rfx *f = *state;

	fl_termstats_free(f->ts);
	sqlite3_close(f->db);
	free(f);
	return 0;
}

/* f->len from t_docsize, as the searcher loads it. */
static void load_lengths(struct rfx *f)
{
	sqlite3_stmt *st = NULL;

	memset(f->len, 0, sizeof(f->len));
	assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT id, sz FROM "
					    "t_docsize", -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);

		assert_true(id >= 0 && id <= MAX_ID);
		f->len[id] = fl_rank_docsize_total(sqlite3_column_blob(st, 1),
			(size_t)sqlite3_column_bytes(st, 1));
		assert_true(f->len[id] > 0);
	}
	sqlite3_finalize(st);
}

/* Largest |bm25 - fl_bm25| over the rows matching q; *n rows. */
static double max_diff(struct rfx *f, const char *q, int *n)
{
	sqlite3_stmt *st = NULL;
	double worst = 0.0;

	*n = 0;
	assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT bm25(t, 4.0, 1.0), "
		FL_RANK_BM25 "(t, 4.0, 1.0) FROM t WHERE t MATCH ?1", -1, &st,
		NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		double d = fabs(sqlite3_column_double(st, 0) -
				sqlite3_column_double(st, 1));

		worst = d > worst ? d : worst;
		(*n)++;
	}
	assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
	return worst;
}

static int count_rows(void *ctx, const char *expr, int64_t *n)
{
	struct rfx *f = ctx;
	sqlite3_stmt *st = NULL;
	int rc;

	f->counts++;
	if (sqlite3_prepare_v2(f->db, "SELECT count(*) FROM t WHERE t MATCH ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return FL_EDB;
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_ROW ? FL_OK : FL_EDB;
	*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}

/* with_df: hand fl_bm25 the phrase counts of fl_termstats. */
static void check_all_equal(struct rfx *f, int with_df)
{
	size_t i;
	int n;

	for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		const int64_t *df;
		size_t nph = 0;
		double d;

		if (with_df) {
			nph = fl_termstats_phrases(f->ts, queries[i], 1,
						   count_rows, f, &df);
			assert_true(nph > 0);
			fl_rank_set_df(f->rank, df, nph);
		}
		d = max_diff(f, queries[i], &n);
		fl_rank_set_df(f->rank, NULL, 0);

		if (d > 1e-9 || n == 0)
			fail_msg("'%s': %d rows, differs by %g", queries[i],
				 n, d);
	}
}

static void test_same_as_bm25_fallback(void **state)
{
	struct rfx *f = *state;

	fl_rank_set_lengths(f->rank, NULL, 0);
	check_all_equal(f, 0);
}

static void test_same_as_bm25_from_table(void **state)
{
	struct rfx *f = *state;

	load_lengths(f);
	fl_rank_set_lengths(f->rank, f->len, MAX_ID + 1);
	check_all_equal(f, 0);
	check_all_equal(f, 1);
	fl_rank_set_lengths(f->rank, NULL, 0);
}

/* Counts are made once per generation, then looked up; the array is
 * really used; column filters and unquoted words are left to FTS5. */
static void test_phrase_counts(void **state)
{
	struct rfx *f = *state;
	const int64_t df_wrong[2] = { 1, 1 };
	const int64_t *df;
	int n;

	f->counts = 0;
	assert_int_equal(fl_termstats_phrases(f->ts, "\"kita\" \"hort\"*", 7,
					      count_rows, f, &df), 2);
	assert_int_equal(df[0], 3);
	assert_int_equal(df[1], 2);
	assert_int_equal(f->counts, 2);
	assert_int_equal(fl_termstats_phrases(f->ts, "\"hort\" * OR \"kita\"",
					      7, count_rows, f, &df), 2);
	assert_int_equal(f->counts, 2);	/* both remembered */
	assert_int_equal(fl_termstats_phrases(f->ts, "\"kita\"", 8,
					      count_rows, f, &df), 1);
	assert_int_equal(f->counts, 3);	/* new generation */
	assert_int_equal(fl_termstats_phrases(f->ts, "a : \"kita\"", 8,
					      count_rows, f, &df), 0);
	assert_int_equal(fl_termstats_phrases(f->ts, "kita", 8, count_rows,
					      f, &df), 0);
	fl_rank_set_df(f->rank, df_wrong, 2);
	assert_true(max_diff(f, "\"kita\" \"hort\"", &n) > 1e-6);
	fl_rank_set_df(f->rank, df_wrong, 1);	/* wrong count: ignored */
	assert_true(max_diff(f, "\"kita\" \"hort\"", &n) < 1e-9);
	fl_rank_set_df(f->rank, NULL, 0);
}

static void test_table_is_read(void **state)
{
	struct rfx *f = *state;
	int n;

	load_lengths(f);
	f->len[2] *= 10; /* row 2 "Schule" now looks long */
	fl_rank_set_lengths(f->rank, f->len, MAX_ID + 1);
	assert_true(max_diff(f, "kita", &n) > 1e-6);
	fl_rank_set_lengths(f->rank, NULL, 0);
	assert_true(max_diff(f, "kita", &n) < 1e-9);
}

static void test_docsize_blob(void **state)
{
	/* two columns: 3 and 300 (0x82 0x2c) tokens */
	static const unsigned char ok[] = { 0x03, 0x82, 0x2c };
	static const unsigned char cut[] = { 0x03, 0x82 };

	(void)state;
	assert_int_equal(fl_rank_docsize_total(ok, sizeof(ok)), 303);
	assert_int_equal(fl_rank_docsize_total(cut, sizeof(cut)), 0);
	assert_int_equal(fl_rank_docsize_total(ok, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_bm25_fallback),
		cmocka_unit_test(test_same_as_bm25_from_table),
		cmocka_unit_test(test_table_is_read),
		cmocka_unit_test(test_phrase_counts),
		cmocka_unit_test(test_docsize_blob),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
