/*
 * metrics.c - request counters and the latency histogram (atomics in
 * struct sd_metrics, so worker threads never lock), rendered as the
 * Prometheus text format for GET /metrics.
 */
#include <stdio.h>
#include <string.h>

#include "fl_docmeta.h"
#include "http.h"
#include "fl_banned.h"

/* Statuses with their own counter; index = slot. */
static const unsigned status_slot[SD_STATUS_SLOTS] = {
	0, 200, 204, 301, 304, 400, 403, 404, 405, 413, 414, 431, 500, 503,
};

/* Upper bounds of the latency buckets in microseconds; the last is +Inf. */
static const uint64_t lat_us[SD_LAT_BUCKETS - 1] = {
	500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
	1000000,
};

static const char *const route_name[SD_R_COUNT] = {
	[SD_R_SEARCH] = "search",   [SD_R_SUGGEST] = "suggest",
	[SD_R_DOCUMENT] = "document", [SD_R_STATS] = "stats",
	[SD_R_HEALTH] = "health",   [SD_R_METRICS] = "metrics",
	[SD_R_OPENAPI] = "openapi", [SD_R_STATIC] = "static",
	[SD_R_OTHER] = "other",
};

void sd_metrics_observe(struct sd_metrics *m, int route, unsigned status,
			uint64_t us, size_t bytes)
{
	size_t s, b;

	if (route < 0 || route >= SD_R_COUNT)
		route = SD_R_OTHER;
	for (s = 0; s < SD_STATUS_SLOTS && status_slot[s] != status; s++)
		;
	for (b = 0; b < SD_LAT_BUCKETS - 1 && us > lat_us[b]; b++)
		;
	atomic_fetch_add(&m->req[route][s], 1);
	atomic_fetch_add(&m->lat[route][b], 1);
	atomic_fetch_add(&m->lat_sum_us[route], us);
	atomic_fetch_add(&m->bytes_out, bytes);
}

static void render_requests(struct sd_metrics *m, struct fl_buf *b)
{
	unsigned long long n;
	int r;
	size_t s;

	fl_buf_adds(b, "# HELP findling_http_requests_total HTTP requests "
		    "by route and status.\n"
		    "# TYPE findling_http_requests_total counter\n");
	for (r = 0; r < SD_R_COUNT; r++) {
		for (s = 0; s <= SD_STATUS_SLOTS; s++) {
			n = atomic_load(&m->req[r][s]);
			if (n == 0)
				continue;
			if (s == SD_STATUS_SLOTS)
				fl_buf_addf(b, "findling_http_requests_total"
					    "{route=\"%s\",status=\"other\"} "
					    "%llu\n", route_name[r], n);
			else
				fl_buf_addf(b, "findling_http_requests_total"
					    "{route=\"%s\",status=\"%u\"} "
					    "%llu\n", route_name[r],
					    status_slot[s], n);
		}
	}
}

static void render_route_hist(struct sd_metrics *m, int r, struct fl_buf *b)
{
	unsigned long long cum = 0;
	size_t i;

	for (i = 0; i < SD_LAT_BUCKETS; i++) {
		cum += atomic_load(&m->lat[r][i]);
		if (i < SD_LAT_BUCKETS - 1)
			fl_buf_addf(b, "findling_http_request_duration_seconds"
				    "_bucket{route=\"%s\",le=\"%g\"} %llu\n",
				    route_name[r], (double)lat_us[i] / 1e6,
				    cum);
		else
			fl_buf_addf(b, "findling_http_request_duration_seconds"
				    "_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
				    route_name[r], cum);
	}
	fl_buf_addf(b, "findling_http_request_duration_seconds_sum"
		    "{route=\"%s\"} %.6f\n", route_name[r],
		    (double)atomic_load(&m->lat_sum_us[r]) / 1e6);
	fl_buf_addf(b, "findling_http_request_duration_seconds_count"
		    "{route=\"%s\"} %llu\n", route_name[r], cum);
}

static void render_latency(struct sd_metrics *m, struct fl_buf *b)
{
	unsigned long long n;
	size_t i;
	int r;

	fl_buf_adds(b, "# HELP findling_http_request_duration_seconds "
		    "Time from request line to response sent.\n"
		    "# TYPE findling_http_request_duration_seconds "
		    "histogram\n");
	for (r = 0; r < SD_R_COUNT; r++) {
		for (n = 0, i = 0; i < SD_LAT_BUCKETS; i++)
			n += atomic_load(&m->lat[r][i]);
		if (n > 0)
			render_route_hist(m, r, b);
	}
}

static void gauge(struct fl_buf *b, const char *name, const char *type,
		  const char *help, double v)
{
	fl_buf_addf(b, "# HELP %s %s\n# TYPE %s %s\n%s %.17g\n", name, help,
		    name, type, name, v);
}

/* One table all workers share: findling_NAME_bytes and _mapped. */
static void render_table(struct fl_buf *b, const char *name,
			 const char *what, size_t bytes, int mapped)
{
	char metric[64];

	snprintf(metric, sizeof(metric), "findling_%s_bytes", name);
	gauge(b, metric, "gauge", what, (double)bytes);
	snprintf(metric, sizeof(metric), "findling_%s_mapped", name);
	gauge(b, metric, "gauge", "1 when it is mapped from an unlinked file "
	      "(page cache), 0 when it is on the heap.", (double)mapped);
}

/* The tables all workers share: their sizes, and where they live. */
static void render_tables(struct sd_daemon *d, struct fl_buf *b)
{
	size_t bytes;
	int mapped;

	bytes = fl_lexicon_bytes(d->lex, &mapped);
	render_table(b, "lexicon", "Word lists and corpus word frequencies of "
		     "the compound splitter.", bytes, mapped);
	fl_docmeta_share_size(d->docs, &bytes, &mapped);
	render_table(b, "document_table", "Per-document values (dates, "
		     "sources, row lengths) of the newest index generation.",
		     bytes, mapped);
}

int sd_metrics_render(struct sd_daemon *d, int64_t docs, int64_t gen,
		      struct fl_buf *b)
{
	struct sd_metrics *m = &d->metrics;

	render_requests(m, b);
	render_latency(m, b);
	gauge(b, "findling_http_response_bytes_total", "counter",
	      "Response body bytes sent.",
	      (double)atomic_load(&m->bytes_out));
	gauge(b, "findling_request_timeouts_total", "counter",
	      "Requests that exceeded their time budget (503).",
	      (double)atomic_load(&m->timeouts));
	gauge(b, "findling_store_reopens_total", "counter",
	      "Index stores reopened after SIGHUP.",
	      (double)atomic_load(&m->reopens));
	gauge(b, "findling_cache_hits_total", "counter",
	      "Search and suggest answers served from the response cache.",
	      (double)atomic_load(&m->cache_hits));
	gauge(b, "findling_cache_misses_total", "counter",
	      "Cacheable search and suggest answers computed.",
	      (double)atomic_load(&m->cache_misses));
	gauge(b, "findling_connections_swept_total", "counter",
	      "Connections shut down: no complete request within --timeout.",
	      (double)atomic_load(&m->conn_swept));
	gauge(b, "findling_overloaded_total", "counter",
	      "Requests answered 503 overloaded: the search queue was full.",
	      (double)atomic_load(&m->overloaded));
	gauge(b, "findling_search_queue", "gauge",
	      "Requests waiting for a search worker.",
	      d->queue ? (double)sd_queue_waiting(d->queue) : 0.0);
	gauge(b, "findling_heap_trims_total", "counter",
	      "Heap given back to the system after a second without work.",
	      d->queue ? (double)sd_queue_trims(d->queue) : 0.0);
	gauge(b, "findling_connections", "gauge",
	      "Open connections.", (double)atomic_load(&d->nconns));
	gauge(b, "findling_inflight_requests", "gauge",
	      "Requests being handled now.",
	      (double)atomic_load(&d->inflight));
	gauge(b, "findling_sqlite_page_cache_bytes", "gauge",
	      "SQLite page cache held by the index connections (the rest of "
	      "the index is read through the memory map).",
	      (double)sd_workers_cache_bytes(d));
	render_tables(d, b);
	gauge(b, "findling_uptime_seconds", "gauge",
	      "Seconds since the daemon started.",
	      (double)(sd_now_ns() - d->start_ns) / 1e9);
	if (docs >= 0)
		gauge(b, "findling_documents", "gauge",
		      "Documents in the index.", (double)docs);
	if (gen >= 0)
		gauge(b, "findling_index_generation", "gauge",
		      "Index generation (bumped by every committed write).",
		      (double)gen);
	return b->rc;
}
