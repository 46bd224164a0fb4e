/* SPDX-License-Identifier: MIT */
/* Selecting processes as pgrep does, and their descendants.  See select.h. */
#define _GNU_SOURCE
#include "iopcli/select.h"
#include "iopcli/array.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* One live process of a pass. */
struct live {
	int pid, ppid;
	unsigned long long start;
	bool in; /* selected */
};

static int cmp_proc(const void *a, const void *b)
{
	const struct sel_proc *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->start > y->start) - (x->start < y->start);
}

static int cmp_live(const void *a, const void *b)
{
	const struct live *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

bool sel_contains(const struct sel_set *set, int pid, unsigned long long start)
{
	struct sel_proc key = { pid, start };

	return set->n && bsearch(&key, set->v, set->n, sizeof(*set->v), cmp_proc);
}

static int reserve(struct sel_set *set, size_t more)
{
	struct sel_proc *v = cli_grow(set->v, &set->cap, set->n + more, sizeof(*v), 16);

	if (!v)
		return -ENOMEM;
	set->v = v;
	return 0;
}

int sel_add(struct sel_set *set, int pid, unsigned long long start)
{
	struct sel_proc p = { pid, start };
	size_t i = set->n;

	if (sel_contains(set, pid, start))
		return 0;
	if (reserve(set, 1) < 0)
		return -ENOMEM;
	while (i > 0 && cmp_proc(&set->v[i - 1], &p) > 0) { /* mostly appended at the end */
		set->v[i] = set->v[i - 1];
		i--;
	}
	set->v[i] = p;
	set->n++;
	return 1;
}

void sel_free(struct sel_set *set)
{
	free(set->v);
	set->v = NULL;
	set->n = set->cap = 0;
}

static bool has_int(const int *v, size_t n, int x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

static bool has_uint(const unsigned *v, size_t n, unsigned x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

bool sel_needs_stat(const struct sel_criteria *c)
{
	return c->npgids || c->re;
}

/* One kind of criterion for one task: not given, unmet, met, or not known
 * without the stat. */
enum kind { NOT_GIVEN, UNMET, MET, UNKNOWN };

/* Whether the kinds known so far decide: SEL_YES or SEL_NO, else -1. */
static int decided(const struct sel_criteria *c, const enum kind *k, size_t n)
{
	bool unknown = false, given = false;

	for (size_t i = 0; i < n; i++) {
		given |= k[i] != NOT_GIVEN;
		unknown |= k[i] == UNKNOWN;
		if (c->any && k[i] == MET)
			return SEL_YES;
		if (!c->any && k[i] == UNMET)
			return SEL_NO;
	}
	if (unknown)
		return -1;
	return !c->any || !given ? SEL_YES : SEL_NO;
}

static enum kind kind_of(bool given, bool met)
{
	return !given ? NOT_GIVEN : met ? MET : UNMET;
}

enum sel_verdict sel_match(const struct proc_root *root, const struct sel_criteria *c,
			   struct sel_task *t)
{
	const struct proc_stat *st = t->st;
	/* pid, group, name (or command line), user */
	enum kind k[4] = { kind_of(c->npids, has_int(c->pids, c->npids, t->pid)) };
	int d;

	t->pgid_at = -1;
	for (size_t i = 0; st && i < c->npgids && t->pgid_at < 0; i++)
		if (c->pgids[i] == st->pgrp)
			t->pgid_at = (int)i;
	k[1] = !c->npgids ? NOT_GIVEN : !st ? UNKNOWN : t->pgid_at >= 0 ? MET : UNMET;
	k[2] = !c->re ? NOT_GIVEN
	       : !st || c->full ? UNKNOWN /* the command line: last */
	       : regexec(c->re, st->comm, 0, NULL, 0) == 0 ? MET : UNMET;
	k[3] = c->nuids ? UNKNOWN : NOT_GIVEN;
	if ((d = decided(c, k, 4)) >= 0)
		return (enum sel_verdict)d;
	if (c->nuids) {
		if (!t->owner_known && proc_task_owner(root, t->pid, t->tid, &t->owner) == 0)
			t->owner_known = true;
		k[3] = t->owner_known && has_uint(c->uids, c->nuids, t->owner) ? MET : UNMET;
		if ((d = decided(c, k, 4)) >= 0)
			return (enum sel_verdict)d;
	}
	if (!st)
		return SEL_NEEDS_STAT;
	/* --full: a kernel thread or a zombie has no command line: its name */
	char *line = proc_read_cmdline(root, t->pid, t->tid);
	k[2] = regexec(c->re, line ? line : st->comm, 0, NULL, 0) == 0 ? MET : UNMET;
	free(line);
	return (enum sel_verdict)decided(c, k, 4);
}

/* Every live process of root, sorted by pid, those matching the criteria
 * marked when match: 0 and *out, *n; or -errno.  Without a tree to follow,
 * only what matches is needed: with users given, another user's process is
 * passed over before its stat is read. */
static int read_live(const struct proc_root *root, const struct sel_criteria *c, bool match,
		     struct live **out, size_t *n)
{
	struct proc_list procs;
	struct live *v = NULL;
	size_t cap = 0;
	int pid, r = proc_list_open(&procs, root, 0);
	bool user_first = match && c->nuids && !c->tree;

	*n = 0;
	if (r < 0)
		return r;
	while ((pid = proc_list_next(&procs))) {
		struct proc_stat st;
		struct sel_task t = { .pid = pid };
		if (user_first && sel_match(root, c, &t) == SEL_NO)
			continue;
		if (proc_read_stat(root, pid, 0, &st, NULL) < 0)
			continue; /* gone, or not a process we can tell anything of */
		struct live *more = cli_grow(v, &cap, *n + 1, sizeof(*v), 256);
		if (!more) {
			free(v);
			proc_list_close(&procs);
			return -ENOMEM;
		}
		v = more;
		v[*n] = (struct live){ pid, st.ppid, st.start, false };
		t.st = &st;
		v[*n].in = match && pid != c->exclude && sel_match(root, c, &t) == SEL_YES;
		(*n)++;
	}
	proc_list_close(&procs);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp_live);
	*out = v;
	return 0;
}

int sel_scan(const struct proc_root *root, const struct sel_criteria *c, enum sel_pass pass,
	     struct sel_set *known, struct sel_set *fresh)
{
	struct live *v = NULL;
	size_t n;
	int r = read_live(root, c, pass == SEL_MATCH, &v, &n);

	fresh->n = 0;
	if (r < 0)
		return r;
	/* the roots of the tree: what matched, and what was selected before
	 * and is still the same process */
	for (size_t i = 0; i < n; i++)
		v[i].in = v[i].in || sel_contains(known, v[i].pid, v[i].start);
	/* down the tree, a level a round, until no round adds a process */
	for (bool more = c->tree || pass == SEL_DESCENDANTS; more;) {
		more = false;
		for (size_t i = 0; i < n; i++) {
			struct live key = { .pid = v[i].ppid }, *parent;
			if (v[i].in || v[i].pid == c->exclude)
				continue;
			parent = bsearch(&key, v, n, sizeof(*v), cmp_live);
			if (parent && parent->in && parent->start <= v[i].start)
				more = v[i].in = true;
		}
	}
	for (size_t i = 0; i < n && r >= 0; i++)
		if (v[i].in && !sel_contains(known, v[i].pid, v[i].start) &&
		    (r = reserve(fresh, 1)) == 0)
			fresh->v[fresh->n++] = (struct sel_proc){ v[i].pid, v[i].start };
	free(v);
	if (r < 0)
		return r;
	if (fresh->n == 0)
		return 0; /* (known->v may be NULL: no memcpy of it, even of 0 bytes) */
	/* v was in pid order, so fresh is too; known: merged and sorted again */
	if (reserve(known, fresh->n) < 0)
		return -ENOMEM;
	memcpy(known->v + known->n, fresh->v, fresh->n * sizeof(*fresh->v));
	known->n += fresh->n;
	if (known->n > 1)
		qsort(known->v, known->n, sizeof(*known->v), cmp_proc);
	return (int)fresh->n;
}

int sel_check(const struct proc_root *root, const struct sel_proc *p, struct proc_stat *st,
	      unsigned *owner)
{
	int r = proc_read_stat(root, p->pid, 0, st, owner);

	if (r == -ENOENT || (r == 0 && st->start != p->start))
		return -ESRCH;
	return r;
}

void sel_tids_to_pids(const struct proc_root *root, int *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int tgid = ids[i] > 0 ? proc_tgid(root, ids[i]) : -1;
		if (tgid > 0)
			ids[i] = tgid;
	}
}
