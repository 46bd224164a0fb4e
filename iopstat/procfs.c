/* SPDX-License-Identifier: MIT */
/* iopstat's /proc reader.  See procfs.h. */
#define _GNU_SOURCE
#include "procfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "iopcli/cli.h"
#include <libioprio.h>

/* Reads a small file below dirfd in one read() (procfs writes these whole);
 * with st, also fstat()s it.  The length, or -errno. */
static ssize_t read_small(int dirfd, const char *path, char *buf, size_t size, struct stat *st)
{
	/* O_NONBLOCK: a FIFO or device in place of a file (a --proc tree is
	 * anybody's) is never waited on; it reads nothing or junk and is passed
	 * over.  procfs files ignore the flag. */
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	ssize_t n;
	int e;

	if (fd < 0)
		return -errno;
	if (st && (fstat(fd, st) < 0 || !S_ISREG(st->st_mode))) {
		e = S_ISREG(st->st_mode) ? errno : EINVAL;
		close(fd);
		return -e;
	}
	n = read(fd, buf, size);
	e = errno;
	close(fd);
	return n < 0 ? -e : n;
}

/* The whole command line, arguments joined by spaces; NULL if empty. */
static char *read_cmdline(int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	size_t len = 0, cap = 256;
	char *s;
	ssize_t n;

	if (fd < 0)
		return NULL;
	s = malloc(cap);
	while (s && (n = read(fd, s + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (len + 1 == cap) {
			char *more = cap < 1 << 20 ? realloc(s, cap * 2) : NULL;
			if (!more)
				break; /* a megabyte is enough to show; keep what we have */
			s = more;
			cap *= 2;
		}
	}
	close(fd);
	if (!s || len == 0) {
		free(s);
		return NULL;
	}
	while (len > 0 && s[len - 1] == '\0')
		len--;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\0')
			s[i] = ' ';
	s[len] = '\0';
	return s;
}

/* "<a>/<name>" or "<a>/task/<b>/<name>" into buf, without printf. */
static char *put_uint(char *p, unsigned v)
{
	char tmp[12];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* "<pid>/" or "<pid>/task/<tid>/" into buf; returns where a name goes. */
static char *task_dir(char *buf, int pid, int tid)
{
	char *p = put_uint(buf, (unsigned)pid);
	if (tid) {
		memcpy(p, "/task/", 6);
		p = put_uint(p + 6, (unsigned)tid);
	}
	*p++ = '/';
	return p;
}

unsigned procfs_add_name(struct proc_snapshot *s, const char *name)
{
	size_t n = strlen(name) + 1;

	if (s->names_len + n > s->names_cap) {
		size_t cap = s->names_cap ? s->names_cap * 2 : 16384;
		while (cap < s->names_len + n)
			cap *= 2;
		char *more = cap < PROC_NO_NAME ? realloc(s->names, cap) : NULL;
		if (!more)
			return PROC_NO_NAME;
		s->names = more;
		s->names_cap = cap;
	}
	memcpy(s->names + s->names_len, name, n);
	s->names_len += n;
	return (unsigned)(s->names_len - n);
}

static struct proc_row *new_row(struct proc_snapshot *snap)
{
	if (snap->n == snap->cap) {
		size_t cap = snap->cap ? snap->cap * 2 : 1024;
		struct proc_row *rows = realloc(snap->rows, cap * sizeof(*rows));
		if (!rows)
			return NULL;
		snap->rows = rows;
		snap->cap = cap;
	}
	return &snap->rows[snap->n];
}

/* Reads one task into the next row; 1 added, 0 skipped, -ENOMEM. */
static int read_task(int root, const struct scan_options *opt, bool same_ns, int pid, int tid,
		     struct proc_snapshot *snap)
{
	char path[64], buf[1024];
	char *name = task_dir(path, pid, tid);
	struct stat st;
	struct stat_fields sf;
	ssize_t n;

	memcpy(name, "stat", 5);
	n = read_small(root, path, buf, sizeof(buf), &st);
	if (n <= 0 || procfs_parse_stat(buf, (size_t)n, &sf) < 0)
		return 0; /* gone (ENOENT, ESRCH) or unreadable: not a process to show */
	if (opt->filter_uid && st.st_uid != opt->uid)
		return 0;
	if (opt->comm_re && regexec(opt->comm_re, sf.comm, 0, NULL, 0) != 0)
		return 0;

	struct proc_row *row = new_row(snap);
	if (!row)
		return -ENOMEM;
	memcpy(name, "io", 3);
	n = read_small(root, path, buf, sizeof(buf) - 1, NULL);
	if (n == -EACCES || n == -EPERM) {
		snap->denied++;
		return 0;
	}
	if (n < 0 || procfs_parse_io(buf, (size_t)n, row->io) < 0)
		return 0;

	row->pid = pid;
	row->tid = tid;
	row->uid = st.st_uid;
	row->start = sf.start;
	row->delay = sf.delay;
	row->comm = procfs_add_name(snap, sf.comm);
	if (row->comm == PROC_NO_NAME)
		return -ENOMEM;
	row->prio = -1;
	if (same_ns && opt->want_prio) {
		int v = iop_get(IOP_WHO_PROCESS, tid ? tid : pid);
		if (v >= 0)
			row->prio = iop_effective_value(v, sf.nice, sf.policy < 0 ? 0 : sf.policy);
	}
	row->cmdline = PROC_NO_NAME;
	if (opt->want_cmdline) {
		memcpy(name, "cmdline", 8);
		char *line = read_cmdline(root, path);
		if (line) {
			row->cmdline = procfs_add_name(snap, line);
			free(line);
			if (row->cmdline == PROC_NO_NAME)
				return -ENOMEM;
		}
	}
	snap->n++;
	return 1;
}

/* The threads of a process, each read as a row. */
static int read_threads(int root, const struct scan_options *opt, bool same_ns, int pid,
			struct proc_snapshot *snap)
{
	char path[32];
	int fd;
	DIR *d;
	struct dirent *e;
	size_t first = snap->n;
	int r = 0;

	memcpy(task_dir(path, pid, 0), "task", 5);
	fd = openat(root, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (r >= 0 && (e = readdir(d))) {
		unsigned long long tid;
		if (proc_parse_ull(e->d_name, e->d_name + strlen(e->d_name), &tid) == 0 && tid > 0 &&
		    tid <= 0x7fffffff)
			r = read_task(root, opt, same_ns, pid, (int)tid, snap);
	}
	closedir(d);
	/* /proc lists threads in creation order; rows are kept by tid */
	for (size_t i = first + 1; i < snap->n; i++)
		for (size_t j = i; j > first && snap->rows[j - 1].tid > snap->rows[j].tid; j--) {
			struct proc_row t = snap->rows[j];
			snap->rows[j] = snap->rows[j - 1];
			snap->rows[j - 1] = t;
		}
	return r < 0 ? r : 0;
}

static int read_pid(int root, const struct scan_options *opt, bool same_ns, int pid,
		    struct proc_snapshot *snap)
{
	if (opt->threads)
		return read_threads(root, opt, same_ns, pid, snap);
	int r = read_task(root, opt, same_ns, pid, 0, snap);
	return r < 0 ? r : 0;
}

static double now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_row(const void *a, const void *b)
{
	const struct proc_row *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

int procfs_scan(int root, const struct scan_options *opt, struct proc_snapshot *snap)
{
	char buf[128];
	ssize_t n;
	bool same_ns = proc_root_is_own(root);
	int r = 0;

	snap->n = 0;
	snap->names_len = 0;
	snap->denied = 0;
	snap->when = now(CLOCK_REALTIME);
	snap->mono = now(CLOCK_MONOTONIC);
	snap->uptime = 0;
	n = read_small(root, "uptime", buf, sizeof(buf) - 1, NULL);
	if (n > 0) {
		buf[n] = '\0';
		snap->uptime = strtod(buf, NULL);
	}

	if (opt->npids) {
		for (size_t i = 0; i < opt->npids && r >= 0; i++)
			r = read_pid(root, opt, same_ns, opt->pids[i], snap);
		return r;
	}

	int fd = openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	bool sorted = true;
	int last = 0;

	if (!d) {
		r = -errno;
		if (fd >= 0)
			close(fd);
		return r;
	}
	while (r >= 0 && (e = readdir(d))) {
		unsigned long long pid;
		if (e->d_name[0] < '1' || e->d_name[0] > '9' ||
		    proc_parse_ull(e->d_name, e->d_name + strlen(e->d_name), &pid) < 0 || pid > 0x7fffffff)
			continue;
		if ((int)pid < last)
			sorted = false;
		last = (int)pid;
		r = read_pid(root, opt, same_ns, (int)pid, snap);
	}
	closedir(d);
	if (!sorted)
		cli_sort(snap->rows, snap->n, sizeof(*snap->rows), cmp_row);
	return r;
}

void procfs_snapshot_free(struct proc_snapshot *snap)
{
	free(snap->rows);
	free(snap->names);
	snap->rows = NULL;
	snap->names = NULL;
	snap->n = snap->cap = snap->names_len = snap->names_cap = 0;
}

int procfs_snapshot_reserve(struct proc_snapshot *snap, const struct proc_snapshot *like)
{
	size_t rows = like->n + like->n / 4 + 64, names = like->names_len + like->names_len / 4 + 1024;

	if (rows > snap->cap) {
		struct proc_row *r = realloc(snap->rows, rows * sizeof(*r));
		if (!r)
			return -ENOMEM;
		snap->rows = r;
		snap->cap = rows;
	}
	if (names > snap->names_cap && names < PROC_NO_NAME) {
		char *n = realloc(snap->names, names);
		if (!n)
			return -ENOMEM;
		snap->names = n;
		snap->names_cap = names;
	}
	return 0;
}

int procfs_tgid(int root, int id)
{
	char path[32], buf[4096];
	ssize_t n;

	memcpy(task_dir(path, id, 0), "status", 7);
	n = read_small(root, path, buf, sizeof(buf) - 1, NULL);
	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	const char *line = strstr(buf, "\nTgid:\t");
	if (!line)
		return -EINVAL;
	line += 7;
	int tgid;
	if (proc_parse_int(line, line + strcspn(line, "\n"), &tgid) < 0 || tgid <= 0)
		return -EINVAL;
	return tgid;
}

long procfs_clock_ticks(void)
{
	long t = sysconf(_SC_CLK_TCK);

	return t > 0 ? t : 100;
}

int procfs_delayacct_enabled(int root)
{
	char buf[8];
	ssize_t n = read_small(root, "sys/kernel/task_delayacct", buf, sizeof(buf), NULL);

	if (n <= 0)
		return -1;
	return buf[0] == '1';
}
