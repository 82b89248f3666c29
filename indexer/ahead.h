/*
 * ahead.h - parse and analyse the next JSON Lines records on a second
 * thread while earlier ones are written: ingest hands each raw record to
 * idx_ahead_push_line(), which queues it in a ring of IDX_AHEAD_SLOTS and
 * returns the oldest one (parsed and analysed) once the ring is full, for
 * fl_doc_put; fl_store_set_prepared() lets the tokenizer replay the
 * tokens instead of analysing again. Results are identical to analysing
 * inline; when the thread cannot start, documents pass straight through.
 */
#ifndef IDX_AHEAD_H
#define IDX_AHEAD_H

#include <pthread.h>

#include "extract.h"
#include "fl_analyze.h"
#include "fl_doc.h"
#include "fl_lexicon.h"

/* Records in flight between the reader/writer and the analysis thread: a
 * deep queue lets both threads run at full speed through uneven documents
 * and lets the analyser work on while the writer commits or FTS5 flushes
 * a segment. news-de.jsonl, 2 cores: 1 slot ~1500 docs/s (both threads
 * waiting for each other on every record), 64 slots 4.3 s, 128 4.45 s,
 * 256 4.1 s, 512 3.85 s wall (~130 KB per slot: peak RSS 145 -> 211 MB). */
#define IDX_AHEAD_SLOTS 512
/* Raw record bytes in flight before the ring stops filling: long
 * documents (reports of a few MB) make tokens of ten times their size, and
 * 512 of them in flight would hold gigabytes. news-de (3 KB a record)
 * never reaches it. */
#define IDX_AHEAD_BYTES (8u << 20)
/* Buffers a slot keeps for its next record; larger ones (a long
 * document's) are freed when the slot is done, or the ring would keep
 * the largest record each of its slots ever held. */
#define IDX_AHEAD_KEEP_BYTES (256u << 10)

struct idx_ahead_slot {
	char *line;              /* raw jsonl record to parse first, or NULL */
	size_t line_len;
	size_t line_cap;
	size_t lineno;
	int kind;                /* FL_OK: doc; IDX_JSONL_SKIP: why; < 0 */
	char why[IDX_JSONL_MSG]; /* the skip reason */
	struct fl_err err;       /* the failure when kind < 0 */
	struct fl_doc doc;       /* owned while in the slot */
	struct fl_tokens title;  /* tokens of doc.title (DOCUMENT mode) */
	struct fl_tokens body;   /* tokens of doc.body */
	int ok;                  /* analysis succeeded */
	int used;                /* holds a document */
};

struct idx_ahead {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t work_cv;  /* main -> worker: submitted grew, or stop */
	pthread_cond_t done_cv;  /* worker -> main: analysed grew */
	int running;             /* the thread was started */
	int stop;                /* under mu */
	size_t submitted;        /* under mu: records handed to the worker */
	size_t analysed;         /* under mu: records the worker finished */
	size_t head;             /* main only: sequence number of the next record */
	size_t tail;             /* main only: oldest record not handed back */
	size_t inflight;         /* main only: raw bytes from tail to head */
	struct fl_analyzer *an;  /* the worker's own analyzer */
	struct idx_ahead_slot *s; /* IDX_AHEAD_SLOTS, record i in s[i % n] */
};

/* Start the worker over lex. Returns 0, or -1 when it could not start
 * (then idx_ahead_push_line is never to be called; check a->running). */
int idx_ahead_start(struct idx_ahead *a, struct fl_lexicon *lex);

/*
 * Hand over a raw jsonl record (n bytes, copied): the worker parses it
 * (idx_jsonl_parse) and analyses the document. Returns the slot of the
 * oldest record in flight once the ring is full, done and ready to put
 * (its kind says whether it holds a document, a skip reason or a
 * failure), or NULL while the ring fills. Records come back in the order
 * they were pushed. The caller puts it and calls idx_ahead_done(slot)
 * before the next push. *oom is set when the copy failed (the record is
 * lost; stop the run).
 */
struct idx_ahead_slot *idx_ahead_push_line(struct idx_ahead *a,
					   const char *s, size_t n,
					   size_t lineno, int *oom);

/* The oldest record in flight, once analysed (NULL: none left): call it
 * until NULL at the end of a stream. */
struct idx_ahead_slot *idx_ahead_flush(struct idx_ahead *a);

/* Release the document of a slot returned above. */
void idx_ahead_done(struct idx_ahead_slot *s);

/* Drop what is left and stop the worker. */
void idx_ahead_stop(struct idx_ahead *a);

#endif
