/*
 * worker.c - one read-only index store per thread that reads the index:
 * the HTTP (MHD) threads for /health, /metrics and cache lookups, the
 * search workers (queue.c) for everything else.
 *
 * A worker is claimed from the daemon's fixed array by a thread's first
 * request and found again through a thread-local pointer (the only way to
 * know "which thread am I"). Its store is opened lazily with the shared
 * lexicon, reopened after SIGHUP, and carries a progress handler that
 * interrupts SQLite when the request's time budget is spent or the daemon
 * stops (d->cancel).
 */
#include <stdlib.h>

#include "http.h"
#include "fl_banned.h"

/* SQLite VM instructions between two deadline checks (a few µs). */
#define PROGRESS_STEPS 1000

/* The calling thread's worker; NULL until its first request. */
static _Thread_local struct sd_worker *tl_worker;
/* Budget of the calling thread's next requests; 0 = --budget-ms. */
static _Thread_local unsigned tl_budget_ms;

static int progress_cb(void *arg)
{
	struct sd_worker *w = arg;

	if (atomic_load_explicit(&w->d->cancel, memory_order_relaxed)) {
		w->timed_out = 1;
		return 1;
	}
	if (w->deadline_ns == 0 || sd_now_ns() < w->deadline_ns)
		return 0;
	w->timed_out = 1;
	return 1;
}

static void worker_close(struct sd_worker *w)
{
	sd_search_state_free(w->search);
	w->search = NULL;
	fl_store_close(w->st);
	w->st = NULL;
}

static int worker_open(struct sd_worker *w, struct fl_err *err)
{
	struct sd_daemon *d = w->d;
	unsigned gen = atomic_load(&d->reopen);
	int rc;

	if (w->st && w->reopen_seen == gen)
		return FL_OK;
	if (w->st)
		atomic_fetch_add(&d->metrics.reopens, 1);
	worker_close(w);
	rc = fl_store_open(d->opt.index, FL_STORE_READONLY, d->lex, &w->st,
			   err);
	if (rc != FL_OK)
		return rc;
	w->reopen_seen = gen;
	/* The budget needs the connection itself: the one place searchd
	 * reaches below the store API (fl_store_db is otherwise lib-only). */
	sqlite3_progress_handler(fl_store_db(w->st), PROGRESS_STEPS,
				 progress_cb, w);
	return FL_OK;
}

struct sd_worker *sd_worker_get(struct sd_daemon *d, struct fl_err *err)
{
	struct sd_worker *w = tl_worker;
	unsigned i;

	if (!w) {
		i = atomic_fetch_add(&d->nworkers, 1);
		if (i >= SD_MAX_WORKERS) {
			atomic_fetch_sub(&d->nworkers, 1);
			fl_error(err, FL_ELIMIT, "more than %d worker threads",
				 SD_MAX_WORKERS);
			return NULL;
		}
		w = &d->workers[i];
		w->d = d;
		tl_worker = w;
	}
	w->timed_out = 0;
	w->deadline_ns = 0;
	if (worker_open(w, err) != FL_OK)
		return NULL;
	return w;
}

void sd_worker_budget_next(unsigned ms)
{
	tl_budget_ms = ms;
}

void sd_worker_budget_start(struct sd_worker *w)
{
	w->budget_ms = tl_budget_ms ? tl_budget_ms : w->d->opt.budget_ms;
	w->timed_out = 0;
	w->deadline_ns = sd_now_ns() + (uint64_t)w->budget_ms * 1000000u;
}

void sd_worker_budget_stop(struct sd_worker *w)
{
	w->deadline_ns = 0;
	/* for /metrics, which must not wait for another thread's connection */
	if (w->st)
		atomic_store_explicit(&w->cache_bytes,
				      fl_store_cache_bytes(w->st),
				      memory_order_relaxed);
}

size_t sd_workers_cache_bytes(struct sd_daemon *d)
{
	unsigned i, n = atomic_load(&d->nworkers);
	size_t sum = 0;

	for (i = 0; i < n && i < SD_MAX_WORKERS; i++)
		sum += atomic_load_explicit(&d->workers[i].cache_bytes,
					    memory_order_relaxed);
	return sum;
}

void sd_workers_close(struct sd_daemon *d)
{
	unsigned i, n = atomic_load(&d->nworkers);

	for (i = 0; i < n && i < SD_MAX_WORKERS; i++)
		worker_close(&d->workers[i]);
}
