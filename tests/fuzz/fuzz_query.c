/*
 * libFuzzer target for fl_query: any bytes must parse (FL_OK), and every
 * FTS5 expression produced must be accepted by a real FTS5 table with the
 * german tokenizer (unicode61 when it does not register). Build, e.g.:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Ilib \
 *     tests/fuzz/fuzz_query.c lib/fl_{query,buf,err,decompound,lexicon}.c \
 *     lib/fl_{analyze,stem,utf8,tokenizer}.c build/gen/fl_data_[a-z]*.c \
 *     -o build-fuzz/fuzz_query $(pkg-config --libs sqlite3 libutf8proc) \
 *     -lstemmer -lm
 *   build-fuzz/fuzz_query -max_len=512 -max_total_time=60 tests/golden/query
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>

#include "fl_analyze.h"
#include "fl_lexicon.h"
#include "fl_query.h"
#include "fl_tokenizer.h"

struct fuzz_env {
	sqlite3 *db;
	sqlite3_stmt *st;
	struct fl_query_opts opts;
};

static struct fuzz_env *env_get(void)
{
	static struct fuzz_env e; /* fuzzer process state, set up once */
	static int ready;
	struct fl_lexicon *lex = NULL;
	struct fl_analyzer *an = NULL;
	const char *tok = "unicode61";
	char sql[128];

	if (ready)
		return &e;
	ready = 1;
	if (fl_lexicon_load(NULL, &lex, NULL) == FL_OK &&
	    fl_analyzer_new(lex, &an, NULL) == FL_OK) {
		e.opts.lex = lex;
		e.opts.an = an;
	}
	if (sqlite3_open(":memory:", &e.db) != SQLITE_OK)
		abort();
	if (lex && fl_tokenizer_register(e.db, lex, NULL) == FL_OK)
		tok = FL_TOKENIZER_NAME;
	sqlite3_snprintf(sizeof(sql), sql, "CREATE VIRTUAL TABLE t USING "
			 "fts5(title, body, tokenize='%s')", tok);
	if (sqlite3_exec(e.db, sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(e.db, "INSERT INTO t VALUES('Schule in Halle', "
			 "'Wärmeschutz und Wärme')", NULL, NULL, NULL) !=
	    SQLITE_OK ||
	    sqlite3_prepare_v2(e.db, "SELECT count(*) FROM t WHERE t MATCH ?",
			       -1, &e.st, NULL) != SQLITE_OK)
		abort();
	return &e;
}

static void run(struct fuzz_env *e, const char *expr)
{
	if (!expr)
		return;
	sqlite3_bind_text(e->st, 1, expr, -1, SQLITE_STATIC);
	if (sqlite3_step(e->st) != SQLITE_ROW)
		abort(); /* FTS5 rejected our output */
	sqlite3_reset(e->st);
}

static void one(struct fuzz_env *e, const uint8_t *data, size_t size,
		const struct fl_query_opts *o)
{
	struct fl_query *q = NULL;
	size_t i;

	if (fl_query_parse((const char *)data, size, o, &q, NULL) != FL_OK)
		abort();
	run(e, q->match);
	run(e, q->match_any);
	run(e, q->exclude);
	for (i = 0; i < q->nterms; i++)
		run(e, q->terms[i]);
	for (i = 0; i < q->nexact; i++)
		run(e, q->exact[i]);
	fl_query_free(q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_env *e = env_get();

	one(e, data, size, NULL);
	one(e, data, size, &e->opts);
	return 0;
}
