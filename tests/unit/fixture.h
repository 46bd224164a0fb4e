/* SPDX-License-Identifier: MIT */
/*
 * Fixture procfs trees for the unit tests of the /proc layer and iopstat's
 * scanner, built in a temporary directory, and counters of what the code
 * under test opened, fstat()ed and asked the kernel.  The test binaries
 * link with -Wl,--wrap=openat,read,fstat,fstatat,iopriv_sys_get: a test can make
 * one file fail at read() with EACCES, as the kernel does for another
 * user's /proc/<pid>/io (root ignores file modes, so a fixture file cannot
 * do that by itself).
 */
#ifndef IOP_TEST_FIXTURE_H
#define IOP_TEST_FIXTURE_H

#include <limits.h>

extern char fixture_root[PATH_MAX];

/* openat() of this path (relative, as the code passes it) succeeds and
 * the first read() of it fails with EACCES; NULL for none. */
extern const char *fixture_deny;

/* What the code did since fixture_setup() or fixture_count_reset(). */
struct fixture_counts {
	int opens_stat, opens_io, opens_status, opens_cmdline, opens_other;
	int fstats;
	int dir_stats; /* fstatat(): a task's directory, for its owner */
	int prio_gets; /* ioprio_get through the library's system call shim */
};
extern struct fixture_counts fixture_counts;
void fixture_count_reset(void);

/* Makes <root>/rel with text, and the directories on the way. */
void fixture_file(const char *rel, const char *text);
/* An io file's text: each counter base + 1 .. base + 7 in the kernel's order. */
const char *fixture_io(unsigned long long base);
/* A stat line: the fields the tools read set, the others 0; ppid is pid - 1
 * and the process group pid + 1000. */
const char *fixture_stat(int pid, const char *comm, int nice, unsigned long long start,
			 int policy, unsigned long long delay);
/* A stat line with the parent, process group and start time given, the
 * other fields 0: for process trees. */
const char *fixture_stat_family(int pid, int ppid, int pgrp, const char *comm,
				unsigned long long start);
/* <pid>/stat (start 1000 + pid, delay pid) and <pid>/io (base io_base). */
/* A process's stat line that says it has that many threads. */
const char *fixture_stat_threads(int pid, const char *comm, int threads);
void fixture_process(int pid, const char *comm, unsigned long long io_base);

/* When set, what ioprio_get returns instead of asking the kernel (reset by
 * fixture_setup). */
extern int (*fixture_prio)(int which, int who);
/* An fd of the root directory. */
int fixture_open_root(void);

/* cmocka setup and teardown: a fresh tree with an uptime file of 12345.67 s. */
int fixture_setup(void **state);
int fixture_teardown(void **state);

#endif
