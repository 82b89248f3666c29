/*
 * fl_spill.c - arrays moved into a mapped unlinked file (see fl_spill.h).
 */
#define _GNU_SOURCE /* O_TMPFILE */
#include "fl_spill.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fl_banned.h"

/* Each array starts on its own cache line. */
static size_t cache_line_up(size_t n)
{
	return (n + 63) & ~(size_t)63;
}

static int write_at(int fd, const void *p, size_t n, off_t at)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = pwrite(fd, c, n, at);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
		at += w;
	}
	return 0;
}

/*
 * An unlinked file in dir. O_TMPFILE never leaves a name behind; where the
 * file system lacks it (overlayfs before Linux 6.6), a named file unlinked
 * at once, which a crash between the two calls could leave.
 */
static int unlinked_file_in(const char *dir)
{
	char path[4096];
	int fd, n;

	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR))
		return fd;
	n = snprintf(path, sizeof(path), "%s/.findling-spill-XXXXXX", dir);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -1;
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	return fd;
}

/* Write every part at its offset; the file's length in *len. */
static int write_parts(int fd, const struct fl_spill_part *parts, size_t n,
		       size_t *len)
{
	size_t at = 0, i;

	for (i = 0; i < n; i++) {
		if (write_at(fd, *parts[i].p, parts[i].len, (off_t)at) != 0)
			return -1;
		at = cache_line_up(at + parts[i].len);
	}
	*len = at ? at : 64;
	return ftruncate(fd, (off_t)*len);
}

/* The parts written into an unlinked file in dir and mapped; MAP_FAILED
 * when dir takes no file or is full. */
static void *map_parts_in(const char *dir, const struct fl_spill_part *parts,
			  size_t n, size_t *len)
{
	void *map = MAP_FAILED;
	int fd = unlinked_file_in(dir);

	if (fd < 0)
		return MAP_FAILED;
	if (write_parts(fd, parts, n, len) == 0)
		map = mmap(NULL, *len, PROT_READ, MAP_SHARED, fd, 0);
	close(fd); /* the mapping keeps the file; unmapping frees it */
	return map;
}

int fl_spill_arrays(const char *dir, const struct fl_spill_part *parts,
		    size_t n, struct fl_spill *out)
{
	const char *dirs[3] = { dir, getenv("TMPDIR"), "/var/tmp" };
	void *map = MAP_FAILED;
	size_t len = 0, at = 0, i;

	out->map = NULL;
	out->len = 0;
	for (i = 0; i < 3 && map == MAP_FAILED; i++)
		if (dirs[i] && *dirs[i])
			map = map_parts_in(dirs[i], parts, n, &len);
	if (map == MAP_FAILED)
		return -1;
	for (i = 0; i < n; i++) {
		free(*parts[i].p);
		*parts[i].p = (char *)map + at;
		at = cache_line_up(at + parts[i].len);
	}
	out->map = map;
	out->len = len;
	return 0;
}

size_t fl_spill_bytes(const struct fl_spill_part *parts, size_t n)
{
	size_t bytes = 0, i;

	for (i = 0; i < n; i++)
		bytes += parts[i].len;
	return bytes;
}

void fl_spill_unmap(struct fl_spill *s)
{
	if (s->map)
		munmap(s->map, s->len);
	s->map = NULL;
	s->len = 0;
}
