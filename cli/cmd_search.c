/*
 * cmd_search.c - `findling search [--index PATH | --server URL]
 * [--format text|json|csv|kwic] [--limit N] [--offset N]
 * [--sort relevance|date] [--filter key=value]... [--facets LIST]
 * [--no-snippets] QUERY...` and the hidden latency measurer
 * `findling search --bench FILE [--rounds N]` (make bench), plus
 * `findling suggest [--limit N] PREFIX`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "fl_doc.h"
#include "fl_json.h"
#include "fl_suggest.h"
#include "http.h"
#include "output.h"
#include "fl_banned.h"

/* Longest query assembled from the arguments. */
#define CLI_QUERY_MAX 4096
/* Bench: queries read at most, line length. */
#define CLI_BENCH_MAX_QUERIES 10000
#define CLI_BENCH_LINE 1024

struct search_args {
	const char *index;
	const char *server;
	const char *bench;
	size_t rounds;
	int format;
	const char *facets;   /* as given, for --server */
	struct fl_search_opts o;
	char query[CLI_QUERY_MAX];
};

static int parse_size(const char *s, size_t max, size_t *out)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s == '-')
		return -1;
	v = strtoul(s, &end, 10);
	if (*end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int set_filter(struct fl_search_opts *o, const char *kv)
{
	const char *eq = strchr(kv, '=');
	const char *v = eq ? eq + 1 : NULL;
	size_t n = eq ? (size_t)(eq - kv) : 0;

	if (!v || !*v)
		return -1;
	if (n == 6 && !strncmp(kv, "source", n))
		o->source = v;
	else if (n == 4 && !strncmp(kv, "type", n))
		o->type = v;
	else if (n == 4 && !strncmp(kv, "lang", n))
		o->lang = v;
	else if (n == 4 && !strncmp(kv, "from", n))
		o->from = v;
	else if (n == 2 && !strncmp(kv, "to", n))
		o->to = v;
	else
		return -1;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: findling search [--index PATH | --server "
		"http://127.0.0.1:PORT] [--format "
		"text|json|csv|kwic] [--limit N] [--offset N] [--sort "
		"relevance|date] [--filter source|type|lang|from|to=VALUE]... "
		"[--facets source,type,year,month] [--no-snippets] QUERY...\n"
		"       findling search --index PATH --bench FILE [--rounds N]"
		"\n");
	return CLI_EXIT_USAGE;
}

static int join_query(struct search_args *a, int argc, char **argv)
{
	struct fl_buf b;
	int i;

	fl_buf_init(&b, CLI_QUERY_MAX - 1);
	for (i = 0; i < argc; i++) {
		if (i)
			fl_buf_addc(&b, ' ');
		fl_buf_adds(&b, argv[i]);
	}
	if (b.rc == FL_OK)
		memcpy(a->query, b.data, b.len + 1);
	fl_buf_release(&b);
	return b.rc == FL_OK ? 0 : -1;
}

static int parse_opt(struct search_args *a, int c, const char *arg)
{
	struct fl_err err = { 0 };
	size_t v;

	switch (c) {
	case 'i': a->index = arg; return 0;
	case 'S': a->server = arg; return 0;
	case 'B': a->bench = arg; return 0;
	case 'R': return parse_size(arg, 1000000, &a->rounds);
	case 'n': a->o.snippets = 0; return 0;
	case 'F':
		a->format = cli_parse_format(arg);
		return a->format < 0 ? -1 : 0;
	case 'l':
		if (parse_size(arg, FL_SEARCH_MAX_LIMIT, &v) || !v)
			return -1;
		a->o.limit = v;
		return 0;
	case 'o': return parse_size(arg, FL_SEARCH_MAX_OFFSET, &a->o.offset);
	case 's': return fl_search_parse_sort(arg, &a->o.sort, &err) ? -1 : 0;
	case 'f': return set_filter(&a->o, arg);
	case 'a':
		a->facets = arg;
		return fl_search_parse_facets(arg, &a->o.facets, &err) ? -1 : 0;
	}
	return -1;
}

static int parse_args(struct search_args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "server", required_argument, NULL, 'S' },
		{ "format", required_argument, NULL, 'F' },
		{ "limit", required_argument, NULL, 'l' },
		{ "offset", required_argument, NULL, 'o' },
		{ "sort", required_argument, NULL, 's' },
		{ "filter", required_argument, NULL, 'f' },
		{ "facets", required_argument, NULL, 'a' },
		{ "no-snippets", no_argument, NULL, 'n' },
		{ "bench", required_argument, NULL, 'B' },
		{ "rounds", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(a, 0, sizeof(*a));
	fl_search_opts_init(&a->o);
	a->rounds = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+i:F:l:o:s:f:a:n", opts,
				NULL)) != -1) {
		if (c == 'h' || c == '?' || parse_opt(a, c, optarg)) {
			if (c != 'h' && c != '?')
				fprintf(stderr, "findling search: bad value "
					"'%s' for an option\n", optarg);
			return -1;
		}
	}
	if (join_query(a, argc - optind, argv + optind))
		return -1;
	if (!a->bench && !a->query[0] && !a->o.source && !a->o.type &&
	    !a->o.lang && !a->o.from && !a->o.to)
		return -1;
	return 0;
}

/* ---- bench ---------------------------------------------------------- */

static int cmp_double(const void *a, const void *b);

static double ms_of(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Wall time, and the thread's CPU time: on a busy machine the wall
 * percentiles mostly measure the other processes. */
static double ms_now(void)
{
	return ms_of(CLOCK_MONOTONIC);
}

static double cpu_now(void)
{
	return ms_of(CLOCK_THREAD_CPUTIME_ID);
}

static void print_lat(const char *what, double *lat, size_t k)
{
	qsort(lat, k, sizeof(*lat), cmp_double);
	printf("%sp50_ms %.3f %sp99_ms %.3f %smax_ms %.3f", what, lat[k / 2],
	       what, lat[(k * 99) / 100 < k ? (k * 99) / 100 : k - 1], what,
	       lat[k - 1]);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static size_t read_queries(const char *path, char **q, size_t max)
{
	FILE *f = fopen(path, "r");
	char line[CLI_BENCH_LINE];
	size_t n = 0;

	if (!f)
		return 0;
	while (n < max && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		q[n] = malloc(strlen(line) + 1);
		if (!q[n])
			break;
		memcpy(q[n], line, strlen(line) + 1);
		n++;
	}
	fclose(f);
	return n;
}

static int run_bench(struct search_args *a, struct cli_index *ix)
{
	char **q = calloc(CLI_BENCH_MAX_QUERIES, sizeof(*q));
	double *lat, *cpu;
	size_t n, i, r, k = 0;
	struct fl_err err = { 0 };

	n = q ? read_queries(a->bench, q, CLI_BENCH_MAX_QUERIES) : 0;
	lat = calloc(n * a->rounds + 1, sizeof(*lat));
	cpu = calloc(n * a->rounds + 1, sizeof(*cpu));
	if (!n || !lat || !cpu) {
		fprintf(stderr, "findling search: no queries in '%s'\n",
			a->bench);
		free(q);
		free(lat);
		free(cpu);
		return CLI_EXIT_USAGE;
	}
	for (i = 0; i < n; i++) { /* warm up: caches, pages, statements */
		struct fl_result *res = NULL;

		a->o.query = q[i];
		if (fl_search(ix->s, &a->o, &res, &err) == FL_OK)
			fl_result_free(res);
	}
	for (r = 0; r < a->rounds; r++) {
		for (i = 0; i < n; i++) {
			struct fl_result *res = NULL;
			double t0 = ms_now(), c0 = cpu_now();

			a->o.query = q[i];
			if (fl_search(ix->s, &a->o, &res, &err) != FL_OK)
				fprintf(stderr, "bench: %s: %s\n", q[i],
					err.msg);
			fl_result_free(res);
			cpu[k] = cpu_now() - c0;
			lat[k++] = ms_now() - t0;
			if (getenv("FL_BENCH_DETAIL"))
				fprintf(stderr, "%.3f\t%s\n", cpu[k - 1],
					q[i]);
		}
	}
	printf("queries %zu ", k);
	print_lat("", lat, k);
	printf(" ");
	print_lat("cpu_", cpu, k);
	printf("\n");
	for (i = 0; i < n; i++)
		free(q[i]);
	free(q);
	free(lat);
	free(cpu);
	return CLI_EXIT_OK;
}

/* ---- --server -------------------------------------------------------- */

static void add_size(struct fl_buf *b, const char *key, size_t v)
{
	char n[32];

	snprintf(n, sizeof(n), "%zu", v);
	cli_url_add_param(b, key, n);
}

/* /api/search?... for the options in a. */
static int server_target(const struct search_args *a, struct fl_buf *b)
{
	const struct fl_search_opts *o = &a->o;

	fl_buf_adds(b, "/api/search");
	cli_url_add_param(b, "q", a->query);
	add_size(b, "limit", o->limit);
	add_size(b, "offset", o->offset);
	cli_url_add_param(b, "sort", fl_search_sort_name(o->sort));
	cli_url_add_param(b, "source", o->source);
	cli_url_add_param(b, "type", o->type);
	cli_url_add_param(b, "lang", o->lang);
	cli_url_add_param(b, "from", o->from);
	cli_url_add_param(b, "to", o->to);
	cli_url_add_param(b, "facets", a->facets);
	if (!o->snippets)
		cli_url_add_param(b, "snippets", "0");
	return b->rc;
}

/* Print the error object of a non-200 answer; the exit code. */
static int server_error(int status, json_t *j)
{
	json_t *e = json_object_get(j, "error");
	const char *msg = json_string_value(json_object_get(e, "message"));

	fprintf(stderr, "findling search: server answered %d: %s\n", status,
		msg ? msg : "(no message)");
	return status == 400 ? CLI_EXIT_USAGE : CLI_EXIT_PARTIAL;
}

/* GET body into a JSON value; NULL (message printed) on failure. */
static json_t *server_json(const struct cli_url *u, const char *target,
			   int *status)
{
	char err[512];
	struct fl_buf body;
	json_t *j = NULL;

	fl_buf_init(&body, CLI_HTTP_MAX_BODY);
	if (cli_http_get(u, target, status, &body, err, sizeof(err)))
		fprintf(stderr, "findling search: %s\n", err);
	else if (!(j = json_loadb(body.data, body.len, 0, NULL)))
		fprintf(stderr, "findling search: server sent no JSON "
			"(HTTP %d)\n", *status);
	fl_buf_release(&body);
	return j;
}

static int json_field(json_t *o, const char *key, char **out)
{
	const char *v = json_string_value(json_object_get(o, key));
	struct fl_err err = { 0 };

	return v ? fl_doc_set(out, v, strlen(v), &err) : FL_OK;
}

/* cli_doc_fn over GET /api/documents/ID (for --format kwic). */
static int server_doc(void *ctx, const char *ext_id, struct fl_doc *d)
{
	const struct cli_url *u = ctx;
	struct fl_buf t;
	json_t *j;
	int status = 0, rc = FL_ENOTFOUND;

	fl_doc_init(d);
	fl_buf_init(&t, CLI_QUERY_MAX * 4);
	fl_buf_adds(&t, "/api/documents/");
	cli_url_add_encoded(&t, ext_id);
	j = t.rc == FL_OK ? server_json(u, t.data, &status) : NULL;
	if (j && status == 200) {
		rc = json_field(j, "id", &d->ext_id);
		if (rc == FL_OK)
			rc = json_field(j, "body", &d->body);
		if (rc == FL_OK && (!d->ext_id || !d->body))
			rc = FL_ENOTFOUND;
	}
	if (rc != FL_OK)
		fl_doc_release(d);
	json_decref(j);
	fl_buf_release(&t);
	return rc;
}

/* KWIC over the daemon: texts fetched per hit, default lexicon. */
static int server_kwic(const struct cli_url *u, const struct fl_result *r)
{
	struct fl_lexicon *lex = NULL;
	struct fl_err err = { 0 };
	int rc;

	if (fl_lexicon_load(NULL, &lex, &err) != FL_OK) {
		fprintf(stderr, "findling search: %s\n", err.msg);
		return -1;
	}
	rc = cli_print_kwic_with(stdout, lex, server_doc, (void *)u, r);
	fl_lexicon_unref(lex);
	return rc;
}

/* Print a result the daemon sent. */
static int server_print(const struct search_args *a,
			const struct cli_url *u, json_t *j)
{
	struct fl_result *r = NULL;
	struct fl_err err = { 0 };
	int rc;

	if (a->format == CLI_FMT_JSON)
		return cli_print_json(stdout, json_incref(j)) ?
		       CLI_EXIT_PARTIAL : CLI_EXIT_OK;
	if (fl_json_parse_result(j, &r, &err) != FL_OK) {
		fprintf(stderr, "findling search: %s\n", err.msg);
		return CLI_EXIT_PARTIAL;
	}
	if (a->format == CLI_FMT_CSV)
		rc = cli_print_csv(stdout, r);
	else if (a->format == CLI_FMT_KWIC)
		rc = server_kwic(u, r);
	else
		rc = cli_print_text(stdout, r);
	fl_result_free(r);
	return rc ? CLI_EXIT_PARTIAL : CLI_EXIT_OK;
}

static int run_server(const struct search_args *a)
{
	char err[512];
	struct cli_url u;
	struct fl_buf target;
	json_t *j = NULL;
	int status = 0, rc = CLI_EXIT_PARTIAL;

	if (cli_url_parse(a->server, &u, err, sizeof(err))) {
		fprintf(stderr, "findling search: %s\n", err);
		return CLI_EXIT_USAGE;
	}
	fl_buf_init(&target, CLI_QUERY_MAX * 4);
	if (server_target(a, &target) != FL_OK)
		fprintf(stderr, "findling search: query too long\n");
	else
		j = server_json(&u, target.data, &status);
	if (j)
		rc = status == 200 ? server_print(a, &u, j)
				   : server_error(status, j);
	json_decref(j);
	fl_buf_release(&target);
	return rc;
}

static int print_result(struct search_args *a, struct cli_index *ix,
			const struct fl_result *r)
{
	switch (a->format) {
	case CLI_FMT_JSON: return cli_print_json(stdout, fl_json_result(r));
	case CLI_FMT_CSV: return cli_print_csv(stdout, r);
	case CLI_FMT_KWIC: return cli_print_kwic(stdout, ix, r);
	default: return cli_print_text(stdout, r);
	}
}

int cli_cmd_search(int argc, char **argv)
{
	struct search_args a;
	struct cli_index ix;
	struct fl_result *r = NULL;
	struct fl_err err = { 0 };
	int rc;

	if (parse_args(&a, argc, argv))
		return usage();
	if (a.server && a.bench)
		return usage();
	if (a.server)
		return run_server(&a);
	rc = cli_index_open(&ix, a.index, 1);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (a.bench) {
		rc = run_bench(&a, &ix);
		cli_index_close(&ix);
		return rc;
	}
	a.o.query = a.query;
	if (fl_search(ix.s, &a.o, &r, &err) != FL_OK) {
		fprintf(stderr, "findling search: %s\n", err.msg);
		cli_index_close(&ix);
		return err.code == FL_EINVAL ? CLI_EXIT_USAGE
					     : CLI_EXIT_PARTIAL;
	}
	rc = print_result(&a, &ix, r) ? CLI_EXIT_PARTIAL : CLI_EXIT_OK;
	fl_result_free(r);
	cli_index_close(&ix);
	return rc;
}

int cli_cmd_suggest(int argc, char **argv)
{
	struct fl_suggestions *sg = NULL;
	struct fl_err err = { 0 };
	struct search_args a;
	struct cli_index ix;
	size_t i;
	int rc;

	if (parse_args(&a, argc, argv) || a.bench)
		return usage();
	rc = cli_index_open(&ix, a.index, 0);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (fl_suggest(ix.st, a.query, strlen(a.query), a.o.limit, &sg,
		       &err) != FL_OK) {
		fprintf(stderr, "findling suggest: %s\n", err.msg);
		cli_index_close(&ix);
		return CLI_EXIT_PARTIAL;
	}
	if (a.format == CLI_FMT_JSON)
		cli_print_json(stdout, fl_json_suggestions(sg));
	for (i = 0; a.format != CLI_FMT_JSON && i < sg->n; i++)
		printf("%s\t%lld\n", sg->items[i].text,
		       (long long)sg->items[i].n);
	fl_suggestions_free(sg);
	cli_index_close(&ix);
	return CLI_EXIT_OK;
}
