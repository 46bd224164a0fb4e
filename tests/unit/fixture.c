/* SPDX-License-Identifier: MIT */
/* Fixture procfs trees and call counters.  See fixture.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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

#include "fixture.h"

char fixture_root[PATH_MAX];
const char *fixture_deny;
struct fixture_counts fixture_counts;
static int denied_fd = -1;

int __real_openat(int dirfd, const char *path, int flags, ...);
ssize_t __real_read(int fd, void *buf, size_t n);
int __real_fstat(int fd, struct stat *st);
int __real_fstatat(int dirfd, const char *path, struct stat *st, int flags);
int __real_iopriv_sys_get(int which, int who);
int __wrap_openat(int dirfd, const char *path, int flags, ...);
ssize_t __wrap_read(int fd, void *buf, size_t n);
int __wrap_fstat(int fd, struct stat *st);
int __wrap_fstatat(int dirfd, const char *path, struct stat *st, int flags);
int __wrap_iopriv_sys_get(int which, int who);

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && !strcmp(s + n - t, tail) && (n == t || s[n - t - 1] == '/');
}

int __wrap_openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = (flags & O_CREAT) ? (mode_t)va_arg(ap, int) : 0;
	va_end(ap);
	if (ends_with(path, "stat"))
		fixture_counts.opens_stat++;
	else if (ends_with(path, "io"))
		fixture_counts.opens_io++;
	else if (ends_with(path, "status"))
		fixture_counts.opens_status++;
	else if (ends_with(path, "cmdline"))
		fixture_counts.opens_cmdline++;
	else
		fixture_counts.opens_other++;
	int fd = __real_openat(dirfd, path, flags, mode);
	if (fixture_deny && fd >= 0 && strcmp(path, fixture_deny) == 0)
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

int __wrap_fstat(int fd, struct stat *st)
{
	fixture_counts.fstats++;
	return __real_fstat(fd, st);
}

int __wrap_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	fixture_counts.dir_stats++;
	return __real_fstatat(dirfd, path, st, flags);
}

int (*fixture_prio)(int which, int who);

int __wrap_iopriv_sys_get(int which, int who)
{
	fixture_counts.prio_gets++;
	return fixture_prio ? fixture_prio(which, who) : __real_iopriv_sys_get(which, who);
}

void fixture_count_reset(void)
{
	memset(&fixture_counts, 0, sizeof(fixture_counts));
}

void fixture_file(const char *rel, const char *text)
{
	char path[PATH_MAX * 2];
	snprintf(path, sizeof(path), "%s/%s", fixture_root, rel);
	/* make the directories on the way */
	for (char *p = path + strlen(fixture_root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

const char *fixture_io(unsigned long long base)
{
	static char buf[512];
	snprintf(buf, sizeof(buf),
		 "rchar: %llu\nwchar: %llu\nsyscr: %llu\nsyscw: %llu\nread_bytes: %llu\n"
		 "write_bytes: %llu\ncancelled_write_bytes: %llu\n",
		 base + 1, base + 2, base + 3, base + 4, base + 5, base + 6, base + 7);
	return buf;
}

/* A stat line: the fields the tools read as given, the others 0. */
static const char *stat_line(int pid, int ppid, int pgrp, const char *comm, int nice,
			     int threads, unsigned long long start, int policy,
			     unsigned long long delay)
{
	static char buf[1024];
	int n = snprintf(buf, sizeof(buf), "%d (%s) S", pid, comm);
	for (int field = 4; field <= 52; field++) {
		long long v = field == 4 ? ppid : field == 5 ? pgrp : field == 19 ? nice
			    : field == 20 ? threads
			    : field == 22 ? (long long)start : field == 41 ? policy
			    : field == 42 ? (long long)delay : 0;
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, " %lld", v);
	}
	snprintf(buf + n, sizeof(buf) - (size_t)n, "\n");
	return buf;
}

const char *fixture_stat(int pid, const char *comm, int nice, unsigned long long start,
			 int policy, unsigned long long delay)
{
	return stat_line(pid, pid - 1, pid + 1000, comm, nice, 1, start, policy, delay);
}

const char *fixture_stat_family(int pid, int ppid, int pgrp, const char *comm,
				unsigned long long start)
{
	return stat_line(pid, ppid, pgrp, comm, 0, 1, start, 0, 0);
}

const char *fixture_stat_threads(int pid, const char *comm, int threads)
{
	return stat_line(pid, pid - 1, pid + 1000, comm, 0, threads, 1000 + (unsigned)pid, 0,
			 (unsigned)pid);
}

void fixture_process(int pid, const char *comm, unsigned long long io_base)
{
	char rel[64];
	snprintf(rel, sizeof(rel), "%d/stat", pid);
	fixture_file(rel, fixture_stat(pid, comm, 0, 1000 + (unsigned)pid, 0, (unsigned)pid));
	snprintf(rel, sizeof(rel), "%d/io", pid);
	fixture_file(rel, fixture_io(io_base));
}

int fixture_open_root(void)
{
	int fd = open(fixture_root, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	return fd;
}

int fixture_setup(void **state)
{
	(void)state;
	snprintf(fixture_root, sizeof(fixture_root), "%s/iop-fixture-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(fixture_root))
		return -1;
	fixture_file("uptime", "12345.67 999.00\n");
	fixture_deny = NULL;
	fixture_prio = NULL;
	denied_fd = -1;
	fixture_count_reset();
	return 0;
}

int fixture_teardown(void **state)
{
	char cmd[PATH_MAX + 16];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fixture_root);
	return system(cmd) == 0 ? 0 : -1;
}
