/*
 * http.c - request plumbing of findling-searchd: the raw request target
 * (kept by the URI callback), limits checked before anything else (414,
 * 431, 413), the path and query parameters decoded by params.c and any
 * refusal answered as JSON, the route table, the method check (405 with
 * Allow, OPTIONS, HEAD), CORS, JSON responses and errors, and per request
 * the access log line and the metrics (in the completed callback).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "http.h"
#include "fl_json.h"
#include "fl_banned.h"

#define ALLOW_METHODS "GET, HEAD, OPTIONS"
#define CSP "default-src 'self'; base-uri 'none'; frame-ancestors 'none'"
/* Seconds a browser may cache a CORS preflight answer. */
#define CORS_MAX_AGE "600"
/* Longest access log line. */
#define LOG_LINE_MAX 1024

/* pooled: the index work runs on a search worker (queue.h); the others
 * answer on the HTTP thread and never wait behind a search. */
static const struct sd_route routes[] = {
	{ "/api/search", 0, SD_R_SEARCH, 1, sd_api_search },
	{ "/api/suggest", 0, SD_R_SUGGEST, 1, sd_api_suggest },
	{ "/api/documents/", 1, SD_R_DOCUMENT, 1, sd_api_document },
	{ "/api/stats", 0, SD_R_STATS, 1, sd_api_stats },
	{ "/api/openapi.json", 0, SD_R_OPENAPI, 0, sd_api_openapi },
	{ "/health", 0, SD_R_HEALTH, 0, sd_api_health },
	{ "/metrics", 0, SD_R_METRICS, 0, sd_api_metrics },
	{ "/", 1, SD_R_STATIC, 0, sd_www_serve },
};

uint64_t sd_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- responses ---- */

static int add_hdr(struct MHD_Response *resp, const char *n, const char *v)
{
	return MHD_add_response_header(resp, n, v) == MHD_YES ? 0 : -1;
}

static int add_common(struct sd_req *r, struct MHD_Response *resp,
		      const char *ctype)
{
	int bad = 0;

	bad |= add_hdr(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	bad |= add_hdr(resp, "X-Content-Type-Options", "nosniff");
	bad |= add_hdr(resp, "Content-Security-Policy", CSP);
	bad |= add_hdr(resp, "Referrer-Policy", "no-referrer");
	if (strncmp(r->path ? r->path : "", "/api/", 5) == 0
	    || r->route == SD_R_METRICS || r->route == SD_R_HEALTH)
		bad |= add_hdr(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (r->d->opt.norigins > 0)
		bad |= add_hdr(resp, MHD_HTTP_HEADER_VARY, "Origin");
	if (r->origin)
		bad |= add_hdr(resp, "Access-Control-Allow-Origin", r->origin);
	if (r->cache_state)
		bad |= add_hdr(resp, "X-Cache", r->cache_state);
	return bad;
}

static void free_cb(void *p)
{
	free(p);
}

/*
 * Queue data as the answer with the common headers plus the NULL-ended
 * name/value list extra. take: data is ours to free().
 */
static enum MHD_Result respond(struct sd_req *r, unsigned status,
			       const char *ctype, const void *data,
			       size_t len, int take,
			       const char *const *extra)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (take)
		resp = MHD_create_response_from_buffer_with_free_callback(
			len, (void *)data, free_cb);
	else
		resp = MHD_create_response_from_buffer(len, (void *)data,
						       MHD_RESPMEM_MUST_COPY);
	if (!resp) {
		if (take)
			free((void *)data);
		return MHD_NO;
	}
	if (add_common(r, resp, ctype) != 0) {
		MHD_destroy_response(resp);
		return MHD_NO;
	}
	for (; extra && extra[0]; extra += 2) {
		if (add_hdr(resp, extra[0], extra[1]) != 0) {
			MHD_destroy_response(resp);
			return MHD_NO;
		}
	}
	r->answered = 1;
	r->status = status;
	r->bytes = r->head ? 0 : len;
	if (r->deferred) {
		/* On a search worker: MHD queues only on the connection's own
		 * thread, so the answer waits in r until it is resumed. */
		r->resp = resp;
		return MHD_YES;
	}
	ret = MHD_queue_response(r->conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

enum MHD_Result sd_respond_bytes(struct sd_req *r, unsigned status,
				 const char *ctype, const void *data,
				 size_t len, int take)
{
	return respond(r, status, ctype, data, len, take, NULL);
}

char *sd_json_text(json_t *body)
{
	char *text;

	if (!body)
		return NULL;
	text = fl_json_dump(body, 0);
	json_decref(body);
	return text;
}

enum MHD_Result sd_respond_json(struct sd_req *r, unsigned status,
				json_t *body)
{
	char *text = sd_json_text(body);
	size_t len;

	if (!text)
		return MHD_NO;
	len = strlen(text);
	return respond(r, status, "application/json; charset=utf-8", text,
		       len, 1, NULL);
}

static json_t *error_body(const char *code, const char *param,
			  const char *msg)
{
	json_t *e = json_object();
	json_t *o = json_object();

	if (!e || !o) {
		json_decref(e);
		json_decref(o);
		return NULL;
	}
	json_object_set_new(e, "code", json_string(code));
	json_object_set_new(e, "message", json_string(msg));
	if (param)
		json_object_set_new(e, "parameter", json_string(param));
	json_object_set_new(o, "error", e);
	return o;
}

static enum MHD_Result respond_error_v(struct sd_req *r, unsigned status,
				       const char *code, const char *param,
				       const char *const *extra,
				       const char *fmt, va_list ap)
{
	char msg[FL_ERR_MSG_MAX];
	json_t *body;
	char *text;

	if (vsnprintf(msg, sizeof msg, fmt, ap) < 0)
		msg[0] = '\0';
	body = error_body(code, param, msg);
	text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (!text)
		return MHD_NO;
	return respond(r, status, "application/json; charset=utf-8", text,
		       strlen(text), 1, extra);
}

enum MHD_Result sd_respond_error(struct sd_req *r, unsigned status,
				 const char *code, const char *param,
				 const char *fmt, ...)
{
	enum MHD_Result ret;
	va_list ap;

	va_start(ap, fmt);
	ret = respond_error_v(r, status, code, param, NULL, fmt, ap);
	va_end(ap);
	return ret;
}

static enum MHD_Result respond_error_hdr(struct sd_req *r, unsigned status,
					 const char *code,
					 const char *const *extra,
					 const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static enum MHD_Result respond_error_hdr(struct sd_req *r, unsigned status,
					 const char *code,
					 const char *const *extra,
					 const char *fmt, ...)
{
	enum MHD_Result ret;
	va_list ap;

	va_start(ap, fmt);
	ret = respond_error_v(r, status, code, NULL, extra, fmt, ap);
	va_end(ap);
	return ret;
}

enum MHD_Result sd_respond_flerr(struct sd_req *r, struct sd_worker *w,
				 const struct fl_err *err)
{
	if (w && w->timed_out) {
		atomic_fetch_add(&r->d->metrics.timeouts, 1);
		return sd_respond_error(r, MHD_HTTP_SERVICE_UNAVAILABLE,
					"timeout", NULL,
					"request exceeded its time budget of "
					"%u ms", w->budget_ms);
	}
	switch (err->code) {
	case FL_ENOTFOUND:
		return sd_respond_error(r, MHD_HTTP_NOT_FOUND, "not_found",
					NULL, "%s", err->msg);
	case FL_EBUSY:
		return sd_respond_error(r, MHD_HTTP_SERVICE_UNAVAILABLE,
					"busy", NULL, "%s", err->msg);
	case FL_ELIMIT:
	case FL_EINVAL:
	case FL_EQUERY:
		return sd_respond_error(r, MHD_HTTP_BAD_REQUEST,
					"bad_request", NULL, "%s", err->msg);
	default:
		return sd_respond_error(r, MHD_HTTP_SERVICE_UNAVAILABLE,
					"index_unavailable", NULL, "%s",
					err->msg);
	}
}

/* ---- the request target (parsed by params.c) ---- */

enum MHD_Result sd_respond_params_err(struct sd_req *r,
				      const struct sd_params_err *e)
{
	if (e->status == 0)
		return MHD_NO; /* out of memory */
	return sd_respond_error(r, e->status, e->code, e->param, "%s", e->msg);
}

/* Split the raw target into the decoded path and parameters. */
static int parse_target(struct sd_req *r, enum MHD_Result *ret)
{
	struct sd_params_err e;

	if (sd_params_target(r->raw, r->raw_len, &r->path, &r->params, &e)
	    == FL_OK)
		return 0;
	*ret = sd_respond_params_err(r, &e);
	return -1;
}

/* ---- the request lifecycle ---- */

void *sd_http_uri_cb(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct sd_req *r = calloc(1, sizeof *r);

	if (!r)
		return NULL;
	r->d = cls;
	r->conn = c;
	r->start_ns = sd_now_ns();
	r->route = SD_R_OTHER;
	sd_params_init(&r->params);
	r->raw_len = strlen(uri);
	if (r->raw_len <= SD_MAX_URL_BYTES)
		r->raw = strdup(uri);
	return r;
}

static enum MHD_Result sum_header(void *cls, enum MHD_ValueKind kind,
				  const char *k, const char *v)
{
	size_t *sum = cls;

	(void)kind;
	*sum += strlen(k) + (v ? strlen(v) : 0) + 4; /* ": " and CRLF */
	return MHD_YES;
}

/* 1 when the announced body is over the limit. */
static int body_too_big(struct sd_req *r)
{
	const char *cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						     "Content-Length");
	char *end;
	unsigned long long n;

	if (!cl)
		return 0;
	errno = 0;
	n = strtoull(cl, &end, 10);
	return errno != 0 || *end != '\0' || n > SD_MAX_BODY_BYTES;
}

/* Checks on the first call, before any body: 414, 431, 413. */
static int early_limits(struct sd_req *r, enum MHD_Result *ret)
{
	struct sd_params_err e;
	size_t hdr = 0;

	sd_params_err_clear(&e);
	if (!r->raw) {
		/* Too long (or no memory for the copy: then e stays empty
		 * and the connection is dropped). */
		sd_params_check_len(r->raw_len, &e);
		*ret = sd_respond_params_err(r, &e);
		return -1;
	}
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, sum_header, &hdr);
	if (hdr > SD_MAX_HEADER_BYTES) {
		*ret = sd_respond_error(
			r, MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE,
			"headers_too_large", NULL,
			"request headers are %zu bytes, the limit is %d", hdr,
			SD_MAX_HEADER_BYTES);
		return -1;
	}
	if (body_too_big(r)) {
		*ret = sd_respond_error(r, MHD_HTTP_CONTENT_TOO_LARGE,
					"payload_too_large", NULL,
					"request body over %d bytes (the API "
					"takes no body)", SD_MAX_BODY_BYTES);
		return -1;
	}
	return 0;
}

static const char *allowed_origin(struct sd_req *r)
{
	const char *o = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						    "Origin");
	size_t i;

	if (!o)
		return NULL;
	for (i = 0; i < r->d->opt.norigins; i++)
		if (strcmp(o, r->d->opt.origins[i]) == 0)
			return r->d->opt.origins[i];
	return NULL;
}

static enum MHD_Result preflight(struct sd_req *r)
{
	static const char *const cors[] = {
		"Allow", ALLOW_METHODS,
		"Access-Control-Allow-Methods", ALLOW_METHODS,
		"Access-Control-Allow-Headers", "Content-Type",
		"Access-Control-Max-Age", CORS_MAX_AGE,
		NULL
	};

	return respond(r, MHD_HTTP_NO_CONTENT, "text/plain", "", 0, 0,
		       r->origin ? cors : cors + 8);
}

static const struct sd_route *find_route(const char *path, const char **rest)
{
	size_t i, n;

	for (i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		n = strlen(routes[i].path);
		if (routes[i].prefix ? strncmp(path, routes[i].path, n) == 0
				     : strcmp(path, routes[i].path) == 0) {
			*rest = path + (routes[i].prefix ? n : strlen(path));
			return &routes[i];
		}
	}
	return NULL;
}

/* ---- index work on the search workers ---- */

static struct sd_req *job_req(struct sd_job *job)
{
	return (struct sd_req *)(void *)((char *)job
					 - offsetof(struct sd_req, job));
}

/* Runs on a search worker (or, cancelled, on the thread stopping the
 * queue): answer r into r->resp, then hand r back to its MHD thread. */
static void run_job(struct sd_job *job, int cancelled)
{
	struct sd_req *r = job_req(job);
	struct MHD_Connection *c = r->conn;

	r->deferred = 1;
	sd_worker_budget_next(r->budget_ms);
	if (cancelled)
		r->job_ret = sd_respond_error(r, MHD_HTTP_SERVICE_UNAVAILABLE,
					      "shutting_down", NULL,
					      "the daemon is stopping");
	else
		r->job_ret = r->job_route->fn(r, r->job_rest);
	sd_worker_budget_next(0);
	r->deferred = 0;
	r->job_done = 1;
	/* From here on r belongs to the MHD thread again (it may be freed
	 * as soon as the connection runs): do not touch it. */
	MHD_resume_connection(c);
}

/* Called under the queue's lock before a worker can take the job. */
static void suspend_job(struct sd_job *job)
{
	MHD_suspend_connection(job_req(job)->conn);
}

/* The resumed handler call: queue what the worker answered. */
static enum MHD_Result finish_job(struct sd_req *r)
{
	struct MHD_Response *resp = r->resp;
	enum MHD_Result ret;

	r->resp = NULL;
	r->job_done = 0;
	if (!resp)
		return MHD_NO;       /* the handler failed without an answer */
	ret = MHD_queue_response(r->conn, r->status, resp);
	MHD_destroy_response(resp);
	return ret == MHD_YES ? r->job_ret : MHD_NO;
}

/* 1 for a search with many prefix terms (SD_HEAVY_PREFIX_TERMS): it gets
 * the smaller budget and waits behind every normal request. */
static int heavy_search(const struct sd_req *r, int route)
{
	const struct sd_param *q = sd_params_get(&r->params, "q");
	size_t i, stars = 0;

	if (route != SD_R_SEARCH || !q)
		return 0;
	for (i = 0; i < q->value_len; i++)
		stars += q->value[i] == '*';
	return stars >= SD_HEAVY_PREFIX_TERMS;
}

/*
 * A pooled route: a cache hit is answered here on the HTTP thread; any
 * other request waits for a search worker, or is answered 503
 * "overloaded" at once when SD_DEFAULT_QUEUE (--queue) are waiting.
 */
static enum MHD_Result run_pooled(struct sd_req *r,
				  const struct sd_route *rt, const char *rest)
{
	static const char *const retry[] = {
		"Retry-After", SD_RETRY_AFTER_S, NULL
	};
	struct sd_worker *w;
	struct fl_err err;
	enum MHD_Result ret;

	fl_err_clear(&err);
	if (r->d->cache && (rt->id == SD_R_SEARCH || rt->id == SD_R_SUGGEST)
	    && (w = sd_worker_get(r->d, &err)) != NULL
	    && sd_cache_answer(r, w, &ret))
		return ret;
	r->job.run = run_job;
	r->job_route = rt;
	r->job_rest = rest;
	r->job.heavy = heavy_search(r, rt->id);
	if (r->job.heavy && r->d->opt.budget_ms > SD_HEAVY_BUDGET_MS)
		r->budget_ms = SD_HEAVY_BUDGET_MS;
	if (sd_queue_push(r->d->queue, &r->job, suspend_job) == FL_OK)
		return MHD_YES;
	atomic_fetch_add(&r->d->metrics.overloaded, 1);
	return respond_error_hdr(r, MHD_HTTP_SERVICE_UNAVAILABLE, "overloaded",
				 retry, "%u requests are waiting for a search "
				 "worker; try again later", r->d->opt.queue);
}

/* The final call: parse, route, check the method, run the handler. */
static enum MHD_Result dispatch(struct sd_req *r)
{
	static const char *const allow[] = { "Allow", ALLOW_METHODS, NULL };
	const struct sd_route *rt;
	const char *rest = "";
	enum MHD_Result ret = MHD_NO;

	if (parse_target(r, &ret) != 0)
		return ret;
	rt = find_route(r->path, &rest);
	if (rt)
		r->route = rt->id;
	if (strcmp(r->method, MHD_HTTP_METHOD_OPTIONS) == 0)
		return preflight(r);
	if (strcmp(r->method, MHD_HTTP_METHOD_GET) != 0 && !r->head)
		return respond_error_hdr(r, MHD_HTTP_METHOD_NOT_ALLOWED,
					 "method_not_allowed", allow,
					 "method %s is not allowed; use GET "
					 "or HEAD", r->method);
	if (!rt)
		return sd_respond_error(r, MHD_HTTP_NOT_FOUND, "not_found",
					"path", "no such path");
	if (rt->pooled && r->d->queue)
		return run_pooled(r, rt, rest);
	return rt->fn(r, rest);
}

enum MHD_Result sd_http_handler(void *cls, struct MHD_Connection *c,
				const char *url, const char *method,
				const char *version, const char *upload,
				size_t *upload_size, void **req_cls)
{
	struct sd_req *r = *req_cls;
	enum MHD_Result ret = MHD_NO;

	(void)cls, (void)url, (void)version, (void)upload;
	if (!r)
		return MHD_NO; /* out of memory in the URI callback */
	if (!r->started) {
		r->started = 1;
		sd_conn_busy(c, 1);
		r->conn = c;
		r->method = method;
		r->head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
		r->origin = allowed_origin(r);
		atomic_fetch_add(&r->d->inflight, 1);
		if (early_limits(r, &ret) != 0)
			return ret;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		/* MHD cannot answer in the middle of a body: count, drop,
		 * and answer 413 after it. */
		r->body_bytes += *upload_size;
		*upload_size = 0;
		/* A client streaming on and on gets the connection closed. */
		return r->body_bytes > SD_MAX_BODY_DISCARD ? MHD_NO : MHD_YES;
	}
	if (r->job_done)
		return finish_job(r);
	if (r->answered)
		return MHD_YES;
	if (r->body_bytes > SD_MAX_BODY_BYTES)
		return sd_respond_error(r, MHD_HTTP_CONTENT_TOO_LARGE,
					"payload_too_large", NULL,
					"request body of %zu bytes is over "
					"%d bytes (the API takes no body)",
					r->body_bytes, SD_MAX_BODY_BYTES);
	return dispatch(r);
}

/* One access log line: ISO time, method, path, status, bytes, ms. */
static void access_log(struct sd_req *r, uint64_t us)
{
	char line[LOG_LINE_MAX];
	char when[32];
	struct timespec ts;
	struct tm tm;
	int n;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (!gmtime_r(&ts.tv_sec, &tm)
	    || strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		when[0] = '\0';
	n = snprintf(line, sizeof line, "%s.%03ldZ %s %.*s %u %zu %.3f\n",
		     when, ts.tv_nsec / 1000000,
		     r->method ? r->method : "-",
		     (int)(r->raw ? (r->raw_len > 512 ? 512 : r->raw_len) : 1),
		     r->raw ? r->raw : "-", r->status, r->bytes,
		     (double)us / 1000.0);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof line) {
		n = sizeof line - 1;
		line[n - 1] = '\n';
	}
	/* One write(2) per line on an O_APPEND descriptor: lines from the
	 * worker threads never interleave. */
	if (write(r->d->log_fd, line, (size_t)n) < 0)
		return;
}

void sd_http_completed(void *cls, struct MHD_Connection *c, void **req_cls,
		       enum MHD_RequestTerminationCode toe)
{
	struct sd_daemon *d = cls;
	struct sd_req *r = *req_cls;
	uint64_t us;

	(void)toe;
	if (!r)
		return;
	us = (sd_now_ns() - r->start_ns) / 1000;
	sd_metrics_observe(&d->metrics, r->route, r->status, us, r->bytes);
	if (d->log_fd >= 0)
		access_log(r, us);
	if (r->started) {
		atomic_fetch_sub(&d->inflight, 1);
		sd_conn_busy(c, 0);
	}
	if (r->resp)
		MHD_destroy_response(r->resp);
	sd_params_release(&r->params);
	free(r->path);
	free(r->raw);
	free(r);
	*req_cls = NULL;
}
