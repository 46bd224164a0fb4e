/* SPDX-License-Identifier: MIT */
/* Fuzz target: the status parsers (a number on a key's line, SigIgn's
 * SIGCHLD bit) and the boot id parser, on one input each.  Differential:
 * each must agree with a plain reference below that splits the text into
 * lines (or reads the mask with strtoull), and none may read past the
 * input (ASan: it is copied to a buffer of exactly its size). */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iopcli/proc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* SIGCHLD from the first line after the first that starts "SigIgn:\t" */
static int ref_sigchld(const char *buf, size_t len)
{
	const char *end = buf + len, *p = memchr(buf, '\n', len);

	for (const char *q = buf; q < end; q++)
		if (!*q) {
			end = q; /* the text stops at a NUL */
			break;
		}
	while (p && p < end) {
		p++; /* the start of a line after the first */
		if ((size_t)(end - p) >= 8 && !memcmp(p, "SigIgn:\t", 8)) {
			const char *d = p + 8, *e = d;
			char last5[6];
			while (e < end && is_hex(*e))
				e++;
			if (e - d < 5)
				return -EINVAL;
			memcpy(last5, e - 5, 5);
			last5[5] = '\0';
			return (int)(strtoull(last5, NULL, 16) >> 16 & 1);
		}
		p = memchr(p, '\n', (size_t)(end - p));
	}
	return -EINVAL;
}

static int ref_boot_id(const char *text, size_t len, char *buf, size_t size)
{
	size_t n = 0;

	while (n < len && text[n] && strchr("0123456789abcdef-", text[n]))
		n++;
	if (n < 8 || n >= size)
		return -EINVAL;
	memcpy(buf, text, n);
	buf[n] = '\0';
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1), got[40], want[40];
	long long v;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (proc_parse_sigchld(buf, size) != ref_sigchld(buf, size))
		abort();
	/* 37 bytes: a boot id just fits; the size also cuts longer runs */
	for (size_t room = 36; room <= 40; room += 4) {
		memset(got, 0x55, sizeof(got));
		int r = proc_parse_boot_id(buf, size, got, room);
		if (r != ref_boot_id(buf, size, want, room) || (r == 0 && strcmp(got, want)))
			abort();
	}
	/* only that it stays inside the input and keeps its promise */
	if (proc_parse_status(buf, size, "Tgid:", 1, INT_MAX, &v) == 0 && (v < 1 || v > INT_MAX))
		abort();
	free(buf);
	return 0;
}
