/* SPDX-License-Identifier: MIT */
/* iopstat's groups.  See groups.h for how the counters are kept. */
#define _GNU_SOURCE
#include "groups.h"
#include "pair.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iopcli/buf.h"
#include "iopcli/cli.h"

const char *const group_by_names[NGROUP_BY] = {
	[GROUP_PID] = "pid", [GROUP_COMM] = "comm", [GROUP_USER] = "user",
	[GROUP_CGROUP] = "cgroup", [GROUP_UNIT] = "unit",
};

unsigned group_by_need(enum group_by by)
{
	/* the parent, from stat, for every key: a reaped child's I/O is taken
	 * back from it */
	switch (by) {
	case GROUP_USER:
		return NEED_STAT | NEED_OWNER;
	case GROUP_CGROUP:
	case GROUP_UNIT:
		return NEED_STAT | NEED_CGROUP;
	default:
		return NEED_STAT;
	}
}

/* --- the key index: open addressing over the groups ------------------------------ */

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static uint64_t key_hash(const void *ctx, size_t i)
{
	return hash(((const struct groups *)ctx)->v[i].key);
}

static struct group *find(const struct groups *g, const char *key)
{
	size_t i;

	for (struct cli_slots_walk w = cli_slots_walk(&g->slots, hash(key)); cli_slots_next(&w, &i);)
		if (!strcmp(g->v[i].key, key))
			return &g->v[i];
	return NULL;
}

struct group *groups_get(struct groups *g, const char *key)
{
	struct group *found = find(g, key);

	if (found)
		return found;
	if (!cli_slots_fit(&g->slots, g->n + 1) &&
	    cli_slots_index(&g->slots, g->n, g->n + 1, key_hash, g) < 0)
		return NULL;
	struct group *v = cli_grow(g->v, &g->cap, g->n + 1, sizeof(*v), 16);
	if (!v)
		return NULL;
	g->v = v;
	struct group *n = &g->v[g->n];
	*n = (struct group){ .key = strdup(key) };
	if (!n->key)
		return NULL;
	cli_slots_put(&g->slots, hash(key), g->n++);
	return n;
}

const char *groups_key_of(const struct groups *g, const struct scan_snapshot *s,
			  const struct scan_row *r, char *buf, size_t size)
{
	const char *path, *unit;
	size_t len;

	switch (g->by) {
	case GROUP_USER:
		return cli_user_name(r->uid);
	case GROUP_CGROUP:
		path = scan_extra(s, r);
		return path ? path : "-";
	case GROUP_UNIT:
		path = scan_extra(s, r);
		unit = path ? proc_cgroup_unit(path, &len) : NULL;
		if (!unit)
			return "-"; /* in no unit: the root cgroup, a slice, a kernel thread */
		if (len >= size)
			len = size - 1;
		memcpy(buf, unit, len);
		buf[len] = '\0';
		return buf;
	default:
		/* a kernel worker's name says what it works on at the moment
		 * (kworker/1:2-events): the workers are one group */
		if (!strncmp(scan_comm(s, r), "kworker/", 8))
			return "kworker";
		return scan_comm(s, r);
	}
}

/* The group of a row: its key as a terminal shows it (control bytes,
 * invalid UTF-8 and backslashes escaped, \xNN and \\), which tells every
 * two keys apart in every format; CSV, JSON and Prometheus, which would
 * otherwise turn invalid UTF-8 into U+FFFD, then carry that text. */
static struct group *group_of(struct groups *g, const struct scan_snapshot *s,
			      const struct scan_row *r)
{
	static struct cli_buf key;
	static char *buf;
	static size_t size;
	const char *path = scan_extra(s, r);
	size_t want = path ? strlen(path) + 1 : 1;

	/* a unit's name is a component of the path: room for all of it */
	if (want > size) {
		char *more = realloc(buf, want);
		if (!more)
			return NULL;
		buf = more;
		size = want;
	}
	key.len = 0;
	cli_buf_text(&key, groups_key_of(g, s, r, buf, size));
	cli_buf_putc(&key, '\0');
	return groups_get(g, key.p);
}

/* --- the counters ------------------------------------------------------------- */

static void add(struct group *grp, const unsigned long long io[IO_NFIELDS],
		unsigned long long delay)
{
	for (int f = 0; f < IO_NFIELDS; f++) {
		grp->acc[f] = cli_u128_sat_add(grp->acc[f], io[f]);
		grp->delta[f] = cli_u128_sat_add(grp->delta[f], io[f]);
	}
	grp->acc_delay = cli_u128_sat_add(grp->acc_delay, delay);
	grp->delta_delay = cli_u128_sat_add(grp->delta_delay, delay);
}

void groups_mark_first(struct groups *g)
{
	for (size_t i = 0; i < g->n; i++) {
		memcpy(g->v[i].first, g->v[i].acc, sizeof(g->v[i].first));
		g->v[i].first_delay = g->v[i].acc_delay;
	}
}

int groups_start(struct groups *g, const struct scan_snapshot *cur)
{
	for (size_t i = 0; i < g->n; i++)
		g->v[i].members = 0;
	for (size_t i = 0; i < cur->n; i++) {
		struct group *grp = group_of(g, cur, &cur->rows[i]);
		if (!grp)
			return -ENOMEM;
		add(grp, cur->rows[i].io, cur->rows[i].delay);
		grp->members++;
	}
	groups_mark_first(g);
	for (size_t i = 0; i < g->n; i++) {
		struct group *grp = &g->v[i];
		memset(grp->delta, 0, sizeof(grp->delta));
		grp->delta_delay = 0;
		grp->empty_since = grp->members ? 0 : cur->when;
	}
	g->started = true;
	return 0;
}

static int cmp_row_key(const void *key, const void *elem)
{
	const int *pid = key;
	const struct scan_row *r = elem;

	if (*pid != r->pid)
		return *pid < r->pid ? -1 : 1;
	return r->tid ? -1 : 0; /* the process row (tid 0) sorts first */
}

static int cmp_pending(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->start > y->start) - (x->start < y->start);
}

/* The parents asked whether they ignore SIGCHLD, within one step: a
 * build's children share one reaper, whose status is then read once
 * (direct-mapped by pid; a clash asks again). */
#define SIGCHLD_SEEN 64
static struct {
	int pid;
	unsigned long long start;
	bool ignores;
} sigchld_seen[SIGCHLD_SEEN];

static bool ignores_sigchld(const struct proc_root *root, int pid, unsigned long long start)
{
	unsigned slot = (unsigned)pid % SIGCHLD_SEEN;

	if (sigchld_seen[slot].pid != pid || sigchld_seen[slot].start != start) {
		sigchld_seen[slot].pid = pid;
		sigchld_seen[slot].start = start;
		sigchld_seen[slot].ignores = proc_ignores_sigchld(root, pid) == 1;
	}
	return sigchld_seen[slot].ignores;
}

/* A reaped child's last-seen totals, to take back from its parent: the
 * parent must be in cur (the process row), must have started no later than
 * the child (else its pid was reused), and must not ignore SIGCHLD. */
static int offer(struct groups *g, const struct scan_snapshot *cur, const struct proc_root *root,
		 int ppid, unsigned long long child_start, const unsigned long long io[IO_NFIELDS])
{
	if (ppid <= 0)
		return 0;
	const struct scan_row *parent = cur->n ? bsearch(&ppid, cur->rows, cur->n,
							  sizeof(*cur->rows), cmp_row_key) : NULL;
	if (!parent || parent->tid || parent->start > child_start)
		return 0;
	if (root && ignores_sigchld(root, ppid, parent->start))
		return 0; /* the kernel reaps for it and adds the I/O to nobody */
	struct pending *p = cli_grow(g->pend, &g->pend_cap, g->npend + 1, sizeof(*p), 16);
	if (!p)
		return -ENOMEM;
	g->pend = p;
	p = &g->pend[g->npend++];
	*p = (struct pending){ .pid = ppid, .start = parent->start };
	memcpy(p->io, io, sizeof(p->io));
	return 0;
}

/* Takes what is pending for the task t from its growth d. */
static void take_back(struct groups *g, size_t *k, const struct scan_row *t,
		      unsigned long long d[IO_NFIELDS])
{
	while (*k < g->npend && g->pend[*k].pid < t->pid)
		(*k)++;
	for (size_t i = *k; i < g->npend && g->pend[i].pid == t->pid; i++) {
		struct pending *p = &g->pend[i];
		if (p->start != t->start || t->tid)
			continue;
		for (int f = 0; f < IO_NFIELDS; f++) {
			unsigned long long take = p->io[f] < d[f] ? p->io[f] : d[f];
			d[f] -= take;
			p->io[f] -= take;
		}
	}
}

static void expire(struct groups *g, double now)
{
	size_t n = 0;

	for (size_t i = 0; i < g->n; i++) {
		struct group *grp = &g->v[i];
		if (grp->members)
			grp->empty_since = 0;
		else if (!grp->empty_since)
			grp->empty_since = now;
		if (g->expire > 0 && grp->empty_since && now - grp->empty_since > g->expire) {
			free(grp->key);
			continue;
		}
		g->v[n++] = *grp;
	}
	if (n != g->n) {
		g->n = n;
		/* fewer: they fit, in a table that may shrink (never failing) */
		cli_slots_index(&g->slots, n, n, key_hash, g);
	}
}

int groups_step(struct groups *g, const struct base *prev, const struct scan_snapshot *cur,
		const struct proc_root *root, long clock_ticks)
{
	size_t k = 0, kept = 0;
	struct pair now = PAIR_OVER(struct scan_row, cur->rows, cur->n);
	struct pair was = PAIR_OVER(struct base_row, prev->rows, prev->n);

	memset(sigchld_seen, 0, sizeof(sigchld_seen)); /* asked again each step */
	for (size_t i = 0; i < g->n; i++) {
		g->v[i].members = 0;
		memset(g->v[i].delta, 0, sizeof(g->v[i].delta));
		g->v[i].delta_delay = 0;
	}
	/* reaped children: those of prev gone from cur, and the zombies of cur
	 * reaped while it was read */
	for (size_t i = 0; i < prev->n; i++) {
		const struct base_row *o = &prev->rows[i];
		bool there = pair_next(&now, o->pid, o->tid, o->start) != PAIR_NONE;
		if (!there && !(o->flags & ROW_REAPED) && !o->tid &&
		    offer(g, cur, root, o->ppid, o->start, o->io) < 0)
			return -ENOMEM;
	}
	for (size_t i = 0; i < cur->n; i++) {
		const struct scan_row *t = &cur->rows[i];
		size_t oi = pair_next(&was, t->pid, t->tid, t->start);
		const struct base_row *o = oi != PAIR_NONE ? &prev->rows[oi] : NULL;
		if ((t->flags & ROW_REAPED) && !(o && (o->flags & ROW_REAPED)) && !t->tid &&
		    offer(g, cur, root, t->ppid, t->start, t->io) < 0)
			return -ENOMEM;
	}
	cli_sort(g->pend, g->npend, sizeof(*g->pend), cmp_pending);

	was = PAIR_OVER(struct base_row, prev->rows, prev->n);
	for (size_t i = 0; i < cur->n; i++) {
		const struct scan_row *t = &cur->rows[i];
		struct group *grp = group_of(g, cur, t);
		if (!grp)
			return -ENOMEM;
		if (!(t->flags & ROW_EXITED))
			grp->members++; /* an exited row brings its I/O, not a member */
		size_t oi = pair_next(&was, t->pid, t->tid, t->start);
		const struct base_row *o = oi != PAIR_NONE ? &prev->rows[oi] : NULL;
		unsigned long long d[IO_NFIELDS], delay;
		if (o) {
			for (int f = 0; f < IO_NFIELDS; f++)
				d[f] = pair_delta(t->io[f], o->io[f]);
			delay = pair_delta(t->delay, o->delay);
		} else if (pair_unseen(t->start, prev->uptime, clock_ticks)) {
			continue; /* alive before but not seen: from the next step on */
		} else {
			memcpy(d, t->io, sizeof(d)); /* born in between: all of it */
			delay = t->delay;
		}
		take_back(g, &k, t, d);
		add(grp, d, delay);
	}
	/* what was offered twice is dropped, and what was all taken */
	for (size_t i = 0; i < g->npend; i++) {
		struct pending *p = &g->pend[i];
		bool left = false;
		for (int f = 0; f < IO_NFIELDS; f++)
			left |= p->io[f] != 0;
		if (left && p->age++ < 1)
			g->pend[kept++] = *p;
	}
	g->npend = kept;
	expire(g, cur->when);
	return 0;
}

void groups_free(struct groups *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->v[i].key);
	free(g->v);
	cli_slots_free(&g->slots);
	free(g->pend);
	*g = (struct groups){ .by = g->by };
}
