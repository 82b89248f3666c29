/* Unit tests for fl_store and fl_doc: schema, put/get/delete, FTS sync,
 * generation, versions, rebuild, prune, dates, open time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "support_tmpindex.h"
#include "fl_doc.h"
#include "fl_docmeta.h"
#include "fl_store.h"
#include "fl_utf8.h"

struct fix {
	struct tmp_index tmp; /* temp directory and index file in it */
	struct fl_store *st; /* open in write mode */
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct fl_err err;

	fl_err_clear(&err);
	if (!f || tmp_index_make(&f->tmp, "store"))
		return -1;
	if (fl_store_open(f->tmp.path, FL_STORE_CREATE, NULL, &f->st, &err)) {
		fprintf(stderr, "# open: %s\n", err.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	fl_store_close(f->st);
	tmp_index_remove(&f->tmp);
	free(f);
	return 0;
}

static void mkdoc(struct fl_doc *d, const char *id, const char *title,
		  const char *body)
{
	fl_doc_init(d);
	d->ext_id = strdup(id);
	d->title = strdup(title);
	d->body = strdup(body);
	d->date = strdup("2024-04-07T20:00:00+02:00");
	d->source = strdup("test");
}

static int put(struct fl_store *st, const char *id, const char *title,
	       const char *body)
{
	struct fl_doc d;
	enum fl_doc_result res = FL_DOC_ADDED;
	struct fl_err err;

	fl_err_clear(&err);
	mkdoc(&d, id, title, body);
	assert_int_equal(fl_doc_put(st, &d, &res, &err), FL_OK);
	fl_doc_release(&d);
	return (int)res;
}

/* Number of documents docs_fts finds for a MATCH expression. */
static int hits(struct fl_store *st, const char *match)
{
	sqlite3_stmt *s = NULL;
	int n = 0;

	assert_int_equal(sqlite3_prepare_v2(fl_store_db(st), "SELECT count(*) "
		"FROM docs_fts WHERE docs_fts MATCH ?1", -1, &s, NULL),
		SQLITE_OK);
	sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return n;
}

static void check_ok(struct fl_store *st)
{
	struct fl_err err;

	fl_err_clear(&err);
	assert_int_equal(fl_store_check(st, &err), FL_OK);
}

static void test_schema(void **state)
{
	struct fix *f = *state;
	struct fl_err err;
	char buf[64];
	int64_t n = -1;

	fl_err_clear(&err);
	assert_int_equal(fl_store_meta(f->st, "schema_version", buf,
				       sizeof(buf), &err), FL_OK);
	assert_string_equal(buf, "2");
	assert_int_equal(fl_store_meta(f->st, "analyzer_version", buf,
				       sizeof(buf), &err), FL_OK);
	assert_string_equal(buf, fl_store_analyzer_version());
	assert_int_equal(fl_store_doc_count(f->st, &n, &err), FL_OK);
	assert_int_equal(n, 0);
	assert_int_equal(fl_store_meta(f->st, "nope", buf, sizeof(buf),
				       &err), FL_ENOTFOUND);
	check_ok(f->st);
}

static void test_put_get_update_delete(void **state)
{
	struct fix *f = *state;
	struct fl_err err;
	struct fl_doc d;
	int64_t gen0 = 0, gen1 = 0;

	fl_err_clear(&err);
	assert_int_equal(fl_store_generation(f->st, &gen0, &err), FL_OK);
	assert_int_equal(fl_store_begin(f->st, &err), FL_OK);
	assert_int_equal(put(f->st, "a", "Görlitz", "Die Stadt an der Neiße"),
			 FL_DOC_ADDED);
	assert_int_equal(put(f->st, "b", "Leipzig", "Messe und Zoo"),
			 FL_DOC_ADDED);
	assert_int_equal(put(f->st, "a", "Görlitz", "Die Stadt an der Neiße"),
			 FL_DOC_UNCHANGED);
	assert_int_equal(fl_store_commit(f->st, &err), FL_OK);
	assert_int_equal(fl_store_generation(f->st, &gen1, &err), FL_OK);
	assert_int_equal(gen1, gen0 + 1);
	assert_int_equal(hits(f->st, "neiße"), 1);
	assert_int_equal(hits(f->st, "zoo"), 1);

	assert_int_equal(fl_store_begin(f->st, &err), FL_OK);
	assert_int_equal(put(f->st, "b", "Leipzig", "Auwald und Oper"),
			 FL_DOC_UPDATED);
	assert_int_equal(fl_store_commit(f->st, &err), FL_OK);
	assert_int_equal(hits(f->st, "zoo"), 0);
	assert_int_equal(hits(f->st, "oper"), 1);
	check_ok(f->st);

	assert_int_equal(fl_doc_get(f->st, "b", &d, &err), FL_OK);
	assert_string_equal(d.body, "Auwald und Oper");
	assert_string_equal(d.date, "2024-04-07T20:00:00+02:00");
	assert_string_equal(d.type, "news");
	assert_string_equal(d.lang, "de");
	fl_doc_release(&d);
	assert_int_equal(fl_doc_get(f->st, "zzz", &d, &err), FL_ENOTFOUND);

	assert_int_equal(fl_store_begin(f->st, &err), FL_OK);
	assert_int_equal(fl_doc_delete(f->st, "b", &err), FL_OK);
	assert_int_equal(fl_doc_delete(f->st, "b", &err), FL_ENOTFOUND);
	assert_int_equal(fl_store_commit(f->st, &err), FL_OK);
	assert_int_equal(hits(f->st, "oper"), 0);
	check_ok(f->st);
}

static void test_rollback(void **state)
{
	struct fix *f = *state;
	struct fl_err err;
	int64_t n = -1;

	fl_err_clear(&err);
	assert_int_equal(fl_store_begin(f->st, &err), FL_OK);
	put(f->st, "x", "Halle", "Saale");
	fl_store_rollback(f->st);
	assert_int_equal(fl_store_doc_count(f->st, &n, &err), FL_OK);
	assert_int_equal(n, 0);
	assert_int_equal(hits(f->st, "saale"), 0);
}

static void set_user_version(const char *path, const char *sql)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void test_versions(void **state)
{
	struct fix *f = *state;
	struct fl_store *st = NULL;
	struct fl_err err;

	fl_store_close(f->st);
	f->st = NULL;
	fl_err_clear(&err);
	set_user_version(f->tmp.path, "UPDATE meta SET value = 'old-analyzer' "
			 "WHERE key = 'analyzer_version'");
	assert_int_equal(fl_store_open(f->tmp.path, FL_STORE_READONLY, NULL, &st,
				       &err), FL_EVERSION);
	assert_null(st);
	assert_non_null(strstr(err.msg, "--rebuild"));
	fl_err_clear(&err);
	assert_int_equal(fl_store_open(f->tmp.path, FL_STORE_ANY_ANALYZER, NULL,
				       &st, &err), FL_OK);
	assert_int_equal(fl_store_rebuild(st, &err), FL_OK);
	check_ok(st);
	fl_store_close(st);
	assert_int_equal(fl_store_open(f->tmp.path, FL_STORE_READONLY, NULL, &st,
				       &err), FL_OK);
	fl_store_close(st);
	set_user_version(f->tmp.path, "PRAGMA user_version = 99");
	assert_int_equal(fl_store_open(f->tmp.path, 0, NULL, &st, &err),
			 FL_EVERSION);
	set_user_version(f->tmp.path, "PRAGMA user_version = 1");
	assert_int_equal(fl_store_open(f->tmp.path, 0, NULL, &f->st, &err), FL_OK);
}

/* Does the plan of sql on st's connection name `uses`? */
static int plan_uses(struct fl_store *st, const char *sql, const char *uses)
{
	char q[256];
	sqlite3_stmt *s = NULL;
	int found = 0;

	snprintf(q, sizeof(q), "EXPLAIN QUERY PLAN %s", sql);
	assert_int_equal(sqlite3_prepare_v2(fl_store_db(st), q, -1, &s, NULL),
			 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		found |= strstr((const char *)sqlite3_column_text(s, 3),
				uses) != NULL;
	sqlite3_finalize(s);
	return found;
}

/*
 * Schema 1 to 2: a reader refuses a schema-1 index as outdated, a writer
 * migrates it, and then the per-document table is read through the
 * covering index documents_meta instead of the rows with their text.
 */
static void test_migrate_documents_meta(void **state)
{
	struct fix *f = *state;
	struct fl_store *st = NULL;
	struct fl_err err;

	fl_err_clear(&err);
	assert_true(plan_uses(f->st, FL_DOCMETA_ROWS_SQL,
			      "COVERING INDEX documents_meta"));
	fl_store_close(f->st);
	f->st = NULL;
	set_user_version(f->tmp.path, "DROP INDEX documents_meta; "
			 "PRAGMA user_version = 1");
	assert_int_equal(fl_store_open(f->tmp.path, FL_STORE_READONLY, NULL,
				       &st, &err), FL_EVERSION);
	assert_non_null(strstr(err.msg, "outdated"));
	fl_err_clear(&err);
	assert_int_equal(fl_store_open(f->tmp.path, 0, NULL, &f->st, &err),
			 FL_OK);
	assert_true(plan_uses(f->st, FL_DOCMETA_ROWS_SQL,
			      "COVERING INDEX documents_meta"));
	check_ok(f->st);
}

static void test_missing_and_foreign(void **state)
{
	struct fix *f = *state;
	struct fl_store *st = NULL;
	struct fl_err err;
	char p[128];

	fl_err_clear(&err);
	snprintf(p, sizeof(p), "%s/missing.db", f->tmp.dir);
	assert_int_equal(fl_store_open(p, FL_STORE_READONLY, NULL, &st, &err),
			 FL_ENOTFOUND);
	assert_int_equal(fl_store_open(p, 0, NULL, &st, &err), FL_ENOTFOUND);
	snprintf(p, sizeof(p), "%s/foreign.db", f->tmp.dir);
	set_user_version(p, "CREATE TABLE x(y)");
	fl_err_clear(&err);
	assert_int_equal(fl_store_open(p, FL_STORE_CREATE, NULL, &st, &err),
			 FL_EFORMAT);
	assert_null(st);
	unlink(p);
}

static void put_path(struct fl_store *st, const char *id, const char *path)
{
	struct fl_doc d;
	struct fl_err err;

	fl_err_clear(&err);
	mkdoc(&d, id, id, "Text");
	d.path = strdup(path);
	assert_int_equal(fl_doc_put(st, &d, NULL, &err), FL_OK);
	fl_doc_release(&d);
}

static int count_cb(void *ctx, int64_t id, const char *ext_id)
{
	(void)id;
	(void)ext_id;
	(*(int *)ctx)++;
	return 0;
}

static void test_prune(void **state)
{
	struct fix *f = *state;
	struct fl_err err;
	size_t nd = 0;
	int64_t n = 0;
	int listed = 0;

	fl_err_clear(&err);
	assert_int_equal(fl_store_begin(f->st, &err), FL_OK);
	put_path(f->st, "r/a", "/r/a.txt");
	put_path(f->st, "r/b", "/r/sub/b.txt");
	put_path(f->st, "rx/c", "/rx/c.txt");   /* not under /r */
	assert_int_equal(fl_store_commit(f->st, &err), FL_OK);
	assert_int_equal(fl_doc_list_path(f->st, "/r", count_cb, &listed,
					  &err), FL_OK);
	assert_int_equal(listed, 2);

	assert_int_equal(fl_doc_seen_begin(f->st, &err), FL_OK);
	assert_int_equal(fl_store_begin(f->st, &err), FL_OK);
	put_path(f->st, "r/a", "/r/a.txt");     /* still there */
	assert_int_equal(fl_doc_prune(f->st, "/r", &nd, &err), FL_OK);
	assert_int_equal(fl_store_commit(f->st, &err), FL_OK);
	assert_int_equal(nd, 1);
	assert_int_equal(fl_store_doc_count(f->st, &n, &err), FL_OK);
	assert_int_equal(n, 2);
	check_ok(f->st);
}

static void test_dates(void **state)
{
	static const struct { const char *in, *out; } ok[] = {
		{ "2024-04-07", "2024-04-07" },
		{ "2024-04-07T20:00:00+02:00", "2024-04-07T20:00:00+02:00" },
		{ "2024-04-07T20:00Z", "2024-04-07T20:00:00Z" },
		{ "2024-04-07 20:00:01", "2024-04-07T20:00:01" },
		{ "2024-04-07T20:00:00.123+0200", "2024-04-07T20:00:00+02:00" },
		{ "07.04.2024", "2024-04-07" },
		{ "2024-04", "2024-04-01" },
		{ "2019", "2019-01-01" },
		{ " 2019 ", "2019-01-01" },
	};
	static const char *const bad[] = {
		"", "gestern", "2024-13-01", "2024-04-07Tmorgen", "7.4.24",
		"19", "20190", "2019-", "0999", "201x", "2019 5",
	};
	char out[FL_DOC_DATE_MAX];
	struct fl_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		fl_err_clear(&err);
		assert_int_equal(fl_doc_norm_date(ok[i].in, out, sizeof(out),
						  &err), FL_OK);
		assert_string_equal(out, ok[i].out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(fl_doc_norm_date(bad[i], out, sizeof(out),
						  NULL), FL_EFORMAT);
}

/* A long bad date is quoted in the error cut at a character, not inside
 * an umlaut (41 ASCII bytes would have ended in half an ä). */
static void test_date_error_cut(void **state)
{
	static const char x39[] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
	char in[64], want[64];
	char out[FL_DOC_DATE_MAX];
	struct fl_err err;

	(void)state;
	snprintf(in, sizeof(in), "%s\xc3\xa4\xc3\xa4", x39);
	snprintf(want, sizeof(want), "'%s'", x39);
	fl_err_clear(&err);
	assert_int_equal(fl_doc_norm_date(in, out, sizeof(out), &err),
			 FL_EFORMAT);
	assert_true(fl_utf8_valid(err.msg, strlen(err.msg)));
	assert_non_null(strstr(err.msg, want));
}

/* Put a document dated date; its stored date (NULL = none) into out. */
static int put_dated(struct fl_store *st, const char *date, char *out,
		     size_t size)
{
	struct fl_doc d, got;
	struct fl_err err;
	int dropped;

	fl_err_clear(&err);
	mkdoc(&d, "dated", "Datum", "Ein Text mit Datum.");
	free(d.date);
	d.date = date ? strdup(date) : NULL;
	d.date_dropped = 1; /* put must reset it */
	assert_int_equal(fl_doc_put(st, &d, NULL, &err), FL_OK);
	dropped = d.date_dropped;
	fl_doc_release(&d);
	assert_int_equal(fl_doc_get(st, "dated", &got, &err), FL_OK);
	snprintf(out, size, "%s", got.date ? got.date : "NULL");
	fl_doc_release(&got);
	return dropped;
}

/* A date put does not understand goes in as none and is flagged; a year
 * is its first day; no date or a blank one is not flagged. */
static void test_put_bad_date(void **state)
{
	struct fix *f = *state;
	struct fl_err err;
	char date[64];

	fl_err_clear(&err);
	assert_int_equal(fl_store_begin(f->st, &err), FL_OK);
	assert_int_equal(put_dated(f->st, "gestern", date, sizeof(date)), 1);
	assert_string_equal(date, "NULL");
	assert_int_equal(hits(f->st, "datum"), 1);
	assert_int_equal(put_dated(f->st, "2019", date, sizeof(date)), 0);
	assert_string_equal(date, "2019-01-01");
	assert_int_equal(put_dated(f->st, "2019", date, sizeof(date)), 0);
	assert_int_equal(put_dated(f->st, NULL, date, sizeof(date)), 0);
	assert_string_equal(date, "NULL");
	assert_int_equal(put_dated(f->st, "  ", date, sizeof(date)), 0);
	assert_int_equal(put_dated(f->st, "19", date, sizeof(date)), 1);
	assert_string_equal(date, "NULL");
	assert_int_equal(fl_store_commit(f->st, &err), FL_OK);
	check_ok(f->st);
}

/* put's result for document "same" dated date. */
static enum fl_doc_result put_date_res(struct fl_store *st, const char *date)
{
	enum fl_doc_result res = FL_DOC_ADDED;
	struct fl_doc d;
	struct fl_err err;

	fl_err_clear(&err);
	mkdoc(&d, "same", "Datum", "Ein Text mit Datum.");
	free(d.date);
	d.date = strdup(date);
	assert_int_equal(fl_doc_put(st, &d, &res, &err), FL_OK);
	fl_doc_release(&d);
	return res;
}

/* The content hash covers the date as stored: two spellings of one date
 * leave the document unchanged, another date updates it. (Before, the
 * raw date was hashed, so a year an older version dropped stayed dropped
 * when the unchanged record was indexed again.) */
static void test_hash_of_stored_date(void **state)
{
	struct fix *f = *state;
	struct fl_err err;

	fl_err_clear(&err);
	assert_int_equal(fl_store_begin(f->st, &err), FL_OK);
	assert_int_equal(put_date_res(f->st, "07.04.2024"), FL_DOC_ADDED);
	assert_int_equal(put_date_res(f->st, "2024-04-07"), FL_DOC_UNCHANGED);
	assert_int_equal(put_date_res(f->st, " 2024-04-07 "),
			 FL_DOC_UNCHANGED);
	assert_int_equal(put_date_res(f->st, "2024-04-08"), FL_DOC_UPDATED);
	assert_int_equal(put_date_res(f->st, "2019"), FL_DOC_UPDATED);
	assert_int_equal(put_date_res(f->st, "2019-01-01"), FL_DOC_UNCHANGED);
	assert_int_equal(put_date_res(f->st, "gestern"), FL_DOC_UPDATED);
	assert_int_equal(put_date_res(f->st, "gestern"), FL_DOC_UNCHANGED);
	assert_int_equal(fl_store_commit(f->st, &err), FL_OK);
	check_ok(f->st);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Open time of a read store next to a write store (prints, no limit). */
static void test_open_time(void **state)
{
	struct fix *f = *state;
	struct fl_store *st = NULL;
	struct fl_err err;
	double t0 = now();
	double t1;

	fl_err_clear(&err);
	assert_int_equal(fl_store_open(f->tmp.path, FL_STORE_READONLY, NULL, &st,
				       &err), FL_OK);
	t1 = now();
	fl_store_close(st);
	printf("# read-only open: %.1f ms\n", (t1 - t0) * 1e3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_schema, setup, teardown),
		cmocka_unit_test_setup_teardown(test_put_get_update_delete,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_versions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_documents_meta,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_and_foreign,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_date_error_cut),
		cmocka_unit_test_setup_teardown(test_hash_of_stored_date,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_put_bad_date, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_open_time, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
