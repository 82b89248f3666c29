/*
 * cmd_split.c - `findling analyze --split`: print word<TAB>piece+piece.
 * STUB until the decompounder lands.
 */
#include <stdio.h>

#include "cli.h"
#include "fl_banned.h"

int cli_cmd_split(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "findling analyze --split: not implemented yet\n");
	return CLI_EXIT_USAGE;
}
