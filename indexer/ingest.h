/*
 * ingest.h - the indexer's engine: walks inputs (files, directories,
 * stdin), picks an extractor by extension, writes documents through
 * fl_doc in batch transactions, skips and reports bad inputs (file:line),
 * keeps the counters for the summary and draws the progress line.
 */
#ifndef IDX_INGEST_H
#define IDX_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "ahead.h"
#include "fl_err.h"
#include "fl_store.h"

/* Default batch: commit after this many documents or bytes of text.
 * Every commit writes FTS5 segments and the suggest rows of the batch, so
 * fewer, larger batches load faster (measured on news-de: 1000 docs ->
 * 4000 docs / 16 MB saves ~10 % of the run). */
#define IDX_BATCH_DOCS 4000
#define IDX_BATCH_BYTES (16u * 1024 * 1024)
/* Directory nesting deeper than this is skipped (symlink loops). */
#define IDX_MAX_DEPTH 64

struct idx_opts {
	size_t batch_docs;   /* commit after this many documents */
	size_t batch_bytes;  /* ... or this many bytes of text */
	int prune;           /* delete documents of vanished inputs */
	int progress;        /* draw a progress line on stderr */
};

struct idx_counts {
	size_t added, updated, unchanged, deleted;
	size_t skipped;        /* inputs or lines that could not go in */
	size_t bad_dates;      /* documents stored undated: date not understood */
	size_t files_fast;     /* files skipped by the mtime+size check */
	uint64_t bytes;        /* input bytes read */
};

struct idx_ingest {
	struct fl_store *st;       /* borrowed */
	struct idx_opts opts;
	struct idx_counts n;
	size_t batch_n;            /* documents in the open batch */
	size_t batch_bytes;        /* text bytes in the open batch */
	double t0;                 /* start, seconds (monotonic) */
	double last_draw;          /* last progress redraw */
	const char *cur;           /* file being read, for messages */
	struct idx_ahead ahead;    /* look-ahead analysis of JSON Lines */
};

void idx_ingest_init(struct idx_ingest *in, struct fl_store *st,
		     const struct idx_opts *opts);

/*
 * Index everything under path ("-" = JSON Lines on stdin). Bad inputs are
 * reported on stderr and counted as skipped; only index errors fail.
 */
int idx_ingest_path(struct idx_ingest *in, const char *path,
		    struct fl_err *err);

/* Commit the open batch; refresh term_freq when something changed. */
int idx_ingest_finish(struct idx_ingest *in, struct fl_err *err);

/* Stop the look-ahead thread (also done by finish); safe to repeat. */
void idx_ingest_release(struct idx_ingest *in);

/* Seconds since idx_ingest_init. */
double idx_ingest_elapsed(const struct idx_ingest *in);

#endif
