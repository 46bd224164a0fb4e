/* SPDX-License-Identifier: MIT */
/* Unit tests of the command-line helpers: strict number parsing. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdint.h>
#include <cmocka.h>

#include "iopcli/cli.h"
#include "iopcli/slots.h"
#include "iopcli/xalloc.h"
#include "iopcli/num.h"
#include "iopcli/buf.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void parses_whole_numbers(void **state)
{
	long long v = -99;
	(void)state;
	assert_int_equal(cli_parse_ll("0", 0, 7, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(cli_parse_ll("7", 0, 7, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(cli_parse_ll("007", 0, 7, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(cli_parse_ll("-20", -20, 19, &v), 0);
	assert_int_equal(v, -20);
	assert_int_equal(cli_parse_ll("2147483647", 0, INT_MAX, &v), 0);
	assert_int_equal(v, INT_MAX);
	assert_int_equal(cli_parse_ll("4294967294", 0, 4294967294LL, &v), 0);
	assert_true(v == 4294967294LL);
	assert_int_equal(cli_parse_ll("-9223372036854775808", LLONG_MIN, LLONG_MAX, &v), 0);
	assert_true(v == LLONG_MIN);
	assert_int_equal(cli_parse_ll("-0", 0, 7, &v), 0);
	assert_int_equal(v, 0);
}

static void rejects_junk(void **state)
{
	static const char *junk[] = { "", "-", "+1", " 1", "1 ", "1x", "x1", "0x10", "1.5",
				      "1e3", "--1", "\t3", "3\n", "٣" };
	long long v = 42;
	(void)state;
	for (size_t i = 0; i < sizeof(junk) / sizeof(*junk); i++) {
		if (cli_parse_ll(junk[i], LLONG_MIN, LLONG_MAX, &v) != -EINVAL)
			fail_msg("'%s' was accepted", junk[i]);
	}
	assert_int_equal(cli_parse_ll(NULL, 0, 1, &v), -EINVAL);
	assert_int_equal(v, 42); /* untouched on error */
}

static void rejects_out_of_range_without_wrapping(void **state)
{
	long long v = 42;
	(void)state;
	assert_int_equal(cli_parse_ll("-1", 0, 7, &v), -ERANGE); /* never a huge unsigned */
	assert_int_equal(cli_parse_ll("8", 0, 7, &v), -ERANGE);
	assert_int_equal(cli_parse_ll("2147483648", 0, INT_MAX, &v), -ERANGE);
	assert_int_equal(cli_parse_ll("-21", -20, 19, &v), -ERANGE);
	assert_int_equal(cli_parse_ll("9223372036854775808", 0, LLONG_MAX, &v), -ERANGE);
	assert_int_equal(cli_parse_ll("-9223372036854775809", LLONG_MIN, 0, &v), -ERANGE);
	assert_int_equal(cli_parse_ll("99999999999999999999999", 0, 7, &v), -ERANGE);
	assert_int_equal(v, 42);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static void sorts_empty_arrays(void **state)
{
	int v[] = { 3, 1, 2 };
	(void)state;
	cli_sort(NULL, 0, sizeof(int), cmp_int); /* qsort(NULL, 0) is undefined */
	cli_sort(v, 1, sizeof(int), cmp_int);
	assert_int_equal(v[0], 3);
	cli_sort(v, 3, sizeof(int), cmp_int);
	assert_int_equal(v[0], 1);
	assert_int_equal(v[2], 3);
	/* in place, any order, duplicates, against qsort */
	enum { N = 1000 };
	static int a[N], b[N];
	unsigned x = 12345;
	for (int round = 0; round < 20; round++) {
		int len = round * 50 + round % 7;
		for (int i = 0; i < len; i++) {
			x = x * 1103515245u + 12345u;
			a[i] = b[i] = (int)(x >> 16) % (round + 2);
		}
		cli_sort(a, (size_t)len, sizeof(int), cmp_int);
		qsort(b, (size_t)len, sizeof(int), cmp_int);
		assert_memory_equal(a, b, (size_t)len * sizeof(int));
	}
}

/* cli_sort_r: each comparison gets the context it was called with (no
 * file-scope state); the same order as qsort(), by qsort_r() and, past
 * 256 KiB, by the heap sort in place */
static int cmp_int_by(const void *a, const void *b, void *ctx)
{
	int *calls = ctx, x = *(const int *)a, y = *(const int *)b;

	++*calls;
	return (x > y) - (x < y);
}

static void sorts_with_a_context(void **state)
{
	enum { N = 100000 }; /* 400 KB of ints: the heap sort */
	static int a[N], b[N];
	unsigned x = 54321;
	int calls = 0;
	(void)state;
	cli_sort_r(NULL, 0, sizeof(int), cmp_int_by, &calls);
	assert_int_equal(calls, 0);
	for (int round = 0; round < 2; round++) {
		size_t len = round ? N : 1000; /* qsort_r, then the heap */
		for (size_t i = 0; i < len; i++) {
			x = x * 1103515245u + 12345u;
			a[i] = b[i] = (int)(x >> 8) % 5000;
		}
		calls = 0;
		cli_sort_r(a, len, sizeof(int), cmp_int_by, &calls);
		assert_true(calls > 0);
		qsort(b, len, sizeof(int), cmp_int);
		assert_memory_equal(a, b, len * sizeof(int));
	}
	/* cli_sort's heap sort, through the same code */
	for (size_t i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		a[i] = b[i] = (int)(x >> 8);
	}
	cli_sort(a, N, sizeof(int), cmp_int);
	qsort(b, N, sizeof(int), cmp_int);
	assert_memory_equal(a, b, sizeof(a));
}

/* cli_cmp_int: the order of any two ints, the extremes too (a subtraction
 * would overflow there), and usable by bsearch() */
static void compares_ints(void **state)
{
	int lo = INT_MIN, hi = INT_MAX, zero = 0, v[] = { -7, 0, 3, 4096, INT_MAX };
	(void)state;
	assert_true(cli_cmp_int(&lo, &hi) < 0);
	assert_true(cli_cmp_int(&hi, &lo) > 0);
	assert_int_equal(cli_cmp_int(&zero, &zero), 0);
	assert_true(cli_cmp_int(&lo, &zero) < 0);
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++)
		assert_ptr_equal(bsearch(&v[i], v, sizeof(v) / sizeof(*v), sizeof(*v), cli_cmp_int),
				 &v[i]);
	int four = 4;
	assert_null(bsearch(&four, v, sizeof(v) / sizeof(*v), sizeof(*v), cli_cmp_int));
}

/* cli_slots: every entry found by its hash, whatever the collisions; never
 * more than half full; a table for fewer entries shrinks */
static uint64_t by_value(const void *ctx, size_t i)
{
	return (uint64_t)((const int *)ctx)[i] * 0x9e3779b97f4a7c15ull;
}

static uint64_t all_alike(const void *ctx, size_t i)
{
	(void)ctx, (void)i;
	return 7;
}

static size_t slots_find(const struct cli_slots *s, uint64_t h, const int *v, int want)
{
	size_t i, walked = 0;
	for (struct cli_slots_walk w = cli_slots_walk(s, h); cli_slots_next(&w, &i); walked++)
		if (v[i] == want)
			return i;
	return SIZE_MAX - walked;
}

static void indexes_by_hash(void **state)
{
	static int v[1000];
	struct cli_slots s = { 0 };
	size_t i;
	(void)state;
	/* no table yet: nothing, and a walk ends at once */
	struct cli_slots_walk w = cli_slots_walk(&s, 5);
	assert_false(cli_slots_next(&w, &i));
	assert_false(cli_slots_fit(&s, 1));
	for (int k = 0; k < 1000; k++)
		v[k] = k * 3;
	for (int round = 0; round < 2; round++) {
		uint64_t (*h)(const void *, size_t) = round ? all_alike : by_value;
		assert_int_equal(cli_slots_index(&s, 600, 600, h, v), 0);
		assert_int_equal(s.n, 2048); /* the least power of two twice 600 */
		for (size_t k = 600; k < 1000; k++) { /* added one by one */
			if (!cli_slots_fit(&s, k + 1))
				assert_int_equal(cli_slots_index(&s, k, k + 1, h, v), 0);
			cli_slots_put(&s, h(v, k), k);
			assert_true((k + 1) * 2 <= s.n);
		}
		for (size_t k = 0; k < 1000; k++)
			assert_int_equal(slots_find(&s, h(v, k), v, v[k]), k);
		assert_true(slots_find(&s, h(v, 0), v, 1) >= SIZE_MAX - 1000); /* not there */
	}
	/* fewer entries: a smaller table, still finding each */
	assert_int_equal(cli_slots_index(&s, 10, 10, by_value, v), 0);
	assert_int_equal(s.n, 64);
	for (size_t k = 0; k < 10; k++)
		assert_int_equal(slots_find(&s, by_value(v, k), v, v[k]), k);
	assert_true(slots_find(&s, by_value(v, 10), v, v[10]) >= SIZE_MAX - 10);
	cli_slots_free(&s);
	assert_null(s.v);
	assert_int_equal(s.n, 0);
}

static void grows_arrays(void **state)
{
	size_t cap = 0;
	(void)state;
	/* room for none: still an array, not an error */
	char *none = cli_grow(NULL, &cap, 0, 1, 8);
	assert_non_null(none);
	assert_int_equal(cap, 8);
	free(none);
	cap = 0;
	int *p = cli_grow(NULL, &cap, 1, sizeof(int), 16);
	assert_non_null(p);
	assert_int_equal(cap, 16);
	assert_ptr_equal(cli_grow(p, &cap, 16, sizeof(int), 16), p); /* room already */
	int *q = cli_grow(p, &cap, 17, sizeof(int), 16);
	assert_non_null(q);
	assert_int_equal(cap, 32);
	q[31] = 1;
	size_t huge = cap;
	assert_null(cli_grow(q, &huge, SIZE_MAX / 2, sizeof(int), 16)); /* overflow: refused */
	assert_int_equal(huge, 32);
	free(q);
}

static const char *name_of(int c)
{
	static const char *const names[] = { "PID", "TID", "COMMAND" };
	return names[c];
}

/* Out of memory is one message and exit status 1, from every x* helper:
 * run in a child whose stderr is a pipe (an array too large to count is
 * refused before any allocation, so no sanitizer or valgrind sees a
 * huge request). */
static void out_of_memory_is_one_message(void **state)
{
	int fds[2], status;
	char msg[128] = "";
	(void)state;
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 2);
		size_t cap = 0;
		xgrow(NULL, &cap, SIZE_MAX / 2 + 2, 16, 1);
		_exit(3); /* not reached */
	}
	close(fds[1]);
	ssize_t n = read(fds[0], msg, sizeof(msg) - 1);
	close(fds[0]);
	assert_true(n > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_string_equal(msg, "test_cli: cannot allocate memory\n");

	/* and what succeeds is memory, even for 0 bytes */
	size_t cap = 0;
	char *p = xmalloc(0), *q = xstrndup("abcdef", 3), *r = xstrdup("x");
	int *v = xgrow(NULL, &cap, 0, sizeof(int), 4), *z = xcalloc(2, sizeof(int));
	assert_non_null(p);
	assert_string_equal(q, "abc");
	assert_string_equal(r, "x");
	assert_int_equal(cap, 4);
	assert_int_equal(z[0] | z[1], 0);
	p = xrealloc(p, 64);
	free(p);
	free(q);
	free(r);
	free(v);
	free(z);
}

/* The one integer-to-text writer, at the widths' edges: each digit count,
 * 2^64 - 1 and 2^64, 10^19 (where a 128-bit number is split), 2^128 - 1;
 * and through the output buffer. */
static void writes_numbers(void **state)
{
	char out[64];
	const unsigned __int128 max128 = ~(unsigned __int128)0;
	const unsigned __int128 e19 = 10000000000000000000ull;
	const struct {
		unsigned __int128 v;
		const char *text;
	} cases[] = {
		{ 0, "0" },
		{ 7, "7" },
		{ 10, "10" },
		{ 4294967295u, "4294967295" },
		{ 9999999999999999999ull, "9999999999999999999" },
		{ e19, "10000000000000000000" },
		{ 18446744073709551615ull, "18446744073709551615" },
		{ (unsigned __int128)1 << 64, "18446744073709551616" },
		{ e19 * e19, "100000000000000000000000000000000000000" },
		{ e19 * e19 + 5, "100000000000000000000000000000000000005" },
		{ e19 * 12345 + 42, "123450000000000000000042" },
		{ max128, "340282366920938463463374607431768211455" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *e = num_put_u128(out, cases[i].v);
		*e = '\0';
		assert_string_equal(out, cases[i].text);
		assert_true(e - out <= NUM_U128_DIGITS);
		if (cases[i].v >> 64 == 0) {
			e = num_put_u64(out, (unsigned long long)cases[i].v);
			*e = '\0';
			assert_string_equal(out, cases[i].text);
		}
	}
	struct cli_buf b = { 0 };
	cli_buf_u64(&b, 0);
	cli_buf_putc(&b, ' ');
	cli_buf_u64(&b, 18446744073709551615ull);
	cli_buf_putc(&b, ' ');
	cli_buf_u128(&b, max128);
	cli_buf_putc(&b, '\0');
	assert_string_equal(b.p, "0 18446744073709551615 340282366920938463463374607431768211455");
	cli_buf_free(&b);
}

static void parses_column_lists(void **state)
{
	int out[3] = { 0, 2 };
	(void)state;
	assert_int_equal(cli_parse_columns("command,pid", false, name_of, 3, out, 2, 3), 2);
	assert_int_equal(out[0], 2);
	assert_int_equal(out[1], 0);
	assert_int_equal(cli_parse_columns("+Tid", true, name_of, 3, out, 2, 3), 3); /* added */
	assert_int_equal(out[2], 1);
}

static void parses_id_lists(void **state)
{
	int *v = NULL;
	size_t n = 0;
	char bad[16];
	(void)state;
	assert_int_equal(cli_parse_id_list("12", 1, &v, &n, bad, sizeof(bad)), 0);
	assert_int_equal(cli_parse_id_list("3,4 5\t6\n7 , 8", 1, &v, &n, bad, sizeof(bad)), 0);
	assert_int_equal(n, 7);
	static const int want[] = { 12, 3, 4, 5, 6, 7, 8 };
	for (size_t i = 0; i < n; i++)
		assert_int_equal(v[i], want[i]);
	assert_int_equal(cli_parse_id_list("0", 0, &v, &n, bad, sizeof(bad)), 0); /* ionice -p 0 */
	assert_int_equal(v[n - 1], 0);
	static const struct {
		const char *arg, *bad;
	} cases[] = {
		{ "0", "0" }, { "1,,2", "1,,2" }, { "1,", "1," }, { ",1", ",1" }, { "", "" },
		{ " ", " " }, { "1 x", "x" }, { "-1", "-1" }, { "+5", "+5" }, { "2147483648", "2147483648" },
		{ "12345678901234567890123", "123456789012345" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		size_t before = n;
		assert_int_equal(cli_parse_id_list(cases[i].arg, 1, &v, &n, bad, sizeof(bad)), -EINVAL);
		assert_string_equal(bad, cases[i].bad);
		assert_true(n >= before); /* ids before the bad one may be added */
	}
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_whole_numbers),
		cmocka_unit_test(rejects_junk),
		cmocka_unit_test(rejects_out_of_range_without_wrapping),
		cmocka_unit_test(sorts_empty_arrays),
		cmocka_unit_test(sorts_with_a_context),
		cmocka_unit_test(compares_ints),
		cmocka_unit_test(indexes_by_hash),
		cmocka_unit_test(out_of_memory_is_one_message),
		cmocka_unit_test(writes_numbers),
		cmocka_unit_test(parses_column_lists),
		cmocka_unit_test(parses_id_lists),
		cmocka_unit_test(grows_arrays),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
