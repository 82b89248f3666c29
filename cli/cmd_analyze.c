/*
 * cmd_analyze.c - `findling analyze [--query|--prefix] [--dict PATH] TEXT...`:
 * print the tokens the German analyzer makes of a text (from the arguments,
 * or stdin when there are none), one line per token, tab-separated:
 *
 *   position  token  colocated|-  flags  surface
 *
 * position counts from 0 and does not advance for colocated tokens; flags
 * are the channel names joined by '+' (exact, stem, part, joined, base);
 * surface is the original text between the token's start and end offsets.
 * The format is used by the golden tests (tests/golden/analyze): keep it
 * stable. `findling analyze --split` is cli_cmd_split (cmd_split.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fl_analyze.h"
#include "fl_buf.h"
#include "fl_lexicon.h"
#include "fl_banned.h"

/* Text read from stdin at most (a whole document is fine). */
#define CLI_ANALYZE_MAX_INPUT (64u << 20)

struct print_ctx {
	const char *text;   /* the analysed text, for the surface column */
	long pos;           /* position of the last token, -1 before the first */
};

static const struct {
	unsigned flag;
	const char *name;
} flag_names[] = {
	{ FL_TOKEN_EXACT, "exact" },
	{ FL_TOKEN_STEM, "stem" },
	{ FL_TOKEN_PART, "part" },
	{ FL_TOKEN_JOINED, "joined" },
	{ FL_TOKEN_BASE, "base" },
};

static void print_flags(unsigned flags)
{
	size_t i;
	int first = 1;

	for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
		if (!(flags & flag_names[i].flag))
			continue;
		printf("%s%s", first ? "" : "+", flag_names[i].name);
		first = 0;
	}
	if (first)
		printf("-");
}

static int print_token(void *ctx, const struct fl_token *t)
{
	struct print_ctx *pc = ctx;
	int colo = (t->flags & FL_TOKEN_COLOCATED) != 0;

	if (!colo)
		pc->pos++;
	printf("%ld\t%.*s\t%s\t", pc->pos, (int)t->len, t->text,
	       colo ? "colocated" : "-");
	print_flags(t->flags);
	printf("\t%.*s\n", (int)(t->end - t->start), pc->text + t->start);
	return 0;
}

static int read_stdin(struct fl_buf *b)
{
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		if (fl_buf_add(b, chunk, n) != FL_OK)
			return b->rc;
	return ferror(stdin) ? FL_EIO : FL_OK;
}

static int join_args(struct fl_buf *b, int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (i)
			fl_buf_addc(b, ' ');
		fl_buf_adds(b, argv[i]);
	}
	return b->rc;
}

struct analyze_opts {
	enum fl_analyze_mode mode;  /* --query, --prefix, else document */
	const char *dict;           /* --dict PATH, NULL: default */
	int first_text;             /* index of the first TEXT argument */
};

static int parse_opts(int argc, char **argv, struct analyze_opts *o)
{
	int i;

	o->mode = FL_ANALYZE_DOCUMENT;
	o->dict = NULL;
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (!strcmp(argv[i], "--query")) {
			o->mode = FL_ANALYZE_QUERY;
		} else if (!strcmp(argv[i], "--prefix")) {
			o->mode = FL_ANALYZE_PREFIX;
		} else if (!strcmp(argv[i], "--dict") && i + 1 < argc) {
			o->dict = argv[++i];
		} else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else {
			fprintf(stderr, "findling analyze: unknown option '%s'\n"
				"usage: findling analyze [--query|--prefix] "
				"[--dict PATH] [TEXT...]\n", argv[i]);
			return -1;
		}
	}
	o->first_text = i;
	return 0;
}

static int run_analyze(const struct analyze_opts *o, const struct fl_buf *in,
		       struct fl_err *err)
{
	struct fl_lexicon *lex = NULL;
	struct fl_analyzer *an = NULL;
	struct print_ctx pc = { in->data, -1 };
	int rc;

	rc = fl_lexicon_load(o->dict, &lex, err);
	if (rc == FL_OK)
		rc = fl_analyzer_new(lex, &an, err);
	if (rc == FL_OK)
		rc = fl_analyzer_run(an, in->data, in->len, o->mode,
				     print_token, &pc, err);
	fl_analyzer_free(an);
	fl_lexicon_unref(lex);
	return rc;
}

int cli_cmd_analyze(int argc, char **argv)
{
	struct analyze_opts o;
	struct fl_buf in;
	struct fl_err err;
	int rc;

	if (argc > 1 && !strcmp(argv[1], "--split"))
		return cli_cmd_split(argc - 1, argv + 1);
	if (parse_opts(argc, argv, &o) != 0)
		return CLI_EXIT_USAGE;
	fl_err_clear(&err);
	fl_buf_init(&in, CLI_ANALYZE_MAX_INPUT);
	if (o.first_text < argc)
		rc = join_args(&in, argc - o.first_text, argv + o.first_text);
	else
		rc = read_stdin(&in);
	if (rc != FL_OK) {
		fprintf(stderr, "findling analyze: cannot read the text: %s\n",
			fl_rc_str(rc));
		fl_buf_release(&in);
		return CLI_EXIT_USAGE;
	}
	rc = run_analyze(&o, &in, &err);
	fl_buf_release(&in);
	if (rc != FL_OK) {
		fprintf(stderr, "findling analyze: %s\n",
			err.msg[0] ? err.msg : fl_rc_str(rc));
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}
