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
#include "iopcli/xalloc.h"
#include "devices.h"

enum { D_DEVICE, D_SCHED, D_CLASSES, D_LEVELS, D_AVAILABLE, D_COUNT };
static const char *const headers[D_COUNT] = { "DEVICE", "SCHEDULER", "CLASSES", "LEVELS",
					      "AVAILABLE" };

static const char *yes_no(enum cli_honours h, enum cli_honours need)
{
	if (h == CLI_HONOURS_UNKNOWN)
		return "-";
	return h >= need ? "yes" : "no";
}

/* One cell of a device; 'tmp' holds the joined list of schedulers. */
static const char *cell(const struct cli_blockdev *d, int c, struct cli_buf *tmp)
{
	enum cli_honours h = cli_sched_honours(d->scheduler);
	switch (c) {
	case D_DEVICE:
		return d->name;
	case D_SCHED:
		return d->scheduler ? d->scheduler : "-";
	case D_CLASSES:
		return yes_no(h, CLI_HONOURS_CLASSES);
	case D_LEVELS:
		return yes_no(h, CLI_HONOURS_LEVELS);
	default:
		tmp->len = 0;
		for (char **a = d->available; a && *a; a++) {
			if (a != d->available)
				cli_buf_putc(tmp, ',');
			cli_buf_puts(tmp, *a);
		}
		if (!tmp->len)
			cli_buf_putc(tmp, '-');
		cli_buf_putc(tmp, '\0');
		return tmp->p;
	}
}

static void put_cell(struct cli_buf *b, const char *s, bool raw)
{
	if (raw)
		cli_buf_text_field(b, s);
	else
		cli_buf_text(b, s);
}

static void print_table(const struct cli_blockdev *v, size_t n, bool raw, bool header,
			struct cli_buf *b)
{
	size_t width[D_COUNT] = { 0 };
	struct cli_buf t = { 0 }, tmp = { 0 };

	for (int c = 0; c < D_COUNT && !raw; c++) {
		width[c] = header ? strlen(headers[c]) : 0;
		for (size_t i = 0; i < n; i++) {
			t.len = 0;
			put_cell(&t, cell(&v[i], c, &tmp), false);
			if (t.len > width[c])
				width[c] = t.len;
		}
	}
	for (size_t r = header ? 0 : 1; r <= n; r++) {
		for (int c = 0; c < D_COUNT; c++) {
			t.len = 0;
			put_cell(&t, r ? cell(&v[r - 1], c, &tmp) : headers[c], raw);
			cli_buf_put(b, t.p, t.len);
			if (c + 1 < D_COUNT) {
				cli_buf_pad(b, ' ', !raw && t.len < width[c] ? width[c] - t.len : 0);
				cli_buf_putc(b, ' ');
			}
		}
		cli_buf_putc(b, '\n');
	}
	cli_buf_free(&t);
	cli_buf_free(&tmp);
}

static void json_honours(struct cli_buf *b, enum cli_honours h, enum cli_honours need)
{
	cli_buf_puts(b, h == CLI_HONOURS_UNKNOWN ? "null" : h >= need ? "true" : "false");
}

static void print_json(const struct cli_blockdev *v, size_t n, struct cli_buf *b)
{
	cli_buf_puts(b, "{\n   \"devices\": [");
	for (size_t i = 0; i < n; i++) {
		enum cli_honours h = cli_sched_honours(v[i].scheduler);
		cli_buf_puts(b, i ? ",\n      {\"device\": " : "\n      {\"device\": ");
		cli_buf_json(b, v[i].name);
		cli_buf_puts(b, ", \"scheduler\": ");
		if (v[i].scheduler)
			cli_buf_json(b, v[i].scheduler);
		else
			cli_buf_puts(b, "null");
		cli_buf_puts(b, ", \"classes\": ");
		json_honours(b, h, CLI_HONOURS_CLASSES);
		cli_buf_puts(b, ", \"levels\": ");
		json_honours(b, h, CLI_HONOURS_LEVELS);
		cli_buf_puts(b, ", \"available\": [");
		for (char **a = v[i].available; a && *a; a++) {
			if (a != v[i].available)
				cli_buf_puts(b, ", ");
			cli_buf_json(b, *a);
		}
		cli_buf_puts(b, "]}");
	}
	cli_buf_puts(b, n ? "\n   ]\n}\n" : "]\n}\n");
}

void iopget_devices(const char *sys, bool devices, bool raw, bool json, bool header, bool others)
{
	struct cli_blockdev *v;
	struct cli_buf out = { 0 };
	int status = EXIT_SUCCESS;
	size_t n;
	int fd, r;

	if (!devices)
		cli_usage_error("--sys goes with --devices");
	if (others)
		cli_usage_error("--devices lists devices, not processes: only --sys, -r, -J and -n go with it");
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
	if (json)
		print_json(v, n, &out);
	else if (n)
		print_table(v, n, raw, header, &out);
	cli_buf_flush(&out, stdout);
	cli_buf_free(&out);
	cli_blockdev_free(v, n);
	exit(status);
}
