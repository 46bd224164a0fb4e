/* SPDX-License-Identifier: MIT */
/* Unit tests of the block-device reader (lib/iopcli/blockdev.c) on fixture
 * sysfs trees under tests/fixtures/sys-*. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "iopcli/blockdev.h"

static int open_fixture(const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", IOP_FIXTURES, name);
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

static void finds_the_active_scheduler(void **state)
{
	char b[16];
	(void)state;
	assert_int_equal(cli_sched_active("mq-deadline kyber [bfq] none\n", b, sizeof(b)), 0);
	assert_string_equal(b, "bfq");
	assert_int_equal(cli_sched_active("[none] mq-deadline kyber bfq \n", b, sizeof(b)), 0);
	assert_string_equal(b, "none");
	assert_int_equal(cli_sched_active("[mq-deadline] kyber", b, sizeof(b)), 0);
	assert_string_equal(b, "mq-deadline");
	/* a device that can have no scheduler: "none" alone, no brackets */
	assert_int_equal(cli_sched_active("none\n", b, sizeof(b)), 0);
	assert_string_equal(b, "none");
	/* nothing, several without brackets, empty brackets, too long */
	assert_int_equal(cli_sched_active("", b, sizeof(b)), -EINVAL);
	assert_int_equal(cli_sched_active(" \n", b, sizeof(b)), -EINVAL);
	assert_int_equal(cli_sched_active("none bfq\n", b, sizeof(b)), -EINVAL);
	assert_int_equal(cli_sched_active("[] bfq\n", b, sizeof(b)), -EINVAL);
	assert_int_equal(cli_sched_active("[[bfq]]\n", b, sizeof(b)), -EINVAL);
	assert_int_equal(cli_sched_active("[bfq\n", b, sizeof(b)), -EINVAL);
	assert_int_equal(cli_sched_active("[a-very-long-scheduler-name]", b, sizeof(b)), -EINVAL);
	assert_int_equal(cli_sched_active("[0123456789abcde]", b, sizeof(b)), 0); /* 15 + NUL fits */
	assert_int_equal(cli_sched_active("[0123456789abcdef]", b, sizeof(b)), -EINVAL);
}

static void knows_what_each_scheduler_honours(void **state)
{
	(void)state;
	assert_int_equal(cli_sched_honours("bfq"), CLI_HONOURS_LEVELS);
	assert_int_equal(cli_sched_honours("mq-deadline"), CLI_HONOURS_CLASSES);
	assert_int_equal(cli_sched_honours("kyber"), CLI_HONOURS_NEITHER);
	assert_int_equal(cli_sched_honours("none"), CLI_HONOURS_NEITHER);
	assert_int_equal(cli_sched_honours("cfq"), CLI_HONOURS_LEVELS);
	assert_int_equal(cli_sched_honours("adios"), CLI_HONOURS_UNKNOWN);
	assert_int_equal(cli_sched_honours("BFQ"), CLI_HONOURS_UNKNOWN);
	assert_int_equal(cli_sched_honours(NULL), CLI_HONOURS_UNKNOWN);
}

static void lists_every_device_in_order(void **state)
{
	struct cli_blockdev *v = NULL;
	size_t n = 0;
	int fd = open_fixture("sys-mixed");
	(void)state;
	assert_int_equal(cli_blockdev_list(fd, &v, &n), 0);
	assert_int_equal(n, 7);
	const char *names[] = { "dm-0", "loop2", "loop10", "nvme0n1", "odd", "sda", "zram0" };
	const char *scheds[] = { "none", "kyber", "mq-deadline", "none", NULL, "bfq", NULL };
	const int errs[] = { 0, 0, 0, 0, EINVAL, 0, ENOENT };
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(v[i].name, names[i]);
		if (scheds[i])
			assert_string_equal(v[i].scheduler, scheds[i]);
		else
			assert_null(v[i].scheduler);
		assert_int_equal(v[i].error, errs[i]);
	}
	/* what each offers, brackets removed, in the kernel's order */
	assert_non_null(v[5].available);
	assert_string_equal(v[5].available[0], "mq-deadline");
	assert_string_equal(v[5].available[2], "bfq");
	assert_string_equal(v[5].available[3], "none");
	assert_null(v[5].available[4]);
	assert_string_equal(v[0].available[0], "none");
	assert_null(v[0].available[1]);
	assert_null(v[6].available);
	cli_blockdev_free(v, n);
	close(fd);
}

static void lists_nothing_without_devices(void **state)
{
	struct cli_blockdev *v = NULL;
	size_t n = 99;
	int fd = open_fixture("sys-empty");
	(void)state;
	assert_int_equal(cli_blockdev_list(fd, &v, &n), 0);
	assert_int_equal(n, 0);
	cli_blockdev_free(v, n);
	assert_int_equal(cli_any_device_honours_priorities(fd), 0);
	close(fd);
}

static void reports_a_tree_without_block(void **state)
{
	struct cli_blockdev *v = NULL;
	size_t n = 0;
	int fd = open_fixture("sys-mixed/block/sda"); /* no block/ below it */
	(void)state;
	assert_int_equal(cli_blockdev_list(fd, &v, &n), -ENOENT);
	assert_int_equal(cli_any_device_honours_priorities(fd), -ENOENT);
	close(fd);
}

static void tells_whether_any_device_listens(void **state)
{
	(void)state;
	int fd = open_fixture("sys-mixed"); /* sda: bfq */
	assert_int_equal(cli_any_device_honours_priorities(fd), 1);
	close(fd);
	fd = open_fixture("sys-deadline"); /* classes are enough */
	assert_int_equal(cli_any_device_honours_priorities(fd), 1);
	close(fd);
	fd = open_fixture("sys-deaf"); /* none, kyber, no scheduler */
	assert_int_equal(cli_any_device_honours_priorities(fd), 0);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_the_active_scheduler),
		cmocka_unit_test(knows_what_each_scheduler_honours),
		cmocka_unit_test(lists_every_device_in_order),
		cmocka_unit_test(lists_nothing_without_devices),
		cmocka_unit_test(reports_a_tree_without_block),
		cmocka_unit_test(tells_whether_any_device_listens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
