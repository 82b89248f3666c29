/*
 * fl_spill.h - immutable arrays moved off the heap: copied into one
 * unlinked file and mapped read-only, the way the index itself is mapped.
 * Their pages then belong to the kernel's page cache, which can drop and
 * reread them under memory pressure, where heap pages are pinned (servers
 * seldom swap). searchd spills what it holds per document and per corpus
 * word, so its heap stays the same size whatever the corpus.
 */
#ifndef FL_SPILL_H
#define FL_SPILL_H

#include <stddef.h>

/* One array to move: *p was allocated with malloc and holds len bytes. */
struct fl_spill_part {
	void **p;
	size_t len;
};

/* A mapping made by fl_spill_arrays; zeroed = none. */
struct fl_spill {
	void *map;
	size_t len;
};

/*
 * Copy the n arrays into one unlinked file in the first of dir, $TMPDIR
 * and /var/tmp that takes it whole (a full or read-only file system passes
 * to the next), map it read-only, free each *p and point it at its copy. *out then owns the mapping: fl_spill_unmap it after the
 * last use of the arrays. Returns 0; -1 when no directory took the file
 * or a write or the map failed, and then nothing changed (the arrays stay
 * on the heap, which is as correct and only costs memory).
 */
int fl_spill_arrays(const char *dir, const struct fl_spill_part *parts,
		    size_t n, struct fl_spill *out);

/* Bytes of the n parts together (without the file's alignment). */
size_t fl_spill_bytes(const struct fl_spill_part *parts, size_t n);

/* Unmap (the file goes with it); a zeroed fl_spill is left alone. */
void fl_spill_unmap(struct fl_spill *s);

#endif
