/*
 * Unit tests for the request target parser of findling-searchd
 * (searchd/params.c, compiled into this test): every refusal with its
 * status, code, parameter and message, the decoding rules (duplicates,
 * '+', empty values, missing '=', %XX, %00, raw NUL bytes, invalid UTF-8),
 * the accepted edge values of every reader, and the cases the fuzzer
 * (fuzz_http_params) turned up.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../searchd/params.c"

/* A parsed target and the refusal, released by done(). */
struct parsed {
	char *path;
	struct sd_params p;
	struct sd_params_err e;
	int rc;
};

static void parse_n(struct parsed *t, const char *raw, size_t len)
{
	t->rc = sd_params_target(raw, len, &t->path, &t->p, &t->e);
}

static void parse(struct parsed *t, const char *raw)
{
	parse_n(t, raw, strlen(raw));
}

static void done(struct parsed *t)
{
	sd_params_release(&t->p);
	free(t->path);
	t->path = NULL;
}

static int utf8_ok(const char *s)
{
	return fl_utf8_valid(s, strlen(s));
}

/* The refusal in e is status/code/param with msg (NULL: not checked). */
static void assert_refusal(const struct sd_params_err *e, unsigned status,
			   const char *code, const char *param,
			   const char *msg)
{
	assert_int_equal(e->status, status);
	assert_string_equal(e->code, code);
	if (param)
		assert_non_null(e->param);
	if (param)
		assert_string_equal(e->param, param);
	else
		assert_null(e->param);
	if (msg)
		assert_string_equal(e->msg, msg);
	assert_true(utf8_ok(e->msg));
}

/* ---- decoding ---- */

struct bad_case {
	const char *target;
	const char *code;
	const char *param;
	const char *msg;
};

static void test_decode_errors(void **state)
{
	static const struct bad_case cases[] = {
		{ "/api/search?q=%zz", "bad_parameter", "q",
		  "parameter 'q': invalid percent-encoding" },
		{ "/api/search?q=abc%4", "bad_parameter", "q",
		  "parameter 'q': invalid percent-encoding" },
		{ "/api/search?q=abc%", "bad_parameter", "q",
		  "parameter 'q': invalid percent-encoding" },
		{ "/api/search?q=%C3%28", "bad_parameter", "q",
		  "parameter 'q': invalid UTF-8" },
		{ "/api/search?q=%ED%A0%80", "bad_parameter", "q",
		  "parameter 'q': invalid UTF-8" },
		{ "/api/search?q=%C0%AF", "bad_parameter", "q",
		  "parameter 'q': invalid UTF-8" },
		{ "/api/search?q=%F4%90%80%80", "bad_parameter", "q",
		  "parameter 'q': invalid UTF-8" },
		{ "/api/search?q=a%00b", "bad_parameter", "q",
		  "parameter 'q': contains a NUL byte" },
		{ "/api/search?q=a&%zz=1", "bad_parameter", "query",
		  "parameter name: invalid percent-encoding" },
		{ "/api/search?q=a&%C3=1", "bad_parameter", "query",
		  "parameter name: invalid UTF-8" },
		{ "/api/search?q=a&a%00=1", "bad_parameter", "query",
		  "parameter name: contains a NUL byte" },
		{ "/api/search?q=a&%C3%A4=%zz", "bad_parameter", "\xc3\xa4",
		  "parameter '\xc3\xa4': invalid percent-encoding" },
		{ "/api/sea%rch", "bad_path", "path",
		  "path: invalid percent-encoding" },
		{ "/api/sea%00rch", "bad_path", "path",
		  "path: contains a NUL byte" },
		{ "/api/sea%C3rch?q=a", "bad_path", "path",
		  "path: invalid UTF-8" },
		{ "/index.html%00.txt", "bad_path", "path",
		  "path: contains a NUL byte" },
	};
	struct parsed t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		parse(&t, cases[i].target);
		assert_int_equal(t.rc, FL_EINVAL);
		assert_refusal(&t.e, 400, cases[i].code, cases[i].param,
			       cases[i].msg);
		done(&t);
	}
}

static void test_raw_bytes(void **state)
{
	static const char nul_q[] = "/api/search?q=a\0b";
	static const char nul_path[] = "/api/se\0arch?q=a";
	struct parsed t;

	(void)state;
	/* A raw NUL is refused like %00 (MHD never passes one, but the
	 * parser takes any bytes). */
	parse_n(&t, nul_q, sizeof nul_q - 1);
	assert_refusal(&t.e, 400, "bad_parameter", "q",
		       "parameter 'q': contains a NUL byte");
	done(&t);
	parse_n(&t, nul_path, sizeof nul_path - 1);
	assert_refusal(&t.e, 400, "bad_path", "path", NULL);
	done(&t);
	/* Raw UTF-8 is taken as it is, raw Latin-1 is not. */
	parse(&t, "/api/search?q=M\xc3\xbcller");
	assert_int_equal(t.rc, FL_OK);
	assert_string_equal(sd_params_get(&t.p, "q")->value, "M\xc3\xbcller");
	done(&t);
	parse(&t, "/api/search?q=M\xfcller");
	assert_refusal(&t.e, 400, "bad_parameter", "q",
		       "parameter 'q': invalid UTF-8");
	done(&t);
	/* The empty target and a lone '?' are fine. */
	parse_n(&t, "", 0);
	assert_int_equal(t.rc, FL_OK);
	assert_string_equal(t.path, "");
	done(&t);
	parse(&t, "?");
	assert_int_equal(t.rc, FL_OK);
	assert_int_equal(t.p.n, 0);
	done(&t);
}

static void test_decode_rules(void **state)
{
	struct parsed t;

	(void)state;
	parse(&t, "/a+b%20c?q=a+b%2Bc&&x&=v&lang=&q=second&%71%3D=%26&");
	assert_int_equal(t.rc, FL_OK);
	assert_string_equal(t.path, "/a+b c"); /* no '+' rule in the path */
	assert_int_equal(t.p.n, 6);
	assert_string_equal(t.p.v[0].value, "a b+c");
	assert_int_equal(t.p.v[0].value_len, 5);
	assert_string_equal(t.p.v[1].name, "x"); /* no '=': empty value */
	assert_string_equal(t.p.v[1].value, "");
	assert_string_equal(t.p.v[2].name, ""); /* empty name is kept */
	assert_string_equal(t.p.v[2].value, "v");
	assert_string_equal(t.p.v[3].value, "");
	/* Duplicates: the first one counts. */
	assert_string_equal(sd_params_get(&t.p, "q")->value, "a b+c");
	/* Encoded '=' and '&' are data, not separators. */
	assert_string_equal(sd_params_get(&t.p, "q=")->value, "&");
	assert_null(sd_params_get(&t.p, "nope"));
	done(&t);
	/* A second '?' belongs to the value. */
	parse(&t, "/p?q=a?b=c");
	assert_string_equal(sd_params_get(&t.p, "q")->value, "a?b=c");
	done(&t);
}

/* "/api/search?p0=v&p1=v..." with n parameters. */
static char *many_params(size_t n)
{
	char *s = malloc(32 + n * 16);
	size_t len, i;

	assert_non_null(s);
	len = (size_t)snprintf(s, 32, "/api/search?");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, 16, "%sp%zu=v", i ? "&" : "",
					i);
	return s;
}

static void test_limits(void **state)
{
	char *s;
	struct parsed t;

	(void)state;
	s = many_params(SD_MAX_PARAMS);
	parse(&t, s);
	assert_int_equal(t.rc, FL_OK);
	assert_int_equal(t.p.n, SD_MAX_PARAMS);
	done(&t);
	free(s);
	s = many_params(SD_MAX_PARAMS + 8);
	parse(&t, s);
	assert_int_equal(t.rc, FL_EINVAL);
	assert_refusal(&t.e, 400, "bad_parameter", NULL,
		       "more than 32 query parameters");
	done(&t);
	free(s);

	s = malloc(SD_MAX_URL_BYTES + 2);
	assert_non_null(s);
	memcpy(s, "/api/search?q=", 14);
	memset(s + 14, 'a', SD_MAX_URL_BYTES + 1 - 14);
	s[SD_MAX_URL_BYTES + 1] = '\0';
	parse_n(&t, s, SD_MAX_URL_BYTES);
	assert_int_equal(t.rc, FL_OK);
	done(&t);
	parse_n(&t, s, SD_MAX_URL_BYTES + 1);
	assert_int_equal(t.rc, FL_ELIMIT);
	assert_refusal(&t.e, 414, "uri_too_long", NULL,
		       "request target is 8193 bytes, the limit is 8192");
	assert_null(t.path);
	done(&t);
	free(s);
}

/* ---- the search and suggest parameters ---- */

struct search_case {
	const char *qs;      /* query string */
	const char *param;   /* parameter named, NULL: accepted */
	const char *msg;     /* expected message, NULL: not checked */
};

/* Parse qs and run sd_params_search; returns the rc, o and e filled. */
static int search(struct parsed *t, const char *qs, struct fl_search_opts *o)
{
	sd_params_init(&t->p);
	t->path = NULL;
	t->rc = sd_params_parse(&t->p, qs, strlen(qs), &t->e);
	if (t->rc != FL_OK)
		return t->rc;
	return sd_params_search(&t->p, o, &t->e);
}

static void test_search_errors(void **state)
{
	static const struct search_case cases[] = {
		{ "q=a&limit=abc", "limit", "parameter 'limit' must be a whole "
		  "number from 1 to 100, got 'abc'" },
		{ "limit=1000", "limit", NULL },
		{ "limit=0", "limit", NULL },
		{ "limit=101", "limit", NULL },
		{ "limit=-1", "limit", NULL },
		{ "limit=%2B5", "limit", NULL },
		{ "limit=+5", "limit", NULL },
		{ "limit=5%20", "limit", NULL },
		{ "limit=", "limit", "parameter 'limit' must be a whole number "
		  "from 1 to 100, got ''" },
		{ "limit", "limit", NULL },
		{ "limit=0000000001", "limit", NULL }, /* 10 digits */
		{ "limit=99999999999999999999999", "limit", NULL },
		{ "limit=abc&limit=5", "limit", NULL },
		{ "offset=10001", "offset", "parameter 'offset' must be a whole "
		  "number from 0 to 10000, got '10001'" },
		{ "sort=x", "sort", "parameter 'sort' must be relevance or "
		  "date, got 'x'" },
		{ "sort=DATE", "sort", NULL },
		{ "from=2024-13-01", "from", "parameter 'from' must be a date "
		  "YYYY-MM-DD, a month YYYY-MM or a year YYYY, got "
		  "'2024-13-01'" },
		{ "from=2024-13", "from", NULL },
		{ "from=2024-00", "from", NULL },
		{ "from=202", "from", NULL },
		{ "from=2024-", "from", NULL },
		{ "from=2024-05-", "from", NULL },
		{ "to=2024-5", "to", NULL },
		{ "from=2023-02-29", "from", NULL },
		{ "from=1900-02-29", "from", NULL },
		{ "from=2024-04-31", "from", NULL },
		{ "from=2024-00-10", "from", NULL },
		{ "from=2024-01-00", "from", NULL },
		{ "from=2024-1-01", "from", NULL },
		{ "from=2024-01-1x", "from", NULL },
		{ "to=24-01-01", "to", NULL },
		{ "from=2024-05-01&to=2024-04-30", "to", "parameter 'to' "
		  "(2024-04-30) is before 'from' (2024-05-01)" },
		{ "from=2024-05&to=2024-04", "to", NULL },
		{ "from=2025&to=2024-12-31", "to", NULL },
		{ "snippets=2", "snippets", "parameter 'snippets' must be a "
		  "whole number from 0 to 1, got '2'" },
		{ "snippets=no", "snippets", NULL },
		{ "facets=source,bogus", "facets", "parameter 'facets': unknown "
		  "facet 'bogus' (source, type, year, month, all) (known: "
		  "source, type, year, month, all)" },
		{ "facets=al", "facets", NULL },
		/* the first bad parameter in reading order wins */
		{ "sort=x&limit=0&q=%C3%A4", "limit", NULL },
		{ "to=x&from=y", "from", NULL },
	};
	struct fl_search_opts o;
	struct parsed t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(search(&t, cases[i].qs, &o), FL_EINVAL);
		assert_refusal(&t.e, 400, "bad_parameter", cases[i].param,
			       cases[i].msg);
		done(&t);
	}
}

/* qs with "name=" followed by n copies of c. */
static char *long_value(const char *name, char c, size_t n)
{
	size_t k = strlen(name);
	char *s = malloc(k + n + 2);

	assert_non_null(s);
	memcpy(s, name, k);
	s[k] = '=';
	memset(s + k + 1, c, n);
	s[k + 1 + n] = '\0';
	return s;
}

static void test_search_lengths(void **state)
{
	static const struct {
		const char *name;
		size_t max;
	} lens[] = {
		{ "q", SD_MAX_QUERY_BYTES },
		{ "source", FL_SEARCH_MAX_FILTER },
		{ "type", FL_SEARCH_MAX_FILTER },
		{ "lang", FL_SEARCH_MAX_FILTER },
		{ "sort", SD_MAX_PARAM_BYTES },
		{ "facets", SD_MAX_PARAM_BYTES },
	};
	struct fl_search_opts o;
	struct parsed t;
	char *s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		s = long_value(lens[i].name, 'x', lens[i].max + 1);
		assert_int_equal(search(&t, s, &o), FL_EINVAL);
		assert_refusal(&t.e, 400, "bad_parameter", lens[i].name, NULL);
		assert_non_null(strstr(t.e.msg, "is longer than"));
		assert_non_null(strstr(t.e.msg, "xxx...'"));
		done(&t);
		free(s);
	}
	s = long_value("q", 'x', SD_MAX_QUERY_BYTES);
	assert_int_equal(search(&t, s, &o), FL_OK);
	assert_int_equal(strlen(o.query), SD_MAX_QUERY_BYTES);
	done(&t);
	free(s);
	s = long_value("source", 'x', FL_SEARCH_MAX_FILTER);
	assert_int_equal(search(&t, s, &o), FL_OK);
	done(&t);
	free(s);
}

static void test_search_accepted(void **state)
{
	struct fl_search_opts o;
	struct parsed t;

	(void)state;
	assert_int_equal(search(&t, "q=Leipzig&limit=100&offset=10000&sort="
				"date&source=mdr&type=news&lang=de&from=2024-"
				"02-29&to=2024-02-29&facets=source,type", &o),
			 FL_OK);
	assert_string_equal(o.query, "Leipzig");
	assert_int_equal(o.limit, 100);
	assert_int_equal(o.offset, 10000);
	assert_int_equal(o.sort, FL_SEARCH_SORT_DATE);
	assert_string_equal(o.source, "mdr");
	assert_string_equal(o.type, "news");
	assert_string_equal(o.lang, "de");
	assert_string_equal(o.from, "2024-02-29");
	assert_string_equal(o.to, "2024-02-29");
	assert_int_equal(o.facets, FL_FACET_SOURCE | FL_FACET_TYPE);
	assert_true(o.snippets);
	done(&t);
	/* Months and years are whole periods: a 'to' period ending after the
	 * 'from' period begins is fine, and snippets can be turned off. */
	assert_int_equal(search(&t, "from=2024-05&to=2024&snippets=0", &o),
			 FL_OK);
	assert_string_equal(o.from, "2024-05");
	assert_string_equal(o.to, "2024");
	assert_false(o.snippets);
	done(&t);
	assert_int_equal(search(&t, "from=2024-05-31&to=2024-05", &o), FL_OK);
	done(&t);
	/* Defaults; empty strings read as absent. */
	assert_int_equal(search(&t, "q=&source=&from=&to=&sort=&facets=&x=1",
				&o), FL_OK);
	assert_null(o.query);
	assert_null(o.source);
	assert_null(o.from);
	assert_int_equal(o.limit, SD_DEFAULT_LIMIT);
	assert_int_equal(o.offset, 0);
	assert_int_equal(o.sort, FL_SEARCH_SORT_RELEVANCE);
	assert_int_equal(o.facets, 0);
	done(&t);
	/* Edge values: limit 1, offset 0, 2000-02-29 (leap), nine digits
	 * with leading zeros, the first duplicate wins. */
	assert_int_equal(search(&t, "limit=000000001&offset=0&from=2000-02-29"
				"&limit=abc", &o), FL_OK);
	assert_int_equal(o.limit, 1);
	assert_string_equal(o.from, "2000-02-29");
	done(&t);
}

static void test_suggest(void **state)
{
	struct sd_suggest_opts o;
	struct parsed t;

	(void)state;
	sd_params_init(&t.p);
	t.path = NULL;
	assert_int_equal(sd_params_parse(&t.p, "q=Lei&limit=50&format="
					 "opensearch", 32, &t.e), FL_OK);
	assert_int_equal(sd_params_suggest(&t.p, &o, &t.e), FL_OK);
	assert_string_equal(o.q, "Lei");
	assert_int_equal(o.limit, 50);
	assert_int_equal(o.opensearch, 1);
	done(&t);
	sd_params_init(&t.p);
	assert_int_equal(sd_params_parse(&t.p, "format=json", 11, &t.e),
			 FL_OK);
	assert_int_equal(sd_params_suggest(&t.p, &o, &t.e), FL_OK);
	assert_null(o.q);
	assert_int_equal(o.limit, SD_DEFAULT_SUGGEST);
	assert_int_equal(o.opensearch, 0);
	done(&t);
	sd_params_init(&t.p);
	assert_int_equal(sd_params_parse(&t.p, "q=a&limit=51", 12, &t.e),
			 FL_OK);
	assert_int_equal(sd_params_suggest(&t.p, &o, &t.e), FL_EINVAL);
	assert_refusal(&t.e, 400, "bad_parameter", "limit", "parameter "
		       "'limit' must be a whole number from 1 to 50, got '51'");
	done(&t);
}

/* ---- messages stay valid UTF-8 (JSON strings must be) ---- */

static void test_messages_utf8(void **state)
{
	struct fl_search_opts o;
	struct parsed t;
	char qs[4096];
	size_t i, n;

	(void)state;
	/* A bad sort value is quoted with at most 64 bytes: "x" then
	 * two-byte 'ä's used to be cut inside a character, and the JSON
	 * answer lost its message. */
	n = (size_t)snprintf(qs, sizeof qs, "sort=x");
	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(qs + n, sizeof qs - n, "%%C3%%A4");
	assert_int_equal(search(&t, qs, &o), FL_EINVAL);
	assert_refusal(&t.e, 400, "bad_parameter", "sort", NULL);
	assert_non_null(strstr(t.e.msg, "got 'x\xc3\xa4"));
	assert_int_equal(strlen(strstr(t.e.msg, "'x")), 1 + 63 + 1);
	done(&t);
	/* Long values are quoted as whole characters plus "...". */
	n = (size_t)snprintf(qs, sizeof qs, "limit=");
	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(qs + n, sizeof qs - n, "%%E2%%82%%AC");
	assert_int_equal(search(&t, qs, &o), FL_EINVAL);
	assert_refusal(&t.e, 400, "bad_parameter", "limit", NULL);
	assert_non_null(strstr(t.e.msg, "\xe2\x82\xac...'"));
	done(&t);
	/* A message over FL_ERR_MSG_MAX is cut at a character and marked. */
	n = 0;
	for (i = 0; i < 200; i++)
		n += (size_t)snprintf(qs + n, sizeof qs - n, "%%E2%%82%%AC");
	n += (size_t)snprintf(qs + n, sizeof qs - n, "=%%zz");
	sd_params_init(&t.p);
	t.path = NULL;
	assert_int_equal(sd_params_parse(&t.p, qs, n, &t.e), FL_EINVAL);
	assert_refusal(&t.e, 400, "bad_parameter", t.p.v[0].name, NULL);
	assert_true(strlen(t.e.msg) < FL_ERR_MSG_MAX);
	assert_non_null(strstr(t.e.msg, "\xe2\x82\xac..."));
	done(&t);
}

static void test_shown(void **state)
{
	(void)state;
	assert_int_equal(sd_params_shown("abc", 3, 3), 3);
	assert_int_equal(sd_params_shown("abcd", 4, 3), 3);
	assert_int_equal(sd_params_shown("a\xc3\xa4", 3, 2), 1);
	assert_int_equal(sd_params_shown("\xe2\x82\xac\xe2\x82\xac", 6, 5),
			 3);
	assert_int_equal(sd_params_shown("", 0, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_errors),
		cmocka_unit_test(test_raw_bytes),
		cmocka_unit_test(test_decode_rules),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_search_errors),
		cmocka_unit_test(test_search_lengths),
		cmocka_unit_test(test_search_accepted),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_messages_utf8),
		cmocka_unit_test(test_shown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
