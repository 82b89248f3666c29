/*
 * extract_text.c - plain text files (.txt) and the text helpers the other
 * extractors share: UTF-8 check with a Windows-1252 fallback (so Latin-1
 * files stay findable), titles from the first line, trimming.
 */
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "fl_banned.h"

/* Windows-1252 0x80..0x9F as Unicode (0 = undefined, mapped to U+FFFD). */
static const unsigned short cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* Length of the valid UTF-8 sequence at p (0 when invalid). */
static size_t utf8_seq(const unsigned char *p, size_t left)
{
	size_t n;
	size_t i;
	unsigned c = p[0];
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	if (left < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 ||
	    cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

static int valid_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n = utf8_seq(p + i, len - i);

		if (!n)
			return 0;
		i += n;
	}
	return 1;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	o[0] = (char)(0xE0 | (cp >> 12));
	o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[2] = (char)(0x80 | (cp & 0x3F));
	return 3;
}

static char *from_cp1252(const char *s, size_t len, size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	char *o = malloc(len * 3 + 1);
	size_t n = 0;
	size_t i;

	if (!o)
		return NULL;
	for (i = 0; i < len; i++) {
		unsigned cp = p[i];

		if (cp >= 0x80 && cp < 0xA0)
			cp = cp1252_high[cp - 0x80] ? cp1252_high[cp - 0x80] :
			     0xFFFD;
		n += put_utf8(o + n, cp);
	}
	o[n] = '\0';
	*outlen = n;
	return o;
}

int idx_to_utf8(const char *data, size_t len, char **out, size_t *outlen,
		struct fl_err *err)
{
	char *o;

	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
		data += 3;
		len -= 3;
	}
	if (valid_utf8(data, len)) {
		o = malloc(len + 1);
		if (o) {
			memcpy(o, data, len);
			o[len] = '\0';
			*outlen = len;
		}
	} else {
		o = from_cp1252(data, len, outlen);
	}
	*out = o;
	if (!o)
		return fl_error(err, FL_ENOMEM, "out of memory");
	return FL_OK;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

int idx_set_trimmed(char **field, const char *s, size_t n, size_t max,
		    struct fl_err *err)
{
	while (n && is_space(*s))
		s++, n--;
	while (n && is_space(s[n - 1]))
		n--;
	if (n > max) {
		n = max;
		while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--; /* do not cut a character in two */
	}
	return fl_doc_set(field, s, n, err);
}

int idx_title_from_text(struct fl_doc *doc, const char *text,
			struct fl_err *err)
{
	const char *p = text;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		size_t i;

		for (i = 0; i < n && is_space(p[i]); i++)
			;
		if (i < n)
			return idx_set_trimmed(&doc->title, p, n,
					       IDX_MAX_TITLE, err);
		if (!e)
			break;
		p = e + 1;
	}
	return fl_doc_set(&doc->title, "", 0, err);
}

int idx_extract_text(const char *data, size_t len, struct fl_doc *doc,
		     struct fl_err *err)
{
	int rc = idx_to_utf8(data, len, &doc->body, &doc->body_len, err);

	if (rc == FL_OK)
		rc = idx_title_from_text(doc, doc->body, err);
	return rc;
}
