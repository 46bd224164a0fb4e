/* SPDX-License-Identifier: MIT */
/* The tools' out-of-memory policy: one message, one exit status.  Uses
 * array.c alone.  See xalloc.h. */
#define _GNU_SOURCE
#include "iopcli/xalloc.h"
#include "iopcli/array.h"

#include <errno.h> /* program_invocation_short_name */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xalloc_die(void)
{
	fprintf(stderr, "%s: cannot allocate memory\n", program_invocation_short_name);
	exit(EXIT_FAILURE);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		xalloc_die();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		xalloc_die();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		xalloc_die();
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		xalloc_die();
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p)
		xalloc_die();
	return p;
}

void *xgrow(void *p, size_t *cap, size_t need, size_t size, size_t first)
{
	p = cli_grow(p, cap, need, size, first);
	if (!p)
		xalloc_die();
	return p;
}
