/*
 * fl_analyze.h - the German analysis pipeline. Pure: text in, tokens out
 * through a callback; knows nothing about SQLite, so the FTS5 tokenizer
 * (fl_tokenizer), the query translator and `findling analyze` share it.
 *
 * Token scheme (identical at index and query time):
 *  - every word yields its EXACT form: NFKC + case folded, soft hyphens
 *    removed, umlauts written as digraphs (ä->ae, ö->oe, ü->ue, ß->ss), not
 *    stemmed. München and Muenchen both give "muenchen".
 *  - then, colocated, its STEM form, marked with a leading
 *    FL_ANALYZE_STEM_MARK, even when it equals the exact form: the
 *    lower-cased word folded with the GermanNormalizationFilter rules
 *    (ae/ä->a ...) and stemmed with Snowball german plus our inflection
 *    fixes (Autos->~auto, Ministerien->~ministerium,
 *    Erzieherinnen->~erzieherin). Tokens with digits are not stemmed.
 *    The mark keeps stems and exact forms apart: schön gives "schoen"
 *    and "~schon", schon gives "schon" and "~schon", so an exact-form
 *    query (prefix mode) for schon never meets schön.
 *  - query mode emits the marked STEM only (the EXACT form for tokens
 *    that are not stemmed): one token per term, matched by every
 *    inflection; the exact spelling is ranked through prefix mode.
 *  - document mode only: compound parts and runs of adjacent parts, each as
 *    EXACT (+ STEM) colocated tokens; hyphenated words give their parts at
 *    consecutive positions and the joined form colocated on the first part;
 *    gender forms (Bürger:innen) give both the feminine and the base form.
 *  - stopwords yield no token (never applied to compound parts, to the
 *    pieces of a hyphenated word, or in prefix mode).
 * A query for an exact form ranks above one matched only through STEM.
 *
 * Decisions worth knowing:
 *  - words are runs of letters, digits and combining marks; apostrophes and
 *    soft hyphens between word characters are dropped (geht's -> gehts);
 *    invalid UTF-8 bytes separate words; NBSP and en dash separate.
 *  - query mode also emits the joined form of a hyphenated word and the
 *    base of a gender form, as colocated alternatives.
 *  - gender forms are decompounded through their base (Schulleiter:innen).
 *  - a hyphen before a space ("Wohn- und Geschäftshaus") ends the word: the
 *    modifier is an ordinary word.
 *  - words over FL_ANALYZE_MAX_TOKEN bytes give one EXACT token, cut to
 *    1024 bytes at a character boundary (queries are cut alike).
 */
#ifndef FL_ANALYZE_H
#define FL_ANALYZE_H

#include <stddef.h>

#include "fl_err.h"
#include "fl_lexicon.h"

/* First byte of every STEM token; never a word character. */
#define FL_ANALYZE_STEM_MARK '~'

/* Tokens longer than this are passed through unstemmed and unsplit. */
#define FL_ANALYZE_MAX_TOKEN 256

enum fl_analyze_mode {
	FL_ANALYZE_DOCUMENT = 0, /* index time: all channels, parts, runs */
	FL_ANALYZE_QUERY = 1,    /* query term: marked stem, no parts */
	FL_ANALYZE_PREFIX = 2,   /* prefix query: exact form only */
};

enum fl_token_flags {
	FL_TOKEN_COLOCATED = 1 << 0, /* same position as the previous token */
	FL_TOKEN_EXACT = 1 << 1,     /* spelling-normalised surface form */
	FL_TOKEN_STEM = 1 << 2,      /* folded and stemmed form */
	FL_TOKEN_PART = 1 << 3,      /* compound part or run of parts */
	FL_TOKEN_JOINED = 1 << 4,    /* hyphenated word written together */
	FL_TOKEN_BASE = 1 << 5,      /* base form of a gender form */
};

struct fl_token {
	const char *text;  /* borrowed; valid only during the callback */
	size_t len;        /* bytes of text */
	size_t start;      /* byte offset of the surface word in the input */
	size_t end;        /* byte offset just past the surface word */
	unsigned flags;    /* enum fl_token_flags */
};

/* Return 0 to go on; anything else stops the run and is returned by it. */
typedef int (*fl_token_cb)(void *ctx, const struct fl_token *tok);

struct fl_analyzer;

/*
 * Create an analyzer over lex (takes a reference; lex may be shared). Holds
 * a Snowball stemmer and a word cache, so it is single-threaded state: one
 * per FTS5 tokenizer instance / thread. Caller frees with fl_analyzer_free().
 */
int fl_analyzer_new(struct fl_lexicon *lex, struct fl_analyzer **out,
		    struct fl_err *err);
void fl_analyzer_free(struct fl_analyzer *an);

/*
 * Analyse len bytes of text (any bytes: invalid UTF-8 is skipped without
 * losing the rest) and call cb for every token in order. Returns FL_OK, a
 * negative FL_E... code, or the first non-zero value cb returned.
 */
int fl_analyzer_run(struct fl_analyzer *an, const char *text, size_t len,
		    enum fl_analyze_mode mode, fl_token_cb cb, void *ctx,
		    struct fl_err *err);

struct fl_tally;

/*
 * Tokens of one text kept for later (an indexer thread analyses the next
 * document while the FTS5 tokenizer replays the current one). src/src_len
 * name the text they belong to (borrowed; the caller keeps it alive).
 */
struct fl_tokens {
	struct fl_tokens_rec *rec;  /* n records */
	size_t n;
	size_t cap;
	char *text;                 /* token texts back to back */
	size_t text_len;
	size_t text_cap;
	const char *src;
	size_t src_len;
	/* the text's suggest words counted ahead (fl_tally.h), or NULL:
	 * the tokenizer then merges them instead of counting each token */
	struct fl_tally *tally;
};

void fl_tokens_init(struct fl_tokens *tl);
void fl_tokens_release(struct fl_tokens *tl);
/* Release tl's buffers when they take more than keep bytes (a long
 * text's), so a reused list does not hold on to its largest text. */
void fl_tokens_trim(struct fl_tokens *tl, size_t keep);

/*
 * Analyse text like fl_analyzer_run and keep the tokens in out (emptied
 * first; out->src = text). FL_OK, FL_ENOMEM or the analyzer's error.
 */
int fl_analyzer_collect(struct fl_analyzer *an, const char *text, size_t len,
			enum fl_analyze_mode mode, struct fl_tokens *out,
			struct fl_err *err);

/* Call cb for every kept token in order; returns the first non-zero
 * result of cb, else 0. */
int fl_tokens_replay(const struct fl_tokens *tl, fl_token_cb cb, void *ctx);

/* Analyzer version string stored in every index ("german-4/snowball-2.2"). */
const char *fl_analyzer_version(void);

#endif
