/* SPDX-License-Identifier: MIT */
/*
 * Test helper: reads a region of a file or block device with O_DIRECT (the
 * page cache cannot serve it) and reports how long that took.
 *   direct_reader PATH OFFSET_MIB SIZE_MIB BLOCK_KIB
 * Opens PATH, then waits for end of file on stdin: two readers started
 * with the same pipe or fifo on stdin begin together when its writer
 * closes it.  Prints one line:
 *   prio=<its I/O priority, as ioprio_get returns it> bytes=<read> ns=<elapsed>
 * and exits 0; 1 on any error (a short read included).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libioprio.h>

static void die(const char *what)
{
	fprintf(stderr, "direct_reader: %s: %s\n", what, strerror(errno));
	exit(1);
}

static long long arg(const char *s)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < 0) {
		fprintf(stderr, "direct_reader: bad number '%s'\n", s);
		exit(1);
	}
	return v;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	char c[64];
	void *buf;

	if (argc != 5) {
		fprintf(stderr, "usage: direct_reader PATH OFFSET_MIB SIZE_MIB BLOCK_KIB\n");
		return 1;
	}
	off_t off = (off_t)arg(argv[2]) << 20;
	size_t size = (size_t)arg(argv[3]) << 20, block = (size_t)arg(argv[4]) << 10;
	if (!block || size % block) {
		fprintf(stderr, "direct_reader: the size must be a multiple of the block\n");
		return 1;
	}
	int fd = open(argv[1], O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0)
		die(argv[1]);
	if (posix_memalign(&buf, 4096, block) != 0)
		die("posix_memalign");
	int prio = iop_get(IOP_WHO_PROCESS, 0);
	if (prio < 0) {
		errno = -prio;
		die("ioprio_get");
	}
	for (ssize_t r; (r = read(0, c, sizeof(c))) != 0;) /* the start signal */
		if (r < 0 && errno != EINTR)
			die("stdin");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	size_t done = 0;
	while (done < size) {
		ssize_t r = pread(fd, buf, block, off + (off_t)done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r != (ssize_t)block) {
			if (r >= 0)
				errno = EIO;
			die("pread");
		}
		done += block;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long long ns = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
	printf("prio=%d bytes=%zu ns=%lld\n", prio, done, ns);
	free(buf);
	close(fd);
	return fflush(stdout) == 0 ? 0 : 1;
}
