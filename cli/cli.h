/*
 * cli.h - the findling command line: one function per subcommand, each
 * called with argv[0] = the subcommand name. Return the process exit code:
 * 0 success, 1 partial failure, 2 usage error or unusable index.
 */
#ifndef CLI_H
#define CLI_H

#define CLI_EXIT_OK 0
#define CLI_EXIT_PARTIAL 1
#define CLI_EXIT_USAGE 2

int cli_cmd_analyze(int argc, char **argv);
int cli_cmd_split(int argc, char **argv); /* `findling analyze --split` */
int cli_cmd_search(int argc, char **argv);
int cli_cmd_suggest(int argc, char **argv);
int cli_cmd_get(int argc, char **argv);
int cli_cmd_stats(int argc, char **argv);
int cli_cmd_explain(int argc, char **argv);
int cli_cmd_check(int argc, char **argv);

#endif
