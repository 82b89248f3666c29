/*
 * cmd_analyze.c - `findling analyze`: show the tokens the German analyzer
 * makes of a text. STUB until the analyzer lands.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fl_banned.h"

int cli_cmd_analyze(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--split"))
		return cli_cmd_split(argc - 1, argv + 1);
	fprintf(stderr, "findling analyze: not implemented yet\n");
	return CLI_EXIT_USAGE;
}
