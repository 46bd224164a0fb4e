/* SPDX-License-Identifier: MIT */
/* iopstat's /proc reader.  See scan.h. */
#define _GNU_SOURCE
#include "scan.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "iopcli/cli.h"
#include <libioprio.h>

/* Appends a string and its NUL to the names: 0 or -ENOMEM. */
static int add_string(struct scan_snapshot *s, const char *str)
{
	size_t n = strlen(str) + 1;

	if (s->names_len + n >= SCAN_NO_NAME)
		return -ENOMEM;
	char *more = cli_grow(s->names, &s->names_cap, s->names_len + n, 1, 16384);
	if (!more)
		return -ENOMEM;
	s->names = more;
	memcpy(s->names + s->names_len, str, n);
	s->names_len += n;
	return 0;
}

int scan_add_names(struct scan_snapshot *s, struct scan_row *r, const char *name,
		     const char *extra)
{
	size_t at = s->names_len;

	if (add_string(s, name) < 0 || (extra && add_string(s, extra) < 0)) {
		s->names_len = at;
		return -ENOMEM;
	}
	r->name = (unsigned)at;
	r->flags = (unsigned short)((r->flags & ~ROW_EXTRA) | (extra ? ROW_EXTRA : 0));
	return 0;
}

const char *scan_extra(const struct scan_snapshot *s, const struct scan_row *r)
{
	if (!(r->flags & ROW_EXTRA))
		return NULL;
	const char *name = s->names + r->name;
	return name + strlen(name) + 1;
}

static struct scan_row *new_row(struct scan_snapshot *snap)
{
	struct scan_row *rows = cli_grow(snap->rows, &snap->cap, snap->n + 1, sizeof(*rows), 1024);

	if (!rows)
		return NULL;
	snap->rows = rows;
	return &snap->rows[snap->n];
}

/* Whether a thread of process pid has another priority set than v, its
 * main thread's; asked only of processes with more than one thread. */
static bool other_prio(const struct proc_root *root, int pid, int v)
{
	int *prios = NULL;
	size_t n = 0;

	proc_thread_prios(root, pid, v, 2, &prios, &n); /* no memory: no mark */
	free(prios);
	return n > 0;
}

/* Reads one task into the next row; 1 added, 0 skipped, -ENOMEM. */
static int read_task(const struct proc_root *root, const struct scan_options *opt, int pid,
		     int tid, struct scan_snapshot *snap)
{
	const struct sel_criteria *sel = &opt->sel;
	unsigned need = opt->need | (sel->nuids ? NEED_OWNER : 0) |
			(sel_needs_stat(sel) ? NEED_STAT : 0);
	unsigned owner = 0, *want_owner = need & NEED_OWNER ? &owner : NULL;
	struct proc_stat st = { .policy = 0 };
	struct sel_task t = { .pid = pid, .tid = tid };
	enum sel_verdict verdict = SEL_YES;
	int r;

	if (!sel->tree) {
		/* the pid and the owner first: another user's task costs no
		 * file at all */
		verdict = sel_match(root, sel, &t);
		if (verdict == SEL_NO)
			return 0;
		if (t.owner_known) {
			owner = t.owner;
			want_owner = NULL;
		}
	}
	if (need & (NEED_STAT | NEED_PRIO | NEED_CGROUP)) {
		/* stat first: the filters it serves spare the io read */
		r = proc_read_stat(root, pid, tid, &st, want_owner);
		if (r == -EACCES || r == -EPERM) {
			/* not ours to read (hidepid=noaccess): counted, as an io
			 * read refused is, never passed over in silence */
			snap->denied++;
			return 0;
		}
		if (r < 0)
			return 0; /* gone (ENOENT, ESRCH), or not what the kernel writes */
		if (st.state == 'X')
			return 0; /* dead: reaped, its I/O its parent's already */
		if (want_owner) {
			t.owner = owner;
			t.owner_known = true;
		}
		want_owner = NULL; /* known now */
		t.st = &st;
		if (verdict == SEL_NEEDS_STAT && sel_match(root, sel, &t) != SEL_YES)
			return 0;
		owner = t.owner_known ? t.owner : owner;
	}

	struct scan_row *row = new_row(snap);
	if (!row)
		return -ENOMEM;
	r = proc_read_io(root, pid, tid, row->io, want_owner);
	if (r == -EACCES || r == -EPERM) {
		snap->denied++;
		return 0;
	}
	if (r < 0)
		return 0;

	row->pid = pid;
	row->tid = tid;
	row->uid = owner;
	row->ppid = st.ppid;
	row->start = st.start;
	row->delay = st.delay;
	row->flags = st.state == 'Z' ? ROW_ZOMBIE : 0;
	row->prio = -1;
	if (root->own && (need & NEED_PRIO)) {
		int v = iop_get(IOP_WHO_PROCESS, tid ? tid : pid);
		int e = v < 0 ? v : iop_effective_value(v, st.nice, st.policy < 0 ? 0 : st.policy);
		if (e >= 0)
			row->prio = (short)e;
		if (v >= 0 && !tid && (need & NEED_PRIO_MARK) && st.threads > 1 &&
		    other_prio(root, pid, v))
			row->flags |= ROW_PRIO_MIXED;
	}
	char *extra = NULL;
	if (need & NEED_CMDLINE) {
		extra = proc_read_cmdline(root, pid, tid);
	} else if (need & NEED_CGROUP) {
		/* whole, however long: a key cut short would join two groups */
		extra = proc_read_cgroup_path(root, pid);
		if (!extra && errno == ENOMEM)
			return -ENOMEM;
	}
	/* no cgroup file: an old kernel, a fixture */
	r = scan_add_names(snap, row, st.comm, extra ? extra : (need & NEED_CGROUP) ? "-" : NULL);
	free(extra);
	if (r < 0)
		return -ENOMEM;
	snap->n++;
	return 1;
}

/* The threads of a process, each read as a row. */
static int read_threads(const struct proc_root *root, const struct scan_options *opt, int pid,
			struct scan_snapshot *snap)
{
	struct proc_list threads;
	size_t first = snap->n;
	int r = 0, tid;

	r = proc_list_open(&threads, root, pid);
	if (r == -EACCES || r == -EPERM) {
		/* not ours to list (hidepid=noaccess): its threads unknown, it
		 * counts as one denied, never passed over in silence */
		snap->denied++;
		return 0;
	}
	if (r < 0)
		return 0; /* gone */
	while (r >= 0 && (tid = proc_list_next(&threads)))
		r = read_task(root, opt, pid, tid, snap);
	proc_list_close(&threads);
	/* /proc lists threads in creation order; rows are kept by tid */
	for (size_t i = first + 1; i < snap->n; i++)
		for (size_t j = i; j > first && snap->rows[j - 1].tid > snap->rows[j].tid; j--) {
			struct scan_row t = snap->rows[j];
			snap->rows[j] = snap->rows[j - 1];
			snap->rows[j - 1] = t;
		}
	return r < 0 ? r : 0;
}

static int read_pid(const struct proc_root *root, const struct scan_options *opt, int pid,
		    struct scan_snapshot *snap)
{
	if (opt->threads)
		return read_threads(root, opt, pid, snap);
	int r = read_task(root, opt, pid, 0, snap);
	return r < 0 ? r : 0;
}

/* --tree: the processes sel_scan() selects (those matching, and their
 * descendants, as ionice and ioprio-get have them), each read whole if it
 * is still the process selected (its start time).  0 or -errno. */
static int read_tree(const struct proc_root *root, const struct scan_options *opt,
		     struct scan_snapshot *snap)
{
	struct sel_set known = { 0 }, fresh = { 0 };
	int r = sel_scan(root, &opt->sel, SEL_MATCH, &known, &fresh);

	for (size_t i = 0; r >= 0 && i < fresh.n; i++) {
		struct proc_stat st;
		if (sel_check(root, &fresh.v[i], &st, NULL) == 0)
			r = read_pid(root, opt, fresh.v[i].pid, snap);
	}
	sel_free(&known);
	sel_free(&fresh);
	return r < 0 ? r : 0;
}

static double now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int scan_cmp_task(const void *a, const void *b)
{
	const struct scan_row *x = a, *y = b;

	return CMP_TASK(x, y);
}

int scan_tasks(const struct proc_root *root, const struct scan_options *opt,
		struct scan_snapshot *snap)
{
	struct proc_list procs;
	bool sorted = true;
	int r = 0, pid, last = 0;

	snap->n = 0;
	snap->names_len = 0;
	snap->denied = 0;
	snap->when = now(CLOCK_REALTIME);
	snap->mono = now(CLOCK_MONOTONIC);
	snap->uptime = proc_uptime(root);

	if (opt->sel.tree) {
		r = read_tree(root, opt, snap);
	} else if (opt->sel.npids) {
		for (size_t i = 0; i < opt->sel.npids && r >= 0; i++)
			r = read_pid(root, opt, opt->sel.pids[i], snap);
	} else {
		r = proc_list_open(&procs, root, 0);
		if (r < 0)
			return r;
		while (r >= 0 && (pid = proc_list_next(&procs))) {
			if (pid < last)
				sorted = false;
			last = pid;
			r = read_pid(root, opt, pid, snap);
		}
		proc_list_close(&procs);
	}
	/* a zombie reaped while the scan went on: its parent may have been
	 * read with its I/O already added (the kernel adds it at the reap) */
	for (size_t i = 0; r >= 0 && i < snap->n; i++) {
		struct scan_row *z = &snap->rows[i];
		struct proc_stat st;
		if ((z->flags & ROW_ZOMBIE) &&
		    (proc_read_stat(root, z->pid, z->tid, &st, NULL) < 0 || st.state == 'X' ||
		     st.start != z->start))
			z->flags |= ROW_REAPED;
	}
	if (!sorted)
		cli_sort(snap->rows, snap->n, sizeof(*snap->rows), scan_cmp_task);
	return r;
}

void scan_snapshot_free(struct scan_snapshot *snap)
{
	free(snap->rows);
	free(snap->names);
	snap->rows = NULL;
	snap->names = NULL;
	snap->n = snap->cap = snap->names_len = snap->names_cap = 0;
}

int scan_snapshot_reserve(struct scan_snapshot *snap, const struct scan_snapshot *like)
{
	size_t rows = like->n + like->n / 4 + 64, names = like->names_len + like->names_len / 4 + 1024;

	if (rows > snap->cap) {
		struct scan_row *r = realloc(snap->rows, rows * sizeof(*r));
		if (!r)
			return -ENOMEM;
		snap->rows = r;
		snap->cap = rows;
	}
	if (names > snap->names_cap && names < SCAN_NO_NAME) {
		char *n = realloc(snap->names, names);
		if (!n)
			return -ENOMEM;
		snap->names = n;
		snap->names_cap = names;
	}
	return 0;
}

/* --- what is kept of a scan for the next one ------------------------------------ */

int base_keep(struct base *b, const struct scan_snapshot *s)
{
	struct base_row *rows = cli_grow(b->rows, &b->cap, s->n, sizeof(*rows), 1024);

	if (!rows)
		return -ENOMEM;
	b->rows = rows;
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct scan_row *t = &s->rows[i];
		if (t->flags & ROW_EXITED)
			continue; /* reported once, in the interval it ended in */
		struct base_row *r = &rows[n++];
		r->pid = t->pid;
		r->tid = t->tid;
		r->ppid = t->ppid;
		r->flags = t->flags & ROW_REAPED;
		r->uid = t->uid;
		r->start = t->start;
		memcpy(r->io, t->io, sizeof(r->io));
		r->delay = t->delay;
	}
	b->n = n;
	b->uptime = s->uptime;
	b->mono = s->mono;
	b->when = s->when;
	return 0;
}

void base_free(struct base *b)
{
	free(b->rows);
	*b = (struct base){ 0 };
}
