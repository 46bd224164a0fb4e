/* SPDX-License-Identifier: MIT */
/* Growing and sorting arrays: depends on nothing but libc.  See array.h. */
#include "iopcli/array.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *cli_grow(void *p, size_t *cap, size_t need, size_t size, size_t first)
{
	size_t c = *cap ? *cap : first ? first : 1;

	if (p && need <= *cap)
		return p;
	/* an array with no room yet gets some, even for none: NULL means
	 * only that memory ran out */
	while (c < need) {
		if (c > SIZE_MAX / 2)
			return NULL;
		c *= 2;
	}
	if (c > SIZE_MAX / size)
		return NULL;
	void *more = realloc(p, c * size);
	if (more)
		*cap = c;
	return more;
}

static void swap_elems(char *a, char *b, size_t size)
{
	char t[256];

	memcpy(t, a, size);
	memcpy(a, b, size);
	memcpy(b, t, size);
}

/* Moves element i down the heap of n elements until both children are smaller. */
static void sift_down(char *v, size_t i, size_t n, size_t size,
		      int (*cmp)(const void *, const void *))
{
	for (;;) {
		size_t largest = i, l = 2 * i + 1, r = l + 1;
		if (l < n && cmp(v + l * size, v + largest * size) > 0)
			largest = l;
		if (r < n && cmp(v + r * size, v + largest * size) > 0)
			largest = r;
		if (largest == i)
			return;
		swap_elems(v + i * size, v + largest * size, size);
		i = largest;
	}
}

/* glibc's qsort() is a merge sort into a copy of the array: fast, and for
 * a report of 8-byte rows a small copy; larger arrays (snapshots of
 * 96-byte rows) are heap-sorted in place instead. */
#define IOP_QSORT_COPY_MAX (256u << 10)

void cli_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *v = base;

	if (n < 2)
		return;
	if (size > 256 || n * size <= IOP_QSORT_COPY_MAX) {
		qsort(base, n, size, cmp);
		return;
	}
	for (size_t i = n / 2; i-- > 0;)
		sift_down(v, i, n, size, cmp);
	for (size_t end = n - 1; end > 0; end--) {
		swap_elems(v, v + end * size, size);
		sift_down(v, 0, end, size, cmp);
	}
}
