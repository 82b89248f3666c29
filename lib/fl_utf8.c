/*
 * fl_utf8.c - UTF-8 decoding, character classes and normalisation for the
 * analyzer (see fl_utf8.h).
 */
#include "fl_utf8.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "fl_err.h"
#include "fl_banned.h"

/* Fold options: NFKC + full case folding, default ignorables removed. */
#define FOLD_OPTIONS (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | \
		      UTF8PROC_CASEFOLD | UTF8PROC_IGNORE)

size_t fl_utf8_next(const char *s, size_t len, int32_t *cp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t n;

	if ((unsigned char)s[0] < 0x80) {
		*cp = (unsigned char)s[0];
		return 1;
	}
	n = utf8proc_iterate((const utf8proc_uint8_t *)s,
			     (utf8proc_ssize_t)(len < 4 ? len : 4), &c);
	if (n <= 0 || c < 0) {
		*cp = -1;
		return 1;
	}
	*cp = c;
	return (size_t)n;
}

int fl_utf8_valid(const char *s, size_t len)
{
	size_t i = 0;
	int32_t cp;

	while (i < len) {
		i += fl_utf8_next(s + i, len - i, &cp);
		if (cp < 0)
			return 0;
	}
	return 1;
}

static enum fl_utf8_class special_class(int32_t cp)
{
	switch (cp) {
	case 0x2D: case 0x2010: case 0x2011:
		return FL_UTF8_HYPHEN;
	case 0xAD: case 0x200C: case 0x200D: case 0x2060:
		return FL_UTF8_IGNORE;
	case 0x27: case 0x2019: case 0x02BC:
		return FL_UTF8_APOS;
	}
	return FL_UTF8_SEP;
}

enum fl_utf8_class fl_utf8_class(int32_t cp)
{
	if (cp < 0)
		return FL_UTF8_SEP;
	if (cp < 0x80) {
		if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9'))
			return FL_UTF8_WORD;
		return special_class(cp);
	}
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return FL_UTF8_WORD;
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return FL_UTF8_MARK;
	default:
		return special_class(cp);
	}
}

int fl_utf8_is_lower(int32_t cp)
{
	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z';
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

int fl_utf8_is_upper(int32_t cp)
{
	utf8proc_category_t c;

	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z';
	c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

int fl_utf8_is_digit(int32_t cp)
{
	utf8proc_category_t c;

	if (cp < 0x80)
		return cp >= '0' && cp <= '9';
	c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_ND || c == UTF8PROC_CATEGORY_NL ||
	       c == UTF8PROC_CATEGORY_NO;
}

static int is_ascii(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

static int fold_ascii(const char *s, size_t len, struct fl_buf *out)
{
	size_t i, at = out->len;

	if (fl_buf_add(out, s, len) != FL_OK)
		return out->rc;
	for (i = at; i < out->len; i++)
		if (out->data[i] >= 'A' && out->data[i] <= 'Z')
			out->data[i] = (char)(out->data[i] - 'A' + 'a');
	return FL_OK;
}

int fl_utf8_fold(const char *s, size_t len, struct fl_buf *out)
{
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t n;
	int rc;

	if (is_ascii(s, len))
		return fold_ascii(s, len, out);
	if (len > (size_t)INT32_MAX)
		return fl_buf_add(out, s, len);	/* fails: over any max */
	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
			 &mapped, FOLD_OPTIONS);
	if (n < 0)	/* cannot happen for valid UTF-8: keep the bytes */
		return fl_buf_add(out, s, len);
	rc = fl_buf_add(out, mapped, (size_t)n);
	free(mapped);
	return rc;
}

/* NFKC without case folding, for fl_utf8_lower. */
#define LOWER_OPTIONS (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | \
		       UTF8PROC_IGNORE)

int fl_utf8_lower(const char *s, size_t len, struct fl_buf *out)
{
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_uint8_t enc[4];
	utf8proc_ssize_t n, i, k;
	utf8proc_int32_t cp;

	if (is_ascii(s, len) || len > (size_t)INT32_MAX)
		return fold_ascii(s, len, out);
	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
			 &mapped, LOWER_OPTIONS);
	if (n < 0)
		return fl_buf_add(out, s, len);
	for (i = 0; i < n; i += k) {
		k = utf8proc_iterate(mapped + i, n - i, &cp);
		if (k <= 0)
			break;
		fl_buf_add(out, enc, (size_t)utf8proc_encode_char(
					     utf8proc_tolower(cp), enc));
	}
	free(mapped);
	return out->rc;
}

/* Digraph for the two-byte UTF-8 sequences of ä ö ü ß, or NULL. */
static const char *digraph_of(unsigned char b0, unsigned char b1)
{
	if (b0 != 0xC3)
		return NULL;
	switch (b1) {
	case 0xA4: case 0x84: return "ae";	/* ä Ä */
	case 0xB6: case 0x96: return "oe";	/* ö Ö */
	case 0xBC: case 0x9C: return "ue";	/* ü Ü */
	case 0x9F: return "ss";			/* ß */
	}
	return NULL;
}

int fl_utf8_digraph(const char *s, size_t len, struct fl_buf *out)
{
	size_t i, run = 0;

	for (i = 0; i + 1 < len; i++) {
		const char *d = digraph_of((unsigned char)s[i],
					   (unsigned char)s[i + 1]);

		if (!d)
			continue;
		fl_buf_add(out, s + run, i - run);
		fl_buf_add(out, d, 2);
		run = i + 2;
		i++;
	}
	return fl_buf_add(out, s + run, len - run);
}

size_t fl_utf8_cut(const char *s, size_t len)
{
	size_t n = len;

	while (n > 0 && ((unsigned char)s[n - 1] & 0xC0) == 0x80)
		n--;	/* back over continuation bytes to a lead byte */
	if (n == 0)
		return 0;
	if ((unsigned char)s[n - 1] < 0x80)
		return len;
	/* s[n-1] is a lead byte: keep it only with all its continuations */
	{
		unsigned char lead = (unsigned char)s[n - 1];
		size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;

		return len - (n - 1) >= need ? len : n - 1;
	}
}
