/*
 * Hostile input for fl_query: every malformed case we know of plus a few
 * thousand seeded random strings. For each: fl_query_parse returns FL_OK,
 * every FTS5 expression it produces is accepted by a real FTS5 table (the
 * default unicode61 tokenizer and, when it registers, our `german`), the
 * interpreted form is clean text, and parsing the interpreted form again
 * gives the same reading (the canonical form is a fixed point).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fl_analyze.h"
#include "fl_buf.h"
#include "fl_lexicon.h"
#include "fl_query.h"
#include "fl_tokenizer.h"

#define RANDOM_CASES 3000   /* seeded random strings */
#define RANDOM_MAX_LEN 80   /* bytes of one random string */

struct env {
	sqlite3 *db;
	int has_german;            /* table g uses tokenize='german' */
	struct fl_lexicon *lex;
	struct fl_analyzer *an;
	struct fl_query_opts opts; /* lex + analyzer */
	size_t checked;            /* MATCH expressions run */
};

static const char *docs[][2] = {
	{ "Schule in Halle (Saale)", "Wärmeschutz und Wärme im Schulbau" },
	{ "Kita-Ausbau in Sachsen", "Die Auszubildenden in Leipzig" },
	{ "C++ und Bürger:innen", "NEAR OR AND NOT title body" },
};

static void exec_ok(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static void fill(sqlite3 *db, const char *table)
{
	char sql[256];
	sqlite3_stmt *st = NULL;
	size_t i;

	snprintf(sql, sizeof(sql), "INSERT INTO %s VALUES (?, ?)", table);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
			 SQLITE_OK);
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		sqlite3_bind_text(st, 1, docs[i][0], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, docs[i][1], -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	struct fl_err err;

	assert_non_null(e);
	fl_err_clear(&err);
	assert_int_equal(sqlite3_open(":memory:", &e->db), SQLITE_OK);
	exec_ok(e->db, "CREATE VIRTUAL TABLE u USING fts5(title, body)");
	fill(e->db, "u");
	if (fl_lexicon_load(NULL, &e->lex, &err) == FL_OK &&
	    fl_analyzer_new(e->lex, &e->an, &err) == FL_OK) {
		e->opts.lex = e->lex;
		e->opts.an = e->an;
	}
	if (e->lex && fl_tokenizer_register(e->db, e->lex, &err) == FL_OK &&
	    sqlite3_exec(e->db, "CREATE VIRTUAL TABLE g USING fts5(title, "
			 "body, tokenize='german')", NULL, NULL, NULL) ==
	    SQLITE_OK) {
		fill(e->db, "g");
		e->has_german = 1;
	} else {
		print_message("# german tokenizer unavailable (%s): "
			      "checking with unicode61 only\n", err.msg);
	}
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	print_message("# %zu FTS5 expressions run (tables: unicode61%s)\n",
		      e->checked, e->has_german ? ", german" : "");
	sqlite3_close(e->db);
	fl_analyzer_free(e->an);
	fl_lexicon_unref(e->lex);
	free(e);
	return 0;
}

static void run_match(struct env *e, const char *table, const char *expr,
		      const char *input)
{
	char sql[128];
	sqlite3_stmt *st = NULL;
	int rc;

	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM %s WHERE %s MATCH ?", table, table);
	assert_int_equal(sqlite3_prepare_v2(e->db, sql, -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		fail_msg("%s: FTS5 rejected '%s' (from input '%s'): %s",
			 table, expr, input, sqlite3_errmsg(e->db));
	sqlite3_finalize(st);
	e->checked++;
}

static void check_expr(struct env *e, const char *expr, const char *input)
{
	if (!expr)
		return;
	run_match(e, "u", expr, input);
	if (e->has_german)
		run_match(e, "g", expr, input);
}

static void check_clean(const char *s, const char *input)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fail_msg("control byte 0x%02x in '%s' (input '%s')",
				 *p, s, input);
	}
}

static struct fl_query *parse_ok(const char *in, size_t len,
				 const struct fl_query_opts *o)
{
	struct fl_query *q = NULL;
	struct fl_err err;

	fl_err_clear(&err);
	if (fl_query_parse(in, len, o, &q, &err) != FL_OK || !q)
		fail_msg("parse failed on '%.*s': %s", (int)len, in, err.msg);
	return q;
}

/* Parsing the interpreted form again reads the same query. */
static void check_fixed_point(const struct fl_query *q,
			      const struct fl_query_opts *o)
{
	struct fl_query *r;

	/* the canonical form may be longer than the input (parentheses
	 * added); past the input limit it is cut, so it cannot compare */
	if (strlen(q->interpreted) > FL_QUERY_MAX_BYTES)
		return;
	r = parse_ok(q->interpreted, strlen(q->interpreted), o);

	if (strcmp(r->interpreted, q->interpreted))
		fail_msg("not a fixed point: '%s' -> '%s'", q->interpreted,
			 r->interpreted);
	if ((q->match == NULL) != (r->match == NULL) ||
	    (q->match && strcmp(q->match, r->match)))
		fail_msg("'%s' re-parsed to another MATCH: '%s' vs '%s'",
			 q->interpreted, q->match ? q->match : "(null)",
			 r->match ? r->match : "(null)");
	fl_query_free(r);
}

static void check_one(struct env *e, const char *in, size_t len,
		      const struct fl_query_opts *o)
{
	struct fl_query *q = parse_ok(in, len, o);
	size_t i;

	check_clean(q->interpreted, q->interpreted);
	check_expr(e, q->match, q->interpreted);
	check_expr(e, q->match_any, q->interpreted);
	check_expr(e, q->exclude, q->interpreted);
	for (i = 0; i < q->nterms; i++)
		check_expr(e, q->terms[i], q->interpreted);
	for (i = 0; i < q->nexact; i++)
		check_expr(e, q->exact[i], q->interpreted);
	if (q->match)
		check_clean(q->match, q->interpreted);
	assert_true(q->match || !q->match_any);
	check_fixed_point(q, o);
	fl_query_free(q);
}

/* Both without options (syntax only) and with lexicon + analyzer. */
static void check_input(struct env *e, const char *in, size_t len)
{
	check_one(e, in, len, NULL);
	if (e->opts.lex)
		check_one(e, in, len, &e->opts);
}

#define S(lit) { lit, sizeof(lit) - 1 }

static const struct {
	const char *s;
	size_t len;
} cases[] = {
	S("\""), S("\"\""), S("\"\"\""), S("\"a"), S("a\""), S("a\"b"),
	S("("), S(")"), S("(("), S("))"), S(")("), S("(a"), S("a)"),
	S("(a))"), S("((a)"), S("()"), S("( )"), S("(\"a)\""),
	S("OR"), S("AND"), S("NOT"), S("ODER"), S("UND"), S("NICHT"),
	S("a OR"), S("OR a"), S("a AND"), S("AND a"), S("a NOT"), S("NOT"),
	S("a OR OR b"), S("a AND OR NOT b"), S("NOT NOT NOT"), S("| |"),
	S("a | | b"), S("||"), S("&&"), S("a && b"),
	S("NEAR("), S("NEAR(a b)"), S("NEAR(a b, 2)"), S("NEAR/2"),
	S("a NEAR b"), S("^"), S("^a"), S("a^"), S(":"), S("::"), S("a:"),
	S(":a"), S("title:"), S("title::"), S("title:^"), S("title:("),
	S("title:)"), S("title:\""), S("title:-a"), S("-title:"),
	S("{title}: a"), S("{title body}:a"), S("title : a"), S("col:a"),
	S("C++"), S("c++ programmierung"), S("C#"), S("*"), S("**"),
	S("a*"), S("*a"), S("a**b"), S("\"a\"*"), S("\"\"*"), S("-"),
	S("--"), S("- -"), S("-a"), S("-\"a\""), S("-(a)"), S("-(-a)"),
	S("-(-a -b)"), S("a -(-b -c)"), S("a OR -b"), S("-a OR -b"),
	S("(-a) OR (-b)"), S("\\"), S("\\\""), S("a\\b"), S("\\(a\\)"),
	S("a\0b"), S("\0"), S("\0\0\0"), S("\"\0\""), S("a\0OR\0b"),
	S("\x01\x02\x03"), S("a\tb\nc\rd"), S("\x7f"), S("\x1b[31mrot"),
	S("\xff"), S("\xfe\xff"), S("\xc3"), S("a\xc3"), S("\xc3(a"),
	S("\xc0\xaf"), S("\xed\xa0\x80"), S("\xf4\x90\x80\x80"),
	S("\xe2\x80\xae" "evil"), S("\xef\xbb\xbf" "bom"),
	S("a\xc2\xa0" "b"), S("\xe2\x80\x8b"), S("\xc2\xad"),
	S("\xe2\x80\x9e" "Halle\xe2\x80\x9c"), S("\xc2\xab" "a"),
	S("date:"), S("date:2024-13"), S("date:2024-00"), S("date:0000"),
	S("date:99999"), S("date:2024-02-30"), S("date:..."), S("date:.."),
	S("date:>"), S("date:>="), S("date:<=<=2024"), S("date:2024..2023"),
	S("date:\"2024\""), S("date:(2024)"), S("date:9999-12-31"),
	S("date:9999-12-31.."), S("date:..1000-01-01"),
	S("source:"), S("source:\""), S("source:(a)"), S("type:\"a b\""),
	S("lang:*"), S("-source:a -type:b -lang:c"),
	S("'"), S("''"), S("`a`"), S("[a]"), S("{a}"), S("<a>"), S("%"),
	S("a;b"), S("a'; DROP TABLE u; --"), S("\" OR 1=1 --"),
	S("*:*"), S("a:b:c"), S("Bürger:innen"), S("Bürger*innen"),
	S("Bürger/innen"), S("Sachsen-Anhalt"), S("-Sachsen-Anhalt"),
	S("E-Mail"), S("3.5"), S("1,5 %"), S("§ 12 Abs. 3"),
	S("Wie viele Auszubildende gibt es in Sachsen?"),
	S("\"und oder nicht\""), S("und oder nicht"), S("die der das"),
	S("  Schule   -Sachsen \"Halle (Saale\" OR"),
};

static void test_table(void **state)
{
	struct env *e = *state;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_input(e, cases[i].s, cases[i].len);
	assert_true(e->checked > 0);
}

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Pieces random strings are built from: syntax, words, odd bytes. */
static const char *pieces[] = {
	"\"", "(", ")", "-", "*", "|", ":", "^", " ", " ", " ", "\\", "'",
	"OR", "AND", "NOT", "ODER", "UND", "NICHT", "NEAR", "title:",
	"date:", "source:", "type:", "lang:", "titel:", "..", ">=", "<",
	"2024", "-03", "a", "Schule", "Wärme", "schutz", "die", "und",
	"\xc3\xa4", "\xe2\x80\x9e", "\xe2\x80\x9c", "\xc3", "\xff", "\x00",
	"\x01", "\t", "\n", "{", "}", ",", ".", "+", "#", "%", "\xc2\xa0",
};

static size_t random_input(uint64_t *seed, char *buf, size_t max)
{
	size_t len = 0, want = next_rand(seed) % max;

	while (len < want) {
		const char *p = pieces[next_rand(seed) %
				       (sizeof(pieces) / sizeof(pieces[0]))];
		size_t n = p[0] ? strlen(p) : 1;

		if (next_rand(seed) % 16 == 0) {
			buf[len++] = (char)(next_rand(seed) & 0xff);
			continue;
		}
		if (len + n > max)
			break;
		memcpy(buf + len, p, n);
		len += n;
	}
	return len;
}

static void test_random(void **state)
{
	struct env *e = *state;
	uint64_t seed = 0x5eedf1d11a9ULL;
	char buf[RANDOM_MAX_LEN];
	size_t i;

	for (i = 0; i < RANDOM_CASES; i++) {
		size_t len = random_input(&seed, buf, sizeof(buf));

		check_input(e, buf, len);
	}
}

/* 100 KB of text and of syntax: cut, not rejected, and still valid. */
static void test_huge(void **state)
{
	static const char pat[] = "Schule (a OR \"b -c* \xc3\xa4 date:2024 ";
	struct env *e = *state;
	size_t n = 100 * 1024, i;
	char *big = malloc(n);
	struct fl_query *q;

	assert_non_null(big);
	for (i = 0; i < n; i++)
		big[i] = pat[i % (sizeof(pat) - 1)];
	check_input(e, big, n);
	memset(big, '(', n);
	check_input(e, big, n);
	memset(big, '"', n);
	check_input(e, big, n);
	for (i = 0; i < n; i++)
		big[i] = i % 2 ? ' ' : 'x';
	q = parse_ok(big, n, NULL);
	assert_int_equal(q->nterms, FL_QUERY_MAX_TERMS);
	assert_string_not_equal(q->notes, "");
	fl_query_free(q);
	free(big);
}

static int count_rows(struct env *e, const char *expr)
{
	sqlite3_stmt *st = NULL;
	int n;

	assert_int_equal(sqlite3_prepare_v2(e->db, "SELECT count(*) FROM u "
					    "WHERE u MATCH ?", -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Why terms without tokens are dropped: FTS5 accepts an empty phrase but
 * it matches nothing, so inside an AND it empties the whole query. */
static void test_empty_phrase(void **state)
{
	struct env *e = *state;
	struct fl_query *q;

	assert_int_equal(count_rows(e, "\"schule\""), 1);
	assert_int_equal(count_rows(e, "\"\""), 0);
	assert_int_equal(count_rows(e, "\"\" AND \"schule\""), 0);
	assert_int_equal(count_rows(e, "\"++\" AND \"schule\""), 0);
	assert_int_equal(count_rows(e, "\"schule\" OR \"\""), 1);
	q = parse_ok("Schule ++ \"\" ^", 16, NULL);
	assert_string_equal(q->match, "\"Schule\"");
	assert_int_equal(count_rows(e, q->match), 1);
	fl_query_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_phrase),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_huge),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
