/*
 * http.h - the inside of findling-searchd: the daemon struct, the
 * per-request state, the named limits, request parsing and validation,
 * JSON responses and errors, the route table and the per-thread stores.
 *
 * main.c starts libmicrohttpd with the options and limits below and hands
 * every request to sd_http_handler(). Handlers (api_*.c, www.c) are thin:
 * they read validated parameters from struct sd_req, call the library and
 * answer through sd_respond_*(). All mutable state lives in struct
 * sd_daemon (counters are atomics) or in the per-worker struct sd_worker,
 * which only its own MHD thread touches.
 */
#ifndef SD_HTTP_H
#define SD_HTTP_H

#include <microhttpd.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "fl_buf.h"
#include "fl_err.h"
#include "fl_lexicon.h"
#include "fl_store.h"
#include "params.h"
#include "queue.h"

/* ---- limits; going over one is a specific 4xx, never a crash ---- */

/* The request target and parameter limits are in params.h. */
/* Sum of all request header lines: 431 above it. */
#define SD_MAX_HEADER_BYTES 16384
/* The API takes no body; a body above this is 413 (small ones ignored). */
#define SD_MAX_BODY_BYTES 1024
/* A body without Content-Length is read and dropped up to this size to
 * answer 413 (MHD cannot answer mid-body); past it the connection is
 * closed. */
#define SD_MAX_BODY_DISCARD (1024 * 1024)
/* Per-connection memory pool of MHD (request line and headers must fit;
 * beyond it MHD itself answers 414/431). Larger than the two limits above
 * so that our own JSON 414/431 answers normally. */
#define SD_CONN_MEMORY_BYTES (128 * 1024)
/* Open connections in total and from one IP address. */
#define SD_MAX_CONNECTIONS 512
#define SD_MAX_CONNECTIONS_PER_IP 64
/* Idle connections are closed after this many seconds (--timeout). */
#define SD_CONN_TIMEOUT_S 30
#define SD_MAX_CONN_TIMEOUT_S 3600
/* Time budget of one request's database work; over it: 503 timeout. */
#define SD_REQUEST_BUDGET_MS 2000
/* A search with this many prefix terms ('*') is pathological: each term
 * expands to every indexed word it begins, and 20 of them cost 0.5 s on
 * 8500 news articles (30 OR'ed plain words cost 20-50 ms). It gets the
 * smaller budget below (or --budget-ms when that is smaller), so that a
 * burst of them holds the search workers for less. */
#define SD_HEAVY_PREFIX_TERMS 8
#define SD_HEAVY_BUDGET_MS 250
/* SIGTERM waits this long for requests in flight before stopping. */
#define SD_DRAIN_MS 15000
/* Search worker threads (--threads): index work runs on them only. */
#define SD_DEFAULT_THREADS 4
#define SD_MAX_THREADS 64
/* HTTP threads (--io-threads): connections, cheap routes, cache hits.
 * Two keep both cores of a small machine busy with I/O. */
#define SD_DEFAULT_IO_THREADS 2
/* Every thread that may own a store: HTTP threads and search workers. */
#define SD_MAX_WORKERS (2 * SD_MAX_THREADS)
/* Index requests waiting for a search worker (--queue); one more is
 * answered 503 "overloaded" at once. 64 is 16 waiting per default worker:
 * a few seconds of normal searches, far less than a client waits. */
#define SD_DEFAULT_QUEUE 64
#define SD_MAX_QUEUE 4096
/* Retry-After (seconds) of the 503 "overloaded" answer. */
#define SD_RETRY_AFTER_S "1"
/* Configured CORS origins. */
#define SD_MAX_ORIGINS 16
/* Largest file served from --www DIR. */
#define SD_MAX_FILE_BYTES (4 * 1024 * 1024)
/* Largest JSON body we build. */
#define SD_MAX_JSON_BYTES (16 * 1024 * 1024)
/* Response cache: default and largest --cache-mb, largest cached body. */
#define SD_CACHE_DEFAULT_MB 64
#define SD_CACHE_MAX_MB 4096
#define SD_CACHE_MAX_ENTRY_BYTES (1024 * 1024)

/* ---- metrics ---- */

enum sd_route_id {
	SD_R_SEARCH = 0,
	SD_R_SUGGEST,
	SD_R_DOCUMENT,
	SD_R_STATS,
	SD_R_HEALTH,
	SD_R_METRICS,
	SD_R_OPENAPI,
	SD_R_STATIC,
	SD_R_OTHER,      /* unknown paths, 404s, early errors */
	SD_R_COUNT,
};

/* Statuses counted separately; every other one is counted as "other". */
#define SD_STATUS_SLOTS 14
/* Latency histogram bucket count (upper bounds in metrics.c, +Inf last). */
#define SD_LAT_BUCKETS 12

struct sd_metrics {
	atomic_ullong req[SD_R_COUNT][SD_STATUS_SLOTS + 1]; /* by status slot */
	atomic_ullong lat[SD_R_COUNT][SD_LAT_BUCKETS];     /* cumulative-free */
	atomic_ullong lat_sum_us[SD_R_COUNT];              /* total latency */
	atomic_ullong bytes_out;                           /* body bytes */
	atomic_ullong timeouts;                            /* budget exceeded */
	atomic_ullong reopens;                             /* store reopens */
	atomic_ullong cache_hits;                          /* answered from cache */
	atomic_ullong cache_misses;                        /* cacheable, computed */
	atomic_ullong conn_swept;                          /* slow requests cut */
	atomic_ullong overloaded;                          /* 503: queue full */
};

void sd_metrics_observe(struct sd_metrics *m, int route, unsigned status,
			uint64_t us, size_t bytes);
struct sd_daemon;
/* Append the Prometheus text exposition of d's counters and the index
 * gauges (docs/gen < 0: unknown, left out) to b; returns b->rc. */
int sd_metrics_render(struct sd_daemon *d, int64_t docs, int64_t gen,
		      struct fl_buf *b);

/* ---- daemon and workers ---- */

/*
 * One per thread that touches the index (HTTP threads for /health and
 * cache lookups, search workers for the rest), claimed lazily by the
 * thread's first request and then used only by that thread. The store is
 * opened on first use and reopened when the daemon's reopen counter moves
 * (SIGHUP).
 */
struct sd_worker {
	struct sd_daemon *d;         /* back pointer */
	struct fl_store *st;         /* read-only store, NULL until opened */
	unsigned reopen_seen;        /* d->reopen value st was opened at */
	uint64_t deadline_ns;        /* monotonic; 0 = no budget running */
	unsigned budget_ms;          /* budget of the last request started */
	int timed_out;               /* progress handler interrupted */
	void *search;                /* per-worker search state (api_search) */
	atomic_size_t cache_bytes;   /* st's page cache after the last request */
};

struct sd_options {
	const char *index;           /* index path (required) */
	const char *listen;          /* "HOST:PORT", default 127.0.0.1:8080 */
	unsigned threads;            /* search workers */
	unsigned io_threads;         /* MHD thread pool size */
	unsigned queue;              /* jobs waiting for a search worker */
	const char *origins[SD_MAX_ORIGINS]; /* CORS origins, exact match */
	size_t norigins;
	const char *access_log;      /* file, NULL = none */
	const char *www;             /* directory with the page, NULL = built in */
	unsigned budget_ms;          /* per-request budget */
	unsigned cache_mb;           /* response cache size, 0 = off */
	unsigned timeout_s;          /* idle connection timeout */
};

struct fl_docmeta_share;

struct sd_daemon {
	struct sd_options opt;       /* as given on the command line */
	struct MHD_Daemon *mhd;      /* running daemon */
	struct fl_lexicon *lex;      /* shared by every worker's store */
	struct fl_docmeta_share *docs; /* per-document table, shared by
	                              * every worker's searcher */
	struct sd_cache *cache;      /* response cache, NULL = off */
	struct sd_queue *queue;      /* search workers (queue.h) */
	char *www_real;              /* realpath of opt.www, NULL = built in */
	int log_fd;                  /* access log, -1 = none */
	uint64_t start_ns;           /* monotonic start time */
	atomic_uint reopen;          /* bumped by SIGHUP */
	atomic_uint nworkers;        /* workers[0..nworkers-1] claimed */
	atomic_long inflight;        /* requests between first call and done */
	atomic_int draining;         /* 1 after SIGTERM: health says so */
	atomic_int cancel;           /* 1: interrupt all index work now */
	pthread_mutex_t conn_mu;     /* guards conns */
	struct sd_conn *conns;       /* open connections (conn.c) */
	atomic_uint nconns;          /* their number */
	struct sd_worker workers[SD_MAX_WORKERS]; /* one per thread */
	struct sd_metrics metrics;   /* counters */
};

/*
 * The calling thread's worker with an open, current store (opened or
 * reopened here). NULL with err set when the index cannot be opened.
 */
struct sd_worker *sd_worker_get(struct sd_daemon *d, struct fl_err *err);

/* Start / stop the request time budget on w's connection. */
void sd_worker_budget_start(struct sd_worker *w);
/* Budget of the requests the calling thread runs from now on (0: the
 * --budget-ms default); http.c sets it around each job. */
void sd_worker_budget_next(unsigned ms);
void sd_worker_budget_stop(struct sd_worker *w);

/* Close every worker's store (after MHD_stop_daemon). */
void sd_workers_close(struct sd_daemon *d);
/* Page cache bytes of every worker's store, as of its last request. */
size_t sd_workers_cache_bytes(struct sd_daemon *d);

/* Monotonic clock in nanoseconds. */
uint64_t sd_now_ns(void);

/* ---- requests ---- */

struct sd_req {
	struct sd_daemon *d;         /* the daemon */
	struct MHD_Connection *conn; /* the connection */
	uint64_t start_ns;           /* when the request line arrived */
	char *raw;                   /* raw request target, NULL when too long */
	size_t raw_len;              /* its length (also when too long) */
	char *path;                  /* percent-decoded path */
	struct sd_params params;     /* decoded query parameters */
	const char *method;          /* borrowed from MHD */
	int head;                    /* HEAD request: no body is sent */
	int started;                 /* first handler call seen */
	int answered;                /* a response was queued */
	size_t body_bytes;           /* upload bytes received */
	int route;                   /* enum sd_route_id for metrics */
	unsigned status;             /* status sent */
	size_t bytes;                /* body bytes sent */
	const char *origin;          /* allowed Origin to echo, or NULL */
	const char *cache_state;     /* X-Cache: "hit", "miss" or NULL */
	int cacheable;               /* a 200 answer may be cached */
	int64_t cache_gen;           /* index generation at lookup */
	unsigned cache_reopen;       /* worker's reopen count at lookup */
	/* index work handed to a search worker (http.c, queue.h) */
	struct sd_job job;           /* the queued job */
	const struct sd_route *job_route; /* what the worker runs */
	const char *job_rest;        /* its rest of the path */
	int deferred;                /* 1 on the worker: respond() keeps */
	int job_done;                /* the worker finished; resumed */
	unsigned budget_ms;          /* its budget, 0 = --budget-ms */
	enum MHD_Result job_ret;     /* what the handler returned there */
	struct MHD_Response *resp;   /* the answer kept for the MHD thread */
};

/* A route: exact path, or prefix when the pattern ends in '/'. */
typedef enum MHD_Result (*sd_handler_fn)(struct sd_req *r, const char *rest);
struct sd_route {
	const char *path;            /* "/api/search" or "/api/documents/" */
	int prefix;                  /* 1: match path as a prefix */
	int id;                      /* enum sd_route_id */
	int pooled;                  /* 1: runs on a search worker */
	sd_handler_fn fn;            /* GET/HEAD handler */
};

/* MHD callbacks (main.c installs them). */
void *sd_http_uri_cb(void *cls, const char *uri, struct MHD_Connection *c);
enum MHD_Result sd_http_handler(void *cls, struct MHD_Connection *c,
				const char *url, const char *method,
				const char *version, const char *upload,
				size_t *upload_size, void **req_cls);
void sd_http_completed(void *cls, struct MHD_Connection *c, void **req_cls,
		       enum MHD_RequestTerminationCode toe);

/*
 * Answer a refused request target or parameter (params.h) with its JSON
 * 4xx; MHD_NO (drop the connection) when e holds no error, which is how
 * sd_params reports running out of memory.
 */
enum MHD_Result sd_respond_params_err(struct sd_req *r,
				      const struct sd_params_err *e);

/* Responses. Each queues exactly one response and returns MHD's result. */
/* body as compact JSON text (caller frees), NULL when body is NULL or
 * out of memory. Drops body. */
char *sd_json_text(json_t *body);

enum MHD_Result sd_respond_json(struct sd_req *r, unsigned status,
				json_t *body);  /* steals body */
enum MHD_Result sd_respond_error(struct sd_req *r, unsigned status,
				 const char *code, const char *param,
				 const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* bytes are copied unless take is 1 (then freed with free()). */
enum MHD_Result sd_respond_bytes(struct sd_req *r, unsigned status,
				 const char *ctype, const void *data,
				 size_t len, int take);
/* Map a library error to 404/503/500 JSON. */
enum MHD_Result sd_respond_flerr(struct sd_req *r, struct sd_worker *w,
				 const struct fl_err *err);

/* ---- connections (conn.c) ---- */

struct sd_conn;
/* MHD connection notification: track open connections. */
void sd_conn_notify(void *cls, struct MHD_Connection *c,
		    void **socket_context,
		    enum MHD_ConnectionNotificationCode code);
/* A request's headers are complete (busy 1) / its answer is done (0). */
void sd_conn_busy(struct MHD_Connection *c, int busy);
/* Shut down connections waiting longer than --timeout for a complete
 * request; returns how many. Called about once a second. */
unsigned sd_conn_sweep(struct sd_daemon *d);

/* ---- response cache (cache.c) ---- */

/*
 * A bounded LRU of finished JSON bodies keyed by route + raw request
 * target; an entry only answers at the index generation and reopen count
 * it was made at. Thread-safe.
 */
struct sd_cache;
int sd_cache_new(size_t max_bytes, struct sd_cache **out);
void sd_cache_free(struct sd_cache *c);
/* A malloc'd copy of the body cached for key (NULL: none or stale). */
char *sd_cache_get(struct sd_cache *c, const char *key, size_t n,
		   int64_t gen, unsigned reopen, size_t *len);
void sd_cache_put(struct sd_cache *c, const char *key, size_t n,
		  int64_t gen, unsigned reopen, const char *body, size_t len);

/*
 * Answer r from the cache when a current entry exists: returns 1 with
 * *ret set. Otherwise 0, and r remembers the generation so that
 * sd_respond_json_cached() can store its answer.
 */
int sd_cache_answer(struct sd_req *r, struct sd_worker *w,
		    enum MHD_Result *ret);
/* sd_respond_json() with status 200 that also fills the cache. */
enum MHD_Result sd_respond_json_cached(struct sd_req *r, json_t *body);

/* ---- handlers ---- */
enum MHD_Result sd_api_search(struct sd_req *r, const char *rest);
enum MHD_Result sd_api_suggest(struct sd_req *r, const char *rest);
enum MHD_Result sd_api_document(struct sd_req *r, const char *rest);
enum MHD_Result sd_api_stats(struct sd_req *r, const char *rest);
enum MHD_Result sd_api_health(struct sd_req *r, const char *rest);
enum MHD_Result sd_api_metrics(struct sd_req *r, const char *rest);
enum MHD_Result sd_api_openapi(struct sd_req *r, const char *rest);
enum MHD_Result sd_www_serve(struct sd_req *r, const char *rest);

/* Free per-worker search state (api_search.c). */
void sd_search_state_free(void *state);

#endif
