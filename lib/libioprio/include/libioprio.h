/* SPDX-License-Identifier: MIT */
/*
 * libioprio: Linux I/O scheduling priority (ioprio_get/ioprio_set) in C.
 *
 * Every function returns a value (>= 0) or a negative errno; none prints,
 * exits or touches errno on purpose.  Names are prefixed iop_/IOP_ so this
 * header can be included together with <linux/ioprio.h>.
 *
 * An I/O priority value is  class << 13 | hint << 3 | level:
 *   class  0 none, 1 realtime, 2 best-effort, 3 idle (bits 13..15)
 *   hint   0..1023, Linux 6.5+ (bits 3..12; 1..7 are the command duration
 *          limit hints)
 *   level  0..7, 0 the highest (bits 0..2)
 */
#ifndef LIBIOPRIO_H
#define LIBIOPRIO_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && !defined(IOP_STATIC_ONLY)
#define IOP_API __attribute__((visibility("default")))
#else
#define IOP_API
#endif

/* IOP_VERSION_MAJOR, _MINOR, _PATCH: generated from the CMake project's
 * version, the one place it is written. */
#include "libioprio_version.h"

/* Scheduling classes (bits 13..15 of a value). */
enum iop_class {
	IOP_CLASS_NONE = 0,
	IOP_CLASS_RT = 1,
	IOP_CLASS_BE = 2,
	IOP_CLASS_IDLE = 3
};
#define IOP_CLASS_COUNT 4

/* Whom ioprio_get/ioprio_set act on. */
enum iop_who {
	IOP_WHO_PROCESS = 1, /* one thread: a tid (0 = the calling thread) */
	IOP_WHO_PGRP = 2,    /* every task of a process group (0 = own group) */
	IOP_WHO_USER = 3     /* every task whose real uid is who */
};

/* Priority hints (bits 3..12), Linux 6.5+. */
enum iop_hint {
	IOP_HINT_NONE = 0,
	IOP_HINT_DEV_DURATION_LIMIT_1 = 1,
	IOP_HINT_DEV_DURATION_LIMIT_2 = 2,
	IOP_HINT_DEV_DURATION_LIMIT_3 = 3,
	IOP_HINT_DEV_DURATION_LIMIT_4 = 4,
	IOP_HINT_DEV_DURATION_LIMIT_5 = 5,
	IOP_HINT_DEV_DURATION_LIMIT_6 = 6,
	IOP_HINT_DEV_DURATION_LIMIT_7 = 7
};

#define IOP_CLASS_SHIFT 13
#define IOP_HINT_SHIFT 3
#define IOP_LEVEL_COUNT 8     /* levels 0..7 */
#define IOP_LEVEL_MAX 7
#define IOP_LEVEL_DEFAULT 4   /* what "best-effort" means without a level */
#define IOP_HINT_MAX 1023     /* the width of the hint field */
#define IOP_VALUE_MAX 0x7fff  /* idle, hint 1023, level 7 */

/* A decoded priority. */
struct iop_prio {
	int cls;   /* enum iop_class */
	int level; /* 0..7 */
	int hint;  /* 0..IOP_HINT_MAX */
};

/* Encode class, level and hint into a value.  -EINVAL when any part is out
 * of range, or for class none with a non-zero level (the kernel refuses it). */
IOP_API int iop_encode(int cls, int level, int hint);

/* Decode a value into *out.  -EINVAL for anything iop_encode() would not
 * produce (negative, above IOP_VALUE_MAX, class none with a level). */
IOP_API int iop_decode(int value, struct iop_prio *out);

/* Split any 16-bit value into its class, hint and level as the bits say,
 * valid or not (class 4..7, class none with a level): for showing what a
 * kernel returned.  -EINVAL outside 0..0xffff (*out untouched).  Since 0.2. */
IOP_API int iop_split(int value, struct iop_prio *out);

/* The short form of a value, as iotop and iopstat show it: "rt/0".."rt/7",
 * "be/0".."be/7", "idle", "none"; a hint follows a '+', by its short name
 * or number ("be/4+cdl2", "idle+9").  Writes it NUL-terminated to buf and
 * returns its length; -EINVAL for an invalid value, -ENOSPC when it does not
 * fit in size bytes (then buf holds "" when size > 0).  IOP_FORMAT_MAX bytes
 * always suffice.  Since 0.2. */
#define IOP_FORMAT_MAX 16
IOP_API int iop_format(int value, char *buf, size_t size);

/* The raw system calls.  iop_get() returns the value set on the target (for
 * PGRP and USER: the highest among its tasks); iop_set() returns 0.  Both
 * validate 'which' and, for iop_set(), the value before any system call. */
IOP_API int iop_get(int which, int who);
IOP_API int iop_set(int which, int who, int value);

/* A class from "0".."3" or a name, any case: none, realtime or rt,
 * best-effort or be, idle.  -EINVAL otherwise. */
IOP_API int iop_class_parse(const char *s);

/* "none", "realtime", "best-effort", "idle"; NULL for an invalid class. */
IOP_API const char *iop_class_name(int cls);

/* "none", "rt", "be", "idle" (as in iotop's "be/4"); NULL if invalid. */
IOP_API const char *iop_class_abbrev(int cls);

/* A hint from a number 0..IOP_HINT_MAX or a name: "none",
 * "dev-duration-limit-N" or "cdlN" (N = 1..7), any case.  -EINVAL otherwise. */
IOP_API int iop_hint_parse(const char *s);

/* "none", "dev-duration-limit-1".."-7"; NULL for any other hint. */
IOP_API const char *iop_hint_name(int hint);

/* The level a CPU nice value maps to: (nice + 20) / 5, nice clamped to
 * -20..19, so 0..7. */
IOP_API int iop_nice_to_level(int nice);

/* The class a scheduling policy (as sched_getscheduler() returns it, with or
 * without SCHED_RESET_ON_FORK) maps to: realtime for SCHED_FIFO, SCHED_RR
 * and SCHED_DEADLINE, idle for SCHED_IDLE, best-effort for every other.
 * -EINVAL for a negative policy. */
IOP_API int iop_policy_to_class(int policy);

/* The priority the kernel really uses for a task whose set value, nice and
 * policy are given: the value itself, or for class none the class from the
 * policy and the level from nice.  -EINVAL for an invalid value. */
IOP_API int iop_effective_value(int value, int nice, int policy);

/* The effective priority of one task (tid; 0 = the calling thread).  Stores
 * the set value in *set_value when it is not NULL.  Returns the effective
 * value or -errno (-ESRCH when the task is gone, -EPERM when not allowed). */
IOP_API int iop_effective(pid_t tid, int *set_value);

/* What a task's priority is, and what the effective one was computed from. */
struct iop_task {
	int value;     /* the priority set (0, class none, when never set) */
	int effective; /* the priority the kernel uses: value, or for class none
	                  the class from policy and the level from nice */
	int nice;      /* the task's CPU nice value, -20..19 */
	int policy;    /* its scheduling policy, as sched_getscheduler() returns
	                  it (SCHED_RESET_ON_FORK included) */
};

/* One task's priority (tid; 0 = the calling thread) with its nice and
 * policy, read in that order, each from the kernel.  0, or -errno (-ESRCH
 * when the task is gone, -EPERM when not allowed, -EINVAL for a value no
 * kernel returns, or a NULL out); *out is written only on success.
 * Since 0.2. */
IOP_API int iop_task_get(pid_t tid, struct iop_task *out);

/* The library's version, "MAJOR.MINOR.PATCH". */
IOP_API const char *iop_version(void);

#ifdef __cplusplus
}
#endif

#endif /* LIBIOPRIO_H */
