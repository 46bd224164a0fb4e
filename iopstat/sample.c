/* SPDX-License-Identifier: MIT */
/* iopstat's sampler.  See sample.h. */
#include "sample.h"
#include "iopcli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* --- the values of a row ------------------------------------------------------ */

cli_u128 report_group_value(const struct report *rep, const struct group *g, int field)
{
	const cli_u128 *acc = field < 0 ? &g->acc_delay : &g->acc[field];
	const cli_u128 *first = field < 0 ? &g->first_delay : &g->first[field];
	const cli_u128 *delta = field < 0 ? &g->delta_delay : &g->delta[field];

	switch (rep->view) {
	case VIEW_DELTA:
		return *delta;
	case VIEW_RUN:
		return *acc - *first;
	default:
		return *acc;
	}
}

double report_seconds(const struct report *rep, const struct report_row *r)
{
	if (rep->seconds > 0 || rep->groups)
		return rep->seconds;
	/* lifetime: rates over the task's age (at least one tick) */
	const struct scan_row *t = &rep->snap->rows[r->task];
	double tick = 1.0 / (double)rep->clock_ticks;
	double age = rep->snap->uptime - (double)t->start * tick;
	return age > tick ? age : tick;
}

/* --- building a report -------------------------------------------------------- */

static bool active(const struct report *rep, const struct report_row *r)
{
	for (int f = 0; f < IO_NFIELDS; f++)
		if (report_value(rep, r, f))
			return true;
	return false;
}

static int add_row(struct report *rep, unsigned task, unsigned old)
{
	struct report_row *rows = cli_grow(rep->rows, &rep->cap, rep->n + 1, sizeof(*rows), 1024);

	if (!rows)
		return -ENOMEM;
	rep->rows = rows;
	rows[rep->n++] = (struct report_row){ task, old };
	return 0;
}

static void start_report(struct report *rep, const struct scan_snapshot *cur,
			 const struct base *base, double seconds, long clock_ticks,
			 const struct report_options *opt)
{
	rep->n = 0;
	rep->snap = cur;
	rep->base = base;
	rep->groups = NULL;
	rep->view = VIEW_COUNTERS;
	rep->threads = opt->threads;
	rep->seconds = seconds;
	rep->clock_ticks = clock_ticks;
	memset(rep->io, 0, sizeof(rep->io));
	rep->delay = 0;
}

/* Keeps the row just added unless --only-active drops it; adds it to the
 * totals. */
static void keep_row(struct report *rep, const struct report_options *opt)
{
	const struct report_row *r = &rep->rows[rep->n - 1];

	if (opt->only_active && !active(rep, r)) {
		rep->n--;
		return;
	}
	for (int f = 0; f < IO_NFIELDS; f++)
		rep->io[f] = cli_u128_sat_add(rep->io[f], report_value(rep, r, f));
	rep->delay = cli_u128_sat_add(rep->delay, report_value(rep, r, -1)); /* groups near 2^128 */
}

/* Puts the rows in --sort's order (the column table's: rows are built
 * in pid or key order) and cuts at --top. */
static void finish_report(struct report *rep, const struct report_options *opt)
{
	rep->total_rows = rep->n;
	if (opt->sort.fn)
		opt->sort.fn(rep, opt->sort.ctx);
	if (opt->top && rep->n > opt->top)
		rep->n = opt->top;
}

int report_build(struct report *rep, const struct base *prev, const struct scan_snapshot *cur,
		 const struct report_options *opt, long clock_ticks)
{
	struct pair was = PAIR_OVER(struct base_row, prev ? prev->rows : NULL, prev ? prev->n : 0);

	start_report(rep, cur, prev, prev ? cur->mono - prev->mono : 0, clock_ticks, opt);
	for (size_t i = 0; i < cur->n; i++) {
		const struct scan_row *t = &cur->rows[i];
		unsigned old = ROW_NO_OLD;

		if (prev) {
			size_t o = pair_next(&was, t->pid, t->tid, t->start);
			if (o != PAIR_NONE)
				old = (unsigned)o;
			else if (pair_unseen(t->start, prev->uptime, clock_ticks))
				continue;
		}
		if (add_row(rep, (unsigned)i, old) < 0)
			return -ENOMEM;
		keep_row(rep, opt);
	}
	finish_report(rep, opt);
	return 0;
}

int report_build_groups(struct report *rep, const struct groups *g,
			const struct scan_snapshot *cur, enum group_view view, bool all_groups,
			double seconds, const struct report_options *opt)
{
	start_report(rep, cur, NULL, seconds, 0, opt); /* groups have no lifetime rates */
	rep->groups = g;
	rep->view = view;
	for (size_t i = 0; i < g->n; i++) {
		const struct group *grp = &g->v[i];
		if (add_row(rep, (unsigned)i, ROW_NO_OLD) < 0)
			return -ENOMEM;
		/* a group without members shows only when it did something, or
		 * when every counter is to be kept (Prometheus) */
		if (!grp->members && !all_groups && !active(rep, &rep->rows[rep->n - 1])) {
			rep->n--;
			continue;
		}
		keep_row(rep, opt);
	}
	finish_report(rep, opt);
	return 0;
}

void report_free(struct report *rep)
{
	free(rep->rows);
	rep->rows = NULL;
	rep->n = rep->cap = 0;
}

/* --- the summary of a run (pid rows) ------------------------------------------- */

/* Appends a copy of t, names included, to s, with what it did since 'base'
 * (NULL: all of it).  0 or -ENOMEM. */
static int copy_task(struct scan_snapshot *s, const struct scan_snapshot *from,
		     const struct scan_row *t, const struct scan_row *base)
{
	struct scan_row *rows = cli_grow(s->rows, &s->cap, s->n + 1, sizeof(*rows), 256);

	if (!rows)
		return -ENOMEM;
	s->rows = rows;
	struct scan_row *r = &s->rows[s->n];
	*r = *t;
	for (int f = 0; f < IO_NFIELDS; f++)
		r->io[f] = base ? pair_delta(t->io[f], base->io[f]) : t->io[f];
	r->delay = base ? pair_delta(t->delay, base->delay) : t->delay;
	if (scan_add_names(s, r, scan_comm(from, t), scan_extra(from, t)) < 0)
		return -ENOMEM;
	s->n++;
	return 0;
}

/* The task of 'in' (sorted by pid, tid) that is t, the same process (same
 * start time); NULL if none. */
static const struct scan_row *find_task(const struct scan_snapshot *in, const struct scan_row *t)
{
	const struct scan_row *r = in->n ? bsearch(t, in->rows, in->n, sizeof(*t), scan_cmp_task) : NULL;

	return r && r->start == t->start ? r : NULL;
}

static bool did_io(const struct scan_row *r)
{
	for (int f = 0; f < IO_NFIELDS; f++)
		if (r->io[f])
			return true;
	return r->delay != 0;
}

int report_note_exits(struct run_exits *x, const struct scan_snapshot *first,
		      const struct scan_snapshot *prev, const struct scan_snapshot *cur,
		      long clock_ticks)
{
	struct pair now = PAIR_OVER(struct scan_row, cur->rows, cur->n);

	for (size_t i = 0; i < prev->n; i++) {
		const struct scan_row *t = &prev->rows[i];
		if (pair_next(&now, t->pid, t->tid, t->start) != PAIR_NONE)
			continue; /* still there */
		const struct scan_row *base = find_task(first, t);
		if (!base && pair_unseen(t->start, first->uptime, clock_ticks))
			continue; /* no start to count from */
		size_t names = x->gone.names_len;
		if (copy_task(&x->gone, prev, t, base) < 0)
			return -ENOMEM;
		struct scan_row *r = &x->gone.rows[x->gone.n - 1];
		if (!did_io(r) || x->gone.n > RUN_EXITS_MAX) {
			/* rows only for what did I/O; past the cap, the totals alone */
			if (did_io(r)) {
				x->dropped++;
				for (int f = 0; f < IO_NFIELDS; f++)
					x->dropped_io[f] += r->io[f];
				x->dropped_delay += r->delay;
			}
			x->gone.n--;
			x->gone.names_len = names; /* its names were the last added */
		}
	}
	return 0;
}

int report_build_summary(struct report *rep, const struct scan_snapshot *first,
			 const struct scan_snapshot *last, const struct run_exits *x,
			 struct scan_snapshot *work, const struct report_options *opt,
			 long clock_ticks)
{
	struct pair was = PAIR_OVER(struct scan_row, first->rows, first->n);

	work->n = 0;
	work->names_len = 0;
	work->when = last->when;
	work->mono = last->mono;
	work->uptime = last->uptime;
	work->denied = last->denied;
	for (size_t i = 0; i < last->n; i++) {
		const struct scan_row *t = &last->rows[i], *base = NULL;
		size_t o = pair_next(&was, t->pid, t->tid, t->start);
		if (o != PAIR_NONE)
			base = &first->rows[o];
		else if (pair_unseen(t->start, first->uptime, clock_ticks))
			continue;
		if (copy_task(work, last, t, base) < 0)
			return -ENOMEM;
	}
	for (size_t i = 0; i < x->gone.n; i++)
		if (copy_task(work, &x->gone, &x->gone.rows[i], NULL) < 0)
			return -ENOMEM;
	/* a pid that ended and was reused is two rows: (pid, tid) then start */
	cli_sort(work->rows, work->n, sizeof(*work->rows), scan_cmp_task);

	/* the rows hold what each task did in the run: no base */
	start_report(rep, work, NULL, last->mono - first->mono, clock_ticks, opt);
	for (size_t i = 0; i < work->n; i++) {
		if (add_row(rep, (unsigned)i, ROW_NO_OLD) < 0)
			return -ENOMEM;
		keep_row(rep, opt);
	}
	finish_report(rep, opt);
	rep->total_rows += x->dropped;
	for (int f = 0; f < IO_NFIELDS; f++)
		rep->io[f] = cli_u128_sat_add(rep->io[f], x->dropped_io[f]);
	rep->delay = cli_u128_sat_add(rep->delay, x->dropped_delay);
	return 0;
}

void report_exits_free(struct run_exits *x)
{
	scan_snapshot_free(&x->gone);
	x->dropped = 0;
}
