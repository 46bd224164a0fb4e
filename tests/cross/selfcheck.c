/* SPDX-License-Identifier: MIT */
/*
 * Architecture self-check for libioprio, built for the host and cross-built
 * for other architectures (run there under qemu-user).  It proves that the
 * system call numbers compiled into the library are the kernel's for that
 * architecture, and round-trips real ioprio_set/ioprio_get calls on itself.
 *
 * Built with IOP_FORCE_ARCH_TABLE, the library uses its own per-architecture
 * table instead of libc's SYS_ioprio_*, so the table is checked as well.
 *
 * Exit status: 0 all passed, 1 any failed.
 */
#define _GNU_SOURCE
#include <asm/unistd.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <libioprio.h>
#include "internal.h"

#if defined(__x86_64__) && defined(__ILP32__)
#define ARCH "x32"
#elif defined(__x86_64__)
#define ARCH "x86_64"
#elif defined(__i386__)
#define ARCH "i386"
#elif defined(__powerpc64__)
#define ARCH "ppc64"
#elif defined(__powerpc__)
#define ARCH "ppc"
#elif defined(__aarch64__)
#define ARCH "aarch64"
#elif defined(__arm__)
#define ARCH "arm"
#else
#define ARCH "other"
#endif

static int passed, failed;

static void check(int ok, const char *what, long got, long want)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		printf("FAIL %s: got %ld, want %ld\n", what, got, want);
	}
}

#define CHECK_EQ(what, got, want) check((long)(got) == (long)(want), what, (long)(got), (long)(want))

int main(void)
{
	long nr_set, nr_get;
	const char *source;
	char what[96];

	iopriv_sys_numbers(&nr_set, &nr_get, &source);
	printf("selfcheck %s: numbers from %s: ioprio_set=%ld ioprio_get=%ld\n", ARCH, source,
	       nr_set, nr_get);
	CHECK_EQ("ioprio_set number vs __NR_ioprio_set", nr_set, __NR_ioprio_set);
	CHECK_EQ("ioprio_get number vs __NR_ioprio_get", nr_get, __NR_ioprio_get);
	CHECK_EQ("ioprio_set number vs SYS_ioprio_set", nr_set, SYS_ioprio_set);
	CHECK_EQ("ioprio_get number vs SYS_ioprio_get", nr_get, SYS_ioprio_get);

	/* Real round trips on this very thread: idle, every best-effort level,
	 * every realtime level when privileged, then back to none. */
	int rt_ok = iop_set(IOP_WHO_PROCESS, 0, iop_encode(IOP_CLASS_RT, 0, 0)) == 0;
	for (int cls = IOP_CLASS_RT; cls <= IOP_CLASS_IDLE; cls++) {
		if (cls == IOP_CLASS_RT && !rt_ok) {
			printf("skip realtime round trips: not privileged\n");
			continue;
		}
		for (int level = 0; level <= IOP_LEVEL_MAX; level++) {
			int v = iop_encode(cls, level, 0);
			snprintf(what, sizeof(what), "set %s/%d", iop_class_abbrev(cls), level);
			CHECK_EQ(what, iop_set(IOP_WHO_PROCESS, 0, v), 0);
			snprintf(what, sizeof(what), "get after set %s/%d", iop_class_abbrev(cls),
				 level);
			CHECK_EQ(what, iop_get(IOP_WHO_PROCESS, 0), v);
			CHECK_EQ("get by own tid", iop_get(IOP_WHO_PROCESS, (int)getpid()), v);
		}
	}
	CHECK_EQ("set none", iop_set(IOP_WHO_PROCESS, 0, 0), 0);
	CHECK_EQ("get none", iop_get(IOP_WHO_PROCESS, 0), 0);

	/* class none: effective level from nice (raise nice only: no privilege) */
	errno = 0;
	int nice = getpriority(PRIO_PROCESS, 0);
	CHECK_EQ("effective of none", iop_effective(0, NULL),
		 iop_encode(IOP_CLASS_BE, iop_nice_to_level(nice), 0));
	if (setpriority(PRIO_PROCESS, 0, 17) == 0)
		CHECK_EQ("effective of none at nice 17", iop_effective(0, NULL), 0x4007);

	/* errors come back as -errno */
	CHECK_EQ("no such task", iop_get(IOP_WHO_PROCESS, 0x3ffffff0), -ESRCH);
	CHECK_EQ("out of range value refused", iop_set(IOP_WHO_PROCESS, 0, 1 << 16), -EINVAL);

	printf("selfcheck %s (%s numbers): %d passed, %d failed\n", ARCH, source, passed, failed);
	return failed ? 1 : 0;
}
