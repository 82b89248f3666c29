/* Unit tests for fl_decompound: the must-split and must-not-split lists,
 * table-driven, with the real /usr/share/dict/ngerman (skipped without it),
 * plus invariants that hold with any lexicon. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fl_decompound.h"

struct split_case {
	const char *word;   /* lower case input */
	const char *want;   /* pieces joined by '+' */
	const char *alt;    /* an accepted alternative, or NULL */
};

static const struct split_case cases[] = {
	{ "bildungsmonitoring", "bildungs+monitoring", NULL },
	{ "weiterbildungsmaßnahmen", "weiter+bildungs+maßnahmen",
	  "weiterbildungs+maßnahmen" },
	{ "fachkräfteentwicklung", "fachkräfte+entwicklung", NULL },
	{ "güterverkehrskonzept", "güter+verkehrs+konzept", NULL },
	{ "fußgängerübergang", "fußgänger+übergang",
	  "fuß+gänger+übergang" },
	{ "informationsfreiheitsgesetz", "informations+freiheits+gesetz",
	  NULL },
	{ "wärmeschutz", "wärme+schutz", NULL },
	{ "beratungsangebote", "beratungs+angebote", NULL },
	{ "gütersloh", "gütersloh", NULL },
	{ "beratung", "beratung", NULL },
	{ "staubecken", "stau+becken", "staubecken" },
	{ "abtrieb", "abtrieb", NULL },
	{ "anlage", "anlage", NULL },
	{ "verein", "verein", NULL },
	{ "ausbildung", "ausbildung", NULL },
	{ "leipzig", "leipzig", NULL },
	{ "bitterfeld", "bitterfeld", NULL },
	{ "merseburg", "merseburg", NULL },
	{ "magdeburg", "magdeburg", NULL },
	/* prefix derivations stay whole, not Bet+rieb, Vers+tand */
	{ "betrieb", "betrieb", NULL },
	{ "verstand", "verstand", NULL },
	{ "bereinigung", "bereinigung", NULL },
	{ "bestätigung", "bestätigung", NULL },
	/* ...but split where their base splits, if prefix + first part
	 * is a word (ent+scheidungs+prozess: entscheidungs+prozess) */
	{ "entscheidungsprozess", "entscheidungs+prozess", NULL },
	{ "ausbildungsstätte", "ausbildungs+stätte", NULL },
	/* combining forms and two-letter nouns as first parts */
	{ "ökostrom", "öko+strom", NULL },
	{ "ölförderung", "öl+förderung", NULL },
	/* a particle starts an unlisted compound, not a particle verb's
	 * derivation */
	{ "nachbetreuung", "nach+betreuung", NULL },
	{ "austauscher", "austauscher", NULL },
	/* unlisted heads derived from a listed verb or noun: agent and
	 * action nouns, diminutives; not prefix verbs' derivations */
	{ "bierzapfer", "bier+zapfer", NULL },
	{ "kartenabreißer", "karten+abreißer", NULL },
	{ "kosmetiktäschchen", "kosmetik+täschchen", NULL },
	{ "verbrennung", "verbrennung", NULL },
	/* more combining forms, but not before a short chance word */
	{ "solarpark", "solar+park", NULL },
	{ "agrotreibstoff", "agro+treibstoff", NULL },
	{ "monopol", "monopol", NULL },
	{ "dezimal", "dezimal", NULL },
	/* listed two-letter nouns start listed compounds too */
	{ "ölwanne", "öl+wanne", NULL },
	{ "eigen", "eigen", NULL },
	/* Öl as a head; Ei is not (Bäckerei) */
	{ "walnussöl", "walnuss+öl", NULL },
	{ "bäckerei", "bäckerei", NULL },
	/* abstract nouns take the linking -s-: not Sicherheit+samt */
	{ "sicherheitsamt", "sicherheits+amt", NULL },
	{ "beobachtungsamt", "beobachtungs+amt", NULL },
	/* bound Latin adjective stems: -al beside -ell, -ar beside -arisch */
	{ "individualverkehr", "individual+verkehr", NULL },
	{ "solidarbeitrag", "solidar+beitrag", NULL },
	/* -ist and -ismus heads formed on a listed word */
	{ "regionalligist", "regional+ligist", NULL },
	{ "zollgardist", "zoll+gardist", NULL },
	/* an unlisted modifier before a listed noun head, as a last resort;
	 * not in derivations, neoclassical words or place names */
	{ "quinoasalat", "quinoa+salat", NULL },
	/* ...also before a noun the list has only as a verb form (spiel,
	 * fest: Spiels, Feste), but never after a piece without a vowel */
	{ "memoryspiel", "memory+spiel", NULL },
	{ "purimfest", "purim+fest", NULL },
	{ "schleifer", "schleifer", NULL },
	{ "beschauer", "beschauer", NULL },
	{ "mikroskopie", "mikroskopie", NULL },
	{ "sandersdorf", "sandersdorf", NULL },
	/* a noun form in -s as modifier scores as stem + linking -s-:
	 * not Tests+trecke, Autos+traße, Radios+endung */
	{ "teststrecke", "test+strecke", NULL },
	{ "autostraße", "auto+straße", NULL },
	{ "radiosendung", "radio+sendung", NULL },
	/* an adjective modifier is its bare stem: not Neuer+öffnung */
	{ "neueröffnung", "neu+eröffnung", NULL },
	{ "privatermittler", "privat+ermittler", NULL },
	{ "wanderarbeiter", "wander+arbeiter", NULL },
	/* a nominalised participle is no stem + Ende */
	{ "vorsitzende", "vorsitzende", NULL },
	{ "suchende", "suchende", NULL },
	{ "lebensende", "lebens+ende", NULL },
	/* the head is refined too */
	{ "landesbildungsmonitoring", "landes+bildungs+monitoring", NULL },
};

static void join(const char *w, const struct fl_split_part *p, size_t n,
		 char *out, size_t cap)
{
	size_t o = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		assert_true(o + p[i].len + 2 < cap);
		if (i)
			out[o++] = '+';
		memcpy(out + o, w + p[i].start, p[i].len);
		o += p[i].len;
	}
	out[o] = '\0';
}

/* Pieces tile the word and each lemma is non-empty. */
static void check_tiling(const char *w, const struct fl_split_part *p,
			 size_t n)
{
	size_t pos = 0;
	size_t i;

	assert_true(n >= 1);
	for (i = 0; i < n; i++) {
		assert_int_equal(p[i].start, pos);
		assert_true(p[i].len > 0);
		assert_true(p[i].lemma[0] != '\0');
		pos += p[i].len;
	}
	assert_int_equal(pos, strlen(w));
}

static void test_must_list(void **state)
{
	struct fl_split_part parts[FL_SPLIT_MAX_PARTS];
	struct fl_lexicon *lex = NULL;
	struct fl_err err = { 0 };
	char got[256];
	size_t i;

	(void)state;
	if (access(FL_LEXICON_DEFAULT_DICT, R_OK) != 0)
		skip(); /* needs the wngerman word list */
	assert_int_equal(fl_lexicon_load(FL_LEXICON_DEFAULT_DICT, &lex, &err),
			 FL_OK);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct split_case *c = &cases[i];
		size_t n = fl_decompound_split(lex, c->word, strlen(c->word),
					       parts, FL_SPLIT_MAX_PARTS);

		check_tiling(c->word, parts, n);
		join(c->word, parts, n, got, sizeof(got));
		if (strcmp(got, c->want) != 0 &&
		    (!c->alt || strcmp(got, c->alt) != 0))
			fail_msg("%s: got %s, want %s", c->word, got, c->want);
	}
	fl_lexicon_unref(lex);
}

static void test_lemmas(void **state)
{
	struct fl_split_part parts[FL_SPLIT_MAX_PARTS];
	struct fl_lexicon *lex = NULL;
	struct fl_err err = { 0 };
	size_t n;

	(void)state;
	if (access(FL_LEXICON_DEFAULT_DICT, R_OK) != 0)
		skip();
	assert_int_equal(fl_lexicon_load(NULL, &lex, &err), FL_OK);
	n = fl_decompound_split(lex, "bildungsmonitoring", 18, parts, 8);
	assert_int_equal(n, 2);
	assert_string_equal(parts[0].lemma, "bildung");
	assert_string_equal(parts[1].lemma, "monitoring");
	n = fl_decompound_split(lex, "sprachkurs", 10, parts, 8);
	assert_int_equal(n, 2);
	assert_string_equal(parts[0].lemma, "sprache"); /* dropped -e */
	/* max_parts is respected */
	n = fl_decompound_split(lex, "güterverkehrskonzept",
				strlen("güterverkehrskonzept"), parts, 2);
	assert_true(n <= 2);
	check_tiling("güterverkehrskonzept", parts, n);
	fl_lexicon_unref(lex);
}

/* With no word list: never a non-word piece, never 0 parts. */
static void test_without_dict(void **state)
{
	static const char *words[] = { "xyzzyplugh", "a", "ab", "kitaausbau",
				       "monitoringmonitoring", "ü" };
	struct fl_split_part parts[FL_SPLIT_MAX_PARTS];
	struct fl_lexicon *lex = NULL;
	struct fl_err err = { 0 };
	char big[FL_SPLIT_MAX_WORD + 10];
	size_t i;

	(void)state;
	assert_int_equal(fl_lexicon_load("/nonexistent", &lex, &err), FL_OK);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = fl_decompound_split(lex, words[i], strlen(words[i]),
					       parts, FL_SPLIT_MAX_PARTS);

		check_tiling(words[i], parts, n);
	}
	assert_int_equal(fl_decompound_split(lex, "xyzzyplugh", 10, parts, 8),
			 1);
	assert_int_equal(fl_decompound_split(lex, "monitoringmonitoring", 20,
					     parts, 8), 2);
	memset(big, 'a', sizeof(big));
	assert_int_equal(fl_decompound_split(lex, big, sizeof(big), parts, 8),
			 1);
	assert_int_equal(fl_decompound_split(lex, "abc", 3, parts, 0), 0);
	fl_lexicon_unref(lex);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_must_list),
		cmocka_unit_test(test_lemmas),
		cmocka_unit_test(test_without_dict),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
