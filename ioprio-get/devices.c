/* SPDX-License-Identifier: MIT */
/*
 * ioprio-get --devices: each block device, its active I/O scheduler and
 * what that scheduler honours, so one can tell whether setting a priority
 * changes anything on that disk.  A device without a queue/scheduler file
 * (bio-based ones such as zram or some device-mapper targets) is listed
 * with scheduler "-" (JSON null): it is a block device, and nothing there
 * orders requests by priority, but we do not claim to know.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iopcli/blockdev.h"
#include "iopcli/buf.h"
#include "iopcli/cli.h"
#include "iopcli/table.h"
#include "iopcli/xalloc.h"
#include "devices.h"

enum { D_DEVICE, D_SCHED, D_CLASSES, D_LEVELS, D_AVAILABLE, D_COUNT };
static const struct cli_col cols[D_COUNT] = {
	[D_DEVICE] = { "DEVICE", NULL, 0 },
	[D_SCHED] = { "SCHEDULER", NULL, 0 },
	[D_CLASSES] = { "CLASSES", NULL, CLI_COL_VERBATIM },
	[D_LEVELS] = { "LEVELS", NULL, CLI_COL_VERBATIM },
	[D_AVAILABLE] = { "AVAILABLE", NULL, 0 },
};

/* yes or no in a table, true or false in JSON; NULL when unknown */
static const char *honours(enum cli_honours h, enum cli_honours need, enum cli_fmt fmt)
{
	bool json = fmt == CLI_FMT_JSON;

	if (h == CLI_HONOURS_UNKNOWN)
		return NULL;
	if (h >= need)
		return json ? "true" : "yes";
	return json ? "false" : "no";
}

/* One cell of a device; 'tmp' holds the joined list of schedulers. */
static const char *cell(const void *ctx, size_t row, size_t c, enum cli_fmt fmt,
			struct cli_buf *tmp)
{
	const struct cli_blockdev *d = (const struct cli_blockdev *)ctx + row;
	enum cli_honours h = cli_sched_honours(d->scheduler);

	switch (c) {
	case D_DEVICE:
		return d->name;
	case D_SCHED:
		return d->scheduler;
	case D_CLASSES:
		return honours(h, CLI_HONOURS_CLASSES, fmt);
	case D_LEVELS:
		return honours(h, CLI_HONOURS_LEVELS, fmt);
	default:
		for (char **a = d->available; a && *a; a++) {
			if (a != d->available)
				cli_buf_putc(tmp, ',');
			cli_buf_puts(tmp, *a);
		}
		if (!tmp->len)
			return NULL;
		cli_buf_putc(tmp, '\0');
		return tmp->p;
	}
}

/* JSON's list of schedulers: an array of strings. */
static bool json_value(const void *ctx, size_t row, size_t c, struct cli_buf *b)
{
	const struct cli_blockdev *d = (const struct cli_blockdev *)ctx + row;

	if (c != D_AVAILABLE)
		return false;
	cli_buf_putc(b, '[');
	for (char **a = d->available; a && *a; a++) {
		if (a != d->available)
			cli_buf_puts(b, ", ");
		cli_buf_json(b, *a);
	}
	cli_buf_putc(b, ']');
	return true;
}

int iopget_devices(const char *sys, bool raw, bool json, bool header)
{
	struct cli_blockdev *v;
	struct cli_buf out = { 0 };
	int status = EXIT_SUCCESS;
	size_t n;
	int fd, r;

	if (!sys)
		sys = "/sys";
	fd = open(sys, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		err(EXIT_FAILURE, "cannot open %s", sys);
	r = cli_blockdev_list(fd, &v, &n);
	close(fd);
	if (r == -ENOMEM)
		xalloc_die();
	if (r < 0)
		errx(EXIT_FAILURE, "cannot read %s/block: %s", sys, strerror(-r));
	for (size_t i = 0; i < n; i++)
		if (v[i].error && v[i].error != ENOENT) { /* ENOENT: has no scheduler */
			warnx("%s: cannot read its scheduler: %s", v[i].name,
			      v[i].error == EINVAL ? "unexpected contents" : strerror(v[i].error));
			status = EXIT_FAILURE;
		}
	struct cli_table t = { .cols = cols, .ncols = D_COUNT, .nrows = n, .header = header,
			       .cell = cell, .json_value = json_value, .ctx = v };
	if (json)
		cli_table_json(&t, "devices", &out);
	else
		cli_table_write(&t, raw ? CLI_FMT_RAW : CLI_FMT_TABLE, &out);
	cli_buf_flush(&out, stdout);
	cli_buf_free(&out);
	cli_blockdev_free(v, n);
	return status;
}
