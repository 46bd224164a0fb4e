/* SPDX-License-Identifier: MIT */
/*
 * iopstat's output formats, as a table: each has its renderer and what it
 * implies (lifetime counters only, a summary at the end of a run, its
 * default columns).  The columns are columns.h's.
 */
#ifndef IOPSTAT_OUTPUT_H
#define IOPSTAT_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include "iopcli/buf.h"
#include "columns.h"
#include "sample.h"

enum format { FMT_TABLE, FMT_CSV, FMT_JSON, FMT_PROMETHEUS, NFORMATS };
enum units { UNITS_BYTES, UNITS_KIB, UNITS_HUMAN };
enum timestamps { TS_NONE, TS_ISO, TS_EPOCH };
enum report_kind { REPORT_SNAPSHOT, REPORT_INTERVAL, REPORT_SUMMARY };

struct sys_line;

struct output_options {
	enum format format;
	enum column cols[NCOLS];
	size_t ncols;
	enum units units;
	enum timestamps ts;
	bool header;       /* false (-n): no header line, and no totals line in a table */
	bool cmdline;      /* COMMAND is the command line ([name] without one) */
	const char *group_header; /* the GROUP column's header: COMM, USER, ... */
	long clock_ticks;
	/* --label NAME=VALUE: constant labels on every Prometheus series */
	const char *const *label_names, *const *label_values;
	size_t nlabels;
	/* interval reports of processes: the system line above a table, the
	 * "system" object of JSON (NULL: none, as with -n) */
	const struct sys_line *sys;
	/* -d in JSON: one object a report, its "disk" part then its "nfs"
	 * part; dev_more: a part follows (the object stays open); dev_cont:
	 * this part continues the object the one before opened */
	bool dev_more, dev_cont;
};

struct format_def {
	const char *name;  /* --format */
	bool lifetime;     /* counters only: an interval run reports lifetime totals */
	bool summary;      /* a summary of the whole run after its last report (stdout) */
	const enum column *defaults; /* its columns without -o (tid only with -t) */
	size_t ndefaults;
	/* which columns it can show: NULL = every one */
	bool (*shows)(enum column c);
	void (*render)(FILE *f, struct cli_buf *b, const struct report *rep, enum report_kind kind,
		       const struct output_options *o, bool first);
};

extern const struct format_def formats[NFORMATS];

/* The format named name, or -1. */
int output_format(const char *name);

/* The default columns of a format into cols (NCOLS room); their number.
 * threads: -t; grouped: --group-by. */
size_t output_default_columns(enum format fmt, bool threads, bool grouped, enum column *cols);

/* Whether NAME may be given to --label: a Prometheus label name
 * ([a-zA-Z_][a-zA-Z0-9_]*), not reserved (__*), and none of iopstat's own. */
bool output_label_name_ok(const char *name);

/* Writes one report to f in the chosen format, building lines in b.
 * 'first': the first report of the run (CSV writes its header then).
 * 0, or -1 on a write error. */
int output_report(FILE *f, struct cli_buf *b, const struct report *rep, enum report_kind kind,
		  const struct output_options *o, bool first);

#endif
