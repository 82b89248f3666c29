/*
 * extract_pdf.c - PDF files with poppler-glib: the text of every page,
 * metadata title, author (as source) and creation date; type
 * "publication". Encrypted and broken PDFs fail with FL_EFORMAT so the
 * indexer skips and reports them.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <poppler.h>

#include "extract.h"
#include "fl_buf.h"
#include "fl_banned.h"

static int pages_text(PopplerDocument *pd, struct fl_doc *d,
		      struct fl_err *err)
{
	struct fl_buf b;
	int n = poppler_document_get_n_pages(pd);
	int i;
	int rc;

	fl_buf_init(&b, FL_DOC_MAX_BYTES);
	for (i = 0; i < n && b.rc == FL_OK; i++) {
		PopplerPage *page = poppler_document_get_page(pd, i);
		char *t = page ? poppler_page_get_text(page) : NULL;

		if (t) {
			fl_buf_adds(&b, t);
			fl_buf_adds(&b, "\n\n");
		}
		g_free(t);
		if (page)
			g_object_unref(page);
	}
	rc = b.rc;
	if (rc == FL_OK) {
		d->body = fl_buf_detach(&b, &d->body_len);
		if (!d->body)
			rc = FL_ENOMEM;
	}
	fl_buf_release(&b);
	if (rc == FL_ELIMIT)
		return fl_error(err, rc, "pdf: text longer than %u bytes",
				FL_DOC_MAX_BYTES);
	if (rc != FL_OK)
		return fl_error(err, rc, "pdf: %s", fl_rc_str(rc));
	return FL_OK;
}

static int set_gstr(char **field, gchar *v, size_t max, struct fl_err *err)
{
	int rc = FL_OK;

	if (v && *v)
		rc = idx_set_trimmed(field, v, strlen(v), max, err);
	g_free(v);
	return rc;
}

static int metadata(PopplerDocument *pd, struct fl_doc *d, struct fl_err *err)
{
	time_t t = poppler_document_get_creation_date(pd);
	int rc = set_gstr(&d->title, poppler_document_get_title(pd),
			  IDX_MAX_TITLE, err);

	if (rc == FL_OK)
		rc = set_gstr(&d->source, poppler_document_get_author(pd),
			      IDX_MAX_TITLE, err);
	if (rc == FL_OK && t > 0) {
		struct tm tm;
		char buf[FL_DOC_DATE_MAX];

		if (gmtime_r(&t, &tm) && strftime(buf, sizeof(buf),
						  "%Y-%m-%dT%H:%M:%SZ", &tm))
			rc = fl_doc_set(&d->date, buf, strlen(buf), err);
	}
	if (rc == FL_OK)
		rc = fl_doc_set(&d->type, "publication", 11, err);
	return rc;
}

int idx_extract_pdf(const char *data, size_t len, struct fl_doc *doc,
		    struct fl_err *err)
{
	GError *gerr = NULL;
	GBytes *bytes = g_bytes_new(data, len);
	PopplerDocument *pd = poppler_document_new_from_bytes(bytes, NULL,
							      &gerr);
	int rc;

	g_bytes_unref(bytes);
	if (!pd) {
		int enc = gerr && gerr->domain == POPPLER_ERROR &&
			  gerr->code == POPPLER_ERROR_ENCRYPTED;

		rc = fl_error(err, FL_EFORMAT, "pdf: %s%s", enc ?
			      "encrypted (password needed)" : "cannot open: ",
			      enc ? "" : (gerr ? gerr->message : "broken"));
		g_clear_error(&gerr);
		return rc;
	}
	rc = metadata(pd, doc, err);
	if (rc == FL_OK)
		rc = pages_text(pd, doc, err);
	if (rc == FL_OK && (!doc->title || !*doc->title))
		rc = idx_title_from_text(doc, doc->body, err);
	g_object_unref(pd);
	return rc;
}
