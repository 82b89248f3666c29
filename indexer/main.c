/*
 * main.c - findling-index: options, opening the index, the run, summary
 * and exit codes (0 all went in, 1 some inputs skipped, 2 usage or index
 * error). A date not understood is warned about but is no skip: the
 * document goes in undated and the exit code does not change.
 *
 *   findling-index [--index PATH] [--prune] [--rebuild] [--batch N]
 *                  [--quiet] [--check] PATH...
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fl_doc.h"
#include "fl_store.h"
#include "ingest.h"
#include "fl_banned.h"

#define EXIT_ALL_IN 0
#define EXIT_SKIPPED 1
#define EXIT_USAGE 2

#define DEFAULT_INDEX "findling.db"
/* --batch accepts 1 .. this many documents. */
#define MAX_BATCH 1000000

struct opts {
	const char *index;   /* index file */
	int prune;
	int rebuild;
	int check;
	int quiet;
	size_t batch;        /* 0 = default */
};

static int usage(FILE *f)
{
	fprintf(f, "usage: findling-index [--index PATH] [--prune] "
		"[--rebuild] [--batch N] [--quiet] [--check] PATH...\n"
		"  PATH: files and directories (.txt .md .html .htm .pdf "
		".jsonl), - for JSON Lines on stdin\n"
		"  --index PATH  index file (default $FINDLING_INDEX or ./%s)\n"
		"  --prune       remove documents whose files are gone "
		"(under the given PATHs)\n"
		"  --rebuild     re-analyse all stored documents (after an "
		"analyzer change)\n"
		"  --batch N     documents per transaction (default %d)\n"
		"  --check       verify the index and exit\n"
		"  --quiet       no progress line and no summary (skipped "
		"inputs and dates\n"
		"                not understood are still reported)\n",
		DEFAULT_INDEX, IDX_BATCH_DOCS);
	return f == stdout ? EXIT_ALL_IN : EXIT_USAGE;
}

static int parse_size(const char *s, size_t max, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > max || *s == '-')
		return -1;
	*out = (size_t)v;
	return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "prune", no_argument, NULL, 'p' },
		{ "rebuild", no_argument, NULL, 'r' },
		{ "batch", required_argument, NULL, 'b' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "check", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->index = getenv("FINDLING_INDEX");
	if (!o->index || !*o->index)
		o->index = DEFAULT_INDEX;
	while ((c = getopt_long(argc, argv, "i:b:qh", longs, NULL)) != -1) {
		switch (c) {
		case 'i': o->index = optarg; break;
		case 'p': o->prune = 1; break;
		case 'r': o->rebuild = 1; break;
		case 'q': o->quiet = 1; break;
		case 'c': o->check = 1; break;
		case 'h': exit(usage(stdout));
		case 'b':
			if (parse_size(optarg, MAX_BATCH, &o->batch) == 0)
				break;
			fprintf(stderr, "findling-index: --batch: '%s' is not "
				"a number from 1 to %d\n", optarg, MAX_BATCH);
			return -1;
		default: return -1;
		}
	}
	return 0;
}

static int check(struct fl_store *st)
{
	struct fl_err err;
	int64_t docs = 0;
	int64_t gen = 0;

	fl_err_clear(&err);
	if (fl_store_check(st, &err) != FL_OK ||
	    fl_store_doc_count(st, &docs, &err) != FL_OK ||
	    fl_store_generation(st, &gen, &err) != FL_OK) {
		fprintf(stderr, "findling-index: check failed: %s\n", err.msg);
		return EXIT_USAGE;
	}
	printf("ok: %" PRId64 " documents, generation %" PRId64 "\n", docs,
	       gen);
	return EXIT_ALL_IN;
}

static void summary(const struct idx_ingest *in)
{
	const struct idx_counts *n = &in->n;
	double t = idx_ingest_elapsed(in);
	size_t docs = n->added + n->updated + n->unchanged;

	printf("added %zu, updated %zu, unchanged %zu, deleted %zu, "
	       "skipped %zu", n->added, n->updated, n->unchanged, n->deleted,
	       n->skipped);
	if (n->bad_dates)
		printf(", bad dates %zu (indexed undated)", n->bad_dates);
	if (n->files_fast)
		printf(" (%zu unchanged files not read)", n->files_fast);
	printf("\n%zu documents, %.1f MB in %.2f s: %.0f docs/s, %.2f MB/s\n",
	       docs, (double)n->bytes / 1e6, t, docs / (t + 1e-9),
	       (double)n->bytes / 1e6 / (t + 1e-9));
}

static int run(struct fl_store *st, const struct opts *o, int argc,
	       char **argv)
{
	struct idx_opts io = { o->batch, 0, o->prune, 0 };
	struct idx_ingest in;
	struct fl_err err;
	int rc = FL_OK;
	int i;

	io.progress = !o->quiet && isatty(STDERR_FILENO);
	fl_err_clear(&err);
	if (o->rebuild)
		rc = fl_store_rebuild(st, &err);
	if (rc == FL_OK && o->rebuild)
		rc = fl_store_refresh_freq(st, NULL, &err);
	idx_ingest_init(&in, st, &io);
	for (i = 0; rc == FL_OK && i < argc; i++)
		rc = idx_ingest_path(&in, argv[i], &err);
	if (rc == FL_OK)
		rc = idx_ingest_finish(&in, &err);
	idx_ingest_release(&in);
	if (rc != FL_OK) {
		fl_store_rollback(st);
		fprintf(stderr, "findling-index: %s\n", err.msg);
		return EXIT_USAGE;
	}
	if (!o->quiet)
		summary(&in);
	return in.n.skipped ? EXIT_SKIPPED : EXIT_ALL_IN;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct fl_store *st = NULL;
	struct fl_err err;
	unsigned flags;
	int code;

	if (parse_opts(argc, argv, &o) != 0)
		return usage(stderr);
	argc -= optind;
	argv += optind;
	if (!argc && !o.rebuild && !o.check)
		return usage(stderr);
	flags = o.check ? 0 : FL_STORE_CREATE | FL_STORE_BULK;
	if (o.rebuild)
		flags |= FL_STORE_ANY_ANALYZER;
	fl_err_clear(&err);
	if (fl_store_open(o.index, flags, NULL, &st, &err) != FL_OK) {
		fprintf(stderr, "findling-index: %s\n", err.msg);
		return EXIT_USAGE;
	}
	code = o.check ? check(st) : run(st, &o, argc, argv);
	fl_store_close(st);
	return code;
}
