/*
 * fl_tally.c - the suggest tally (see fl_tally.h): an open-addressing hash
 * of (key, surface, capitalise) -> signed count over one byte arena, plus
 * the set of dirty key prefixes. Filled by fl_tokenizer.c, drained by
 * fl_suggest.c at every commit.
 */
#include "fl_tally.h"
#include "fl_hash.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "fl_buf.h"
#include "fl_utf8.h"
#include "fl_banned.h"

/* Hash slots to start with (doubles at half load). */
#define TALLY_START 16384u
/* Longest surface (bytes) of a counted token. */
#define SURFACE_MAX (2 * FL_TALLY_KEY_MAX)
/* Arena ceiling: a tally this big is a bug, not a batch. */
#define ARENA_MAX (1u << 30)
/* Prefix set slots (a power of two; prefixes of 3 characters are few). */
#define PREFIX_START 1024u
#define PREFIX_BYTES 16

struct ent {
	uint64_t hash;    /* fingerprint of key, surface and cap */
	uint32_t off1;    /* arena offset + 1 of key then surface, 0: empty */
	uint16_t klen;
	uint8_t slen;
	uint8_t cap;      /* capitalise the surface (part of a noun) */
	uint8_t valid;    /* the surface spells the key */
	int32_t n;        /* net count in this tally (one batch) */
};

struct pfx {
	uint8_t len;      /* 0: empty */
	char p[PREFIX_BYTES];
};

struct fl_tally {
	struct ent *e;
	size_t cap;       /* slots, power of two */
	size_t n;         /* used slots */
	char *arena;
	size_t used;
	size_t acap;
	int sign;
	struct pfx *pf;
	size_t pcap;
	size_t pn;
	struct fl_buf fold;   /* scratch: key of a surface */
	struct fl_buf key;
	struct fl_buf surf;   /* scratch: capitalised surface */
};

struct fl_tally *fl_tally_new(void)
{
	return fl_tally_new_sized(TALLY_START);
}

struct fl_tally *fl_tally_new_sized(size_t slots)
{
	struct fl_tally *t = calloc(1, sizeof(*t));
	size_t n = 64;

	while (n < slots)
		n *= 2;
	if (!t)
		return NULL;
	t->e = calloc(n, sizeof(*t->e));
	t->pf = calloc(PREFIX_START, sizeof(*t->pf));
	if (!t->e || !t->pf) {
		free(t->e);
		free(t->pf);
		free(t);
		return NULL;
	}
	t->cap = n;
	t->pcap = PREFIX_START;
	fl_buf_init(&t->fold, SURFACE_MAX * 4);
	fl_buf_init(&t->key, SURFACE_MAX * 4);
	fl_buf_init(&t->surf, SURFACE_MAX * 4);
	return t;
}

void fl_tally_free(struct fl_tally *t)
{
	if (!t)
		return;
	free(t->e);
	free(t->arena);
	free(t->pf);
	fl_buf_release(&t->fold);
	fl_buf_release(&t->key);
	fl_buf_release(&t->surf);
	free(t);
}

void fl_tally_set_sign(struct fl_tally *t, int sign)
{
	t->sign = sign > 0 ? 1 : sign < 0 ? -1 : 0;
}

int fl_tally_sign(const struct fl_tally *t)
{
	return t->sign;
}

size_t fl_tally_count(const struct fl_tally *t)
{
	return t->n;
}

static uint32_t hash3(const char *a, size_t na, const char *b, size_t nb,
		      unsigned cap)
{
	uint32_t h = fl_hash_add(FL_HASH_SEED ^ cap, a, na);

	h = fl_hash_add(h, "\xff", 1);
	return fl_hash_finish(fl_hash_add(h, b, nb));
}

/* 64-bit fingerprint of a (key, surface, cap) entry: FNV-1a with a
 * murmur3 finaliser. Entries are matched by fingerprint and lengths
 * alone, so merging never touches the arena: a false match needs a 64-bit
 * collision among a batch's ~1e5 words (p ~ 1e-9 per run). */
static uint64_t fp64(const char *a, size_t na, const char *b, size_t nb,
		     unsigned cap)
{
	uint64_t h = 14695981039346656037ull ^ cap;
	size_t i;

	for (i = 0; i < na; i++)
		h = (h ^ (unsigned char)a[i]) * 1099511628211ull;
	h = (h ^ 0xffu) * 1099511628211ull;
	for (i = 0; i < nb; i++)
		h = (h ^ (unsigned char)b[i]) * 1099511628211ull;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

static int grow(struct fl_tally *t)
{
	size_t cap = t->cap * 2, i, j;
	struct ent *e = calloc(cap, sizeof(*e));

	if (!e)
		return FL_ENOMEM;
	for (i = 0; i < t->cap; i++) {
		if (!t->e[i].off1)
			continue;
		for (j = t->e[i].hash & (cap - 1); e[j].off1; j = (j + 1) & (cap - 1))
			;
		e[j] = t->e[i];
	}
	free(t->e);
	t->e = e;
	t->cap = cap;
	return FL_OK;
}

static int arena_add(struct fl_tally *t, const char *a, size_t na,
		     const char *b, size_t nb, uint32_t *off1)
{
	size_t need = t->used + na + nb;

	if (need > ARENA_MAX)
		return FL_ENOMEM;
	if (need > t->acap) {
		size_t cap = t->acap ? t->acap : 65536;
		char *p;

		while (cap < need)
			cap *= 2;
		p = realloc(t->arena, cap);
		if (!p)
			return FL_ENOMEM;
		t->arena = p;
		t->acap = cap;
	}
	memcpy(t->arena + t->used, a, na);
	memcpy(t->arena + t->used + na, b, nb);
	*off1 = (uint32_t)t->used + 1;
	t->used = need;
	return FL_OK;
}

/* 1 when the surface s (n bytes) spells key k: fold + digraphs. */
static int spells(struct fl_tally *t, const char *s, size_t n, const char *k,
		  size_t kn)
{
	fl_buf_reset(&t->fold);
	fl_buf_reset(&t->key);
	if (fl_utf8_fold(s, n, &t->fold) != FL_OK ||
	    fl_utf8_digraph(t->fold.data, t->fold.len, &t->key) != FL_OK)
		return 0;
	return t->key.len == kn && !memcmp(t->key.data, k, kn);
}

/*
 * How a compound part at start is suggested: 1 capitalised (monitoring
 * inside Bildungsmonitoring -> Monitoring), 0 as written (the first part
 * of a capitalised word), -1 not at all: parts of words written in lower
 * case are pieces of adjectives and verbs (zweifach, vielfachen), and
 * "fach", "fachen" are no completions anybody types towards.
 */
static int part_case(const char *text, size_t start, size_t end)
{
	size_t w = start;
	int32_t first, cp;

	while (w > 0 && text[w - 1] != ' ' && text[w - 1] != '\n' &&
	       text[w - 1] != '\t' && text[w - 1] != '-')
		w--;
	fl_utf8_next(text + w, end - w, &first);
	if (first < 0 || !fl_utf8_is_upper(first))
		return -1;
	if (w == start)
		return 0;
	fl_utf8_next(text + start, end - start, &cp);
	return cp >= 0 && fl_utf8_is_lower(cp);
}

/* Find (k, s, cap) with hash h; NULL and *slot = the empty slot where it
 * would go when absent. */
static struct ent *find(struct fl_tally *t, uint64_t h, size_t kn,
			size_t sn, unsigned cap, size_t *slot)
{
	size_t i;

	for (i = h & (t->cap - 1); t->e[i].off1; i = (i + 1) & (t->cap - 1)) {
		struct ent *e = &t->e[i];

		if (e->hash == h && e->klen == kn && e->slen == sn &&
		    e->cap == cap)
			return e;
	}
	*slot = i;
	return NULL;
}

int fl_tally_merge(struct fl_tally *dst, const struct fl_tally *src)
{
	size_t i, slot = 0;

	if (!dst->sign)
		return FL_OK;
	for (i = 0; i < src->cap; i++) {
		const struct ent *o = &src->e[i];
		const char *k = src->arena + o->off1 - 1;
		struct ent *e;

		/* entries whose surface does not spell the key are never
		 * written: leave them out */
		if (!o->off1 || !o->n || !o->valid)
			continue;
		e = find(dst, o->hash, o->klen, o->slen, o->cap, &slot);
		if (e) {
			e->n += o->n * dst->sign;
			continue;
		}
		e = &dst->e[slot];
		if (arena_add(dst, k, o->klen, k + o->klen, o->slen,
			      &e->off1) != FL_OK)
			return FL_ENOMEM;
		e->hash = o->hash;
		e->klen = o->klen;
		e->slen = o->slen;
		e->cap = o->cap;
		e->valid = o->valid;
		e->n = o->n * dst->sign;
		dst->n++;
		if (2 * dst->n > dst->cap && grow(dst) != FL_OK)
			return FL_ENOMEM;
	}
	return FL_OK;
}

int fl_tally_token(struct fl_tally *t, const char *text,
		   const struct fl_token *tok)
{
	const char *s = text + tok->start;
	size_t sn = tok->end - tok->start, i;
	int cap = 0;
	struct ent *e;
	uint64_t h;
	int32_t cp;

	if (!t->sign || !(tok->flags & FL_TOKEN_EXACT) ||
	    tok->len < FL_TALLY_KEY_MIN || tok->len > FL_TALLY_KEY_MAX ||
	    sn > SURFACE_MAX || sn == 0)
		return FL_OK;
	fl_utf8_next(tok->text, tok->len, &cp);
	if (cp < 'A' || fl_utf8_is_digit(cp))
		return FL_OK;
	if (tok->flags & FL_TOKEN_PART)
		cap = part_case(text, tok->start, tok->end);
	if (cap < 0)
		return FL_OK;
	h = fp64(tok->text, tok->len, s, sn, (unsigned)cap);
	e = find(t, h, tok->len, sn, (unsigned)cap, &i);
	if (e) {
		e->n += t->sign;
		return FL_OK;
	}
	e = &t->e[i];
	if (arena_add(t, tok->text, tok->len, s, sn, &e->off1) != FL_OK)
		return FL_ENOMEM;
	e->hash = h;
	e->klen = (uint16_t)tok->len;
	e->slen = (uint8_t)sn;
	e->cap = (uint8_t)cap;
	e->valid = (uint8_t)spells(t, s, sn, tok->text, tok->len);
	e->n = t->sign;
	t->n++;
	if (2 * t->n > t->cap)
		return grow(t);
	return FL_OK;
}

void fl_tally_clear(struct fl_tally *t)
{
	memset(t->e, 0, t->cap * sizeof(*t->e));
	t->n = 0;
	t->used = 0;
}

/* ---- prefixes ------------------------------------------------------ */

static int pfx_add(struct fl_tally *t, const char *p, size_t len)
{
	uint32_t h = hash3(p, len, "", 0, 0);
	size_t i;

	for (i = h & (t->pcap - 1); t->pf[i].len; i = (i + 1) & (t->pcap - 1))
		if (t->pf[i].len == len && !memcmp(t->pf[i].p, p, len))
			return FL_OK;
	t->pf[i].len = (uint8_t)len;
	memcpy(t->pf[i].p, p, len);
	t->pn++;
	if (2 * t->pn > t->pcap) {
		size_t cap = t->pcap * 2, j;
		struct pfx *n = calloc(cap, sizeof(*n));

		if (!n)
			return FL_ENOMEM;
		for (i = 0; i < t->pcap; i++) {
			if (!t->pf[i].len)
				continue;
			h = hash3(t->pf[i].p, t->pf[i].len, "", 0, 0);
			for (j = h & (cap - 1); n[j].len; j = (j + 1) & (cap - 1))
				;
			n[j] = t->pf[i];
		}
		free(t->pf);
		t->pf = n;
		t->pcap = cap;
	}
	return FL_OK;
}

/* Record the 1..FL_TALLY_PREFIX_CHARS character prefixes of key. */
static int key_prefixes(struct fl_tally *t, const char *k, size_t kn)
{
	size_t i = 0, chars = 0, n;
	int32_t cp;
	int rc = FL_OK;

	while (i < kn && chars < FL_TALLY_PREFIX_CHARS && rc == FL_OK) {
		n = fl_utf8_next(k + i, kn - i, &cp);
		if (n == 0 || cp < 0)
			break;
		i += n;
		chars++;
		if (i <= PREFIX_BYTES)
			rc = pfx_add(t, k, i);
	}
	return rc;
}

int fl_tally_prefixes(const struct fl_tally *t,
		      int (*cb)(void *ctx, const char *p, size_t len),
		      void *ctx)
{
	size_t i;
	int rc;

	for (i = 0; i < t->pcap; i++)
		if (t->pf[i].len &&
		    (rc = cb(ctx, t->pf[i].p, t->pf[i].len)) != 0)
			return rc;
	return 0;
}

int fl_tally_prefix_dirty(const struct fl_tally *t, const char *p, size_t len)
{
	uint32_t h = hash3(p, len, "", 0, 0);
	size_t i;

	for (i = h & (t->pcap - 1); t->pf[i].len; i = (i + 1) & (t->pcap - 1))
		if (t->pf[i].len == len && !memcmp(t->pf[i].p, p, len))
			return 1;
	return 0;
}

size_t fl_tally_prefix_count(const struct fl_tally *t)
{
	return t->pn;
}

void fl_tally_prefixes_clear(struct fl_tally *t)
{
	memset(t->pf, 0, t->pcap * sizeof(*t->pf));
	t->pn = 0;
}

/* ---- draining ------------------------------------------------------ */

/* qsort has no context argument; fl_tally_each runs on the writing thread
 * only (one writer per index), never concurrently. */
static const struct fl_tally *sort_t;

static int ent_cmp(const void *x, const void *y)
{
	const struct ent *a = x, *b = y;
	const char *ka = sort_t->arena + a->off1 - 1;
	const char *kb = sort_t->arena + b->off1 - 1;
	size_t n = a->klen < b->klen ? a->klen : b->klen;
	int c = memcmp(ka, kb, n);

	if (c)
		return c;
	if (a->klen != b->klen)
		return a->klen < b->klen ? -1 : 1;
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	/* equal counts: the byte order of the spellings decides, so the
	 * result does not depend on the order the words were seen in */
	n = a->slen < b->slen ? a->slen : b->slen;
	c = memcmp(ka + a->klen, kb + b->klen, n);
	if (c)
		return c;
	if (a->slen != b->slen)
		return a->slen < b->slen ? -1 : 1;
	return (int)a->cap - (int)b->cap;
}

/* The suggested spelling of e into t->surf. */
static int surface_of(struct fl_tally *t, const struct ent *e)
{
	const char *s = t->arena + e->off1 - 1 + e->klen;
	int32_t cp;
	size_t n;

	fl_buf_reset(&t->surf);
	if (e->cap) {
		utf8proc_uint8_t enc[4];
		utf8proc_ssize_t m;

		n = fl_utf8_next(s, e->slen, &cp);
		m = utf8proc_encode_char(utf8proc_toupper(cp), enc);
		fl_buf_add(&t->surf, enc, (size_t)m);
		fl_buf_add(&t->surf, s + n, e->slen - n);
	} else {
		fl_buf_add(&t->surf, s, e->slen);
	}
	return t->surf.rc;
}

int fl_tally_each(struct fl_tally *t,
		  int (*cb)(void *ctx, const struct fl_tally_key *k),
		  void *ctx)
{
	size_t i, j, k = 0;
	int rc = 0;

	/* compact the counted, valid entries to the front and sort them;
	 * the hash table is unusable afterwards, so clear it at the end */
	for (i = 0; i < t->cap; i++)
		if (t->e[i].off1 && t->e[i].valid && t->e[i].n)
			t->e[k++] = t->e[i];
	sort_t = t;
	qsort(t->e, k, sizeof(*t->e), ent_cmp);
	sort_t = NULL;
	for (i = 0; i < k && rc == 0; i = j) {
		const char *key = t->arena + t->e[i].off1 - 1;
		struct fl_tally_key tk = { 0 };

		for (j = i; j < k && t->e[j].klen == t->e[i].klen &&
		     !memcmp(t->arena + t->e[j].off1 - 1, key, t->e[i].klen);
		     j++)
			tk.delta += t->e[j].n;
		if (tk.delta == 0)
			continue;
		/* sorted by count: the first is the most frequent spelling */
		rc = surface_of(t, &t->e[i]);
		if (rc == FL_OK)
			rc = key_prefixes(t, key, t->e[i].klen);
		if (rc != FL_OK)
			break;
		tk.key = key;
		tk.key_len = t->e[i].klen;
		tk.surface = t->surf.data;
		tk.surface_len = t->surf.len;
		tk.best_n = t->e[i].n;
		rc = cb(ctx, &tk);
	}
	fl_tally_clear(t);
	return rc;
}
