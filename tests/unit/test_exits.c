/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of iopstat's exited rows (iopstat/exits.c) on records and
 * scans made here, no socket: pairing with the scan before by pid and a
 * start that fits the record's window (a reused pid is a new task), never
 * below what was seen, threads summed into their process, a child's total
 * passed to the parent that reaps it, filters, threads (-t); and the
 * groups' take-back of an exited child from its reaper.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "exits.h"
#include "groups.h"
#include "iopcli/cli.h"
#include "columns.h"
#include "sample.h"

#define TICKS 100

static struct exits x;
static struct scan_snapshot prev_s, cur;
static struct base base;

static int setup(void **state)
{
	(void)state;
	x = (struct exits){ .on = true, .ts.fd = -1 };
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(x.rec);
	free(x.proc);
	cli_slots_free(&x.slots);
	free(x.seen);
	scan_snapshot_free(&prev_s);
	scan_snapshot_free(&cur);
	base_free(&base);
	return 0;
}

/* A scan of rows (pid, ppid, start tick, write_bytes, comm) at uptime. */
struct task {
	int pid, ppid;
	unsigned long long start, write;
	const char *comm;
};

static void scan_of(struct scan_snapshot *s, const struct task *t, size_t n, double uptime)
{
	s->n = 0;
	s->names_len = 0;
	s->uptime = uptime;
	s->mono = uptime;
	s->when = 1000 + uptime;
	for (size_t i = 0; i < n; i++) {
		struct scan_row *rows = cli_grow(s->rows, &s->cap, s->n + 1, sizeof(*rows), 16);
		assert_non_null(rows);
		s->rows = rows;
		struct scan_row *r = &rows[s->n];
		*r = (struct scan_row){ .pid = t[i].pid, .ppid = t[i].ppid, .start = t[i].start,
					.prio = -1 };
		r->io[IO_WRITE_BYTES] = t[i].write;
		assert_int_equal(scan_add_names(s, r, t[i].comm, NULL), 0);
		s->n++;
	}
}

/* A record of thread tid of tgid, queued in (lo, hi], aged 'age' s (its
 * leader 'gage'). */
static void record(int tid, int tgid, int ppid, double lo, double hi, double age, double gage,
		   unsigned long long write, const char *comm)
{
	struct exit_rec *v = cli_grow(x.rec, &x.rec_cap, x.nrec + 1, sizeof(*v), 16);
	assert_non_null(v);
	x.rec = v;
	struct exit_rec *e = &v[x.nrec++];
	*e = (struct exit_rec){ .tid = tid, .tgid = tgid, .ppid = ppid, .seq = ++x.seq, .lo = lo,
				.hi = hi, .age = age, .group_age = gage };
	e->io[IO_WRITE_BYTES] = write;
	strncpy(e->comm, comm, sizeof(e->comm) - 1);
}

static const struct scan_row *row_of(int pid, int tid)
{
	const struct scan_row *found = NULL;
	for (size_t i = 0; i < cur.n; i++)
		if (cur.rows[i].pid == pid && cur.rows[i].tid == tid &&
		    (cur.rows[i].flags & ROW_EXITED)) {
			assert_null(found); /* one exited row a task */
			found = &cur.rows[i];
		}
	return found;
}

static void add(const struct scan_options *so)
{
	assert_int_equal(exits_add_rows(&x, &base, &cur, so, NULL, TICKS), 0);
	for (size_t i = 1; i < cur.n; i++)
		assert_true(CMP_TASK(&cur.rows[i - 1], &cur.rows[i]) <= 0); /* still sorted */
}

/* Never seen: all of it, a start after the scan before (so a report
 * counts it as born in between), marked exited and reaped. */
static void never_seen(void **state)
{
	struct scan_options so = { 0 };
	(void)state;
	struct task before[] = { { 1, 0, 100, 0, "init" }, { 50, 1, 200, 0, "make" } };
	scan_of(&prev_s, before, 2, 10.0);
	assert_int_equal(base_keep(&base, &prev_s), 0);
	scan_of(&cur, before, 2, 11.0);
	/* started at 10.5 s, ended 0.2 s later, read between 10.7 and 10.75 */
	record(77, 77, 50, 10.70, 10.75, 0.2, 0.2, 65536, "cc1");
	add(&so);
	const struct scan_row *r = row_of(77, 0);
	assert_non_null(r);
	assert_int_equal(r->io[IO_WRITE_BYTES], 65536);
	assert_true(r->flags & ROW_REAPED);
	assert_int_equal(r->ppid, 50);
	assert_true(r->start > 10 * TICKS);
	assert_string_equal(scan_comm(&cur, r), "cc1");
	assert_int_equal(x.rows, 1);
	assert_int_equal(x.nrec, 0);

	/* the report: born in between, all of it, once */
	struct report rep = { 0 };
	struct report_options ro = { .sort = column_sort_by(COL_PID) };
	assert_int_equal(report_build(&rep, &base, &cur, &ro, TICKS), 0);
	cli_u128 sum = 0;
	for (size_t i = 0; i < rep.n; i++)
		sum += report_value(&rep, &rep.rows[i], IO_WRITE_BYTES);
	assert_true(sum == 65536);
	report_free(&rep);
	/* the base kept of it has no exited row: not reported again */
	assert_int_equal(base_keep(&base, &cur), 0);
	assert_int_equal(base.n, 2);
}

/* Seen by the scan before: paired by its start, what it did since; a
 * record rounded below what was seen never shows less than that. */
static void seen_then_ended(void **state)
{
	struct scan_options so = { 0 };
	(void)state;
	struct task before[] = { { 1, 0, 100, 0, "init" }, { 60, 1, 905, 40960, "tar" },
				 { 61, 1, 906, 1500, "gzip" } };
	scan_of(&prev_s, before, 3, 10.0);
	assert_int_equal(base_keep(&base, &prev_s), 0);
	scan_of(&cur, before, 1, 11.0);
	/* started at 9.05 s: ended at about 10.6 s (aged 1.55 s) */
	record(60, 60, 1, 10.55, 10.62, 1.55, 1.55, 106496, "tar");
	record(61, 61, 1, 10.55, 10.62, 1.55, 1.55, 1024, "gzip"); /* 1500 seen, rounded */
	add(&so);
	const struct scan_row *t = row_of(60, 0), *g = row_of(61, 0);
	assert_non_null(t);
	assert_non_null(g);
	assert_int_equal(t->start, 905);
	assert_int_equal(g->start, 906);
	assert_int_equal(g->io[IO_WRITE_BYTES], 1500);
	struct report rep = { 0 };
	struct report_options ro = { .sort = column_sort_by(COL_PID) };
	assert_int_equal(report_build(&rep, &base, &cur, &ro, TICKS), 0);
	for (size_t i = 0; i < rep.n; i++) {
		const struct scan_row *r = report_task(&rep, &rep.rows[i]);
		cli_u128 v = report_value(&rep, &rep.rows[i], IO_WRITE_BYTES);
		if (r->pid == 60)
			assert_true(v == 106496 - 40960);
		if (r->pid == 61)
			assert_true(v == 0);
	}
	report_free(&rep);
}

/* A pid reused: the record's start does not fit the old task's, so it is
 * a new task (all of its I/O), and the old one is not touched. */
static void reused_pid_is_new(void **state)
{
	struct scan_options so = { 0 };
	(void)state;
	struct task before[] = { { 70, 1, 500, 8192, "old" } };
	scan_of(&prev_s, before, 1, 10.0);
	assert_int_equal(base_keep(&base, &prev_s), 0);
	scan_of(&cur, NULL, 0, 11.0);
	/* pid 70 again, started at 10.4 s */
	record(70, 70, 1, 10.50, 10.55, 0.1, 0.1, 4096, "new");
	add(&so);
	const struct scan_row *r = row_of(70, 0);
	assert_non_null(r);
	assert_true(r->start > 1000);
	assert_int_equal(r->io[IO_WRITE_BYTES], 4096);
	assert_string_equal(scan_comm(&cur, r), "new");
}

/* Without -t: a process's threads are one row; a child's total goes to
 * the parent that reaps it (here ended too: children first), so the
 * parent's row is what /proc/PID/io would have said last. */
static void threads_and_children_summed(void **state)
{
	struct scan_options so = { 0 };
	(void)state;
	scan_of(&prev_s, NULL, 0, 10.0);
	assert_int_equal(base_keep(&base, &prev_s), 0);
	scan_of(&cur, NULL, 0, 11.0);
	/* gcc (80) ran cc1 (81, two threads) and as (82) */
	record(83, 81, 80, 10.30, 10.35, 0.1, 0.2, 4096, "cc1");
	record(81, 81, 80, 10.30, 10.35, 0.2, 0.2, 8192, "cc1");
	record(82, 82, 80, 10.40, 10.45, 0.05, 0.05, 2048, "as");
	record(80, 80, 1, 10.50, 10.55, 0.45, 0.45, 1024, "gcc");
	add(&so);
	assert_int_equal(x.rows, 3);
	assert_int_equal(row_of(81, 0)->io[IO_WRITE_BYTES], 12288);
	assert_int_equal(row_of(82, 0)->io[IO_WRITE_BYTES], 2048);
	assert_int_equal(row_of(80, 0)->io[IO_WRITE_BYTES], 1024 + 12288 + 2048);
	assert_null(row_of(83, 0));
	assert_int_equal(x.nproc, 0); /* nothing left alive to remember */
}

/* A live parent in the scan keeps the totals of the children it reaped,
 * and its own exit later brings them. */
static void live_parent_remembers(void **state)
{
	struct scan_options so = { 0 };
	(void)state;
	struct task alive[] = { { 90, 1, 800, 0, "make" } };
	scan_of(&prev_s, alive, 1, 10.0);
	assert_int_equal(base_keep(&base, &prev_s), 0);
	scan_of(&cur, alive, 1, 11.0);
	record(91, 91, 90, 10.30, 10.35, 0.1, 0.1, 65536, "cc1");
	add(&so);
	assert_int_equal(x.rows, 1);
	assert_null(row_of(90, 0));
	assert_int_equal(x.nproc, 1);
	/* next interval: make ends (it saw 65536 of cc1 in its /proc counters) */
	cur.rows[0].io[IO_WRITE_BYTES] = 65536;
	assert_int_equal(base_keep(&base, &cur), 0);
	base.uptime = 11.0;
	scan_of(&cur, NULL, 0, 12.0);
	record(90, 90, 1, 11.50, 11.55, 3.5, 3.5, 4096, "make");
	add(&so);
	const struct scan_row *m = row_of(90, 0);
	assert_non_null(m);
	assert_int_equal(m->start, 800);
	assert_int_equal(m->io[IO_WRITE_BYTES], 65536 + 4096);
}

/* A zombie in the scan is not ended yet; filters choose exited rows as
 * they choose scanned ones. */
static void zombie_waits_and_filters_apply(void **state)
{
	int pids[] = { 101 };
	struct scan_options so = { .sel = { .pids = pids, .npids = 1 } };
	(void)state;
	struct task z[] = { { 100, 1, 1040, 4096, "zombie" } };
	scan_of(&prev_s, NULL, 0, 10.0);
	assert_int_equal(base_keep(&base, &prev_s), 0);
	scan_of(&cur, z, 1, 11.0);
	record(100, 100, 1, 10.55, 10.6, 0.15, 0.15, 4096, "zombie");
	record(101, 101, 1, 10.55, 10.6, 0.15, 0.15, 1024, "picked");
	record(102, 102, 1, 10.55, 10.6, 0.15, 0.15, 2048, "other");
	so.sel.npids = 0; /* the zombie: no filter */
	add(&so);
	assert_null(row_of(100, 0));
	assert_int_equal(x.nproc, 1); /* remembered until reaped */
	assert_non_null(row_of(101, 0));
	assert_non_null(row_of(102, 0));

	scan_of(&cur, NULL, 0, 11.0);
	so.sel.npids = 1;
	record(101, 101, 1, 10.55, 10.6, 0.15, 0.15, 1024, "picked");
	record(102, 102, 1, 10.55, 10.6, 0.15, 0.15, 2048, "other");
	add(&so);
	assert_non_null(row_of(101, 0));
	assert_null(row_of(102, 0));
}

/* Reported as exited, then a scan shows its zombie (the parent has not
 * waited yet): that row is not counted again, and once the zombie is gone
 * it is forgotten. */
static void zombie_after_report_not_counted_again(void **state)
{
	struct scan_options so = { 0 };
	(void)state;
	scan_of(&prev_s, NULL, 0, 10.0);
	assert_int_equal(base_keep(&base, &prev_s), 0);
	scan_of(&cur, NULL, 0, 11.0);
	record(130, 130, 1, 10.70, 10.75, 0.2, 0.2, 1024, "quick");
	add(&so);
	assert_non_null(row_of(130, 0));
	assert_int_equal(x.nseen, 1);
	assert_int_equal(base_keep(&base, &cur), 0);
	base.uptime = 11.0;
	/* the next scan: its zombie, started at 10.5 s */
	struct task z[] = { { 130, 1, 1050, 1024, "quick" } };
	scan_of(&cur, z, 1, 12.0);
	add(&so);
	assert_int_equal(cur.n, 0);
	assert_int_equal(x.nseen, 1);
	scan_of(&cur, NULL, 0, 13.0);
	add(&so);
	assert_int_equal(x.nseen, 0);
}

/* The churn double count: a child born while a scan ran (after the scan
 * read its uptime, more than a tick after) is in that scan, its 1 KiB
 * done, and so counted as born in between.  Its record comes in the drain
 * after that scan (the scan holds it: it waits), and at the next scan its
 * exited row must pair with the base row of it, whose start is later than
 * the base's uptime: once taken for a task never seen, it counted its
 * 1 KiB a second time. */
static void born_during_scan_counted_once(void **state)
{
	struct scan_options so = { 0 };
	(void)state;
	scan_of(&prev_s, NULL, 0, 10.0);
	assert_int_equal(base_keep(&base, &prev_s), 0);
	/* the scan's uptime is 11.0 s; the child started at 11.03 s, while it ran */
	struct task during[] = { { 180, 1, 1103, 1024, "quick" } };
	scan_of(&cur, during, 1, 11.0);
	record(180, 180, 1, 11.04, 11.10, 0.02, 0.02, 1024, "quick"); /* started in [11.02, 11.08] */
	add(&so);
	assert_int_equal(x.rows, 0); /* the scan has it: it waits */
	struct report rep = { 0 };
	struct report_options ro = { .sort = column_sort_by(COL_PID) };
	cli_u128 total = 0;
	assert_int_equal(report_build(&rep, &base, &cur, &ro, TICKS), 0);
	for (size_t i = 0; i < rep.n; i++)
		total += report_value(&rep, &rep.rows[i], IO_WRITE_BYTES);
	assert_true(total == 1024); /* born in between: all of it */
	assert_int_equal(base_keep(&base, &cur), 0);
	scan_of(&cur, NULL, 0, 12.0);
	add(&so);
	const struct scan_row *r = row_of(180, 0);
	assert_non_null(r);
	assert_int_equal(r->start, 1103); /* the one the scan before saw */
	assert_int_equal(report_build(&rep, &base, &cur, &ro, TICKS), 0);
	for (size_t i = 0; i < rep.n; i++)
		total += report_value(&rep, &rep.rows[i], IO_WRITE_BYTES);
	report_free(&rep);
	assert_true(total == 1024); /* once in all */
}

/* A stat of pid at root (a directory made here): state and start tick. */
static void stat_file(const char *root, int pid, char state, unsigned long long start)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%d", root, pid);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/%d/stat", root, pid);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%d (quick) %c 1 %d %d 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 %llu", pid, state,
		pid, pid, start);
	for (int i = 23; i <= 52; i++)
		fputs(" 0", f);
	fputs("\n", f);
	assert_int_equal(fclose(f), 0);
}

/* The race behind a silent undercount: a process born after the scan
 * (or left out by a filter) sends its exit record, which the drain after
 * the scan reads, while the kernel is still tearing it down (exit_mm and
 * the rest come after the record): its stat still says running, not yet
 * a zombie.  Its record is its last word: it is reported, not taken for
 * a living process the scan left out and forgotten. */
static void dying_not_yet_zombie(void **state)
{
	regex_t re;
	struct scan_options so = { .sel = { .re = &re } };
	char dir[] = "/tmp/iop-test-exits-XXXXXX";
	struct proc_root root = { .fd = -1, .path = dir };
	(void)state;
	assert_int_equal(regcomp(&re, "^quick$", REG_EXTENDED | REG_NOSUB), 0);
	assert_non_null(mkdtemp(dir));
	stat_file(dir, 150, 'R', 1092); /* started at 10.92 s, still exiting */
	root.fd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(root.fd >= 0);
	scan_of(&prev_s, NULL, 0, 10.0);
	assert_int_equal(base_keep(&base, &prev_s), 0);
	scan_of(&cur, NULL, 0, 11.0); /* its pid came after the scan's */
	record(150, 150, 1, 10.95, 11.02, 0.05, 0.05, 1024, "quick");
	assert_int_equal(exits_add_rows(&x, &base, &cur, &so, &root, TICKS), 0);
	const struct scan_row *r = row_of(150, 0);
	assert_non_null(r);
	assert_int_equal(r->io[IO_WRITE_BYTES], 1024);
	assert_int_equal(x.nproc, 0);
	close(root.fd);
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/150/stat", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/150", dir);
	rmdir(path);
	rmdir(dir);
	regfree(&re);
}

/* USER is the effective user, as the scan reads it: a task a sample saw
 * keeps that owner when it ends (the record has only its real uid), and
 * -u judges it by that owner, so its last bytes are not lost to the
 * filter; one never seen has only the record's real uid. */
static void exited_owner_is_the_scans(void **state)
{
	static const unsigned uid = 62222;
	struct scan_options so = { .need = NEED_OWNER, .sel = { .uids = &uid, .nuids = 1 } };
	(void)state;
	struct task before[] = { { 170, 1, 905, 4096, "daemon" } };
	scan_of(&prev_s, before, 1, 10.0);
	prev_s.rows[0].uid = 62222; /* setresuid(61111, 62222, 62222) */
	assert_int_equal(base_keep(&base, &prev_s), 0);
	scan_of(&cur, NULL, 0, 11.0);
	record(170, 170, 1, 10.55, 10.62, 1.55, 1.55, 8192, "daemon");
	x.rec[0].uid = 61111;
	record(171, 171, 1, 10.55, 10.62, 0.05, 0.05, 1024, "quick");
	x.rec[1].uid = 62222;
	record(172, 172, 1, 10.55, 10.62, 0.05, 0.05, 1024, "quick");
	x.rec[2].uid = 61111;
	add(&so);
	const struct scan_row *r = row_of(170, 0);
	assert_non_null(r);
	assert_int_equal(r->uid, 62222);
	assert_int_equal(r->io[IO_WRITE_BYTES], 8192);
	assert_non_null(row_of(171, 0)); /* never seen: the record's uid */
	assert_int_equal(row_of(171, 0)->uid, 62222);
	assert_null(row_of(172, 0));
}

/* --only-active and --top see exited rows as any other: one that did
 * nothing since it was seen is left out, the largest comes first. */
static void only_active_and_top(void **state)
{
	struct scan_options so = { 0 };
	(void)state;
	struct task before[] = { { 140, 1, 900, 4096, "idle" } };
	scan_of(&prev_s, before, 1, 10.0);
	assert_int_equal(base_keep(&base, &prev_s), 0);
	scan_of(&cur, NULL, 0, 11.0);
	record(140, 140, 1, 10.5, 10.55, 1.5, 1.5, 4096, "idle");   /* nothing more */
	record(141, 141, 1, 10.5, 10.55, 0.2, 0.2, 8192, "small");
	record(142, 142, 1, 10.5, 10.55, 0.2, 0.2, 65536, "big");
	add(&so);
	struct report rep = { 0 };
	struct report_options ro = { .sort = column_sort_by(COL_WRITE), .only_active = true };
	assert_int_equal(report_build(&rep, &base, &cur, &ro, TICKS), 0);
	assert_int_equal(rep.n, 2);
	assert_int_equal(report_task(&rep, &rep.rows[0])->pid, 142);
	ro.top = 1;
	assert_int_equal(report_build(&rep, &base, &cur, &ro, TICKS), 0);
	assert_int_equal(rep.n, 1);
	assert_int_equal(report_task(&rep, &rep.rows[0])->pid, 142);
	assert_true(rep.io[IO_WRITE_BYTES] == 65536 + 8192); /* totals before --top */
	report_free(&rep);
}

/* -t: a row per thread, paired by (pid, tid) and the thread's own start. */
static void thread_rows(void **state)
{
	struct scan_options so = { .threads = true };
	(void)state;
	x.threads = true;
	struct scan_row t = { .pid = 110, .tid = 111, .start = 950, .prio = -1 };
	t.io[IO_WRITE_BYTES] = 1024;
	prev_s.n = 0;
	struct scan_row *rows = cli_grow(prev_s.rows, &prev_s.cap, 1, sizeof(*rows), 4);
	assert_non_null(rows);
	prev_s.rows = rows;
	rows[0] = t;
	prev_s.n = 1;
	prev_s.uptime = 10.0;
	assert_int_equal(base_keep(&base, &prev_s), 0);
	scan_of(&cur, NULL, 0, 11.0);
	record(111, 110, 1, 10.5, 10.55, 1.0, 5.0, 3072, "worker");
	add(&so);
	const struct scan_row *r = row_of(110, 111);
	assert_non_null(r);
	assert_int_equal(r->start, 950);
	assert_int_equal(r->io[IO_WRITE_BYTES], 3072);
	assert_false(r->flags & ROW_REAPED);
}

/* -t: the scan sees a thread alive, then the thread does more and ends,
 * and its record comes in the drain after that scan.  The record waits
 * for the scan that no longer shows the thread: that interval has what it
 * did since it was seen (before, the record was dropped with the scan's
 * row and those bytes were never reported). */
static void thread_record_after_scan_waits(void **state)
{
	struct scan_options so = { .threads = true };
	(void)state;
	x.threads = true;
	struct scan_row t = { .pid = 160, .tid = 161, .start = 950, .prio = -1 };
	t.io[IO_WRITE_BYTES] = 1024;
	struct scan_row *rows = cli_grow(cur.rows, &cur.cap, 1, sizeof(*rows), 4);
	assert_non_null(rows);
	cur.rows = rows;
	cur.n = 0;
	rows[cur.n++] = t;
	cur.uptime = 11.0;
	scan_of(&prev_s, NULL, 0, 10.0);
	assert_int_equal(base_keep(&base, &prev_s), 0);
	/* ended at about 11.01 s, after the scan saw 1 KiB */
	record(161, 160, 1, 11.0, 11.02, 1.51, 5.0, 4096, "worker");
	add(&so);
	assert_null(row_of(160, 161)); /* the scan's row has the interval */
	assert_int_equal(base_keep(&base, &cur), 0);
	scan_of(&cur, NULL, 0, 12.0);
	add(&so);
	const struct scan_row *r = row_of(160, 161);
	assert_non_null(r);
	assert_int_equal(r->start, 950);
	struct report rep = { 0 };
	struct report_options ro = { .sort = column_sort_by(COL_PID) };
	assert_int_equal(report_build(&rep, &base, &cur, &ro, TICKS), 0);
	assert_int_equal(rep.n, 1);
	assert_true(report_value(&rep, &rep.rows[0], IO_WRITE_BYTES) == 4096 - 1024);
	report_free(&rep);
	assert_int_equal(base_keep(&base, &cur), 0);
	scan_of(&cur, NULL, 0, 13.0);
	add(&so);
	assert_int_equal(cur.n, 0); /* once */
}

/* Groups: an exited child's I/O goes to its command's group, and what the
 * kernel added to the reaper's counters is taken back from the reaper. */
static void groups_take_back(void **state)
{
	struct scan_options so = { 0 };
	struct groups g = { .by = GROUP_COMM };
	(void)state;
	struct task before[] = { { 120, 1, 700, 1000, "make" } };
	scan_of(&prev_s, before, 1, 10.0);
	assert_int_equal(groups_start(&g, &prev_s), 0);
	assert_int_equal(base_keep(&base, &prev_s), 0);
	/* make reaped two cc1 of 64 KiB: the kernel grew make by 128 KiB */
	struct task after[] = { { 120, 1, 700, 1000 + 131072, "make" } };
	scan_of(&cur, after, 1, 11.0);
	record(121, 121, 120, 10.3, 10.35, 0.1, 0.1, 65536, "cc1");
	record(122, 122, 120, 10.5, 10.55, 0.1, 0.1, 65536, "cc1");
	add(&so);
	assert_int_equal(groups_step(&g, &base, &cur, NULL, TICKS), 0);
	const struct group *cc1 = NULL, *make = NULL;
	for (size_t i = 0; i < g.n; i++) {
		if (!strcmp(g.v[i].key, "cc1"))
			cc1 = &g.v[i];
		if (!strcmp(g.v[i].key, "make"))
			make = &g.v[i];
	}
	assert_non_null(cc1);
	assert_non_null(make);
	assert_true(cc1->delta[IO_WRITE_BYTES] == 131072);
	assert_true(make->delta[IO_WRITE_BYTES] == 0);
	assert_true(make->acc[IO_WRITE_BYTES] == 1000);
	groups_free(&g);
}

/* --tree and -P: a record has no process group, so a never-seen ended task
 * is taken when the scan selected its parent (its group's, its tree's),
 * and with --tree also when it meets the other criteria itself. */
static void tree_and_pgid_by_parent(void **state)
{
	int pgids[] = { 300 }, roots[] = { 300 };
	struct scan_options so = { .sel = { .pids = roots, .npids = 1, .tree = true } };
	(void)state;
	struct task parent[] = { { 300, 1, 900, 0, "make" } };
	scan_of(&prev_s, parent, 1, 10.0);
	assert_int_equal(base_keep(&base, &prev_s), 0);
	scan_of(&cur, parent, 1, 11.0);
	record(301, 301, 300, 10.55, 10.6, 0.15, 0.15, 1024, "cc1");
	record(302, 302, 999, 10.55, 10.6, 0.15, 0.15, 2048, "stranger");
	add(&so);
	assert_non_null(row_of(301, 0));
	assert_null(row_of(302, 0));

	so.sel.tree = false;
	so.sel.npids = 0;
	so.sel.pgids = pgids;
	so.sel.npgids = 1;
	scan_of(&cur, parent, 1, 11.0);
	record(303, 303, 300, 10.55, 10.6, 0.15, 0.15, 1024, "ld");
	record(304, 304, 999, 10.55, 10.6, 0.15, 0.15, 2048, "stranger");
	add(&so);
	assert_non_null(row_of(303, 0));
	assert_null(row_of(304, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(never_seen, setup, teardown),
		cmocka_unit_test_setup_teardown(seen_then_ended, setup, teardown),
		cmocka_unit_test_setup_teardown(reused_pid_is_new, setup, teardown),
		cmocka_unit_test_setup_teardown(threads_and_children_summed, setup, teardown),
		cmocka_unit_test_setup_teardown(live_parent_remembers, setup, teardown),
		cmocka_unit_test_setup_teardown(zombie_waits_and_filters_apply, setup, teardown),
		cmocka_unit_test_setup_teardown(zombie_after_report_not_counted_again, setup, teardown),
		cmocka_unit_test_setup_teardown(dying_not_yet_zombie, setup, teardown),
		cmocka_unit_test_setup_teardown(born_during_scan_counted_once, setup, teardown),
		cmocka_unit_test_setup_teardown(exited_owner_is_the_scans, setup, teardown),
		cmocka_unit_test_setup_teardown(only_active_and_top, setup, teardown),
		cmocka_unit_test_setup_teardown(thread_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(thread_record_after_scan_waits, setup, teardown),
		cmocka_unit_test_setup_teardown(groups_take_back, setup, teardown),
		cmocka_unit_test_setup_teardown(tree_and_pgid_by_parent, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
