/*
 * fl_hash.h - the 32-bit hash of the library's in-memory tables (word
 * cache, lexicon, tally, snippet query, phrase counts): FNV-1a over bytes,
 * then murmur3's fmix32, because the tables index slots by the low bits,
 * which FNV alone mixes poorly. Inline: it sits on the hottest paths.
 * Nothing hashed here is stored on disk, so the function may change.
 */
#ifndef FL_HASH_H
#define FL_HASH_H

#include <stddef.h>
#include <stdint.h>

#define FL_HASH_SEED 2166136261u

/* h extended by the n bytes at s (FNV-1a); start from FL_HASH_SEED. */
static inline uint32_t fl_hash_add(uint32_t h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* murmur3's finaliser: every input bit reaches the low bits. */
static inline uint32_t fl_hash_finish(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

/* Hash of n bytes at s, mixed with seed (e.g. a mode or flag). */
static inline uint32_t fl_hash(const char *s, size_t n, uint32_t seed)
{
	return fl_hash_finish(fl_hash_add(FL_HASH_SEED ^ seed, s, n));
}

#endif
