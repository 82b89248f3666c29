/*
 * cmd_check.c - `findling check [--index PATH] [--format text|json]`:
 * verify an index (SQLite integrity, FTS5 index against the stored
 * documents, schema and analyzer version) and say what is wrong in plain
 * words. Exit 0 when consistent, 1 when a check failed, 2 when the index
 * cannot be opened at all.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fl_search.h"
#include "fl_store.h"
#include "output.h"
#include "fl_banned.h"

static int check_usage(void)
{
	fprintf(stderr, "usage: findling check [--index PATH] "
		"[--format text|json]\n");
	return CLI_EXIT_USAGE;
}

/* What a failed check means for the user, and what to do about it. */
static const char *advice(int rc, const char *msg)
{
	if (rc == FL_EVERSION)
		return "built by another schema or analyzer version: rebuild "
		       "it with findling-index --rebuild";
	if (strstr(msg, "malformed") || strstr(msg, "integrity"))
		return "the full-text index does not match the stored "
		       "documents: rebuild it with findling-index --rebuild";
	if (rc == FL_EBUSY)
		return "another process is writing: try again when it is done";
	return "the database file is damaged or not a Findling index";
}

static int report(const char *path, int rc, const struct fl_err *err,
		  const struct fl_stats *s, int json)
{
	if (json) {
		json_t *o = json_pack("{s:s, s:b}", "index", path, "ok", !rc);

		if (o && s) {
			json_object_set_new(o, "documents",
					    json_integer(s->documents));
			json_object_set_new(o, "generation",
					    json_integer(s->generation));
		}
		if (o && rc) {
			json_object_set_new(o, "problem",
					    json_string(advice(rc, err->msg)));
			json_object_set_new(o, "detail", json_string(err->msg));
		}
		cli_print_json(stdout, o);
	} else if (rc) {
		printf("index '%s': NOT consistent: %s\n  (%s)\n", path,
		       advice(rc, err->msg), err->msg);
	} else {
		printf("index '%s': consistent: %lld documents, generation "
		       "%lld, schema %d, analyzer %s\n", path,
		       (long long)s->documents, (long long)s->generation,
		       s->schema_version, s->analyzer_version);
	}
	return rc ? CLI_EXIT_PARTIAL : CLI_EXIT_OK;
}

int cli_cmd_check(int argc, char **argv)
{
	const char *index, *path;
	int format, rc;
	struct fl_err err = { 0 };
	struct fl_store *st = NULL;
	struct fl_stats *s = NULL;

	if (cli_parse_index_format(argc, argv, &index, &format) != argc)
		return check_usage();
	path = cli_index_path(index);
	if (!path)
		return CLI_EXIT_USAGE;
	/* write mode: the FTS5 integrity check is issued as an INSERT */
	rc = fl_store_open(path, 0, NULL, &st, &err);
	if (rc == FL_EVERSION) {
		report(path, rc, &err, NULL, format == CLI_FMT_JSON);
		return CLI_EXIT_PARTIAL;
	}
	if (rc != FL_OK) {
		fprintf(stderr, "findling check: cannot open '%s': %s\n", path,
			err.msg);
		return CLI_EXIT_USAGE;
	}
	rc = fl_store_check(st, &err);
	if (rc == FL_OK)
		rc = fl_stats_get(st, &s, &err);
	rc = report(path, rc, &err, s, format == CLI_FMT_JSON);
	fl_stats_free(s);
	fl_store_close(st);
	return rc;
}
