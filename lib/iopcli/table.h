/* SPDX-License-Identifier: MIT */
/*
 * One writer of rows for every tool: a table (columns as wide as their
 * widest cell, or their least width), raw lines (blank-separated, blanks
 * escaped), JSON objects and CSV rows, driven by a column table and a cell
 * function; a totals line after a table's rows.  Escaping is buf.c's.
 * Internal to the command-line tools.
 */
#ifndef IOP_CLI_TABLE_H
#define IOP_CLI_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "iopcli/buf.h"

enum cli_fmt { CLI_FMT_TABLE, CLI_FMT_RAW, CLI_FMT_JSON, CLI_FMT_CSV };

/* Column flags. */
#define CLI_COL_RIGHT 1u    /* right-aligned in a table (its header too) */
#define CLI_COL_VERBATIM 2u /* JSON, CSV: the cell as is (a number, true, false) */
#define CLI_COL_FIXED 4u    /* table: its least width wide, neither header nor
			     * cells measured (a wider cell overflows: ids) */

struct cli_col {
	const char *header; /* a table's and CSV's header */
	const char *key;    /* the JSON key; NULL: the header in lower case */
	unsigned flags;
};

/* A width hook's answer: write the cell and measure it. */
#define CLI_WIDTH_WRITE ((size_t)-1)

struct cli_table {
	const struct cli_col *cols;
	size_t ncols, nrows;
	const size_t *width; /* table, optional: each column's least width */
	bool header; /* a header line (table, raw, CSV) */
	bool lone_header; /* the header even when there are no rows */
	bool total;  /* a totals line after the rows (table, raw, CSV): row nrows */
	bool trim;   /* a line whose last cell is empty ends without blanks */
	bool compact; /* JSON: no blank after ',' and ':' (JSON Lines) */
	/* Cell 'col' of row 'row' for format 'fmt', or NULL for no value ("-"
	 * in a table or raw line, null in JSON, empty in CSV).  'tmp' is the
	 * cell's scratch space, emptied before each call. */
	const char *(*cell)(const void *ctx, size_t row, size_t col, enum cli_fmt fmt,
			    struct cli_buf *tmp);
	/* Table and CSV, optional, in place of 'cell': appends a cell to b as
	 * the format shows it (escaped for a terminal, or a CSV field), with
	 * no copy made.  With 'put' and 'json_value' for every cell, 'cell'
	 * may be NULL. */
	void (*put)(const void *ctx, size_t row, size_t col, enum cli_fmt fmt, struct cli_buf *b);
	/* JSON only, optional: writes the value of a cell itself (true), or
	 * leaves it to 'cell' (false). */
	bool (*json_value)(const void *ctx, size_t row, size_t col, struct cli_buf *b);
	/* JSON only, optional: more members after a row's cells (", \"k\": v"). */
	void (*json_more)(const void *ctx, size_t row, struct cli_buf *b);
	/* Table only, optional: how wide a cell is (row nrows: the totals),
	 * found without writing it, or CLI_WIDTH_WRITE. */
	size_t (*cell_width)(const void *ctx, size_t row, size_t col);
	/* Table only, optional: how wide the widest cell of a column is over
	 * the rows (the totals line aside), found without looking at each
	 * (the digits of its largest number), or CLI_WIDTH_WRITE. */
	size_t (*col_width)(const void *ctx, size_t col);
	/* Optional: the output is spilled to it after each row (cli_buf_spill),
	 * so a long report keeps a small buffer. */
	FILE *out;
	const void *ctx;
};

/* The rows as a table or raw lines (fmt CLI_FMT_TABLE, CLI_FMT_RAW), or
 * CSV (RFC 4180 fields, lines ending in LF, as iopstat writes them);
 * nothing at all when there are no rows, unless lone_header.  A table's
 * column is as wide as its least width, its header and its widest cell;
 * a left-aligned last column is not padded (nor measured). */
void cli_table_write(const struct cli_table *t, enum cli_fmt fmt, struct cli_buf *b);
/* {"name": [ {row}, ... ]} as ioprio-get writes it: one object a line. */
void cli_table_json(const struct cli_table *t, const char *name, struct cli_buf *b);
/* Every row as an object, comma-separated ({...},{...}): an array's inside. */
void cli_table_json_objects(const struct cli_table *t, struct cli_buf *b);

#endif
