/*
 * fl_decompound.c - German compound splitting (see fl_decompound.h).
 *
 * A dynamic programme over byte positions finds, for every suffix of the
 * word and every part count k, the best way to cut it into k-1 modifiers
 * (a known word, possibly with a linking element or a dropped -e/-n, or a
 * verb stem) followed by a head (a known word). Each part is worth
 * log(length) minus a high penalty per part (fewest parts first); the
 * unsplit word competes, so a known word is split only when its parts are
 * long enough. With corpus frequencies (fl_lexicon_freq_count() > 0) every
 * part and the unsplit word also get a weighted, centred log count: a
 * Koehn & Knight-style comparison of the parts' evidence against the word's
 * own, on top of the length score (pure Koehn & Knight measured worse on
 * the dev set: F1 .903 against .930). Blocklists and protected names come
 * from the lexicon; a piece is never a non-word, except a combining form
 * (bio-, öko-, öl-) or a particle (nach-) as the first part. The word
 * list lacks many nouns in their base form, so a lower-case word with
 * capitalised inflected forms (Stande) counts as a noun head; short
 * lower-case modifiers must inflect (wohn: wohnen); a listed word that is
 * a prefix derivation (be+trieb) stays whole. Every part, the head too, is
 * split once more when its own split is well supported.
 * Regular formations the word list lacks count too: agent, action, -ist
 * and diminutive heads of listed words (Zapfer, Ligist, Täschchen) and
 * bound Latin adjective stems (Individual-). Abstract nouns (-ung, -heit)
 * need their linking -s-. An unlisted word with no split at all is cut
 * before its longest listed noun head as a last resort (Quinoa+salat).
 * Without counts a noun form in -s as modifier is worth its stem plus the
 * linking -s- where the rest could start at that s (Test+strecke, not
 * Tests+trecke); no -s- follows a genitive (Landess+port); inflected
 * adjectives before an er- noun (Neuer+öffnung) and verb stems before a
 * participle's -ende (Vorsitz+ende) are no modifiers; a prefix derivation
 * is split only where its base splits well (Entscheidungs+prozess).
 */
#include "fl_decompound.h"

#include <math.h>
#include <string.h>

#ifdef FL_SPLIT_TUNE_ENV
#include <stdlib.h>
#endif

#include "fl_banned.h"

/* Shortest modifier and head, in characters. */
#define SPLIT_MIN_PART 3
#define SPLIT_MIN_HEAD 3
/* Heads this short must be nouns: short verb forms and adjectives are
 * mostly word endings (Mac+her, Gest+alt). */
#define SPLIT_SHORT_HEAD 3
/* Parts this short pay tune.short_part. */
#define SPLIT_SHORT_PART 3
/* Longest linking element or restored ending we try, in bytes. */
#define SPLIT_LINK_MAX 4
/* Longest prefix or particle prefix_derived() tries, in bytes (durch). */
#define SPLIT_PREFIX_MAX 5
/* Lower-case modifiers this short must be stems that inflect (inflects()). */
#define SPLIT_CHECK_STEM 3
/* Shortest unlisted head accepted as a regular derivation (Feger, in
 * characters): shorter ones are mostly word endings. */
#define SPLIT_DERIVED_HEAD 5
/* Shortest unlisted modifier and its head, unknown_modifier(). */
#define SPLIT_UNKNOWN_MOD 4
/* Shortest bound adjective stem (bound_adjective()), in characters. */
#define SPLIT_BOUND_ADJ 6
/* Fewest characters after a combining form: shorter rests are mostly
 * chance words in a loan word (Mono+pol, Dezi+mal, Hetero+gen). */
#define SPLIT_CONFIX_REST 4
/* ...and the shortest start before it: after 3 letters such a head is
 * mostly a chance match in a prefixed word (Ger+innung, Bet+eiligung). */
#define SPLIT_DERIVED_MOD 4

/* Longest participle ending participle_cut() knows (endes), in bytes. */
#define PARTICIPLE_END_MAX 5

#define NEG_INF (-1e30)
/* rule_value(): the piece is no modifier under any rule */
#define NO_PIECE (-2e30)

/* How a modifier's surface relates to its lemma. */
enum link_kind {
	LINK_NONE,   /* the piece is the word */
	LINK_STRIP,  /* the piece is word + linking element */
	LINK_ADD,    /* the piece is the word minus -e/-n/-en */
	LINK_STRIP_ADD_EN, /* the piece is the word minus -en plus the element
			    * (Weihnachts- from Weihnachten) */
};

struct link_rule {
	const char *s;       /* the element */
	enum link_kind kind; /* strip it from the piece, or add it back */
	uint32_t need;       /* flags the lemma must have (any of them) */
	double cost;         /* penalty in the dictionary-only score */
};

/* Linking elements (Fugen) in the order of their frequency on German
 * compounds, and restorations: schul -> schule, wohn -> wohnen. */
static const struct link_rule link_rules[] = {
	{ "", LINK_NONE, FL_LEX_WORD, 0.0 },
	{ "s", LINK_STRIP, FL_LEX_NOUN, 0.05 },
	{ "n", LINK_STRIP, FL_LEX_NOUN, 0.1 },
	{ "en", LINK_STRIP, FL_LEX_NOUN, 0.15 },
	{ "es", LINK_STRIP, FL_LEX_NOUN, 0.2 },
	{ "er", LINK_STRIP, FL_LEX_NOUN, 0.25 },
	{ "e", LINK_STRIP, FL_LEX_NOUN, 0.25 },
	{ "ens", LINK_STRIP, FL_LEX_NOUN, 0.25 },
	{ "ns", LINK_STRIP, FL_LEX_NOUN, 0.25 },
	{ "e", LINK_ADD, FL_LEX_NOUN, 0.15 },
	{ "s", LINK_STRIP_ADD_EN, FL_LEX_NOUN, 0.3 },
	{ "en", LINK_ADD, FL_LEX_LOWER, 0.15 },
	{ "n", LINK_ADD, FL_LEX_WORD, 0.2 },
};
#define N_LINK_RULES (sizeof(link_rules) / sizeof(link_rules[0]))

/* Tuning of the scores; see split_score(). */
struct split_tune {
	double part_cost;   /* dictionary-only: penalty per part */
	double whole_bonus; /* dictionary-only: bonus of a known unsplit word */
	double head_lower;  /* penalty of a head that is not listed as noun */
	double sub_extra;   /* bonus of the unsplit part when a part is split
			     * again (refine_part) */
	double short_part;  /* penalty of a part of 3 characters */
	double mod_lower;   /* penalty of a modifier not listed as noun */
	double confix_cost; /* penalty of a combining form (bio-) */
	double particle_cost; /* penalty of a particle modifier (nach-) */
	double derived_cost;  /* penalty of an unlisted derived head */
	size_t particle_min;  /* shortest particle modifier, characters */
	double f_weight;    /* freq mode: weight of log(count + 1) */
	double f_centre;    /* freq mode: log count that is worth nothing */
};

static
#ifndef FL_SPLIT_TUNE_ENV
const
#endif
struct split_tune tune_default = {
	.part_cost = 3.0,    /* high: fewest parts first (gold splits are
			      * shallow where parts are not compounds) */
	.whole_bonus = -3.0, /* a known word is split when log a + log b of
			      * its parts beat log of its length */
	.head_lower = 0.3,
	.short_part = 0.3,   /* 3-letter parts are often word pieces */
	.mod_lower = 0.3,    /* a noun modifier is likelier than a verb form */
	.confix_cost = 0.5,
	.particle_cost = 0.5,
	.particle_min = 3,
	.derived_cost = 0.3,
	.sub_extra = 1.0,    /* splitting a modifier again needs more support
			      * (dev F1 -.001, but Informations+freiheits) */
	.f_weight = 0.1,
	.f_centre = 4.0,     /* about 55 occurrences: neutral */
};

/* One modifier choice: the best lemma for the piece w[i:j]. */
struct mod_choice {
	double value;     /* NEG_INF when the piece is no modifier */
	signed char rule; /* index into link_rules */
};

struct split_ctx {
	const struct fl_lexicon *lex;
	const char *w;          /* the word */
	size_t n;               /* its length in bytes */
	int freq_mode;          /* 1: corpus counts are used */
	int whole_known;        /* the word itself is listed */
	const struct split_tune *t;
	size_t kmax;            /* most parts considered */
	int deriv_end;          /* the word ends in a suffix derived_head()
				 * knows */
	unsigned deriv_suf;     /* deriv_rules whose suffix ends the word */
	unsigned deriv_whole;   /* ...and that derive the whole word from a
				 * listed verb */
	double best[FL_SPLIT_MAX_WORD + 1][FL_SPLIT_MAX_PARTS + 1];
	unsigned char next[FL_SPLIT_MAX_WORD + 1][FL_SPLIT_MAX_PARTS + 1];
	signed char rule[FL_SPLIT_MAX_WORD + 1][FL_SPLIT_MAX_WORD + 1];
	unsigned char reach[FL_SPLIT_MAX_WORD + 1]; /* 1 when the suffix at
						     * this byte has a parse
						     * of fewer than kmax
						     * parts (set by dp_at) */
};

static int is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

static size_t count_chars(const char *p, size_t n)
{
	size_t c = 0;
	size_t i;

	for (i = 0; i < n; i++)
		c += !is_cont((unsigned char)p[i]);
	return c;
}

/* The corpus evidence for a word: weighted log count, centred. */
static double freq_term(const struct split_ctx *c, const char *w, size_t n)
{
	double f = (double)fl_lexicon_freq(c->lex, w, n);

	return c->t->f_weight * (log(f + 1.0) - c->t->f_centre);
}

/* The value of a known part in the sum the DP maximises. */
static double part_value(const struct split_ctx *c, const char *lemma,
			 size_t len, size_t chars)
{
	double v = log((double)chars);

	if (c->freq_mode)
		v += freq_term(c, lemma, len);
	return v;
}

/* Build the lemma of piece w[i:j] under rule r into buf; 0 if impossible. */
static size_t make_lemma(const struct split_ctx *c, size_t i, size_t j,
			 const struct link_rule *r, char *buf)
{
	size_t pl = j - i;
	size_t ll = strlen(r->s);

	if (pl + ll >= FL_SPLIT_LEMMA_MAX)
		return 0;
	if (r->kind == LINK_STRIP) {
		if (ll >= pl || memcmp(c->w + j - ll, r->s, ll) != 0)
			return 0;
		memcpy(buf, c->w + i, pl - ll);
		return pl - ll;
	}
	if (r->kind == LINK_STRIP_ADD_EN) {
		if (ll >= pl || memcmp(c->w + j - ll, r->s, ll) != 0)
			return 0;
		memcpy(buf, c->w + i, pl - ll);
		memcpy(buf + pl - ll, "en", 2);
		return pl - ll + 2;
	}
	memcpy(buf, c->w + i, pl);
	memcpy(buf + pl, r->s, ll);
	return pl + ll;
}

/*
 * Is lemma (flags f) acceptable as a part: a modifier (head 0) or the head;
 * initial when it starts the word. Suffix homographs (-schaft, -heit) are
 * never a non-initial part; particles never a modifier.
 */
static int part_ok(uint32_t f, uint32_t need, int head, int initial)
{
	if (!(f & need) || (f & FL_LEX_NO_PART))
		return 0;
	if (!initial && (f & FL_LEX_NO_HEAD))
		return 0;
	if (!head && (f & FL_LEX_NO_FIRST))
		return 0;
	return 1;
}

/*
 * A modifier listed only in lower case must be a stem that inflects: a verb
 * stem (wohn: wohnen), an adjective (groß: große) or an infinitive, with
 * lower-case forms; word forms that do not (bes: Besen, betr, kann, für)
 * are mostly the start of a simplex word.
 */
static int inflects(const struct split_ctx *c, const char *lemma, size_t ll)
{
	static const char *const ends[] = { "en", "n", "e" };
	char buf[FL_SPLIT_LEMMA_MAX + 2];
	size_t e;

	if (count_chars(lemma, ll) > SPLIT_CHECK_STEM)
		return 1;
	if (ll + 3 > sizeof(buf))
		return 0;
	memcpy(buf, lemma, ll);
	for (e = 0; e < sizeof(ends) / sizeof(ends[0]); e++) {
		size_t el = strlen(ends[e]);

		memcpy(buf + ll, ends[e], el);
		if (fl_lexicon_flags(c->lex, buf, ll + el) & FL_LEX_LOWER)
			return 1;
	}
	return ll > 2 && lemma[ll - 1] == 'n' && lemma[ll - 2] == 'e';
}

/*
 * Does a word listed only in lower case have capitalised inflected forms
 * (weg: Wege, maß: Maße)? The word list often has a noun only in its
 * plural or genitive; such a word may be a short head.
 */
static int has_noun_forms(const struct split_ctx *c, const char *w, size_t n)
{
	static const char *const ends[] = { "e", "es", "en", "er", "s" };
	char buf[FL_SPLIT_LEMMA_MAX + 3];
	size_t e;

	if (n + 3 > sizeof(buf))
		return 0;
	memcpy(buf, w, n);
	for (e = 0; e < sizeof(ends) / sizeof(ends[0]); e++) {
		size_t el = strlen(ends[e]);

		memcpy(buf + n, ends[e], el);
		if (fl_lexicon_flags(c->lex, buf, n + el) & FL_LEX_NOUN)
			return 1;
	}
	return 0;
}

/*
 * Is the word a noun derived from a particle verb (Austauscher from
 * austauschen, Beimischung from beimischen)? Then its particle is no
 * compound modifier.
 */
static int from_particle_verb(const struct split_ctx *c)
{
	static const char *const sufs[] = { "ungen", "ung", "ern", "ers",
					    "er", "erin" };
	char buf[FL_SPLIT_MAX_WORD + 3];
	size_t s;

	for (s = 0; s < sizeof(sufs) / sizeof(sufs[0]); s++) {
		size_t sl = strlen(sufs[s]);
		size_t stem = c->n - sl;

		if (sl >= c->n || memcmp(c->w + stem, sufs[s], sl) != 0)
			continue;
		memcpy(buf, c->w, stem);
		memcpy(buf + stem, "en", 2);
		if (fl_lexicon_flags(c->lex, buf, stem + 2) & FL_LEX_WORD)
			return 1;
		/* verbs in -ern, -eln: Umwanderung from umwandern */
		if (stem > 2 && buf[stem - 2] == 'e' &&
		    (buf[stem - 1] == 'r' || buf[stem - 1] == 'l') &&
		    (fl_lexicon_flags(c->lex, buf, stem + 1) & FL_LEX_WORD))
			return 1;
	}
	return 0;
}

/* Agent and action nouns of verbs: the suffix replaces the infinitive
 * ending (Bestatter: bestatten, Wanderung: wandern). */
static const struct {
	const char *suf;  /* the derivational suffix */
	const char *verb; /* the infinitive ending it replaces */
} deriv_rules[] = {
	{ "er", "en" }, { "erin", "en" }, { "ung", "en" }, { "ung", "n" },
};
#define N_DERIV_RULES (sizeof(deriv_rules) / sizeof(deriv_rules[0]))

/* Does w (n bytes) with its last sl bytes replaced by the ending e have
 * all of the flags want? */
static int swap_has(const struct split_ctx *c, const char *w, size_t n,
		    size_t sl, const char *e, uint32_t want)
{
	char buf[FL_SPLIT_MAX_WORD + 8];
	size_t el = strlen(e);

	if (sl >= n || n - sl + el > sizeof(buf))
		return 0;
	memcpy(buf, w, n - sl);
	memcpy(buf + n - sl, e, el);
	return (fl_lexicon_flags(c->lex, buf, n - sl + el) & want) == want;
}

/* Undo the umlaut of the last ä/ö/ü in buf (n bytes): Mäpp -> Mapp. */
static void unumlaut_last(char *buf, size_t n)
{
	size_t i;

	for (i = n; i-- > 1;) {
		if ((unsigned char)buf[i - 1] != 0xc3)
			continue;
		if ((unsigned char)buf[i] == 0xa4 ||
		    (unsigned char)buf[i] == 0xb6 ||
		    (unsigned char)buf[i] == 0xbc) {
			buf[i - 1] = buf[i] == (char)0xa4 ? 'a' :
				     buf[i] == (char)0xb6 ? 'o' : 'u';
			memmove(buf + i, buf + i + 1, n - i - 1);
			return;
		}
	}
}

/*
 * Is the diminutive w (Täschchen, Bällchen, Kehlchen) formed on a listed
 * noun: the stem, umlaut undone, alone or with -e?
 */
static int diminutive_of_noun(const struct split_ctx *c, const char *w,
			      size_t n)
{
	static const char *const sufs[] = { "chen", "lein" };
	char buf[FL_SPLIT_MAX_WORD + 2];
	size_t s;

	for (s = 0; s < sizeof(sufs) / sizeof(sufs[0]); s++) {
		size_t sl = strlen(sufs[s]);
		size_t m;

		if (n < sl + SPLIT_MIN_HEAD || n - sl + 1 > sizeof(buf) ||
		    memcmp(w + n - sl, sufs[s], sl) != 0)
			continue;
		memcpy(buf, w, n - sl);
		m = n - sl;
		if (memchr(buf, 0xc3, m)) {
			unumlaut_last(buf, m);
			m--;
		}
		if (fl_lexicon_flags(c->lex, buf, m) & FL_LEX_NOUN)
			return 1;
		buf[m] = 'e';
		if (fl_lexicon_flags(c->lex, buf, m + 1) & FL_LEX_NOUN)
			return 1;
	}
	return 0;
}

/*
 * Is w a person noun in -ist or an -ismus noun formed on a listed word
 * (Gardist from Garde, Ligist from Liga, Radikalismus from radikal)?
 */
static int person_of_noun(const struct split_ctx *c, const char *w,
			  size_t n)
{
	static const struct {
		const char *suf;  /* the suffix */
		const char *base; /* the ending of the base it replaces */
	} rules[] = {
		{ "ist", "e" }, { "ist", "a" }, { "ist", "" },
		{ "ismus", "" },
	};
	size_t r;

	for (r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
		size_t sl = strlen(rules[r].suf);

		if (n > sl + 2 && memcmp(w + n - sl, rules[r].suf, sl) == 0 &&
		    swap_has(c, w, n, sl, rules[r].base, FL_LEX_DICT))
			return 1;
	}
	return 0;
}

/*
 * Is the unlisted head w a regular derivation the word list lacks: an
 * agent noun or an action noun of a listed verb (Bestatter from bestatten,
 * Möblierung from möblieren, Wanderung from wandern) or a diminutive of a
 * listed noun? Such heads are productive; the list has only the common
 * ones. w is a suffix of the word c->w.
 */
static int derived_head(const struct split_ctx *c, const char *w, size_t n)
{
	size_t r;

	if (!c->deriv_end || count_chars(w, n) < SPLIT_DERIVED_HEAD)
		return 0;
	for (r = 0; r < N_DERIV_RULES; r++) {
		size_t sl = strlen(deriv_rules[r].suf);

		if (!(c->deriv_suf & (1u << r)) || n <= sl ||
		    !swap_has(c, w, n, sl, deriv_rules[r].verb, FL_LEX_LOWER))
			continue;
		/* the whole word is derived from a prefixed verb
		 * (Verbrennung from verbrennen): not verb+rennung */
		return !(c->deriv_whole & (1u << r));
	}
	return diminutive_of_noun(c, w, n) || person_of_noun(c, w, n);
}

/*
 * Set what derived_head() needs to know about the whole word once, not per
 * head: all heads end as the word does.
 */
static void deriv_init(struct split_ctx *c)
{
	static const char *const ends[] = { "er", "erin", "ung", "chen",
					    "lein", "ist", "ismus" };
	size_t r;

	c->deriv_suf = 0;
	c->deriv_whole = 0;
	c->deriv_end = 0;
	/* -ender is a nominalised participle (Reisender), not en+der */
	if (c->n >= 5 && memcmp(c->w + c->n - 5, "ender", 5) == 0)
		return;
	for (r = 0; r < sizeof(ends) / sizeof(ends[0]); r++) {
		size_t el = strlen(ends[r]);

		if (c->n > el && memcmp(c->w + c->n - el, ends[r], el) == 0)
			c->deriv_end = 1;
	}
	for (r = 0; r < N_DERIV_RULES; r++) {
		size_t sl = strlen(deriv_rules[r].suf);

		if (c->n <= sl ||
		    memcmp(c->w + c->n - sl, deriv_rules[r].suf, sl) != 0)
			continue;
		c->deriv_suf |= 1u << r;
		if (swap_has(c, c->w, c->n, sl, deriv_rules[r].verb,
			     FL_LEX_LOWER))
			c->deriv_whole |= 1u << r;
	}
}

/*
 * Does a modifier with this lemma always take a linking element? Abstract
 * nouns in -heit, -keit, -schaft, -tät, -tion and -ung (of a verb) take -s-
 * (Verfassungs+treue, never Verfassung+streue; Universitäts-, Aktions-),
 * so such a lemma bare before the next part is a chance cut. Only -ung of
 * a listed verb is the suffix (not Sprung, Schwung); -ction is English.
 */
static int needs_link_s(const struct split_ctx *c, const char *lemma,
			size_t ll)
{
	static const char *const sufs[] = { "heit", "keit", "schaft",
					    "t\xc3\xa4t", "tion" };
	size_t s;

	if (ll < 2 || (lemma[ll - 1] != 't' && lemma[ll - 1] != 'n' &&
		       lemma[ll - 1] != 'g'))
		return 0; /* fast path: no suffix of the list ends so */
	for (s = 0; s < sizeof(sufs) / sizeof(sufs[0]); s++) {
		size_t sl = strlen(sufs[s]);

		if (ll > sl + 1 && memcmp(lemma + ll - sl, sufs[s], sl) == 0)
			return !(sufs[s][0] == 't' && lemma[ll - sl - 1] == 'c');
	}
	return ll > 5 && memcmp(lemma + ll - 3, "ung", 3) == 0 &&
	       (swap_has(c, lemma, ll, 3, "en", FL_LEX_LOWER) ||
		swap_has(c, lemma, ll, 3, "n", FL_LEX_LOWER));
}

/*
 * Is the unlisted piece w the bound Latin stem of a listed adjective, a
 * combining form of its own: -al beside -ell (Kriminal-/kriminell,
 * Individual-/individuell), -ar beside -arisch (Disziplinar-,
 * Solidar-)?
 */
static int bound_adjective(const struct split_ctx *c, const char *w,
			   size_t n)
{
	if (n < 2 || w[n - 2] != 'a' || (w[n - 1] != 'l' && w[n - 1] != 'r') ||
	    count_chars(w, n) < SPLIT_BOUND_ADJ)
		return 0;
	if (memcmp(w + n - 2, "al", 2) == 0)
		return swap_has(c, w, n, 2, "ell", FL_LEX_LOWER);
	if (memcmp(w + n - 2, "ar", 2) == 0)
		return swap_has(c, w, n, 0, "isch", FL_LEX_LOWER);
	return 0;
}

static double head_value(const struct split_ctx *c, size_t i);

/*
 * Can rule lr apply to w[i:j] at all: does the piece end in the linking
 * element it strips? A cheap test before rule_value() builds the lemma.
 */
static inline int ends_with_link(const struct split_ctx *c, size_t i,
				 size_t j, const struct link_rule *lr)
{
	size_t ll;
	size_t q;

	if (lr->kind != LINK_STRIP && lr->kind != LINK_STRIP_ADD_EN)
		return 1;
	for (ll = 0; lr->s[ll]; ll++) /* 1 to 3 letters: no strlen call */
		;
	if (ll >= j - i)
		return 0;
	for (q = 0; q < ll; q++)
		if (c->w[j - ll + q] != lr->s[q])
			return 0;
	return 1;
}

/*
 * Is lemma the genitive in -s or -es of a listed noun (landes, alters,
 * orts)? Then no linking -s- follows it: Landess+port, Alterss+panne are
 * chance cuts.
 */
static int genitive_form(const struct split_ctx *c, const char *lemma,
			 size_t ll)
{
	size_t e; /* bytes of the ending: 1 for -s, 2 for -es */

	if (ll < 2 || lemma[ll - 1] != 's')
		return 0;
	for (e = 1; e <= 2; e++)
		if (ll - e >= SPLIT_MIN_PART &&
		    (e == 1 || lemma[ll - 2] == 'e') &&
		    ((fl_lexicon_flags(c->lex, lemma, ll - e) & FL_LEX_NOUN) ||
		     has_noun_forms(c, lemma, ll - e)))
			return 1;
	return 0;
}

/*
 * Value of w[i:j] as a modifier under link rule r, NEG_INF when the rule
 * does not fit, NO_PIECE when the piece is no modifier at all; *flags gets
 * the lemma's flags.
 */
static double rule_value(const struct split_ctx *c, size_t i, size_t j,
			 size_t r, uint32_t *flags)
{
	const struct link_rule *lr = &link_rules[r];
	char lemma[FL_SPLIT_LEMMA_MAX];
	size_t ll = make_lemma(c, i, j, lr, lemma);
	size_t chars = ll ? count_chars(lemma, ll) : 0;
	uint32_t f;
	double v;

	if (chars < SPLIT_MIN_PART)
		return NEG_INF;
	f = fl_lexicon_flags(c->lex, lemma, ll);
	*flags = f;
	if (!part_ok(f, lr->need, 0, i == 0))
		return NEG_INF;
	if (lr->kind == LINK_NONE && needs_link_s(c, lemma, ll))
		return NEG_INF;
	if (lr->kind == LINK_STRIP && lr->s[0] == 's' && lr->s[1] == '\0' &&
	    genitive_form(c, lemma, ll))
		return NO_PIECE;
	if (!(f & (FL_LEX_NOUN | FL_LEX_DOMAIN)) && !inflects(c, lemma, ll))
		return NEG_INF;
	v = part_value(c, lemma, ll, chars) - lr->cost;
	if (chars <= SPLIT_SHORT_PART)
		v -= c->t->short_part;
	if (!(f & FL_LEX_NOUN))
		v -= c->t->mod_lower;
	return v;
}

/*
 * A listed noun form as modifier (Tests, Autos) is worth no more than its
 * stem with the linking element (Test+s) where the rest could also start
 * at its -s: inflected forms are in the word list, and scoring them by
 * their full length would favour the cut after the ending (Tests+trecke
 * over Test+strecke). Needs best[j - 1] (the DP runs right to left).
 */
static double inflected_value(const struct split_ctx *c, size_t i,
			      size_t j, double v)
{
	size_t r;
	size_t k;
	int rest = 0;

	/* only where the -s- could start the rest instead (s+trecke) */
	for (k = 1; k < c->kmax && c->w[j - 1] == 's'; k++)
		rest |= c->best[j - 1][k] > NEG_INF;
	if (!rest)
		return v;
	for (r = 1; r < N_LINK_RULES; r++) {
		uint32_t f = 0;
		double s;

		if (link_rules[r].kind != LINK_STRIP ||
		    link_rules[r].s[strlen(link_rules[r].s) - 1] != 's' ||
		    !ends_with_link(c, i, j, &link_rules[r]))
			continue;
		s = rule_value(c, i, j, r, &f);
		/* a stem of 3 letters pays the short-part penalty: its
		 * form is then worth less than any other cut (New+sticker) */
		if (s > NEG_INF && (f & FL_LEX_NOUN) &&
		    count_chars(c->w + i, j - i) - strlen(link_rules[r].s) >
		    SPLIT_SHORT_PART)
			return s < v ? s : v;
	}
	return v;
}

/*
 * Is w[i:j] a verb stem before a participle ending that ends the word
 * (Vorsitz+ende, Reis+ende: vorsitzen, reisen)? A nominalised participle
 * (Vorsitzende, Geschäftsreisende) is one word, not stem + Ende.
 */
static int participle_cut(const struct split_ctx *c, size_t i, size_t j)
{
	static const char end[] = "ende";
	char buf[FL_SPLIT_MAX_WORD + 2];
	size_t rest = c->n - j;

	if (rest < sizeof(end) - 1 || rest > sizeof(end) ||
	    memcmp(c->w + j, end, sizeof(end) - 1) != 0 ||
	    (rest == sizeof(end) && !strchr("mnrs", c->w[c->n - 1])))
		return 0;
	memcpy(buf, c->w + i, j - i);
	memcpy(buf + j - i, "en", 2);
	return (fl_lexicon_flags(c->lex, buf, j - i + 2) & FL_LEX_LOWER) != 0;
}

/*
 * Is the lower-case piece w[i:j] an inflected adjective (neuer, geheimer:
 * neu, geheim) whose -er starts a noun head (Eröffnung, Ermittler)? An
 * adjective modifier is its bare stem (Neu+eröffnung, Geheim+ermittler),
 * never Neuer+öffnung. The stem must have the adjective ending -es and
 * the piece no noun forms (Wunder: Wunders); comparatives before a verb
 * stay (weiter+reicht, not weit+erreicht). Needs best[j - 2] (the DP
 * runs right to left).
 */
static int inflected_adjective(const struct split_ctx *c, size_t i,
			       size_t j)
{
	char buf[FL_SPLIT_MAX_WORD + 2];
	size_t sl = j - i - 2;
	uint32_t f;

	if (j - i < 2 + SPLIT_MIN_PART || c->w[j - 2] != 'e' ||
	    c->w[j - 1] != 'r' || c->best[j - 2][1] <= NEG_INF ||
	    !(fl_lexicon_flags(c->lex, c->w + j - 2, c->n - j + 2) &
	      FL_LEX_NOUN))
		return 0;
	f = fl_lexicon_flags(c->lex, c->w + i, sl);
	if (!(f & FL_LEX_LOWER) || (f & FL_LEX_NOUN))
		return 0;
	/* an adjective has the strong ending -es (neues, geheimes) */
	memcpy(buf, c->w + i, sl);
	memcpy(buf + sl, "es", 2);
	return (fl_lexicon_flags(c->lex, buf, sl + 2) & FL_LEX_LOWER) &&
	       !has_noun_forms(c, c->w + i, j - i);
}

/* Best lemma for w[i:j] as a modifier. */
static struct mod_choice mod_value(const struct split_ctx *c, size_t i,
				   size_t j)
{
	struct mod_choice best = { NEG_INF, -1 };
	uint32_t fs;
	int scored = 0;
	size_t r;

	if (c->n - j <= PARTICIPLE_END_MAX && participle_cut(c, i, j))
		return best;
	fs = fl_lexicon_flags(c->lex, c->w + i, j - i);
	if (fs & FL_LEX_NO_PART)
		return best;
	if (fs & FL_LEX_NO_FIRST) {
		/* a particle starts an unknown word (Nach+betreuung); a
		 * listed word stays whole (Anlage, Ausbildung) */
		if (i == 0 && !c->whole_known && (fs & FL_LEX_WORD) &&
		    !from_particle_verb(c) && head_value(c, j) > NEG_INF &&
		    count_chars(c->w, j) >= c->t->particle_min) {
			best.value = log((double)count_chars(c->w, j)) -
				     c->t->particle_cost;
			best.rule = 0;
		}
		return best;
	}
	if (((fs & FL_LEX_CONFIX) || (!(fs & FL_LEX_WORD) &&
				      bound_adjective(c, c->w + i, j - i))) &&
	    count_chars(c->w + j, c->n - j) >= SPLIT_CONFIX_REST) {
		best.value = log((double)count_chars(c->w + i, j - i));
		/* a listed noun (Öl, Ei) is no bound form: no penalty */
		if (!(fs & FL_LEX_NOUN))
			best.value -= c->t->confix_cost;
		best.rule = 0;
	}
	if (count_chars(c->w + i, j - i) < SPLIT_MIN_PART ||
	    (!(fs & FL_LEX_NOUN) && inflected_adjective(c, i, j)))
		return best;

	for (r = 0; r < N_LINK_RULES; r++) {
		uint32_t f;
		double v;

		if (!ends_with_link(c, i, j, &link_rules[r]))
			continue;
		v = rule_value(c, i, j, r, &f);
		if (v <= NO_PIECE)
			return best; /* a later rule must not score it */
		if (v <= NEG_INF)
			continue;
		if (!scored && v > best.value)
			best.value = v; /* the first rule that fits scores */
		if (!scored || (f & FL_LEX_NOUN))
			best.rule = (signed char)r;
		if (!scored && r == 0 && (f & FL_LEX_NOUN) && !c->freq_mode)
			best.value = inflected_value(c, i, j, best.value);
		scored = 1;
		if (f & FL_LEX_NOUN)
			break; /* ...but a noun lemma is preferred:
				* sprach -> sprache, not the verb form */
	}
	return best;
}

/*
 * Is w[i:n] one of the two-letter nouns that are frequent heads (Raps+öl)?
 * Only Öl: Ei and Au are also suffixes (Bäcker+ei, Pass+au).
 */
static int short_head(const struct split_ctx *c, size_t i)
{
	static const char oel[] = "\xc3\xb6l"; /* öl */

	return c->n - i == sizeof(oel) - 1 &&
	       memcmp(c->w + i, oel, sizeof(oel) - 1) == 0 &&
	       count_chars(c->w, i) >= SPLIT_MIN_PART;
}

/* Value of w[i:n] as the head of a compound, NEG_INF when it is none. */
static double head_value(const struct split_ctx *c, size_t i)
{
	size_t len = c->n - i;
	size_t chars = count_chars(c->w + i, len);
	uint32_t f;
	int noun;
	double v;

	if (chars < SPLIT_MIN_HEAD)
		return short_head(c, i) ? log((double)SPLIT_MIN_HEAD) -
					  c->t->short_part : NEG_INF;
	f = fl_lexicon_flags(c->lex, c->w + i, len);
	if (c->deriv_end && !(f & (FL_LEX_WORD | FL_LEX_NO_PART |
				   FL_LEX_NO_HEAD)) &&
	    count_chars(c->w, i) >= SPLIT_DERIVED_MOD &&
	    derived_head(c, c->w + i, len))
		return part_value(c, c->w + i, len, chars) -
		       c->t->derived_cost;
	if (!part_ok(f, FL_LEX_WORD, 1, 0))
		return NEG_INF;
	noun = (f & FL_LEX_NOUN) || has_noun_forms(c, c->w + i, len);
	if (chars <= SPLIT_SHORT_HEAD && !noun)
		return NEG_INF;
	v = part_value(c, c->w + i, len, chars);
	if (!noun)
		v -= c->t->head_lower;
	if (chars <= SPLIT_SHORT_PART)
		v -= c->t->short_part;
	return v;
}

static void dp_init(struct split_ctx *c)
{
	size_t i;
	size_t k;

	for (i = 0; i <= c->n; i++)
		for (k = 0; k <= FL_SPLIT_MAX_PARTS; k++)
			c->best[i][k] = NEG_INF;
}

/* Fill best[i][k] for the suffix starting at byte i. */
static void dp_at(struct split_ctx *c, size_t i)
{
	size_t j;
	size_t k;

	if (i > 0)
		c->best[i][1] = head_value(c, i);
	for (j = i + 1; j < c->n; j++) {
		struct mod_choice m;

		if (is_cont((unsigned char)c->w[j]) || !c->reach[j])
			continue;
		m = mod_value(c, i, j);
		c->rule[i][j] = m.rule;
		if (m.value <= NEG_INF)
			continue;
		for (k = 1; k < c->kmax; k++) {
			double s = m.value + c->best[j][k];

			if (c->best[j][k] > NEG_INF && s > c->best[i][k + 1]) {
				c->best[i][k + 1] = s;
				c->next[i][k + 1] = (unsigned char)j;
			}
		}
	}
	c->reach[i] = 0;
	for (k = 1; k < c->kmax; k++)
		c->reach[i] |= c->best[i][k] > NEG_INF;
}

/* Final score of a segmentation into k parts with value sum s. */
static double split_score(const struct split_ctx *c, double s, size_t k)
{
	(void)c;
	return s - c->t->part_cost * (double)k;
}

/* The unsplit word's score. */
static double whole_score(const struct split_ctx *c)
{
	uint32_t f = fl_lexicon_flags(c->lex, c->w, c->n);
	size_t chars = count_chars(c->w, c->n);

	double v = log((double)chars) - c->t->part_cost + c->t->whole_bonus;

	if (!(f & FL_LEX_WORD))
		return NEG_INF / 2; /* unknown: any split beats it */
	if (c->freq_mode)
		v += freq_term(c, c->w, c->n);
	return v;
}

static void set_part(struct fl_split_part *p, const char *w, size_t start,
		     size_t len, const char *lemma, size_t ll)
{
	if (ll >= FL_SPLIT_LEMMA_MAX)
		ll = FL_SPLIT_LEMMA_MAX - 1;
	p->start = start;
	p->len = len;
	memcpy(p->lemma, lemma ? lemma : w + start, ll);
	p->lemma[ll] = '\0';
}

/* Write the k parts of the best segmentation starting at byte 0. */
static size_t emit(const struct split_ctx *c, size_t k,
		   struct fl_split_part *parts)
{
	char lemma[FL_SPLIT_LEMMA_MAX];
	size_t i = 0;
	size_t np = 0;

	while (k > 1) {
		size_t j = c->next[i][k];
		const struct link_rule *lr = &link_rules[c->rule[i][j]];
		size_t ll = make_lemma(c, i, j, lr, lemma);

		set_part(&parts[np++], c->w, i, j - i, lemma, ll);
		i = j;
		k--;
	}
	set_part(&parts[np++], c->w, i, c->n - i, NULL, c->n - i);
	return np;
}

static size_t unsplit(const char *word, size_t len, struct fl_split_part *p)
{
	set_part(p, word, 0, len, NULL, len);
	return 1;
}

/*
 * Is the listed word a prefix or particle derivation of a listed word
 * (be+trieb, ver+stand, be+reinigung)? Its other splits are chance
 * matches (Bet+rieb, Vers+tand, Ber+einigung): it stays whole. Returns
 * the length of the prefix, 0 when the word is no such derivation.
 */
static size_t prefix_derived(const struct fl_lexicon *lex, const char *w,
			     size_t n)
{
	size_t i;

	if (!(fl_lexicon_flags(lex, w, n) & FL_LEX_WORD))
		return 0;
	for (i = 2; i <= SPLIT_PREFIX_MAX && i + SPLIT_MIN_HEAD < n; i++)
		if ((fl_lexicon_flags(lex, w, i) & FL_LEX_NO_FIRST) &&
		    (fl_lexicon_flags(lex, w + i, n - i) & FL_LEX_WORD))
			return i;
	return 0;
}

/*
 * Does the word start with a prefix, particle or combining form (be-,
 * auf-, mikro-)? Then an unlisted word is mostly a derivation (Beschauer,
 * Umrundung) or a neoclassical word (Mikroskopie), not a compound with an
 * unlisted modifier.
 */
static int starts_bound(const struct split_ctx *c)
{
	size_t p;

	for (p = 2; p <= SPLIT_PREFIX_MAX + 1 && p < c->n; p++)
		if (fl_lexicon_flags(c->lex, c->w, p) &
		    (FL_LEX_NO_FIRST | FL_LEX_CONFIX))
			return 1;
	return 0;
}

/*
 * Does the word list have the genitive of w capitalised (Spiels, Festes)?
 * Then w, listed in lower case only, is also a noun. Stricter than
 * has_noun_forms(): a verb stem has capitalised forms in -e or -en too
 * (scher: Schere, enden: Enden).
 */
static int has_genitive(const struct split_ctx *c, const char *w, size_t n)
{
	char buf[FL_SPLIT_MAX_WORD + 3];

	if (n + 2 > sizeof(buf))
		return 0;
	memcpy(buf, w, n);
	memcpy(buf + n, "es", 2);
	if (fl_lexicon_flags(c->lex, buf, n + 2) & FL_LEX_NOUN)
		return 1;
	buf[n] = 's';
	return (fl_lexicon_flags(c->lex, buf, n + 1) & FL_LEX_NOUN) != 0;
}

/*
 * Is w a head of settlement names (-dorf, -burg, -felde)? An unlisted
 * word ending so is mostly a place name (Sandersdorf, Oebisfelde), which
 * the protected list cannot all hold.
 */
static int place_head(const char *w, size_t n)
{
	static const char *const heads[] = {
		"dorf", "burg", "berg", "heim", "feld", "felde", "furt",
		"hafen", "stadt", "stedt", "leben", "hausen", "bach", "born",
		"lohn", "hagen", "rode", "walde", "brück", "brücken", "hain",
		"büttel", "ingen", "see",
	};
	size_t h;

	for (h = 0; h < sizeof(heads) / sizeof(heads[0]); h++)
		if (strlen(heads[h]) == n && memcmp(w, heads[h], n) == 0)
			return 1;
	return 0;
}

/* Does w (n bytes) have a vowel? A word piece without one (Schl+eifer)
 * is no modifier. Non-ASCII letters (ä, ö, ü, é) count as vowels. */
static int has_vowel(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strchr("aeiouy", w[i]) || (unsigned char)w[i] >= 0x80)
			return 1;
	return 0;
}

/*
 * Last resort for an unlisted word the DP cannot split: an unlisted
 * modifier of SPLIT_UNKNOWN_MOD+ letters before the longest listed noun
 * head of as many letters (Provenienz+forschung, Klabauter+mann). Loan
 * words and rare stems are the commonest modifiers the list lacks; the
 * head carries the meaning a search needs. Not in refinement.
 */
static size_t unknown_modifier(const struct split_ctx *c,
			       struct fl_split_part *parts)
{
	size_t j;

	if (starts_bound(c))
		return unsplit(c->w, c->n, parts);
	for (j = 1; j < c->n; j++) {
		uint32_t f;
		size_t hc;

		if (is_cont((unsigned char)c->w[j]) ||
		    count_chars(c->w, j) < SPLIT_UNKNOWN_MOD ||
		    !has_vowel(c->w, j))
			continue;
		hc = count_chars(c->w + j, c->n - j);
		if (hc < SPLIT_UNKNOWN_MOD)
			break;
		/* after a vowel a short head is mostly a Greek or Latin
		 * ending (Tomo+graf, Sklerose: Skle+rose) */
		if (hc == SPLIT_UNKNOWN_MOD && memchr("aiouy", c->w[j - 1], 5))
			continue;
		if (place_head(c->w + j, c->n - j))
			break;
		f = fl_lexicon_flags(c->lex, c->w + j, c->n - j);
		if ((f & FL_LEX_WORD) &&
		    !(f & (FL_LEX_NO_HEAD | FL_LEX_NO_PART)) &&
		    ((f & FL_LEX_NOUN) ||
		     has_genitive(c, c->w + j, c->n - j)) &&
		    !participle_cut(c, 0, j)) {
			set_part(&parts[0], c->w, 0, j, NULL, j);
			set_part(&parts[1], c->w, j, c->n - j, NULL, c->n - j);
			return 2;
		}
	}
	return unsplit(c->w, c->n, parts);
}

static size_t split_flat(const struct fl_lexicon *lex, const char *word,
			 size_t len, struct fl_split_part *parts,
			 size_t max_parts, double whole_extra);

/*
 * Split a prefix derivation (Ent+scheidungsprozess, pre bytes of prefix)
 * only where its base splits (scheidungs+prozess) and the prefix with the
 * base's first part is a listed word (entscheidung): Entscheidungs+prozess.
 * Any other cut is a chance match (Bet+rieb), so the word then stays whole.
 */
static size_t split_prefixed(const struct fl_lexicon *lex, const char *word,
			     size_t len, size_t pre,
			     struct fl_split_part *parts, size_t max_parts,
			     double whole_extra)
{
	char lemma[FL_SPLIT_LEMMA_MAX];
	size_t m = split_flat(lex, word + pre, len - pre, parts, max_parts,
			      whole_extra > tune_default.sub_extra ?
			      whole_extra : tune_default.sub_extra);
	size_t ll = strlen(parts[0].lemma);
	size_t q;

	if (m < 2 || pre + ll >= sizeof(lemma))
		return unsplit(word, len, parts);
	memcpy(lemma, word, pre);
	memcpy(lemma + pre, parts[0].lemma, ll);
	if (!(fl_lexicon_flags(lex, lemma, pre + ll) & FL_LEX_WORD))
		return unsplit(word, len, parts);
	for (q = 1; q < m; q++)
		parts[q].start += pre;
	set_part(&parts[0], word, 0, parts[0].len + pre, lemma, pre + ll);
	return m;
}

/* Best segmentation of word by the DP alone (no refinement). */
static size_t split_flat(const struct fl_lexicon *lex, const char *word,
			 size_t len, struct fl_split_part *parts,
			 size_t max_parts, double whole_extra)
{
	struct split_ctx c;
	double best;
	size_t bk = 1;
	size_t k;
	size_t i;

	if (len > FL_SPLIT_MAX_WORD || len < 2 * SPLIT_MIN_PART ||
	    fl_lexicon_is_protected(lex, word, len))
		return unsplit(word, len, parts);
	i = prefix_derived(lex, word, len);
	if (i > 0)
		return split_prefixed(lex, word, len, i, parts, max_parts,
				      whole_extra);
	c.lex = lex;
	c.w = word;
	c.n = len;
	c.freq_mode = fl_lexicon_freq_count(lex) > 0;
#ifdef FL_SPLIT_TUNE_ENV /* tuning runs: override the weights */
	{ static int once; if (!once) { const char *e; once = 1;
	  if ((e = getenv("T_PC"))) tune_default.part_cost = strtod(e, NULL);
	  if ((e = getenv("T_WB"))) tune_default.whole_bonus = strtod(e, NULL);
	  if ((e = getenv("T_HL"))) tune_default.head_lower = strtod(e, NULL);
	  if ((e = getenv("T_SE"))) tune_default.sub_extra = strtod(e, NULL);
	  if ((e = getenv("T_SP"))) tune_default.short_part = strtod(e, NULL);
	  if ((e = getenv("T_CC"))) tune_default.confix_cost = strtod(e, NULL);
	  if ((e = getenv("T_PAC"))) tune_default.particle_cost = strtod(e, NULL);
	  if ((e = getenv("T_DC"))) tune_default.derived_cost = strtod(e, NULL);
	  if ((e = getenv("T_PAM"))) tune_default.particle_min = (size_t)strtod(e, NULL);
	  if ((e = getenv("T_ML"))) tune_default.mod_lower = strtod(e, NULL);
	  if ((e = getenv("T_FW"))) tune_default.f_weight = strtod(e, NULL);
	  if ((e = getenv("T_FC"))) tune_default.f_centre = strtod(e, NULL); } }
#endif
	c.t = &tune_default;
	c.whole_known = (fl_lexicon_flags(lex, word, len) & FL_LEX_WORD) != 0;
	c.kmax = max_parts < FL_SPLIT_MAX_PARTS ? max_parts : FL_SPLIT_MAX_PARTS;
	dp_init(&c);
	deriv_init(&c);
	for (i = len; i-- > 0;)
		if (!is_cont((unsigned char)word[i]))
			dp_at(&c, i);
	best = whole_score(&c) + whole_extra;
	for (k = 2; k <= c.kmax; k++) {
		double s;

		if (c.best[0][k] <= NEG_INF)
			continue;
		s = split_score(&c, c.best[0][k], k);
		if (s > best) {
			best = s;
			bk = k;
		}
	}
	if (bk == 1 && whole_extra == 0.0 && !c.whole_known && max_parts > 1)
		return unknown_modifier(&c, parts);
	if (bk == 1)
		return unsplit(word, len, parts);
	return emit(&c, bk, parts);
}

/*
 * Try to split part p (surface word[p->start..], lemma p->lemma) once more
 * into sub; returns the number of sub-parts (1: leave it). The lemma's
 * pieces must lie inside the surface: all but the last are cut from the
 * shared prefix, the last takes the rest of the surface (and so the
 * linking element).
 */
static size_t refine_part(const struct fl_lexicon *lex, const char *word,
			  const struct fl_split_part *p,
			  struct fl_split_part *sub, size_t room)
{
	size_t ll = strlen(p->lemma);
	size_t m = split_flat(lex, p->lemma, ll, sub, room,
			      tune_default.sub_extra);
	size_t cut;
	size_t q;

	if (m < 2)
		return 1;
	cut = sub[m - 1].start;
	if (cut >= p->len || memcmp(word + p->start, p->lemma, cut) != 0)
		return 1;
	for (q = 0; q < m; q++)
		sub[q].start += p->start;
	sub[m - 1].len = p->len - cut;
	return m;
}

size_t fl_decompound_split(const struct fl_lexicon *lex, const char *word,
			   size_t len, struct fl_split_part *parts,
			   size_t max_parts)
{
	struct fl_split_part sub[FL_SPLIT_MAX_PARTS];
	size_t np;
	size_t i;

	if (max_parts == 0)
		return 0;
	np = split_flat(lex, word, len, parts, max_parts, 0.0);
	for (i = 0; np > 1 && i < np && np < max_parts; i++) {
		size_t m = refine_part(lex, word, &parts[i], sub,
				       max_parts - np + 1);

		if (m < 2)
			continue;
		memmove(&parts[i + m], &parts[i + 1],
			(np - i - 1) * sizeof(parts[0]));
		memcpy(&parts[i], sub, m * sizeof(sub[0]));
		np += m - 1;
		i += m - 1;
	}
	return np;
}
