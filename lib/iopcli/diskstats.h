/* SPDX-License-Identifier: MIT */
/*
 * The system-wide I/O files of procfs: /proc/diskstats (block devices),
 * /proc/pressure/io (I/O stall time) and /proc/PID/mountstats (NFS client
 * mounts).  The parsers are pure functions over a buffer (diskparse.c,
 * fuzzed with num.c alone); the readers (diskstats.c) read a procfs root
 * and a sysfs root given as directory descriptors, so tests run them on
 * fixture trees.  Nothing here prints or exits: every function returns 0
 * or -errno (-ENOMEM included).  Internal to the command-line tools.
 */
#ifndef IOP_CLI_DISKSTATS_H
#define IOP_CLI_DISKSTATS_H

#include <stdbool.h>
#include <stddef.h>

/* --- /proc/diskstats ------------------------------------------------------- */

/* The counters of a diskstats line after major, minor and name, in the
 * kernel's order (block/genhd.c diskstats_show).  11 since 2.6, 15 with
 * discards (4.18), 17 with flushes (5.5).  Times in milliseconds, sectors
 * of 512 bytes whatever the device's block size. */
enum disk_field {
	DISK_RD_IOS, DISK_RD_MERGES, DISK_RD_SECTORS, DISK_RD_TICKS,
	DISK_WR_IOS, DISK_WR_MERGES, DISK_WR_SECTORS, DISK_WR_TICKS,
	DISK_IN_FLIGHT, DISK_IO_TICKS, DISK_TIME_IN_QUEUE,
	DISK_DC_IOS, DISK_DC_MERGES, DISK_DC_SECTORS, DISK_DC_TICKS,
	DISK_FL_IOS, DISK_FL_TICKS,
	DISK_NFIELDS
};

/* The kernel's names are at most 31 bytes (DISK_NAME_LEN 32). */
#define DISK_NAME_MAX 32

struct diskstat {
	unsigned major, minor;
	char name[DISK_NAME_MAX];
	unsigned nfields;  /* 11, 15 or 17: what this kernel writes */
	bool partition;    /* set by the reader: not a whole disk in sysfs */
	bool stacked;      /* set by the reader: a whole disk with no device below it
	                      in sysfs (loop, dm, md, zram): its I/O is another's */
	unsigned long long v[DISK_NFIELDS];
};

/* One line (without its newline): 0, or -EINVAL when it is not what the
 * kernel writes (a field count other than 11, 15 or 17 or more, a number
 * that is not one, a name too long). */
int diskstats_parse_line(const char *line, size_t len, struct diskstat *out);

/* A whole file: every good line into *v (malloc'ed, *n of them; the
 * caller frees it), in the file's order; *bad counts the lines that are
 * not, and *bad_line (when not NULL) gets the 1-based number of the
 * first.  0 or -ENOMEM. */
int diskstats_parse(const char *buf, size_t len, struct diskstat **v, size_t *n, size_t *bad,
		    size_t *bad_line);

/* --- /proc/pressure/io ----------------------------------------------------- */

/* The two lines' "total=" fields: microseconds since boot that some task
 * (some) or every non-idle task (full) was stalled on I/O. */
struct pressure {
	unsigned long long some_us, full_us;
	bool has_full; /* the "full" line (io has had one since PSI began, 4.20) */
};

/* 0, or -EINVAL when there is no "some" line with a total. */
int pressure_parse(const char *buf, size_t len, struct pressure *out);

/* --- mountstats ------------------------------------------------------------ */

/* An RPC operation's counters (net/sunrpc/stats.c _print_rpc_iostats):
 * "OP: ops trans timeouts bytes_sent bytes_recv queue_ms rtt_ms
 * execute_ms [errors]". */
enum rpc_field {
	RPC_OPS, RPC_TRANS, RPC_TIMEOUTS, RPC_BYTES_SENT, RPC_BYTES_RECV, RPC_QUEUE_MS,
	RPC_RTT_MS, RPC_EXECUTE_MS, RPC_NFIELDS
};

/* The "bytes:" line (fs/nfs/super.c nfs_show_stats, NFSIOS_*). */
enum nfs_bytes {
	NFS_NORMAL_READ, NFS_NORMAL_WRITE, NFS_DIRECT_READ, NFS_DIRECT_WRITE,
	NFS_SERVER_READ, NFS_SERVER_WRITE, NFS_READ_PAGES, NFS_WRITE_PAGES, NFS_NBYTES
};

struct nfs_mount {
	char *device;      /* "server:/export", as the kernel escapes it */
	char *mountpoint;  /* likewise (a blank is "\040") */
	char *fstype;      /* nfs or nfs4 */
	unsigned long long age;        /* seconds since mounted */
	unsigned long long bytes[NFS_NBYTES];
	unsigned long long sends;      /* RPC requests sent, over every xprt line */
	unsigned long long read[RPC_NFIELDS], write[RPC_NFIELDS], all[RPC_NFIELDS];
	bool has_bytes, has_xprt;      /* which lines were there */
};

/* Every NFS mount (fstype nfs or nfs4 with statistics) of a mountstats
 * text into *v (*n of them; mountstats_free() frees them).  Other mounts
 * are passed over; a line of an NFS mount that is not what the kernel
 * writes makes that mount bad: it is left out and counted in *bad.
 * 0 or -ENOMEM. */
int mountstats_parse(const char *buf, size_t len, struct nfs_mount **v, size_t *n, size_t *bad);
void mountstats_free(struct nfs_mount *v, size_t n);

/* --- reading them ---------------------------------------------------------- */

/* <proc>/diskstats parsed, each line's partition flag set from sysfs (a
 * whole disk is <sysfs>/block/NAME; sysfs < 0: none is a partition).  As
 * diskstats_parse(); -errno when the file cannot be read (ENOENT: a kernel
 * without it, or a fixture tree). */
int diskstats_read(int proc, int sysfs, struct diskstat **v, size_t *n, size_t *bad,
		   size_t *bad_line);

/* The active I/O scheduler of whole disk NAME (a diskstats name: '/' is
 * '!' in sysfs) from <sysfs>/block/NAME/queue/scheduler into buf: 0, or
 * -errno (ENOENT: a device without one, as zram; EINVAL: not a file we
 * understand). */
int disk_scheduler(int sysfs, const char *name, char *buf, size_t size);

/* <proc>/pressure/io parsed: 0, -ENOENT where PSI is off (psi=0, or a
 * kernel without it), -EINVAL when it is not what the kernel writes. */
int pressure_read(int proc, struct pressure *out);

/* <proc>/self/mountstats parsed (with a fixture tree: its self/mountstats).
 * As mountstats_parse(), or -errno. */
int mountstats_read(int proc, struct nfs_mount **v, size_t *n, size_t *bad);

#endif
