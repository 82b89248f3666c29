/*
 * support_searchfx.h - the fixture of the search and suggest unit tests: a
 * temporary index with the system lexicon, filled in one transaction by the
 * test, then given a searcher.
 */
#ifndef SUPPORT_SEARCHFX_H
#define SUPPORT_SEARCHFX_H

#include "support_tmpindex.h"
#include "fl_lexicon.h"
#include "fl_search.h"
#include "fl_store.h"

struct fx {
	struct tmp_index tmp;
	struct fl_lexicon *lex;
	struct fl_store *st;
	struct fl_searcher *s;   /* set by fx_finish */
};

/* A new index named after tag, open in a write transaction; NULL (after
 * saying why on stderr) on failure. */
struct fx *fx_open(const char *tag);

/* Commit, refresh the suggest tables when suggest is set, and make the
 * searcher. 0 on success, -1 (after saying why) on failure. */
int fx_finish(struct fx *f, int suggest);

/* Close everything and remove the index. */
void fx_close(struct fx *f);

#endif
