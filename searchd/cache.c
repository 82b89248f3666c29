/*
 * cache.c - the response cache of findling-searchd: finished JSON bodies
 * of /api/search and /api/suggest, keyed by the route and the raw request
 * target, valid for one index generation and one SIGHUP reopen count.
 *
 * Search-box traffic repeats itself (the same popular queries, the same
 * first pages, the suggestions of every prefix typed), and a repeated
 * query costs a hash lookup and a copy instead of a full fl_search. An
 * entry made at another generation is never served: a committed write or
 * a reopen makes every older entry stale (dropped when met, or aged out).
 *
 * One mutex guards the table; it is held for a lookup and one memcpy of
 * the body, never while searching. Bounded by bytes (--cache-mb) and by
 * the size of one entry; least recently used entries go first.
 */
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "fl_json.h"
#include "fl_banned.h"

/* Hash buckets (power of two); chains stay short at the byte bound. */
#define CACHE_BUCKETS 8192

struct entry {
	struct entry *next;          /* bucket chain */
	struct entry *lru_prev;      /* towards most recently used */
	struct entry *lru_next;      /* towards least recently used */
	uint64_t hash;
	int64_t gen;                 /* index generation it was made at */
	unsigned reopen;             /* reopen count it was made at */
	size_t key_len;
	size_t body_len;
	char *key;                   /* key_len bytes, then body_len bytes */
};

struct sd_cache {
	pthread_mutex_t mu;
	size_t max_bytes;
	size_t bytes;                /* sum of entry_bytes() */
	struct entry *lru_head;      /* most recently used */
	struct entry *lru_tail;      /* least recently used */
	struct entry *bucket[CACHE_BUCKETS];
};

static uint64_t hash_key(const char *k, size_t n)
{
	uint64_t h = 14695981039346656037u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211u;
	return h ^ (h >> 29);
}

static size_t entry_bytes(const struct entry *e)
{
	return sizeof *e + e->key_len + e->body_len;
}

int sd_cache_new(size_t max_bytes, struct sd_cache **out)
{
	struct sd_cache *c = calloc(1, sizeof *c);

	*out = NULL;
	if (!c)
		return FL_ENOMEM;
	if (pthread_mutex_init(&c->mu, NULL) != 0) {
		free(c);
		return FL_ENOMEM;
	}
	c->max_bytes = max_bytes;
	*out = c;
	return FL_OK;
}

void sd_cache_free(struct sd_cache *c)
{
	struct entry *e, *next;

	if (!c)
		return;
	for (e = c->lru_head; e; e = next) {
		next = e->lru_next;
		free(e->key);
		free(e);
	}
	pthread_mutex_destroy(&c->mu);
	free(c);
}

static void lru_unlink(struct sd_cache *c, struct entry *e)
{
	if (e->lru_prev)
		e->lru_prev->lru_next = e->lru_next;
	else
		c->lru_head = e->lru_next;
	if (e->lru_next)
		e->lru_next->lru_prev = e->lru_prev;
	else
		c->lru_tail = e->lru_prev;
	e->lru_prev = e->lru_next = NULL;
}

static void lru_push(struct sd_cache *c, struct entry *e)
{
	e->lru_prev = NULL;
	e->lru_next = c->lru_head;
	if (c->lru_head)
		c->lru_head->lru_prev = e;
	c->lru_head = e;
	if (!c->lru_tail)
		c->lru_tail = e;
}

/* Unlink e from its bucket and the LRU list and free it. */
static void drop(struct sd_cache *c, struct entry *e)
{
	struct entry **pp = &c->bucket[e->hash & (CACHE_BUCKETS - 1)];

	while (*pp && *pp != e)
		pp = &(*pp)->next;
	if (*pp)
		*pp = e->next;
	lru_unlink(c, e);
	c->bytes -= entry_bytes(e);
	free(e->key);
	free(e);
}

static struct entry *find(struct sd_cache *c, const char *key, size_t n,
			  uint64_t h)
{
	struct entry *e = c->bucket[h & (CACHE_BUCKETS - 1)];

	for (; e; e = e->next)
		if (e->hash == h && e->key_len == n && !memcmp(e->key, key, n))
			return e;
	return NULL;
}

char *sd_cache_get(struct sd_cache *c, const char *key, size_t n,
		   int64_t gen, unsigned reopen, size_t *len)
{
	uint64_t h = hash_key(key, n);
	struct entry *e;
	char *copy = NULL;

	pthread_mutex_lock(&c->mu);
	e = find(c, key, n, h);
	if (e && (e->gen != gen || e->reopen != reopen)) {
		drop(c, e);
		e = NULL;
	}
	if (e) {
		lru_unlink(c, e);
		lru_push(c, e);
		copy = malloc(e->body_len ? e->body_len : 1);
		if (copy) {
			memcpy(copy, e->key + e->key_len, e->body_len);
			*len = e->body_len;
		}
	}
	pthread_mutex_unlock(&c->mu);
	return copy;
}

void sd_cache_put(struct sd_cache *c, const char *key, size_t n,
		  int64_t gen, unsigned reopen, const char *body, size_t len)
{
	uint64_t h = hash_key(key, n);
	struct entry *e, *old;

	if (len > SD_CACHE_MAX_ENTRY_BYTES || sizeof *e + n + len > c->max_bytes)
		return;
	e = calloc(1, sizeof *e);
	if (e)
		e->key = malloc(n + len);
	if (!e || !e->key) {
		free(e);
		return;
	}
	memcpy(e->key, key, n);
	memcpy(e->key + n, body, len);
	e->hash = h;
	e->gen = gen;
	e->reopen = reopen;
	e->key_len = n;
	e->body_len = len;
	pthread_mutex_lock(&c->mu);
	old = find(c, key, n, h);
	if (old)
		drop(c, old);
	while (c->lru_tail && c->bytes + entry_bytes(e) > c->max_bytes)
		drop(c, c->lru_tail);
	e->next = c->bucket[h & (CACHE_BUCKETS - 1)];
	c->bucket[h & (CACHE_BUCKETS - 1)] = e;
	lru_push(c, e);
	c->bytes += entry_bytes(e);
	pthread_mutex_unlock(&c->mu);
}

/* ---- the request side ---- */

/* The key: route id byte, then the raw request target. */
static int make_key(struct sd_req *r, char *buf, size_t size, size_t *n)
{
	if (!r->raw || r->raw_len + 1 > size)
		return -1;
	buf[0] = (char)('A' + r->route);
	memcpy(buf + 1, r->raw, r->raw_len);
	*n = r->raw_len + 1;
	return 0;
}

int sd_cache_answer(struct sd_req *r, struct sd_worker *w,
		    enum MHD_Result *ret)
{
	struct sd_cache *c = r->d->cache;
	char key[SD_MAX_URL_BYTES + 1];
	struct fl_err err;
	size_t n, len;
	char *body;

	/* Looked up already, on the HTTP thread (http.c): one miss, one
	 * generation for the answer the search worker is computing now. */
	if (!c || r->cache_state || make_key(r, key, sizeof key, &n) != 0)
		return 0;
	fl_err_clear(&err);
	if (fl_store_generation(w->st, &r->cache_gen, &err) != FL_OK)
		return 0;
	r->cache_reopen = w->reopen_seen;
	r->cacheable = 1;
	body = sd_cache_get(c, key, n, r->cache_gen, r->cache_reopen, &len);
	if (!body) {
		atomic_fetch_add(&r->d->metrics.cache_misses, 1);
		r->cache_state = "miss";
		return 0;
	}
	atomic_fetch_add(&r->d->metrics.cache_hits, 1);
	r->cache_state = "hit";
	r->cacheable = 0;
	*ret = sd_respond_bytes(r, MHD_HTTP_OK,
				"application/json; charset=utf-8", body, len,
				1);
	return 1;
}

enum MHD_Result sd_respond_json_cached(struct sd_req *r, json_t *body)
{
	char key[SD_MAX_URL_BYTES + 1];
	char *text = sd_json_text(body);
	size_t n;

	if (!text)
		return MHD_NO;
	if (r->cacheable && make_key(r, key, sizeof key, &n) == 0)
		sd_cache_put(r->d->cache, key, n, r->cache_gen,
			     r->cache_reopen, text, strlen(text));
	return sd_respond_bytes(r, MHD_HTTP_OK,
				"application/json; charset=utf-8", text,
				strlen(text), 1);
}
