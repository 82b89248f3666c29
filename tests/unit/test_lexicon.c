/* Unit tests for fl_lexicon: word list loading, nouns, curated lists,
 * stopwords, frequencies (umlaut and digraph keys) and reference counts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fl_lexicon.h"

#define S(x) x, strlen(x)

struct fixture {
	char path[64];             /* temp word list */
	struct fl_lexicon *lex;    /* loaded from it */
};

static const char small_dict[] =
	"Haus\nhaus\nStraße\nbauen\nÄrzte\nmüssen\nGebäude\r\nessen\nEssen\n";

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct fl_err err = { 0 };
	FILE *fp;
	int fd;

	if (!f)
		return -1;
	memcpy(f->path, "/tmp/fl_lexicon_XXXXXX", 23);
	fd = mkstemp(f->path);
	if (fd < 0)
		return -1;
	fp = fdopen(fd, "w");
	if (!fp)
		return -1;
	fputs(small_dict, fp);
	fclose(fp);
	if (fl_lexicon_load(f->path, &f->lex, &err) != FL_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fl_lexicon_unref(f->lex);
	unlink(f->path);
	free(f);
	return 0;
}

static void test_words_and_nouns(void **state)
{
	struct fixture *f = *state;
	const struct fl_lexicon *l = f->lex;

	assert_true(fl_lexicon_has_dict(l));
	assert_true(fl_lexicon_is_word(l, S("haus")));
	assert_true(fl_lexicon_is_noun(l, S("haus")));
	assert_true(fl_lexicon_flags(l, S("haus")) & FL_LEX_LOWER);
	assert_true(fl_lexicon_is_word(l, S("bauen")));
	assert_false(fl_lexicon_is_noun(l, S("bauen")));
	assert_true(fl_lexicon_is_noun(l, S("ärzte")));
	assert_true(fl_lexicon_is_noun(l, S("Ärzte")));
	assert_true(fl_lexicon_is_word(l, S("gebäude"))); /* CRLF line */
	assert_true(fl_lexicon_is_word(l, S("straße")));
	assert_true(fl_lexicon_is_word(l, S("strasse"))); /* ß == ss */
	assert_true(fl_lexicon_is_word(l, S("STRASSE")));
	assert_false(fl_lexicon_is_word(l, S("hau")));
	assert_false(fl_lexicon_is_word(l, S("")));
	assert_false(fl_lexicon_is_word(l, S("häuser")));
}

static void test_curated_lists(void **state)
{
	struct fixture *f = *state;
	const struct fl_lexicon *l = f->lex;

	/* domain words are words even when the word list lacks them */
	assert_true(fl_lexicon_is_word(l, S("monitoring")));
	assert_true(fl_lexicon_is_noun(l, S("monitoring")));
	assert_true(fl_lexicon_is_protected(l, S("leipzig")));
	assert_true(fl_lexicon_is_protected(l, S("bitterfeld")));
	assert_true(fl_lexicon_is_protected(l, S("weissenfels")));
	assert_true(fl_lexicon_is_protected(l, S("weißenfels")));
	assert_false(fl_lexicon_is_protected(l, S("haus")));
	assert_true(fl_lexicon_flags(l, S("auf")) & FL_LEX_NO_FIRST);
	assert_true(fl_lexicon_flags(l, S("schaft")) & FL_LEX_NO_HEAD);
}

static void test_stopwords(void **state)
{
	struct fixture *f = *state;

	assert_true(fl_lexicon_is_stopword(f->lex, S("und")));
	assert_true(fl_lexicon_is_stopword(f->lex, S("die")));
	assert_false(fl_lexicon_is_stopword(f->lex, S("haus")));
	/* a stopword alone is not a known word */
	assert_false(fl_lexicon_is_word(f->lex, S("xyz")));
}

static void test_freq_digraph_keys(void **state)
{
	struct fixture *f = *state;
	struct fl_err err = { 0 };

	assert_int_equal(fl_lexicon_freq_count(f->lex), 0);
	assert_int_equal(fl_lexicon_freq(f->lex, S("haus")), 0);
	assert_int_equal(fl_lexicon_add_freq(f->lex, S("mueller"), 3, &err),
			 FL_OK);
	assert_int_equal(fl_lexicon_add_freq(f->lex, S("Müller"), 4, &err),
			 FL_OK);
	assert_int_equal(fl_lexicon_add_freq(f->lex, S("strasse"), 7, &err),
			 FL_OK);
	assert_int_equal(fl_lexicon_freq_count(f->lex), 2);
	assert_int_equal(fl_lexicon_freq(f->lex, S("müller")), 7);
	assert_int_equal(fl_lexicon_freq(f->lex, S("mueller")), 7);
	assert_int_equal(fl_lexicon_freq(f->lex, S("straße")), 7);
	assert_int_equal(fl_lexicon_freq(f->lex, S("muller")), 0);
	/* saturates instead of wrapping */
	assert_int_equal(fl_lexicon_add_freq(f->lex, S("müller"), UINT32_MAX,
					     &err), FL_OK);
	assert_int_equal(fl_lexicon_freq(f->lex, S("müller")), UINT32_MAX);
}

static void test_freq_many(void **state)
{
	struct fixture *f = *state;
	struct fl_err err = { 0 };
	char w[32];
	int i;

	for (i = 0; i < 50000; i++) {
		int n = snprintf(w, sizeof(w), "wort%d", i);

		assert_int_equal(fl_lexicon_add_freq(f->lex, w, (size_t)n,
						     (uint32_t)i + 1, &err),
				 FL_OK);
	}
	assert_int_equal(fl_lexicon_freq_count(f->lex), 50000);
	assert_int_equal(fl_lexicon_freq(f->lex, S("wort0")), 1);
	assert_int_equal(fl_lexicon_freq(f->lex, S("wort49999")), 50000);
}

/*
 * A spilled lexicon (its tables in a mapped unlinked file) answers as it
 * did on the heap, leaves no file behind, and refuses new frequencies
 * instead of writing into its read-only map.
 */
static void test_spill(void **state)
{
	struct fixture *f = *state;
	struct fl_err err = { 0 };
	char dir[] = "/tmp/fl_lexspill_XXXXXX";
	size_t heap_bytes;
	int spilled;
	char w[32];
	int i;

	for (i = 0; i < 5000; i++) {
		int k = snprintf(w, sizeof(w), "wort%d", i);

		assert_int_equal(fl_lexicon_add_freq(f->lex, w, (size_t)k,
						     (uint32_t)i + 1, &err),
				 FL_OK);
	}
	heap_bytes = fl_lexicon_bytes(f->lex, &spilled);
	assert_int_equal(spilled, 0);
	assert_non_null(mkdtemp(dir));
	assert_int_equal(fl_lexicon_spill(f->lex, dir), 0);
	assert_int_equal(fl_lexicon_bytes(f->lex, &spilled), heap_bytes);
	assert_int_equal(spilled, 1);
	assert_int_equal(fl_lexicon_spill(f->lex, dir), 0); /* once only */

	assert_true(fl_lexicon_is_noun(f->lex, S("ärzte")));
	assert_true(fl_lexicon_is_word(f->lex, S("strasse")));
	assert_true(fl_lexicon_is_protected(f->lex, S("leipzig")));
	assert_true(fl_lexicon_is_stopword(f->lex, S("und")));
	assert_false(fl_lexicon_is_word(f->lex, S("häuser")));
	assert_int_equal(fl_lexicon_freq_count(f->lex), 5000);
	for (i = 0; i < 5000; i += 499) {
		int k = snprintf(w, sizeof(w), "wort%d", i);

		assert_int_equal(fl_lexicon_freq(f->lex, w, (size_t)k),
				 (uint32_t)i + 1);
	}
	assert_int_equal(fl_lexicon_freq(f->lex, S("wort5000")), 0);
	assert_int_equal(fl_lexicon_add_freq(f->lex, S("neu"), 1, &err),
			 FL_EINVAL);
	assert_int_equal(fl_lexicon_freq(f->lex, S("neu")), 0);

	/* empty, so removable: O_TMPFILE, or a name unlinked at once */
	assert_int_equal(rmdir(dir), 0);
}

static void test_missing_dict(void **state)
{
	struct fl_lexicon *l = NULL;
	struct fl_err err = { 0 };

	(void)state;
	assert_int_equal(fl_lexicon_load("/nonexistent/ngerman", &l, &err),
			 FL_OK);
	assert_non_null(l);
	assert_false(fl_lexicon_has_dict(l));
	assert_false(fl_lexicon_is_word(l, S("haus")));
	assert_true(fl_lexicon_is_word(l, S("monitoring")));
	assert_true(fl_lexicon_is_protected(l, S("merseburg")));
	fl_lexicon_unref(l);
}

static void test_refcount(void **state)
{
	struct fl_lexicon *l = NULL;
	struct fl_err err = { 0 };

	(void)state;
	assert_int_equal(fl_lexicon_load("/nonexistent/x", &l, &err), FL_OK);
	assert_ptr_equal(fl_lexicon_ref(l), l);
	fl_lexicon_unref(l);
	assert_true(fl_lexicon_is_word(l, S("kita"))); /* still alive */
	fl_lexicon_unref(l);
	fl_lexicon_unref(NULL);
	assert_null(fl_lexicon_ref(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_words_and_nouns, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_curated_lists, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stopwords, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_freq_digraph_keys, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_freq_many, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_spill, setup, teardown),
		cmocka_unit_test(test_missing_dict),
		cmocka_unit_test(test_refcount),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
