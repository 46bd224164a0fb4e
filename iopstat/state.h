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
#include "scan.h"

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

/* The longest name a state file may have: its lock adds ".lock" and the
 * file system allows NAME_MAX (255) bytes. */
#define STATE_NAME_MAX 250

/* The default of --lock-wait: a run from cron every minute gives up before
 * the next one starts. */
#define STATE_LOCK_WAIT_DEFAULT 50.0

struct stat;

/* Whether a state or lock file may be believed: owned by the effective
 * user, and writable by nobody else.  0, or -1 with why ("owned by uid
 * 1001, not by uid 0 (the effective user)", "writable by group or others
 * (mode 0666)"). */
int state_trusted(const struct stat *st, char *why, size_t whysize);

/* Why state_lock() failed, beyond errno. */
struct state_lock_error {
	char why[128]; /* EPERM: the lock file is not ours (state_trusted) */
	int holder;    /* ETIMEDOUT: the pid holding it, from /proc/locks; 0 unknown */
};

/* Takes the lock beside path (FILE.lock, made 0600 if missing), waiting up
 * to 'wait' seconds for another run that holds it.  The descriptor, or -1
 * with errno: EPERM (the lock file is another user's, writable by others,
 * or not a regular file: e->why), ETIMEDOUT (still held: e->holder), or
 * open()'s (ENAMETOOLONG past STATE_NAME_MAX). */
int state_lock(const char *path, double wait, struct state_lock_error *e);

/* Reads path into prev and g (empty before).  1: loaded; 0: no such file;
 * -1: not usable, why in 'why' (a sentence: "it is from before the last
 * boot", "line 7: ..."); -2: not to be believed, someone else's or
 * writable by others (why as state_trusted() says), or with more than one
 * name (a hard link).  prev and g are empty
 * again unless 1. */
int state_load(const char *path, const struct state_id *id, struct base *prev,
	       struct groups *g, char *why, size_t whysize);

/* Writes cur (as the next run's base) and g to path, atomically.  0, or -1
 * with errno (EEXIST: path is not a regular file). */
int state_save(const char *path, const struct state_id *id, const struct scan_snapshot *cur,
	       const struct groups *g);

#endif
