/*
 * fl_err.c - error recording (see fl_err.h).
 */
#include "fl_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fl_banned.h"

void fl_err_clear(struct fl_err *err)
{
	if (!err)
		return;
	err->code = FL_OK;
	err->msg[0] = '\0';
}

int fl_error(struct fl_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!err || err->code != FL_OK)
		return code;
	err->code = code;
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		err->msg[0] = '\0';
	else if ((size_t)n >= sizeof(err->msg))
		memcpy(err->msg + sizeof(err->msg) - 4, "...", 4);
	return code;
}

const char *fl_rc_str(int code)
{
	switch (code) {
	case FL_OK: return "ok";
	case FL_ENOMEM: return "out of memory";
	case FL_EINVAL: return "invalid input";
	case FL_EIO: return "i/o error";
	case FL_EDB: return "database error";
	case FL_EQUERY: return "query error";
	case FL_ELIMIT: return "limit exceeded";
	case FL_ENOTFOUND: return "not found";
	case FL_EVERSION: return "version mismatch";
	case FL_EFORMAT: return "format error";
	case FL_EBUSY: return "busy";
	}
	return "unknown error";
}
