/* SPDX-License-Identifier: MIT */
/*
 * Test helper: does a known amount of storage I/O, then waits.
 *   writer DIR BYTES NAME [thread]
 * Names itself NAME (prctl), writes BYTES to DIR/data (which the caller
 * creates: creating it would dirty a directory block and charge the writer
 * for it) with O_DIRECT and fsync, reads half back with O_DIRECT, prints
 * "ready", and waits.  Each
 * SIGUSR1 writes BYTES more and prints "again".  Each SIGUSR2 forks a
 * child (of the same name) that writes BYTES, lives 0.6 s more and exits,
 * and waits for it: the kernel then adds the child's I/O to this process's
 * counters; it prints "reaped".  With "thread", a second thread does the
 * I/O, so per-thread counters can be told apart.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static char path[4096];
static size_t bytes;
static void *block;
static int fd = -1;

static void die(const char *what)
{
	fprintf(stderr, "writer: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void write_all(void)
{
	const size_t chunk = 65536;
	for (size_t done = 0; done < bytes; done += chunk)
		if (pwrite(fd, block, chunk, (off_t)done) != (ssize_t)chunk)
			die("pwrite");
	if (fsync(fd) != 0)
		die("fsync");
}

static void *first_io(void *arg)
{
	(void)arg;
	write_all();
	const size_t chunk = 65536;
	for (size_t done = 0; done < bytes / 2; done += chunk)
		if (pread(fd, block, chunk, (off_t)done) != (ssize_t)chunk)
			die("pread");
	return NULL;
}

static void *again(void *arg)
{
	(void)arg;
	write_all();
	return NULL;
}

static void run(int threaded, void *(*fn)(void *))
{
	if (threaded) {
		pthread_t t;
		if (pthread_create(&t, NULL, fn, NULL) != 0 || pthread_join(t, NULL) != 0)
			die("pthread");
	} else {
		fn(NULL);
	}
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	char *end;
	bytes = strtoul(argv[2], &end, 10);
	if (*end || bytes == 0 || bytes % 65536)
		return 2;
	int threaded = argc > 4 && !strcmp(argv[4], "thread");
	prctl(PR_SET_NAME, argv[3]);
	snprintf(path, sizeof(path), "%s/data", argv[1]);
	fd = open(path, O_RDWR | O_DIRECT);
	if (fd < 0)
		die(path);
	if (posix_memalign(&block, 4096, 65536) != 0)
		die("posix_memalign");
	memset(block, 'x', 65536);

	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL); /* taken with sigwait below */

	run(threaded, first_io);
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		int sig;
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGUSR1) {
			run(threaded, again);
			printf("again\n");
			fflush(stdout);
		} else if (sig == SIGUSR2) {
			pid_t child = fork();
			if (child < 0)
				die("fork");
			if (child == 0) {
				write_all();
				usleep(600000); /* long enough to be seen by a scan */
				_exit(0);
			}
			if (waitpid(child, NULL, 0) != child)
				die("waitpid");
			printf("reaped\n");
			fflush(stdout);
		}
	}
}
