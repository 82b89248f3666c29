/*
 * libFuzzer target for the German analyzer: any bytes, in document, query
 * and prefix mode, must give tokens with in-bounds offsets and a non-empty,
 * bounded text, and never crash or leak. Built and run by `make fuzz`.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fl_analyze.h"
#include "fl_lexicon.h"

/* Longest token text the analyzer may hand out (it cuts longer words). */
#define FUZZ_MAX_TOKEN_TEXT 4096

struct bounds {
	size_t len;  /* bytes of the input */
};

static int check_token(void *ctx, const struct fl_token *t)
{
	const struct bounds *b = ctx;

	if (t->start > t->end || t->end > b->len || t->len == 0 ||
	    t->len > FUZZ_MAX_TOKEN_TEXT || !t->text)
		abort();
	return 0;
}

static struct fl_analyzer *analyzer(void)
{
	static struct fl_analyzer *an; /* fuzzer process state, made once */
	struct fl_lexicon *lex = NULL;

	if (an)
		return an;
	if (fl_lexicon_load(NULL, &lex, NULL) != FL_OK ||
	    fl_analyzer_new(lex, &an, NULL) != FL_OK)
		abort();
	fl_lexicon_unref(lex);
	return an;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fl_analyzer *an = analyzer();
	struct bounds b = { size };
	char *copy = malloc(size ? size : 1); /* exact size: overreads show */
	int mode;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	for (mode = FL_ANALYZE_DOCUMENT; mode <= FL_ANALYZE_PREFIX; mode++)
		if (fl_analyzer_run(an, copy, size, (enum fl_analyze_mode)mode,
				    check_token, &b, NULL) < 0)
			abort();
	free(copy);
	return 0;
}
