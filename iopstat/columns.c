/* SPDX-License-Identifier: MIT */
/* iopstat's column table.  See columns.h. */
#define _GNU_SOURCE
#include "columns.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libioprio.h>
#include "iopcli/cli.h"
#include "devices.h"
#include "scan.h"
#include "sample.h"

/* --- how each value is read ------------------------------------------------ */

static bool v_pid(const struct coldef *d, const struct cell_of *at, struct cell *c)
{
	(void)d;
	if (!at->task)
		return false;
	c->n = (unsigned)at->task->pid;
	return true;
}

static bool v_tid(const struct coldef *d, const struct cell_of *at, struct cell *c)
{
	(void)d;
	if (!at->task)
		return false;
	c->n = (unsigned)(at->task->tid ? at->task->tid : at->task->pid);
	return true;
}

static bool v_uid(const struct coldef *d, const struct cell_of *at, struct cell *c)
{
	(void)d;
	if (!at->task)
		return false;
	c->n = at->task->uid;
	return true;
}

static bool v_user(const struct coldef *d, const struct cell_of *at, struct cell *c)
{
	(void)d;
	if (!at->task)
		return false;
	c->s = cli_user_name(at->task->uid);
	return true;
}

static bool v_prio(const struct coldef *d, const struct cell_of *at, struct cell *c)
{
	(void)d;
	if (!at->task || iop_format(at->task->prio, c->buf, sizeof(c->buf)) < 0)
		return false; /* unknown: another namespace's procfs, or gone */
	c->n = (unsigned)at->task->prio;
	c->s = c->buf;
	c->mark = at->task->flags & ROW_PRIO_MIXED;
	return true;
}

/* One io field of a row, or its total over the report. */
static bool v_count(const struct coldef *d, const struct cell_of *at, struct cell *c)
{
	c->n = at->row ? report_value(at->rep, at->row, d->field) : at->rep->io[d->field];
	return true;
}

/* read_bytes + write_bytes: 65 bits, exact */
static bool v_io(const struct coldef *d, const struct cell_of *at, struct cell *c)
{
	(void)d;
	if (at->row)
		c->n = cli_u128_sat_add(report_value(at->rep, at->row, IO_READ_BYTES),
					report_value(at->rep, at->row, IO_WRITE_BYTES));
	else /* saturated, as a group's counters near 2^128 are */
		c->n = cli_u128_sat_add(at->rep->io[IO_READ_BYTES], at->rep->io[IO_WRITE_BYTES]);
	return true;
}

/* Per second over the row's period (the interval, or the task's age); the
 * total only over an interval: lifetime rates of different ages do not add
 * (nor do a group's). */
static bool v_rate(const struct coldef *d, const struct cell_of *at, struct cell *c)
{
	double seconds = at->row ? report_seconds(at->rep, at->row) : at->rep->seconds;

	if (seconds <= 0)
		return false;
	c->rate = (double)(at->row ? report_value(at->rep, at->row, d->field)
				   : at->rep->io[d->field]) / seconds;
	return true;
}

static bool v_iodelay(const struct coldef *d, const struct cell_of *at, struct cell *c)
{
	(void)d;
	c->n = at->row ? report_value(at->rep, at->row, -1) : at->rep->delay;
	return true;
}

/* "1 process", "2 threads", "3 groups": what the totals line counts */
static const char *counted(const struct report *rep)
{
	bool one = rep->total_rows == 1;

	if (rep->groups)
		return one ? "group" : "groups";
	if (rep->threads)
		return one ? "thread" : "threads";
	return one ? "process" : "processes";
}

/* The name, or with -l the command line ("[name]" for tasks without one,
 * such as kernel threads, as ps shows them).  The totals: how many rows. */
static bool v_command(const struct coldef *d, const struct cell_of *at, struct cell *c)
{
	(void)d;
	if (!at->row) {
		snprintf(c->buf, sizeof(c->buf), "(%zu %s)", at->rep->total_rows, counted(at->rep));
		c->s = c->buf;
		return true;
	}
	if (!at->task)
		return false;
	const char *comm = scan_comm(at->rep->snap, at->task);
	c->s = comm;
	if (at->cmdline) {
		c->s = scan_extra(at->rep->snap, at->task);
		if (!c->s) {
			snprintf(c->buf, sizeof(c->buf), "[%s]", comm);
			c->s = c->buf;
		}
	}
	return true;
}

/* Whether the task ended during the interval: its row comes from its exit
 * notification. */
static bool v_exited(const struct coldef *d, const struct cell_of *at, struct cell *c)
{
	(void)d;
	if (!at->task)
		return false;
	c->n = (at->task->flags & ROW_EXITED) != 0;
	c->s = c->n ? "yes" : "no";
	return true;
}

/* A group's key (for a task, its pid: the group of one); the totals: how
 * many groups. */
static bool v_group(const struct coldef *d, const struct cell_of *at, struct cell *c)
{
	(void)d;
	if (!at->row) {
		snprintf(c->buf, sizeof(c->buf), "total (%zu %s)", at->rep->total_rows, counted(at->rep));
		c->s = c->buf;
		return true;
	}
	if (at->group) {
		c->s = at->group->key;
		c->escaped = true;
		return true;
	}
	if (!at->task)
		return false;
	snprintf(c->buf, sizeof(c->buf), "%d", at->task->pid);
	c->s = c->buf;
	return true;
}

/* How many processes a row stands for: a group's members, or one; the
 * totals: all of them. */
static bool v_procs(const struct coldef *d, const struct cell_of *at, struct cell *c)
{
	(void)d;
	if (at->group) {
		c->n = at->group->members;
	} else if (at->task) {
		c->n = 1;
	} else if (at->rep->groups) {
		/* every group's, those --top leaves out too (the rows are all
		 * there, past n) */
		c->n = 0;
		for (size_t i = 0; i < at->rep->total_rows; i++)
			c->n += at->rep->groups->v[at->rep->rows[i].task].members;
	} else {
		c->n = at->rep->total_rows;
	}
	return true;
}

/* A disk's or an NFS mount's value (-d): devices.c computes it. */
static bool v_device(bool ok, const struct dev_cell *v, struct cell *c)
{
	if (!ok)
		return false;
	c->n = v->n;
	c->rate = v->rate;
	c->s = v->s;
	return true;
}

static bool v_dev(const struct coldef *d, const struct cell_of *at, struct cell *c)
{
	struct dev_cell v = { 0 };

	return v_device(at->dev && dev_value(at->dev, d->field, &v), &v, c);
}

static bool v_nfs(const struct coldef *d, const struct cell_of *at, struct cell *c)
{
	struct dev_cell v = { 0 };

	return v_device(at->nfs && nfs_value(at->nfs, d->field, &v), &v, c);
}

/* --- the table ---------------------------------------------------------------- */

const struct coldef columns[NCOLS] = {
	[COL_PID] = { .name = "pid", .header = "PID", .width = 7, .kind = KIND_ID,
		      .tasks_only = true, .help = "process id", .value = v_pid },
	[COL_TID] = { .name = "tid", .header = "TID", .width = 7, .kind = KIND_ID,
		      .tasks_only = true, .help = "thread id (with --threads)", .value = v_tid },
	[COL_USER] = { .name = "user", .header = "USER", .width = -8, .kind = KIND_TEXT,
		       .need = NEED_OWNER, .prom_label = "user", .tasks_only = true,
		       .help = "owner: the effective user, by name", .value = v_user },
	[COL_UID] = { .name = "uid", .header = "UID", .width = 6, .kind = KIND_ID,
		      .need = NEED_OWNER, .tasks_only = true,
		      .help = "owner: the effective user id", .value = v_uid },
	[COL_PRIO] = { .name = "prio", .header = "PRIO", .width = -5, .kind = KIND_PRIO,
		       .need = NEED_PRIO, .prom_label = "ioprio", .tasks_only = true,
		       .help = "effective I/O priority, class/level (be/4)", .value = v_prio },
	[COL_READ] = { .name = "read", .header = "READ", .width = 12, .kind = KIND_COUNT,
		       .field = IO_READ_BYTES, .counter = true, .prom = "iopstat_read_bytes_total",
		       .prom_help = "Bytes the process caused to be read from storage.",
			.prom_group_help = "Bytes the processes of the group caused to be read from storage (never decreasing).",
		       .help = "bytes read from storage (read_bytes)", .value = v_count },
	[COL_WRITE] = { .name = "write", .header = "WRITE", .width = 12, .kind = KIND_COUNT,
			.field = IO_WRITE_BYTES, .counter = true, .prom = "iopstat_write_bytes_total",
			.prom_help = "Bytes the process caused to be written to storage.",
			.prom_group_help = "Bytes the processes of the group caused to be written to storage (never decreasing).",
			.help = "bytes written to storage (write_bytes)", .value = v_count },
	[COL_IO] = { .name = "io", .header = "IO", .width = 12, .kind = KIND_COUNT, .field = IO_READ_BYTES,
		     .help = "read + write (the default sort key)", .value = v_io },
	[COL_CANCELLED] = { .name = "cancelled", .header = "CANCELLED", .width = 10,
			    .kind = KIND_COUNT, .field = IO_CANCELLED, .counter = true,
			    .prom = "iopstat_cancelled_write_bytes_total",
			    .prom_help = "Bytes whose writeback the process cancelled.",
			.prom_group_help = "Bytes whose writeback the processes of the group cancelled (never decreasing).",
			    .help = "bytes whose writeback was cancelled (cancelled_write_bytes)",
			    .value = v_count },
	[COL_RCHAR] = { .name = "rchar", .header = "RCHAR", .width = 12, .kind = KIND_COUNT,
			.field = IO_RCHAR, .counter = true, .prom = "iopstat_rchar_bytes_total",
			.prom_help = "Bytes read through system calls, cache hits included.",
			.prom_group_help = "Bytes the processes of the group read through system calls (never decreasing).",
			.help = "bytes read by system calls, cache hits included", .value = v_count },
	[COL_WCHAR] = { .name = "wchar", .header = "WCHAR", .width = 12, .kind = KIND_COUNT,
			.field = IO_WCHAR, .counter = true, .prom = "iopstat_wchar_bytes_total",
			.prom_help = "Bytes written through system calls.",
			.prom_group_help = "Bytes the processes of the group wrote through system calls (never decreasing).",
			.help = "bytes written by system calls", .value = v_count },
	[COL_SYSCR] = { .name = "syscr", .header = "SYSCR", .width = 9, .kind = KIND_COUNT,
			.field = IO_SYSCR, .counter = true, .prom = "iopstat_read_syscalls_total",
			.prom_help = "Read system calls.",
			.prom_group_help = "Read system calls of the processes of the group (never decreasing).", .help = "read system calls",
			.value = v_count },
	[COL_SYSCW] = { .name = "syscw", .header = "SYSCW", .width = 9, .kind = KIND_COUNT,
			.field = IO_SYSCW, .counter = true, .prom = "iopstat_write_syscalls_total",
			.prom_help = "Write system calls.",
			.prom_group_help = "Write system calls of the processes of the group (never decreasing).", .help = "write system calls",
			.value = v_count },
	/* lifetime rates are over each task's age: its start time, from stat */
	[COL_READ_RATE] = { .name = "read_rate", .header = "READ/s", .width = 10,
			    .kind = KIND_RATE, .field = IO_READ_BYTES, .need = NEED_STAT,
			    .help = "READ per second (over the interval, or the process's life)",
			    .value = v_rate },
	[COL_WRITE_RATE] = { .name = "write_rate", .header = "WRITE/s", .width = 10,
			     .kind = KIND_RATE, .field = IO_WRITE_BYTES, .need = NEED_STAT,
			     .help = "WRITE per second (over the interval, or the process's life)",
			     .value = v_rate },
	[COL_IODELAY] = { .name = "iodelay", .header = "IODELAY", .width = 8, .kind = KIND_DELAY,
			  .need = NEED_STAT, .prom = "iopstat_io_delay_seconds_total",
			  .prom_help = "Seconds spent waiting for block I/O (delay accounting).",
			.prom_group_help = "Seconds the processes of the group waited for block I/O (never decreasing).",
			  .help = "seconds waiting for block I/O (needs kernel.task_delayacct=1)",
			  .value = v_iodelay },
	/* last by default, where it is not padded; elsewhere as wide as a comm */
	[COL_COMMAND] = { .name = "command", .header = "COMMAND", .width = -15, .kind = KIND_TEXT,
			  .need = NEED_STAT, .prom_label = "comm", .tasks_only = true,
			  .help = "command name (with -l: command line)", .value = v_command },
	[COL_EXITED] = { .name = "exited", .header = "EXITED", .width = -6, .kind = KIND_FLAG,
			 .tasks_only = true,
			 .help = "yes: ended during the interval (shown from its exit notification; "
				 "needs CAP_NET_ADMIN)",
			 .value = v_exited },
	[COL_GROUP] = { .name = "group", .header = "GROUP", .width = -20, .kind = KIND_TEXT,
			.help = "with --group-by: the group's key (its command name, user, cgroup "
				"or unit)",
			.value = v_group },
	[COL_PROCS] = { .name = "procs", .header = "PROCS", .width = 6, .kind = KIND_NUMBER,
			.help = "processes the row stands for: a group's members, or 1",
			.value = v_procs },

	/* -d: disks (devices.c computes them).  Names as iostat -x -o JSON
	 * writes its keys, headers as its table; the field says which (and
	 * whether it is in kB: -H shows a kB per second as 1.5M) */
#define DISK(col, nm, hd, w, k, f, hp) \
	[col] = { .name = nm, .header = hd, .width = w, .kind = k, .field = f, \
		  .scope = SCOPE_DISK, .help = hp, \
		  .kib = (f) < DEV_NAME && (f) % 8 == DEV_KB, .value = v_dev }
	DISK(COL_DISK_DEVICE, "disk_device", "Device", -12, KIND_TEXT, DEV_NAME,
	     "-d: the device, as in /proc/diskstats"),
	DISK(COL_DISK_KIND, "kind", "KIND", -4, KIND_TEXT, DEV_KIND,
	     "-d: disk (a whole disk) or part (a partition)"),
	DISK(COL_RS, "r/s", "r/s", 8, KIND_FIXED, DEV_M(DEV_READ, DEV_IOS),
	     "-d: reads completed per second"),
	DISK(COL_RKBS, "rkB/s", "rkB/s", 9, KIND_FIXED, DEV_M(DEV_READ, DEV_KB),
	     "-d: kB read per second"),
	DISK(COL_RRQMS, "rrqm/s", "rrqm/s", 8, KIND_FIXED, DEV_M(DEV_READ, DEV_RQM),
	     "-d: reads merged per second"),
	DISK(COL_RRQM, "rrqm", "%rrqm", 6, KIND_FIXED, DEV_M(DEV_READ, DEV_PRQM),
	     "-d: reads merged, % of reads"),
	DISK(COL_RAWAIT, "r_await", "r_await", 7, KIND_FIXED, DEV_M(DEV_READ, DEV_AWAIT),
	     "-d: ms a read took on average, queue included"),
	DISK(COL_RAREQSZ, "rareq-sz", "rareq-sz", 8, KIND_FIXED, DEV_M(DEV_READ, DEV_AREQ),
	     "-d: kB a read asked for on average"),
	DISK(COL_WS, "w/s", "w/s", 8, KIND_FIXED, DEV_M(DEV_WRITE, DEV_IOS),
	     "-d: writes completed per second"),
	DISK(COL_WKBS, "wkB/s", "wkB/s", 9, KIND_FIXED, DEV_M(DEV_WRITE, DEV_KB),
	     "-d: kB written per second"),
	DISK(COL_WRQMS, "wrqm/s", "wrqm/s", 8, KIND_FIXED, DEV_M(DEV_WRITE, DEV_RQM),
	     "-d: writes merged per second"),
	DISK(COL_WRQM, "wrqm", "%wrqm", 6, KIND_FIXED, DEV_M(DEV_WRITE, DEV_PRQM),
	     "-d: writes merged, % of writes"),
	DISK(COL_WAWAIT, "w_await", "w_await", 7, KIND_FIXED, DEV_M(DEV_WRITE, DEV_AWAIT),
	     "-d: ms a write took on average, queue included"),
	DISK(COL_WAREQSZ, "wareq-sz", "wareq-sz", 8, KIND_FIXED, DEV_M(DEV_WRITE, DEV_AREQ),
	     "-d: kB a write asked for on average"),
	DISK(COL_DS, "d/s", "d/s", 8, KIND_FIXED, DEV_M(DEV_DISCARD, DEV_IOS),
	     "-d: discards completed per second (Linux 4.18)"),
	DISK(COL_DKBS, "dkB/s", "dkB/s", 9, KIND_FIXED, DEV_M(DEV_DISCARD, DEV_KB),
	     "-d: kB discarded per second"),
	DISK(COL_DRQMS, "drqm/s", "drqm/s", 8, KIND_FIXED, DEV_M(DEV_DISCARD, DEV_RQM),
	     "-d: discards merged per second"),
	DISK(COL_DRQM, "drqm", "%drqm", 6, KIND_FIXED, DEV_M(DEV_DISCARD, DEV_PRQM),
	     "-d: discards merged, % of discards"),
	DISK(COL_DAWAIT, "d_await", "d_await", 7, KIND_FIXED, DEV_M(DEV_DISCARD, DEV_AWAIT),
	     "-d: ms a discard took on average"),
	DISK(COL_DAREQSZ, "dareq-sz", "dareq-sz", 8, KIND_FIXED, DEV_M(DEV_DISCARD, DEV_AREQ),
	     "-d: kB a discard asked for on average"),
	DISK(COL_FS, "f/s", "f/s", 7, KIND_FIXED, DEV_FLUSH_S,
	     "-d: flushes completed per second (Linux 5.5)"),
	DISK(COL_FAWAIT, "f_await", "f_await", 7, KIND_FIXED, DEV_FLUSH_AWAIT,
	     "-d: ms a flush took on average"),
	DISK(COL_AQUSZ, "aqu-sz", "aqu-sz", 6, KIND_FIXED, DEV_AQU,
	     "-d: requests in the queue on average (weighted ms / ms)"),
	DISK(COL_UTIL, "util", "%util", 6, KIND_FIXED, DEV_UTIL,
	     "-d: % of the time with a request in flight (busy)"),
	DISK(COL_SCHED, "sched", "SCHED", -11, KIND_TEXT, DEV_SCHED,
	     "-d: the active I/O scheduler (a partition's disk's)"),
	DISK(COL_HONOURS, "honours", "HONOURS", -7, KIND_TEXT, DEV_HONOURS,
	     "-d: what ionice does there: levels (bfq), classes (mq-deadline) or none"),
#undef DISK
#define NFS(col, nm, hd, w, k, f, hp) \
	[col] = { .name = nm, .header = hd, .width = w, .kind = k, .field = f, \
		  .scope = SCOPE_NFS, .help = hp, .value = v_nfs }
	NFS(COL_NFS_MOUNT, "nfs_mount", "NFS mount", -16, KIND_TEXT, NFS_MOUNT,
	    "-d: an NFS mount's mount point"),
	NFS(COL_NFS_EXPORT, "nfs_export", "Export", -20, KIND_TEXT, NFS_EXPORT,
	    "-d: what it mounts (server:/path)"),
	NFS(COL_NFS_OPS, "op/s", "op/s", 8, KIND_FIXED, NFS_OPS,
	    "-d: RPC requests sent per second (nfsiostat's op/s)"),
	/* each of READ and WRITE as nfsiostat prints it: over that operation's
	 * own counters; kB are its bytes sent and received (requests, replies) */
#define NFS_OP(col, nm, hd, w, k, f, hp) \
	[col] = { .name = nm, .header = hd, .width = w, .kind = k, .field = f, \
		  .scope = SCOPE_NFS, .help = hp, .kib = (f) % 8 == NFS_OP_KBS, .value = v_nfs }
	NFS_OP(COL_NFS_ROPS, "read_ops/s", "read_ops/s", 10, KIND_FIXED,
	       NFS_M(NFS_OP_READ, NFS_OP_OPS), "-d: READ operations per second"),
	NFS_OP(COL_NFS_RKBS, "read_kB/s", "read_kB/s", 9, KIND_FIXED,
	       NFS_M(NFS_OP_READ, NFS_OP_KBS), "-d: kB per second of READ operations"),
	NFS_OP(COL_NFS_RKBOP, "read_kB/op", "read_kB/op", 10, KIND_FIXED,
	       NFS_M(NFS_OP_READ, NFS_OP_KBOP), "-d: kB a READ moved on average"),
	NFS_OP(COL_NFS_RRETRANS, "read_retrans", "read_retrans", 12, KIND_NUMBER,
	       NFS_M(NFS_OP_READ, NFS_OP_RETRANS), "-d: READ retransmissions"),
	NFS_OP(COL_NFS_RRTT, "read_avg_rtt", "read_avg_RTT", 12, KIND_FIXED,
	       NFS_M(NFS_OP_READ, NFS_OP_RTT), "-d: ms from sending a READ to its reply, on average"),
	NFS_OP(COL_NFS_REXE, "read_avg_exe", "read_avg_exe", 12, KIND_FIXED,
	       NFS_M(NFS_OP_READ, NFS_OP_EXE), "-d: ms a READ took in all, queue included, on average"),
	NFS_OP(COL_NFS_WOPS, "write_ops/s", "write_ops/s", 11, KIND_FIXED,
	       NFS_M(NFS_OP_WRITE, NFS_OP_OPS), "-d: WRITE operations per second"),
	NFS_OP(COL_NFS_WKBS, "write_kB/s", "write_kB/s", 10, KIND_FIXED,
	       NFS_M(NFS_OP_WRITE, NFS_OP_KBS), "-d: kB per second of WRITE operations"),
	NFS_OP(COL_NFS_WKBOP, "write_kB/op", "write_kB/op", 11, KIND_FIXED,
	       NFS_M(NFS_OP_WRITE, NFS_OP_KBOP), "-d: kB a WRITE moved on average"),
	NFS_OP(COL_NFS_WRETRANS, "write_retrans", "write_retrans", 13, KIND_NUMBER,
	       NFS_M(NFS_OP_WRITE, NFS_OP_RETRANS), "-d: WRITE retransmissions"),
	NFS_OP(COL_NFS_WRTT, "write_avg_rtt", "write_avg_RTT", 13, KIND_FIXED,
	       NFS_M(NFS_OP_WRITE, NFS_OP_RTT), "-d: ms from sending a WRITE to its reply, on average"),
	NFS_OP(COL_NFS_WEXE, "write_avg_exe", "write_avg_exe", 13, KIND_FIXED,
	       NFS_M(NFS_OP_WRITE, NFS_OP_EXE), "-d: ms a WRITE took in all, queue included, on average"),
#undef NFS_OP
#undef NFS
};

int column_by_name(const char *name)
{
	return column_by_name_in(name, SCOPE_PROC);
}

int column_by_name_in(const char *name, enum col_scope scope)
{
	for (int c = 0; c < NCOLS; c++)
		if (columns[c].scope == scope && !strcasecmp(name, columns[c].name))
			return c;
	return -1;
}

bool column_sorts(enum column c)
{
	return columns[c].kind != KIND_TEXT;
}

/* Priorities in the order the kernel serves them: realtime, best-effort,
 * idle; then levels 0..7; unknown last. */
static unsigned prio_rank(const struct cell *c, bool known)
{
	static const unsigned class_rank[IOP_CLASS_COUNT] = {
		[IOP_CLASS_RT] = 0, [IOP_CLASS_BE] = 1, [IOP_CLASS_IDLE] = 2, [IOP_CLASS_NONE] = 3,
	};
	struct iop_prio p;

	if (!known || iop_decode((int)c->n, &p) < 0)
		return 1000;
	return class_rank[p.cls] * IOP_LEVEL_COUNT + (unsigned)p.level;
}

struct cell_of column_at(const struct report *rep, const struct report_row *r, bool cmdline)
{
	struct cell_of at = { .rep = rep, .row = r, .cmdline = cmdline };

	if (r && rep->devs) {
		if (rep->devs->nfs_rows)
			at.nfs = &rep->devs->nfs[r->task];
		else
			at.dev = &rep->devs->disks[r->task];
	} else if (r) {
		at.task = report_task(rep, r);
		at.group = report_group(rep, r);
	}
	return at;
}

bool column_value(enum column c, const struct cell_of *at, struct cell *out)
{
	return columns[c].value(&columns[c], at, out);
}

/* Orders two rows by column col in its direction; 0 when equal. */
static int compare(enum column col, const struct report *rep, const struct report_row *a,
		   const struct report_row *b)
{
	const struct coldef *d = &columns[col];

	/* the common keys straight from the rows: no cell to fill */
	if (d->value == v_count || col == COL_IODELAY) {
		int f = col == COL_IODELAY ? -1 : d->field;
		cli_u128 x = report_value(rep, a, f), y = report_value(rep, b, f);
		return x > y ? -1 : x < y ? 1 : 0;
	}
	if (col == COL_IO) {
		cli_u128 x = cli_u128_sat_add(report_value(rep, a, IO_READ_BYTES),
					      report_value(rep, a, IO_WRITE_BYTES));
		cli_u128 y = cli_u128_sat_add(report_value(rep, b, IO_READ_BYTES),
					      report_value(rep, b, IO_WRITE_BYTES));
		return x > y ? -1 : x < y ? 1 : 0;
	}
	struct cell_of at_a = column_at(rep, a, false), at_b = column_at(rep, b, false);
	struct cell x, y;
	x.n = y.n = 0;
	x.rate = y.rate = 0;
	bool hx = d->value(d, &at_a, &x), hy = d->value(d, &at_b, &y);

	switch (d->kind) {
	case KIND_ID:
		return (x.n > y.n) - (x.n < y.n);
	case KIND_PRIO: {
		unsigned rx = prio_rank(&x, hx), ry = prio_rank(&y, hy);
		return (rx > ry) - (rx < ry);
	}
	case KIND_RATE:
	case KIND_FIXED:
		if (!hx || !hy)
			return hy - hx;
		return x.rate > y.rate ? -1 : x.rate < y.rate ? 1 : 0;
	case KIND_COUNT:
	case KIND_DELAY:
	case KIND_NUMBER:
	case KIND_FLAG:
		return x.n > y.n ? -1 : x.n < y.n ? 1 : 0;
	default:
		return 0;
	}
}

/* --- sorting ------------------------------------------------------------------ */

/* What a sort compares by: passed to each comparison, never kept. */
struct sorting {
	enum column col;
	const struct report *rep;
};

/* By the column (its values are read as rows are compared, not stored),
 * then by task; groups by key, devices by their place in the kernel's list. */
static int cmp_rows(const void *a, const void *b, void *ctx)
{
	const struct sorting *s = ctx;
	const struct report_row *x = a, *y = b;
	int c = compare(s->col, s->rep, x, y);

	if (c)
		return c;
	if (s->rep->devs)
		return (x->task > y->task) - (x->task < y->task);
	if (s->rep->groups)
		return strcmp(s->rep->groups->v[x->task].key, s->rep->groups->v[y->task].key);
	return CMP_TASK(report_task(s->rep, x), report_task(s->rep, y));
}

/* A report_sort's function: ctx is the column's entry in the table. */
static void sort_rows(struct report *rep, const void *ctx)
{
	struct sorting s = { (enum column)((const struct coldef *)ctx - columns), rep };

	if (rep->devs) {
		if (columns[s.col].scope != (rep->devs->nfs_rows ? SCOPE_NFS : SCOPE_DISK) ||
		    !column_sorts(s.col))
			return; /* another report's column, or text: the kernel's order */
	} else if (s.col == COL_PID && !rep->groups) {
		return; /* built in that order */
	}
	cli_sort_r(rep->rows, rep->n, sizeof(*rep->rows), cmp_rows, &s);
}

struct report_sort column_sort_by(enum column c)
{
	return (struct report_sort){ sort_rows, &columns[c] };
}
