/*
 * main.c - findling-searchd: options, the shared lexicon, the search
 * workers (queue.c), libmicrohttpd started with every limit named in
 * http.h, the signal loop (SIGHUP reopens the index, SIGTERM/SIGINT drain
 * the requests in flight and exit 0) and the clean shutdown.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "fl_docmeta.h"
#include "http.h"
#include "fl_banned.h"

/* sysexits(3) codes. */
#define EX_OK_ 0
#define EX_USAGE_ 64
#define EX_NOINPUT_ 66
#define EX_SOFTWARE_ 70
#define EX_OSERR_ 71

#define DEFAULT_LISTEN "127.0.0.1:8080"
/* How often the drain loop looks at the in-flight count. */
#define DRAIN_POLL_MS 20
/* Seconds between two sweeps of slow connections. */
#define SWEEP_INTERVAL_S 1
/* Longest --budget-ms. */
#define MAX_BUDGET_MS 600000

static const char usage_text[] =
	"usage: findling-searchd --index PATH [--listen HOST:PORT] "
	"[--threads N]\n"
	"         [--io-threads N] [--queue N] [--cors-origin ORIGIN]...\n"
	"         [--access-log FILE] [--www DIR] [--budget-ms MS] "
	"[--cache-mb MB]\n"
	"         [--timeout S]\n"
	"Serves the Findling search API and page over HTTP (loopback by "
	"default;\nport 0 picks a free port). SIGHUP reopens the index, "
	"SIGTERM drains and exits.\n";

static int usage(const char *msg, const char *arg)
{
	if (msg)
		fprintf(stderr, "findling-searchd: %s%s%s\n", msg,
			arg ? ": " : "", arg ? arg : "");
	fputs(usage_text, stderr);
	return EX_USAGE_;
}

static int parse_num(const char *s, unsigned long min, unsigned long max,
		     unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v < min || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int parse_args(int argc, char **argv, struct sd_options *o)
{
	static const struct option longopts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "listen", required_argument, NULL, 'l' },
		{ "threads", required_argument, NULL, 't' },
		{ "io-threads", required_argument, NULL, 'I' },
		{ "queue", required_argument, NULL, 'q' },
		{ "cors-origin", required_argument, NULL, 'c' },
		{ "access-log", required_argument, NULL, 'a' },
		{ "www", required_argument, NULL, 'w' },
		{ "budget-ms", required_argument, NULL, 'b' },
		{ "cache-mb", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->listen = DEFAULT_LISTEN;
	o->threads = SD_DEFAULT_THREADS;
	o->io_threads = SD_DEFAULT_IO_THREADS;
	o->queue = SD_DEFAULT_QUEUE;
	o->budget_ms = SD_REQUEST_BUDGET_MS;
	o->cache_mb = SD_CACHE_DEFAULT_MB;
	o->timeout_s = SD_CONN_TIMEOUT_S;
	while ((c = getopt_long(argc, argv, "i:l:t:I:q:c:a:w:b:m:T:h", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'i': o->index = optarg; break;
		case 'l': o->listen = optarg; break;
		case 'a': o->access_log = optarg; break;
		case 'w': o->www = optarg; break;
		case 't':
			if (parse_num(optarg, 1, SD_MAX_THREADS,
				      &o->threads) != 0)
				return usage("--threads must be 1..64", optarg);
			break;
		case 'I':
			if (parse_num(optarg, 1, SD_MAX_THREADS,
				      &o->io_threads) != 0)
				return usage("--io-threads must be 1..64",
					     optarg);
			break;
		case 'q':
			if (parse_num(optarg, 1, SD_MAX_QUEUE, &o->queue) != 0)
				return usage("--queue must be 1..4096", optarg);
			break;
		case 'b':
			if (parse_num(optarg, 1, MAX_BUDGET_MS,
				      &o->budget_ms) != 0)
				return usage("bad --budget-ms", optarg);
			break;
		case 'm':
			if (parse_num(optarg, 0, SD_CACHE_MAX_MB,
				      &o->cache_mb) != 0)
				return usage("--cache-mb must be 0..4096",
					     optarg);
			break;
		case 'T':
			if (parse_num(optarg, 1, SD_MAX_CONN_TIMEOUT_S,
				      &o->timeout_s) != 0)
				return usage("--timeout must be 1..3600", optarg);
			break;
		case 'c':
			if (o->norigins == SD_MAX_ORIGINS)
				return usage("too many --cors-origin", optarg);
			o->origins[o->norigins++] = optarg;
			break;
		case 'h': fputs(usage_text, stdout); exit(EX_OK_);
		default: return usage(NULL, NULL);
		}
	}
	if (optind < argc)
		return usage("unexpected argument", argv[optind]);
	if (!o->index)
		return usage("--index is required", NULL);
	return 0;
}

/* "HOST:PORT" or "[V6]:PORT" into a socket address. */
static int resolve(const char *listen, struct sockaddr_storage *ss,
		   socklen_t *sslen)
{
	char host[256];
	const char *colon = strrchr(listen, ':');
	struct addrinfo hints, *res = NULL;
	size_t n;
	int rc;

	if (!colon || colon == listen)
		return -1;
	n = (size_t)(colon - listen);
	if (listen[0] == '[' && n >= 2 && listen[n - 1] == ']') {
		listen++;
		n -= 2;
	}
	if (n >= sizeof host)
		return -1;
	memcpy(host, listen, n);
	host[n] = '\0';
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(host, colon + 1, &hints, &res);
	if (rc != 0 || !res || res->ai_addrlen > sizeof *ss) {
		if (res)
			freeaddrinfo(res);
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sslen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static struct MHD_Daemon *start_mhd(struct sd_daemon *d,
				    struct sockaddr_storage *ss)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC
			 | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;

	flags |= MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES
		 ? MHD_USE_EPOLL : MHD_USE_POLL;
	if (ss->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	return MHD_start_daemon(
		flags, 0, NULL, NULL, sd_http_handler, d,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)ss,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)d->opt.io_threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)SD_MAX_CONNECTIONS,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned int)SD_MAX_CONNECTIONS_PER_IP,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)SD_CONN_MEMORY_BYTES,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)d->opt.timeout_s,
		MHD_OPTION_URI_LOG_CALLBACK, sd_http_uri_cb, d,
		MHD_OPTION_NOTIFY_COMPLETED, sd_http_completed, d,
		MHD_OPTION_NOTIFY_CONNECTION, sd_conn_notify, d,
		MHD_OPTION_END);
}

static void print_url(struct sd_daemon *d, struct sockaddr_storage *ss)
{
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(d->mhd, MHD_DAEMON_INFO_BIND_PORT);
	char host[NI_MAXHOST];
	int v6 = ss->ss_family == AF_INET6;

	if (getnameinfo((struct sockaddr *)ss, v6 ? sizeof(struct sockaddr_in6)
			: sizeof(struct sockaddr_in), host, sizeof host,
			NULL, 0, NI_NUMERICHOST) != 0)
		host[0] = '\0';
	printf("listening on http://%s%s%s:%u/\n", v6 ? "[" : "", host,
	       v6 ? "]" : "", info ? (unsigned)info->port : 0u);
	fflush(stdout);
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/*
 * Stop accepting, let the requests in flight finish, stop. Index work
 * still running after SD_DRAIN_MS is interrupted (503), and the search
 * workers stop before MHD does: MHD must not stop with a connection
 * suspended for a worker.
 */
static void drain_and_stop(struct sd_daemon *d)
{
	uint64_t until = sd_now_ns() + (uint64_t)SD_DRAIN_MS * 1000000u;
	MHD_socket fd;

	atomic_store(&d->draining, 1);
	fd = MHD_quiesce_daemon(d->mhd);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	while (atomic_load(&d->inflight) > 0 && sd_now_ns() < until)
		sleep_ms(DRAIN_POLL_MS);
	if (atomic_load(&d->inflight) > 0)
		fprintf(stderr, "findling-searchd: %ld requests still running "
			"after %d ms, stopping anyway\n",
			atomic_load(&d->inflight), SD_DRAIN_MS);
	atomic_store(&d->cancel, 1);
	sd_queue_stop(d->queue);
	MHD_stop_daemon(d->mhd);
	d->mhd = NULL;
}

/* Wait for signals until SIGTERM/SIGINT; SIGHUP reopens the index.
 * Between signals, once a second, sweep slow connections. */
static void signal_loop(struct sd_daemon *d, const sigset_t *set)
{
	int sig;

	struct timespec tick = { SWEEP_INTERVAL_S, 0 };

	for (;;) {
		sig = sigtimedwait(set, NULL, &tick);
		if (sig < 0) {
			/* EAGAIN: a second without signals; EINTR: retry */
			sd_conn_sweep(d);
			continue;
		}
		if (sig == SIGHUP) {
			atomic_fetch_add(&d->reopen, 1);
			fprintf(stderr, "findling-searchd: SIGHUP: reopening "
				"the index\n");
			continue;
		}
		fprintf(stderr, "findling-searchd: %s: finishing requests in "
			"flight\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
		return;
	}
}

/* Open everything the daemon needs before it listens. */
/*
 * The directory of the index: where the lexicon and the per-document
 * table are spilled (fl_spill.h), on the same disk as the index, so their
 * pages are as evictable as the index's. NULL when out of memory.
 */
static char *index_dir(const char *index)
{
	const char *slash = strrchr(index, '/');

	if (!slash)
		return strdup(".");
	return strndup(index, slash == index ? 1 : (size_t)(slash - index));
}

/* The lexicon and the per-document table share, both spilled beside the
 * index (before anything else holds the lexicon). */
static int shared_tables(struct sd_daemon *d)
{
	char *dir = index_dir(d->opt.index);

	if (!dir)
		return FL_ENOMEM;
	fl_lexicon_spill(d->lex, dir);
	d->docs = fl_docmeta_share_new(dir);
	free(dir);
	return d->docs ? FL_OK : FL_ENOMEM;
}

static int prepare(struct sd_daemon *d)
{
	struct fl_err err;
	struct fl_store *st = NULL;
	int rc;

	fl_err_clear(&err);
	rc = fl_store_lexicon_load(d->opt.index, &d->lex, &err);
	if (rc == FL_OK && shared_tables(d) != FL_OK)
		rc = fl_error(&err, FL_ENOMEM, "out of memory");
	if (rc == FL_OK)
		rc = fl_store_open(d->opt.index, FL_STORE_READONLY, d->lex,
				   &st, &err);
	fl_store_close(st);
	if (rc != FL_OK) {
		fprintf(stderr, "findling-searchd: %s: %s\n", d->opt.index,
			err.msg);
		return rc == FL_ENOTFOUND ? EX_NOINPUT_ : EX_SOFTWARE_;
	}
	if (d->opt.cache_mb > 0
	    && sd_cache_new((size_t)d->opt.cache_mb * 1024 * 1024, &d->cache)
	       != FL_OK) {
		fputs("findling-searchd: out of memory\n", stderr);
		return EX_OSERR_;
	}
	if (d->opt.www && !(d->www_real = realpath(d->opt.www, NULL))) {
		fprintf(stderr, "findling-searchd: --www %s: %s\n", d->opt.www,
			strerror(errno));
		return EX_NOINPUT_;
	}
	if (d->opt.access_log) {
		d->log_fd = open(d->opt.access_log,
				 O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
				 0644);
		if (d->log_fd < 0) {
			fprintf(stderr, "findling-searchd: --access-log %s: "
				"%s\n", d->opt.access_log, strerror(errno));
			return EX_OSERR_;
		}
	}
	return EX_OK_;
}

static int run(struct sd_daemon *d)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct fl_err err;
	sigset_t set;
	int rc;

	fl_err_clear(&err);
	if (resolve(d->opt.listen, &ss, &sslen) != 0)
		return usage("cannot use --listen address", d->opt.listen);
	rc = prepare(d);
	if (rc != EX_OK_)
		return rc;
	/* Block the signals in every thread (MHD's inherit the mask); the
	 * main thread takes them with sigwait. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->start_ns = sd_now_ns();
	if (sd_queue_new(d->opt.threads, d->opt.queue, &d->queue, &err)
	    != FL_OK) {
		fprintf(stderr, "findling-searchd: %s\n", err.msg);
		return EX_OSERR_;
	}
	d->mhd = start_mhd(d, &ss);
	if (!d->mhd) {
		fprintf(stderr, "findling-searchd: cannot listen on %s\n",
			d->opt.listen);
		return EX_OSERR_;
	}
	print_url(d, &ss);
	signal_loop(d, &set);
	drain_and_stop(d);
	return EX_OK_;
}

/* A search's large buffers (FTS5 doclists, the match set) are mapped and
 * unmapped per search: glibc's adaptive threshold would otherwise raise
 * itself to the largest such buffer and keep it in every worker thread's
 * arena for good, so the heap would follow the largest match set seen. */
#define SD_MMAP_THRESHOLD (256 * 1024)

int main(int argc, char **argv)
{
	struct sd_daemon *d;
	int rc;

	mallopt(M_MMAP_THRESHOLD, SD_MMAP_THRESHOLD);
	d = calloc(1, sizeof *d);

	if (!d) {
		fputs("findling-searchd: out of memory\n", stderr);
		return EX_OSERR_;
	}
	d->log_fd = -1;
	pthread_mutex_init(&d->conn_mu, NULL);
	rc = parse_args(argc, argv, &d->opt);
	if (rc == 0)
		rc = run(d);
	atomic_store(&d->cancel, 1);
	sd_queue_stop(d->queue);
	if (d->mhd)
		MHD_stop_daemon(d->mhd);
	sd_queue_free(d->queue);
	sd_workers_close(d);
	fl_docmeta_share_free(d->docs);
	sd_cache_free(d->cache);
	fl_lexicon_unref(d->lex);
	if (d->log_fd >= 0)
		close(d->log_fd);
	free(d->www_real);
	pthread_mutex_destroy(&d->conn_mu);
	free(d);
	return rc;
}
