/* SPDX-License-Identifier: MIT */
/*
 * Reading /proc/diskstats, /proc/pressure/io and mountstats from a procfs
 * root, and which diskstats lines are whole disks from a sysfs root.  See
 * diskstats.h.  Errors are returned, never printed: out of memory too.
 */
#define _GNU_SOURCE
#include "iopcli/diskstats.h"
#include "iopcli/blockdev.h"
#include "iopcli/readall.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The whole of a /proc file (these can exceed a page: a seq_file is read
 * until read() returns 0) into a malloc'ed, NUL-terminated buffer.  A FIFO
 * in a fixture tree is not waited on (O_NONBLOCK), and a file that is not
 * a regular one is -EINVAL.  The length, or -errno. */
static ssize_t read_all(int dir, const char *path, char **out)
{
	int fd = openat(dir, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;

	if (fd < 0)
		return -errno;
	int e = fstat(fd, &st) < 0 ? errno : S_ISREG(st.st_mode) ? 0 : EINVAL;
	if (e) {
		close(fd);
		return -e;
	}
	ssize_t len = cli_read_all(fd, 8192, 64u << 20, false, out);
	close(fd);
	return len == -EFBIG ? -ENOMEM : len; /* past 64 MiB: not a file the kernel writes */
}

int diskstats_read(int proc, int sysfs, struct diskstat **v, size_t *n, size_t *bad,
		   size_t *bad_line)
{
	char *buf;
	ssize_t len = read_all(proc, "diskstats", &buf);

	if (len < 0)
		return (int)len;
	int r = diskstats_parse(buf, (size_t)len, v, n, bad, bad_line);
	free(buf);
	if (r < 0)
		return r;
	/* a whole disk is <sysfs>/block/NAME ('/' in a name is '!' there);
	 * without a readable <sysfs>/block nothing is called a partition */
	if (sysfs < 0 || faccessat(sysfs, "block", F_OK, 0) < 0)
		return 0;
	for (size_t i = 0; i < *n; i++) {
		char path[16 + DISK_NAME_MAX] = "block/";
		struct diskstat *d = &(*v)[i];
		size_t k = 6;
		for (const char *c = d->name; *c; c++)
			path[k++] = *c == '/' ? '!' : *c;
		path[k] = '\0';
		d->partition = faccessat(sysfs, path, F_OK, AT_SYMLINK_NOFOLLOW) < 0;
		/* hardware (and virtio) disks have block/NAME/device; loop, dm,
		 * md and zram do not: their I/O lands on the disks below them */
		memcpy(path + k, "/device", 8);
		d->stacked = !d->partition && faccessat(sysfs, path, F_OK, 0) < 0;
	}
	return 0;
}

int disk_scheduler(int sysfs, const char *name, char *buf, size_t size)
{
	char path[64 + DISK_NAME_MAX], text[512];
	size_t k = 6;

	memcpy(path, "block/", 6);
	for (; *name && k < 6 + DISK_NAME_MAX; name++)
		path[k++] = *name == '/' ? '!' : *name; /* sysfs's cciss!c0d0 */
	memcpy(path + k, "/queue/scheduler", sizeof("/queue/scheduler"));
	int fd = openat(sysfs, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, text, sizeof(text) - 1);
	int e = n < 0 ? errno : 0;
	close(fd);
	if (n < 0)
		return -e;
	text[n] = '\0';
	return cli_sched_active(text, buf, size) < 0 ? -EINVAL : 0;
}

int pressure_read(int proc, struct pressure *out)
{
	char *buf;
	ssize_t len = read_all(proc, "pressure/io", &buf);

	if (len < 0)
		return len == -EOPNOTSUPP ? -ENOENT : (int)len; /* psi=0: the read fails */
	int r = pressure_parse(buf, (size_t)len, out);
	free(buf);
	return r;
}

int mountstats_read(int proc, struct nfs_mount **v, size_t *n, size_t *bad)
{
	char *buf;
	ssize_t len = read_all(proc, "self/mountstats", &buf);

	if (len < 0)
		return (int)len;
	int r = mountstats_parse(buf, (size_t)len, v, n, bad);
	free(buf);
	return r;
}
