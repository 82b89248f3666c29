/*
 * fl_stem.c - GermanNormalizationFilter fold, inflection fixes and Snowball
 * german (see fl_stem.h).
 */
#include "fl_stem.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#include "fl_banned.h"

/* Scratch buffers hold one word and its variants. */
#define STEM_SCRATCH_MAX 4096

struct fl_stem {
	struct sb_stemmer *sb;  /* Snowball german, UTF-8 */
	struct fl_buf fixed;    /* word after the inflection fixes */
	struct fl_buf folded;   /* fixed word after the GNF fold */
	struct fl_buf probe;    /* candidate forms for lexicon lookups */
};

int fl_stem_new(struct fl_stem **out, struct fl_err *err)
{
	struct fl_stem *st = calloc(1, sizeof(*st));

	*out = NULL;
	if (!st)
		return fl_error(err, FL_ENOMEM, "stem: out of memory");
	st->sb = sb_stemmer_new("german", "UTF_8");
	if (!st->sb) {
		free(st);
		return fl_error(err, FL_ENOMEM,
				"stem: cannot create snowball 'german' stemmer");
	}
	fl_buf_init(&st->fixed, STEM_SCRATCH_MAX);
	fl_buf_init(&st->folded, STEM_SCRATCH_MAX);
	fl_buf_init(&st->probe, STEM_SCRATCH_MAX);
	*out = st;
	return FL_OK;
}

void fl_stem_free(struct fl_stem *st)
{
	if (!st)
		return;
	sb_stemmer_delete(st->sb);
	fl_buf_release(&st->fixed);
	fl_buf_release(&st->folded);
	fl_buf_release(&st->probe);
	free(st);
}

/* GNF states: N(one), U (after a/o/u that may absorb an e), V(owel). */
enum gnf_state { GNF_N, GNF_U, GNF_V };

/* Umlaut (2-byte UTF-8 ä ö ü) -> its base letter, or 0. */
static char umlaut_base(const char *p, size_t left)
{
	if (left < 2 || (unsigned char)p[0] != 0xC3)
		return 0;
	switch ((unsigned char)p[1]) {
	case 0xA4: return 'a';
	case 0xB6: return 'o';
	case 0xBC: return 'u';
	}
	return 0;
}

int fl_stem_fold(const char *u, size_t n, struct fl_buf *out)
{
	enum gnf_state st = GNF_N;
	size_t i;

	for (i = 0; i < n; i++) {
		char c = u[i];
		char base = umlaut_base(u + i, n - i);

		if (base) {
			fl_buf_addc(out, base);
			st = GNF_V;
			i++;
			continue;
		}
		if ((unsigned char)c == 0xC3 && i + 1 < n &&
		    (unsigned char)u[i + 1] == 0x9F) {
			fl_buf_add(out, "ss", 2);	/* ß */
			st = GNF_N;
			i++;
			continue;
		}
		switch (c) {
		case 'a': case 'o':
			st = GNF_U;
			break;
		case 'u':
			st = st == GNF_N ? GNF_U : GNF_V;
			break;
		case 'e':
			if (st == GNF_U) {
				st = GNF_V;
				continue;	/* ae oe ue -> a o u */
			}
			st = GNF_V;
			break;
		case 'i': case 'q': case 'y':
			st = GNF_V;
			break;
		default:
			st = GNF_N;
		}
		fl_buf_addc(out, c);
	}
	return out->rc;
}

static int ends_with(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n >= k && !memcmp(s + n - k, suf, k);
}

static int has_dict(const struct fl_lexicon *lex)
{
	return lex && fl_lexicon_has_dict(lex);
}

/* 1 when lex knows stem[0..n) followed by suffix. */
static int knows(struct fl_stem *st, const struct fl_lexicon *lex,
		 const char *stem, size_t n, const char *suffix)
{
	if (!has_dict(lex))
		return 0;
	fl_buf_reset(&st->probe);
	fl_buf_add(&st->probe, stem, n);
	fl_buf_adds(&st->probe, suffix);
	return st->probe.rc == FL_OK &&
	       fl_lexicon_is_word(lex, st->probe.data, st->probe.len);
}

/* Agent-noun endings after which -in/-innen is a feminine suffix. */
static int agent_suffix(const char *s, size_t n)
{
	static const char *const suf[] = {
		"er", "ent", "ant", "ist", "eur", "or", "ar", "at", "og",
	};
	size_t i;

	for (i = 0; i < sizeof(suf) / sizeof(suf[0]); i++)
		if (ends_with(s, n, suf[i]))
			return 1;
	return 0;
}

/* Minimum letters before -innen for the -innen -> -in rule. */
#define FEM_MIN_STEM 3

static int fix_into(struct fl_stem *st, const struct fl_lexicon *lex,
		    const char *u, size_t n, struct fl_buf *out)
{
	size_t b;

	if (ends_with(u, n, "innen") && n - 5 >= FEM_MIN_STEM) {
		b = n - 5;
		if (agent_suffix(u, b) || knows(st, lex, u, b, "in"))
			return fl_buf_add(out, u, b + 2);
	}
	if (ends_with(u, n, "ien") && n > 5 &&
	    knows(st, lex, u, n - 3, "ium")) {
		fl_buf_add(out, u, n - 3);
		return fl_buf_add(out, "ium", 3);
	}
	if (n > 3 && u[n - 1] == 's' && strchr("aiouy", u[n - 2])) {
		if (has_dict(lex) ? knows(st, lex, u, n - 1, "")
				  : u[n - 2] != 'u')
			return fl_buf_add(out, u, n - 1);
	}
	return fl_buf_add(out, u, n);
}

int fl_stem_fix(const struct fl_lexicon *lex, const char *u, size_t n,
		struct fl_buf *out)
{
	struct fl_stem tmp;
	int rc;

	/* stand-alone use (tests): a throwaway probe buffer */
	memset(&tmp, 0, sizeof(tmp));
	fl_buf_init(&tmp.probe, STEM_SCRATCH_MAX);
	rc = fix_into(&tmp, lex, u, n, out);
	fl_buf_release(&tmp.probe);
	return rc;
}

const char *fl_stem_word(struct fl_stem *st, const struct fl_lexicon *lex,
			 const char *u, size_t n, size_t *len)
{
	const sb_symbol *r;

	fl_buf_reset(&st->fixed);
	fl_buf_reset(&st->folded);
	if (n > FL_STEM_MAX_BYTES) {
		fl_stem_fold(u, n, &st->folded);
		*len = st->folded.len;
		return st->folded.rc == FL_OK ? st->folded.data : NULL;
	}
	fix_into(st, lex, u, n, &st->fixed);
	fl_stem_fold(st->fixed.data, st->fixed.len, &st->folded);
	if (st->fixed.rc != FL_OK || st->folded.rc != FL_OK)
		return NULL;
	r = sb_stemmer_stem(st->sb, (const sb_symbol *)st->folded.data,
			    (int)st->folded.len);
	if (!r)
		return NULL;
	*len = (size_t)sb_stemmer_length(st->sb);
	return (const char *)r;
}
