/* SPDX-License-Identifier: MIT */
/*
 * --state FILE: the group counters of one run carried to the next, so a
 * cron job writing a textfile every minute reports counters that never go
 * down.  The file holds the last scan's processes (as a base: pid, start
 * time, parent, counters) and every group's counters, in text, with the
 * boot it was written in and what the run selected; it is replaced
 * atomically after each report, and guarded by a lock file beside it
 * (FILE.lock) against two runs at once.
 *
 * A file that is missing, from another boot, for another selection, too
 * large or not what iopstat writes is not used: the run starts afresh, as
 * the first one did, with a note saying why.  Nothing read from it is
 * trusted before all of it has been checked.
 */
#ifndef IOPSTAT_STATE_H
#define IOPSTAT_STATE_H

#include <stddef.h>
#include "groups.h"
#include "sample.h"

/* What a state belongs to: the boot and what was selected and grouped. */
struct state_id {
	char boot[40];         /* the kernel's boot id ("unknown" when there is none) */
	double uptime;         /* seconds since boot now: a state saved later is older
	                          than the boot, whatever the id says */
	const char *selection; /* the options that choose and group processes */
};

/* The largest state file read, and the most processes kept in one. */
#define STATE_MAX_BYTES (64u << 20)
#define STATE_MAX_TASKS 262144

/* Takes the lock beside path (FILE.lock, made 0600 if missing), waiting
 * for another run that holds it.  The descriptor, or -1 with errno. */
int state_lock(const char *path);

/* Reads path into prev and g (empty before).  1: loaded; 0: no such file;
 * -1: not usable, why in 'why' (a sentence: "it is from before the last
 * boot", "line 7: ...").  prev and g are empty again unless 1. */
int state_load(const char *path, const struct state_id *id, struct base *prev,
	       struct groups *g, char *why, size_t whysize);

/* Writes cur (as the next run's base) and g to path, atomically.  0, or -1
 * with errno (EEXIST: path is not a regular file). */
int state_save(const char *path, const struct state_id *id, const struct proc_snapshot *cur,
	       const struct groups *g);

#endif
