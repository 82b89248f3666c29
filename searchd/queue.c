/*
 * queue.c - the search workers: nthreads threads and two FIFOs of struct
 * sd_job (normal, then heavy) bounded together, guarded by one mutex with
 * one condition variable (a job is a pointer swap, so the lock is held
 * for a few instructions only).
 *
 * When the queue has been empty for a second after searches ran, one
 * worker gives the heap they freed back to the system (malloc_trim): the
 * scratch of a search grows with its match set, and glibc keeps what it
 * freed in the worker's arena, so without this an idle daemon's heap
 * would grow with the corpus.
 *
 * The workers run at a lower scheduling priority than the HTTP threads
 * (nice WORKER_NICE, Linux applies it per thread): on a machine with
 * fewer cores than busy workers, an HTTP thread woken by a /health probe
 * then gets a core at once instead of after a worker's time slice.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "http.h"
#include "queue.h"
#include "fl_banned.h"

/* Niceness of the worker threads relative to the daemon (see above). */
#define WORKER_NICE 5
/* Seconds of an empty queue before the heap is trimmed (see above). */
#define TRIM_IDLE_S 1

struct sd_queue {
	pthread_mutex_t mu;
	pthread_cond_t cv;           /* signalled on push and on stop */
	struct sd_job *head[2];      /* next job, normal [0] and heavy [1] */
	struct sd_job *tail[2];      /* last job pushed to each */
	size_t waiting;              /* jobs in both FIFOs */
	size_t max;                  /* bound on waiting */
	int stopping;                /* no more pushes; workers exit */
	unsigned nthreads;           /* started workers */
	int ran;                     /* jobs were taken since the last trim */
	size_t trims;                /* idle heap trims so far */
	pthread_t threads[SD_MAX_THREADS];
};

/* Unlink the first job of FIFO k (not empty). Lock held. */
static struct sd_job *pop(struct sd_queue *q, int k)
{
	struct sd_job *job = q->head[k];

	q->head[k] = job->next;
	if (!q->head[k])
		q->tail[k] = NULL;
	q->waiting--;
	return job;
}

/* Wait for a push or a stop, at most TRIM_IDLE_S when searches ran since
 * the last trim; returns 1 when that time passed. Lock held. */
static int wait_idle(struct sd_queue *q)
{
	struct timespec until;

	if (!q->ran) {
		pthread_cond_wait(&q->cv, &q->mu);
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += TRIM_IDLE_S;
	return pthread_cond_timedwait(&q->cv, &q->mu, &until) == ETIMEDOUT;
}

/* The next job, normal ones first, or NULL once the queue stops. */
static struct sd_job *take(struct sd_queue *q)
{
	struct sd_job *job = NULL;

	pthread_mutex_lock(&q->mu);
	while (q->waiting == 0 && !q->stopping) {
		if (wait_idle(q) && q->waiting == 0 && q->ran) {
			q->ran = 0;
			q->trims++;
			pthread_mutex_unlock(&q->mu);
			malloc_trim(0);
			pthread_mutex_lock(&q->mu);
		}
	}
	if (!q->stopping) {
		job = pop(q, q->head[0] ? 0 : 1);
		q->ran = 1;
	}
	pthread_mutex_unlock(&q->mu);
	return job;
}

static void *worker_main(void *arg)
{
	struct sd_queue *q = arg;
	struct sd_job *job;

	/* Best effort: without it the daemon works, only /health may wait
	 * a time slice longer under a burst. */
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid),
			  WORKER_NICE);
	while ((job = take(q)) != NULL)
		job->run(job, 0);
	return NULL;
}

int sd_queue_push(struct sd_queue *q, struct sd_job *job,
		  void (*admitted)(struct sd_job *job))
{
	int k = job->heavy ? 1 : 0;

	pthread_mutex_lock(&q->mu);
	if (q->stopping || q->waiting >= q->max) {
		pthread_mutex_unlock(&q->mu);
		return FL_ELIMIT;
	}

	if (admitted)
		admitted(job);
	job->next = NULL;
	if (q->tail[k])
		q->tail[k]->next = job;
	else
		q->head[k] = job;
	q->tail[k] = job;
	q->waiting++;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
	return FL_OK;
}

/* One counter of q, read under its lock. */
static size_t read_locked(struct sd_queue *q, const size_t *counter)
{
	size_t n;

	pthread_mutex_lock(&q->mu);
	n = *counter;
	pthread_mutex_unlock(&q->mu);
	return n;
}

size_t sd_queue_waiting(struct sd_queue *q)
{
	return read_locked(q, &q->waiting);
}

/* A condition variable whose timed waits count CLOCK_MONOTONIC, so a
 * clock step cannot delay or hurry the idle trim. */
static int monotonic_cond_init(pthread_cond_t *cv)
{
	pthread_condattr_t a;
	int rc;

	if (pthread_condattr_init(&a) != 0)
		return -1;
	rc = pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	if (rc == 0)
		rc = pthread_cond_init(cv, &a);
	pthread_condattr_destroy(&a);
	return rc;
}

size_t sd_queue_trims(struct sd_queue *q)
{
	return read_locked(q, &q->trims);
}

int sd_queue_new(unsigned nthreads, size_t max, struct sd_queue **out,
		 struct fl_err *err)
{
	struct sd_queue *q = calloc(1, sizeof *q);
	unsigned i;

	*out = NULL;
	if (!q)
		return fl_error(err, FL_ENOMEM, "out of memory");
	if (nthreads < 1 || nthreads > SD_MAX_THREADS || max < 1) {
		free(q);
		return fl_error(err, FL_EINVAL, "bad queue size %u/%zu",
				nthreads, max);
	}
	pthread_mutex_init(&q->mu, NULL);
	if (monotonic_cond_init(&q->cv) != 0) {
		pthread_mutex_destroy(&q->mu);
		free(q);
		return fl_error(err, FL_ENOMEM, "cannot make the queue's "
				"condition variable");
	}
	q->max = max;
	for (i = 0; i < nthreads; i++) {
		if (pthread_create(&q->threads[i], NULL, worker_main, q) != 0) {
			sd_queue_free(q);
			return fl_error(err, FL_ENOMEM, "cannot start search "
					"worker %u of %u", i + 1, nthreads);
		}
		q->nthreads = i + 1;
	}
	*out = q;
	return FL_OK;
}

void sd_queue_stop(struct sd_queue *q)
{
	struct sd_job *lists[2], *job, *next;
	unsigned i;
	int k;

	if (!q)
		return;
	pthread_mutex_lock(&q->mu);
	q->stopping = 1;
	for (k = 0; k < 2; k++) {
		lists[k] = q->head[k];
		q->head[k] = q->tail[k] = NULL;
	}
	q->waiting = 0;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	for (k = 0; k < 2; k++) {
		for (job = lists[k]; job; job = next) {
			next = job->next;
			job->run(job, 1);
		}
	}
	for (i = 0; i < q->nthreads; i++)
		pthread_join(q->threads[i], NULL);
	q->nthreads = 0;
}

void sd_queue_free(struct sd_queue *q)
{
	if (!q)
		return;
	sd_queue_stop(q);
	pthread_cond_destroy(&q->cv);
	pthread_mutex_destroy(&q->mu);
	free(q);
}
