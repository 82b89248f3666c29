/*
 * fl_tokenizer.c - FTS5 glue only (see fl_tokenizer.h): the v1 tokenizer
 * `german`. Each FTS5 tokenizer instance owns one fl_analyzer; the module
 * holds a lexicon reference, dropped when SQLite destroys the module (when
 * the connection closes). Called by fl_store on every connection.
 */
#include "fl_tokenizer.h"

#include <limits.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "fl_analyze.h"
#include "fl_banned.h"

/* The module's user data: shared by every instance on the connection. */
struct tok_mod {
	struct fl_lexicon *lex;     /* our reference */
	struct fl_tok_hooks *hooks; /* borrowed from the store, or NULL */
};

/* One FTS5 tokenizer instance. */
struct tok_inst {
	struct fl_analyzer *an;
	struct tok_mod *mod;
};

/* What xTokenize passes to the analyzer callback. */
struct tok_ctx {
	void *fts_ctx;  /* FTS5's pCtx */
	int (*xToken)(void *, int, const char *, int, int, int);
	struct fl_tally *tally;     /* count surfaces, or NULL */
	const char *text;           /* the text being tokenized */
};

static int tok_create(void *mod_ctx, const char **argv, int argc,
		      Fts5Tokenizer **out)
{
	struct tok_mod *mod = mod_ctx;
	struct tok_inst *in;

	(void)argv;
	*out = NULL;
	if (argc > 0)
		return SQLITE_ERROR;	/* `german` takes no options */
	in = calloc(1, sizeof(*in));
	if (!in)
		return SQLITE_NOMEM;
	if (fl_analyzer_new(mod->lex, &in->an, NULL) != FL_OK) {
		free(in);
		return SQLITE_NOMEM;
	}
	in->mod = mod;
	*out = (Fts5Tokenizer *)in;
	return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *tok)
{
	struct tok_inst *in = (struct tok_inst *)tok;

	if (!in)
		return;
	fl_analyzer_free(in->an);
	free(in);
}

static int tok_emit(void *ctx, const struct fl_token *t)
{
	struct tok_ctx *c = ctx;
	int tflags = (t->flags & FL_TOKEN_COLOCATED) ? FTS5_TOKEN_COLOCATED
						     : 0;

	if (c->tally && fl_tally_token(c->tally, c->text, t) != FL_OK)
		return SQLITE_NOMEM;
	return c->xToken(c->fts_ctx, tflags, t->text, (int)t->len,
			 (int)t->start, (int)t->end);
}

/* FTS5 flags -> analysis mode. AUX (highlight, snippet) must see the
 * document's tokens so positions and offsets line up. */
static enum fl_analyze_mode mode_of(int flags)
{
	if (flags & FTS5_TOKENIZE_PREFIX)
		return FL_ANALYZE_PREFIX;
	if (flags & FTS5_TOKENIZE_QUERY)
		return FL_ANALYZE_QUERY;
	return FL_ANALYZE_DOCUMENT;
}

/* The tokens analysed ahead for exactly this text, or NULL. */
static const struct fl_tokens *prepared(const struct fl_tok_hooks *h,
					const char *text, int len)
{
	size_t i;

	if (!h)
		return NULL;
	for (i = 0; i < FL_TOK_PREPARED_MAX; i++) {
		const struct fl_tokens *p = h->prepared[i];

		if (p && p->src_len == (size_t)len &&
		    (p->src == text || !memcmp(p->src, text, (size_t)len)))
			return p;
	}
	return NULL;
}

static int tok_tokenize(Fts5Tokenizer *tok, void *fts_ctx, int flags,
			const char *text, int len,
			int (*xToken)(void *, int, const char *, int, int, int))
{
	struct tok_inst *in = (struct tok_inst *)tok;
	struct fl_tok_hooks *h = in->mod->hooks;
	struct tok_ctx c = { fts_ctx, xToken, NULL, text };
	const struct fl_tokens *pre;
	int rc;

	if (len <= 0)
		return SQLITE_OK;
	/* only index-time text counts (not AUX, queries or integrity checks:
	 * fl_doc sets the sign around its own FTS5 writes) */
	if (h && flags == FTS5_TOKENIZE_DOCUMENT && h->tally &&
	    fl_tally_sign(h->tally))
		c.tally = h->tally;
	pre = flags == FTS5_TOKENIZE_DOCUMENT ? prepared(h, text, len) : NULL;
	if (pre && pre->tally && c.tally) {
		/* counted ahead: one merge instead of a count per token */
		if (fl_tally_merge(c.tally, pre->tally) != FL_OK)
			return SQLITE_NOMEM;
		c.tally = NULL;
	}
	if (pre)
		rc = fl_tokens_replay(pre, tok_emit, &c);
	else if (flags == FTS5_TOKENIZE_QUERY &&
		 text[0] == FL_TOKENIZER_EXACT_MARK)
		rc = fl_analyzer_run(in->an, text + 1, (size_t)len - 1,
				     FL_ANALYZE_PREFIX, tok_emit, &c, NULL);
	else
		rc = fl_analyzer_run(in->an, text, (size_t)len,
				     mode_of(flags), tok_emit, &c, NULL);
	if (rc == FL_ENOMEM)
		return SQLITE_NOMEM;
	if (rc < 0 && rc >= FL_EBUSY)
		return SQLITE_ERROR;	/* one of our FL_E... codes */
	return rc;			/* SQLITE_OK or what xToken said */
}

static void mod_destroy(void *mod_ctx)
{
	struct tok_mod *mod = mod_ctx;

	fl_lexicon_unref(mod->lex);
	free(mod);
}

fts5_api *fl_tokenizer_fts5_api(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) !=
	    SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

int fl_tokenizer_register(sqlite3 *db, struct fl_lexicon *lex,
			  struct fl_err *err)
{
	return fl_tokenizer_register_hooks(db, lex, NULL, err);
}

int fl_tokenizer_register_hooks(sqlite3 *db, struct fl_lexicon *lex,
				struct fl_tok_hooks *hooks,
				struct fl_err *err)
{
	fts5_api *api = fl_tokenizer_fts5_api(db);
	fts5_tokenizer tk = { tok_create, tok_delete, tok_tokenize };
	struct tok_mod *mod;
	int rc;

	if (!api)
		return fl_error(err, FL_EDB, "tokenizer: sqlite has no fts5: %s",
				sqlite3_errmsg(db));
	mod = calloc(1, sizeof(*mod));
	if (!mod)
		return fl_error(err, FL_ENOMEM, "tokenizer: out of memory");
	mod->lex = fl_lexicon_ref(lex);
	mod->hooks = hooks;
	rc = api->xCreateTokenizer(api, FL_TOKENIZER_NAME, mod, &tk,
				   mod_destroy);
	if (rc != SQLITE_OK) {	/* only fails before taking mod over */
		mod_destroy(mod);
		return fl_error(err, FL_EDB, "tokenizer: cannot register '%s': %s",
				FL_TOKENIZER_NAME, sqlite3_errstr(rc));
	}
	return FL_OK;
}
