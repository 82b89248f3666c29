/*
 * fl_lexicon.c - word lists for German analysis (see fl_lexicon.h).
 *
 * Owns two hash sets, both open addressing (linear probing) over one string
 * arena, so loading 356k words costs one read, one pass and no malloc per
 * word:
 *  - words: lower-cased (ß -> ss) forms of the system word list and of our
 *    curated lists, each with a bit set of enum fl_lexicon_flags;
 *  - freqs: corpus counts keyed by the digraph form (ä -> ae, ö -> oe,
 *    ü -> ue, ß -> ss), the form of the index's exact channel.
 * Keys are stored in the arena as one length byte followed by the bytes.
 */
#include "fl_lexicon.h"
#include "fl_hash.h"
#include "fl_spill.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "fl_banned.h"

/* The curated lists of lib/data/, embedded by the build (tools/embed.sh). */
extern const unsigned char fl_data_stopwords[];
extern const size_t fl_data_stopwords_len;
extern const unsigned char fl_data_domain_words[];
extern const size_t fl_data_domain_words_len;
extern const unsigned char fl_data_protected_names[];
extern const size_t fl_data_protected_names_len;
extern const unsigned char fl_data_split_block_first[];
extern const size_t fl_data_split_block_first_len;
extern const unsigned char fl_data_split_block_head[];
extern const size_t fl_data_split_block_head_len;
extern const unsigned char fl_data_split_confix[];
extern const size_t fl_data_split_confix_len;
extern const unsigned char fl_data_split_block_part[];
extern const size_t fl_data_split_block_part_len;

/* Largest word list we read: ngerman is 4.5 MB; anything far larger is
 * not a word list. */
#define LEX_DICT_MAX_BYTES ((size_t)64 << 20)
/* Smallest hash table; tables grow at half load. */
#define LEX_MIN_SLOTS 1024u

struct lex_slot {
	uint32_t off; /* arena offset of the length byte + 1; 0 = empty */
	uint32_t val; /* flags (words set) or count (freqs set) */
};

/* Bloom filter bits per slot (8 per key at the half load limit) and
 * probes: small enough to stay in L2, so the splitter's many lookups of
 * substrings that are no word (~95 %) never touch the big table. */
#define LEX_BLOOM_BITS_PER_SLOT 4
#define LEX_BLOOM_K 2

struct lex_set {
	struct lex_slot *slots; /* mask + 1 slots */
	uint64_t *bloom;        /* (mask + 1) * LEX_BLOOM_BITS_PER_SLOT bits */
	size_t mask;            /* slot count - 1 (a power of two - 1) */
	size_t used;            /* occupied slots */
	char *arena;            /* length byte + key bytes, back to back */
	size_t arena_len;       /* bytes used */
	size_t arena_cap;       /* bytes allocated */
};

struct fl_lexicon {
	int refs;             /* reference count, atomic */
	int has_dict;         /* 1 when the system word list was read */
	struct lex_set words; /* lower-case forms -> enum fl_lexicon_flags */
	struct lex_set freqs; /* digraph forms -> corpus count */
	struct fl_spill spill; /* both sets' arrays when spilled */
};

enum key_mode {
	KEY_WORD,    /* lower case, ß -> ss */
	KEY_DIGRAPH, /* as KEY_WORD, and ä ö ü -> ae oe ue */
};

static uint32_t hash_bytes(const char *p, size_t n)
{
	return fl_hash(p, n, 0);
}

/* Two-byte sequences C3 xx: upper-case Latin-1 letters -> lower case. */
static int latin1_lower(unsigned char c2, enum key_mode mode, char out[2])
{
	if (c2 >= 0x80 && c2 <= 0x9e && c2 != 0x97)
		c2 += 0x20;
	if (c2 == 0x9f) { /* ß */
		out[0] = 's';
		out[1] = 's';
		return 2;
	}
	if (mode == KEY_DIGRAPH && (c2 == 0xa4 || c2 == 0xb6 || c2 == 0xbc)) {
		out[0] = c2 == 0xa4 ? 'a' : c2 == 0xb6 ? 'o' : 'u';
		out[1] = 'e';
		return 2;
	}
	out[0] = (char)0xc3;
	out[1] = (char)c2;
	return 2;
}

/*
 * Normalise w into out (at most FL_LEXICON_KEY_MAX bytes). Returns the key
 * length, or 0 when the key would be empty or too long.
 */
static size_t norm_key(const char *w, size_t n, enum key_mode mode, char *out)
{
	size_t i = 0;
	size_t o = 0;
	char two[2];

	while (i < n) {
		unsigned char c = (unsigned char)w[i];

		if (o + 2 > FL_LEXICON_KEY_MAX)
			return 0;
		if (c == 0xc3 && i + 1 < n) {
			latin1_lower((unsigned char)w[i + 1], mode, two);
			out[o++] = two[0];
			out[o++] = two[1];
			i += 2;
		} else if (c == 0xe1 && i + 2 < n &&
			   (unsigned char)w[i + 1] == 0xba &&
			   (unsigned char)w[i + 2] == 0x9e) { /* ẞ */
			out[o++] = 's';
			out[o++] = 's';
			i += 3;
		} else {
			out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			i++;
		}
	}
	return o;
}

/* Bit i of the Bloom filter for hash h (bits: a power of two). */
static uint32_t bloom_bit(uint32_t h, unsigned i, size_t bits)
{
	h ^= i * 0x9e3779b9u;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h & (uint32_t)(bits - 1);
}

static size_t bloom_bits(const struct lex_set *s)
{
	return (s->mask + 1) * LEX_BLOOM_BITS_PER_SLOT;
}

static void bloom_add(struct lex_set *s, uint32_t h)
{
	size_t bits = bloom_bits(s);
	unsigned i;

	for (i = 0; i < LEX_BLOOM_K; i++) {
		uint32_t b = bloom_bit(h, i, bits);

		s->bloom[b >> 6] |= (uint64_t)1 << (b & 63);
	}
}

/* 0 when the key with hash h is certainly not in s. */
static int bloom_may(const struct lex_set *s, uint32_t h)
{
	size_t bits = bloom_bits(s);
	unsigned i;

	for (i = 0; i < LEX_BLOOM_K; i++) {
		uint32_t b = bloom_bit(h, i, bits);

		if (!(s->bloom[b >> 6] & ((uint64_t)1 << (b & 63))))
			return 0;
	}
	return 1;
}

static void set_release(struct lex_set *s)
{
	free(s->slots);
	free(s->bloom);
	free(s->arena);
	memset(s, 0, sizeof(*s));
}

static int set_init(struct lex_set *s, size_t expect, size_t arena_cap)
{
	size_t n = LEX_MIN_SLOTS;

	while (n < expect * 2)
		n <<= 1;
	s->slots = calloc(n, sizeof(*s->slots));
	s->bloom = calloc(n * LEX_BLOOM_BITS_PER_SLOT / 64, sizeof(*s->bloom));
	s->arena = malloc(arena_cap ? arena_cap : 1);
	if (!s->slots || !s->bloom || !s->arena) {
		set_release(s);
		return FL_ENOMEM;
	}
	s->mask = n - 1;
	s->used = 0;
	s->arena_len = 0;
	s->arena_cap = arena_cap ? arena_cap : 1;
	return FL_OK;
}

/* The slot holding key (hash h), or the empty slot where it would go. */
static struct lex_slot *set_probe_h(const struct lex_set *s, const char *k,
				    size_t n, uint32_t h)
{
	size_t i = h & s->mask;

	for (;;) {
		struct lex_slot *sl = &s->slots[i];
		const char *e;

		if (sl->off == 0)
			return sl;
		e = s->arena + sl->off - 1;
		if ((unsigned char)e[0] == n && memcmp(e + 1, k, n) == 0)
			return sl;
		i = (i + 1) & s->mask;
	}
}

static int set_grow(struct lex_set *s)
{
	struct lex_slot *old = s->slots;
	size_t old_n = s->mask + 1;
	uint64_t *bloom = calloc(old_n * 2 * LEX_BLOOM_BITS_PER_SLOT / 64,
				 sizeof(*bloom));
	size_t i;

	s->slots = calloc(old_n * 2, sizeof(*s->slots));
	if (!s->slots || !bloom) {
		free(s->slots);
		free(bloom);
		s->slots = old;
		return FL_ENOMEM;
	}
	free(s->bloom);
	s->bloom = bloom;
	s->mask = old_n * 2 - 1;
	for (i = 0; i < old_n; i++) {
		const char *e;
		uint32_t h;

		if (!old[i].off)
			continue;
		e = s->arena + old[i].off - 1;
		h = hash_bytes(e + 1, (unsigned char)e[0]);
		*set_probe_h(s, e + 1, (unsigned char)e[0], h) = old[i];
		bloom_add(s, h);
	}
	free(old);
	return FL_OK;
}

static int arena_reserve(struct lex_set *s, size_t more)
{
	size_t cap = s->arena_cap;
	char *p;

	if (s->arena_len + more <= cap)
		return FL_OK;
	while (cap < s->arena_len + more)
		cap *= 2;
	if (cap > UINT32_MAX)
		return FL_ELIMIT;
	p = realloc(s->arena, cap);
	if (!p)
		return FL_ENOMEM;
	s->arena = p;
	s->arena_cap = cap;
	return FL_OK;
}

/*
 * Find or add key k (already normalised) and return its slot, or NULL when
 * out of memory. A new slot has val 0.
 */
static struct lex_slot *set_upsert(struct lex_set *s, const char *k, size_t n)
{
	struct lex_slot *sl;
	uint32_t h;

	if (n == 0 || n > FL_LEXICON_KEY_MAX)
		return NULL;
	if ((s->used + 1) * 2 > s->mask + 1 && set_grow(s) != FL_OK)
		return NULL;
	h = hash_bytes(k, n);
	sl = set_probe_h(s, k, n, h);
	if (sl->off)
		return sl;
	bloom_add(s, h);
	if (arena_reserve(s, n + 1) != FL_OK)
		return NULL;
	s->arena[s->arena_len] = (char)n;
	memcpy(s->arena + s->arena_len + 1, k, n);
	sl->off = (uint32_t)s->arena_len + 1;
	sl->val = 0;
	s->arena_len += n + 1;
	s->used++;
	return sl;
}

static const struct lex_slot *set_find(const struct lex_set *s,
				       const char *k, size_t n)
{
	const struct lex_slot *sl;
	uint32_t h;

	if (!s->slots || n == 0)
		return NULL;
	h = hash_bytes(k, n);
	if (!bloom_may(s, h))
		return NULL;
	sl = set_probe_h(s, k, n, h);
	return sl->off ? sl : NULL;
}

/* 1 when the line starts with an upper-case letter (a noun or a name). */
static int is_capitalised(const char *p, size_t n)
{
	unsigned char c = (unsigned char)p[0];

	if (c >= 'A' && c <= 'Z')
		return 1;
	return n > 1 && c == 0xc3 && (unsigned char)p[1] >= 0x80 &&
	       (unsigned char)p[1] <= 0x9e;
}

static int add_word(struct lex_set *s, const char *w, size_t n,
		    uint32_t flags)
{
	char key[FL_LEXICON_KEY_MAX];
	size_t k = norm_key(w, n, KEY_WORD, key);
	struct lex_slot *sl;

	if (k == 0)
		return FL_OK; /* empty or overlong: not a word we keep */
	sl = set_upsert(s, key, k);
	if (!sl)
		return FL_ENOMEM;
	sl->val |= flags;
	return FL_OK;
}

/* Words of one list, one a line; '#' starts a comment. flags_for_case:
 * when set, capitalised entries also get FL_LEX_NOUN, others FL_LEX_LOWER. */
static int add_list(struct lex_set *s, const char *p, size_t n,
		    uint32_t flags, int flags_for_case)
{
	const char *end = p + n;
	int rc = FL_OK;

	while (p < end && rc == FL_OK) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *c = memchr(p, '#', (size_t)(le - p));
		const char *we = c ? c : le;
		uint32_t f = flags;

		while (p < we && (*p == ' ' || *p == '\t'))
			p++;
		while (we > p && (we[-1] == ' ' || we[-1] == '\t' ||
				  we[-1] == '\r'))
			we--;
		if (we > p && flags_for_case)
			f |= is_capitalised(p, (size_t)(we - p)) ?
				FL_LEX_NOUN : FL_LEX_LOWER;
		if (we > p)
			rc = add_word(s, p, (size_t)(we - p), f);
		p = le + 1;
	}
	return rc;
}

static size_t count_lines(const char *p, size_t n)
{
	size_t lines = 1;
	const char *end = p + n;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		lines++;
		p++;
	}
	return lines;
}

/*
 * Read the whole file at path into a malloc'd buffer. A missing file
 * returns FL_ENOTFOUND without touching err.
 */
static int read_file(const char *path, char **out, size_t *len,
		     struct fl_err *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *buf = NULL;
	int rc = FL_OK;

	*out = NULL;
	if (!f)
		return FL_ENOTFOUND;
	if (fstat(fileno(f), &st) != 0 || st.st_size < 0 ||
	    (size_t)st.st_size > LEX_DICT_MAX_BYTES) {
		rc = fl_error(err, FL_EIO, "lexicon: cannot use word list '%s'",
			      path);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		rc = fl_error(err, FL_ENOMEM, "lexicon: out of memory");
		goto out;
	}
	*len = fread(buf, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		free(buf);
		rc = fl_error(err, FL_EIO, "lexicon: read error on '%s'", path);
		goto out;
	}
	*out = buf;
out:
	fclose(f);
	return rc;
}

/* One word of the system list between the two passes of load_words. */
struct lex_pending {
	uint32_t off;   /* arena offset of its length byte */
	uint32_t hash;  /* hash of its key */
	uint32_t flags; /* FL_LEX_DICT and NOUN or LOWER */
};

/* How far ahead load_words prefetches hash slots: the table is larger than
 * the caches, so inserting in file order is one cache miss per word. */
#define LEX_PREFETCH 16

/* Pass 1: normalise every line into the arena and remember its hash. */
static size_t stage_words(struct lex_set *s, const char *p, size_t n,
			  struct lex_pending *pend)
{
	const char *end = p + n;
	size_t cnt = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t wl = (size_t)(le - p);
		char *dst = s->arena + s->arena_len;
		size_t k;

		if (wl && p[wl - 1] == '\r')
			wl--;
		k = wl ? norm_key(p, wl, KEY_WORD, dst + 1) : 0;
		if (k) {
			dst[0] = (char)k;
			pend[cnt].off = (uint32_t)s->arena_len;
			pend[cnt].hash = hash_bytes(dst + 1, k);
			pend[cnt].flags = FL_LEX_DICT |
				(is_capitalised(p, wl) ? FL_LEX_NOUN :
				 FL_LEX_LOWER);
			s->arena_len += k + 1;
			cnt++;
		}
		p = le + 1;
	}
	return cnt;
}

/* Pass 2: insert the staged words, prefetching slots ahead. */
static void insert_staged(struct lex_set *s, const struct lex_pending *pend,
			  size_t cnt)
{
	size_t i;

	for (i = 0; i < cnt; i++) {
		const char *e = s->arena + pend[i].off;
		struct lex_slot *sl;

		if (i + LEX_PREFETCH < cnt)
			__builtin_prefetch(&s->slots[pend[i + LEX_PREFETCH].hash
						     & s->mask], 1);
		sl = set_probe_h(s, e + 1, (unsigned char)e[0], pend[i].hash);
		if (!sl->off) {
			sl->off = pend[i].off + 1;
			s->used++;
			bloom_add(s, pend[i].hash);
		}
		sl->val |= pend[i].flags;
	}
}

/* Read a word list (one word a line) into a fresh words set. */
static int load_words(struct lex_set *s, const char *buf, size_t len)
{
	size_t lines = count_lines(buf, len);
	struct lex_pending *pend = malloc(lines * sizeof(*pend));
	size_t cnt;
	int rc;

	if (!pend)
		return FL_ENOMEM;
	/* A key is never longer than its line (ẞ shrinks, nothing grows) and
	 * its length byte takes the newline's place. */
	rc = set_init(s, lines + 4096, len + 1 + (1u << 16));
	if (rc == FL_OK) {
		cnt = stage_words(s, buf, len, pend);
		insert_staged(s, pend, cnt);
	}
	free(pend);
	return rc;
}

static int load_dict(struct fl_lexicon *lex, const char *path,
		     struct fl_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	int rc = read_file(path, &buf, &len, err);

	if (rc == FL_ENOTFOUND)
		return set_init(&lex->words, LEX_MIN_SLOTS, 1u << 16);
	if (rc != FL_OK)
		return rc;
	rc = load_words(&lex->words, buf, len);
	if (rc == FL_OK)
		lex->has_dict = 1;
	free(buf);
	return rc;
}

static int load_curated(struct lex_set *s)
{
	int rc = FL_OK;

#define LEX_LIST(sym, flags, bycase) \
	if (rc == FL_OK) \
		rc = add_list(s, (const char *)sym, sym##_len, flags, bycase)
	LEX_LIST(fl_data_domain_words, FL_LEX_DOMAIN, 1);
	LEX_LIST(fl_data_protected_names, FL_LEX_PROTECTED | FL_LEX_NOUN, 0);
	LEX_LIST(fl_data_stopwords, FL_LEX_STOP, 0);
	LEX_LIST(fl_data_split_block_first, FL_LEX_NO_FIRST, 0);
	LEX_LIST(fl_data_split_block_head, FL_LEX_NO_HEAD, 0);
	LEX_LIST(fl_data_split_block_part, FL_LEX_NO_PART, 0);
	LEX_LIST(fl_data_split_confix, FL_LEX_CONFIX, 0);
#undef LEX_LIST
	return rc;
}

int fl_lexicon_load(const char *dict_path, struct fl_lexicon **out,
		    struct fl_err *err)
{
	struct fl_lexicon *lex = NULL;
	int rc;

	*out = NULL;
	if (!dict_path)
		dict_path = getenv("FINDLING_DICT");
	if (!dict_path || !*dict_path)
		dict_path = FL_LEXICON_DEFAULT_DICT;
	lex = calloc(1, sizeof(*lex));
	if (!lex)
		return fl_error(err, FL_ENOMEM, "lexicon: out of memory");
	lex->refs = 1;
	rc = load_dict(lex, dict_path, err);
	if (rc == FL_OK)
		rc = load_curated(&lex->words);
	if (rc != FL_OK) {
		fl_error(err, rc, "lexicon: cannot load word lists: %s",
			 fl_rc_str(rc));
		fl_lexicon_unref(lex);
		return rc;
	}
	*out = lex;
	return FL_OK;
}

struct fl_lexicon *fl_lexicon_ref(struct fl_lexicon *lex)
{
	if (lex)
		__atomic_add_fetch(&lex->refs, 1, __ATOMIC_SEQ_CST);
	return lex;
}

void fl_lexicon_unref(struct fl_lexicon *lex)
{
	if (!lex || __atomic_sub_fetch(&lex->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (lex->spill.map) {
		fl_spill_unmap(&lex->spill);
	} else {
		set_release(&lex->words);
		set_release(&lex->freqs);
	}
	free(lex);
}

/* The arrays of a set, as fl_spill_arrays parts; 0 for an empty set,
 * which stays as it is (no slots: every lookup misses). */
static size_t set_parts(struct lex_set *s, struct fl_spill_part *parts)
{
	size_t n = s->mask + 1;

	if (!s->slots)
		return 0;
	parts[0].p = (void **)&s->slots;
	parts[0].len = n * sizeof(*s->slots);
	parts[1].p = (void **)&s->bloom;
	parts[1].len = n * LEX_BLOOM_BITS_PER_SLOT / 64 * sizeof(*s->bloom);
	parts[2].p = (void **)&s->arena;
	parts[2].len = s->arena_len;
	return 3;
}

int fl_lexicon_spill(struct fl_lexicon *lex, const char *dir)
{
	struct fl_spill_part parts[6];
	size_t n = 0;

	if (lex->spill.map)
		return 0;
	n += set_parts(&lex->words, parts + n);
	n += set_parts(&lex->freqs, parts + n);
	if (n == 0 || fl_spill_arrays(dir, parts, n, &lex->spill) != 0)
		return -1;
	lex->words.arena_cap = lex->words.arena_len;
	lex->freqs.arena_cap = lex->freqs.arena_len;
	return 0;
}

size_t fl_lexicon_bytes(const struct fl_lexicon *lex, int *spilled)
{
	/* set_parts only points at the arrays here, to size them */
	struct fl_lexicon *w = (struct fl_lexicon *)lex;
	struct fl_spill_part parts[6];
	size_t n = 0;

	n += set_parts(&w->words, parts + n);
	n += set_parts(&w->freqs, parts + n);
	*spilled = lex->spill.map != NULL;
	return fl_spill_bytes(parts, n);
}

int fl_lexicon_add_freq(struct fl_lexicon *lex, const char *word, size_t len,
			uint32_t count, struct fl_err *err)
{
	char key[FL_LEXICON_KEY_MAX];
	size_t k = norm_key(word, len, KEY_DIGRAPH, key);
	struct lex_slot *sl;

	if (k == 0)
		return FL_OK; /* empty or overlong: never a compound part */
	if (lex->spill.map)
		return fl_error(err, FL_EINVAL, "lexicon: spilled, so read-only");
	if (!lex->freqs.slots &&
	    set_init(&lex->freqs, 1u << 16, 1u << 20) != FL_OK)
		return fl_error(err, FL_ENOMEM, "lexicon: out of memory");
	sl = set_upsert(&lex->freqs, key, k);
	if (!sl)
		return fl_error(err, FL_ENOMEM, "lexicon: out of memory");
	sl->val = UINT32_MAX - sl->val < count ? UINT32_MAX : sl->val + count;
	return FL_OK;
}

/* Parse one `word<TAB>count` line and add it. */
static int add_freq_line(struct fl_lexicon *lex, const char *p, size_t n,
			 struct fl_err *err)
{
	const char *tab = memchr(p, '\t', n);
	unsigned long long cnt = 1;
	char num[24];

	if (tab) {
		size_t nl = n - (size_t)(tab + 1 - p);
		char *end = NULL;

		if (nl == 0 || nl >= sizeof(num))
			return FL_OK;
		memcpy(num, tab + 1, nl);
		num[nl] = '\0';
		cnt = strtoull(num, &end, 10);
		if (end == num || cnt > UINT32_MAX)
			return FL_OK;
		n = (size_t)(tab - p);
	}
	return fl_lexicon_add_freq(lex, p, n, (uint32_t)cnt, err);
}

int fl_lexicon_add_freq_file(struct fl_lexicon *lex, const char *path,
			     struct fl_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	const char *p;
	const char *end;
	int rc = read_file(path, &buf, &len, err);

	if (rc == FL_ENOTFOUND)
		return fl_error(err, rc, "lexicon: cannot open '%s'", path);
	if (rc != FL_OK)
		return rc;
	p = buf;
	end = buf + len;
	while (p < end && rc == FL_OK) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t n = (size_t)(le - p);

		if (n && p[n - 1] == '\r')
			n--;
		if (n)
			rc = add_freq_line(lex, p, n, err);
		p = le + 1;
	}
	free(buf);
	return rc;
}

static int add_freq_rows(struct fl_lexicon *lex, sqlite3_stmt *st,
			 struct fl_err *err)
{
	int rc = FL_OK;
	int step;

	while (rc == FL_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		sqlite3_int64 n = sqlite3_column_int64(st, 1);

		if (t && n > 0)
			rc = fl_lexicon_add_freq(lex, t,
				(size_t)sqlite3_column_bytes(st, 0),
				n > UINT32_MAX ? UINT32_MAX : (uint32_t)n, err);
	}
	if (rc == FL_OK && step != SQLITE_DONE)
		rc = fl_error(err, FL_EDB, "lexicon: reading term_freq: %s",
			      sqlite3_errstr(step));
	return rc;
}

int fl_lexicon_add_freq_index(struct fl_lexicon *lex, const char *index_path,
			      struct fl_err *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc = FL_OK;

	if (sqlite3_open_v2(index_path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		rc = fl_error(err, FL_EIO, "lexicon: cannot open index '%s'",
			      index_path);
		goto out;
	}
	if (sqlite3_prepare_v2(db, "SELECT term, n FROM term_freq", -1, &st,
			       NULL) != SQLITE_OK) {
		rc = fl_error(err, FL_ENOTFOUND,
			      "lexicon: index '%s' has no term frequencies: %s",
			      index_path, sqlite3_errmsg(db));
		goto out;
	}
	rc = add_freq_rows(lex, st, err);
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

int fl_lexicon_has_dict(const struct fl_lexicon *lex)
{
	return lex->has_dict;
}

uint32_t fl_lexicon_flags(const struct fl_lexicon *lex, const char *w,
			  size_t n)
{
	char key[FL_LEXICON_KEY_MAX];
	size_t k = norm_key(w, n, KEY_WORD, key);
	const struct lex_slot *sl = k ? set_find(&lex->words, key, k) : NULL;

	return sl ? sl->val : 0;
}

int fl_lexicon_is_word(const struct fl_lexicon *lex, const char *w, size_t n)
{
	return (fl_lexicon_flags(lex, w, n) & FL_LEX_WORD) != 0;
}

int fl_lexicon_is_noun(const struct fl_lexicon *lex, const char *w, size_t n)
{
	return (fl_lexicon_flags(lex, w, n) & FL_LEX_NOUN) != 0;
}

int fl_lexicon_is_protected(const struct fl_lexicon *lex, const char *w,
			    size_t n)
{
	return (fl_lexicon_flags(lex, w, n) & FL_LEX_PROTECTED) != 0;
}

int fl_lexicon_is_stopword(const struct fl_lexicon *lex, const char *w,
			   size_t n)
{
	return (fl_lexicon_flags(lex, w, n) & FL_LEX_STOP) != 0;
}

uint32_t fl_lexicon_freq(const struct fl_lexicon *lex, const char *w,
			 size_t n)
{
	char key[FL_LEXICON_KEY_MAX];
	size_t k = norm_key(w, n, KEY_DIGRAPH, key);
	const struct lex_slot *sl = k ? set_find(&lex->freqs, key, k) : NULL;

	return sl ? sl->val : 0;
}

size_t fl_lexicon_freq_count(const struct fl_lexicon *lex)
{
	return lex->freqs.used;
}
