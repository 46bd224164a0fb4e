/* SPDX-License-Identifier: MIT */
/* Unit tests of the output escapers and of iopstat's four formats, on a
 * report built by hand with hostile command names. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "iopcli/buf.h"
#include "output.h"

static char *escaped(void (*fn)(struct cli_buf *, const char *), const char *in)
{
	static struct cli_buf b;
	b.len = 0;
	fn(&b, in);
	cli_buf_putc(&b, '\0');
	return b.p;
}

static void text_escaping(void **state)
{
	(void)state;
	assert_string_equal(escaped(cli_buf_text, "plain name"), "plain name");
	assert_string_equal(escaped(cli_buf_text, "a\tb\nc\x1b[31m"), "a\\x09b\\x0ac\\x1b[31m");
	assert_string_equal(escaped(cli_buf_text, "back\\slash"), "back\\\\slash");
	assert_string_equal(escaped(cli_buf_text, "del\x7f"), "del\\x7f");
	assert_string_equal(escaped(cli_buf_text, "caf\xc3\xa9 \xe2\x82\xac"), "caf\xc3\xa9 \xe2\x82\xac");
	assert_string_equal(escaped(cli_buf_text, "bad\xff\xc3"), "bad\\xff\\xc3");
	assert_string_equal(escaped(cli_buf_text, "\xed\xa0\x80"), "\\xed\\xa0\\x80"); /* surrogate */
	assert_string_equal(escaped(cli_buf_text, "\xc0\xaf"), "\\xc0\\xaf");          /* overlong */
	assert_string_equal(escaped(cli_buf_text_field, "a b\tc"), "a\\x20b\\x09c");
	assert_string_equal(escaped(cli_buf_text_field, "\\ \xff"), "\\\\\\x20\\xff");
}

static void json_escaping(void **state)
{
	(void)state;
	assert_string_equal(escaped(cli_buf_json, "x"), "\"x\"");
	assert_string_equal(escaped(cli_buf_json, "q\"b\\n\nt\tr\r"), "\"q\\\"b\\\\n\\nt\\tr\\r\"");
	assert_string_equal(escaped(cli_buf_json, "\x01\x1f"), "\"\\u0001\\u001f\"");
	assert_string_equal(escaped(cli_buf_json, "ok\xc3\xa9\xff"), "\"ok\xc3\xa9\xef\xbf\xbd\"");
}

static void csv_escaping(void **state)
{
	(void)state;
	assert_string_equal(escaped(cli_buf_csv, "plain"), "plain");
	assert_string_equal(escaped(cli_buf_csv, "a,b"), "\"a,b\"");
	assert_string_equal(escaped(cli_buf_csv, "say \"hi\""), "\"say \"\"hi\"\"\"");
	assert_string_equal(escaped(cli_buf_csv, "two\nlines"), "\"two\nlines\"");
	assert_string_equal(escaped(cli_buf_csv, " pad"), "\" pad\"");
	assert_string_equal(escaped(cli_buf_csv, ""), "");
	/* invalid UTF-8 as U+FFFD, as JSON has it; valid UTF-8 kept */
	assert_string_equal(escaped(cli_buf_csv, "a\xff\xc3(b"), "a\xef\xbf\xbd\xef\xbf\xbd(b");
	assert_string_equal(escaped(cli_buf_csv, "caf\xc3\xa9,\xe2\x82"), "\"caf\xc3\xa9,\xef\xbf\xbd\xef\xbf\xbd\"");
}

static void prometheus_escaping(void **state)
{
	(void)state;
	assert_string_equal(escaped(cli_buf_prom_label, "a\\b\"c\nd\te"), "a\\\\b\\\"c\\nd\te");
	assert_string_equal(escaped(cli_buf_prom_label, "\xff"), "\xef\xbf\xbd");
}

static void numbers(void **state)
{
	struct cli_buf b = { 0 };
	(void)state;
	cli_buf_pad(&b, ' ', 0); /* on a buffer that has no memory yet */
	assert_int_equal(b.len, 0);
	cli_buf_u64(&b, 0);
	cli_buf_putc(&b, ' ');
	cli_buf_u64(&b, 18446744073709551615ULL);
	cli_buf_putc(&b, ' ');
	cli_buf_fixed(&b, 2.345, 2);
	cli_buf_putc(&b, ' ');
	cli_buf_fixed(&b, 0.5, 0);
	cli_buf_putc(&b, ' ');
	cli_buf_fixed(&b, 1.05, 1);
	cli_buf_putc(&b, ' ');
	cli_buf_fixed(&b, 7, 3);
	cli_buf_putc(&b, ' ');
	cli_buf_fixed(&b, -1.25, 1);
	cli_buf_putc(&b, '\0');
	assert_string_equal(b.p, "0 18446744073709551615 2.35 1 1.1 7.000 -1.3");
	cli_buf_free(&b);
}

/* --- the formats ------------------------------------------------------------ */
static struct scan_row tasks[2];
static struct report_row rows[2];
static struct scan_snapshot snap;
static struct report rep;

static int build_report(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	free(snap.names);
	memset(tasks, 0, sizeof(tasks));
	/* the rows hold what each task did in the period (no base) */
	/* up 2 s, the tasks started at boot: a lifetime rate is over 2 s too */
	snap = (struct scan_snapshot){ .when = 1700000000.5, .uptime = 2.0, .denied = 3,
				       .rows = tasks, .n = 2 };
	tasks[0] = (struct scan_row){ .pid = 7, .uid = 0, .prio = 0x4004, .delay = 150 };
	assert_int_equal(scan_add_names(&snap, &tasks[0], "a\tb\"c", NULL), 0);
	tasks[1] = (struct scan_row){ .pid = 12, .uid = 0, .prio = -1 };
	assert_int_equal(scan_add_names(&snap, &tasks[1], "x,y\nz\x01\xff", NULL), 0);
	tasks[0].io[IO_RCHAR] = 1;
	tasks[0].io[IO_WCHAR] = 2;
	tasks[0].io[IO_SYSCR] = 3;
	tasks[0].io[IO_SYSCW] = 4;
	tasks[0].io[IO_READ_BYTES] = 5000;
	tasks[0].io[IO_WRITE_BYTES] = 2048;
	tasks[1].io[IO_READ_BYTES] = 1;
	rows[0] = (struct report_row){ 0, ROW_NO_OLD };
	rows[1] = (struct report_row){ 1, ROW_NO_OLD };
	rep = (struct report){ .rows = rows, .n = 2, .total_rows = 2, .delay = 150, .seconds = 2.0,
			       .snap = &snap, .clock_ticks = 100 };
	for (int f = 0; f < IO_NFIELDS; f++) /* the totals are 128-bit */
		rep.io[f] = tasks[0].io[f];
	rep.io[IO_READ_BYTES] += 1;
	return 0;
}

/* rep as output_report() writes it with these options (a buffer that the
 * next call reuses) */
static char *render_with(const struct output_options *o, enum report_kind kind)
{
	static char *text;
	size_t len;
	struct cli_buf b = { 0 };
	free(text);
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(output_report(f, &b, &rep, kind, o, true), 0);
	fclose(f);
	cli_buf_free(&b);
	return text;
}

static char *render(enum format fmt, const enum column *cols, size_t ncols, enum units units,
		    enum timestamps ts, enum report_kind kind)
{
	struct output_options o = { .format = fmt, .ncols = ncols, .units = units, .ts = ts,
				    .header = true, .clock_ticks = 100 };
	memcpy(o.cols, cols, ncols * sizeof(*cols));
	return render_with(&o, kind);
}

static const enum column table_cols[] = { COL_PID, COL_USER, COL_PRIO, COL_READ, COL_WRITE,
					  COL_READ_RATE, COL_WRITE_RATE, COL_COMMAND };
static const enum column all_cols[] = { COL_PID, COL_USER, COL_UID, COL_PRIO, COL_READ,
	COL_WRITE, COL_CANCELLED, COL_RCHAR, COL_WCHAR, COL_SYSCR, COL_SYSCW, COL_READ_RATE,
	COL_WRITE_RATE, COL_IODELAY, COL_COMMAND };
#define N(a) (sizeof(a) / sizeof(*(a)))

static void table(void **state)
{
	(void)state;
	assert_string_equal(render(FMT_TABLE, table_cols, N(table_cols), UNITS_BYTES, TS_NONE, REPORT_INTERVAL),
		"    PID USER     PRIO          READ        WRITE     READ/s    WRITE/s COMMAND\n"
		"      7 root     be/4          5000         2048       2500       1024 a\\x09b\"c\n"
		"     12 root     -                1            0          1          0 x,y\\x0az\\x01\\xff\n"
		"  total                        5001         2048       2501       1024 (2 processes)\n");
	static const enum column some[] = { COL_READ, COL_IODELAY, COL_COMMAND };
	assert_string_equal(render(FMT_TABLE, some, N(some), UNITS_HUMAN, TS_ISO, REPORT_INTERVAL),
		"TIME                              READ  IODELAY COMMAND\n"
		"2023-11-14T22:13:20+00:00         4.9K     1.50 a\\x09b\"c\n"
		"2023-11-14T22:13:20+00:00            1     0.00 x,y\\x0az\\x01\\xff\n"
		"2023-11-14T22:13:20+00:00         4.9K     1.50 (2 processes)\n");
	assert_string_equal(render(FMT_TABLE, some, N(some), UNITS_KIB, TS_EPOCH, REPORT_SNAPSHOT),
		"TIME                   READ  IODELAY COMMAND\n"
		"1700000000.500            5     1.50 a\\x09b\"c\n"
		"1700000000.500            0     0.00 x,y\\x0az\\x01\\xff\n"
		"1700000000.500            5     1.50 (2 processes)\n");
}

static void csv(void **state)
{
	(void)state;
	assert_string_equal(render(FMT_CSV, all_cols, N(all_cols), UNITS_HUMAN, TS_NONE, REPORT_INTERVAL),
		"pid,user,uid,prio,read,write,cancelled,rchar,wchar,syscr,syscw,read_rate,write_rate,iodelay,command\n"
		"7,root,0,be/4,5000,2048,0,1,2,3,4,2500.0,1024.0,1.50,\"a\tb\"\"c\"\n"
		"12,root,0,,1,0,0,0,0,0,0,0.5,0.0,0.00,\"x,y\nz\x01\xef\xbf\xbd\"\n");
}

/* Every 64-bit count prints as itself (no trip through double), and sums
 * past 2^64 print exactly in the totals. */
static void exact_counts(void **state)
{
	(void)state;
	const unsigned long long big = (1ULL << 53) + 1; /* 9007199254740993 */
	tasks[0].io[IO_READ_BYTES] = big;
	tasks[1].io[IO_READ_BYTES] = UINT64_MAX;
	rep.io[IO_READ_BYTES] = (cli_u128)big + UINT64_MAX; /* 18455751272964292608 */
	static const enum column some[] = { COL_PID, COL_READ };
	/* right-aligned as wide as the widest, the totals line's */
	assert_string_equal(render(FMT_TABLE, some, N(some), UNITS_BYTES, TS_NONE, REPORT_INTERVAL),
		"    PID                 READ\n"
		"      7     9007199254740993\n"
		"     12 18446744073709551615\n"
		"  total 18455751272964292608\n");
	assert_string_equal(render(FMT_TABLE, some, N(some), UNITS_KIB, TS_NONE, REPORT_INTERVAL),
		"    PID              READ\n"
		"      7     8796093022208\n"    /* 2^53 + 1 bytes, rounded */
		"     12 18014398509481984\n"    /* (2^64 - 1) / 1024, rounded half up */
		"  total 18023194602504192\n");
	assert_string_equal(render(FMT_CSV, some, N(some), UNITS_BYTES, TS_NONE, REPORT_INTERVAL),
		"pid,read\n7,9007199254740993\n12,18446744073709551615\n");
	assert_non_null(strstr(render(FMT_JSON, some, N(some), UNITS_BYTES, TS_NONE, REPORT_INTERVAL),
			       "\"totals\":{\"processes\":2,\"read\":18455751272964292608,"));
}

/* Group counters are 128-bit: a column as wide as its widest value, of 21
 * digits or of 39 (2^128 - 1), and IO as read + write saturated as its
 * cells are, so the columns after it stay in line */
static void wide_group_counts(void **state)
{
	(void)state;
	const cli_u128 max = ~(cli_u128)0, e20 = (cli_u128)10000000000000000000ULL * 10;
	static struct group g[2];
	struct groups gs = { .v = g, .n = 2 };
	g[0] = (struct group){ .key = "a", .members = 1 };
	g[1] = (struct group){ .key = "bb", .members = 2 };
	g[0].acc[IO_READ_BYTES] = e20;      /* 100000000000000000000: 21 digits */
	g[1].acc[IO_READ_BYTES] = max;      /* 39 digits */
	g[1].acc[IO_WRITE_BYTES] = 5;       /* IO saturates at 2^128 - 1 */
	rep.groups = &gs;
	rep.view = VIEW_COUNTERS;
	static const enum column some[] = { COL_READ, COL_IO, COL_GROUP };
	struct output_options o = { .format = FMT_TABLE, .ncols = N(some), .units = UNITS_BYTES,
				    .header = false, .clock_ticks = 100 };
	memcpy(o.cols, some, sizeof(some));
	char *text = render_with(&o, REPORT_SNAPSHOT);
	rep.groups = NULL;
	assert_string_equal(text,
		"                  100000000000000000000                   100000000000000000000 a\n"
		"340282366920938463463374607431768211455 340282366920938463463374607431768211455 bb\n");
}

static void json(void **state)
{
	(void)state;
	static const enum column some[] = { COL_PID, COL_PRIO, COL_READ, COL_READ_RATE,
					    COL_IODELAY, COL_COMMAND };
	assert_string_equal(render(FMT_JSON, some, N(some), UNITS_HUMAN, TS_NONE, REPORT_INTERVAL),
		"{\"type\":\"interval\",\"timestamp\":1700000000.500,\"time\":\"2023-11-14T22:13:20+00:00\","
		"\"seconds\":2.000,\"processes\":["
		"{\"pid\":7,\"prio\":\"be/4\",\"read\":5000,\"read_rate\":2500.0,\"iodelay\":1.50,"
		"\"command\":\"a\\tb\\\"c\"},"
		"{\"pid\":12,\"prio\":null,\"read\":1,\"read_rate\":0.5,\"iodelay\":0.00,"
		"\"command\":\"x,y\\nz\\u0001\xef\xbf\xbd\"}],"
		"\"totals\":{\"processes\":2,\"read\":5001,\"write\":2048,\"cancelled\":0,\"rchar\":1,"
		"\"wchar\":2,\"syscr\":3,\"syscw\":4,\"iodelay\":1.50},\"denied\":3}\n");
	assert_non_null(strstr(render(FMT_JSON, some, N(some), UNITS_BYTES, TS_NONE, REPORT_SNAPSHOT),
			       "\"type\":\"snapshot\",\"timestamp\":1700000000.500,\"time\":\"2023-11-14T22:13:20+00:00\",\"seconds\":null,"));
}

static void prometheus(void **state)
{
	(void)state;
	char *out = render(FMT_PROMETHEUS, all_cols, N(all_cols), UNITS_HUMAN, TS_ISO, REPORT_SNAPSHOT);
	/* counters: identity only (pid, start time), nothing that can change */
	assert_non_null(strstr(out,
		"# HELP iopstat_read_bytes_total Bytes the process caused to be read from storage.\n"
		"# TYPE iopstat_read_bytes_total counter\n"
		"iopstat_read_bytes_total{pid=\"7\",start=\"0\"} 5000\n"
		"iopstat_read_bytes_total{pid=\"12\",start=\"0\"} 1\n"
		"# HELP iopstat_write_bytes_total"));
	assert_non_null(strstr(out, "iopstat_io_delay_seconds_total{pid=\"7\",start=\"0\"} 1.50\n"));
	/* what can change: in the info gauge, escaped */
	assert_non_null(strstr(out,
		"# TYPE iopstat_process_info gauge\n"
		"iopstat_process_info{pid=\"7\",start=\"0\",comm=\"a\tb\\\"c\",user=\"root\",ioprio=\"be/4\"} 1\n"
		"iopstat_process_info{pid=\"12\",start=\"0\",comm=\"x,y\\nz\x01\xef\xbf\xbd\",user=\"root\","
		"ioprio=\"unknown\"} 1\n"));
	assert_non_null(strstr(out, "\niopstat_processes 2\n"));
	assert_non_null(strstr(out, "\niopstat_denied_processes 3\n"));
	/* each family once, its samples together */
	int types = 0;
	for (char *p = out; (p = strstr(p, "# TYPE ")); p++)
		types++;
	assert_int_equal(types, 12);
	/* threads carry a tid label */
	tasks[0].tid = 9;
	assert_non_null(strstr(render(FMT_PROMETHEUS, all_cols, N(all_cols), UNITS_BYTES, TS_NONE, REPORT_SNAPSHOT),
			       "{pid=\"7\",start=\"0\",tid=\"9\"} "));
	tasks[0].tid = 0;
}

/* -o chooses the families and info labels, shown in one order whatever
 * the order of -o; without a label column there is no info gauge */
static void prometheus_columns(void **state)
{
	static const enum column some[] = { COL_PRIO, COL_WRITE, COL_READ };
	static const enum column counters[] = { COL_WRITE, COL_PID };
	(void)state;
	char *out = render(FMT_PROMETHEUS, some, N(some), UNITS_BYTES, TS_NONE, REPORT_SNAPSHOT);
	char *read = strstr(out, "# TYPE iopstat_read_bytes_total counter");
	char *write = strstr(out, "# TYPE iopstat_write_bytes_total counter");
	assert_non_null(read);
	assert_non_null(write);
	assert_true(read < write);
	assert_null(strstr(out, "iopstat_rchar_bytes_total"));
	assert_non_null(strstr(out, "iopstat_process_info{pid=\"7\",start=\"0\",ioprio=\"be/4\"} 1\n"));
	out = render(FMT_PROMETHEUS, counters, N(counters), UNITS_BYTES, TS_NONE, REPORT_SNAPSHOT);
	assert_null(strstr(out, "iopstat_process_info"));
	assert_non_null(strstr(out, "iopstat_write_bytes_total{pid=\"7\",start=\"0\"} 2048\n"));
	assert_non_null(strstr(out, "\niopstat_processes 2\n"));
}

/* -n: the rows alone, no header and no totals line */
/* The totals line of a snapshot: lifetime rates do not add, so a rate
 * column has none; "total" goes in the first column even so, and a last
 * column without a total leaves no blanks at the end of the line. */
static void table_totals_blanks(void **state)
{
	(void)state;
	rep.seconds = 0;
	static const enum column some[] = { COL_READ_RATE, COL_UID };
	assert_string_equal(render(FMT_TABLE, some, N(some), UNITS_BYTES, TS_NONE, REPORT_SNAPSHOT),
		"    READ/s    UID\n"
		"      2500      0\n"
		"         1      0\n"
		"     total\n");
	static const enum column more[] = { COL_UID, COL_READ_RATE, COL_WRITE_RATE };
	assert_string_equal(render(FMT_TABLE, more, N(more), UNITS_BYTES, TS_EPOCH, REPORT_SNAPSHOT),
		"TIME              UID     READ/s    WRITE/s\n"
		"1700000000.500      0       2500       1024\n"
		"1700000000.500      0          1          0\n"
		"1700000000.500                 -          -\n");
}

static void table_without_headings(void **state)
{
	static const enum column some[] = { COL_PID, COL_IO, COL_READ_RATE, COL_COMMAND };
	struct output_options o = { .format = FMT_TABLE, .ncols = N(some), .clock_ticks = 100 };
	(void)state;
	memcpy(o.cols, some, sizeof(some));
	assert_string_equal(render_with(&o, REPORT_INTERVAL),
		"      7         7048       2500 a\\x09b\"c\n"
		"     12            1          1 x,y\\x0az\\x01\\xff\n");
	/* the io column: read + write, and its total; a lifetime total rate is "-" */
	rep.seconds = 0;
	assert_string_equal(render(FMT_TABLE, some, N(some), UNITS_BYTES, TS_NONE, REPORT_SNAPSHOT),
		"    PID           IO     READ/s COMMAND\n"
		"      7         7048       2500 a\\x09b\"c\n"
		"     12            1          1 x,y\\x0az\\x01\\xff\n"
		"  total         7049          - (2 processes)\n");
}

/* --label: on every series, the run-level gauges too; names checked */
static void prometheus_labels(void **state)
{
	static const char *const names[] = { "env", "site" }, *const values[] = { "prod", "a\"b" };
	struct output_options o = { .format = FMT_PROMETHEUS, .clock_ticks = 100,
				    .label_names = names, .label_values = values, .nlabels = 2 };
	o.ncols = output_default_columns(FMT_PROMETHEUS, false, false, o.cols);
	(void)state;
	const char *text = render_with(&o, REPORT_SNAPSHOT);
	assert_non_null(strstr(text, "iopstat_read_bytes_total{pid=\"7\",start=\"0\",env=\"prod\",site=\"a\\\"b\"} 5000\n"));
	assert_non_null(strstr(text, "\niopstat_processes{env=\"prod\",site=\"a\\\"b\"} 2\n"));
	assert_non_null(strstr(text, "iopstat_process_info{pid=\"7\",start=\"0\",env=\"prod\",site=\"a\\\"b\",comm="));
	assert_true(output_label_name_ok("env"));
	assert_true(output_label_name_ok("_x9"));
	assert_false(output_label_name_ok("9x"));
	assert_false(output_label_name_ok("__name__"));
	assert_false(output_label_name_ok("a-b"));
	assert_false(output_label_name_ok(""));
	assert_false(output_label_name_ok("pid"));
	assert_false(output_label_name_ok("ioprio"));
}

static void columns_by_name(void **state)
{
	(void)state;
	assert_int_equal(column_by_name("pid"), COL_PID);
	assert_int_equal(column_by_name("READ_RATE"), COL_READ_RATE);
	assert_int_equal(column_by_name("iodelay"), COL_IODELAY);
	assert_int_equal(column_by_name("nope"), -1);
	for (int c = 0; c < NCOLS; c++) {
		const struct coldef *d = &columns[c];
		assert_int_equal(column_by_name_in(d->name, d->scope), c);
		assert_true(d->scope == SCOPE_PROC || column_by_name(d->name) == -1);
		assert_true(strlen(d->help) > 5);
		assert_non_null(d->header);
		assert_non_null(d->value);
		/* every column but the text ones sorts */
		assert_true(column_sorts((enum column)c) == (d->kind != KIND_TEXT));
		/* a Prometheus counter has its help; a label is text or a priority */
		assert_true(!d->prom || (d->prom_help && d->prom_group_help && strstr(d->prom, "_total")));
		assert_true(!d->prom_label || d->kind == KIND_TEXT || d->kind == KIND_PRIO);
	}
}

/* Each format's default columns; tid only with -t; the format names. */
static void format_table(void **state)
{
	enum column cols[NCOLS];
	(void)state;
	assert_int_equal(output_default_columns(FMT_TABLE, false, false, cols), 8);
	assert_int_equal(cols[0], COL_PID);
	assert_int_equal(cols[1], COL_USER);
	assert_int_equal(output_default_columns(FMT_TABLE, true, false, cols), 9);
	assert_int_equal(cols[1], COL_TID);
	size_t n = output_default_columns(FMT_CSV, false, false, cols);
	assert_int_equal(n, 15); /* every column but tid, io and the groups' */
	for (size_t i = 0; i < n; i++)
		assert_true(cols[i] != COL_IO && cols[i] != COL_TID && cols[i] != COL_GROUP &&
			    cols[i] != COL_PROCS);
	assert_int_equal(output_default_columns(FMT_JSON, true, false, cols), 16);
	/* groups: the key and the members first, nothing of one process */
	n = output_default_columns(FMT_CSV, false, true, cols);
	assert_int_equal(cols[0], COL_GROUP);
	assert_int_equal(cols[1], COL_PROCS);
	for (size_t i = 0; i < n; i++)
		assert_false(columns[cols[i]].tasks_only);
	n = output_default_columns(FMT_PROMETHEUS, false, true, cols);
	for (size_t i = 0; i < n; i++)
		assert_false(columns[cols[i]].tasks_only);
	n = output_default_columns(FMT_PROMETHEUS, false, false, cols);
	for (size_t i = 0; i < n; i++)
		assert_true(formats[FMT_PROMETHEUS].shows(cols[i]));
	assert_false(formats[FMT_PROMETHEUS].shows(COL_READ_RATE));
	assert_false(formats[FMT_PROMETHEUS].shows(COL_IO));
	assert_true(formats[FMT_PROMETHEUS].lifetime);
	assert_false(formats[FMT_CSV].summary);
	assert_true(formats[FMT_TABLE].summary && formats[FMT_JSON].summary);
	for (int f = 0; f < NFORMATS; f++)
		assert_int_equal(output_format(formats[f].name), f);
	assert_int_equal(output_format("xml"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_escaping),
		cmocka_unit_test(json_escaping),
		cmocka_unit_test(csv_escaping),
		cmocka_unit_test(prometheus_escaping),
		cmocka_unit_test(numbers),
		cmocka_unit_test_setup(table, build_report),
		cmocka_unit_test_setup(csv, build_report),
		cmocka_unit_test_setup(exact_counts, build_report),
		cmocka_unit_test_setup(json, build_report),
		cmocka_unit_test_setup(wide_group_counts, build_report),
		cmocka_unit_test_setup(prometheus, build_report),
		cmocka_unit_test_setup(prometheus_labels, build_report),
		cmocka_unit_test(columns_by_name),
		cmocka_unit_test(format_table),
		cmocka_unit_test_setup(prometheus_columns, build_report),
		cmocka_unit_test_setup(table_without_headings, build_report),
		cmocka_unit_test_setup(table_totals_blanks, build_report),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	free(snap.names);
	return failed;
}
