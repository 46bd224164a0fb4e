/* SPDX-License-Identifier: MIT */
/*
 * The /proc layer of the tools: a procfs root (any directory: /proc, a
 * fixture tree, a host's /proc in a container), listing its processes and
 * threads, reading a task's small files with their owner, and the parsers
 * of what the kernel writes there.  Shared by ionice, ioprio-get and
 * iopstat.  Internal to the command-line tools.
 *
 * The parsers are pure functions over a buffer (procparse.c, fuzzed on its
 * own with num.c); the rest reads files (proc.c).
 */
#ifndef IOP_CLI_PROC_H
#define IOP_CLI_PROC_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* --- parsers ------------------------------------------------------------- */

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
struct proc_stat {
	char comm[64];                 /* between the first '(' and the last ')' */
	char state;                    /* field 3: R, S, D, Z, X (dead, reaped), ... */
	int ppid;                      /* field 4: the parent */
	int pgrp;                      /* field 5: the process group */
	int nice;                      /* field 19 */
	int threads;                   /* field 20: how many threads (0 in fixtures) */
	unsigned long long start;      /* field 22: start time, clock ticks after boot */
	int policy;                    /* field 41, -1 if the kernel has no such field */
	unsigned long long delay;      /* field 42: block I/O delay, clock ticks */
};

/* 0, or -EINVAL when the text is not what the kernel writes. */
int proc_parse_io(const char *buf, size_t len, unsigned long long io[IO_NFIELDS]);
int proc_parse_stat(const char *buf, size_t len, struct proc_stat *out);

/* The value of the line "<key>\t..." of a status file (key with its colon,
 * "Tgid:"), up to the next tab or newline, as a number in min..max.  0, or
 * -EINVAL when the line is missing or not a number. */
int proc_parse_status(const char *buf, size_t len, const char *key, long long min, long long max,
		      long long *out);

/* Whether the text of a status file says SIGCHLD is ignored (bit 16 of
 * the hex mask on its "SigIgn:\t" line, which is never the first): 1, 0,
 * or -EINVAL when there is no such line with 5 hex digits at least.  The
 * text ends at len or at a NUL before it. */
int proc_parse_sigchld(const char *buf, size_t len);

/* The boot id at the start of the text of sys/kernel/random/boot_id (its
 * lowercase hex digits and dashes, 8 at least) into buf, NUL-terminated:
 * 0, or -EINVAL when there is none or it does not fit in size bytes. */
int proc_parse_boot_id(const char *text, size_t len, char *buf, size_t size);

/* --- reading a procfs ------------------------------------------------------ */

struct proc_root {
	int fd;           /* the root directory */
	bool own;         /* the procfs of our own pid namespace: only then are
	                     its pids ours to hand to ioprio_get() and friends */
	const char *path; /* as given, for messages */
};

/* Opens path as a procfs root (it may be any directory).  0 or -errno. */
int proc_root_open(struct proc_root *root, const char *path);
void proc_root_close(struct proc_root *root);

/* Whether the procfs open at fd is the one of our own pid namespace: its
 * "self" is our pid. */
bool proc_root_is_own(int fd);

/* Room for "<pid>/task/<tid>/<name>" with a name of up to 15 bytes. */
#define PROC_PATH_MAX 64

/* "<pid>/<name>", or "<pid>/task/<tid>/<name>" when tid > 0; with name
 * NULL the directory itself.  Returns path. */
char *proc_path(char *path, int pid, int tid, const char *name);

/* Reads a small file of a task in one read() (procfs writes these whole)
 * into buf, NUL-terminated (at most size - 1 bytes).  Opened O_NONBLOCK, so
 * a FIFO in a fixture tree is never waited on.  With owner, stores the
 * owner of the task's directory (<pid>, or <pid>/task/<tid> for a thread):
 * its effective uid as ps shows it, also for a task that changed its ids
 * or made itself non-dumpable, whose files the kernel gives to root (or to
 * its user namespace's root); kernel threads are root.  Then, in a tree
 * that is not our procfs, a file that is not a regular one is -EINVAL.
 * The length, or -errno: ENOENT (no such task or file), ESRCH (gone while
 * read), EACCES (the kernel checks access at read(), not at open()). */
ssize_t proc_read(const struct proc_root *root, int pid, int tid, const char *name, char *buf,
		  size_t size, unsigned *owner);

/* The owner of a task (process, or thread when tid > 0) alone, as
 * proc_read() gives it: one stat of its directory, no file.  0 or -errno
 * (ENOENT: no such task).  For a filter by user that comes before any read. */
int proc_task_owner(const struct proc_root *root, int pid, int tid, unsigned *owner);

/* A task's stat, parsed: 0, or -errno (-EINVAL: not what the kernel
 * writes).  owner as for proc_read(). */
int proc_read_stat(const struct proc_root *root, int pid, int tid, struct proc_stat *st,
		   unsigned *owner);

/* A task's io counters, parsed: 0 or -errno as for proc_read_stat(). */
int proc_read_io(const struct proc_root *root, int pid, int tid,
		 unsigned long long io[IO_NFIELDS], unsigned *owner);

/* The command line of a task, its arguments joined by blanks, in a buffer
 * of its own (up to 1 MiB of it); NULL when it has none (kernel threads,
 * zombies) or it cannot be read. */
char *proc_read_cmdline(const struct proc_root *root, int pid, int tid);

/* The process (thread group) a pid or thread id belongs to, from its
 * status; -errno when it cannot be read. */
int proc_tgid(const struct proc_root *root, int id);

/* Whether a process ignores SIGCHLD (its status's SigIgn): then the kernel
 * reaps its children itself, and their I/O is added to nobody.  1, 0, or
 * -errno. */
int proc_ignores_sigchld(const struct proc_root *root, int pid);

/* The cgroup path of a task from the text of /proc/PID/cgroup: the cgroup
 * v2 line "0::/path", else (a v1-only system) systemd's "name=systemd"
 * hierarchy.  Copies it to buf (NUL-terminated, cut to size - 1); 0, or
 * -EINVAL when the text has neither. */
int proc_parse_cgroup(const char *text, size_t len, char *buf, size_t size);

/* The systemd unit of a cgroup path: its last component that ends in
 * ".service" or ".scope" ("/system.slice/cron.service" -> "cron.service",
 * "/user.slice/user-1000.slice/session-2.scope" -> "session-2.scope"), or
 * NULL when there is none ("/", "/user.slice").  Points into path; *len
 * gets its length. */
const char *proc_cgroup_unit(const char *path, size_t *len);

/* A task's whole cgroup path, however long (a path is not bounded by
 * PATH_MAX: each component is), read from <pid>/cgroup: malloc'd, or NULL
 * with errno (EINVAL: the file holds no path). */
char *proc_read_cgroup_path(const struct proc_root *root, int pid);

/* The kernel's boot id (<root>/sys/kernel/random/boot_id, 36 characters)
 * into buf (37 bytes at least): 0 or -errno.  It tells a state saved before
 * a reboot from one saved since. */
int proc_boot_id(const struct proc_root *root, char *buf, size_t size);

/* Seconds since boot, from <root>/uptime; 0 when unknown. */
double proc_uptime(const struct proc_root *root);

/* Whether <root>/sys/kernel/task_delayacct is 1: 1, 0, or -1 unknown. */
int proc_delayacct_enabled(const struct proc_root *root);

/* Clock ticks per second of the kernel's stat times (sysconf(_SC_CLK_TCK)). */
long proc_clock_ticks(void);

/* The priorities set on the threads of process pid (in our own namespace)
 * when one differs from main, its main thread's: ionice -p reaches one
 * thread, and threads started before a change keep theirs.  Into *v
 * (NULL on entry, freed by the caller): main first, then each other value
 * once, up to max values in all; *n stays 0 when every thread has main's
 * (or the process is gone).  0, or -ENOMEM. */
int proc_thread_prios(const struct proc_root *root, int pid, int main, size_t max, int **v,
		      size_t *n);

/* Listing: the processes of a root (pid 0), or the threads of a process,
 * in the order the kernel lists them (by pid; threads in creation order). */
struct proc_list {
	DIR *dir;
};
/* 0, or -errno (ENOENT: no such process). */
int proc_list_open(struct proc_list *l, const struct proc_root *root, int pid);
/* The next id, or 0 at the end. */
int proc_list_next(struct proc_list *l);
void proc_list_close(struct proc_list *l);

#endif
