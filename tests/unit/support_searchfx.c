/* support_searchfx.c - see support_searchfx.h. */
#include "support_searchfx.h"

#include <stdio.h>
#include <stdlib.h>

#include "fl_suggest.h"

struct fx *fx_open(const char *tag)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct fl_err err = { 0 };

	if (!f || tmp_index_make(&f->tmp, tag)) {
		free(f);
		return NULL;
	}
	if (fl_lexicon_load(NULL, &f->lex, &err) ||
	    fl_store_open(f->tmp.path, FL_STORE_CREATE, f->lex, &f->st, &err) ||
	    fl_store_begin(f->st, &err)) {
		fprintf(stderr, "# setup: %s\n", err.msg);
		fx_close(f);
		return NULL;
	}
	return f;
}

int fx_finish(struct fx *f, int suggest)
{
	struct fl_err err = { 0 };

	if (fl_store_commit(f->st, &err) ||
	    (suggest && fl_suggest_refresh(f->st, f->lex, NULL, &err)) ||
	    fl_searcher_new(f->st, f->lex, &f->s, &err)) {
		fprintf(stderr, "# setup: %s\n", err.msg);
		return -1;
	}
	return 0;
}

void fx_close(struct fx *f)
{
	if (!f)
		return;
	fl_searcher_free(f->s);
	fl_store_close(f->st);
	fl_lexicon_unref(f->lex);
	tmp_index_remove(&f->tmp);
	free(f);
}
