/*
 * fl_tokenizer.h - FTS5 glue only: registers the custom tokenizer `german`
 * (FTS5 v1 API) whose instances each own an fl_analyzer. Called by
 * fl_store on every connection it opens.
 */
#ifndef FL_TOKENIZER_H
#define FL_TOKENIZER_H

#include <sqlite3.h>

#include "fl_err.h"
#include "fl_analyze.h"
#include "fl_lexicon.h"
#include "fl_tally.h"

/* Name used in CREATE VIRTUAL TABLE ... tokenize='german'. */
#define FL_TOKENIZER_NAME "german"

/* A query string that starts with this byte asks for EXACT forms only,
 * like a prefix query but matching whole tokens (the exact-form bonus of
 * fl_search). fl_query turns every control character of user input into
 * a space, so only our own expressions carry it. */
#define FL_TOKENIZER_EXACT_MARK '\x01'

/* The fts5_api of db (owned by db), or NULL when FTS5 is missing. */
fts5_api *fl_tokenizer_fts5_api(sqlite3 *db);

/*
 * Register `german` on db. Takes a reference on lex for as long as the
 * tokenizer module lives (released when db closes).
 */
int fl_tokenizer_register(sqlite3 *db, struct fl_lexicon *lex,
			  struct fl_err *err);

/* What a writer (fl_store) can ask of the tokenizer on its connection. */
#define FL_TOK_PREPARED_MAX 2
struct fl_tok_hooks {
	/* every token of text written to the FTS index while
	 * fl_tally_sign(tally) is non-zero is counted here; NULL: none */
	struct fl_tally *tally;
	/* texts already analysed (by another thread): a DOCUMENT-mode text
	 * equal to one of these replays its tokens instead of analysing */
	const struct fl_tokens *prepared[FL_TOK_PREPARED_MAX];
};

/*
 * Like fl_tokenizer_register, with hooks (borrowed: must outlive db; the
 * caller may change its fields between statements).
 */
int fl_tokenizer_register_hooks(sqlite3 *db, struct fl_lexicon *lex,
				struct fl_tok_hooks *hooks,
				struct fl_err *err);

#endif
