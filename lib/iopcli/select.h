/* SPDX-License-Identifier: MIT */
/*
 * Selecting processes as pgrep does, over the /proc layer: by pid, process
 * group, effective user and an extended regex on the command name (or the
 * whole command line), and with a tree option their descendants.  Shared
 * by ionice, ioprio-get and iopstat's scanner: sel_match() is the one
 * place that decides whether a task meets -p, -P, -u, -C and --full, and
 * sel_tids_to_pids() the one that takes a thread id for its process.
 * Internal to the command-line tools: returns -errno, never prints or
 * exits.
 *
 * A selected process is kept as (pid, start time): the start time tells
 * the process that was selected from a later one that reuses its pid.
 */
#ifndef IOP_CLI_SELECT_H
#define IOP_CLI_SELECT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "iopcli/proc.h"

/* What to select.  A process is selected when it matches every kind of
 * criterion given (the values within one kind are alternatives), as
 * pgrep's options combine; with no criterion at all, every process. */
struct sel_criteria {
	const int *pids;        /* -p */
	size_t npids;
	const int *pgids;       /* -P */
	size_t npgids;
	const unsigned *uids;   /* -u: the effective user (its /proc directory's owner) */
	size_t nuids;
	const regex_t *re;      /* -C: on the command name, or with full on */
	bool full;              /* the command line (a kernel thread's or a
	                           zombie's, which have none: the name) */
	bool tree;              /* -T: and every descendant of those */
	int exclude;            /* a pid never selected (the tool itself), or 0 */
	bool any;               /* a task meets one kind given, not every kind
	                           (ioprio-get's -P and -u without -C or -T);
	                           for sel_match(); sel_scan() wants it false */
};

/* What is known of one task asked about by sel_match(). */
struct sel_task {
	int pid, tid;               /* tid 0: the process itself */
	const struct proc_stat *st; /* its stat, or NULL when not read (yet) */
	bool owner_known;           /* owner holds its owner: the caller read
	                               it, or sel_match() did */
	unsigned owner;
	int pgid_at;                /* set by sel_match(): which of c->pgids
	                               its group is, or -1 (none, or not asked) */
};

enum sel_verdict {
	SEL_NO = 0,
	SEL_YES = 1,
	SEL_NEEDS_STAT = 2, /* undecided while t->st is NULL */
};

/* Whether the task meets the criteria (every kind given, or with c->any
 * one of them; with none, every task), the cheapest test first: its pid,
 * then (with its stat) its group and name, then its owner (one stat of
 * its directory, proc_task_owner(), unless t->owner_known; stored in *t),
 * the command line (a file to read, for c->full) last.  Without t->st
 * only the pid and the owner are looked at: a caller asks first, before
 * any file is read, when another user's task should cost none, and again
 * with the stat when the answer is SEL_NEEDS_STAT.  c->tree and c->exclude
 * are not looked at: they are sel_scan()'s. */
enum sel_verdict sel_match(const struct proc_root *root, const struct sel_criteria *c,
			   struct sel_task *t);

/* Whether sel_match() needs a task's stat to decide (-P, -C). */
bool sel_needs_stat(const struct sel_criteria *c);

struct sel_proc {
	int pid;
	unsigned long long start; /* field 22 of its stat */
};

/* Processes, in (pid, start) order. */
struct sel_set {
	struct sel_proc *v;
	size_t n, cap;
};

/* Which processes a pass of sel_scan() selects. */
enum sel_pass {
	SEL_MATCH,       /* those matching the criteria (and with tree, their
	                    descendants) */
	SEL_DESCENDANTS, /* the live descendants of the processes in *known */
};

/* One pass over the processes of root.  Every process it selects that is
 * not in *known yet is added to *known and to *fresh (emptied first), in
 * pid order.  A descendant is a process whose parent (ppid) is selected,
 * still alive with the start time it was selected with, and started no
 * earlier than that parent (so the reuser of a dead parent's pid adopts no
 * children), and so on down.  Processes that vanish or cannot be read are
 * passed over.  Returns the number added, or -errno (ENOMEM, or why root
 * cannot be listed). */
int sel_scan(const struct proc_root *root, const struct sel_criteria *c, enum sel_pass pass,
	     struct sel_set *known, struct sel_set *fresh);

/* Whether p->pid is still the process that was selected: reads its stat
 * into *st (and with owner, its owner, as proc_read_stat()).  0 when its
 * start time is p->start; -ESRCH when it is gone or its pid is another
 * process's now; another -errno when it cannot be read. */
int sel_check(const struct proc_root *root, const struct sel_proc *p, struct proc_stat *st,
	      unsigned *owner);

/* Whether (pid, start) is in set. */
bool sel_contains(const struct sel_set *set, int pid, unsigned long long start);

/* Adds (pid, start) to set, in order, unless it is there: 1 added, 0 there
 * already, -ENOMEM. */
int sel_add(struct sel_set *set, int pid, unsigned long long start);

void sel_free(struct sel_set *set);

/* Each of the n ids that is a thread's (not its process's) replaced by the
 * pid of its process (from its status), as -p TID means that process;
 * unreadable ids are left as they are (they match nothing). */
void sel_tids_to_pids(const struct proc_root *root, int *ids, size_t n);

#endif
