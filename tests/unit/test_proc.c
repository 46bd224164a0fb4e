/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the tools' /proc layer (lib/iopcli/proc.c, procparse.c):
 * the parsers, and reading and listing fixture procfs trees.
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
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "iopcli/proc.h"
#include "fixture.h"

/* --- parsers ---------------------------------------------------------------- */
static void parse_io(void **state)
{
	unsigned long long io[IO_NFIELDS];
	(void)state;
	const char *ok = fixture_io(100);
	assert_int_equal(proc_parse_io(ok, strlen(ok), io), 0);
	for (int f = 0; f < IO_NFIELDS; f++)
		assert_int_equal(io[f], 101 + f);

	const char *max = "rchar: 18446744073709551615\nwchar: 0\nsyscr: 0\nsyscw: 0\n"
			  "read_bytes: 0\nwrite_bytes: 0\ncancelled_write_bytes: 0";
	assert_int_equal(proc_parse_io(max, strlen(max), io), 0); /* no final newline */
	assert_true(io[IO_RCHAR] == 18446744073709551615ULL);

	/* a future kernel's extra line is passed over */
	char extra[600];
	snprintf(extra, sizeof(extra), "%sfuture_bytes: 5\n", fixture_io(0));
	assert_int_equal(proc_parse_io(extra, strlen(extra), io), 0);

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
		if (proc_parse_io(bad[i], strlen(bad[i]), io) != -EINVAL)
			fail_msg("accepted bad io text #%zu", i);
}

static void parse_stat(void **state)
{
	struct proc_stat f;
	(void)state;
	const char *s = fixture_stat(42, "cron", -5, 123456, 5, 77);
	assert_int_equal(proc_parse_stat(s, strlen(s), &f), 0);
	assert_string_equal(f.comm, "cron");
	assert_int_equal(f.state, 'S'); /* field 3 */
	assert_int_equal(f.ppid, 41);   /* field 4 */
	assert_int_equal(f.pgrp, 1042); /* field 5 */
	assert_int_equal(f.nice, -5);
	assert_int_equal(f.threads, 1); /* field 20 */
	assert_int_equal(f.start, 123456);
	assert_int_equal(f.policy, 5);
	assert_int_equal(f.delay, 77);

	/* names with spaces, parentheses and newlines end at the last ')' */
	static const char *names[] = { "a b", ") (", "x) S 1 2 (y", "line\nbreak", "((", "", ")" };
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		s = fixture_stat(7, names[i], 19, 99, 0, 0);
		assert_int_equal(proc_parse_stat(s, strlen(s), &f), 0);
		assert_string_equal(f.comm, names[i]);
		assert_int_equal(f.ppid, 6);
		assert_int_equal(f.nice, 19);
		assert_int_equal(f.start, 99);
	}
	/* a long workqueue worker name is cut, not overflowed */
	char longname[200];
	memset(longname, 'w', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	s = fixture_stat(8, longname, 0, 1, 0, 0);
	assert_int_equal(proc_parse_stat(s, strlen(s), &f), 0);
	assert_int_equal(strlen(f.comm), sizeof(f.comm) - 1);

	/* an old kernel's shorter line: no policy, no delay */
	const char *old = "5 (old) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 20 3 1 0 777\n";
	assert_int_equal(proc_parse_stat(old, strlen(old), &f), 0);
	assert_int_equal(f.ppid, 1);
	assert_int_equal(f.nice, 3);
	assert_int_equal(f.threads, 1);
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
		"5 (x) S x 0 0 0 0 0 0 0 0 0 0 0 0 0 20 0 1 0 7\n",    /* junk ppid */
		"5 (x) S 1\n",                                          /* ends after ppid */
		"5 (x) SS 1 0 0 0 0 0 0 0 0 0 0 0 0 0 20 0 1 0 7\n",   /* a state of two */
		"5 (x)  1 0 0 0 0 0 0 0 0 0 0 0 0 0 20 0 1 0 7\n",     /* no state */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (proc_parse_stat(bad[i], strlen(bad[i]), &f) != -EINVAL)
			fail_msg("accepted bad stat text #%zu", i);
}

static void parse_status(void **state)
{
	const char *s = "Name:\tcat\nUmask:\t0022\nState:\tR (running)\nTgid:\t4242\nNgid:\t0\n"
			"Pid:\t4243\nPPid:\t1\nUid:\t1000\t1001\t1001\t1001\n";
	long long v;
	(void)state;
	assert_int_equal(proc_parse_status(s, strlen(s), "Tgid:", 1, INT_MAX, &v), 0);
	assert_int_equal(v, 4242);
	assert_int_equal(proc_parse_status(s, strlen(s), "Pid:", 1, INT_MAX, &v), 0);
	assert_int_equal(v, 4243);    /* not PPid's, not Tgid's */
	assert_int_equal(proc_parse_status(s, strlen(s), "Uid:", 0, UINT_MAX, &v), 0);
	assert_int_equal(v, 1000);    /* the first value of the line */
	assert_int_equal(proc_parse_status(s, strlen(s), "Ngid:", 1, INT_MAX, &v), -EINVAL);
	assert_int_equal(proc_parse_status(s, strlen(s), "Gid:", 0, 9, &v), -EINVAL);
	assert_int_equal(proc_parse_status(s, strlen(s), "State:", 0, 9, &v), -EINVAL);
	assert_int_equal(proc_parse_status("Tgid: 5\n", 8, "Tgid:", 1, 9, &v), -EINVAL); /* blank */
	assert_int_equal(proc_parse_status("", 0, "Tgid:", 1, 9, &v), -EINVAL);
	assert_int_equal(proc_parse_status("Tgid:\t7", 7, "Tgid:", 1, 9, &v), 0); /* no newline */
	assert_int_equal(v, 7);
}

/* The SigIgn and boot_id parsers take a length: nothing past it is read,
 * and a text that is cut there is judged as cut. */
#define LIT(s) s, sizeof(s) - 1 /* a literal and its length, NULs included */
static void parse_sigchld_and_boot_id(void **state)
{
	const char *s = "Name:\ta\nSigPnd:\t0000000000010000\nSigIgn:\t0000000000010000\n";
	char id[40];
	(void)state;
	assert_int_equal(proc_parse_sigchld(s, strlen(s)), 1);
	assert_int_equal(proc_parse_sigchld(LIT("Name:\tb\nSigIgn:\t00000000fffeffff\n")), 0);
	assert_int_equal(proc_parse_sigchld(LIT("Name:\tb\nSigIgn:\t30000")), 1); /* no newline */
	assert_int_equal(proc_parse_sigchld(LIT("Name:\tb\nSigIgn:\t20000")), 0);
	/* cut by the length, or by a NUL, before the fifth digit */
	assert_int_equal(proc_parse_sigchld("Name:\tb\nSigIgn:\t10000", 20), -EINVAL);
	assert_int_equal(proc_parse_sigchld(LIT("Name:\tb\nSigIgn:\t10\0" "000")), -EINVAL);
	assert_int_equal(proc_parse_sigchld(LIT("Name:\tb\0\nSigIgn:\t10000\n")), -EINVAL);
	/* the first line is not a SigIgn line; another key's mask does not count */
	assert_int_equal(proc_parse_sigchld(LIT("SigIgn:\t10000\n")), -EINVAL);
	assert_int_equal(proc_parse_sigchld(LIT("Name:\tb\nSigCgt:\t10000\n")), -EINVAL);
	/* uppercase is not the kernel's: the digits stop before it */
	assert_int_equal(proc_parse_sigchld(LIT("Name:\tb\nSigIgn:\t1000A\n")), -EINVAL);
	assert_int_equal(proc_parse_sigchld(LIT("Name:\tb\nSigIgn:\t10000A\n")), 1);
	assert_int_equal(proc_parse_sigchld(LIT("")), -EINVAL);

	const char *b = "c730003c-bfd3-4cf3-b212-9530dd688381\n";
	assert_int_equal(proc_parse_boot_id(b, strlen(b), id, sizeof(id)), 0);
	assert_string_equal(id, "c730003c-bfd3-4cf3-b212-9530dd688381");
	assert_int_equal(proc_parse_boot_id(b, 8, id, sizeof(id)), 0); /* cut by the length */
	assert_string_equal(id, "c730003c");
	assert_int_equal(proc_parse_boot_id(b, 7, id, sizeof(id)), -EINVAL);
	assert_int_equal(proc_parse_boot_id(b, strlen(b), id, 37), 0); /* just fits */
	assert_int_equal(proc_parse_boot_id(b, strlen(b), id, 36), -EINVAL);
	assert_int_equal(proc_parse_boot_id(LIT("C730003C-BFD3"), id, sizeof(id)), -EINVAL);
	assert_int_equal(proc_parse_boot_id(LIT("c730003c\0" "ffff"), id, sizeof(id)), 0);
	assert_string_equal(id, "c730003c");
	assert_int_equal(proc_parse_boot_id("", 0, id, sizeof(id)), -EINVAL);
}

static void parse_cgroup_and_unit(void **state)
{
	char buf[64];
	size_t len;
	(void)state;
	const char *v2 = "0::/system.slice/cron.service\n";
	assert_int_equal(proc_parse_cgroup(v2, strlen(v2), buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/system.slice/cron.service");
	/* hybrid: the v2 line wins, wherever it is */
	const char *hybrid = "12:name=systemd:/system.slice/a.service\n4:memory:/x\n"
			     "0::/system.slice/b.service\n";
	assert_int_equal(proc_parse_cgroup(hybrid, strlen(hybrid), buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/system.slice/b.service");
	/* v1 only: systemd's named hierarchy */
	const char *v1 = "3:cpu,cpuacct:/\n1:name=systemd:/user.slice/user-1000.slice/session-4.scope";
	assert_int_equal(proc_parse_cgroup(v1, strlen(v1), buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/user.slice/user-1000.slice/session-4.scope");
	/* a long path is cut, never overflowed */
	char longer[200] = "0::/";
	memset(longer + 4, 'a', 150);
	assert_int_equal(proc_parse_cgroup(longer, strlen(longer), buf, 16), 0);
	assert_int_equal(strlen(buf), 15);
	const char *none = "4:memory:/x\n";
	assert_int_equal(proc_parse_cgroup(none, strlen(none), buf, sizeof(buf)), -EINVAL);
	assert_int_equal(proc_parse_cgroup("0::\n", 4, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(proc_parse_cgroup("", 0, buf, sizeof(buf)), -EINVAL);

	static const struct {
		const char *path, *unit;
	} units[] = {
		{ "/system.slice/cron.service", "cron.service" },
		{ "/user.slice/user-1000.slice/session-2.scope", "session-2.scope" },
		{ "/system.slice/docker-ab12.scope/init", "docker-ab12.scope" },
		{ "/system.slice/a.service/b.scope", "b.scope" },
		{ "/init.scope", "init.scope" },
		{ "/user.slice", NULL }, { "/", NULL }, { "", NULL }, { "/.service", NULL },
		{ "/system.slice/x.servicex", NULL },
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++) {
		const char *u = proc_cgroup_unit(units[i].path, &len);
		if (!units[i].unit) {
			assert_null(u);
			continue;
		}
		assert_non_null(u);
		assert_int_equal(len, strlen(units[i].unit));
		assert_memory_equal(u, units[i].unit, len);
	}
}

/* --- reading and listing ------------------------------------------------------ */
static void read_files(void **state)
{
	struct proc_root root;
	char buf[64];
	unsigned owner = 12345;
	(void)state;
	fixture_process(10, "ten", 0);
	fixture_file("10/task/11/comm", "worker\n");
	assert_int_equal(proc_root_open(&root, fixture_root), 0);
	assert_false(root.own); /* no "self" that is us */
	assert_string_equal(root.path, fixture_root);

	assert_int_equal(proc_read(&root, 10, 11, "comm", buf, sizeof(buf), &owner), 7);
	assert_string_equal(buf, "worker\n");
	assert_int_equal(owner, getuid()); /* the owner is the file's */
	/* at most size - 1 bytes, always NUL-terminated */
	assert_int_equal(proc_read(&root, 10, 11, "comm", buf, 4, NULL), 3);
	assert_string_equal(buf, "wor");
	assert_int_equal(proc_read(&root, 10, 0, "nope", buf, sizeof(buf), NULL), -ENOENT);
	assert_int_equal(proc_read(&root, 99, 0, "stat", buf, sizeof(buf), NULL), -ENOENT);
	assert_int_equal(proc_read(&root, 10, 0, "comm", buf, 0, NULL), -EINVAL);

	/* access is checked at read(): EACCES after a successful open */
	fixture_deny = "10/io";
	unsigned long long io[IO_NFIELDS];
	assert_int_equal(proc_read_io(&root, 10, 0, io, NULL), -EACCES);
	fixture_deny = NULL;
	assert_int_equal(proc_read_io(&root, 10, 0, io, &owner), 0);
	assert_int_equal(io[IO_WRITE_BYTES], 6);

	/* a FIFO in a fixture tree is never waited on; with an owner asked, a
	 * file that is not a regular one is refused */
	char fifo[PATH_MAX + 16];
	snprintf(fifo, sizeof(fifo), "%s/10/cmdline", fixture_root);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_true(proc_read(&root, 10, 0, "cmdline", buf, sizeof(buf), NULL) <= 0);
	assert_int_equal(proc_read(&root, 10, 0, "cmdline", buf, sizeof(buf), &owner), -EINVAL);
	assert_null(proc_read_cmdline(&root, 10, 0));

	struct proc_stat st;
	assert_int_equal(proc_read_stat(&root, 10, 0, &st, NULL), 0);
	assert_string_equal(st.comm, "ten");
	assert_int_equal(st.start, 1010);
	fixture_file("10/task/11/stat", "garbage");
	assert_int_equal(proc_read_stat(&root, 10, 11, &st, NULL), -EINVAL);
	proc_root_close(&root);
	assert_int_equal(root.fd, -1);
	assert_int_equal(proc_root_open(&root, "/nonexistent-iop-root"), -ENOENT);
}

static void paths(void **state)
{
	char p[PROC_PATH_MAX];
	(void)state;
	assert_string_equal(proc_path(p, 1, 0, "stat"), "1/stat");
	assert_string_equal(proc_path(p, 2147483647, 2147483646, "cmdline"),
			    "2147483647/task/2147483646/cmdline");
	assert_string_equal(proc_path(p, 42, 0, NULL), "42");
	assert_string_equal(proc_path(p, 42, 43, NULL), "42/task/43");
	/* the longest names promised fit */
	assert_true(strlen(proc_path(p, 2147483647, 2147483647, "0123456789abcdef")) <
		    PROC_PATH_MAX);
}

static void cmdline_tgid_uptime(void **state)
{
	struct proc_root root;
	char path[PATH_MAX + 16];
	(void)state;
	fixture_process(20, "sh", 0);
	snprintf(path, sizeof(path), "%s/20/cmdline", fixture_root);
	FILE *f = fopen(path, "w");
	fwrite("sh\0-c\0echo hi\0\0", 1, 15, f);
	fclose(f);
	fixture_file("21/cmdline", "");
	fixture_file("20/status", "Name:\tsh\nTgid:\t20\nPid:\t20\n");
	fixture_file("23/status", "Name:\tworker\nTgid:\t20\nPid:\t23\n");
	fixture_file("24/status", "Name:\tbad\nTgid:\tzz\n");
	assert_int_equal(proc_root_open(&root, fixture_root), 0);
	char *line = proc_read_cmdline(&root, 20, 0);
	assert_string_equal(line, "sh -c echo hi"); /* NULs as blanks, the trailing ones gone */
	free(line);
	assert_null(proc_read_cmdline(&root, 21, 0)); /* a kernel thread's: empty */
	assert_null(proc_read_cmdline(&root, 22, 0)); /* gone */
	assert_int_equal(proc_tgid(&root, 20), 20);
	assert_int_equal(proc_tgid(&root, 23), 20);   /* a thread stands for its process */
	assert_int_equal(proc_tgid(&root, 24), -EINVAL);
	assert_int_equal(proc_tgid(&root, 25), -ENOENT);
	assert_true(proc_uptime(&root) > 12345.66 && proc_uptime(&root) < 12345.68);
	/* SIGCHLD ignored: bit 16 of SigIgn */
	fixture_file("30/status", "Name:\ta\nSigQ:\t0/1\nSigPnd:\t0000000000000000\n"
				  "SigIgn:\t0000000000010000\nSigCgt:\t0\n");
	fixture_file("31/status", "Name:\tb\nSigIgn:\t00000000fffeffff\n");
	fixture_file("32/status", "Name:\tc\nSigIgn:\t0000000000000001\n");
	fixture_file("33/status", "Name:\td\n");
	assert_int_equal(proc_ignores_sigchld(&root, 30), 1);
	assert_int_equal(proc_ignores_sigchld(&root, 31), 0);
	assert_int_equal(proc_ignores_sigchld(&root, 32), 0);
	assert_int_equal(proc_ignores_sigchld(&root, 33), -EINVAL);
	assert_int_equal(proc_ignores_sigchld(&root, 34), -ENOENT);
	char id[64];
	assert_int_equal(proc_boot_id(&root, id, sizeof(id)), -ENOENT);
	fixture_file("sys/kernel/random/boot_id", "c730003c-bfd3-4cf3-b212-9530dd688381\n");
	assert_int_equal(proc_boot_id(&root, id, sizeof(id)), 0);
	assert_string_equal(id, "c730003c-bfd3-4cf3-b212-9530dd688381");
	assert_int_equal(proc_boot_id(&root, id, 10), -EINVAL);
	fixture_file("20/cgroup", "0::/system.slice/x.service\n");
	char *cg = proc_read_cgroup_path(&root, 20);
	assert_non_null(cg);
	assert_string_equal(cg, "/system.slice/x.service");
	free(cg);
	errno = 0;
	assert_null(proc_read_cgroup_path(&root, 21));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(proc_delayacct_enabled(&root), -1);
	fixture_file("sys/kernel/task_delayacct", "1\n");
	assert_int_equal(proc_delayacct_enabled(&root), 1);
	fixture_file("sys/kernel/task_delayacct", "0\n");
	assert_int_equal(proc_delayacct_enabled(&root), 0);
	proc_root_close(&root);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static void listing(void **state)
{
	struct proc_root root;
	struct proc_list l;
	int ids[16], n = 0, id;
	(void)state;
	fixture_process(300, "c", 0);
	fixture_process(7, "a", 0);
	fixture_process(42, "b", 0);
	fixture_file("42/task/42/stat", "x");
	fixture_file("42/task/44/stat", "x");
	fixture_file("42/task/43/stat", "x");
	fixture_file("notapid/stat", "x");
	fixture_file("0/stat", "x");
	fixture_file("007/stat", "x");
	fixture_file("99999999999/stat", "x"); /* above INT_MAX */
	fixture_file("12a/stat", "x");
	assert_int_equal(proc_root_open(&root, fixture_root), 0);
	assert_int_equal(proc_list_open(&l, &root, 0), 0);
	while ((id = proc_list_next(&l)) && n < 16)
		ids[n++] = id;
	proc_list_close(&l);
	qsort(ids, (size_t)n, sizeof(*ids), cmp_int);
	assert_int_equal(n, 3);
	assert_int_equal(ids[0], 7);
	assert_int_equal(ids[1], 42);
	assert_int_equal(ids[2], 300);

	n = 0;
	assert_int_equal(proc_list_open(&l, &root, 42), 0);
	while ((id = proc_list_next(&l)) && n < 16)
		ids[n++] = id;
	proc_list_close(&l);
	qsort(ids, (size_t)n, sizeof(*ids), cmp_int);
	assert_int_equal(n, 3);
	assert_int_equal(ids[0], 42);
	assert_int_equal(ids[2], 44);
	assert_int_equal(proc_list_open(&l, &root, 7), -ENOENT); /* no task directory */
	assert_int_equal(proc_list_open(&l, &root, 8), -ENOENT);
	proc_root_close(&root);
}

static void real_proc(void **state)
{
	struct proc_root root;
	struct proc_list l;
	struct proc_stat st;
	unsigned owner;
	int id, seen = 0;
	(void)state;
	assert_int_equal(proc_root_open(&root, "/proc"), 0);
	assert_true(root.own);
	assert_int_equal(proc_read_stat(&root, getpid(), 0, &st, &owner), 0);
	assert_int_equal(st.ppid, getppid());
	assert_int_equal(st.pgrp, getpgrp());
	assert_int_equal(owner, geteuid()); /* the effective user, as ps shows it */
	assert_int_equal(proc_tgid(&root, getpid()), getpid());
	assert_int_equal(proc_ignores_sigchld(&root, getpid()), 0);
	char boot[64];
	assert_int_equal(proc_boot_id(&root, boot, sizeof(boot)), 0);
	assert_int_equal(strlen(boot), 36);
	char *cg = proc_read_cgroup_path(&root, getpid());
	assert_non_null(cg);
	assert_int_equal(cg[0], '/');
	free(cg);
	assert_true(st.state == 'R' || st.state == 'S');
	assert_int_equal(proc_list_open(&l, &root, 0), 0);
	while ((id = proc_list_next(&l)))
		seen |= id == getpid();
	proc_list_close(&l);
	assert_true(seen);
	proc_root_close(&root);
}

/* A task that changed its ids (a daemon dropping privileges) is not
 * dumpable, and the kernel gives every file under its /proc directory to
 * root, while the directory keeps its effective ids: the owner is the
 * directory's, for a process and for a thread.  Needs root (chown). */
static void owner_is_the_directory(void **state)
{
	struct proc_root root;
	struct proc_stat st;
	unsigned long long io[IO_NFIELDS];
	char buf[64], dir[PATH_MAX + 16];
	unsigned owner = 0;
	(void)state;
	if (geteuid() != 0)
		skip(); /* files owned by root, a directory by another: chown */
	fixture_process(10, "daemon", 0);
	fixture_file("10/task/11/stat", fixture_stat(11, "worker", 0, 1011, 0, 0));
	fixture_file("10/task/11/io", fixture_io(0));
	snprintf(dir, sizeof(dir), "%s/10", fixture_root);
	assert_int_equal(chown(dir, 4000010, 4000020), 0);
	snprintf(dir, sizeof(dir), "%s/10/task/11", fixture_root);
	assert_int_equal(chown(dir, 4000011, 4000021), 0);
	assert_int_equal(proc_root_open(&root, fixture_root), 0);

	fixture_count_reset();
	assert_int_equal(proc_read_stat(&root, 10, 0, &st, &owner), 0);
	assert_int_equal(owner, 4000010);
	assert_int_equal(fixture_counts.dir_stats, 1);
	owner = 0;
	assert_int_equal(proc_read_io(&root, 10, 0, io, &owner), 0);
	assert_int_equal(owner, 4000010);
	owner = 0;
	assert_int_equal(proc_read_stat(&root, 10, 11, &st, &owner), 0);
	assert_int_equal(owner, 4000011); /* the thread's own directory */
	assert_string_equal(st.comm, "worker");
	owner = 0;
	assert_true(proc_read(&root, 10, 11, "io", buf, sizeof(buf), &owner) > 0);
	assert_int_equal(owner, 4000011);
	/* without an owner asked, no directory is looked at */
	fixture_count_reset();
	assert_int_equal(proc_read_stat(&root, 10, 0, &st, NULL), 0);
	assert_int_equal(fixture_counts.dir_stats, 0);
	proc_root_close(&root);
}

/* The same on the real kernel: a child of ours made non-dumpable (as root,
 * by switching to a uid nobody has, which is how daemons get so; else with
 * PR_SET_DUMPABLE, as ssh-agent does) has root's files; its owner is still
 * its effective uid.  Its io needs ptrace access, which a user has not to a
 * non-dumpable task even of its own: EACCES, and no owner told. */
static void owner_of_a_nondumpable_child(void **state)
{
	struct proc_root root;
	struct proc_stat st;
	unsigned long long io[IO_NFIELDS];
	unsigned want = geteuid() == 0 ? 3900000000u + (unsigned)getpid() % 100000 : geteuid();
	unsigned owner = 0;
	int ready[2];
	char c;
	struct stat file;
	(void)state;
	assert_int_equal(pipe(ready), 0);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (geteuid() == 0 && (setresgid(want, want, want) || setresuid(want, want, want)))
			_exit(1);
		if (prctl(PR_SET_DUMPABLE, 0) != 0)
			_exit(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	assert_int_equal(proc_root_open(&root, "/proc"), 0);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)child);
	assert_int_equal(stat(path, &file), 0);
	int stat_r = proc_read_stat(&root, child, 0, &st, &owner);
	unsigned stat_owner = owner;
	owner = 0;
	int io_r = proc_read_io(&root, child, 0, io, &owner);
	unsigned io_owner = owner;
	owner = 0;
	int thread_r = proc_read_stat(&root, child, child, &st, &owner);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	proc_root_close(&root);
	assert_int_equal(file.st_uid, 0); /* the kernel's side of it */
	assert_int_equal(stat_r, 0);
	assert_int_equal(stat_owner, want);
	if (geteuid() == 0) {
		assert_int_equal(io_r, 0);
		assert_int_equal(io_owner, want);
	} else {
		assert_int_equal(io_r, -EACCES);
		assert_int_equal(io_owner, 0);
	}
	assert_int_equal(thread_r, 0);
	assert_int_equal(owner, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_io),
		cmocka_unit_test(parse_stat),
		cmocka_unit_test(parse_status),
		cmocka_unit_test(paths),
		cmocka_unit_test(parse_cgroup_and_unit),
		cmocka_unit_test(parse_sigchld_and_boot_id),
		cmocka_unit_test_setup_teardown(read_files, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(cmdline_tgid_uptime, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(listing, fixture_setup, fixture_teardown),
		cmocka_unit_test(real_proc),
		cmocka_unit_test_setup_teardown(owner_is_the_directory, fixture_setup, fixture_teardown),
		cmocka_unit_test(owner_of_a_nondumpable_child),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
