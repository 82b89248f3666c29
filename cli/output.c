/*
 * output.c - index opening and result writers (see output.h).
 */
#include "output.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fl_doc.h"
#include "fl_json.h"
#include "fl_query.h"
#include "fl_snippet.h"
#include "fl_banned.h"

/* Context each side of a KWIC keyword, in characters. */
#define KWIC_CONTEXT 40
/* KWIC lines per document at most. */
#define KWIC_PER_DOC 50
/* Width the left context is right-aligned to. */
#define KWIC_LEFT_WIDTH 45

const char *cli_index_path(const char *path)
{
	if (!path)
		path = getenv("FINDLING_INDEX");
	if (!path || !*path)
		path = CLI_DEFAULT_INDEX;
	if (access(path, R_OK) != 0) {
		fprintf(stderr, "findling: no index at '%s' (use --index PATH "
			"or set FINDLING_INDEX)\n", path);
		return NULL;
	}
	return path;
}

int cli_index_open(struct cli_index *ix, const char *path, int searcher)
{
	struct fl_err err = { 0 };
	int rc;

	memset(ix, 0, sizeof(*ix));
	path = cli_index_path(path);
	if (!path)
		return CLI_EXIT_USAGE;
	ix->path = path;
	rc = fl_store_lexicon_load(path, &ix->lex, &err);
	if (rc == FL_OK)
		rc = fl_store_open(path, FL_STORE_READONLY, ix->lex, &ix->st,
				   &err);
	if (rc == FL_OK && searcher)
		rc = fl_searcher_new(ix->st, ix->lex, &ix->s, &err);
	if (rc != FL_OK) {
		fprintf(stderr, "findling: cannot use index '%s': %s\n", path,
			err.msg);
		cli_index_close(ix);
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}

void cli_index_close(struct cli_index *ix)
{
	fl_searcher_free(ix->s);
	fl_store_close(ix->st);
	fl_lexicon_unref(ix->lex);
	ix->s = NULL;
	ix->st = NULL;
	ix->lex = NULL;
}

int cli_parse_format(const char *s)
{
	static const char *const names[] = { "text", "json", "csv", "kwic" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i]))
			return (int)i;
	return -1;
}

int cli_parse_index_format(int argc, char **argv, const char **index,
			   int *format)
{
	static const struct option opts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*index = NULL;
	*format = CLI_FMT_TEXT;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+i:F:", opts, NULL)) != -1) {
		if (c == 'i')
			*index = optarg;
		else if (c == 'F' && (*format = cli_parse_format(optarg)) >= 0)
			continue;
		else
			return -1;
	}
	return optind;
}

int cli_print_json(FILE *f, json_t *j)
{
	char *s = j ? fl_json_dump(j, isatty(fileno(f)) ? 2 : 0) : NULL;

	json_decref(j);
	if (!s)
		return -1;
	fprintf(f, "%s\n", s);
	free(s);
	return 0;
}

/* Byte offset of code point cp in s. */
static size_t cp_byte(const char *s, size_t cp)
{
	size_t i = 0;

	while (s[i] && cp) {
		i++;
		while (((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		cp--;
	}
	return i;
}

static void print_marked(FILE *f, const struct fl_hit *h, int tty)
{
	const char *t = h->snippet_text ? h->snippet_text : "";
	size_t prev = 0, i;

	for (i = 0; i < h->nmarks; i++) {
		size_t s = cp_byte(t, h->marks[i].start);
		size_t e = cp_byte(t, h->marks[i].end);

		fprintf(f, "%.*s%s%.*s%s", (int)(s - prev), t + prev,
			tty ? "\033[1;33m" : "[", (int)(e - s), t + s,
			tty ? "\033[0m" : "]");
		prev = e;
	}
	fprintf(f, "%s\n", t + prev);
}

static void print_suggestion(FILE *f, const struct fl_result *r)
{
	size_t i;

	if (!r->suggestion)
		return;
	fprintf(f, "did you mean: %s (%lld hits;", r->suggestion->text,
		(long long)r->suggestion->total);
	for (i = 0; i < r->suggestion->nchanges; i++)
		fprintf(f, " %s -> %s [%s]", r->suggestion->changes[i].from,
			r->suggestion->changes[i].to,
			r->suggestion->changes[i].why);
	fprintf(f, ")\n");
}

static void print_facets(FILE *f, const struct fl_result *r)
{
	size_t i, j;

	for (i = 0; i < r->nfacets; i++) {
		fprintf(f, "%s:", r->facets[i].name);
		for (j = 0; j < r->facets[i].n; j++)
			fprintf(f, " %s=%lld", r->facets[i].values[j].value,
				(long long)r->facets[i].values[j].count);
		fprintf(f, "\n");
	}
}

int cli_print_text(FILE *f, const struct fl_result *r)
{
	int tty = isatty(fileno(f));
	size_t i;

	fprintf(f, "%lld hits (%s) in %.2f ms for: %s\n",
		(long long)r->total, fl_search_mode_name(r->mode), r->took_ms,
		r->interpreted);
	print_suggestion(f, r);
	print_facets(f, r);
	for (i = 0; i < r->nhits; i++) {
		const struct fl_hit *h = &r->hits[i];

		fprintf(f, "\n%zu. %s%s%s\n", r->offset + i + 1,
			tty ? "\033[1m" : "", h->title, tty ? "\033[0m" : "");
		fprintf(f, "   %s | %s | %s | %s | score %.3f\n", h->ext_id,
			h->date ? h->date : "-", h->source ? h->source : "-",
			h->type, h->score);
		if (h->url)
			fprintf(f, "   %s\n", h->url);
		if (h->snippet_text) {
			fprintf(f, "   ");
			print_marked(f, h, tty);
		}
	}
	return 0;
}

static void csv_field(FILE *f, const char *s, int last)
{
	const char *p;

	s = s ? s : "";
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', f);
		for (p = s; *p; p++) {
			if (*p == '"')
				fputc('"', f);
			fputc(*p, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputs(last ? "\r\n" : ",", f);
}

int cli_print_csv(FILE *f, const struct fl_result *r)
{
	char score[32];
	size_t i;

	fputs("id,title,url,date,source,type,score,snippet\r\n", f);
	for (i = 0; i < r->nhits; i++) {
		const struct fl_hit *h = &r->hits[i];

		snprintf(score, sizeof(score), "%.4f", h->score);
		csv_field(f, h->ext_id, 0);
		csv_field(f, h->title, 0);
		csv_field(f, h->url, 0);
		csv_field(f, h->date, 0);
		csv_field(f, h->source, 0);
		csv_field(f, h->type, 0);
		csv_field(f, score, 0);
		csv_field(f, h->snippet_text, 1);
	}
	return 0;
}

/* ---- KWIC ----------------------------------------------------------- */

/* Print text[a, b) on one line: whitespace runs become one space. */
static size_t put_flat(FILE *f, const char *t, size_t a, size_t b)
{
	size_t i, chars = 0;
	int sp = 0;

	for (i = a; i < b; i++) {
		unsigned char c = (unsigned char)t[i];

		if (c <= ' ') {
			if (!sp)
				fputc(' ', f), chars++;
			sp = 1;
			continue;
		}
		sp = 0;
		fputc(c, f);
		chars += (c & 0xc0) != 0x80;
	}
	return chars;
}

static size_t flat_chars(const char *t, size_t a, size_t b)
{
	size_t i, chars = 0;
	int sp = 0;

	for (i = a; i < b; i++) {
		unsigned char c = (unsigned char)t[i];

		if (c <= ' ') {
			chars += !sp;
			sp = 1;
			continue;
		}
		sp = 0;
		chars += (c & 0xc0) != 0x80;
	}
	return chars;
}

static void kwic_doc(FILE *f, struct fl_analyzer *an,
		     const struct fl_snippet_query *sq, const struct fl_doc *d,
		     int tty)
{
	struct fl_err err = { 0 };
	struct fl_kwic *k = NULL;
	size_t n = 0, i, w;
	const char *t = d->body ? d->body : "";

	if (fl_snippet_kwic(an, sq, t, strlen(t), KWIC_CONTEXT, KWIC_PER_DOC,
			    &k, &n, &err) != FL_OK)
		return;
	for (i = 0; i < n; i++) {
		w = flat_chars(t, k[i].left, k[i].start);
		for (; w < KWIC_LEFT_WIDTH; w++)
			fputc(' ', f);
		put_flat(f, t, k[i].left, k[i].start);
		fputs(tty ? "\033[1;33m" : "", f);
		put_flat(f, t, k[i].start, k[i].end);
		fputs(tty ? "\033[0m" : "", f);
		w = put_flat(f, t, k[i].end, k[i].right);
		for (; w < KWIC_CONTEXT + 5; w++)
			fputc(' ', f);
		fprintf(f, "\t%s\n", d->ext_id);
	}
	free(k);
}

/* The quoted strings of the query's positive terms. */
static size_t query_words(const struct fl_query *q, char **w, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < q->nterms; i++) {
		const char *p = q->terms[i];

		while ((p = strchr(p, '"')) && n < max) {
			const char *e = ++p;
			char *o;
			size_t k = 0;

			while (*e && !(e[0] == '"' && e[1] != '"'))
				e += e[0] == '"' ? 2 : 1;
			o = malloc((size_t)(e - p) + 1);
			if (!o)
				return n;
			for (; p < e; p++) {
				o[k++] = *p;
				if (p[0] == '"')
					p++;
			}
			o[k] = '\0';
			w[n++] = o;
			p = *e ? e + 1 : e;
		}
	}
	return n;
}

int cli_print_kwic_with(FILE *f, struct fl_lexicon *lex, cli_doc_fn get,
			void *ctx, const struct fl_result *r)
{
	struct fl_err err = { 0 };
	struct fl_query_opts qo = { lex, NULL };
	struct fl_analyzer *an = NULL;
	struct fl_snippet_query *sq = NULL;
	struct fl_query *q = NULL;
	char *w[64];
	size_t nw = 0, i;
	int tty = isatty(fileno(f));

	if (fl_analyzer_new(lex, &an, &err) != FL_OK ||
	    fl_query_parse(r->query, strlen(r->query), &qo, &q, &err) != FL_OK)
		goto out;
	nw = query_words(q, w, 64);
	if (fl_snippet_query_new(an, (const char *const *)w, nw, &sq,
				 &err) != FL_OK)
		goto out;
	for (i = 0; i < r->nhits; i++) {
		struct fl_doc d;

		if (get(ctx, r->hits[i].ext_id, &d) != FL_OK)
			continue;
		kwic_doc(f, an, sq, &d, tty);
		fl_doc_release(&d);
	}
out:
	for (i = 0; i < nw; i++)
		free(w[i]);
	fl_snippet_query_free(sq);
	fl_query_free(q);
	fl_analyzer_free(an);
	return err.code ? -1 : 0;
}

static int index_doc(void *ctx, const char *ext_id, struct fl_doc *d)
{
	struct cli_index *ix = ctx;
	struct fl_err err = { 0 };

	return fl_doc_get(ix->st, ext_id, d, &err);
}

int cli_print_kwic(FILE *f, struct cli_index *ix, const struct fl_result *r)
{
	return cli_print_kwic_with(f, ix->lex, index_doc, ix, r);
}
