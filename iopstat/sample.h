/* SPDX-License-Identifier: MIT */
/*
 * iopstat's sampler: turns snapshots into the rows of one report, either
 * lifetime totals (one snapshot) or the change between two snapshots.
 */
#ifndef IOPSTAT_SAMPLE_H
#define IOPSTAT_SAMPLE_H

#include <stdbool.h>
#include "iopcli/buf.h"
#include "columns.h"
#include "procfs.h"

struct report_row {
	const struct proc_row *task;
	unsigned long long io[IO_NFIELDS]; /* bytes and calls in the period */
	unsigned long long delay;          /* block I/O delay in the period, ticks */
	double seconds;                    /* the period's length, for rates */
};

struct report {
	struct report_row *rows;
	size_t n, cap;
	size_t total_rows;                 /* rows before --top */
	cli_u128 io[IO_NFIELDS];           /* totals over total_rows: exact */
	cli_u128 delay;
	double seconds;                    /* the interval; 0 for lifetime totals */
	const struct proc_snapshot *snap;  /* the newer snapshot */
};

struct report_options {
	enum column sort; /* a column that sorts (column_sorts()) */
	bool only_active; /* only rows with a counter that moved */
	size_t top;       /* at most this many rows, 0 = all */
};

/* Lifetime totals of each task in 'cur', with rates over each task's age.
 * Pairs 'cur' with 'prev' when prev is not NULL: a task is the same only if
 * pid, tid and start time agree; a counter that went down was reset and
 * counts from 0; a task started after 'prev' was taken counts all its I/O; a
 * task that existed then but was not seen (not readable, filtered) has no
 * period to show yet and is left out.  0 or -ENOMEM. */
int report_build(struct report *rep, const struct proc_snapshot *prev,
		 const struct proc_snapshot *cur, const struct report_options *opt,
		 long clock_ticks);

void report_free(struct report *rep);

/* The tasks that ended during an interval run, with what each did during
 * it, for the summary.  Only tasks that did some I/O are kept, at most
 * RUN_EXITS_MAX of them; past that they count in the totals only. */
#define RUN_EXITS_MAX 16384
struct run_exits {
	struct proc_snapshot gone; /* io and delay: what the task did in the run */
	size_t dropped;            /* more ended tasks, not kept as rows */
	cli_u128 dropped_io[IO_NFIELDS], dropped_delay;
};

/* After each sample: the tasks of 'prev' that 'cur' no longer has ended;
 * what they did since 'first' (all of it for tasks born after it) is kept.
 * 0 or -ENOMEM. */
int report_note_exits(struct run_exits *x, const struct proc_snapshot *first,
		      const struct proc_snapshot *prev, const struct proc_snapshot *cur,
		      long clock_ticks);

/* The summary of a run from 'first' to 'last': what each task still there
 * did since 'first', and the tasks that ended (x), built in 'work' (a
 * snapshot to reuse, holding neither first nor last).  0 or -ENOMEM. */
int report_build_summary(struct report *rep, const struct proc_snapshot *first,
			 const struct proc_snapshot *last, const struct run_exits *x,
			 struct proc_snapshot *work, const struct report_options *opt,
			 long clock_ticks);

void report_exits_free(struct run_exits *x);

#endif
