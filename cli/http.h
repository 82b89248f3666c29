/*
 * http.h - a tiny HTTP/1.1 GET client for `findling search --server URL`:
 * the daemon (findling-searchd) on this machine answers the same JSON as
 * the library, so the CLI prints it with the same writers. Loopback
 * addresses only (127.0.0.0/8, ::1, a name resolving to them).
 */
#ifndef CLI_HTTP_H
#define CLI_HTTP_H

#include <stddef.h>

#include "fl_buf.h"
#include "fl_err.h"

/* Largest response body accepted. */
#define CLI_HTTP_MAX_BODY (64 * 1024 * 1024)

struct cli_url {
	char host[256];
	char port[8];
	char prefix[256]; /* path before /api/..., no trailing slash */
};

/* Parse http://host[:port][/prefix] into u; -1 and a message in err. */
int cli_url_parse(const char *url, struct cli_url *u, char *err,
		  size_t errlen);

/* Append val percent-encoded (all but unreserved characters) to b. */
void cli_url_add_encoded(struct fl_buf *b, const char *val);

/* Append ?key=val or &key=val (percent-encoded) to b; val NULL: nothing. */
void cli_url_add_param(struct fl_buf *b, const char *key, const char *val);

/*
 * GET prefix + target (path and query, already encoded) from u. On 0,
 * *status is the HTTP status and body (initialised by the caller with
 * its ceiling, e.g. CLI_HTTP_MAX_BODY) holds the decoded body; -1 and a
 * message in err when no valid response arrived.
 */
int cli_http_get(const struct cli_url *u, const char *target, int *status,
		 struct fl_buf *body, char *err, size_t errlen);

#endif
