/* SPDX-License-Identifier: MIT */
/* Tables, raw lines, JSON objects and CSV rows from a column table. */
#include <ctype.h>
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

void cli_table_write(const struct cli_table *t, enum cli_fmt fmt, struct cli_buf *b)
{
	struct cli_buf e = { 0 }, tmp = { 0 };
	size_t *width = NULL;
	bool table = fmt == CLI_FMT_TABLE;
	char sep = fmt == CLI_FMT_CSV ? ',' : ' ';

	if (!t->nrows)
		return;
	if (table) { /* widths from the escaped cells, as util-linux sizes columns */
		width = xcalloc(t->ncols ? t->ncols : 1, sizeof(*width));
		for (size_t c = 0; c < t->ncols; c++) {
			width[c] = t->header ? strlen(t->cols[c].header) : 0;
			for (size_t r = 0; r < t->nrows; r++) {
				escape(&e, cell_of(t, r, c, fmt, &tmp), fmt);
				if (e.len > width[c])
					width[c] = e.len;
			}
		}
	}
	for (size_t r = t->header ? 0 : 1; r <= t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			bool last = c + 1 == t->ncols, right = t->cols[c].flags & CLI_COL_RIGHT;
			const char *s = r ? cell_of(t, r - 1, c, fmt, &tmp) : t->cols[c].header;
			size_t pad;

			escape(&e, s, fmt);
			pad = table && e.len < width[c] ? width[c] - e.len : 0;
			if (right)
				cli_buf_pad(b, ' ', pad);
			cli_buf_put(b, e.p, e.len);
			if (!last && !right)
				cli_buf_pad(b, ' ', pad);
			if (!last)
				cli_buf_putc(b, sep);
		}
		cli_buf_putc(b, '\n');
	}
	free(width);
	cli_buf_free(&e);
	cli_buf_free(&tmp);
}

static void put_key(struct cli_buf *b, const struct cli_col *col)
{
	cli_buf_putc(b, '"');
	if (col->key)
		cli_buf_puts(b, col->key);
	else
		for (const char *k = col->header; *k; k++)
			cli_buf_putc(b, (char)tolower((unsigned char)*k));
	cli_buf_puts(b, "\": ");
}

static void json_row(const struct cli_table *t, size_t row, struct cli_buf *b, struct cli_buf *tmp)
{
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			cli_buf_puts(b, ", ");
		put_key(b, &t->cols[c]);
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

void cli_table_json_row(const struct cli_table *t, size_t row, struct cli_buf *b)
{
	struct cli_buf tmp = { 0 };

	json_row(t, row, b, &tmp);
	cli_buf_free(&tmp);
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
