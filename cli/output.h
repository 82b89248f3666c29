/*
 * output.h - what the search commands share: opening the index (the
 * --index / $FINDLING_INDEX / ./findling.db rule, exit 2 when unusable) and
 * the writers for results: text (matches coloured on a terminal), JSON
 * (fl_json, the HTTP wire format), CSV (RFC 4180) and KWIC.
 */
#ifndef CLI_OUTPUT_H
#define CLI_OUTPUT_H

#include <stdio.h>

#include "fl_analyze.h"
#include "fl_search.h"
#include "fl_json.h"
#include "fl_store.h"

#define CLI_DEFAULT_INDEX "findling.db"

/* Everything a search command holds open. */
struct cli_index {
	const char *path;          /* borrowed */
	struct fl_lexicon *lex;
	struct fl_store *st;
	struct fl_searcher *s;     /* NULL unless asked for */
};

enum cli_format {
	CLI_FMT_TEXT = 0,
	CLI_FMT_JSON,
	CLI_FMT_CSV,
	CLI_FMT_KWIC,
};

/* The index path to use: path, else $FINDLING_INDEX, else ./findling.db;
 * NULL (after saying so on stderr) when no readable file is there. */
const char *cli_index_path(const char *path);

/* path NULL: $FINDLING_INDEX or ./findling.db. Prints the problem and
 * returns CLI_EXIT_USAGE when the index cannot be used. */
int cli_index_open(struct cli_index *ix, const char *path, int searcher);
void cli_index_close(struct cli_index *ix);

/* "text|json|csv|kwic" -> format; -1 when unknown. */
int cli_parse_format(const char *s);

/*
 * Options of the commands that take only `[--index PATH] [--format F]`
 * (get, stats): sets *index (NULL when not given) and *format. Returns the
 * index of the first operand in argv, or -1 on a usage error.
 */
int cli_parse_index_format(int argc, char **argv, const char **index,
			   int *format);

/* Print a JSON value to f, pretty when f is a terminal. Drops j. */
int cli_print_json(FILE *f, json_t *j);

int cli_print_text(FILE *f, const struct fl_result *r);
int cli_print_csv(FILE *f, const struct fl_result *r);
/* KWIC needs the documents and the analyzer: lines for every hit. */
int cli_print_kwic(FILE *f, struct cli_index *ix, const struct fl_result *r);

/* Fill d (caller releases with fl_doc_release) with the document ext_id,
 * body included; FL_OK or an error code. */
typedef int (*cli_doc_fn)(void *ctx, const char *ext_id, struct fl_doc *d);

/* KWIC lines of r's hits, texts from get (cli_print_kwic: the index;
 * --server: GET /api/documents/ID), analysed with lex. */
int cli_print_kwic_with(FILE *f, struct fl_lexicon *lex, cli_doc_fn get,
			void *ctx, const struct fl_result *r);

#endif
