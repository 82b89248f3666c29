/*
 * fl_decompound.h - German compound splitting. Pure: a word in, its pieces
 * out, using only an fl_lexicon (dictionary, curated lists, frequencies).
 * Called by fl_analyze (document mode), by fl_query (query compounds) and
 * by `findling analyze --split`.
 */
#ifndef FL_DECOMPOUND_H
#define FL_DECOMPOUND_H

#include <stddef.h>

#include "fl_lexicon.h"

#define FL_SPLIT_MAX_PARTS 8    /* more pieces than this are not a real word */
#define FL_SPLIT_LEMMA_MAX 64   /* bytes of a part's lemma, NUL included */
#define FL_SPLIT_MAX_WORD 128   /* longer words are never split */

struct fl_split_part {
	size_t start;   /* byte offset of the piece in the word */
	size_t len;     /* bytes of the piece, linking element included */
	char lemma[FL_SPLIT_LEMMA_MAX]; /* the piece as a word of its own:
					 * linking element removed, a dropped
					 * -e/-n restored ("schul" -> "schule") */
};

/*
 * Split word (len bytes, lower case NFKC, umlauts kept) into at most
 * max_parts pieces whose concatenation is the word. Returns the number of
 * pieces written (1 when the word is not split: parts[0] is then the whole
 * word). Never returns 0 for a non-empty word. Deterministic for a given
 * lexicon.
 */
size_t fl_decompound_split(const struct fl_lexicon *lex, const char *word,
			   size_t len, struct fl_split_part *parts,
			   size_t max_parts);

#endif
