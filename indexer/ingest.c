/*
 * ingest.c - walking inputs, extracting, batching documents into
 * transactions, skip-and-report (see ingest.h).
 */
#include "ingest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ahead.h"
#include "extract.h"
#include "fl_buf.h"
#include "fl_doc.h"
#include "fl_suggest.h"
#include "fl_utf8.h"
#include "fl_banned.h"

/* Raw files larger than this are not read (PDFs hold more than text). */
#define IDX_MAX_FILE_BYTES (256u * 1024 * 1024)
/* Longest path we build. */
#define IDX_MAX_PATH 4096
/* Redraw the progress line at most this often (seconds). */
#define PROGRESS_EVERY 0.1
/* Bytes of a bad value quoted in a warning. */
#define SHOW_BYTES 40

static const char *const txt_exts[] = { "txt", NULL };
static const char *const md_exts[] = { "md", "markdown", NULL };
static const char *const html_exts[] = { "html", "htm", NULL };
static const char *const pdf_exts[] = { "pdf", NULL };
static const char *const jsonl_exts[] = { "jsonl", "ndjson", NULL };

static const struct idx_extractor extractors[] = {
	{ "text", txt_exts, idx_extract_text, NULL },
	{ "markdown", md_exts, idx_extract_markdown, NULL },
	{ "html", html_exts, idx_extract_html, NULL },
	{ "pdf", pdf_exts, idx_extract_pdf, NULL },
	{ "jsonl", jsonl_exts, NULL, idx_extract_jsonl },
};

const struct idx_extractor *idx_extractor_find(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');
	size_t i;
	size_t j;

	if (!dot)
		return NULL;
	for (i = 0; i < sizeof(extractors) / sizeof(extractors[0]); i++)
		for (j = 0; extractors[i].exts[j]; j++)
			if (!strcasecmp(dot + 1, extractors[i].exts[j]))
				return &extractors[i];
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void idx_ingest_init(struct idx_ingest *in, struct fl_store *st,
		     const struct idx_opts *opts)
{
	memset(in, 0, sizeof(*in));
	in->st = st;
	in->opts = *opts;
	if (!in->opts.batch_docs)
		in->opts.batch_docs = IDX_BATCH_DOCS;
	if (!in->opts.batch_bytes)
		in->opts.batch_bytes = IDX_BATCH_BYTES;
	in->t0 = now();
	/* no second thread is no error: documents are then analysed inline */
	if (!getenv("FL_INDEX_NO_THREAD"))
		idx_ahead_start(&in->ahead, fl_store_lexicon(st));
}

double idx_ingest_elapsed(const struct idx_ingest *in)
{
	return now() - in->t0;
}

static void clear_progress(struct idx_ingest *in)
{
	if (in->opts.progress && in->last_draw > 0)
		fputs("\r\033[K", stderr);
}

static void progress(struct idx_ingest *in)
{
	double t;
	size_t docs;

	if (!in->opts.progress)
		return;
	t = now();
	if (t - in->last_draw < PROGRESS_EVERY)
		return;
	in->last_draw = t;
	docs = in->n.added + in->n.updated + in->n.unchanged;
	fprintf(stderr, "\r\033[K%zu docs, %.1f MB, %.0f docs/s", docs,
		(double)in->n.bytes / 1e6, docs / (t - in->t0 + 1e-9));
}

/* Tell about an input: "file:line: what" or "file: what". */
static void say(struct idx_ingest *in, const char *file, size_t line,
		const char *what)
{
	clear_progress(in);
	if (line)
		fprintf(stderr, "%s:%zu: %s\n", file, line, what);
	else
		fprintf(stderr, "%s: %s\n", file, what);
}

/* Report a skipped input. */
static void report(struct idx_ingest *in, const char *file, size_t line,
		   const char *reason)
{
	say(in, file, line, reason);
	in->n.skipped++;
}

/*
 * Copy at most SHOW_BYTES of v into out, cut at a character boundary and
 * marked "..." when cut; control bytes become '?' so that a value cannot
 * break the one-line file:line format.
 */
static void shown(const char *v, char out[SHOW_BYTES + 4])
{
	size_t len = strnlen(v, SHOW_BYTES + 1);
	size_t n = len > SHOW_BYTES ? fl_utf8_cut(v, SHOW_BYTES) : len;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		out[i] = c < 0x20 || c == 0x7f ? '?' : v[i];
	}
	memcpy(out + n, n < len ? "..." : "", n < len ? 4 : 1);
}

/* Warn that d went in without its date: not a skip (the text is
 * searchable), but date filters and date sort will miss it. */
static void warn_date(struct idx_ingest *in, size_t line,
		      const struct fl_doc *d)
{
	char q[SHOW_BYTES + 4];
	char msg[SHOW_BYTES + 64];

	shown(d->date, q);
	snprintf(msg, sizeof(msg), "date '%s' not understood; indexed "
		 "without a date", q);
	say(in, in->cur, line, msg);
	in->n.bad_dates++;
}

static int batch_open(struct idx_ingest *in, struct fl_err *err)
{
	if (fl_store_in_tx(in->st))
		return FL_OK;
	return fl_store_begin(in->st, err);
}

static int batch_account(struct idx_ingest *in, size_t bytes,
			 struct fl_err *err)
{
	in->batch_n++;
	in->batch_bytes += bytes;
	if (in->batch_n < in->opts.batch_docs &&
	    in->batch_bytes < in->opts.batch_bytes)
		return FL_OK;
	in->batch_n = 0;
	in->batch_bytes = 0;
	return fl_store_commit(in->st, err);
}

/* Store one document (from line `line`, 0 = a whole file); problems of the
 * document itself are reported. */
static int put(struct idx_ingest *in, struct fl_doc *d, size_t line,
	       struct fl_err *err)
{
	enum fl_doc_result res = FL_DOC_UNCHANGED;
	struct fl_err derr;
	int rc = batch_open(in, err);

	if (rc != FL_OK)
		return rc;
	fl_err_clear(&derr);
	rc = fl_doc_put(in->st, d, &res, &derr);
	if (rc == FL_EINVAL || rc == FL_ELIMIT) {
		report(in, in->cur, line, derr.msg);
		return FL_OK;
	}
	if (rc != FL_OK)
		return fl_error(err, rc, "%s", derr.msg);
	if (d->date_dropped)
		warn_date(in, line, d);
	if (res == FL_DOC_ADDED)
		in->n.added++;
	else if (res == FL_DOC_UPDATED)
		in->n.updated++;
	else
		in->n.unchanged++;
	progress(in);
	return batch_account(in, d->body_len, err);
}

/* ---- jsonl ---- */

struct jsonl_ctx {
	struct idx_ingest *in;
	const char *abs;     /* file the records come from, NULL = stdin */
};

/* Put a document the look-ahead thread parsed and analysed: the tokenizer
 * replays its tokens. Reports a bad record. Releases the slot. */
static int put_ahead(struct idx_ingest *in, struct idx_ahead_slot *s,
		     const char *abs, struct fl_err *err)
{
	int rc = FL_OK;

	if (s->kind == IDX_JSONL_SKIP) {
		report(in, in->cur, s->lineno, s->why);
		idx_ahead_done(s);
		return FL_OK;
	}
	if (s->kind != FL_OK) {
		rc = fl_error(err, s->kind, "%s", s->err.msg);
		idx_ahead_done(s);
		return rc;
	}
	if (abs)
		rc = fl_doc_set(&s->doc.path, abs, strlen(abs), err);
	if (rc == FL_OK && s->ok)
		fl_store_set_prepared(in->st, &s->title, &s->body);
	if (rc == FL_OK)
		rc = put(in, &s->doc, s->lineno, err);
	fl_store_set_prepared(in->st, NULL, NULL);
	idx_ahead_done(s);
	return rc;
}

/* A raw record: the look-ahead thread parses and analyses it while the
 * previous one is written. */
static int jsonl_line(void *ctx, const char *s, size_t n, size_t lineno,
		      struct fl_err *err)
{
	struct jsonl_ctx *c = ctx;
	struct idx_ahead_slot *prev;
	int oom = 0, rc = FL_OK;

	prev = idx_ahead_push_line(&c->in->ahead, s, n, lineno, &oom);
	if (prev)
		rc = put_ahead(c->in, prev, c->abs, err);
	if (rc == FL_OK && oom)
		rc = fl_error(err, FL_ENOMEM, "out of memory");
	return rc;
}

static int jsonl_emit(void *ctx, struct fl_doc *d, size_t line,
		      struct fl_err *err)
{
	struct jsonl_ctx *c = ctx;
	int rc = FL_OK;

	if (c->abs)
		rc = fl_doc_set(&d->path, c->abs, strlen(c->abs), err);
	if (rc == FL_OK)
		rc = put(c->in, d, line, err);
	fl_doc_release(d);
	return rc;
}

static void jsonl_skip(void *ctx, size_t line, const char *reason)
{
	struct jsonl_ctx *c = ctx;

	report(c->in, c->in->cur, line, reason);
}

static int ingest_stream(struct idx_ingest *in, FILE *f, const char *abs,
			 struct fl_err *err)
{
	struct jsonl_ctx c = { in, abs };
	struct idx_sink sink = { jsonl_emit, jsonl_skip, &c, NULL };
	struct idx_ahead_slot *last;
	int rc;

	if (in->ahead.running)
		sink.line = jsonl_line;
	rc = idx_extract_jsonl(f, in->cur, &sink, err);
	if (!in->ahead.running)
		return rc;
	while ((last = idx_ahead_flush(&in->ahead)) != NULL) {
		if (rc == FL_OK)
			rc = put_ahead(in, last, abs, err);
		else
			idx_ahead_done(last);
	}
	return rc;
}

/* ---- single files ---- */

static int read_all(const char *path, size_t size, char **out,
		    struct fl_err *err)
{
	char *buf = malloc(size + 1);
	size_t got = 0;
	int fd;

	*out = NULL;
	if (!buf)
		return fl_error(err, FL_ENOMEM, "out of memory");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return fl_error(err, FL_EIO, "%s", strerror(errno));
	}
	while (got < size) {
		ssize_t r = read(fd, buf + got, size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	return FL_OK;
}

static int extract_file(struct idx_ingest *in, const struct idx_extractor *ex,
			const char *abs, size_t size, struct fl_doc *d,
			struct fl_err *err)
{
	char *data = NULL;
	int rc;

	if (size > IDX_MAX_FILE_BYTES)
		return fl_error(err, FL_ELIMIT, "file larger than %u bytes",
				IDX_MAX_FILE_BYTES);
	rc = read_all(abs, size, &data, err);
	if (rc == FL_OK) {
		in->n.bytes += size;
		rc = ex->extract(data, size, d, err);
	}
	free(data);
	if (rc == FL_OK && (!d->body || !*d->body) &&
	    (!d->title || !*d->title))
		rc = fl_error(err, FL_EFORMAT, "no text");
	return rc;
}

/* Extract and store one single-document file. 0 = it went in. */
static int one_doc_file(struct idx_ingest *in, const struct idx_extractor *ex,
			const char *abs, const char *rel, size_t size,
			int *bad, struct fl_err *err)
{
	struct fl_doc d;
	struct fl_err xerr;
	int rc;

	fl_doc_init(&d);
	fl_err_clear(&xerr);
	rc = extract_file(in, ex, abs, size, &d, &xerr);
	if (rc == FL_OK)
		rc = fl_doc_set(&d.ext_id, rel, strlen(rel), &xerr);
	if (rc == FL_OK)
		rc = fl_doc_set(&d.path, abs, strlen(abs), &xerr);
	if (rc == FL_OK) {
		size_t before = in->n.skipped;

		rc = put(in, &d, 0, err);
		*bad = in->n.skipped != before;
	} else if (rc != FL_ENOMEM) {
		report(in, in->cur, 0, xerr.msg);
		*bad = 1;
		rc = FL_OK;
	} else {
		rc = fl_error(err, rc, "%s", xerr.msg);
	}
	fl_doc_release(&d);
	return rc;
}

static int stream_file(struct idx_ingest *in, const char *abs, int *bad,
		       struct fl_err *err)
{
	size_t before = in->n.skipped;
	FILE *f = fopen(abs, "re");
	struct stat sb;
	int rc;

	if (!f) {
		report(in, in->cur, 0, strerror(errno));
		*bad = 1;
		return FL_OK;
	}
	rc = ingest_stream(in, f, abs, err);
	if (fstat(fileno(f), &sb) == 0)
		in->n.bytes += (uint64_t)sb.st_size;
	fclose(f);
	*bad = in->n.skipped != before;
	return rc;
}

static int64_t mtime_ns(const struct stat *sb)
{
	return (int64_t)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
}

/* One regular file: fast path, extract, remember mtime+size. */
static int do_file(struct idx_ingest *in, const char *abs, const char *rel,
		   const struct stat *sb, struct fl_err *err)
{
	const struct idx_extractor *ex = idx_extractor_find(abs);
	int64_t mt = 0;
	int64_t sz = 0;
	int found = 0;
	int bad = 0;
	int rc = fl_store_file_get(in->st, abs, &found, &mt, &sz, err);

	if (rc != FL_OK)
		return rc;
	if (found && mt == mtime_ns(sb) && sz == (int64_t)sb->st_size) {
		in->n.files_fast++;
		return fl_doc_seen_path(in->st, abs, 1, err);
	}
	if (ex->extract_stream)
		rc = stream_file(in, abs, &bad, err);
	else
		rc = one_doc_file(in, ex, abs, rel, (size_t)sb->st_size, &bad,
				  err);
	if (rc == FL_OK)
		rc = batch_open(in, err);
	/*
	 * A bad file is read again next time (no mtime recorded); a broken
	 * single-document file keeps its old document, while a stream keeps
	 * exactly the records that went in.
	 */
	if (rc == FL_OK)
		rc = fl_doc_seen_path(in->st, abs, bad && !ex->extract_stream,
				      err);
	if (rc == FL_OK && !bad)
		rc = fl_store_file_set(in->st, abs, mtime_ns(sb),
				       (int64_t)sb->st_size, err);
	return rc;
}

/* ---- walking ---- */

struct walk {
	struct fl_buf abs;    /* absolute path of the entry */
	struct fl_buf rel;    /* path relative to the root = ext_id */
	struct fl_buf disp;   /* path as the user would write it */
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the non-hidden entries of dir (caller frees). */
static int list_dir(const char *dir, char ***out, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 0;
	char **v = NULL;

	*n = 0;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (*n == cap) {
			char **nv = realloc(v, (cap = cap ? cap * 2 : 32) *
					    sizeof(*v));
			if (!nv)
				break;
			v = nv;
		}
		v[*n] = strdup(e->d_name);
		if (v[*n])
			(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_names);
	*out = v;
	return 0;
}

static int walk_entry(struct idx_ingest *in, struct walk *w, int depth,
		      int explicit, struct fl_err *err);

static int walk_dir(struct idx_ingest *in, struct walk *w, int depth,
		    struct fl_err *err)
{
	size_t la = w->abs.len, lr = w->rel.len, ld = w->disp.len;
	char **names = NULL;
	size_t n = 0;
	size_t i;
	int rc = FL_OK;

	if (list_dir(w->abs.data, &names, &n) != 0) {
		report(in, w->disp.data, 0, strerror(errno));
		return FL_OK;
	}
	for (i = 0; i < n; i++) {
		if (rc == FL_OK) {
			fl_buf_addc(&w->abs, '/');
			fl_buf_adds(&w->abs, names[i]);
			if (w->rel.len)
				fl_buf_addc(&w->rel, '/');
			fl_buf_adds(&w->rel, names[i]);
			fl_buf_addc(&w->disp, '/');
			fl_buf_adds(&w->disp, names[i]);
			rc = walk_entry(in, w, depth + 1, 0, err);
			fl_buf_truncate(&w->abs, la);
			fl_buf_truncate(&w->rel, lr);
			fl_buf_truncate(&w->disp, ld);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

static int walk_entry(struct idx_ingest *in, struct walk *w, int depth,
		      int explicit, struct fl_err *err)
{
	struct stat sb;

	if (w->abs.rc || w->rel.rc || w->disp.rc) {
		report(in, w->disp.data, 0, "path too long");
		return FL_OK;
	}
	in->cur = w->disp.data;
	if (stat(w->abs.data, &sb) != 0) {
		report(in, w->disp.data, 0, strerror(errno));
		return FL_OK;
	}
	if (S_ISDIR(sb.st_mode)) {
		if (depth < IDX_MAX_DEPTH)
			return walk_dir(in, w, depth, err);
		report(in, w->disp.data, 0, "directories nested too deep");
		return FL_OK;
	}
	if (!idx_extractor_find(w->abs.data)) {
		if (explicit)
			report(in, w->disp.data, 0, "unknown file type");
		return FL_OK;
	}
	if (!S_ISREG(sb.st_mode)) {
		report(in, w->disp.data, 0, "not a regular file");
		return FL_OK;
	}
	return do_file(in, w->abs.data, w->rel.data, &sb, err);
}

static int ingest_stdin(struct idx_ingest *in, struct fl_err *err)
{
	in->cur = "-";
	return ingest_stream(in, stdin, NULL, err);
}

/* Absolute form of path: realpath, or cwd + path when it is gone. */
static int absolute(const char *path, struct fl_buf *out)
{
	char *r = realpath(path, NULL);
	char cwd[IDX_MAX_PATH];

	if (r) {
		fl_buf_adds(out, r);
		free(r);
	} else if (path[0] == '/') {
		fl_buf_adds(out, path);
	} else if (getcwd(cwd, sizeof(cwd))) {
		fl_buf_adds(out, cwd);
		fl_buf_addc(out, '/');
		fl_buf_adds(out, path);
	}
	while (out->len > 1 && out->data[out->len - 1] == '/')
		fl_buf_truncate(out, out->len - 1);
	return out->rc;
}

static int ingest_root(struct idx_ingest *in, struct walk *w,
		       const char *path, struct fl_err *err)
{
	const char *base = strrchr(path, '/');
	struct stat sb;
	int rc = FL_OK;

	if (absolute(path, &w->abs) != FL_OK)
		return fl_error(err, FL_ELIMIT, "%s: path too long", path);
	fl_buf_adds(&w->disp, path);
	while (w->disp.len > 1 && w->disp.data[w->disp.len - 1] == '/')
		fl_buf_truncate(&w->disp, w->disp.len - 1);
	if (stat(w->abs.data, &sb) == 0 && !S_ISDIR(sb.st_mode))
		fl_buf_adds(&w->rel, base ? base + 1 : path);
	rc = walk_entry(in, w, 0, 1, err);
	if (rc == FL_OK && in->opts.prune) {
		size_t nd = 0;

		rc = batch_open(in, err);
		if (rc == FL_OK)
			rc = fl_doc_prune(in->st, w->abs.data, &nd, err);
		in->n.deleted += nd;
	}
	return rc;
}

int idx_ingest_path(struct idx_ingest *in, const char *path,
		    struct fl_err *err)
{
	struct walk w;
	int rc = FL_OK;

	if (!strcmp(path, "-"))
		return ingest_stdin(in, err);
	if (in->opts.prune && !fl_store_tracking(in->st))
		rc = fl_doc_seen_begin(in->st, err);
	if (rc != FL_OK)
		return rc;
	fl_buf_init(&w.abs, IDX_MAX_PATH);
	fl_buf_init(&w.rel, IDX_MAX_PATH);
	fl_buf_init(&w.disp, IDX_MAX_PATH);
	rc = ingest_root(in, &w, path, err);
	fl_buf_release(&w.abs);
	fl_buf_release(&w.rel);
	fl_buf_release(&w.disp);
	in->cur = NULL;
	return rc;
}

void idx_ingest_release(struct idx_ingest *in)
{
	idx_ahead_stop(&in->ahead);
}

int idx_ingest_finish(struct idx_ingest *in, struct fl_err *err)
{
	int rc = FL_OK, stale = 1;

	idx_ahead_stop(&in->ahead);
	if (fl_store_in_tx(in->st))
		rc = fl_store_commit(in->st, err);
	clear_progress(in);
	if (rc == FL_OK && in->n.added + in->n.updated + in->n.deleted == 0)
		rc = fl_store_freq_stale(in->st, &stale, err);
	if (rc == FL_OK && stale)
		rc = fl_store_refresh_freq(in->st, NULL, err);
	/* cheap when nothing changed: the suggest rows are written at every
	 * commit, this only updates the completion lists of changed prefixes
	 * (also after --rebuild, which changes no document) */
	if (rc == FL_OK)
		rc = fl_suggest_refresh(in->st, NULL, NULL, err);
	return rc;
}
