/* SPDX-License-Identifier: MIT */
/* Unit tests of the taskstats message parser (lib/iopcli/tsparse.c) on
 * messages built here as the kernel lays them out (6.18: version 16, 560
 * bytes of stats), and on older, shorter and broken ones. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "iopcli/taskstats.h"

#if defined(__has_include)
#if __has_include(<linux/taskstats.h>)
#include <linux/taskstats.h>
#define HAVE_LINUX_TASKSTATS 1
#endif
#endif

#define FAMILY 31

struct msgbuf {
	unsigned char b[4096];
	size_t len;
	size_t msg;   /* where the current message starts */
	size_t nest;  /* where the open nested attribute starts */
};

static void put(struct msgbuf *m, const void *p, size_t n)
{
	memcpy(m->b + m->len, p, n);
	m->len += n;
	while (m->len & 3)
		m->b[m->len++] = 0;
}

static void set16(unsigned char *p, uint16_t v) { memcpy(p, &v, 2); }
static void set32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }
static void set64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }

static void msg_begin(struct msgbuf *m, int type, int cmd)
{
	unsigned char h[20] = { 0 };
	m->msg = m->len;
	set16(h + 4, (uint16_t)type);
	h[16] = (unsigned char)cmd;
	h[17] = 1;
	put(m, h, sizeof(h));
}

static void msg_end(struct msgbuf *m)
{
	set32(m->b + m->msg, (uint32_t)(m->len - m->msg));
}

static void attr(struct msgbuf *m, int type, const void *p, size_t n)
{
	unsigned char h[4];
	set16(h, (uint16_t)(4 + n));
	set16(h + 2, (uint16_t)type);
	memcpy(m->b + m->len, h, 4);
	m->len += 4;
	put(m, p, n);
}

static void nest_begin(struct msgbuf *m, int type)
{
	m->nest = m->len;
	unsigned char h[4] = { 0 };
	set16(h + 2, (uint16_t)(type | 0x8000)); /* NLA_F_NESTED is masked off */
	memcpy(m->b + m->len, h, 4);
	m->len += 4;
}

static void nest_end(struct msgbuf *m)
{
	set16(m->b + m->nest, (uint16_t)(m->len - m->nest));
}

/* The stats of one thread, as the kernel fills them. */
static void stats(unsigned char *s, size_t size, int tid, int tgid, int ppid, const char *comm,
		  uint64_t wbytes)
{
	memset(s, 0, size);
	set16(s + TS_OFF_VERSION, 16);
	memcpy(s + TS_OFF_COMM, comm, strlen(comm));
	set32(s + TS_OFF_UID, 1000);
	set32(s + TS_OFF_GID, 100);
	set32(s + TS_OFF_PID, (uint32_t)tid);
	set32(s + TS_OFF_PPID, (uint32_t)ppid);
	set32(s + TS_OFF_BTIME, 1796304321);
	set64(s + TS_OFF_ETIME, 4939);
	set64(s + TS_OFF_RCHAR, 6144);
	set64(s + TS_OFF_WCHAR, 20480);
	set64(s + TS_OFF_SYSCR, 0);
	set64(s + TS_OFF_SYSCW, 1024);
	set64(s + TS_OFF_READ_BYTES, 4096);
	set64(s + TS_OFF_WRITE_BYTES, wbytes);
	set64(s + TS_OFF_CANCELLED, 8192);
	if (size >= TS_OFF_BTIME64 + 8)
		set64(s + TS_OFF_BTIME64, 1796304321);
	if (size >= TS_OFF_TGID + 4)
		set32(s + TS_OFF_TGID, (uint32_t)tgid);
	if (size >= TS_OFF_TGETIME + 8)
		set64(s + TS_OFF_TGETIME, 5000);
}

/* One exit message: AGGR_PID (PID, STATS), and AGGR_TGID when last. */
static void exit_msg(struct msgbuf *m, int family, size_t size, int tid, int tgid, int ppid,
		     const char *comm, uint64_t wbytes, bool last)
{
	unsigned char s[600];
	uint32_t id = (uint32_t)tid;

	msg_begin(m, family, TS_CMD_NEW);
	nest_begin(m, TS_TYPE_AGGR_PID);
	attr(m, TS_TYPE_PID, &id, 4);
	stats(s, size, tid, tgid, ppid, comm, wbytes);
	attr(m, TS_TYPE_STATS, s, size);
	nest_end(m);
	if (last) {
		id = (uint32_t)tgid;
		nest_begin(m, TS_TYPE_AGGR_TGID);
		attr(m, TS_TYPE_TGID, &id, 4);
		memset(s, 0, size);
		attr(m, TS_TYPE_STATS, s, size);
		nest_end(m);
	}
	msg_end(m);
}

static void one_record(void **state)
{
	struct msgbuf m = { 0 };
	struct ts_record r[2];
	(void)state;

	exit_msg(&m, FAMILY, 560, 2501, 2501, 2500, "probeA", 49152, false);
	assert_int_equal(ts_parse(m.b, m.len, FAMILY, r, 2), 1);
	assert_int_equal(r[0].tid, 2501);
	assert_int_equal(r[0].tgid, 2501);
	assert_int_equal(r[0].ppid, 2500);
	assert_int_equal(r[0].uid, 1000);
	assert_int_equal(r[0].gid, 100);
	assert_string_equal(r[0].comm, "probeA");
	assert_int_equal(r[0].version, 16);
	assert_int_equal(r[0].etime_us, 4939);
	assert_int_equal(r[0].tgetime_us, 5000);
	assert_int_equal(r[0].btime, 1796304321);
	assert_int_equal(r[0].io[IO_READ_BYTES], 4096);
	assert_int_equal(r[0].io[IO_WRITE_BYTES], 49152);
	assert_int_equal(r[0].io[IO_CANCELLED], 8192);
	assert_int_equal(r[0].io[IO_RCHAR], 6144);
	assert_int_equal(r[0].io[IO_WCHAR], 20480);
	assert_int_equal(r[0].io[IO_SYSCW], 1024);
	assert_false(r[0].group_end);
}

/* The last thread of a multi-threaded process: the same message carries
 * the process's aggregate (delay accounting only), which is no record. */
static void last_thread_marks_group_end(void **state)
{
	struct msgbuf m = { 0 };
	struct ts_record r[4];
	(void)state;

	exit_msg(&m, FAMILY, 560, 2511, 2510, 2500, "probethr", 16384, false);
	exit_msg(&m, FAMILY, 560, 2510, 2510, 2500, "probeB", 4096, true);
	assert_int_equal(ts_parse(m.b, m.len, FAMILY, r, 4), 2);
	assert_int_equal(r[0].tid, 2511);
	assert_int_equal(r[0].tgid, 2510);
	assert_false(r[0].group_end);
	assert_int_equal(r[0].io[IO_WRITE_BYTES], 16384);
	assert_int_equal(r[1].tid, 2510);
	assert_true(r[1].group_end);
	assert_int_equal(r[1].io[IO_WRITE_BYTES], 4096);
}

/* A record of an older kernel (version 8, before btime64 and tgid): what
 * it lacks is 0; one too short for the I/O counters is no record. */
static void older_and_shorter_records(void **state)
{
	struct msgbuf m = { 0 };
	struct ts_record r[2];
	(void)state;

	exit_msg(&m, FAMILY, 328, 77, 77, 1, "old", 1024, false);
	assert_int_equal(ts_parse(m.b, m.len, FAMILY, r, 2), 1);
	assert_int_equal(r[0].tid, 77);
	assert_int_equal(r[0].tgid, 0);
	assert_int_equal(r[0].tgetime_us, 0);
	assert_int_equal(r[0].btime, 1796304321);
	assert_int_equal(r[0].io[IO_WRITE_BYTES], 1024);

	m = (struct msgbuf){ 0 };
	exit_msg(&m, FAMILY, TS_MIN_LEN - 8, 78, 78, 1, "short", 1024, false);
	assert_int_equal(ts_parse(m.b, m.len, FAMILY, r, 2), 0);
}

/* Another family's message, another command, an error: no record. */
static void other_messages_skipped(void **state)
{
	struct msgbuf m = { 0 };
	struct ts_record r[4];
	(void)state;

	exit_msg(&m, FAMILY + 1, 560, 5, 5, 1, "other", 1024, false);
	msg_begin(&m, FAMILY, TS_CMD_GET);
	msg_end(&m);
	msg_begin(&m, 2 /* NLMSG_ERROR */, 0);
	msg_end(&m);
	exit_msg(&m, FAMILY, 560, 6, 6, 1, "mine", 2048, false);
	assert_int_equal(ts_parse(m.b, m.len, FAMILY, r, 4), 1);
	assert_int_equal(r[0].tid, 6);
}

/* More records than room: all counted, max stored. */
static void counts_past_max(void **state)
{
	struct msgbuf m = { 0 };
	struct ts_record r[2];
	(void)state;

	for (int i = 0; i < 3; i++)
		exit_msg(&m, FAMILY, 560, 10 + i, 10 + i, 1, "n", 1024, false);
	assert_int_equal(ts_parse(m.b, m.len, FAMILY, r, 2), 3);
	assert_int_equal(r[1].tid, 11);
}

/* Every prefix of a message and every length field broken: never a read
 * past the end (the test runs under ASan and valgrind too), and a record
 * only when it is whole. */
static void truncated_and_corrupt(void **state)
{
	struct msgbuf m = { 0 };
	struct ts_record r[2];
	(void)state;

	exit_msg(&m, FAMILY, 560, 2501, 2501, 2500, "probeA", 49152, true);
	for (size_t len = 0; len < m.len; len++) {
		unsigned char *copy = malloc(len ? len : 1);
		assert_non_null(copy);
		memcpy(copy, m.b, len);
		assert_int_equal(ts_parse(copy, len, FAMILY, r, 2), 0);
		free(copy);
	}
	for (size_t at = 0; at + 2 <= m.len; at += 2) {
		unsigned char copy[4096];
		memcpy(copy, m.b, m.len);
		set16(copy + at, 0xffff);
		size_t n = ts_parse(copy, m.len, FAMILY, r, 2);
		assert_true(n <= 1);
		if (n)
			assert_true(strlen(r[0].comm) <= 32);
	}
}

static void family_reply(void **state)
{
	struct msgbuf m = { 0 };
	uint16_t id = FAMILY;
	(void)state;

	msg_begin(&m, TS_GENL_ID_CTRL, 1 /* CTRL_CMD_NEWFAMILY */);
	attr(&m, TS_CTRL_ATTR_FAMILY_NAME, "TASKSTATS", 10);
	attr(&m, TS_CTRL_ATTR_FAMILY_ID, &id, 2);
	msg_end(&m);
	assert_int_equal(ts_parse_family(m.b, m.len), FAMILY);

	/* no such family: the kernel's error */
	unsigned char e[36] = { 0 };
	set32(e, sizeof(e));
	set16(e + 4, 2);
	set32(e + 16, (uint32_t)-ENOENT);
	assert_int_equal(ts_parse_family(e, sizeof(e)), -ENOENT);
	/* the registration's acknowledgement: 0, or -EPERM unprivileged */
	set32(e + 16, 0);
	assert_int_equal(ts_parse_ack(e, sizeof(e)), 0);
	set32(e + 16, (uint32_t)-EPERM);
	assert_int_equal(ts_parse_ack(e, sizeof(e)), -EPERM);
	assert_int_equal(ts_parse_ack(m.b, m.len), 1);
	assert_int_equal(ts_parse_family(e, 10), -EINVAL);
}

/* The edges of the one walker of messages and attributes: the last item
 * unpadded at the end of the buffer is read; a length of zero, or one
 * shorter than its header, ends the walk there (never loops). */
static void walk_edges(void **state)
{
	struct msgbuf m = { 0 };
	uint16_t id = FAMILY;
	(void)state;

	msg_begin(&m, TS_GENL_ID_CTRL, 1);
	attr(&m, TS_CTRL_ATTR_FAMILY_ID, &id, 2);
	msg_end(&m);
	/* the family id's two bytes end the buffer: no padding after them */
	size_t unpadded = m.len - 2;
	set32(m.b, (uint32_t)unpadded);
	assert_int_equal(ts_parse_family(m.b, unpadded), FAMILY);

	/* the id's attribute with a length of zero, or shorter than its
	 * header: the walk stops at it, the id is not found */
	struct msgbuf z = { 0 };
	msg_begin(&z, TS_GENL_ID_CTRL, 1);
	attr(&z, TS_CTRL_ATTR_FAMILY_NAME, "TASKSTATS", 10);
	size_t bad = z.len;
	attr(&z, TS_CTRL_ATTR_FAMILY_ID, &id, 2);
	msg_end(&z);
	assert_int_equal(ts_parse_family(z.b, z.len), FAMILY);
	for (uint16_t short_len = 0; short_len < 4; short_len++) {
		set16(z.b + bad, short_len);
		assert_int_equal(ts_parse_family(z.b, z.len), -ENOENT);
	}

	/* a message of length zero (or shorter than its header): none */
	struct msgbuf e = { 0 };
	exit_msg(&e, FAMILY, 560, 2501, 2501, 2500, "probeA", 49152, true);
	struct ts_record r[2];
	assert_int_equal(ts_parse(e.b, e.len, FAMILY, r, 2), 1);
	for (uint32_t short_len = 0; short_len < 16; short_len += 4) {
		set32(e.b, short_len);
		assert_int_equal(ts_parse(e.b, e.len, FAMILY, r, 2), 0);
		assert_int_equal(ts_parse_family(e.b, e.len), -EINVAL);
		assert_int_equal(ts_parse_ack(e.b, e.len), 1);
	}
	/* an unpadded stats attribute ending the message and the buffer */
	struct msgbuf u = { 0 };
	exit_msg(&u, FAMILY, 562, 2502, 2502, 2500, "probeB", 4096, false);
	size_t end = u.len - 2; /* 562 is 2 bytes short of a multiple of 4 */
	set32(u.b, (uint32_t)end);
	set16(u.b + 20, (uint16_t)(end - 20)); /* the AGGR_PID nest, after both headers */
	assert_int_equal(ts_parse(u.b, end, FAMILY, r, 2), 1);
	assert_int_equal(r[0].tid, 2502);
	assert_string_equal(r[0].comm, "probeB");
}

/* The offsets spelt in taskstats.h are the kernel header's. */
static void offsets_match_kernel_header(void **state)
{
	(void)state;
#ifdef HAVE_LINUX_TASKSTATS
	assert_int_equal(TS_OFF_VERSION, offsetof(struct taskstats, version));
	assert_int_equal(TS_OFF_COMM, offsetof(struct taskstats, ac_comm));
	assert_int_equal(TS_OFF_UID, offsetof(struct taskstats, ac_uid));
	assert_int_equal(TS_OFF_GID, offsetof(struct taskstats, ac_gid));
	assert_int_equal(TS_OFF_PID, offsetof(struct taskstats, ac_pid));
	assert_int_equal(TS_OFF_PPID, offsetof(struct taskstats, ac_ppid));
	assert_int_equal(TS_OFF_BTIME, offsetof(struct taskstats, ac_btime));
	assert_int_equal(TS_OFF_ETIME, offsetof(struct taskstats, ac_etime));
	assert_int_equal(TS_OFF_RCHAR, offsetof(struct taskstats, read_char));
	assert_int_equal(TS_OFF_WCHAR, offsetof(struct taskstats, write_char));
	assert_int_equal(TS_OFF_SYSCR, offsetof(struct taskstats, read_syscalls));
	assert_int_equal(TS_OFF_SYSCW, offsetof(struct taskstats, write_syscalls));
	assert_int_equal(TS_OFF_READ_BYTES, offsetof(struct taskstats, read_bytes));
	assert_int_equal(TS_OFF_WRITE_BYTES, offsetof(struct taskstats, write_bytes));
	assert_int_equal(TS_OFF_CANCELLED, offsetof(struct taskstats, cancelled_write_bytes));
	assert_int_equal(TS_OFF_BTIME64, offsetof(struct taskstats, ac_btime64));
	assert_int_equal(TS_OFF_TGID, offsetof(struct taskstats, ac_tgid));
	assert_int_equal(TS_OFF_TGETIME, offsetof(struct taskstats, ac_tgetime));
	assert_int_equal(TS_CMD_NEW, TASKSTATS_CMD_NEW);
	assert_int_equal(TS_TYPE_AGGR_PID, TASKSTATS_TYPE_AGGR_PID);
	assert_int_equal(TS_TYPE_AGGR_TGID, TASKSTATS_TYPE_AGGR_TGID);
	assert_int_equal(TS_CMD_ATTR_REGISTER_CPUMASK, TASKSTATS_CMD_ATTR_REGISTER_CPUMASK);
#else
	skip();
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_record),
		cmocka_unit_test(last_thread_marks_group_end),
		cmocka_unit_test(older_and_shorter_records),
		cmocka_unit_test(other_messages_skipped),
		cmocka_unit_test(counts_past_max),
		cmocka_unit_test(truncated_and_corrupt),
		cmocka_unit_test(family_reply),
		cmocka_unit_test(walk_edges),
		cmocka_unit_test(offsets_match_kernel_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
