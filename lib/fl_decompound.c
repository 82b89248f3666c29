/*
 * fl_decompound.c - German compound splitting (see fl_decompound.h).
 *
 * A dynamic programme over byte positions finds, for every suffix of the
 * word and every part count k, the best way to cut it into k-1 modifiers
 * (a known word, possibly with a linking element or a dropped -e/-n, or a
 * verb stem) followed by a head (a known word). The unsplit word competes:
 *  - with corpus frequencies (fl_lexicon_freq_count() > 0), Koehn & Knight:
 *    the geometric mean of the parts' frequencies against the word's own;
 *  - without, a length score: each part is worth log(length) minus a
 *    penalty per part, so a split wins only when its parts are long.
 * Blocklists and protected names come from the lexicon; a piece is never a
 * non-word.
 */
#include "fl_decompound.h"

#include <math.h>
#include <string.h>

#include "fl_banned.h"

/* Shortest modifier and head, in characters. */
#define SPLIT_MIN_PART 3
#define SPLIT_MIN_HEAD 3
/* Longest linking element or restored ending we try, in bytes. */
#define SPLIT_LINK_MAX 4

#define NEG_INF (-1e30)

/* How a modifier's surface relates to its lemma. */
enum link_kind {
	LINK_NONE,   /* the piece is the word */
	LINK_STRIP,  /* the piece is word + linking element */
	LINK_ADD,    /* the piece is the word minus -e/-n/-en */
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
	{ "en", LINK_ADD, FL_LEX_LOWER, 0.15 },
	{ "n", LINK_ADD, FL_LEX_WORD, 0.2 },
};
#define N_LINK_RULES (sizeof(link_rules) / sizeof(link_rules[0]))

/* Tuning of the scores; see split_score(). */
struct split_tune {
	double part_cost;   /* dictionary-only: penalty per part */
	double whole_bonus; /* dictionary-only: bonus of a known unsplit word */
	double head_lower;  /* penalty of a head that is not listed as noun */
	double min_freq;    /* freq mode: parts below this count are unknown */
};

static const struct split_tune tune_default = {
	.part_cost = 1.0,
	.whole_bonus = 0.0,
	.head_lower = 0.3,
	.min_freq = 1.0,
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
	int freq_mode;          /* 1: Koehn & Knight on corpus counts */
	const struct split_tune *t;
	size_t kmax;            /* most parts considered */
	double best[FL_SPLIT_MAX_WORD + 1][FL_SPLIT_MAX_PARTS + 1];
	unsigned char next[FL_SPLIT_MAX_WORD + 1][FL_SPLIT_MAX_PARTS + 1];
	signed char rule[FL_SPLIT_MAX_WORD + 1][FL_SPLIT_MAX_WORD + 1];
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

/* The value of a known part in the sum the DP maximises. */
static double part_value(const struct split_ctx *c, const char *lemma,
			 size_t len, size_t chars)
{
	uint32_t f;

	if (!c->freq_mode)
		return log((double)chars);
	f = fl_lexicon_freq(c->lex, lemma, len);
	return log((double)f + 1.0);
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
	memcpy(buf, c->w + i, pl);
	memcpy(buf + pl, r->s, ll);
	return pl + ll;
}

/* Is lemma (flags f) acceptable as a part; for a modifier or a head? */
static int part_ok(uint32_t f, uint32_t need, int head)
{
	if (!(f & need) || (f & FL_LEX_NO_PART))
		return 0;
	if (f & (head ? FL_LEX_NO_HEAD : FL_LEX_NO_FIRST))
		return 0;
	return 1;
}

/* Best lemma for w[i:j] as a modifier. */
static struct mod_choice mod_value(const struct split_ctx *c, size_t i,
				   size_t j)
{
	struct mod_choice best = { NEG_INF, -1 };
	char lemma[FL_SPLIT_LEMMA_MAX];
	size_t r;

	for (r = 0; r < N_LINK_RULES; r++) {
		const struct link_rule *lr = &link_rules[r];
		size_t ll = make_lemma(c, i, j, lr, lemma);
		size_t chars = ll ? count_chars(lemma, ll) : 0;
		uint32_t f;
		double v;

		if (chars < SPLIT_MIN_PART)
			continue;
		f = fl_lexicon_flags(c->lex, lemma, ll);
		if (!part_ok(f, lr->need, 0))
			continue;
		v = part_value(c, lemma, ll, chars);
		if (!c->freq_mode)
			v -= lr->cost;
		if (v > best.value) {
			best.value = v;
			best.rule = (signed char)r;
		}
		if (!c->freq_mode)
			break; /* the first rule that fits is the lemma */
	}
	return best;
}

/* Value of w[i:n] as the head of a compound, NEG_INF when it is none. */
static double head_value(const struct split_ctx *c, size_t i)
{
	size_t len = c->n - i;
	size_t chars = count_chars(c->w + i, len);
	uint32_t f;
	double v;

	if (chars < SPLIT_MIN_HEAD)
		return NEG_INF;
	f = fl_lexicon_flags(c->lex, c->w + i, len);
	if (!part_ok(f, FL_LEX_WORD, 1))
		return NEG_INF;
	v = part_value(c, c->w + i, len, chars);
	if (!c->freq_mode && !(f & FL_LEX_NOUN))
		v -= c->t->head_lower;
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
		int any = 0;

		if (is_cont((unsigned char)c->w[j]))
			continue;
		for (k = 1; k < c->kmax; k++)
			any |= c->best[j][k] > NEG_INF;
		if (!any)
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
}

/* Final score of a segmentation into k parts with value sum s. */
static double split_score(const struct split_ctx *c, double s, size_t k)
{
	if (c->freq_mode)
		return s / (double)k;
	return s - c->t->part_cost * (double)k;
}

/* The unsplit word's score. */
static double whole_score(const struct split_ctx *c)
{
	uint32_t f = fl_lexicon_flags(c->lex, c->w, c->n);
	size_t chars = count_chars(c->w, c->n);

	if (!(f & FL_LEX_WORD) && !(c->freq_mode &&
				    fl_lexicon_freq(c->lex, c->w, c->n)))
		return NEG_INF / 2; /* unknown: any split beats it */
	if (c->freq_mode)
		return log((double)fl_lexicon_freq(c->lex, c->w, c->n) + 1.0);
	return log((double)chars) - c->t->part_cost + c->t->whole_bonus;
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

size_t fl_decompound_split(const struct fl_lexicon *lex, const char *word,
			   size_t len, struct fl_split_part *parts,
			   size_t max_parts)
{
	struct split_ctx c;
	double best;
	size_t bk = 1;
	size_t k;
	size_t i;

	if (max_parts == 0)
		return 0;
	if (len > FL_SPLIT_MAX_WORD || len < 2 * SPLIT_MIN_PART ||
	    fl_lexicon_is_protected(lex, word, len))
		return unsplit(word, len, parts);
	c.lex = lex;
	c.w = word;
	c.n = len;
	c.freq_mode = fl_lexicon_freq_count(lex) > 0;
	c.t = &tune_default;
	c.kmax = max_parts < FL_SPLIT_MAX_PARTS ? max_parts : FL_SPLIT_MAX_PARTS;
	dp_init(&c);
	for (i = len; i-- > 0;)
		if (!is_cont((unsigned char)word[i]))
			dp_at(&c, i);
	best = whole_score(&c);
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
	if (bk == 1)
		return unsplit(word, len, parts);
	return emit(&c, bk, parts);
}
