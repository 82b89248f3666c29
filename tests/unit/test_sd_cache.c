/*
 * Unit tests for the response cache of findling-searchd (searchd/cache.c,
 * compiled into this test): hits return a copy, entries made at another
 * generation or reopen count are never served, the byte bound evicts the
 * least recently used entries first, oversized bodies are not kept.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../searchd/cache.c"

/* The request side of cache.c answers through http.c; not used here. */
enum MHD_Result sd_respond_bytes(struct sd_req *r, unsigned status,
				 const char *ctype, const void *data,
				 size_t len, int take)
{
	(void)r, (void)status, (void)ctype, (void)len;
	if (take)
		free((void *)data);
	return MHD_YES;
}

char *sd_json_text(json_t *body)
{
	json_decref(body);
	return NULL;
}

/* get: the cached body for key as a string ("" = none), freed here. */
static const char *get(struct sd_cache *c, const char *key, int64_t gen,
		       unsigned reopen)
{
	static char out[256];
	size_t len = 0;
	char *b = sd_cache_get(c, key, strlen(key), gen, reopen, &len);

	out[0] = '\0';
	if (b) {
		assert_true(len < sizeof out);
		memcpy(out, b, len);
		out[len] = '\0';
		free(b);
	}
	return out;
}

static void put(struct sd_cache *c, const char *key, int64_t gen,
		unsigned reopen, const char *body)
{
	sd_cache_put(c, key, strlen(key), gen, reopen, body, strlen(body));
}

static void test_hit_miss_replace(void **state)
{
	struct sd_cache *c;

	(void)state;
	assert_int_equal(sd_cache_new(1 << 20, &c), FL_OK);
	assert_string_equal(get(c, "/api/search?q=a", 1, 0), "");
	put(c, "/api/search?q=a", 1, 0, "{\"total\":1}");
	assert_string_equal(get(c, "/api/search?q=a", 1, 0), "{\"total\":1}");
	assert_string_equal(get(c, "/api/search?q=b", 1, 0), "");
	put(c, "/api/search?q=a", 1, 0, "{\"total\":2}");
	assert_string_equal(get(c, "/api/search?q=a", 1, 0), "{\"total\":2}");
	put(c, "/api/search?q=e", 1, 0, "");
	assert_string_equal(get(c, "/api/search?q=e", 1, 0), "");
	sd_cache_free(c);
}

static void test_stale_generation_and_reopen(void **state)
{
	struct sd_cache *c;

	(void)state;
	assert_int_equal(sd_cache_new(1 << 20, &c), FL_OK);
	put(c, "k", 7, 0, "old");
	assert_string_equal(get(c, "k", 8, 0), "");   /* a write happened */
	assert_string_equal(get(c, "k", 7, 0), "");   /* and it was dropped */
	put(c, "k", 8, 0, "new");
	assert_string_equal(get(c, "k", 8, 1), "");   /* SIGHUP reopen */
	assert_int_equal(c->bytes, 0);
	sd_cache_free(c);
}

static void test_lru_eviction_by_bytes(void **state)
{
	struct sd_cache *c;
	char key[32], body[100];
	size_t one;
	int i;

	(void)state;
	memset(body, 'x', sizeof body - 1);
	body[sizeof body - 1] = '\0';
	one = sizeof(struct entry) + strlen("key-0") + strlen(body);
	assert_int_equal(sd_cache_new(4 * one, &c), FL_OK);
	for (i = 0; i < 4; i++) {
		snprintf(key, sizeof key, "key-%d", i);
		put(c, key, 1, 0, body);
	}
	assert_string_equal(get(c, "key-0", 1, 0), body); /* 0 is now newest */
	put(c, "key-4", 1, 0, body);                       /* evicts key-1 */
	assert_string_equal(get(c, "key-1", 1, 0), "");
	assert_string_equal(get(c, "key-0", 1, 0), body);
	assert_string_equal(get(c, "key-2", 1, 0), body);
	assert_string_equal(get(c, "key-4", 1, 0), body);
	assert_true(c->bytes <= 4 * one);
	sd_cache_free(c);
}

static void test_oversized_not_kept(void **state)
{
	struct sd_cache *c;
	char *big = malloc(SD_CACHE_MAX_ENTRY_BYTES + 2);

	(void)state;
	assert_non_null(big);
	memset(big, 'y', SD_CACHE_MAX_ENTRY_BYTES + 1);
	big[SD_CACHE_MAX_ENTRY_BYTES + 1] = '\0';
	assert_int_equal(sd_cache_new(64u << 20, &c), FL_OK);
	put(c, "big", 1, 0, big);
	assert_string_equal(get(c, "big", 1, 0), "");
	assert_int_equal(c->bytes, 0);
	sd_cache_free(c);
	assert_int_equal(sd_cache_new(sizeof(struct entry), &c), FL_OK);
	put(c, "k", 1, 0, "body");
	assert_string_equal(get(c, "k", 1, 0), "");
	sd_cache_free(c);
	free(big);
}

static void test_many_keys(void **state)
{
	struct sd_cache *c;
	char key[32], body[32];
	int i, found = 0;

	(void)state;
	assert_int_equal(sd_cache_new(1 << 20, &c), FL_OK);
	for (i = 0; i < 20000; i++) {
		snprintf(key, sizeof key, "/api/suggest?q=%d", i);
		snprintf(body, sizeof body, "[%d]", i);
		put(c, key, 3, 0, body);
	}
	assert_true(c->bytes <= (size_t)1 << 20);
	for (i = 0; i < 20000; i++) {
		snprintf(key, sizeof key, "/api/suggest?q=%d", i);
		snprintf(body, sizeof body, "[%d]", i);
		if (get(c, key, 3, 0)[0]) {
			assert_string_equal(get(c, key, 3, 0), body);
			found++;
		}
	}
	/* the newest entries survive, the oldest went */
	assert_true(found > 1000 && found < 20000);
	assert_string_equal(get(c, "/api/suggest?q=19999", 3, 0), "[19999]");
	assert_string_equal(get(c, "/api/suggest?q=0", 3, 0), "");
	sd_cache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hit_miss_replace),
		cmocka_unit_test(test_stale_generation_and_reopen),
		cmocka_unit_test(test_lru_eviction_by_bytes),
		cmocka_unit_test(test_oversized_not_kept),
		cmocka_unit_test(test_many_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
