/* SPDX-License-Identifier: MIT */
/*
 * Parsers of /proc/<pid>/io, /proc/<pid>/stat, status lines (a number,
 * SigIgn's SIGCHLD bit), cgroup and the boot id: pure functions over a
 * buffer (fuzzed with num.c alone).  See proc.h.
 */
#define _GNU_SOURCE
#include "iopcli/proc.h"
#include "iopcli/num.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

/* The whole field [p, end) as an int or an unsigned 64-bit number: 0 or
 * -EINVAL (the parsers say only whether the text is the kernel's). */
static int field_int(const char *p, const char *end, int *out)
{
	long long v;

	if (num_parse_ll(p, end, INT_MIN, INT_MAX, &v) < 0)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

static int field_u64(const char *p, const char *end, unsigned long long *out)
{
	return num_parse_u64(p, end, ULLONG_MAX, out) < 0 ? -EINVAL : 0;
}

int proc_parse_io(const char *buf, size_t len, unsigned long long io[IO_NFIELDS])
{
	static const struct {
		const char *name;
		size_t len;
	} names[IO_NFIELDS] = {
		[IO_RCHAR] = { "rchar", 5 },
		[IO_WCHAR] = { "wchar", 5 },
		[IO_SYSCR] = { "syscr", 5 },
		[IO_SYSCW] = { "syscw", 5 },
		[IO_READ_BYTES] = { "read_bytes", 10 },
		[IO_WRITE_BYTES] = { "write_bytes", 11 },
		[IO_CANCELLED] = { "cancelled_write_bytes", 21 },
	};
	const char *p = buf, *end = buf + len;
	unsigned seen = 0;
	int expect = 0; /* the kernel writes them in this order: try that one first */

	while (p < end) {
		const char *colon = p;
		while (colon < end && *colon != ':' && *colon != '\n')
			colon++;
		if (colon + 1 >= end || *colon != ':' || colon[1] != ' ')
			return -EINVAL;
		const char *eol = colon + 2;
		while (eol < end && *eol != '\n')
			eol++;
		size_t nlen = (size_t)(colon - p);
		int f = expect < IO_NFIELDS && names[expect].len == nlen &&
				!memcmp(p, names[expect].name, nlen) ? expect : -1;
		for (int i = 0; f < 0 && i < IO_NFIELDS; i++)
			if (names[i].len == nlen && !memcmp(p, names[i].name, nlen))
				f = i;
		if (f >= 0) { /* other names: a newer kernel's, passed over */
			if ((seen & 1u << f) || field_u64(colon + 2, eol, &io[f]) < 0)
				return -EINVAL;
			seen |= 1u << f;
			expect = f + 1;
		}
		p = eol < end ? eol + 1 : end;
	}
	return seen == (1u << IO_NFIELDS) - 1 ? 0 : -EINVAL;
}

/* The start of the field n blanks on from p, or end.  Most of a stat line
 * is fields iopstat does not read: they are skipped eight bytes at a time,
 * counting the blanks in each word. */
static const char *skip_fields(const char *p, const char *end, int n)
{
	const uint64_t ones = 0x0101010101010101ULL, low7 = 0x7f7f7f7f7f7f7f7fULL;

	while (n > 0 && end - p >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		uint64_t x = w ^ (ones * ' '); /* blank bytes become zero */
		/* the high bit of each byte that is zero, exactly (no borrows) */
		uint64_t zero = ~(((x & low7) + low7) | x | low7);
		int blanks = __builtin_popcountll(zero);
		if (blanks >= n)
			break; /* the field starts in this word: go byte by byte */
		n -= blanks;
		p += 8;
	}
	for (; n > 0 && p < end; p++)
		if (*p == ' ')
			n--;
	return n > 0 ? end : p;
}

/* The end of the field at p: the next blank, or end. */
static const char *field_end(const char *p, const char *end)
{
	while (p < end && *p != ' ')
		p++;
	return p;
}

/* The int field at *p, which a blank must follow; *p moves past that
 * blank.  -EINVAL when it is not an int or the line ends there. */
static int int_field(const char **p, const char *end, int *out)
{
	const char *e = field_end(*p, end);
	if (field_int(*p, e, out) < 0 || e == end)
		return -EINVAL;
	*p = e + 1;
	return 0;
}

int proc_parse_stat(const char *buf, size_t len, struct proc_stat *out)
{
	const char *end = buf + len;
	const char *open = memchr(buf, '(', len);
	const char *close = memrchr(buf, ')', len);
	struct proc_stat f = { .policy = -1 };

	/* the name may hold anything, ')' and newlines included: it ends at the
	 * last ')' */
	if (!open || !close || close < open)
		return -EINVAL;
	size_t n = (size_t)(close - open - 1);
	if (n >= sizeof(f.comm))
		n = sizeof(f.comm) - 1;
	memcpy(f.comm, open + 1, n);
	f.comm[n] = '\0';

	if (end - close < 2 || close[1] != ' ')
		return -EINVAL;
	if (end[-1] == '\n')
		end--;
	/* fields are separated by single blanks; field 3, the state, follows
	 * the name */
	if (end - close < 4 || close[3] != ' ')
		return -EINVAL;
	f.state = close[2];
	const char *p = skip_fields(close + 2, end, 4 - 3), *e;
	if (p == end)
		return -EINVAL; /* too short to hold the start time */
	if (int_field(&p, end, &f.ppid) < 0 || int_field(&p, end, &f.pgrp) < 0)
		return -EINVAL;
	p = skip_fields(p, end, 19 - 6);
	if (p == end)
		return -EINVAL;
	if (int_field(&p, end, &f.nice) < 0 || int_field(&p, end, &f.threads) < 0)
		return -EINVAL;
	p = skip_fields(p, end, 22 - 21);
	e = field_end(p, end);
	if (p == end || field_u64(p, e, &f.start) < 0)
		return -EINVAL;
	/* policy and delay came later (2.5.x and 2.6.18): optional */
	if (e < end && (p = skip_fields(e + 1, end, 41 - 23)) < end) {
		e = field_end(p, end);
		if (field_int(p, e, &f.policy) < 0)
			return -EINVAL;
		if (end - e > 1) { /* a final blank after field 41 holds no field 42 */
			p = e + 1;
			e = field_end(p, end);
			if (field_u64(p, e, &f.delay) < 0)
				return -EINVAL;
		}
	}
	*out = f;
	return 0;
}

int proc_parse_status(const char *buf, size_t len, const char *key, long long min, long long max,
		      long long *out)
{
	size_t klen = strlen(key);
	const char *end = buf + len;

	/* each line is "Key:\tvalue[\tvalue...]"; the key starts a line */
	for (const char *p = buf; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > klen && !memcmp(p, key, klen) && p[klen] == '\t') {
			const char *v = p + klen + 1, *e = v;
			while (e < eol && *e != '\t')
				e++;
			return num_parse_ll(v, e, min, max, out) < 0 ? -EINVAL : 0;
		}
		p = eol + 1;
	}
	return -EINVAL;
}

int proc_parse_sigchld(const char *buf, size_t len)
{
	static const char key[] = "\nSigIgn:\t"; /* never the first line: Name is */
	const char *end, *p;
	size_t n = 0;

	len = strnlen(buf, len); /* the text is what comes before a NUL */
	end = buf + len;
	p = memmem(buf, len, key, sizeof(key) - 1);
	if (!p)
		return -EINVAL;
	p += sizeof(key) - 1;
	while (p + n < end && ((p[n] >= '0' && p[n] <= '9') || (p[n] >= 'a' && p[n] <= 'f')))
		n++;
	if (n < 5)
		return -EINVAL;
	/* SIGCHLD is signal 17, bit 16: the fifth hex digit from the right */
	char d = p[n - 5];
	unsigned v = (unsigned)(d <= '9' ? d - '0' : d - 'a' + 10);
	return (v & 1) != 0;
}

int proc_parse_boot_id(const char *text, size_t len, char *buf, size_t size)
{
	size_t n = 0;

	while (n < len && ((text[n] >= '0' && text[n] <= '9') || (text[n] >= 'a' && text[n] <= 'f') ||
			   text[n] == '-'))
		n++;
	if (n < 8 || n + 1 > size)
		return -EINVAL;
	memcpy(buf, text, n);
	buf[n] = '\0';
	return 0;
}

/* [p, p + n) into buf of size bytes, NUL-terminated, cut to fit. */
static void copy_cut(char *buf, size_t size, const char *p, size_t n)
{
	if (n >= size)
		n = size - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
}

int proc_parse_cgroup(const char *text, size_t len, char *buf, size_t size)
{
	const char *end = text + len, *v1 = NULL, *v1_end = NULL;

	if (size == 0)
		return -EINVAL;
	/* lines "hierarchy-ID:controllers:path"; v2 is "0::path" */
	for (const char *p = text; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		const char *path = NULL;
		if (eol - p >= 3 && !memcmp(p, "0::", 3)) {
			path = p + 3;
		} else {
			const char *c1 = memchr(p, ':', (size_t)(eol - p));
			if (c1 && (size_t)(eol - c1) > 14 && !memcmp(c1 + 1, "name=systemd:", 13)) {
				v1 = c1 + 14;
				v1_end = eol;
			}
		}
		if (path && path < eol && *path == '/') {
			copy_cut(buf, size, path, (size_t)(eol - path));
			return 0;
		}
		p = eol + 1;
	}
	if (v1 && v1 < v1_end && *v1 == '/') {
		copy_cut(buf, size, v1, (size_t)(v1_end - v1));
		return 0;
	}
	return -EINVAL;
}

static bool ends_with(const char *s, size_t n, const char *tail)
{
	size_t t = strlen(tail);
	return n > t && !memcmp(s + n - t, tail, t);
}

const char *proc_cgroup_unit(const char *path, size_t *len)
{
	const char *end = path + strlen(path);

	/* from the end: the innermost unit (a scope inside a service's cgroup
	 * belongs to that scope) */
	while (end > path) {
		const char *start = end;
		while (start > path && start[-1] != '/')
			start--;
		size_t n = (size_t)(end - start);
		if (ends_with(start, n, ".service") || ends_with(start, n, ".scope")) {
			*len = n;
			return start;
		}
		end = start > path ? start - 1 : path;
	}
	return NULL;
}
