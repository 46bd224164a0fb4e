/* SPDX-License-Identifier: MIT */
/* iopstat's output formats.  See output.h. */
#define _GNU_SOURCE
#include "output.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "iopcli/cli.h"
#include <libioprio.h>

static const struct coldef {
	const char *name;   /* -o, CSV header, JSON key */
	const char *header; /* table */
	int width;          /* table: > 0 right-aligned, < 0 left-aligned, 0 last */
	int field;          /* the io field it shows, or -1 */
	const char *help;
} cols[COL_COUNT] = {
	[COL_PID] = { "pid", "PID", 7, -1, "process id" },
	[COL_TID] = { "tid", "TID", 7, -1, "thread id (with --threads)" },
	[COL_USER] = { "user", "USER", -8, -1, "owner: the effective user, by name" },
	[COL_UID] = { "uid", "UID", 6, -1, "owner: the effective user id" },
	[COL_PRIO] = { "prio", "PRIO", -5, -1, "effective I/O priority, class/level (be/4)" },
	[COL_READ] = { "read", "READ", 12, IO_READ_BYTES, "bytes read from storage (read_bytes)" },
	[COL_WRITE] = { "write", "WRITE", 12, IO_WRITE_BYTES, "bytes written to storage (write_bytes)" },
	[COL_CANCELLED] = { "cancelled", "CANCELLED", 10, IO_CANCELLED,
			    "bytes whose writeback was cancelled (cancelled_write_bytes)" },
	[COL_RCHAR] = { "rchar", "RCHAR", 12, IO_RCHAR, "bytes read by system calls, cache hits included" },
	[COL_WCHAR] = { "wchar", "WCHAR", 12, IO_WCHAR, "bytes written by system calls" },
	[COL_SYSCR] = { "syscr", "SYSCR", 9, IO_SYSCR, "read system calls" },
	[COL_SYSCW] = { "syscw", "SYSCW", 9, IO_SYSCW, "write system calls" },
	[COL_READ_RATE] = { "read_rate", "READ/s", 10, IO_READ_BYTES,
			    "READ per second (over the interval, or the process's life)" },
	[COL_WRITE_RATE] = { "write_rate", "WRITE/s", 10, IO_WRITE_BYTES,
			     "WRITE per second (over the interval, or the process's life)" },
	[COL_IODELAY] = { "iodelay", "IODELAY", 8, -1,
			  "seconds waiting for block I/O (needs kernel.task_delayacct=1)" },
	[COL_COMMAND] = { "command", "COMMAND", 0, -1, "command name (with -l: command line)" },
};

int output_column(const char *name)
{
	for (int c = 0; c < COL_COUNT; c++)
		if (!strcasecmp(name, cols[c].name))
			return c;
	return -1;
}

const char *output_column_name(enum column c)
{
	return cols[c].name;
}

const char *output_column_help(enum column c)
{
	return cols[c].help;
}

static double rate(const struct report_row *r, int field)
{
	return r->seconds > 0 ? (double)r->io[field] / r->seconds : 0;
}

/* The name, or with -l the command line ("[name]" for tasks without one,
 * such as kernel threads, as ps shows them). */
static const char *command_of(const struct report *rep, const struct proc_row *t,
			      const struct output_options *o, char *buf, size_t size)
{
	const char *comm = proc_comm(rep->snap, t);

	if (!o->cmdline)
		return comm;
	if (proc_cmdline(rep->snap, t))
		return proc_cmdline(rep->snap, t);
	snprintf(buf, size, "[%s]", comm);
	return buf;
}

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

/* Keeps the line buffer small: writes it out past 32 KiB. */
static void spill(struct cli_buf *b, FILE *f)
{
	if (b->len >= 32768)
		cli_buf_flush(b, f); /* errors stay in ferror(f) */
}

/* Pads what was written since 'start' on the right to 'width'. */
static void pad_to(struct cli_buf *b, size_t start, int width)
{
	size_t len = b->len - start;

	if (len < (size_t)width)
		cli_buf_pad(b, ' ', (size_t)width - len);
}

/* The cells naming a task, the same in every format; false for others. */
static bool put_task_id(struct cli_buf *b, enum column c, const struct proc_row *t)
{
	switch (c) {
	case COL_PID:
		cli_buf_u64(b, (unsigned)t->pid);
		return true;
	case COL_TID:
		cli_buf_u64(b, (unsigned)(t->tid ? t->tid : t->pid));
		return true;
	case COL_UID:
		cli_buf_u64(b, t->uid);
		return true;
	default:
		return false;
	}
}

/* One table cell of a row (r != NULL) or of the totals line (r == NULL),
 * where the first column says "total" and the others naming a task stay
 * blank. */
static void table_cell(struct cli_buf *b, enum column c, const struct report_row *r,
		       const struct report *rep, const struct output_options *o, bool first)
{
	const struct proc_row *t = r ? r->task : NULL;
	char tmp[96];
	const char *s;

	if (!t && c <= COL_PRIO) {
		if (first)
			cli_buf_puts(b, "total");
		return;
	}
	if (t && put_task_id(b, c, t))
		return;
	switch (c) {
	case COL_USER:
		cli_buf_text(b, cli_user_name(t->uid));
		break;
	case COL_PRIO:
		s = cli_prio_short(t->prio, tmp);
		cli_buf_puts(b, s ? s : "-");
		break;
	case COL_READ_RATE:
	case COL_WRITE_RATE:
		if (t)
			put_amount(b, rate(r, cols[c].field), o->units, 0);
		else if (rep->seconds > 0)
			put_amount(b, (double)rep->io[cols[c].field] / rep->seconds, o->units, 0);
		else
			cli_buf_putc(b, '-'); /* lifetime rates of different ages do not add */
		break;
	case COL_IODELAY:
		cli_buf_ratio(b, t ? r->delay : rep->delay, (unsigned long long)o->clock_ticks, 2);
		break;
	case COL_COMMAND:
		if (t) {
			cli_buf_text(b, command_of(rep, t, o, tmp, sizeof(tmp)));
		} else {
			cli_buf_putc(b, '(');
			cli_buf_u64(b, rep->total_rows);
			cli_buf_puts(b, rep->total_rows == 1 ? " process)" : " processes)");
		}
		break;
	default: /* the io counters */
		put_count(b, t ? r->io[cols[c].field] : rep->io[cols[c].field], o->units);
		break;
	}
}

static void table_line(struct cli_buf *b, const struct report_row *r, const struct report *rep,
		       const struct output_options *o, bool header)
{
	static struct cli_buf cell; /* right-aligned cells are built here first */

	if (o->ts != TS_NONE) {
		size_t start = b->len;
		if (header)
			cli_buf_puts(b, "TIME");
		else
			put_time(b, rep->snap->when, o->ts);
		pad_to(b, start, o->ts == TS_ISO ? 25 : 14);
		cli_buf_putc(b, ' ');
	}
	for (size_t i = 0; i < o->ncols; i++) {
		enum column c = o->cols[i];
		bool last = i + 1 == o->ncols, right = cols[c].width > 0 && !last;
		struct cli_buf *to = right ? &cell : b;
		size_t start = to->len = right ? 0 : b->len;
		if (header)
			cli_buf_puts(to, cols[c].header);
		else
			table_cell(to, c, r, rep, o, i == 0 && o->ts == TS_NONE);
		if (right) {
			if (cell.len < (size_t)cols[c].width)
				cli_buf_pad(b, ' ', (size_t)cols[c].width - cell.len);
			cli_buf_put(b, cell.p, cell.len);
		} else if (!last) {
			pad_to(b, start, -cols[c].width);
		}
		if (!last)
			cli_buf_putc(b, ' ');
	}
	cli_buf_putc(b, '\n');
}

static void table_report(FILE *f, struct cli_buf *b, const struct report *rep,
			 enum report_kind kind, const struct output_options *o, bool first)
{
	if (!first)
		cli_buf_putc(b, '\n');
	if (kind == KIND_SUMMARY) {
		cli_buf_puts(b, "Summary: ");
		cli_buf_fixed(b, rep->seconds, 1);
		cli_buf_puts(b, " s from the first sample to the last\n");
	}
	if (o->header)
		table_line(b, NULL, rep, o, true);
	for (size_t i = 0; i < rep->n; i++) {
		table_line(b, &rep->rows[i], rep, o, false);
		spill(b, f);
	}
	table_line(b, NULL, rep, o, false); /* totals */
}

/* CSV and JSON values of one cell */
static void data_cell(struct cli_buf *b, enum column c, const struct report *rep,
		      const struct report_row *r, const struct output_options *o)
{
	const struct proc_row *t = r->task;
	bool json = o->format == FMT_JSON;
	char tmp[96];
	const char *s;

	if (put_task_id(b, c, t))
		return;
	switch (c) {
	case COL_USER:
	case COL_COMMAND:
	case COL_PRIO:
		s = c == COL_USER ? cli_user_name(t->uid)
		    : c == COL_PRIO ? cli_prio_short(t->prio, tmp)
				    : command_of(rep, t, o, tmp, sizeof(tmp));
		if (!s)
			cli_buf_puts(b, json ? "null" : "");
		else if (json)
			cli_buf_json(b, s);
		else
			cli_buf_csv(b, s);
		break;
	case COL_READ_RATE:
	case COL_WRITE_RATE:
		cli_buf_fixed(b, rate(r, cols[c].field), 1);
		break;
	case COL_IODELAY:
		cli_buf_ratio(b, r->delay, (unsigned long long)o->clock_ticks, 2);
		break;
	default:
		cli_buf_u64(b, r->io[cols[c].field]);
		break;
	}
}

static void csv_report(FILE *f, struct cli_buf *b, const struct report *rep,
		       const struct output_options *o, bool first)
{
	if (first && o->header) {
		if (o->ts != TS_NONE)
			cli_buf_puts(b, "time,");
		for (size_t i = 0; i < o->ncols; i++) {
			cli_buf_puts(b, cols[o->cols[i]].name);
			cli_buf_putc(b, i + 1 < o->ncols ? ',' : '\n');
		}
	}
	for (size_t r = 0; r < rep->n; r++) {
		if (o->ts != TS_NONE) {
			put_time(b, rep->snap->when, o->ts);
			cli_buf_putc(b, ',');
		}
		for (size_t i = 0; i < o->ncols; i++) {
			data_cell(b, o->cols[i], rep, &rep->rows[r], o);
			cli_buf_putc(b, i + 1 < o->ncols ? ',' : '\n');
		}
		spill(b, f);
	}
}

static void json_report(FILE *f, struct cli_buf *b, const struct report *rep,
			enum report_kind kind, const struct output_options *o)
{
	static const char *const kinds[] = { "snapshot", "interval", "summary" };

	cli_buf_puts(b, "{\"type\":\"");
	cli_buf_puts(b, kinds[kind]);
	cli_buf_puts(b, "\",\"timestamp\":");
	cli_buf_fixed(b, rep->snap->when, 3);
	cli_buf_puts(b, ",\"time\":\"");
	put_time(b, rep->snap->when, TS_ISO);
	cli_buf_puts(b, "\",\"seconds\":");
	if (kind == KIND_SNAPSHOT)
		cli_buf_puts(b, "null");
	else
		cli_buf_fixed(b, rep->seconds, 3);
	cli_buf_puts(b, ",\"processes\":[");
	for (size_t r = 0; r < rep->n; r++) {
		cli_buf_puts(b, r ? ",{" : "{");
		for (size_t i = 0; i < o->ncols; i++) {
			cli_buf_puts(b, i ? ",\"" : "\"");
			cli_buf_puts(b, cols[o->cols[i]].name);
			cli_buf_puts(b, "\":");
			data_cell(b, o->cols[i], rep, &rep->rows[r], o);
		}
		cli_buf_putc(b, '}');
		spill(b, f);
	}
	cli_buf_puts(b, "],\"totals\":{\"processes\":");
	cli_buf_u64(b, rep->total_rows);
	for (enum column c = COL_READ; c <= COL_SYSCW; c++) {
		cli_buf_puts(b, ",\"");
		cli_buf_puts(b, cols[c].name);
		cli_buf_puts(b, "\":");
		cli_buf_u128(b, rep->io[cols[c].field]);
	}
	cli_buf_puts(b, ",\"iodelay\":");
	cli_buf_ratio(b, rep->delay, (unsigned long long)o->clock_ticks, 2);
	cli_buf_puts(b, "},\"denied\":");
	cli_buf_u64(b, rep->snap->denied);
	cli_buf_puts(b, "}\n");
}

/* Prometheus text exposition: lifetime counters, one family at a time.  A
 * counter's identity is what identifies the task and nothing that can
 * change while it lives: pid, start time (clock ticks after boot: a reused
 * pid is a new series) and tid.  Name, user and I/O priority, which ionice
 * or exec change, go to iopstat_process_info (value 1), to be joined in
 * PromQL.  --label adds constant labels to every series. */
static const char *const own_labels[] = { "pid", "tid", "start", "comm", "user", "ioprio" };

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
static void prom_identity(struct cli_buf *b, const struct proc_row *t,
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

static void prom_report(FILE *out, struct cli_buf *b, const struct report *rep,
			const struct output_options *o)
{
	static const struct {
		const char *name;
		int field; /* -1: the delay */
		const char *help;
	} families[] = {
		{ "iopstat_read_bytes_total", IO_READ_BYTES, "Bytes the process caused to be read from storage." },
		{ "iopstat_write_bytes_total", IO_WRITE_BYTES, "Bytes the process caused to be written to storage." },
		{ "iopstat_cancelled_write_bytes_total", IO_CANCELLED, "Bytes whose writeback the process cancelled." },
		{ "iopstat_rchar_bytes_total", IO_RCHAR, "Bytes read through system calls, cache hits included." },
		{ "iopstat_wchar_bytes_total", IO_WCHAR, "Bytes written through system calls." },
		{ "iopstat_read_syscalls_total", IO_SYSCR, "Read system calls." },
		{ "iopstat_write_syscalls_total", IO_SYSCW, "Write system calls." },
		{ "iopstat_io_delay_seconds_total", -1, "Seconds spent waiting for block I/O (delay accounting)." },
	};
	char tmp[96];

	for (size_t f = 0; f < sizeof(families) / sizeof(*families); f++) {
		prom_family(b, families[f].name, "counter", families[f].help);
		for (size_t r = 0; r < rep->n; r++) {
			const struct report_row *row = &rep->rows[r];
			cli_buf_puts(b, families[f].name);
			prom_identity(b, row->task, o);
			cli_buf_puts(b, "} ");
			if (families[f].field < 0)
				cli_buf_ratio(b, row->delay, (unsigned long long)o->clock_ticks, 2);
			else
				cli_buf_u64(b, row->io[families[f].field]);
			cli_buf_putc(b, '\n');
			spill(b, out);
		}
	}
	prom_family(b, "iopstat_process_info", "gauge",
		    "What a process is: command name, user and I/O priority (value 1).");
	for (size_t r = 0; r < rep->n; r++) {
		const struct proc_row *t = rep->rows[r].task;
		const char *prio = cli_prio_short(t->prio, tmp);
		cli_buf_puts(b, "iopstat_process_info");
		prom_identity(b, t, o);
		cli_buf_puts(b, ",comm=\"");
		cli_buf_prom_label(b, proc_comm(rep->snap, t));
		cli_buf_puts(b, "\",user=\"");
		cli_buf_prom_label(b, cli_user_name(t->uid));
		cli_buf_puts(b, "\",ioprio=\"");
		cli_buf_puts(b, prio ? prio : "unknown");
		cli_buf_puts(b, "\"} 1\n");
		spill(b, out);
	}
	prom_gauge_start(b, "iopstat_processes", "Processes (or threads) reported.", o);
	cli_buf_u64(b, rep->total_rows);
	cli_buf_putc(b, '\n');
	prom_gauge_start(b, "iopstat_denied_processes",
			 "Processes whose I/O counters could not be read.", o);
	cli_buf_u64(b, rep->snap->denied);
	cli_buf_putc(b, '\n');
	prom_gauge_start(b, "iopstat_scan_timestamp_seconds", "When the counters were read.", o);
	cli_buf_fixed(b, rep->snap->when, 3);
	cli_buf_putc(b, '\n');
}

int output_report(FILE *f, struct cli_buf *b, const struct report *rep, enum report_kind kind,
		  const struct output_options *o, bool first)
{
	switch (o->format) {
	case FMT_TABLE:
		table_report(f, b, rep, kind, o, first);
		break;
	case FMT_CSV:
		csv_report(f, b, rep, o, first);
		break;
	case FMT_JSON:
		json_report(f, b, rep, kind, o);
		break;
	case FMT_PROMETHEUS:
		prom_report(f, b, rep, o);
		break;
	}
	int r = cli_buf_flush(b, f);
	return cli_flush(f) < 0 || r < 0 ? -1 : 0;
}
