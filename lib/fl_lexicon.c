/*
 * fl_lexicon.c - word lists for German analysis (see fl_lexicon.h).
 * STUB: knows no words; replaced by the real lexicon.
 */
#include "fl_lexicon.h"

#include <stdlib.h>

#include "fl_banned.h"

struct fl_lexicon {
	int refs;
};

int fl_lexicon_load(const char *dict_path, struct fl_lexicon **out,
		    struct fl_err *err)
{
	(void)dict_path;
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return fl_error(err, FL_ENOMEM, "lexicon: out of memory");
	(*out)->refs = 1;
	return FL_OK;
}

struct fl_lexicon *fl_lexicon_ref(struct fl_lexicon *lex)
{
	if (lex)
		__atomic_add_fetch(&lex->refs, 1, __ATOMIC_SEQ_CST);
	return lex;
}

void fl_lexicon_unref(struct fl_lexicon *lex)
{
	if (lex && __atomic_sub_fetch(&lex->refs, 1, __ATOMIC_SEQ_CST) == 0)
		free(lex);
}

int fl_lexicon_add_freq(struct fl_lexicon *lex, const char *word, size_t len,
			uint32_t count, struct fl_err *err)
{
	(void)lex; (void)word; (void)len; (void)count; (void)err;
	return FL_OK;
}

int fl_lexicon_has_dict(const struct fl_lexicon *lex) { (void)lex; return 0; }
int fl_lexicon_is_word(const struct fl_lexicon *l, const char *w, size_t n)
{ (void)l; (void)w; (void)n; return 0; }
int fl_lexicon_is_noun(const struct fl_lexicon *l, const char *w, size_t n)
{ (void)l; (void)w; (void)n; return 0; }
int fl_lexicon_is_protected(const struct fl_lexicon *l, const char *w, size_t n)
{ (void)l; (void)w; (void)n; return 0; }
int fl_lexicon_is_stopword(const struct fl_lexicon *l, const char *w, size_t n)
{ (void)l; (void)w; (void)n; return 0; }
uint32_t fl_lexicon_freq(const struct fl_lexicon *l, const char *w, size_t n)
{ (void)l; (void)w; (void)n; return 0; }
size_t fl_lexicon_freq_count(const struct fl_lexicon *l) { (void)l; return 0; }
