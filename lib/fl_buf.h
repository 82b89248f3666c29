/*
 * fl_buf.h - the one buffer type for text we build (git strbuf + curl dynbuf).
 *
 * data is never NULL after fl_buf_init and always NUL-terminated. Every buffer
 * has a mandatory maximum length fixed at init; an append that would pass it
 * fails with FL_ELIMIT and leaves the buffer as it was. Errors are sticky:
 * after the first failure every append is a no-op returning the same code,
 * so a long sequence of appends can be checked once at the end (buf->rc).
 */
#ifndef FL_BUF_H
#define FL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct fl_buf {
	char *data;    /* NUL-terminated; points at a static "" until first growth */
	size_t len;    /* bytes used, without the NUL */
	size_t cap;    /* bytes allocated, 0 while data is the static "" */
	size_t max;    /* ceiling for len; appends past it fail with FL_ELIMIT */
	int rc;        /* FL_OK, or the first error of an append */
};

/* Prepare an empty buffer that may grow to max bytes. Allocates nothing. */
void fl_buf_init(struct fl_buf *b, size_t max);

/* Free the memory and reset to an empty buffer (max is kept). NULL is fine. */
void fl_buf_release(struct fl_buf *b);

/* Empty the buffer and clear a sticky error; keeps the allocation. */
void fl_buf_reset(struct fl_buf *b);

/* Append len bytes of p. */
int fl_buf_add(struct fl_buf *b, const void *p, size_t len);

/* Append a NUL-terminated string. */
int fl_buf_adds(struct fl_buf *b, const char *s);

/* Append one byte. */
int fl_buf_addc(struct fl_buf *b, char c);

/* Append printf-style formatted text. */
int fl_buf_addf(struct fl_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int fl_buf_vaddf(struct fl_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Append p with HTML's five special characters escaped. */
int fl_buf_add_html(struct fl_buf *b, const char *p, size_t len);

/* Cut the buffer back to len bytes (len <= b->len). */
void fl_buf_truncate(struct fl_buf *b, size_t len);

/*
 * Hand the bytes to the caller, who frees them with free(); the buffer is
 * left empty. Returns NULL on allocation failure.
 */
char *fl_buf_detach(struct fl_buf *b, size_t *len_out);

#endif
