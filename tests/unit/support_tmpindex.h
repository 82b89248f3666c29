/*
 * support_tmpindex.h - a throw-away index location for unit tests: a fresh
 * directory under /tmp with the index path inside, and its removal with
 * the WAL files SQLite leaves beside the index.
 */
#ifndef SUPPORT_TMPINDEX_H
#define SUPPORT_TMPINDEX_H

struct tmp_index {
	char dir[64];   /* the temporary directory */
	char path[96];  /* dir/t.db */
};

/* Create a new directory named after tag; 0 on success, -1 on failure. */
int tmp_index_make(struct tmp_index *t, const char *tag);

/* Remove the index, its -wal and -shm files and the directory. */
void tmp_index_remove(const struct tmp_index *t);

#endif
