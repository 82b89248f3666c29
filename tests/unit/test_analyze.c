/*
 * Unit tests for the German analyzer (fl_analyze, fl_stem, fl_utf8).
 * Table-driven: each case analyses a text in one mode and lists tokens
 * ("POS:token") that must and must not appear. Cases that need the system
 * word list or a splitting decompounder check for them and skip otherwise.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fl_analyze.h"
#include "fl_buf.h"
#include "fl_decompound.h"
#include "fl_lexicon.h"
#include "fl_stem.h"
#include "fl_utf8.h"

#define MAX_TOKS 4096

struct tok {
	long pos;
	char text[FL_ANALYZE_MAX_TOKEN * 8];
	size_t start, end;
	unsigned flags;
};

struct run {
	struct tok t[MAX_TOKS];
	size_t n;
	long pos;
};

static struct fl_lexicon *lex;
static struct fl_analyzer *an;
static struct run R;

static int collect(void *ctx, const struct fl_token *t)
{
	struct run *r = ctx;
	struct tok *k;
	size_t n = t->len < sizeof(k->text) - 1 ? t->len : sizeof(k->text) - 1;

	if (!(t->flags & FL_TOKEN_COLOCATED))
		r->pos++;
	if (r->n == MAX_TOKS)
		return 0;
	k = &r->t[r->n++];
	k->pos = r->pos;
	memcpy(k->text, t->text, n);
	k->text[n] = '\0';
	k->start = t->start;
	k->end = t->end;
	k->flags = t->flags;
	return 0;
}

static void analyse(const char *text, size_t len, enum fl_analyze_mode mode)
{
	struct fl_err err;

	fl_err_clear(&err);
	R.n = 0;
	R.pos = -1;
	assert_int_equal(fl_analyzer_run(an, text, len, mode, collect, &R,
					 &err), FL_OK);
}

/* Token "POS:text" (POS -1: any position), or NULL. */
static const struct tok *find(const char *spec)
{
	const char *colon = strchr(spec, ':');
	long pos = strtol(spec, NULL, 10);
	size_t i;

	for (i = 0; i < R.n; i++)
		if ((pos < 0 || R.t[i].pos == pos) &&
		    !strcmp(R.t[i].text, colon + 1))
			return &R.t[i];
	return NULL;
}

static int find_any(const char *text)
{
	size_t i;

	for (i = 0; i < R.n; i++)
		if (!strcmp(R.t[i].text, text))
			return 1;
	return 0;
}

static int stopwords_on(void)
{
	return fl_lexicon_is_stopword(lex, "und", 3);
}

static int has_dict(void)
{
	return fl_lexicon_has_dict(lex);
}

static int splits(const char *word)
{
	struct fl_split_part p[FL_SPLIT_MAX_PARTS];

	return fl_decompound_split(lex, word, strlen(word), p,
				   FL_SPLIT_MAX_PARTS) > 1;
}

enum need { ANY = 0, STOP = 1, DICT = 2 };

struct tcase {
	const char *name;
	enum fl_analyze_mode mode;
	enum need need;
	const char *text;
	const char *has[8];     /* "POS:token" that must be there */
	const char *hasnt[8];   /* "POS:token" that must not be there */
	long ntoks;             /* exact token count, -1: any */
};

#define D FL_ANALYZE_DOCUMENT
#define Q FL_ANALYZE_QUERY
#define P FL_ANALYZE_PREFIX

static const struct tcase cases[] = {
	{ "umlaut", D, ANY, "München", { "0:muenchen", "0:~munch" }, {0}, 2 },
	{ "digraph", D, ANY, "Muenchen", { "0:muenchen", "0:~munch" }, {0}, 2 },
	{ "folded", D, ANY, "Munchen", { "0:munchen", "0:~munch" },
	  { "-1:muenchen" }, 2 },
	{ "capitals are stemmed too", D, ANY, "MÜNCHEN",
	  { "0:muenchen", "0:~munch" }, {0}, 2 },
	{ "eszett", D, ANY, "Straße", { "0:strasse", "0:~strass" }, {0}, 2 },
	{ "ss", D, ANY, "Strasse", { "0:strasse", "0:~strass" }, {0}, 2 },
	{ "capital eszett", D, ANY, "STRAẞE", { "0:strasse" }, {0}, 2 },
	{ "nfd umlaut", D, ANY, "Mu\xcc\x88nchen", { "0:muenchen" }, {0}, -1 },
	{ "no false digraphs", D, ANY, "Feuer Quelle Israel Bauer neue",
	  { "0:feuer", "1:quelle", "2:israel", "3:bauer", "4:neue" },
	  {0}, -1 },
	{ "schön is not schon", D, ANY, "schön schon",
	  { "0:schoen", "0:~schon", "1:schon", "1:~schon" },
	  { "0:schon", "1:schoen" }, 4 },
	{ "bürger is not burg", D, ANY, "Bürger Burg",
	  { "0:buerger", "0:~burg", "1:burg", "1:~burg" },
	  { "0:burg", "1:buerger" }, 4 },
	{ "query asks for the stem", Q, ANY, "Kräfte",
	  { "0:~kraft" }, { "0:kraft", "0:kraefte" }, 1 },
	{ "query for a word that is its stem", Q, ANY, "schon",
	  { "0:~schon" }, { "0:schon" }, 1 },
	{ "soft hyphen", Q, ANY, "Bundes\xc2\xadtag", { "0:~bundestag" },
	  { "1:tag" }, -1 },
	{ "nbsp separates", D, ANY, "10\xc2\xa0" "Euro", { "0:10", "1:euro" },
	  {0}, 3 },
	{ "en dash separates", D, ANY, "Halle\xe2\x80\x93Leipzig",
	  { "0:halle", "1:leipzig" }, { "0:halleleipzig" }, -1 },
	{ "invalid utf-8", D, ANY, "Haus\xff\xfe\xc3Garten \xe2\x82 Baum",
	  { "0:haus", "1:garten", "2:baum" }, {0}, -1 },
	{ "acronyms", D, ANY, "NRW CDU MINT",
	  { "0:nrw", "0:~nrw", "1:cdu", "2:mint" }, {0}, 6 },
	{ "digits unstemmed", D, ANY, "A4 2024 3D-Drucker",
	  { "0:a4", "1:2024", "2:3d", "2:3ddrucker", "3:drucker" },
	  { "0:~a4", "2:~3ddrucker" }, -1 },
	{ "apostrophe", D, ANY, "geht's O'Brien", { "0:gehts", "1:obrien" },
	  {0}, -1 },
	{ "gender colon", D, ANY, "Bürger:innen",
	  { "0:buergerinnen", "0:buerger" }, { "1:innen" }, -1 },
	{ "gender star", D, ANY, "Bürger*innen",
	  { "0:buergerinnen", "0:buerger" }, { "1:innen" }, -1 },
	{ "gender underscore", D, ANY, "Bürger_innen",
	  { "0:buergerinnen", "0:buerger" }, { "1:innen" }, -1 },
	{ "gender slash", D, ANY, "Schüler/innen",
	  { "0:schuelerinnen", "0:schueler" }, { "1:innen" }, -1 },
	{ "gender singular", D, ANY, "Lehrer:in",
	  { "0:lehrerin", "0:lehrer" }, { "1:in" }, -1 },
	{ "binnen-i", D, ANY, "BürgerInnen",
	  { "0:buergerinnen", "0:buerger" }, {0}, -1 },
	{ "plain feminine", D, ANY, "Bürgerinnen Studentinnen",
	  { "0:buergerinnen", "0:buerger", "1:studentinnen", "1:student" },
	  {0}, -1 },
	{ "gender query", Q, ANY, "Bürger:innen",
	  { "0:~burgerin", "0:~burg" }, { "0:burg" }, 2 },
	{ "not feminine", Q, ANY, "Berlin Termin Medizin",
	  { "0:~berlin", "1:~termin", "2:~medizin" },
	  { "0:~berl", "1:~term", "2:~mediz" }, -1 },
	{ "hyphenated", D, ANY, "Sachsen-Anhalt",
	  { "0:sachsen", "0:sachsenanhalt", "1:anhalt" }, {0}, -1 },
	{ "hyphenated query", Q, ANY, "sachsen-anhalt",
	  { "0:~sachs", "0:~sachsenanhalt", "1:~anhalt" }, {0}, 3 },
	{ "e-mail", Q, ANY, "E-Mail", { "0:~e", "0:~email", "1:~mail" }, {0},
	  3 },
	{ "acronym-word", Q, ANY, "MINT-Fächer",
	  { "0:~mint", "0:~mintfach", "1:~fach" }, {0}, 3 },
	{ "unicode hyphen", Q, ANY, "Sachsen\xe2\x80\x90" "Anhalt",
	  { "0:~sachs", "0:~sachsenanhalt", "1:~anhalt" }, {0}, 3 },
	{ "parentheses", D, ANY, "Halle (Saale)",
	  { "0:halle", "1:saale" }, {0}, -1 },
	{ "suspended compound", D, STOP, "Wohn- und Geschäftshaus",
	  { "0:wohn", "1:geschaeftshaus" }, { "-1:und" }, -1 },
	{ "stopwords", D, STOP, "Die Schule und der Hof, dass",
	  { "0:schule", "1:hof" }, { "-1:die", "-1:und", "-1:dass" }, -1 },
	{ "stopwords in queries", Q, STOP, "für über", {0}, {0}, 0 },
	{ "weiter is no stopword", D, STOP, "weiter weg",
	  { "0:weiter", "1:weg" }, {0}, -1 },
	{ "prefix exact only", P, ANY, "schul", { "0:schul" }, {0}, 1 },
	{ "prefix umlaut", P, ANY, "münch", { "0:muench" }, {0}, 1 },
	{ "prefix keeps stopwords", P, STOP, "und", { "0:und" }, {0}, 1 },
	{ "query has no parts", Q, DICT, "Weiterbildungsmaßnahmen",
	  { "0:~weiterbildungsmassnahm" }, { "0:bildung", "0:~bildung" }, 1 },
	{ "autos", Q, ANY, "Autos", { "0:~auto" }, { "0:autos" }, 1 },
	{ "kitas", Q, DICT, "Kitas", { "0:~kita" }, {0}, 1 },
	{ "ministerien", Q, DICT, "Ministerien", { "0:~ministerium" }, {0},
	  1 },
	{ "erzieherinnen", Q, ANY, "Erzieherinnen",
	  { "0:~erzieherin", "0:~erzieh" }, {0}, 2 },
};

static void check_case(const struct tcase *c)
{
	size_t i;

	analyse(c->text, strlen(c->text), c->mode);
	for (i = 0; i < 8 && c->has[i]; i++)
		if (!find(c->has[i]))
			fail_msg("%s: '%s' lacks %s", c->name, c->text,
				 c->has[i]);
	for (i = 0; i < 8 && c->hasnt[i]; i++)
		if (find(c->hasnt[i]))
			fail_msg("%s: '%s' has %s", c->name, c->text,
				 c->hasnt[i]);
	if (c->ntoks >= 0 && (long)R.n != c->ntoks)
		fail_msg("%s: '%s' gives %zu tokens, not %ld", c->name,
			 c->text, R.n, c->ntoks);
}

static void test_table(void **state)
{
	size_t i, skipped = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (((cases[i].need & STOP) && !stopwords_on()) ||
		    ((cases[i].need & DICT) && !has_dict())) {
			skipped++;
			continue;
		}
		check_case(&cases[i]);
	}
	if (skipped)
		print_message("# %zu cases skipped (no dictionary or "
			      "stopwords)\n", skipped);
}

/* The STEM channel token of a word in query mode (EXACT when none). */
static const char *stem_of(const char *w)
{
	const char *s;
	size_t i;

	analyse(w, strlen(w), Q);
	assert_true(R.n > 0);
	s = R.t[0].text;
	for (i = 1; i < R.n; i++)
		if ((R.t[i].flags & FL_TOKEN_STEM) &&
		    !(R.t[i].flags & FL_TOKEN_BASE))
			s = R.t[i].text;
	return s;
}

static void test_shared_stems(void **state)
{
	static const char *const pairs[][3] = {
		{ "Schule", "Schulen", "" },
		{ "Lehrkraft", "Lehrkräfte", "" },
		{ "Auto", "Autos", "" },
		{ "Erzieherin", "Erzieherinnen", "" },
		{ "München", "Munchen", "" },
		{ "Ministerium", "Ministerien", "dict" },
		{ "Kita", "Kitas", "dict" },
	};
	char a[sizeof(R.t[0].text)];
	const char *b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		if (pairs[i][2][0] && !has_dict())
			continue;
		memcpy(a, stem_of(pairs[i][0]), sizeof(a));
		b = stem_of(pairs[i][1]);
		if (strcmp(a, b))
			fail_msg("%s -> %s but %s -> %s", pairs[i][0], a,
				 pairs[i][1], b);
	}
}

static void test_offsets(void **state)
{
	const char *text = "Grüße aus Köln: Sachsen-Anhalt";
	const struct tok *t;

	(void)state;
	analyse(text, strlen(text), D);
	t = find("0:gruesse");
	assert_non_null(t);
	assert_int_equal(t->start, 0);
	assert_int_equal(t->end, 7);
	t = find("-1:koeln");
	assert_non_null(t);
	assert_int_equal(t->start, 12);
	assert_int_equal(t->end, 17);
	t = find("-1:anhalt");
	assert_non_null(t);
	assert_memory_equal(text + t->start, "Anhalt", 6);
	assert_int_equal(t->end, strlen(text));
	t = find("-1:sachsenanhalt");
	assert_non_null(t);
	assert_memory_equal(text + t->start, "Sachsen-Anhalt", 14);
}

static void test_long_word(void **state)
{
	size_t len = 100 * 1024, i;
	char *text = malloc(len + 6);

	(void)state;
	assert_non_null(text);
	memset(text, 'a', len);
	memcpy(text + len, " Haus", 6);
	analyse(text, len + 5, D);
	assert_true(R.n >= 2);
	assert_int_equal(R.t[0].pos, 0);
	assert_int_equal(R.t[0].flags, FL_TOKEN_EXACT);
	assert_int_equal(R.t[0].start, 0);
	assert_int_equal(R.t[0].end, len);
	for (i = 1; i < R.n; i++)
		assert_int_equal(R.t[i].pos, 1);	/* no stem of it */
	assert_non_null(find("1:haus"));
	free(text);
}

/* No duplicate texts at one position; the first token of a position is
 * never colocated; stems and parts come after an EXACT token. */
/*
 * Regression (found by fuzz_analyze): a hyphenated word whose last piece
 * is 257..1024 bytes long was cut at 1024 bytes from the piece's start,
 * reading past the end of the text. The text here is followed by bytes
 * the analyzer must never see ("XYZ"): no token may contain them.
 */
static void test_long_piece_stays_inside(void **state)
{
	static const int modes[] = { D, Q, P };
	size_t piece = 300, len = 2 + piece, i, m;
	char *buf = malloc(len + 1100);

	(void)state;
	assert_non_null(buf);
	memcpy(buf, "a-", 2);
	memset(buf + 2, 'b', piece);
	memset(buf + len, 'X', 1100);
	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		analyse(buf, len, (enum fl_analyze_mode)modes[m]);
		assert_true(R.n >= 1);
		for (i = 0; i < R.n; i++) {
			assert_true(R.t[i].end <= len);
			assert_null(strchr(R.t[i].text, 'x'));
			assert_null(strchr(R.t[i].text, 'X'));
		}
	}
	free(buf);
}

static void test_positions_well_formed(void **state)
{
	const char *text = "Die Weiterbildungsmaßnahmen für Lehrkräfte an "
			   "Grundschulen in Sachsen-Anhalt, Bürger:innen und "
			   "Kita-Ausbaupläne; Schulschulschule Haushaus.";
	size_t i, j;

	(void)state;
	analyse(text, strlen(text), D);
	assert_true(R.n > 0);
	assert_false(R.t[0].flags & FL_TOKEN_COLOCATED);
	for (i = 0; i < R.n; i++)
		for (j = i + 1; j < R.n && R.t[j].pos == R.t[i].pos; j++)
			if (!strcmp(R.t[i].text, R.t[j].text))
				fail_msg("duplicate '%s' at %ld", R.t[i].text,
					 R.t[i].pos);
}

/* Append the EXACT spelling of u[0..n) to set (NUL-separated). */
static void add_expected(struct fl_buf *set, const char *u, size_t n)
{
	fl_utf8_digraph(u, n, set);
	fl_buf_addc(set, '\0');
}

static int in_set(const struct fl_buf *set, const char *s)
{
	size_t i;

	for (i = 0; i < set->len; i += strlen(set->data + i) + 1)
		if (!strcmp(set->data + i, s))
			return 1;
	return 0;
}

/* Expected PART spellings of u: the splitter's lemmas and runs, and the
 * same for every part of 6 or more bytes, once (as the analyzer does). */
static void expected_parts(struct fl_buf *set, const char *u, size_t len,
			   int depth)
{
	struct fl_split_part p[FL_SPLIT_MAX_PARTS];
	size_t n = fl_decompound_split(lex, u, len, p, FL_SPLIT_MAX_PARTS);
	size_t i, j;
	struct fl_buf run;

	if (n < 2)
		return;
	fl_buf_init(&run, 1024);
	for (i = 0; i < n; i++)
		add_expected(set, p[i].lemma, strlen(p[i].lemma));
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			if (i == 0 && j == n - 1)
				continue;
			fl_buf_reset(&run);
			fl_buf_add(&run, u + p[i].start, p[j].start - p[i].start);
			if (j == n - 1)
				fl_buf_add(&run, u + p[j].start, len - p[j].start);
			else
				fl_buf_adds(&run, p[j].lemma);
			add_expected(set, run.data, run.len);
		}
	for (i = 0; i < n && depth == 0; i++)
		if (strlen(p[i].lemma) >= 6)
			expected_parts(set, p[i].lemma, strlen(p[i].lemma), 1);
	fl_buf_release(&run);
}

/* The PART tokens of surface (folded form u) are exactly the expected
 * ones, whatever the splitter decides: this pins the analyzer's rules, not
 * the splitter's choices. */
static void check_parts(const char *surface, const char *u)
{
	struct fl_buf set;
	size_t i;

	fl_buf_init(&set, 1 << 16);
	expected_parts(&set, u, strlen(u), 0);
	analyse(surface, strlen(surface), D);
	for (i = 0; i < R.n; i++) {
		assert_int_equal(R.t[i].pos, 0);
		if ((R.t[i].flags & (FL_TOKEN_PART | FL_TOKEN_EXACT)) ==
		    (FL_TOKEN_PART | FL_TOKEN_EXACT) &&
		    !in_set(&set, R.t[i].text))
			fail_msg("%s: unexpected part '%s'", surface,
				 R.t[i].text);
	}
	for (i = 0; i < set.len; i += strlen(set.data + i) + 1)
		if (!find_any(set.data + i))
			fail_msg("%s: lacks part '%s'", surface, set.data + i);
	fl_buf_release(&set);
}

static void test_compound_parts(void **state)
{
	static const char *const words[][2] = {
		{ "Weiterbildungsmaßnahmen", "weiterbildungsmaßnahmen" },
		{ "Lehrkräfte", "lehrkräfte" },
		{ "Grundschulen", "grundschulen" },
		{ "Geschäftshaus", "geschäftshaus" },
		{ "Bundestag", "bundestag" },
		{ "Fachkräfteentwicklung", "fachkräfteentwicklung" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		check_parts(words[i][0], words[i][1]);
	/* queries never get parts */
	analyse("Weiterbildungsmaßnahmen", 24, Q);
	for (i = 0; i < R.n; i++)
		assert_false(R.t[i].flags & FL_TOKEN_PART);
	if (!has_dict() || !splits("weiterbildungsmaßnahmen")) {
		print_message("# compound parts: splitter does not split\n");
		return;
	}
	/* the brief's example: modifier and head of the modifier are found */
	analyse("Weiterbildungsmaßnahmen", 24, D);
	assert_true(find_any("weiterbildung"));
	assert_true(find_any("bildung") || !splits("weiterbildung"));
}

static void test_flags(void **state)
{
	const struct tok *t;

	(void)state;
	analyse("Bürger:innen Sachsen-Anhalt", 28, D);
	t = find("0:buergerinnen");
	assert_non_null(t);
	assert_int_equal(t->flags, FL_TOKEN_EXACT);
	t = find("0:buerger");
	assert_non_null(t);
	assert_int_equal(t->flags, FL_TOKEN_EXACT | FL_TOKEN_BASE |
				   FL_TOKEN_COLOCATED);
	t = find("1:sachsenanhalt");
	assert_non_null(t);
	assert_int_equal(t->flags, FL_TOKEN_EXACT | FL_TOKEN_JOINED |
				   FL_TOKEN_COLOCATED);
	t = find("0:~burgerin");
	assert_non_null(t);
	assert_true(t->flags & FL_TOKEN_STEM);
}

static int stop_at_second(void *ctx, const struct fl_token *t)
{
	int *n = ctx;

	(void)t;
	return ++*n == 2 ? 7 : 0;
}

static void test_callback_stops(void **state)
{
	int n = 0;

	(void)state;
	assert_int_equal(fl_analyzer_run(an, "eins zwei drei", 14, D,
					 stop_at_second, &n, NULL), 7);
	assert_int_equal(n, 2);
}

/* A second run (answered from the word cache) gives the same tokens. */
static void test_cache_consistent(void **state)
{
	const char *text = "Schulen Schulen Bürger:innen Sachsen-Anhalt "
			   "Schulen Kitas";
	struct run *first = malloc(sizeof(*first));
	size_t i;

	(void)state;
	assert_non_null(first);
	analyse(text, strlen(text), D);
	*first = R;
	analyse(text, strlen(text), D);
	assert_int_equal(first->n, R.n);
	for (i = 0; i < R.n; i++) {
		assert_string_equal(first->t[i].text, R.t[i].text);
		assert_int_equal(first->t[i].start, R.t[i].start);
		assert_int_equal(first->t[i].end, R.t[i].end);
		assert_int_equal(first->t[i].flags, R.t[i].flags);
	}
	/* modes are cached apart */
	analyse("Schulen", 7, P);
	assert_int_equal(R.n, 1);
	free(first);
}

static void test_empty_and_separators(void **state)
{
	(void)state;
	analyse("", 0, D);
	assert_int_equal(R.n, 0);
	analyse(" ,.;-- \xe2\x80\x93 ", 12, D);
	assert_int_equal(R.n, 0);
	analyse("\xcc\x88" "a", 3, D);	/* leading combining mark */
	assert_int_equal(R.n, 2);	/* "a" and "~a" */
}

static void test_gnf_fold(void **state)
{
	static const char *const io[][2] = {
		{ "muenchen", "munchen" }, { "münchen", "munchen" },
		{ "feuer", "feuer" }, { "quelle", "quelle" },
		{ "bauer", "bauer" }, { "neue", "neue" },
		{ "israel", "isral" }, { "straße", "strasse" },
		{ "schoen", "schon" }, { "haeuser", "hauser" },
	};
	struct fl_buf b;
	size_t i;

	(void)state;
	fl_buf_init(&b, 256);
	for (i = 0; i < sizeof(io) / sizeof(io[0]); i++) {
		fl_buf_reset(&b);
		fl_stem_fold(io[i][0], strlen(io[i][0]), &b);
		assert_string_equal(b.data, io[i][1]);
	}
	fl_buf_release(&b);
}

static void test_utf8_helpers(void **state)
{
	struct fl_buf b;
	int32_t cp;

	(void)state;
	assert_int_equal(fl_utf8_next("\xc3\xa4", 2, &cp), 2);
	assert_int_equal(cp, 0xE4);
	assert_int_equal(fl_utf8_next("\xc3", 1, &cp), 1);
	assert_int_equal(cp, -1);
	assert_int_equal(fl_utf8_next("\xff" "a", 2, &cp), 1);
	assert_int_equal(cp, -1);
	assert_int_equal(fl_utf8_class(0xA0), FL_UTF8_SEP);
	assert_int_equal(fl_utf8_class(0x2013), FL_UTF8_SEP);
	assert_int_equal(fl_utf8_class(0xAD), FL_UTF8_IGNORE);
	assert_int_equal(fl_utf8_class(0x2011), FL_UTF8_HYPHEN);
	assert_int_equal(fl_utf8_cut("a\xc3\xa4", 2), 1);
	assert_int_equal(fl_utf8_cut("a\xc3\xa4", 3), 3);
	fl_buf_init(&b, 256);
	fl_utf8_fold("ÄÖÜ ﬁ Straße", strlen("ÄÖÜ ﬁ Straße"), &b);
	assert_string_equal(b.data, "äöü fi strasse");
	fl_buf_reset(&b);
	fl_utf8_lower("MAẞNAHMEN Straße Ä", strlen("MAẞNAHMEN Straße Ä"), &b);
	assert_string_equal(b.data, "maßnahmen straße ä");
	fl_buf_reset(&b);
	fl_utf8_digraph("äöüß", strlen("äöüß"), &b);
	assert_string_equal(b.data, "aeoeuess");
	fl_buf_release(&b);
}

static int setup(void **state)
{
	(void)state;
	if (fl_lexicon_load(NULL, &lex, NULL) != FL_OK)
		return -1;
	return fl_analyzer_new(lex, &an, NULL) == FL_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	fl_analyzer_free(an);
	fl_lexicon_unref(lex);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_shared_stems),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_long_word),
		cmocka_unit_test(test_long_piece_stays_inside),
		cmocka_unit_test(test_positions_well_formed),
		cmocka_unit_test(test_compound_parts),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_cache_consistent),
		cmocka_unit_test(test_empty_and_separators),
		cmocka_unit_test(test_gnf_fold),
		cmocka_unit_test(test_utf8_helpers),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
