/*
 * fl_tokenizer.h - FTS5 glue only: registers the custom tokenizer `german`
 * (FTS5 v1 API) whose instances each own an fl_analyzer. Called by
 * fl_store on every connection it opens.
 */
#ifndef FL_TOKENIZER_H
#define FL_TOKENIZER_H

#include <sqlite3.h>

#include "fl_err.h"
#include "fl_lexicon.h"
#include "fl_tally.h"

/* Name used in CREATE VIRTUAL TABLE ... tokenize='german'. */
#define FL_TOKENIZER_NAME "german"

/*
 * Register `german` on db. Takes a reference on lex for as long as the
 * tokenizer module lives (released when db closes).
 */
int fl_tokenizer_register(sqlite3 *db, struct fl_lexicon *lex,
			  struct fl_err *err);

/*
 * Like fl_tokenizer_register, and every token of text written to the FTS
 * index while fl_tally_sign(tally) is non-zero is counted in tally
 * (borrowed: it must outlive db; NULL counts nothing).
 */
int fl_tokenizer_register_tally(sqlite3 *db, struct fl_lexicon *lex,
				struct fl_tally *tally, struct fl_err *err);

#endif
