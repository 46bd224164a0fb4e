/* SPDX-License-Identifier: MIT */
/* Growing and sorting arrays: depends on nothing but libc.  See array.h. */
#define _GNU_SOURCE /* qsort_r (glibc, musl 1.2.3) */
#include "iopcli/array.h"

#include <stdbool.h>
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

/* A comparison and its context: cli_sort()'s plain one is called through
 * call_plain(), so one heap sort serves both. */
struct sort_by {
	int (*cmp)(const void *, const void *, void *);
	void *ctx;
};

/* Moves element i down the heap of n elements until both children are smaller. */
static void sift_down(char *v, size_t i, size_t n, size_t size, const struct sort_by *by)
{
	for (;;) {
		size_t largest = i, l = 2 * i + 1, r = l + 1;
		if (l < n && by->cmp(v + l * size, v + largest * size, by->ctx) > 0)
			largest = l;
		if (r < n && by->cmp(v + r * size, v + largest * size, by->ctx) > 0)
			largest = r;
		if (largest == i)
			return;
		swap_elems(v + i * size, v + largest * size, size);
		i = largest;
	}
}

static void heap_sort(char *v, size_t n, size_t size, const struct sort_by *by)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(v, i, n, size, by);
	for (size_t end = n - 1; end > 0; end--) {
		swap_elems(v, v + end * size, size);
		sift_down(v, 0, end, size, by);
	}
}

struct plain {
	int (*cmp)(const void *, const void *);
};

static int call_plain(const void *a, const void *b, void *ctx)
{
	return ((const struct plain *)ctx)->cmp(a, b);
}

/* glibc's qsort() is a merge sort into a copy of the array: fast, and for
 * a report of 8-byte rows a small copy; larger arrays (snapshots of
 * 96-byte rows) are heap-sorted in place instead. */
#define IOP_QSORT_COPY_MAX (256u << 10)

static bool by_qsort(size_t n, size_t size)
{
	return size > 256 || n * size <= IOP_QSORT_COPY_MAX;
}

void cli_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n < 2)
		return;
	if (by_qsort(n, size)) {
		qsort(base, n, size, cmp);
		return;
	}
	struct plain p = { cmp };
	heap_sort(base, n, size, &(struct sort_by){ call_plain, &p });
}

void cli_sort_r(void *base, size_t n, size_t size,
		int (*cmp)(const void *, const void *, void *), void *ctx)
{
	if (n < 2)
		return;
	if (by_qsort(n, size)) {
		qsort_r(base, n, size, cmp, ctx);
		return;
	}
	heap_sort(base, n, size, &(struct sort_by){ cmp, ctx });
}

int cli_cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}
