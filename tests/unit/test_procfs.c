/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of iopstat's /proc reader: the io and stat parsers, and scans of
 * fixture procfs trees built in a temporary directory.  read() and openat()
 * are wrapped so a test can make one file fail at read() with EACCES, as the
 * kernel does for another user's /proc/<pid>/io (root ignores file modes, so
 * a fixture file cannot do that by itself).
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

#include "procfs.h"

/* --- read() failing with EACCES for one path ------------------------------ */
int __real_openat(int dirfd, const char *path, int flags, ...);
ssize_t __real_read(int fd, void *buf, size_t n);
int __wrap_openat(int dirfd, const char *path, int flags, ...);
ssize_t __wrap_read(int fd, void *buf, size_t n);

static const char *deny_path; /* openat of this path succeeds, read fails */
static int denied_fd = -1;

int __wrap_openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = (flags & O_CREAT) ? (mode_t)va_arg(ap, int) : 0;
	va_end(ap);
	int fd = __real_openat(dirfd, path, flags, mode);
	if (deny_path && fd >= 0 && strcmp(path, deny_path) == 0)
		denied_fd = fd;
	return fd;
}

ssize_t __wrap_read(int fd, void *buf, size_t n)
{
	if (fd == denied_fd) {
		denied_fd = -1;
		errno = EACCES;
		return -1;
	}
	return __real_read(fd, buf, n);
}

/* --- fixture trees --------------------------------------------------------- */
static char root_path[PATH_MAX];

static void put_file(const char *rel, const char *text)
{
	char path[PATH_MAX * 2];
	snprintf(path, sizeof(path), "%s/%s", root_path, rel);
	/* make the directories on the way */
	for (char *p = path + strlen(root_path) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static const char *io_text(unsigned long long base)
{
	static char buf[512];
	snprintf(buf, sizeof(buf),
		 "rchar: %llu\nwchar: %llu\nsyscr: %llu\nsyscw: %llu\nread_bytes: %llu\n"
		 "write_bytes: %llu\ncancelled_write_bytes: %llu\n",
		 base + 1, base + 2, base + 3, base + 4, base + 5, base + 6, base + 7);
	return buf;
}

/* a stat line: the fields iopstat reads set, the others 0 */
static const char *stat_text(int pid, const char *comm, int nice, unsigned long long start,
			     int policy, unsigned long long delay)
{
	static char buf[1024];
	int n = snprintf(buf, sizeof(buf), "%d (%s) S", pid, comm);
	for (int field = 4; field <= 52; field++) {
		long long v = field == 5 ? pid + 1000 : field == 19 ? nice : field == 22 ? (long long)start
			    : field == 41 ? policy : field == 42 ? (long long)delay : 0;
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, " %lld", v);
	}
	snprintf(buf + n, sizeof(buf) - (size_t)n, "\n");
	return buf;
}

static void add_process(int pid, const char *comm, unsigned long long io_base)
{
	char rel[64];
	snprintf(rel, sizeof(rel), "%d/stat", pid);
	put_file(rel, stat_text(pid, comm, 0, 1000 + (unsigned)pid, 0, (unsigned)pid));
	snprintf(rel, sizeof(rel), "%d/io", pid);
	put_file(rel, io_text(io_base));
}

static int open_root(void)
{
	int fd = open(root_path, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	return fd;
}

static int setup_tree(void **state)
{
	(void)state;
	snprintf(root_path, sizeof(root_path), "%s/iopstat-fixture-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root_path))
		return -1;
	put_file("uptime", "12345.67 999.00\n");
	deny_path = NULL;
	denied_fd = -1;
	return 0;
}

static int teardown_tree(void **state)
{
	char cmd[PATH_MAX + 16];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root_path);
	return system(cmd) == 0 ? 0 : -1;
}

/* --- parsers ---------------------------------------------------------------- */
static void parse_io(void **state)
{
	unsigned long long io[IO_NFIELDS];
	(void)state;
	const char *ok = io_text(100);
	assert_int_equal(procfs_parse_io(ok, strlen(ok), io), 0);
	for (int f = 0; f < IO_NFIELDS; f++)
		assert_int_equal(io[f], 101 + f);

	const char *max = "rchar: 18446744073709551615\nwchar: 0\nsyscr: 0\nsyscw: 0\n"
			  "read_bytes: 0\nwrite_bytes: 0\ncancelled_write_bytes: 0";
	assert_int_equal(procfs_parse_io(max, strlen(max), io), 0); /* no final newline */
	assert_true(io[IO_RCHAR] == 18446744073709551615ULL);

	/* a future kernel's extra line is passed over */
	char extra[600];
	snprintf(extra, sizeof(extra), "%sfuture_bytes: 5\n", io_text(0));
	assert_int_equal(procfs_parse_io(extra, strlen(extra), io), 0);

	static const char *bad[] = {
		"",
		"rchar: 1\n",                                           /* fields missing */
		"rchar: 18446744073709551616\nwchar: 0\nsyscr: 0\nsyscw: 0\nread_bytes: 0\n"
		"write_bytes: 0\ncancelled_write_bytes: 0\n",            /* overflow */
		"rchar: -1\nwchar: 0\nsyscr: 0\nsyscw: 0\nread_bytes: 0\nwrite_bytes: 0\n"
		"cancelled_write_bytes: 0\n",                            /* negative */
		"rchar: 1x\nwchar: 0\nsyscr: 0\nsyscw: 0\nread_bytes: 0\nwrite_bytes: 0\n"
		"cancelled_write_bytes: 0\n",                            /* junk */
		"rchar: 1\nrchar: 1\nwchar: 0\nsyscr: 0\nsyscw: 0\nread_bytes: 0\nwrite_bytes: 0\n"
		"cancelled_write_bytes: 0\n",                            /* twice */
		"rchar 1\n",                                            /* no colon */
		"rchar:\n",                                             /* no value */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (procfs_parse_io(bad[i], strlen(bad[i]), io) != -EINVAL)
			fail_msg("accepted bad io text #%zu", i);
}

static void parse_stat(void **state)
{
	struct stat_fields f;
	(void)state;
	const char *s = stat_text(42, "cron", -5, 123456, 5, 77);
	assert_int_equal(procfs_parse_stat(s, strlen(s), &f), 0);
	assert_string_equal(f.comm, "cron");
	assert_int_equal(f.pgrp, 1042); /* field 5 */
	assert_int_equal(f.nice, -5);
	assert_int_equal(f.start, 123456);
	assert_int_equal(f.policy, 5);
	assert_int_equal(f.delay, 77);

	/* names with spaces, parentheses and newlines end at the last ')' */
	static const char *names[] = { "a b", ") (", "x) S 1 2 (y", "line\nbreak", "((", "", ")" };
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		s = stat_text(7, names[i], 19, 99, 0, 0);
		assert_int_equal(procfs_parse_stat(s, strlen(s), &f), 0);
		assert_string_equal(f.comm, names[i]);
		assert_int_equal(f.nice, 19);
		assert_int_equal(f.start, 99);
	}
	/* a long workqueue worker name is cut, not overflowed */
	char longname[200];
	memset(longname, 'w', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	s = stat_text(8, longname, 0, 1, 0, 0);
	assert_int_equal(procfs_parse_stat(s, strlen(s), &f), 0);
	assert_int_equal(strlen(f.comm), sizeof(f.comm) - 1);

	/* an old kernel's shorter line: no policy, no delay */
	const char *old = "5 (old) S 0 0 0 0 0 0 0 0 0 0 0 0 0 0 20 3 1 0 777\n";
	assert_int_equal(procfs_parse_stat(old, strlen(old), &f), 0);
	assert_int_equal(f.nice, 3);
	assert_int_equal(f.start, 777);
	assert_int_equal(f.policy, -1);
	assert_int_equal(f.delay, 0);

	static const char *bad[] = {
		"",
		"5 (x S 1 2",                                /* no ')' */
		"5 x) S",                                    /* no '(' */
		"5 (x)S 0",                                  /* no blank after ')' */
		"5 (x) S 0 0 0 0 0 0 0 0 0 0 0 0 0 0 20 3 1 0\n", /* no start time */
		"5 (x) S 0 0 0 0 0 0 0 0 0 0 0 0 0 0 20 zz 1 0 777\n", /* junk nice */
		"5 (x) S 0 0 0 0 0 0 0 0 0 0 0 0 0 0 20 0 1 0 -7\n",   /* negative start */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (procfs_parse_stat(bad[i], strlen(bad[i]), &f) != -EINVAL)
			fail_msg("accepted bad stat text #%zu", i);
}

/* --- scans of fixture trees ------------------------------------------------ */
static void scan_processes(void **state)
{
	struct proc_snapshot snap = { 0 };
	struct scan_options opt = { 0 };
	(void)state;
	add_process(300, "c", 3000);
	add_process(7, "weird) (name\n", 70);
	add_process(42, "b", 420);
	put_file("self", "not a link");         /* not our namespace: no prio */
	put_file("sys/kernel/task_delayacct", "1\n");
	mkdir(root_path, 0755);
	int root = open_root();
	assert_int_equal(procfs_scan(root, &opt, &snap), 0);
	assert_int_equal(snap.n, 3);
	assert_int_equal(snap.rows[0].pid, 7); /* by pid, whatever the listing order */
	assert_int_equal(snap.rows[1].pid, 42);
	assert_int_equal(snap.rows[2].pid, 300);
	assert_string_equal(proc_comm(&snap, &snap.rows[0]), "weird) (name\n");
	assert_int_equal(snap.rows[1].io[IO_READ_BYTES], 425);
	assert_int_equal(snap.rows[2].io[IO_CANCELLED], 3007);
	assert_int_equal(snap.rows[1].start, 1042);
	assert_int_equal(snap.rows[1].delay, 42);
	assert_int_equal(snap.rows[1].uid, getuid());
	assert_int_equal(snap.rows[1].prio, -1);
	assert_int_equal(snap.rows[1].tid, 0);
	assert_null(proc_cmdline(&snap, &snap.rows[1]));
	assert_true(snap.uptime > 12345.66 && snap.uptime < 12345.68);
	assert_int_equal(snap.denied, 0);
	assert_int_equal(procfs_delayacct_enabled(root), 1);

	/* named pids only, one of them missing */
	int pids[] = { 42, 43, 300 };
	opt.pids = pids;
	opt.npids = 3;
	assert_int_equal(procfs_scan(root, &opt, &snap), 0);
	assert_int_equal(snap.n, 2);
	assert_int_equal(snap.rows[0].pid, 42);
	assert_int_equal(snap.rows[1].pid, 300);

	/* by command */
	regex_t re;
	assert_int_equal(regcomp(&re, "^[bc]$", REG_EXTENDED | REG_NOSUB), 0);
	opt = (struct scan_options){ .comm_re = &re };
	assert_int_equal(procfs_scan(root, &opt, &snap), 0);
	assert_int_equal(snap.n, 2);
	regfree(&re);

	/* by user: nobody here owns files as uid 12345 */
	opt = (struct scan_options){ .filter_uid = true, .uid = 12345 };
	assert_int_equal(procfs_scan(root, &opt, &snap), 0);
	assert_int_equal(snap.n, 0);
	opt.uid = getuid();
	assert_int_equal(procfs_scan(root, &opt, &snap), 0);
	assert_int_equal(snap.n, 3);
	procfs_snapshot_free(&snap);
	close(root);
}

static void scan_skips_vanished_and_denied(void **state)
{
	struct proc_snapshot snap = { 0 };
	struct scan_options opt = { 0 };
	(void)state;
	add_process(10, "ok", 0);
	add_process(11, "denied", 0);
	put_file("12/stat", stat_text(12, "gone", 0, 1, 0, 0)); /* io gone: vanished */
	mkdir(root_path, 0755);
	char d[PATH_MAX + 8];
	snprintf(d, sizeof(d), "%s/13", root_path);              /* a bare directory */
	mkdir(d, 0755);
	put_file("14/stat", "garbage");                         /* unparsable: skipped */
	put_file("14/io", io_text(0));
	put_file("notapid/stat", "x");
	put_file("0/stat", "x");
	deny_path = "11/io";
	int root = open_root();
	assert_int_equal(procfs_scan(root, &opt, &snap), 0);
	assert_int_equal(snap.n, 1);
	assert_int_equal(snap.rows[0].pid, 10);
	assert_int_equal(snap.denied, 1); /* counted, never a row of zeros */
	assert_int_equal(procfs_delayacct_enabled(root), -1);
	procfs_snapshot_free(&snap);
	close(root);
}

static void scan_threads(void **state)
{
	struct proc_snapshot snap = { 0 };
	struct scan_options opt = { .threads = true };
	(void)state;
	/* the process file counts all threads; the task files one each */
	add_process(50, "multi", 9000);
	put_file("50/task/50/stat", stat_text(50, "multi", 0, 5, 0, 0));
	put_file("50/task/50/io", io_text(100));
	put_file("50/task/53/stat", stat_text(53, "worker", 0, 6, 0, 0));
	put_file("50/task/53/io", io_text(300));
	put_file("50/task/51/stat", stat_text(51, "worker", 0, 6, 0, 0));
	put_file("50/task/51/io", io_text(200));
	add_process(60, "single", 0); /* no task directory: vanished meanwhile */
	int root = open_root();
	assert_int_equal(procfs_scan(root, &opt, &snap), 0);
	assert_int_equal(snap.n, 3);
	int want_tid[] = { 50, 51, 53 };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(snap.rows[i].pid, 50);
		assert_int_equal(snap.rows[i].tid, want_tid[i]);
	}
	assert_int_equal(snap.rows[1].io[IO_RCHAR], 201); /* task/51/io, not 50/io */
	assert_string_equal(proc_comm(&snap, &snap.rows[2]), "worker");
	procfs_snapshot_free(&snap);
	close(root);
}

static void scan_cmdline(void **state)
{
	struct proc_snapshot snap = { 0 };
	struct scan_options opt = { .want_cmdline = true };
	(void)state;
	add_process(20, "sh", 0);
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/20/cmdline", root_path);
	FILE *f = fopen(path, "w");
	fwrite("sh\0-c\0echo hi\0", 1, 14, f);
	fclose(f);
	add_process(21, "kthread", 0);
	put_file("21/cmdline", "");
	int root = open_root();
	assert_int_equal(procfs_scan(root, &opt, &snap), 0);
	assert_int_equal(snap.n, 2);
	assert_string_equal(proc_cmdline(&snap, &snap.rows[0]), "sh -c echo hi");
	assert_null(proc_cmdline(&snap, &snap.rows[1]));
	/* a rescan reuses the snapshot and its names */
	assert_int_equal(procfs_scan(root, &opt, &snap), 0);
	assert_int_equal(snap.n, 2);
	assert_string_equal(proc_cmdline(&snap, &snap.rows[0]), "sh -c echo hi");
	assert_string_equal(proc_comm(&snap, &snap.rows[1]), "kthread");
	procfs_snapshot_free(&snap);
	close(root);
}

static void scan_root_not_listable(void **state)
{
	struct proc_snapshot snap = { 0 };
	struct scan_options opt = { 0 };
	char path[PATH_MAX + 16];
	(void)state;
	put_file("plain", "x");
	snprintf(path, sizeof(path), "%s/plain", root_path);
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(procfs_scan(fd, &opt, &snap), -ENOTDIR);
	assert_int_equal(snap.n, 0);
	close(fd);
	procfs_snapshot_free(&snap);
}

static void real_proc(void **state)
{
	struct proc_snapshot snap = { 0 };
	struct scan_options opt = { .want_prio = true };
	int self = getpid();
	(void)state;
	int root = open("/proc", O_RDONLY | O_DIRECTORY);
	assert_true(root >= 0);
	opt.pids = &self;
	opt.npids = 1;
	assert_int_equal(procfs_scan(root, &opt, &snap), 0);
	assert_int_equal(snap.n, 1);
	assert_int_equal(snap.rows[0].pid, self);
	assert_true(snap.rows[0].prio >= 0); /* same namespace: asked the kernel */
	assert_true(snap.rows[0].io[IO_RCHAR] > 0);
	procfs_snapshot_free(&snap);
	close(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_io),
		cmocka_unit_test(parse_stat),
		cmocka_unit_test_setup_teardown(scan_processes, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(scan_skips_vanished_and_denied, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(scan_threads, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(scan_cmdline, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(scan_root_not_listable, setup_tree, teardown_tree),
		cmocka_unit_test(real_proc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
