/*
 * fl_doc.c - document put/replace/delete/get/prune (see fl_doc.h). Every
 * write to documents is mirrored into docs_fts: the FTS5 'delete' command
 * with the OLD text first, then the new row, in the same transaction.
 */
#include "fl_doc.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fl_buf.h"
#include "fl_tally.h"
#include "fl_utf8.h"
#include "fl_date.h"
#include "fl_banned.h"

/* Hex digits of the content hash (two 64-bit FNV-1a variants). */
#define HASH_HEX 33

enum {
	SLOT_FIND = FL_SLOT_DOC_FIRST,
	SLOT_OLD_TEXT,
	SLOT_FTS_DELETE,
	SLOT_FTS_INSERT,
	SLOT_INSERT,
	SLOT_UPDATE,
	SLOT_SET_PATH,
	SLOT_DELETE,
	SLOT_GET_EXT,
	SLOT_GET_ID,
	SLOT_SEEN_ID,
	SLOT_SEEN_PATH_DOCS,
	SLOT_SEEN_FILE,
};

#define GET_COLS "id, ext_id, title, body, date, source, url, type, lang, " \
	"path, indexed_at"

void fl_doc_init(struct fl_doc *doc)
{
	memset(doc, 0, sizeof(*doc));
}

void fl_doc_release(struct fl_doc *doc)
{
	if (!doc)
		return;
	free(doc->ext_id);
	free(doc->title);
	free(doc->body);
	free(doc->date);
	free(doc->source);
	free(doc->url);
	free(doc->type);
	free(doc->lang);
	free(doc->path);
	free(doc->indexed_at);
	fl_doc_init(doc);
}

int fl_doc_set(char **field, const char *s, size_t n, struct fl_err *err)
{
	char *p = malloc(n + 1);

	if (!p)
		return fl_error(err, FL_ENOMEM, "document: out of memory");
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	free(*field);
	*field = p;
	return FL_OK;
}

/* ---- content hash ---- */

struct hash {
	uint64_t a;  /* FNV-1a 64 */
	uint64_t b;  /* FNV-1a 64 with another basis, bytes rotated */
};

static void hash_add(struct hash *h, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < n; i++) {
		h->a = (h->a ^ p[i]) * 0x100000001b3ULL;
		h->b = (h->b ^ (unsigned char)(p[i] + 0x5bu)) *
		       0x100000001b3ULL;
	}
	/* a field separator that cannot occur in text: length + 0xff */
	h->a = (h->a ^ 0xffu ^ (uint64_t)n) * 0x100000001b3ULL;
	h->b = (h->b ^ 0xfeu ^ ((uint64_t)n << 7)) * 0x100000001b3ULL;
}

static void hash_field(struct hash *h, const char *s)
{
	if (s)
		hash_add(h, s, strlen(s));
	else
		hash_add(h, "\xff", 1);
}

/*
 * The hash of what is stored. date is the normalised date: a re-indexed
 * document whose date the normaliser now reads differently (a bare year
 * used to be dropped) is updated, not skipped as unchanged. A date it
 * cannot read hashes as given, absent as absent.
 */
static void content_hash(const struct fl_doc *d, const char *date,
			 char out[HASH_HEX])
{
	struct hash h = { 0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL };

	hash_field(&h, d->title);
	hash_add(&h, d->body ? d->body : "", d->body ? d->body_len : 0);
	hash_field(&h, date[0] ? date : d->date);
	hash_field(&h, d->source);
	hash_field(&h, d->url);
	hash_field(&h, d->type);
	hash_field(&h, d->lang);
	snprintf(out, HASH_HEX, "%016" PRIx64 "%016" PRIx64, h.a, h.b);
}

/* ---- dates ---- */

static int valid_ymd(int y, int m, int d)
{
	return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= 31;
}

/* The time part after "T" or " ": HH:MM[:SS][.frac][Z|+hh:mm|+hhmm]. */
static int norm_time(const char *t, char *out, size_t size)
{
	int hh, mm, ss = 0;
	int n;
	const char *z;

	if (!fl_date_digits(t, 2, &hh) || t[2] != ':' ||
	    !fl_date_digits(t + 3, 2, &mm) || hh > 23 || mm > 59)
		return 0;
	z = t + 5;
	if (*z == ':') {
		if (!fl_date_digits(z + 1, 2, &ss) || ss > 60)
			return 0;
		z += 3;
	}
	while (*z == '.' || isdigit((unsigned char)*z))
		z++; /* drop fractions of a second */
	if (*z == 'Z' && !z[1])
		n = snprintf(out, size, "T%02d:%02d:%02dZ", hh, mm, ss);
	else if ((*z == '+' || *z == '-') && strlen(z) == 6 && z[3] == ':')
		n = snprintf(out, size, "T%02d:%02d:%02d%s", hh, mm, ss, z);
	else if ((*z == '+' || *z == '-') && strlen(z) == 5)
		n = snprintf(out, size, "T%02d:%02d:%02d%.3s:%s", hh, mm, ss,
			     z, z + 3);
	else if (!*z)
		n = snprintf(out, size, "T%02d:%02d:%02d", hh, mm, ss);
	else
		return 0;
	/* A cut time is no time: callers size out for the longest form. */
	if (n < 0 || (size_t)n >= size)
		return 0;
	return 1;
}

int fl_doc_norm_date(const char *in, char *out, size_t size,
		     struct fl_err *err)
{
	char tbuf[FL_DOC_DATE_MAX] = "";
	int y, m = 1, d = 1;
	size_t n;

	while (*in == ' ')
		in++;
	n = strlen(in);
	while (n && in[n - 1] == ' ')
		n--;
	if (n >= 10 && fl_date_digits(in, 4, &y) && in[4] == '-' &&
	    fl_date_digits(in + 5, 2, &m) && in[7] == '-' &&
	    fl_date_digits(in + 8, 2, &d)) {
		if (n > 10 && (in[10] == 'T' || in[10] == ' ')) {
			char tmp[FL_DOC_DATE_MAX];

			snprintf(tmp, sizeof(tmp), "%.*s", (int)(n - 11),
				 in + 11);
			if (n - 11 >= sizeof(tmp) ||
			    !norm_time(tmp, tbuf, sizeof(tbuf)))
				goto bad;
		} else if (n != 10) {
			goto bad;
		}
	} else if (n == 10 && fl_date_digits(in, 2, &d) && in[2] == '.' &&
		   fl_date_digits(in + 3, 2, &m) && in[5] == '.' &&
		   fl_date_digits(in + 6, 4, &y)) {
		/* German DD.MM.YYYY */
	} else if (n == 7 && fl_date_digits(in, 4, &y) && in[4] == '-' &&
		   fl_date_digits(in + 5, 2, &m)) {
		/* YYYY-MM: the first of the month */
	} else if (n == 4 && fl_date_digits(in, 4, &y)) {
		/* YYYY: the first of the year, as a month is its first day */
	} else {
		goto bad;
	}
	if (!valid_ymd(y, m, d))
		goto bad;
	snprintf(out, size, "%04d-%02d-%02d%s", y, m, d, tbuf);
	return FL_OK;
bad:
	/* cut at a character: %.40s could end inside an umlaut */
	return fl_error(err, FL_EFORMAT, "not a date: '%.*s'",
			(int)fl_utf8_cut(in, n < 40 ? n : 40), in);
}

/* ---- statements ---- */

static int step_done(struct fl_store *st, sqlite3_stmt *s, const char *what,
		     struct fl_err *err)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return fl_store_dberr(st, what, err);
	return FL_OK;
}

static int mark_seen(struct fl_store *st, int64_t id, struct fl_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if (!fl_store_tracking(st))
		return FL_OK;
	rc = fl_store_stmt(st, SLOT_SEEN_ID, "INSERT OR IGNORE INTO "
			   "temp.fl_seen(id) VALUES (?1)", &s, err);
	if (rc != FL_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	return step_done(st, s, "seen", err);
}

/* step_done for an FTS5 write whose words count in the suggest table
 * with sign (+1 inserted, -1 deleted): the tokenizer tallies them. */
static int step_tallied(struct fl_store *st, sqlite3_stmt *s, int sign,
			const char *what, struct fl_err *err)
{
	struct fl_tally *t = fl_store_tally(st);
	int rc;

	if (t)
		fl_tally_set_sign(t, sign);
	rc = step_done(st, s, what, err);
	if (t)
		fl_tally_set_sign(t, 0);
	return rc;
}

/* FTS5 'delete' of row id with its stored (old) title and body. */
static int fts_delete(struct fl_store *st, int64_t id, struct fl_err *err)
{
	sqlite3_stmt *old;
	sqlite3_stmt *del;
	int rc = fl_store_stmt(st, SLOT_OLD_TEXT, "SELECT title, body FROM "
			       "documents WHERE id = ?1", &old, err);

	if (rc == FL_OK)
		rc = fl_store_stmt(st, SLOT_FTS_DELETE, "INSERT INTO docs_fts"
				   "(docs_fts, rowid, title, body) VALUES "
				   "('delete', ?1, ?2, ?3)", &del, err);
	if (rc != FL_OK)
		return rc;
	sqlite3_bind_int64(old, 1, id);
	if (sqlite3_step(old) != SQLITE_ROW) {
		sqlite3_reset(old);
		return fl_store_dberr(st, "old text", err);
	}
	sqlite3_bind_int64(del, 1, id);
	sqlite3_bind_value(del, 2, sqlite3_column_value(old, 0));
	sqlite3_bind_value(del, 3, sqlite3_column_value(old, 1));
	rc = step_tallied(st, del, -1, "fts delete", err);
	sqlite3_reset(old);
	return rc;
}

static int fts_insert(struct fl_store *st, const struct fl_doc *d,
		      struct fl_err *err)
{
	sqlite3_stmt *s;
	int rc = fl_store_stmt(st, SLOT_FTS_INSERT, "INSERT INTO docs_fts"
			       "(rowid, title, body) VALUES (?1, ?2, ?3)", &s,
			       err);

	if (rc != FL_OK)
		return rc;
	sqlite3_bind_int64(s, 1, d->id);
	sqlite3_bind_text(s, 2, d->title ? d->title : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, d->body ? d->body : "", (int)d->body_len,
			  SQLITE_STATIC);
	return step_tallied(st, s, 1, "fts insert", err);
}

static void bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

/*
 * Bind the document columns shared by INSERT and UPDATE: ?2 title ?3 body
 * ?4 date ?5 day ?6 year ?7 source ?8 url ?9 type ?10 lang ?11 path
 * ?12 content_hash. date is the normalised date (may be "").
 */
static void bind_doc(sqlite3_stmt *s, const struct fl_doc *d,
		     const char *date, const char *hash)
{
	int y;

	sqlite3_bind_text(s, 2, d->title ? d->title : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, d->body ? d->body : "", (int)d->body_len,
			  SQLITE_STATIC);
	bind_opt(s, 4, date);
	if (strlen(date) >= 10)
		sqlite3_bind_text(s, 5, date, 10, SQLITE_STATIC);
	if (fl_date_digits(date, 4, &y) && *date)
		sqlite3_bind_int(s, 6, y);
	bind_opt(s, 7, d->source);
	bind_opt(s, 8, d->url);
	sqlite3_bind_text(s, 9, d->type && *d->type ? d->type : "news", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(s, 10, d->lang && *d->lang ? d->lang : "de", -1,
			  SQLITE_STATIC);
	bind_opt(s, 11, d->path);
	sqlite3_bind_text(s, 12, hash, -1, SQLITE_STATIC);
}

#define NOW_SQL "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

static int row_insert(struct fl_store *st, struct fl_doc *d,
		      const char *date, const char *hash, struct fl_err *err)
{
	sqlite3_stmt *s;
	int rc = fl_store_stmt(st, SLOT_INSERT, "INSERT INTO documents(ext_id,"
			       " title, body, date, day, year, source, url, "
			       "type, lang, path, content_hash, indexed_at) "
			       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
			       "?10, ?11, ?12, " NOW_SQL ")", &s, err);

	if (rc != FL_OK)
		return rc;
	sqlite3_bind_text(s, 1, d->ext_id, -1, SQLITE_STATIC);
	bind_doc(s, d, date, hash);
	rc = step_done(st, s, "insert", err);
	if (rc == FL_OK)
		d->id = sqlite3_last_insert_rowid(fl_store_db(st));
	return rc;
}

static int row_update(struct fl_store *st, const struct fl_doc *d,
		      const char *date, const char *hash, struct fl_err *err)
{
	sqlite3_stmt *s;
	int rc = fl_store_stmt(st, SLOT_UPDATE, "UPDATE documents SET title ="
			       " ?2, body = ?3, date = ?4, day = ?5, year = "
			       "?6, source = ?7, url = ?8, type = ?9, lang = "
			       "?10, path = ?11, content_hash = ?12, "
			       "indexed_at = " NOW_SQL " WHERE id = ?1", &s,
			       err);

	if (rc != FL_OK)
		return rc;
	sqlite3_bind_int64(s, 1, d->id);
	bind_doc(s, d, date, hash);
	return step_done(st, s, "update", err);
}

static int set_path(struct fl_store *st, const struct fl_doc *d,
		    struct fl_err *err)
{
	sqlite3_stmt *s;
	int rc = fl_store_stmt(st, SLOT_SET_PATH, "UPDATE documents SET path "
			       "= ?2 WHERE id = ?1 AND path IS NOT ?2", &s,
			       err);

	if (rc != FL_OK)
		return rc;
	sqlite3_bind_int64(s, 1, d->id);
	bind_opt(s, 2, d->path);
	rc = step_done(st, s, "update path", err);
	if (rc == FL_OK && sqlite3_changes(fl_store_db(st)) > 0)
		fl_store_touch(st);
	return rc;
}

/* Look up ext_id: *found, and when found the id and stored hash. */
static int find(struct fl_store *st, struct fl_doc *d, int *found,
		char hash[HASH_HEX], struct fl_err *err)
{
	sqlite3_stmt *s;
	int rc = fl_store_stmt(st, SLOT_FIND, "SELECT id, content_hash FROM "
			       "documents WHERE ext_id = ?1", &s, err);

	*found = 0;
	if (rc != FL_OK)
		return rc;
	sqlite3_bind_text(s, 1, d->ext_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*found = 1;
		d->id = sqlite3_column_int64(s, 0);
		snprintf(hash, HASH_HEX, "%s", sqlite3_column_text(s, 1));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fl_store_dberr(st, "find", err);
	return FL_OK;
}

static int check_doc(struct fl_doc *d, char *date, struct fl_err *err)
{
	struct fl_err ignore;

	d->date_dropped = 0;
	if (!d->ext_id || !*d->ext_id)
		return fl_error(err, FL_EINVAL, "document: no id");
	if (strlen(d->ext_id) > FL_DOC_MAX_FIELD)
		return fl_error(err, FL_ELIMIT, "document: id longer than %d "
				"bytes", FL_DOC_MAX_FIELD);
	if (d->body && !d->body_len)
		d->body_len = strlen(d->body);
	if (d->body_len > FL_DOC_MAX_BYTES)
		return fl_error(err, FL_ELIMIT, "document '%s': %zu bytes, "
				"more than %u", d->ext_id, d->body_len,
				FL_DOC_MAX_BYTES);
	date[0] = '\0';
	fl_err_clear(&ignore);
	/* a date of only spaces is no date, like "" or none */
	if (d->date && d->date[strspn(d->date, " ")] &&
	    fl_doc_norm_date(d->date, date, FL_DOC_DATE_MAX,
			     &ignore) != FL_OK) {
		/* not fatal: the text is still worth finding, and the caller
		 * learns from the flag that the date filters will miss it */
		date[0] = '\0';
		d->date_dropped = 1;
	}
	return FL_OK;
}

int fl_doc_put(struct fl_store *st, struct fl_doc *d,
	       enum fl_doc_result *res, struct fl_err *err)
{
	char date[FL_DOC_DATE_MAX];
	char old[HASH_HEX] = "";
	char hash[HASH_HEX];
	int found = 0;
	int rc = check_doc(d, date, err);

	if (rc == FL_OK)
		rc = find(st, d, &found, old, err);
	if (rc != FL_OK)
		return rc;
	content_hash(d, date, hash);
	if (found && strcmp(old, hash) == 0) {
		rc = set_path(st, d, err);
		if (res)
			*res = FL_DOC_UNCHANGED;
	} else if (found) {
		rc = fts_delete(st, d->id, err);
		if (rc == FL_OK)
			rc = row_update(st, d, date, hash, err);
		if (res)
			*res = FL_DOC_UPDATED;
	} else {
		rc = row_insert(st, d, date, hash, err);
		if (res)
			*res = FL_DOC_ADDED;
	}
	if (rc == FL_OK && !(found && strcmp(old, hash) == 0)) {
		rc = fts_insert(st, d, err);
		fl_store_touch(st);
	}
	if (rc == FL_OK)
		rc = mark_seen(st, d->id, err);
	return rc;
}

static int delete_id(struct fl_store *st, int64_t id, struct fl_err *err)
{
	sqlite3_stmt *s;
	int rc = fts_delete(st, id, err);

	if (rc == FL_OK)
		rc = fl_store_stmt(st, SLOT_DELETE, "DELETE FROM documents "
				   "WHERE id = ?1", &s, err);
	if (rc != FL_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	rc = step_done(st, s, "delete", err);
	if (rc == FL_OK)
		fl_store_touch(st);
	return rc;
}

int fl_doc_delete(struct fl_store *st, const char *ext_id,
		  struct fl_err *err)
{
	struct fl_doc d;
	char hash[HASH_HEX];
	int found = 0;
	int rc;

	fl_doc_init(&d);
	d.ext_id = (char *)ext_id; /* borrowed, not released */
	rc = find(st, &d, &found, hash, err);
	if (rc == FL_OK && !found)
		rc = fl_error(err, FL_ENOTFOUND, "no document '%s'", ext_id);
	if (rc == FL_OK)
		rc = delete_id(st, d.id, err);
	return rc;
}

/* ---- get ---- */

static int col_dup(sqlite3_stmt *s, int i, char **out, struct fl_err *err)
{
	const char *v = (const char *)sqlite3_column_text(s, i);

	if (!v)
		return FL_OK;
	return fl_doc_set(out, v, (size_t)sqlite3_column_bytes(s, i), err);
}

static int read_row(sqlite3_stmt *s, struct fl_doc *d, struct fl_err *err)
{
	int rc;

	d->id = sqlite3_column_int64(s, 0);
	rc = col_dup(s, 1, &d->ext_id, err);
	if (rc == FL_OK)
		rc = col_dup(s, 2, &d->title, err);
	if (rc == FL_OK)
		rc = col_dup(s, 3, &d->body, err);
	d->body_len = (size_t)sqlite3_column_bytes(s, 3);
	if (rc == FL_OK)
		rc = col_dup(s, 4, &d->date, err);
	if (rc == FL_OK)
		rc = col_dup(s, 5, &d->source, err);
	if (rc == FL_OK)
		rc = col_dup(s, 6, &d->url, err);
	if (rc == FL_OK)
		rc = col_dup(s, 7, &d->type, err);
	if (rc == FL_OK)
		rc = col_dup(s, 8, &d->lang, err);
	if (rc == FL_OK)
		rc = col_dup(s, 9, &d->path, err);
	if (rc == FL_OK)
		rc = col_dup(s, 10, &d->indexed_at, err);
	return rc;
}

static int get_one(struct fl_store *st, sqlite3_stmt *s, struct fl_doc *d,
		   const char *what, struct fl_err *err)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		rc = read_row(s, d, err);
	else if (rc == SQLITE_DONE)
		rc = fl_error(err, FL_ENOTFOUND, "no document %s", what);
	else
		rc = fl_store_dberr(st, "get", err);
	sqlite3_reset(s);
	if (rc != FL_OK)
		fl_doc_release(d);
	return rc;
}

int fl_doc_get(struct fl_store *st, const char *ext_id, struct fl_doc *d,
	       struct fl_err *err)
{
	sqlite3_stmt *s;
	char what[80];
	int rc;

	fl_doc_init(d);
	rc = fl_store_stmt(st, SLOT_GET_EXT, "SELECT " GET_COLS " FROM "
			   "documents WHERE ext_id = ?1", &s, err);
	if (rc != FL_OK)
		return rc;
	sqlite3_bind_text(s, 1, ext_id, -1, SQLITE_STATIC);
	snprintf(what, sizeof(what), "'%.60s'", ext_id);
	return get_one(st, s, d, what, err);
}

int fl_doc_get_id(struct fl_store *st, int64_t id, struct fl_doc *d,
		  struct fl_err *err)
{
	sqlite3_stmt *s;
	char what[40];
	int rc;

	fl_doc_init(d);
	rc = fl_store_stmt(st, SLOT_GET_ID, "SELECT " GET_COLS " FROM "
			   "documents WHERE id = ?1", &s, err);
	if (rc != FL_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	snprintf(what, sizeof(what), "with id %" PRId64, id);
	return get_one(st, s, d, what, err);
}

/* ---- pruning ---- */

int fl_doc_seen_begin(struct fl_store *st, struct fl_err *err)
{
	if (sqlite3_exec(fl_store_db(st), "CREATE TEMP TABLE IF NOT EXISTS "
			 "fl_seen(id INTEGER PRIMARY KEY); CREATE TEMP TABLE "
			 "IF NOT EXISTS fl_seen_files(path TEXT PRIMARY KEY)"
			 " WITHOUT ROWID", NULL, NULL, NULL) != SQLITE_OK)
		return fl_store_dberr(st, "seen", err);
	fl_store_set_tracking(st, 1);
	return FL_OK;
}

int fl_doc_seen_path(struct fl_store *st, const char *path, int with_docs,
		     struct fl_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if (!fl_store_tracking(st))
		return FL_OK;
	rc = fl_store_stmt(st, SLOT_SEEN_FILE, "INSERT OR IGNORE INTO "
			   "temp.fl_seen_files(path) VALUES (?1)", &s, err);
	if (rc != FL_OK)
		return rc;
	sqlite3_bind_text(s, 1, path, -1, SQLITE_STATIC);
	rc = step_done(st, s, "seen", err);
	if (rc != FL_OK || !with_docs)
		return rc;
	rc = fl_store_stmt(st, SLOT_SEEN_PATH_DOCS, "INSERT OR IGNORE INTO "
			   "temp.fl_seen(id) SELECT id FROM documents WHERE "
			   "path = ?1", &s, err);
	if (rc != FL_OK)
		return rc;
	sqlite3_bind_text(s, 1, path, -1, SQLITE_STATIC);
	return step_done(st, s, "seen", err);
}

#define UNDER_ROOT "(path = ?1 OR substr(path, 1, length(?2)) = ?2)"

/* Collect the ids of unseen documents under root (caller frees *ids). */
static int unseen_ids(struct fl_store *st, const char *root,
		      const char *dir, int64_t **ids, size_t *n,
		      struct fl_err *err)
{
	sqlite3_stmt *s = NULL;
	size_t cap = 0;
	int rc = FL_OK;

	*ids = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(fl_store_db(st), "SELECT id FROM documents "
			       "WHERE " UNDER_ROOT " AND id NOT IN (SELECT id"
			       " FROM temp.fl_seen)", -1, &s, NULL) !=
	    SQLITE_OK)
		return fl_store_dberr(st, "prune", err);
	sqlite3_bind_text(s, 1, root, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, dir, -1, SQLITE_STATIC);
	while (rc == FL_OK && sqlite3_step(s) == SQLITE_ROW) {
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			int64_t *p = realloc(*ids, nc * sizeof(*p));

			if (!p) {
				rc = fl_error(err, FL_ENOMEM, "prune: out of "
					      "memory");
				break;
			}
			*ids = p;
			cap = nc;
		}
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	return rc;
}

static int forget_files(struct fl_store *st, const char *root,
			const char *dir, struct fl_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(fl_store_db(st), "DELETE FROM files WHERE "
			       UNDER_ROOT " AND path NOT IN (SELECT path FROM"
			       " temp.fl_seen_files)", -1, &s, NULL) !=
	    SQLITE_OK)
		return fl_store_dberr(st, "prune files", err);
	sqlite3_bind_text(s, 1, root, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, dir, -1, SQLITE_STATIC);
	rc = sqlite3_step(s) == SQLITE_DONE ? FL_OK :
	     fl_store_dberr(st, "prune files", err);
	sqlite3_finalize(s);
	return rc;
}

/* path + "/" (for "under this directory" tests) into dir. */
static int dir_prefix(const char *path, struct fl_buf *dir)
{
	fl_buf_init(dir, FL_DOC_MAX_FIELD);
	fl_buf_adds(dir, path);
	if (dir->len == 0 || dir->data[dir->len - 1] != '/')
		fl_buf_addc(dir, '/');
	return dir->rc;
}

int fl_doc_list_path(struct fl_store *st, const char *path,
		     fl_doc_list_cb cb, void *ctx, struct fl_err *err)
{
	struct fl_buf dir;
	sqlite3_stmt *s = NULL;
	int rc = dir_prefix(path, &dir);

	if (rc != FL_OK) {
		fl_buf_release(&dir);
		return fl_error(err, rc, "list: path too long");
	}
	if (sqlite3_prepare_v2(fl_store_db(st), "SELECT id, ext_id FROM "
			       "documents WHERE " UNDER_ROOT " ORDER BY ext_id",
			       -1, &s, NULL) != SQLITE_OK) {
		fl_buf_release(&dir);
		return fl_store_dberr(st, "list", err);
	}
	sqlite3_bind_text(s, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, dir.data, -1, SQLITE_STATIC);
	while (rc == FL_OK && sqlite3_step(s) == SQLITE_ROW)
		rc = cb(ctx, sqlite3_column_int64(s, 0),
			(const char *)sqlite3_column_text(s, 1));
	sqlite3_finalize(s);
	fl_buf_release(&dir);
	return rc;
}

int fl_doc_prune(struct fl_store *st, const char *root, size_t *ndeleted,
		 struct fl_err *err)
{
	struct fl_buf dir;
	int64_t *ids = NULL;
	size_t n = 0;
	size_t i;
	int rc;

	if (ndeleted)
		*ndeleted = 0;
	if (!fl_store_tracking(st))
		return fl_error(err, FL_EINVAL, "prune: fl_doc_seen_begin "
				"was not called");
	rc = dir_prefix(root, &dir);
	if (rc == FL_OK)
		rc = unseen_ids(st, root, dir.data, &ids, &n, err);
	for (i = 0; rc == FL_OK && i < n; i++)
		rc = delete_id(st, ids[i], err);
	if (rc == FL_OK)
		rc = forget_files(st, root, dir.data, err);
	if (rc == FL_OK && ndeleted)
		*ndeleted = n;
	free(ids);
	fl_buf_release(&dir);
	return rc;
}
