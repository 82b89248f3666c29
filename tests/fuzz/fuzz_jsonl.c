/*
 * libFuzzer target for one JSON Lines record (idx_jsonl_parse): any bytes
 * give a document, a skip with a reason, or an error, and never a crash,
 * a leak or an unterminated reason; a document's date normalises sanely
 * (fuzz_date.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "fl_doc.h"
#include "fuzz_date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fl_err err = { 0 };
	struct fl_doc doc;
	char why[IDX_JSONL_MSG];
	char *copy = malloc(size ? size : 1);
	int rc;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	fl_doc_init(&doc);
	why[0] = '\0';
	rc = idx_jsonl_parse(copy, size, &doc, why, &err);
	if (rc == IDX_JSONL_SKIP && !memchr(why, '\0', sizeof(why)))
		abort();
	if (rc == FL_OK)
		fuzz_check_date(doc.date);
	fl_doc_release(&doc);
	free(copy);
	return 0;
}
