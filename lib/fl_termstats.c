/*
 * fl_termstats.c - phrase document frequencies per generation (see
 * fl_termstats.h). An open-addressing table from the phrase's text (its
 * quoted string, plus '*' for a prefix phrase) to its count, emptied when
 * the generation changes or it fills up.
 */
#include "fl_termstats.h"
#include "fl_hash.h"

#include <stdlib.h>
#include <string.h>

#include "fl_buf.h"
#include "fl_query.h"
#include "fl_banned.h"

/* Slots of the table (a power of two); emptied at 3/4 full. */
#define TS_SLOTS 16384
/* Longest phrase text remembered (longer ones are counted every time). */
#define TS_MAX_KEY 1024

struct ts_entry {
	char *key;        /* NUL-terminated phrase text, NULL: empty */
	int64_t df;
};

struct fl_termstats {
	struct ts_entry *slot;    /* TS_SLOTS */
	size_t used;
	int64_t generation;       /* of the counts held, -1: none */
	int64_t df[FL_TERMSTATS_MAX_PHRASES];
	struct fl_buf key;        /* scratch: one phrase's text */
};

int fl_termstats_new(struct fl_termstats **out, struct fl_err *err)
{
	struct fl_termstats *t = calloc(1, sizeof(*t));

	*out = NULL;
	if (t)
		t->slot = calloc(TS_SLOTS, sizeof(*t->slot));
	if (!t || !t->slot) {
		free(t);
		return fl_error(err, FL_ENOMEM, "termstats: out of memory");
	}
	t->generation = -1;
	fl_buf_init(&t->key, TS_MAX_KEY);
	*out = t;
	return FL_OK;
}

static void ts_clear(struct fl_termstats *t)
{
	size_t i;

	for (i = 0; i < TS_SLOTS && t->used; i++) {
		if (t->slot[i].key) {
			free(t->slot[i].key);
			t->slot[i].key = NULL;
			t->used--;
		}
	}
	t->used = 0;
}

void fl_termstats_free(struct fl_termstats *t)
{
	if (!t)
		return;
	ts_clear(t);
	free(t->slot);
	fl_buf_release(&t->key);
	free(t);
}

static size_t ts_hash(const char *s, size_t n)
{
	return fl_hash(s, n, 0) & (TS_SLOTS - 1);
}

/* The slot of key: its entry, or the empty slot where it belongs. */
static struct ts_entry *ts_find(struct fl_termstats *t, const char *key,
				size_t n)
{
	size_t i = ts_hash(key, n);

	while (t->slot[i].key && strcmp(t->slot[i].key, key))
		i = (i + 1) & (TS_SLOTS - 1);
	return &t->slot[i];
}

/* df of the phrase in t->key: remembered, or counted and remembered. */
static int ts_df(struct fl_termstats *t, fl_termstats_count_fn count,
		 void *ctx, int64_t *df)
{
	struct ts_entry *e = ts_find(t, t->key.data, t->key.len);
	int rc;

	if (e->key) {
		*df = e->df;
		return FL_OK;
	}
	rc = count(ctx, t->key.data, df);
	if (rc != FL_OK)
		return rc;
	if (t->used >= TS_SLOTS / 4 * 3) {
		ts_clear(t);
		e = ts_find(t, t->key.data, t->key.len);
	}
	e->key = malloc(t->key.len + 1);
	if (e->key) {
		memcpy(e->key, t->key.data, t->key.len + 1);
		e->df = *df;
		t->used++;
	}
	return FL_OK;
}

/* 1 when expr has a ':' outside its strings (a column filter). */
static int has_column_filter(const char *expr)
{
	const char *p = expr;
	size_t n;

	while (*p) {
		n = fl_query_quoted_len(p);
		if (n) {
			p += n;
			continue;
		}
		if (*p == ':')
			return 1;
		p++;
	}
	return 0;
}

/* Phrase text of the string of n bytes at p into t->key: the string, and
 * '*' when a prefix mark follows it. Returns the bytes consumed. */
static size_t phrase_key(struct fl_termstats *t, const char *p, size_t n)
{
	size_t k = n;

	fl_buf_reset(&t->key);
	fl_buf_add(&t->key, p, n);
	while (p[k] == ' ')
		k++;
	if (p[k] == '*') {
		fl_buf_addc(&t->key, '*');
		return k + 1;
	}
	return n;
}

size_t fl_termstats_phrases(struct fl_termstats *t, const char *expr,
			    int64_t generation, fl_termstats_count_fn count,
			    void *ctx, const int64_t **df)
{
	const char *p = expr;
	size_t n, nph = 0;

	*df = t->df;
	if (has_column_filter(expr))
		return 0;
	if (generation != t->generation) {
		ts_clear(t);
		t->generation = generation;
	}
	while (*p) {
		n = fl_query_quoted_len(p);
		if (!n) {
			p++;
			continue;
		}
		if (nph == FL_TERMSTATS_MAX_PHRASES)
			return 0;
		p += phrase_key(t, p, n);
		if (t->key.rc != FL_OK ||
		    ts_df(t, count, ctx, &t->df[nph]) != FL_OK)
			return 0;
		nph++;
	}
	return nph;
}
