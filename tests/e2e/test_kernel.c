/* SPDX-License-Identifier: MIT */
/*
 * End-to-end tests of libioprio on the real kernel, through the shared
 * library.  Priorities are changed only on processes this test started: its
 * own children, each in a session of its own (so PGRP acts on them alone),
 * or children switched to a uid no process and no account uses.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <libioprio.h>

#ifndef SCHED_IDLE
#define SCHED_IDLE 5
#endif

static int is_root(void)
{
	return geteuid() == 0;
}

/* Is the running kernel at least major.minor? */
static int kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (uname(&u) != 0 || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return 0;
	return ma > major || (ma == major && mi >= minor);
}

struct child {
	pid_t pid;
	pid_t grandchild; /* 0 unless asked for */
};

/* In a new child: die with the parent, and hold none of its output pipes,
 * so a failed assertion (which skips the cleanup) leaves nothing behind. */
static void detach_child(pid_t parent)
{
	int null = open("/dev/null", O_RDWR);

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent || null < 0)
		_exit(105);
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	if (null > 2)
		close(null);
}

/* Starts a child in a session of its own that waits until killed.  With
 * 'grandchild', the child first forks one more waiter in its process group.
 * With uid >= 0, the child switches to that uid (and gid) first.  Returns
 * when the child (and grandchild) are in place. */
static struct child spawn(int grandchild, long uid)
{
	struct child c = { 0, 0 };
	int fds[2];

	pid_t self = getpid();
	assert_int_equal(pipe(fds), 0);
	c.pid = fork();
	assert_true(c.pid >= 0);
	if (c.pid == 0) {
		pid_t g = 0, me = getpid();

		close(fds[0]);
		detach_child(self);
		if (setsid() < 0)
			_exit(101);
		if (uid >= 0 && (setgroups(0, NULL) || setgid((gid_t)uid) || setuid((uid_t)uid)))
			_exit(102);
		if (grandchild) {
			g = fork();
			if (g < 0)
				_exit(103);
			if (g == 0) {
				close(fds[1]);
				detach_child(me);
				for (;;)
					pause();
			}
		}
		if (write(fds[1], &g, sizeof(g)) != (ssize_t)sizeof(g))
			_exit(104);
		close(fds[1]);
		for (;;)
			pause();
	}
	close(fds[1]);
	pid_t g = -1;
	assert_int_equal(read(fds[0], &g, sizeof(g)), (ssize_t)sizeof(g));
	close(fds[0]);
	c.grandchild = g;
	return c;
}

static void end(struct child *c)
{
	if (c->grandchild > 0) {
		kill(c->grandchild, SIGKILL);
		waitpid(c->grandchild, NULL, 0); /* we are its subreaper */
	}
	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0);
	}
	c->pid = c->grandchild = 0;
}

static void set_get_every_class_and_level(void **state)
{
	struct child c = spawn(0, -1);
	(void)state;

	assert_int_equal(iop_get(IOP_WHO_PROCESS, c.pid), 0); /* new tasks: none */
	for (int cls = IOP_CLASS_RT; cls <= IOP_CLASS_IDLE; cls++) {
		if (cls == IOP_CLASS_RT && !is_root()) {
			print_message("skip realtime: needs CAP_SYS_ADMIN or CAP_SYS_NICE (not root)\n");
			continue;
		}
		for (int level = 0; level <= IOP_LEVEL_MAX; level++) {
			int v = iop_encode(cls, level, 0);
			assert_int_equal(iop_set(IOP_WHO_PROCESS, c.pid, v), 0);
			assert_int_equal(iop_get(IOP_WHO_PROCESS, c.pid), v);
		}
	}
	assert_int_equal(iop_set(IOP_WHO_PROCESS, c.pid, 0), 0);
	assert_int_equal(iop_get(IOP_WHO_PROCESS, c.pid), 0);
	end(&c);
}

static void hints_round_trip(void **state)
{
	struct child c = spawn(0, -1);
	(void)state;

	int v = iop_encode(IOP_CLASS_BE, 3, IOP_HINT_DEV_DURATION_LIMIT_1);
	int r = iop_set(IOP_WHO_PROCESS, c.pid, v);
	if (r == -EINVAL && !kernel_at_least(6, 5)) {
		print_message("skip hints: kernel older than 6.5 refuses them\n");
		end(&c);
		skip();
	}
	assert_int_equal(r, 0);
	for (int h = IOP_HINT_DEV_DURATION_LIMIT_1; h <= IOP_HINT_DEV_DURATION_LIMIT_7; h++) {
		v = iop_encode(IOP_CLASS_BE, 3, h);
		assert_int_equal(iop_set(IOP_WHO_PROCESS, c.pid, v), 0);
		struct iop_prio p;
		assert_int_equal(iop_decode(iop_get(IOP_WHO_PROCESS, c.pid), &p), 0);
		assert_int_equal(p.cls, IOP_CLASS_BE);
		assert_int_equal(p.level, 3);
		assert_int_equal(p.hint, h);
	}
	end(&c);
}

/* PGRP acts on every task of the group: a child and its grandchild. */
static void process_group(void **state)
{
	struct child c = spawn(1, -1);
	(void)state;

	assert_int_equal(getpgid(c.grandchild), c.pid);
	int idle = iop_encode(IOP_CLASS_IDLE, 0, 0);
	assert_int_equal(iop_set(IOP_WHO_PGRP, c.pid, idle), 0);
	assert_int_equal(iop_get(IOP_WHO_PROCESS, c.pid), idle);
	assert_int_equal(iop_get(IOP_WHO_PROCESS, c.grandchild), idle);
	assert_int_equal(iop_get(IOP_WHO_PGRP, c.pid), idle);

	/* the group reports its highest priority: best-effort 2 beats idle */
	int be2 = iop_encode(IOP_CLASS_BE, 2, 0);
	assert_int_equal(iop_set(IOP_WHO_PROCESS, c.grandchild, be2), 0);
	assert_int_equal(iop_get(IOP_WHO_PGRP, c.pid), be2);
	assert_int_equal(iop_get(IOP_WHO_PROCESS, c.pid), idle);
	end(&c);
}

/* sched_setscheduler() of one task, from the kernel: musl's libc function
 * always fails with ENOSYS. */
static int set_policy(pid_t pid, int policy, const struct sched_param *sp)
{
	return (int)syscall(SYS_sched_setscheduler, pid, policy, sp);
}

/* iop_task_get() of pid: the effective value want, computed from the set
 * value, nice and policy the kernel really has. */
static void check_task(pid_t pid, int value, int want, int nice, int policy)
{
	struct iop_task t;

	assert_int_equal(iop_task_get(pid, &t), 0);
	assert_int_equal(t.value, value);
	assert_int_equal(t.effective, want);
	assert_int_equal(t.nice, nice);
	assert_int_equal(getpriority(PRIO_PROCESS, (id_t)pid), nice);
	assert_int_equal(t.policy, policy);
	assert_int_equal(t.policy, (int)syscall(SYS_sched_getscheduler, pid));
}

/* The effective priority, checked against the kernel itself: since Linux
 * 6.0 ioprio_get(PGRP) reports the effective priority of the group's tasks,
 * so for a child alone in its group it is an oracle. */
static void effective_matches_kernel(void **state)
{
	static const int nices[] = { 0, 1, 4, 5, 9, 10, 14, 15, 19 }; /* only raised */
	struct child c = spawn(0, -1);
	int oracle = kernel_at_least(6, 0);
	int set = -1;
	(void)state;

	if (!oracle)
		print_message("kernel older than 6.0: effective checked by formula only\n");
	for (size_t i = 0; i < sizeof(nices) / sizeof(*nices); i++) {
		assert_int_equal(setpriority(PRIO_PROCESS, (id_t)c.pid, nices[i]), 0);
		int want = iop_encode(IOP_CLASS_BE, iop_nice_to_level(nices[i]), 0);
		assert_int_equal(iop_effective(c.pid, &set), want);
		assert_int_equal(set, 0);
		check_task(c.pid, 0, want, nices[i], SCHED_OTHER);
		if (oracle)
			assert_int_equal(iop_get(IOP_WHO_PGRP, c.pid), want);
	}
	if (is_root()) { /* lowering nice needs privilege */
		for (int nice = -20; nice <= 19; nice++) {
			assert_int_equal(setpriority(PRIO_PROCESS, (id_t)c.pid, nice), 0);
			int want = iop_encode(IOP_CLASS_BE, iop_nice_to_level(nice), 0);
			assert_int_equal(iop_effective(c.pid, NULL), want);
			check_task(c.pid, 0, want, nice, SCHED_OTHER);
			if (oracle)
				assert_int_equal(iop_get(IOP_WHO_PGRP, c.pid), want);
		}
	}

	/* SCHED_IDLE: the idle class, level still from nice */
	struct sched_param sp = { .sched_priority = 0 };
	assert_int_equal(setpriority(PRIO_PROCESS, (id_t)c.pid, 19), 0);
	assert_int_equal(set_policy(c.pid, SCHED_IDLE, &sp), 0);
	assert_int_equal(iop_effective(c.pid, NULL), iop_encode(IOP_CLASS_IDLE, 7, 0));
	check_task(c.pid, 0, iop_encode(IOP_CLASS_IDLE, 7, 0), 19, SCHED_IDLE);
	if (oracle)
		assert_int_equal(iop_get(IOP_WHO_PGRP, c.pid), iop_encode(IOP_CLASS_IDLE, 7, 0));

	/* a class that is set wins over nice and policy */
	int be1 = iop_encode(IOP_CLASS_BE, 1, 0);
	assert_int_equal(iop_set(IOP_WHO_PROCESS, c.pid, be1), 0);
	assert_int_equal(iop_effective(c.pid, &set), be1);
	assert_int_equal(set, be1);
	check_task(c.pid, be1, be1, 19, SCHED_IDLE);
	end(&c);

	if (!is_root()) {
		print_message("skip SCHED_FIFO/SCHED_RR: needs privilege (not root)\n");
		return;
	}
	int policies[] = { SCHED_FIFO, SCHED_RR };
	for (int i = 0; i < 2; i++) {
		c = spawn(0, -1);
		sp.sched_priority = 1;
		assert_int_equal(setpriority(PRIO_PROCESS, (id_t)c.pid, 7), 0);
		assert_int_equal(set_policy(c.pid, policies[i], &sp), 0);
		int want = iop_encode(IOP_CLASS_RT, iop_nice_to_level(7), 0);
		assert_int_equal(iop_effective(c.pid, NULL), want);
		check_task(c.pid, 0, want, 7, policies[i]);
		if (oracle)
			assert_int_equal(iop_get(IOP_WHO_PGRP, c.pid), want);
		end(&c);
	}
}

/* IOPRIO_WHO_PROCESS acts on one thread, not on the whole process. */
static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
static pid_t thread_tid;
static void *waiter(void *arg)
{
	(void)arg;
	thread_tid = gettid();
	pthread_mutex_lock(&gate); /* held by the test until it is done */
	pthread_mutex_unlock(&gate);
	return NULL;
}

static void one_thread_only(void **state)
{
	pthread_t t;
	(void)state;

	assert_int_equal(iop_set(IOP_WHO_PROCESS, 0, 0), 0);
	pthread_mutex_lock(&gate);
	assert_int_equal(pthread_create(&t, NULL, waiter, NULL), 0);
	while (__atomic_load_n(&thread_tid, __ATOMIC_SEQ_CST) == 0)
		sched_yield();
	int idle5 = iop_encode(IOP_CLASS_IDLE, 5, 0);
	assert_int_equal(iop_set(IOP_WHO_PROCESS, thread_tid, idle5), 0);
	assert_int_equal(iop_get(IOP_WHO_PROCESS, thread_tid), idle5);
	assert_int_equal(iop_get(IOP_WHO_PROCESS, 0), 0);          /* this thread */
	assert_int_equal(iop_get(IOP_WHO_PROCESS, getpid()), 0);   /* main thread */
	pthread_mutex_unlock(&gate);
	assert_int_equal(pthread_join(t, NULL), 0);
}

/* Takes the lock on a uid that tests/lib.sh takes too (a directory naming
 * the owner's pid; an owner that is gone loses it), so two test runs at once
 * never share a uid.  Released at exit.  1 if taken. */
static char uid_lock[64];

static void release_uid(void)
{
	char owner[80];

	snprintf(owner, sizeof(owner), "%s/owner", uid_lock);
	unlink(owner);
	rmdir(uid_lock);
}

static int reserve_uid(long uid)
{
	char owner[80];
	FILE *f;

	if (uid_lock[0]) /* one uid per run is enough: give the last one back */
		release_uid();
	snprintf(uid_lock, sizeof(uid_lock), "/tmp/ioprio-test-uid.%ld", uid);
	snprintf(owner, sizeof(owner), "%s/owner", uid_lock);
	if (mkdir(uid_lock, 0755) != 0) {
		long pid = 0;
		if ((f = fopen(owner, "r"))) {
			if (fscanf(f, "%ld", &pid) != 1)
				pid = 0;
			fclose(f);
		}
		if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM))
			return 0;
		unlink(owner);
		rmdir(uid_lock);
		if (mkdir(uid_lock, 0755) != 0)
			return 0;
	}
	if (!(f = fopen(owner, "w")))
		return 0;
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
	static int registered;
	if (!registered++)
		atexit(release_uid);
	return 1;
}

/* A uid with no account and no process, reserved for this run: safe to act
 * on as IOPRIO_WHO_USER. */
static long unused_uid(void)
{
	/* start from the pid, so that two runs at once (ctest -j) differ */
	for (long uid = 61000 + getpid() % 2000; uid < 64000; uid++) {
		char want[32], line[256];
		int used = 0;

		if (getpwuid((uid_t)uid))
			continue;
		snprintf(want, sizeof(want), "\t%ld\t", uid);
		DIR *d = opendir("/proc");
		struct dirent *e;
		while (d && !used && (e = readdir(d))) {
			char path[300];
			if (e->d_name[0] < '0' || e->d_name[0] > '9')
				continue;
			snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
			FILE *f = fopen(path, "r");
			while (f && fgets(line, sizeof(line), f))
				if (!strncmp(line, "Uid:", 4) && strstr(line, want))
					used = 1;
			if (f)
				fclose(f);
		}
		if (d)
			closedir(d);
		if (!used && reserve_uid(uid))
			return uid;
	}
	return -1;
}

static void user(void **state)
{
	(void)state;
	if (!is_root()) {
		print_message("skip IOPRIO_WHO_USER: switching children to an unused uid needs root\n");
		skip();
	}
	long uid = unused_uid();
	assert_true(uid > 0);
	struct child a = spawn(0, uid), b = spawn(0, uid);

	int be6 = iop_encode(IOP_CLASS_BE, 6, 0);
	assert_int_equal(iop_set(IOP_WHO_USER, (int)uid, be6), 0);
	assert_int_equal(iop_get(IOP_WHO_PROCESS, a.pid), be6);
	assert_int_equal(iop_get(IOP_WHO_PROCESS, b.pid), be6);
	assert_int_equal(iop_get(IOP_WHO_USER, (int)uid), be6);
	/* this process (root) was not touched */
	assert_int_equal(iop_get(IOP_WHO_PROCESS, 0), 0);
	end(&a);
	end(&b);
}

static void errors(void **state)
{
	(void)state;
	/* a task that is gone */
	struct child c = spawn(0, -1);
	pid_t gone = c.pid;
	end(&c);
	assert_int_equal(iop_get(IOP_WHO_PROCESS, gone), -ESRCH);
	assert_int_equal(iop_set(IOP_WHO_PROCESS, gone, 0x6000), -ESRCH);
	assert_int_equal(iop_effective(gone, NULL), -ESRCH);
	struct iop_task t;
	assert_int_equal(iop_task_get(gone, &t), -ESRCH);
	assert_int_equal(iop_get(IOP_WHO_PGRP, gone), -ESRCH);

	/* realtime without privilege: EPERM.  As root, a child switched to an
	 * unused uid tries it on itself and reports what it got. */
	if (!is_root()) {
		assert_int_equal(iop_set(IOP_WHO_PROCESS, 0, 0x2000), -EPERM);
		return;
	}
	long uid = unused_uid();
	assert_true(uid > 0);
	pid_t self = getpid();
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		detach_child(self);
		if (setsid() < 0 || setgroups(0, NULL) || setgid((gid_t)uid) || setuid((uid_t)uid))
			_exit(100);
		int own = iop_set(IOP_WHO_PROCESS, 0, iop_encode(IOP_CLASS_RT, 0, 0));
		int other = iop_set(IOP_WHO_PROCESS, getppid(), 0x6000); /* root's: not ours */
		int idle = iop_set(IOP_WHO_PROCESS, 0, 0x6000);          /* idle needs nothing */
		_exit(own == -EPERM && other == -EPERM && idle == 0 ? 0 : 1);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	/* grandchildren are reparented here, so the test can reap them */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(set_get_every_class_and_level),
		cmocka_unit_test(hints_round_trip),
		cmocka_unit_test(process_group),
		cmocka_unit_test(effective_matches_kernel),
		cmocka_unit_test(one_thread_only),
		cmocka_unit_test(user),
		cmocka_unit_test(errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
