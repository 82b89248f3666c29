/*
 * cmd_split.c - `findling analyze --split [--dict PATH] [--freq FILE]
 * [WORD...]`: print word<TAB>piece+piece for each word (from the arguments,
 * or stdin one a line), the pieces cut from the word as given.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fl_decompound.h"
#include "fl_lexicon.h"
#include "fl_banned.h"

struct split_opts {
	const char *dict;  /* --dict, NULL: default */
	const char *freq;  /* --freq word<TAB>count file */
	const char *index; /* --index: frequencies from an index */
	int first_word;    /* argv index of the first word, 0: stdin */
};

static int usage(void)
{
	fputs("usage: findling analyze --split [--dict PATH] [--freq FILE] "
	      "[--index PATH] [WORD...]\n", stderr);
	return CLI_EXIT_USAGE;
}

static int parse_opts(int argc, char **argv, struct split_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc; i++) {
		const char **dst = NULL;

		if (!strcmp(argv[i], "--dict"))
			dst = &o->dict;
		else if (!strcmp(argv[i], "--freq"))
			dst = &o->freq;
		else if (!strcmp(argv[i], "--index"))
			dst = &o->index;
		else if (!strcmp(argv[i], "--"))
			return i + 1 < argc ? (o->first_word = i + 1, 0) : 0;
		else if (argv[i][0] == '-' && argv[i][1] == '-')
			return -1;
		else
			return o->first_word = i, 0;
		if (++i >= argc)
			return -1;
		*dst = argv[i];
	}
	return 0;
}

/* Lower-case ASCII and Latin-1 letters, keeping every byte offset. */
static void lower_same_len(const char *in, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c >= 'A' && c <= 'Z')
			c += 32;
		else if (i > 0 && (unsigned char)in[i - 1] == 0xc3 &&
			 c >= 0x80 && c <= 0x9e && c != 0x97)
			c += 0x20;
		out[i] = (char)c;
	}
}

static void split_one(const struct fl_lexicon *lex, const char *w, size_t n)
{
	struct fl_split_part parts[FL_SPLIT_MAX_PARTS];
	char low[FL_SPLIT_MAX_WORD];
	size_t np = 1;
	size_t i;

	if (n <= FL_SPLIT_MAX_WORD) {
		lower_same_len(w, n, low);
		np = fl_decompound_split(lex, low, n, parts,
					 FL_SPLIT_MAX_PARTS);
	}
	fwrite(w, 1, n, stdout);
	putchar('\t');
	if (np <= 1) {
		fwrite(w, 1, n, stdout);
	} else {
		for (i = 0; i < np; i++) {
			if (i)
				putchar('+');
			fwrite(w + parts[i].start, 1, parts[i].len, stdout);
		}
	}
	putchar('\n');
}

static void split_stdin(const struct fl_lexicon *lex)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;

	while ((got = getline(&line, &cap, stdin)) > 0) {
		size_t n = (size_t)got;

		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (n)
			split_one(lex, line, n);
	}
	free(line);
}

static int load(const struct split_opts *o, struct fl_lexicon **lex)
{
	struct fl_err err = { 0 };
	int rc = fl_lexicon_load(o->dict, lex, &err);

	if (rc == FL_OK && o->freq)
		rc = fl_lexicon_add_freq_file(*lex, o->freq, &err);
	if (rc == FL_OK && o->index)
		rc = fl_lexicon_add_freq_index(*lex, o->index, &err);
	if (rc != FL_OK) {
		fprintf(stderr, "findling analyze --split: %s\n", err.msg);
		fl_lexicon_unref(*lex);
		*lex = NULL;
	}
	return rc;
}

int cli_cmd_split(int argc, char **argv)
{
	struct fl_lexicon *lex = NULL;
	struct split_opts o;
	int i;

	if (parse_opts(argc, argv, &o) != 0)
		return usage();
	if (load(&o, &lex) != FL_OK)
		return CLI_EXIT_USAGE;
	if (o.first_word == 0)
		split_stdin(lex);
	for (i = o.first_word; i > 0 && i < argc; i++)
		split_one(lex, argv[i], strlen(argv[i]));
	fl_lexicon_unref(lex);
	return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_PARTIAL;
}
