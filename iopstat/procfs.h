/* SPDX-License-Identifier: MIT */
/*
 * iopstat's scanner: reads every process (or thread) under a procfs root
 * (the /proc layer's, so tests point it at fixture trees and containers at
 * a host's /proc) into a snapshot, reading only the files the report
 * needs.
 */
#ifndef IOPSTAT_PROCFS_H
#define IOPSTAT_PROCFS_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "iopcli/proc.h"

/* One process (tid 0) or one thread.  Kept small: a run holds three
 * snapshots of every process, and iopstat's memory goal is 4 MiB. */
struct proc_row {
	int pid, tid;
	unsigned uid;     /* owner of /proc/<pid>/stat: the effective uid */
	int prio;         /* effective I/O priority value, -1 unknown */
	unsigned long long start;
	unsigned long long io[IO_NFIELDS];
	unsigned long long delay;
	unsigned comm;    /* offset of the name in the snapshot's names */
	unsigned cmdline; /* offset of the command line, or PROC_NO_NAME */
};
#define PROC_NO_NAME 0xffffffffu

struct proc_snapshot {
	struct proc_row *rows; /* sorted by (pid, tid) */
	size_t n, cap;
	char *names;           /* the rows' names and command lines, NUL-ended */
	size_t names_len, names_cap;
	double uptime;         /* seconds since boot, from <root>/uptime */
	double when;           /* CLOCK_REALTIME at the scan, seconds */
	double mono;           /* CLOCK_MONOTONIC at the scan, seconds */
	size_t denied;         /* processes whose io could not be read: EACCES */
};

/* What a report needs read for each task, beside its io counters. */
enum scan_need {
	NEED_STAT = 1 << 0,    /* stat: name, start time, delay, nice, policy */
	NEED_OWNER = 1 << 1,   /* the owner (effective uid): fstat() of a file */
	NEED_PRIO = 1 << 2,    /* the kernel's I/O priority (needs stat too) */
	NEED_CMDLINE = 1 << 3, /* cmdline */
};

struct scan_options {
	const int *pids;        /* only these, in this order, if npids > 0 */
	size_t npids;
	bool filter_uid;        /* needs the owner */
	unsigned uid;
	const regex_t *comm_re; /* only commands matching, if not NULL: needs stat */
	bool threads;           /* one row per thread */
	unsigned need;          /* enum scan_need */
};

/* Scans the procfs root into *snap (emptied first; its buffers are reused).
 * Processes that vanish meanwhile are skipped; those whose io is not
 * readable are counted in snap->denied.  Without NEED_STAT a row has no
 * name, start time or delay (all 0); without NEED_OWNER no uid.  0 or
 * -errno (only when the root itself cannot be listed or memory runs out). */
int procfs_scan(const struct proc_root *root, const struct scan_options *opt,
		struct proc_snapshot *snap);

void procfs_snapshot_free(struct proc_snapshot *snap);

/* Makes room in snap for the rows and names of 'like' and a quarter more,
 * so a steady run allocates nothing more.  0 or -ENOMEM. */
int procfs_snapshot_reserve(struct proc_snapshot *snap, const struct proc_snapshot *like);

static inline const char *proc_comm(const struct proc_snapshot *s, const struct proc_row *r)
{
	return s->names + r->comm;
}

/* The command line with -l; NULL for tasks without one (kernel threads). */
static inline const char *proc_cmdline(const struct proc_snapshot *s, const struct proc_row *r)
{
	return r->cmdline == PROC_NO_NAME ? NULL : s->names + r->cmdline;
}

/* Appends a name to the snapshot; its offset, or PROC_NO_NAME out of memory. */
unsigned procfs_add_name(struct proc_snapshot *s, const char *name);

#endif
