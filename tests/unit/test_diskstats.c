/* SPDX-License-Identifier: MIT */
/* Unit tests of the /proc/diskstats, /proc/pressure/io and mountstats
 * parsers (lib/iopcli/diskparse.c) and their readers on fixture trees
 * (lib/iopcli/diskstats.c, tests/fixtures/disks*). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "iopcli/diskstats.h"

#define LINE(s) s, sizeof(s) - 1

static void parses_every_kernel_layout(void **state)
{
	struct diskstat d;
	(void)state;
	/* 6.18 here: 17 counters, padded major and minor */
	assert_int_equal(diskstats_parse_line(LINE(" 254       0 vda 30632 6444 2580354 11757 21821 12890 "
						   "3397120 8502 0 7972 21074 6240 68 405896 706 2568 107"),
					      &d), 0);
	assert_int_equal(d.major, 254);
	assert_int_equal(d.minor, 0);
	assert_string_equal(d.name, "vda");
	assert_int_equal(d.nfields, 17);
	assert_int_equal(d.v[DISK_RD_IOS], 30632);
	assert_int_equal(d.v[DISK_WR_SECTORS], 3397120);
	assert_int_equal(d.v[DISK_TIME_IN_QUEUE], 21074);
	assert_int_equal(d.v[DISK_DC_IOS], 6240);
	assert_int_equal(d.v[DISK_FL_TICKS], 107);
	/* 4.18 .. 5.4: with discards; before 4.18: 11 */
	assert_int_equal(diskstats_parse_line(LINE("8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15"), &d), 0);
	assert_int_equal(d.nfields, 15);
	assert_int_equal(d.v[DISK_DC_TICKS], 15);
	assert_int_equal(d.v[DISK_FL_IOS], 0);
	assert_int_equal(diskstats_parse_line(LINE("8 1 sda1 1 2 3 4 5 6 7 8 9 10 11"), &d), 0);
	assert_int_equal(d.nfields, 11);
	/* a later kernel's 18th field is passed over */
	assert_int_equal(diskstats_parse_line(LINE("8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18"), &d), 0);
	assert_int_equal(d.nfields, 17);
	assert_int_equal(d.v[DISK_FL_TICKS], 17);
	/* the largest counter */
	assert_int_equal(diskstats_parse_line(LINE("8 0 sda 18446744073709551615 0 0 0 0 0 0 0 0 0 0"), &d), 0);
	assert_true(d.v[0] == UINT64_MAX);
}

static void rejects_what_the_kernel_never_writes(void **state)
{
	struct diskstat d;
	(void)state;
	/* 2.6.25's 4-field partition lines, 12 fields, 16 fields */
	assert_int_equal(diskstats_parse_line(LINE("8 1 sda1 1 2 3 4"), &d), -EINVAL);
	assert_int_equal(diskstats_parse_line(LINE("8 1 sda1 1 2 3 4 5 6 7 8 9 10 11 12"), &d), -EINVAL);
	assert_int_equal(diskstats_parse_line(LINE("8 1 sda1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16"), &d), -EINVAL);
	/* negative, too large, junk, a name of 32 bytes, no name */
	assert_int_equal(diskstats_parse_line(LINE("8 0 sda -1 2 3 4 5 6 7 8 9 10 11"), &d), -EINVAL);
	assert_int_equal(diskstats_parse_line(LINE("8 0 sda 18446744073709551616 2 3 4 5 6 7 8 9 10 11"), &d), -EINVAL);
	assert_int_equal(diskstats_parse_line(LINE("8 0 sda 1x 2 3 4 5 6 7 8 9 10 11"), &d), -EINVAL);
	assert_int_equal(diskstats_parse_line(LINE("8 0 abcdefghijklmnopqrstuvwxyz012345 1 2 3 4 5 6 7 8 9 10 11"), &d), -EINVAL);
	assert_int_equal(diskstats_parse_line(LINE("8 0"), &d), -EINVAL);
	assert_int_equal(diskstats_parse_line(LINE("x 0 sda 1 2 3 4 5 6 7 8 9 10 11"), &d), -EINVAL);
	assert_int_equal(diskstats_parse_line(LINE("4294967296 0 sda 1 2 3 4 5 6 7 8 9 10 11"), &d), -EINVAL);
}

static void counts_bad_lines_and_keeps_the_rest(void **state)
{
	static const char text[] = "   8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n"
				   "garbage\n"
				   "\n"
				   "   8 1 sda1 1 2 3 4\n"
				   "   7 0 loop0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17"; /* no newline */
	struct diskstat *v;
	size_t n, bad, line;
	(void)state;
	assert_int_equal(diskstats_parse(text, sizeof(text) - 1, &v, &n, &bad, &line), 0);
	assert_int_equal(n, 2);
	assert_int_equal(bad, 2);
	assert_int_equal(line, 2);
	assert_string_equal(v[0].name, "sda");
	assert_string_equal(v[1].name, "loop0");
	free(v);
	assert_int_equal(diskstats_parse("", 0, &v, &n, &bad, NULL), 0);
	assert_int_equal(n, 0);
	assert_int_equal(bad, 0);
	free(v);
}

static void reads_pressure_totals(void **state)
{
	struct pressure p;
	(void)state;
	assert_int_equal(pressure_parse(LINE("some avg10=0.03 avg60=0.34 avg300=0.58 total=4081319\n"
					     "full avg10=0.02 avg60=0.27 avg300=0.52 total=3712411\n"), &p), 0);
	assert_int_equal(p.some_us, 4081319);
	assert_int_equal(p.full_us, 3712411);
	assert_true(p.has_full);
	/* without a full line (cpu's before 5.13 has none; io's is a fixture) */
	assert_int_equal(pressure_parse(LINE("some avg10=0.00 avg60=0.00 avg300=0.00 total=7"), &p), 0);
	assert_int_equal(p.some_us, 7);
	assert_false(p.has_full);
	assert_int_equal(pressure_parse(LINE(""), &p), -EINVAL);
	assert_int_equal(pressure_parse(LINE("full avg10=0 total=1\n"), &p), -EINVAL);
	assert_int_equal(pressure_parse(LINE("some avg10=0.00 avg60=0.00 avg300=0.00\n"), &p), -EINVAL);
	assert_int_equal(pressure_parse(LINE("some total=-1\n"), &p), -EINVAL);
	assert_int_equal(pressure_parse(LINE("some total=1\nsome total=2\n"), &p), -EINVAL);
}

/* As the kernel writes it (fs/nfs/super.c nfs_show_stats, net/sunrpc/
 * stats.c rpc_clnt_show_stats, xprtsock.c): an NFSv4.2 mount over two TCP
 * connections (nconnect=2) */
static const char nfs4[] =
	"device rootfs mounted on / with fstype rootfs\n"
	"device srv:/export mounted on /mnt/a\\040b with fstype nfs4 statvers=1.1\n"
	"\topts:\trw,vers=4.2,rsize=1048576,wsize=1048576,namlen=255,acregmin=3,nconnect=2\n"
	"\tage:\t3600\n"
	"\timpl_id:\tname='',domain='',date='0,0'\n"
	"\tcaps:\tcaps=0x3fffff,wtmult=512,dtsize=1048576,bsize=0,namlen=255\n"
	"\tsec:\tflavor=1,pseudoflavor=1\n"
	"\tevents:\t1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27\n"
	"\tbytes:\t1000 2000 0 0 4096000 2048000 1000 500\n"
	"\tRPC iostats version: 1.1  p/v: 100003/4 (nfs)\n"
	"\txprt:\ttcp 786 1 1 0 -5 600 600 0 1200 0 64 0 0\n"
	"\txprt:\ttcp 787 1 1 0 0 400 400 0 800 0 64 0 0\n"
	"\tper-op statistics\n"
	"\t        NULL: 1 1 0 44 24 0 0 0 0\n"
	"\t        READ: 100 102 2 16000 4096000 10 500 520 0\n"
	"\t       WRITE: 50 50 0 2048000 8000 5 1000 1100 1\n"
	"\t      COMMIT: 10 10 0 1000 1000 0 20 20 0\n"
	"\n"
	"device srv2:/old mounted on /mnt/c with fstype nfs statvers=1.1\n"
	"\tage:\t10\n"
	"\tbytes:\t0 0 0 0 0 0 0 0\n"
	"\txprt:\tudp 900 0 30 30 0 0 0\n"
	"\tper-op statistics\n"
	"\t        READ: 20 20 0 2000 3000 0 40 50\n";

static void reads_nfs_mounts(void **state)
{
	struct nfs_mount *v;
	size_t n, bad;
	(void)state;
	assert_int_equal(mountstats_parse(nfs4, sizeof(nfs4) - 1, &v, &n, &bad), 0);
	assert_int_equal(n, 2);
	assert_int_equal(bad, 0);
	assert_string_equal(v[0].device, "srv:/export");
	assert_string_equal(v[0].mountpoint, "/mnt/a b"); /* unescaped */
	assert_string_equal(v[0].fstype, "nfs4");
	assert_int_equal(v[0].age, 3600);
	assert_int_equal(v[0].bytes[NFS_SERVER_READ], 4096000);
	assert_int_equal(v[0].bytes[NFS_WRITE_PAGES], 500);
	assert_int_equal(v[0].sends, 1000); /* both connections */
	assert_int_equal(v[0].read[RPC_OPS], 100);
	assert_int_equal(v[0].read[RPC_TRANS], 102);
	assert_int_equal(v[0].read[RPC_BYTES_RECV], 4096000);
	assert_int_equal(v[0].read[RPC_RTT_MS], 500);
	assert_int_equal(v[0].write[RPC_EXECUTE_MS], 1100);
	assert_int_equal(v[0].all[RPC_OPS], 161);
	assert_int_equal(v[1].sends, 30);      /* udp: the third number */
	assert_int_equal(v[1].read[RPC_OPS], 20); /* before 5.3: no errors field */
	mountstats_free(v, n);
}

static void leaves_out_broken_nfs_mounts(void **state)
{
	static const char text[] =
		"device a:/x mounted on /x with fstype nfs statvers=1.1\n"
		"\tbytes:\t1 2 3\n" /* too few */
		"device b:/y mounted on /y with fstype nfs4 statvers=1.1\n"
		"\tbytes:\t0 0 0 0 0 0 0 0\n"
		"\tper-op statistics\n"
		"\t        READ: 1 1 0 x 0 0 0 0 0\n"
		"device c:/z mounted on /z with fstype nfs statvers=1.1\n"
		"\tage:\t5\n" /* no bytes line: not statistics we can use */
		"device mounted on\n"
		"device d:/w mounted on /w with fstype nfs\n"; /* no statistics */
	struct nfs_mount *v;
	size_t n, bad;
	(void)state;
	assert_int_equal(mountstats_parse(text, sizeof(text) - 1, &v, &n, &bad), 0);
	assert_int_equal(n, 0);
	assert_int_equal(bad, 4);
	mountstats_free(v, n);
	assert_int_equal(mountstats_parse("", 0, &v, &n, &bad), 0);
	assert_int_equal(n, 0);
	mountstats_free(v, n);
}

static int open_dir(const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", IOP_FIXTURES, name);
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

static void reads_a_fixture_tree(void **state)
{
	int proc = open_dir("disks/proc"), sys = open_dir("disks/sys");
	struct diskstat *v;
	size_t n, bad, line;
	struct pressure p;
	(void)state;
	assert_int_equal(diskstats_read(proc, sys, &v, &n, &bad, &line), 0);
	assert_true(n >= 4);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, "vda1"))
			assert_true(v[i].partition);
		else if (!strcmp(v[i].name, "vda"))
			assert_false(v[i].partition);
	free(v);
	char sched[24];
	assert_int_equal(disk_scheduler(sys, "vda", sched, sizeof(sched)), 0);
	assert_string_equal(sched, "mq-deadline");
	assert_int_equal(disk_scheduler(sys, "zram0", sched, sizeof(sched)), -ENOENT);
	assert_int_equal(disk_scheduler(sys, "nosuch", sched, sizeof(sched)), -ENOENT);
	assert_int_equal(disk_scheduler(sys, "vda", sched, 4), -EINVAL); /* no room */
	/* without sysfs nothing is a partition */
	assert_int_equal(diskstats_read(proc, -1, &v, &n, &bad, &line), 0);
	for (size_t i = 0; i < n; i++)
		assert_false(v[i].partition);
	free(v);
	assert_int_equal(pressure_read(proc, &p), 0);
	assert_true(p.has_full);
	struct nfs_mount *m;
	assert_int_equal(mountstats_read(proc, &m, &n, &bad), 0);
	assert_true(n >= 1);
	mountstats_free(m, n);
	close(proc);
	close(sys);
	/* an old kernel: no pressure (PSI off), no mountstats */
	proc = open_dir("disks-old/proc");
	assert_int_equal(pressure_read(proc, &p), -ENOENT);
	assert_int_equal(mountstats_read(proc, &m, &n, &bad), -ENOENT);
	assert_int_equal(diskstats_read(proc, -1, &v, &n, &bad, &line), 0);
	free(v);
	close(proc);
	/* a directory where the file should be is not read */
	proc = open_dir("disks");
	assert_int_equal(diskstats_read(proc, -1, &v, &n, &bad, &line), -ENOENT);
	close(proc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_every_kernel_layout),
		cmocka_unit_test(rejects_what_the_kernel_never_writes),
		cmocka_unit_test(counts_bad_lines_and_keeps_the_rest),
		cmocka_unit_test(reads_pressure_totals),
		cmocka_unit_test(reads_nfs_mounts),
		cmocka_unit_test(leaves_out_broken_nfs_mounts),
		cmocka_unit_test(reads_a_fixture_tree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
