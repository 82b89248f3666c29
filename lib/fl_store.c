/*
 * fl_store.c - the index store (see fl_store.h): open, create, migrate,
 * pragmas, tokenizer registration, statement cache, transactions, checks.
 */
#include "fl_store.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utf8proc.h>

#include "fl_analyze.h"
#include "fl_suggest.h"
#include "fl_tally.h"
#include "fl_tokenizer.h"
#include "fl_banned.h"

/*
 * For comparisons (benchmarks), a build with -DFL_STORE_DEV_TOKENIZER
 * registers `german` as an alias of plain unicode61. Indexes built that way
 * carry their own analyzer version and are refused by normal builds.
 */
#ifdef FL_STORE_DEV_TOKENIZER
#define DEV_ANALYZER_VERSION "dev-unicode61"
#endif

/* Bulk loading: page cache (KiB, negative = size) and memory map. */
#define BULK_CACHE_KIB 131072
#define MMAP_BYTES (256LL * 1024 * 1024)
/* FTS5 pending-data size before it writes a segment, for bulk loads (the
 * default 1 MB writes ~10 small segments per batch that are merged again;
 * our tokenizer emits ~2x the tokens of unicode61). Kept in docs_fts's
 * config table; readers do not use it. */
#define BULK_FTS_HASHSIZE (8 * 1024 * 1024)
/* Readers: a modest cache and a map as large as SQLite allows (its
 * build caps it, at 2 GB by default): pages read through the map are the
 * kernel's shared page cache, not a copy in each connection's heap, so a
 * daemon's memory stays flat as the index grows. */
#define READ_CACHE_KIB 16384
#define READ_MMAP_BYTES (2048LL * 1024 * 1024)

extern const unsigned char fl_schema_0001_init[];
extern const size_t fl_schema_0001_init_len;
extern const unsigned char fl_schema_0002_documents_meta[];

struct migration {
	int version;                  /* user_version after applying sql */
	const unsigned char *sql;     /* NUL-terminated, embedded */
};

static const struct migration migrations[] = {
	{ 1, fl_schema_0001_init },
	{ 2, fl_schema_0002_documents_meta },
};
#define NMIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

struct fl_store {
	sqlite3 *db;                  /* the one connection */
	unsigned flags;               /* enum fl_store_flags */
	struct fl_lexicon *lex;       /* reference held for the tokenizer */
	int in_tx;                    /* fl_store_begin .. commit/rollback */
	int dirty;                    /* something written in this tx */
	int tracking;                 /* fl_doc_seen_begin was called */
	struct fl_tally *tally;       /* suggest words written (write mode) */
	struct fl_tok_hooks hooks;    /* the tokenizer's view of tally etc. */
	uint64_t file_id;             /* device and inode of the file opened */
	sqlite3_stmt *stmts[FL_STORE_MAX_STMTS]; /* cache by slot */
};

enum {
	SLOT_GEN_BUMP = FL_SLOT_STORE_FIRST,
	SLOT_GEN_GET,
	SLOT_META_GET,
	SLOT_COUNT,
	SLOT_FILE_GET,
	SLOT_FILE_SET,
	SLOT_FREQ_STALE,
};

const char *fl_store_analyzer_version(void)
{
#ifdef FL_STORE_DEV_TOKENIZER
	return DEV_ANALYZER_VERSION;
#else
	return fl_analyzer_version();
#endif
}

int fl_store_dberr(struct fl_store *st, const char *what, struct fl_err *err)
{
	int code = sqlite3_errcode(st->db);
	int rc = FL_EDB;

	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		rc = FL_EBUSY;
	return fl_error(err, rc, "index: %s: %s", what, sqlite3_errmsg(st->db));
}

static int exec(struct fl_store *st, const char *sql, struct fl_err *err)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return fl_store_dberr(st, sql, err);
	return FL_OK;
}

int fl_store_stmt(struct fl_store *st, int slot, const char *sql,
		  sqlite3_stmt **out, struct fl_err *err)
{
	sqlite3_stmt *s;

	*out = NULL;
	if (slot < 0 || slot >= FL_STORE_MAX_STMTS)
		return fl_error(err, FL_EINVAL, "index: bad statement slot %d",
				slot);
	s = st->stmts[slot];
	if (!s) {
		if (sqlite3_prepare_v3(st->db, sql, -1,
				       SQLITE_PREPARE_PERSISTENT, &s,
				       NULL) != SQLITE_OK)
			return fl_store_dberr(st, "prepare", err);
		st->stmts[slot] = s;
	} else {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
	}
	*out = s;
	return FL_OK;
}

sqlite3 *fl_store_db(struct fl_store *st)
{
	return st->db;
}

char *fl_store_column_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	size_t n = (size_t)sqlite3_column_bytes(st, col);
	char *d;

	if (!t)
		return NULL;
	d = malloc(n + 1);
	if (d) {
		memcpy(d, t, n);
		d[n] = '\0';
	}
	return d;
}

uint64_t fl_store_file_id(const struct fl_store *st)
{
	return st->file_id;
}

size_t fl_store_cache_bytes(struct fl_store *st)
{
	int cur = 0, high = 0;

	if (sqlite3_db_status(st->db, SQLITE_DBSTATUS_CACHE_USED, &cur, &high,
			      0) != SQLITE_OK || cur < 0)
		return 0;
	return (size_t)cur;
}

struct fl_tally *fl_store_tally(struct fl_store *st)
{
	return st->tally;
}

void fl_store_set_prepared(struct fl_store *st, const struct fl_tokens *a,
			   const struct fl_tokens *b)
{
	st->hooks.prepared[0] = a;
	st->hooks.prepared[1] = b;
}

struct fl_lexicon *fl_store_lexicon(struct fl_store *st)
{
	return st->lex;
}

void fl_store_touch(struct fl_store *st)
{
	st->dirty = 1;
}

int fl_store_tracking(const struct fl_store *st)
{
	return st->tracking;
}

void fl_store_set_tracking(struct fl_store *st, int on)
{
	st->tracking = on;
}

int fl_store_in_tx(const struct fl_store *st)
{
	return st->in_tx;
}

/* Run a statement that returns one integer in its first column. */
static int query_int(struct fl_store *st, int slot, const char *sql,
		     const char *arg, int64_t *out, struct fl_err *err)
{
	sqlite3_stmt *s;
	int rc = fl_store_stmt(st, slot, sql, &s, err);

	if (rc != FL_OK)
		return rc;
	if (arg)
		sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		return FL_OK;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return fl_error(err, FL_ENOTFOUND, "index: no value for %s",
				arg ? arg : sql);
	return fl_store_dberr(st, sql, err);
}

int fl_store_doc_count(struct fl_store *st, int64_t *out, struct fl_err *err)
{
	return query_int(st, SLOT_COUNT, "SELECT count(*) FROM documents",
			 NULL, out, err);
}

int fl_store_generation(struct fl_store *st, int64_t *out,
			struct fl_err *err)
{
	return query_int(st, SLOT_GEN_GET,
			 "SELECT value FROM meta WHERE key = ?1",
			 "generation", out, err);
}

int fl_store_meta(struct fl_store *st, const char *key, char *buf,
		  size_t size, struct fl_err *err)
{
	sqlite3_stmt *s;
	const char *v;
	int rc = fl_store_stmt(st, SLOT_META_GET,
			       "SELECT value FROM meta WHERE key = ?1", &s,
			       err);

	if (rc != FL_OK)
		return rc;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		if (rc == SQLITE_DONE)
			return fl_error(err, FL_ENOTFOUND,
					"index: no meta value '%s'", key);
		return fl_store_dberr(st, "meta", err);
	}
	v = (const char *)sqlite3_column_text(s, 0);
	if (size)
		snprintf(buf, size, "%s", v ? v : "");
	sqlite3_reset(s);
	return FL_OK;
}

int fl_store_begin(struct fl_store *st, struct fl_err *err)
{
	int rc;

	if (st->in_tx)
		return fl_error(err, FL_EINVAL, "index: transaction already open");
	rc = exec(st, (st->flags & FL_STORE_READONLY) ? "BEGIN" :
		  "BEGIN IMMEDIATE", err);
	if (rc == FL_OK) {
		st->in_tx = 1;
		st->dirty = 0;
	}
	return rc;
}

int fl_store_commit(struct fl_store *st, struct fl_err *err)
{
	sqlite3_stmt *s;
	int rc = FL_OK;

	if (!st->in_tx)
		return fl_error(err, FL_EINVAL, "index: no transaction open");
	if (st->dirty) {
		rc = fl_store_stmt(st, SLOT_GEN_BUMP,
				   "UPDATE meta SET value = value + 1 "
				   "WHERE key = 'generation'", &s, err);
		if (rc == FL_OK && sqlite3_step(s) != SQLITE_DONE)
			rc = fl_store_dberr(st, "generation", err);
		if (s)
			sqlite3_reset(s);
	}
	/* the suggest table follows the documents in the same transaction */
	if (rc == FL_OK && st->tally && fl_tally_count(st->tally))
		rc = fl_suggest_flush(st, st->tally, err);
	if (rc == FL_OK)
		rc = exec(st, "COMMIT", err);
	if (rc != FL_OK) {
		fl_store_rollback(st);
		return rc;
	}
	st->in_tx = 0;
	st->dirty = 0;
	return FL_OK;
}

void fl_store_rollback(struct fl_store *st)
{
	if (!st || !st->in_tx)
		return;
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	if (st->tally)
		fl_tally_clear(st->tally);
	st->in_tx = 0;
	st->dirty = 0;
}

void fl_store_close(struct fl_store *st)
{
	size_t i;

	if (!st)
		return;
	fl_store_rollback(st);
	for (i = 0; i < FL_STORE_MAX_STMTS; i++)
		sqlite3_finalize(st->stmts[i]);
	sqlite3_close(st->db);
	fl_tally_free(st->tally);
	fl_lexicon_unref(st->lex);
	free(st);
}

/* ---- tokenizer ---- */

#ifdef FL_STORE_DEV_TOKENIZER
static fts5_api *get_fts5_api(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL) !=
	    SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(s);
	sqlite3_finalize(s);
	return api;
}

static int register_tokenizer(struct fl_store *st, struct fl_err *err)
{
	fts5_api *api = get_fts5_api(st->db);
	fts5_tokenizer tok;
	void *ud = NULL;

	if (!api || api->xFindTokenizer(api, "unicode61", &ud, &tok) !=
	    SQLITE_OK)
		return fl_error(err, FL_EDB, "index: fts5 is not available");
	if (api->xCreateTokenizer(api, FL_TOKENIZER_NAME, ud, &tok, NULL) !=
	    SQLITE_OK)
		return fl_store_dberr(st, "register tokenizer", err);
	return FL_OK;
}
#else
static int register_tokenizer(struct fl_store *st, struct fl_err *err)
{
	if (!(st->flags & FL_STORE_READONLY)) {
		st->tally = fl_tally_new();
		if (!st->tally)
			return fl_error(err, FL_ENOMEM, "index: out of memory");
	}
	st->hooks.tally = st->tally;
	return fl_tokenizer_register_hooks(st->db, st->lex, &st->hooks, err);
}
#endif

/* ---- lexicon ---- */

/* Add every term_freq row of db to lex. */
static int load_freq(sqlite3 *db, struct fl_lexicon *lex, struct fl_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc = FL_OK;
	int step;

	if (sqlite3_prepare_v2(db, "SELECT term, n FROM term_freq", -1, &s,
			       NULL) != SQLITE_OK)
		return FL_OK; /* an empty or foreign database: no counts */
	while ((step = sqlite3_step(s)) == SQLITE_ROW && rc == FL_OK) {
		const char *t = (const char *)sqlite3_column_text(s, 0);
		size_t n = (size_t)sqlite3_column_bytes(s, 0);
		int64_t c = sqlite3_column_int64(s, 1);

		if (t && c > 0)
			rc = fl_lexicon_add_freq(lex, t, n, c > UINT32_MAX ?
						 UINT32_MAX : (uint32_t)c, err);
	}
	if (rc == FL_OK && step != SQLITE_DONE && step != SQLITE_ROW)
		rc = fl_error(err, FL_EDB, "index: reading term_freq: %s",
			      sqlite3_errmsg(db));
	sqlite3_finalize(s);
	return rc;
}

/* Build the store's own lexicon: word lists, plus counts if wanted. */
static int own_lexicon(struct fl_store *st, int with_freq, struct fl_err *err)
{
	int rc = fl_lexicon_load(NULL, &st->lex, err);

	if (rc == FL_OK && with_freq)
		rc = load_freq(st->db, st->lex, err);
	return rc;
}

int fl_store_lexicon_load(const char *path, struct fl_lexicon **out,
			  struct fl_err *err)
{
	sqlite3 *db = NULL;
	struct fl_lexicon *lex = NULL;
	int rc;

	*out = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		rc = fl_error(err, FL_ENOTFOUND, "index '%s': %s", path,
			      db ? sqlite3_errmsg(db) : "cannot open");
		goto out;
	}
	sqlite3_busy_timeout(db, FL_STORE_BUSY_TIMEOUT_MS);
	rc = fl_lexicon_load(NULL, &lex, err);
	if (rc == FL_OK)
		rc = load_freq(db, lex, err);
	if (rc == FL_OK) {
		*out = lex;
		lex = NULL;
	}
out:
	fl_lexicon_unref(lex);
	sqlite3_close(db);
	return rc;
}

/* ---- schema ---- */

static int user_version(struct fl_store *st, int *out, struct fl_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc = FL_OK;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL)
	    != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW)
		rc = fl_store_dberr(st, "reading user_version", err);
	else
		*out = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc;
}

static int is_empty_db(struct fl_store *st, int *empty, struct fl_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc = FL_OK;

	if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sqlite_master",
			       -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW)
		rc = fl_store_dberr(st, "reading schema", err);
	else
		*empty = sqlite3_column_int(s, 0) == 0;
	sqlite3_finalize(s);
	return rc;
}

static int set_meta(struct fl_store *st, const char *key, const char *value,
		    struct fl_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc = FL_OK;

	if (sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO meta(key, value)"
			       " VALUES (?1, ?2)", -1, &s, NULL) != SQLITE_OK)
		return fl_store_dberr(st, "meta", err);
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = fl_store_dberr(st, "meta", err);
	sqlite3_finalize(s);
	return rc;
}

/* Apply the migrations after version `from`, in one transaction. */
static int migrate(struct fl_store *st, int from, struct fl_err *err)
{
	char sql[64];
	char ver[16];
	size_t i;
	int rc = exec(st, "BEGIN IMMEDIATE", err);

	for (i = 0; rc == FL_OK && i < NMIGRATIONS; i++) {
		if (migrations[i].version <= from)
			continue;
		rc = exec(st, (const char *)migrations[i].sql, err);
	}
	snprintf(ver, sizeof(ver), "%d", FL_STORE_SCHEMA_VERSION);
	if (rc == FL_OK)
		rc = set_meta(st, "schema_version", ver, err);
	if (rc == FL_OK && from == 0)
		rc = set_meta(st, "analyzer_version",
			      fl_store_analyzer_version(), err);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
		 FL_STORE_SCHEMA_VERSION);
	if (rc == FL_OK)
		rc = exec(st, sql, err);
	if (rc == FL_OK)
		rc = exec(st, "COMMIT", err);
	if (rc != FL_OK && !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int check_analyzer(struct fl_store *st, const char *path,
			  struct fl_err *err)
{
	char have[128];
	int rc = fl_store_meta(st, "analyzer_version", have, sizeof(have),
			       err);

	if (rc != FL_OK)
		return rc;
	if (strcmp(have, fl_store_analyzer_version()) == 0 ||
	    (st->flags & FL_STORE_ANY_ANALYZER))
		return FL_OK;
	return fl_error(err, FL_EVERSION,
			"index '%s' was built with analyzer '%s' but this is "
			"'%s': rebuild it with `findling-index --rebuild "
			"--index %s`", path, have, fl_store_analyzer_version(),
			path);
}

/* Create, migrate or verify the schema. */
static int prepare_schema(struct fl_store *st, const char *path,
			  struct fl_err *err)
{
	int v = 0;
	int empty = 0;
	int rc = user_version(st, &v, err);

	if (rc == FL_OK && v > FL_STORE_SCHEMA_VERSION)
		return fl_error(err, FL_EVERSION,
				"index '%s' has schema version %d; this build "
				"knows only up to %d: use a newer findling",
				path, v, FL_STORE_SCHEMA_VERSION);
	if (rc == FL_OK && v == 0)
		rc = is_empty_db(st, &empty, err);
	if (rc == FL_OK && v == 0 && !empty)
		return fl_error(err, FL_EFORMAT,
				"'%s' is not a findling index", path);
	if (rc == FL_OK && v < FL_STORE_SCHEMA_VERSION) {
		if (st->flags & FL_STORE_READONLY)
			return fl_error(err, v ? FL_EVERSION : FL_ENOTFOUND,
					"index '%s' %s: run findling-index "
					"first", path, v ? "is outdated" :
					"is empty");
		rc = migrate(st, v, err);
	}
	if (rc == FL_OK)
		rc = check_analyzer(st, path, err);
	return rc;
}

static int set_pragmas(struct fl_store *st, struct fl_err *err)
{
	char sql[160];
	int bulk = (st->flags & FL_STORE_BULK) != 0;
	int rc = FL_OK;

	sqlite3_busy_timeout(st->db, FL_STORE_BUSY_TIMEOUT_MS);
	if (!(st->flags & FL_STORE_READONLY))
		rc = exec(st, "PRAGMA journal_mode = WAL", err);
	snprintf(sql, sizeof(sql),
		 "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -%d; "
		 "PRAGMA temp_store = MEMORY; PRAGMA mmap_size = %lld",
		 bulk ? BULK_CACHE_KIB : READ_CACHE_KIB,
		 (st->flags & FL_STORE_READONLY) ? READ_MMAP_BYTES : MMAP_BYTES);
	if (rc == FL_OK)
		rc = exec(st, sql, err);
	return rc;
}

/* 1 when the directory of path lets us create files (-wal, -shm). */
static int dir_writable(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	size_t n;

	if (!slash)
		return access(".", W_OK) == 0;
	n = (size_t)(slash - path);
	if (n == 0)
		n = 1;
	if (n >= sizeof(dir))
		return 1; /* let SQLite say what is wrong */
	memcpy(dir, path, n);
	dir[n] = '\0';
	return access(dir, W_OK) == 0;
}

/*
 * A writer needs the index file and its directory writable (WAL creates
 * -wal and -shm beside it): say so plainly instead of SQLite's "unable to
 * open database file" from the first PRAGMA.
 */
static int check_writable(const char *path, struct fl_err *err)
{
	if (access(path, F_OK) == 0 && access(path, W_OK) != 0)
		return fl_error(err, FL_EIO, "index '%s' is not writable: %s",
				path, strerror(errno));
	if (!dir_writable(path))
		return fl_error(err, FL_EIO, "index '%s': its directory is not "
				"writable: %s", path, strerror(errno));
	return FL_OK;
}

/* 1 when path has no -wal file with content (all commits are in path). */
static int wal_empty(const char *path)
{
	char wal[4200];
	struct stat sb;

	if ((size_t)snprintf(wal, sizeof(wal), "%s-wal", path) >= sizeof(wal))
		return 0;
	return stat(wal, &sb) != 0 || sb.st_size == 0;
}

/*
 * An index on read-only media (a read-only mount, a directory we may not
 * write) cannot get its -shm file: open it as immutable, which SQLite
 * reads without WAL locking (only when no -wal holds commits the main
 * file lacks: immutable ignores it). Builds "file:PATH?immutable=1" with
 * the URI's special characters escaped.
 */
static int immutable_uri(const char *path, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, o = 0;
	const char *pre = "file:", *post = "?immutable=1";

	if (strlen(pre) >= size)
		return -1;
	o = strlen(pre);
	memcpy(out, pre, o);
	for (i = 0; path[i]; i++) {
		unsigned char c = (unsigned char)path[i];

		if (o + 4 >= size)
			return -1;
		if (c == '%' || c == '?' || c == '#') {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	if (o + strlen(post) + 1 > size)
		return -1;
	memcpy(out + o, post, strlen(post) + 1);
	return 0;
}

/* Device and inode of path mixed into one number, 0 when stat fails. */
static uint64_t file_id_of(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) != 0)
		return 0;
	return ((uint64_t)sb.st_dev << 40) ^ (uint64_t)sb.st_ino;
}

static int open_db(struct fl_store *st, const char *path, struct fl_err *err)
{
	int oflags = SQLITE_OPEN_NOMUTEX;
	char uri[4200];
	const char *name = path;

	if (st->flags & FL_STORE_READONLY)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE;
	if (!(st->flags & FL_STORE_READONLY) && (st->flags & FL_STORE_CREATE))
		oflags |= SQLITE_OPEN_CREATE;
	else if (access(path, F_OK) != 0)
		return fl_error(err, FL_ENOTFOUND, "index '%s' not found: run "
				"findling-index first", path);
	if (!(st->flags & FL_STORE_READONLY) && check_writable(path, err))
		return err ? err->code : FL_EIO;
	if ((st->flags & FL_STORE_READONLY) && !dir_writable(path) &&
	    wal_empty(path) && immutable_uri(path, uri, sizeof(uri)) == 0) {
		name = uri;
		oflags |= SQLITE_OPEN_URI;
	}
	if (sqlite3_open_v2(name, &st->db, oflags, NULL) != SQLITE_OK)
		return fl_error(err, FL_EDB, "index '%s': %s", path,
				st->db ? sqlite3_errmsg(st->db) :
				"out of memory");
	sqlite3_extended_result_codes(st->db, 0);
	st->file_id = file_id_of(path);
	return FL_OK;
}

/* FTS5 settings for loading many documents (see BULK_FTS_HASHSIZE). */
static int bulk_fts(struct fl_store *st, struct fl_err *err)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "INSERT INTO docs_fts(docs_fts, rank) "
		 "VALUES ('hashsize', %d)", BULK_FTS_HASHSIZE);
	return exec(st, sql, err);
}

/*
 * SQLite's allocation statistics take a global mutex on every malloc (in
 * every thread); nothing in Findling reads them. Process-wide and only
 * possible before SQLite initialises, hence once, before the first open.
 */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void configure_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int fl_store_open(const char *path, unsigned flags, struct fl_lexicon *lex,
		  struct fl_store **out, struct fl_err *err)
{
	struct fl_store *st;
	int rc;
	int want_freq = !(flags & FL_STORE_READONLY) || (flags & FL_STORE_FREQ);

	pthread_once(&sqlite_once, configure_sqlite);
	*out = NULL;
	st = calloc(1, sizeof(*st));
	if (!st)
		return fl_error(err, FL_ENOMEM, "index: out of memory");
	st->flags = flags;
	rc = open_db(st, path, err);
	if (rc == FL_OK)
		rc = set_pragmas(st, err);
	if (rc == FL_OK && lex)
		st->lex = fl_lexicon_ref(lex);
	else if (rc == FL_OK)
		rc = own_lexicon(st, want_freq, err);
	if (rc == FL_OK)
		rc = register_tokenizer(st, err);
	if (rc == FL_OK)
		rc = prepare_schema(st, path, err);
	if (rc == FL_OK && (flags & FL_STORE_BULK) &&
	    !(flags & FL_STORE_READONLY))
		rc = bulk_fts(st, err);
	if (rc != FL_OK) {
		fl_store_close(st);
		return rc;
	}
	*out = st;
	return FL_OK;
}

/* ---- maintenance ---- */

/* First row of an integrity_check; "ok" when all is well. */
static int sqlite_check(struct fl_store *st, struct fl_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc = FL_OK;
	const char *msg;

	if (sqlite3_prepare_v2(st->db, "PRAGMA integrity_check(1)", -1, &s,
			       NULL) != SQLITE_OK || sqlite3_step(s) !=
	    SQLITE_ROW) {
		rc = fl_store_dberr(st, "integrity_check", err);
		goto out;
	}
	msg = (const char *)sqlite3_column_text(s, 0);
	if (!msg || strcmp(msg, "ok") != 0)
		rc = fl_error(err, FL_EDB, "index: integrity_check: %s",
			      msg ? msg : "(null)");
out:
	sqlite3_finalize(s);
	return rc;
}

/*
 * Every stored document has its row in the full-text index and no index
 * row lacks its document. FTS5's own integrity-check (3.40) checks the
 * index against itself only, not against an external content table.
 */
static int content_check(struct fl_store *st, struct fl_err *err)
{
	static const char sql[] =
		"SELECT (SELECT count(*) FROM documents WHERE id NOT IN "
		"(SELECT id FROM docs_fts_docsize)), (SELECT count(*) FROM "
		"docs_fts_docsize WHERE id NOT IN (SELECT id FROM documents))";
	sqlite3_stmt *s = NULL;
	int rc = FL_OK;
	sqlite3_int64 unindexed, orphans;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW) {
		rc = fl_store_dberr(st, "content check", err);
		goto out;
	}
	unindexed = sqlite3_column_int64(s, 0);
	orphans = sqlite3_column_int64(s, 1);
	if (unindexed || orphans)
		rc = fl_error(err, FL_EDB, "index: integrity: %lld documents "
			      "missing from the full-text index, %lld index "
			      "entries without their document",
			      (long long)unindexed, (long long)orphans);
out:
	sqlite3_finalize(s);
	return rc;
}

int fl_store_check(struct fl_store *st, struct fl_err *err)
{
	int rc = sqlite_check(st, err);

	if (rc == FL_OK)
		rc = content_check(st, err);
	if (rc == FL_OK)
		rc = exec(st, "INSERT INTO docs_fts(docs_fts) "
			  "VALUES ('integrity-check')", err);
	return rc;
}

/*
 * FTS5 'rebuild' throws away the whole index of docs_fts and re-analyses
 * every row of documents with the tokenizer registered now. (DROP TABLE
 * + CREATE would fail with "table is locked" while the connection holds
 * the virtual table.)
 */
/* Re-tokenize every document; the suggest words are counted afresh. */
static int recreate_fts(struct fl_store *st, struct fl_err *err)
{
	int rc = fl_suggest_clear(st, err);

	if (rc != FL_OK)
		return rc;
	if (st->tally)
		fl_tally_set_sign(st->tally, 1);
	rc = exec(st, "INSERT INTO docs_fts(docs_fts) VALUES ('rebuild')",
		  err);
	if (st->tally)
		fl_tally_set_sign(st->tally, 0);
	return rc;
}

int fl_store_rebuild(struct fl_store *st, struct fl_err *err)
{
	size_t i;
	int rc;

	/* cached statements may point at the old table */
	for (i = 0; i < FL_STORE_MAX_STMTS; i++) {
		sqlite3_finalize(st->stmts[i]);
		st->stmts[i] = NULL;
	}
	rc = fl_store_begin(st, err);
	if (rc == FL_OK)
		rc = recreate_fts(st, err);
	if (rc == FL_OK)
		rc = set_meta(st, "analyzer_version",
			      fl_store_analyzer_version(), err);
	if (rc == FL_OK) {
		fl_store_touch(st);
		rc = fl_store_commit(st, err);
	}
	if (rc != FL_OK)
		fl_store_rollback(st);
	return rc;
}

/* 1 when s (n bytes of UTF-8) is letters only and long enough. */
static int is_freq_word(const char *s, size_t n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t off = 0;
	size_t chars = 0;

	while ((size_t)off < n) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate(p + off,
						      (utf8proc_ssize_t)n - off,
						      &c);
		utf8proc_category_t cat;

		if (k <= 0)
			return 0;
		cat = utf8proc_category(c);
		if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_LO)
			return 0;
		off += k;
		chars++;
	}
	return chars >= FL_STORE_MIN_FREQ_CHARS;
}

/* One term_freq row gathered in memory. */
struct freq_row {
	char *term;
	size_t len;
	int64_t n;
};

static int row_by_n(const void *x, const void *y)
{
	const struct freq_row *a = x, *b = y;

	return a->n > b->n ? -1 : a->n < b->n;
}

/* BINARY collation order: inserting sorted appends to the B-tree. */
static int row_by_term(const void *x, const void *y)
{
	const struct freq_row *a = x, *b = y;
	int c = memcmp(a->term, b->term, a->len < b->len ? a->len : b->len);

	if (c)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* Terms of docs_vocab in at least FL_STORE_MIN_FREQ_DOCS documents. */
/* Terms of docs_vocab that can be words (is_freq_word): those starting
 * with a-z or a non-ASCII letter. The ranges skip the marked stems ('~')
 * and numbers, whose document counts fts5vocab would otherwise compute by
 * walking their doclists: about half the vocabulary. */
#define FREQ_RANGES "SELECT term, doc FROM docs_vocab WHERE term >= 'a' " \
	"AND term < '{' UNION ALL SELECT term, doc FROM docs_vocab WHERE " \
	"term >= char(192)"

static int gather_freq(struct fl_store *st, struct freq_row **out, size_t *nout,
		       struct fl_err *err)
{
	sqlite3_stmt *sel = NULL;
	struct freq_row *v = NULL, *nv;
	size_t n = 0, cap = 0;
	int rc = FL_OK;

	if (sqlite3_prepare_v2(st->db, "SELECT term, doc FROM (" FREQ_RANGES
			       ") WHERE doc >= ?1", -1, &sel,
			       NULL) != SQLITE_OK)
		return fl_store_dberr(st, "term_freq", err);
	sqlite3_bind_int(sel, 1, FL_STORE_MIN_FREQ_DOCS);
	while (rc == FL_OK && sqlite3_step(sel) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(sel, 0);
		size_t len = (size_t)sqlite3_column_bytes(sel, 0);

		if (!t || !is_freq_word(t, len))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 65536;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				rc = fl_error(err, FL_ENOMEM, "out of memory");
				break;
			}
			v = nv;
		}
		v[n].term = malloc(len + 1);
		if (!v[n].term) {
			rc = fl_error(err, FL_ENOMEM, "out of memory");
			break;
		}
		memcpy(v[n].term, t, len);
		v[n].len = len;
		v[n].n = sqlite3_column_int64(sel, 1);
		n++;
	}
	sqlite3_finalize(sel);
	*out = v;
	*nout = n;
	return rc;
}

/* Copy the FL_STORE_MAX_FREQ_TERMS most frequent words into term_freq,
 * gathered and sorted in memory (sorting the vocabulary by count in SQL
 * and inserting in count order cost more than the rest of the refresh). */
static int copy_freq(struct fl_store *st, size_t *nterms, struct fl_err *err)
{
	struct freq_row *v = NULL;
	sqlite3_stmt *ins = NULL;
	size_t n = 0, i;
	int rc = gather_freq(st, &v, &n, err);

	if (rc == FL_OK && sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO "
					      "term_freq(term, n) VALUES (?1, ?2)",
					      -1, &ins, NULL) != SQLITE_OK)
		rc = fl_store_dberr(st, "term_freq", err);
	if (rc == FL_OK && n > FL_STORE_MAX_FREQ_TERMS) {
		qsort(v, n, sizeof(*v), row_by_n);
		for (i = FL_STORE_MAX_FREQ_TERMS; i < n; i++)
			free(v[i].term);
		n = FL_STORE_MAX_FREQ_TERMS;
	}
	if (rc == FL_OK && n)
		qsort(v, n, sizeof(*v), row_by_term);
	for (i = 0; rc == FL_OK && i < n; i++) {
		sqlite3_bind_text(ins, 1, v[i].term, (int)v[i].len,
				  SQLITE_STATIC);
		sqlite3_bind_int64(ins, 2, v[i].n);
		if (sqlite3_step(ins) != SQLITE_DONE)
			rc = fl_store_dberr(st, "term_freq", err);
		sqlite3_reset(ins);
	}
	if (nterms)
		*nterms = rc == FL_OK ? n : 0;
	for (i = 0; i < n; i++)
		free(v[i].term);
	free(v);
	sqlite3_finalize(ins);
	return rc;
}

int fl_store_refresh_freq(struct fl_store *st, size_t *nterms,
			  struct fl_err *err)
{
	int rc = fl_store_begin(st, err);

	if (rc == FL_OK)
		rc = exec(st, "DELETE FROM term_freq", err);
	if (rc == FL_OK)
		rc = copy_freq(st, nterms, err);
	/* the documents it was made from: see fl_store_freq_stale */
	if (rc == FL_OK)
		rc = exec(st, "INSERT OR REPLACE INTO meta(key, value) SELECT "
			  "'freq_generation', value FROM meta WHERE key = "
			  "'generation'", err);
	if (rc == FL_OK)
		rc = fl_store_commit(st, err);
	if (rc != FL_OK)
		fl_store_rollback(st);
	return rc;
}

int fl_store_freq_stale(struct fl_store *st, int *stale, struct fl_err *err)
{
	int64_t v = 1;
	int rc = query_int(st, SLOT_FREQ_STALE, "SELECT (SELECT value FROM "
			   "meta WHERE key = 'generation') IS NOT (SELECT value "
			   "FROM meta WHERE key = 'freq_generation')", NULL, &v,
			   err);

	*stale = v != 0;
	return rc;
}

int fl_store_file_get(struct fl_store *st, const char *path, int *found,
		      int64_t *mtime_ns, int64_t *size, struct fl_err *err)
{
	sqlite3_stmt *s;
	int rc = fl_store_stmt(st, SLOT_FILE_GET, "SELECT mtime, size FROM "
			       "files WHERE path = ?1", &s, err);

	*found = 0;
	if (rc != FL_OK)
		return rc;
	sqlite3_bind_text(s, 1, path, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*found = 1;
		*mtime_ns = sqlite3_column_int64(s, 0);
		*size = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fl_store_dberr(st, "files", err);
	return FL_OK;
}

int fl_store_file_set(struct fl_store *st, const char *path,
		      int64_t mtime_ns, int64_t size, struct fl_err *err)
{
	sqlite3_stmt *s;
	int rc = fl_store_stmt(st, SLOT_FILE_SET, "INSERT OR REPLACE INTO "
			       "files(path, mtime, size) VALUES (?1, ?2, ?3)",
			       &s, err);

	if (rc != FL_OK)
		return rc;
	sqlite3_bind_text(s, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, mtime_ns);
	sqlite3_bind_int64(s, 3, size);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return fl_store_dberr(st, "files", err);
	st->dirty = 1;
	return FL_OK;
}
