/* SPDX-License-Identifier: MIT */
/* Unit tests of the table writer (lib/iopcli/table.c): widths, alignment,
 * raw lines, JSON objects and CSV rows from one column table; least and
 * fixed widths, cells already shown, a totals line, the width hooks,
 * compact JSON objects and spilling (iopstat's). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "iopcli/table.h"

struct item {
	const char *name; /* NULL: no value */
	const char *num;
};

static const struct cli_col cols[] = {
	{ "NAME", NULL, 0 },
	{ "N", NULL, CLI_COL_RIGHT | CLI_COL_VERBATIM },
	{ "LAST", "tail", 0 },
};

static const char *cell(const void *ctx, size_t row, size_t col, enum cli_fmt fmt,
			struct cli_buf *tmp)
{
	const struct item *it = (const struct item *)ctx + row;

	assert_int_equal(tmp->len, 0); /* emptied before each call */
	switch (col) {
	case 0:
		return it->name;
	case 1:
		return it->num;
	default:
		cli_buf_puts(tmp, fmt == CLI_FMT_JSON ? "j" : "t");
		cli_buf_putc(tmp, '\0');
		return tmp->p;
	}
}

static const struct item items[] = {
	{ "a b", "7" },
	{ NULL, "12345" },
	{ "tab\tx,\"q\"", "0" },
};

static struct cli_table table_of(size_t nrows, bool header)
{
	return (struct cli_table){ .cols = cols, .ncols = 3, .nrows = nrows, .header = header,
				   .cell = cell, .ctx = items };
}

static void check(const struct cli_table *t, enum cli_fmt fmt, const char *want)
{
	struct cli_buf b = { 0 };

	if (fmt == CLI_FMT_JSON)
		cli_table_json(t, "things", &b);
	else
		cli_table_write(t, fmt, &b);
	cli_buf_putc(&b, '\0');
	assert_string_equal(b.p, want);
	cli_buf_free(&b);
}

static void writes_tables(void **state)
{
	struct cli_table t = table_of(3, true);
	(void)state;
	/* as wide as the widest escaped cell; right-aligned numbers and
	 * their header; the last column not padded; no value is "-" */
	check(&t, CLI_FMT_TABLE,
	      "NAME             N LAST\n"
	      "a b              7 t\n"
	      "-            12345 t\n"
	      "tab\\x09x,\"q\"     0 t\n");
	t.nrows = 1; /* the header counts in the widths, unless there is none */
	check(&t, CLI_FMT_TABLE, "NAME N LAST\na b  7 t\n");
	t.header = false;
	check(&t, CLI_FMT_TABLE, "a b 7 t\n");
	t.nrows = 0; /* no rows: no lone header */
	t.header = true;
	check(&t, CLI_FMT_TABLE, "");
	check(&t, CLI_FMT_RAW, "");
	check(&t, CLI_FMT_CSV, "");
}

static void writes_raw_lines(void **state)
{
	struct cli_table t = table_of(3, true);
	(void)state;
	/* one blank between fields, blanks inside a field escaped */
	check(&t, CLI_FMT_RAW,
	      "NAME N LAST\n"
	      "a\\x20b 7 t\n"
	      "- 12345 t\n"
	      "tab\\x09x,\"q\" 0 t\n");
}

static void writes_csv(void **state)
{
	struct cli_table t = table_of(3, true);
	(void)state;
	check(&t, CLI_FMT_CSV,
	      "NAME,N,LAST\n"
	      "a b,7,t\n"
	      ",12345,t\n"
	      "\"tab\tx,\"\"q\"\"\",0,t\n");
}

static bool json_value(const void *ctx, size_t row, size_t col, struct cli_buf *b)
{
	(void)ctx;
	if (col != 2 || row != 0)
		return false;
	cli_buf_puts(b, "[1]");
	return true;
}

static void json_more(const void *ctx, size_t row, struct cli_buf *b)
{
	(void)ctx;
	if (row == 1)
		cli_buf_puts(b, ", \"more\": true");
}

static void writes_json(void **state)
{
	struct cli_table t = table_of(3, true);
	(void)state;
	/* keys: lower-case headers unless given; verbatim numbers; null */
	check(&t, CLI_FMT_JSON,
	      "{\n   \"things\": [\n"
	      "      {\"name\": \"a b\", \"n\": 7, \"tail\": \"j\"},\n"
	      "      {\"name\": null, \"n\": 12345, \"tail\": \"j\"},\n"
	      "      {\"name\": \"tab\\tx,\\\"q\\\"\", \"n\": 0, \"tail\": \"j\"}\n"
	      "   ]\n}\n");
	t.json_value = json_value;
	t.json_more = json_more;
	t.nrows = 2;
	check(&t, CLI_FMT_JSON,
	      "{\n   \"things\": [\n"
	      "      {\"name\": \"a b\", \"n\": 7, \"tail\": [1]},\n"
	      "      {\"name\": null, \"n\": 12345, \"tail\": \"j\", \"more\": true}\n"
	      "   ]\n}\n");
	t.nrows = 0;
	check(&t, CLI_FMT_JSON, "{\n   \"things\": []\n}\n");
}


/* --- iopstat's needs: a report's rows and their totals -------------------- */

struct report_like {
	const char *const (*cells)[3]; /* rows, then the totals line */
	size_t calls[3];               /* cell calls per column */
	size_t width_calls;            /* cell_width hook calls */
};

static const char *rcell(const void *ctx, size_t row, size_t col, enum cli_fmt fmt,
			 struct cli_buf *tmp)
{
	struct report_like *x = (struct report_like *)ctx;

	(void)fmt, (void)tmp;
	x->calls[col]++;
	return x->cells[row][col];
}

static const char *const rcells[][3] = {
	{ "1", "a\\x09b", "x" },
	{ "22", "c", "yy" },
	{ "", "tot", "" }, /* the totals line */
};

static const struct cli_col rcols[] = {
	{ "ID", NULL, CLI_COL_RIGHT | CLI_COL_FIXED },
	{ "NAME", NULL, 0 },
	{ "N", NULL, CLI_COL_RIGHT },
};

/* iopstat's way: a table's cells appended in place, as shown (a row's
 * cell of "a\x09b" is that already: not escaped again) */
static void rput(const void *ctx, size_t row, size_t col, enum cli_fmt fmt, struct cli_buf *b)
{
	struct report_like *x = (struct report_like *)ctx;

	x->calls[col] += 100;
	if (fmt == CLI_FMT_CSV)
		cli_buf_putc(b, '=');
	cli_buf_puts(b, x->cells[row][col]);
}

static struct cli_table report_table(struct report_like *x, const size_t *width)
{
	return (struct cli_table){ .cols = rcols, .ncols = 3, .nrows = 2, .width = width,
				   .header = true, .cell = rcell, .put = rput, .ctx = x };
}

static void check_write(const struct cli_table *t, enum cli_fmt fmt, const char *want)
{
	struct cli_buf b = { 0 };

	cli_table_write(t, fmt, &b);
	cli_buf_putc(&b, '\0');
	assert_string_equal(b.p, want);
	cli_buf_free(&b);
}

static void least_and_fixed_widths(void **state)
{
	static const size_t width[] = { 1, 6, 4 };
	struct report_like x = { rcells, { 0 }, 0 };
	struct cli_table t = report_table(&x, width);
	(void)state;
	/* ID: fixed at 1, its header and "22" overflow; NAME at least 6
	 * (the shown cell "a\x09b" as it is: 6 bytes), N at least 4 */
	check_write(&t, CLI_FMT_TABLE,
		    "ID NAME      N\n"
		    "1 a\\x09b    x\n"
		    "22 c        yy\n");
	/* fixed: never measured, only written (2 rows: 2 puts) */
	assert_int_equal(x.calls[0], 200);
	static const size_t wide[] = { 3, 8, 0 };
	t.width = wide;
	check_write(&t, CLI_FMT_TABLE,
		    " ID NAME      N\n"
		    "  1 a\\x09b    x\n"
		    " 22 c        yy\n");
}

static void cells_put_in_place(void **state)
{
	struct report_like x = { rcells, { 0 }, 0 };
	struct cli_table t = report_table(&x, NULL);
	(void)state;
	/* a table's cells are put, as they are: NAME's measured and written */
	check_write(&t, CLI_FMT_TABLE, "ID NAME    N\n1 a\\x09b  x\n22 c      yy\n");
	assert_int_equal(x.calls[1], 400);
	assert_int_equal(x.calls[0], 200); /* fixed: written only */
	/* CSV's are put too (as CSV fields: the caller's '=' here) */
	memset(x.calls, 0, sizeof(x.calls));
	check_write(&t, CLI_FMT_CSV, "ID,NAME,N\n=1,=a\\x09b,=x\n=22,=c,=yy\n");
	assert_int_equal(x.calls[1], 200);
	/* raw lines ask the cell function, and escape by their rules */
	memset(x.calls, 0, sizeof(x.calls));
	check_write(&t, CLI_FMT_RAW, "ID NAME N\n1 a\\\\x09b x\n22 c yy\n");
	assert_int_equal(x.calls[1], 2);
}

static void totals_line(void **state)
{
	struct report_like x = { rcells, { 0 }, 0 };
	struct cli_table t = report_table(&x, NULL);
	(void)state;
	t.total = true; /* row nrows, measured too: "tot" */
	check_write(&t, CLI_FMT_TABLE,
		    "ID NAME    N\n"
		    "1 a\\x09b  x\n"
		    "22 c      yy\n"
		    " tot      \n");
	t.trim = true; /* an empty last cell: no blanks at the end */
	check_write(&t, CLI_FMT_TABLE,
		    "ID NAME    N\n"
		    "1 a\\x09b  x\n"
		    "22 c      yy\n"
		    " tot\n");
	t.header = false;
	check_write(&t, CLI_FMT_TABLE, "1 a\\x09b  x\n22 c      yy\n tot\n");
}

static void lone_header(void **state)
{
	static const char *const only_totals[][3] = { { "", "none", "0" } };
	struct report_like x = { only_totals, { 0 }, 0 };
	struct cli_table t = report_table(&x, NULL);
	(void)state;
	t.nrows = 0;
	check_write(&t, CLI_FMT_TABLE, "");
	check_write(&t, CLI_FMT_CSV, "");
	t.lone_header = true;
	check_write(&t, CLI_FMT_TABLE, "ID NAME N\n");
	check_write(&t, CLI_FMT_CSV, "ID,NAME,N\n");
	t.total = true;
	check_write(&t, CLI_FMT_TABLE, "ID NAME N\n none 0\n");
}

static size_t cell_width(const void *ctx, size_t row, size_t col)
{
	struct report_like *x = (struct report_like *)ctx;

	x->width_calls++;
	if (col == 2 && row == 0)
		return 5; /* as if "x" were five wide */
	return CLI_WIDTH_WRITE;
}

static size_t col_width(const void *ctx, size_t col)
{
	(void)ctx;
	return col == 1 ? 7 : CLI_WIDTH_WRITE; /* NAME's rows: 7 wide */
}

static void width_hooks(void **state)
{
	struct report_like x = { rcells, { 0 }, 0 };
	struct cli_table t = report_table(&x, NULL);
	(void)state;
	t.cell_width = cell_width;
	check_write(&t, CLI_FMT_TABLE,
		    "ID NAME       N\n"
		    "1 a\\x09b     x\n"
		    "22 c         yy\n");
	/* N: row 0 from the hook, row 1 written to be measured, then both
	 * written; NAME's two rows measured by writing, then written */
	assert_int_equal(x.calls[2], 300);
	assert_int_equal(x.calls[1], 400);
	assert_int_equal(x.width_calls, 4); /* NAME's and N's rows; ID is fixed */

	/* a column's width known without its rows: only the totals line is
	 * measured (written) */
	memset(x.calls, 0, sizeof(x.calls));
	t.cell_width = NULL;
	t.col_width = col_width;
	t.total = true;
	t.trim = true;
	check_write(&t, CLI_FMT_TABLE,
		    "ID NAME     N\n"
		    "1 a\\x09b   x\n"
		    "22 c       yy\n"
		    " tot\n");
	assert_int_equal(x.calls[1], 100 + 300); /* the totals measured, 3 lines written */
}

static void last_column_not_measured(void **state)
{
	static const struct cli_col left_last[] = {
		{ "ID", NULL, CLI_COL_RIGHT },
		{ "NAME", NULL, 0 },
		{ "TEXT", NULL, 0 },
	};
	struct report_like x = { rcells, { 0 }, 0 };
	struct cli_table t = report_table(&x, NULL);
	(void)state;
	t.cols = left_last;
	t.put = NULL; /* the cell function's cells, escaped */
	check_write(&t, CLI_FMT_TABLE, "ID NAME    TEXT\n 1 a\\\\x09b x\n22 c       yy\n");
	assert_int_equal(x.calls[0], 4); /* measured and written */
	assert_int_equal(x.calls[2], 2); /* written only: it is not padded */
}

static void compact_json_objects(void **state)
{
	struct cli_table t = table_of(2, true);
	struct cli_buf b = { 0 };
	(void)state;
	t.compact = true;
	cli_table_json_objects(&t, &b);
	cli_buf_putc(&b, '\0');
	assert_string_equal(b.p, "{\"name\":\"a b\",\"n\":7,\"tail\":\"j\"},"
				 "{\"name\":null,\"n\":12345,\"tail\":\"j\"}");
	t.nrows = 0;
	b.len = 0;
	cli_table_json_objects(&t, &b);
	assert_int_equal(b.len, 0);
	cli_buf_free(&b);
}

/* Many rows: the buffer is spilled to 'out' as it fills, none lost. */
static const char *long_cell(const void *ctx, size_t row, size_t col, enum cli_fmt fmt,
			     struct cli_buf *tmp)
{
	(void)ctx, (void)fmt;
	cli_buf_u64(tmp, row);
	cli_buf_pad(tmp, col ? 'y' : 'x', 60);
	cli_buf_putc(tmp, '\0');
	return tmp->p;
}

static void spills_to_out(void **state)
{
	char *mem = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&mem, &size);
	struct cli_buf b = { 0 };
	struct cli_table t = { .cols = cols, .ncols = 2, .nrows = 2000, .cell = long_cell, .out = f };
	(void)state;
	assert_non_null(f);
	cli_table_write(&t, CLI_FMT_RAW, &b);
	assert_true(b.len < 32768 + 200); /* kept small */
	size_t in_buf = b.len;
	assert_int_equal(cli_buf_flush(&b, f), 0);
	assert_int_equal(fclose(f), 0);
	assert_true(size > 2000 * 120 && size - in_buf > 0);
	assert_memory_equal(mem, "0xxx", 4);
	assert_memory_equal(mem + size - 5, "yyyy\n", 5);
	free(mem);

	f = open_memstream(&mem, &size); /* JSON objects alike */
	assert_non_null(f);
	t.out = f;
	b.len = 0;
	cli_table_json_objects(&t, &b);
	assert_true(b.len < 32768 + 200);
	in_buf = b.len;
	assert_int_equal(cli_buf_flush(&b, f), 0);
	assert_int_equal(fclose(f), 0);
	assert_true(size > 2000 * 130 && size > in_buf);
	assert_memory_equal(mem, "{\"name\": \"0xxx", 14);
	free(mem);
	cli_buf_free(&b);
}

/* CSV's numbers as they are, JSON's way: no quoting looked for */
static const char *verbatim_cell(const void *ctx, size_t row, size_t col, enum cli_fmt fmt,
				 struct cli_buf *tmp)
{
	(void)ctx, (void)row, (void)fmt, (void)tmp;
	return col ? " 1.5" : " a";
}

static void verbatim_csv(void **state)
{
	static const struct cli_col vcols[] = {
		{ "T", NULL, 0 },
		{ "N", NULL, CLI_COL_VERBATIM },
	};
	struct cli_table t = { .cols = vcols, .ncols = 2, .nrows = 1, .cell = verbatim_cell };
	(void)state;
	check_write(&t, CLI_FMT_CSV, "\" a\", 1.5\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(writes_tables),
		cmocka_unit_test(writes_raw_lines),
		cmocka_unit_test(writes_csv),
		cmocka_unit_test(writes_json),
		cmocka_unit_test(least_and_fixed_widths),
		cmocka_unit_test(cells_put_in_place),
		cmocka_unit_test(totals_line),
		cmocka_unit_test(lone_header),
		cmocka_unit_test(width_hooks),
		cmocka_unit_test(last_column_not_measured),
		cmocka_unit_test(compact_json_objects),
		cmocka_unit_test(spills_to_out),
		cmocka_unit_test(verbatim_csv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
