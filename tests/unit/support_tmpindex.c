/* support_tmpindex.c - see support_tmpindex.h. */
#include "support_tmpindex.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int tmp_index_make(struct tmp_index *t, const char *tag)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/fl-test-%s-XXXXXX", tag);
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(t->path, sizeof(t->path), "%s/t.db", t->dir);
	return 0;
}

void tmp_index_remove(const struct tmp_index *t)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char p[sizeof(t->path) + 8];
	size_t i;

	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", t->path, suffix[i]);
		unlink(p);
	}
	rmdir(t->dir);
}
