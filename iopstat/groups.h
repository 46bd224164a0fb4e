/* SPDX-License-Identifier: MIT */
/*
 * iopstat's groups (--group-by): processes counted together under a key
 * (command name, user, cgroup, systemd unit), with counters that never go
 * down while iopstat runs, or across runs through --state.
 *
 * A group's counter starts as the sum of its members' lifetime counters,
 * the kernel's own numbers, and then grows by what each member did between
 * two scans: a member that exits keeps what it did, one born in between
 * brings all of its I/O.  The kernel adds a reaped child's whole I/O to the
 * process that reaps it; that jump is taken back from the reaper, so each
 * byte counts once, in the group of the process that did it:
 *
 *  - a child seen gone (or dead, state X, or a zombie that was reaped while
 *    the scan ran) leaves its last-seen totals as "pending" with its parent,
 *    unless the parent ignores SIGCHLD (then the kernel adds them to nobody);
 *  - the parent's growth is reduced by what is pending, never below zero, in
 *    that interval and the next (the reap can fall before or after the
 *    parent's own read in a scan); what is left after that is dropped.
 *
 * Counters never go down, by construction.  What remains inexact: a child
 * reaped by a process that set SA_NOCLDWAIT (invisible in /proc) takes up
 * to its totals from its parent's own I/O over two intervals; a child that
 * exits and is reaped between iopstat's read of it and of its parent, while
 * it was running, counts its last moments twice.
 */
#ifndef IOPSTAT_GROUPS_H
#define IOPSTAT_GROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include "iopcli/buf.h"
#include "iopcli/proc.h"
#include "iopcli/slots.h"
#include "scan.h"

enum group_by { GROUP_PID, GROUP_COMM, GROUP_USER, GROUP_CGROUP, GROUP_UNIT, NGROUP_BY };

/* "pid", "comm", "user", "cgroup", "unit": the --group-by names, and the
 * Prometheus label of a group's key. */
extern const char *const group_by_names[NGROUP_BY];

/* What a scan must read for a key (enum scan_need). */
unsigned group_by_need(enum group_by by);

struct group {
	char *key;
	cli_u128 acc[IO_NFIELDS], acc_delay;     /* the counters: never go down */
	cli_u128 first[IO_NFIELDS], first_delay; /* acc at the run's first scan */
	cli_u128 delta[IO_NFIELDS], delta_delay; /* what the last step added */
	size_t members;                          /* processes in it at the last scan */
	double empty_since;                      /* when it lost its last member; 0 */
};

/* What a reaped child left to take back from its parent. */
struct pending {
	int pid;                       /* the parent */
	unsigned long long start;
	unsigned long long io[IO_NFIELDS];
	int age;                       /* steps it has been offered */
};

struct groups {
	enum group_by by;
	struct group *v;
	size_t n, cap;
	struct cli_slots slots; /* v by key */
	struct pending *pend;
	size_t npend, pend_cap;
	double expire;    /* seconds a group without members is kept (0: forever) */
	bool started;
};

/* A group with no member is dropped this long after it lost the last one
 * (its series then ends; if the key comes back, it starts again). */
#define GROUP_EXPIRE_SECONDS 3600.0

struct base;

/* The first scan (or a fresh start): every group's counters are the sum of
 * its members' lifetime counters.  0 or -ENOMEM. */
int groups_start(struct groups *g, const struct scan_snapshot *cur);

/* The counters now are where the run's summary counts from. */
void groups_mark_first(struct groups *g);

/* One step from prev (the previous scan, as kept) to cur: see above.  root
 * is asked whether a reaping parent ignores SIGCHLD (NULL: never).  0 or
 * -ENOMEM. */
int groups_step(struct groups *g, const struct base *prev, const struct scan_snapshot *cur,
		const struct proc_root *root, long clock_ticks);

/* The key of a row of cur, raw (for GROUP_USER the user's name; every
 * kworker/... is "kworker").  The groups keep it escaped as a terminal
 * shows it (\xNN, \\): one text for one key in every format. */
const char *groups_key_of(const struct groups *g, const struct scan_snapshot *s,
			  const struct scan_row *r, char *buf, size_t size);

/* The group with this key, made when missing (its counters 0); NULL out of
 * memory. */
struct group *groups_get(struct groups *g, const char *key);

void groups_free(struct groups *g);

#endif
