/*
 * extract_jsonl.c - JSON Lines (.jsonl and stdin): one document per line,
 * {"id","title","date","source","url","type","lang","body"}; title, date
 * and the other short fields may be null or missing, id is required. A
 * malformed line is reported as file:line and skipped; the rest goes in.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "extract.h"
#include "fl_buf.h"
#include "fl_banned.h"

/* Bytes read from the stream at a time while assembling a line. */
#define CHUNK 65536

/*
 * Read one line (without the newline) into b. Returns 1 for a line, 0 at
 * the end, -1 when the line is longer than b's maximum (the rest of it is
 * skipped), -2 on a read error.
 */
static int read_line(FILE *f, struct fl_buf *b)
{
	char chunk[CHUNK];
	int toolong = 0;
	int any = 0;

	fl_buf_reset(b);
	while (fgets(chunk, sizeof(chunk), f)) {
		size_t n = strlen(chunk);
		int eol = n && chunk[n - 1] == '\n';

		any = 1;
		if (eol)
			n--;
		if (!toolong && fl_buf_add(b, chunk, n) != FL_OK)
			toolong = 1;
		if (eol)
			break;
	}
	if (ferror(f))
		return -2;
	if (!any)
		return 0;
	return toolong ? -1 : 1;
}

/* Copy the string member key of o into *field; a number id is printed. */
static int take(json_t *o, const char *key, char **field, size_t max,
		const char **why, struct fl_err *err)
{
	json_t *v = json_object_get(o, key);
	char num[32];

	if (!v || json_is_null(v))
		return FL_OK;
	if (json_is_integer(v) && !strcmp(key, "id")) {
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		return fl_doc_set(field, num, strlen(num), err);
	}
	if (!json_is_string(v)) {
		*why = key;
		return FL_EFORMAT;
	}
	if (json_string_length(v) > max) {
		*why = key;
		return FL_ELIMIT;
	}
	return fl_doc_set(field, json_string_value(v), json_string_length(v),
			  err);
}

/* Fill d from the object o; *why names the bad field on FL_EFORMAT. */
static int record(json_t *o, struct fl_doc *d, const char **why,
		  struct fl_err *err)
{
	int rc = take(o, "id", &d->ext_id, FL_DOC_MAX_FIELD, why, err);

	if (rc == FL_OK)
		rc = take(o, "title", &d->title, FL_DOC_MAX_FIELD, why, err);
	if (rc == FL_OK)
		rc = take(o, "date", &d->date, FL_DOC_MAX_FIELD, why, err);
	if (rc == FL_OK)
		rc = take(o, "source", &d->source, FL_DOC_MAX_FIELD, why, err);
	if (rc == FL_OK)
		rc = take(o, "url", &d->url, FL_DOC_MAX_FIELD, why, err);
	if (rc == FL_OK)
		rc = take(o, "type", &d->type, FL_DOC_MAX_FIELD, why, err);
	if (rc == FL_OK)
		rc = take(o, "lang", &d->lang, FL_DOC_MAX_FIELD, why, err);
	if (rc == FL_OK)
		rc = take(o, "body", &d->body, FL_DOC_MAX_BYTES, why, err);
	if (rc == FL_OK && (!d->ext_id || !*d->ext_id)) {
		*why = "id";
		rc = FL_EFORMAT;
	}
	if (d->body)
		d->body_len = strlen(d->body);
	return rc;
}

int idx_jsonl_parse(const char *s, size_t n, struct fl_doc *d, char *msg,
		    struct fl_err *err)
{
	json_error_t jerr;
	json_t *o = json_loadb(s, n, JSON_REJECT_DUPLICATES, &jerr);
	const char *why = NULL;
	int rc;

	if (!o || !json_is_object(o)) {
		snprintf(msg, IDX_JSONL_MSG, "malformed JSON: %s", o ?
			 "not an object" : jerr.text);
		json_decref(o);
		return IDX_JSONL_SKIP;
	}
	rc = record(o, d, &why, err);
	json_decref(o);
	if (rc == FL_EFORMAT || rc == FL_ELIMIT) {
		snprintf(msg, IDX_JSONL_MSG, "%s field '%s'",
			 rc == FL_EFORMAT ? (strcmp(why, "id") ? "not a string:"
				: "missing or empty:") : "too long:", why);
		fl_doc_release(d);
		return IDX_JSONL_SKIP;
	}
	if (rc != FL_OK)
		fl_doc_release(d);
	return rc;
}

/* Parse one line and hand the document to the sink. */
static int one_line(const struct fl_buf *b, size_t lineno,
		    const struct idx_sink *sink, struct fl_err *err)
{
	struct fl_doc d;
	char msg[IDX_JSONL_MSG];
	int rc;

	if (sink->line)
		return sink->line(sink->ctx, b->data, b->len, lineno, err);
	fl_doc_init(&d);
	rc = idx_jsonl_parse(b->data, b->len, &d, msg, err);
	if (rc == IDX_JSONL_SKIP) {
		sink->skip(sink->ctx, lineno, msg);
		return FL_OK;
	}
	if (rc == FL_OK)
		return sink->emit(sink->ctx, &d, lineno, err);
	return rc;
}

int idx_extract_jsonl(FILE *f, const char *name, const struct idx_sink *sink,
		      struct fl_err *err)
{
	struct fl_buf b;
	size_t lineno = 0;
	int rc = FL_OK;
	int r;

	fl_buf_init(&b, IDX_MAX_JSON_LINE);
	while (rc == FL_OK && (r = read_line(f, &b)) != 0) {
		lineno++;
		if (r == -2) {
			rc = fl_error(err, FL_EIO, "%s:%zu: read error", name,
				      lineno);
		} else if (r == -1) {
			sink->skip(sink->ctx, lineno, "line longer than the "
				   "limit");
		} else if (b.len) {
			rc = one_line(&b, lineno, sink, err);
		}
	}
	fl_buf_release(&b);
	return rc;
}
