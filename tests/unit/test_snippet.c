/*
 * test_snippet.c - snippets: HTML escaping before <mark>, marks in code
 * points (umlauts), stem variants highlighted, cut at word boundaries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fl_analyze.h"
#include "fl_snippet.h"
#include "fl_banned.h"

struct fx {
	struct fl_lexicon *lex;
	struct fl_analyzer *an;
};

static int setup(void **state)
{
	static struct fx fx;
	struct fl_err err = { 0 };

	assert_int_equal(fl_lexicon_load(NULL, &fx.lex, &err), FL_OK);
	assert_int_equal(fl_analyzer_new(fx.lex, &fx.an, &err), FL_OK);
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	fl_analyzer_free(fx->an);
	fl_lexicon_unref(fx->lex);
	return 0;
}

static void make(struct fx *fx, const char *word, const char *text,
		 struct fl_snippet *sn)
{
	struct fl_err err = { 0 };
	struct fl_snippet_query *q = NULL;
	const char *w[1] = { word };

	assert_int_equal(fl_snippet_query_new(fx->an, w, 1, &q, &err), FL_OK);
	assert_int_equal(fl_snippet_make(fx->an, q, text, strlen(text), sn,
					 &err), FL_OK);
	fl_snippet_query_free(q);
}

static void test_script_escaped(void **state)
{
	struct fl_snippet sn;
	struct fl_buf b;

	make(*state, "Schule", "<script>alert(1)</script> Die Schule & mehr",
	     &sn);
	fl_buf_init(&b, 4096);
	assert_int_equal(fl_snippet_html(&sn, &b), FL_OK);
	assert_null(strstr(b.data, "<script>"));
	assert_non_null(strstr(b.data, "&lt;script&gt;"));
	assert_non_null(strstr(b.data, "<mark>Schule</mark> &amp; mehr"));
	fl_buf_release(&b);
	fl_snippet_release(&sn);
}

static void test_marks_code_points(void **state)
{
	struct fl_snippet sn;

	make(*state, "München", "Über Öl in München.", &sn);
	assert_string_equal(sn.text, "Über Öl in München.");
	assert_int_equal(sn.nmarks, 1);
	assert_int_equal(sn.marks[0].start, 11);
	assert_int_equal(sn.marks[0].end, 18);
	fl_snippet_release(&sn);
}

static void test_stem_variant(void **state)
{
	struct fl_snippet sn;

	make(*state, "Schulen", "Eine Schule in Halle.", &sn);
	assert_int_equal(sn.nmarks, 1);
	assert_int_equal(sn.marks[0].start, 5);
	assert_int_equal(sn.marks[0].end, 11);
	fl_snippet_release(&sn);
}

static void test_cut_at_words(void **state)
{
	char text[4096];
	struct fl_snippet sn;
	size_t i, n = 0;

	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "wort%zu ",
				      i);
	snprintf(text + n, sizeof(text) - n, "Leipzig ende");
	make(*state, "Leipzig", text, &sn);
	assert_int_equal(sn.nmarks, 1);
	assert_true(strncmp(sn.text, "\xe2\x80\xa6 wort", 7) == 0);
	assert_true(strlen(sn.text) < 400);
	fl_snippet_release(&sn);
}

static void html_of(struct fx *fx, const char *word, const char *text,
		    char *out, size_t size)
{
	struct fl_snippet sn;
	struct fl_buf b;

	make(fx, word, text, &sn);
	fl_buf_init(&b, 8192);
	assert_int_equal(fl_snippet_html(&sn, &b), FL_OK);
	snprintf(out, size, "%s", b.data);
	fl_buf_release(&b);
	fl_snippet_release(&sn);
}

/* The matched compound part is marked, not the whole word. */
static void test_part_marked(void **state)
{
	char h[1024];

	html_of(*state, "Monitoring", "Das Bildungsmonitoring zeigt es.", h,
		sizeof(h));
	assert_string_equal(h, "Das Bildungs<mark>monitoring</mark> zeigt "
			    "es.");
	html_of(*state, "Kräfte", "Der Fachkräftemangel wächst.", h,
		sizeof(h));
	assert_non_null(strstr(h, "Fach<mark>kräfte</mark>mangel"));
}

/*
 * Every way a word may match a query token must survive the prefilter
 * (only words whose skeleton holds a token's anchor are analysed):
 * spelling variants both ways, ß/ss, stems with umlaut change, gender
 * forms, hyphenated words, upper case, punctuation around the word.
 */
static void test_prefilter_keeps_variants(void **state)
{
	static const struct {
		const char *word, *text, *marked;
	} cases[] = {
		{ "Muenchen", "Wir fahren nach München.", "München" },
		{ "München", "Wir fahren nach Muenchen.", "Muenchen" },
		{ "Strasse", "Die Straße ist gesperrt.", "Straße" },
		{ "Städte", "Eine Stadt wächst.", "Stadt" },
		{ "Stadt", "Viele Städte wachsen.", "Städte" },
		{ "Bürger", "Die Bürger:innen fragen.", "Bürger:innen" },
		{ "Bildung", "Das Bildungs-Monitoring zeigt es.", "Bildungs" },
		{ "Leipzig", "GROSSE TAGE IN LEIPZIG!", "LEIPZIG" },
		{ "Leipzig", "(Leipzig/Halle)", "Leipzig" },
		{ "Förderung", "Die Förderungen steigen.", "Förderungen" },
		{ "Sachsen", "IN SACHSEN", "SACHSEN" },
	};
	char h[1024], want[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		html_of(*state, cases[i].word, cases[i].text, h, sizeof(h));
		snprintf(want, sizeof(want), "<mark>%s", cases[i].marked);
		if (!strstr(h, want))
			fail_msg("query '%s' in '%s': got '%s'", cases[i].word,
				 cases[i].text, h);
	}
}

/* A match far into a long text is found (the filter skips the rest). */
static void test_far_match(void **state)
{
	char text[6000];
	struct fl_snippet sn;
	size_t i, n = 0;

	for (i = 0; i < 500; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "Satz ");
	snprintf(text + n, sizeof(text) - n, "über Braunkohle.");
	make(*state, "Braunkohle", text, &sn);
	assert_int_equal(sn.nmarks, 1);
	assert_non_null(strstr(sn.text, "Braunkohle"));
	fl_snippet_release(&sn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_escaped),
		cmocka_unit_test(test_part_marked),
		cmocka_unit_test(test_prefilter_keeps_variants),
		cmocka_unit_test(test_far_match),
		cmocka_unit_test(test_marks_code_points),
		cmocka_unit_test(test_stem_variant),
		cmocka_unit_test(test_cut_at_words),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
