/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the libioprio functions that make system calls.  The shim
 * (iopriv_sys_get/set) and the libc calls used for the effective priority are
 * replaced with -Wl,--wrap: a call the test did not queue a result for fails
 * the test, so "no system call was made" is checked too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <cmocka.h>

#include <libioprio.h>
#include "internal.h"

#ifndef SCHED_IDLE
#define SCHED_IDLE 5
#endif

/* getpriority()'s first parameter: glibc's own type, an int elsewhere (musl) */
#ifdef __GLIBC__
typedef __priority_which_t prio_which_t;
#else
typedef int prio_which_t;
#endif

int __wrap_iopriv_sys_get(int which, int who);
int __wrap_iopriv_sys_set(int which, int who, int value);
int __wrap_getpriority(prio_which_t which, id_t who);
int __wrap_iopriv_sys_getscheduler(int tid);

int __wrap_iopriv_sys_get(int which, int who)
{
	check_expected(which);
	check_expected(who);
	return mock_type(int);
}

int __wrap_iopriv_sys_set(int which, int who, int value)
{
	check_expected(which);
	check_expected(who);
	check_expected(value);
	return mock_type(int);
}

/* Each returns its queued result and sets errno to the queued errno. */
int __wrap_getpriority(prio_which_t which, id_t who)
{
	int ret;

	check_expected(which);
	check_expected(who);
	ret = mock_type(int);
	errno = mock_type(int);
	return ret;
}

/* the shim returns -errno itself */
int __wrap_iopriv_sys_getscheduler(int tid)
{
	int ret, err;

	check_expected(tid);
	ret = mock_type(int);
	err = mock_type(int);
	return ret < 0 ? -err : ret;
}

static void expect_get(int which, int who, int ret)
{
	expect_value(__wrap_iopriv_sys_get, which, which);
	expect_value(__wrap_iopriv_sys_get, who, who);
	will_return(__wrap_iopriv_sys_get, ret);
}

static void expect_set(int which, int who, int value, int ret)
{
	expect_value(__wrap_iopriv_sys_set, which, which);
	expect_value(__wrap_iopriv_sys_set, who, who);
	expect_value(__wrap_iopriv_sys_set, value, value);
	will_return(__wrap_iopriv_sys_set, ret);
}

static void expect_nice(id_t tid, int ret, int err)
{
	expect_value(__wrap_getpriority, which, PRIO_PROCESS);
	expect_value(__wrap_getpriority, who, tid);
	will_return(__wrap_getpriority, ret);
	will_return(__wrap_getpriority, err);
}

static void expect_policy(pid_t tid, int ret, int err)
{
	expect_value(__wrap_iopriv_sys_getscheduler, tid, tid);
	will_return(__wrap_iopriv_sys_getscheduler, ret);
	will_return(__wrap_iopriv_sys_getscheduler, err);
}

static void get_passes_through(void **state)
{
	(void)state;
	expect_get(IOP_WHO_PROCESS, 1234, 0x4004);
	assert_int_equal(iop_get(IOP_WHO_PROCESS, 1234), 0x4004);
	expect_get(IOP_WHO_PGRP, 0, 0x6000);
	assert_int_equal(iop_get(IOP_WHO_PGRP, 0), 0x6000);
	expect_get(IOP_WHO_USER, 65534, 0);
	assert_int_equal(iop_get(IOP_WHO_USER, 65534), 0);
	/* uids above INT_MAX travel as negative ints, as the kernel expects */
	expect_get(IOP_WHO_USER, -5, 0x4004);
	assert_int_equal(iop_get(IOP_WHO_USER, -5), 0x4004);
}

static void get_errors(void **state)
{
	static const int errs[] = { -ESRCH, -EPERM, -EINVAL, -ENOSYS };
	(void)state;
	for (size_t i = 0; i < sizeof(errs) / sizeof(*errs); i++) {
		expect_get(IOP_WHO_PROCESS, 42, errs[i]);
		assert_int_equal(iop_get(IOP_WHO_PROCESS, 42), errs[i]);
	}
	/* a bad 'which' never reaches the kernel (no mock queued) */
	assert_int_equal(iop_get(0, 1), -EINVAL);
	assert_int_equal(iop_get(4, 1), -EINVAL);
	assert_int_equal(iop_get(-1, 1), -EINVAL);
	assert_int_equal(iop_get(INT_MAX, 1), -EINVAL);
}

static void set_passes_through(void **state)
{
	(void)state;
	for (int which = IOP_WHO_PROCESS; which <= IOP_WHO_USER; which++) {
		expect_set(which, 77, 0x6000, 0);
		assert_int_equal(iop_set(which, 77, 0x6000), 0);
	}
	expect_set(IOP_WHO_PROCESS, 0, 0x4000 | 7 << 3 | 3, 0);
	assert_int_equal(iop_set(IOP_WHO_PROCESS, 0, 0x4000 | 7 << 3 | 3), 0);
	expect_set(IOP_WHO_PROCESS, 5, 0, 0);
	assert_int_equal(iop_set(IOP_WHO_PROCESS, 5, 0), 0);
}

static void set_errors(void **state)
{
	static const int bad_values[] = { -1, 1, 7, 0x8000, 1 << 16, 0x10000 | 0x4004,
					  INT_MAX, INT_MIN };
	(void)state;
	expect_set(IOP_WHO_PROCESS, 9, 0x2000, -EPERM);
	assert_int_equal(iop_set(IOP_WHO_PROCESS, 9, 0x2000), -EPERM);
	expect_set(IOP_WHO_PGRP, 9, 0x4004, -ESRCH);
	assert_int_equal(iop_set(IOP_WHO_PGRP, 9, 0x4004), -ESRCH);
	expect_set(IOP_WHO_PROCESS, 9, 0x4000 | 1 << 3, -EINVAL); /* old kernel: no hints */
	assert_int_equal(iop_set(IOP_WHO_PROCESS, 9, 0x4000 | 1 << 3), -EINVAL);
	/* nothing out of range reaches the kernel, which would wrap it */
	for (size_t i = 0; i < sizeof(bad_values) / sizeof(*bad_values); i++)
		assert_int_equal(iop_set(IOP_WHO_PROCESS, 9, bad_values[i]), -EINVAL);
	assert_int_equal(iop_set(0, 9, 0x4004), -EINVAL);
	assert_int_equal(iop_set(4, 9, 0x4004), -EINVAL);
}

static void effective_of_set_class_makes_one_call(void **state)
{
	int set = -1;
	(void)state;
	/* no getpriority / sched_getscheduler queued: they must not be called */
	expect_get(IOP_WHO_PROCESS, 300, 0x2003);
	assert_int_equal(iop_effective(300, &set), 0x2003);
	assert_int_equal(set, 0x2003);
	expect_get(IOP_WHO_PROCESS, 300, 0x6000);
	assert_int_equal(iop_effective(300, NULL), 0x6000);
	expect_get(IOP_WHO_PROCESS, 300, 0x4000 | 2 << 3 | 6);
	assert_int_equal(iop_effective(300, NULL), 0x4000 | 2 << 3 | 6);
}

static void effective_of_class_none(void **state)
{
	int set = -1;
	(void)state;
	for (int nice = -20; nice <= 19; nice++) {
		expect_get(IOP_WHO_PROCESS, 301, 0);
		expect_nice(301, nice, 0);
		expect_policy(301, SCHED_OTHER, 0);
		assert_int_equal(iop_effective(301, &set), 0x4000 | iop_nice_to_level(nice));
		assert_int_equal(set, 0);
	}
	/* nice -1 comes back as -1 with errno 0: a valid value, not an error */
	expect_get(IOP_WHO_PROCESS, 302, 0);
	expect_nice(302, -1, 0);
	expect_policy(302, SCHED_BATCH, 0);
	assert_int_equal(iop_effective(302, NULL), 0x4003);

	expect_get(IOP_WHO_PROCESS, 303, 0);
	expect_nice(303, 19, 0);
	expect_policy(303, SCHED_IDLE, 0);
	assert_int_equal(iop_effective(303, NULL), 0x6007);

	expect_get(IOP_WHO_PROCESS, 304, 0);
	expect_nice(304, -20, 0);
	expect_policy(304, SCHED_RR | 0x40000000, 0);
	assert_int_equal(iop_effective(304, NULL), 0x2000);

	/* tid 0: the calling thread, passed on as 0 */
	expect_get(IOP_WHO_PROCESS, 0, 0);
	expect_nice(0, 5, 0);
	expect_policy(0, SCHED_FIFO, 0);
	assert_int_equal(iop_effective(0, NULL), 0x2005);
}

static void effective_errors(void **state)
{
	int set = -7;
	(void)state;
	expect_get(IOP_WHO_PROCESS, 400, -ESRCH);
	assert_int_equal(iop_effective(400, &set), -ESRCH);
	assert_int_equal(set, -7); /* untouched */

	expect_get(IOP_WHO_PROCESS, 401, -EPERM);
	assert_int_equal(iop_effective(401, NULL), -EPERM);

	/* the task exits between the calls */
	expect_get(IOP_WHO_PROCESS, 402, 0);
	expect_nice(402, -1, ESRCH);
	assert_int_equal(iop_effective(402, NULL), -ESRCH);

	expect_get(IOP_WHO_PROCESS, 403, 0);
	expect_nice(403, 0, 0);
	expect_policy(403, -1, ESRCH);
	assert_int_equal(iop_effective(403, NULL), -ESRCH);

	/* the policy shim's error is passed through as it is */
	expect_get(IOP_WHO_PROCESS, 404, 0);
	expect_nice(404, 0, 0);
	expect_policy(404, -1, EIO);
	assert_int_equal(iop_effective(404, NULL), -EIO);

	/* a value the kernel should never return is not passed off as valid */
	expect_get(IOP_WHO_PROCESS, 405, 0x8000);
	assert_int_equal(iop_effective(405, NULL), -EINVAL);
}

static void task_get_hands_back_its_inputs(void **state)
{
	struct iop_task t;
	(void)state;
	/* class none: effective from nice and policy, both handed back */
	expect_get(IOP_WHO_PROCESS, 500, 0);
	expect_nice(500, 7, 0);
	expect_policy(500, SCHED_BATCH, 0);
	assert_int_equal(iop_task_get(500, &t), 0);
	assert_int_equal(t.value, 0);
	assert_int_equal(t.effective, 0x4000 | iop_nice_to_level(7));
	assert_int_equal(t.nice, 7);
	assert_int_equal(t.policy, SCHED_BATCH);
	/* a set class is the effective one; nice and policy are still read */
	expect_get(IOP_WHO_PROCESS, 501, 0x6000);
	expect_nice(501, -1, 0); /* -1 with errno 0 is a nice value */
	expect_policy(501, SCHED_IDLE, 0);
	assert_int_equal(iop_task_get(501, &t), 0);
	assert_int_equal(t.value, 0x6000);
	assert_int_equal(t.effective, 0x6000);
	assert_int_equal(t.nice, -1);
	assert_int_equal(t.policy, SCHED_IDLE);
	/* SCHED_RESET_ON_FORK is handed back as the kernel gave it */
	expect_get(IOP_WHO_PROCESS, 0, 0);
	expect_nice(0, 0, 0);
	expect_policy(0, SCHED_FIFO | 0x40000000, 0);
	assert_int_equal(iop_task_get(0, &t), 0);
	assert_int_equal(t.effective, 0x2004);
	assert_int_equal(t.policy, SCHED_FIFO | 0x40000000);
}

static void task_get_errors(void **state)
{
	struct iop_task t = { -7, -7, -7, -7 };
	(void)state;
	expect_get(IOP_WHO_PROCESS, 600, -ESRCH);
	assert_int_equal(iop_task_get(600, &t), -ESRCH);
	expect_get(IOP_WHO_PROCESS, 601, 0);
	expect_nice(601, -1, ESRCH); /* gone between the calls */
	assert_int_equal(iop_task_get(601, &t), -ESRCH);
	expect_get(IOP_WHO_PROCESS, 602, 0x4000);
	expect_nice(602, 0, 0);
	expect_policy(602, -1, EPERM);
	assert_int_equal(iop_task_get(602, &t), -EPERM);
	expect_get(IOP_WHO_PROCESS, 603, 0x8000); /* never from a kernel */
	assert_int_equal(iop_task_get(603, &t), -EINVAL);
	assert_int_equal(t.value, -7); /* nothing stored on failure */
	assert_int_equal(t.effective, -7);
	assert_int_equal(iop_task_get(604, NULL), -EINVAL); /* no call made */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(get_passes_through),
		cmocka_unit_test(get_errors),
		cmocka_unit_test(set_passes_through),
		cmocka_unit_test(set_errors),
		cmocka_unit_test(effective_of_set_class_makes_one_call),
		cmocka_unit_test(effective_of_class_none),
		cmocka_unit_test(effective_errors),
		cmocka_unit_test(task_get_hands_back_its_inputs),
		cmocka_unit_test(task_get_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
