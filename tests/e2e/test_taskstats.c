/* SPDX-License-Identifier: MIT */
/* The taskstats listener (lib/iopcli/taskstats.c) on the real kernel,
 * against children this test starts: one record per exiting thread, with
 * that thread's own counters rounded down to KiB, its ids and name, an age
 * that matches its start time in /proc, and the last thread marked.  Needs
 * root (CAP_NET_ADMIN) and the initial pid namespace: skips otherwise. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "iopcli/proc.h"
#include "iopcli/taskstats.h"

static struct ts_listener ts;

static int setup(void **state)
{
	(void)state;
	int r = ts_open(&ts, 1 << 22);
	if (r == -EPERM || r == -EINVAL || r == -ENOENT || r == -EPROTONOSUPPORT) {
		print_message("skip: no exit notifications here (%s)\n", strerror(-r));
		exit(77);
	}
	return r;
}

static int teardown(void **state)
{
	(void)state;
	ts_close(&ts);
	return 0;
}

/* The records of our children, kept as they come (the whole machine's
 * exits arrive too). */
struct want {
	pid_t tgid;
	struct ts_record got[4];
	size_t n;
};

static int keep(void *ctx, const struct ts_record *r)
{
	struct want *w = ctx;
	if (r->tgid == w->tgid && w->n < 4)
		w->got[w->n++] = *r;
	return 0;
}

static double boottime(void)
{
	struct timespec t;
	clock_gettime(CLOCK_BOOTTIME, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Drains until n records of tgid are in w (at most 10 s), and checks that
 * exactly n came; the boot time at the last read. */
static double wait_for(struct want *w, pid_t tgid, size_t n)
{
	double t = 0;
	*w = (struct want){ .tgid = tgid };
	for (int i = 0; i < 1000 && w->n < n; i++) {
		struct pollfd p = { .fd = ts.fd, .events = POLLIN };
		poll(&p, 1, 10);
		assert_int_equal(ts_drain(&ts, keep, w), 0);
		t = boottime();
	}
	assert_int_equal(w->n, n);
	return t;
}

/* A pipe the children write into without blocking (64 KiB). */
static void open_pipe(int fd[2])
{
	assert_int_equal(pipe(fd), 0);
	fcntl(fd[1], F_SETPIPE_SZ, 65536);
}

/* Reaps the child pid, which must have exited with 0. */
static void reap_ok(pid_t pid)
{
	int status;
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static unsigned long long start_ticks(pid_t pid)
{
	struct proc_root root;
	struct proc_stat st;
	assert_int_equal(proc_root_open(&root, "/proc"), 0);
	assert_int_equal(proc_read_stat(&root, pid, 0, &st, NULL), 0);
	proc_root_close(&root);
	return st.start;
}

static char name[16];

/* In a child: writes n bytes of buf to fd, or exits with status code. */
static void put_or_exit(int fd, const void *buf, size_t n, int code)
{
	if (write(fd, buf, n) != (ssize_t)n)
		_exit(code);
}

/* The child: waits for a byte on 'go', reads 4096 bytes of /dev/zero and
 * writes 8704 bytes to 'out', then exits.  rchar 4097, wchar 8704. */
static void child_io(int go, int out)
{
	static char buf[8704];
	char c;
	if (read(go, &c, 1) != 1)
		_exit(2);
	int z = open("/dev/zero", O_RDONLY);
	if (z < 0 || read(z, buf, 4096) != 4096)
		_exit(3);
	close(z);
	put_or_exit(out, buf, sizeof(buf), 4);
}

static void one_process(void **state)
{
	int go[2], out[2];
	(void)state;
	snprintf(name, sizeof(name), "tsx%d", getpid() % 100000);
	assert_int_equal(pipe(go), 0);
	open_pipe(out);
	pid_t pid = fork();
	if (pid == 0) {
		prctl(PR_SET_NAME, name);
		child_io(go[0], out[1]);
		_exit(0);
	}
	assert_true(pid > 0);
	unsigned long long start = start_ticks(pid);
	assert_int_equal(write(go[1], "x", 1), 1);
	reap_ok(pid);

	struct want w;
	double read_at = wait_for(&w, pid, 1);
	const struct ts_record *r = &w.got[0];
	assert_int_equal(r->tid, pid);
	assert_int_equal(r->ppid, getpid());
	assert_int_equal(r->uid, getuid());
	assert_string_equal(r->comm, name);
	assert_true(r->version >= 12);
	/* rounded down to KiB: 4097 and 8704 in /proc are 4096 and 8192 here */
	assert_int_equal(r->io[IO_RCHAR], 4096);
	assert_int_equal(r->io[IO_WCHAR], 8192);
	assert_int_equal(r->io[IO_SYSCR], 0); /* 2 calls: rounded to 1024s */
	assert_int_equal(r->io[IO_SYSCW], 0);
	assert_true(r->group_end == false);
	assert_int_equal(r->etime_us, r->tgetime_us);
	/* its start: the read time less its age, no earlier than the start tick
	 * (nothing else ran long: a second of slack for a loaded machine) */
	double est = read_at - (double)r->etime_us / 1e6;
	double tick = 1.0 / (double)proc_clock_ticks();
	assert_true(est >= (double)start * tick - tick);
	assert_true(est <= (double)start * tick + 1.0);
	close(go[0]), close(go[1]), close(out[0]), close(out[1]);
}

static void *thread_io(void *arg)
{
	int fd = *(int *)arg;
	static char buf[3072];
	put_or_exit(fd, buf, sizeof(buf), 5);
	return NULL;
}

/* A second thread's record holds its own counters, the main thread's only
 * its own, and the last one is marked as the process's end. */
static void per_thread(void **state)
{
	int out[2];
	(void)state;
	open_pipe(out);
	pid_t pid = fork();
	if (pid == 0) {
		pthread_t t;
		if (pthread_create(&t, NULL, thread_io, &out[1]) || pthread_join(t, NULL))
			_exit(6);
		static char buf[1024];
		put_or_exit(out[1], buf, sizeof(buf), 7);
		_exit(0);
	}
	reap_ok(pid);
	struct want w;
	wait_for(&w, pid, 2);
	const struct ts_record *thr = w.got[0].tid != pid ? &w.got[0] : &w.got[1];
	const struct ts_record *main = thr == &w.got[0] ? &w.got[1] : &w.got[0];
	assert_int_not_equal(thr->tid, pid);
	assert_int_equal(thr->tgid, pid);
	assert_int_equal(main->tid, pid);
	assert_int_equal(thr->io[IO_WCHAR], 3072);
	assert_int_equal(main->io[IO_WCHAR], 1024);
	assert_false(thr->group_end);
	assert_true(main->group_end);
	assert_true(thr->tgetime_us >= thr->etime_us);
	close(out[0]), close(out[1]);
}

/* A process that reaped a child: its own record does not hold the child's
 * I/O (the kernel adds that to the reaper's /proc counters only). */
static void reaped_child_not_in_record(void **state)
{
	int out[2];
	(void)state;
	open_pipe(out);
	pid_t pid = fork();
	if (pid == 0) {
		static char buf[8192];
		pid_t g = fork();
		if (g == 0) {
			put_or_exit(out[1], buf, sizeof(buf), 8);
			_exit(0);
		}
		if (g < 0 || waitpid(g, NULL, 0) != g)
			_exit(9);
		put_or_exit(out[1], buf, 2048, 10);
		_exit(0);
	}
	reap_ok(pid);
	struct want w;
	wait_for(&w, pid, 1);
	assert_int_equal(w.got[0].io[IO_WCHAR], 2048);
	close(out[0]), close(out[1]);
}

/* Losses are counted: nothing read while 3,000 children exit overflows a
 * small buffer, and the drops count what the buffer could not take. */
static void losses_counted(void **state)
{
	struct ts_listener small;
	(void)state;
	assert_int_equal(ts_open(&small, 4096), 0);
	unsigned before = ts_drops(&small);
	for (int i = 0; i < 3000; i++) {
		pid_t p = fork();
		if (p == 0)
			_exit(0);
		assert_true(p > 0);
		assert_int_equal(waitpid(p, NULL, 0), p);
	}
	size_t n = 0;
	struct want w = { .tgid = -1 };
	assert_int_equal(ts_drain(&small, keep, &w), 0);
	n = small.received;
	unsigned lost = ts_drops(&small) - before;
	assert_true(lost > 0);
	assert_true(n + lost >= 3000);
	ts_close(&small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_process),
		cmocka_unit_test(per_thread),
		cmocka_unit_test(reaped_child_not_in_record),
		cmocka_unit_test(losses_counted),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
