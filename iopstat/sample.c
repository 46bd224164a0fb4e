/* iopstat's sampler.  See sample.h. */
#include "sample.h"
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int cmp_task(const struct proc_row *a, const struct proc_row *b)
{
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return (a->tid > b->tid) - (a->tid < b->tid);
}

static unsigned long long since(unsigned long long now, unsigned long long then)
{
	return now >= then ? now - then : now; /* went down: reset, counts from 0 */
}

static enum sort_key sort_by; /* key_of() reads it */

static unsigned long long key_of(const struct report_row *r)
{
	switch ((int)sort_by) {
	case SORT_IO:
		return r->io[IO_READ_BYTES] + r->io[IO_WRITE_BYTES];
	case SORT_DELAY:
		return r->delay;
	case SORT_PRIO: /* the highest priority first: rt/0 before be/7 before idle */
		return r->task->prio < 0 ? 0 : 0x10000ULL - (unsigned)r->task->prio;
	case SORT_PID:
		return 0;
	case SORT_READ_RATE: /* in milli-bytes per second, to keep fractions apart */
		return (unsigned long long)((double)r->io[IO_READ_BYTES] / r->seconds * 1000);
	case SORT_WRITE_RATE:
		return (unsigned long long)((double)r->io[IO_WRITE_BYTES] / r->seconds * 1000);
	default:
		return r->io[sort_by];
	}
}

static int cmp_rows(const void *a, const void *b)
{
	const struct report_row *x = a, *y = b;

	if (x->key != y->key)
		return x->key > y->key ? -1 : 1; /* descending */
	return cmp_task(x->task, y->task);
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

int report_build(struct report *rep, const struct proc_snapshot *prev,
		 const struct proc_snapshot *cur, const struct report_options *opt,
		 long clock_ticks)
{
	size_t j = 0;

	rep->n = 0;
	rep->snap = cur;
	rep->seconds = prev ? cur->mono - prev->mono : 0;
	memset(rep->io, 0, sizeof(rep->io));
	rep->delay = 0;

	for (size_t i = 0; i < cur->n; i++) {
		const struct proc_row *t = &cur->rows[i];
		const struct proc_row *old = NULL;
		double started = (double)t->start / (double)clock_ticks; /* seconds after boot */

		if (prev) {
			/* both are sorted by (pid, tid): a merge */
			while (j < prev->n && cmp_task(&prev->rows[j], t) < 0)
				j++;
			if (j < prev->n && cmp_task(&prev->rows[j], t) == 0 &&
			    prev->rows[j].start == t->start)
				old = &prev->rows[j];
			/* unseen at the last scan although alive then: no period yet */
			if (!old && started < prev->uptime)
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
			double age = cur->uptime - started;
			double tick = 1.0 / (double)clock_ticks;
			r->seconds = age > tick ? age : tick;
		}
		if (opt->only_active && !active(r)) {
			rep->n--;
			continue;
		}
		for (int f = 0; f < IO_NFIELDS; f++)
			rep->io[f] += r->io[f];
		rep->delay += r->delay;
	}

	rep->total_rows = rep->n;
	if (opt->sort != SORT_PID) { /* rows are in pid order already */
		sort_by = opt->sort;
		for (size_t i = 0; i < rep->n; i++)
			rep->rows[i].key = key_of(&rep->rows[i]);
		cli_sort(rep->rows, rep->n, sizeof(*rep->rows), cmp_rows);
	}
	if (opt->top && rep->n > opt->top)
		rep->n = opt->top;
	return 0;
}

void report_free(struct report *rep)
{
	free(rep->rows);
	rep->rows = NULL;
	rep->n = rep->cap = 0;
}
