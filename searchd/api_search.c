/*
 * api_search.c - GET /api/search and GET /api/suggest: validate the
 * parameters (400 naming the parameter), run fl_search / fl_suggest on
 * the worker's store inside the request time budget, answer with the JSON
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
	w->search = s;
	return s;
}

/* The enumerated parameters: sort and facets. */
static int parse_choices(struct sd_req *r, struct fl_search_opts *o)
{
	const char *sort = NULL;
	const char *facets = NULL;
	struct fl_err err;

	fl_err_clear(&err);
	if (sd_param_str(r, "sort", SD_MAX_PARAM_BYTES, &sort) != FL_OK
	    || sd_param_str(r, "facets", SD_MAX_PARAM_BYTES, &facets) != FL_OK)
		return FL_EINVAL;
	if (sort && fl_search_parse_sort(sort, &o->sort, &err) != FL_OK) {
		sd_respond_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter",
				 "sort", "parameter 'sort' must be relevance "
				 "or date, got '%.64s'", sort);
		return FL_EINVAL;
	}
	if (facets && fl_search_parse_facets(facets, &o->facets, &err)
	    != FL_OK) {
		sd_respond_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter",
				 "facets", "parameter 'facets': %s "
				 "(known: source, type, year, month, all)",
				 err.msg);
		return FL_EINVAL;
	}
	return FL_OK;
}

/* Read and check every search parameter into o; 400 answered on error. */
static int parse_search(struct sd_req *r, struct fl_search_opts *o)
{
	unsigned long limit, offset;

	fl_search_opts_init(o);
	if (sd_param_str(r, "q", SD_MAX_QUERY_BYTES, &o->query) != FL_OK
	    || sd_param_uint(r, "limit", 1, SD_MAX_LIMIT, SD_DEFAULT_LIMIT,
			     &limit) != FL_OK
	    || sd_param_uint(r, "offset", 0, FL_SEARCH_MAX_OFFSET, 0,
			     &offset) != FL_OK
	    || sd_param_str(r, "source", FL_SEARCH_MAX_FILTER, &o->source)
	       != FL_OK
	    || sd_param_str(r, "type", FL_SEARCH_MAX_FILTER, &o->type) != FL_OK
	    || sd_param_str(r, "lang", FL_SEARCH_MAX_FILTER, &o->lang) != FL_OK
	    || sd_param_date(r, "from", &o->from) != FL_OK
	    || sd_param_date(r, "to", &o->to) != FL_OK
	    || parse_choices(r, o) != FL_OK)
		return FL_EINVAL;
	o->limit = limit;
	o->offset = offset;
	if (o->from && o->to && strcmp(o->from, o->to) > 0) {
		sd_respond_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter",
				 "to", "parameter 'to' (%s) is before 'from' "
				 "(%s)", o->to, o->from);
		return FL_EINVAL;
	}
	return FL_OK;
}

enum MHD_Result sd_api_search(struct sd_req *r, const char *rest)
{
	struct fl_search_opts o;
	struct fl_result *res = NULL;
	struct fl_searcher *s;
	struct sd_worker *w;
	struct fl_err err;
	enum MHD_Result ret;
	int rc;

	(void)rest;
	fl_err_clear(&err);
	if (parse_search(r, &o) != FL_OK)
		return MHD_YES;
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
	const struct sd_param *fmt;
	const char *q = NULL;
	unsigned long limit;
	struct sd_worker *w;
	struct fl_err err;
	enum MHD_Result ret;
	int rc;

	(void)rest;
	fl_err_clear(&err);
	if (sd_param_str(r, "q", SD_MAX_QUERY_BYTES, &q) != FL_OK
	    || sd_param_uint(r, "limit", 1, FL_SUGGEST_MAX_LIMIT,
			     SD_DEFAULT_SUGGEST, &limit) != FL_OK)
		return MHD_YES;
	w = sd_worker_get(r->d, &err);
	if (!w)
		return sd_respond_flerr(r, NULL, &err);
	if (sd_cache_answer(r, w, &ret))
		return ret;
	sd_worker_budget_start(w);
	rc = fl_suggest(w->st, q ? q : "", q ? strlen(q) : 0, limit, &sg,
			&err);
	sd_worker_budget_stop(w);
	if (rc != FL_OK)
		return sd_respond_flerr(r, w, &err);
	fmt = sd_param_get(r, "format");
	if (fmt && strcmp(fmt->value, "opensearch") == 0)
		ret = sd_respond_json_cached(r, opensearch_json(sg, q ? q : ""));
	else
		ret = sd_respond_json_cached(r, fl_json_suggestions(sg));
	fl_suggestions_free(sg);
	return ret;
}
