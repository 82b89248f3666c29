/*
 * cmd_get.c - `findling get [--index PATH] [--format text|json] ID`: one
 * stored document by its external id.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fl_doc.h"
#include "fl_json.h"
#include "output.h"
#include "fl_banned.h"

static int get_usage(void)
{
	fprintf(stderr, "usage: findling get [--index PATH] [--format "
		"text|json] ID\n");
	return CLI_EXIT_USAGE;
}

static void print_doc(const struct fl_doc *d)
{
	printf("id: %s\ntitle: %s\ndate: %s\nsource: %s\ntype: %s\nlang: %s\n"
	       "url: %s\npath: %s\nindexed_at: %s\n\n%s\n", d->ext_id,
	       d->title ? d->title : "", d->date ? d->date : "-",
	       d->source ? d->source : "-", d->type ? d->type : "-",
	       d->lang ? d->lang : "-", d->url ? d->url : "-",
	       d->path ? d->path : "-", d->indexed_at ? d->indexed_at : "-",
	       d->body ? d->body : "");
}

int cli_cmd_get(int argc, char **argv)
{
	const char *index;
	int format, first, rc;
	struct fl_err err = { 0 };
	struct cli_index ix;
	struct fl_doc d;

	first = cli_parse_index_format(argc, argv, &index, &format);
	if (first < 0 || first != argc - 1)
		return get_usage();
	rc = cli_index_open(&ix, index, 0);
	if (rc != CLI_EXIT_OK)
		return rc;
	rc = fl_doc_get(ix.st, argv[first], &d, &err);
	if (rc != FL_OK) {
		fprintf(stderr, "findling get: %s\n", rc == FL_ENOTFOUND ?
			"no such document" : err.msg);
		cli_index_close(&ix);
		return CLI_EXIT_PARTIAL;
	}
	if (format == CLI_FMT_JSON)
		cli_print_json(stdout, fl_json_doc(&d, 1));
	else
		print_doc(&d);
	fl_doc_release(&d);
	cli_index_close(&ix);
	return CLI_EXIT_OK;
}
