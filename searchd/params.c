/*
 * params.c - the request target of findling-searchd without HTTP: strict
 * percent-decoding and UTF-8 validation of the path and of every query
 * parameter, the parameter limits, and the typed readers the API handlers
 * use (see params.h). Pure: no libmicrohttpd, no I/O, no globals, so the
 * unit test and fuzz_http_params run exactly what the daemon runs.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "fl_docmeta.h"
#include "fl_suggest.h"
#include "fl_utf8.h"
#include "fl_banned.h"

/* Room for a reason such as "must be a whole number from 0 to 10000". */
#define REASON_MAX 96
/* Bytes of a bad sort value quoted back (whole characters, no "..."). */
#define SHOW_CHOICE_MAX 64

/* ---- errors ---- */

void sd_params_err_clear(struct sd_params_err *e)
{
	e->status = 0;
	e->code = NULL;
	e->param = NULL;
	e->msg[0] = '\0';
}

/*
 * Record a refusal in e unless it already holds one (the first error
 * wins) and return FL_ELIMIT for 414, FL_EINVAL otherwise. A message cut
 * at the buffer's end is cut at a character boundary and marked "...",
 * so that it stays valid UTF-8 (JSON strings must be).
 */
static int refuse(struct sd_params_err *e, unsigned status, const char *code,
		  const char *param, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int refuse(struct sd_params_err *e, unsigned status, const char *code,
		  const char *param, const char *fmt, ...)
{
	int rc = status == SD_STATUS_URI_TOO_LONG ? FL_ELIMIT : FL_EINVAL;
	va_list ap;
	size_t cut;
	int n;

	if (e->status != 0)
		return rc;
	e->status = status;
	e->code = code;
	e->param = param;
	va_start(ap, fmt);
	n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	if (n < 0) {
		e->msg[0] = '\0';
	} else if ((size_t)n >= sizeof e->msg) {
		cut = fl_utf8_cut(e->msg, sizeof e->msg - 4);
		memcpy(e->msg + cut, "...", 4);
	}
	return rc;
}

size_t sd_params_shown(const char *s, size_t len, size_t max)
{
	return len <= max ? len : fl_utf8_cut(s, max);
}

/* 400: "parameter 'name' <reason>, got '<value>'" (value cut short). */
static int bad_value(struct sd_params_err *e, const char *name,
		     const char *reason, const struct sd_param *p)
{
	size_t cut = sd_params_shown(p->value, p->value_len,
				     SD_SHOW_VALUE_MAX);

	return refuse(e, SD_STATUS_BAD_REQUEST, "bad_parameter", name,
		      "parameter '%s' %s, got '%.*s%s'", name, reason,
		      (int)cut, p->value, cut < p->value_len ? "..." : "");
}

/* ---- decoding ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode s[0..len) ('+' is a space when plus) into a new string. Returns
 * NULL with *why set for bad encoding, a NUL byte or bad UTF-8 (and
 * *why = NULL on allocation failure). Caller frees.
 */
static char *decode(const char *s, size_t len, int plus, size_t *out_len,
		    const char **why)
{
	char *o = malloc(len + 1);
	size_t i, n = 0;
	int hi, lo;

	*why = NULL;
	if (!o)
		return NULL;
	for (i = 0; i < len; i++) {
		if (s[i] == '+' && plus) {
			o[n++] = ' ';
			continue;
		}
		if (s[i] != '%') {
			o[n++] = s[i];
			continue;
		}
		hi = i + 2 < len ? hexval(s[i + 1]) : -1;
		lo = i + 2 < len ? hexval(s[i + 2]) : -1;
		if (hi < 0 || lo < 0) {
			*why = "invalid percent-encoding";
			goto bad;
		}
		o[n++] = (char)(hi * 16 + lo);
		i += 2;
	}
	o[n] = '\0';
	if (memchr(o, '\0', n)) {
		*why = "contains a NUL byte";
		goto bad;
	}
	if (!fl_utf8_valid(o, n)) {
		*why = "invalid UTF-8";
		goto bad;
	}
	*out_len = n;
	return o;
bad:
	free(o);
	return NULL;
}

/* ---- the query string ---- */

void sd_params_init(struct sd_params *p)
{
	p->n = 0;
}

void sd_params_release(struct sd_params *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].value);
	}
	p->n = 0;
}

/*
 * Decode one name[=value] piece into the next slot. When the value is
 * bad, the slot keeps its name (the error names it) and a NULL value.
 */
static int parse_pair(struct sd_params *p, const char *s, size_t len,
		      struct sd_params_err *e)
{
	const char *eq = memchr(s, '=', len);
	size_t nlen = eq ? (size_t)(eq - s) : len;
	struct sd_param *v;
	const char *why;
	size_t dummy;

	if (p->n == SD_MAX_PARAMS)
		return refuse(e, SD_STATUS_BAD_REQUEST, "bad_parameter", NULL,
			      "more than %d query parameters", SD_MAX_PARAMS);
	v = &p->v[p->n];
	v->value = NULL;
	v->value_len = 0;
	v->name = decode(s, nlen, 1, &dummy, &why);
	if (!v->name)
		return why ? refuse(e, SD_STATUS_BAD_REQUEST, "bad_parameter",
				    "query", "parameter name: %s", why)
			   : FL_ENOMEM;
	p->n++;
	v->value = decode(eq ? eq + 1 : s + len, eq ? len - nlen - 1 : 0, 1,
			  &v->value_len, &why);
	if (!v->value)
		return why ? refuse(e, SD_STATUS_BAD_REQUEST, "bad_parameter",
				    v->name, "parameter '%s': %s", v->name,
				    why)
			   : FL_ENOMEM;
	return FL_OK;
}

int sd_params_parse(struct sd_params *p, const char *qs, size_t len,
		    struct sd_params_err *e)
{
	const char *end = qs + len;
	const char *s = qs;
	const char *amp;
	int rc;

	sd_params_err_clear(e);
	while (s < end) {
		amp = memchr(s, '&', (size_t)(end - s));
		if (!amp)
			amp = end;
		if (amp > s) {
			rc = parse_pair(p, s, (size_t)(amp - s), e);
			if (rc != FL_OK)
				return rc;
		}
		if (amp == end)
			break;
		s = amp + 1;
	}
	return FL_OK;
}

int sd_params_check_len(size_t len, struct sd_params_err *e)
{
	if (len <= SD_MAX_URL_BYTES)
		return FL_OK;
	return refuse(e, SD_STATUS_URI_TOO_LONG, "uri_too_long", NULL,
		      "request target is %zu bytes, the limit is %d", len,
		      SD_MAX_URL_BYTES);
}

int sd_params_target(const char *raw, size_t len, char **path,
		     struct sd_params *p, struct sd_params_err *e)
{
	const char *q = memchr(raw, '?', len);
	size_t plen = q ? (size_t)(q - raw) : len;
	const char *why;
	size_t n;

	*path = NULL;
	sd_params_init(p);
	sd_params_err_clear(e);
	if (sd_params_check_len(len, e) != FL_OK)
		return FL_ELIMIT;
	*path = decode(raw, plen, 0, &n, &why);
	if (!*path)
		return why ? refuse(e, SD_STATUS_BAD_REQUEST, "bad_path",
				    "path", "path: %s", why)
			   : FL_ENOMEM;
	if (!q)
		return FL_OK;
	return sd_params_parse(p, q + 1, len - plen - 1, e);
}

const struct sd_param *sd_params_get(const struct sd_params *p,
				     const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return &p->v[i];
	return NULL;
}

/* ---- typed readers ---- */

int sd_params_uint(const struct sd_params *p, const char *name,
		   unsigned long min, unsigned long max, unsigned long dflt,
		   unsigned long *out, struct sd_params_err *e)
{
	const struct sd_param *v = sd_params_get(p, name);
	unsigned long long n = 0;
	char why[REASON_MAX];
	size_t i;

	*out = dflt;
	if (!v)
		return FL_OK;
	/* Nine digits cannot overflow; more is out of every range we have. */
	if (v->value_len == 0 || v->value_len > 9)
		goto bad;
	for (i = 0; i < v->value_len; i++) {
		if (v->value[i] < '0' || v->value[i] > '9')
			goto bad;
		n = n * 10 + (unsigned)(v->value[i] - '0');
	}
	if (n < min || n > max)
		goto bad;
	*out = (unsigned long)n;
	return FL_OK;
bad:
	if (snprintf(why, sizeof why, "must be a whole number from %lu to %lu",
		     min, max) < 0)
		why[0] = '\0';
	return bad_value(e, name, why, v);
}

int sd_params_str(const struct sd_params *p, const char *name, size_t max,
		  const char **out, struct sd_params_err *e)
{
	const struct sd_param *v = sd_params_get(p, name);
	char why[REASON_MAX];

	*out = NULL;
	if (!v || v->value_len == 0)
		return FL_OK;
	if (v->value_len > max) {
		if (snprintf(why, sizeof why, "is longer than %zu bytes (%zu)",
			     max, v->value_len) < 0)
			why[0] = '\0';
		return bad_value(e, name, why, v);
	}
	*out = v->value;
	return FL_OK;
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* 1 when s[0..len) is a year YYYY, a month YYYY-MM or a real calendar
 * date YYYY-MM-DD. */
static int valid_date(const char *s, size_t len)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30,
				       31, 31, 30, 31, 30, 31 };
	int y, m, dd;
	size_t i;

	if ((len != 4 && len != 7 && len != 10) || (len > 4 && s[4] != '-')
	    || (len > 7 && s[7] != '-'))
		return 0;
	for (i = 0; i < len; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	if (len == 4)
		return 1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10
	    + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	if (m < 1 || m > 12)
		return 0;
	if (len == 7)
		return 1;
	dd = (s[8] - '0') * 10 + (s[9] - '0');
	return dd >= 1 && dd <= mdays[m - 1] + (m == 2 && leap(y));
}

int sd_params_date(const struct sd_params *p, const char *name,
		   const char **out, struct sd_params_err *e)
{
	const struct sd_param *v = sd_params_get(p, name);

	*out = NULL;
	if (!v || v->value_len == 0)
		return FL_OK;
	if (!valid_date(v->value, v->value_len))
		return bad_value(e, name, "must be a date YYYY-MM-DD, a month "
				 "YYYY-MM or a year YYYY", v);
	*out = v->value;
	return FL_OK;
}

/* ---- the handlers' parameter sets ---- */

/* The enumerated parameters of a search: sort and facets. */
static int parse_choices(const struct sd_params *p, struct fl_search_opts *o,
			 struct sd_params_err *e)
{
	const char *sort = NULL;
	const char *facets = NULL;
	struct fl_err err;
	size_t n, cut;

	fl_err_clear(&err);
	if (sd_params_str(p, "sort", SD_MAX_PARAM_BYTES, &sort, e) != FL_OK
	    || sd_params_str(p, "facets", SD_MAX_PARAM_BYTES, &facets, e)
	       != FL_OK)
		return FL_EINVAL;
	if (sort && fl_search_parse_sort(sort, &o->sort, &err) != FL_OK) {
		n = strlen(sort);
		cut = sd_params_shown(sort, n, SHOW_CHOICE_MAX);
		return refuse(e, SD_STATUS_BAD_REQUEST, "bad_parameter", "sort",
			      "parameter 'sort' must be relevance or date, "
			      "got '%.*s'", (int)cut, sort);
	}
	if (facets && fl_search_parse_facets(facets, &o->facets, &err)
	    != FL_OK)
		return refuse(e, SD_STATUS_BAD_REQUEST, "bad_parameter",
			      "facets", "parameter 'facets': %s (known: "
			      "source, type, year, month, all)", err.msg);
	return FL_OK;
}

/* 1 when the period to ends before the period from begins. */
static int to_before_from(const char *from, const char *to)
{
	int32_t f0, f1, t0, t1;

	return fl_docmeta_parse_period(from, &f0, &f1) &&
	       fl_docmeta_parse_period(to, &t0, &t1) && t1 <= f0;
}

int sd_params_search(const struct sd_params *p, struct fl_search_opts *o,
		     struct sd_params_err *e)
{
	unsigned long limit, offset, snippets;

	fl_search_opts_init(o);
	sd_params_err_clear(e);
	if (sd_params_str(p, "q", SD_MAX_QUERY_BYTES, &o->query, e) != FL_OK
	    || sd_params_uint(p, "limit", 1, SD_MAX_LIMIT, SD_DEFAULT_LIMIT,
			      &limit, e) != FL_OK
	    || sd_params_uint(p, "offset", 0, FL_SEARCH_MAX_OFFSET, 0,
			      &offset, e) != FL_OK
	    || sd_params_str(p, "source", FL_SEARCH_MAX_FILTER, &o->source, e)
	       != FL_OK
	    || sd_params_str(p, "type", FL_SEARCH_MAX_FILTER, &o->type, e)
	       != FL_OK
	    || sd_params_str(p, "lang", FL_SEARCH_MAX_FILTER, &o->lang, e)
	       != FL_OK
	    || sd_params_date(p, "from", &o->from, e) != FL_OK
	    || sd_params_date(p, "to", &o->to, e) != FL_OK
	    || parse_choices(p, o, e) != FL_OK
	    || sd_params_uint(p, "snippets", 0, 1, 1, &snippets, e) != FL_OK)
		return FL_EINVAL;
	o->limit = limit;
	o->offset = offset;
	o->snippets = snippets != 0;
	if (o->from && o->to && to_before_from(o->from, o->to))
		return refuse(e, SD_STATUS_BAD_REQUEST, "bad_parameter", "to",
			      "parameter 'to' (%s) is before 'from' (%s)",
			      o->to, o->from);
	return FL_OK;
}

int sd_params_suggest(const struct sd_params *p, struct sd_suggest_opts *o,
		      struct sd_params_err *e)
{
	const struct sd_param *fmt = sd_params_get(p, "format");

	sd_params_err_clear(e);
	o->opensearch = fmt && strcmp(fmt->value, "opensearch") == 0;
	if (sd_params_str(p, "q", SD_MAX_QUERY_BYTES, &o->q, e) != FL_OK
	    || sd_params_uint(p, "limit", 1, FL_SUGGEST_MAX_LIMIT,
			      SD_DEFAULT_SUGGEST, &o->limit, e) != FL_OK)
		return FL_EINVAL;
	return FL_OK;
}
