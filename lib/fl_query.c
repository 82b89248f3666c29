/*
 * fl_query.c - user query syntax -> AST -> safe FTS5 MATCH (see fl_query.h).
 *
 * Four stages, each in its own group of functions:
 *  1. clean:  bytes -> bounded UTF-8 text where every space, control
 *             character, NUL and invalid byte is one ASCII space and
 *             German quotes are '"'
 *  2. lex:    text -> tokens (words, phrases, parens, operators), with
 *             parentheses balanced and bounded in depth
 *  3. parse:  tokens -> AST of terms, AND and OR nodes with a negation flag;
 *             filters (source:, type:, lang:, date:) go straight into the
 *             result; junk is dropped with a note
 *  4. emit:   AST -> FTS5 MATCH text (every term quoted), the interpreted
 *             form, the top-level term list and the exclusions
 */
#include "fl_query.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "fl_decompound.h"
#include "fl_date.h"
#include "fl_banned.h"

/* Ceiling of every text built here. Input is cut at FL_QUERY_MAX_BYTES and
 * at most FL_QUERY_MAX_TERMS terms are kept, so real output stays far
 * below; the ceiling only guards against a bug. */
#define OUT_MAX (1024 * 1024)
/* Notes are for humans: keep them short. */
#define NOTES_MAX 2048

/* ---- stage 1: clean ------------------------------------------------- */

static int is_quote_cp(int32_t c)
{
	return c == '"' || c == 0x201E || c == 0x201C || c == 0x201D ||
	       c == 0x00AB || c == 0x00BB;
}

/* 1 for code points read as a space: Unicode spaces and separators,
 * control characters and invisible format characters that are not part of
 * words (soft hyphen and joiners are kept for the tokenizer). */
static int is_space_cp(int32_t c)
{
	utf8proc_category_t cat = utf8proc_category(c);

	if (c == 0x00AD || c == 0x200C || c == 0x200D)
		return 0;
	return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
	       cat == UTF8PROC_CATEGORY_ZP || cat == UTF8PROC_CATEGORY_CC ||
	       cat == UTF8PROC_CATEGORY_CF || cat == UTF8PROC_CATEGORY_CO ||
	       cat == UTF8PROC_CATEGORY_CS || cat == UTF8PROC_CATEGORY_CN;
}

/* Longest prefix of q not over FL_QUERY_MAX_BYTES that does not end inside
 * a UTF-8 sequence. */
static size_t cut_len(const char *q, size_t len)
{
	size_t n = len;

	if (n <= FL_QUERY_MAX_BYTES)
		return n;
	n = FL_QUERY_MAX_BYTES;
	while (n > 0 && ((unsigned char)q[n] & 0xC0) == 0x80)
		n--;
	return n;
}

static int clean(const char *q, size_t len, struct fl_buf *out)
{
	size_t i = 0;

	len = cut_len(q, len);
	while (i < len) {
		int32_t c;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)
						      q + i, (utf8proc_ssize_t)
						      (len - i), &c);
		if (n <= 0) {
			fl_buf_addc(out, ' ');
			i++;
			continue;
		}
		if (is_quote_cp(c))
			fl_buf_addc(out, '"');
		else if (is_space_cp(c))
			fl_buf_addc(out, ' ');
		else
			fl_buf_add(out, q + i, (size_t)n);
		i += (size_t)n;
	}
	return out->rc;
}

/* ---- helpers on cleaned text ---------------------------------------- */

static int cp_at(const char *s, size_t len, size_t i, int32_t *c)
{
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
					      (utf8proc_ssize_t)(len - i), c);
	return n > 0 ? (int)n : 1;
}

static int is_alnum_cp(int32_t c)
{
	utf8proc_category_t cat = utf8proc_category(c);

	return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
	       (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

/* Letters, digits and combining marks: what a word may start or end in. */
static int is_wordch_cp(int32_t c)
{
	utf8proc_category_t cat = utf8proc_category(c);

	return is_alnum_cp(c) || (cat >= UTF8PROC_CATEGORY_MN &&
				  cat <= UTF8PROC_CATEGORY_ME);
}

static int has_alnum(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		int32_t c;
		int n = cp_at(s, len, i, &c);

		if (is_alnum_cp(c))
			return 1;
		i += (size_t)n;
	}
	return 0;
}

/* Narrow [*s, *s + *len) to start and end with a word character. */
static void trim_word(const char **s, size_t *len)
{
	int32_t c;

	while (*len > 0) {
		int n = cp_at(*s, *len, 0, &c);

		if (is_wordch_cp(c))
			break;
		*s += n;
		*len -= (size_t)n;
	}
	while (*len > 0) {
		size_t i = *len - 1;

		while (i > 0 && ((unsigned char)(*s)[i] & 0xC0) == 0x80)
			i--;
		cp_at(*s, *len, i, &c);
		if (is_wordch_cp(c))
			break;
		*len = i;
	}
}

static size_t count_chars(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

/* NFKC + case fold, as fl_lexicon wants its words. Caller frees. */
static char *fold(const char *s, size_t len)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n;

	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
			 &out, UTF8PROC_STABLE | UTF8PROC_COMPOSE |
			 UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
			 UTF8PROC_IGNORE);
	if (n < 0)
		return NULL;
	return (char *)out;
}

static int ascii_ieq(const char *a, size_t alen, const char *b)
{
	size_t i;

	for (i = 0; i < alen && b[i]; i++) {
		char x = a[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return i == alen && b[i] == '\0';
}

int fl_query_quote(struct fl_buf *b, const char *text, size_t len)
{
	size_t i, run = 0;

	fl_buf_addc(b, '"');
	for (i = 0; i < len; i++) {
		if (text[i] != '"')
			continue;
		fl_buf_add(b, text + run, i + 1 - run);
		fl_buf_addc(b, '"');
		run = i + 1;
	}
	fl_buf_add(b, text + run, len - run);
	return fl_buf_addc(b, '"');
}

size_t fl_query_quoted_len(const char *p)
{
	size_t i = 1;

	if (*p != '"')
		return 0;
	while (p[i]) {
		if (p[i] == '"' && p[i + 1] == '"') {
			i += 2;
			continue;
		}
		if (p[i] == '"')
			return i + 1;
		i++;
	}
	return 0;
}

/* Append text with every run of spaces as one space (phrases). */
static void add_collapsed(struct fl_buf *b, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == ' ' && (i + 1 == len || s[i + 1] == ' '))
			continue;
		fl_buf_addc(b, s[i]);
	}
}

/* ---- stage 2: lex --------------------------------------------------- */

enum tok_type {
	T_EOF, T_WORD, T_PHRASE, T_LPAREN, T_RPAREN, T_OR, T_AND, T_NOT,
	T_JUNK,
};

enum field {
	F_NONE, F_TITLE, F_SOURCE, F_TYPE, F_LANG, F_DATE,
};

static const struct {
	const char *key;
	enum field field;
} field_keys[] = {
	{ "title", F_TITLE }, { "titel", F_TITLE },
	{ "source", F_SOURCE }, { "quelle", F_SOURCE },
	{ "type", F_TYPE }, { "typ", F_TYPE },
	{ "lang", F_LANG }, { "sprache", F_LANG },
	{ "date", F_DATE }, { "datum", F_DATE },
};

static const struct {
	const char *word;
	enum tok_type type;
} operators[] = {
	{ "OR", T_OR }, { "ODER", T_OR }, { "|", T_OR }, { "||", T_OR },
	{ "AND", T_AND }, { "UND", T_AND }, { "&", T_AND }, { "&&", T_AND },
	{ "NOT", T_NOT }, { "NICHT", T_NOT },
};

struct tok {
	enum tok_type type;
	size_t start;      /* byte offset of the token in the cleaned text */
	size_t off;        /* text: byte offset of the content */
	size_t len;        /* bytes of the content */
	size_t end;        /* byte offset just past the token */
	int neg;           /* written with a leading '-' */
	int prefix;        /* written with a trailing '*' */
	enum field field;  /* key: in front of it */
};

struct lexer {
	const char *s;
	size_t len;
	size_t pos;
};

static int is_break(char c)
{
	return c == ' ' || c == '"' || c == '(' || c == ')' || c == '|';
}

/* Read "key:" at pos when key is known; return the field, F_NONE else. */
static enum field lex_field(struct lexer *lx)
{
	size_t i = lx->pos, k;

	while (i < lx->len && ((lx->s[i] >= 'a' && lx->s[i] <= 'z') ||
			       (lx->s[i] >= 'A' && lx->s[i] <= 'Z')))
		i++;
	if (i == lx->pos || i >= lx->len || lx->s[i] != ':')
		return F_NONE;
	for (k = 0; k < sizeof(field_keys) / sizeof(field_keys[0]); k++) {
		if (ascii_ieq(lx->s + lx->pos, i - lx->pos,
			      field_keys[k].key)) {
			lx->pos = i + 1;
			return field_keys[k].field;
		}
	}
	return F_NONE;
}

static void lex_phrase(struct lexer *lx, struct tok *t)
{
	const char *end;

	t->type = T_PHRASE;
	t->off = ++lx->pos;
	end = memchr(lx->s + lx->pos, '"', lx->len - lx->pos);
	t->len = end ? (size_t)(end - (lx->s + lx->pos)) : lx->len - lx->pos;
	lx->pos += t->len + (end != NULL);
	while (t->len > 0 && lx->s[t->off] == ' ')
		t->off++, t->len--;
	while (t->len > 0 && lx->s[t->off + t->len - 1] == ' ')
		t->len--;
	if (lx->pos < lx->len && lx->s[lx->pos] == '*') {
		t->prefix = 1;
		while (lx->pos < lx->len && lx->s[lx->pos] == '*')
			lx->pos++;
	}
}

static enum tok_type word_operator(const char *s, size_t len)
{
	size_t k;

	for (k = 0; k < sizeof(operators) / sizeof(operators[0]); k++) {
		if (strlen(operators[k].word) == len &&
		    memcmp(operators[k].word, s, len) == 0)
			return operators[k].type;
	}
	return T_WORD;
}

static void lex_word(struct lexer *lx, struct tok *t)
{
	const char *w;
	size_t n;

	t->off = lx->pos;
	while (lx->pos < lx->len && !is_break(lx->s[lx->pos]))
		lx->pos++;
	t->len = lx->pos - t->off;
	t->type = T_WORD;
	if (!t->neg && t->field == F_NONE)
		t->type = word_operator(lx->s + t->off, t->len);
	if (t->type != T_WORD)
		return;
	while (t->len > 0 && lx->s[t->off + t->len - 1] == '*') {
		t->len--;
		t->prefix = 1;
	}
	if (t->field == F_DATE || t->field == F_SOURCE)
		return; /* values of these keep their punctuation */
	w = lx->s + t->off;
	n = t->len;
	trim_word(&w, &n);
	t->off = (size_t)(w - lx->s);
	t->len = n;
	if (!has_alnum(w, n))
		t->type = T_JUNK;
}

/* Read one token at the cursor. */
static void lex_next(struct lexer *lx, struct tok *t)
{
	memset(t, 0, sizeof(*t));
	while (lx->pos < lx->len && lx->s[lx->pos] == ' ')
		lx->pos++;
	t->start = lx->pos;
	if (lx->pos >= lx->len)
		return; /* T_EOF */
	while (lx->pos < lx->len && lx->s[lx->pos] == '-') {
		t->neg = 1;
		lx->pos++;
	}
	if (t->neg && (lx->pos >= lx->len || lx->s[lx->pos] == ' ' ||
		       lx->s[lx->pos] == ')' || lx->s[lx->pos] == '|')) {
		t->type = T_JUNK;
		return;
	}
	t->field = lex_field(lx);
	if (lx->pos >= lx->len || lx->s[lx->pos] == ' ') {
		t->type = T_JUNK;     /* "title:" with nothing after it */
		return;
	}
	switch (lx->s[lx->pos]) {
	case '"': lex_phrase(lx, t); break;
	case '(': t->type = T_LPAREN; lx->pos++; break;
	case ')': t->type = T_RPAREN; lx->pos++; break;
	case '|': t->type = T_OR; lx->pos++; break;
	default: lex_word(lx, t); break;
	}
	if (t->type == T_WORD && t->len == 0)
		t->type = T_JUNK;
}

/*
 * Lex all of s into *out. Parentheses past FL_QUERY_MAX_DEPTH and closing
 * ones without a partner become T_JUNK, so the parser sees a balanced
 * prefix (an unclosed group simply ends at T_EOF). Caller frees *out.
 */
static int lex_all(const char *s, size_t len, struct tok **out, size_t *n)
{
	struct lexer lx = { s, len, 0 };
	struct tok *v = calloc(len + 1, sizeof(*v));
	size_t depth = 0, dropped = 0, i = 0;

	*out = v;
	if (!v)
		return FL_ENOMEM;
	do {
		lex_next(&lx, &v[i]);
		v[i].end = lx.pos;
		if (v[i].type == T_LPAREN) {
			if (depth < FL_QUERY_MAX_DEPTH)
				depth++;
			else
				dropped++, v[i].type = T_JUNK;
		} else if (v[i].type == T_RPAREN) {
			if (dropped)
				dropped--, v[i].type = T_JUNK;
			else if (depth)
				depth--;
			else
				v[i].type = T_JUNK;
		}
	} while (v[i++].type != T_EOF && i <= len);
	*n = i;
	return FL_OK;
}

/* ---- stage 3: parse ------------------------------------------------- */

enum node_kind { N_TERM, N_AND, N_OR };

enum term_flags {
	TF_PHRASE = 1 << 0,   /* "..." */
	TF_PREFIX = 1 << 1,   /* trailing * */
	TF_TITLE = 1 << 2,    /* title: column filter */
};

struct node {
	enum node_kind kind;
	int neg;              /* excluded: '-', NOT, NICHT */
	unsigned flags;       /* enum term_flags, N_TERM only */
	const char *text;     /* N_TERM: borrowed from the cleaned text */
	size_t len;           /* bytes of text */
	struct node *kids;    /* N_AND/N_OR: first child */
	struct node *next;    /* next sibling */
	struct node *pool;    /* next node allocated, for freeing */
};

struct parser {
	const char *s;                 /* cleaned text */
	struct tok *t;                 /* tokens, ending with T_EOF */
	size_t i;                      /* current token */
	const struct fl_query_opts *o; /* never NULL */
	struct fl_query *q;            /* result being filled */
	struct node *pool;             /* every node, for freeing */
	size_t nterms;                 /* terms kept so far */
	int rc;                        /* FL_ENOMEM once an allocation failed */
	int noting;                    /* 1 while emitting match: collect the
					* exact forms */
	int no_expand;                 /* 1 under an exclusion: no compound
					* or joined alternatives, "-Wärmeschutz"
					* must not exclude every text with
					* "Wärme" and "Schutz" */
	struct fl_buf notes;           /* -> q->notes */
	struct fl_buf dates;           /* interpreted form of date: filters */
	char **exact;                  /* -> q->exact */
	size_t nexact;
};

static void note(struct parser *p, const char *what, const char *s,
		 size_t len, size_t col)
{
	if (p->notes.rc != FL_OK)
		return;
	fl_buf_addf(&p->notes, "ignored %s '", what);
	add_collapsed(&p->notes, s, len);
	fl_buf_addf(&p->notes, "' at column %zu\n", col + 1);
	if (p->notes.rc == FL_ELIMIT)
		p->notes.rc = FL_OK + 1; /* stop adding, not an error */
}

static struct node *node_new(struct parser *p, enum node_kind kind)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n) {
		p->rc = FL_ENOMEM;
		return NULL;
	}
	n->kind = kind;
	n->pool = p->pool;
	p->pool = n;
	return n;
}

static void pool_free(struct node *n)
{
	while (n) {
		struct node *next = n->pool;

		free(n);
		n = next;
	}
}

/* A list under construction: first and last child. */
struct list {
	struct node *head;
	struct node *tail;
};

static void list_add(struct list *l, struct node *n)
{
	if (!n)
		return;
	n->next = NULL;
	if (l->tail)
		l->tail->next = n;
	else
		l->head = n;
	l->tail = n;
}

static struct node *list_node(struct parser *p, enum node_kind kind,
			      struct list *l)
{
	struct node *n;

	if (!l->head)
		return NULL;
	n = node_new(p, kind);
	if (n)
		n->kids = l->head;
	return n;
}

static void set_title(struct node *n)
{
	for (; n; n = n->next) {
		if (n->kind == N_TERM)
			n->flags |= TF_TITLE;
		else
			set_title(n->kids);
	}
}

static int count_cb(void *ctx, const struct fl_token *tok)
{
	(void)tok;
	(*(size_t *)ctx)++;
	return 0;
}

/* 1 when some word of s is not a stopword of lex. */
static int lex_has_content(struct parser *p, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t j = i;
		int32_t c;
		char *f;
		int stop;

		while (j < len && is_wordch_cp((cp_at(s, len, j, &c), c)))
			j += (size_t)cp_at(s, len, j, &c);
		if (j == i) {
			i += (size_t)cp_at(s, len, i, &c);
			continue;
		}
		f = fold(s + i, j - i);
		if (!f)
			return 1;
		stop = fl_lexicon_is_stopword(p->o->lex, f, strlen(f));
		free(f);
		if (!stop)
			return 1;
		i = j;
	}
	return 0;
}

/* 1 when the term yields at least one token: an FTS5 phrase without
 * tokens matches nothing and would empty the whole AND. */
static int term_has_tokens(struct parser *p, const char *s, size_t len,
			   int prefix)
{
	struct fl_err e;
	size_t n = 0;
	int rc;

	if (p->o->an) {
		fl_err_clear(&e);
		rc = fl_analyzer_run(p->o->an, s, len, prefix ?
				     FL_ANALYZE_PREFIX : FL_ANALYZE_QUERY,
				     count_cb, &n, &e);
		if (rc == FL_ENOMEM)
			p->rc = FL_ENOMEM;
		return n > 0 || rc != FL_OK;
	}
	if (p->o->lex && !prefix)
		return lex_has_content(p, s, len);
	return 1;
}

/* Characters of the last word of a phrase (or of the word). */
static size_t last_word_chars(const char *s, size_t len)
{
	const char *sp = s + len;

	while (sp > s && sp[-1] != ' ')
		sp--;
	return count_chars(sp, len - (size_t)(sp - s));
}

/* -- date: filters -- */

struct ymd {
	int y, m, d;   /* d == 0: month precision; m == 0: year precision */
};

static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				      30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY; 1 when valid. */
static int parse_point(const char *s, size_t n, struct ymd *d)
{
	int ok;

	d->m = d->d = 0;
	if (n == 4)
		ok = fl_date_digits(s, 4, &d->y);
	else if (n == 7)
		ok = fl_date_digits(s, 4, &d->y) && s[4] == '-' &&
		     fl_date_digits(s + 5, 2, &d->m);
	else if (n == 10 && s[2] == '.')
		ok = fl_date_digits(s, 2, &d->d) &&
		     fl_date_digits(s + 3, 2, &d->m) && s[5] == '.' &&
		     fl_date_digits(s + 6, 4, &d->y);
	else if (n == 10)
		ok = fl_date_digits(s, 4, &d->y) && s[4] == '-' &&
		     fl_date_digits(s + 5, 2, &d->m) && s[7] == '-' &&
		     fl_date_digits(s + 8, 2, &d->d);
	else
		ok = 0;
	if (!ok || d->y < 1000 || d->y > 9999 || (n > 4 && (d->m < 1 ||
							   d->m > 12)))
		return 0;
	return n < 10 || (d->d >= 1 && d->d <= days_in_month(d->y, d->m));
}

static void fmt_date(char out[FL_QUERY_DATE_MAX], int y, int m, int d)
{
	int v[3] = { y, m, d }, w[3] = { 4, 2, 2 }, k, i, pos = 0;

	for (k = 0; k < 3; k++) {
		for (i = w[k] - 1; i >= 0; i--, v[k] /= 10)
			out[pos + i] = (char)('0' + v[k] % 10);
		pos += w[k];
		out[pos++] = k < 2 ? '-' : '\0';
	}
}

/* First day of the point. */
static void point_start(const struct ymd *d, char out[FL_QUERY_DATE_MAX])
{
	fmt_date(out, d->y, d->m ? d->m : 1, d->d ? d->d : 1);
}

/* First day after the point; "" (open) past year 9999. */
static void point_next(const struct ymd *d, char out[FL_QUERY_DATE_MAX])
{
	int y = d->y, m = d->m ? d->m : 12, day = d->d;

	if (day && day < days_in_month(y, m)) {
		fmt_date(out, y, m, day + 1);
		return;
	}
	if (m < 12 && (d->m || day)) {
		fmt_date(out, y, m + 1, 1);
		return;
	}
	if (y == 9999)
		out[0] = '\0';
	else
		fmt_date(out, y + 1, 1, 1);
}

static const char *find_dots(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		if (s[i] == '.' && s[i + 1] == '.')
			return s + i;
	}
	return NULL;
}

/* Read a date: value into [from, to) ("" = open); 1 when valid. */
static int parse_date(const char *s, size_t n, char *from, char *to)
{
	const char *dots = find_dots(s, n);
	struct ymd a;
	struct ymd b;

	from[0] = to[0] = '\0';
	if (n >= 2 && (s[0] == '>' || s[0] == '<') && s[1] == '=') {
		if (!parse_point(s + 2, n - 2, &a))
			return 0;
		if (s[0] == '>')
			point_start(&a, from);
		else
			point_next(&a, to);
		return 1;
	}
	if (n >= 1 && (s[0] == '>' || s[0] == '<')) {
		if (!parse_point(s + 1, n - 1, &a))
			return 0;
		if (s[0] == '>')
			point_next(&a, from);
		else
			point_start(&a, to);
		return from[0] || to[0];
	}
	if (!dots) {
		if (!parse_point(s, n, &a))
			return 0;
		point_start(&a, from);
		point_next(&a, to);
		return 1;
	}
	if (dots > s && !parse_point(s, (size_t)(dots - s), &a))
		return 0;
	if (dots + 2 < s + n && !parse_point(dots + 2, (size_t)(s + n - dots
							     - 2), &b))
		return 0;
	if (dots > s)
		point_start(&a, from);
	if (dots + 2 < s + n)
		point_next(&b, to);
	return (from[0] || to[0]) && (!from[0] || !to[0] ||
				      strcmp(from, to) < 0);
}

/* Intersect [from, to) into the query's date range. */
static void add_date_range(struct fl_query *q, const char *from,
			   const char *to)
{
	if (!q->has_date) {
		memcpy(q->date_from, from, FL_QUERY_DATE_MAX);
		memcpy(q->date_to, to, FL_QUERY_DATE_MAX);
		q->has_date = 1;
		return;
	}
	if (from[0] && strcmp(from, q->date_from) > 0)
		memcpy(q->date_from, from, FL_QUERY_DATE_MAX);
	if (to[0] && (!q->date_to[0] || strcmp(to, q->date_to) < 0))
		memcpy(q->date_to, to, FL_QUERY_DATE_MAX);
}

/* 1 when " date:<s>" is already in the interpreted dates. */
static int has_date_text(const struct fl_buf *dates, const char *s,
			 size_t len)
{
	const char *at = dates->data;

	while ((at = strstr(at, " date:")) != NULL) {
		at += 6;
		if (strncmp(at, s, len) == 0 && (at[len] == ' ' ||
						 at[len] == '\0'))
			return 1;
	}
	return 0;
}

static void filter_date(struct parser *p, const struct tok *t, int neg)
{
	const char *s = p->s + t->off;
	char from[FL_QUERY_DATE_MAX];
	char to[FL_QUERY_DATE_MAX];

	if (neg) {
		note(p, "excluded date", s, t->len, t->start);
		return;
	}
	if (!parse_date(s, t->len, from, to)) {
		note(p, "invalid date", s, t->len, t->start);
		return;
	}
	add_date_range(p->q, from, to);
	if (!has_date_text(&p->dates, s, t->len)) {
		fl_buf_adds(&p->dates, " date:");
		fl_buf_add(&p->dates, s, t->len);
	}
}

/* -- source:, type:, lang: filters -- */

static struct fl_query_values *filter_list(struct fl_query *q,
					   enum field f, int neg)
{
	switch (f) {
	case F_SOURCE: return neg ? &q->not_sources : &q->sources;
	case F_TYPE: return neg ? &q->not_types : &q->types;
	default: return neg ? &q->not_langs : &q->langs;
	}
}

static int values_add(struct fl_query_values *v, const char *s, size_t n,
		      int lower)
{
	char **grown;
	char *copy;
	size_t i;

	for (i = 0; i < v->n; i++) {
		if (strlen(v->v[i]) == n && memcmp(v->v[i], s, n) == 0)
			return FL_OK;
	}
	grown = realloc(v->v, (v->n + 1) * sizeof(*grown));
	if (!grown)
		return FL_ENOMEM;
	v->v = grown;
	copy = malloc(n + 1);
	if (!copy)
		return FL_ENOMEM;
	for (i = 0; i < n; i++) {
		char c = s[i];

		copy[i] = lower && c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a')
						       : c;
	}
	copy[n] = '\0';
	v->v[v->n++] = copy;
	return FL_OK;
}

static void filter_value(struct parser *p, const struct tok *t, int neg)
{
	struct fl_query_values *v = filter_list(p->q, t->field, neg);
	const char *s = p->s + t->off;
	size_t n = t->len;

	if (t->field != F_SOURCE)
		trim_word(&s, &n);
	if (!has_alnum(s, n) || n > FL_QUERY_MAX_FILTER_VALUE ||
	    (memchr(s, ' ', n) && t->field != F_SOURCE)) {
		note(p, "invalid filter value", s, n, t->start);
		return;
	}
	if (v->n >= FL_QUERY_MAX_FILTER_VALUES) {
		note(p, "filter value over the limit", s, n, t->start);
		return;
	}
	if (values_add(v, s, n, t->field != F_SOURCE) != FL_OK)
		p->rc = FL_ENOMEM;
}

/* 1 when a plain word would not read back as itself: an operator, or
 * text that starts like a known field ("date:x" typed as ":date:x"). */
static int needs_quotes(const char *s, size_t len)
{
	struct lexer lx = { s, len, 0 };

	return word_operator(s, len) != T_WORD || lex_field(&lx) != F_NONE;
}

/* -- the grammar --
 *   or   := and (OR and)*
 *   and  := item ((AND)? item)*
 *   item := (NOT | '-')* (term | '(' or ')')
 * Stray operators, junk and unmatched parentheses are skipped. */

static struct node *parse_or(struct parser *p, int neg_ctx);

static struct node *parse_term(struct parser *p, const struct tok *t,
			       int neg, int neg_ctx)
{
	const char *s = p->s + t->off;
	struct node *n;
	int prefix = t->prefix;

	if (t->field == F_DATE) {
		filter_date(p, t, neg ^ neg_ctx);
		return NULL;
	}
	if (t->field == F_SOURCE || t->field == F_TYPE || t->field == F_LANG) {
		filter_value(p, t, neg ^ neg_ctx);
		return NULL;
	}
	if (!has_alnum(s, t->len)) {
		note(p, "empty phrase", s, t->len, t->start);
		return NULL;
	}
	if (p->nterms >= FL_QUERY_MAX_TERMS) {
		note(p, "term over the limit", s, t->len, t->start);
		return NULL;
	}
	if (prefix && last_word_chars(s, t->len) < FL_QUERY_MIN_PREFIX)
		prefix = 0;
	if (!term_has_tokens(p, s, t->len, prefix)) {
		note(p, "stopword", s, t->len, t->start);
		return NULL;
	}
	n = node_new(p, N_TERM);
	if (!n)
		return NULL;
	p->nterms++;
	n->neg = neg;
	n->text = s;
	n->len = t->len;
	/* a word that reads as an operator or field is kept as a phrase,
	 * so that the interpreted form reads back the same */
	n->flags = (t->type == T_PHRASE || needs_quotes(s, t->len) ?
		    TF_PHRASE : 0) |
		   (prefix ? TF_PREFIX : 0) |
		   (t->field == F_TITLE ? TF_TITLE : 0);
	return n;
}

static struct node *parse_group(struct parser *p, const struct tok *t,
				int neg, int neg_ctx)
{
	struct node *n = parse_or(p, neg ^ neg_ctx);

	if (p->t[p->i].type == T_RPAREN)
		p->i++;
	if (!n)
		return NULL;
	if (t->field == F_TITLE)
		set_title(n);
	else if (t->field != F_NONE)
		note(p, "field before '('", p->s + t->start, 1, t->start);
	n->neg = neg;
	return n;
}

static struct node *parse_and(struct parser *p, int neg_ctx)
{
	struct list l = { NULL, NULL };
	int pend = 0;

	for (;;) {
		const struct tok *t = &p->t[p->i];

		if (t->type == T_EOF || t->type == T_OR ||
		    t->type == T_RPAREN || p->rc != FL_OK)
			break;
		p->i++;
		if (t->type == T_NOT)
			pend ^= 1;
		else if (t->type == T_WORD || t->type == T_PHRASE)
			list_add(&l, parse_term(p, t, t->neg ^ pend, neg_ctx));
		else if (t->type == T_LPAREN)
			list_add(&l, parse_group(p, t, t->neg ^ pend,
						 neg_ctx));
		else if (t->type == T_JUNK)
			note(p, "junk", p->s + t->start, t->end - t->start,
			     t->start);
		if (t->type != T_NOT && t->type != T_AND)
			pend = 0;
	}
	return list_node(p, N_AND, &l);
}

static struct node *parse_or(struct parser *p, int neg_ctx)
{
	struct list l = { NULL, NULL };

	for (;;) {
		list_add(&l, parse_and(p, neg_ctx));
		if (p->t[p->i].type != T_OR || p->rc != FL_OK)
			break;
		p->i++;
	}
	return list_node(p, N_OR, &l);
}

/* -- clean-up of the tree --
 * Empty groups vanish, one-child groups become the child (negations
 * cancel), nested groups of the same kind merge, and what FTS5 cannot say
 * is dropped with a note: an exclusion as an OR alternative ("a OR -b"
 * would need "all documents") and a group of exclusions that is itself
 * excluded. */

static void print_node(struct fl_buf *b, const struct node *n, int parent,
		       size_t depth);

/* An AND of exclusions only: has no positive part. */
static int pure_negative(const struct node *n)
{
	const struct node *k;

	if (n->kind != N_AND)
		return 0;
	for (k = n->kids; k; k = k->next) {
		if (!k->neg)
			return 0;
	}
	return 1;
}

static void note_node(struct parser *p, const char *what,
		      const struct node *n)
{
	struct fl_buf b;

	fl_buf_init(&b, NOTES_MAX);
	print_node(&b, n, -1, 0);
	if (b.rc == FL_OK)
		note(p, what, b.data, b.len, (size_t)(n->text ? n->text - p->s
							       : 0));
	fl_buf_release(&b);
}

static int droppable(struct parser *p, const struct node *parent,
		     const struct node *k)
{
	if (parent->kind == N_OR && (k->neg || pure_negative(k))) {
		note_node(p, "exclusion inside OR", k);
		return 1;
	}
	if (parent->kind == N_AND && k->neg && pure_negative(k)) {
		note_node(p, "excluded exclusions", k);
		return 1;
	}
	return 0;
}

static struct node *prune(struct parser *p, struct node *n);

/* Prune n's children into l, merging same-kind children. */
static size_t prune_kids(struct parser *p, struct node *n, struct list *l)
{
	struct node *k = n->kids, *next;
	size_t count = 0;

	for (; k; k = next) {
		struct node *c = prune(p, k), *g, *gnext;

		next = k->next;
		if (!c)
			continue;
		if (c->neg || c->kind != n->kind) {
			list_add(l, c);
			count++;
			continue;
		}
		for (g = c->kids; g; g = gnext) {
			gnext = g->next;
			list_add(l, g);
			count++;
		}
	}
	return count;
}

static struct node *prune(struct parser *p, struct node *n)
{
	struct list l = { NULL, NULL };
	struct list keep = { NULL, NULL };
	struct node *k, *next;
	size_t count;

	if (n->kind == N_TERM)
		return n;
	count = prune_kids(p, n, &l);
	if (count >= 2) {
		count = 0;
		for (k = l.head; k; k = next) {
			next = k->next;
			if (!droppable(p, n, k)) {
				list_add(&keep, k);
				count++;
			}
		}
		l = keep;
	}
	if (count == 0)
		return NULL;
	if (count == 1) {
		l.head->neg ^= n->neg;
		return l.head;
	}
	n->kids = l.head;
	return n;
}

/* ---- interpreted form ------------------------------------------------ */

static void print_term(struct fl_buf *b, const struct node *n)
{
	if (n->flags & TF_TITLE)
		fl_buf_adds(b, "title:");
	if (n->flags & TF_PHRASE) {
		fl_buf_addc(b, '"');
		add_collapsed(b, n->text, n->len);
		fl_buf_addc(b, '"');
	} else {
		fl_buf_add(b, n->text, n->len);
	}
	if (n->flags & TF_PREFIX)
		fl_buf_addc(b, '*');
}

/* Parentheses the syntax needs: OR inside AND, and negated groups. */
static int paren_needed(const struct node *n, int parent)
{
	return n->kind != N_TERM && (n->neg || (parent == N_AND &&
						n->kind == N_OR));
}

/* Deepest nesting of needed parentheses in n. */
static size_t need_depth(const struct node *n, int parent)
{
	const struct node *k;
	size_t d = 0;

	for (k = n->kids; k; k = k->next) {
		size_t kd = need_depth(k, (int)n->kind);

		d = kd > d ? kd : d;
	}
	return d + (size_t)paren_needed(n, parent);
}

/*
 * parent: the kind of the parent node, -1 at the top; depth: parentheses
 * open around n. An AND inside OR also gets parentheses it does not need,
 * to show the precedence the query was read with, as long as that keeps
 * the form within FL_QUERY_MAX_DEPTH (so it reads back the same).
 */
static void print_node(struct fl_buf *b, const struct node *n, int parent,
		       size_t depth)
{
	const struct node *k;
	int paren;

	if (n->neg)
		fl_buf_addc(b, '-');
	if (n->kind == N_TERM) {
		print_term(b, n);
		return;
	}
	paren = paren_needed(n, parent) ||
		(parent == N_OR && depth + need_depth(n, parent) <
				   FL_QUERY_MAX_DEPTH);
	if (paren)
		fl_buf_addc(b, '(');
	for (k = n->kids; k; k = k->next) {
		if (k != n->kids)
			fl_buf_adds(b, n->kind == N_OR ? " OR " : " ");
		print_node(b, k, (int)n->kind, depth + (size_t)paren);
	}
	if (paren)
		fl_buf_addc(b, ')');
}

static void print_values(struct fl_buf *b, const char *key,
			 const struct fl_query_values *v, int neg)
{
	size_t i, j;

	for (i = 0; i < v->n; i++) {
		const char *s = v->v[i];
		int quote = 0;

		for (j = 0; s[j]; j++)
			quote |= is_break(s[j]);
		fl_buf_adds(b, b->len ? " " : "");
		fl_buf_addf(b, "%s%s:%s%s%s", neg ? "-" : "", key,
			    quote ? "\"" : "", s, quote ? "\"" : "");
	}
}

static void print_filters(struct parser *p, struct fl_buf *b)
{
	const struct fl_query *q = p->q;

	print_values(b, "source", &q->sources, 0);
	print_values(b, "source", &q->not_sources, 1);
	print_values(b, "type", &q->types, 0);
	print_values(b, "type", &q->not_types, 1);
	print_values(b, "lang", &q->langs, 0);
	print_values(b, "lang", &q->not_langs, 1);
	if (p->dates.len)
		fl_buf_add(b, p->dates.data + (b->len == 0),
			   p->dates.len - (b->len == 0));
}

/* ---- stage 4: emit FTS5 --------------------------------------------- */

static int add_exact(struct parser *p, const char *s, size_t len)
{
	struct fl_buf b;
	char **grown;

	if (!p->noting)
		return FL_OK;
	grown = realloc(p->exact, (p->nexact + 1) * sizeof(*grown));
	if (!grown)
		return p->rc = FL_ENOMEM;
	p->exact = grown;
	fl_buf_init(&b, OUT_MAX);
	fl_query_quote(&b, s, len);
	if (b.rc != FL_OK || !(p->exact[p->nexact] = fl_buf_detach(&b, NULL)))
		p->rc = FL_ENOMEM;
	else
		p->nexact++;
	fl_buf_release(&b);
	return p->rc;
}

static void emit_column(struct fl_buf *b, const struct node *n)
{
	if (n->flags & TF_TITLE)
		fl_buf_adds(b, FL_QUERY_TITLE_COLUMN " : ");
}

/* ("wärmeschutz" OR ("wärme" AND "schutz")) when the splitter splits the
 * word; 0 when it does not (nothing written). */
static int emit_compound(struct parser *p, const struct node *n,
			 struct fl_buf *b)
{
	struct fl_split_part parts[FL_SPLIT_MAX_PARTS];
	size_t k, np;
	char *f;

	if (!p->o->lex || p->no_expand ||
	    (n->flags & (TF_PHRASE | TF_PREFIX)))
		return 0;
	f = fold(n->text, n->len);
	if (!f)
		return 0;
	np = strlen(f) <= FL_SPLIT_MAX_WORD ?
	     fl_decompound_split(p->o->lex, f, strlen(f), parts,
				 FL_SPLIT_MAX_PARTS) : 1;
	free(f);
	for (k = 0; k < np && np > 1; k++) {
		if (parts[k].lemma[0] == '\0')
			np = 1;
	}
	if (np < 2)
		return 0;
	fl_buf_addc(b, '(');
	fl_query_quote(b, n->text, n->len);
	fl_buf_adds(b, " OR (");
	for (k = 0; k < np; k++) {
		fl_buf_adds(b, k ? " AND " : "");
		fl_query_quote(b, parts[k].lemma, strlen(parts[k].lemma));
	}
	fl_buf_adds(b, "))");
	add_exact(p, n->text, n->len);
	return 1;
}

static void emit_term(struct parser *p, const struct node *n,
		      struct fl_buf *b)
{
	struct fl_buf tmp;

	emit_column(b, n);
	if (emit_compound(p, n, b))
		return;
	if (!(n->flags & TF_PHRASE)) {
		fl_query_quote(b, n->text, n->len);
	} else {
		fl_buf_init(&tmp, OUT_MAX);
		add_collapsed(&tmp, n->text, n->len);
		fl_query_quote(b, tmp.data, tmp.len);
		if (tmp.rc != FL_OK)
			b->rc = tmp.rc;
		fl_buf_release(&tmp);
	}
	if (n->flags & TF_PREFIX)
		fl_buf_addc(b, '*');
}

static int all_letters(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		int32_t c;
		int k = cp_at(s, len, i, &c);
		utf8proc_category_t cat = utf8proc_category(c);

		if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_LO)
			return 0;
		i += (size_t)k;
	}
	return len > 0;
}

static int known_word(const struct fl_lexicon *lex, const char *w, size_t n)
{
	return fl_lexicon_is_word(lex, w, n) ||
	       fl_lexicon_freq(lex, w, n) >= FL_QUERY_JOIN_MIN_FREQ;
}

/* Joined form of two adjacent plain words when it is a known word
 * ("wärme" "schutz" -> "wärmeschutz", with a linking s if needed);
 * NULL when not. Caller frees. */
static char *join_words(struct parser *p, const struct node *a,
			const struct node *b)
{
	const unsigned plain = TF_PHRASE | TF_PREFIX;
	char *fa = NULL, *fb = NULL, *j = NULL;
	size_t la, lb;

	if (!p->o->lex || p->no_expand || a->kind != N_TERM ||
	    b->kind != N_TERM || a->neg || b->neg ||
	    ((a->flags | b->flags) & plain) ||
	    (a->flags & TF_TITLE) != (b->flags & TF_TITLE) ||
	    !all_letters(a->text, a->len) || !all_letters(b->text, b->len))
		return NULL;
	fa = fold(a->text, a->len);
	fb = fold(b->text, b->len);
	la = fa ? strlen(fa) : 0;
	lb = fb ? strlen(fb) : 0;
	if (!fa || !fb || la + lb + 1 > FL_SPLIT_MAX_WORD)
		goto out;
	j = malloc(la + lb + 2);
	if (!j)
		goto out;
	memcpy(j, fa, la);
	memcpy(j + la, fb, lb + 1);
	if (known_word(p->o->lex, j, la + lb))
		goto out;
	j[la] = 's';
	memcpy(j + la + 1, fb, lb + 1);
	if (known_word(p->o->lex, j, la + lb + 1))
		goto out;
	free(j);
	j = NULL;
out:
	free(fa);
	free(fb);
	return j;
}

/* The children of an AND: positives (with join partners) and exclusions. */
struct units {
	const struct node **pos; /* positive children */
	char **joined;           /* joined[i]: pos[i] joins pos[i + 1] */
	size_t npos;
	const struct node **neg; /* excluded children */
	size_t nneg;
};

static void units_release(struct units *u)
{
	size_t i;

	for (i = 0; u->joined && i < u->npos; i++)
		free(u->joined[i]);
	free(u->pos);
	free(u->joined);
	free(u->neg);
	memset(u, 0, sizeof(*u));
}

static int units_init(struct parser *p, const struct node *n, struct units *u)
{
	const struct node *k;
	size_t count = 0, i;

	memset(u, 0, sizeof(*u));
	for (k = n->kids; k; k = k->next)
		count++;
	u->pos = calloc(count, sizeof(*u->pos));
	u->joined = calloc(count, sizeof(*u->joined));
	u->neg = calloc(count, sizeof(*u->neg));
	if (!u->pos || !u->joined || !u->neg)
		return p->rc = FL_ENOMEM;
	for (k = n->kids; k; k = k->next) {
		if (k->neg)
			u->neg[u->nneg++] = k;
		else
			u->pos[u->npos++] = k;
	}
	for (i = 0; i + 1 < u->npos; i++) {
		u->joined[i] = join_words(p, u->pos[i], u->pos[i + 1]);
		if (u->joined[i])
			i++; /* a word joins with one neighbour at most */
	}
	return FL_OK;
}

static void emit(struct parser *p, const struct node *n, struct fl_buf *b);

/* One positive unit: pos[i], or the pair pos[i], pos[i + 1] with its
 * joined form. Returns how many children it used. */
static size_t emit_unit(struct parser *p, const struct units *u, size_t i,
			struct fl_buf *b)
{
	if (!u->joined[i]) {
		emit(p, u->pos[i], b);
		return 1;
	}
	fl_buf_adds(b, "((");
	emit(p, u->pos[i], b);
	fl_buf_adds(b, " AND ");
	emit(p, u->pos[i + 1], b);
	fl_buf_adds(b, ") OR ");
	emit_column(b, u->pos[i]);
	fl_query_quote(b, u->joined[i], strlen(u->joined[i]));
	fl_buf_addc(b, ')');
	add_exact(p, u->joined[i], strlen(u->joined[i]));
	return 2;
}

static void emit_positive(struct parser *p, const struct units *u,
			  struct fl_buf *b)
{
	size_t i = 0, units = 0;
	size_t mark = b->len;

	fl_buf_addc(b, '(');
	while (i < u->npos) {
		fl_buf_adds(b, units++ ? " AND " : "");
		i += emit_unit(p, u, i, b);
	}
	fl_buf_addc(b, ')');
	if (units == 1 && b->rc == FL_OK) { /* drop the parentheses */
		memmove(b->data + mark, b->data + mark + 1, b->len - mark - 2);
		fl_buf_truncate(b, b->len - 2);
	}
}

static void emit_negative(struct parser *p, const struct units *u,
			  struct fl_buf *b)
{
	int saved = p->no_expand;
	size_t i;

	p->no_expand = 1;
	if (u->nneg > 1)
		fl_buf_addc(b, '(');
	for (i = 0; i < u->nneg; i++) {
		fl_buf_adds(b, i ? " OR " : "");
		emit(p, u->neg[i], b);
	}
	if (u->nneg > 1)
		fl_buf_addc(b, ')');
	p->no_expand = saved;
}

static void emit_and(struct parser *p, const struct node *n,
		     struct fl_buf *b)
{
	struct units u;

	if (units_init(p, n, &u) == FL_OK) {
		fl_buf_adds(b, u.nneg ? "(" : "");
		emit_positive(p, &u, b);
		if (u.nneg) {
			fl_buf_adds(b, " NOT ");
			emit_negative(p, &u, b);
			fl_buf_addc(b, ')');
		}
	}
	units_release(&u);
}

/* n as FTS5, ignoring n->neg; n must have a positive part. */
static void emit(struct parser *p, const struct node *n, struct fl_buf *b)
{
	const struct node *k;

	if (n->kind == N_TERM) {
		emit_term(p, n, b);
	} else if (n->kind == N_AND) {
		emit_and(p, n, b);
	} else {
		fl_buf_addc(b, '(');
		for (k = n->kids; k; k = k->next) {
			fl_buf_adds(b, k != n->kids ? " OR " : "");
			emit(p, k, b);
		}
		fl_buf_addc(b, ')');
	}
}

/* ---- assembly ------------------------------------------------------- */

/* Detach b into *dst; an error of b becomes the parser's. */
static void take(struct parser *p, struct fl_buf *b, char **dst)
{
	if (b->rc != FL_OK) {
		p->rc = b->rc == FL_ENOMEM ? FL_ENOMEM : FL_ELIMIT;
	} else {
		*dst = fl_buf_detach(b, NULL);
		if (!*dst)
			p->rc = FL_ENOMEM;
	}
	fl_buf_release(b);
}

static void emit_to(struct parser *p, const struct node *n, char **dst)
{
	struct fl_buf b;

	fl_buf_init(&b, OUT_MAX);
	emit(p, n, &b);
	take(p, &b, dst);
}

/* match_any: (t1 OR t2 ...), then NOT exclude. */
static void finish_any(struct parser *p, struct fl_query *q)
{
	struct fl_buf b;
	size_t i;

	if (!q->nterms)
		return;
	fl_buf_init(&b, OUT_MAX);
	fl_buf_adds(&b, q->exclude ? "(" : "");
	fl_buf_adds(&b, q->nterms > 1 ? "(" : "");
	for (i = 0; i < q->nterms; i++) {
		fl_buf_adds(&b, i ? " OR " : "");
		fl_buf_adds(&b, q->terms[i]);
	}
	fl_buf_adds(&b, q->nterms > 1 ? ")" : "");
	if (q->exclude)
		fl_buf_addf(&b, " NOT %s)", q->exclude);
	take(p, &b, &q->match_any);
}

/* One entry of q->terms for positive child i; a joined pair counts for
 * each of its two words: ("wärme" OR "wärmeschutz"). */
static void term_entry(struct parser *p, const struct units *u, size_t i,
		       char **dst)
{
	const char *j = u->joined[i] ? u->joined[i] :
			i > 0 ? u->joined[i - 1] : NULL;
	struct fl_buf b;

	fl_buf_init(&b, OUT_MAX);
	fl_buf_adds(&b, j ? "(" : "");
	emit(p, u->pos[i], &b);
	if (j) {
		fl_buf_adds(&b, " OR ");
		emit_column(&b, u->pos[i]);
		fl_query_quote(&b, j, strlen(j));
		fl_buf_addc(&b, ')');
	}
	take(p, &b, dst);
}

static void finish_and(struct parser *p, const struct node *root)
{
	struct fl_query *q = p->q;
	struct units u;
	struct fl_buf b;
	size_t i;

	if (units_init(p, root, &u) != FL_OK)
		goto out;
	if (u.nneg) {
		fl_buf_init(&b, OUT_MAX);
		emit_negative(p, &u, &b);
		take(p, &b, &q->exclude);
	}
	if (!u.npos)
		goto out;
	q->terms = calloc(u.npos, sizeof(*q->terms));
	if (!q->terms) {
		p->rc = FL_ENOMEM;
		goto out;
	}
	for (i = 0; i < u.npos && p->rc == FL_OK; i++)
		term_entry(p, &u, i, &q->terms[q->nterms++]);
out:
	units_release(&u);
}

static void finish(struct parser *p, const struct node *root)
{
	struct fl_query *q = p->q;

	if (!root)
		return;
	if (!root->neg) {
		p->noting = 1;
		if (!pure_negative(root))
			emit_to(p, root, &q->match);
		p->noting = 0;
	}
	if (root->neg && pure_negative(root)) {
		note_node(p, "excluded exclusions", root);
	} else if (root->neg) {
		p->no_expand = 1;
		emit_to(p, root, &q->exclude);
	} else if (root->kind == N_AND) {
		finish_and(p, root);
	} else if (q->match) {
		q->terms = calloc(1, sizeof(*q->terms));
		if (!q->terms)
			p->rc = FL_ENOMEM;
		else
			emit_to(p, root, &q->terms[q->nterms++]);
	}
	if (p->rc == FL_OK && q->match)
		finish_any(p, q);
}

static void interpret(struct parser *p, const struct node *root)
{
	struct fl_buf b;

	fl_buf_init(&b, OUT_MAX);
	if (root)
		print_node(&b, root, -1, 0);
	print_filters(p, &b);
	take(p, &b, &p->q->interpreted);
}

static void values_free(struct fl_query_values *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
}

void fl_query_free(struct fl_query *q)
{
	size_t i;

	if (!q)
		return;
	free(q->match);
	free(q->match_any);
	free(q->exclude);
	free(q->interpreted);
	free(q->notes);
	for (i = 0; i < q->nterms; i++)
		free(q->terms[i]);
	free(q->terms);
	for (i = 0; i < q->nexact; i++)
		free(q->exact[i]);
	free(q->exact);
	values_free(&q->sources);
	values_free(&q->types);
	values_free(&q->langs);
	values_free(&q->not_sources);
	values_free(&q->not_types);
	values_free(&q->not_langs);
	free(q);
}

static void parse_text(struct parser *p)
{
	struct node *root = NULL;

	if (p->rc == FL_OK)
		root = parse_or(p, 0);
	if (p->rc == FL_OK && root)
		root = prune(p, root);
	if (p->rc == FL_OK)
		finish(p, root);
	if (p->rc == FL_OK)
		interpret(p, root);
	if (p->notes.rc != FL_OK && p->notes.rc != FL_ENOMEM)
		p->notes.rc = FL_OK; /* only "stop adding": keep the notes */
	if (p->rc == FL_OK)
		take(p, &p->notes, &p->q->notes);
	if (!p->q)
		return;
	p->q->exact = p->exact;
	p->q->nexact = p->nexact;
}

int fl_query_parse(const char *q, size_t len, const struct fl_query_opts *o,
		   struct fl_query **out, struct fl_err *err)
{
	static const struct fl_query_opts no_opts = { NULL, NULL };
	struct parser p;
	struct fl_buf text;
	size_t ntok = 0;

	memset(&p, 0, sizeof(p));
	p.o = o ? o : &no_opts;
	fl_buf_init(&text, FL_QUERY_MAX_BYTES);
	fl_buf_init(&p.notes, NOTES_MAX);
	fl_buf_init(&p.dates, OUT_MAX);
	*out = NULL;
	p.q = calloc(1, sizeof(*p.q));
	p.rc = p.q ? clean(q ? q : "", q ? len : 0, &text) : FL_ENOMEM;
	if (p.rc == FL_OK)
		p.rc = lex_all(text.data, text.len, &p.t, &ntok);
	p.s = text.data;
	parse_text(&p);
	pool_free(p.pool);
	free(p.t);
	fl_buf_release(&text);
	fl_buf_release(&p.notes);
	fl_buf_release(&p.dates);
	if (p.rc != FL_OK) {
		fl_query_free(p.q);
		return fl_error(err, p.rc, "query: %s", fl_rc_str(p.rc));
	}
	*out = p.q;
	return FL_OK;
}
