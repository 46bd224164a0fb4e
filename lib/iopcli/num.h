/* SPDX-License-Identifier: MIT */
/*
 * The one strict number parser of the tools, for argv and /proc alike:
 * decimal digits and nothing else (no blanks, no '+', no trailing junk, no
 * silent wrap of "-1" into a huge unsigned value).  Pure functions over a
 * range of bytes, so the /proc parsers (fuzzed on their own) use them too.
 * And its inverse, the one integer-to-text writer of the tools (paths
 * built by the /proc layer, numbers of every output format).
 * Internal to the command-line tools.
 */
#ifndef IOP_CLI_NUM_H
#define IOP_CLI_NUM_H

/* The digits [p, end) as a number in 0..max: 0, -EINVAL when empty or not
 * all digits, -ERANGE when above max (overflow included). */
int num_parse_u64(const char *p, const char *end, unsigned long long max,
		  unsigned long long *out);

/* An optional '-' and digits [p, end) as a number in min..max: 0, -EINVAL,
 * or -ERANGE ("-1" with min 0 is out of range, never 2^64 - 1). */
int num_parse_ll(const char *p, const char *end, long long min, long long max, long long *out);

/* The digits [p, end) as a 128-bit number (sums of 64-bit counters):
 * 0, -EINVAL or -ERANGE (above 2^128 - 1). */
int num_parse_u128(const char *p, const char *end, unsigned __int128 *out);

/* The decimal digits of v written at p (NUM_U64_DIGITS bytes at most; no
 * NUL); returns the end.  No printf: the scanner builds a path a file and
 * the formats write many numbers. */
#define NUM_U64_DIGITS 20
char *num_put_u64(char *p, unsigned long long v);
/* The same for a 128-bit v (NUM_U128_DIGITS bytes at most). */
#define NUM_U128_DIGITS 39
char *num_put_u128(char *p, unsigned __int128 v);

#endif
