/*
 * fl_date.h - the one piece of date reading that documents (fl_doc), query
 * filters (fl_query) and the per-document table (fl_docmeta) share: a
 * fixed-width run of ASCII digits.
 */
#ifndef FL_DATE_H
#define FL_DATE_H

#include <stddef.h>

/* Read exactly n digits at s into *v; 0 when they are not all digits. */
int fl_date_digits(const char *s, size_t n, int *v);

#endif
