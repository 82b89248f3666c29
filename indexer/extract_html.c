/*
 * extract_html.c - HTML files (.html, .htm) with libxml2's forgiving HTML
 * parser, honouring the declared charset. Takes the title, meta
 * description, og:site_name (as source), published date (article:published_time, date, DC.date,
 * <time datetime>) and canonical URL; drops script, style, nav, header,
 * footer, aside, noscript, form; block elements become line breaks.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "extract.h"
#include "fl_buf.h"
#include "fl_banned.h"

#define HTML_OPTIONS (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | \
	HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_COMPACT)

/* Elements whose text is not content. */
static const char *const dropped[] = {
	"script", "style", "nav", "header", "footer", "aside", "noscript",
	"form", "template", "svg", "iframe", "head", NULL,
};

/* Elements that end a line. */
static const char *const blocks[] = {
	"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5",
	"h6", "tr", "table", "section", "article", "main", "blockquote",
	"pre", "dd", "dt", "dl", "figcaption", "figure", "hr", "td", "th",
	"address", NULL,
};

/* Meta names/properties that carry the publication date, in priority. */
static const char *const date_metas[] = {
	"article:published_time", "date", "dc.date", "dcterms.date",
	"dc.date.issued", "pubdate", "publishdate", NULL,
};

struct html_meta {
	char *title;        /* <title> */
	char *desc;         /* meta description */
	char *date;         /* best date so far */
	int date_rank;      /* index in date_metas of date; 99 = <time> */
	char *url;          /* link rel=canonical */
	char *h1;           /* first <h1>, title fallback */
	char *site;         /* og:site_name, the outlet (source) */
};

static int in_list(const char *const *list, const char *name)
{
	size_t i;

	for (i = 0; list[i]; i++)
		if (!strcasecmp(list[i], name))
			return 1;
	return 0;
}

static const char *attr(xmlNode *n, const char *name)
{
	xmlAttr *a;

	for (a = n->properties; a; a = a->next)
		if (a->name && !strcasecmp((const char *)a->name, name) &&
		    a->children && a->children->content)
			return (const char *)a->children->content;
	return NULL;
}

static void keep(char **slot, const char *v)
{
	if (*slot || !v)
		return;
	*slot = strdup(v);
}

static void keep_text(char **slot, xmlNode *n)
{
	xmlChar *t;

	if (*slot)
		return;
	t = xmlNodeGetContent(n);
	if (t)
		*slot = strdup((const char *)t);
	xmlFree(t);
}

static void take_date(struct html_meta *m, const char *v, int rank)
{
	if (!v || (m->date && m->date_rank <= rank))
		return;
	free(m->date);
	m->date = strdup(v);
	m->date_rank = rank;
}

static void meta_elem(struct html_meta *m, xmlNode *n)
{
	const char *name = attr(n, "name");
	const char *content = attr(n, "content");
	size_t i;

	if (!name)
		name = attr(n, "property");
	if (!name || !content)
		return;
	if (!strcasecmp(name, "description") ||
	    !strcasecmp(name, "og:description"))
		keep(&m->desc, content);
	if (!strcasecmp(name, "og:site_name"))
		keep(&m->site, content);
	for (i = 0; date_metas[i]; i++)
		if (!strcasecmp(name, date_metas[i]))
			take_date(m, content, (int)i);
}

/* Collect metadata from the whole tree (head and body). */
static void walk_meta(struct html_meta *m, xmlNode *n)
{
	for (; n; n = n->next) {
		const char *name = (const char *)n->name;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!strcasecmp(name, "title"))
			keep_text(&m->title, n);
		else if (!strcasecmp(name, "h1"))
			keep_text(&m->h1, n);
		else if (!strcasecmp(name, "meta"))
			meta_elem(m, n);
		else if (!strcasecmp(name, "time"))
			take_date(m, attr(n, "datetime"), 99);
		else if (!strcasecmp(name, "link") && attr(n, "rel") &&
			 !strcasecmp(attr(n, "rel"), "canonical"))
			keep(&m->url, attr(n, "href"));
		walk_meta(m, n->children);
	}
}

/* Append the visible text below n; whitespace runs become one space. */
static void walk_text(struct fl_buf *b, xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type ==
		    XML_CDATA_SECTION_NODE) {
			const char *t = (const char *)n->content;

			for (; t && *t; t++) {
				int sp = *t == ' ' || *t == '\n' ||
					 *t == '\t' || *t == '\r';

				if (!sp)
					fl_buf_addc(b, *t);
				else if (b->len && b->data[b->len - 1] != ' ' &&
					 b->data[b->len - 1] != '\n')
					fl_buf_addc(b, ' ');
			}
			continue;
		}
		if (n->type != XML_ELEMENT_NODE ||
		    in_list(dropped, (const char *)n->name))
			continue;
		walk_text(b, n->children);
		if (in_list(blocks, (const char *)n->name) && b->len &&
		    b->data[b->len - 1] != '\n') {
			if (b->data[b->len - 1] == ' ')
				fl_buf_truncate(b, b->len - 1);
			fl_buf_addc(b, '\n');
		}
	}
}

static xmlNode *find_elem(xmlNode *n, const char *name)
{
	for (; n; n = n->next) {
		xmlNode *f;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!strcasecmp((const char *)n->name, name))
			return n;
		f = find_elem(n->children, name);
		if (f)
			return f;
	}
	return NULL;
}

static void meta_free(struct html_meta *m)
{
	free(m->title);
	free(m->desc);
	free(m->date);
	free(m->url);
	free(m->h1);
	free(m->site);
}

/* Move the metadata into doc. */
static int fill_doc(struct html_meta *m, struct fl_doc *d, struct fl_err *err)
{
	const char *title = m->title && *m->title ? m->title : m->h1;
	int rc = FL_OK;

	if (title)
		rc = idx_set_trimmed(&d->title, title, strlen(title),
				     IDX_MAX_TITLE, err);
	if (rc == FL_OK && m->date)
		rc = idx_set_trimmed(&d->date, m->date, strlen(m->date),
				     FL_DOC_DATE_MAX * 2, err);
	if (rc == FL_OK && m->site)
		rc = idx_set_trimmed(&d->source, m->site, strlen(m->site),
				     IDX_MAX_TITLE, err);
	if (rc == FL_OK && m->url)
		rc = idx_set_trimmed(&d->url, m->url, strlen(m->url),
				     FL_DOC_MAX_FIELD, err);
	return rc;
}

/* Bytes of the description compared with the page text. */
#define DESC_PROBE 48

/* 1 when the page text already contains the start of desc. */
static int has_prefix_text(const char *text, const char *desc)
{
	size_t n = strlen(desc);
	char probe[DESC_PROBE + 1];

	if (n > DESC_PROBE)
		n = DESC_PROBE;
	memcpy(probe, desc, n);
	probe[n] = '\0';
	return strstr(text, probe) != NULL;
}

/* Body text: the description first when the page text lacks it. */
static int body_text(htmlDocPtr doc, struct html_meta *m, struct fl_doc *d,
		     struct fl_err *err)
{
	xmlNode *root = xmlDocGetRootElement(doc);
	xmlNode *body = find_elem(root, "body");
	struct fl_buf b;
	int rc;

	fl_buf_init(&b, FL_DOC_MAX_BYTES);
	if (body)
		walk_text(&b, body->children);
	if (m->desc && *m->desc && !has_prefix_text(b.data, m->desc)) {
		struct fl_buf t;

		fl_buf_init(&t, FL_DOC_MAX_BYTES);
		fl_buf_adds(&t, m->desc);
		fl_buf_addc(&t, '\n');
		fl_buf_add(&t, b.data, b.len);
		fl_buf_release(&b);
		b = t;
	}
	rc = b.rc;
	if (rc == FL_OK) {
		d->body = fl_buf_detach(&b, &d->body_len);
		if (!d->body)
			rc = FL_ENOMEM;
	}
	fl_buf_release(&b);
	if (rc != FL_OK)
		return fl_error(err, rc, "html: %s", fl_rc_str(rc));
	return FL_OK;
}

int idx_extract_html(const char *data, size_t len, struct fl_doc *doc,
		     struct fl_err *err)
{
	struct html_meta m = { 0 };
	htmlDocPtr h;
	int rc;

	if (len > (size_t)0x7fffffff)
		return fl_error(err, FL_ELIMIT, "html: file too large");
	h = htmlReadMemory(data, (int)len, NULL, NULL, HTML_OPTIONS);
	if (!h)
		return fl_error(err, FL_EFORMAT, "html: cannot parse");
	walk_meta(&m, xmlDocGetRootElement(h));
	rc = fill_doc(&m, doc, err);
	if (rc == FL_OK)
		rc = body_text(h, &m, doc, err);
	if (rc == FL_OK && (!doc->title || !*doc->title))
		rc = idx_title_from_text(doc, doc->body, err);
	meta_free(&m);
	xmlFreeDoc(h);
	return rc;
}
