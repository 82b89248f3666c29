/*
 * fl_date.c - fixed-width digits of dates (see fl_date.h).
 */
#include "fl_date.h"

#include "fl_banned.h"

int fl_date_digits(const char *s, size_t n, int *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}
