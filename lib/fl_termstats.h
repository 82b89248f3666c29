/*
 * fl_termstats.h - document frequencies of the phrases of our FTS5
 * expressions, remembered per index generation.
 *
 * bm25 needs, per query phrase, the number of rows holding it; FTS5 finds
 * it by walking the phrase's whole doclist on every query, about an eighth
 * of a search on news-de. A phrase's count only changes when the index
 * does, so it is counted once per generation and then looked up.
 */
#ifndef FL_TERMSTATS_H
#define FL_TERMSTATS_H

#include <stddef.h>
#include <stdint.h>

#include "fl_err.h"

/* Phrases of one expression we follow; longer ones are left to FTS5. */
#define FL_TERMSTATS_MAX_PHRASES 64

struct fl_termstats;

/* Count the rows matching the FTS5 expression expr into *n; FL_OK or an
 * FL_E... code. */
typedef int (*fl_termstats_count_fn)(void *ctx, const char *expr,
				     int64_t *n);

/* Caller frees with fl_termstats_free(). */
int fl_termstats_new(struct fl_termstats **out, struct fl_err *err);
void fl_termstats_free(struct fl_termstats *t);

/*
 * The document frequency of every phrase of expr, in FTS5's phrase order
 * (the order of the quoted strings), into *df (owned by t, valid until the
 * next call). Counts missing for generation are made with count. Returns
 * the number of phrases, or 0 when expr has a form not followed here
 * (column filters, too many phrases) or a count failed: FTS5 then counts
 * itself.
 */
size_t fl_termstats_phrases(struct fl_termstats *t, const char *expr,
			    int64_t generation, fl_termstats_count_fn count,
			    void *ctx, const int64_t **df);

#endif
