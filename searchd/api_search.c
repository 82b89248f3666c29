/*
 * api_search.c - GET /api/search and GET /api/suggest: read the
 * parameters with sd_params_search/_suggest (params.c; 400 naming the
 * parameter), run fl_search / fl_suggest on the worker's store inside
 * the request time budget, answer with the JSON
 * of fl_json (the same document `findling search --format json` prints).
 */
#include <string.h>

#include "http.h"
#include "fl_json.h"
#include "fl_search.h"
#include "fl_suggest.h"
#include "fl_banned.h"

void sd_search_state_free(void *state)
{
	fl_searcher_free(state);
}

static struct fl_searcher *searcher(struct sd_worker *w, struct fl_err *err)
{
	struct fl_searcher *s = NULL;

	if (w->search)
		return w->search;
	if (fl_searcher_new(w->st, w->d->lex, &s, err) != FL_OK)
		return NULL;
	fl_searcher_share_docs(s, w->d->docs);
	w->search = s;
	return s;
}

enum MHD_Result sd_api_search(struct sd_req *r, const char *rest)
{
	struct fl_search_opts o;
	struct sd_params_err pe;
	struct fl_result *res = NULL;
	struct fl_searcher *s;
	struct sd_worker *w;
	struct fl_err err;
	enum MHD_Result ret;
	int rc;

	(void)rest;
	fl_err_clear(&err);
	if (sd_params_search(&r->params, &o, &pe) != FL_OK)
		return sd_respond_params_err(r, &pe);
	w = sd_worker_get(r->d, &err);
	s = w ? searcher(w, &err) : NULL;
	if (!s)
		return sd_respond_flerr(r, NULL, &err);
	if (sd_cache_answer(r, w, &ret))
		return ret;
	sd_worker_budget_start(w);
	rc = fl_search(s, &o, &res, &err);
	sd_worker_budget_stop(w);
	if (rc != FL_OK)
		return sd_respond_flerr(r, w, &err);
	ret = sd_respond_json_cached(r, fl_json_result(res));
	fl_result_free(res);
	return ret;
}

/* The OpenSearch suggestions format: ["input", ["completion", ...]]. */
static json_t *opensearch_json(const struct fl_suggestions *sg,
			       const char *q)
{
	json_t *arr = json_array();
	json_t *texts = json_array();
	size_t i;

	if (!arr || !texts) {
		json_decref(arr);
		json_decref(texts);
		return NULL;
	}
	for (i = 0; i < sg->n; i++)
		json_array_append_new(texts, json_string(sg->items[i].text));
	json_array_append_new(arr, json_string(q));
	json_array_append_new(arr, texts);
	return arr;
}

enum MHD_Result sd_api_suggest(struct sd_req *r, const char *rest)
{
	struct fl_suggestions *sg = NULL;
	struct sd_suggest_opts o;
	struct sd_params_err pe;
	const char *q;
	struct sd_worker *w;
	struct fl_err err;
	enum MHD_Result ret;
	int rc;

	(void)rest;
	fl_err_clear(&err);
	if (sd_params_suggest(&r->params, &o, &pe) != FL_OK)
		return sd_respond_params_err(r, &pe);
	q = o.q ? o.q : "";
	w = sd_worker_get(r->d, &err);
	if (!w)
		return sd_respond_flerr(r, NULL, &err);
	if (sd_cache_answer(r, w, &ret))
		return ret;
	sd_worker_budget_start(w);
	rc = fl_suggest(w->st, q, strlen(q), o.limit, &sg, &err);
	sd_worker_budget_stop(w);
	if (rc != FL_OK)
		return sd_respond_flerr(r, w, &err);
	if (o.opensearch)
		ret = sd_respond_json_cached(r, opensearch_json(sg, q));
	else
		ret = sd_respond_json_cached(r, fl_json_suggestions(sg));
	fl_suggestions_free(sg);
	return ret;
}
