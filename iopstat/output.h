/* SPDX-License-Identifier: MIT */
/* iopstat's output: columns and the four formats. */
#ifndef IOPSTAT_OUTPUT_H
#define IOPSTAT_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include "iopcli/buf.h"
#include "sample.h"

enum column {
	COL_PID, COL_TID, COL_USER, COL_UID, COL_PRIO,
	COL_READ, COL_WRITE, COL_CANCELLED, COL_RCHAR, COL_WCHAR, COL_SYSCR, COL_SYSCW,
	COL_READ_RATE, COL_WRITE_RATE, COL_IODELAY, COL_COMMAND,
	COL_COUNT
};

enum format { FMT_TABLE, FMT_CSV, FMT_JSON, FMT_PROMETHEUS };
enum units { UNITS_BYTES, UNITS_KIB, UNITS_HUMAN };
enum timestamps { TS_NONE, TS_ISO, TS_EPOCH };
enum report_kind { KIND_SNAPSHOT, KIND_INTERVAL, KIND_SUMMARY };

struct output_options {
	enum format format;
	enum column cols[COL_COUNT];
	size_t ncols;
	enum units units;
	enum timestamps ts;
	bool header;
	bool cmdline;      /* COMMAND is the command line ([name] without one) */
	long clock_ticks;
	/* --label NAME=VALUE: constant labels on every Prometheus series */
	const char *const *label_names, *const *label_values;
	size_t nlabels;
};

/* Whether NAME may be given to --label: a Prometheus label name
 * ([a-zA-Z_][a-zA-Z0-9_]*), not reserved (__*), and none of iopstat's own. */
bool output_label_name_ok(const char *name);

/* The column named 'name' (as -o takes it), or -1. */
int output_column(const char *name);
const char *output_column_name(enum column c);
const char *output_column_help(enum column c);

/* Writes one report to f in the chosen format, building lines in b.
 * 'first': the first report of the run (CSV writes its header then).
 * 0, or -1 on a write error. */
int output_report(FILE *f, struct cli_buf *b, const struct report *rep, enum report_kind kind,
		  const struct output_options *o, bool first);

#endif
