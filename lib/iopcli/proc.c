/* SPDX-License-Identifier: MIT */
/* The tools' /proc layer: roots, listing, reading.  See proc.h. */
#define _GNU_SOURCE
#include "iopcli/proc.h"
#include "iopcli/array.h"
#include "iopcli/num.h"
#include "iopcli/readall.h"

#include <libioprio.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool proc_root_is_own(int fd)
{
	char link[32], want[32];
	ssize_t n = readlinkat(fd, "self", link, sizeof(link) - 1);

	if (n <= 0)
		return false;
	link[n] = '\0';
	snprintf(want, sizeof(want), "%d", (int)getpid());
	return strcmp(link, want) == 0;
}

int proc_root_open(struct proc_root *root, const char *path)
{
	root->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	root->path = path;
	if (root->fd < 0)
		return -errno;
	root->own = proc_root_is_own(root->fd);
	return 0;
}

void proc_root_close(struct proc_root *root)
{
	if (root->fd >= 0)
		close(root->fd);
	root->fd = -1;
}

char *proc_path(char *path, int pid, int tid, const char *name)
{
	char *p = num_put_u64(path, (unsigned)pid);

	if (tid > 0) {
		memcpy(p, "/task/", 6);
		p = num_put_u64(p + 6, (unsigned)tid);
	}
	if (name) {
		size_t n = strlen(name);
		if (n > 15)
			n = 15; /* PROC_PATH_MAX's promise */
		*p++ = '/';
		memcpy(p, name, n);
		p += n;
	}
	*p = '\0';
	return path;
}

/* One read() of path below the root, NUL-terminated; see proc_read().  With
 * owner, that of dir, the task's directory: the task's effective uid. */
static ssize_t read_at(const struct proc_root *root, const char *path, char *buf, size_t size,
		       const char *dir, unsigned *owner)
{
	struct stat st;
	ssize_t n;
	int fd, e;

	if (size == 0)
		return -EINVAL;
	/* O_NONBLOCK: a FIFO or device in place of a file (a --proc tree is
	 * anybody's) is never waited on; procfs files ignore the flag */
	fd = openat(root->fd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (owner) {
		/* a tree not our procfs may hold anything: only a regular file
		 * counts (a procfs file always is one) */
		e = root->own ? 0 : fstat(fd, &st) < 0 ? errno : S_ISREG(st.st_mode) ? 0 : EINVAL;
		if (e) {
			close(fd);
			return -e;
		}
		/* the directory, not the file: the kernel gives every file of a
		 * non-dumpable task (one that changed its ids, as a daemon
		 * dropping privileges does) to root, or to the root of its user
		 * namespace, and the directory keeps the effective ids, as ps
		 * reads them (docs/DESIGN.md) */
		if (fstatat(root->fd, dir, &st, 0) < 0) {
			e = errno;
			close(fd);
			return -e;
		}
		*owner = (unsigned)st.st_uid;
	}
	n = read(fd, buf, size - 1);
	e = errno;
	close(fd);
	if (n < 0)
		return -e;
	buf[n] = '\0';
	return n;
}

ssize_t proc_read(const struct proc_root *root, int pid, int tid, const char *name, char *buf,
		  size_t size, unsigned *owner)
{
	char path[PROC_PATH_MAX], dir[PROC_PATH_MAX];

	if (owner)
		proc_path(dir, pid, tid, NULL);
	return read_at(root, proc_path(path, pid, tid, name), buf, size, owner ? dir : NULL, owner);
}

int proc_task_owner(const struct proc_root *root, int pid, int tid, unsigned *owner)
{
	char dir[PROC_PATH_MAX];
	struct stat st;

	if (fstatat(root->fd, proc_path(dir, pid, tid, NULL), &st, 0) < 0)
		return -errno;
	*owner = (unsigned)st.st_uid;
	return 0;
}

int proc_read_stat(const struct proc_root *root, int pid, int tid, struct proc_stat *st,
		   unsigned *owner)
{
	char buf[1024];
	ssize_t n = proc_read(root, pid, tid, "stat", buf, sizeof(buf), owner);

	if (n < 0)
		return (int)n;
	return proc_parse_stat(buf, (size_t)n, st);
}

int proc_read_io(const struct proc_root *root, int pid, int tid,
		 unsigned long long io[IO_NFIELDS], unsigned *owner)
{
	char buf[1024];
	ssize_t n = proc_read(root, pid, tid, "io", buf, sizeof(buf), owner);

	if (n < 0)
		return (int)n;
	return proc_parse_io(buf, (size_t)n, io);
}

char *proc_read_cmdline(const struct proc_root *root, int pid, int tid)
{
	char path[PROC_PATH_MAX];
	int fd = openat(root->fd, proc_path(path, pid, tid, "cmdline"),
			O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	char *s;

	if (fd < 0)
		return NULL;
	/* a megabyte is enough to show: what was read is kept */
	ssize_t n = cli_read_all(fd, 256, 1 << 20, true, &s);
	close(fd);
	if (n <= 0) {
		free(s);
		return NULL;
	}
	size_t len = (size_t)n;
	while (len > 0 && s[len - 1] == '\0')
		len--;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\0')
			s[i] = ' ';
	s[len] = '\0';
	return s;
}

int proc_tgid(const struct proc_root *root, int id)
{
	char buf[4096];
	long long tgid;
	ssize_t n = proc_read(root, id, 0, "status", buf, sizeof(buf), NULL);

	if (n < 0)
		return (int)n;
	if (proc_parse_status(buf, (size_t)n, "Tgid:", 1, INT_MAX, &tgid) < 0)
		return -EINVAL;
	return (int)tgid;
}

double proc_uptime(const struct proc_root *root)
{
	char buf[128];

	return read_at(root, "uptime", buf, sizeof(buf), NULL, NULL) > 0 ? strtod(buf, NULL) : 0;
}

int proc_delayacct_enabled(const struct proc_root *root)
{
	char buf[8];

	if (read_at(root, "sys/kernel/task_delayacct", buf, sizeof(buf), NULL, NULL) <= 0)
		return -1;
	return buf[0] == '1';
}

long proc_clock_ticks(void)
{
	long t = sysconf(_SC_CLK_TCK);

	return t > 0 ? t : 100;
}

int proc_list_open(struct proc_list *l, const struct proc_root *root, int pid)
{
	char path[PROC_PATH_MAX];
	int fd;

	if (pid > 0)
		proc_path(path, pid, 0, "task");
	else
		strcpy(path, ".");
	fd = openat(root->fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	l->dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (!l->dir) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return -e;
	}
	return 0;
}

int proc_list_next(struct proc_list *l)
{
	struct dirent *e;

	while ((e = readdir(l->dir))) {
		unsigned long long id;
		/* "." and "..", "self", "sys", ...: not ids; nor "0" or "01" */
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		if (num_parse_u64(e->d_name, e->d_name + strlen(e->d_name), INT_MAX, &id) == 0)
			return (int)id;
	}
	return 0;
}

void proc_list_close(struct proc_list *l)
{
	if (l->dir)
		closedir(l->dir);
	l->dir = NULL;
}

int proc_ignores_sigchld(const struct proc_root *root, int pid)
{
	char buf[4096];
	ssize_t n = proc_read(root, pid, 0, "status", buf, sizeof(buf), NULL);

	if (n < 0)
		return (int)n;
	return proc_parse_sigchld(buf, (size_t)n);
}

char *proc_read_cgroup_path(const struct proc_root *root, int pid)
{
	char path[PROC_PATH_MAX];
	int fd = openat(root->fd, proc_path(path, pid, 0, "cgroup"),
			O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	char *text, *out = NULL;
	int e = ENOMEM;

	if (fd < 0)
		return NULL;
	/* read to the end: a seq_file hands out a long file in pieces */
	ssize_t n = cli_read_all(fd, 4096, 16 << 20, false, &text);
	close(fd);
	if (n < 0)
		e = (int)-n;
	size_t len = n < 0 ? 0 : (size_t)n;
	if (text && (out = malloc(len + 1)) != NULL && proc_parse_cgroup(text, len, out, len + 1) < 0) {
		free(out);
		out = NULL;
		e = EINVAL;
	}
	free(text);
	errno = e;
	return out;
}

int proc_boot_id(const struct proc_root *root, char *buf, size_t size)
{
	char text[64];
	ssize_t n = read_at(root, "sys/kernel/random/boot_id", text, sizeof(text), NULL, NULL);

	if (n < 0)
		return (int)n;
	return proc_parse_boot_id(text, (size_t)n, buf, size);
}

int proc_thread_prios(const struct proc_root *root, int pid, int main, size_t max, int **v,
		      size_t *n)
{
	struct proc_list threads;
	size_t cap = 0;
	int tid;

	*n = 0;
	if (max < 2 || proc_list_open(&threads, root, pid) < 0)
		return 0; /* nothing to tell apart, or gone */
	while (*n < max && (tid = proc_list_next(&threads))) {
		int t = tid == pid ? main : iop_get(IOP_WHO_PROCESS, tid);
		size_t i = 1;
		if (t < 0 || t == main)
			continue; /* the main thread, one that ended, or the same */
		while (i < *n && (*v)[i] != t)
			i++;
		if (*n && i < *n)
			continue; /* seen */
		int *more = cli_grow(*v, &cap, *n ? *n + 1 : 2, sizeof(*more), 4);
		if (!more) {
			proc_list_close(&threads);
			return -ENOMEM;
		}
		*v = more;
		if (!*n)
			(*v)[(*n)++] = main;
		(*v)[(*n)++] = t;
	}
	proc_list_close(&threads);
	return 0;
}
