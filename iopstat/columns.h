/* SPDX-License-Identifier: MIT */
/*
 * iopstat's columns, as one table: a column's name (for -o, --sort, CSV
 * and JSON), its table header and width, what kind of value it holds and
 * how that value is read from a report row, what the scanner must read for
 * it, and how it sorts.  Adding a column is one entry here.
 */
#ifndef IOPSTAT_COLUMNS_H
#define IOPSTAT_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include "iopcli/buf.h"
#include "sample.h"

enum column {
	COL_PID, COL_TID, COL_USER, COL_UID, COL_PRIO,
	COL_READ, COL_WRITE, COL_IO, COL_CANCELLED, COL_RCHAR, COL_WCHAR, COL_SYSCR, COL_SYSCW,
	COL_READ_RATE, COL_WRITE_RATE, COL_IODELAY, COL_COMMAND,
	COL_EXITED, /* ended during the interval (exit notifications) */
	COL_GROUP, COL_PROCS, /* --group-by */
	/* -d: a disk's, as iostat -x (sysstat 12) names and computes them */
	COL_DISK_DEVICE, COL_DISK_KIND,
	COL_RS, COL_RKBS, COL_RRQMS, COL_RRQM, COL_RAWAIT, COL_RAREQSZ,
	COL_WS, COL_WKBS, COL_WRQMS, COL_WRQM, COL_WAWAIT, COL_WAREQSZ,
	COL_DS, COL_DKBS, COL_DRQMS, COL_DRQM, COL_DAWAIT, COL_DAREQSZ,
	COL_FS, COL_FAWAIT, COL_AQUSZ, COL_UTIL, COL_SCHED, COL_HONOURS,
	/* -d: an NFS mount's, as nfsiostat computes them */
	COL_NFS_MOUNT, COL_NFS_EXPORT, COL_NFS_OPS,
	COL_NFS_ROPS, COL_NFS_RKBS, COL_NFS_RKBOP, COL_NFS_RRETRANS, COL_NFS_RRTT, COL_NFS_REXE,
	COL_NFS_WOPS, COL_NFS_WKBS, COL_NFS_WKBOP, COL_NFS_WRETRANS, COL_NFS_WRTT, COL_NFS_WEXE,
	NCOLS
};

/* What a column holds; it decides how each format writes it and how it
 * sorts. */
enum col_kind {
	KIND_ID,    /* a number naming the task (pid, tid, uid): sorts ascending */
	KIND_TEXT,  /* a string (escaped per format): does not sort */
	KIND_PRIO,  /* an I/O priority, "be/4": sorts highest priority first */
	KIND_COUNT, /* bytes or calls, exact: sorts largest first; units apply */
	KIND_RATE,  /* per second (a double): sorts largest first; units apply */
	KIND_DELAY, /* clock ticks, shown as seconds: sorts largest first */
	KIND_NUMBER,/* a count of things (processes): sorts largest first; no units */
	KIND_FIXED, /* a measure with two decimals (iostat's): sorts largest first */
	KIND_FLAG,  /* yes or no (n is 1 or 0): a boolean in JSON; sorts yes first */
};

/* Whose column it is: a process report's, or -d's for disks or NFS mounts. */
enum col_scope { SCOPE_PROC, SCOPE_DISK, SCOPE_NFS };

struct report;
struct report_row;
struct scan_row;
struct group;
struct dev_row;
struct nfs_row;

/* Where a value is read from: a task's row, a group's row, or the totals
 * (row == NULL). */
struct cell_of {
	const struct report *rep;
	const struct report_row *row;
	const struct scan_row *task;   /* a task's row */
	const struct group *group;     /* a group's row */
	const struct dev_row *dev;     /* a disk's row (-d) */
	const struct nfs_row *nfs;     /* an NFS mount's row (-d) */
	bool cmdline;                  /* -l: COMMAND is the command line */
};

/* A cell's value.  For a row (r != NULL) or the report's totals (r ==
 * NULL): false when there is none to show ("-", null, empty). */
struct cell {
	cli_u128 n;    /* KIND_ID, KIND_COUNT, KIND_DELAY (ticks), KIND_PRIO (the value) */
	double rate;   /* KIND_RATE, KIND_FIXED */
	const char *s; /* KIND_TEXT, KIND_PRIO (its short form) */
	bool escaped;  /* s is escaped for a terminal already (a group's key) */
	bool mark;     /* KIND_PRIO: a thread has another one (a table adds '*') */
	char buf[96];  /* room for s */
};

struct coldef {
	const char *name;      /* -o, --sort, CSV header, JSON key */
	const char *header;    /* table header */
	int width;             /* table: > 0 right-aligned, < 0 left-aligned */
	enum col_kind kind;
	int field;             /* KIND_COUNT, KIND_RATE: the io field (IO_*) */
	unsigned need;         /* what the scanner reads for it (enum scan_need) */
	bool counter;          /* one of the kernel's io counters (JSON totals) */
	/* Prometheus: a counter family (name, help), or a label of
	 * iopstat_process_info; NULL: no Prometheus form */
	const char *prom, *prom_help, *prom_label;
	const char *prom_group_help; /* the family's help with --group-by */
	const char *help;
	bool tasks_only;       /* it has no value for a group (--group-by) */
	enum col_scope scope;  /* the report it belongs to */
	bool kib;              /* KIND_FIXED in kB: -H shows it as 1.5M */
	/* the value of a cell: false when it has none */
	bool (*value)(const struct coldef *d, const struct cell_of *at, struct cell *out);
};

extern const struct coldef columns[NCOLS];

/* The column named name (any case), or -1. */
int column_by_name(const char *name);

/* The column named name (any case) of the given scope, or -1. */
int column_by_name_in(const char *name, enum col_scope scope);

/* Whether a column can be given to --sort. */
bool column_sorts(enum column c);

/* Where row r of rep (NULL: the totals) is read from. */
struct cell_of column_at(const struct report *rep, const struct report_row *r, bool cmdline);

/* The value of column c at a cell: false when it has none. */
bool column_value(enum column c, const struct cell_of *at, struct cell *out);

/* --sort by column c, for report_options (sample.h): rows in c's direction
 * (ids ascending, priorities highest first, amounts largest first), ties
 * by task (pid, tid), groups by key, devices in the kernel's order.  A
 * device report sorts only by a column of its own scope that sorts; a
 * process report by COL_PID stays as built (in pid order already). */
struct report_sort column_sort_by(enum column c);

#endif
