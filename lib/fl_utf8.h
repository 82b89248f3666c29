/*
 * fl_utf8.h - the UTF-8 helpers German analysis needs, on top of utf8proc:
 * code-point decoding that never fails (invalid bytes are reported as -1 so
 * the caller can skip them), the character classes of our word scanner, the
 * NFKC + case-fold normalisation and the umlaut digraph spelling. Used by
 * fl_analyze.c and fl_stem.c. Pure functions, no state.
 */
#ifndef FL_UTF8_H
#define FL_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "fl_buf.h"

/* What a code point is to the word scanner. */
enum fl_utf8_class {
	FL_UTF8_SEP = 0,  /* separates words (space, punctuation, NBSP, dash) */
	FL_UTF8_WORD,     /* letter or digit */
	FL_UTF8_MARK,     /* combining mark: continues a word, never starts one */
	FL_UTF8_HYPHEN,   /* - U+2010 U+2011: word-internal between word chars */
	FL_UTF8_IGNORE,   /* soft hyphen, ZWJ, ZWNJ, word joiner: removed */
	FL_UTF8_APOS,     /* ' U+2019 U+02BC: removed between word chars */
};

/*
 * Decode the code point at s (len > 0 bytes). Returns the bytes consumed
 * (1..4); *cp is the code point, or -1 for an invalid or truncated sequence
 * (then 1 byte is consumed, so the caller resynchronises on the next byte).
 */
size_t fl_utf8_next(const char *s, size_t len, int32_t *cp);

/* 1 when s[0..len) is valid UTF-8 throughout. */
int fl_utf8_valid(const char *s, size_t len);

/* Class of cp for the word scanner (-1 is FL_UTF8_SEP). */
enum fl_utf8_class fl_utf8_class(int32_t cp);

/* 1 when cp is a lower-case letter (Ll), 0 otherwise. */
int fl_utf8_is_lower(int32_t cp);

/* 1 when cp is an upper- or title-case letter (Lu, Lt). */
int fl_utf8_is_upper(int32_t cp);

/* 1 when cp is a digit or other number (Nd, Nl, No). */
int fl_utf8_is_digit(int32_t cp);

/*
 * Append s (valid UTF-8) to out as NFKC + full case folding with default
 * ignorables removed (ß -> ss, NFD ü -> ü, soft hyphen removed, ﬁ -> fi).
 * Umlauts are kept. ASCII input takes a fast path without utf8proc.
 * Returns FL_OK or the buffer's error code.
 */
int fl_utf8_fold(const char *s, size_t len, struct fl_buf *out);

/*
 * Append s (valid UTF-8) to out as NFKC with default ignorables removed and
 * each character lower-cased on its own: like fl_utf8_fold but ß stays ß
 * (the compound splitter needs Maßnahme, not Massnahme: mass+nahme).
 */
int fl_utf8_lower(const char *s, size_t len, struct fl_buf *out);

/*
 * Append s (already folded) to out with ä -> ae, ö -> oe, ü -> ue and
 * ß -> ss: the EXACT spelling of a word. Returns FL_OK or out's error.
 */
int fl_utf8_digraph(const char *s, size_t len, struct fl_buf *out);

/* Largest n <= len such that s[0..n) does not end inside a code point. */
size_t fl_utf8_cut(const char *s, size_t len);

#endif
