/*
 * fl_analyze.c - the German analysis pipeline (see fl_analyze.h for the
 * token scheme). Called by fl_tokenizer.c (FTS5), the query translator and
 * `findling analyze`.
 *
 * Flow: scan_word() finds the next word in the original bytes (hyphenated
 * pieces and gender suffixes included, byte offsets kept); process_word()
 * looks the raw word bytes up in a per-analyzer cache and on a miss runs
 * analyse_word(), which fills a token list (struct toklist) with offsets
 * relative to the word; the list is then cached and replayed through the
 * caller's callback. Normalisation lives in fl_utf8.c, stemming in fl_stem.c.
 */
#include "fl_analyze.h"
#include "fl_hash.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fl_buf.h"
#include "fl_decompound.h"
#include "fl_stem.h"
#include "fl_utf8.h"
#include "fl_banned.h"

#define ANALYZE_VERSION "german-4/snowball-2.2"

/* Hyphen pieces per word; a longer chain continues as a new word. */
#define MAX_PIECES 16
/* Over-long words are emitted as EXACT cut to this many bytes (index and
 * query cut alike, so they still match; nobody types a 100 KB word). */
#define MAX_EMIT 1024
/* Bytes of text in the token list of one word. */
#define TOKLIST_TEXT_MAX (1u << 20)
/* Word cache: two generations of at most this many words each (a word
 * costs ~100 bytes in document mode, so ~7 MB per full generation). */
#define CACHE_WORDS 65536u
#define CACHE_SLOTS (2 * CACHE_WORDS)   /* power of two, load <= 0.5 */
#define CACHE_ARENA_MIN (256u << 10)
#define CACHE_ARENA_MAX (16u << 20)     /* a generation is full past it */
/* Scratch buffers hold one (cut) word and its variants. */
#define SCRATCH_MAX (64u << 10)

struct piece {
	size_t start;   /* byte offset of the piece in the text */
	size_t end;     /* just past it (gender suffix included) */
	size_t gsep;    /* offset of the gender separator : * _ / */
	int gender;     /* 1 when gsep is set (Bürger:innen) */
};

struct word {
	size_t start;                   /* byte offset of the word */
	size_t end;                     /* just past it */
	size_t n;                       /* pieces used */
	struct piece p[MAX_PIECES];     /* hyphen-separated pieces */
};

struct tl_ent {
	size_t rs;      /* start of the surface, relative to the word */
	size_t re;      /* end of the surface, relative to the word */
	uint32_t off;   /* token text at toklist text + off */
	uint32_t len;   /* bytes of token text */
	uint32_t flags; /* enum fl_token_flags */
	uint32_t pad;   /* keeps the struct a multiple of 8 bytes */
};

struct toklist {
	struct tl_ent *ent;     /* tokens of one word, in order */
	size_t n;               /* entries used */
	size_t cap;             /* entries allocated */
	size_t pos_first;       /* first entry of the current position */
	struct fl_buf text;     /* token texts, back to back */
};

/* Per-piece facts found while normalising it. */
struct pinfo {
	size_t rs;          /* piece surface, relative to the word */
	size_t re;
	size_t se;          /* end of the bytes normalised (no gender suffix) */
	size_t base_len;    /* bytes of the gender base in u, 0: none */
	int gender;         /* explicit gender form (Bürger:innen, BürgerInnen) */
	int acronym;        /* all capitals, >= 2 letters */
	int digits;         /* has a digit: not stemmed or split */
	int longw;          /* over FL_ANALYZE_MAX_TOKEN: EXACT only */
};

struct cache_slot {
	uint32_t hash;  /* hash of key and mode */
	uint32_t off1;  /* arena offset + 1 of the entry, 0: empty */
};

struct cache_hdr {
	uint32_t key_len;   /* bytes of the raw word */
	uint32_t n;         /* tokens */
	uint32_t text_len;  /* bytes of token text */
	uint32_t mode;      /* enum fl_analyze_mode */
};	/* followed by n tl_ent, the key, the text */

struct cache_gen {
	struct cache_slot *slot;   /* CACHE_SLOTS slots, NULL: no cache */
	unsigned char *arena;      /* entries, 8-byte aligned */
	size_t used;               /* arena bytes used */
	size_t cap;                /* arena bytes allocated */
	size_t count;              /* words cached */
};

struct cache {
	struct cache_gen gen[2];   /* current and old generation */
	int cur;                   /* index of the current one */
};

struct fl_analyzer {
	struct fl_lexicon *lex;    /* our reference; NULL allowed */
	struct fl_stem *stem;      /* Snowball + fixes */
	struct toklist tl;         /* tokens of the word being analysed */
	struct fl_buf raw;         /* piece bytes without ignorables */
	struct fl_buf u;           /* folded piece, umlauts kept */
	struct fl_buf x;           /* EXACT spelling scratch */
	struct fl_buf marked;      /* STEM with its mark, scratch */
	enum fl_analyze_mode mode; /* of the word being analysed */
	struct fl_buf joined;      /* folded hyphenated word, pieces joined */
	struct fl_buf run;         /* a run of compound parts */
	struct fl_buf split;       /* piece lower-cased for the splitter */
	struct cache cache;        /* raw word -> token list */
};

/* ---- token list ---------------------------------------------------- */

static void tl_reset(struct toklist *tl)
{
	tl->n = 0;
	tl->pos_first = 0;
	fl_buf_reset(&tl->text);
}

static void tl_newpos(struct toklist *tl)
{
	tl->pos_first = tl->n;
}

static int tl_has(const struct toklist *tl, const char *s, size_t len)
{
	size_t i;

	for (i = tl->pos_first; i < tl->n; i++)
		if (tl->ent[i].len == len &&
		    !memcmp(tl->text.data + tl->ent[i].off, s, len))
			return 1;
	return 0;
}

static int tl_grow(struct toklist *tl)
{
	size_t cap = tl->cap ? 2 * tl->cap : 64;
	struct tl_ent *e = realloc(tl->ent, cap * sizeof(*e));

	if (!e)
		return FL_ENOMEM;
	tl->ent = e;
	tl->cap = cap;
	return FL_OK;
}

/* Add a token at the current position unless it is empty or already there. */
static int tl_add(struct toklist *tl, const char *s, size_t len,
		  unsigned flags, size_t rs, size_t re)
{
	struct tl_ent *e;

	if (len == 0 || tl_has(tl, s, len))
		return FL_OK;
	if (tl->n == tl->cap && tl_grow(tl) != FL_OK)
		return FL_ENOMEM;
	e = &tl->ent[tl->n];
	e->off = (uint32_t)tl->text.len;
	if (fl_buf_add(&tl->text, s, len) != FL_OK)
		return tl->text.rc;
	e->len = (uint32_t)len;
	e->flags = flags | (tl->n > tl->pos_first ? FL_TOKEN_COLOCATED : 0);
	e->rs = rs;
	e->re = re;
	e->pad = 0;
	tl->n++;
	return FL_OK;
}

static void tl_release(struct toklist *tl)
{
	free(tl->ent);
	fl_buf_release(&tl->text);
}

/* ---- word cache ----------------------------------------------------
 * Two generations (a cheap LRU approximation): new words go into the
 * current one; when it is full the old generation is dropped and the
 * current one becomes old. A hit in the old generation is copied into the
 * current one, so frequent words survive every turnover. */

static uint32_t hash_key(const char *s, size_t len, unsigned mode)
{
	return fl_hash(s, len, mode);
}

static void gen_clear(struct cache_gen *g)
{
	if (g->slot)
		memset(g->slot, 0, CACHE_SLOTS * sizeof(*g->slot));
	g->used = 0;
	g->count = 0;
}

static const struct cache_hdr *gen_get(const struct cache_gen *g,
				       const char *key, size_t len,
				       unsigned mode, uint32_t h)
{
	size_t i = h & (CACHE_SLOTS - 1);

	for (; g->slot[i].off1; i = (i + 1) & (CACHE_SLOTS - 1)) {
		const struct cache_hdr *e;

		if (g->slot[i].hash != h)
			continue;
		e = (const void *)(g->arena + g->slot[i].off1 - 1);
		if (e->key_len == len && e->mode == mode &&
		    !memcmp((const char *)(e + 1) + e->n * sizeof(struct tl_ent),
			    key, len))
			return e;
	}
	return NULL;
}

static int gen_full(const struct cache_gen *g, size_t need)
{
	return g->count >= CACHE_WORDS || g->used + need > CACHE_ARENA_MAX;
}

/* Room for need more bytes in g (which is not full). */
static int gen_reserve(struct cache_gen *g, size_t need)
{
	size_t cap = g->cap ? g->cap : CACHE_ARENA_MIN;
	unsigned char *a;

	if (g->used + need <= g->cap)
		return FL_OK;
	while (cap < g->used + need)
		cap *= 2;
	if (cap > CACHE_ARENA_MAX)
		cap = CACHE_ARENA_MAX;
	a = realloc(g->arena, cap);
	if (!a)
		return FL_ENOMEM;
	g->arena = a;
	g->cap = cap;
	return FL_OK;
}

/* One word's tokens, as stored in the cache or the token list. */
struct cache_val {
	const struct tl_ent *ent;   /* n entries */
	size_t n;
	const char *text;           /* text_len bytes */
	size_t text_len;
};

static size_t entry_size(size_t klen, const struct cache_val *v)
{
	return (sizeof(struct cache_hdr) + v->n * sizeof(struct tl_ent) +
		klen + v->text_len + 7) & ~(size_t)7;
}

/* Store a word in g; the caller made sure g is not full. */
static const struct cache_hdr *gen_put(struct cache_gen *g, const char *key,
				       size_t len, unsigned mode, uint32_t h,
				       const struct cache_val *v)
{
	size_t ents = v->n * sizeof(struct tl_ent);
	size_t need = entry_size(len, v);
	struct cache_hdr *e;
	unsigned char *p;
	size_t i;

	if (gen_reserve(g, need) != FL_OK)
		return NULL;
	e = (void *)(g->arena + g->used);
	e->key_len = (uint32_t)len;
	e->n = (uint32_t)v->n;
	e->text_len = (uint32_t)v->text_len;
	e->mode = mode;
	p = (unsigned char *)(e + 1);
	if (ents)
		memcpy(p, v->ent, ents);
	memcpy(p + ents, key, len);
	if (v->text_len)
		memcpy(p + ents + len, v->text, v->text_len);
	i = h & (CACHE_SLOTS - 1);
	while (g->slot[i].off1)
		i = (i + 1) & (CACHE_SLOTS - 1);
	g->slot[i].hash = h;
	g->slot[i].off1 = (uint32_t)(g->used + 1);
	g->used += need;
	g->count++;
	return e;
}

static struct cache_val val_of(const struct cache_hdr *e)
{
	struct cache_val v;

	v.ent = (const void *)(e + 1);
	v.n = e->n;
	v.text = (const char *)(v.ent + e->n) + e->key_len;
	v.text_len = e->text_len;
	return v;
}

/* Cached tokens of a word, or NULL. Promotes old-generation hits. */
static const struct cache_hdr *cache_get(struct cache *c, const char *key,
					 size_t len, unsigned mode)
{
	struct cache_gen *cur = &c->gen[c->cur], *old = &c->gen[!c->cur];
	uint32_t h = hash_key(key, len, mode);
	const struct cache_hdr *e, *copy;
	struct cache_val v;

	if (!cur->slot)
		return NULL;
	e = gen_get(cur, key, len, mode, h);
	if (e)
		return e;
	e = gen_get(old, key, len, mode, h);
	if (!e)
		return NULL;
	v = val_of(e);
	if (gen_full(cur, entry_size(len, &v)))
		return e;	/* promoting would drop old, which e lives in */
	copy = gen_put(cur, key, len, mode, h, &v);
	return copy ? copy : e;
}

/* Remember the token list of a word; failure only means "not cached". */
static void cache_put(struct cache *c, const char *key, size_t len,
		      unsigned mode, const struct toklist *tl)
{
	struct cache_val v = { tl->ent, tl->n, tl->text.data, tl->text.len };
	size_t need = entry_size(len, &v);

	if (!c->gen[0].slot || need > CACHE_ARENA_MAX / 16)
		return;
	if (gen_full(&c->gen[c->cur], need)) {
		c->cur = !c->cur;
		gen_clear(&c->gen[c->cur]);
	}
	gen_put(&c->gen[c->cur], key, len, mode, hash_key(key, len, mode), &v);
}

static int cache_init(struct cache *c)
{
	c->gen[0].slot = calloc(CACHE_SLOTS, sizeof(struct cache_slot));
	c->gen[1].slot = calloc(CACHE_SLOTS, sizeof(struct cache_slot));
	if (c->gen[0].slot && c->gen[1].slot)
		return FL_OK;
	free(c->gen[0].slot);
	free(c->gen[1].slot);
	c->gen[0].slot = c->gen[1].slot = NULL;
	return FL_ENOMEM;
}

static void cache_release(struct cache *c)
{
	free(c->gen[0].slot);
	free(c->gen[0].arena);
	free(c->gen[1].slot);
	free(c->gen[1].arena);
}

/* ---- replay -------------------------------------------------------- */

static int replay(const struct tl_ent *ent, size_t n, const char *text,
		  size_t wstart, fl_token_cb cb, void *ctx)
{
	struct fl_token tok;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		tok.text = text + ent[i].off;
		tok.len = ent[i].len;
		tok.start = wstart + ent[i].rs;
		tok.end = wstart + ent[i].re;
		tok.flags = ent[i].flags;
		rc = cb(ctx, &tok);
		if (rc)
			return rc;
	}
	return 0;
}

static int replay_cached(const struct cache_hdr *e, size_t wstart,
			 fl_token_cb cb, void *ctx)
{
	struct cache_val v = val_of(e);

	return replay(v.ent, v.n, v.text, wstart, cb, ctx);
}

/* ---- scanner ------------------------------------------------------- */

/* Class of each ASCII byte (the common case, no call into utf8proc). */
static enum fl_utf8_class class_at(const char *t, size_t len, size_t i,
				   size_t *n)
{
	unsigned char b = (unsigned char)t[i];
	int32_t cp;

	if (b < 0x80) {
		*n = 1;
		if ((b | 0x20) >= 'a' && (b | 0x20) <= 'z')
			return FL_UTF8_WORD;
		if (b >= '0' && b <= '9')
			return FL_UTF8_WORD;
		if (b == '-')
			return FL_UTF8_HYPHEN;
		if (b == '\'')
			return FL_UTF8_APOS;
		return FL_UTF8_SEP;
	}
	*n = fl_utf8_next(t + i, len - i, &cp);
	return fl_utf8_class(cp);
}

static int word_char_at(const char *t, size_t len, size_t i)
{
	size_t n;

	if (i >= len)
		return 0;
	return class_at(t, len, i, &n) == FL_UTF8_WORD;
}

/* Past the word characters from i (ignorables and apostrophes between
 * word characters included). */
static size_t scan_run(const char *t, size_t len, size_t i)
{
	size_t n;

	while (i < len) {
		enum fl_utf8_class c = class_at(t, len, i, &n);

		if (c == FL_UTF8_WORD || c == FL_UTF8_MARK)
			i += n;
		else if ((c == FL_UTF8_IGNORE || c == FL_UTF8_APOS) &&
			 word_char_at(t, len, i + n))
			i += n;
		else
			break;
	}
	return i;
}

/* End of a gender suffix (:innen *in _innen /in) at i, or 0. */
static size_t gender_suffix(const char *t, size_t len, size_t i)
{
	static const char *const sfx[] = { "innen", "Innen", "in", "In" };
	size_t k, j;

	if (i >= len || !memchr(":*_/", t[i], 4) || t[i] == '\0')
		return 0;
	if (t[i - 1] >= '0' && t[i - 1] <= '9')
		return 0;
	for (j = 0; j < sizeof(sfx) / sizeof(sfx[0]); j++) {
		k = strlen(sfx[j]);
		if (len - i - 1 >= k && !memcmp(t + i + 1, sfx[j], k) &&
		    !word_char_at(t, len, i + 1 + k))
			return i + 1 + k;
	}
	return 0;
}

/* Find the next word at or after *pos. Returns 0 when there is none. */
static int scan_word(const char *t, size_t len, size_t *pos, struct word *w)
{
	size_t i = *pos, n = 0;

	while (i < len && class_at(t, len, i, &n) != FL_UTF8_WORD)
		i += n;
	if (i >= len) {
		*pos = len;
		return 0;
	}
	w->start = i;
	w->n = 0;
	for (;;) {
		struct piece *p = &w->p[w->n++];
		size_t g;

		p->start = i;
		i = scan_run(t, len, i);
		g = gender_suffix(t, len, i);
		p->gender = g != 0;
		p->gsep = i;
		if (g)
			i = g;
		p->end = i;
		if (w->n == MAX_PIECES || i >= len ||
		    class_at(t, len, i, &n) != FL_UTF8_HYPHEN ||
		    !word_char_at(t, len, i + n))
			break;
		i += n;
	}
	w->end = i;
	*pos = i;
	return 1;
}

/* ---- normalising one piece ----------------------------------------- */

static int ends_with(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n >= k && !memcmp(s + n - k, suf, k);
}

/* Copy the piece's bytes without ignorables and apostrophes into an->raw,
 * noting capitals, lower-case letters and digits. */
static void piece_raw(struct fl_analyzer *an, const char *t, size_t s,
		      size_t e, struct pinfo *pi)
{
	size_t i, n, upper = 0, lower = 0;
	int32_t cp;

	fl_buf_reset(&an->raw);
	for (i = s; i < e; i += n) {
		enum fl_utf8_class c;

		n = fl_utf8_next(t + i, e - i, &cp);
		c = fl_utf8_class(cp);
		if (c == FL_UTF8_IGNORE || c == FL_UTF8_APOS)
			continue;
		fl_buf_add(&an->raw, t + i, n);
		if (fl_utf8_is_upper(cp))
			upper++;
		else if (fl_utf8_is_lower(cp))
			lower++;
		else if (fl_utf8_is_digit(cp))
			pi->digits = 1;
	}
	pi->acronym = upper >= 2 && lower == 0;
}

/* Last byte of a lower-case letter ends s[0..n)? (ASCII or ä ö ü ß) */
static int ends_lower(const char *s, size_t n)
{
	unsigned char b;

	if (n == 0)
		return 0;
	b = (unsigned char)s[n - 1];
	if (b >= 'a' && b <= 'z')
		return 1;
	return n >= 2 && (unsigned char)s[n - 2] == 0xC3 &&
	       (b == 0xA4 || b == 0xB6 || b == 0xBC || b == 0x9F);
}

/* Base endings before a feminine -in/-innen (Bürgerin, Studentin,
 * Polizistin, Friseurin); Berlin, Termin, Medizin do not match. */
static int fem_base(const char *u, size_t b)
{
	return b >= 3 && (ends_with(u, b, "er") || ends_with(u, b, "ent") ||
			  ends_with(u, b, "ist") || ends_with(u, b, "eur"));
}

/* Binnen-I (BürgerInnen, LehrerIn): needs the original casing in raw. */
static size_t binnen_suffix(const struct fl_buf *raw)
{
	if (ends_with(raw->data, raw->len, "Innen") &&
	    ends_lower(raw->data, raw->len - 5))
		return 5;
	if (ends_with(raw->data, raw->len, "In") &&
	    ends_lower(raw->data, raw->len - 2))
		return 2;
	return 0;
}

/* 1 when the lexicon knows u[0..b) + "in" (or has no dictionary). */
static int fem_known(struct fl_analyzer *an, const char *u, size_t b)
{
	int known;

	if (!an->lex || !fl_lexicon_has_dict(an->lex))
		return 1;
	fl_buf_reset(&an->run);
	fl_buf_add(&an->run, u, b);
	fl_buf_add(&an->run, "in", 2);
	known = an->run.rc == FL_OK &&
		fl_lexicon_is_word(an->lex, an->run.data, an->run.len);
	return known;
}

/* Plain Bürgerinnen / Lehrerin: the base when the rules allow it. */
static size_t implicit_base(struct fl_analyzer *an, const char *u, size_t n)
{
	size_t b;

	if (ends_with(u, n, "innen"))
		b = n - 5;
	else if (ends_with(u, n, "in"))
		b = n - 2;
	else
		return 0;
	if (!fem_base(u, b) || !fem_known(an, u, b))
		return 0;
	return b;
}

static void piece_gender(struct fl_analyzer *an, const char *t,
			 const struct piece *p, enum fl_analyze_mode mode,
			 struct pinfo *pi)
{
	size_t k;

	if (p->gender) {	/* Bürger:innen: base, then the suffix */
		pi->gender = 1;
		pi->base_len = an->u.len;
		fl_utf8_fold(t + p->gsep + 1, p->end - p->gsep - 1, &an->u);
		return;
	}
	if (pi->digits || pi->acronym || mode == FL_ANALYZE_PREFIX)
		return;
	k = binnen_suffix(&an->raw);
	if (k && an->u.len > k &&
	    (k == 5 || fem_base(an->u.data, an->u.len - k))) {
		pi->gender = 1;
		pi->base_len = an->u.len - k;
		return;
	}
	pi->base_len = implicit_base(an, an->u.data, an->u.len);
}

/* Normalise piece p into an->u and describe it in pi. */
static int piece_norm(struct fl_analyzer *an, const char *t,
		      const struct word *w, const struct piece *p,
		      enum fl_analyze_mode mode, struct pinfo *pi)
{
	size_t e = p->gsep;

	memset(pi, 0, sizeof(*pi));
	pi->rs = p->start - w->start;
	pi->re = p->end - w->start;
	if (e - p->start > FL_ANALYZE_MAX_TOKEN) {
		/* at most MAX_EMIT bytes, never past the piece (a piece of
		 * 257..1024 bytes made the cut read beyond the text) */
		size_t n = e - p->start < MAX_EMIT ? e - p->start : MAX_EMIT;

		pi->longw = 1;
		e = p->start + fl_utf8_cut(t + p->start, n);
	}
	pi->se = e - w->start;
	piece_raw(an, t, p->start, e, pi);
	fl_buf_reset(&an->u);
	fl_utf8_fold(an->raw.data, an->raw.len, &an->u);
	if (!pi->longw)
		piece_gender(an, t, p, mode, pi);
	if (an->raw.rc != FL_OK)
		return an->raw.rc;
	return an->u.rc;
}

/* ---- emitting forms ------------------------------------------------ */

/* The STEM s, marked, at the current position. */
static int add_stem(struct fl_analyzer *an, const char *s, size_t slen,
		    unsigned extra, size_t rs, size_t re)
{
	fl_buf_reset(&an->marked);
	fl_buf_addc(&an->marked, FL_ANALYZE_STEM_MARK);
	fl_buf_add(&an->marked, s, slen);
	if (an->marked.rc != FL_OK)
		return an->marked.rc;
	return tl_add(&an->tl, an->marked.data, an->marked.len,
		      FL_TOKEN_STEM | extra, rs, re);
}

/*
 * The forms of u (see the token scheme in fl_analyze.h): the EXACT form,
 * then, when stem_ok, the marked STEM, even when it equals the exact form
 * (Kraft must meet Kräfte through "~kraft"). Query mode emits the marked
 * STEM alone: one token per term keeps FTS5 on its fast path, where
 * colocated query tokens (synonyms) merge position lists row by row.
 */
static int add_forms(struct fl_analyzer *an, const char *u, size_t n,
		     unsigned extra, size_t rs, size_t re, int stem_ok)
{
	const char *s;
	size_t slen;
	int rc;

	if (!stem_ok || an->mode != FL_ANALYZE_QUERY) {
		fl_buf_reset(&an->x);
		if (fl_utf8_digraph(u, n, &an->x) != FL_OK)
			return an->x.rc;
		if (an->x.len > MAX_EMIT)
			fl_buf_truncate(&an->x, fl_utf8_cut(an->x.data,
							    MAX_EMIT));
		rc = tl_add(&an->tl, an->x.data, an->x.len,
			    FL_TOKEN_EXACT | extra, rs, re);
		if (rc != FL_OK || !stem_ok)
			return rc;
	}
	s = fl_stem_word(an->stem, an->lex, u, n, &slen);
	if (!s)
		return FL_ENOMEM;
	return add_stem(an, s, slen, extra, rs, re);
}

/* Where the bytes of a word given to the splitter lie in the surface
 * word: at rs.. (relative to the word) when map is set, else nowhere
 * exact, and part tokens get the whole piece rs..re. */
struct span {
	size_t rs;  /* surface offset of byte 0 of the split word */
	size_t re;  /* end of the surface the split word may cover */
	int map;    /* 1: split word byte k is surface byte rs + k */
};

/* Surface range of bytes [s, s + len) of the split word described by sp:
 * the piece itself for highlighting (Bildungs<mark>monitoring</mark>). */
static struct span part_span(const struct span *sp, size_t s, size_t len)
{
	struct span r = *sp;

	if (!sp->map || sp->rs + s >= sp->re)
		return r;
	r.rs = sp->rs + s;
	if (sp->rs + s + len < sp->re)
		r.re = sp->rs + s + len;
	return r;
}

/* Run of parts i..j of u: surface up to part j, then part j's lemma
 * unless j is the last part (weiter+bildungs -> weiterbildung). */
static int add_run(struct fl_analyzer *an, const char *u, size_t n,
		   const struct fl_split_part *part, size_t np, size_t i,
		   size_t j, const struct span *sp)
{
	struct span r = part_span(sp, part[i].start,
				  part[j].start + part[j].len - part[i].start);

	fl_buf_reset(&an->run);
	fl_buf_add(&an->run, u + part[i].start, part[j].start - part[i].start);
	if (j == np - 1)
		fl_buf_add(&an->run, u + part[j].start, n - part[j].start);
	else
		fl_buf_adds(&an->run, part[j].lemma);
	if (an->run.rc != FL_OK)
		return an->run.rc;
	return add_forms(an, an->run.data, an->run.len, FL_TOKEN_PART,
			 r.rs, r.re, 1);
}

/* Parts shorter than this are not split again (two 3-letter parts). */
#define RESPLIT_MIN 6

/* Compound parts and every run of adjacent parts (document mode). A part
 * that is itself a compound (the splitter prefers few parts:
 * weiterbildungs+maßnahmen) is split once more, so weiter and bildung are
 * found too. depth 0 for the word, 1 for a part. Each part token carries
 * the surface range of its piece (sp maps u to the surface). */
static int add_parts(struct fl_analyzer *an, const char *u, size_t n,
		     const struct span *sp, int depth)
{
	struct fl_split_part part[FL_SPLIT_MAX_PARTS];
	struct span r;
	size_t np, i, j, k;
	int rc = FL_OK;

	if (!an->lex || n > FL_SPLIT_MAX_WORD)
		return FL_OK;
	np = fl_decompound_split(an->lex, u, n, part, FL_SPLIT_MAX_PARTS);
	if (np < 2 || np > FL_SPLIT_MAX_PARTS)
		return FL_OK;
	for (i = 0; i < np && rc == FL_OK; i++) {
		r = part_span(sp, part[i].start, part[i].len);
		rc = add_forms(an, part[i].lemma, strlen(part[i].lemma),
			       FL_TOKEN_PART, r.rs, r.re, 1);
	}
	for (i = 0; i < np && rc == FL_OK; i++)
		for (j = i + 1; j < np && rc == FL_OK; j++)
			if (i != 0 || j != np - 1)
				rc = add_run(an, u, n, part, np, i, j, sp);
	for (i = 0; i < np && rc == FL_OK && depth == 0; i++) {
		k = strlen(part[i].lemma);
		/* the lemma shares the piece's bytes up to its end at most */
		r = part_span(sp, part[i].start, part[i].len);
		if (k >= RESPLIT_MIN)
			rc = add_parts(an, part[i].lemma, k, &r, 1);
	}
	return rc;
}

/* Decompound the piece in an->u. The splitter gets the piece lower-cased
 * with ß kept (Maßnahmen; case folding would make it mass+nahmen); a gender
 * form is split through its base: Schulleiter:innen gives schule, leiter,
 * never bürge + rinnen. */
static int split_piece(struct fl_analyzer *an, const struct pinfo *pi)
{
	size_t n = pi->base_len ? pi->base_len : an->u.len;
	struct span sp = { pi->rs, pi->re, 0 };

	fl_buf_reset(&an->split);
	if (fl_utf8_lower(an->raw.data, an->raw.len, &an->split) != FL_OK)
		return an->split.rc;
	/* same length as the folded form: offsets (base_len) carry over;
	 * raw bytes are surface bytes unless ignorables were dropped */
	if (an->split.len == an->u.len ||
	    (pi->gender && an->split.len == pi->base_len)) {
		sp.map = an->split.len == an->raw.len &&
			 an->raw.len == pi->se - pi->rs;
		return add_parts(an, an->split.data, n, &sp, 0);
	}
	return add_parts(an, an->u.data, n, &sp, 0);
}

/* All tokens of one normalised piece at the current position. The folded
 * piece is in an->u; the parts use an->run, so u stays valid. */
static int emit_piece(struct fl_analyzer *an, const struct pinfo *pi,
		      enum fl_analyze_mode mode)
{
	const char *u = an->u.data;
	size_t n = an->u.len;
	/* all-capital words are stemmed too: a query asks for the stem
	 * both ways only, and SACHSEN must meet Sachsen */
	int stem_ok = mode != FL_ANALYZE_PREFIX && !pi->digits && !pi->longw;
	int rc;

	rc = add_forms(an, u, n, 0, pi->rs, pi->re, stem_ok);
	if (rc != FL_OK || mode == FL_ANALYZE_PREFIX || pi->longw)
		return rc;
	if (pi->base_len)
		rc = add_forms(an, u, pi->base_len, FL_TOKEN_BASE, pi->rs,
			       pi->re, stem_ok);
	if (rc == FL_OK && mode == FL_ANALYZE_DOCUMENT && stem_ok)
		rc = split_piece(an, pi);
	return rc;
}

/* ---- words --------------------------------------------------------- */

static int is_stopword(const struct fl_analyzer *an, const char *u,
		       size_t n)
{
	return an->lex && fl_lexicon_is_stopword(an->lex, u, n);
}

static int analyse_single(struct fl_analyzer *an, const char *t,
			  const struct word *w, enum fl_analyze_mode mode)
{
	struct pinfo pi;
	int rc = piece_norm(an, t, w, &w->p[0], mode, &pi);

	if (rc != FL_OK)
		return rc;
	if (mode != FL_ANALYZE_PREFIX && !pi.gender && !pi.longw &&
	    is_stopword(an, an->u.data, an->u.len))
		return FL_OK;
	return emit_piece(an, &pi, mode);
}

/* Fold every piece into an->joined; 1 when the joined form is usable. */
static int join_pieces(struct fl_analyzer *an, const char *t,
		       const struct word *w, int *stem_ok)
{
	struct pinfo pi;
	size_t k, acronyms = 0;

	fl_buf_reset(&an->joined);
	*stem_ok = 1;
	for (k = 0; k < w->n; k++) {
		if (piece_norm(an, t, w, &w->p[k], FL_ANALYZE_QUERY, &pi))
			return 0;
		if (pi.longw)
			return 0;
		if (pi.digits)
			*stem_ok = 0;
		acronyms += (size_t)pi.acronym;
		fl_buf_add(&an->joined, an->u.data, an->u.len);
	}
	if (acronyms == w->n)
		*stem_ok = 0;
	return an->joined.rc == FL_OK && an->joined.len <= FL_ANALYZE_MAX_TOKEN;
}

/* Sachsen-Anhalt: pieces at consecutive positions, the joined form
 * colocated on the first. Stopwords do not apply inside such a word. */
static int analyse_hyphenated(struct fl_analyzer *an, const char *t,
			      const struct word *w, enum fl_analyze_mode mode)
{
	struct pinfo pi;
	int joined_ok = 0, stem_ok = 0, rc = FL_OK;
	size_t k;

	if (mode != FL_ANALYZE_PREFIX)
		joined_ok = join_pieces(an, t, w, &stem_ok);
	for (k = 0; k < w->n && rc == FL_OK; k++) {
		tl_newpos(&an->tl);
		rc = piece_norm(an, t, w, &w->p[k], mode, &pi);
		if (rc == FL_OK)
			rc = emit_piece(an, &pi, mode);
		if (rc == FL_OK && k == 0 && joined_ok)
			rc = add_forms(an, an->joined.data, an->joined.len,
				       FL_TOKEN_JOINED, 0, w->end - w->start,
				       stem_ok);
	}
	return rc;
}

static int analyse_word(struct fl_analyzer *an, const char *t,
			const struct word *w, enum fl_analyze_mode mode)
{
	tl_reset(&an->tl);
	an->mode = mode;
	if (w->n == 1)
		return analyse_single(an, t, w, mode);
	return analyse_hyphenated(an, t, w, mode);
}

/* Analyse (or replay from the cache) one word. Returns an FL_E... code for
 * a failure of the analysis; the callback's verdict goes to *cb_rc. */
static int process_word(struct fl_analyzer *an, const char *t,
			const struct word *w, enum fl_analyze_mode mode,
			fl_token_cb cb, void *ctx, int *cb_rc)
{
	const char *key = t + w->start;
	size_t klen = w->end - w->start;
	const struct cache_hdr *hit = NULL;
	int cacheable = klen <= FL_ANALYZE_MAX_TOKEN;
	int rc;

	if (cacheable)
		hit = cache_get(&an->cache, key, klen, (unsigned)mode);
	if (hit) {
		*cb_rc = replay_cached(hit, w->start, cb, ctx);
		return FL_OK;
	}
	rc = analyse_word(an, t, w, mode);
	if (rc != FL_OK)
		return rc;
	if (cacheable)
		cache_put(&an->cache, key, klen, (unsigned)mode, &an->tl);
	*cb_rc = replay(an->tl.ent, an->tl.n, an->tl.text.data, w->start, cb,
			ctx);
	return FL_OK;
}

/* ---- API ----------------------------------------------------------- */

int fl_analyzer_new(struct fl_lexicon *lex, struct fl_analyzer **out,
		    struct fl_err *err)
{
	struct fl_analyzer *an = calloc(1, sizeof(*an));
	int rc;

	*out = NULL;
	if (!an)
		return fl_error(err, FL_ENOMEM, "analyzer: out of memory");
	rc = fl_stem_new(&an->stem, err);
	if (rc != FL_OK) {
		free(an);
		return rc;
	}
	/* no cache is not an error: every word is then analysed afresh */
	cache_init(&an->cache);
	fl_buf_init(&an->tl.text, TOKLIST_TEXT_MAX);
	fl_buf_init(&an->raw, SCRATCH_MAX);
	fl_buf_init(&an->u, SCRATCH_MAX);
	fl_buf_init(&an->x, SCRATCH_MAX);
	fl_buf_init(&an->marked, SCRATCH_MAX);
	fl_buf_init(&an->joined, SCRATCH_MAX);
	fl_buf_init(&an->run, SCRATCH_MAX);
	fl_buf_init(&an->split, SCRATCH_MAX);
	an->lex = fl_lexicon_ref(lex);
	*out = an;
	return FL_OK;
}

void fl_analyzer_free(struct fl_analyzer *an)
{
	if (!an)
		return;
	fl_lexicon_unref(an->lex);
	fl_stem_free(an->stem);
	tl_release(&an->tl);
	fl_buf_release(&an->raw);
	fl_buf_release(&an->u);
	fl_buf_release(&an->x);
	fl_buf_release(&an->marked);
	fl_buf_release(&an->joined);
	fl_buf_release(&an->run);
	fl_buf_release(&an->split);
	cache_release(&an->cache);
	free(an);
}

int fl_analyzer_run(struct fl_analyzer *an, const char *text, size_t len,
		    enum fl_analyze_mode mode, fl_token_cb cb, void *ctx,
		    struct fl_err *err)
{
	struct word w;
	size_t pos = 0;
	int rc, cb_rc = 0;

	if (!text || len == 0)
		return FL_OK;
	while (scan_word(text, len, &pos, &w)) {
		rc = process_word(an, text, &w, mode, cb, ctx, &cb_rc);
		if (rc == FL_ENOMEM)
			return fl_error(err, rc, "analyze: out of memory");
		if (rc != FL_OK)
			return fl_error(err, rc, "analyze: word at byte %zu "
					"gives too many tokens", w.start);
		if (cb_rc)
			return cb_rc;
	}
	return FL_OK;
}

/* ---- kept token lists ---------------------------------------------- */

/* First allocation of a kept token list (it doubles from there): small,
 * as the indexer keeps hundreds of lists in flight, many of them titles. */
#define FL_TOKENS_MIN_RECS 64
#define FL_TOKENS_MIN_TEXT 1024

struct fl_tokens_rec {
	size_t off;     /* text at tl->text + off */
	size_t len;
	size_t start;
	size_t end;
	unsigned flags;
};

void fl_tokens_init(struct fl_tokens *tl)
{
	memset(tl, 0, sizeof(*tl));
}

void fl_tokens_release(struct fl_tokens *tl)
{
	free(tl->rec);
	free(tl->text);
	fl_tokens_init(tl);
}

void fl_tokens_trim(struct fl_tokens *tl, size_t keep)
{
	if (tl->cap * sizeof(*tl->rec) + tl->text_cap > keep)
		fl_tokens_release(tl);
}

static int tokens_add(void *ctx, const struct fl_token *t)
{
	struct fl_tokens *tl = ctx;
	struct fl_tokens_rec *r;

	if (tl->n == tl->cap) {
		size_t cap = tl->cap ? 2 * tl->cap : FL_TOKENS_MIN_RECS;

		r = realloc(tl->rec, cap * sizeof(*r));
		if (!r)
			return FL_ENOMEM;
		tl->rec = r;
		tl->cap = cap;
	}
	if (tl->text_len + t->len > tl->text_cap) {
		size_t cap = tl->text_cap ? tl->text_cap : FL_TOKENS_MIN_TEXT;
		char *p;

		while (cap < tl->text_len + t->len)
			cap *= 2;
		p = realloc(tl->text, cap);
		if (!p)
			return FL_ENOMEM;
		tl->text = p;
		tl->text_cap = cap;
	}
	memcpy(tl->text + tl->text_len, t->text, t->len);
	r = &tl->rec[tl->n++];
	r->off = tl->text_len;
	r->len = t->len;
	r->start = t->start;
	r->end = t->end;
	r->flags = t->flags;
	tl->text_len += t->len;
	return 0;
}

int fl_analyzer_collect(struct fl_analyzer *an, const char *text, size_t len,
			enum fl_analyze_mode mode, struct fl_tokens *out,
			struct fl_err *err)
{
	int rc;

	out->n = 0;
	out->text_len = 0;
	out->src = text;
	out->src_len = len;
	rc = fl_analyzer_run(an, text, len, mode, tokens_add, out, err);
	if (rc == FL_ENOMEM)
		return fl_error(err, rc, "analyze: out of memory");
	return rc;
}

int fl_tokens_replay(const struct fl_tokens *tl, fl_token_cb cb, void *ctx)
{
	struct fl_token t;
	size_t i;
	int rc;

	for (i = 0; i < tl->n; i++) {
		const struct fl_tokens_rec *r = &tl->rec[i];

		t.text = tl->text + r->off;
		t.len = r->len;
		t.start = r->start;
		t.end = r->end;
		t.flags = r->flags;
		rc = cb(ctx, &t);
		if (rc)
			return rc;
	}
	return 0;
}

const char *fl_analyzer_version(void)
{
	return ANALYZE_VERSION;
}
