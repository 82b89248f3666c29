/*
 * Unit tests for fl_query: operators in both languages, precedence,
 * phrases, prefix, exclusions, fields, filters, dates, compounds, and the
 * golden files tests/golden/query/NAME.txt -> NAME.expected.
 *
 * FL_GOLDEN_UPDATE=1 rewrites the .expected files from the current output
 * (review the diff before committing it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fl_analyze.h"
#include "fl_buf.h"
#include "fl_lexicon.h"
#include "fl_query.h"

static struct fl_query *parse_opts(const char *s,
				   const struct fl_query_opts *o)
{
	struct fl_query *q = NULL;
	struct fl_err e;

	fl_err_clear(&e);
	assert_int_equal(fl_query_parse(s, strlen(s), o, &q, &e), FL_OK);
	assert_non_null(q);
	assert_non_null(q->interpreted);
	assert_non_null(q->notes);
	return q;
}

static struct fl_query *parse(const char *s)
{
	return parse_opts(s, NULL);
}

static const char *str(const char *s)
{
	return s ? s : "(null)";
}

/* One case: input, interpreted, match, exclude. */
struct qcase {
	const char *in;
	const char *interp;
	const char *match;
	const char *exclude;
};

static void run_cases(const struct qcase *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct fl_query *q = parse(c[i].in);

		if (strcmp(q->interpreted, c[i].interp) ||
		    strcmp(str(q->match), c[i].match) ||
		    strcmp(str(q->exclude), c[i].exclude))
			fail_msg("input '%s': got interp '%s' match '%s' "
				 "exclude '%s'", c[i].in, q->interpreted,
				 str(q->match), str(q->exclude));
		fl_query_free(q);
	}
}

static void test_words_phrases(void **state)
{
	static const struct qcase c[] = {
		{ "", "", "(null)", "(null)" },
		{ "   ", "", "(null)", "(null)" },
		{ "Schule", "Schule", "\"Schule\"", "(null)" },
		{ "Schule  Leipzig", "Schule Leipzig",
		  "(\"Schule\" AND \"Leipzig\")", "(null)" },
		{ "\"Halle (Saale)\"", "\"Halle (Saale)\"",
		  "\"Halle (Saale)\"", "(null)" },
		{ "\"  a   b \"", "\"a b\"", "\"a b\"", "(null)" },
		{ "\"unclosed phrase", "\"unclosed phrase\"",
		  "\"unclosed phrase\"", "(null)" },
		{ "\u201eHalle\u201c", "\"Halle\"", "\"Halle\"", "(null)" },
		{ "Sachsen-Anhalt", "Sachsen-Anhalt", "\"Sachsen-Anhalt\"",
		  "(null)" },
		{ "C++", "C", "\"C\"", "(null)" },
		{ "Sachsen?", "Sachsen", "\"Sachsen\"", "(null)" },
		{ "Halle(Saale)", "Halle Saale", "(\"Halle\" AND \"Saale\")",
		  "(null)" },
	};

	(void)state;
	run_cases(c, sizeof(c) / sizeof(c[0]));
}

static void test_operators(void **state)
{
	static const struct qcase c[] = {
		{ "a OR b", "a OR b", "(\"a\" OR \"b\")", "(null)" },
		{ "a ODER b", "a OR b", "(\"a\" OR \"b\")", "(null)" },
		{ "a | b", "a OR b", "(\"a\" OR \"b\")", "(null)" },
		{ "a|b", "a OR b", "(\"a\" OR \"b\")", "(null)" },
		{ "a AND b", "a b", "(\"a\" AND \"b\")", "(null)" },
		{ "a UND b", "a b", "(\"a\" AND \"b\")", "(null)" },
		{ "a NOT b", "a -b", "(\"a\" NOT \"b\")", "\"b\"" },
		{ "a NICHT b", "a -b", "(\"a\" NOT \"b\")", "\"b\"" },
		{ "a or b", "a or b", "(\"a\" AND \"or\" AND \"b\")",
		  "(null)" },
		{ "a oder b", "a oder b", "(\"a\" AND \"oder\" AND \"b\")",
		  "(null)" },
		{ "OR a", "a", "\"a\"", "(null)" },
		{ "a OR", "a", "\"a\"", "(null)" },
		{ "a OR OR b", "a OR b", "(\"a\" OR \"b\")", "(null)" },
		{ "a AND OR b", "a OR b", "(\"a\" OR \"b\")", "(null)" },
		{ "a NOT", "a", "\"a\"", "(null)" },
		{ "NOT NOT a", "a", "\"a\"", "(null)" },
		{ "-OR", "-\"OR\"", "(null)", "\"OR\"" },
		{ "\"OR\"", "\"OR\"", "\"OR\"", "(null)" },
		{ "NEAR(a b)", "NEAR a b",
		  "(\"NEAR\" AND \"a\" AND \"b\")", "(null)" },
	};

	(void)state;
	run_cases(c, sizeof(c) / sizeof(c[0]));
}

/* NOT binds tighter than AND, AND (implicit or not) tighter than OR. */
static void test_precedence(void **state)
{
	static const struct qcase c[] = {
		{ "a OR b c", "a OR (b c)", "(\"a\" OR (\"b\" AND \"c\"))",
		  "(null)" },
		{ "a b OR c", "(a b) OR c", "((\"a\" AND \"b\") OR \"c\")",
		  "(null)" },
		{ "(a OR b) c", "(a OR b) c", "((\"a\" OR \"b\") AND \"c\")",
		  "(null)" },
		{ "a OR b -c", "a OR (b -c)",
		  "(\"a\" OR (\"b\" NOT \"c\"))", "(null)" },
		{ "((a))", "a", "\"a\"", "(null)" },
		{ "(a (b (c)))", "a b c", "(\"a\" AND \"b\" AND \"c\")",
		  "(null)" },
		{ "a (b OR (c OR d))", "a (b OR c OR d)",
		  "(\"a\" AND (\"b\" OR \"c\" OR \"d\"))", "(null)" },
		{ "((a OR b", "a OR b", "(\"a\" OR \"b\")", "(null)" },
		{ "a) OR (b", "a OR b", "(\"a\" OR \"b\")", "(null)" },
		{ "()", "", "(null)", "(null)" },
	};

	(void)state;
	run_cases(c, sizeof(c) / sizeof(c[0]));
}

static void test_exclusions(void **state)
{
	static const struct qcase c[] = {
		{ "Schule -Sachsen", "Schule -Sachsen",
		  "(\"Schule\" NOT \"Sachsen\")", "\"Sachsen\"" },
		{ "a -\"b c\"", "a -\"b c\"", "(\"a\" NOT \"b c\")",
		  "\"b c\"" },
		{ "a -b -c", "a -b -c", "(\"a\" NOT (\"b\" OR \"c\"))",
		  "(\"b\" OR \"c\")" },
		{ "-a", "-a", "(null)", "\"a\"" },
		{ "-a -b", "-a -b", "(null)", "(\"a\" OR \"b\")" },
		{ "a -(b OR c)", "a -(b OR c)",
		  "(\"a\" NOT (\"b\" OR \"c\"))", "(\"b\" OR \"c\")" },
		{ "a -(b c)", "a -(b c)", "(\"a\" NOT (\"b\" AND \"c\"))",
		  "(\"b\" AND \"c\")" },
		{ "a OR -b", "a", "\"a\"", "(null)" },
		{ "-(-a)", "a", "\"a\"", "(null)" },
		{ "a - b", "a b", "(\"a\" AND \"b\")", "(null)" },
		{ "--a b", "-a b", "(\"b\" NOT \"a\")", "\"a\"" },
	};

	(void)state;
	run_cases(c, sizeof(c) / sizeof(c[0]));
}

static void test_prefix(void **state)
{
	static const struct qcase c[] = {
		{ "schul*", "schul*", "\"schul\"*", "(null)" },
		{ "schul**", "schul*", "\"schul\"*", "(null)" },
		{ "s*", "s", "\"s\"", "(null)" },
		{ "*", "", "(null)", "(null)" },
		{ "\"halle sa\"*", "\"halle sa\"*", "\"halle sa\"*",
		  "(null)" },
		{ "-schul*", "-schul*", "(null)", "\"schul\"*" },
		{ "sch*ule", "sch*ule", "\"sch*ule\"", "(null)" },
	};

	(void)state;
	run_cases(c, sizeof(c) / sizeof(c[0]));
}

static void test_title_field(void **state)
{
	static const struct qcase c[] = {
		{ "title:Schule", "title:Schule", "title : \"Schule\"",
		  "(null)" },
		{ "Titel:Schule", "title:Schule", "title : \"Schule\"",
		  "(null)" },
		{ "title:\"a b\"", "title:\"a b\"", "title : \"a b\"",
		  "(null)" },
		{ "title:(a OR b)", "title:a OR title:b",
		  "(title : \"a\" OR title : \"b\")", "(null)" },
		{ "title:schul*", "title:schul*", "title : \"schul\"*",
		  "(null)" },
		{ "a -title:b", "a -title:b", "(\"a\" NOT title : \"b\")",
		  "title : \"b\"" },
		{ "title:", "", "(null)", "(null)" },
		{ "title:OR", "title:\"OR\"", "title : \"OR\"", "(null)" },
		{ "foo:bar", "foo:bar", "\"foo:bar\"", "(null)" },
		{ "Bürger:innen", "Bürger:innen", "\"Bürger:innen\"",
		  "(null)" },
		{ "http://x.de", "http://x.de", "\"http://x.de\"", "(null)" },
	};

	(void)state;
	run_cases(c, sizeof(c) / sizeof(c[0]));
}

static void test_filters(void **state)
{
	struct fl_query *q;

	(void)state;
	q = parse("Schule source:mdr Source:\"Sächsische Zeitung\" "
		  "type:PDF lang:de lang:en -lang:fr -source:x source:mdr");
	assert_string_equal(q->match, "\"Schule\"");
	assert_int_equal(q->sources.n, 2);
	assert_string_equal(q->sources.v[0], "mdr");
	assert_string_equal(q->sources.v[1], "Sächsische Zeitung");
	assert_int_equal(q->types.n, 1);
	assert_string_equal(q->types.v[0], "pdf");
	assert_int_equal(q->langs.n, 2);
	assert_string_equal(q->langs.v[1], "en");
	assert_int_equal(q->not_langs.n, 1);
	assert_int_equal(q->not_sources.n, 1);
	assert_string_equal(q->not_sources.v[0], "x");
	assert_string_equal(q->interpreted,
		"Schule source:mdr source:\"Sächsische Zeitung\" -source:x "
		"type:pdf lang:de lang:en -lang:fr");
	fl_query_free(q);

	q = parse("source:a");  /* a filter alone: no MATCH */
	assert_null(q->match);
	assert_null(q->exclude);
	assert_int_equal(q->sources.n, 1);
	fl_query_free(q);

	q = parse("-(a source:b)");  /* filters take the negation along */
	assert_int_equal(q->not_sources.n, 1);
	assert_string_equal(q->exclude, "\"a\"");
	fl_query_free(q);

	q = parse("type:\"a b\" lang:");
	assert_int_equal(q->types.n, 0);
	assert_int_equal(q->langs.n, 0);
	assert_string_not_equal(q->notes, "");
	fl_query_free(q);
}

/* Input, from, to ("" = open); NULL from: no date (invalid). */
struct dcase {
	const char *in;
	const char *from;
	const char *to;
};

static void test_dates(void **state)
{
	static const struct dcase c[] = {
		{ "date:2024", "2024-01-01", "2025-01-01" },
		{ "date:2024-03", "2024-03-01", "2024-04-01" },
		{ "date:2024-12", "2024-12-01", "2025-01-01" },
		{ "date:2024-02-29", "2024-02-29", "2024-03-01" },
		{ "date:2024-12-31", "2024-12-31", "2025-01-01" },
		{ "date:05.03.2024", "2024-03-05", "2024-03-06" },
		{ "date:2024-03..2025-06", "2024-03-01", "2025-07-01" },
		{ "date:2024-01-01..", "2024-01-01", "" },
		{ "date:..2025", "", "2026-01-01" },
		{ "date:>=2024-01-01", "2024-01-01", "" },
		{ "date:>2024", "2025-01-01", "" },
		{ "date:<2025", "", "2025-01-01" },
		{ "date:<=2025-06", "", "2025-07-01" },
		{ "datum:2024", "2024-01-01", "2025-01-01" },
		{ "date:>=2024 date:<2025-07", "2024-01-01", "2025-07-01" },
		{ "date:2024 date:2023..2024-06", "2024-01-01", "2024-07-01" },
		{ "date:9999", "9999-01-01", "" },
		{ "date:2024-13", NULL, NULL },
		{ "date:2023-02-29", NULL, NULL },
		{ "date:2024-04-31", NULL, NULL },
		{ "date:24", NULL, NULL },
		{ "date:0999", NULL, NULL },
		{ "date:2025..2024", NULL, NULL },
		{ "date:..", NULL, NULL },
		{ "date:>", NULL, NULL },
		{ "date:2024-1-5", NULL, NULL },
		{ "date:abc", NULL, NULL },
		{ "-date:2024", NULL, NULL },
		{ "date:\"2024\"", "2024-01-01", "2025-01-01" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct fl_query *q = parse(c[i].in);

		if (!c[i].from) {
			if (q->has_date || q->match)
				fail_msg("'%s' should be ignored", c[i].in);
			assert_string_not_equal(q->notes, "");
		} else if (!q->has_date || strcmp(q->date_from, c[i].from) ||
			   strcmp(q->date_to, c[i].to)) {
			fail_msg("'%s': got [%s, %s)", c[i].in, q->date_from,
				 q->date_to);
		}
		fl_query_free(q);
	}
}

static void test_terms_any(void **state)
{
	struct fl_query *q;

	(void)state;
	q = parse("Auszubildende Sachsen -Leipzig");
	assert_int_equal(q->nterms, 2);
	assert_string_equal(q->terms[0], "\"Auszubildende\"");
	assert_string_equal(q->terms[1], "\"Sachsen\"");
	assert_string_equal(q->match_any,
		"((\"Auszubildende\" OR \"Sachsen\") NOT \"Leipzig\")");
	fl_query_free(q);

	q = parse("a OR b");
	assert_int_equal(q->nterms, 1);
	assert_string_equal(q->match_any, q->match);
	fl_query_free(q);

	q = parse("-a");
	assert_int_equal(q->nterms, 0);
	assert_null(q->match_any);
	fl_query_free(q);
}

static void test_limits(void **state)
{
	struct fl_buf b;
	struct fl_query *q;
	size_t i;

	(void)state;
	fl_buf_init(&b, 1 << 20);
	for (i = 0; i < FL_QUERY_MAX_TERMS + 10; i++)
		fl_buf_addf(&b, "w%zu ", i);
	q = parse(b.data);
	assert_int_equal(q->nterms, FL_QUERY_MAX_TERMS);
	fl_query_free(q);

	fl_buf_reset(&b);
	for (i = 0; i < FL_QUERY_MAX_DEPTH + 5; i++)
		fl_buf_adds(&b, "(a OR ");
	fl_buf_adds(&b, "z");
	for (i = 0; i < FL_QUERY_MAX_DEPTH + 5; i++)
		fl_buf_adds(&b, ")");
	q = parse(b.data);
	assert_non_null(q->match);
	fl_query_free(q);

	fl_buf_reset(&b);  /* cut at a UTF-8 boundary, not rejected */
	for (i = 0; i < FL_QUERY_MAX_BYTES; i++)
		fl_buf_adds(&b, "ä");
	q = parse(b.data);
	assert_non_null(q->match);
	assert_true(strlen(q->interpreted) <= FL_QUERY_MAX_BYTES);
	assert_int_equal(strlen(q->interpreted) % 2, 0);
	fl_query_free(q);
	fl_buf_release(&b);
}

static void test_quote(void **state)
{
	struct fl_buf b;

	(void)state;
	fl_buf_init(&b, 100);
	fl_query_quote(&b, "a\"b\"\"", 5);
	assert_string_equal(b.data, "\"a\"\"b\"\"\"\"\"");
	fl_buf_release(&b);
}

/* Needs the word list: the joined and the split form are alternatives. */
static void test_compounds(void **state)
{
	struct fl_lexicon *lex = NULL;
	struct fl_analyzer *an = NULL;
	struct fl_query_opts o;
	struct fl_query *q;
	struct fl_err e;

	(void)state;
	fl_err_clear(&e);
	assert_int_equal(fl_lexicon_load(NULL, &lex, &e), FL_OK);
	assert_int_equal(fl_analyzer_new(lex, &an, &e), FL_OK);
	o.lex = lex;
	o.an = an;
	q = parse_opts("Wie viele Kinder gibt es in Sachsen?", &o);
	assert_null(strstr(q->match, "\"Wie\""));
	assert_null(strstr(q->match, "\"in\""));
	assert_non_null(strstr(q->match, "\"Sachsen\""));
	assert_string_not_equal(q->notes, "");
	fl_query_free(q);
	q = parse_opts("\"und oder\" die", &o);  /* stopwords only */
	assert_null(q->match);
	assert_string_equal(q->interpreted, "");
	fl_query_free(q);
	if (fl_lexicon_has_dict(lex)) {
		q = parse_opts("Wärme Schutz", &o);
		assert_string_equal(q->match,
			"((\"Wärme\" AND \"Schutz\") OR \"wärmeschutz\")");
		assert_int_equal(q->nexact, 1);
		assert_string_equal(q->exact[0], "\"wärmeschutz\"");
		assert_int_equal(q->nterms, 2);
		assert_string_equal(q->terms[0],
				    "(\"Wärme\" OR \"wärmeschutz\")");
		fl_query_free(q);
		q = parse_opts("Heizung -(Wärme Schutz)", &o);
		assert_string_equal(q->exclude,
				    "(\"Wärme\" AND \"Schutz\")");
		assert_int_equal(q->nexact, 0);
		fl_query_free(q);
		q = parse_opts("Wärmeschutz", &o);
		if (strstr(q->match, " OR (")) {
			assert_int_equal(q->nexact, 1);
			assert_string_equal(q->exact[0], "\"Wärmeschutz\"");
		}
		fl_query_free(q);
	}
	fl_analyzer_free(an);
	fl_lexicon_unref(lex);
}

/* ---- golden files ---- */

static const char *golden_dir(char *buf, size_t n)
{
	const char *root = getenv("FL_ROOT");

	if (root)
		snprintf(buf, n, "%s/tests/golden/query", root);
	else
		snprintf(buf, n, "golden/query");
	return buf;
}

static void format_values(struct fl_buf *b, const char *key,
			  const struct fl_query_values *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		fl_buf_addf(b, " %s=%s", key, v->v[i]);
}

static void format_case(struct fl_buf *b, const char *line)
{
	struct fl_query *q = parse(line);

	fl_buf_addf(b, "query: %s\ninterpreted: %s\nmatch: %s\n", line,
		    q->interpreted, str(q->match));
	if (q->exclude)
		fl_buf_addf(b, "exclude: %s\n", q->exclude);
	if (q->sources.n + q->types.n + q->langs.n + q->not_sources.n +
	    q->not_types.n + q->not_langs.n + (size_t)q->has_date) {
		fl_buf_adds(b, "filters:");
		format_values(b, "source", &q->sources);
		format_values(b, "-source", &q->not_sources);
		format_values(b, "type", &q->types);
		format_values(b, "-type", &q->not_types);
		format_values(b, "lang", &q->langs);
		format_values(b, "-lang", &q->not_langs);
		if (q->has_date)
			fl_buf_addf(b, " date=[%s,%s)", q->date_from,
				    q->date_to);
		fl_buf_addc(b, '\n');
	}
	fl_buf_addc(b, '\n');
	fl_query_free(q);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct fl_buf b;
	char chunk[4096];
	size_t n;

	if (!f)
		return NULL;
	fl_buf_init(&b, 1 << 22);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fl_buf_add(&b, chunk, n);
	fclose(f);
	return fl_buf_detach(&b, NULL);
}

static void run_golden(const char *dir, const char *name)
{
	char path[1024];
	char *in, *want, *line, *nl;
	struct fl_buf got;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	in = slurp(path);
	assert_non_null(in);
	fl_buf_init(&got, 1 << 22);
	for (line = in; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line) - 1;
		else
			*nl = '\0';
		if (*line && *line != '#')
			format_case(&got, line);
	}
	snprintf(path + strlen(path) - 4, 10, ".expected");
	if (getenv("FL_GOLDEN_UPDATE")) {
		FILE *f = fopen(path, "wb");

		assert_non_null(f);
		fwrite(got.data, 1, got.len, f);
		fclose(f);
	}
	want = slurp(path);
	if (!want || strcmp(want, got.data))
		fail_msg("%s differs; got:\n%s", path, got.data);
	free(want);
	free(in);
	fl_buf_release(&got);
}

static void test_golden(void **state)
{
	char dir[512];
	DIR *d;
	struct dirent *de;
	int n = 0;

	(void)state;
	d = opendir(golden_dir(dir, sizeof(dir)));
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len > 4 && !strcmp(de->d_name + len - 4, ".txt")) {
			run_golden(dir, de->d_name);
			n++;
		}
	}
	closedir(d);
	assert_true(n > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_phrases),
		cmocka_unit_test(test_operators),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_exclusions),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_title_field),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_terms_any),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_compounds),
		cmocka_unit_test(test_golden),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
