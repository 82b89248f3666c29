/*
 * fl_docmeta.c - the per-generation document table and its share (see
 * fl_docmeta.h). Reading it costs a scan of the covering index
 * documents_meta and of FTS5's docsize table, so a share builds it once
 * under its mutex and the other threads wait instead of building copies
 * of their own.
 */
#include "fl_docmeta.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fl_rank.h"
#include "fl_store.h"
#include "fl_date.h"
#include "fl_banned.h"

struct fl_docmeta_share {
	pthread_mutex_t mu;
	struct fl_docmeta *cur;   /* newest table read, with a reference */
	char *spill_dir;          /* NULL: tables stay on the heap */
	/* cur's size and place, set with cur: read without mu, which a
	 * table load holds for as long as it takes (/metrics never waits) */
	atomic_size_t cur_bytes;
	atomic_int cur_mapped;
};

/* ---- dates ---------------------------------------------------------- */

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int32_t days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

int fl_docmeta_parse_period(const char *s, int32_t *first, int32_t *after)
{
	size_t n = strlen(s);
	int y, m = 1, d = 1;

	if (n < 4 || !fl_date_digits(s, 4, &y))
		return 0;
	if (n == 4) {
		*first = days_from_civil(y, 1, 1);
		*after = days_from_civil(y + 1, 1, 1);
		return 1;
	}
	if (n < 7 || s[4] != '-' || !fl_date_digits(s + 5, 2, &m) || m < 1 ||
	    m > 12)
		return 0;
	if (n == 7) {
		*first = days_from_civil(y, m, 1);
		*after = m == 12 ? days_from_civil(y + 1, 1, 1)
				 : days_from_civil(y, m + 1, 1);
		return 1;
	}
	if (n != 10 || s[7] != '-' || !fl_date_digits(s + 8, 2, &d) || d < 1 ||
	    d > 31)
		return 0;
	*first = days_from_civil(y, m, d);
	*after = *first + 1;
	return 1;
}

/* ---- string tables -------------------------------------------------- */

static void strtab_release(struct fl_strtab *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

static int strtab_load(sqlite3 *db, const char *col, struct fl_strtab *t,
		       struct fl_err *err)
{
	char sql[128];
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT DISTINCT %s FROM documents WHERE "
		 "%s IS NOT NULL ORDER BY %s", col, col, col);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return fl_error(err, FL_EDB, "search: %s", sqlite3_errmsg(db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (t->n == cap) {
			char **g = realloc(t->v, (cap ? cap * 2 : 16) *
					   sizeof(*g));
			if (!g)
				break;
			t->v = g;
			cap = cap ? cap * 2 : 16;
		}
		t->v[t->n] = fl_store_column_dup(st, 0);
		if (!t->v[t->n])
			break;
		t->n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fl_error(err, FL_EDB, "search: cannot read %s", col);
	return FL_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

uint32_t fl_strtab_find(const struct fl_strtab *t, const char *s)
{
	char **p;

	if (!s || !t->n)
		return UINT32_MAX;
	p = bsearch(&s, t->v, t->n, sizeof(*t->v), cmp_str);
	return p ? (uint32_t)(p - t->v) : UINT32_MAX;
}

/* ---- one generation's table ----------------------------------------- */

static void table_free(struct fl_docmeta *m)
{
	if (!m)
		return;
	strtab_release(&m->sources);
	strtab_release(&m->types);
	strtab_release(&m->langs);
	if (m->spill.map) {
		fl_spill_unmap(&m->spill);
	} else {
		free(m->docs);
		free(m->slot_of);
		free(m->dlen);
	}
	free(m);
}

static void doc_row(struct fl_docmeta *m, sqlite3_stmt *st,
		    struct fl_docmeta_doc *d)
{
	const char *day = (const char *)sqlite3_column_text(st, 1);
	int32_t first, after;
	int y, mo;

	d->id = (uint32_t)sqlite3_column_int64(st, 0);
	d->day = FL_DOCMETA_NO_DAY;
	d->month = -1;
	if (day && fl_docmeta_parse_period(day, &first, &after)) {
		d->day = first;
		if (fl_date_digits(day, 4, &y) &&
		    fl_date_digits(day + 5, 2, &mo))
			d->month = y * 12 + mo - 1;
		if (m->newest == FL_DOCMETA_NO_DAY || first > m->newest)
			m->newest = first;
	}
	d->source = fl_strtab_find(&m->sources,
				   (const char *)sqlite3_column_text(st, 2));
	d->type = fl_strtab_find(&m->types,
				 (const char *)sqlite3_column_text(st, 3));
	d->lang = fl_strtab_find(&m->langs,
				 (const char *)sqlite3_column_text(st, 4));
}

static int load_rows(struct fl_docmeta *m, sqlite3 *db, struct fl_err *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	if (sqlite3_prepare_v2(db, FL_DOCMETA_ROWS_SQL, -1, &st,
			       NULL) != SQLITE_OK)
		return fl_error(err, FL_EDB, "search: %s", sqlite3_errmsg(db));
	m->newest = FL_DOCMETA_NO_DAY;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);

		if (id < 0 || id >= INT32_MAX) {
			sqlite3_finalize(st);
			return fl_error(err, FL_ELIMIT, "search: document id "
					"%lld is out of range",
					(long long)id);
		}
		if (m->ndocs == cap) {
			struct fl_docmeta_doc *g;

			g = realloc(m->docs, (cap ? cap * 2 : 256) *
				    sizeof(*g));
			if (!g)
				break;
			m->docs = g;
			cap = cap ? cap * 2 : 256;
		}
		doc_row(m, st, &m->docs[m->ndocs]);
		m->nids = (size_t)id + 1;
		m->ndocs++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fl_error(err, FL_EDB, "search: cannot read documents");
	return FL_OK;
}

static int index_slots(struct fl_docmeta *m, struct fl_err *err)
{
	size_t i;

	m->slot_of = malloc((m->nids ? m->nids : 1) * sizeof(*m->slot_of));
	if (!m->slot_of)
		return fl_error(err, FL_ENOMEM, "search: out of memory");
	for (i = 0; i < m->nids; i++)
		m->slot_of[i] = -1;
	for (i = 0; i < m->ndocs; i++)
		m->slot_of[m->docs[i].id] = (int32_t)i;
	return FL_OK;
}

/* Row lengths for fl_bm25, from the same snapshot as the documents. */
static int load_lengths(struct fl_docmeta *m, sqlite3 *db,
			struct fl_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	m->dlen = calloc(m->nids ? m->nids : 1, sizeof(*m->dlen));
	if (!m->dlen)
		return fl_error(err, FL_ENOMEM, "search: out of memory");
	if (sqlite3_prepare_v2(db, "SELECT id, sz FROM docs_fts_docsize",
			       -1, &st, NULL) != SQLITE_OK)
		return fl_error(err, FL_EDB, "search: %s", sqlite3_errmsg(db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const unsigned char *b = sqlite3_column_blob(st, 1);

		if (id >= 0 && (uint64_t)id < m->nids && b)
			m->dlen[id] = fl_rank_docsize_total(b, (size_t)
				sqlite3_column_bytes(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fl_error(err, FL_EDB, "search: cannot read row sizes");
	return FL_OK;
}

static int table_load(sqlite3 *db, uint64_t file_id, int64_t gen,
		      struct fl_docmeta **out, struct fl_err *err)
{
	struct fl_docmeta *m = calloc(1, sizeof(*m));
	int rc;

	*out = NULL;
	if (!m)
		return fl_error(err, FL_ENOMEM, "search: out of memory");
	m->file_id = file_id;
	m->generation = gen;
	atomic_init(&m->refs, 1);
	rc = strtab_load(db, "source", &m->sources, err);
	if (rc == FL_OK)
		rc = strtab_load(db, "type", &m->types, err);
	if (rc == FL_OK)
		rc = strtab_load(db, "lang", &m->langs, err);
	if (rc == FL_OK)
		rc = load_rows(m, db, err);
	if (rc == FL_OK)
		rc = index_slots(m, err);
	if (rc == FL_OK)
		rc = load_lengths(m, db, err);
	if (rc != FL_OK) {
		table_free(m);
		return rc;
	}
	*out = m;
	return FL_OK;
}

/* Bytes of the per-document arrays. */
/* The per-document arrays as fl_spill_arrays parts; 3 of them. */
#define TABLE_PARTS 3
static void table_parts(struct fl_docmeta *m,
			struct fl_spill_part parts[TABLE_PARTS])
{
	parts[0].p = (void **)&m->docs;
	parts[0].len = m->ndocs * sizeof(*m->docs);
	parts[1].p = (void **)&m->slot_of;
	parts[1].len = m->nids * sizeof(*m->slot_of);
	parts[2].p = (void **)&m->dlen;
	parts[2].len = m->nids * sizeof(*m->dlen);
}

static size_t table_bytes(struct fl_docmeta *m)
{
	struct fl_spill_part parts[TABLE_PARTS];

	table_parts(m, parts);
	return fl_spill_bytes(parts, TABLE_PARTS);
}

/* Moves the arrays into a mapped file; they stay on the heap if that
 * fails (fl_spill_arrays). */
static void table_spill(struct fl_docmeta *m, const char *dir)
{
	struct fl_spill_part parts[TABLE_PARTS];

	table_parts(m, parts);
	fl_spill_arrays(dir, parts, TABLE_PARTS, &m->spill);
}

void fl_docmeta_release(const struct fl_docmeta *m)
{
	struct fl_docmeta *w = (struct fl_docmeta *)m;

	if (w && atomic_fetch_sub(&w->refs, 1) == 1)
		table_free(w);
}

static const struct fl_docmeta *table_ref(struct fl_docmeta *m)
{
	atomic_fetch_add(&m->refs, 1);
	return m;
}

/* ---- the share ------------------------------------------------------ */

struct fl_docmeta_share *fl_docmeta_share_new(const char *spill_dir)
{
	struct fl_docmeta_share *sh = calloc(1, sizeof(*sh));

	if (!sh)
		return NULL;
	if (spill_dir && !(sh->spill_dir = strdup(spill_dir))) {
		free(sh);
		return NULL;
	}
	atomic_init(&sh->cur_bytes, 0);
	atomic_init(&sh->cur_mapped, 0);
	if (pthread_mutex_init(&sh->mu, NULL) != 0) {
		free(sh->spill_dir);
		free(sh);
		return NULL;
	}
	return sh;
}

void fl_docmeta_share_free(struct fl_docmeta_share *sh)
{
	if (!sh)
		return;
	fl_docmeta_release(sh->cur);
	pthread_mutex_destroy(&sh->mu);
	free(sh->spill_dir);
	free(sh);
}

void fl_docmeta_share_size(struct fl_docmeta_share *sh, size_t *bytes,
			   int *mapped)
{
	*bytes = sh ? atomic_load(&sh->cur_bytes) : 0;
	*mapped = sh ? atomic_load(&sh->cur_mapped) : 0;
}

int fl_docmeta_get(struct fl_docmeta_share *sh, sqlite3 *db,
		   uint64_t file_id, int64_t gen,
		   const struct fl_docmeta **out, struct fl_err *err)
{
	struct fl_docmeta *m = NULL;
	int rc;

	*out = NULL;
	if (!sh) {
		rc = table_load(db, file_id, gen, &m, err);
		*out = m;
		return rc;
	}
	pthread_mutex_lock(&sh->mu);
	if (sh->cur && sh->cur->file_id == file_id &&
	    sh->cur->generation == gen) {
		*out = table_ref(sh->cur);
		pthread_mutex_unlock(&sh->mu);
		return FL_OK;
	}
	rc = table_load(db, file_id, gen, &m, err);
	if (rc == FL_OK && sh->spill_dir)
		table_spill(m, sh->spill_dir);
	if (rc == FL_OK && (!sh->cur || sh->cur->file_id != file_id ||
			    gen > sh->cur->generation)) {
		fl_docmeta_release(sh->cur);
		sh->cur = (struct fl_docmeta *)table_ref(m);
		atomic_store(&sh->cur_bytes, table_bytes(m));
		atomic_store(&sh->cur_mapped, m->spill.map != NULL);
	}
	pthread_mutex_unlock(&sh->mu);
	*out = m;
	return rc;
}
