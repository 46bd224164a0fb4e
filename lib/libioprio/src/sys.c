/* SPDX-License-Identifier: MIT */
/* The only place that makes the ioprio system calls. */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"
#include "sysnr.h"

/* -errno after a failed call; never 0, so a failure cannot read as success. */
static int neg_errno(void)
{
	return errno > 0 ? -errno : -EIO;
}

int iopriv_sys_get(int which, int who)
{
	long r = syscall(IOP_NR_GET, which, who);

	return r < 0 ? neg_errno() : (int)r;
}

int iopriv_sys_set(int which, int who, int value)
{
	long r = syscall(IOP_NR_SET, which, who, value);

	return r < 0 ? neg_errno() : 0;
}

int iopriv_sys_getscheduler(int tid)
{
	long r = syscall(SYS_sched_getscheduler, tid);
	return r < 0 ? neg_errno() : (int)r;
}

void iopriv_sys_numbers(long *nr_set, long *nr_get, const char **source)
{
	*nr_set = IOP_NR_SET;
	*nr_get = IOP_NR_GET;
	*source = IOP_NR_SOURCE;
}
