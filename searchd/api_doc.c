/*
 * api_doc.c - GET /api/documents/{id}, /api/stats, /health, /metrics and
 * /api/openapi.json. Thin: one library call, one JSON answer.
 */
#include <string.h>

#include "http.h"
#include "fl_doc.h"
#include "fl_json.h"
#include "fl_search.h"
#include "fl_banned.h"

/* Largest /metrics text. */
#define METRICS_MAX (256 * 1024)

extern const unsigned char sd_www_openapi_json[];
extern const size_t sd_www_openapi_json_len;

enum MHD_Result sd_api_document(struct sd_req *r, const char *id)
{
	struct sd_worker *w;
	struct fl_doc doc;
	struct fl_err err;
	enum MHD_Result ret;
	int rc;

	fl_err_clear(&err);
	if (id[0] == '\0')
		return sd_respond_error(r, MHD_HTTP_NOT_FOUND, "not_found",
					"id", "no document id in the path");
	w = sd_worker_get(r->d, &err);
	if (!w)
		return sd_respond_flerr(r, NULL, &err);
	sd_worker_budget_start(w);
	rc = fl_doc_get(w->st, id, &doc, &err);
	sd_worker_budget_stop(w);
	if (rc == FL_ENOTFOUND && !w->timed_out)
		return sd_respond_error(r, MHD_HTTP_NOT_FOUND, "not_found",
					"id", "no document with id '%.*s'",
					(int)sd_params_shown(id, strlen(id),
							     SD_SHOW_ID_MAX),
					id);
	if (rc != FL_OK)
		return sd_respond_flerr(r, w, &err);
	ret = sd_respond_json(r, MHD_HTTP_OK, fl_json_doc(&doc, 1));
	fl_doc_release(&doc);
	return ret;
}

enum MHD_Result sd_api_stats(struct sd_req *r, const char *rest)
{
	struct fl_stats *s = NULL;
	struct sd_worker *w;
	struct fl_err err;
	enum MHD_Result ret;
	int rc;

	(void)rest;
	fl_err_clear(&err);
	w = sd_worker_get(r->d, &err);
	if (!w)
		return sd_respond_flerr(r, NULL, &err);
	sd_worker_budget_start(w);
	rc = fl_stats_get(w->st, &s, &err);
	sd_worker_budget_stop(w);
	if (rc != FL_OK)
		return sd_respond_flerr(r, w, &err);
	ret = sd_respond_json(r, MHD_HTTP_OK, fl_json_stats(s));
	fl_stats_free(s);
	return ret;
}

/* Documents and generation of the worker's store (-1 when unknown). */
static struct sd_worker *index_facts(struct sd_req *r, int64_t *docs,
				     int64_t *gen, struct fl_err *err)
{
	struct sd_worker *w = sd_worker_get(r->d, err);

	*docs = -1;
	*gen = -1;
	if (!w)
		return NULL;
	sd_worker_budget_start(w);
	if (fl_store_doc_count(w->st, docs, err) != FL_OK
	    || fl_store_generation(w->st, gen, err) != FL_OK) {
		sd_worker_budget_stop(w);
		return NULL;
	}
	sd_worker_budget_stop(w);
	return w;
}

enum MHD_Result sd_api_health(struct sd_req *r, const char *rest)
{
	int64_t docs, gen;
	struct fl_err err;
	json_t *o = json_object();
	int ok;

	(void)rest;
	fl_err_clear(&err);
	if (!o)
		return MHD_NO;
	ok = index_facts(r, &docs, &gen, &err) != NULL;
	json_object_set_new(o, "status", json_string(ok ? "ok" : "error"));
	if (ok) {
		json_object_set_new(o, "documents", json_integer(docs));
		json_object_set_new(o, "generation", json_integer(gen));
	} else {
		json_object_set_new(o, "message", json_string(err.msg));
	}
	json_object_set_new(o, "draining",
			    json_boolean(atomic_load(&r->d->draining)));
	json_object_set_new(o, "uptime_s", json_real(
		(double)(sd_now_ns() - r->d->start_ns) / 1e9));
	return sd_respond_json(r, ok ? MHD_HTTP_OK
				 : MHD_HTTP_SERVICE_UNAVAILABLE, o);
}

enum MHD_Result sd_api_metrics(struct sd_req *r, const char *rest)
{
	struct fl_buf b;
	struct fl_err err;
	int64_t docs, gen;
	char *text;
	size_t len;

	(void)rest;
	fl_err_clear(&err);
	fl_buf_init(&b, METRICS_MAX);
	index_facts(r, &docs, &gen, &err);
	if (sd_metrics_render(r->d, docs, gen, &b) != FL_OK) {
		fl_buf_release(&b);
		return sd_respond_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR,
					"internal", NULL,
					"metrics text over %d bytes",
					METRICS_MAX);
	}
	text = fl_buf_detach(&b, &len);
	if (!text)
		return MHD_NO;
	return sd_respond_bytes(r, MHD_HTTP_OK,
				"text/plain; version=0.0.4; charset=utf-8",
				text, len, 1);
}

enum MHD_Result sd_api_openapi(struct sd_req *r, const char *rest)
{
	(void)rest;
	return sd_respond_bytes(r, MHD_HTTP_OK,
				"application/json; charset=utf-8",
				sd_www_openapi_json, sd_www_openapi_json_len,
				0);
}
