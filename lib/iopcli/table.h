/* SPDX-License-Identifier: MIT */
/*
 * One writer of rows for every tool: a table (columns as wide as their
 * widest cell), raw lines (blank-separated, blanks escaped), JSON objects
 * and CSV rows, driven by a column table and a cell function.  Escaping is
 * buf.c's.  Internal to the command-line tools.
 */
#ifndef IOP_CLI_TABLE_H
#define IOP_CLI_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "iopcli/buf.h"

enum cli_fmt { CLI_FMT_TABLE, CLI_FMT_RAW, CLI_FMT_JSON, CLI_FMT_CSV };

/* Column flags. */
#define CLI_COL_RIGHT 1u    /* right-aligned in a table (its header too) */
#define CLI_COL_VERBATIM 2u /* JSON: the cell as is (a number, true, false) */

struct cli_col {
	const char *header; /* a table's and CSV's header */
	const char *key;    /* the JSON key; NULL: the header in lower case */
	unsigned flags;
};

struct cli_table {
	const struct cli_col *cols;
	size_t ncols, nrows;
	bool header; /* a header line (table, raw, CSV) */
	/* Cell 'col' of row 'row' for format 'fmt', or NULL for no value ("-"
	 * in a table or raw line, null in JSON, empty in CSV).  'tmp' is the
	 * cell's scratch space, emptied before each call. */
	const char *(*cell)(const void *ctx, size_t row, size_t col, enum cli_fmt fmt,
			    struct cli_buf *tmp);
	/* JSON only, optional: writes the value of a cell itself (true), or
	 * leaves it to 'cell' (false). */
	bool (*json_value)(const void *ctx, size_t row, size_t col, struct cli_buf *b);
	/* JSON only, optional: more members after a row's cells (", \"k\": v"). */
	void (*json_more)(const void *ctx, size_t row, struct cli_buf *b);
	const void *ctx;
};

/* The rows as a table or raw lines (fmt CLI_FMT_TABLE, CLI_FMT_RAW), or
 * CSV (RFC 4180 fields, lines ending in LF, as iopstat writes them);
 * nothing at all when there are no rows. */
void cli_table_write(const struct cli_table *t, enum cli_fmt fmt, struct cli_buf *b);
/* {"name": [ {row}, ... ]} as ioprio-get writes it: one object a line. */
void cli_table_json(const struct cli_table *t, const char *name, struct cli_buf *b);
/* One row as a JSON object's members ("key": value, ...), without braces. */
void cli_table_json_row(const struct cli_table *t, size_t row, struct cli_buf *b);

#endif
