/*
 * fuzz_extract.h - the body shared by the extractor fuzz targets: run one
 * single-document extractor on a copy of the input of exactly its size,
 * check the date it found (fuzz_date.h) and release what it made.
 * FUZZ_EXTRACT names the extractor function.
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
	char *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	fl_doc_init(&doc);
	FUZZ_EXTRACT(copy, size, &doc, &err);
	fuzz_check_date(doc.date);
	fl_doc_release(&doc);
	free(copy);
	return 0;
}
