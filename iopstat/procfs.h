/*
 * iopstat's /proc reader: the parsers of /proc/<pid>/io and /proc/<pid>/stat
 * (pure functions over a buffer, fuzzed), and a scanner that reads every
 * process (or thread) under a procfs root given as a directory fd, so tests
 * can point it at fixture trees and containers at a host's /proc.
 */
#ifndef IOPSTAT_PROCFS_H
#define IOPSTAT_PROCFS_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

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

/* What iopstat needs from /proc/<pid>/stat. */
struct stat_fields {
	char comm[64];                 /* between the first '(' and the last ')' */
	int nice;                      /* field 19 */
	unsigned long long start;      /* field 22: start time, clock ticks after boot */
	int policy;                    /* field 41, -1 if the kernel has no such field */
	unsigned long long delay;      /* field 42: block I/O delay, clock ticks */
};

/* 0, or -EINVAL when the text is not what the kernel writes. */
int procfs_parse_io(const char *buf, size_t len, unsigned long long io[IO_NFIELDS]);
int procfs_parse_stat(const char *buf, size_t len, struct stat_fields *out);

/* One process (tid 0) or one thread. */
struct proc_row {
	int pid, tid;
	unsigned uid;   /* owner of /proc/<pid>/stat: the effective uid */
	int prio;       /* effective I/O priority value, -1 unknown */
	unsigned long long start;
	unsigned long long io[IO_NFIELDS];
	unsigned long long delay;
	char comm[64];
	char *cmdline;  /* with want_cmdline only; malloc'd, may be NULL */
};

struct proc_snapshot {
	struct proc_row *rows; /* sorted by (pid, tid) */
	size_t n, cap;
	double uptime;         /* seconds since boot, from <root>/uptime */
	double when;           /* CLOCK_REALTIME at the scan, seconds */
	double mono;           /* CLOCK_MONOTONIC at the scan, seconds */
	size_t denied;         /* processes whose io could not be read: EACCES */
};

struct scan_options {
	const int *pids;        /* only these, in this order, if npids > 0 */
	size_t npids;
	bool filter_uid;
	unsigned uid;
	const regex_t *comm_re; /* only commands matching, if not NULL */
	bool threads;           /* one row per thread */
	bool want_prio;         /* ask the kernel for each task's I/O priority */
	bool want_cmdline;
};

/* Scans the procfs open at root_fd into *snap (emptied first; its buffer is
 * reused).  Processes that vanish meanwhile are skipped; those whose io is
 * not readable are counted in snap->denied.  0 or -errno (only when the root
 * itself cannot be listed or memory runs out). */
int procfs_scan(int root_fd, const struct scan_options *opt, struct proc_snapshot *snap);

void procfs_snapshot_free(struct proc_snapshot *snap);

/* Clock ticks per second of the kernel's stat times (sysconf(_SC_CLK_TCK)). */
long procfs_clock_ticks(void);

/* Whether <root>/sys/kernel/task_delayacct is 1: 1, 0, or -1 unknown. */
int procfs_delayacct_enabled(int root_fd);

#endif
