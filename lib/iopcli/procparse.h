/* SPDX-License-Identifier: MIT */
/*
 * Parsers of /proc/<pid>/io and /proc/<pid>/stat, shared by the tools: pure
 * functions over a buffer (fuzzed), strict about what the kernel writes.
 * Internal to the command-line tools.
 */
#ifndef IOP_CLI_PROCPARSE_H
#define IOP_CLI_PROCPARSE_H

#include <stdbool.h>
#include <stddef.h>

/* The counters of /proc/<pid>/io, in the kernel's order. */
enum io_field {
	IO_RCHAR,
	IO_WCHAR,
	IO_SYSCR,
	IO_SYSCW,
	IO_READ_BYTES,
	IO_WRITE_BYTES,
	IO_CANCELLED,
	IO_NFIELDS
};

/* What the tools need from /proc/<pid>/stat. */
struct stat_fields {
	char comm[64];                 /* between the first '(' and the last ')' */
	int pgrp;                      /* field 5: the process group */
	int nice;                      /* field 19 */
	unsigned long long start;      /* field 22: start time, clock ticks after boot */
	int policy;                    /* field 41, -1 if the kernel has no such field */
	unsigned long long delay;      /* field 42: block I/O delay, clock ticks */
};

/* 0, or -EINVAL when the text is not what the kernel writes. */
int procfs_parse_io(const char *buf, size_t len, unsigned long long io[IO_NFIELDS]);
int procfs_parse_stat(const char *buf, size_t len, struct stat_fields *out);

/* A whole unsigned decimal [p, end), or an int with an optional '-':
 * 0, or -EINVAL if empty, junk or out of range. */
int proc_parse_ull(const char *p, const char *end, unsigned long long *out);
int proc_parse_int(const char *p, const char *end, int *out);

/* Whether the procfs open at root_fd is the one of the caller's own pid
 * namespace (its "self" is our pid): only then are its pids ours to hand to
 * ioprio_get() and friends. */
bool proc_root_is_own(int root_fd);

#endif
