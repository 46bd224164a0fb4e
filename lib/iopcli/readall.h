/* SPDX-License-Identifier: MIT */
/*
 * Reading a file to its end into a buffer that grows: for the files of
 * /proc whose length nothing bounds (a command line, a cgroup path, the
 * diskstats of a machine with many disks).  Uses nothing of the library;
 * returns -errno and never exits.
 */
#ifndef IOP_CLI_READALL_H
#define IOP_CLI_READALL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Reads fd to its end (a read interrupted by a signal is tried again) into
 * a buffer of its own, NUL-terminated, in *out (the caller frees it): its
 * length.  The buffer starts at first bytes (2 at least) and doubles each
 * time a read fills it, to max bytes at most (first or more).  A file
 * longer than max - 1 bytes is -EFBIG, a read that fails its -errno,
 * memory that runs out -ENOMEM; *out is then NULL.  With keep, the file is
 * read as far as it can be instead: what was read before any of those (at
 * most max - 1 bytes) is the answer.  -ENOMEM also when the first buffer
 * cannot be had; -EINVAL, before any read, for first < 2 or max < first. */
ssize_t cli_read_all(int fd, size_t first, size_t max, bool keep, char **out);

#endif
