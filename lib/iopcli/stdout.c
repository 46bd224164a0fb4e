/* SPDX-License-Identifier: MIT */
/* Closing stdout at exit and reporting its first write error, and the
 * standard descriptors kept occupied: uses nothing of the helper library
 * (buf.c sits above it).  See stdout.h. */
#define _GNU_SOURCE
#include "iopcli/stdout.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The errno of the first failed write to stdout: stdio keeps only an error
 * flag, and by exit errno says something else. */
static int stdout_errno;

void cli_note_write_error(FILE *f, int error)
{
	if (f == stdout && !stdout_errno)
		stdout_errno = error ? error : EIO;
}

static void close_stdout(void)
{
	int failed = ferror(stdout), error = stdout_errno;

	errno = 0;
	if (fclose(stdout) != 0) {
		failed = 1;
		if (!error)
			error = errno;
	}
	if (failed && error != EPIPE) { /* a reader that went away: quiet */
		fprintf(stderr, "%s: write error: %s\n", program_invocation_short_name,
			strerror(error ? error : EIO));
		_exit(EXIT_FAILURE);
	}
}

/* 0, 1 and 2 taken by something, so that no file the tool opens lands on
 * them.  A closed stdout becomes /dev/null opened for reading: a write to
 * it still fails with EBADF, as it did while closed, and is reported. */
static void occupy_standard_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		int nfd = open("/dev/null", fd == 2 ? O_WRONLY : O_RDONLY);
		if (nfd < 0)
			_exit(EXIT_FAILURE); /* nothing can be reported, nor done safely */
		if (nfd != fd) { /* lower ones are open already: cannot happen */
			close(nfd);
			_exit(EXIT_FAILURE);
		}
	}
}

void cli_close_stdout_at_exit(void)
{
	occupy_standard_fds();
	atexit(close_stdout);
}
