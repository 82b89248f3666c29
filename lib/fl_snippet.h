/*
 * fl_snippet.h - the best passage of a document for a query, as structured
 * data (Hyper Estraier style): the plain passage text and the ranges of the
 * matched words in it; fl_snippet_html() renders the HTML form (text
 * escaped first, then <mark>). Also the keyword-in-context lines of
 * `findling search --format kwic`.
 *
 * Matching works on analysed tokens: the query's positive words are
 * analysed in QUERY mode (exact + stem forms) and the document text in
 * DOCUMENT mode, so stem variants, spelling variants and compound parts
 * (Bildungs<mark>monitoring</mark>) are all highlighted.
 *
 * Used by fl_search.c and the CLI.
 */
#ifndef FL_SNIPPET_H
#define FL_SNIPPET_H

#include <stddef.h>

#include "fl_analyze.h"
#include "fl_buf.h"
#include "fl_err.h"
#include "fl_search.h"

/* Passage length aimed at, in characters. */
#define FL_SNIPPET_CHARS 200
/* Body bytes looked at per step, and at most, when looking for matches:
 * bounds the cost of a snippet on long documents. The scan stops after
 * the step in which every query term was seen (small steps: the lead of
 * a news text usually has them all), or once some were seen and
 * FL_SNIPPET_SCAN_SOME bytes were read. */
#define FL_SNIPPET_SCAN_STEP 1024
#define FL_SNIPPET_SCAN_SOME 8192
#define FL_SNIPPET_SCAN_MAX 65536
/* Distinct query tokens remembered (exact + stem forms of all terms). */
#define FL_SNIPPET_MAX_TOKENS 256
/* Highlight ranges kept per passage. */
#define FL_SNIPPET_MAX_MARKS 64

/* The analysed query: which token texts count as a match of which term. */
struct fl_snippet_query;

/*
 * Analyse words (the query's positive words, one per element, each may be
 * several words) with an in QUERY mode. *out: caller frees with
 * fl_snippet_query_free().
 */
int fl_snippet_query_new(struct fl_analyzer *an, const char *const *words,
			 size_t nwords, struct fl_snippet_query **out,
			 struct fl_err *err);
void fl_snippet_query_free(struct fl_snippet_query *q);

/* Number of distinct token texts known to q (0: nothing to highlight). */
size_t fl_snippet_query_size(const struct fl_snippet_query *q);

/* A passage: plain text and highlight ranges (code points). */
struct fl_snippet {
	char *text;             /* plain passage, whitespace collapsed */
	struct fl_mark *marks;  /* ascending, non-overlapping */
	size_t nmarks;
};

/*
 * Cut the best passage of text (len bytes) for q: about FL_SNIPPET_CHARS
 * characters at word boundaries around the most distinct matched terms,
 * "…" where cut. Without matches, the start of text. sn is filled (caller
 * releases with fl_snippet_release()).
 */
int fl_snippet_make(struct fl_analyzer *an, const struct fl_snippet_query *q,
		    const char *text, size_t len, struct fl_snippet *sn,
		    struct fl_err *err);
void fl_snippet_release(struct fl_snippet *sn);

/* Append sn as HTML to b: text escaped, marks wrapped in <mark>..</mark>. */
int fl_snippet_html(const struct fl_snippet *sn, struct fl_buf *b);

/* One keyword in context: byte ranges into the analysed text. */
struct fl_kwic {
	size_t left;        /* start of the left context */
	size_t start;       /* the keyword */
	size_t end;
	size_t right;       /* end of the right context */
};

/*
 * Every occurrence of a query token in text (at most max), with about
 * context characters each side cut at word boundaries. *out (caller frees
 * with free()) gets *n entries.
 */
int fl_snippet_kwic(struct fl_analyzer *an, const struct fl_snippet_query *q,
		    const char *text, size_t len, size_t context, size_t max,
		    struct fl_kwic **out, size_t *n, struct fl_err *err);

#endif
