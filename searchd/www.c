/*
 * www.c - the search page: a fixed, compiled-in set of files (the
 * Makefile embeds searchd/www/ as sd_www_<name>), or with --www DIR the
 * same names read from DIR, with no way out of it: names are one path
 * segment of safe characters, and the resolved file must lie inside DIR
 * (symlinks pointing out are refused).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"
#include "fl_banned.h"

#define EMBED(sym) \
	extern const unsigned char sym[]; extern const size_t sym##_len;
EMBED(sd_www_index_html)
EMBED(sd_www_app_js)
EMBED(sd_www_style_css)
EMBED(sd_www_opensearch_xml)
EMBED(sd_www_openapi_json)
EMBED(sd_www_favicon_svg)

/* Characters allowed in a Host header we echo into opensearch.xml. */
#define HOST_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" \
		   "0123456789.-:[]"
/* Longest file name under --www. */
#define NAME_MAX_BYTES 128

struct www_file {
	const char *name;             /* path below "/" */
	const unsigned char *data;    /* compiled-in bytes */
	const size_t *len;            /* their length */
	const char *ctype;            /* Content-Type */
};

static const struct www_file files[] = {
	{ "index.html", sd_www_index_html, &sd_www_index_html_len,
	  "text/html; charset=utf-8" },
	{ "app.js", sd_www_app_js, &sd_www_app_js_len,
	  "text/javascript; charset=utf-8" },
	{ "style.css", sd_www_style_css, &sd_www_style_css_len,
	  "text/css; charset=utf-8" },
	{ "opensearch.xml", sd_www_opensearch_xml, &sd_www_opensearch_xml_len,
	  "application/opensearchdescription+xml; charset=utf-8" },
	{ "openapi.json", sd_www_openapi_json, &sd_www_openapi_json_len,
	  "application/json; charset=utf-8" },
	{ "favicon.svg", sd_www_favicon_svg, &sd_www_favicon_svg_len,
	  "image/svg+xml" },
};

/* One path segment of [A-Za-z0-9._-], not starting with a dot. */
static int safe_name(const char *n)
{
	size_t i;

	if (n[0] == '\0' || n[0] == '.' || strlen(n) > NAME_MAX_BYTES)
		return 0;
	for (i = 0; n[i]; i++) {
		char c = n[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		      || (c >= '0' && c <= '9') || c == '.' || c == '_'
		      || c == '-'))
			return 0;
	}
	return strstr(n, "..") == NULL;
}

/* Read DIR/name into a new buffer; 0, or -1 (not there / not allowed). */
static int read_file(const char *dir, const char *name, char **out,
		     size_t *len)
{
	char path[4096];
	char *real = NULL;
	char *buf = NULL;
	struct stat sb;
	size_t dlen = strlen(dir);
	ssize_t n = -1;
	int fd = -1;

	*out = NULL;
	if (snprintf(path, sizeof path, "%s/%s", dir, name)
	    >= (int)sizeof path)
		return -1;
	real = realpath(path, NULL);
	if (!real || strncmp(real, dir, dlen) != 0 || real[dlen] != '/')
		goto out;
	fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)
	    || sb.st_size > SD_MAX_FILE_BYTES)
		goto out;
	buf = malloc((size_t)sb.st_size + 1);
	if (buf)
		n = read(fd, buf, (size_t)sb.st_size);
	if (n == (ssize_t)sb.st_size) {
		*out = buf;
		*len = (size_t)n;
		buf = NULL;
	}
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	free(real);
	return *out ? 0 : -1;
}

static const char *type_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i;

	for (i = 0; dot && i < sizeof files / sizeof files[0]; i++)
		if (strcmp(strrchr(files[i].name, '.'), dot) == 0)
			return files[i].ctype;
	return "application/octet-stream";
}

/* Host header if it is a plain host[:port], else the loopback default. */
static const char *host_of(struct sd_req *r)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						    "Host");
	size_t i;

	if (!h || h[0] == '\0' || strlen(h) > NAME_MAX_BYTES)
		return "127.0.0.1";
	for (i = 0; h[i]; i++)
		if (!strchr(HOST_CHARS, h[i]))
			return "127.0.0.1";
	return h;
}

/*
 * The OpenSearch description needs absolute URLs: replace every @ORIGIN@
 * with http://<Host> (Host checked to be harmless in XML).
 */
static enum MHD_Result serve_opensearch(struct sd_req *r, const char *data,
					size_t len)
{
	static const char mark[] = "@ORIGIN@";
	const char *end = data + len;
	const char *p = data;
	struct fl_buf b;
	char *text;
	size_t n;

	fl_buf_init(&b, SD_MAX_FILE_BYTES);
	while (p < end) {
		const char *m = strstr(p, mark);

		if (!m || m >= end) {
			fl_buf_add(&b, p, (size_t)(end - p));
			break;
		}
		fl_buf_add(&b, p, (size_t)(m - p));
		fl_buf_addf(&b, "http://%s", host_of(r));
		p = m + sizeof mark - 1;
	}
	text = b.rc == FL_OK ? fl_buf_detach(&b, &n) : NULL;
	fl_buf_release(&b);
	if (!text)
		return MHD_NO;
	return sd_respond_bytes(r, MHD_HTTP_OK, files[3].ctype, text, n, 1);
}

static enum MHD_Result serve(struct sd_req *r, const char *name,
			     const char *ctype, const char *data, size_t len,
			     int take)
{
	enum MHD_Result ret;

	if (strcmp(name, "opensearch.xml") != 0)
		return sd_respond_bytes(r, MHD_HTTP_OK, ctype, data, len,
					take);
	ret = serve_opensearch(r, data, len);
	if (take)
		free((void *)data);
	return ret;
}

enum MHD_Result sd_www_serve(struct sd_req *r, const char *rest)
{
	const char *name = rest[0] ? rest : "index.html";
	char *data;
	size_t i, len;

	if (strstr(name, ".."))
		return sd_respond_error(r, MHD_HTTP_BAD_REQUEST, "bad_path",
					"path", "'..' is not allowed in a path");
	if (!safe_name(name))
		return sd_respond_error(r, MHD_HTTP_NOT_FOUND, "not_found",
					"path", "no such path");
	if (r->d->www_real) {
		if (read_file(r->d->www_real, name, &data, &len) != 0)
			return sd_respond_error(r, MHD_HTTP_NOT_FOUND,
						"not_found", "path",
						"no such file: '%s'", name);
		return serve(r, name, type_of(name), data, len, 1);
	}
	for (i = 0; i < sizeof files / sizeof files[0]; i++)
		if (strcmp(files[i].name, name) == 0)
			return serve(r, name, files[i].ctype,
				     (const char *)files[i].data,
				     *files[i].len, 0);
	return sd_respond_error(r, MHD_HTTP_NOT_FOUND, "not_found", "path",
				"no such file: '%s'", name);
}
