/*
 * ahead.h - analyse the next document on a second thread while the
 * current one is written: ingest hands each document of a stream to
 * idx_ahead_push(), which returns the previous one (already analysed)
 * for fl_doc_put; fl_store_set_prepared() lets the tokenizer replay the
 * tokens instead of analysing again. Results are identical to analysing
 * inline; when the thread cannot start, documents pass straight through.
 */
#ifndef IDX_AHEAD_H
#define IDX_AHEAD_H

#include <pthread.h>

#include "fl_analyze.h"
#include "fl_doc.h"
#include "fl_lexicon.h"
#include "fl_tally.h"

struct idx_ahead_slot {
	struct fl_doc doc;       /* owned while in the slot */
	struct fl_tokens title;  /* tokens of doc.title (DOCUMENT mode) */
	struct fl_tokens body;   /* tokens of doc.body */
	int ok;                  /* analysis succeeded */
	int done;                /* the worker finished it */
	int used;                /* holds a document */
};

struct idx_ahead {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int running;             /* the thread was started */
	int stop;
	int job;                 /* slot to analyse next, -1: none */
	int pending;             /* slot with the document to put next, -1 */
	struct fl_analyzer *an;  /* the worker's own analyzer */
	struct idx_ahead_slot s[2];
};

/* Start the worker over lex. Returns 0, or -1 when it could not start
 * (then idx_ahead_push is never to be called; check a->running). */
int idx_ahead_start(struct idx_ahead *a, struct fl_lexicon *lex);

/*
 * Hand over d (moved: *d is re-initialised) for analysis. Returns the
 * slot of the previous document, analysed and ready to put, or NULL when
 * there was none. The caller puts it and calls idx_ahead_done(slot).
 */
struct idx_ahead_slot *idx_ahead_push(struct idx_ahead *a, struct fl_doc *d);

/* The last pushed document, once analysed (NULL: none): end of a stream. */
struct idx_ahead_slot *idx_ahead_flush(struct idx_ahead *a);

/* Release the document of a slot returned above. */
void idx_ahead_done(struct idx_ahead_slot *s);

/* Drop what is left and stop the worker. */
void idx_ahead_stop(struct idx_ahead *a);

#endif
