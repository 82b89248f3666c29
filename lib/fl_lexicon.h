/*
 * fl_lexicon.h - the word knowledge German analysis needs: the system word
 * list (/usr/share/dict/ngerman, read at run time), our curated lists
 * (the files in lib/data/, compiled in: domain words, protected place names,
 * splitting blocklists, stopwords) and optional corpus frequencies.
 *
 * A lexicon is built once (load, then optionally add frequencies) and then
 * treated as immutable: from then on it may be shared by any number of
 * analyzers and threads. It is reference counted; fl_lexicon_load() hands
 * back one reference, fl_lexicon_ref() adds one, fl_lexicon_unref() drops
 * one and frees the lexicon with the last.
 *
 * All words passed in are UTF-8, NFKC + case-folded (lower case), with
 * umlauts and ß as they are (not folded to digraphs).
 */
#ifndef FL_LEXICON_H
#define FL_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "fl_err.h"

struct fl_lexicon;

/* Default system word list (package wngerman). */
#define FL_LEXICON_DEFAULT_DICT "/usr/share/dict/ngerman"

/* Longest key the lexicon stores, in bytes (keys carry a one-byte length);
 * longer words are unknown to it. */
#define FL_LEXICON_KEY_MAX 120

/* What the lexicon knows about a word (fl_lexicon_flags()). */
enum fl_lexicon_flags {
	FL_LEX_DICT = 1 << 0,      /* in the system word list */
	FL_LEX_NOUN = 1 << 1,      /* listed capitalised (noun or name) */
	FL_LEX_LOWER = 1 << 2,     /* listed in lower case (verb, adjective..) */
	FL_LEX_DOMAIN = 1 << 3,    /* our domain words (lib/data) */
	FL_LEX_PROTECTED = 1 << 4, /* a name never to be split */
	FL_LEX_STOP = 1 << 5,      /* a stopword */
	FL_LEX_NO_FIRST = 1 << 6,  /* never the first part of a compound */
	FL_LEX_NO_HEAD = 1 << 7,   /* never the last part (head) */
	FL_LEX_NO_PART = 1 << 8,   /* never any part of a compound */
	FL_LEX_CONFIX = 1 << 9,    /* may start a compound, though no word or
				    * shorter than 3 letters (bio, öko, öl) */
};
/* The flags that make a word "known". */
#define FL_LEX_WORD (FL_LEX_DICT | FL_LEX_DOMAIN | FL_LEX_PROTECTED)

/*
 * Build a lexicon from dict_path (NULL: FL_LEXICON_DEFAULT_DICT, or the
 * environment variable FINDLING_DICT when set) plus the compiled-in lists.
 * A missing word list is not fatal: the lexicon then holds only the curated
 * lists and fl_lexicon_has_dict() returns 0. *out is NULL on failure.
 */
int fl_lexicon_load(const char *dict_path, struct fl_lexicon **out,
		    struct fl_err *err);

struct fl_lexicon *fl_lexicon_ref(struct fl_lexicon *lex);
void fl_lexicon_unref(struct fl_lexicon *lex);

/*
 * Add a corpus frequency for a word (exact channel form is fine: the lexicon
 * normalises the key itself). Only valid before the lexicon is shared.
 */
int fl_lexicon_add_freq(struct fl_lexicon *lex, const char *word, size_t len,
			uint32_t count, struct fl_err *err);

/*
 * All enum fl_lexicon_flags of word (0 when unknown). Case and ß/ss are
 * normalised here, so "Straße", "strasse" and "STRASSE" are one key.
 */
uint32_t fl_lexicon_flags(const struct fl_lexicon *lex, const char *w,
			  size_t n);

/*
 * Add the counts of a frequency file: one `word<TAB>count` a line (a word
 * alone counts 1). Lines that do not parse are skipped. Only valid before
 * the lexicon is shared.
 */
int fl_lexicon_add_freq_file(struct fl_lexicon *lex, const char *path,
			     struct fl_err *err);

/*
 * Add the counts of table term_freq(term TEXT, n INTEGER) of the index at
 * index_path (opened read-only). FL_ENOTFOUND when the index has no such
 * table. Only valid before the lexicon is shared.
 */
int fl_lexicon_add_freq_index(struct fl_lexicon *lex, const char *index_path,
			      struct fl_err *err);

/* 1 when the system word list was found and read. */
int fl_lexicon_has_dict(const struct fl_lexicon *lex);

/* 1 when word (lower case) is a known word: system list or domain words. */
int fl_lexicon_is_word(const struct fl_lexicon *lex, const char *w, size_t n);

/* 1 when the word list has it as a capitalised entry (a noun or name). */
int fl_lexicon_is_noun(const struct fl_lexicon *lex, const char *w, size_t n);

/* 1 when word must never be split (regional place names and the like). */
int fl_lexicon_is_protected(const struct fl_lexicon *lex, const char *w,
			    size_t n);

/* 1 when word is a stopword (Snowball German list, our edits). */
int fl_lexicon_is_stopword(const struct fl_lexicon *lex, const char *w,
			   size_t n);

/* Corpus frequency of word, 0 when unknown or no frequencies were added. */
uint32_t fl_lexicon_freq(const struct fl_lexicon *lex, const char *w,
			 size_t n);

/*
 * Move the lexicon's tables into a mapped unlinked file (fl_spill.h: dir,
 * then $TMPDIR, /var/tmp), once it is complete and before it is shared:
 * frequencies can no longer be added. 0 when moved; -1 when it stays on
 * the heap, which works as well.
 */
int fl_lexicon_spill(struct fl_lexicon *lex, const char *dir);

/* Bytes of the lexicon's tables; *spilled 1 when fl_lexicon_spill moved
 * them. */
size_t fl_lexicon_bytes(const struct fl_lexicon *lex, int *spilled);

/* Number of words with a frequency (0: dictionary-only splitting). */
size_t fl_lexicon_freq_count(const struct fl_lexicon *lex);

#endif
