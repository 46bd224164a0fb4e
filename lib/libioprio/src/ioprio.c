/* SPDX-License-Identifier: MIT */
/* libioprio: encoding, names, the nice and policy mappings, effective priority. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <strings.h>
#include <sys/resource.h>

#include <libioprio.h>
#include "internal.h"

#ifndef SCHED_IDLE
#define SCHED_IDLE 5
#endif
#ifndef SCHED_DEADLINE
#define SCHED_DEADLINE 6
#endif
#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

#define LEVEL_MASK 0x7
#define HINT_MASK 0x3ff
#define STR_(x) #x
#define STR(x) STR_(x)

int iop_encode(int cls, int level, int hint)
{
	if (cls < IOP_CLASS_NONE || cls > IOP_CLASS_IDLE)
		return -EINVAL;
	if (level < 0 || level > IOP_LEVEL_MAX)
		return -EINVAL;
	if (hint < 0 || hint > IOP_HINT_MAX)
		return -EINVAL;
	if (cls == IOP_CLASS_NONE && level != 0)
		return -EINVAL;
	return cls << IOP_CLASS_SHIFT | hint << IOP_HINT_SHIFT | level;
}

int iop_decode(int value, struct iop_prio *out)
{
	struct iop_prio p;

	if (value < 0 || value > IOP_VALUE_MAX)
		return -EINVAL;
	p.cls = value >> IOP_CLASS_SHIFT;
	p.hint = (value >> IOP_HINT_SHIFT) & HINT_MASK;
	p.level = value & LEVEL_MASK;
	if (p.cls == IOP_CLASS_NONE && p.level != 0)
		return -EINVAL;
	if (out)
		*out = p;
	return 0;
}

int iop_split(int value, struct iop_prio *out)
{
	if (value < 0 || value > 0xffff)
		return -EINVAL;
	if (out) {
		out->cls = value >> IOP_CLASS_SHIFT;
		out->hint = (value >> IOP_HINT_SHIFT) & HINT_MASK;
		out->level = value & LEVEL_MASK;
	}
	return 0;
}

static int valid_which(int which)
{
	return which == IOP_WHO_PROCESS || which == IOP_WHO_PGRP || which == IOP_WHO_USER;
}

int iop_get(int which, int who)
{
	if (!valid_which(which))
		return -EINVAL;
	return iopriv_sys_get(which, who);
}

int iop_set(int which, int who, int value)
{
	if (!valid_which(which) || iop_decode(value, NULL) < 0)
		return -EINVAL;
	return iopriv_sys_set(which, who, value);
}

/* A whole decimal number in 0..max, nothing before or after it; else -1. */
static int parse_small(const char *s, int max)
{
	int v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
	}
	return v;
}

static const struct {
	const char *name;
	const char *abbrev;
} classes[IOP_CLASS_COUNT] = {
	[IOP_CLASS_NONE] = { "none", "none" },
	[IOP_CLASS_RT] = { "realtime", "rt" },
	[IOP_CLASS_BE] = { "best-effort", "be" },
	[IOP_CLASS_IDLE] = { "idle", "idle" },
};

int iop_class_parse(const char *s)
{
	int cls;

	if (!s)
		return -EINVAL;
	cls = parse_small(s, IOP_CLASS_COUNT - 1);
	if (cls >= 0)
		return cls;
	for (cls = 0; cls < IOP_CLASS_COUNT; cls++)
		if (!strcasecmp(s, classes[cls].name) || !strcasecmp(s, classes[cls].abbrev))
			return cls;
	return -EINVAL;
}

const char *iop_class_name(int cls)
{
	return cls >= 0 && cls < IOP_CLASS_COUNT ? classes[cls].name : NULL;
}

const char *iop_class_abbrev(int cls)
{
	return cls >= 0 && cls < IOP_CLASS_COUNT ? classes[cls].abbrev : NULL;
}

static const char *const hint_names[] = {
	"none",
	"dev-duration-limit-1", "dev-duration-limit-2", "dev-duration-limit-3",
	"dev-duration-limit-4", "dev-duration-limit-5", "dev-duration-limit-6",
	"dev-duration-limit-7",
};
#define NAMED_HINTS ((int)(sizeof(hint_names) / sizeof(hint_names[0])))

int iop_hint_parse(const char *s)
{
	int h;

	if (!s)
		return -EINVAL;
	h = parse_small(s, IOP_HINT_MAX);
	if (h >= 0)
		return h;
	for (h = 0; h < NAMED_HINTS; h++)
		if (!strcasecmp(s, hint_names[h]))
			return h;
	/* "cdl1".."cdl7", the short form */
	if (!strncasecmp(s, "cdl", 3)) {
		h = parse_small(s + 3, NAMED_HINTS - 1);
		if (h >= 1)
			return h;
	}
	return -EINVAL;
}

const char *iop_hint_name(int hint)
{
	return hint >= 0 && hint < NAMED_HINTS ? hint_names[hint] : NULL;
}

int iop_nice_to_level(int nice)
{
	if (nice < -20)
		nice = -20;
	else if (nice > 19)
		nice = 19;
	return (nice + 20) / 5;
}

int iop_policy_to_class(int policy)
{
	if (policy < 0)
		return -EINVAL;
	switch (policy & ~SCHED_RESET_ON_FORK) {
	case SCHED_FIFO:
	case SCHED_RR:
	case SCHED_DEADLINE:
		return IOP_CLASS_RT;
	case SCHED_IDLE:
		return IOP_CLASS_IDLE;
	default:
		return IOP_CLASS_BE;
	}
}

int iop_effective_value(int value, int nice, int policy)
{
	struct iop_prio p;
	int cls;

	if (iop_decode(value, &p) < 0)
		return -EINVAL;
	if (p.cls != IOP_CLASS_NONE)
		return value;
	cls = iop_policy_to_class(policy);
	if (cls < 0)
		return cls;
	return iop_encode(cls, iop_nice_to_level(nice), 0);
}

/* A task's nice and policy, as the kernel has them: 0 or -errno. */
static int nice_and_policy(pid_t tid, int *nice, int *policy)
{
	/* getpriority() may return -1 as a valid nice: errno tells. */
	errno = 0;
	*nice = getpriority(PRIO_PROCESS, (id_t)tid);
	if (*nice == -1 && errno != 0)
		return -errno;
	*policy = iopriv_sys_getscheduler(tid);
	return *policy < 0 ? *policy : 0;
}

int iop_effective(pid_t tid, int *set_value)
{
	int value, nice = 0, policy = 0, r;

	value = iop_get(IOP_WHO_PROCESS, (int)tid);
	if (value < 0)
		return value;
	if (set_value)
		*set_value = value;
	if (iop_decode(value, NULL) < 0)
		return -EINVAL;
	if (value >> IOP_CLASS_SHIFT != IOP_CLASS_NONE)
		return value; /* a set class: nice and policy do not matter */
	r = nice_and_policy(tid, &nice, &policy);
	return r < 0 ? r : iop_effective_value(value, nice, policy);
}

int iop_task_get(pid_t tid, struct iop_task *out)
{
	struct iop_task t;
	int r;

	if (!out)
		return -EINVAL;
	t.value = iop_get(IOP_WHO_PROCESS, (int)tid);
	if (t.value < 0)
		return t.value;
	if (iop_decode(t.value, NULL) < 0)
		return -EINVAL;
	r = nice_and_policy(tid, &t.nice, &t.policy);
	if (r < 0)
		return r;
	t.effective = iop_effective_value(t.value, t.nice, t.policy);
	if (t.effective < 0)
		return t.effective;
	*out = t;
	return 0;
}

/* Appends the decimal v (0..9999) at p; returns the end.  The tools' one
 * integer-to-text writer is num_put_u64() in lib/iopcli, but this is the
 * installed library: it links nothing of the tools' helper library (which
 * links it), and its exports are only what libioprio.map names, so it
 * keeps this private one for the level and hint of iop_format(). */
static char *put_small(char *p, int v)
{
	char tmp[4];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0 && n < 4);
	while (n)
		*p++ = tmp[--n];
	return p;
}

int iop_format(int value, char *buf, size_t size)
{
	struct iop_prio p;
	char tmp[IOP_FORMAT_MAX], *e = tmp;
	const char *abbrev;
	size_t n;

	if (buf && size)
		buf[0] = '\0';
	if (iop_decode(value, &p) < 0)
		return -EINVAL;
	for (abbrev = classes[p.cls].abbrev; *abbrev; abbrev++)
		*e++ = *abbrev;
	if (p.cls == IOP_CLASS_RT || p.cls == IOP_CLASS_BE) {
		*e++ = '/';
		e = put_small(e, p.level);
	}
	if (p.hint) {
		*e++ = '+';
		if (p.hint < NAMED_HINTS) {
			*e++ = 'c';
			*e++ = 'd';
			*e++ = 'l';
		}
		e = put_small(e, p.hint);
	}
	n = (size_t)(e - tmp);
	if (!buf || n + 1 > size)
		return -ENOSPC;
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[i];
	buf[n] = '\0';
	return (int)n;
}

const char *iop_version(void)
{
	return STR(IOP_VERSION_MAJOR) "." STR(IOP_VERSION_MINOR) "." STR(IOP_VERSION_PATCH);
}
