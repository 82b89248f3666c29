/*
 * libFuzzer target for the request target parser of findling-searchd
 * (searchd/params.c): any bytes, as the query string or path of the API
 * routes, go through the same parse + validate calls the handlers make,
 * and the answer must keep its promises:
 *   - a refusal names status 400 or 414 (414 only for a target over
 *     SD_MAX_URL_BYTES), a known code, and a message that is valid UTF-8
 *     (jansson accepts it) and bounded; the parameter named is valid UTF-8;
 *   - an accepted target has a valid UTF-8 path and at most SD_MAX_PARAMS
 *     parameters, each name and value valid UTF-8 without NUL bytes;
 *   - every accepted search/suggest value obeys its limit;
 *   - nothing leaks (LeakSanitizer).
 * The first input byte picks the route, the rest is the input:
 *   0: "/api/search?" + rest, then sd_params_search()
 *   1: "/api/suggest?" + rest, then sd_params_suggest()
 *   2: "/api/documents/" + rest (path, may hold '?'), the id message
 *   3: rest as the whole target, then both readers
 * Built by `make fuzz-build` (linked with build-fuzz/searchd/params.o).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fl_docmeta.h"
#include "fl_search.h"
#include "fl_suggest.h"
#include "fl_utf8.h"
#include "params.h"

#define DOC_PREFIX "/api/documents/"

static const char *const routes[] = {
	"/api/search?", "/api/suggest?", DOC_PREFIX, "",
};

static void check(int cond)
{
	if (!cond)
		abort();
}

/* What the daemon does with a message: a JSON string. */
static void check_json_text(const char *s)
{
	json_t *j = json_string(s);

	check(j != NULL);
	json_decref(j);
}

static void check_refusal(int rc, const struct sd_params_err *e,
			  size_t target_len)
{
	static const char *const codes[] = {
		"bad_parameter", "bad_path", "uri_too_long",
	};
	size_t i, n = strlen(e->msg);

	if (rc == FL_ENOMEM) {
		check(e->status == 0);
		return;
	}
	check(rc == FL_EINVAL || rc == FL_ELIMIT);
	check(e->status == 400 || e->status == 414);
	check((rc == FL_ELIMIT) == (e->status == 414));
	check(e->status != 414 || target_len > SD_MAX_URL_BYTES);
	check(e->code != NULL);
	for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (strcmp(e->code, codes[i]) == 0)
			break;
	check(i < sizeof codes / sizeof codes[0]);
	check(n > 0 && n < FL_ERR_MSG_MAX);
	check(fl_utf8_valid(e->msg, n));
	check_json_text(e->msg);
	if (e->param)
		check_json_text(e->param);
}

static void check_parsed(const char *path, const struct sd_params *p,
			 size_t target_len)
{
	size_t i;

	check(path != NULL && strlen(path) <= target_len);
	check(fl_utf8_valid(path, strlen(path)));
	check(p->n <= SD_MAX_PARAMS);
	for (i = 0; i < p->n; i++) {
		check(fl_utf8_valid(p->v[i].name, strlen(p->v[i].name)));
		check(strlen(p->v[i].value) == p->v[i].value_len);
		check(fl_utf8_valid(p->v[i].value, p->v[i].value_len));
	}
}

/* YYYY, YYYY-MM or YYYY-MM-DD (absent is fine). */
static int is_date(const char *s)
{
	size_t i, n;

	if (!s)
		return 1;
	n = strlen(s);
	if ((n != 4 && n != 7 && n != 10) || (n > 4 && s[4] != '-') ||
	    (n > 7 && s[7] != '-'))
		return 0;
	for (i = 0; i < n; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

/* The 'to' period does not end before the 'from' period begins. */
static int in_order(const char *from, const char *to)
{
	int32_t f0, f1, t0, t1;

	if (!from || !to)
		return 1;
	return fl_docmeta_parse_period(from, &f0, &f1) &&
	       fl_docmeta_parse_period(to, &t0, &t1) && t1 > f0;
}

static int within(const char *s, size_t max)
{
	return !s || (s[0] != '\0' && strlen(s) <= max);
}

static void run_search(const struct sd_params *p)
{
	struct sd_params_err e;
	struct fl_search_opts o;
	int rc = sd_params_search(p, &o, &e);

	if (rc != FL_OK) {
		check_refusal(rc, &e, 0);
		check(e.status == 400 && strcmp(e.code, "bad_parameter") == 0);
		check(e.param != NULL);
		return;
	}
	check(e.status == 0);
	check(o.limit >= 1 && o.limit <= SD_MAX_LIMIT);
	check(o.offset <= FL_SEARCH_MAX_OFFSET);
	check(within(o.query, SD_MAX_QUERY_BYTES));
	check(within(o.source, FL_SEARCH_MAX_FILTER));
	check(within(o.type, FL_SEARCH_MAX_FILTER));
	check(within(o.lang, FL_SEARCH_MAX_FILTER));
	check(is_date(o.from) && is_date(o.to));
	check(in_order(o.from, o.to));
	check(o.snippets == 0 || o.snippets == 1);
	check(o.sort == FL_SEARCH_SORT_RELEVANCE
	      || o.sort == FL_SEARCH_SORT_DATE);
	check((o.facets & ~(unsigned)FL_FACET_ALL) == 0);
}

static void run_suggest(const struct sd_params *p)
{
	struct sd_params_err e;
	struct sd_suggest_opts o;
	int rc = sd_params_suggest(p, &o, &e);

	if (rc != FL_OK) {
		check_refusal(rc, &e, 0);
		check(e.status == 400 && strcmp(e.code, "bad_parameter") == 0);
		check(e.param != NULL);
		return;
	}
	check(o.limit >= 1 && o.limit <= FL_SUGGEST_MAX_LIMIT);
	check(within(o.q, SD_MAX_QUERY_BYTES));
	check(o.opensearch == 0 || o.opensearch == 1);
}

/* The 404 message api_doc.c builds for an unknown id. */
static void run_document(const char *path)
{
	char msg[FL_ERR_MSG_MAX];
	const char *id;
	size_t n, cut;

	if (strncmp(path, DOC_PREFIX, strlen(DOC_PREFIX)) != 0)
		return;
	id = path + strlen(DOC_PREFIX);
	n = strlen(id);
	cut = sd_params_shown(id, n, SD_SHOW_ID_MAX);
	check(cut <= n && cut <= SD_SHOW_ID_MAX);
	check(cut == n || n > SD_SHOW_ID_MAX);
	snprintf(msg, sizeof msg, "no document with id '%.*s'", (int)cut, id);
	check_json_text(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sd_params_err e;
	struct sd_params p;
	char *target, *path = NULL;
	size_t plen, len;
	unsigned route;
	int rc;

	if (size == 0)
		return 0;
	route = data[0] % (sizeof routes / sizeof routes[0]);
	plen = strlen(routes[route]);
	len = plen + size - 1;
	target = malloc(len + 1);
	if (!target)
		return 0;
	memcpy(target, routes[route], plen);
	memcpy(target + plen, data + 1, size - 1);
	target[len] = '\0';
	rc = sd_params_target(target, len, &path, &p, &e);
	if (rc != FL_OK) {
		check_refusal(rc, &e, len);
		check(rc != FL_ELIMIT || path == NULL);
	} else {
		check(e.status == 0);
		check_parsed(path, &p, len);
		if (route == 0 || route == 3)
			run_search(&p);
		if (route == 1 || route == 3)
			run_suggest(&p);
		run_document(path);
	}
	sd_params_release(&p);
	free(path);
	free(target);
	return 0;
}
