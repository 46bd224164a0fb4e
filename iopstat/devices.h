/* SPDX-License-Identifier: MIT */
/*
 * iopstat -d: the device report.  A read of /proc/diskstats and the NFS
 * mounts of mountstats (a dev_read), and rows that pair it with the read
 * before (or, one-shot, with the boot: over the uptime for disks, the
 * mount's age for NFS).  The rows go into a struct report like the
 * processes' (sample.h), so the column and format tables render them:
 * each device column is one entry of columns.c, with its value read here.
 */
#ifndef IOPSTAT_DEVICES_H
#define IOPSTAT_DEVICES_H

#include <stdbool.h>
#include <stddef.h>

#include "iopcli/diskstats.h"
#include "iopcli/proc.h"

/* What a device column shows (its coldef's field). */
enum { DEV_READ, DEV_WRITE, DEV_DISCARD };                         /* directions */
enum { DEV_IOS, DEV_KB, DEV_RQM, DEV_PRQM, DEV_AWAIT, DEV_AREQ }; /* per direction */
#define DEV_M(dir, m) ((dir) * 8 + (m))
enum {
	DEV_NAME = 64, DEV_KIND, DEV_FLUSH_S, DEV_FLUSH_AWAIT, DEV_AQU, DEV_UTIL, DEV_SCHED,
	DEV_HONOURS,
	NFS_MOUNT, NFS_EXPORT, NFS_OPS,
};
/* An NFS column of one operation (READ or WRITE), as nfsiostat prints each:
 * ops/s, kB/s, kB/op, retrans, avg RTT, avg exe */
enum { NFS_OP_READ, NFS_OP_WRITE };
enum { NFS_OP_OPS, NFS_OP_KBS, NFS_OP_KBOP, NFS_OP_RETRANS, NFS_OP_RTT, NFS_OP_EXE };
#define NFS_M(op, m) (128 + (op) * 8 + (m))

struct dev_read {
	struct diskstat *disks;
	size_t n, bad, bad_line; /* bad: lines not what the kernel writes */
	int disks_error;         /* 0, or the -errno reading diskstats failed with */
	struct nfs_mount *nfs;
	size_t nnfs, nfs_bad;
	int nfs_error;
	struct pressure psi;
	int psi_error;           /* -ENOENT: PSI off */
	double uptime;           /* seconds since boot, from <proc>/uptime */
	double mono, when;       /* CLOCK_MONOTONIC and CLOCK_REALTIME at the read */
};

/* What to read. */
enum { DEV_READ_DISKS = 1, DEV_READ_NFS = 2, DEV_READ_PSI = 4 };

/* Reads what 'what' says from the procfs root (and sysfs, <0: none) into
 * r, emptied first.  Errors are kept in r (each file on its own); only
 * running out of memory fails: -ENOMEM, else 0. */
int dev_read(struct dev_read *r, const struct proc_root *proc, int sysfs, unsigned what);
void dev_read_free(struct dev_read *r);

/* One disk's row: its counters now and at the read before (NULL: since
 * boot, or a device that appeared since), the seconds between. */
struct dev_row {
	const struct diskstat *now, *then;
	double seconds;
	char sched[24];      /* the active scheduler ("" unknown), a partition's disk's */
	int honours;         /* enum cli_honours */
};

struct nfs_row {
	const struct nfs_mount *now, *then;
	double seconds;
};

struct dev_view {
	struct dev_row *disks;
	size_t n, cap;
	struct nfs_row *nfs;
	size_t nnfs, nfs_cap;
	bool nfs_rows; /* the report's rows are nfs[], not disks[] */
	double seconds; /* the disks' period: the uptime, or the time between the reads */
};

struct dev_select {
	const char *const *names; /* only these devices or mount points (shown idle too) */
	size_t nnames;
	bool all;                 /* --all-devices: idle ones too */
};

/* The rows of cur against prev (NULL: since boot) into v: the disks that
 * did I/O since boot (or are named, or all), in the kernel's order; each
 * paired with prev's line of the same name and device number (another
 * device under the name counts from zero); a counter that went down
 * counts from zero too.  The scheduler of each from sysfs (<0: unknown).
 * 0 or -ENOMEM. */
int dev_view_build(struct dev_view *v, const struct dev_read *cur, const struct dev_read *prev,
		   int sysfs, const struct dev_select *sel);
void dev_view_free(struct dev_view *v);

struct report;
struct report_options;

/* A report of v's disks (nfs false) or NFS mounts into rep, in the
 * kernel's order put in opt->sort's (the column table's sort leaves it
 * unless the column is one of that kind), at most opt->top rows; snap gives the formats the time of the read.
 * v's nfs_rows is set to nfs.  0 or -ENOMEM. */
struct scan_snapshot;
int dev_report_build(struct report *rep, const struct dev_view *v, bool nfs,
		     const struct report_options *opt, const struct scan_snapshot *snap);

/* A device value: a measure (rate), a count (n) or a text (s), as the
 * field's kind has it. */
struct dev_cell {
	unsigned long long n;
	double rate;
	const char *s;
};

/* The value of field f (DEV_*, NFS_*) of a disk or NFS row: false when it
 * has none.  columns.c's device entries read them. */
bool dev_value(const struct dev_row *r, int f, struct dev_cell *c);
bool nfs_value(const struct nfs_row *r, int f, struct dev_cell *c);

/* The change of counter f of a disk row over its period (a counter that
 * went down, or a device that is not the one before, counts from zero);
 * false when this kernel does not write f. */
bool dev_delta(const struct dev_row *r, int f, unsigned long long *out);

/* Whether a disk row was busy for longer than its period can hold: its
 * counters are wrong (wrapped, a driver's bug).  io_ticks moves in
 * jiffies (up to 10 ms) and is brought up to date when diskstats is read,
 * so a saturated disk reads a little over 100%: only busy beyond the
 * period by 0.5% and 20 ms counts.  *util gets the row's %util. */
bool dev_busy_absurd(const struct dev_row *r, double *util);

/* The system line above each interval report of processes: what the
 * processes did, what the whole disks did (partitions not counted twice),
 * and the I/O pressure over the interval. */
struct sys_line {
	double seconds;
	double proc_read, proc_write;  /* bytes per second, the report's totals */
	bool disks;                    /* diskstats read both times */
	double disk_read, disk_write;  /* bytes per second, summed over whole disks */
	int psi;                       /* 1: some/full known; 0: unknown (said once); -1: not again */
	int psi_error;                 /* with psi 0: -ENOENT (PSI off), or -EINVAL (not the kernel's) */
	double some, full;             /* % of the interval, from the total= counters */
	bool has_full;
};

/* The disks' and pressure's part of the line from two reads (prev taken an
 * interval before cur). */
void sys_line_devices(struct sys_line *l, const struct dev_read *cur, const struct dev_read *prev);

#endif
