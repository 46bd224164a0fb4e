/* SPDX-License-Identifier: MIT */
/*
 * Pairing two scans: which task of one is the same task in the other, and
 * what a counter did between them.  Every merge of two scans goes through
 * these, so "the same task" and "a counter that went down" mean one thing.
 *
 * A task is the same only if pid, tid and start time agree (a reused pid
 * has another start time).  Both sides are sorted by (pid, tid); the rows
 * of either side may be of any type with int pid, tid and unsigned long
 * long start members (a snapshot's scan_row, a base's base_row).
 */
#ifndef IOPSTAT_PAIR_H
#define IOPSTAT_PAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* A cursor over the rows of one side, moved forward as the other side is
 * walked in (pid, tid) order. */
struct pair {
	const char *rows;
	size_t n, size;                   /* rows, and the bytes of each */
	size_t pid_at, tid_at, start_at;  /* where a row keeps them */
	size_t j;                         /* the first row not below the last key */
};

#define PAIR_NONE ((size_t)-1)

/* A cursor over n rows of type 'type' at 'rows'. */
#define PAIR_OVER(type, rows_, n_)                                                   \
	((struct pair){ (const char *)(rows_), (n_), sizeof(type), offsetof(type, pid), \
			offsetof(type, tid), offsetof(type, start), 0 })

static inline int pair_int_at(const struct pair *p, size_t i, size_t at)
{
	int v;

	memcpy(&v, p->rows + i * p->size + at, sizeof(v));
	return v;
}

/* The index of the row that is the task (pid, tid, start), or PAIR_NONE.
 * The keys asked for must not go down from one call to the next.  Of rows
 * with the same (pid, tid) (a scan's ended task beside the live one that
 * reused its pid, sorted by start), only the first is looked at. */
static inline size_t pair_next(struct pair *p, int pid, int tid, unsigned long long start)
{
	while (p->j < p->n) {
		int rp = pair_int_at(p, p->j, p->pid_at);
		int rt = pair_int_at(p, p->j, p->tid_at);
		if (rp > pid || (rp == pid && rt >= tid))
			break;
		p->j++;
	}
	if (p->j >= p->n || pair_int_at(p, p->j, p->pid_at) != pid ||
	    pair_int_at(p, p->j, p->tid_at) != tid)
		return PAIR_NONE;
	unsigned long long s;
	memcpy(&s, p->rows + p->j * p->size + p->start_at, sizeof(s));
	return s == start ? p->j : PAIR_NONE;
}

/* What a counter did from 'then' to 'now': one that went down was reset and
 * counts from 0. */
static inline unsigned long long pair_delta(unsigned long long now, unsigned long long then)
{
	return now >= then ? now - then : now;
}

/* Whether a task started at 'start' (clock ticks after boot) and not found
 * in a scan taken 'then' seconds after boot was alive but unseen by it (not
 * readable, filtered) rather than born after it: it has no period to show
 * yet. */
static inline bool pair_unseen(unsigned long long start, double then, long clock_ticks)
{
	return (double)start / (double)clock_ticks < then;
}

#endif
