/*
 * fl_search.h - run a query against the index: parse (fl_query), match
 * (FTS5), rank (bm25 with field weights + exact-form bonus + recency
 * blend), filter, count, facet, page, cut snippets (fl_snippet) and
 * propose corrections (did you mean). Also index statistics and the
 * per-term score breakdown of `findling explain`.
 *
 * Used by the CLI (search, explain, stats) and searchd (one searcher per
 * worker thread: a searcher holds an analyzer and caches, so it is
 * single-threaded state, like the store it borrows).
 *
 * Results are plain structs owned by a result object (fl_result_free);
 * rendering is the caller's business (fl_json for the wire format).
 */
#ifndef FL_SEARCH_H
#define FL_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "fl_err.h"
#include "fl_lexicon.h"
#include "fl_store.h"

/* Hits per page: default, and the most a caller may ask for. */
#define FL_SEARCH_DEFAULT_LIMIT 10
#define FL_SEARCH_MAX_LIMIT 100
/* Deepest page start: nobody reads page 1000; bounds the work per query. */
#define FL_SEARCH_MAX_OFFSET 10000
/* Longest filter value (source, type, lang) in bytes. */
#define FL_SEARCH_MAX_FILTER 256
/* Values kept per facet, most frequent first (month: newest first). */
#define FL_SEARCH_MAX_FACET_VALUES 50
/* Month histogram length kept (YYYY-MM buckets). */
#define FL_SEARCH_MAX_MONTHS 240

enum fl_search_sort {
	FL_SEARCH_SORT_RELEVANCE = 0, /* bm25 + exact bonus + light recency */
	FL_SEARCH_SORT_DATE = 1,      /* newest first, then relevance */
};

/* Facets to compute (a bit set). */
enum fl_search_facets {
	FL_FACET_SOURCE = 1 << 0, /* publisher */
	FL_FACET_TYPE = 1 << 1,   /* news, publication, ... */
	FL_FACET_YEAR = 1 << 2,   /* YYYY */
	FL_FACET_MONTH = 1 << 3,  /* YYYY-MM histogram (trend questions) */
	FL_FACET_ALL = 0xf,
};

/* How the match set was found (fl_result.mode). */
enum fl_search_mode {
	FL_SEARCH_MODE_ALL = 0,   /* every query term (strict AND) */
	FL_SEARCH_MODE_ANY = 1,   /* minimum-should-match fallback: OR of
				   * the terms, bm25 times the share of
				   * terms matched */
	FL_SEARCH_MODE_BROWSE = 2,/* no positive term: filters only, by date */
};

/*
 * Search options. Initialise with fl_search_opts_init() and set what you
 * need; all strings are borrowed for the duration of the call. Filters
 * combine (AND) with the query's own source:/type:/lang:/date: filters.
 */
struct fl_search_opts {
	const char *query;    /* user text (any bytes), NULL = "" */
	size_t query_len;     /* bytes of query; 0 = strlen(query) */
	size_t limit;         /* 1..FL_SEARCH_MAX_LIMIT, 0 = default */
	size_t offset;        /* 0..FL_SEARCH_MAX_OFFSET */
	enum fl_search_sort sort;
	const char *source;   /* exact source, NULL = any */
	const char *type;     /* exact type, NULL = any */
	const char *lang;     /* exact lang, NULL = any */
	const char *from;     /* inclusive date: YYYY, YYYY-MM or YYYY-MM-DD */
	const char *to;       /* inclusive date, same forms; NULL = open */
	unsigned facets;      /* enum fl_search_facets */
	int snippets;         /* 1 = cut snippets for the hits (default 1) */
	int suggest;          /* 1 = did-you-mean when few hits (default 1) */
	int explain;          /* 1 = per-term score breakdown for each hit */
};

/* Character range [start, end) in snippet_text, in Unicode code points. */
struct fl_mark {
	size_t start;
	size_t end;
};

struct fl_hit {
	int64_t id;            /* documents.id */
	char *ext_id;          /* external id (the one users see) */
	char *title;           /* "" when none */
	char *url;             /* NULL when none */
	char *date;            /* as stored, NULL when none */
	char *source;          /* NULL when none */
	char *type;            /* never NULL */
	double score;          /* higher is better; comparable within a result */
	size_t nmatched;       /* query terms the document matches */
	char *snippet;         /* HTML: text escaped, matches in <mark>; NULL
				* when snippets are off */
	char *snippet_text;    /* the same passage as plain text */
	struct fl_mark *marks; /* highlight ranges in snippet_text */
	size_t nmarks;
	double *term_scores;   /* explain only: bm25 part of each result
				* term (fl_result.terms), 0 = not matched */
};

struct fl_facet_value {
	char *value;           /* source/type name, "YYYY" or "YYYY-MM" */
	int64_t count;         /* documents of the whole match set */
};

struct fl_facet {
	const char *name;      /* "source", "type", "year", "month" (static) */
	struct fl_facet_value *values;
	size_t n;
};

/* One word the did-you-mean changed. */
struct fl_change {
	char *from;            /* as the user typed it */
	char *to;              /* the corrected word(s) */
	const char *why;       /* "spelling", "typo", "split", "join" (static) */
};

struct fl_suggestion {
	char *text;            /* the whole corrected query */
	struct fl_change *changes;
	size_t nchanges;
	int64_t total;         /* documents the corrected query finds */
};

struct fl_result {
	char *query;           /* the query as given (valid UTF-8 copy) */
	char *interpreted;     /* how it was read (fl_query) */
	char *notes;           /* what was ignored, one line each; "" */
	enum fl_search_mode mode;
	int64_t total;         /* exact size of the match set */
	double took_ms;        /* wall time of fl_search */
	size_t offset;         /* as applied */
	size_t limit;          /* as applied */
	enum fl_search_sort sort;
	struct fl_hit *hits;
	size_t nhits;
	struct fl_facet *facets; /* in the order source, type, year, month */
	size_t nfacets;
	struct fl_suggestion *suggestion; /* NULL when none */
	char **terms;          /* explain only: the query terms (FTS5 text) */
	size_t nterms;
};

struct fl_searcher;
struct fl_docmeta_share; /* fl_docmeta.h */

/*
 * Create a searcher over st (borrowed: close the store after freeing the
 * searcher) using lex for query analysis and snippets (a reference is
 * taken; pass the lexicon the store was opened with, or any loaded one).
 * Caller frees with fl_searcher_free().
 */
int fl_searcher_new(struct fl_store *st, struct fl_lexicon *lex,
		    struct fl_searcher **out, struct fl_err *err);
void fl_searcher_free(struct fl_searcher *s);

/*
 * Take the per-document table (fl_docmeta) from sh, shared with the other
 * searchers of the process, instead of reading a private copy. sh is
 * borrowed: free it after the searchers. Call before the first search.
 */
void fl_searcher_share_docs(struct fl_searcher *s,
			    struct fl_docmeta_share *sh);

/* Defaults: limit 10, relevance, snippets and suggestions on, no facets. */
void fl_search_opts_init(struct fl_search_opts *o);

/*
 * Parse a facet list "source,type,year,month" (also "all", "" = none) into
 * *out. FL_EINVAL naming the unknown facet.
 */
int fl_search_parse_facets(const char *list, unsigned *out,
			   struct fl_err *err);

/*
 * Run a search. Never fails on user text (hostile queries are read as
 * words); fails with FL_EINVAL for bad options (limit, offset, dates),
 * FL_EDB / FL_ENOMEM otherwise. *out is NULL on failure; caller frees it
 * with fl_result_free().
 */
int fl_search(struct fl_searcher *s, const struct fl_search_opts *o,
	      struct fl_result **out, struct fl_err *err);

void fl_result_free(struct fl_result *r);

/* Names for the enums ("relevance", "all", ...); static strings. */
const char *fl_search_sort_name(enum fl_search_sort sort);
const char *fl_search_mode_name(enum fl_search_mode mode);
/* "relevance"/"date" -> sort; FL_EINVAL otherwise. */
int fl_search_parse_sort(const char *s, enum fl_search_sort *out,
			 struct fl_err *err);

/* ---- index statistics (`findling stats`, GET /api/stats) ---- */

struct fl_stat_count {
	char *value;           /* type, source or year */
	int64_t count;
};

struct fl_stats {
	int64_t documents;
	int64_t vocabulary;    /* distinct index terms (all channels) */
	int64_t index_bytes;   /* database file size (page_count*page_size) */
	int schema_version;
	char *analyzer_version;
	char *created_at;      /* NULL when unknown */
	int64_t generation;
	struct fl_stat_count *types;   size_t ntypes;
	struct fl_stat_count *sources; size_t nsources;
	struct fl_stat_count *years;   size_t nyears;
};

/* Gather statistics of the index. Caller frees with fl_stats_free(). */
int fl_stats_get(struct fl_store *st, struct fl_stats **out,
		 struct fl_err *err);
void fl_stats_free(struct fl_stats *s);

#endif
