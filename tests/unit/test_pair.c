/* SPDX-License-Identifier: MIT */
/* Unit tests of the pairing of two scans (pair.h): the same task in both,
 * in one side only, a reused pid, threads, rows of either type, a counter
 * that went down, and a task alive but unseen. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sample.h"

#define TICKS 100

static struct base_row brow(int pid, int tid, unsigned long long start)
{
	return (struct base_row){ .pid = pid, .tid = tid, .start = start };
}

static struct scan_row prow(int pid, int tid, unsigned long long start)
{
	return (struct scan_row){ .pid = pid, .tid = tid, .start = start, .prio = -1 };
}

/* pid 2 and 5 in both; 3 left only; 4 right only. */
static void both_left_only_right_only(void **state)
{
	(void)state;
	struct base_row left[] = { brow(2, 0, 10), brow(3, 0, 11), brow(5, 0, 12) };
	struct pair p = PAIR_OVER(struct base_row, left, 3);

	assert_int_equal(pair_next(&p, 1, 0, 10), PAIR_NONE); /* below every row */
	assert_int_equal(pair_next(&p, 2, 0, 10), 0);
	/* 3 is skipped: the walk never asks for it */
	assert_int_equal(pair_next(&p, 4, 0, 11), PAIR_NONE);
	assert_int_equal(pair_next(&p, 5, 0, 12), 2);
	assert_int_equal(pair_next(&p, 6, 0, 12), PAIR_NONE); /* past the end */
	assert_int_equal(pair_next(&p, 7, 0, 12), PAIR_NONE);
}

static void reused_pid_is_another_task(void **state)
{
	(void)state;
	struct scan_row left[] = { prow(7, 0, 100), prow(8, 0, 100) };
	struct pair p = PAIR_OVER(struct scan_row, left, 2);

	assert_int_equal(pair_next(&p, 7, 0, 300), PAIR_NONE); /* same pid, later start */
	assert_int_equal(pair_next(&p, 8, 0, 100), 1);         /* and the walk goes on */
}

/* Threads sort after their process row (tid 0), by tid; a thread is
 * paired only with the same thread. */
static void threads(void **state)
{
	(void)state;
	struct base_row left[] = { brow(9, 0, 5), brow(9, 9, 5), brow(9, 12, 6),
				   brow(10, 10, 7) };
	struct pair p = PAIR_OVER(struct base_row, left, 4);

	assert_int_equal(pair_next(&p, 9, 9, 5), 1);
	assert_int_equal(pair_next(&p, 9, 11, 6), PAIR_NONE);
	assert_int_equal(pair_next(&p, 9, 12, 6), 2);
	assert_int_equal(pair_next(&p, 10, 0, 7), PAIR_NONE); /* the process row is not its thread */
	assert_int_equal(pair_next(&p, 10, 10, 7), 3);
}

static void negative_and_empty(void **state)
{
	(void)state;
	struct pair p = PAIR_OVER(struct scan_row, NULL, 0);

	assert_int_equal(pair_next(&p, 1, 0, 0), PAIR_NONE);
	struct scan_row left[] = { prow(-1, 0, 0), prow(3, 0, 0) };
	p = PAIR_OVER(struct scan_row, left, 2);
	assert_int_equal(pair_next(&p, -1, 0, 0), 0); /* signed order, as CMP_TASK */
	assert_int_equal(pair_next(&p, 3, 0, 0), 1);
}

static void counter_went_down_counts_from_zero(void **state)
{
	(void)state;
	assert_int_equal(pair_delta(150, 100), 50);
	assert_int_equal(pair_delta(100, 100), 0);
	assert_int_equal(pair_delta(30, 100), 30); /* reset: what it did since */
	assert_true(pair_delta(~0ULL, 0) == ~0ULL);
	assert_int_equal(pair_delta(0, ~0ULL), 0);
}

static void alive_but_unseen(void **state)
{
	(void)state;
	/* a scan taken 10 s after boot */
	assert_true(pair_unseen(999, 10.0, TICKS));   /* started at 9.99 s: it was there */
	assert_false(pair_unseen(1000, 10.0, TICKS)); /* started with the scan: born after */
	assert_false(pair_unseen(1500, 10.0, TICKS));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(both_left_only_right_only),
		cmocka_unit_test(reused_pid_is_another_task),
		cmocka_unit_test(threads),
		cmocka_unit_test(negative_and_empty),
		cmocka_unit_test(counter_went_down_counts_from_zero),
		cmocka_unit_test(alive_but_unseen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
