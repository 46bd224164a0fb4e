/* SPDX-License-Identifier: MIT */
/* Unit tests of iopstat -d's rows and values (iopstat/devices.c): iostat's
 * formulas on known counters, a counter that went down, another device
 * under a name, a removed device, kernels without discards or flushes,
 * NFS deltas. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "columns.h"
#include "devices.h"
#include "sample.h"

static struct diskstat disk(const char *name, unsigned minor, unsigned nfields,
			    unsigned long long base)
{
	struct diskstat d = { .major = 8, .minor = minor, .nfields = nfields };
	strcpy(d.name, name);
	for (unsigned i = 0; i < nfields; i++)
		d.v[i] = base * (i + 1);
	return d;
}

static double value(enum column c, const struct dev_row *r, bool *has)
{
	struct cell_of at = { .dev = r };
	struct cell v = { 0 };
	*has = column_value(c, &at, &v);
	return v.rate;
}

static void iostat_formulas(void **state)
{
	struct diskstat now = disk("sda", 0, 17, 0);
	bool has;
	(void)state;
	now.v[DISK_RD_IOS] = 100, now.v[DISK_RD_MERGES] = 25, now.v[DISK_RD_SECTORS] = 8000;
	now.v[DISK_RD_TICKS] = 300, now.v[DISK_IO_TICKS] = 5000, now.v[DISK_TIME_IN_QUEUE] = 20000;
	now.v[DISK_FL_IOS] = 4, now.v[DISK_FL_TICKS] = 2;
	struct dev_row r = { .now = &now, .seconds = 10 };
	assert_true(value(COL_RS, &r, &has) == 10.0 && has);
	assert_true(value(COL_RKBS, &r, &has) == 400.0);     /* 8000 sectors of 512 bytes */
	assert_true(value(COL_RRQMS, &r, &has) == 2.5);
	assert_true(value(COL_RRQM, &r, &has) == 20.0);      /* 25 of 125 */
	assert_true(value(COL_RAWAIT, &r, &has) == 3.0);     /* 300 ms over 100 reads */
	assert_true(value(COL_RAREQSZ, &r, &has) == 40.0);
	assert_true(value(COL_UTIL, &r, &has) == 50.0);      /* 5 s of 10 */
	assert_true(value(COL_AQUSZ, &r, &has) == 2.0);      /* 20 s of requests in 10 s */
	assert_true(value(COL_FS, &r, &has) == 0.4);
	assert_true(value(COL_FAWAIT, &r, &has) == 0.5);
	/* nothing written: 0, not a division by zero */
	assert_true(value(COL_WAWAIT, &r, &has) == 0.0 && has);
	assert_true(value(COL_WRQM, &r, &has) == 0.0 && has);
	/* no period: no rate */
	r.seconds = 0;
	value(COL_RS, &r, &has);
	assert_false(has);
}

static void old_kernels_have_no_discards(void **state)
{
	struct diskstat now = disk("sda1", 1, 11, 1);
	struct dev_row r = { .now = &now, .seconds = 1 };
	bool has;
	(void)state;
	value(COL_DS, &r, &has);
	assert_false(has);
	value(COL_FS, &r, &has);
	assert_false(has);
	assert_true(value(COL_RS, &r, &has) == 1.0 && has);
	now.nfields = 15;
	value(COL_DS, &r, &has);
	assert_true(has);
	value(COL_FAWAIT, &r, &has);
	assert_false(has);
}

/* Two reads: a counter that went down counts from zero; another device
 * under the same name (another minor) counts from zero; a device gone is
 * no row; one added counts all it did. */
static void pairs_reads(void **state)
{
	struct diskstat a[3] = { disk("sda", 0, 17, 100), disk("sdb", 16, 17, 100),
				 disk("sdc", 32, 17, 100) };
	struct diskstat b[3] = { disk("sda", 0, 17, 150), disk("sdb", 48, 17, 7),
				 disk("sdd", 64, 17, 3) };
	struct dev_read prev = { .disks = a, .n = 3, .mono = 10 };
	struct dev_read cur = { .disks = b, .n = 3, .mono = 12 };
	struct dev_select sel = { 0 };
	struct dev_view v = { 0 };
	unsigned long long x;
	(void)state;
	b[0].v[DISK_WR_IOS] = 1; /* went down from 500 */
	assert_int_equal(dev_view_build(&v, &cur, &prev, -1, &sel), 0);
	assert_int_equal(v.n, 3);
	assert_string_equal(v.disks[0].now->name, "sda");
	assert_ptr_equal(v.disks[0].then, &a[0]);
	assert_true(v.disks[0].seconds == 2.0);
	assert_true(dev_delta(&v.disks[0], DISK_RD_IOS, &x) && x == 50);
	assert_true(dev_delta(&v.disks[0], DISK_WR_IOS, &x) && x == 1);
	assert_null(v.disks[1].then); /* sdb is another device now */
	assert_true(dev_delta(&v.disks[1], DISK_RD_IOS, &x) && x == 7);
	assert_string_equal(v.disks[2].now->name, "sdd");
	assert_null(v.disks[2].then);
	/* since boot: over the uptime */
	cur.uptime = 100;
	assert_int_equal(dev_view_build(&v, &cur, NULL, -1, &sel), 0);
	assert_true(v.disks[0].seconds == 100.0);
	/* idle devices only with --all-devices or by name */
	struct diskstat idle[2] = { disk("loop0", 0, 17, 0), disk("loop1", 1, 17, 1) };
	struct dev_read r = { .disks = idle, .n = 2, .uptime = 1 };
	assert_int_equal(dev_view_build(&v, &r, NULL, -1, &sel), 0);
	assert_int_equal(v.n, 1);
	sel.all = true;
	assert_int_equal(dev_view_build(&v, &r, NULL, -1, &sel), 0);
	assert_int_equal(v.n, 2);
	const char *names[] = { "loop0" };
	struct dev_select named = { .names = names, .nnames = 1 };
	assert_int_equal(dev_view_build(&v, &r, NULL, -1, &named), 0);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.disks[0].now->name, "loop0");
	dev_view_free(&v);
}

/* Busy longer than the period: absurd only beyond a jiffy's rounding (a
 * saturated disk's 101% over a second is not a broken counter) */
static void busy_absurd(void **state)
{
	struct diskstat now = disk("sda", 0, 17, 0), then = disk("sda", 0, 17, 0);
	struct dev_row r = { .now = &now, .then = &then, .seconds = 1.0 };
	double util = 0;
	(void)state;
	now.v[DISK_IO_TICKS] = 1010; /* 101%: io_ticks a jiffy or two ahead */
	assert_false(dev_busy_absurd(&r, &util));
	assert_true(util > 100.9 && util < 101.1);
	now.v[DISK_IO_TICKS] = 1030; /* 103% in a second: more than rounding */
	assert_true(dev_busy_absurd(&r, &util));
	/* since boot (no read before), over the uptime: a wrapped counter */
	r.then = NULL, r.seconds = 1000;
	now.v[DISK_IO_TICKS] = 18446744073709551615ULL;
	assert_true(dev_busy_absurd(&r, &util));
	now.v[DISK_IO_TICKS] = 990000; /* 99% since boot */
	assert_false(dev_busy_absurd(&r, &util));
	r.seconds = 0; /* no period: nothing to say */
	assert_false(dev_busy_absurd(&r, &util));
}

/* nfsiostat's figures: the mount's op/s from the transports' sends, and
 * each of READ and WRITE over its own counters (other operations, such as
 * GETATTR here, count in op/s alone) */
static void nfs_figures(void **state)
{
	struct nfs_mount then = { .device = "s:/e", .mountpoint = "/m", .fstype = "nfs4", .age = 10,
				  .sends = 100, .has_bytes = true, .has_xprt = true };
	struct nfs_mount now = then;
	struct nfs_row r = { .now = &now, .then = &then, .seconds = 2 };
	struct cell_of at = { .nfs = &r };
	struct cell v;
	(void)state;
	then.read[RPC_OPS] = 5, then.read[RPC_TRANS] = 5, then.read[RPC_RTT_MS] = 100;
	now.age = 12, now.sends = 140;
	/* READ: 10 ops, 1 retransmitted; 10 kB of replies; 40 ms RTT, 60 ms in all */
	now.read[RPC_OPS] = 15, now.read[RPC_TRANS] = 16, now.read[RPC_BYTES_SENT] = 1024;
	now.read[RPC_BYTES_RECV] = 9216, now.read[RPC_RTT_MS] = 140, now.read[RPC_EXECUTE_MS] = 60;
	/* WRITE: 4 ops of 20 kB requests; 200 ms RTT, 280 ms in all */
	now.write[RPC_OPS] = 4, now.write[RPC_TRANS] = 4, now.write[RPC_BYTES_SENT] = 20480;
	now.write[RPC_RTT_MS] = 200, now.write[RPC_EXECUTE_MS] = 280;
	/* every operation: what the per-op figures must not be over */
	now.all[RPC_OPS] = 100, now.all[RPC_TRANS] = 123, now.all[RPC_RTT_MS] = 9999;
	assert_true(column_value(COL_NFS_OPS, &at, &v) && v.rate == 20.0);
	assert_true(column_value(COL_NFS_ROPS, &at, &v) && v.rate == 5.0);
	assert_true(column_value(COL_NFS_RKBS, &at, &v) && v.rate == 5.0);
	assert_true(column_value(COL_NFS_RKBOP, &at, &v) && v.rate == 1.0);
	assert_true(column_value(COL_NFS_RRETRANS, &at, &v) && v.n == 1);
	assert_true(column_value(COL_NFS_RRTT, &at, &v) && v.rate == 4.0);
	assert_true(column_value(COL_NFS_REXE, &at, &v) && v.rate == 6.0);
	assert_true(column_value(COL_NFS_WOPS, &at, &v) && v.rate == 2.0);
	assert_true(column_value(COL_NFS_WKBS, &at, &v) && v.rate == 10.0);
	assert_true(column_value(COL_NFS_WKBOP, &at, &v) && v.rate == 5.0);
	assert_true(column_value(COL_NFS_WRETRANS, &at, &v) && v.n == 0);
	assert_true(column_value(COL_NFS_WRTT, &at, &v) && v.rate == 50.0);
	assert_true(column_value(COL_NFS_WEXE, &at, &v) && v.rate == 70.0);
	/* one-shot: over the mount's age, from zero */
	r.then = NULL, r.seconds = 12;
	assert_true(column_value(COL_NFS_ROPS, &at, &v) && v.rate == 15.0 / 12);
	assert_true(column_value(COL_NFS_RRTT, &at, &v) && v.rate == 140.0 / 15);
	/* no WRITE yet: no figures to divide, zeros as nfsiostat prints */
	memset(now.write, 0, sizeof(now.write));
	assert_true(column_value(COL_NFS_WKBOP, &at, &v) && v.rate == 0);
	assert_true(column_value(COL_NFS_WEXE, &at, &v) && v.rate == 0);
	now.has_xprt = false; /* no transport line: no op/s */
	assert_false(column_value(COL_NFS_OPS, &at, &v));
}

/* The system line: whole, unstacked disks only; pressure as the share of
 * the interval; PSI missing is said once. */
/* The columns in kB per second (and only those) show as 1.5M with -H:
 * rkB/s, wkB/s, dkB/s and NFS's read_kB/s, write_kB/s */
static void kib_columns(void **state)
{
	int n = 0;
	(void)state;
	for (int c = 0; c < NCOLS; c++) {
		const char *name = columns[c].name;
		size_t len = strlen(name);
		bool kbs = columns[c].scope != SCOPE_PROC && len >= 4 &&
			   !strcmp(name + len - 4, "kB/s");
		assert_int_equal(columns[c].kib, kbs);
		n += kbs;
	}
	assert_int_equal(n, 5);
}

static void system_line(void **state)
{
	struct diskstat a[3] = { disk("vda", 0, 17, 0), disk("vda1", 1, 17, 0), disk("loop0", 2, 17, 0) };
	struct diskstat b[3] = { disk("vda", 0, 17, 0), disk("vda1", 1, 17, 0), disk("loop0", 2, 17, 0) };
	(void)state;
	a[1].partition = b[1].partition = true;
	a[2].stacked = b[2].stacked = true;
	b[0].v[DISK_RD_SECTORS] = 2000, b[0].v[DISK_WR_SECTORS] = 4000; /* 1 MB, 2 MB */
	b[1].v[DISK_RD_SECTORS] = 2000; /* the same reads, seen in the partition */
	b[2].v[DISK_WR_SECTORS] = 4000; /* a loop device over a file on vda */
	struct dev_read prev = { .disks = a, .n = 3, .mono = 1,
				 .psi = { .some_us = 1000000, .full_us = 0, .has_full = true } };
	struct dev_read cur = { .disks = b, .n = 3, .mono = 3,
				.psi = { .some_us = 1500000, .full_us = 100000, .has_full = true } };
	struct sys_line l = { .psi = 2 };
	sys_line_devices(&l, &cur, &prev);
	assert_true(l.disks);
	assert_true(l.disk_read == 512000.0);   /* 2000 sectors in 2 s */
	assert_true(l.disk_write == 1024000.0);
	assert_int_equal(l.psi, 1);
	assert_true(l.some == 25.0 && l.full == 5.0); /* 0.5 s and 0.1 s of 2 */
	/* a counter that went down: from zero, never negative */
	prev.psi.some_us = 9000000;
	sys_line_devices(&l, &cur, &prev);
	assert_true(l.some >= 0 && l.some <= 100);
	/* PSI off: said (0) once, then not again (-1) */
	cur.psi_error = -ENOENT;
	l.psi = 2;
	sys_line_devices(&l, &cur, &prev);
	assert_int_equal(l.psi, 0);
	sys_line_devices(&l, &cur, &prev);
	assert_int_equal(l.psi, -1);
	/* diskstats unreadable: no disks figures */
	cur.disks_error = -ENOENT;
	sys_line_devices(&l, &cur, &prev);
	assert_false(l.disks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(iostat_formulas),
		cmocka_unit_test(old_kernels_have_no_discards),
		cmocka_unit_test(pairs_reads),
		cmocka_unit_test(busy_absurd),
		cmocka_unit_test(nfs_figures),
		cmocka_unit_test(kib_columns),
		cmocka_unit_test(system_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
