/* SPDX-License-Identifier: MIT */
/* iopstat's output formats.  See output.h. */
#define _GNU_SOURCE
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "iopcli/cli.h"
#include "iopcli/table.h"
#include "devices.h"

/* A number for a person: bytes, KiB, or 1.5K / 12.3M / 4.0G. */
static void put_amount(struct cli_buf *b, double v, enum units u, int decimals)
{
	static const char suffix[] = "KMGTPE";

	if (u == UNITS_KIB) {
		cli_buf_fixed(b, v / 1024, decimals);
	} else if (u == UNITS_HUMAN && v >= 1024) {
		int i = -1;
		while (v >= 1024 && i < 5) {
			v /= 1024;
			i++;
		}
		cli_buf_fixed(b, v, 1);
		cli_buf_putc(b, suffix[i]);
	} else {
		cli_buf_fixed(b, v, decimals);
	}
}

/* A count for a person, exact: bytes as they are, KiB rounded half up
 * (integers all the way: 2^53 + 1 prints as itself); -H shows 1.5K. */
static void put_count(struct cli_buf *b, cli_u128 v, enum units u)
{
	if (u == UNITS_HUMAN && v >= 1024)
		put_amount(b, (double)v, u, 0);
	else if (u == UNITS_KIB)
		cli_buf_ratio(b, v, 1024, 0);
	else
		cli_buf_u128(b, v);
}

static void put_time(struct cli_buf *b, double when, enum timestamps ts)
{
	if (ts == TS_EPOCH) {
		cli_buf_fixed(b, when, 3);
		return;
	}
	char tmp[40];
	time_t t = (time_t)when;
	struct tm tm;
	localtime_r(&t, &tm);
	size_t n = strftime(tmp, sizeof(tmp), "%Y-%m-%dT%H:%M:%S%z", &tm);
	if (n == 24) { /* +hhmm -> +hh:mm, as ISO 8601 extended format wants */
		memmove(tmp + 23, tmp + 22, 2);
		tmp[22] = ':';
		n = 25;
	}
	cli_buf_put(b, tmp, n);
}

#define N(a) (sizeof(a) / sizeof(*(a)))

/* A value as a table shows it (in the chosen units, escaped for a
 * terminal), or as data (exact; text as it is, for CSV and JSON to escape
 * by their rules, and Prometheus' counters). */
static void put_value(struct cli_buf *b, const struct coldef *d, const struct cell *v,
		      const struct output_options *o, bool table)
{
	switch (d->kind) {
	case KIND_ID:
	case KIND_NUMBER:
		cli_buf_u128(b, v->n);
		break;
	case KIND_TEXT:
	case KIND_PRIO:
		if (table && !v->escaped)
			cli_buf_text(b, v->s);
		else
			cli_buf_puts(b, v->s);
		if (table && d->kind == KIND_PRIO && v->mark)
			cli_buf_puts(b, "*"); /* explained on stderr (iopstat.c) */
		break;
	case KIND_COUNT:
		if (table)
			put_count(b, v->n, o->units);
		else
			cli_buf_u128(b, v->n);
		break;
	case KIND_RATE:
		if (table)
			put_amount(b, v->rate, o->units, 0);
		else
			cli_buf_fixed(b, v->rate, 1);
		break;
	case KIND_DELAY:
		cli_buf_ratio(b, v->n, (unsigned long long)o->clock_ticks, 2);
		break;
	case KIND_FIXED: /* kB columns as 1.5M with -H */
		if (table && d->kib && o->units == UNITS_HUMAN && v->rate >= 1)
			put_amount(b, v->rate * 1024, UNITS_HUMAN, 0);
		else
			cli_buf_fixed(b, v->rate, 2);
		break;
	case KIND_FLAG:
		cli_buf_puts(b, table ? (v->n ? "yes" : "-") : (v->n ? "true" : "false"));
		break;
	}
}

/* A report's rows for the table writer (lib/iopcli/table.c): the columns
 * of -o, after a TIME column with -T (table and CSV); row rep->n is the
 * totals line. */
struct rows {
	const struct report *rep;
	const struct output_options *o;
	bool time;
};

/* The iopstat column of table column col, or -1 for TIME. */
static inline int column_of(const struct rows *x, size_t col)
{
	if (x->time && col-- == 0)
		return -1;
	return (int)x->o->cols[col];
}

/* The value of a cell of iopstat column c in row 'row' (rep->n: the
 * totals line); false when it has none. */
static inline bool row_value(const struct rows *x, size_t row, enum column c, struct cell *v)
{
	const struct report *rep = x->rep;
	struct cell_of at = column_at(rep, row < rep->n ? &rep->rows[row] : NULL, x->o->cmdline);

	v->escaped = false; /* set by the value of a key that is already */
	return columns[c].value(&columns[c], &at, v);
}

/* A cell as a table shows it, or as a CSV field.  On a table's totals
 * line (row rep->n) a column without a total stays blank, but a rate shows
 * "-" (lifetime rates of different ages do not add) and the first column,
 * when it has none, says "total"; CSV has no totals line, and a field
 * without a value is empty. */
static void row_put(const void *ctx, size_t row, size_t col, enum cli_fmt fmt,
		    struct cli_buf *b)
{
	const struct rows *x = ctx;
	bool table = fmt == CLI_FMT_TABLE;
	int c = column_of(x, col);
	struct cell v;

	if (c < 0) {
		put_time(b, x->rep->snap->when, x->o->ts);
	} else if (row_value(x, row, (enum column)c, &v)) {
		if (!table && (columns[c].kind == KIND_TEXT || columns[c].kind == KIND_PRIO))
			cli_buf_csv(b, v.s);
		else
			put_value(b, &columns[c], &v, x->o, table);
	} else if (table && row == x->rep->n && col == 0) {
		cli_buf_puts(b, "total");
	} else if (table && (row < x->rep->n || columns[c].kind == KIND_RATE)) {
		cli_buf_putc(b, '-');
	}
}

/* A JSON value, written in place: null, a number, or a string. */
static bool row_json(const void *ctx, size_t row, size_t col, struct cli_buf *b)
{
	const struct rows *x = ctx;
	enum column c = (enum column)column_of(x, col); /* no TIME in JSON */
	struct cell v;

	if (!row_value(x, row, c, &v))
		cli_buf_puts(b, "null");
	else if (columns[c].kind == KIND_TEXT || columns[c].kind == KIND_PRIO)
		cli_buf_json(b, v.s);
	else
		put_value(b, &columns[c], &v, x->o, false);
	return true;
}

static size_t digits(cli_u128 n)
{
	size_t w = 1;

	for (; n >> 64; n /= 10) /* past 2^64 (a group's counters, sums): rare */
		w++;
	for (unsigned long long v = (unsigned long long)n; v >= 10; v /= 10)
		w++;
	return w;
}

/* How wide a row's table cell is: whole numbers and plain text measured,
 * not written; the rest (escapes, units, the totals line) written aside. */
static size_t row_cell_width(const void *ctx, size_t row, size_t col)
{
	const struct rows *x = ctx;
	int c = column_of(x, col);
	struct cell v;

	if (c < 0 || row >= x->rep->n || x->o->units != UNITS_BYTES)
		return CLI_WIDTH_WRITE;
	switch (columns[c].kind) {
	case KIND_ID:
	case KIND_NUMBER:
	case KIND_COUNT:
	case KIND_RATE:
	case KIND_PRIO:
	case KIND_TEXT:
		break;
	default:
		return CLI_WIDTH_WRITE;
	}
	if (!row_value(x, row, (enum column)c, &v))
		return 1; /* "-" */
	switch (columns[c].kind) {
	case KIND_RATE:
		if (v.rate >= 0 && v.rate < 1e18)
			return digits((cli_u128)(v.rate + 0.5));
		return CLI_WIDTH_WRITE;
	case KIND_PRIO:
		return strlen(v.s) + v.mark;
	case KIND_TEXT:;
		size_t n = 0;
		for (const unsigned char *p = (const unsigned char *)v.s; *p; p++, n++)
			if (*p < 0x20 || *p >= 0x7f || *p == '\\')
				return CLI_WIDTH_WRITE; /* escaped: as wide as it is written */
		return n;
	default:
		return digits(v.n);
	}
}

/* How wide a column's widest row is, without looking at each cell: a
 * counter or a rate as bytes is as wide as its largest value. */
static size_t row_col_width(const void *ctx, size_t col)
{
	const struct rows *x = ctx;
	const struct report *rep = x->rep;
	int c = column_of(x, col);

	if (c < 0 || x->o->units != UNITS_BYTES)
		return CLI_WIDTH_WRITE;

	const struct coldef *d = &columns[c];

	if (d->kind == KIND_COUNT && d->field >= 0) {
		cli_u128 max = 0;
		for (size_t r = 0; r < rep->n; r++) {
			cli_u128 v = report_value(rep, &rep->rows[r], d->field);
			if (c == COL_IO) /* saturated, as its cells are */
				v = cli_u128_sat_add(v, report_value(rep, &rep->rows[r],
								     IO_WRITE_BYTES));
			if (v > max)
				max = v;
		}
		return digits(max);
	}
	if (d->kind == KIND_RATE) {
		double max = 0;
		for (size_t r = 0; r < rep->n; r++) {
			double sec = report_seconds(rep, &rep->rows[r]);
			double v = sec > 0 ? (double)report_value(rep, &rep->rows[r], d->field) / sec : 0;
			if (v > max)
				max = v;
		}
		if (max < 1e18)
			return digits((cli_u128)(max + 0.5));
	}
	return CLI_WIDTH_WRITE;
}

/* The table writer's view of a report's rows in format fmt (cols and
 * width: NCOLS + 1 entries).  A table's columns: numbers right-aligned;
 * each as wide as its default or its widest cell, so that a number of 20
 * digits or a long group key does not push the columns after it out of
 * line; ids of 7 digits at most (pid_max 2^22) not measured.  CSV and
 * JSON name them as -o does. */
static struct cli_table rows_table(struct rows *x, enum cli_fmt fmt, struct cli_col *cols,
				   size_t *width, FILE *f)
{
	const struct output_options *o = x->o;
	bool table = fmt == CLI_FMT_TABLE;
	size_t n = 0;

	x->time = o->ts != TS_NONE && fmt != CLI_FMT_JSON;
	if (x->time) {
		width[n] = o->ts == TS_ISO ? 25 : 14;
		cols[n++] = (struct cli_col){ table ? "TIME" : "time", NULL, CLI_COL_FIXED };
	}
	for (size_t i = 0; i < o->ncols; i++) {
		enum column c = o->cols[i];
		const struct coldef *d = &columns[c];
		const char *header = d->name; /* CSV's, as -o names it */
		unsigned flags = 0;

		if (table) {
			header = c == COL_GROUP && o->group_header ? o->group_header : d->header;
			flags = (d->width > 0 ? CLI_COL_RIGHT : 0) |
				(c == COL_PID || c == COL_TID ? CLI_COL_FIXED : 0);
		}
		width[n] = (size_t)(d->width < 0 ? -d->width : d->width);
		cols[n++] = (struct cli_col){ header, d->name, flags };
	}
	return (struct cli_table){ .cols = cols, .ncols = n, .nrows = x->rep->n, .width = width,
				   .lone_header = true, .trim = true, .compact = true,
				   .put = row_put, .json_value = row_json, .cell_width = row_cell_width,
				   .col_width = row_col_width, .out = f, .ctx = x };
}

/* "system: processes read R/s, write W/s; disks read .., write ..; I/O
 * pressure some S%, full F%" */
static void system_line(struct cli_buf *b, const struct sys_line *l, enum units u)
{
	cli_buf_puts(b, "system: processes read ");
	put_amount(b, l->proc_read, u, 0);
	cli_buf_puts(b, "/s, write ");
	put_amount(b, l->proc_write, u, 0);
	if (l->disks) {
		cli_buf_puts(b, "/s; disks read ");
		put_amount(b, l->disk_read, u, 0);
		cli_buf_puts(b, "/s, write ");
		put_amount(b, l->disk_write, u, 0);
	}
	cli_buf_puts(b, "/s");
	if (l->psi == 1) {
		cli_buf_puts(b, "; I/O pressure some ");
		cli_buf_fixed(b, l->some, 1);
		if (l->has_full) {
			cli_buf_puts(b, "%, full ");
			cli_buf_fixed(b, l->full, 1);
		}
		cli_buf_putc(b, '%');
	} else if (l->psi == 0 && l->psi_error == -ENOENT) {
		cli_buf_puts(b, "; I/O pressure unknown (no /proc/pressure/io: PSI is off)");
	} else if (l->psi == 0 && l->psi_error == -EINVAL) {
		cli_buf_puts(b, "; I/O pressure unknown (/proc/pressure/io is not what the kernel writes)");
	} else if (l->psi == 0) {
		cli_buf_puts(b, "; I/O pressure unknown (/proc/pressure/io cannot be read)");
	}
	cli_buf_putc(b, '\n');
}

static void table_report(FILE *f, struct cli_buf *b, const struct report *rep,
			 enum report_kind kind, const struct output_options *o, bool first)
{
	if (!first)
		cli_buf_putc(b, '\n');
	if (kind == REPORT_INTERVAL && o->sys && o->header)
		system_line(b, o->sys, o->units);
	if (kind == REPORT_SUMMARY) {
		cli_buf_puts(b, "Summary: ");
		cli_buf_fixed(b, rep->seconds, 1);
		cli_buf_puts(b, " s from the first sample to the last\n");
	}
	struct rows x = { rep, o, false };
	struct cli_col cols[NCOLS + 1];
	size_t width[NCOLS + 1];
	struct cli_table t = rows_table(&x, CLI_FMT_TABLE, cols, width, f);

	t.header = o->header;
	t.total = o->header && !rep->devs; /* -n: the rows alone, for sort and awk */
	cli_table_write(&t, CLI_FMT_TABLE, b);
	if (rep->exits_missed) { /* never a number short without saying so */
		cli_buf_u64(b, rep->exits_missed);
		cli_buf_puts(b, rep->exits_missed == 1 ? " exit" : " exits");
		cli_buf_puts(b, " missed: the kernel's notification buffer overflowed, so"
				" the figures above may be short\n");
	}
}

/* A report's rows as JSON objects, comma-separated, keyed by column name */
static void json_rows(FILE *f, struct cli_buf *b, const struct report *rep,
		      const struct output_options *o)
{
	struct rows x = { rep, o, false };
	struct cli_col cols[NCOLS + 1];
	size_t width[NCOLS + 1];
	struct cli_table t = rows_table(&x, CLI_FMT_JSON, cols, width, f);

	cli_table_json_objects(&t, b);
}

/* -d: one object per report, its disks ("disk": [...], iostat -x -o JSON's
 * keys) and its NFS mounts ("nfs": [...]), each written by its own call
 * (dev_more, dev_cont); seconds: what the disks' rates are over (the
 * uptime one-shot), null for NFS mounts alone (each one-shot row is over
 * its mount's age) */
static void json_devices(FILE *f, struct cli_buf *b, const struct report *rep,
			 enum report_kind kind, const struct output_options *o)
{
	bool nfs = rep->devs->nfs_rows;

	if (!o->dev_cont) {
		cli_buf_puts(b, kind == REPORT_SNAPSHOT ? "{\"type\":\"snapshot\""
						      : "{\"type\":\"interval\"");
		cli_buf_puts(b, ",\"report\":\"devices\",\"timestamp\":");
		cli_buf_fixed(b, rep->snap->when, 3);
		cli_buf_puts(b, ",\"time\":\"");
		put_time(b, rep->snap->when, TS_ISO);
		cli_buf_puts(b, "\",\"seconds\":");
		if (nfs)
			cli_buf_puts(b, "null");
		else
			cli_buf_fixed(b, rep->devs->seconds, 3);
	}
	cli_buf_puts(b, nfs ? ",\"nfs\":[" : ",\"disk\":[");
	json_rows(f, b, rep, o);
	cli_buf_puts(b, o->dev_more ? "]" : "]}\n");
}

static void csv_report(FILE *f, struct cli_buf *b, const struct report *rep,
		       enum report_kind kind, const struct output_options *o, bool first)
{
	struct rows x = { rep, o, false };
	struct cli_col cols[NCOLS + 1];
	size_t width[NCOLS + 1];
	struct cli_table t = rows_table(&x, CLI_FMT_CSV, cols, width, f);

	(void)kind;
	t.header = first && o->header;
	cli_table_write(&t, CLI_FMT_CSV, b);
}

static void json_report(FILE *f, struct cli_buf *b, const struct report *rep,
			enum report_kind kind, const struct output_options *o, bool first)
{
	static const char *const kinds[] = { "snapshot", "interval", "summary" };

	(void)first;
	if (rep->devs) {
		json_devices(f, b, rep, kind, o);
		return;
	}
	cli_buf_puts(b, "{\"type\":\"");
	cli_buf_puts(b, kinds[kind]);
	cli_buf_puts(b, "\",\"timestamp\":");
	cli_buf_fixed(b, rep->snap->when, 3);
	cli_buf_puts(b, ",\"time\":\"");
	put_time(b, rep->snap->when, TS_ISO);
	cli_buf_puts(b, "\",\"seconds\":");
	if (kind == REPORT_SNAPSHOT)
		cli_buf_puts(b, "null");
	else
		cli_buf_fixed(b, rep->seconds, 3);
	if (rep->groups) {
		cli_buf_puts(b, ",\"group_by\":\"");
		cli_buf_puts(b, group_by_names[rep->groups->by]);
		cli_buf_puts(b, "\",\"groups\":[");
	} else {
		cli_buf_puts(b, ",\"processes\":[");
	}
	json_rows(f, b, rep, o);
	/* the totals: every kernel counter, whatever the columns */
	cli_buf_puts(b, rep->groups ? "],\"totals\":{\"groups\":" : "],\"totals\":{\"processes\":");
	cli_buf_u64(b, rep->total_rows);
	struct cell_of totals = column_at(rep, NULL, false);
	struct cell v;
	if (rep->groups) {
		column_value(COL_PROCS, &totals, &v);
		cli_buf_puts(b, ",\"processes\":");
		put_value(b, &columns[COL_PROCS], &v, o, false);
	}
	for (int c = 0; c < NCOLS; c++) {
		if (!columns[c].counter)
			continue;
		cli_buf_puts(b, ",\"");
		cli_buf_puts(b, columns[c].name);
		cli_buf_puts(b, "\":");
		column_value((enum column)c, &totals, &v);
		put_value(b, &columns[c], &v, o, false);
	}
	cli_buf_puts(b, ",\"iodelay\":");
	column_value(COL_IODELAY, &totals, &v);
	put_value(b, &columns[COL_IODELAY], &v, o, false);
	cli_buf_puts(b, "},\"denied\":");
	cli_buf_u64(b, rep->snap->denied);
	if (kind == REPORT_INTERVAL && o->sys) { /* bytes per second, and % of the interval */
		const struct sys_line *l = o->sys;
		cli_buf_puts(b, ",\"system\":{\"processes_read_rate\":");
		cli_buf_fixed(b, l->proc_read, 1);
		cli_buf_puts(b, ",\"processes_write_rate\":");
		cli_buf_fixed(b, l->proc_write, 1);
		cli_buf_puts(b, ",\"disks_read_rate\":");
		if (l->disks)
			cli_buf_fixed(b, l->disk_read, 1);
		else
			cli_buf_puts(b, "null");
		cli_buf_puts(b, ",\"disks_write_rate\":");
		if (l->disks)
			cli_buf_fixed(b, l->disk_write, 1);
		else
			cli_buf_puts(b, "null");
		cli_buf_puts(b, ",\"pressure_some\":");
		if (l->psi == 1)
			cli_buf_fixed(b, l->some, 2);
		else
			cli_buf_puts(b, "null");
		cli_buf_puts(b, ",\"pressure_full\":");
		if (l->psi == 1 && l->has_full)
			cli_buf_fixed(b, l->full, 2);
		else
			cli_buf_puts(b, "null");
		cli_buf_putc(b, '}');
	}
	if (rep->exits_on) { /* exit notifications lost in the period */
		cli_buf_puts(b, ",\"exits_missed\":");
		cli_buf_u64(b, rep->exits_missed);
	}
	cli_buf_puts(b, "}\n");
}

/* Prometheus text exposition: lifetime counters, one family at a time.  A
 * counter's identity is what identifies the task and nothing that can
 * change while it lives: pid, start time (clock ticks after boot: a reused
 * pid is a new series) and tid.  Name, user and I/O priority, which ionice
 * or exec change, go to iopstat_process_info (value 1), to be joined in
 * PromQL.  --label adds constant labels to every series. */
static const char *const own_labels[] = { "pid", "tid", "start", "comm", "user", "ioprio",
	"cgroup", "unit" };

bool output_label_name_ok(const char *name)
{
	if (!((*name >= 'a' && *name <= 'z') || (*name >= 'A' && *name <= 'Z') || *name == '_'))
		return false;
	for (const char *p = name + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
		      (*p >= '0' && *p <= '9')))
			return false;
	if (name[0] == '_' && name[1] == '_')
		return false; /* reserved for Prometheus itself */
	for (size_t i = 0; i < sizeof(own_labels) / sizeof(*own_labels); i++)
		if (!strcmp(name, own_labels[i]))
			return false;
	return true;
}

/* name="value" for each --label, each after a comma but for the very first
 * of a label set ('first') */
static void prom_constant_labels(struct cli_buf *b, const struct output_options *o, bool first)
{
	for (size_t i = 0; i < o->nlabels; i++) {
		if (i || !first)
			cli_buf_putc(b, ',');
		cli_buf_puts(b, o->label_names[i]);
		cli_buf_puts(b, "=\"");
		cli_buf_prom_label(b, o->label_values[i]);
		cli_buf_putc(b, '"');
	}
}

/* {pid="..",start="..",tid="..",LABELS */
static void prom_identity(struct cli_buf *b, const struct scan_row *t,
			  const struct output_options *o)
{
	cli_buf_puts(b, "{pid=\"");
	cli_buf_u64(b, (unsigned)t->pid);
	cli_buf_puts(b, "\",start=\"");
	cli_buf_u64(b, t->start);
	if (t->tid) {
		cli_buf_puts(b, "\",tid=\"");
		cli_buf_u64(b, (unsigned)t->tid);
	}
	cli_buf_putc(b, '"');
	prom_constant_labels(b, o, false);
}

static void prom_family(struct cli_buf *b, const char *name, const char *type, const char *help)
{
	cli_buf_puts(b, "# HELP ");
	cli_buf_puts(b, name);
	cli_buf_putc(b, ' ');
	cli_buf_puts(b, help);
	cli_buf_puts(b, "\n# TYPE ");
	cli_buf_puts(b, name);
	cli_buf_putc(b, ' ');
	cli_buf_puts(b, type);
	cli_buf_putc(b, '\n');
}

/* A run-level gauge: name{LABELS} value */
static void prom_gauge_start(struct cli_buf *b, const char *name, const char *help,
			     const struct output_options *o)
{
	prom_family(b, name, "gauge", help);
	cli_buf_puts(b, name);
	if (o->nlabels) {
		cli_buf_putc(b, '{');
		prom_constant_labels(b, o, true);
		cli_buf_putc(b, '}');
	}
	cli_buf_putc(b, ' ');
}

/* Every column Prometheus shows, in the order it shows them whatever the
 * order of -o: one exposition for one set of columns. */
static const enum column prom_defaults[] = { COL_READ, COL_WRITE, COL_CANCELLED, COL_RCHAR,
	COL_WCHAR, COL_SYSCR, COL_SYSCW, COL_IODELAY, COL_COMMAND, COL_USER, COL_PRIO };

static bool chosen(const struct output_options *o, enum column c)
{
	for (size_t i = 0; i < o->ncols; i++)
		if (o->cols[i] == c)
			return true;
	return false;
}

/* A family's name: iopstat_group_* for groups, whose series are not a
 * process's and must not be summed with them. */
static void prom_name(struct cli_buf *b, const char *name, bool group)
{
	if (group && !strncmp(name, "iopstat_", 8)) {
		cli_buf_puts(b, "iopstat_group_");
		name += 8;
	}
	cli_buf_puts(b, name);
}

/* {KEY="value",LABELS for a group's series: its key is its only identity */
static void prom_group_identity(struct cli_buf *b, const struct report *rep,
				const struct group *g, const struct output_options *o)
{
	cli_buf_putc(b, '{');
	cli_buf_puts(b, group_by_names[rep->groups->by]);
	cli_buf_puts(b, "=\"");
	cli_buf_prom_label(b, g->key);
	cli_buf_putc(b, '"');
	prom_constant_labels(b, o, false);
}

static void prom_report(FILE *out, struct cli_buf *b, const struct report *rep,
			enum report_kind kind, const struct output_options *o, bool first)
{
	bool info = false, grouped = rep->groups != NULL;
	struct cli_buf help = { 0 };

	(void)kind, (void)first;
	/* a counter family for each column that has one */
	for (size_t i = 0; i < N(prom_defaults); i++) {
		const struct coldef *d = &columns[prom_defaults[i]];
		if (!chosen(o, prom_defaults[i]))
			continue;
		info |= d->prom_label != NULL;
		if (!d->prom)
			continue;
		help.len = 0;
		prom_name(&help, d->prom, grouped);
		cli_buf_putc(&help, '\0');
		prom_family(b, help.p, "counter", grouped ? d->prom_group_help : d->prom_help);
		for (size_t r = 0; r < rep->n; r++) {
			struct cell_of at = column_at(rep, &rep->rows[r], false);
			struct cell v;
			d->value(d, &at, &v);
			cli_buf_puts(b, help.p);
			if (grouped)
				prom_group_identity(b, rep, at.group, o);
			else
				prom_identity(b, at.task, o);
			cli_buf_puts(b, "} ");
			put_value(b, d, &v, o, false);
			cli_buf_putc(b, '\n');
			cli_buf_spill(b, out);
		}
	}
	cli_buf_free(&help);
	if (grouped) { /* how many processes each group has now */
		prom_family(b, "iopstat_group_processes", "gauge",
			    "Processes in the group at the scan.");
		for (size_t r = 0; r < rep->n; r++) {
			const struct group *g = report_group(rep, &rep->rows[r]);
			cli_buf_puts(b, "iopstat_group_processes");
			prom_group_identity(b, rep, g, o);
			cli_buf_puts(b, "} ");
			cli_buf_u64(b, g->members);
			cli_buf_putc(b, '\n');
			cli_buf_spill(b, out);
		}
	}
	/* what can change while a task lives, as labels of one info gauge */
	if (info && !grouped) {
		prom_family(b, "iopstat_process_info", "gauge",
			    "What a process is: command name, user and I/O priority (value 1).");
		for (size_t r = 0; r < rep->n; r++) {
			struct cell_of at = column_at(rep, &rep->rows[r], false);
			cli_buf_puts(b, "iopstat_process_info");
			prom_identity(b, at.task, o);
			for (size_t i = 0; i < N(prom_defaults); i++) {
				const struct coldef *d = &columns[prom_defaults[i]];
				struct cell v;
				if (!d->prom_label || !chosen(o, prom_defaults[i]))
					continue;
				bool known = d->value(d, &at, &v);
				cli_buf_putc(b, ',');
				cli_buf_puts(b, d->prom_label);
				cli_buf_puts(b, "=\"");
				cli_buf_prom_label(b, known ? v.s : "unknown");
				cli_buf_putc(b, '"');
			}
			cli_buf_puts(b, "} 1\n");
			cli_buf_spill(b, out);
		}
	}
	struct cell_of totals = column_at(rep, NULL, false);
	struct cell procs;
	column_value(COL_PROCS, &totals, &procs);
	prom_gauge_start(b, "iopstat_processes", "Processes (or threads) reported.", o);
	put_value(b, &columns[COL_PROCS], &procs, o, false);
	cli_buf_putc(b, '\n');
	prom_gauge_start(b, "iopstat_denied_processes",
			 "Processes whose I/O counters could not be read.", o);
	cli_buf_u64(b, rep->snap->denied);
	cli_buf_putc(b, '\n');
	prom_gauge_start(b, "iopstat_scan_timestamp_seconds", "When the counters were read.", o);
	cli_buf_fixed(b, rep->snap->when, 3);
	cli_buf_putc(b, '\n');
}

/* --- the formats ------------------------------------------------------------- */

static const enum column table_defaults[] = { COL_PID, COL_TID, COL_USER, COL_PRIO, COL_READ,
	COL_WRITE, COL_READ_RATE, COL_WRITE_RATE, COL_COMMAND };
static const enum column machine_defaults[] = { COL_PID, COL_TID, COL_USER, COL_UID, COL_PRIO,
	COL_READ, COL_WRITE, COL_CANCELLED, COL_RCHAR, COL_WCHAR, COL_SYSCR, COL_SYSCW,
	COL_READ_RATE, COL_WRITE_RATE, COL_IODELAY, COL_COMMAND };

/* With --group-by: the key, its processes, and the amounts. */
static const enum column group_table_defaults[] = { COL_GROUP, COL_PROCS, COL_READ, COL_WRITE,
	COL_READ_RATE, COL_WRITE_RATE };
static const enum column group_machine_defaults[] = { COL_GROUP, COL_PROCS, COL_READ,
	COL_WRITE, COL_CANCELLED, COL_RCHAR, COL_WCHAR, COL_SYSCR, COL_SYSCW, COL_READ_RATE,
	COL_WRITE_RATE, COL_IODELAY };

/* Prometheus shows counters and info labels; pid and tid are in every
 * series' identity anyway (and a group's key in a group's) */
static bool prom_shows(enum column c)
{
	return columns[c].prom || columns[c].prom_label || c == COL_PID || c == COL_TID ||
	       c == COL_GROUP || c == COL_PROCS;
}

const struct format_def formats[NFORMATS] = {
	[FMT_TABLE] = { "table", false, true, table_defaults, N(table_defaults), NULL,
			table_report },
	[FMT_CSV] = { "csv", false, false, machine_defaults, N(machine_defaults), NULL,
		      csv_report },
	[FMT_JSON] = { "json", false, true, machine_defaults, N(machine_defaults), NULL,
		       json_report },
	/* counters never go down: lifetime totals, also in an interval run */
	[FMT_PROMETHEUS] = { "prometheus", true, false, prom_defaults, N(prom_defaults),
			     prom_shows, prom_report },
};

int output_format(const char *name)
{
	for (int f = 0; f < NFORMATS; f++)
		if (!strcmp(name, formats[f].name))
			return f;
	return -1;
}

size_t output_default_columns(enum format fmt, bool threads, bool grouped, enum column *cols)
{
	const enum column *d = formats[fmt].defaults;
	size_t nd = formats[fmt].ndefaults, n = 0;

	if (grouped && fmt != FMT_PROMETHEUS) {
		d = fmt == FMT_TABLE ? group_table_defaults : group_machine_defaults;
		nd = fmt == FMT_TABLE ? N(group_table_defaults) : N(group_machine_defaults);
	}
	for (size_t i = 0; i < nd; i++) {
		if (d[i] == COL_TID && !threads)
			continue;
		if (grouped && columns[d[i]].tasks_only)
			continue; /* Prometheus: no info labels for a group */
		cols[n++] = d[i];
	}
	return n;
}

int output_report(FILE *f, struct cli_buf *b, const struct report *rep, enum report_kind kind,
		  const struct output_options *o, bool first)
{
	formats[o->format].render(f, b, rep, kind, o, first);
	int r = cli_buf_flush(b, f);
	return cli_flush(f) < 0 || r < 0 ? -1 : 0;
}
