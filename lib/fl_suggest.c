/*
 * fl_suggest.c - completion and word lookups over table suggest (see
 * fl_suggest.h). The tables are created here on the first refresh (CREATE
 * TABLE IF NOT EXISTS), so an index built before them simply has no
 * suggestions until the indexer runs again.
 */
#include "fl_suggest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


#include "fl_analyze.h"
#include "fl_tally.h"
#include "fl_utf8.h"
#include "fl_banned.h"

/* Longest word (bytes) that gets a suggestion entry. */
#define WORD_MAX 64
/* Candidates scanned at most by fl_suggest_correct. */
#define CORRECT_SCAN_MAX 200000

enum {
	SLOT_TOP = FL_SLOT_SUGGEST_FIRST,
	SLOT_RANGE,
	SLOT_SURFACE,
	SLOT_CORRECT,
};

static const char ddl[] =
	"CREATE TABLE IF NOT EXISTS suggest ("
	" key TEXT PRIMARY KEY, surface TEXT NOT NULL, n INTEGER NOT NULL"
	") WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS suggest_top ("
	" prefix TEXT NOT NULL, rk INTEGER NOT NULL, key TEXT NOT NULL,"
	" surface TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(prefix, rk)"
	") WITHOUT ROWID;";

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

int fl_suggest_key(const char *w, size_t n, struct fl_buf *out)
{
	struct fl_buf f;
	int rc;

	fl_buf_init(&f, out->max);
	rc = fl_utf8_fold(w, n, &f);
	if (rc == FL_OK)
		rc = fl_utf8_digraph(f.data, f.len, out);
	fl_buf_release(&f);
	return rc;
}

/* ---- lookups -------------------------------------------------------- */

int fl_suggest_surface(struct fl_store *st, const char *key, size_t len,
		       char **surface, int64_t *n, struct fl_err *err)
{
	struct fl_err e = { 0 };
	sqlite3_stmt *s;
	int rc;

	*surface = NULL;
	*n = 0;
	if (fl_store_stmt(st, SLOT_SURFACE, "SELECT surface, n FROM suggest "
			  "WHERE key = ?1", &s, &e) != FL_OK)
		return FL_ENOTFOUND;
	sqlite3_bind_text(s, 1, key, (int)len, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*surface = fl_store_column_dup(s, 0);
		*n = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return FL_ENOTFOUND;
	if (!*surface)
		return fl_error(err, FL_ENOMEM, "suggest: out of memory");
	return FL_OK;
}

/* Optimal string alignment distance of a and b, or max + 1 when over. */
static int osa(const char *a, size_t na, const char *b, size_t nb, int max)
{
	int d[WORD_MAX + 1][WORD_MAX + 1];
	size_t i, j;

	if (na > WORD_MAX || nb > WORD_MAX)
		return max + 1;
	for (i = 0; i <= na; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= nb; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= na; i++) {
		int rowmin = max + 1;

		for (j = 1; j <= nb; j++) {
			int c = a[i - 1] != b[j - 1];
			int v = d[i - 1][j - 1] + c;

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
			rowmin = v < rowmin ? v : rowmin;
		}
		if (rowmin > max)
			return max + 1;
	}
	return d[na][nb];
}

/* Upper bound of the keys starting with p (n bytes): p with its last byte
 * incremented, into out (size > n). 0 when there is none. */
static int range_end(const char *p, size_t n, char *out)
{
	if (!n || (unsigned char)p[n - 1] == 0xff)
		return 0;
	memcpy(out, p, n);
	out[n - 1] = (char)((unsigned char)p[n - 1] + 1);
	out[n] = '\0';
	return 1;
}

int fl_suggest_correct(struct fl_store *st, const char *key, size_t len,
		       int maxdist, int64_t min_n, char **surface,
		       int64_t *n, struct fl_err *err)
{
	struct fl_err e = { 0 };
	sqlite3_stmt *s;
	char hi[2];
	int best = maxdist + 1;
	size_t scanned = 0;

	*surface = NULL;
	*n = 0;
	if (!len || len > WORD_MAX || !range_end(key, 1, hi))
		return FL_ENOTFOUND;
	if (fl_store_stmt(st, SLOT_CORRECT, "SELECT key, surface, n FROM "
			  "suggest WHERE key >= ?1 AND key < ?2 AND "
			  "length(key) BETWEEN ?3 AND ?4 AND n >= ?5", &s,
			  &e) != FL_OK)
		return FL_ENOTFOUND;
	sqlite3_bind_text(s, 1, key, 1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, hi, 1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, (int64_t)len - maxdist);
	sqlite3_bind_int64(s, 4, (int64_t)len + maxdist);
	sqlite3_bind_int64(s, 5, min_n);
	while (sqlite3_step(s) == SQLITE_ROW && scanned++ < CORRECT_SCAN_MAX) {
		const char *k = (const char *)sqlite3_column_text(s, 0);
		size_t kn = (size_t)sqlite3_column_bytes(s, 0);
		int64_t c = sqlite3_column_int64(s, 2);
		int dist = osa(key, len, k, kn, maxdist);

		if (dist == 0 || dist > maxdist)
			continue;
		if (dist < best || (dist == best && c > *n)) {
			free(*surface);
			*surface = fl_store_column_dup(s, 1);
			*n = c;
			best = dist;
		}
	}
	sqlite3_reset(s);
	if (!*surface)
		return *n ? fl_error(err, FL_ENOMEM, "suggest: out of memory")
			  : FL_ENOTFOUND;
	return FL_OK;
}

/* ---- completion ----------------------------------------------------- */

static int add_item(struct fl_suggestions *sg, const char *head,
		    size_t headlen, sqlite3_stmt *s)
{
	struct fl_suggest_item *it = &sg->items[sg->n];
	const char *w = (const char *)sqlite3_column_text(s, 0);
	size_t wn = (size_t)sqlite3_column_bytes(s, 0);

	it->word = fl_store_column_dup(s, 0);
	it->n = sqlite3_column_int64(s, 1);
	it->text = malloc(headlen + wn + 1);
	if (!it->word || !it->text || !w) {
		free(it->word);
		free(it->text);
		return FL_ENOMEM;
	}
	memcpy(it->text, head, headlen);
	memcpy(it->text + headlen, w, wn);
	it->text[headlen + wn] = '\0';
	sg->n++;
	return FL_OK;
}

/* Byte offset of the last word of s (after the last space). */
static size_t last_word(const char *s, size_t len)
{
	size_t i = len;

	while (i > 0 && s[i - 1] != ' ' && s[i - 1] != '\t' &&
	       s[i - 1] != '"' && s[i - 1] != '(' && s[i - 1] != '-')
		i--;
	return i;
}

static int lookup(struct fl_store *st, struct fl_suggestions *sg,
		  const char *key, size_t klen, size_t head, size_t limit)
{
	struct fl_err e = { 0 };
	sqlite3_stmt *s;
	char hi[FL_SUGGEST_MAX_PREFIX * 4 + 2];
	size_t chars = 0, i;
	int rc = FL_OK;

	for (i = 0; i < klen; i++)
		chars += ((unsigned char)key[i] & 0xc0) != 0x80;
	if (chars <= FL_SUGGEST_TOP_PREFIX)
		rc = fl_store_stmt(st, SLOT_TOP, "SELECT surface, n FROM "
				   "suggest_top WHERE prefix = ?1 ORDER BY rk "
				   "LIMIT ?3", &s, &e);
	else
		rc = fl_store_stmt(st, SLOT_RANGE, "SELECT surface, n FROM "
				   "suggest WHERE key >= ?1 AND key < ?2 "
				   "ORDER BY n DESC, key LIMIT ?3", &s, &e);
	if (rc != FL_OK || !range_end(key, klen, hi))
		return FL_OK; /* no suggest table yet: no completions */
	sqlite3_bind_text(s, 1, key, (int)klen, SQLITE_STATIC);
	if (chars > FL_SUGGEST_TOP_PREFIX)
		sqlite3_bind_text(s, 2, hi, (int)klen, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, (int64_t)limit);
	while (rc == FL_OK && sqlite3_step(s) == SQLITE_ROW)
		rc = add_item(sg, sg->prefix, head, s);
	sqlite3_reset(s);
	return rc;
}

int fl_suggest(struct fl_store *st, const char *input, size_t len,
	       size_t limit, struct fl_suggestions **out, struct fl_err *err)
{
	struct fl_suggestions *sg = calloc(1, sizeof(*sg));
	double t0 = now_ms();
	struct fl_buf key;
	size_t head;
	int rc = FL_OK;

	*out = NULL;
	limit = limit ? limit : FL_SUGGEST_DEFAULT_LIMIT;
	limit = limit > FL_SUGGEST_MAX_LIMIT ? FL_SUGGEST_MAX_LIMIT : limit;
	fl_buf_init(&key, FL_SUGGEST_MAX_PREFIX * 4);
	if (!sg)
		return fl_error(err, FL_ENOMEM, "suggest: out of memory");
	len = fl_utf8_cut(input, len > FL_SUGGEST_MAX_PREFIX * 4 ?
			  FL_SUGGEST_MAX_PREFIX * 4 : len);
	sg->prefix = malloc(len + 1);
	sg->items = calloc(limit, sizeof(*sg->items));
	if (!sg->prefix || !sg->items) {
		fl_suggestions_free(sg);
		return fl_error(err, FL_ENOMEM, "suggest: out of memory");
	}
	memcpy(sg->prefix, input, len);
	sg->prefix[len] = '\0';
	len = strlen(sg->prefix); /* stop at an embedded NUL */
	head = last_word(sg->prefix, len);
	if (head < len && len - head <= FL_SUGGEST_MAX_PREFIX &&
	    fl_suggest_key(sg->prefix + head, len - head, &key) == FL_OK &&
	    key.len)
		rc = lookup(st, sg, key.data, key.len, head, limit);
	fl_buf_release(&key);
	if (rc != FL_OK) {
		fl_suggestions_free(sg);
		return fl_error(err, rc, "suggest: out of memory");
	}
	sg->took_ms = now_ms() - t0;
	*out = sg;
	return FL_OK;
}

void fl_suggestions_free(struct fl_suggestions *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->items[i].text);
		free(s->items[i].word);
	}
	free(s->items);
	free(s->prefix);
	free(s);
}

/* ---- refresh -------------------------------------------------------- */

struct scan_ctx {
	struct fl_tally *t;  /* counts the words, sign +1 */
	const char *text;    /* the text being analysed */
};

static int scan_cb(void *ctx, const struct fl_token *tok)
{
	struct scan_ctx *c = ctx;

	return fl_tally_token(c->t, c->text, tok);
}

/* Count the words of every stored title and body into t. */
static int scan_docs(struct fl_store *st, struct fl_analyzer *an,
		     struct fl_tally *t, struct fl_err *err)
{
	sqlite3_stmt *s = NULL;
	struct scan_ctx c = { t, NULL };
	int rc = FL_OK, src, col;

	if (sqlite3_prepare_v2(fl_store_db(st), "SELECT title, body FROM "
			       "documents", -1, &s, NULL) != SQLITE_OK)
		return fl_store_dberr(st, "suggest refresh", err);
	while (rc == FL_OK && (src = sqlite3_step(s)) == SQLITE_ROW) {
		for (col = 0; col < 2 && rc == FL_OK; col++) {
			c.text = (const char *)sqlite3_column_text(s, col);
			if (c.text)
				rc = fl_analyzer_run(an, c.text, (size_t)
						     sqlite3_column_bytes(s, col),
						     FL_ANALYZE_DOCUMENT, scan_cb,
						     &c, err);
		}
	}
	sqlite3_finalize(s);
	if (rc != FL_OK && err && err->code == FL_OK)
		rc = fl_error(err, FL_ENOMEM, "suggest refresh: out of memory");
	return rc;
}

static int write_top(struct fl_store *st, struct fl_err *err)
{
	char sql[512];
	int len;

	for (len = 1; len <= FL_SUGGEST_TOP_PREFIX; len++) {
		snprintf(sql, sizeof(sql),
			 "INSERT INTO suggest_top(prefix, rk, key, surface, n) "
			 "SELECT p, rk, key, surface, n FROM (SELECT "
			 "substr(key, 1, %d) AS p, key, surface, n, "
			 "row_number() OVER (PARTITION BY substr(key, 1, %d) "
			 "ORDER BY n DESC, key) AS rk FROM suggest "
			 "WHERE length(key) >= %d) WHERE rk <= %d",
			 len, len, len, FL_SUGGEST_MAX_LIMIT);
		if (sqlite3_exec(fl_store_db(st), sql, NULL, NULL, NULL) !=
		    SQLITE_OK)
			return fl_store_dberr(st, "suggest_top", err);
	}
	return FL_OK;
}

/* Recount the suggest rows from the stored documents with the same tally
 * the indexing analysis fills, then rebuild every completion list. */
static int refresh_tx(struct fl_store *st, struct fl_analyzer *an,
		      struct fl_err *err)
{
	struct fl_tally *t = fl_tally_new();
	int rc;

	if (!t)
		return fl_error(err, FL_ENOMEM, "suggest refresh: out of memory");
	fl_tally_set_sign(t, 1);
	rc = fl_suggest_clear(st, err);
	if (rc == FL_OK)
		rc = scan_docs(st, an, t, err);
	if (rc == FL_OK)
		rc = fl_suggest_flush(st, t, err);
	if (rc == FL_OK)
		rc = write_top(st, err);
	fl_tally_free(t);
	return rc;
}

/* Full rebuild from the stored documents (a second analysis pass). */
static int refresh_full(struct fl_store *st, struct fl_lexicon *lex,
			struct fl_err *err)
{
	struct fl_lexicon *own = NULL;
	struct fl_analyzer *an = NULL;
	int rc;

	if (!lex) {
		rc = fl_lexicon_load(NULL, &own, err);
		if (rc != FL_OK)
			return rc;
		lex = own;
	}
	rc = fl_analyzer_new(lex, &an, err);
	if (rc == FL_OK)
		rc = refresh_tx(st, an, err);
	fl_analyzer_free(an);
	fl_lexicon_unref(own);
	return rc;
}

/* ---- incremental: the tally of the indexing analysis ---------------- */

/* Statement slots at the end of fl_suggest's range (the query side uses
 * the first ones). */
enum {
	SLOT_UPSERT = FL_SLOT_SUGGEST_FIRST + 15,
	SLOT_DROP = FL_SLOT_SUGGEST_FIRST + 14,
	SLOT_TOP_DEL = FL_SLOT_SUGGEST_FIRST + 13,
	SLOT_TOP_INS = FL_SLOT_SUGGEST_FIRST + 12,
	SLOT_META_GET = FL_SLOT_SUGGEST_FIRST + 11,
	SLOT_META_SET = FL_SLOT_SUGGEST_FIRST + 10,
};

struct flush_ctx {
	struct fl_store *st;
	sqlite3_stmt *up;
	sqlite3_stmt *drop;
	struct fl_err *err;
};

static int flush_key(void *ctx, const struct fl_tally_key *k)
{
	struct flush_ctx *f = ctx;
	int rc;

	sqlite3_reset(f->up);
	sqlite3_bind_text(f->up, 1, k->key, (int)k->key_len, SQLITE_STATIC);
	sqlite3_bind_text(f->up, 2, k->surface, (int)k->surface_len,
			  SQLITE_STATIC);
	sqlite3_bind_int64(f->up, 3, k->delta);
	sqlite3_bind_int64(f->up, 4, k->best_n);
	rc = sqlite3_step(f->up);
	sqlite3_reset(f->up);
	if (rc != SQLITE_DONE)
		return fl_store_dberr(f->st, "suggest upsert", f->err);
	if (k->delta > 0)
		return FL_OK;
	sqlite3_reset(f->drop);
	sqlite3_bind_text(f->drop, 1, k->key, (int)k->key_len, SQLITE_STATIC);
	rc = sqlite3_step(f->drop);
	sqlite3_reset(f->drop);
	if (rc != SQLITE_DONE)
		return fl_store_dberr(f->st, "suggest drop", f->err);
	return FL_OK;
}

/*
 * The completion lists (suggest_top) are rebuilt once at the end of a run
 * from the prefixes the run's commits touched, which are kept in memory.
 * A run killed between a commit and that refresh leaves lists that no
 * longer match suggest, and the next run does not know which. So every
 * commit that changes suggest also records meta(suggest_top_stale); the
 * first such commit of a process that finds the mark already set (left
 * by a killed run) records meta(suggest_top_full); and the refresh
 * rebuilds every list when the latter is set, or when the former is set
 * but this process touched nothing, and clears both.
 */
static int meta_flag(struct fl_store *st, const char *key)
{
	sqlite3_stmt *s = NULL;
	int on = 0;

	if (fl_store_stmt(st, SLOT_META_GET, "SELECT value FROM meta WHERE "
			  "key = ?1", &s, NULL) != FL_OK)
		return 0;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		on = sqlite3_column_int(s, 0) != 0;
	sqlite3_reset(s);
	return on;
}

static int meta_mark(struct fl_store *st, const char *key,
		     struct fl_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc = fl_store_stmt(st, SLOT_META_SET, "INSERT OR REPLACE INTO "
			       "meta(key, value) VALUES (?1, 1)", &s, err);

	if (rc != FL_OK)
		return rc;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = fl_store_dberr(st, "suggest mark", err);
	sqlite3_reset(s);
	return rc;
}

static int mark_stale(struct fl_store *st, struct fl_tally *tally,
		      struct fl_err *err)
{
	if (!fl_tally_prefix_count(tally) && meta_flag(st, "suggest_top_stale")
	    && meta_mark(st, "suggest_top_full", err) != FL_OK)
		return FL_EDB;
	return meta_mark(st, "suggest_top_stale", err);
}

int fl_suggest_flush(struct fl_store *st, struct fl_tally *tally,
		     struct fl_err *err)
{
	struct flush_ctx f = { st, NULL, NULL, err };
	int rc = FL_OK;

	if (sqlite3_exec(fl_store_db(st), ddl, NULL, NULL, NULL) != SQLITE_OK)
		rc = fl_store_dberr(st, "suggest tables", err);
	if (rc == FL_OK)
		rc = fl_store_stmt(st, SLOT_UPSERT, "INSERT INTO suggest(key, "
				   "surface, n) VALUES (?1, ?2, ?3) ON CONFLICT"
				   "(key) DO UPDATE SET n = n + excluded.n, "
				   "surface = CASE WHEN ?4 > n THEN "
				   "excluded.surface ELSE surface END",
				   &f.up, err);
	if (rc == FL_OK)
		rc = fl_store_stmt(st, SLOT_DROP, "DELETE FROM suggest WHERE "
				   "key = ?1 AND n <= 0", &f.drop, err);
	if (rc != FL_OK) {
		fl_tally_clear(tally);
		return rc;
	}
	rc = fl_tally_count(tally) ? mark_stale(st, tally, err) : FL_OK;
	if (rc == FL_OK)
		rc = fl_tally_each(tally, flush_key, &f);
	if (rc > 0)
		rc = fl_error(err, FL_ENOMEM, "suggest flush: out of memory");
	else if (rc == FL_ENOMEM)
		rc = fl_error(err, rc, "suggest flush: out of memory");
	return rc;
}

int fl_suggest_clear(struct fl_store *st, struct fl_err *err)
{
	if (sqlite3_exec(fl_store_db(st), ddl, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(fl_store_db(st), "DELETE FROM suggest; "
			 "DELETE FROM suggest_top;", NULL, NULL, NULL) !=
		    SQLITE_OK)
		return fl_store_dberr(st, "suggest clear", err);
	return FL_OK;
}

/* The completion list of one prefix being built during the scan. */
struct top_list {
	char p[FL_SUGGEST_MAX_PREFIX];  /* the prefix */
	size_t plen;                    /* 0: no group open */
	int dirty;                      /* to be rewritten */
	size_t n;
	struct top_ent {
		char *key;
		char *surface;
		int64_t n;
	} e[FL_SUGGEST_MAX_LIMIT];
};

struct top_ctx {
	struct fl_store *st;
	struct fl_tally *t;
	sqlite3_stmt *del;
	sqlite3_stmt *ins;
	struct fl_err *err;
	struct top_list l[FL_TALLY_PREFIX_CHARS];
};

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static void top_clear(struct top_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->e[i].key);
		free(l->e[i].surface);
	}
	l->n = 0;
	l->plen = 0;
}

/* Write the open group of l when it is dirty, and close it. */
static int top_write(struct top_ctx *c, struct top_list *l)
{
	size_t i;
	int rc = FL_OK;

	for (i = 0; l->plen && l->dirty && i < l->n && rc == FL_OK; i++) {
		sqlite3_reset(c->ins);
		sqlite3_bind_text(c->ins, 1, l->p, (int)l->plen, SQLITE_STATIC);
		sqlite3_bind_int64(c->ins, 2, (int64_t)i + 1);
		sqlite3_bind_text(c->ins, 3, l->e[i].key, -1, SQLITE_STATIC);
		sqlite3_bind_text(c->ins, 4, l->e[i].surface, -1,
				  SQLITE_STATIC);
		sqlite3_bind_int64(c->ins, 5, l->e[i].n);
		if (sqlite3_step(c->ins) != SQLITE_DONE)
			rc = fl_store_dberr(c->st, "suggest_top", c->err);
		sqlite3_reset(c->ins);
	}
	top_clear(l);
	return rc;
}

/* Offer row (k, s, n) to l; rows come in key order, so at equal counts the
 * one already listed ranks first (ORDER BY n DESC, key). */
static int top_offer(struct top_list *l, const char *k, size_t kn,
		     const char *s, size_t sn, int64_t n)
{
	size_t i;

	if (l->n == FL_SUGGEST_MAX_LIMIT) {
		if (n <= l->e[l->n - 1].n)
			return FL_OK;
		l->n--;
		free(l->e[l->n].key);
		free(l->e[l->n].surface);
	}
	for (i = l->n; i > 0 && l->e[i - 1].n < n; i--)
		l->e[i] = l->e[i - 1];
	l->e[i].key = dup_n(k, kn);
	l->e[i].surface = dup_n(s, sn);
	l->e[i].n = n;
	l->n++;
	return l->e[i].key && l->e[i].surface ? FL_OK : FL_ENOMEM;
}

/* Feed one suggest row to the lists of its 1..3 character prefixes. */
static int top_row(struct top_ctx *c, const char *k, size_t kn,
		   const char *s, size_t sn, int64_t n)
{
	size_t i = 0, len;
	int32_t cp;
	int rc = FL_OK;

	for (len = 0; len < FL_TALLY_PREFIX_CHARS && i < kn && rc == FL_OK;
	     len++) {
		struct top_list *l = &c->l[len];
		size_t m = fl_utf8_next(k + i, kn - i, &cp);

		if (m == 0 || cp < 0 || i + m > sizeof(l->p))
			break;
		i += m;
		if (l->plen != i || memcmp(l->p, k, i)) {
			rc = top_write(c, l);
			memcpy(l->p, k, i);
			l->plen = i;
			l->dirty = fl_tally_prefix_dirty(c->t, k, i);
		}
		if (rc == FL_OK && l->dirty)
			rc = top_offer(l, k, kn, s, sn, n);
	}
	return rc;
}

static int top_delete(void *ctx, const char *p, size_t len)
{
	struct top_ctx *c = ctx;
	int rc;

	sqlite3_reset(c->del);
	sqlite3_bind_text(c->del, 1, p, (int)len, SQLITE_STATIC);
	rc = sqlite3_step(c->del);
	sqlite3_reset(c->del);
	return rc == SQLITE_DONE ? FL_OK
				 : fl_store_dberr(c->st, "suggest_top", c->err);
}

/* suggest_top for the dirty prefixes of the store's tally: their old lists
 * are deleted, then one scan of suggest in key order (the keys of a prefix
 * are adjacent) rebuilds them. */
static int refresh_top(struct fl_store *st, struct fl_tally *t,
		       struct fl_err *err)
{
	struct top_ctx *c = calloc(1, sizeof(*c));
	sqlite3_stmt *sel = NULL;
	size_t i;
	int rc, step = SQLITE_DONE;

	if (!c)
		return fl_error(err, FL_ENOMEM, "suggest: out of memory");
	c->st = st;
	c->t = t;
	c->err = err;
	rc = fl_store_stmt(st, SLOT_TOP_DEL, "DELETE FROM suggest_top WHERE "
			   "prefix = ?1", &c->del, err);
	if (rc == FL_OK)
		rc = fl_store_stmt(st, SLOT_TOP_INS, "INSERT INTO suggest_top"
				   "(prefix, rk, key, surface, n) VALUES "
				   "(?1, ?2, ?3, ?4, ?5)", &c->ins, err);
	if (rc == FL_OK)
		rc = fl_tally_prefixes(t, top_delete, c);
	if (rc == FL_OK && sqlite3_prepare_v2(fl_store_db(st), "SELECT key, "
					      "surface, n FROM suggest ORDER BY "
					      "key", -1, &sel, NULL) != SQLITE_OK)
		rc = fl_store_dberr(st, "suggest_top", err);
	while (rc == FL_OK && (step = sqlite3_step(sel)) == SQLITE_ROW)
		rc = top_row(c, (const char *)sqlite3_column_text(sel, 0),
			     (size_t)sqlite3_column_bytes(sel, 0),
			     (const char *)sqlite3_column_text(sel, 1),
			     (size_t)sqlite3_column_bytes(sel, 1),
			     sqlite3_column_int64(sel, 2));
	if (rc == FL_OK && step != SQLITE_DONE)
		rc = fl_store_dberr(st, "suggest_top", err);
	for (i = 0; i < FL_TALLY_PREFIX_CHARS; i++) {
		if (rc == FL_OK)
			rc = top_write(c, &c->l[i]);
		top_clear(&c->l[i]);
	}
	if (rc == FL_ENOMEM)
		rc = fl_error(err, rc, "suggest: out of memory");
	sqlite3_finalize(sel);
	free(c);
	return rc;
}

/* 1 when suggest is empty but documents are not. */
static int suggest_missing(struct fl_store *st)
{
	sqlite3_stmt *s = NULL;
	int missing = 0;

	if (sqlite3_prepare_v2(fl_store_db(st), "SELECT NOT EXISTS (SELECT 1 "
			       "FROM suggest) AND EXISTS (SELECT 1 FROM "
			       "documents)", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		missing = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return missing;
}

static size_t count_keys(struct fl_store *st)
{
	sqlite3_stmt *s = NULL;
	size_t n = 0;

	if (sqlite3_prepare_v2(fl_store_db(st), "SELECT count(*) FROM suggest",
			       -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		n = (size_t)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* Rebuild every completion list from suggest (the rows are current). */
static int refresh_all_top(struct fl_store *st, struct fl_err *err)
{
	if (sqlite3_exec(fl_store_db(st), "DELETE FROM suggest_top", NULL,
			 NULL, NULL) != SQLITE_OK)
		return fl_store_dberr(st, "suggest_top", err);
	return write_top(st, err);
}

static int clear_marks(struct fl_store *st, struct fl_err *err)
{
	if (sqlite3_exec(fl_store_db(st), "DELETE FROM meta WHERE key IN "
			 "('suggest_top_stale', 'suggest_top_full')", NULL,
			 NULL, NULL) != SQLITE_OK)
		return fl_store_dberr(st, "suggest marks", err);
	return FL_OK;
}

int fl_suggest_refresh(struct fl_store *st, struct fl_lexicon *lex,
		       size_t *nwords, struct fl_err *err)
{
	struct fl_tally *t = fl_store_tally(st);
	int rc, touched, stale, full;

	if (nwords)
		*nwords = 0;
	if (sqlite3_exec(fl_store_db(st), ddl, NULL, NULL, NULL) != SQLITE_OK)
		return fl_store_dberr(st, "suggest tables", err);
	touched = t && fl_tally_prefix_count(t);
	stale = meta_flag(st, "suggest_top_stale");
	full = meta_flag(st, "suggest_top_full") || (stale && !touched);
	if (t && !touched && !full && !suggest_missing(st))
		goto out;	/* nothing changed */
	rc = fl_store_begin(st, err);
	if (rc != FL_OK)
		return rc;
	if (!t || suggest_missing(st))
		rc = refresh_full(st, lex, err);
	else if (full)
		rc = refresh_all_top(st, err);
	else
		rc = refresh_top(st, t, err);
	if (rc == FL_OK)
		rc = clear_marks(st, err);
	fl_store_touch(st);
	if (rc == FL_OK)
		rc = fl_store_commit(st, err);
	else
		fl_store_rollback(st);
	if (rc != FL_OK)
		return rc;
	if (t)
		fl_tally_prefixes_clear(t);
out:
	if (nwords)
		*nwords = count_keys(st);
	return FL_OK;
}
