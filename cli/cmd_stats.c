/*
 * cmd_stats.c - `findling stats [--index PATH] [--format text|json]`:
 * documents by type, source and year, vocabulary and index size, analyzer
 * and schema version.
 */
#include <stdio.h>

#include "cli.h"
#include "fl_json.h"
#include "output.h"
#include "fl_banned.h"

/* Sources listed in text output (the JSON has all). */
#define CLI_STATS_SOURCES 20

static void print_counts(const char *what, const struct fl_stat_count *c,
			 size_t n, size_t max)
{
	size_t i;

	printf("%s:\n", what);
	for (i = 0; i < n && i < max; i++)
		printf("  %-40s %lld\n", c[i].value, (long long)c[i].count);
	if (n > max)
		printf("  ... %zu more\n", n - max);
}

static void print_stats(const struct fl_stats *s)
{
	printf("documents:        %lld\n", (long long)s->documents);
	printf("vocabulary:       %lld terms\n", (long long)s->vocabulary);
	printf("index size:       %.1f MB\n", s->index_bytes / 1e6);
	printf("schema version:   %d\n", s->schema_version);
	printf("analyzer version: %s\n",
	       s->analyzer_version ? s->analyzer_version : "-");
	printf("created at:       %s\n", s->created_at ? s->created_at : "-");
	printf("generation:       %lld\n", (long long)s->generation);
	print_counts("types", s->types, s->ntypes, (size_t)-1);
	print_counts("years", s->years, s->nyears, (size_t)-1);
	print_counts("sources", s->sources, s->nsources, CLI_STATS_SOURCES);
}

int cli_cmd_stats(int argc, char **argv)
{
	const char *index;
	int format, rc;
	struct fl_err err = { 0 };
	struct fl_stats *s = NULL;
	struct cli_index ix;

	if (cli_parse_index_format(argc, argv, &index, &format) != argc)
		goto usage;
	rc = cli_index_open(&ix, index, 0);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (fl_stats_get(ix.st, &s, &err) != FL_OK) {
		fprintf(stderr, "findling stats: %s\n", err.msg);
		cli_index_close(&ix);
		return CLI_EXIT_PARTIAL;
	}
	if (format == CLI_FMT_JSON)
		cli_print_json(stdout, fl_json_stats(s));
	else
		print_stats(s);
	fl_stats_free(s);
	cli_index_close(&ix);
	return CLI_EXIT_OK;
usage:
	fprintf(stderr, "usage: findling stats [--index PATH] [--format "
		"text|json]\n");
	return CLI_EXIT_USAGE;
}
