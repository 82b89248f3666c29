/*
 * fl_query.h - the query language: user syntax -> AST -> safe FTS5 MATCH.
 *
 * Parses what a user typed into a search box and translates it into FTS5
 * MATCH text plus document filters. Used by fl_search.c and the CLI.
 * The search box must never fail: every input (any bytes, any length) is
 * read as something; malformed syntax is read as plain words or dropped,
 * and the only error is FL_ENOMEM.
 *
 * Syntax (operators upper case only; lower-case und/oder/nicht are words):
 *   Schule Leipzig        both words (implicit AND); AND / UND also accepted
 *   "Halle (Saale)"       phrase; „German quotes“ and «guillemets» work too;
 *                         an unclosed quote runs to the end of the input
 *   Schule OR Kita        either; also ODER and |
 *   -Sachsen  -"a b"      exclude; also NOT / NICHT before a term or group
 *   schul*                prefix (at least FL_QUERY_MIN_PREFIX characters)
 *   (a OR b) c            grouping, at most FL_QUERY_MAX_DEPTH deep
 *   title:word  title:"a b"  title:(a b)   search the title column only
 *   source:x type:pdf lang:de            document filters; several values
 *                         of one key are ORed; -source:x excludes
 *   date:2024  date:2024-03  date:2024-03-05  date:2024-03..2025-06
 *   date:2024-01-01..  date:..2025  date:>=2024-01-01  date:<2025
 *                         date filters; several are intersected
 *   German keys: titel: quelle: typ: sprache: datum:
 *   Unknown keys (foo:bar, Bürger:innen) are one literal term "foo:bar".
 *
 * Precedence, tightest first: '-'/NOT, then AND (implicit or explicit),
 * then OR. So `a OR b c` is `a OR (b AND c)`, as in FTS5 itself.
 *
 * What FTS5 cannot say is dropped with a note: an exclusion as an OR
 * alternative ("a OR -b" reads as "a"), an excluded group of exclusions.
 * Terms that yield no token (stopwords only: "die", "und oder") are
 * dropped, because an empty FTS5 phrase matches nothing and would empty
 * the whole AND. Under an exclusion no compound alternatives are added.
 *
 * The interpreted form (canonical): terms in input order, separated by one
 * space, no AND; OR in capitals; '-' for every negation; words as typed
 * minus leading/trailing punctuation ("Sachsen?" -> Sachsen, C++ -> C);
 * phrases with single spaces; field keys in English (title:); an AND
 * group inside OR in parentheses to show the precedence; filters after the
 * terms in the order source, type, lang, date. Parsing it again gives the
 * same reading (tests/unit/test_query_hostile.c checks this).
 *
 * Every piece of user text reaches FTS5 only inside double quotes ("" for
 * a quote inside); AND/OR/NOT, parentheses, the column filter and the
 * prefix star are produced by the translator alone.
 */
#ifndef FL_QUERY_H
#define FL_QUERY_H

#include <stddef.h>

#include "fl_analyze.h"
#include "fl_buf.h"
#include "fl_err.h"
#include "fl_lexicon.h"

/* Longer input is cut at a UTF-8 boundary: nobody types 4 KB of query. */
#define FL_QUERY_MAX_BYTES 4096
/* More terms are dropped: each costs a doclist scan in FTS5. */
#define FL_QUERY_MAX_TERMS 64
/* Deeper parentheses are ignored: keeps recursion bounded. */
#define FL_QUERY_MAX_DEPTH 8
/* Shorter prefixes are searched as words: "a*" would scan the index. */
#define FL_QUERY_MIN_PREFIX 2
/* Values kept per filter key (source:, type:, lang:). */
#define FL_QUERY_MAX_FILTER_VALUES 16
/* Bytes of a filter value; longer values are dropped. */
#define FL_QUERY_MAX_FILTER_VALUE 256
/* Two words are also tried joined when the joined word has this corpus
 * frequency (or is a dictionary word). */
#define FL_QUERY_JOIN_MIN_FREQ 5
/* Size of date_from/date_to: "YYYY-MM-DD" and a NUL. */
#define FL_QUERY_DATE_MAX 16
/* FTS5 column the title: field filters on. */
#define FL_QUERY_TITLE_COLUMN "title"

struct fl_query_opts {
	const struct fl_lexicon *lex; /* borrowed, may be NULL: no compound
				       * expansion, no stopword check */
	struct fl_analyzer *an;       /* borrowed, may be NULL: when set, a
				       * term that yields no token in QUERY
				       * mode (stopwords only) is dropped */
};

/* A list of filter values, each a NUL-terminated string. */
struct fl_query_values {
	char **v;  /* v[0..n-1]; NULL when n == 0 */
	size_t n;  /* number of values */
};

/*
 * The translated query. Everything is owned by the struct; free it with
 * fl_query_free(). FTS5 expressions are complete MATCH texts.
 */
struct fl_query {
	char *match;        /* strict expression with exclusions folded in
			     * (X NOT (e1 OR e2)); NULL when the query has no
			     * positive part (empty, or exclusions only) */
	char *match_any;    /* OR of the positive top-level terms, with the
			     * same exclusions: for minimum-should-match on
			     * long questions; NULL when match is NULL */
	char *exclude;      /* OR of the excluded top-level terms, NULL when
			     * none; set also when match is NULL, so search can
			     * decide what "-a" alone means */
	char *interpreted;  /* how the query was read, in user syntax,
			     * normalised; never NULL, "" when empty */
	char *notes;        /* what was ignored and why, one line each
			     * ("ignored date 'x' at column 3"); never NULL */
	char **terms;       /* positive top-level terms, FTS5 expressions, to
			     * count how many a document matches */
	size_t nterms;
	char **exact;       /* exact compound forms ("wärmeschutz") as FTS5
			     * expressions, for a ranking bonus */
	size_t nexact;
	struct fl_query_values sources;     /* source: values, ORed */
	struct fl_query_values types;       /* type: values, lower case */
	struct fl_query_values langs;       /* lang: values, lower case */
	struct fl_query_values not_sources; /* -source: values */
	struct fl_query_values not_types;   /* -type: values */
	struct fl_query_values not_langs;   /* -lang: values */
	int has_date;                       /* 1 when a date: filter is set */
	char date_from[FL_QUERY_DATE_MAX];  /* inclusive "YYYY-MM-DD", ""=open */
	char date_to[FL_QUERY_DATE_MAX];    /* exclusive "YYYY-MM-DD", ""=open:
					     * the range is [from, to) */
};

/*
 * Parse len bytes of q (any bytes; NUL, invalid UTF-8 and control
 * characters are read as spaces) with opts o (may be NULL) into *out.
 * Never fails on user text: returns FL_OK, or FL_ENOMEM with *out NULL.
 * Caller frees *out with fl_query_free().
 */
int fl_query_parse(const char *q, size_t len, const struct fl_query_opts *o,
		   struct fl_query **out, struct fl_err *err);

/* Free a query and everything it owns. NULL is fine. */
void fl_query_free(struct fl_query *q);

/*
 * Append text to b as one FTS5 string: in double quotes, with every quote
 * inside doubled. The building block for any caller that must put words
 * into a MATCH expression.
 */
int fl_query_quote(struct fl_buf *b, const char *text, size_t len);

/* Length of the quoted FTS5 string at p, quotes included ("" inside), 0
 * when p does not start a complete one. */
size_t fl_query_quoted_len(const char *p);

#endif
