/*
 * plain_fts5.c - the baseline `make bench` compares Findling against: the
 * same JSON Lines loaded into a plain FTS5 table (unicode61 tokenizer, no
 * German analysis), and the same queries answered with bm25() + snippet().
 *
 *   plain_fts5 index DB FILE.jsonl      prints docs, seconds, docs/s, MB/s
 *   plain_fts5 query DB QUERIES.txt N   prints p50/p99 ms over N rounds
 */
#include <errno.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fl_buf.h"
#include "fl_banned.h"

#define BATCH_DOCS 1000        /* same batch size as findling-index */
#define MAX_LINE (64u << 20)   /* longest JSON line accepted */
#define MAX_QUERIES 1024

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *str_field(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : "";
}

static int exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "plain_fts5: %s: %s\n", sql, msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int insert_line(sqlite3_stmt *st, const char *line, size_t len)
{
	json_error_t jerr;
	json_t *o = json_loadb(line, len, 0, &jerr);
	int rc;

	if (!o)
		return 0;
	sqlite3_bind_text(st, 1, str_field(o, "title"), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, str_field(o, "body"), -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	json_decref(o);
	return rc == SQLITE_DONE ? 1 : -1;
}

static int cmd_index(const char *dbpath, const char *file)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	FILE *f = fopen(file, "r");
	char *line = NULL;
	size_t cap = 0, docs = 0, bytes = 0;
	ssize_t n;
	double t0;
	int rc = 1;

	if (!f) {
		fprintf(stderr, "plain_fts5: %s: %s\n", file, strerror(errno));
		return 1;
	}
	remove(dbpath);
	if (sqlite3_open(dbpath, &db) != SQLITE_OK ||
	    exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
		     "CREATE TABLE d(id INTEGER PRIMARY KEY, title, body);"
		     "CREATE VIRTUAL TABLE f USING fts5(title, body,"
		     " content='d', content_rowid='id');") ||
	    sqlite3_prepare_v2(db, "INSERT INTO d(title, body) VALUES(?1, ?2)"
			       " RETURNING id", -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	if (exec(db, "CREATE TRIGGER d_ai AFTER INSERT ON d BEGIN INSERT INTO"
		     " f(rowid, title, body) VALUES(new.id, new.title,"
		     " new.body); END;") ||
	    sqlite3_prepare_v2(db, "INSERT INTO d(title, body) VALUES(?1, ?2)",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	t0 = now_s();
	exec(db, "BEGIN");
	while ((n = getline(&line, &cap, f)) > 0) {
		if ((size_t)n > MAX_LINE || insert_line(st, line, (size_t)n) < 0)
			continue;
		docs++;
		bytes += (size_t)n;
		if (docs % BATCH_DOCS == 0 && (exec(db, "COMMIT") ||
					       exec(db, "BEGIN")))
			goto out;
	}
	if (exec(db, "COMMIT"))
		goto out;
	{
		double dt = now_s() - t0;

		printf("docs %zu seconds %.3f docs_per_s %.0f mb_per_s %.2f\n",
		       docs, dt, docs / dt, bytes / dt / 1e6);
	}
	rc = 0;
out:
	free(line);
	sqlite3_finalize(st);
	sqlite3_close(db);
	fclose(f);
	return rc;
}

static int is_word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') ||
	       ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/*
 * Quote every word of a benchmark query for plain FTS5: words become
 * "word" (ANDed), a "quoted phrase" stays one quoted string.
 */
static void plain_match(const char *q, struct fl_buf *b)
{
	int in_phrase = 0, in_word = 0;
	size_t i;

	fl_buf_reset(b);
	for (i = 0; q[i]; i++) {
		unsigned char c = (unsigned char)q[i];

		if (c == '"') {
			if (in_word && !in_phrase)
				fl_buf_addc(b, '"');
			in_word = 0;
			fl_buf_adds(b, in_phrase ? "\" " : " \"");
			in_phrase = !in_phrase;
		} else if (is_word_byte(c)) {
			if (!in_word && !in_phrase)
				fl_buf_adds(b, " \"");
			in_word = 1;
			fl_buf_addc(b, (char)c);
		} else {
			if (in_word && !in_phrase)
				fl_buf_addc(b, '"');
			else if (in_phrase)
				fl_buf_addc(b, ' ');
			in_word = 0;
		}
	}
	if (in_word || in_phrase)
		fl_buf_addc(b, '"');
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int load_queries(const char *file, char **qs, size_t *nq)
{
	FILE *f = fopen(file, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f)
		return -1;
	*nq = 0;
	while ((n = getline(&line, &cap, f)) > 0 && *nq < MAX_QUERIES) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		qs[(*nq)++] = strdup(line);
	}
	free(line);
	fclose(f);
	return 0;
}

static int cmd_query(const char *dbpath, const char *file, int rounds)
{
	static const char sql[] =
		"SELECT d.id, d.title, snippet(f, 1, '<mark>', '</mark>', '…', 24)"
		" FROM f JOIN d ON d.id = f.rowid WHERE f MATCH ?1"
		" ORDER BY bm25(f, 4.0, 1.0) LIMIT 10";
	char *qs[MAX_QUERIES];
	size_t nq = 0, i, k = 0;
	double *lat;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	struct fl_buf b;
	int r;

	fl_buf_init(&b, 1 << 16);
	if (load_queries(file, qs, &nq) || nq == 0 ||
	    sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) ||
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL)) {
		fprintf(stderr, "plain_fts5: cannot query %s with %s\n", dbpath,
			file);
		return 1;
	}
	lat = calloc(nq * (size_t)rounds, sizeof(*lat));
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < nq; i++) {
			double t0 = now_s();

			plain_match(qs[i], &b);
			sqlite3_bind_text(st, 1, b.data, -1, SQLITE_STATIC);
			while (sqlite3_step(st) == SQLITE_ROW)
				;
			sqlite3_reset(st);
			lat[k++] = (now_s() - t0) * 1000.0;
		}
	}
	qsort(lat, k, sizeof(*lat), cmp_double);
	printf("queries %zu p50_ms %.3f p99_ms %.3f\n", k, lat[k / 2],
	       lat[(size_t)(k * 0.99)]);
	free(lat);
	for (i = 0; i < nq; i++)
		free(qs[i]);
	fl_buf_release(&b);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "index"))
		return cmd_index(argv[2], argv[3]);
	if (argc == 5 && !strcmp(argv[1], "query"))
		return cmd_query(argv[2], argv[3], (int)strtol(argv[4], NULL, 10));
	fprintf(stderr, "usage: plain_fts5 index DB FILE.jsonl | "
		"plain_fts5 query DB QUERIES N\n");
	return 2;
}
