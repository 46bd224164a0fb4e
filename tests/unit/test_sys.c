/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the system call shim: libc's syscall() is replaced with
 * -Wl,--wrap, so the test sees the number and arguments the library passes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <cmocka.h>

#include <libioprio.h>
#include "internal.h"

long __wrap_syscall(long number, ...);

long __wrap_syscall(long number, ...)
{
	va_list ap;
	long ret;

	check_expected(number);
	va_start(ap, number);
	int which = va_arg(ap, int);
	int who = number == SYS_sched_getscheduler ? 0 : va_arg(ap, int); /* one argument */
	check_expected(which);
	check_expected(who);
	if (number == SYS_ioprio_set) {
		int value = va_arg(ap, int);
		check_expected(value);
	}
	va_end(ap);
	ret = mock_type(long);
	errno = mock_type(int);
	return ret;
}

static void expect_syscall(long nr, int which, int who, long ret, int err)
{
	expect_value(__wrap_syscall, number, nr);
	expect_value(__wrap_syscall, which, which);
	expect_value(__wrap_syscall, who, who);
	will_return(__wrap_syscall, ret);
	will_return(__wrap_syscall, err);
}

static void get_uses_the_get_number(void **state)
{
	(void)state;
	expect_syscall(SYS_ioprio_get, IOP_WHO_PGRP, 555, 0x4004, 0);
	assert_int_equal(iopriv_sys_get(IOP_WHO_PGRP, 555), 0x4004);
	expect_syscall(SYS_ioprio_get, IOP_WHO_PROCESS, 0, 0, 0);
	assert_int_equal(iopriv_sys_get(IOP_WHO_PROCESS, 0), 0);
}

static void get_turns_errno_into_negative(void **state)
{
	(void)state;
	expect_syscall(SYS_ioprio_get, IOP_WHO_PROCESS, 9, -1, ESRCH);
	assert_int_equal(iopriv_sys_get(IOP_WHO_PROCESS, 9), -ESRCH);
	expect_syscall(SYS_ioprio_get, IOP_WHO_PROCESS, 9, -1, EPERM);
	assert_int_equal(iopriv_sys_get(IOP_WHO_PROCESS, 9), -EPERM);
	expect_syscall(SYS_ioprio_get, IOP_WHO_PROCESS, 9, -1, 0);
	assert_int_equal(iopriv_sys_get(IOP_WHO_PROCESS, 9), -EIO);
}

static void set_uses_the_set_number(void **state)
{
	(void)state;
	expect_syscall(SYS_ioprio_set, IOP_WHO_USER, 4242, 0, 0);
	expect_value(__wrap_syscall, value, 0x6000);
	assert_int_equal(iopriv_sys_set(IOP_WHO_USER, 4242, 0x6000), 0);
	expect_syscall(SYS_ioprio_set, IOP_WHO_PROCESS, 1, -1, EPERM);
	expect_value(__wrap_syscall, value, 0x2000);
	assert_int_equal(iopriv_sys_set(IOP_WHO_PROCESS, 1, 0x2000), -EPERM);
	expect_syscall(SYS_ioprio_set, IOP_WHO_PROCESS, 1, -1, 0);
	expect_value(__wrap_syscall, value, 0x2000);
	assert_int_equal(iopriv_sys_set(IOP_WHO_PROCESS, 1, 0x2000), -EIO);
}

/* The scheduling policy comes from the kernel, not from libc (musl's
 * sched_getscheduler() always fails with ENOSYS). */
static void policy_from_the_kernel(void **state)
{
	(void)state;
	expect_syscall(SYS_sched_getscheduler, 77, 0, 5, 0);
	assert_int_equal(iopriv_sys_getscheduler(77), 5);
	expect_syscall(SYS_sched_getscheduler, 78, 0, -1, ESRCH);
	assert_int_equal(iopriv_sys_getscheduler(78), -ESRCH);
	expect_syscall(SYS_sched_getscheduler, 79, 0, -1, 0);
	assert_int_equal(iopriv_sys_getscheduler(79), -EIO);
}

/* The public calls reach the shim with the right number, end to end. */
static void public_calls_reach_the_kernel_numbers(void **state)
{
	(void)state;
	expect_syscall(SYS_ioprio_set, IOP_WHO_PGRP, 31, 0, 0);
	expect_value(__wrap_syscall, value, 0x4005);
	assert_int_equal(iop_set(IOP_WHO_PGRP, 31, 0x4005), 0);
	expect_syscall(SYS_ioprio_get, IOP_WHO_PGRP, 31, 0x4005, 0);
	assert_int_equal(iop_get(IOP_WHO_PGRP, 31), 0x4005);
}

static void numbers_come_from_libc(void **state)
{
	long nr_set, nr_get;
	const char *source;
	(void)state;
	iopriv_sys_numbers(&nr_set, &nr_get, &source);
	assert_int_equal(nr_set, SYS_ioprio_set);
	assert_int_equal(nr_get, SYS_ioprio_get);
	assert_string_equal(source, "libc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(get_uses_the_get_number),
		cmocka_unit_test(get_turns_errno_into_negative),
		cmocka_unit_test(set_uses_the_set_number),
		cmocka_unit_test(public_calls_reach_the_kernel_numbers),
		cmocka_unit_test(numbers_come_from_libc),
		cmocka_unit_test(policy_from_the_kernel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
