/* SPDX-License-Identifier: MIT */
/* Unit tests of iopstat's sampler: lifetime rates, pairing of two snapshots
 * by (pid, tid, start time), resets, new and unseen tasks, order and totals. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "columns.h"
#include "sample.h"

#define TICKS 100

static struct scan_row row(int pid, unsigned long long start, unsigned long long read,
			   unsigned long long write)
{
	struct scan_row r = { .pid = pid, .start = start, .prio = -1 };
	r.io[IO_READ_BYTES] = read;
	r.io[IO_WRITE_BYTES] = write;
	r.io[IO_RCHAR] = read + 1;
	return r;
}

/* A row's value in the report, and the base kept of a snapshot. */
#define IO(r, f) ((unsigned long long)report_value(&rep, (r), (f)))
static struct base kept;
static const struct base *keep(const struct scan_snapshot *s)
{
	assert_int_equal(base_keep(&kept, s), 0);
	return &kept;
}

static struct scan_snapshot snap_of(struct scan_row *rows, size_t n, double uptime, double mono)
{
	struct scan_snapshot s = { .rows = rows, .n = n, .cap = n, .uptime = uptime, .mono = mono };
	return s;
}

static const struct report_row *find(const struct report *rep, int pid)
{
	for (size_t i = 0; i < rep->n; i++)
		if (report_task(rep, &rep->rows[i])->pid == pid)
			return &rep->rows[i];
	return NULL;
}

static void lifetime_rates_over_age(void **state)
{
	struct report rep = { 0 };
	struct report_options opt = { .sort = column_sort_by(COL_IO) };
	(void)state;
	/* uptime 1000 s; started at 900 s and at 999.995 s (less than a tick ago) */
	struct scan_row rows[] = { row(1, 900 * TICKS, 5000, 1000), row(2, 99999, 10, 0) };
	struct scan_snapshot s = snap_of(rows, 2, 1000.0, 50.0);
	assert_int_equal(report_build(&rep, NULL, &s, &opt, TICKS), 0);
	assert_int_equal(rep.n, 2);
	const struct report_row *r = find(&rep, 1);
	assert_int_equal(IO(r, IO_READ_BYTES), 5000);
	assert_true(report_seconds(&rep, r) > 99.99 && report_seconds(&rep, r) < 100.01);
	r = find(&rep, 2);
	assert_true(report_seconds(&rep, r) > 0.0099 && report_seconds(&rep, r) < 0.0101); /* at least one tick */
	assert_int_equal(rep.io[IO_READ_BYTES], 5010);
	assert_true(rep.seconds == 0);
	report_free(&rep);
}

static void pairs_by_pid_tid_and_start(void **state)
{
	struct report rep = { 0 };
	struct report_options opt = { .sort = column_sort_by(COL_PID) };
	(void)state;
	struct scan_row before[] = {
		row(10, 100, 1000, 100),  /* goes on */
		row(11, 110, 5000, 0),    /* resets its counters */
		row(12, 120, 7000, 0),    /* exits */
		row(13, 130, 9000, 0),    /* exits; its pid is reused */
	};
	struct scan_row after[] = {
		row(10, 100, 1500, 300),
		row(11, 110, 200, 0),
		row(13, 2000 * TICKS + 50, 40, 0), /* reused: started after the first scan */
		row(14, 2000 * TICKS + 60, 77, 0), /* new */
		row(15, 500, 123456, 0),           /* alive then, unseen then (filtered, denied) */
	};
	struct scan_snapshot s0 = snap_of(before, 4, 2000.0, 10.0);
	struct scan_snapshot s1 = snap_of(after, 5, 2002.0, 12.0);
	assert_int_equal(report_build(&rep, keep(&s0), &s1, &opt, TICKS), 0);
	assert_true(rep.seconds > 1.99 && rep.seconds < 2.01);
	assert_int_equal(rep.n, 4);
	assert_int_equal(IO(find(&rep, 10), IO_READ_BYTES), 500);
	assert_int_equal(IO(find(&rep, 10), IO_WRITE_BYTES), 200);
	assert_true(report_seconds(&rep, find(&rep, 10)) == rep.seconds);
	assert_int_equal(IO(find(&rep, 11), IO_READ_BYTES), 200); /* from 0, never a wrap */
	assert_null(find(&rep, 12));
	assert_int_equal(IO(find(&rep, 13), IO_READ_BYTES), 40);  /* a new process: all of it */
	assert_int_equal(IO(find(&rep, 14), IO_READ_BYTES), 77);
	assert_null(find(&rep, 15));                              /* no period to show yet */
	assert_int_equal(rep.total_rows, 4);
	assert_int_equal(rep.io[IO_READ_BYTES], 500 + 200 + 40 + 77);

	/* threads: the same pid, told apart by tid */
	struct scan_row tb[] = { row(20, 1, 10, 0), row(20, 1, 100, 0) };
	struct scan_row ta[] = { row(20, 1, 15, 0), row(20, 1, 130, 0) };
	tb[0].tid = ta[0].tid = 20;
	tb[1].tid = ta[1].tid = 21;
	s0 = snap_of(tb, 2, 10, 1);
	s1 = snap_of(ta, 2, 11, 2);
	assert_int_equal(report_build(&rep, keep(&s0), &s1, &opt, TICKS), 0);
	assert_int_equal(rep.n, 2);
	assert_int_equal(IO(&rep.rows[0], IO_READ_BYTES), 5);
	assert_int_equal(IO(&rep.rows[1], IO_READ_BYTES), 30);
	report_free(&rep);
}

static void order_top_active_and_totals(void **state)
{
	struct report rep = { 0 };
	struct report_options opt = { .sort = column_sort_by(COL_IO) };
	(void)state;
	struct scan_row rows[] = {
		row(1, 0, 10, 10),  /* io 20 */
		row(2, 0, 0, 0),    /* idle... */
		row(3, 0, 100, 0),  /* io 100 */
		row(4, 0, 5, 15),   /* io 20: ties go by pid */
		row(5, 0, 0, 50),   /* io 50 */
	};
	rows[1].io[IO_RCHAR] = 0;
	rows[0].prio = 0x6000;
	rows[2].prio = 0x4007;
	rows[3].prio = 0x2000;
	rows[4].prio = 0x4000;
	struct scan_snapshot s = snap_of(rows, 5, 100, 1);
	assert_int_equal(report_build(&rep, NULL, &s, &opt, TICKS), 0);
	int want[] = { 3, 5, 1, 4, 2 };
	for (int i = 0; i < 5; i++)
		assert_int_equal(report_task(&rep, &rep.rows[i])->pid, want[i]);

	opt.top = 2;
	assert_int_equal(report_build(&rep, NULL, &s, &opt, TICKS), 0);
	assert_int_equal(rep.n, 2);
	assert_int_equal(rep.total_rows, 5);                /* totals cover all */
	assert_int_equal(rep.io[IO_WRITE_BYTES], 75);

	opt = (struct report_options){ .sort = column_sort_by(COL_IO), .only_active = true };
	assert_int_equal(report_build(&rep, NULL, &s, &opt, TICKS), 0);
	assert_int_equal(rep.n, 4);
	assert_null(find(&rep, 2));

	opt = (struct report_options){ .sort = column_sort_by(COL_WRITE) };
	assert_int_equal(report_build(&rep, NULL, &s, &opt, TICKS), 0);
	assert_int_equal(report_task(&rep, &rep.rows[0])->pid, 5);

	opt = (struct report_options){ .sort = column_sort_by(COL_PRIO) }; /* rt, be/0, be/7, idle, unknown */
	assert_int_equal(report_build(&rep, NULL, &s, &opt, TICKS), 0);
	int want_prio[] = { 4, 5, 3, 1, 2 };
	for (int i = 0; i < 5; i++)
		assert_int_equal(report_task(&rep, &rep.rows[i])->pid, want_prio[i]);

	opt = (struct report_options){ .sort = column_sort_by(COL_PID) };
	assert_int_equal(report_build(&rep, NULL, &s, &opt, TICKS), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(report_task(&rep, &rep.rows[i])->pid, i + 1);
	report_free(&rep);
}

/* --sort takes every column that is not text: amounts largest first,
 * ids smallest first, ties by pid */
static void sorts_by_every_numeric_column(void **state)
{
	struct report rep = { 0 };
	struct report_options opt = { 0 };
	(void)state;
	struct scan_row rows[] = { row(1, 0, 10, 0), row(2, 0, 0, 0), row(3, 0, 5, 5) };
	rows[0].uid = 900;
	rows[1].uid = 5;
	rows[2].uid = 70;
	rows[1].io[IO_SYSCW] = 9;
	rows[2].io[IO_CANCELLED] = 4096;
	rows[1].delay = 30;
	rows[2].delay = 31;
	struct scan_snapshot s = snap_of(rows, 3, 100, 1);
	static const struct {
		enum column col;
		int first, last;
	} cases[] = {
		{ COL_UID, 2, 1 }, { COL_SYSCW, 2, 3 }, { COL_CANCELLED, 3, 2 },
		{ COL_IODELAY, 3, 1 }, { COL_IO, 1, 2 }, { COL_RCHAR, 1, 2 }, { COL_TID, 1, 3 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		assert_true(column_sorts(cases[i].col));
		opt.sort = column_sort_by(cases[i].col);
		assert_int_equal(report_build(&rep, NULL, &s, &opt, TICKS), 0);
		assert_int_equal(report_task(&rep, &rep.rows[0])->pid, cases[i].first);
		assert_int_equal(report_task(&rep, &rep.rows[2])->pid, cases[i].last);
	}
	assert_false(column_sorts(COL_COMMAND));
	assert_false(column_sorts(COL_USER));
	report_free(&rep);
}

static void rates_sort_by_rate_not_total(void **state)
{
	struct report rep = { 0 };
	struct report_options opt = { .sort = column_sort_by(COL_READ_RATE) };
	(void)state;
	/* pid 1: 1000 bytes over 1000 s; pid 2: 100 bytes over 1 s */
	struct scan_row rows[] = { row(1, 0, 1000, 0), row(2, 999 * TICKS, 100, 0) };
	struct scan_snapshot s = snap_of(rows, 2, 1000, 1);
	assert_int_equal(report_build(&rep, NULL, &s, &opt, TICKS), 0);
	assert_int_equal(report_task(&rep, &rep.rows[0])->pid, 2);
	opt.sort = column_sort_by(COL_READ);
	assert_int_equal(report_build(&rep, NULL, &s, &opt, TICKS), 0);
	assert_int_equal(report_task(&rep, &rep.rows[0])->pid, 1);
	report_free(&rep);
}

/* nothing selected: no rows, no sort over a NULL array */
static void empty_snapshot(void **state)
{
	struct report rep = { 0 };
	struct report_options opt = { .sort = column_sort_by(COL_IO), .top = 3 };
	struct scan_snapshot empty = { .uptime = 5, .mono = 1 };
	(void)state;
	assert_int_equal(report_build(&rep, NULL, &empty, &opt, TICKS), 0);
	assert_int_equal(rep.n, 0);
	assert_int_equal(rep.total_rows, 0);
	assert_int_equal(report_build(&rep, keep(&empty), &empty, &opt, TICKS), 0);
	assert_int_equal(rep.n, 0);
	report_free(&rep);
}

/* Sums of 64-bit counters do not wrap: the totals are 128-bit. */
static void totals_do_not_wrap(void **state)
{
	struct report rep = { 0 };
	struct report_options opt = { .sort = column_sort_by(COL_IO) };
	(void)state;
	struct scan_row rows[] = { row(1, 0, UINT64_MAX, UINT64_MAX), row(2, 0, UINT64_MAX, 2) };
	struct scan_snapshot s = snap_of(rows, 2, 1000, 1);
	assert_int_equal(report_build(&rep, NULL, &s, &opt, TICKS), 0);
	assert_true(rep.io[IO_READ_BYTES] == (cli_u128)UINT64_MAX * 2);
	assert_true(rep.io[IO_WRITE_BYTES] == (cli_u128)UINT64_MAX + 2);
	/* read + write of pid 1 is more than 2^64: it still sorts first */
	assert_int_equal(report_task(&rep, &rep.rows[0])->pid, 1);
	report_free(&rep);
}

/* Rates near 2^64 bytes per second sort by their value, without an
 * overflowing conversion (UBSan reported one). */
static void huge_rates_sort(void **state)
{
	struct report rep = { 0 };
	struct report_options opt = { .sort = column_sort_by(COL_READ_RATE) };
	(void)state;
	/* pid 1: 1.8e19 bytes over one tick; pid 2: the same over 1000 s */
	struct scan_row rows[] = { row(1, 99999, 18000000000000000000ULL, 0),
				   row(2, 0, 18000000000000000000ULL, 0) };
	struct scan_snapshot s = snap_of(rows, 2, 1000, 1);
	assert_int_equal(report_build(&rep, NULL, &s, &opt, TICKS), 0);
	assert_int_equal(report_task(&rep, &rep.rows[0])->pid, 1);
	opt.sort = column_sort_by(COL_WRITE_RATE);
	assert_int_equal(report_build(&rep, NULL, &s, &opt, TICKS), 0);
	assert_int_equal(rep.n, 2);
	report_free(&rep);
}

/* The summary of an interval run counts the tasks that ended during it, and
 * what the ones still there did since the first sample. */
static void summary_keeps_tasks_that_ended(void **state)
{
	struct report rep = { 0 };
	struct report_options opt = { .sort = column_sort_by(COL_PID) };
	struct run_exits x = { 0 };
	struct scan_snapshot work = { 0 };
	(void)state;
	/* first: 1 and 2 alive.  middle: 2 gone (wrote 40 more), 3 born and
	 * wrote 7, 1 wrote 10.  last: 3 gone too, 1 wrote 5 more. */
	struct scan_row r0[] = { row(1, 0, 100, 100), row(2, 0, 0, 60) };
	struct scan_row r1[] = { row(1, 0, 100, 110), row(2, 0, 0, 100), row(3, 1050, 0, 7) };
	struct scan_row r2[] = { row(1, 0, 100, 115) };
	struct scan_snapshot s0 = snap_of(r0, 2, 10, 1), s1 = snap_of(r1, 3, 11, 2),
			     s2 = snap_of(r2, 1, 12, 3);
	/* names: every row's comm at offset 0 of a one-name buffer */
	char name[] = "x";
	s0.names = s1.names = s2.names = name;
	s0.names_len = s1.names_len = s2.names_len = sizeof(name);

	assert_int_equal(report_note_exits(&x, &s0, &s0, &s1, TICKS), 0); /* none ended */
	assert_int_equal(x.gone.n, 0);
	assert_int_equal(report_note_exits(&x, &s0, &s1, &s2, TICKS), 0); /* 2 and 3 ended */
	assert_int_equal(x.gone.n, 2);
	assert_int_equal(report_build_summary(&rep, &s0, &s2, &x, &work, &opt, TICKS), 0);
	assert_int_equal(rep.n, 3);
	assert_int_equal(rep.total_rows, 3);
	assert_int_equal(report_task(&rep, &rep.rows[0])->pid, 1);
	assert_int_equal(IO(&rep.rows[0], IO_WRITE_BYTES), 15);
	assert_int_equal(report_task(&rep, &rep.rows[1])->pid, 2);
	assert_int_equal(IO(&rep.rows[1], IO_WRITE_BYTES), 40);
	assert_int_equal(report_task(&rep, &rep.rows[2])->pid, 3);
	assert_int_equal(IO(&rep.rows[2], IO_WRITE_BYTES), 7);
	assert_true(rep.io[IO_WRITE_BYTES] == 62);
	assert_true(rep.seconds == 2);
	assert_string_equal(scan_comm(rep.snap, report_task(&rep, &rep.rows[1])), "x");
	report_free(&rep);
	report_exits_free(&x);
	scan_snapshot_free(&work);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lifetime_rates_over_age),
		cmocka_unit_test(pairs_by_pid_tid_and_start),
		cmocka_unit_test(order_top_active_and_totals),
		cmocka_unit_test(sorts_by_every_numeric_column),
		cmocka_unit_test(rates_sort_by_rate_not_total),
		cmocka_unit_test(empty_snapshot),
		cmocka_unit_test(totals_do_not_wrap),
		cmocka_unit_test(huge_rates_sort),
		cmocka_unit_test(summary_keeps_tasks_that_ended),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	base_free(&kept);
	return failed;
}
