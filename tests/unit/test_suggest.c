/*
 * test_suggest.c - completion and did-you-mean on a tiny index built
 * through fl_doc: surface forms, compound parts, the first keystroke,
 * umlaut prefixes ("fachk", "muen" -> München), corrections of spelling
 * (Buergermeister), typos (Weiterbildnug) and a split compound.
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

#include "support_searchfx.h"
#include "fl_doc.h"
#include "fl_search.h"
#include "fl_store.h"
#include "fl_suggest.h"
#include "fl_banned.h"


static const char *const bodies[] = {
	"Der Fachkräftemangel trifft Sachsen. Fachkräfte fehlen.",
	"Fachkräfte aus dem Ausland. Der Bürgermeister von München.",
	"Der Bürgermeister lädt ein. Fachkräfte gesucht.",
	"Weiterbildung für Fachkräfte. Die Weiterbildung lohnt.",
	"Weiterbildung und Umschulung in München.",
	"Der Bürgermeister spricht über Weiterbildung.",
	"Die Energiewende in Sachsen. Energiewende kostet.",
	"Energiewende und Kohleausstieg.",
	"Die Mieten stiegen zweifach, die Kosten vielfachen sich mehrfach.",
};
#define NDOCS (sizeof(bodies) / sizeof(bodies[0]))

static int setup(void **state)
{
	struct fx *f = fx_open("suggest");
	struct fl_err err = { 0 };
	size_t i;

	if (!f)
		return -1;
	for (i = 0; i < NDOCS; i++) {
		struct fl_doc d;
		enum fl_doc_result res;
		char id[32];

		snprintf(id, sizeof(id), "d%zu", i);
		fl_doc_init(&d);
		d.ext_id = strdup(id);
		d.title = strdup("");
		d.body = strdup(bodies[i]);
		if (fl_doc_put(f->st, &d, &res, &err)) {
			fprintf(stderr, "# put: %s\n", err.msg);
			return -1;
		}
		fl_doc_release(&d);
	}
	if (fx_finish(f, 1))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_close(*state);
	return 0;
}

static struct fl_suggestions *complete(struct fx *f, const char *in)
{
	struct fl_suggestions *sg = NULL;
	struct fl_err err = { 0 };

	if (fl_suggest(f->st, in, strlen(in), 0, &sg, &err) != FL_OK)
		fail_msg("suggest '%s': %s", in, err.msg);
	return sg;
}

/* Position of word among the completions, -1 when absent. */
static int pos_of(const struct fl_suggestions *sg, const char *word)
{
	size_t i;

	for (i = 0; i < sg->n; i++)
		if (!strcmp(sg->items[i].word, word))
			return (int)i;
	return -1;
}

static void expect(struct fx *f, const char *in, const char *word)
{
	struct fl_suggestions *sg = complete(f, in);

	if (pos_of(sg, word) < 0)
		fail_msg("'%s' does not complete to '%s' (%zu items)", in,
			 word, sg->n);
	fl_suggestions_free(sg);
}

static void test_surface_forms(void **state)
{
	struct fl_suggestions *sg = complete(*state, "fachk");

	assert_true(sg->n >= 2);
	/* written forms with umlauts, most frequent first */
	assert_string_equal(sg->items[0].word, "Fachkräfte");
	assert_true(pos_of(sg, "Fachkräftemangel") > 0);
	assert_true(sg->items[0].n >= sg->items[1].n);
	fl_suggestions_free(sg);
	expect(*state, "Fachk", "Fachkräfte");
}

static void test_umlaut_prefixes(void **state)
{
	expect(*state, "muen", "München");
	expect(*state, "mün", "München");
	expect(*state, "buerg", "Bürgermeister");
	expect(*state, "fachkrä", "Fachkräfte");
}

static void test_first_keystroke(void **state)
{
	struct fl_suggestions *sg = complete(*state, "w");

	assert_true(sg->n >= 1);
	assert_true(pos_of(sg, "Weiterbildung") >= 0);
	fl_suggestions_free(sg);
}

static void test_compound_parts(void **state)
{
	/* "Ausstieg" only occurs inside Kohleausstieg */
	expect(*state, "ausst", "Ausstieg");
}

static void test_lowercase_pieces_not_suggested(void **state)
{
	struct fl_suggestions *sg = complete(*state, "fach");
	size_t i;

	/* zweifach and vielfachen split into zwei+fach, viel+fachen: pieces
	 * of lower-case words are no completions; whole words still are */
	for (i = 0; i < sg->n; i++)
		if (!strcmp(sg->items[i].word, "fach") ||
		    !strcmp(sg->items[i].word, "fachen"))
			fail_msg("'fach' completes to the piece '%s'",
				 sg->items[i].word);
	fl_suggestions_free(sg);
	expect(*state, "zweif", "zweifach");
	expect(*state, "fach", "Fachkräfte");
}

static void test_earlier_words_kept(void **state)
{
	struct fl_suggestions *sg = complete(*state, "Energiewende in sach");
	int i = pos_of(sg, "Sachsen");

	assert_true(i >= 0);
	assert_string_equal(sg->items[i].text, "Energiewende in Sachsen");
	fl_suggestions_free(sg);
}

static void test_nothing(void **state)
{
	struct fl_suggestions *sg = complete(*state, "xyzq");

	assert_int_equal(sg->n, 0);
	fl_suggestions_free(sg);
	sg = complete(*state, "");
	assert_int_equal(sg->n, 0);
	fl_suggestions_free(sg);
}

/* The did-you-mean of a search for q, or NULL. */
static char *dym(struct fx *f, const char *q, const char **why)
{
	struct fl_search_opts o;
	struct fl_result *r = NULL;
	struct fl_err err = { 0 };
	char *text = NULL;

	fl_search_opts_init(&o);
	o.query = q;
	if (fl_search(f->s, &o, &r, &err) != FL_OK)
		fail_msg("search '%s': %s", q, err.msg);
	if (r->suggestion) {
		text = strdup(r->suggestion->text);
		*why = r->suggestion->nchanges ? r->suggestion->changes[0].why
					       : "";
		assert_true(r->suggestion->total > r->total);
	}
	fl_result_free(r);
	return text;
}

static void test_did_you_mean(void **state)
{
	static const struct {
		const char *q, *want, *why;
	} cases[] = {
		{ "Weiterbildnug", "Weiterbildung", "typo" },
		{ "Umschlung", "Umschulung", "typo" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = NULL;
		char *t = dym(*state, cases[i].q, &why);

		if (!t || strcmp(t, cases[i].want) || strcmp(why, cases[i].why))
			fail_msg("'%s': got '%s' (%s), want '%s' (%s)",
				 cases[i].q, t ? t : "(none)", why ? why : "",
				 cases[i].want, cases[i].why);
		free(t);
	}
}

/* Buergermeister finds the documents already (ue = ü): no correction is
 * needed, and none is offered. */
static void test_spelling_variant_finds(void **state)
{
	struct fl_search_opts o;
	struct fl_result *r = NULL;
	struct fl_err err = { 0 };
	struct fx *f = *state;

	fl_search_opts_init(&o);
	o.query = "Buergermeister";
	assert_int_equal(fl_search(f->s, &o, &r, &err), FL_OK);
	assert_int_equal(r->total, 3);
	assert_null(r->suggestion);
	assert_non_null(strstr(r->hits[0].snippet, "<mark>Bürgermeister"));
	fl_result_free(r);
}

/* A compound typed apart, or two words typed together, find their
 * documents through the query's own join/split alternatives, so the
 * did-you-mean has nothing better to offer. */
static void test_split_join_found(void **state)
{
	static const char *const qs[] = { "Kohle ausstieg",
					  "EnergiewendeSachsen" };
	struct fl_search_opts o;
	struct fl_err err = { 0 };
	struct fx *f = *state;
	size_t i;

	for (i = 0; i < 2; i++) {
		struct fl_result *r = NULL;

		fl_search_opts_init(&o);
		o.query = qs[i];
		assert_int_equal(fl_search(f->s, &o, &r, &err), FL_OK);
		if (r->total < 1)
			fail_msg("'%s' finds nothing", qs[i]);
		assert_string_equal(r->hits[0].ext_id, i ? "d6" : "d7");
		fl_result_free(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_surface_forms),
		cmocka_unit_test(test_umlaut_prefixes),
		cmocka_unit_test(test_first_keystroke),
		cmocka_unit_test(test_compound_parts),
		cmocka_unit_test(test_lowercase_pieces_not_suggested),
		cmocka_unit_test(test_earlier_words_kept),
		cmocka_unit_test(test_nothing),
		cmocka_unit_test(test_did_you_mean),
		cmocka_unit_test(test_spelling_variant_finds),
		cmocka_unit_test(test_split_join_found),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
