/* SPDX-License-Identifier: MIT */
/* iopstat's /proc reader.  See procfs.h. */
#define _GNU_SOURCE
#include "procfs.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "iopcli/cli.h"
#include <libioprio.h>

unsigned procfs_add_name(struct proc_snapshot *s, const char *name)
{
	size_t n = strlen(name) + 1;

	if (s->names_len + n > s->names_cap) {
		size_t cap = s->names_cap ? s->names_cap * 2 : 16384;
		while (cap < s->names_len + n)
			cap *= 2;
		char *more = cap < PROC_NO_NAME ? realloc(s->names, cap) : NULL;
		if (!more)
			return PROC_NO_NAME;
		s->names = more;
		s->names_cap = cap;
	}
	memcpy(s->names + s->names_len, name, n);
	s->names_len += n;
	return (unsigned)(s->names_len - n);
}

static struct proc_row *new_row(struct proc_snapshot *snap)
{
	if (snap->n == snap->cap) {
		size_t cap = snap->cap ? snap->cap * 2 : 1024;
		struct proc_row *rows = realloc(snap->rows, cap * sizeof(*rows));
		if (!rows)
			return NULL;
		snap->rows = rows;
		snap->cap = cap;
	}
	return &snap->rows[snap->n];
}

/* Reads one task into the next row; 1 added, 0 skipped, -ENOMEM. */
static int read_task(const struct proc_root *root, const struct scan_options *opt, int pid,
		     int tid, struct proc_snapshot *snap)
{
	unsigned need = opt->need | (opt->filter_uid ? NEED_OWNER : 0) |
			(opt->comm_re ? NEED_STAT : 0);
	unsigned owner = 0, *want_owner = need & NEED_OWNER ? &owner : NULL;
	struct proc_stat st = { .policy = 0 };
	int r;

	if (need & (NEED_STAT | NEED_PRIO)) {
		/* stat first: the filters it serves spare the io read */
		if (proc_read_stat(root, pid, tid, &st, want_owner) < 0)
			return 0; /* gone (ENOENT, ESRCH) or unreadable: not a process to show */
		want_owner = NULL; /* known now */
		if (opt->filter_uid && owner != opt->uid)
			return 0;
		if (opt->comm_re && regexec(opt->comm_re, st.comm, 0, NULL, 0) != 0)
			return 0;
	}

	struct proc_row *row = new_row(snap);
	if (!row)
		return -ENOMEM;
	r = proc_read_io(root, pid, tid, row->io, want_owner);
	if (r == -EACCES || r == -EPERM) {
		snap->denied++;
		return 0;
	}
	if (r < 0 || (opt->filter_uid && owner != opt->uid))
		return 0;

	row->pid = pid;
	row->tid = tid;
	row->uid = owner;
	row->start = st.start;
	row->delay = st.delay;
	row->comm = procfs_add_name(snap, st.comm);
	if (row->comm == PROC_NO_NAME)
		return -ENOMEM;
	row->prio = -1;
	if (root->own && (need & NEED_PRIO)) {
		int v = iop_get(IOP_WHO_PROCESS, tid ? tid : pid);
		if (v >= 0)
			row->prio = iop_effective_value(v, st.nice, st.policy < 0 ? 0 : st.policy);
	}
	row->cmdline = PROC_NO_NAME;
	if (need & NEED_CMDLINE) {
		char *line = proc_read_cmdline(root, pid, tid);
		if (line) {
			row->cmdline = procfs_add_name(snap, line);
			free(line);
			if (row->cmdline == PROC_NO_NAME)
				return -ENOMEM;
		}
	}
	snap->n++;
	return 1;
}

/* The threads of a process, each read as a row. */
static int read_threads(const struct proc_root *root, const struct scan_options *opt, int pid,
			struct proc_snapshot *snap)
{
	struct proc_list threads;
	size_t first = snap->n;
	int r = 0, tid;

	if (proc_list_open(&threads, root, pid) < 0)
		return 0; /* gone */
	while (r >= 0 && (tid = proc_list_next(&threads)))
		r = read_task(root, opt, pid, tid, snap);
	proc_list_close(&threads);
	/* /proc lists threads in creation order; rows are kept by tid */
	for (size_t i = first + 1; i < snap->n; i++)
		for (size_t j = i; j > first && snap->rows[j - 1].tid > snap->rows[j].tid; j--) {
			struct proc_row t = snap->rows[j];
			snap->rows[j] = snap->rows[j - 1];
			snap->rows[j - 1] = t;
		}
	return r < 0 ? r : 0;
}

static int read_pid(const struct proc_root *root, const struct scan_options *opt, int pid,
		    struct proc_snapshot *snap)
{
	if (opt->threads)
		return read_threads(root, opt, pid, snap);
	int r = read_task(root, opt, pid, 0, snap);
	return r < 0 ? r : 0;
}

static double now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_row(const void *a, const void *b)
{
	const struct proc_row *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

int procfs_scan(const struct proc_root *root, const struct scan_options *opt,
		struct proc_snapshot *snap)
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

	if (opt->npids) {
		for (size_t i = 0; i < opt->npids && r >= 0; i++)
			r = read_pid(root, opt, opt->pids[i], snap);
		return r;
	}
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
	if (!sorted)
		cli_sort(snap->rows, snap->n, sizeof(*snap->rows), cmp_row);
	return r;
}

void procfs_snapshot_free(struct proc_snapshot *snap)
{
	free(snap->rows);
	free(snap->names);
	snap->rows = NULL;
	snap->names = NULL;
	snap->n = snap->cap = snap->names_len = snap->names_cap = 0;
}

int procfs_snapshot_reserve(struct proc_snapshot *snap, const struct proc_snapshot *like)
{
	size_t rows = like->n + like->n / 4 + 64, names = like->names_len + like->names_len / 4 + 1024;

	if (rows > snap->cap) {
		struct proc_row *r = realloc(snap->rows, rows * sizeof(*r));
		if (!r)
			return -ENOMEM;
		snap->rows = r;
		snap->cap = rows;
	}
	if (names > snap->names_cap && names < PROC_NO_NAME) {
		char *n = realloc(snap->names, names);
		if (!n)
			return -ENOMEM;
		snap->names = n;
		snap->names_cap = names;
	}
	return 0;
}
