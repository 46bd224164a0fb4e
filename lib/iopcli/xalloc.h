/* SPDX-License-Identifier: MIT */
/*
 * Running out of memory, the tools' one way: "<tool>: cannot allocate
 * memory" on stderr and exit status 1 (stdout still flushed and closed at
 * exit).  For the tools and the helpers that exit by contract (the output
 * buffer, argv's helpers); the /proc layer, blockdev, the arrays and the
 * parsers return -ENOMEM (or NULL) instead and leave the choice to them.
 */
#ifndef IOP_CLI_XALLOC_H
#define IOP_CLI_XALLOC_H

#include <stddef.h>

/* Reports that memory ran out, and exits. */
void xalloc_die(void) __attribute__((noreturn));

/* malloc, calloc, realloc, strdup and strndup that never return NULL:
 * they call xalloc_die() instead (a size of 0 still gets memory). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* cli_grow() (iopcli/array.h) that never returns NULL. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size, size_t first);

#endif
