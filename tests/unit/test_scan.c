/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of iopstat's scanner on fixture procfs trees (tests/unit/
 * fixture.c): what it reads into a snapshot, what it skips, and that it
 * reads only the files the report needs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "scan.h"
#include "fixture.h"

/* --- scans of fixture trees ------------------------------------------------ */
static void scan_processes(void **state)
{
	struct scan_snapshot snap = { 0 };
	struct scan_options opt = { .need = NEED_STAT | NEED_OWNER };
	(void)state;
	fixture_process(300, "c", 3000);
	fixture_process(7, "weird) (name\n", 70);
	fixture_process(42, "b", 420);
	fixture_file("self", "not a link");         /* not our namespace: no prio */
	fixture_file("sys/kernel/task_delayacct", "1\n");
	mkdir(fixture_root, 0755);
	struct proc_root root;
	assert_int_equal(proc_root_open(&root, fixture_root), 0);
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 3);
	assert_int_equal(snap.rows[0].pid, 7); /* by pid, whatever the listing order */
	assert_int_equal(snap.rows[1].pid, 42);
	assert_int_equal(snap.rows[2].pid, 300);
	assert_string_equal(scan_comm(&snap, &snap.rows[0]), "weird) (name\n");
	assert_int_equal(snap.rows[1].io[IO_READ_BYTES], 425);
	assert_int_equal(snap.rows[2].io[IO_CANCELLED], 3007);
	assert_int_equal(snap.rows[1].start, 1042);
	assert_int_equal(snap.rows[1].delay, 42);
	assert_int_equal(snap.rows[1].uid, getuid());
	assert_int_equal(snap.rows[1].prio, -1);
	assert_int_equal(snap.rows[1].tid, 0);
	assert_null(scan_extra(&snap, &snap.rows[1]));
	assert_true(snap.uptime > 12345.66 && snap.uptime < 12345.68);
	assert_int_equal(snap.denied, 0);
	assert_int_equal(proc_delayacct_enabled(&root), 1);

	/* named pids only, one of them missing */
	int pids[] = { 42, 43, 300 };
	opt.sel.pids = pids;
	opt.sel.npids = 3;
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 2);
	assert_int_equal(snap.rows[0].pid, 42);
	assert_int_equal(snap.rows[1].pid, 300);

	/* by command */
	regex_t re;
	assert_int_equal(regcomp(&re, "^[bc]$", REG_EXTENDED | REG_NOSUB), 0);
	opt = (struct scan_options){ .sel.re = &re, .need = NEED_STAT };
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 2);
	regfree(&re);

	/* by user: nobody here owns files as uid 12345 */
	unsigned uid = 12345;
	opt = (struct scan_options){ .sel = { .uids = &uid, .nuids = 1 }, .need = NEED_STAT };
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 0);
	uid = getuid();
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 3);
	scan_snapshot_free(&snap);
	proc_root_close(&root);
}

static void scan_skips_vanished_and_denied(void **state)
{
	struct scan_snapshot snap = { 0 };
	struct scan_options opt = { .need = NEED_STAT | NEED_OWNER };
	(void)state;
	fixture_process(10, "ok", 0);
	fixture_process(11, "denied", 0);
	fixture_file("12/stat", fixture_stat(12, "gone", 0, 1, 0, 0)); /* io gone: vanished */
	mkdir(fixture_root, 0755);
	char d[PATH_MAX + 8];
	snprintf(d, sizeof(d), "%s/13", fixture_root);              /* a bare directory */
	mkdir(d, 0755);
	fixture_file("14/stat", "garbage");                         /* unparsable: skipped */
	fixture_file("14/io", fixture_io(0));
	fixture_file("notapid/stat", "x");
	fixture_file("0/stat", "x");
	fixture_deny = "11/io";
	struct proc_root root;
	assert_int_equal(proc_root_open(&root, fixture_root), 0);
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 1);
	assert_int_equal(snap.rows[0].pid, 10);
	assert_int_equal(snap.denied, 1); /* counted, never a row of zeros */
	assert_int_equal(proc_delayacct_enabled(&root), -1);
	scan_snapshot_free(&snap);
	proc_root_close(&root);
}

static void scan_threads(void **state)
{
	struct scan_snapshot snap = { 0 };
	struct scan_options opt = { .threads = true, .need = NEED_STAT };
	(void)state;
	/* the process file counts all threads; the task files one each */
	fixture_process(50, "multi", 9000);
	fixture_file("50/task/50/stat", fixture_stat(50, "multi", 0, 5, 0, 0));
	fixture_file("50/task/50/io", fixture_io(100));
	fixture_file("50/task/53/stat", fixture_stat(53, "worker", 0, 6, 0, 0));
	fixture_file("50/task/53/io", fixture_io(300));
	fixture_file("50/task/51/stat", fixture_stat(51, "worker", 0, 6, 0, 0));
	fixture_file("50/task/51/io", fixture_io(200));
	fixture_process(60, "single", 0); /* no task directory: vanished meanwhile */
	struct proc_root root;
	assert_int_equal(proc_root_open(&root, fixture_root), 0);
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 3);
	int want_tid[] = { 50, 51, 53 };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(snap.rows[i].pid, 50);
		assert_int_equal(snap.rows[i].tid, want_tid[i]);
	}
	assert_int_equal(snap.rows[1].io[IO_RCHAR], 201); /* task/51/io, not 50/io */
	assert_string_equal(scan_comm(&snap, &snap.rows[2]), "worker");
	scan_snapshot_free(&snap);
	proc_root_close(&root);
}

static void scan_cmdline(void **state)
{
	struct scan_snapshot snap = { 0 };
	struct scan_options opt = { .need = NEED_STAT | NEED_CMDLINE };
	(void)state;
	fixture_process(20, "sh", 0);
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/20/cmdline", fixture_root);
	FILE *f = fopen(path, "w");
	fwrite("sh\0-c\0echo hi\0", 1, 14, f);
	fclose(f);
	fixture_process(21, "kthread", 0);
	fixture_file("21/cmdline", "");
	struct proc_root root;
	assert_int_equal(proc_root_open(&root, fixture_root), 0);
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 2);
	assert_string_equal(scan_extra(&snap, &snap.rows[0]), "sh -c echo hi");
	assert_null(scan_extra(&snap, &snap.rows[1]));
	/* a rescan reuses the snapshot and its names */
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 2);
	assert_string_equal(scan_extra(&snap, &snap.rows[0]), "sh -c echo hi");
	assert_string_equal(scan_comm(&snap, &snap.rows[1]), "kthread");
	scan_snapshot_free(&snap);
	proc_root_close(&root);
}

static void scan_root_not_listable(void **state)
{
	struct scan_snapshot snap = { 0 };
	struct scan_options opt = { .need = NEED_STAT | NEED_OWNER };
	char path[PATH_MAX + 16];
	(void)state;
	fixture_file("plain", "x");
	snprintf(path, sizeof(path), "%s/plain", fixture_root);
	struct proc_root root = { .fd = open(path, O_RDONLY), .path = path };
	assert_true(root.fd >= 0);
	assert_int_equal(scan_tasks(&root, &opt, &snap), -ENOTDIR);
	assert_int_equal(snap.n, 0);
	proc_root_close(&root);
	assert_int_equal(proc_root_open(&root, path), -ENOTDIR);
	scan_snapshot_free(&snap);
}

static void real_proc(void **state)
{
	struct scan_snapshot snap = { 0 };
	struct scan_options opt = { .need = NEED_PRIO };
	int self = getpid();
	struct proc_root root;
	(void)state;
	assert_int_equal(proc_root_open(&root, "/proc"), 0);
	opt.sel.pids = &self;
	opt.sel.npids = 1;
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 1);
	assert_int_equal(snap.rows[0].pid, self);
	assert_true(snap.rows[0].prio >= 0); /* same namespace: asked the kernel */
	assert_true(snap.rows[0].io[IO_RCHAR] > 0);
	scan_snapshot_free(&snap);
	proc_root_close(&root);
}


/* The scan reads only what the report needs: without NEED_STAT no stat
 * file, without NEED_OWNER no fstat(), without NEED_PRIO no ioprio_get. */
static void scan_reads_only_what_is_needed(void **state)
{
	struct scan_snapshot snap = { 0 };
	struct scan_options opt = { 0 };
	struct proc_root root;
	(void)state;
	for (int pid = 100; pid < 110; pid++)
		fixture_process(pid, "p", (unsigned)pid * 10);
	assert_int_equal(proc_root_open(&root, fixture_root), 0);
	root.own = true; /* as if ours: a prio would be asked for */

	fixture_count_reset();
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0); /* bytes only */
	assert_int_equal(snap.n, 10);
	assert_int_equal(fixture_counts.opens_io, 10);
	assert_int_equal(fixture_counts.opens_stat, 0);
	assert_int_equal(fixture_counts.fstats, 0);
	assert_int_equal(fixture_counts.prio_gets, 0);
	assert_int_equal(fixture_counts.opens_cmdline, 0);
	assert_int_equal(snap.rows[3].io[IO_WRITE_BYTES], 1036);
	assert_int_equal(snap.rows[3].start, 0);
	assert_string_equal(scan_comm(&snap, &snap.rows[3]), "");

	fixture_count_reset(); /* -u without stat: the owner of the task, with io */
	unsigned uid = getuid();
	opt = (struct scan_options){ .sel = { .uids = &uid, .nuids = 1 } };
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 10);
	assert_int_equal(fixture_counts.opens_stat, 0);
	/* one look at each task's directory; in our own procfs the file is
	 * known to be a regular one, and not looked at */
	assert_int_equal(fixture_counts.dir_stats, 10);
	assert_int_equal(fixture_counts.fstats, 0);
	fixture_count_reset(); /* another user's tasks cost no file at all */
	uid = getuid() + 1;
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 0);
	assert_int_equal(fixture_counts.dir_stats, 10);
	assert_int_equal(fixture_counts.opens_io, 0);
	assert_int_equal(fixture_counts.opens_stat, 0);
	fixture_count_reset(); /* nor with stat needed */
	opt.need = NEED_STAT;
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 0);
	assert_int_equal(fixture_counts.opens_stat, 0);

	fixture_count_reset(); /* stat, not its owner */
	opt = (struct scan_options){ .need = NEED_STAT };
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(fixture_counts.opens_stat, 10);
	assert_int_equal(fixture_counts.fstats, 0);
	assert_int_equal(fixture_counts.dir_stats, 0);
	assert_int_equal(fixture_counts.prio_gets, 0);
	assert_int_equal(snap.rows[0].start, 1100);
	assert_string_equal(scan_comm(&snap, &snap.rows[0]), "p");

	fixture_count_reset(); /* the priority: stat for nice and policy, and the kernel */
	opt = (struct scan_options){ .need = NEED_PRIO };
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(fixture_counts.opens_stat, 10);
	assert_int_equal(fixture_counts.prio_gets, 10);

	fixture_count_reset(); /* -C needs stat, and reads io only for the matches */
	regex_t re;
	assert_int_equal(regcomp(&re, "^nomatch$", REG_EXTENDED | REG_NOSUB), 0);
	opt = (struct scan_options){ .sel.re = &re };
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 0);
	assert_int_equal(fixture_counts.opens_stat, 10);
	assert_int_equal(fixture_counts.opens_io, 0);
	regfree(&re);
	scan_snapshot_free(&snap);
	proc_root_close(&root);
}

/* Threads 202 and 302 were demoted alone (ionice -p TID); the others keep
 * be/4. */
static int prio_of(int which, int who)
{
	(void)which;
	return who == 202 || who == 302 ? 3 << 13 : 2 << 13 | 4;
}

/* A process row whose threads do not all have its main thread's priority
 * is marked, asking each thread only when stat counts more than one. */
static void scan_marks_threads_with_another_prio(void **state)
{
	struct scan_snapshot snap = { 0 };
	struct scan_options opt = { .need = NEED_PRIO | NEED_PRIO_MARK };
	struct proc_root root;
	(void)state;
	fixture_file("200/stat", fixture_stat_threads(200, "mixed", 3));
	fixture_file("200/io", fixture_io(0));
	fixture_file("300/stat", fixture_stat_threads(300, "same", 2));
	fixture_file("300/io", fixture_io(0));
	fixture_file("400/stat", fixture_stat_threads(400, "single", 1));
	fixture_file("400/io", fixture_io(0));
	for (int t = 200; t <= 202; t++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "200/task/%d/stat", t);
		fixture_file(rel, fixture_stat_threads(t, "mixed", 3));
		snprintf(rel, sizeof(rel), "200/task/%d/io", t);
		fixture_file(rel, fixture_io(0));
	}
	fixture_file("300/task/300/stat", fixture_stat_threads(300, "same", 2));
	fixture_file("300/task/301/stat", fixture_stat_threads(301, "same", 2));
	fixture_prio = prio_of;
	assert_int_equal(proc_root_open(&root, fixture_root), 0);
	root.own = true;

	fixture_count_reset();
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 3);
	assert_true(snap.rows[0].flags & ROW_PRIO_MIXED);
	assert_false(snap.rows[1].flags & ROW_PRIO_MIXED);
	assert_false(snap.rows[2].flags & ROW_PRIO_MIXED);
	assert_int_equal(snap.rows[0].prio, 2 << 13 | 4); /* the main thread's */
	/* 200: itself, then its threads until 202 (listed before or after 201);
	 * 300: itself and 301; 400, one thread: itself alone */
	assert_in_range(fixture_counts.prio_gets, 2 + 2 + 1, 3 + 2 + 1);

	/* with -t each thread is its own row: nothing to mark */
	opt.threads = true;
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	for (size_t i = 0; i < snap.n; i++)
		assert_false(snap.rows[i].flags & ROW_PRIO_MIXED);
	assert_int_equal(snap.rows[2].tid, 202);
	assert_int_equal(snap.rows[2].prio, 3 << 13);
	scan_snapshot_free(&snap);
	proc_root_close(&root);
}

/* -P, --full and --tree select what ionice and ioprio-get select, and
 * read io only for what is selected. */
static void scan_selects_as_the_others(void **state)
{
	struct scan_snapshot snap = { 0 };
	struct proc_root root;
	(void)state;
	/* 10 -> 11 -> 12, 13 (pid 11's child that started before it: not its) ;
	 * 20 alone, in group 10 */
	const struct { int pid, ppid, pgrp; const char *comm; unsigned long long start;
		       const char *cmdline; } t[] = {
		{ 10, 1, 10, "job", 100, "job --all" }, { 11, 10, 10, "worker", 101, "worker -x" },
		{ 12, 11, 12, "worker", 102, "worker -y" }, { 13, 11, 13, "old", 50, "old" },
		{ 20, 1, 10, "worker", 103, "worker -x" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "%d/stat", t[i].pid);
		fixture_file(rel, fixture_stat_family(t[i].pid, t[i].ppid, t[i].pgrp, t[i].comm,
						      t[i].start));
		snprintf(rel, sizeof(rel), "%d/io", t[i].pid);
		fixture_file(rel, fixture_io(0));
		snprintf(rel, sizeof(rel), "%d/cmdline", t[i].pid);
		fixture_file(rel, t[i].cmdline);
	}
	assert_int_equal(proc_root_open(&root, fixture_root), 0);

	int g[] = { 10 };
	struct scan_options opt = { .sel = { .pgids = g, .npgids = 1 } };
	fixture_count_reset(); /* -P: every stat, the io of the group's */
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 3);
	assert_int_equal(snap.rows[2].pid, 20);
	assert_int_equal(fixture_counts.opens_stat, 5);
	assert_int_equal(fixture_counts.opens_io, 3);
	assert_int_equal(fixture_counts.opens_cmdline, 0);

	regex_t re;
	assert_int_equal(regcomp(&re, "^worker -x$", REG_EXTENDED | REG_NOSUB), 0);
	opt.sel.re = &re;
	opt.sel.full = true;
	fixture_count_reset(); /* --full: the command line of the group's alone */
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 2);
	assert_true(snap.rows[0].pid == 11 && snap.rows[1].pid == 20);
	assert_int_equal(fixture_counts.opens_cmdline, 3);
	assert_int_equal(fixture_counts.opens_io, 2);

	/* --tree: 11 and below it, 13 not (it started before 11) */
	int p[] = { 11 };
	opt = (struct scan_options){ .sel = { .pids = p, .npids = 1, .tree = true } };
	fixture_count_reset();
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 2);
	assert_true(snap.rows[0].pid == 11 && snap.rows[1].pid == 12);
	assert_int_equal(fixture_counts.opens_io, 2);
	opt.sel.exclude = 12; /* iopstat itself: never in its own tree */
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 1);
	/* the roots meet every kind given */
	opt = (struct scan_options){ .sel = { .pids = p, .npids = 1, .pgids = g, .npgids = 1,
					      .tree = true } };
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 2);
	g[0] = 12;
	assert_int_equal(scan_tasks(&root, &opt, &snap), 0);
	assert_int_equal(snap.n, 0);
	regfree(&re);
	scan_snapshot_free(&snap);
	proc_root_close(&root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(scan_processes, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(scan_skips_vanished_and_denied, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(scan_threads, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(scan_cmdline, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(scan_root_not_listable, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(scan_marks_threads_with_another_prio, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(scan_reads_only_what_is_needed, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(scan_selects_as_the_others, fixture_setup,
						fixture_teardown),
		cmocka_unit_test(real_proc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
