/*
 * Unit tests for the FTS5 tokenizer `german` (fl_tokenizer): an in-memory
 * database with fts5(title, body, tokenize='german'), documents inserted and
 * MATCH queries that rely on the German analysis. Cases that need the system
 * word list skip without it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "fl_lexicon.h"
#include "fl_tokenizer.h"

static sqlite3 *db;
static struct fl_lexicon *lex;

static const char *const docs[][2] = {
	{ "Stadtrat", "Der Stadtrat von München tagt in der Straße am Markt." },
	{ "Schule", "Die Schule bekommt eine neue Lehrkraft." },
	{ "Verkehr", "Ein Auto parkt vor dem Ministerium." },
	{ "Land", "Sachsen Anhalt plant die Weiterbildungsmaßnahmen." },
	{ "Kita", "Eine Erzieherin betreut die Bürger:innen in der Kita." },
	{ "Leer", "Nichts davon steht hier, nur Feuer und Quelle." },
};

static void exec(const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static int setup(void **state)
{
	sqlite3_stmt *st = NULL;
	size_t i;

	(void)state;
	if (fl_lexicon_load(NULL, &lex, NULL) != FL_OK)
		return -1;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		return -1;
	if (fl_tokenizer_register(db, lex, NULL) != FL_OK)
		return -1;
	if (sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(title, body, "
			 "tokenize='german')", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, "INSERT INTO t(rowid, title, body) "
			       "VALUES (?1, ?2, ?3)", -1, &st, NULL))
		return -1;
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)i + 1);
		sqlite3_bind_text(st, 2, docs[i][0], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, docs[i][1], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			return -1;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sqlite3_close(db);
	fl_lexicon_unref(lex);	/* the module holds its own reference */
	return 0;
}

/* Rowids matching q, as "1,3" ("" when none); -1 on a query error. */
static int match(const char *q, char *out, size_t max)
{
	sqlite3_stmt *st = NULL;
	size_t used = 0;
	int rc;

	out[0] = '\0';
	if (sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1 "
			       "ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		used += (size_t)snprintf(out + used, max - used, "%s%lld",
					 used ? "," : "",
					 sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

struct mcase {
	const char *query;   /* FTS5 MATCH text */
	const char *rows;    /* expected rowids */
	int need_dict;       /* 1: needs the system word list */
};

static const struct mcase mcases[] = {
	{ "Muenchen", "1", 0 },
	{ "MÜNCHEN", "1", 0 },
	{ "munchen", "1", 0 },
	{ "Strasse", "1", 0 },
	{ "Schulen", "2", 0 },
	{ "Lehrkräfte", "2", 0 },
	{ "Autos", "3", 0 },
	{ "Ministerien", "3", 1 },
	{ "\"Sachsen-Anhalt\"", "4", 0 },
	{ "\"sachsen anhalt\"", "4", 0 },
	{ "schul*", "2", 0 },
	{ "münch*", "1", 0 },
	{ "Erzieherinnen", "5", 0 },
	{ "Bürger", "5", 0 },
	{ "\"Bürger:innen\"", "5", 0 },
	{ "Weiterbildung", "4", 1 },
	{ "Maßnahme", "4", 1 },
	{ "Feuer", "6", 0 },
	{ "title:Kita", "5", 0 },
};

static void test_match(void **state)
{
	char rows[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(mcases) / sizeof(mcases[0]); i++) {
		if (mcases[i].need_dict && !fl_lexicon_has_dict(lex))
			continue;
		if (match(mcases[i].query, rows, sizeof(rows)) != 0)
			fail_msg("query %s: %s", mcases[i].query,
				 sqlite3_errmsg(db));
		if (strcmp(rows, mcases[i].rows))
			fail_msg("query %s: rows '%s', expected '%s'",
				 mcases[i].query, rows, mcases[i].rows);
	}
}

static void test_highlight(void **state)
{
	sqlite3_stmt *st = NULL;
	const char *h;

	(void)state;
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT highlight(t, 1, '[', ']') FROM t WHERE t MATCH ?1",
		-1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, "muenchen strasse", -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	h = (const char *)sqlite3_column_text(st, 0);
	assert_string_equal(h, "Der Stadtrat von [München] tagt in der "
			    "[Straße] am Markt.");
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, "\"Sachsen-Anhalt\"", -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	h = (const char *)sqlite3_column_text(st, 0);
	assert_string_equal(h, "[Sachsen Anhalt] plant die "
			    "Weiterbildungsmaßnahmen.");
	sqlite3_finalize(st);
}

static void test_stopword_only_column(void **state)
{
	char rows[64];

	(void)state;
	if (!fl_lexicon_is_stopword(lex, "und", 3))
		skip();
	/* stopwords give no tokens and no positions in documents */
	exec("INSERT INTO t(rowid, title, body) VALUES (99, 'und', "
	     "'der die das')");
	assert_int_equal(match("\"Feuer Quelle\"", rows, sizeof(rows)), 0);
	assert_string_equal(rows, "6");
	exec("DELETE FROM t WHERE rowid = 99");
}

static void test_rejects_options(void **state)
{
	(void)state;
	assert_int_not_equal(sqlite3_exec(db, "CREATE VIRTUAL TABLE u USING "
					  "fts5(x, tokenize='german foo')",
					  NULL, NULL, NULL), SQLITE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_highlight),
		cmocka_unit_test(test_stopword_only_column),
		cmocka_unit_test(test_rejects_options),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
