/* SPDX-License-Identifier: MIT */
/* Unit tests of the table writer (lib/iopcli/table.c): widths, alignment,
 * raw lines, JSON objects and CSV rows from one column table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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

	struct cli_buf b = { 0 };
	t.nrows = 1;
	cli_table_json_row(&t, 0, &b);
	cli_buf_putc(&b, '\0');
	assert_string_equal(b.p, "\"name\": \"a b\", \"n\": 7, \"tail\": [1]");
	cli_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(writes_tables),
		cmocka_unit_test(writes_raw_lines),
		cmocka_unit_test(writes_csv),
		cmocka_unit_test(writes_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
