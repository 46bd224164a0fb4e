/* SPDX-License-Identifier: MIT */
/* Private to libioprio and its tests: never installed, never exported. */
#ifndef IOP_INTERNAL_H
#define IOP_INTERNAL_H

#if defined(__GNUC__)
#define IOP_HIDDEN __attribute__((visibility("hidden")))
#else
#define IOP_HIDDEN
#endif

/* The system call shim: returns what the kernel returned, or -errno.  Kept in
 * its own object so unit tests can replace it with -Wl,--wrap. */
IOP_HIDDEN int iopriv_sys_get(int which, int who);
IOP_HIDDEN int iopriv_sys_set(int which, int who, int value);
/* sched_getscheduler() of one thread, as the kernel has it.  Not libc's:
 * musl's always fails with ENOSYS (POSIX speaks of processes, Linux keeps a
 * policy per thread). */
IOP_HIDDEN int iopriv_sys_getscheduler(int tid);

/* The numbers compiled in, and where they came from ("libc" or "table"). */
IOP_HIDDEN void iopriv_sys_numbers(long *nr_set, long *nr_get, const char **source);

#endif
