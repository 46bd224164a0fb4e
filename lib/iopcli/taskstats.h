/* SPDX-License-Identifier: MIT */
/*
 * The kernel's exit notifications (taskstats over generic netlink), read
 * with libc alone: a listener registered for every CPU gets one record per
 * exiting thread, with that thread's final I/O counters.  What this kernel
 * gives, and where it is rounded, is in docs/DESIGN.md ("Exit
 * notifications").
 *
 * The parser (tsparse.c) is a pure function over the bytes of one recv(),
 * fuzzed on its own; the socket is taskstats.c.  Internal to the tools.
 */
#ifndef IOP_CLI_TASKSTATS_H
#define IOP_CLI_TASKSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include "iopcli/proc.h"

/* One exiting thread, as its record says. */
struct ts_record {
	int tid;                      /* TASKSTATS_TYPE_PID: the thread */
	int tgid;                     /* its process (0: the record is too old to say) */
	int ppid;                     /* the parent at exit: the one that reaps it */
	unsigned uid, gid;            /* real ids */
	unsigned long long etime_us;  /* the thread's age at exit, microseconds */
	unsigned long long tgetime_us;/* its process leader's age (0: not given) */
	unsigned long long btime;     /* begin time, wall-clock seconds */
	/* /proc/PID/io's fields, as the kernel rounds them (multiples of
	 * 1024: KB_MASK, syscall counts included) */
	unsigned long long io[IO_NFIELDS];
	unsigned version;             /* struct taskstats version */
	bool group_end;               /* the message also carried the process's
	                                 aggregate: its last thread */
	char comm[33];
};

/* Generic netlink and taskstats numbers (linux/genetlink.h, taskstats.h),
 * spelt here so the tools build where the kernel headers are missing
 * (musl). */
enum {
	TS_GENL_ID_CTRL = 0x10,
	TS_CTRL_CMD_GETFAMILY = 3,
	TS_CTRL_ATTR_FAMILY_ID = 1,
	TS_CTRL_ATTR_FAMILY_NAME = 2,
	TS_CMD_GET = 1,
	TS_CMD_NEW = 2,
	TS_TYPE_PID = 1,
	TS_TYPE_TGID = 2,
	TS_TYPE_STATS = 3,
	TS_TYPE_AGGR_PID = 4,
	TS_TYPE_AGGR_TGID = 5,
	TS_CMD_ATTR_REGISTER_CPUMASK = 3,
};

/* Offsets in struct taskstats (stable: the kernel only appends), and the
 * bytes a record needs for each; a shorter record lacks the fields past
 * its end. */
enum {
	TS_OFF_VERSION = 0,
	TS_OFF_COMM = 80,
	TS_OFF_UID = 120,
	TS_OFF_GID = 124,
	TS_OFF_PID = 128,
	TS_OFF_PPID = 132,
	TS_OFF_BTIME = 136,
	TS_OFF_ETIME = 144,
	TS_OFF_RCHAR = 216,
	TS_OFF_WCHAR = 224,
	TS_OFF_SYSCR = 232,
	TS_OFF_SYSCW = 240,
	TS_OFF_READ_BYTES = 248,
	TS_OFF_WRITE_BYTES = 256,
	TS_OFF_CANCELLED = 264,
	TS_OFF_BTIME64 = 344,
	TS_OFF_TGID = 368,
	TS_OFF_TGETIME = 376,
	TS_MIN_LEN = TS_OFF_CANCELLED + 8, /* records shorter than this are skipped */
};

/* The records of the netlink messages in buf[0..len) (one recv()'s bytes)
 * of generic netlink family 'family': each TASKSTATS_CMD_NEW's
 * AGGR_PID record into out[] (at most max; more are counted but not
 * stored).  Other messages, unknown attributes and malformed parts are
 * skipped, never read past len.  Returns how many records there were. */
size_t ts_parse(const void *buf, size_t len, int family, struct ts_record *out, size_t max);

/* The family id in a reply to CTRL_CMD_GETFAMILY: > 0, or -errno (the
 * kernel's error, or -ENOENT: no such family, -EINVAL: not a reply). */
int ts_parse_family(const void *buf, size_t len);

/* The error of an NLMSG_ERROR acknowledgement in buf: 0 (success),
 * -errno, or 1 when buf holds no acknowledgement. */
int ts_parse_ack(const void *buf, size_t len);

/* --- the listener (taskstats.c) --------------------------------------------- */

struct ts_listener {
	int fd;          /* -1: not listening */
	int family;
	unsigned drops;  /* the socket's dropped records so far (SO_MEMINFO) */
	unsigned truncated; /* messages too large for the buffers, lost */
	size_t received; /* records read so far */
	char *buf;       /* receive buffers */
};

/* Registers a listener for every CPU with a receive buffer of rcvbuf bytes
 * (SO_RCVBUFFORCE where allowed, else what SO_RCVBUF grants).  0, or
 * -errno: EPERM (needs CAP_NET_ADMIN), EINVAL (not the initial pid
 * namespace), ENOENT (a kernel without taskstats), EPROTONOSUPPORT (no
 * generic netlink). */
int ts_open(struct ts_listener *l, int rcvbuf);

/* Reads every record queued now, without waiting, giving each to fn (whose
 * non-zero return stops the reading and is returned).  0, or the return of
 * fn, or -errno of the socket (never ENOBUFS: a loss is counted in drops). */
int ts_drain(struct ts_listener *l, int (*fn)(void *ctx, const struct ts_record *r), void *ctx);

/* The records lost so far: dropped by the kernel because the buffer was
 * full, or too large for ours. */
unsigned ts_drops(struct ts_listener *l);

void ts_close(struct ts_listener *l);

#endif
