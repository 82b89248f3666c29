/*
 * fl_tally.h - the suggest tally: surface words seen while documents are
 * indexed, counted with a sign (+1 for text inserted into the FTS index,
 * -1 for text deleted from it). The `german` tokenizer fills it during
 * the indexing analysis itself (no second analysis pass); fl_doc sets the
 * sign around its FTS5 writes; fl_store hands it to fl_suggest_flush() at
 * every commit and clears it on rollback. Pure memory, no SQLite.
 *
 * Entries are (key, surface) pairs: key is the token's EXACT form, surface
 * the written word (a compound part inside a capitalised word capitalised:
 * Bildungsmonitoring gives monitoring -> Monitoring; parts of words written
 * in lower case, zweifach -> fach, are not counted). Tokens whose surface
 * does not spell their key (joined forms, lemmas of parts) are ignored.
 */
#ifndef FL_TALLY_H
#define FL_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "fl_analyze.h"

/* Keys shorter or longer than this (bytes) are not counted. */
#define FL_TALLY_KEY_MIN 2
#define FL_TALLY_KEY_MAX 64
/* Prefixes (characters of the key) whose completion lists change with a
 * key: fl_suggest keeps precomputed lists for these. */
#define FL_TALLY_PREFIX_CHARS 3

struct fl_tally;

/* New empty tally with sign 0 (not counting). NULL when out of memory. */
struct fl_tally *fl_tally_new(void);
/* Same, starting with about slots hash slots (it grows as needed; clearing
 * costs the current size, so per-text tallies start small). */
struct fl_tally *fl_tally_new_sized(size_t slots);
void fl_tally_free(struct fl_tally *t);

/* +1, -1, or 0 to stop counting (the default). */
void fl_tally_set_sign(struct fl_tally *t, int sign);
int fl_tally_sign(const struct fl_tally *t);

/*
 * Count token tok of text (the whole text handed to the tokenizer; tok's
 * offsets point into it) with the current sign. No-op at sign 0 or for
 * tokens that are not suggestion words. Returns FL_OK or FL_ENOMEM.
 */
int fl_tally_token(struct fl_tally *t, const char *text,
		   const struct fl_token *tok);

/*
 * Add every count of src (filled with sign +1, e.g. on another thread for
 * one text) to dst with dst's sign: the same as if dst had seen src's
 * tokens. src is unchanged. FL_OK or FL_ENOMEM.
 */
int fl_tally_merge(struct fl_tally *dst, const struct fl_tally *src);

/* Number of (key, surface) pairs with a count since the last clear. */
size_t fl_tally_count(const struct fl_tally *t);

/* One key's net change: the sum over its surfaces, and the surface with
 * the highest count in this tally (best_n of them). */
struct fl_tally_key {
	const char *key;
	size_t key_len;
	const char *surface;
	size_t surface_len;
	int64_t delta;
	int64_t best_n;
};

/*
 * Call cb for every key with a non-zero change, in ascending byte order of
 * key. Stops at and returns the first non-zero cb result. Also records the
 * keys' prefixes as dirty (see fl_tally_prefixes).
 */
int fl_tally_each(struct fl_tally *t,
		  int (*cb)(void *ctx, const struct fl_tally_key *k),
		  void *ctx);

/* Forget the counts (after a flush or a rollback); dirty prefixes stay. */
void fl_tally_clear(struct fl_tally *t);

/*
 * The dirty prefixes (1..FL_TALLY_PREFIX_CHARS characters of keys passed
 * to fl_tally_each since the last fl_tally_prefixes_clear): cb is called
 * once per prefix. Stops at the first non-zero cb result.
 */
int fl_tally_prefixes(const struct fl_tally *t,
		      int (*cb)(void *ctx, const char *p, size_t len),
		      void *ctx);
size_t fl_tally_prefix_count(const struct fl_tally *t);
/* 1 when prefix p (len bytes) is dirty. */
int fl_tally_prefix_dirty(const struct fl_tally *t, const char *p, size_t len);
void fl_tally_prefixes_clear(struct fl_tally *t);

#endif
