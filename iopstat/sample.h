/* SPDX-License-Identifier: MIT */
/*
 * iopstat's sampler: turns snapshots into the rows of one report, either
 * lifetime totals (one snapshot), the change between two scans, or the
 * groups of --group-by.  A report row is two indices (8 bytes): the values
 * are read from the snapshot and the base when shown or compared, never
 * copied, so a report of 5,000 processes costs 40 KiB.
 */
#ifndef IOPSTAT_SAMPLE_H
#define IOPSTAT_SAMPLE_H

#include <stdbool.h>
#include "iopcli/buf.h"
#include "groups.h"
#include "pair.h"
#include "scan.h"

struct dev_view;

/* What a group row shows. */
enum group_view {
	VIEW_DELTA,    /* what the last step added: an interval's report */
	VIEW_COUNTERS, /* the counters themselves: a lifetime report, Prometheus */
	VIEW_RUN,      /* since the first scan: the summary of a run */
};

#define ROW_NO_OLD 0xffffffffu

struct report_row {
	unsigned task; /* index into the snapshot's rows (a group: into the groups) */
	unsigned old;  /* index into the base: the values are task - old; ROW_NO_OLD:
	                  the task's own (a lifetime, or a task born in between) */
};

struct report {
	struct report_row *rows;
	size_t n, cap;
	size_t total_rows;                 /* rows before --top */
	cli_u128 io[IO_NFIELDS];           /* totals over total_rows: exact */
	cli_u128 delay;
	double seconds;                    /* the interval; 0 for lifetime totals */
	const struct scan_snapshot *snap;  /* the newer snapshot */
	const struct base *base;           /* the older one, or NULL */
	const struct groups *groups;       /* not NULL: the rows are groups */
	enum group_view view;              /* what a group row shows */
	bool threads;                      /* the rows are threads (-t) */
	long clock_ticks;
	const struct dev_view *devs;       /* not NULL: the rows are devices (-d, devices.h) */
	bool exits_on;                     /* exit notifications were listened for */
	size_t exits_missed;               /* ... and this many lost in the period */
};

/* A row's task, or NULL for a group row. */
static inline const struct scan_row *report_task(const struct report *rep,
						 const struct report_row *r)
{
	return rep->groups ? NULL : &rep->snap->rows[r->task];
}

static inline const struct group *report_group(const struct report *rep,
					       const struct report_row *r)
{
	return rep->groups ? &rep->groups->v[r->task] : NULL;
}

cli_u128 report_group_value(const struct report *rep, const struct group *g, int field);

/* A row's io field (IO_*) in the report's period, or its delay in ticks
 * (field -1): a counter that went down was reset and counts from 0.
 * Inline: every cell, total and comparison reads through it. */
static inline cli_u128 report_value(const struct report *rep, const struct report_row *r,
				    int field)
{
	if (rep->groups)
		return report_group_value(rep, &rep->groups->v[r->task], field);
	const struct scan_row *t = &rep->snap->rows[r->task];
	unsigned long long now = field < 0 ? t->delay : t->io[field];
	if (r->old == ROW_NO_OLD)
		return now;
	const struct base_row *o = &rep->base->rows[r->old];
	unsigned long long then = field < 0 ? o->delay : o->io[field];
	return pair_delta(now, then);
}

/* The seconds a row's rates are over: the interval, or for a lifetime row
 * the task's age (at least one tick); 0: no rate (a group's lifetime). */
double report_seconds(const struct report *rep, const struct report_row *r);

/* How the rows of a report are put in order (--sort): fn(rep, ctx)
 * reorders rep->rows[0, n) before --top cuts them.  The sampler knows no
 * columns: the column table gives its own (columns.h, column_sort_by()).
 * fn NULL: the rows stay as built (by pid and tid; groups as kept). */
struct report_sort {
	void (*fn)(struct report *rep, const void *ctx);
	const void *ctx;
};

struct report_options {
	struct report_sort sort;
	bool only_active; /* only rows with a counter that moved */
	size_t top;       /* at most this many rows, 0 = all */
	bool threads;     /* the rows are threads (-t) */
};

/* Lifetime totals of each task in 'cur', with rates over each task's age.
 * Pairs 'cur' with 'prev' when prev is not NULL: a task is the same only if
 * pid, tid and start time agree; a counter that went down was reset and
 * counts from 0; a task started after 'prev' was taken counts all its I/O; a
 * task that existed then but was not seen (not readable, filtered) has no
 * period to show yet and is left out.  0 or -ENOMEM. */
int report_build(struct report *rep, const struct base *prev, const struct scan_snapshot *cur,
		 const struct report_options *opt, long clock_ticks);

/* A report of the groups of g, as of the scan cur: one row for each group
 * with members, or (VIEW_DELTA, VIEW_RUN) that did I/O; every group kept,
 * with VIEW_COUNTERS and all_groups (Prometheus: a counter stays until its
 * group expires).  seconds: the period (0: a lifetime, no rates).  0 or
 * -ENOMEM. */
int report_build_groups(struct report *rep, const struct groups *g,
			const struct scan_snapshot *cur, enum group_view view, bool all_groups,
			double seconds, const struct report_options *opt);

void report_free(struct report *rep);

/* The tasks that ended during an interval run, with what each did during
 * it, for the summary.  Only tasks that did some I/O are kept, at most
 * RUN_EXITS_MAX of them; past that they count in the totals only. */
#define RUN_EXITS_MAX 16384
struct run_exits {
	struct scan_snapshot gone; /* io and delay: what the task did in the run */
	size_t dropped;            /* more ended tasks, not kept as rows */
	cli_u128 dropped_io[IO_NFIELDS], dropped_delay;
};

/* After each sample: the tasks of 'prev' that 'cur' no longer has ended;
 * what they did since 'first' (all of it for tasks born after it) is kept.
 * 0 or -ENOMEM. */
int report_note_exits(struct run_exits *x, const struct scan_snapshot *first,
		      const struct scan_snapshot *prev, const struct scan_snapshot *cur,
		      long clock_ticks);

/* The summary of a run from 'first' to 'last': what each task still there
 * did since 'first', and the tasks that ended (x), built in 'work' (a
 * snapshot to reuse, holding neither first nor last).  0 or -ENOMEM. */
int report_build_summary(struct report *rep, const struct scan_snapshot *first,
			 const struct scan_snapshot *last, const struct run_exits *x,
			 struct scan_snapshot *work, const struct report_options *opt,
			 long clock_ticks);

void report_exits_free(struct run_exits *x);

#endif
