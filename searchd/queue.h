/*
 * queue.h - the search workers of findling-searchd: a fixed set of
 * threads fed by one bounded FIFO of jobs.
 *
 * Index work (search, suggest, document, stats) runs here and not in the
 * libmicrohttpd threads, so that a burst of expensive queries occupies
 * these threads only: the MHD threads go on answering /health, /metrics,
 * the page, cache hits and every 4xx at once. http.c suspends the
 * connection, pushes a job and resumes the connection when the job is
 * done. The queue is bounded so that a flood is answered "overloaded" at
 * once instead of piling up requests nobody waits for any more.
 * Jobs marked heavy wait in a second FIFO that a worker turns to only when
 * the first is empty: a normal search overtakes a queue of expensive ones.
 */
#ifndef SD_QUEUE_H
#define SD_QUEUE_H

#include <stddef.h>

#include "fl_err.h"

/*
 * A unit of work, embedded in the caller's struct. run() is called once:
 * on a worker thread with cancelled 0, or with cancelled 1 on the thread
 * that stops the queue when the job never got a worker. After run() the
 * queue never touches the job again.
 */
struct sd_job {
	struct sd_job *next;         /* FIFO link, owned by the queue */
	int heavy;                   /* 1: runs after every normal job */
	void (*run)(struct sd_job *job, int cancelled);
};

struct sd_queue;

/*
 * Start nthreads workers (1..SD_MAX_THREADS) taking jobs from a FIFO of at
 * most max jobs. Each worker thread runs with its signals blocked as the
 * caller's are. Caller stops and frees with sd_queue_free().
 */
int sd_queue_new(unsigned nthreads, size_t max, struct sd_queue **out,
		 struct fl_err *err);

/*
 * Append job to its FIFO (job->heavy). FL_ELIMIT when max jobs (both
 * FIFOs together) are already waiting or the queue is
 * stopping: the job is not taken, the caller answers it. Otherwise
 * admitted(job) (may be NULL) runs first, under the queue's lock, before
 * any worker can see the job: http.c suspends the connection there, so a
 * fast worker can never resume it before it is suspended.
 */
int sd_queue_push(struct sd_queue *q, struct sd_job *job,
		  void (*admitted)(struct sd_job *job));

/* Jobs waiting for a worker now (for /metrics and tests). */
size_t sd_queue_waiting(struct sd_queue *q);

/* Heap trims so far: one a second after the queue went idle following
 * jobs (queue.c), for /metrics and tests. */
size_t sd_queue_trims(struct sd_queue *q);

/*
 * Stop taking jobs (pushes fail from now on), cancel the waiting ones
 * (run with cancelled 1), let the running ones finish and join the
 * workers. Idempotent; accepts NULL.
 */
void sd_queue_stop(struct sd_queue *q);

/* sd_queue_stop(), then free q. Accepts NULL. */
void sd_queue_free(struct sd_queue *q);

#endif
