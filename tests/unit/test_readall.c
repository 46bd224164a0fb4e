/* SPDX-License-Identifier: MIT */
/* Unit tests of reading a file to its end (lib/iopcli/readall.c): the
 * buffer's growth and its limit, with and without keep, and a read that is
 * interrupted or fails part way (read() wrapped). */
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

#include "iopcli/readall.h"

/* read() as the kernel's, but for call number fail_at (from 1): -1 with
 * fail_errno */
static int calls, fail_at, fail_errno;
ssize_t __real_read(int fd, void *buf, size_t n);
ssize_t __wrap_read(int fd, void *buf, size_t n);
ssize_t __wrap_read(int fd, void *buf, size_t n)
{
	if (++calls == fail_at) {
		errno = fail_errno;
		return -1;
	}
	return __real_read(fd, buf, n);
}

static char text[10000];

/* A pipe holding the first n bytes of text, its write end closed. */
static int pipe_of(size_t n)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], text, n), (ssize_t)n);
	close(p[1]);
	calls = 0;
	return p[0];
}

static int setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = (char)('a' + i % 26);
	fail_at = 0;
	return 0;
}

/* A pipe of the first n bytes of text read with these limits: want bytes
 * (the first want of text, NUL-ended), or the error want (a negative errno,
 * and no buffer). */
static void reads(size_t n, size_t first, size_t max, bool keep, ssize_t want)
{
	char *s = text;
	int fd = pipe_of(n);
	assert_int_equal(cli_read_all(fd, first, max, keep, &s), want);
	if (want < 0) {
		assert_null(s);
	} else {
		assert_memory_equal(s, text, (size_t)want);
		assert_int_equal(s[want], '\0');
		free(s);
	}
	close(fd);
}

static void whole_file(void **state)
{
	(void)state;
	/* from 16 bytes: grown many times */
	reads(sizeof(text), 16, 1 << 20, false, sizeof(text));
	reads(0, 16, 64, false, 0);
	/* exactly what the largest buffer holds with its NUL */
	reads(63, 16, 64, false, 63);
}

static void past_the_limit(void **state)
{
	(void)state;
	reads(64, 16, 64, false, -EFBIG);
	/* keep: what fits, NUL-ended */
	reads(100, 16, 64, true, 63);
}

/* Any limit holds, not only first times a power of two: from 16 to 40,
 * a file of 39 bytes is whole and one of 40 too long; a first buffer of
 * fewer than 2 bytes (no room for a byte and the NUL) or a limit below it
 * is refused, before any read */
static void odd_limits(void **state)
{
	char *s;
	(void)state;
	reads(39, 16, 40, false, 39);
	reads(40, 16, 40, false, -EFBIG);
	reads(100, 16, 40, true, 39);
	s = text;
	int fd = pipe_of(10);
	assert_int_equal(cli_read_all(fd, 0, 64, false, &s), -EINVAL);
	assert_null(s);
	assert_int_equal(cli_read_all(fd, 1, 64, false, &s), -EINVAL);
	assert_int_equal(cli_read_all(fd, 32, 16, false, &s), -EINVAL);
	assert_int_equal(calls, 0);
	close(fd);
}

static void interrupted_and_failed(void **state)
{
	char *s = text;
	(void)state;
	/* a signal: the read is tried again, nothing lost */
	fail_at = 2, fail_errno = EINTR;
	int fd = pipe_of(100);
	assert_int_equal(cli_read_all(fd, 16, 1 << 20, false, &s), 100);
	assert_memory_equal(s, text, 100);
	free(s);
	close(fd);

	/* a failure part way: its errno, or with keep what came before it */
	fail_at = 2, fail_errno = EIO;
	fd = pipe_of(100);
	assert_int_equal(cli_read_all(fd, 16, 1 << 20, false, &s), -EIO);
	assert_null(s);
	close(fd);
	fd = pipe_of(100);
	assert_int_equal(cli_read_all(fd, 16, 1 << 20, true, &s), 15);
	assert_memory_equal(s, text, 15);
	free(s);
	close(fd);
	fail_at = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(whole_file, setup),
		cmocka_unit_test_setup(past_the_limit, setup),
		cmocka_unit_test_setup(odd_limits, setup),
		cmocka_unit_test_setup(interrupted_and_failed, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
