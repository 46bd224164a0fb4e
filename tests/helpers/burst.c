/* SPDX-License-Identifier: MIT */
/*
 * Test helper: a "build" of short-lived children, started on a signal.
 *   burst DIR BYTES PARENT CHILD COUNT [PERIOD_US [AGAIN_MS]]
 * Names itself PARENT, prints "ready" and waits.  On each SIGUSR1 it
 * forks COUNT children named CHILD, one every PERIOD_US microseconds (0:
 * each as soon as the one before was reaped), reaps them all and prints
 * "done N SUM": N children ended, SUM the write_bytes they did in all, as
 * each read it from its own /proc/self/io just before exiting.
 *   - BYTES > 0: each child writes BYTES (a multiple of 64 KiB) to
 *     DIR/data (which the caller creates at full size) with O_DIRECT and
 *     fsync; with AGAIN_MS, it then sleeps that long (to be seen by a
 *     scan) and writes BYTES once more.
 *   - BYTES = 0: each child writes 1024 bytes to /dev/null and exits (a
 *     churn of processes; SUM is then their wchar in all, N * 1024).
 * The helper and its children die with their parent (PR_SET_PDEATHSIG).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die_with_parent(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
}

static unsigned long long self_io(const char *key)
{
	char buf[1024];
	int fd = open("/proc/self/io", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	const char *p = strstr(buf, key);
	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

/* What the children sent so far, summed. */
static unsigned long long results_read(int fd)
{
	unsigned long long v, sum = 0;
	while (read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v))
		sum += v;
	return sum;
}

static void write_direct(const char *path, size_t bytes, size_t slot, void *block)
{
	int fd = open(path, O_WRONLY | O_DIRECT);
	if (fd < 0)
		_exit(3);
	for (size_t done = 0; done < bytes; done += 65536)
		if (pwrite(fd, block, 65536, (off_t)(slot * bytes + done)) != 65536)
			_exit(4);
	if (fsync(fd) != 0)
		_exit(5);
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc < 6)
		return 2;
	char *end;
	size_t bytes = strtoul(argv[2], &end, 10);
	if (*end || bytes % 65536)
		return 2;
	long count = strtol(argv[5], &end, 10);
	if (*end || count < 1 || count > 1000000)
		return 2;
	long period = argc > 6 ? strtol(argv[6], &end, 10) : 0;
	if (argc > 6 && (*end || period < 0))
		return 2;
	long again = argc > 7 ? strtol(argv[7], &end, 10) : 0;
	if (argc > 7 && (*end || again < 0))
		return 2;
	char path[4096];
	snprintf(path, sizeof(path), "%s/data", argv[1]);
	/* how many BYTES slots the file holds: children write in turn */
	off_t size = 0;
	int probe = open(path, O_RDONLY);
	if (probe >= 0) {
		size = lseek(probe, 0, SEEK_END);
		close(probe);
	}
	size_t slots = bytes && size >= (off_t)bytes ? (size_t)size / bytes : 1;
	void *block;
	if (posix_memalign(&block, 4096, 65536) != 0)
		return 1;
	memset(block, 'b', 65536);

	die_with_parent(getppid());
	prctl(PR_SET_NAME, argv[3]);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int results[2];
	if (pipe(results) != 0 || fcntl(results[0], F_SETFL, O_NONBLOCK) != 0)
		return 1;
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		int sig;
		if (sigwait(&set, &sig) != 0)
			continue;
		unsigned long long sum = 0;
		long ended = 0, running = 0;
		pid_t self = getpid();
		for (long i = 0; i < count; i++) {
			pid_t c = fork();
			if (c < 0)
				return 1;
			if (c == 0) {
				die_with_parent(self);
				prctl(PR_SET_NAME, argv[4]);
				unsigned long long v;
				if (bytes) {
					write_direct(path, bytes, (size_t)i % slots, block);
					if (again) {
						struct timespec ts = { again / 1000, again % 1000 * 1000000L };
						nanosleep(&ts, NULL);
						write_direct(path, bytes, (size_t)i % slots, block);
					}
					v = self_io("write_bytes: ");
				} else {
					static char kib[1024];
					int null = open("/dev/null", O_WRONLY);
					if (null < 0 || write(null, kib, sizeof(kib)) != (ssize_t)sizeof(kib))
						_exit(6);
					_exit(0); /* wchar exactly 1024: nothing else written */
				}
				if (write(results[1], &v, sizeof(v)) != (ssize_t)sizeof(v))
					_exit(7);
				_exit(0);
			}
			running++;
			if (period) {
				struct timespec ts = { period / 1000000, period % 1000000 * 1000L };
				nanosleep(&ts, NULL);
				/* reap what ended meanwhile: no pile of zombies */
				while (running && waitpid(-1, NULL, WNOHANG) > 0)
					running--, ended++;
			} else {
				if (waitpid(c, NULL, 0) == c)
					running--, ended++;
			}
			sum += results_read(results[0]); /* 8 bytes a child: as they come */
		}
		while (running > 0 && wait(NULL) > 0)
			running--, ended++;
		sum += results_read(results[0]);
		if (!bytes)
			sum = (unsigned long long)ended * 1024;
		printf("done %ld %llu\n", ended, sum);
		fflush(stdout);
	}
}
