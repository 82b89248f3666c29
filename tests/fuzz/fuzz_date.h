/*
 * fuzz_date.h - the date check the extractor targets share: a date an
 * extractor found is either refused by fl_doc_norm_date or normalised to
 * YYYY-MM-DD[THH:MM:SS[zone]], and normalising that again changes nothing.
 * Any other outcome aborts, which libFuzzer reports as a crash.
 */
#ifndef FUZZ_DATE_H
#define FUZZ_DATE_H

#include <stdlib.h>
#include <string.h>

#include "fl_doc.h"

static void fuzz_check_date(const char *in)
{
	char out[FL_DOC_DATE_MAX], again[FL_DOC_DATE_MAX];

	if (!in || fl_doc_norm_date(in, out, sizeof(out), NULL) != FL_OK)
		return;
	if (strlen(out) < 10 || out[4] != '-' || out[7] != '-' ||
	    (out[10] != '\0' && out[10] != 'T'))
		abort();
	if (fl_doc_norm_date(out, again, sizeof(again), NULL) != FL_OK ||
	    strcmp(out, again) != 0)
		abort();
}

#endif
