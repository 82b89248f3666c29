/*
 * extract_markdown.c - Markdown files (.md): optional front matter between
 * `---` lines (title, date, source, url, type, lang; values may be quoted),
 * title else the first `#` heading, body with the Markdown markup removed
 * (headings, emphasis, code fences, links/images keep their text, tables,
 * rules, HTML tags).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "fl_buf.h"
#include "fl_banned.h"

struct line {
	const char *p;  /* start of the line */
	size_t n;       /* bytes without the newline */
};

/* Next line at *pos of text (len bytes); 0 at the end. */
static int next_line(const char *text, size_t len, size_t *pos,
		     struct line *l)
{
	const char *e;

	if (*pos >= len)
		return 0;
	l->p = text + *pos;
	e = memchr(l->p, '\n', len - *pos);
	l->n = e ? (size_t)(e - l->p) : len - *pos;
	*pos += l->n + (e ? 1 : 0);
	if (l->n && l->p[l->n - 1] == '\r')
		l->n--;
	return 1;
}

static int line_is(const struct line *l, const char *s)
{
	return l->n == strlen(s) && !memcmp(l->p, s, l->n);
}

/* Field table of the front matter: key -> member of struct fl_doc. */
static char **fm_field(struct fl_doc *d, const char *k, size_t n)
{
	static const struct { const char *key; size_t off; } keys[] = {
		{ "title", offsetof(struct fl_doc, title) },
		{ "date", offsetof(struct fl_doc, date) },
		{ "source", offsetof(struct fl_doc, source) },
		{ "url", offsetof(struct fl_doc, url) },
		{ "type", offsetof(struct fl_doc, type) },
		{ "lang", offsetof(struct fl_doc, lang) },
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].key) == n && !memcmp(keys[i].key, k, n))
			return (char **)((char *)d + keys[i].off);
	return NULL;
}

static int fm_line(struct fl_doc *d, const struct line *l, struct fl_err *err)
{
	const char *colon = memchr(l->p, ':', l->n);
	const char *v;
	size_t vn;
	char **f;

	if (!colon)
		return FL_OK;
	f = fm_field(d, l->p, (size_t)(colon - l->p));
	if (!f)
		return FL_OK;
	v = colon + 1;
	vn = l->n - (size_t)(v - l->p);
	while (vn && (*v == ' ' || *v == '\t'))
		v++, vn--;
	while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
		vn--;
	if (vn >= 2 && (*v == '"' || *v == '\'') && v[vn - 1] == *v)
		v++, vn -= 2;
	return idx_set_trimmed(f, v, vn, IDX_MAX_TITLE * 4, err);
}

/* Parse front matter if text starts with it; *pos is after it. */
static int front_matter(const char *text, size_t len, size_t *pos,
			struct fl_doc *d, struct fl_err *err)
{
	struct line l;
	size_t p = 0;
	int rc = FL_OK;

	if (!next_line(text, len, &p, &l) || !line_is(&l, "---"))
		return FL_OK;
	while (rc == FL_OK && next_line(text, len, &p, &l)) {
		if (line_is(&l, "---") || line_is(&l, "...")) {
			*pos = p;
			return FL_OK;
		}
		rc = fm_line(d, &l, err);
	}
	return rc; /* no closing line: treat the whole file as front matter */
}

/* Copy inline text without emphasis marks, links reduced to their text. */
static void add_inline(struct fl_buf *b, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		char c = s[i];

		if (c == '*' || c == '`' || c == '~' ||
		    (c == '_' && (i == 0 || i + 1 == n || s[i - 1] == ' ' ||
				  s[i + 1] == ' '))) {
			i++;
		} else if (c == '!' && i + 1 < n && s[i + 1] == '[') {
			i++;
		} else if (c == ']' && i + 1 < n && s[i + 1] == '(') {
			const char *e = memchr(s + i, ')', n - i);

			i = e ? (size_t)(e - s) + 1 : i + 1;
		} else if (c == '[') {
			i++;
		} else if (c == '<' && i + 1 < n && (s[i + 1] == '/' ||
			   (s[i + 1] >= 'a' && s[i + 1] <= 'z'))) {
			const char *e = memchr(s + i, '>', n - i);

			if (e)
				i = (size_t)(e - s) + 1;
			else
				fl_buf_addc(b, s[i++]);
		} else {
			fl_buf_addc(b, s[i++]);
		}
	}
}

/* Skip the block markers at the start of a line: #, >, list bullets. */
static size_t block_prefix(const struct line *l, int *heading)
{
	size_t i = 0;

	*heading = 0;
	while (i < l->n && (l->p[i] == ' ' || l->p[i] == '>'))
		i++;
	if (i < l->n && l->p[i] == '#') {
		while (i < l->n && l->p[i] == '#')
			i++;
		*heading = 1;
	} else if (i + 1 < l->n && strchr("-*+", l->p[i]) &&
		   l->p[i + 1] == ' ') {
		i += 2;
	} else {
		size_t j = i;

		while (j < l->n && l->p[j] >= '0' && l->p[j] <= '9')
			j++;
		if (j > i && j + 1 < l->n && l->p[j] == '.' &&
		    l->p[j + 1] == ' ')
			i = j + 2;
	}
	while (i < l->n && l->p[i] == ' ')
		i++;
	return i;
}

/* A horizontal rule or table separator: only - = * _ | : and spaces. */
static int is_rule(const struct line *l)
{
	size_t i;

	if (l->n < 3)
		return 0;
	for (i = 0; i < l->n; i++)
		if (!strchr("-=*_|: ", l->p[i]))
			return 0;
	return 1;
}

static void md_line(struct fl_buf *b, struct fl_buf *h1, const struct line *l)
{
	int heading;
	size_t i = block_prefix(l, &heading);
	size_t j;

	if (heading && h1->len == 0 && l->n > 1 && l->p[0] == '#' &&
	    l->p[1] == ' ')
		add_inline(h1, l->p + i, l->n - i);
	for (j = i; j < l->n; j++) /* table cells become words */
		if (l->p[j] == '|')
			break;
	if (j == l->n) {
		add_inline(b, l->p + i, l->n - i);
	} else {
		size_t k = i;

		for (j = i; j <= l->n; j++) {
			if (j == l->n || l->p[j] == '|') {
				add_inline(b, l->p + k, j - k);
				fl_buf_addc(b, ' ');
				k = j + 1;
			}
		}
	}
	fl_buf_addc(b, '\n');
}

static int md_body(const char *text, size_t len, size_t pos,
		   struct fl_doc *d, struct fl_err *err)
{
	struct fl_buf b;
	struct fl_buf h1;
	struct line l;
	int rc;

	fl_buf_init(&b, FL_DOC_MAX_BYTES);
	fl_buf_init(&h1, IDX_MAX_TITLE * 4);
	while (next_line(text, len, &pos, &l)) {
		if ((l.n >= 3 && (!memcmp(l.p, "```", 3) ||
				  !memcmp(l.p, "~~~", 3))) || is_rule(&l))
			continue; /* fences and rules carry no text */
		md_line(&b, &h1, &l);
	}
	rc = b.rc;
	if (rc == FL_OK && (!d->title || !*d->title) && h1.len)
		rc = idx_set_trimmed(&d->title, h1.data, h1.len,
				     IDX_MAX_TITLE, err);
	if (rc == FL_OK) {
		free(d->body);
		d->body = fl_buf_detach(&b, &d->body_len);
		if (!d->body)
			rc = FL_ENOMEM;
	}
	fl_buf_release(&b);
	fl_buf_release(&h1);
	if (rc != FL_OK)
		return fl_error(err, rc, "markdown: %s", fl_rc_str(rc));
	return FL_OK;
}

int idx_extract_markdown(const char *data, size_t len, struct fl_doc *doc,
			 struct fl_err *err)
{
	char *text = NULL;
	size_t n = 0;
	size_t pos = 0;
	int rc = idx_to_utf8(data, len, &text, &n, err);

	if (rc == FL_OK)
		rc = front_matter(text, n, &pos, doc, err);
	if (rc == FL_OK)
		rc = md_body(text, n, pos, doc, err);
	if (rc == FL_OK && (!doc->title || !*doc->title))
		rc = idx_title_from_text(doc, doc->body, err);
	free(text);
	return rc;
}
