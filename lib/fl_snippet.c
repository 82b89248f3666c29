/*
 * fl_snippet.c - best passage + highlight ranges, and KWIC (see
 * fl_snippet.h). The query's words become a small hash set of analysed
 * token texts, each carrying the bit of the term it came from; the
 * document text is analysed in bounded chunks and every token found in the
 * set is a match. The passage is the window with the most distinct terms.
 */
#include "fl_snippet.h"
#include "fl_hash.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fl_utf8.h"
#include "fl_banned.h"

/* Hash slots for the query tokens: a power of two, twice the maximum. */
#define QSLOTS (2 * FL_SNIPPET_MAX_TOKENS)
/* Matches collected from a document before we stop looking. */
#define MAX_MATCHES 1024
/* Characters of context kept before the first match of the passage. */
#define LEAD_CHARS 40
/* Ceiling of a passage's text: 200 characters of at most 4 bytes + "…". */
#define PASSAGE_MAX (FL_SNIPPET_CHARS * 4 + 64)
/* Largest term bit: terms past 63 share it. */
#define MAX_TERM_BIT 63
/* Prefilter anchors: the first ANCHOR_CHARS bytes of a query token's
 * skeleton (see skeleton()); a shorter anchor matches too often, a longer
 * one could miss an inflection fix that rewrites the ending. */
#define ANCHOR_CHARS 4
/* Longest whitespace-separated word skeletonised; longer ones are simply
 * analysed. */
#define SKEL_MAX 256

struct qslot {
	char *text;      /* analysed token text, NULL = empty slot */
	size_t len;
	uint64_t bits;   /* terms this token belongs to */
};

struct anchor {
	char text[ANCHOR_CHARS];
	size_t len;
};

struct fl_snippet_query {
	struct qslot slot[QSLOTS];
	size_t n;        /* used slots */
	uint64_t all;    /* union of every term's bit */
	struct anchor anchor[FL_SNIPPET_MAX_TOKENS];
	size_t nanchors;
	int no_filter;   /* a token the skeleton cannot vouch for: analyse
			  * every word */
	unsigned char lead[256];     /* 1: some anchor is this one byte */
	unsigned char pair[65536 / 8]; /* bit set: some anchor starts with
					* these two bytes */
};

struct match {
	size_t start;    /* byte range in the text */
	size_t end;
	uint64_t bits;
};

struct scan {
	const struct fl_snippet_query *q;
	size_t base;     /* byte offset of the analysed chunk */
	struct match m[MAX_MATCHES];
	size_t n;
	uint64_t seen;   /* union of matched bits */
};

static void scan_init(struct scan *sc, const struct fl_snippet_query *q)
{
	sc->q = q;
	sc->base = 0;
	sc->n = 0;
	sc->seen = 0;
}

static uint32_t hash(const char *s, size_t n)
{
	return fl_hash(s, n, 0);
}

static struct qslot *qfind(const struct fl_snippet_query *q, const char *s,
			   size_t n)
{
	uint32_t i = hash(s, n) & (QSLOTS - 1);

	while (q->slot[i].text) {
		if (q->slot[i].len == n && !memcmp(q->slot[i].text, s, n))
			return (struct qslot *)&q->slot[i];
		i = (i + 1) & (QSLOTS - 1);
	}
	return (struct qslot *)&q->slot[i];
}

/* ---- the word prefilter -------------------------------------------- *
 *
 * Analysing a document word (decompounding) costs far more than looking at
 * its bytes, and almost no word of a passage matches. So a word is only
 * analysed when its skeleton contains the skeleton prefix (anchor) of some
 * query token. The skeleton lower-cases ASCII, writes ä ö ü ß as a o u ss,
 * drops every 'e' and every ASCII byte that is not a letter or digit.
 * Deleting letters keeps substrings substrings, so every token derived from
 * a word keeps its skeleton inside the word's skeleton: the exact form
 * (ä = ae), the folded stem (a prefix of the word, ae -> a), compound parts
 * (substrings; a restored linking e is dropped), gender bases. Words with
 * other non-ASCII bytes are always analysed. Not covered: a part the
 * splitter spells with letters the word lacks beyond an e (Zah|lungen
 * read as zahn + lungen); such words lose that highlight, which only a
 * wrong split produces.
 */

/* Skeleton of an ASCII byte: lower case letter or digit, 0 = dropped
 * (e, E, punctuation, controls), SKEL_SPACE = white space (ends a word). */
#define SKEL_SPACE '\1'
static const char skel_ascii[129] =
	"\0\0\0\0\0\0\0\0\0\1\1\1\1\1\0\0"
	"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
	"\1\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
	"0123456789\0\0\0\0\0\0"
	"\0abcd\0fghijklmno"
	"pqrstuvwxyz\0\0\0\0\0"
	"\0abcd\0fghijklmno"
	"pqrstuvwxyz\0\0\0\0\0";

/* Skeleton of s[0..n) into out (at most max bytes). Returns its length,
 * or (size_t)-1 when s has bytes the skeleton cannot vouch for or the
 * skeleton would be longer than max. */
static size_t skeleton(const char *s, size_t n, char *out, size_t max)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *rep = NULL;

		if (c >= 0x80) {
			if (c != 0xC3 || i + 1 >= n)
				return (size_t)-1;
			switch ((unsigned char)s[++i]) {
			case 0xA4: case 0x84: rep = "a"; break;
			case 0xB6: case 0x96: rep = "o"; break;
			case 0xBC: case 0x9C: rep = "u"; break;
			case 0x9F: rep = "ss"; break;
			default: return (size_t)-1;
			}
		} else if (c >= 'A' && c <= 'Z') {
			c = (unsigned char)(c - 'A' + 'a');
		}
		if (!rep && (c == 'e' || !((c >= 'a' && c <= 'z') ||
					   (c >= '0' && c <= '9'))))
			continue;
		for (; rep && *rep && k < max; rep++)
			out[k++] = *rep;
		if (rep && *rep)
			return (size_t)-1;
		if (!rep && k < max)
			out[k++] = (char)c;
		else if (!rep)
			return (size_t)-1;
	}
	return k;
}

static void anchor_add(struct fl_snippet_query *q, const char *t, size_t n)
{
	char sk[SKEL_MAX];
	size_t k = skeleton(t, n, sk, sizeof(sk)), i;

	if (k == (size_t)-1 || k == 0) {
		q->no_filter = 1;
		return;
	}
	k = k < ANCHOR_CHARS ? k : ANCHOR_CHARS;
	for (i = 0; i < q->nanchors; i++)
		if (q->anchor[i].len == k && !memcmp(q->anchor[i].text, sk, k))
			return;
	if (q->nanchors >= FL_SNIPPET_MAX_TOKENS) {
		q->no_filter = 1;
		return;
	}
	memcpy(q->anchor[q->nanchors].text, sk, k);
	q->anchor[q->nanchors++].len = k;
	if (k == 1) {
		q->lead[(unsigned char)sk[0]] = 1;
	} else {
		unsigned v = (unsigned char)sk[0] << 8 | (unsigned char)sk[1];

		q->pair[v >> 3] |= (unsigned char)(1u << (v & 7));
	}
}

/* 1 when needle[0..k) occurs in hay[0..n) (both short). */
static int contains(const char *hay, size_t n, const char *needle, size_t k)
{
	size_t i;

	for (i = 0; i + k <= n; i++)
		if (hay[i] == needle[0] && !memcmp(hay + i, needle, k))
			return 1;
	return 0;
}

/* 1 when the skeleton sk[0..k) holds an anchor. */
static int has_anchor(const struct fl_snippet_query *q, const char *sk,
		      size_t k)
{
	size_t i;

	/* most words have no anchor's first two bytes anywhere: two table
	 * lookups per byte, then the exact check only on a hit */
	for (i = 0; i < k; i++) {
		unsigned v;

		if (q->lead[(unsigned char)sk[i]])
			break;
		if (i + 1 == k)
			return 0;
		v = (unsigned char)sk[i] << 8 | (unsigned char)sk[i + 1];
		if (q->pair[v >> 3] & (1u << (v & 7)))
			break;
	}
	if (i == k)
		return 0;
	for (i = 0; i < q->nanchors; i++)
		if (k >= q->anchor[i].len &&
		    contains(sk, k, q->anchor[i].text, q->anchor[i].len))
			return 1;
	return 0;
}

struct qadd {
	struct fl_snippet_query *q;
	uint64_t bit;
};

static int qadd_cb(void *ctx, const struct fl_token *tok)
{
	struct qadd *a = ctx;
	struct qslot *s;

	if (tok->flags & FL_TOKEN_PART)
		return 0; /* a query word matches as a whole */
	s = qfind(a->q, tok->text, tok->len);
	if (!s->text) {
		if (a->q->n >= FL_SNIPPET_MAX_TOKENS)
			return 0;
		s->text = malloc(tok->len + 1);
		if (!s->text)
			return FL_ENOMEM;
		memcpy(s->text, tok->text, tok->len);
		s->text[tok->len] = '\0';
		s->len = tok->len;
		a->q->n++;
		anchor_add(a->q, tok->text, tok->len);
	}
	s->bits |= a->bit;
	a->q->all |= a->bit;
	return 0;
}

int fl_snippet_query_new(struct fl_analyzer *an, const char *const *words,
			 size_t nwords, struct fl_snippet_query **out,
			 struct fl_err *err)
{
	struct fl_snippet_query *q = calloc(1, sizeof(*q));
	struct qadd a;
	size_t i;
	int rc = FL_OK;

	*out = NULL;
	if (!q)
		return fl_error(err, FL_ENOMEM, "snippet: out of memory");
	a.q = q;
	for (i = 0; i < nwords && rc == FL_OK; i++) {
		a.bit = (uint64_t)1 << (i < MAX_TERM_BIT ? i : MAX_TERM_BIT);
		rc = fl_analyzer_run(an, words[i], strlen(words[i]),
				     FL_ANALYZE_QUERY, qadd_cb, &a, err);
	}
	if (rc != FL_OK) {
		fl_snippet_query_free(q);
		return fl_error(err, rc, "snippet: cannot analyse the query");
	}
	*out = q;
	return FL_OK;
}

void fl_snippet_query_free(struct fl_snippet_query *q)
{
	size_t i;

	if (!q)
		return;
	for (i = 0; i < QSLOTS; i++)
		free(q->slot[i].text);
	free(q);
}

size_t fl_snippet_query_size(const struct fl_snippet_query *q)
{
	return q ? q->n : 0;
}

/* ---- matching ------------------------------------------------------- */

static int scan_cb(void *ctx, const struct fl_token *tok)
{
	struct scan *sc = ctx;
	const struct qslot *s = qfind(sc->q, tok->text, tok->len);
	size_t start = sc->base + tok->start;
	size_t end = sc->base + tok->end;
	struct match *last;

	if (!s->text)
		return 0;
	sc->seen |= s->bits;
	last = sc->n ? &sc->m[sc->n - 1] : NULL;
	/* Colocated tokens of one word, or a part inside the last word. */
	if (last && start < last->end && end > last->start) {
		if (start < last->start)
			last->start = start;
		if (end > last->end)
			last->end = end;
		last->bits |= s->bits;
		return 0;
	}
	if (sc->n >= MAX_MATCHES)
		return 1; /* enough: stop the run */
	sc->m[sc->n].start = start;
	sc->m[sc->n].end = end;
	sc->m[sc->n].bits = s->bits;
	sc->n++;
	return 0;
}

static int is_space_cp(int32_t c)
{
	return c <= 0x20 || c == 0x7f || c == 0xa0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
	       c == 0x202f || c == 0x205f || c == 0x3000;
}

/* End of a chunk starting at pos: at most step bytes, cut after a space
 * (or at a code point boundary when a chunk has no space at all). */
static size_t chunk_end(const char *text, size_t len, size_t pos, size_t step)
{
	size_t end = pos + step;
	size_t i;

	if (end >= len)
		return len;
	for (i = end; i > pos; i--)
		if (text[i - 1] == ' ' || text[i - 1] == '\n' ||
		    text[i - 1] == '\t')
			return i;
	return pos + fl_utf8_cut(text + pos, step);
}

static int is_ascii_space(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' ||
	       c == '\f' || c == '\v';
}

/* Skeleton letters of the 2-byte UTF-8 character C3 x, NULL when the
 * skeleton cannot vouch for it. */
static const char *skel_c3(unsigned char x)
{
	switch (x) {
	case 0xA4: case 0x84: return "a";
	case 0xB6: case 0x96: return "o";
	case 0xBC: case 0x9C: return "u";
	case 0x9F: return "ss";
	}
	return NULL;
}

/* Scan the word at text[*pos..end) (up to white space) and build its
 * skeleton in sk on the way (one pass; see skeleton()). Returns 1 when the
 * word must be analysed. */
static int word_passes(const struct fl_snippet_query *q, const char *text,
		       size_t *pos, size_t end)
{
	char sk[SKEL_MAX];
	size_t i = *pos, k = 0;
	int vouch = !q->no_filter;

	while (i < end) {
		unsigned char c = (unsigned char)text[i];
		const char *rep;

		if (c < 0x80) {
			char o = skel_ascii[c];

			if (o == SKEL_SPACE)
				break;
			if (o && k < SKEL_MAX)
				sk[k++] = o;
			else if (o)
				vouch = 0;
			i++;
			continue;
		}
		rep = c == 0xC3 && i + 1 < end ?
		      skel_c3((unsigned char)text[i + 1]) : NULL;
		for (; rep && *rep && k < SKEL_MAX; rep++)
			sk[k++] = *rep;
		if (!rep || *rep)
			vouch = 0;
		i += rep ? 2 : 1;
	}
	*pos = i;
	return !vouch || has_anchor(q, sk, k);
}

/* Analyse the words of text[pos..end) that pass the prefilter, each on
 * its own (a word's tokens do not depend on its neighbours). Returns like
 * fl_analyzer_run. */
static int analyse_words(struct fl_analyzer *an, struct scan *sc,
			 const char *text, size_t pos, size_t end,
			 struct fl_err *err)
{
	size_t i = pos, ws;
	int rc;

	while (i < end) {
		while (i < end && is_ascii_space(text[i]))
			i++;
		ws = i;
		if (ws == end || !word_passes(sc->q, text, &i, end))
			continue;
		sc->base = ws;
		rc = fl_analyzer_run(an, text + ws, i - ws,
				     FL_ANALYZE_DOCUMENT, scan_cb, sc, err);
		if (rc != 0)
			return rc;
	}
	return FL_OK;
}

/* Analyse text chunk by chunk until every term was seen, or some were
 * and FL_SNIPPET_SCAN_SOME bytes were read, or FL_SNIPPET_SCAN_MAX. */
static int scan_text(struct fl_analyzer *an, struct scan *sc,
		     const char *text, size_t len, size_t max,
		     struct fl_err *err)
{
	size_t pos = 0;
	int rc;

	while (pos < len && pos < max) {
		size_t end = chunk_end(text, len, pos, FL_SNIPPET_SCAN_STEP);

		rc = analyse_words(an, sc, text, pos, end, err);
		if (rc < 0)
			return rc;
		if (rc > 0 || sc->seen == sc->q->all)
			break;
		if (sc->n && end >= FL_SNIPPET_SCAN_SOME)
			break;
		pos = end;
	}
	return FL_OK;
}

static int popcount64(uint64_t x)
{
	int n = 0;

	while (x) {
		x &= x - 1;
		n++;
	}
	return n;
}

/* Index of the first match of the best window: most distinct terms within
 * FL_SNIPPET_CHARS - LEAD_CHARS bytes, then most matches, then earliest. */
static size_t best_window(const struct scan *sc)
{
	size_t span = FL_SNIPPET_CHARS - LEAD_CHARS;
	size_t i, j, best = 0;
	int best_terms = -1;
	size_t best_count = 0;

	for (i = 0; i < sc->n; i++) {
		uint64_t bits = 0;
		size_t count = 0;
		int terms;

		for (j = i; j < sc->n && sc->m[j].end - sc->m[i].start <= span;
		     j++) {
			bits |= sc->m[j].bits;
			count++;
		}
		terms = popcount64(bits);
		if (terms > best_terms ||
		    (terms == best_terms && count > best_count)) {
			best = i;
			best_terms = terms;
			best_count = count;
		}
	}
	return best;
}

/* ---- building the passage ------------------------------------------- */

/* Byte offset about `chars` characters before pos, moved forward to the
 * start of a word (0 stays 0). */
static size_t lead_start(const char *text, size_t pos, size_t chars)
{
	size_t p = pos;
	size_t k = 0;

	while (p > 0 && k < chars) {
		p--;
		if (((unsigned char)text[p] & 0xc0) != 0x80)
			k++;
	}
	if (p == 0)
		return 0;
	while (p < pos && text[p - 1] != ' ' && text[p - 1] != '\n' &&
	       text[p - 1] != '\t')
		p++;
	return p;
}

/* Byte offset after about `chars` characters from start, cut back to a
 * space when the text goes on (never below min_end). */
static size_t passage_end(const char *text, size_t len, size_t start,
			  size_t min_end, size_t chars)
{
	size_t p = start;
	size_t k = 0;
	size_t e;
	int32_t cp;

	while (p < len && k < chars) {
		p += fl_utf8_next(text + p, len - p, &cp);
		k++;
	}
	if (p >= len)
		return len;
	for (e = p; e > min_end; e--)
		if (text[e] == ' ' || text[e] == '\n' || text[e] == '\t')
			return e;
	return p > min_end ? p : min_end;
}

struct builder {
	struct fl_buf b;
	struct fl_mark marks[FL_SNIPPET_MAX_MARKS];
	size_t nmarks;
	size_t chars;    /* code points written */
	int space;       /* last written was a space */
};

static void put_cp(struct builder *bd, const char *p, size_t n, int space)
{
	if (space) {
		if (bd->space || bd->chars == 0)
			return;
		fl_buf_addc(&bd->b, ' ');
		bd->space = 1;
	} else {
		fl_buf_add(&bd->b, p, n);
		bd->space = 0;
	}
	bd->chars++;
}

static void build(struct builder *bd, const char *text, size_t len,
		  size_t start, size_t end, const struct scan *sc)
{
	size_t p = start;
	size_t mi = 0;
	int open = 0;
	int32_t cp;

	if (start > 0) {
		fl_buf_adds(&bd->b, "\xe2\x80\xa6 ");
		bd->chars = 2;
		bd->space = 1;
	}
	while (mi < sc->n && sc->m[mi].start < start)
		mi++;
	while (p < end) {
		size_t n = fl_utf8_next(text + p, len - p, &cp);

		if (open && p >= sc->m[mi].end) {
			bd->marks[bd->nmarks++].end = bd->chars;
			open = 0;
			mi++;
		}
		if (!open && mi < sc->n && p == sc->m[mi].start &&
		    sc->m[mi].end <= end && bd->nmarks < FL_SNIPPET_MAX_MARKS) {
			bd->marks[bd->nmarks].start = bd->chars;
			open = 1;
		} else if (!open && mi < sc->n && p > sc->m[mi].start) {
			mi++;
		}
		if (cp >= 0)
			put_cp(bd, text + p, n, is_space_cp(cp));
		p += n;
	}
	if (open)
		bd->marks[bd->nmarks++].end = bd->chars;
	if (end < len) {
		if (!bd->space)
			fl_buf_addc(&bd->b, ' ');
		fl_buf_adds(&bd->b, "\xe2\x80\xa6");
	}
}

int fl_snippet_make(struct fl_analyzer *an, const struct fl_snippet_query *q,
		    const char *text, size_t len, struct fl_snippet *sn,
		    struct fl_err *err)
{
	/* malloc, not calloc: the arrays are large and filled from the
	 * front; zeroing them cost more than building the snippet */
	struct scan *sc = malloc(sizeof(*sc));
	struct builder *bd = malloc(sizeof(*bd));
	size_t start = 0, end, first;
	int rc = FL_OK;

	memset(sn, 0, sizeof(*sn));
	if (bd)
		fl_buf_init(&bd->b, 0);
	if (!sc || !bd) {
		rc = fl_error(err, FL_ENOMEM, "snippet: out of memory");
		goto out;
	}
	scan_init(sc, q);
	bd->nmarks = 0;
	bd->chars = 0;
	bd->space = 0;
	if (q && q->n)
		rc = scan_text(an, sc, text, len, FL_SNIPPET_SCAN_MAX, err);
	if (rc != FL_OK)
		goto out;
	first = sc->n ? best_window(sc) : 0;
	if (sc->n)
		start = lead_start(text, sc->m[first].start, LEAD_CHARS);
	end = passage_end(text, len, start, sc->n ? sc->m[first].end : 0,
			  FL_SNIPPET_CHARS);
	fl_buf_init(&bd->b, PASSAGE_MAX + (end - start));
	build(bd, text, len, start, end, sc);
	if (bd->b.rc != FL_OK) {
		rc = fl_error(err, bd->b.rc, "snippet: passage too long");
		goto out;
	}
	sn->nmarks = bd->nmarks;
	sn->marks = malloc((bd->nmarks ? bd->nmarks : 1) * sizeof(*sn->marks));
	sn->text = fl_buf_detach(&bd->b, NULL);
	if (!sn->marks || !sn->text) {
		fl_snippet_release(sn);
		rc = fl_error(err, FL_ENOMEM, "snippet: out of memory");
		goto out;
	}
	if (bd->nmarks)
		memcpy(sn->marks, bd->marks, bd->nmarks * sizeof(*sn->marks));
out:
	if (bd)
		fl_buf_release(&bd->b);
	free(bd);
	free(sc);
	return rc;
}

void fl_snippet_release(struct fl_snippet *sn)
{
	if (!sn)
		return;
	free(sn->text);
	free(sn->marks);
	memset(sn, 0, sizeof(*sn));
}

/* Byte offset of code point number cp in s (or strlen when past it). */
static size_t cp_offset(const char *s, size_t len, size_t *pos, size_t *cpn,
			size_t cp)
{
	int32_t c;

	while (*cpn < cp && *pos < len) {
		*pos += fl_utf8_next(s + *pos, len - *pos, &c);
		(*cpn)++;
	}
	return *pos;
}

int fl_snippet_html(const struct fl_snippet *sn, struct fl_buf *b)
{
	size_t len = sn->text ? strlen(sn->text) : 0;
	size_t pos = 0, cpn = 0, prev = 0, i;

	for (i = 0; i < sn->nmarks; i++) {
		size_t s = cp_offset(sn->text, len, &pos, &cpn,
				     sn->marks[i].start);
		size_t e;

		fl_buf_add_html(b, sn->text + prev, s - prev);
		e = cp_offset(sn->text, len, &pos, &cpn, sn->marks[i].end);
		fl_buf_adds(b, "<mark>");
		fl_buf_add_html(b, sn->text + s, e - s);
		fl_buf_adds(b, "</mark>");
		prev = e;
	}
	fl_buf_add_html(b, sn->text + prev, len - prev);
	return b->rc;
}

/* ---- KWIC ----------------------------------------------------------- */

int fl_snippet_kwic(struct fl_analyzer *an, const struct fl_snippet_query *q,
		    const char *text, size_t len, size_t context, size_t max,
		    struct fl_kwic **out, size_t *n, struct fl_err *err)
{
	struct scan *sc = calloc(1, sizeof(*sc));
	struct fl_kwic *k = NULL;
	size_t pos = 0, i;
	int rc = FL_OK;

	*out = NULL;
	*n = 0;
	if (!sc)
		return fl_error(err, FL_ENOMEM, "kwic: out of memory");
	sc->q = q;
	while (q && q->n && pos < len && pos < FL_SNIPPET_SCAN_MAX &&
	       sc->n < max && rc == FL_OK) {
		size_t end = chunk_end(text, len, pos, FL_SNIPPET_SCAN_STEP);

		rc = analyse_words(an, sc, text, pos, end, err);
		rc = rc > 0 ? FL_OK : rc;
		pos = end;
	}
	if (rc == FL_OK && sc->n) {
		size_t cnt = sc->n < max ? sc->n : max;

		k = calloc(cnt, sizeof(*k));
		if (!k)
			rc = fl_error(err, FL_ENOMEM, "kwic: out of memory");
		for (i = 0; k && i < cnt; i++) {
			k[i].start = sc->m[i].start;
			k[i].end = sc->m[i].end;
			k[i].left = lead_start(text, k[i].start, context);
			k[i].right = passage_end(text, len, k[i].end, k[i].end,
						 context);
		}
		*n = k ? cnt : 0;
	}
	*out = k;
	free(sc);
	return rc;
}
