/*
 * fl_json.c - the wire format (see fl_json.h). Built with jansson's
 * json_pack-free API so a NULL string becomes JSON null, never a crash.
 */
#include "fl_json.h"

#include <stdlib.h>
#include <string.h>

#include "fl_banned.h"

static json_t *str_or_null(const char *s)
{
	json_t *j = s ? json_string(s) : json_null();

	return j ? j : json_null(); /* invalid UTF-8 -> null */
}

static void set(json_t *o, const char *key, json_t *v)
{
	json_object_set_new(o, key, v ? v : json_null());
}

static json_t *marks_json(const struct fl_hit *h)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < h->nmarks; i++) {
		json_t *p = json_array();

		json_array_append_new(p, json_integer((json_int_t)
						      h->marks[i].start));
		json_array_append_new(p, json_integer((json_int_t)
						      h->marks[i].end));
		json_array_append_new(a, p);
	}
	return a;
}

static json_t *hit_json(const struct fl_result *r, const struct fl_hit *h)
{
	json_t *o = json_object();
	size_t i;

	if (!o)
		return NULL;
	set(o, "id", str_or_null(h->ext_id));
	set(o, "title", str_or_null(h->title));
	set(o, "url", str_or_null(h->url));
	set(o, "date", str_or_null(h->date));
	set(o, "source", str_or_null(h->source));
	set(o, "type", str_or_null(h->type));
	set(o, "score", json_real(h->score));
	set(o, "matched", json_integer((json_int_t)h->nmatched));
	set(o, "snippet", str_or_null(h->snippet));
	set(o, "snippet_text", str_or_null(h->snippet_text));
	set(o, "marks", marks_json(h));
	if (h->term_scores) {
		json_t *e = json_object();

		for (i = 0; e && i < r->nterms; i++)
			set(e, r->terms[i], json_real(h->term_scores[i]));
		set(o, "explain", e);
	}
	return o;
}

static json_t *facets_json(const struct fl_result *r)
{
	json_t *o = json_object();
	size_t i, j;

	for (i = 0; o && i < r->nfacets; i++) {
		json_t *a = json_array();

		for (j = 0; a && j < r->facets[i].n; j++) {
			json_t *v = json_object();

			set(v, "value", str_or_null(r->facets[i].values[j].value));
			set(v, "count", json_integer(r->facets[i].values[j].count));
			json_array_append_new(a, v);
		}
		set(o, r->facets[i].name, a);
	}
	return o;
}

static json_t *suggestion_json(const struct fl_suggestion *sg)
{
	json_t *o, *a;
	size_t i;

	if (!sg)
		return json_null();
	o = json_object();
	a = json_array();
	for (i = 0; a && i < sg->nchanges; i++) {
		json_t *c = json_object();

		set(c, "from", str_or_null(sg->changes[i].from));
		set(c, "to", str_or_null(sg->changes[i].to));
		set(c, "why", str_or_null(sg->changes[i].why));
		json_array_append_new(a, c);
	}
	set(o, "text", str_or_null(sg->text));
	set(o, "total", json_integer(sg->total));
	set(o, "changes", a);
	return o;
}

json_t *fl_json_result(const struct fl_result *r)
{
	json_t *o = json_object(), *hits = json_array();
	size_t i;

	if (!o || !hits) {
		json_decref(o);
		json_decref(hits);
		return NULL;
	}
	set(o, "query", str_or_null(r->query));
	set(o, "interpreted", str_or_null(r->interpreted));
	set(o, "notes", str_or_null(r->notes));
	set(o, "mode", json_string(fl_search_mode_name(r->mode)));
	set(o, "total", json_integer(r->total));
	set(o, "took_ms", json_real(r->took_ms));
	set(o, "offset", json_integer((json_int_t)r->offset));
	set(o, "limit", json_integer((json_int_t)r->limit));
	set(o, "sort", json_string(fl_search_sort_name(r->sort)));
	for (i = 0; i < r->nhits; i++)
		json_array_append_new(hits, hit_json(r, &r->hits[i]));
	set(o, "hits", hits);
	set(o, "facets", facets_json(r));
	set(o, "suggestion", suggestion_json(r->suggestion));
	return o;
}

json_t *fl_json_suggestions(const struct fl_suggestions *s)
{
	json_t *o = json_object(), *a = json_array();
	size_t i;

	for (i = 0; a && i < s->n; i++) {
		json_t *it = json_object();

		set(it, "text", str_or_null(s->items[i].text));
		set(it, "word", str_or_null(s->items[i].word));
		set(it, "n", json_integer(s->items[i].n));
		json_array_append_new(a, it);
	}
	set(o, "prefix", str_or_null(s->prefix));
	set(o, "took_ms", json_real(s->took_ms));
	set(o, "suggestions", a);
	return o;
}

json_t *fl_json_doc(const struct fl_doc *d, int with_body)
{
	json_t *o = json_object();

	set(o, "id", str_or_null(d->ext_id));
	set(o, "title", str_or_null(d->title));
	set(o, "url", str_or_null(d->url));
	set(o, "date", str_or_null(d->date));
	set(o, "source", str_or_null(d->source));
	set(o, "type", str_or_null(d->type));
	set(o, "lang", str_or_null(d->lang));
	set(o, "path", str_or_null(d->path));
	set(o, "indexed_at", str_or_null(d->indexed_at));
	if (with_body)
		set(o, "body", str_or_null(d->body));
	return o;
}

static json_t *counts_json(const struct fl_stat_count *c, size_t n)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; o && i < n; i++)
		set(o, c[i].value, json_integer(c[i].count));
	return o;
}

json_t *fl_json_stats(const struct fl_stats *s)
{
	json_t *o = json_object();

	set(o, "documents", json_integer(s->documents));
	set(o, "vocabulary", json_integer(s->vocabulary));
	set(o, "index_bytes", json_integer(s->index_bytes));
	set(o, "schema_version", json_integer(s->schema_version));
	set(o, "analyzer_version", str_or_null(s->analyzer_version));
	set(o, "created_at", str_or_null(s->created_at));
	set(o, "generation", json_integer(s->generation));
	set(o, "types", counts_json(s->types, s->ntypes));
	set(o, "sources", counts_json(s->sources, s->nsources));
	set(o, "years", counts_json(s->years, s->nyears));
	return o;
}

json_t *fl_json_error(int code, const char *msg)
{
	json_t *o = json_object(), *e = json_object();

	set(e, "code", json_string(fl_rc_str(code)));
	set(e, "message", str_or_null(msg));
	set(o, "error", e);
	return o;
}

char *fl_json_dump(const json_t *j, int indent)
{
	size_t flags = JSON_ENSURE_ASCII * 0 | JSON_PRESERVE_ORDER;

	if (indent > 0)
		flags |= JSON_INDENT(indent);
	else
		flags |= JSON_COMPACT;
	return json_dumps(j, flags);
}

/* ---- reading a result back ------------------------------------------ */

static char *jdup(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	char *d;

	if (!s)
		return NULL;
	d = malloc(strlen(s) + 1);
	if (d)
		memcpy(d, s, strlen(s) + 1);
	return d;
}

static char *jdup_empty(const json_t *o, const char *key)
{
	char *d = jdup(o, key);

	if (!d && (d = malloc(1)))
		d[0] = '\0';
	return d;
}

static int64_t jint(const json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key));
}

/* A static name equal to s from names (NULL-terminated), or NULL. */
static const char *static_name(const char *s, const char *const *names)
{
	for (; s && *names; names++)
		if (!strcmp(s, *names))
			return *names;
	return NULL;
}

static int parse_marks(const json_t *a, struct fl_hit *h)
{
	size_t i, n = json_array_size(a);

	h->marks = calloc(n + 1, sizeof(*h->marks));
	if (!h->marks)
		return FL_ENOMEM;
	for (i = 0; i < n; i++) {
		const json_t *m = json_array_get(a, i);

		h->marks[i].start = (size_t)json_integer_value(
			json_array_get(m, 0));
		h->marks[i].end = (size_t)json_integer_value(
			json_array_get(m, 1));
	}
	h->nmarks = n;
	return FL_OK;
}

static int parse_hit(const json_t *o, struct fl_hit *h)
{
	h->ext_id = jdup_empty(o, "id");
	h->title = jdup_empty(o, "title");
	h->type = jdup_empty(o, "type");
	h->url = jdup(o, "url");
	h->date = jdup(o, "date");
	h->source = jdup(o, "source");
	h->snippet = jdup(o, "snippet");
	h->snippet_text = jdup(o, "snippet_text");
	h->score = json_number_value(json_object_get(o, "score"));
	h->nmatched = (size_t)jint(o, "matched");
	if (!h->ext_id || !h->title || !h->type)
		return FL_ENOMEM;
	return parse_marks(json_object_get(o, "marks"), h);
}

static int parse_facets(const json_t *o, struct fl_result *r)
{
	static const char *const names[] = { "source", "type", "year",
					     "month", NULL };
	size_t i, j;

	r->facets = calloc(4, sizeof(*r->facets));
	if (!r->facets)
		return FL_ENOMEM;
	for (i = 0; names[i]; i++) {
		const json_t *a = json_object_get(o, names[i]);
		struct fl_facet *f;

		if (!json_is_array(a))
			continue;
		f = &r->facets[r->nfacets++];
		f->name = names[i];
		f->values = calloc(json_array_size(a) + 1, sizeof(*f->values));
		if (!f->values)
			return FL_ENOMEM;
		for (j = 0; j < json_array_size(a); j++) {
			const json_t *v = json_array_get(a, j);

			f->values[j].value = jdup_empty(v, "value");
			f->values[j].count = jint(v, "count");
			if (!f->values[j].value)
				return FL_ENOMEM;
			f->n++;
		}
	}
	return FL_OK;
}

static int parse_suggestion(const json_t *o, struct fl_result *r)
{
	static const char *const whys[] = { "spelling", "typo", "split",
					    "join", NULL };
	const json_t *a = json_object_get(o, "changes");
	struct fl_suggestion *sg;
	size_t i;

	if (!json_is_object(o))
		return FL_OK;
	sg = calloc(1, sizeof(*sg));
	if (!sg)
		return FL_ENOMEM;
	r->suggestion = sg;
	sg->text = jdup_empty(o, "text");
	sg->total = jint(o, "total");
	sg->changes = calloc(json_array_size(a) + 1, sizeof(*sg->changes));
	if (!sg->text || !sg->changes)
		return FL_ENOMEM;
	for (i = 0; i < json_array_size(a); i++) {
		const json_t *c = json_array_get(a, i);
		struct fl_change *ch = &sg->changes[sg->nchanges++];

		ch->from = jdup_empty(c, "from");
		ch->to = jdup_empty(c, "to");
		ch->why = static_name(json_string_value(json_object_get(c,
					"why")), whys);
		if (!ch->from || !ch->to)
			return FL_ENOMEM;
	}
	return FL_OK;
}

static int parse_result(const json_t *j, struct fl_result *r)
{
	const json_t *hits = json_object_get(j, "hits");
	const char *mode = json_string_value(json_object_get(j, "mode"));
	const char *sort = json_string_value(json_object_get(j, "sort"));
	size_t i;
	int rc = FL_OK;

	r->query = jdup_empty(j, "query");
	r->interpreted = jdup_empty(j, "interpreted");
	r->notes = jdup_empty(j, "notes");
	r->total = jint(j, "total");
	r->took_ms = json_number_value(json_object_get(j, "took_ms"));
	r->offset = (size_t)jint(j, "offset");
	r->limit = (size_t)jint(j, "limit");
	r->mode = mode && !strcmp(mode, "any") ? FL_SEARCH_MODE_ANY
		  : mode && !strcmp(mode, "browse") ? FL_SEARCH_MODE_BROWSE
						     : FL_SEARCH_MODE_ALL;
	r->sort = sort && !strcmp(sort, "date") ? FL_SEARCH_SORT_DATE
						: FL_SEARCH_SORT_RELEVANCE;
	r->hits = calloc(json_array_size(hits) + 1, sizeof(*r->hits));
	if (!r->query || !r->interpreted || !r->notes || !r->hits)
		return FL_ENOMEM;
	for (i = 0; i < json_array_size(hits) && rc == FL_OK; i++) {
		rc = parse_hit(json_array_get(hits, i), &r->hits[i]);
		r->nhits++;
	}
	if (rc == FL_OK)
		rc = parse_facets(json_object_get(j, "facets"), r);
	if (rc == FL_OK)
		rc = parse_suggestion(json_object_get(j, "suggestion"), r);
	return rc;
}

int fl_json_parse_result(const json_t *j, struct fl_result **out,
			 struct fl_err *err)
{
	struct fl_result *r;
	int rc;

	*out = NULL;
	if (!json_is_object(j) || !json_is_array(json_object_get(j, "hits")))
		return fl_error(err, FL_EINVAL, "json: not a search result");
	r = calloc(1, sizeof(*r));
	if (!r)
		return fl_error(err, FL_ENOMEM, "json: out of memory");
	rc = parse_result(j, r);
	if (rc != FL_OK) {
		fl_result_free(r);
		return fl_error(err, rc, "json: out of memory");
	}
	*out = r;
	return FL_OK;
}
