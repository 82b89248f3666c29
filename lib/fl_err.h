/*
 * fl_err.h - the one error convention of Findling.
 *
 * A function that can fail returns int (FL_OK or a negative FL_E... code)
 * and takes `struct fl_err *err` as its last parameter. The struct is owned
 * by the caller; the message is bounded. The first error wins: later calls
 * to fl_error() on a set err keep the first message (SQLite's sticky rc).
 * err may be NULL where the caller does not want the message.
 */
#ifndef FL_ERR_H
#define FL_ERR_H

#include <stddef.h>

enum fl_rc {
	FL_OK = 0,
	FL_ENOMEM = -1,   /* allocation failed */
	FL_EINVAL = -2,   /* bad argument or bad input */
	FL_EIO = -3,      /* file system or read error */
	FL_EDB = -4,      /* SQLite reported an error */
	FL_EQUERY = -5,   /* query could not be understood */
	FL_ELIMIT = -6,   /* a named limit was exceeded */
	FL_ENOTFOUND = -7,/* the thing asked for does not exist */
	FL_EVERSION = -8, /* index built by another schema or analyzer */
	FL_EFORMAT = -9,  /* input file is not of the expected format */
	FL_EBUSY = -10,   /* time budget exhausted or database busy */
};

/* Longest message kept; longer ones are cut with "...". */
#define FL_ERR_MSG_MAX 512

struct fl_err {
	int code;                   /* FL_OK until the first error */
	char msg[FL_ERR_MSG_MAX];   /* NUL-terminated, "" until the first error */
};

/* Set err to FL_OK with an empty message. */
void fl_err_clear(struct fl_err *err);

/*
 * Record an error (printf-style message: lower case, no full stop, subject
 * first) unless err already holds one, and return code. NULL err is allowed.
 */
int fl_error(struct fl_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A short English name for a code ("out of memory", "invalid input", ...). */
const char *fl_rc_str(int code);

#endif
