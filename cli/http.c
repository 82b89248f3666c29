/*
 * http.c - the tiny HTTP/1.1 client of `findling search --server URL`
 * (see http.h): one GET per connection (Connection: close) over a TCP
 * socket to a loopback address only, with timeouts and a bounded body;
 * chunked bodies are decoded. No TLS, no redirects, no proxies: the
 * daemon it talks to runs on this machine.
 */
#include "http.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "fl_banned.h"

/* Seconds a connect, send or receive may block. */
#define CLI_HTTP_TIMEOUT_S 30
/* Request line + headers we send. */
#define CLI_HTTP_MAX_REQUEST (64 * 1024)
/* Bytes read per recv(). */
#define CLI_HTTP_READ 16384

static int set_err(char *err, size_t n, const char *msg, const char *arg)
{
	snprintf(err, n, "%s%s%s", msg, arg ? ": " : "", arg ? arg : "");
	return -1;
}

int cli_url_parse(const char *url, struct cli_url *u, char *err,
		  size_t errlen)
{
	const char *h, *end, *colon, *slash;
	size_t hn, pn;

	memset(u, 0, sizeof(*u));
	if (strncmp(url, "http://", 7))
		return set_err(err, errlen, "only http:// URLs", url);
	h = url + 7;
	slash = strchr(h, '/');
	end = slash ? slash : h + strlen(h);
	colon = memchr(h, ':', (size_t)(end - h));
	hn = (size_t)((colon ? colon : end) - h);
	pn = colon ? (size_t)(end - colon - 1) : 0;
	if (!hn || hn >= sizeof(u->host) || pn >= sizeof(u->port) ||
	    (colon && !pn) || (slash && strlen(slash) >= sizeof(u->prefix)))
		return set_err(err, errlen, "bad URL", url);
	memcpy(u->host, h, hn);
	if (pn)
		memcpy(u->port, colon + 1, pn);
	else
		memcpy(u->port, "80", 3);
	if (slash)
		memcpy(u->prefix, slash, strlen(slash) + 1);
	while (u->prefix[0] && u->prefix[strlen(u->prefix) - 1] == '/')
		u->prefix[strlen(u->prefix) - 1] = '\0';
	if (strspn(u->port, "0123456789") != strlen(u->port))
		return set_err(err, errlen, "bad port in URL", url);
	return 0;
}

void cli_url_add_encoded(struct fl_buf *b, const char *val)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)val;

	for (; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
			fl_buf_addc(b, (char)*p);
			continue;
		}
		fl_buf_addc(b, '%');
		fl_buf_addc(b, hex[*p >> 4]);
		fl_buf_addc(b, hex[*p & 15]);
	}
}

void cli_url_add_param(struct fl_buf *b, const char *key, const char *val)
{
	if (!val)
		return;
	fl_buf_addc(b, strchr(b->data, '?') ? '&' : '?');
	fl_buf_adds(b, key);
	fl_buf_addc(b, '=');
	cli_url_add_encoded(b, val);
}

static int is_loopback(const struct addrinfo *ai)
{
	if (ai->ai_family == AF_INET) {
		const struct sockaddr_in *a = (const void *)ai->ai_addr;

		return (ntohl(a->sin_addr.s_addr) >> 24) == 127;
	}
	if (ai->ai_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)ai->ai_addr;

		return IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
	}
	return 0;
}

/* A connected socket to a loopback address of u, or -1. */
static int dial(const struct cli_url *u, char *err, size_t errlen)
{
	struct addrinfo hints, *res = NULL, *ai;
	struct timeval tv = { CLI_HTTP_TIMEOUT_S, 0 };
	int fd = -1, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(u->host, u->port, &hints, &res);
	if (rc)
		return set_err(err, errlen, "cannot resolve", u->host);
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		if (!is_loopback(ai))
			continue;
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(fd, ai->ai_addr, ai->ai_addrlen)) {
			snprintf(err, errlen, "cannot connect to %s:%s: %s",
				 u->host, u->port, strerror(errno));
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0 && !err[0])
		snprintf(err, errlen, "'%s' is not a loopback address "
			 "(--server talks to this machine only)", u->host);
	freeaddrinfo(res);
	return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static int recv_all(int fd, struct fl_buf *b)
{
	char tmp[CLI_HTTP_READ];

	for (;;) {
		ssize_t k = recv(fd, tmp, sizeof(tmp), 0);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			return 0;
		if (fl_buf_add(b, tmp, (size_t)k) != FL_OK)
			return -1;
	}
}

/* Decode a chunked body in place; -1 when malformed. */
static int unchunk(struct fl_buf *b, size_t at)
{
	size_t in = at, out = at;

	for (;;) {
		char *end;
		unsigned long n = strtoul(b->data + in, &end, 16);
		char *nl = strstr(b->data + in, "\r\n");

		if (!nl || end == b->data + in)
			return -1;
		in = (size_t)(nl - b->data) + 2;
		if (n == 0)
			break;
		if (n > b->len - in)
			return -1;
		memmove(b->data + out, b->data + in, n);
		out += n;
		in += n + 2;
		if (in > b->len)
			return -1;
	}
	b->len = out;
	b->data[out] = '\0';
	return 0;
}

/* Split the raw response in b: status, then b holds the body only. */
static int parse_response(struct fl_buf *b, int *status)
{
	char *hend = strstr(b->data, "\r\n\r\n");
	char *p, *te;
	size_t body;

	if (strncmp(b->data, "HTTP/1.", 7) || !hend || b->len < 12)
		return -1;
	*status = (int)strtol(b->data + 9, NULL, 10);
	body = (size_t)(hend - b->data) + 4;
	*hend = '\0';
	te = NULL;
	for (p = strstr(b->data, "\r\n"); p; p = strstr(p + 2, "\r\n"))
		if (!strncasecmp(p + 2, "transfer-encoding:", 18))
			te = p + 20;
	if (te && strstr(te, "chunked")) {
		if (unchunk(b, body))
			return -1;
	}
	memmove(b->data, b->data + body, b->len - body + 1);
	b->len -= body;
	return 0;
}

int cli_http_get(const struct cli_url *u, const char *target, int *status,
		 struct fl_buf *body, char *err, size_t errlen)
{
	struct fl_buf req;
	int fd, rc = -1;

	err[0] = '\0';
	fd = dial(u, err, errlen);
	if (fd < 0)
		return -1;
	fl_buf_init(&req, CLI_HTTP_MAX_REQUEST);
	fl_buf_addf(&req, "GET %s%s HTTP/1.1\r\nHost: %s:%s\r\n"
		    "Accept: application/json\r\nConnection: close\r\n"
		    "User-Agent: findling\r\n\r\n", u->prefix, target, u->host,
		    u->port);
	if (req.rc != FL_OK)
		set_err(err, errlen, "request too long", NULL);
	else if (send_all(fd, req.data, req.len) || recv_all(fd, body))
		snprintf(err, errlen, "%s:%s: %s", u->host, u->port,
			 body->rc != FL_OK ? "response too large"
					   : strerror(errno));
	else if (parse_response(body, status))
		set_err(err, errlen, "malformed HTTP response from", u->host);
	else
		rc = 0;
	fl_buf_release(&req);
	close(fd);
	return rc;
}
