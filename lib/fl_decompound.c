/*
 * fl_decompound.c - German compound splitting (see fl_decompound.h).
 * STUB: never splits; replaced by the real splitter.
 */
#include "fl_decompound.h"

#include <string.h>

#include "fl_banned.h"

size_t fl_decompound_split(const struct fl_lexicon *lex, const char *word,
			   size_t len, struct fl_split_part *parts,
			   size_t max_parts)
{
	size_t n = len < FL_SPLIT_LEMMA_MAX - 1 ? len : FL_SPLIT_LEMMA_MAX - 1;

	(void)lex;
	if (max_parts == 0)
		return 0;
	parts[0].start = 0;
	parts[0].len = len;
	memcpy(parts[0].lemma, word, n);
	parts[0].lemma[n] = '\0';
	return 1;
}
