/* SPDX-License-Identifier: MIT */
/*
 * Arrays of the tools and the /proc layer: growing one, sorting one.  The
 * bottom of the helper library: it uses nothing of it.
 */
#ifndef IOP_CLI_ARRAY_H
#define IOP_CLI_ARRAY_H

#include <stddef.h>

/* An array p of *cap elements of size bytes with room for need of them:
 * p itself when it has, else p grown (doubling, from first elements at
 * least; an array with no memory yet gets some even for need 0) with *cap
 * updated.  NULL only when memory runs out (p is then still valid and *cap
 * unchanged). */
void *cli_grow(void *p, size_t *cap, size_t need, size_t size, size_t first);

/* Sorts an array; accepts an empty one whose pointer is NULL (qsort()
 * itself must never be given NULL).  Arrays up to 256 KiB go to qsort(),
 * which copies them; larger ones are heap-sorted in place (no copy, n log
 * n at worst).  Not stable: the comparison decides ties. */
void cli_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

/* Orders two ints (a cli_sort(), qsort() or bsearch() comparison). */
int cli_cmp_int(const void *a, const void *b);

/* cli_sort() with a context: cmp(a, b, ctx) is given the ctx it was called
 * with (qsort_r()'s order of arguments), so a comparison needs no
 * file-scope state.  The same sorts: qsort_r() up to 256 KiB, the heap
 * sort in place beyond. */
void cli_sort_r(void *base, size_t n, size_t size,
		int (*cmp)(const void *, const void *, void *), void *ctx);

#endif
