/*
 * cmd_explain.c - `findling explain [--index PATH] [--limit N] QUERY...`:
 * how the query was read, the analysed tokens of each word, the mode, and
 * each term's bm25 contribution to each hit's score.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fl_analyze.h"
#include "output.h"
#include "fl_banned.h"

static int print_token(void *ctx, const struct fl_token *t)
{
	(void)ctx;
	printf(" %.*s%s", (int)t->len, t->text,
	       (t->flags & FL_TOKEN_STEM) ? "(stem)" : "(exact)");
	return 0;
}

static void print_terms(struct cli_index *ix, const struct fl_result *r)
{
	struct fl_err err = { 0 };
	struct fl_analyzer *an = NULL;
	size_t i;

	if (fl_analyzer_new(ix->lex, &an, &err) != FL_OK)
		return;
	printf("terms:\n");
	for (i = 0; i < r->nterms; i++) {
		printf("  [%zu] %s ->", i, r->terms[i]);
		fl_analyzer_run(an, r->terms[i], strlen(r->terms[i]),
				FL_ANALYZE_QUERY, print_token, NULL, &err);
		printf("\n");
	}
	fl_analyzer_free(an);
}

static void print_explain(struct cli_index *ix, const struct fl_result *r)
{
	size_t i, j;

	printf("query:       %s\ninterpreted: %s\nmode:        %s (%lld "
	       "documents)\n", r->query, r->interpreted,
	       fl_search_mode_name(r->mode), (long long)r->total);
	if (r->notes[0])
		printf("notes:       %s\n", r->notes);
	print_terms(ix, r);
	printf("ranking: score = (-bm25(title*4, body) + exact-form bonus) * "
	       "recency blend; any mode: terms matched first\n");
	for (i = 0; i < r->nhits; i++) {
		const struct fl_hit *h = &r->hits[i];

		printf("\n%zu. %s  [%s, %s]\n   score %.4f, %zu term(s) "
		       "matched\n", i + 1, h->title, h->ext_id,
		       h->date ? h->date : "-", h->score, h->nmatched);
		for (j = 0; h->term_scores && j < r->nterms; j++)
			printf("   %-40s %8.4f\n", r->terms[j],
			       h->term_scores[j]);
	}
}

int cli_cmd_explain(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "limit", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	const char *index = NULL;
	struct fl_search_opts o;
	struct fl_err err = { 0 };
	struct fl_result *r = NULL;
	struct cli_index ix;
	struct fl_buf q;
	int c, rc;

	fl_search_opts_init(&o);
	o.explain = 1;
	o.snippets = 0;
	o.limit = 5;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+i:l:", opts, NULL)) != -1) {
		if (c == 'i')
			index = optarg;
		else if (c == 'l' && sscanf(optarg, "%zu", &o.limit) == 1 &&
			 o.limit >= 1 && o.limit <= FL_SEARCH_MAX_LIMIT)
			continue;
		else
			goto usage;
	}
	if (optind >= argc)
		goto usage;
	fl_buf_init(&q, 4096);
	for (c = optind; c < argc; c++) {
		if (c > optind)
			fl_buf_addc(&q, ' ');
		fl_buf_adds(&q, argv[c]);
	}
	rc = cli_index_open(&ix, index, 1);
	if (rc != CLI_EXIT_OK) {
		fl_buf_release(&q);
		return rc;
	}
	o.query = q.data;
	rc = fl_search(ix.s, &o, &r, &err);
	if (rc == FL_OK)
		print_explain(&ix, r);
	else
		fprintf(stderr, "findling explain: %s\n", err.msg);
	fl_result_free(r);
	fl_buf_release(&q);
	cli_index_close(&ix);
	return rc == FL_OK ? CLI_EXIT_OK : CLI_EXIT_PARTIAL;
usage:
	fprintf(stderr, "usage: findling explain [--index PATH] [--limit N] "
		"QUERY...\n");
	return CLI_EXIT_USAGE;
}
