/*
 * fl_buf.c - bounded growable byte buffer (see fl_buf.h).
 */
#include "fl_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fl_err.h"
#include "fl_banned.h"

static char empty_string[1];

void fl_buf_init(struct fl_buf *b, size_t max)
{
	b->data = empty_string;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->rc = FL_OK;
}

void fl_buf_release(struct fl_buf *b)
{
	if (!b)
		return;
	if (b->cap)
		free(b->data);
	fl_buf_init(b, b->max);
}

void fl_buf_reset(struct fl_buf *b)
{
	b->len = 0;
	b->data[0] = '\0';
	b->rc = FL_OK;
}

static int grow_to(struct fl_buf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 64;
	char *p;

	if (need > b->max)
		return b->rc = FL_ELIMIT;
	if (need < b->cap)
		return FL_OK;
	while (cap <= need)
		cap = cap > ((size_t)-1) / 2 ? need + 1 : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	p = b->cap ? realloc(b->data, cap) : malloc(cap);
	if (!p)
		return b->rc = FL_ENOMEM;
	if (!b->cap)
		p[0] = '\0';
	b->data = p;
	b->cap = cap;
	return FL_OK;
}

int fl_buf_add(struct fl_buf *b, const void *p, size_t len)
{
	if (b->rc != FL_OK)
		return b->rc;
	if (len > b->max - b->len)
		return b->rc = FL_ELIMIT;
	if (grow_to(b, b->len + len) != FL_OK)
		return b->rc;
	if (len)
		memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
	return FL_OK;
}

int fl_buf_adds(struct fl_buf *b, const char *s)
{
	return fl_buf_add(b, s, strlen(s));
}

int fl_buf_addc(struct fl_buf *b, char c)
{
	return fl_buf_add(b, &c, 1);
}

int fl_buf_vaddf(struct fl_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	if (b->rc != FL_OK)
		return b->rc;
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return b->rc = FL_EINVAL;
	if ((size_t)n > b->max - b->len)
		return b->rc = FL_ELIMIT;
	if (grow_to(b, b->len + (size_t)n) != FL_OK)
		return b->rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return FL_OK;
}

int fl_buf_addf(struct fl_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = fl_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int fl_buf_add_html(struct fl_buf *b, const char *p, size_t len)
{
	size_t i, run = 0;

	for (i = 0; i < len; i++) {
		const char *esc = NULL;

		switch (p[i]) {
		case '&': esc = "&amp;"; break;
		case '<': esc = "&lt;"; break;
		case '>': esc = "&gt;"; break;
		case '"': esc = "&quot;"; break;
		case '\'': esc = "&#39;"; break;
		default: continue;
		}
		fl_buf_add(b, p + run, i - run);
		fl_buf_adds(b, esc);
		run = i + 1;
	}
	return fl_buf_add(b, p + run, len - run);
}

void fl_buf_truncate(struct fl_buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->data[len] = '\0';
}

char *fl_buf_detach(struct fl_buf *b, size_t *len_out)
{
	char *p;

	if (b->cap) {
		p = b->data;
	} else {
		p = malloc(1);
		if (!p)
			return NULL;
		p[0] = '\0';
	}
	if (len_out)
		*len_out = b->len;
	fl_buf_init(b, b->max);
	return p;
}
