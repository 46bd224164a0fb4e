/* SPDX-License-Identifier: MIT */
/*
 * stdout closed at exit with its write errors reported once, and the
 * standard descriptors kept occupied.  Below buf.h, which notes its write
 * errors here; uses nothing else of the helper library.
 */
#ifndef IOP_CLI_STDOUT_H
#define IOP_CLI_STDOUT_H

#include <stdio.h>

/* Called first in main(): makes sure descriptors 0, 1 and 2 are open (on
 * /dev/null when the caller closed them, so no file of the tool lands on
 * them; a closed stdout stays unwritable), and registers an atexit()
 * handler that flushes and closes stdout and, if that or an earlier write
 * failed, reports "write error: <the first write's errno>" once and makes
 * the exit status 1.  A broken pipe (EPIPE) is quiet: "tool | head -1" is
 * no error. */
void cli_close_stdout_at_exit(void);

/* Remembers the errno of a failed write to f (when f is stdout), for the
 * report at exit. */
void cli_note_write_error(FILE *f, int error);

#endif
