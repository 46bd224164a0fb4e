/* SPDX-License-Identifier: MIT */
/* iopstat's sampler.  See sample.h. */
#include "sample.h"
#include "iopcli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int cmp_task(const struct proc_row *a, const struct proc_row *b)
{
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return (a->tid > b->tid) - (a->tid < b->tid);
}

static int cmp_task_v(const void *a, const void *b)
{
	return cmp_task(a, b);
}

static unsigned long long since(unsigned long long now, unsigned long long then)
{
	return now >= then ? now - then : now; /* went down: reset, counts from 0 */
}

/* What cmp_rows() sorts by: qsort() passes no context. */
static enum column sort_by;
static const struct report *sort_rep;

/* By the --sort column (its values are read as rows are compared, not
 * stored: a row fewer bytes is 5,000 rows less memory), then by task. */
static int cmp_rows(const void *a, const void *b)
{
	const struct report_row *x = a, *y = b;
	int c = column_compare(sort_by, sort_rep, x, y);

	return c ? c : cmp_task(x->task, y->task);
}

static bool active(const struct report_row *r)
{
	for (int f = 0; f < IO_NFIELDS; f++)
		if (r->io[f])
			return true;
	return false;
}

static struct report_row *add_row(struct report *rep)
{
	if (rep->n == rep->cap) {
		size_t cap = rep->cap ? rep->cap * 2 : 1024;
		struct report_row *rows = realloc(rep->rows, cap * sizeof(*rows));
		if (!rows)
			return NULL;
		rep->rows = rows;
		rep->cap = cap;
	}
	return &rep->rows[rep->n++];
}

static void start_report(struct report *rep, const struct proc_snapshot *cur, double seconds)
{
	rep->n = 0;
	rep->snap = cur;
	rep->seconds = seconds;
	memset(rep->io, 0, sizeof(rep->io));
	rep->delay = 0;
}

/* Keeps the row just added unless --only-active drops it; adds it to the
 * totals. */
static void keep_row(struct report *rep, const struct report_options *opt)
{
	struct report_row *r = &rep->rows[rep->n - 1];

	if (opt->only_active && !active(r)) {
		rep->n--;
		return;
	}
	for (int f = 0; f < IO_NFIELDS; f++)
		rep->io[f] += r->io[f];
	rep->delay += r->delay;
}

/* Sorts (rows are in pid order already) and cuts at --top. */
static void finish_report(struct report *rep, const struct report_options *opt)
{
	rep->total_rows = rep->n;
	if (opt->sort != COL_PID) { /* rows are in pid order already */
		sort_by = opt->sort;
		sort_rep = rep;
		cli_sort(rep->rows, rep->n, sizeof(*rep->rows), cmp_rows);
	}
	if (opt->top && rep->n > opt->top)
		rep->n = opt->top;
}

/* The task of 'in' (sorted by pid, tid) that is t, the same process (same
 * start time); NULL if none. */
static const struct proc_row *find_task(const struct proc_snapshot *in, const struct proc_row *t)
{
	const struct proc_row *r = in->n ? bsearch(t, in->rows, in->n, sizeof(*t), cmp_task_v) : NULL;

	return r && r->start == t->start ? r : NULL;
}

/* Whether t was alive but not seen when 'then' was taken (not readable,
 * filtered): it has no period to show yet. */
static bool unseen(const struct proc_row *t, const struct proc_snapshot *then, long clock_ticks)
{
	return (double)t->start / (double)clock_ticks < then->uptime;
}

int report_build(struct report *rep, const struct proc_snapshot *prev,
		 const struct proc_snapshot *cur, const struct report_options *opt,
		 long clock_ticks)
{
	size_t j = 0;

	start_report(rep, cur, prev ? cur->mono - prev->mono : 0);
	for (size_t i = 0; i < cur->n; i++) {
		const struct proc_row *t = &cur->rows[i];
		const struct proc_row *old = NULL;

		if (prev) {
			/* both are sorted by (pid, tid): a merge */
			while (j < prev->n && cmp_task(&prev->rows[j], t) < 0)
				j++;
			if (j < prev->n && cmp_task(&prev->rows[j], t) == 0 &&
			    prev->rows[j].start == t->start)
				old = &prev->rows[j];
			if (!old && unseen(t, prev, clock_ticks))
				continue;
		}

		struct report_row *r = add_row(rep);
		if (!r)
			return -ENOMEM;
		r->task = t;
		for (int f = 0; f < IO_NFIELDS; f++)
			r->io[f] = old ? since(t->io[f], old->io[f]) : t->io[f];
		r->delay = old ? since(t->delay, old->delay) : t->delay;
		if (prev) {
			r->seconds = rep->seconds;
		} else {
			/* lifetime: rates over the task's age (at least one tick) */
			double age = cur->uptime - (double)t->start / (double)clock_ticks;
			double tick = 1.0 / (double)clock_ticks;
			r->seconds = age > tick ? age : tick;
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

/* Appends a copy of t, names included, to s, with what it did since 'base'
 * (NULL: all of it).  0 or -ENOMEM. */
static int copy_task(struct proc_snapshot *s, const struct proc_snapshot *from,
		     const struct proc_row *t, const struct proc_row *base)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct proc_row *rows = realloc(s->rows, cap * sizeof(*rows));
		if (!rows)
			return -ENOMEM;
		s->rows = rows;
		s->cap = cap;
	}
	struct proc_row *r = &s->rows[s->n];
	*r = *t;
	for (int f = 0; f < IO_NFIELDS; f++)
		r->io[f] = base ? since(t->io[f], base->io[f]) : t->io[f];
	r->delay = base ? since(t->delay, base->delay) : t->delay;
	r->comm = procfs_add_name(s, proc_comm(from, t));
	if (r->comm == PROC_NO_NAME)
		return -ENOMEM;
	if (proc_cmdline(from, t)) {
		r->cmdline = procfs_add_name(s, proc_cmdline(from, t));
		if (r->cmdline == PROC_NO_NAME)
			return -ENOMEM;
	}
	s->n++;
	return 0;
}

static bool did_io(const struct proc_row *r)
{
	for (int f = 0; f < IO_NFIELDS; f++)
		if (r->io[f])
			return true;
	return r->delay != 0;
}

int report_note_exits(struct run_exits *x, const struct proc_snapshot *first,
		      const struct proc_snapshot *prev, const struct proc_snapshot *cur,
		      long clock_ticks)
{
	size_t j = 0;

	for (size_t i = 0; i < prev->n; i++) {
		const struct proc_row *t = &prev->rows[i];
		while (j < cur->n && cmp_task(&cur->rows[j], t) < 0)
			j++;
		if (j < cur->n && cmp_task(&cur->rows[j], t) == 0 && cur->rows[j].start == t->start)
			continue; /* still there */
		const struct proc_row *base = find_task(first, t);
		if (!base && unseen(t, first, clock_ticks))
			continue; /* no start to count from */
		if (copy_task(&x->gone, prev, t, base) < 0)
			return -ENOMEM;
		struct proc_row *r = &x->gone.rows[x->gone.n - 1];
		if (!did_io(r) || x->gone.n > RUN_EXITS_MAX) {
			/* rows only for what did I/O; past the cap, the totals alone */
			if (did_io(r)) {
				x->dropped++;
				for (int f = 0; f < IO_NFIELDS; f++)
					x->dropped_io[f] += r->io[f];
				x->dropped_delay += r->delay;
			}
			x->gone.n--;
			x->gone.names_len = r->comm; /* its names were the last added */
		}
	}
	return 0;
}

int report_build_summary(struct report *rep, const struct proc_snapshot *first,
			 const struct proc_snapshot *last, const struct run_exits *x,
			 struct proc_snapshot *work, const struct report_options *opt,
			 long clock_ticks)
{
	size_t j = 0;

	work->n = 0;
	work->names_len = 0;
	work->when = last->when;
	work->mono = last->mono;
	work->uptime = last->uptime;
	work->denied = last->denied;
	for (size_t i = 0; i < last->n; i++) {
		const struct proc_row *t = &last->rows[i], *base = NULL;
		while (j < first->n && cmp_task(&first->rows[j], t) < 0)
			j++;
		if (j < first->n && cmp_task(&first->rows[j], t) == 0 && first->rows[j].start == t->start)
			base = &first->rows[j];
		if (!base && unseen(t, first, clock_ticks))
			continue;
		if (copy_task(work, last, t, base) < 0)
			return -ENOMEM;
	}
	for (size_t i = 0; i < x->gone.n; i++)
		if (copy_task(work, &x->gone, &x->gone.rows[i], NULL) < 0)
			return -ENOMEM;
	/* a pid that ended and was reused is two rows: (pid, tid) then start */
	cli_sort(work->rows, work->n, sizeof(*work->rows), cmp_task_v);

	start_report(rep, work, last->mono - first->mono);
	for (size_t i = 0; i < work->n; i++) {
		struct report_row *r = add_row(rep);
		if (!r)
			return -ENOMEM;
		r->task = &work->rows[i];
		memcpy(r->io, work->rows[i].io, sizeof(r->io));
		r->delay = work->rows[i].delay;
		r->seconds = rep->seconds;
		keep_row(rep, opt);
	}
	finish_report(rep, opt);
	rep->total_rows += x->dropped;
	for (int f = 0; f < IO_NFIELDS; f++)
		rep->io[f] += x->dropped_io[f];
	rep->delay += x->dropped_delay;
	return 0;
}

void report_exits_free(struct run_exits *x)
{
	procfs_snapshot_free(&x->gone);
	x->dropped = 0;
}
