/*
 * fl_stem.h - the STEM channel of the German analyzer: the
 * GermanNormalizationFilter fold (ä/ae -> a ...), our inflection fixes where
 * Snowball fails (Autos, Ministerien, Erzieherinnen) and Snowball `german`
 * (libstemmer 2.2). Used by fl_analyze.c only.
 *
 * A stemmer holds one sb_stemmer and scratch buffers: single-threaded state,
 * one per analyzer.
 */
#ifndef FL_STEM_H
#define FL_STEM_H

#include <stddef.h>

#include "fl_buf.h"
#include "fl_err.h"
#include "fl_lexicon.h"

/* Words longer than this (bytes) are not stemmed (libstemmer is O(n)). */
#define FL_STEM_MAX_BYTES 256

struct fl_stem;

/* Create a stemmer. Caller frees with fl_stem_free(); *out NULL on error. */
int fl_stem_new(struct fl_stem **out, struct fl_err *err);
void fl_stem_free(struct fl_stem *st);

/*
 * Append u (lower case, umlauts kept) to out folded by the rules of Lucene's
 * GermanNormalizationFilter: ä ö ü -> a o u, ae oe ue -> a o u except after
 * a vowel that blocks it (feuer, quelle, bauer, neue stay), ß -> ss.
 */
int fl_stem_fold(const char *u, size_t n, struct fl_buf *out);

/*
 * Apply the inflection fixes to u (lower case, umlauts kept) and append the
 * result to out: -innen -> -in after an agent suffix (or when lex knows the
 * -in form), -ien -> -ium when lex knows that word, plural -s after a vowel
 * when lex knows the singular. lex may be NULL (then only rules that need
 * no dictionary apply).
 */
int fl_stem_fix(const struct fl_lexicon *lex, const char *u, size_t n,
		struct fl_buf *out);

/*
 * Stem u (lower case, umlauts kept): fix, fold, Snowball. Returns the stem,
 * borrowed and valid until the next call on st; *len receives its length.
 * Words over FL_STEM_MAX_BYTES come back folded but unstemmed. Returns NULL
 * only when out of memory.
 */
const char *fl_stem_word(struct fl_stem *st, const struct fl_lexicon *lex,
			 const char *u, size_t n, size_t *len);

#endif
