/* SPDX-License-Identifier: MIT */
/*
 * iopstat's exited tasks: the kernel's exit notifications (taskstats,
 * lib/iopcli/taskstats.h) turned into rows of the scan that follows them,
 * so that a task that lived less than an interval, or the last moments of
 * one that ended, are reported, sorted, filtered, totalled and grouped as
 * every other row.  An exited row is marked ROW_EXITED (and ROW_REAPED:
 * its I/O is in its reaper's counters now, which groups take back).
 *
 * Its counters are what /proc/PID/io would have said last (a process: its
 * threads' records, plus what it reaped from children that ended while
 * iopstat listened; with -t: the thread's own record), never less than
 * what was seen of it: paired with the scan before by pid and start time
 * as every row, the report shows what it did since it was seen, or all of
 * it.  A record's start time is its age subtracted from the window in
 * which it was queued (docs/DESIGN.md): the match is never by pid alone.
 */
#ifndef IOPSTAT_EXITS_H
#define IOPSTAT_EXITS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "iopcli/slots.h"
#include "iopcli/taskstats.h"
#include "scan.h"

struct base;

/* One exit record as kept until the next scan. */
struct exit_rec {
	int tid, tgid, ppid;
	unsigned uid;
	unsigned seq;                     /* arrival order */
	double lo, hi;                    /* queued in (lo, hi], CLOCK_BOOTTIME s */
	double age, group_age;            /* the thread's and its leader's, s (-1: unknown) */
	unsigned long long io[IO_NFIELDS];
	char comm[16];
};

/* What is known of a process's end so far: its ended threads and the
 * children it reaped (or, past the scan, all of it). */
struct exit_proc {
	int pid, ppid;
	unsigned uid;
	unsigned seq;                     /* its last record's */
	double slo, shi;                  /* its start lies in [slo, shi], boot s */
	unsigned long long io[IO_NFIELDS];
	char comm[16];
	bool leader_seen;                 /* comm and ppid are its main thread's */
	bool leader_ended;                /* its main thread's record came: it has
	                                     ended, whatever its stat says yet */
	bool alive;
	bool folded;                      /* given to its parent already */
};

/* A task reported as exited: until no scan shows it any more (a zombie
 * waiting for its parent), a scan's row of it is not its own again. */
struct exit_seen {
	int pid, tid;
	double slo, shi;
};

struct exits {
	struct ts_listener ts;
	bool on;
	bool threads;                     /* -t: a row per thread */
	struct exit_rec *rec;             /* since the last scan */
	size_t nrec, rec_cap;
	struct exit_proc *proc;           /* live processes with ended threads or
	                                     reaped children (kept across scans) */
	size_t nproc, proc_cap;
	struct cli_slots slots;           /* proc by pid */
	unsigned seq;
	double empty_at;                  /* when the socket was last found empty */
	unsigned drops;                   /* the drop count at the last scan */
	size_t missed;                    /* records lost in the last interval */
	size_t missed_run;                /* ... and in the whole run */
	size_t rows;                      /* exited rows added at the last scan */
	struct exit_seen *seen;           /* reported at the last scans */
	size_t nseen, seen_cap;
	bool broken;                      /* the socket failed mid-run: off from
	                                     the next scan on (x->on false) */
};

/* Starts listening (x->on) when the kernel allows it: 0, or -errno as
 * ts_open() gives it (EPERM: not privileged; ENOENT: no taskstats;
 * EINVAL: another pid namespace). */
int exits_open(struct exits *x, bool threads);

/* Sleeps until the CLOCK_MONOTONIC time t (or *stop), keeping the records
 * as they come. */
void exits_sleep_until(struct exits *x, const struct timespec *t, volatile sig_atomic_t *stop);

/* After a scan into cur (paired with prev, the base of the scan before):
 * adds a row to cur for each task that ended since prev was taken and that
 * the scan's options select, its counters as above; cur stays sorted.
 * root is asked whether a selected process that is not in cur still lives
 * (filters) and whether a parent ignores SIGCHLD (NULL: never).  Sets x->missed and
 * x->rows.  0 or -ENOMEM. */
int exits_add_rows(struct exits *x, const struct base *prev, struct scan_snapshot *cur,
		   const struct scan_options *so, const struct proc_root *root, long clock_ticks);

/* Forgets the records read so far (those of tasks that ended before the
 * run's first scan) and the losses. */
void exits_discard(struct exits *x);

/* Drops cur's exited rows (a state file or the next pairing must not see
 * them again). */
void exits_strip(struct scan_snapshot *cur);

void exits_close(struct exits *x);

#endif
