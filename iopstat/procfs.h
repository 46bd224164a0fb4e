/* SPDX-License-Identifier: MIT */
/*
 * iopstat's /proc reader: a scanner that reads every
 * process (or thread) under a procfs root given as a directory fd, so tests
 * can point it at fixture trees and containers at a host's /proc.
 */
#ifndef IOPSTAT_PROCFS_H
#define IOPSTAT_PROCFS_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "iopcli/procparse.h"

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

struct scan_options {
	const int *pids;        /* only these, in this order, if npids > 0 */
	size_t npids;
	bool filter_uid;
	unsigned uid;
	const regex_t *comm_re; /* only commands matching, if not NULL */
	bool threads;           /* one row per thread */
	bool want_prio;         /* ask the kernel for each task's I/O priority */
	bool want_cmdline;
};

/* Scans the procfs open at root_fd into *snap (emptied first; its buffer is
 * reused).  Processes that vanish meanwhile are skipped; those whose io is
 * not readable are counted in snap->denied.  0 or -errno (only when the root
 * itself cannot be listed or memory runs out). */
int procfs_scan(int root_fd, const struct scan_options *opt, struct proc_snapshot *snap);

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

/* The process (thread group) a pid or thread id belongs to, from
 * <root>/<id>/status; -errno when it cannot be read. */
int procfs_tgid(int root_fd, int id);

/* Clock ticks per second of the kernel's stat times (sysconf(_SC_CLK_TCK)). */
long procfs_clock_ticks(void);

/* Whether <root>/sys/kernel/task_delayacct is 1: 1, 0, or -1 unknown. */
int procfs_delayacct_enabled(int root_fd);

#endif
