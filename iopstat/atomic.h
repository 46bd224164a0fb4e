/* SPDX-License-Identifier: MIT */
/*
 * Replacing a file atomically, and only a regular one: --write's reports
 * and --state's counters.  A temporary file beside it is written, fsynced
 * and renamed over it; a symbolic link, device, FIFO or directory in its
 * place is never replaced (judged on what the rename really replaces).
 * Every signal whose default action ends the process (INT, TERM, HUP,
 * PIPE, QUIT, USR1, ALRM, ...; not the faults, not KILL) waits meanwhile,
 * so no temporary file is ever left behind.
 */
#ifndef IOPSTAT_ATOMIC_H
#define IOPSTAT_ATOMIC_H

#include <stdio.h>
#include <sys/types.h>

/* Replaces path with what fill(f, ctx) writes to f (fill returns 0, or -1
 * with errno).  mode: the permissions, less the umask.  0, or -1 with
 * errno (EEXIST or EISDIR: path is not a regular file). */
int atomic_replace(const char *path, mode_t mode, int (*fill)(FILE *f, void *ctx), void *ctx);

#endif
