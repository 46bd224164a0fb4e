/* SPDX-License-Identifier: MIT */
/*
 * iopstat's scanner: reads every process (or thread) under a procfs root
 * (the /proc layer's, so tests point it at fixture trees and containers at
 * a host's /proc) into a snapshot, reading only the files the report
 * needs.
 */
#ifndef IOPSTAT_SCAN_H
#define IOPSTAT_SCAN_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "iopcli/proc.h"
#include "iopcli/select.h"

/* One process (tid 0) or one thread: 96 bytes.  Kept small: an interval
 * run holds a snapshot and a base of every process, and iopstat's memory
 * goal at 5,000 processes is 3 MiB. */
struct scan_row {
	int pid, tid;
	unsigned uid;         /* the owner of its /proc directory: the effective uid */
	int ppid;             /* the parent (0 unknown: no stat read) */
	unsigned name;        /* offset in the snapshot's names: the command name,
	                         then with ROW_EXTRA a second string right after
	                         it (the command line, or the cgroup path) */
	short prio;           /* effective I/O priority value, -1 unknown */
	unsigned short flags; /* ROW_* */
	unsigned long long start;
	unsigned long long io[IO_NFIELDS];
	unsigned long long delay;
};
#define SCAN_NO_NAME 0xffffffffu
enum {
	ROW_EXTRA = 1 << 0,  /* a second string follows the name */
	ROW_ZOMBIE = 1 << 1, /* exited, not yet reaped */
	ROW_REAPED = 1 << 2, /* reaped while the scan ran (seen a zombie, then
	                        gone): its I/O is in its parent's counters now */
	ROW_PRIO_MIXED = 1 << 3, /* a process (not -t) with a thread whose I/O
	                            priority set differs from its main thread's */
	ROW_EXITED = 1 << 4, /* ended during the interval: the row comes from its
	                        exit notification (exits.h) */
};

struct scan_snapshot {
	struct scan_row *rows; /* sorted by (pid, tid) */
	size_t n, cap;
	char *names;           /* the rows' names and command lines, NUL-ended */
	size_t names_len, names_cap;
	double uptime;         /* seconds since boot, from <root>/uptime */
	double when;           /* CLOCK_REALTIME at the scan, seconds */
	double mono;           /* CLOCK_MONOTONIC at the scan, seconds */
	size_t denied;         /* processes whose io could not be read: EACCES */
};

/* Orders two tasks (rows of a snapshot or a base) by (pid, tid). */
#define CMP_TASK(a, b)                                              \
	((a)->pid != (b)->pid ? ((a)->pid < (b)->pid ? -1 : 1)      \
			      : ((a)->tid > (b)->tid) - ((a)->tid < (b)->tid))

/* CMP_TASK of two scan_rows, for cli_sort() and bsearch(). */
int scan_cmp_task(const void *a, const void *b);

/* What is kept of a scan for the next one: enough to pair its tasks and
 * take differences (96 bytes a task; no names). */
struct base_row {
	int pid, tid, ppid;
	unsigned flags; /* ROW_REAPED */
	unsigned uid;   /* the owner the scan read (NEED_OWNER; not in a state file) */
	unsigned long long start;
	unsigned long long io[IO_NFIELDS];
	unsigned long long delay;
};

struct base {
	struct base_row *rows; /* sorted by (pid, tid), as the scan */
	size_t n, cap;
	double uptime, mono, when;
};

/* Keeps snapshot s in b (its buffer reused), but for its exited rows
 * (reported once, in the interval they ended in).  0 or -ENOMEM. */
int base_keep(struct base *b, const struct scan_snapshot *s);
void base_free(struct base *b);

/* What a report needs read for each task, beside its io counters. */
enum scan_need {
	NEED_STAT = 1 << 0,    /* stat: name, start time, delay, nice, policy */
	NEED_OWNER = 1 << 1,   /* the owner (effective uid): a stat of its directory */
	NEED_PRIO = 1 << 2,    /* the kernel's I/O priority (needs stat too) */
	NEED_CMDLINE = 1 << 3, /* cmdline, as the row's second string */
	NEED_CGROUP = 1 << 4,  /* the cgroup path, as the row's second string */
	NEED_PRIO_MARK = 1 << 5, /* with NEED_PRIO: whether a process's threads
	                            differ (ROW_PRIO_MIXED, a table's '*') */
};

struct scan_options {
	/* which tasks, as ionice and ioprio-get select them (select.h): each
	 * task (each thread with threads) is asked sel_match(), its owner
	 * before any file when -u is given, its stat when -P or -C needs it;
	 * sel.pids (-p, sorted and unique) are read alone, in order.  With
	 * sel.tree, sel_scan() selects the processes and their descendants
	 * first, and each of those is read whole (every thread with threads) */
	struct sel_criteria sel;
	bool threads;           /* one row per thread */
	unsigned need;          /* enum scan_need */
};

/* Scans the procfs root into *snap (emptied first; its buffers are reused).
 * Processes that vanish meanwhile are skipped, and so are dead ones (state
 * X: reaped, their I/O already their parent's); those whose io is not
 * readable are counted in snap->denied.  A zombie whose parent is read
 * after it is looked at again at the end: when it was reaped meanwhile it
 * is marked ROW_REAPED.  Without NEED_STAT a row has no name, parent,
 * start time or delay (all 0); without NEED_OWNER no uid.  0 or -errno
 * (only when the root itself cannot be listed or memory runs out). */
int scan_tasks(const struct proc_root *root, const struct scan_options *opt,
		struct scan_snapshot *snap);

void scan_snapshot_free(struct scan_snapshot *snap);

/* Makes room in snap for the rows and names of 'like' and a quarter more,
 * so a steady run allocates nothing more.  0 or -ENOMEM. */
int scan_snapshot_reserve(struct scan_snapshot *snap, const struct scan_snapshot *like);

static inline const char *scan_comm(const struct scan_snapshot *s, const struct scan_row *r)
{
	return s->names + r->name;
}

/* The row's second string: its command line (NEED_CMDLINE; NULL for tasks
 * without one, such as kernel threads) or its cgroup path (NEED_CGROUP). */
const char *scan_extra(const struct scan_snapshot *s, const struct scan_row *r);

/* Appends a row's name and, when extra is not NULL, its second string to
 * the snapshot's names, setting r->name and ROW_EXTRA.  0, or -ENOMEM. */
int scan_add_names(struct scan_snapshot *s, struct scan_row *r, const char *name,
		     const char *extra);

#endif
