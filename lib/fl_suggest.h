/*
 * fl_suggest.h - search-box completion: prefix -> surface forms from the
 * index ("fach" -> Fachkräfte, Fachkräftemangel, ...), compound parts
 * included, most frequent first. Also the word lookups the did-you-mean
 * of fl_search uses (spelling, typos within edit distance 2).
 *
 * The data is table suggest(key, surface, n) (schema/0002_suggest.sql):
 * key is the EXACT form (lower case, umlauts as digraphs), surface the most
 * frequent written form, n its number of occurrences. It is filled while
 * documents are indexed: the tokenizer counts the words it emits in a
 * tally (fl_tally.h) that fl_store_commit flushes here (fl_suggest_flush),
 * so no document is analysed twice. suggest_top(prefix, list) holds the
 * precomputed completions of short prefixes so the first keystrokes are
 * as fast as the later ones; fl_suggest_refresh() updates it for the
 * prefixes that changed, at the end of an indexing run.
 *
 * Used by the CLI (`findling suggest`), searchd (GET /api/suggest) and
 * fl_search.c.
 */
#ifndef FL_SUGGEST_H
#define FL_SUGGEST_H

#include <stddef.h>
#include <stdint.h>

#include "fl_buf.h"
#include "fl_err.h"
#include "fl_lexicon.h"
#include "fl_store.h"

/* Completions returned at most, and the default. */
#define FL_SUGGEST_MAX_LIMIT 50
#define FL_SUGGEST_DEFAULT_LIMIT 10
/* Longest prefix looked at (bytes); longer input has no completions. */
#define FL_SUGGEST_MAX_PREFIX 128
/* Prefixes up to this many bytes (of the key) are precomputed. */
#define FL_SUGGEST_TOP_PREFIX 3

struct fl_suggest_item {
	char *text;     /* the completed input: earlier words kept, the last
			 * word replaced by the surface form */
	char *word;     /* the surface form alone ("Fachkräfte") */
	int64_t n;      /* occurrences in the index */
};

struct fl_suggestions {
	char *prefix;   /* the input as given (valid UTF-8 copy) */
	struct fl_suggest_item *items;
	size_t n;
	double took_ms;
};

/*
 * Complete the last word of input (len bytes; any bytes) with up to limit
 * (0 = default, at most FL_SUGGEST_MAX_LIMIT) surface forms. An index
 * without the suggest table gives no items, not an error. *out is NULL on
 * failure; caller frees with fl_suggestions_free().
 */
int fl_suggest(struct fl_store *st, const char *input, size_t len,
	       size_t limit, struct fl_suggestions **out, struct fl_err *err);
void fl_suggestions_free(struct fl_suggestions *s);

/*
 * Bring suggest_top up to date at the end of an indexing run: the suggest
 * rows themselves are kept current at every commit (fl_suggest_flush), so
 * only the completion lists of prefixes whose words changed are
 * recomputed. An index whose suggest table is empty while it has
 * documents (built before the table existed), or a store without a tally,
 * gets both tables rebuilt from the stored documents (analysed with lex in
 * DOCUMENT mode; lex NULL loads the default lexicon). Runs in its own
 * transaction; the store must be writable. *nwords (may be NULL) gets the
 * number of keys.
 */
int fl_suggest_refresh(struct fl_store *st, struct fl_lexicon *lex,
		       size_t *nwords, struct fl_err *err);

/*
 * Write the words counted in tally (see fl_tally.h) into table suggest:
 * n = n + delta per key, rows that reach n <= 0 dropped; the surface is
 * replaced when this batch's spelling outnumbers the stored count. Called
 * by fl_store_commit inside the open transaction; clears the counts and
 * leaves the changed prefixes dirty in tally for fl_suggest_refresh.
 */
struct fl_tally;
int fl_suggest_flush(struct fl_store *st, struct fl_tally *tally,
		     struct fl_err *err);

/* Empty suggest and suggest_top (creating them if missing), inside the
 * caller's transaction: fl_store_rebuild counts every word afresh. */
int fl_suggest_clear(struct fl_store *st, struct fl_err *err);

/*
 * Append the suggest key of word w (n bytes) to out: NFKC + case folded,
 * umlauts as digraphs (the EXACT form). FL_EINVAL for invalid UTF-8.
 */
int fl_suggest_key(const char *w, size_t n, struct fl_buf *out);

/*
 * The most frequent surface form of the word whose EXACT key is key
 * (len bytes) into *surface (caller frees with free()) and its count into
 * *n. FL_ENOTFOUND when the key is unknown or there is no suggest table.
 */
int fl_suggest_surface(struct fl_store *st, const char *key, size_t len,
		       char **surface, int64_t *n, struct fl_err *err);

/*
 * The best correction for a word that is rare or absent: keys within
 * Damerau-Levenshtein distance maxdist (1..2) of key, of similar length and
 * the same first letter, ranked by distance then frequency, at least
 * min_n occurrences. *surface (caller frees) and *n as above; FL_ENOTFOUND
 * when nothing qualifies.
 */
int fl_suggest_correct(struct fl_store *st, const char *key, size_t len,
		       int maxdist, int64_t min_n, char **surface,
		       int64_t *n, struct fl_err *err);

#endif
