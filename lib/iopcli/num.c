/* SPDX-License-Identifier: MIT */
/* The tools' number parser.  See num.h. */
#include "iopcli/num.h"

#include <errno.h>
#include <limits.h>

int num_parse_u64(const char *p, const char *end, unsigned long long max,
		  unsigned long long *out)
{
	unsigned __int128 v = 0;
	int r = num_parse_u128(p, end, &v);

	if (r == 0 && v > max)
		r = -ERANGE; /* junk wins over range: "99999x" is not a number */
	if (r == 0)
		*out = (unsigned long long)v;
	return r;
}

int num_parse_ll(const char *p, const char *end, long long min, long long max, long long *out)
{
	unsigned long long limit, v = 0;
	int neg, r;

	if (!p || !end)
		return -EINVAL;
	if (min > max)
		return -ERANGE;
	neg = p < end && *p == '-';
	/* the magnitude the sign allows: up to -min for negatives, max otherwise */
	if (neg)
		limit = min >= 0 ? 0 : (unsigned long long)-(min + 1) + 1;
	else
		limit = max < 0 ? 0 : (unsigned long long)max;
	r = num_parse_u64(p + neg, end, neg ? (unsigned long long)LLONG_MAX + 1 : ULLONG_MAX, &v);
	if (r < 0)
		return r;
	if (v > limit)
		return -ERANGE;
	long long s = neg ? (v ? -(long long)(v - 1) - 1 : 0) : (long long)v;
	if (s < min || s > max)
		return -ERANGE;
	*out = s;
	return 0;
}

int num_parse_u128(const char *p, const char *end, unsigned __int128 *out)
{
	/* 2^128 - 1 = 10 * tenth + last: past tenth, one more digit overflows */
	const unsigned __int128 tenth = ~(unsigned __int128)0 / 10;
	const unsigned last = (unsigned)(~(unsigned __int128)0 % 10);
	unsigned __int128 v = 0;
	int range = 0;

	if (!p || !end || p >= end)
		return -EINVAL;
	for (; p < end; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (d > 9)
			return -EINVAL; /* junk wins over range: "99999x" is not a number */
		if (v > tenth || (v == tenth && d > last))
			range = 1;
		else
			v = v * 10 + d;
	}
	if (range)
		return -ERANGE;
	*out = v;
	return 0;
}

/* v's digits at p, zero-padded to width digits at least. */
static char *put_digits(char *p, unsigned long long v, int width)
{
	char tmp[NUM_U64_DIGITS];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0 || n < width);
	while (n)
		*p++ = tmp[--n];
	return p;
}

char *num_put_u64(char *p, unsigned long long v)
{
	return put_digits(p, v, 1);
}

char *num_put_u128(char *p, unsigned __int128 v)
{
	const unsigned long long e19 = 10000000000000000000ull; /* 19 digits a part */

	if (v >> 64 == 0)
		return put_digits(p, (unsigned long long)v, 1);
	/* above 2^64: the digits above the lowest 19 first (at most 20 of them,
	 * so at most one more split), then those 19 with their zeros */
	p = num_put_u128(p, v / e19);
	return put_digits(p, (unsigned long long)(v % e19), 19);
}
