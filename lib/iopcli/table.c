/* SPDX-License-Identifier: MIT */
/* Tables, raw lines, JSON objects and CSV rows from a column table. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iopcli/table.h"
#include "iopcli/xalloc.h"

static const char *cell_of(const struct cli_table *t, size_t row, size_t col, enum cli_fmt fmt,
			   struct cli_buf *tmp)
{
	tmp->len = 0;
	return t->cell(t->ctx, row, col, fmt, tmp);
}

/* One cell escaped for its format into 'e' (emptied first). */
static void escape(struct cli_buf *e, const char *s, enum cli_fmt fmt)
{
	e->len = 0;
	if (fmt == CLI_FMT_CSV)
		cli_buf_csv(e, s ? s : "");
	else if (fmt == CLI_FMT_RAW)
		cli_buf_text_field(e, s ? s : "-");
	else
		cli_buf_text(e, s ? s : "-");
}

/* Whether the cells of a line are put by the caller. */
static bool in_place(const struct cli_table *t, size_t row, enum cli_fmt fmt)
{
	return row != SIZE_MAX && t->put && (fmt == CLI_FMT_TABLE || fmt == CLI_FMT_CSV);
}

/* A cell, or the header (row SIZE_MAX), as it is shown: its bytes in *p
 * (escaped into 'e', or the cell as the cell function gave it). */
static size_t shown(const struct cli_table *t, size_t row, size_t col, enum cli_fmt fmt,
		    struct cli_buf *e, struct cli_buf *tmp, const char **p)
{
	if (in_place(t, row, fmt)) {
		e->len = 0;
		t->put(t->ctx, row, col, fmt, e);
		*p = e->p;
		return e->len;
	}

	const char *s = row == SIZE_MAX ? t->cols[col].header : cell_of(t, row, col, fmt, tmp);

	if (row != SIZE_MAX && s && fmt == CLI_FMT_CSV && t->cols[col].flags & CLI_COL_VERBATIM) {
		*p = s;
		return strlen(s);
	}
	escape(e, s, fmt);
	*p = e->p;
	return e->len;
}

/* How wide a table's column is: its least width, its header, its widest
 * cell (through the width hooks where they know). */
static size_t measure(const struct cli_table *t, size_t c, struct cli_buf *e, struct cli_buf *tmp)
{
	const struct cli_col *col = &t->cols[c];
	size_t w = t->width ? t->width[c] : 0, from = 0, rows = t->nrows + t->total;
	const char *p;

	if (col->flags & CLI_COL_FIXED || (c + 1 == t->ncols && !(col->flags & CLI_COL_RIGHT)))
		return w; /* not padded: no need to know */
	if (t->header && strlen(col->header) > w)
		w = strlen(col->header);
	if (t->col_width) {
		size_t n = t->col_width(t->ctx, c);
		if (n != CLI_WIDTH_WRITE) {
			from = t->nrows; /* the totals line yet */
			if (n > w)
				w = n;
		}
	}
	for (size_t r = from; r < rows; r++) {
		size_t n = t->cell_width ? t->cell_width(t->ctx, r, c) : CLI_WIDTH_WRITE;
		if (n == CLI_WIDTH_WRITE)
			n = shown(t, r, c, CLI_FMT_TABLE, e, tmp, &p);
		if (n > w)
			w = n;
	}
	return w;
}

/* One line: the header (row SIZE_MAX), a row, or the totals (row nrows). */
static void line(const struct cli_table *t, size_t row, enum cli_fmt fmt, const size_t *width,
		 struct cli_buf *e, struct cli_buf *tmp, struct cli_buf *b)
{
	char sep = fmt == CLI_FMT_CSV ? ',' : ' ';
	size_t len = 0;

	for (size_t c = 0; c < t->ncols; c++) {
		bool last = c + 1 == t->ncols, right = t->cols[c].flags & CLI_COL_RIGHT;
		size_t pad = width ? width[c] : 0;

		if ((!right || !width) && in_place(t, row, fmt)) {
			size_t start = b->len; /* not padded before: written in place */
			t->put(t->ctx, row, c, fmt, b);
			len = b->len - start;
		} else {
			const char *p;
			len = shown(t, row, c, fmt, e, tmp, &p);
			if (right && len < pad)
				cli_buf_pad(b, ' ', pad - len);
			cli_buf_put(b, p, len);
		}
		if (!last && !right && len < pad)
			cli_buf_pad(b, ' ', pad - len);
		if (!last)
			cli_buf_putc(b, sep);
	}
	/* an empty last cell (a totals line's) leaves no blanks at the end */
	while (t->trim && !len && b->len && b->p[b->len - 1] == ' ')
		b->len--;
	cli_buf_putc(b, '\n');
	if (t->out)
		cli_buf_spill(b, t->out);
}

void cli_table_write(const struct cli_table *t, enum cli_fmt fmt, struct cli_buf *b)
{
	struct cli_buf e = { 0 }, tmp = { 0 };
	size_t *width = NULL;

	if (!t->nrows && !t->lone_header)
		return;
	if (fmt == CLI_FMT_TABLE) { /* widths from the shown cells, as util-linux sizes columns */
		width = xcalloc(t->ncols ? t->ncols : 1, sizeof(*width));
		for (size_t c = 0; c < t->ncols; c++)
			width[c] = measure(t, c, &e, &tmp);
	}
	if (t->header)
		line(t, SIZE_MAX, fmt, width, &e, &tmp, b);
	for (size_t r = 0; r < t->nrows + t->total; r++)
		line(t, r, fmt, width, &e, &tmp, b);
	free(width);
	cli_buf_free(&e);
	cli_buf_free(&tmp);
}

static void put_key(struct cli_buf *b, const struct cli_col *col, bool compact)
{
	cli_buf_putc(b, '"');
	if (col->key)
		cli_buf_puts(b, col->key);
	else
		for (const char *k = col->header; *k; k++)
			cli_buf_putc(b, (char)tolower((unsigned char)*k));
	cli_buf_puts(b, compact ? "\":" : "\": ");
}

static void json_row(const struct cli_table *t, size_t row, struct cli_buf *b, struct cli_buf *tmp)
{
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			cli_buf_puts(b, t->compact ? "," : ", ");
		put_key(b, &t->cols[c], t->compact);
		if (t->json_value && t->json_value(t->ctx, row, c, b))
			continue;
		const char *s = cell_of(t, row, c, CLI_FMT_JSON, tmp);
		if (!s)
			cli_buf_puts(b, "null");
		else if (t->cols[c].flags & CLI_COL_VERBATIM)
			cli_buf_puts(b, s);
		else
			cli_buf_json(b, s);
	}
	if (t->json_more)
		t->json_more(t->ctx, row, b);
}

void cli_table_json(const struct cli_table *t, const char *name, struct cli_buf *b)
{
	struct cli_buf tmp = { 0 };

	cli_buf_puts(b, "{\n   ");
	cli_buf_json(b, name);
	cli_buf_puts(b, ": [");
	for (size_t r = 0; r < t->nrows; r++) {
		cli_buf_puts(b, r ? ",\n      {" : "\n      {");
		json_row(t, r, b, &tmp);
		cli_buf_putc(b, '}');
	}
	cli_buf_puts(b, t->nrows ? "\n   ]\n}\n" : "]\n}\n");
	cli_buf_free(&tmp);
}

void cli_table_json_objects(const struct cli_table *t, struct cli_buf *b)
{
	struct cli_buf tmp = { 0 };

	for (size_t r = 0; r < t->nrows; r++) {
		cli_buf_puts(b, r ? ",{" : "{");
		json_row(t, r, b, &tmp);
		cli_buf_putc(b, '}');
		if (t->out)
			cli_buf_spill(b, t->out);
	}
	cli_buf_free(&tmp);
}
