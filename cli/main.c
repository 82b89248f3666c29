/*
 * main.c - findling: the researchers' command line. Dispatches the first
 * argument through a subcommand table (git's commands[]).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fl_banned.h"

struct cli_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct cli_command commands[] = {
	{ "analyze", cli_cmd_analyze,
	  "analyze [--query|--prefix] TEXT | analyze --split [WORD...]" },
	{ "search", cli_cmd_search,
	  "search [--index PATH] [--format text|json|csv|kwic] [--limit N] "
	  "[--offset N] [--sort relevance|date] [--filter k=v]... "
	  "[--facets LIST] QUERY" },
	{ "suggest", cli_cmd_suggest,
	  "suggest [--index PATH] [--format json] [--limit N] PREFIX" },
	{ "get", cli_cmd_get, "get [--index PATH] [--format json] ID" },
	{ "stats", cli_cmd_stats, "stats [--index PATH] [--format json]" },
	{ "check", cli_cmd_check, "check [--index PATH] [--format json]" },
	{ "explain", cli_cmd_explain,
	  "explain [--index PATH] [--limit N] QUERY" },
};

static int usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: findling COMMAND [OPTIONS]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %s\n", commands[i].help);
	return f == stdout ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help"))
		return usage(stdout);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "findling: unknown command '%s'\n", argv[1]);
	return usage(stderr);
}
