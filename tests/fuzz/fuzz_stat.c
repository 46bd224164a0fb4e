/* SPDX-License-Identifier: MIT */
/* Fuzz target: the /proc/<pid>/stat parser, whose command name may hold
 * spaces, parentheses and newlines.  Differential: the parser (which skips
 * fields eight bytes at a time) must agree with the plain reference below,
 * which splits the line field by field. */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iopcli/proc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* a whole decimal field through libc (independent of the parser's own digit
 * loop): "-"? digits, nothing else, within range.  0 or -1. */
static int ref_number(const char *p, const char *e, int is_signed, long long *sv,
		      unsigned long long *uv)
{
	char tmp[4096];
	size_t n = (size_t)(e - p);
	const char *d = is_signed && n && *p == '-' ? p + 1 : p;

	if (n == 0 || n >= sizeof(tmp) || d == e)
		return -1;
	for (const char *q = d; q < e; q++)
		if (*q < '0' || *q > '9')
			return -1;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	errno = 0;
	if (is_signed) {
		long long v = strtoll(tmp, NULL, 10);
		if (errno == ERANGE || v < INT_MIN || v > INT_MAX)
			return -1;
		*sv = v;
	} else {
		unsigned long long v = strtoull(tmp, NULL, 10);
		if (errno == ERANGE)
			return -1;
		*uv = v;
	}
	return 0;
}

static int reference(const char *buf, size_t len, struct proc_stat *out)
{
	const char *end = buf + len, *open = memchr(buf, '(', len), *close = NULL;
	struct proc_stat f = { .policy = -1 };
	for (const char *p = buf; p < end; p++)
		if (*p == ')')
			close = p;
	if (!open || !close || close < open)
		return -1;
	size_t n = (size_t)(close - open - 1);
	if (n >= sizeof(f.comm))
		n = sizeof(f.comm) - 1;
	memcpy(f.comm, open + 1, n);
	if (end - close < 2 || close[1] != ' ')
		return -1;
	if (end[-1] == '\n')
		end--;
	int field = 3, have22 = 0;
	for (const char *p = close + 2; p < end;) {
		const char *e = memchr(p, ' ', (size_t)(end - p));
		if (!e)
			e = end;
		long long sv;
		unsigned long long uv;
		if (field == 3) {
			if (e - p != 1)
				return -1; /* the state is one character */
			f.state = *p;
		} else if (field == 4 || field == 5 || field == 19 || field == 20 || field == 41) {
			if (ref_number(p, e, 1, &sv, &uv))
				return -1;
			if (field == 4)
				f.ppid = (int)sv;
			else if (field == 5)
				f.pgrp = (int)sv;
			else if (field == 19)
				f.nice = (int)sv;
			else if (field == 20)
				f.threads = (int)sv;
			else
				f.policy = (int)sv;
		} else if (field == 22 || field == 42) {
			if (ref_number(p, e, 0, &sv, &uv))
				return -1;
			if (field == 22) {
				f.start = uv;
				have22 = 1;
			} else {
				f.delay = uv;
			}
		}
		field++;
		p = e < end ? e + 1 : end;
	}
	if (!have22)
		return -1;
	*out = f;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	struct proc_stat f, r;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	memset(&f, 0x55, sizeof(f));
	memset(&r, 0x55, sizeof(r));
	int got = proc_parse_stat(buf, size, &f);
	int want = reference(buf, size, &r);
	if ((got == 0) != (want == 0))
		abort();
	if (got == 0) {
		if (memchr(f.comm, '\0', sizeof(f.comm)) == NULL || strcmp(f.comm, r.comm) != 0 ||
		    f.state != r.state || f.ppid != r.ppid || f.pgrp != r.pgrp || f.nice != r.nice ||
		    f.threads != r.threads || f.start != r.start || f.policy != r.policy || f.delay != r.delay)
			abort();
	}
	free(buf);
	return 0;
}
