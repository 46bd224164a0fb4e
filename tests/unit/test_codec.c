/* SPDX-License-Identifier: MIT */
/* Unit tests of libioprio's pure functions: encoding, names, mappings. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <libioprio.h>

#ifndef SCHED_IDLE
#define SCHED_IDLE 5
#endif
#define SCHED_DEADLINE_ 6
#define RESET_ON_FORK 0x40000000

static void encode_valid(void **state)
{
	(void)state;
	for (int cls = 0; cls < 4; cls++)
		for (int level = 0; level < 8; level++)
			for (int hint = 0; hint <= IOP_HINT_MAX; hint++) {
				if (cls == IOP_CLASS_NONE && level)
					continue;
				assert_int_equal(iop_encode(cls, level, hint),
						 cls * 8192 + hint * 8 + level);
			}
	/* the values util-linux users know */
	assert_int_equal(iop_encode(IOP_CLASS_BE, 4, 0), 0x4004);
	assert_int_equal(iop_encode(IOP_CLASS_IDLE, 0, 0), 0x6000);
	assert_int_equal(iop_encode(IOP_CLASS_RT, 0, 0), 0x2000);
	assert_int_equal(iop_encode(IOP_CLASS_NONE, 0, 0), 0);
	assert_int_equal(iop_encode(IOP_CLASS_IDLE, 7, IOP_HINT_MAX), IOP_VALUE_MAX);
}

static void encode_rejects_out_of_range(void **state)
{
	static const int bad_class[] = { -1, 4, 7, 8, INT_MAX, INT_MIN };
	static const int bad_level[] = { -1, 8, 16, INT_MAX, INT_MIN };
	static const int bad_hint[] = { -1, 1024, 8192, INT_MAX, INT_MIN };
	(void)state;
	for (size_t i = 0; i < sizeof(bad_class) / sizeof(*bad_class); i++)
		assert_int_equal(iop_encode(bad_class[i], 0, 0), -EINVAL);
	for (size_t i = 0; i < sizeof(bad_level) / sizeof(*bad_level); i++)
		for (int cls = 0; cls < 4; cls++)
			assert_int_equal(iop_encode(cls, bad_level[i], 0), -EINVAL);
	for (size_t i = 0; i < sizeof(bad_hint) / sizeof(*bad_hint); i++)
		assert_int_equal(iop_encode(IOP_CLASS_BE, 0, bad_hint[i]), -EINVAL);
	/* class none carries no level: the kernel refuses it */
	for (int level = 1; level < 8; level++)
		assert_int_equal(iop_encode(IOP_CLASS_NONE, level, 0), -EINVAL);
	assert_int_equal(iop_encode(IOP_CLASS_NONE, 0, 3), 3 << 3);
}

/* decode accepts exactly what encode produces, and gives back its parts */
static void decode_is_inverse_of_encode(void **state)
{
	int accepted = 0;
	(void)state;
	for (int v = -2; v <= 0x10001; v++) {
		struct iop_prio p = { -9, -9, -9 };
		int r = iop_decode(v, &p);
		if (r == 0) {
			accepted++;
			assert_int_equal(iop_encode(p.cls, p.level, p.hint), v);
		} else {
			assert_int_equal(r, -EINVAL);
			assert_int_equal(p.cls, -9); /* untouched on error */
		}
	}
	/* 4 classes x 1024 hints x 8 levels, less class none's levels 1..7 */
	assert_int_equal(accepted, 4 * 1024 * 8 - 1024 * 7);

	struct iop_prio p;
	assert_int_equal(iop_decode(0x4004, &p), 0);
	assert_int_equal(p.cls, IOP_CLASS_BE);
	assert_int_equal(p.level, 4);
	assert_int_equal(p.hint, 0);
	assert_int_equal(iop_decode(0x4000 | 5 << 3 | 2, &p), 0);
	assert_int_equal(p.hint, 5);
	assert_int_equal(p.level, 2);
	/* class bits 4..7 and values past 16 bits are not wrapped into a class */
	assert_int_equal(iop_decode(4 << 13, &p), -EINVAL);
	assert_int_equal(iop_decode(1 << 16, &p), -EINVAL);
	assert_int_equal(iop_decode(INT_MAX, &p), -EINVAL);
	assert_int_equal(iop_decode(INT_MIN, &p), -EINVAL);
	assert_int_equal(iop_decode(3, &p), -EINVAL); /* none with level 3 */
	assert_int_equal(iop_decode(0x2007, NULL), 0);
}

static void class_parse(void **state)
{
	static const struct {
		const char *in;
		int want;
	} cases[] = {
		{ "0", 0 }, { "1", 1 }, { "2", 2 }, { "3", 3 }, { "002", 2 },
		{ "none", 0 }, { "NONE", 0 }, { "None", 0 },
		{ "realtime", 1 }, { "RealTime", 1 }, { "rt", 1 }, { "RT", 1 },
		{ "best-effort", 2 }, { "Best-Effort", 2 }, { "be", 2 }, { "BE", 2 },
		{ "idle", 3 }, { "IDLE", 3 },
		{ "4", -EINVAL }, { "10", -EINVAL }, { "-1", -EINVAL }, { "+1", -EINVAL },
		{ " 1", -EINVAL }, { "1 ", -EINVAL }, { "", -EINVAL }, { "2x", -EINVAL },
		{ "0x2", -EINVAL }, { "99999999999999999999", -EINVAL },
		{ "besteffort", -EINVAL }, { "best_effort", -EINVAL }, { "real", -EINVAL },
		{ "idle ", -EINVAL }, { "b", -EINVAL }, { "r", -EINVAL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int got = iop_class_parse(cases[i].in);
		if (got != cases[i].want)
			fail_msg("iop_class_parse(\"%s\") = %d, want %d", cases[i].in, got,
				 cases[i].want);
	}
	assert_int_equal(iop_class_parse(NULL), -EINVAL);
}

static void class_names(void **state)
{
	(void)state;
	assert_string_equal(iop_class_name(IOP_CLASS_NONE), "none");
	assert_string_equal(iop_class_name(IOP_CLASS_RT), "realtime");
	assert_string_equal(iop_class_name(IOP_CLASS_BE), "best-effort");
	assert_string_equal(iop_class_name(IOP_CLASS_IDLE), "idle");
	assert_null(iop_class_name(-1));
	assert_null(iop_class_name(4));
	assert_null(iop_class_name(INT_MIN));
	assert_string_equal(iop_class_abbrev(IOP_CLASS_NONE), "none");
	assert_string_equal(iop_class_abbrev(IOP_CLASS_RT), "rt");
	assert_string_equal(iop_class_abbrev(IOP_CLASS_BE), "be");
	assert_string_equal(iop_class_abbrev(IOP_CLASS_IDLE), "idle");
	assert_null(iop_class_abbrev(-1));
	assert_null(iop_class_abbrev(4));
	/* every name parses back to its class */
	for (int cls = 0; cls < IOP_CLASS_COUNT; cls++) {
		assert_int_equal(iop_class_parse(iop_class_name(cls)), cls);
		assert_int_equal(iop_class_parse(iop_class_abbrev(cls)), cls);
	}
}

static void hint_parse_and_name(void **state)
{
	static const struct {
		const char *in;
		int want;
	} cases[] = {
		{ "0", 0 }, { "1", 1 }, { "7", 7 }, { "8", 8 }, { "1023", 1023 },
		{ "none", 0 }, { "NONE", 0 },
		{ "dev-duration-limit-1", 1 }, { "DEV-DURATION-LIMIT-7", 7 },
		{ "cdl1", 1 }, { "CDL7", 7 }, { "cdl4", 4 },
		{ "1024", -EINVAL }, { "-1", -EINVAL }, { "", -EINVAL }, { "cdl", -EINVAL },
		{ "cdl0", -EINVAL }, { "cdl8", -EINVAL }, { "cdl-1", -EINVAL },
		{ "dev-duration-limit-8", -EINVAL }, { "dev-duration-limit-0", -EINVAL },
		{ "3 ", -EINVAL }, { "x", -EINVAL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int got = iop_hint_parse(cases[i].in);
		if (got != cases[i].want)
			fail_msg("iop_hint_parse(\"%s\") = %d, want %d", cases[i].in, got,
				 cases[i].want);
	}
	assert_int_equal(iop_hint_parse(NULL), -EINVAL);

	assert_string_equal(iop_hint_name(0), "none");
	assert_string_equal(iop_hint_name(1), "dev-duration-limit-1");
	assert_string_equal(iop_hint_name(7), "dev-duration-limit-7");
	assert_null(iop_hint_name(8));
	assert_null(iop_hint_name(1023));
	assert_null(iop_hint_name(-1));
	for (int h = 0; h <= 7; h++)
		assert_int_equal(iop_hint_parse(iop_hint_name(h)), h);
}

/* All 40 nice values, against a table written out by hand. */
static void nice_to_level_all_forty(void **state)
{
	static const int want[40] = {
		/* -20..-16 */ 0, 0, 0, 0, 0, /* -15..-11 */ 1, 1, 1, 1, 1,
		/* -10..-6 */ 2, 2, 2, 2, 2,  /* -5..-1 */ 3, 3, 3, 3, 3,
		/* 0..4 */ 4, 4, 4, 4, 4,     /* 5..9 */ 5, 5, 5, 5, 5,
		/* 10..14 */ 6, 6, 6, 6, 6,   /* 15..19 */ 7, 7, 7, 7, 7,
	};
	(void)state;
	for (int nice = -20; nice <= 19; nice++) {
		int got = iop_nice_to_level(nice);
		if (got != want[nice + 20])
			fail_msg("nice %d: level %d, want %d", nice, got, want[nice + 20]);
	}
	/* out-of-range nice is clamped, never wrapped */
	assert_int_equal(iop_nice_to_level(-21), 0);
	assert_int_equal(iop_nice_to_level(INT_MIN), 0);
	assert_int_equal(iop_nice_to_level(20), 7);
	assert_int_equal(iop_nice_to_level(INT_MAX), 7);
}

static void policy_to_class(void **state)
{
	(void)state;
	assert_int_equal(iop_policy_to_class(SCHED_OTHER), IOP_CLASS_BE);
	assert_int_equal(iop_policy_to_class(SCHED_BATCH), IOP_CLASS_BE);
	assert_int_equal(iop_policy_to_class(SCHED_FIFO), IOP_CLASS_RT);
	assert_int_equal(iop_policy_to_class(SCHED_RR), IOP_CLASS_RT);
	assert_int_equal(iop_policy_to_class(SCHED_DEADLINE_), IOP_CLASS_RT);
	assert_int_equal(iop_policy_to_class(SCHED_IDLE), IOP_CLASS_IDLE);
	assert_int_equal(iop_policy_to_class(SCHED_FIFO | RESET_ON_FORK), IOP_CLASS_RT);
	assert_int_equal(iop_policy_to_class(SCHED_RR | RESET_ON_FORK), IOP_CLASS_RT);
	assert_int_equal(iop_policy_to_class(SCHED_IDLE | RESET_ON_FORK), IOP_CLASS_IDLE);
	assert_int_equal(iop_policy_to_class(SCHED_OTHER | RESET_ON_FORK), IOP_CLASS_BE);
	assert_int_equal(iop_policy_to_class(7), IOP_CLASS_BE); /* sched_ext: fair */
	assert_int_equal(iop_policy_to_class(-1), -EINVAL);
	assert_int_equal(iop_policy_to_class(INT_MIN), -EINVAL);
}

static void effective_value(void **state)
{
	static const int policies[] = { SCHED_OTHER, SCHED_BATCH, SCHED_FIFO, SCHED_RR,
					SCHED_DEADLINE_, SCHED_IDLE };
	static const int want_cls[] = { IOP_CLASS_BE, IOP_CLASS_BE, IOP_CLASS_RT, IOP_CLASS_RT,
					IOP_CLASS_RT, IOP_CLASS_IDLE };
	(void)state;
	/* a set class wins over nice and policy, hint and all */
	int set[] = { 0x2000, 0x4007, 0x6000, 0x4000 | 3 << 3 | 1, 0x6005 };
	for (size_t i = 0; i < sizeof(set) / sizeof(*set); i++)
		for (int nice = -20; nice <= 19; nice += 13)
			assert_int_equal(iop_effective_value(set[i], nice, SCHED_FIFO), set[i]);
	/* class none: from nice and policy; a hint on class none is dropped */
	for (size_t p = 0; p < sizeof(policies) / sizeof(*policies); p++)
		for (int nice = -20; nice <= 19; nice++) {
			int want = want_cls[p] << 13 | iop_nice_to_level(nice);
			assert_int_equal(iop_effective_value(0, nice, policies[p]), want);
			assert_int_equal(iop_effective_value(2 << 3, nice, policies[p]), want);
		}
	assert_int_equal(iop_effective_value(0, 0, SCHED_OTHER), 0x4004);
	assert_int_equal(iop_effective_value(0, 19, SCHED_IDLE), 0x6007);
	assert_int_equal(iop_effective_value(-1, 0, 0), -EINVAL);
	assert_int_equal(iop_effective_value(1 << 16, 0, 0), -EINVAL);
	assert_int_equal(iop_effective_value(0, 0, -1), -EINVAL);
}

static void format_short(void **state)
{
	static const struct {
		int value;
		const char *text;
	} cases[] = {
		{ 0, "none" }, { 0x2000, "rt/0" }, { 0x2007, "rt/7" }, { 0x4004, "be/4" },
		{ 0x4000, "be/0" }, { 0x6000, "idle" }, { 0x6007, "idle" },
		{ 0x4000 | 2 << 3 | 4, "be/4+cdl2" }, { 0x2000 | 7 << 3, "rt/0+cdl7" },
		{ 0x4000 | 8 << 3 | 1, "be/1+8" }, { 0x6000 | 1023 << 3 | 7, "idle+1023" },
		{ 1 << 3, "none+cdl1" }, { 1023 << 3, "none+1023" },
	};
	char buf[IOP_FORMAT_MAX];
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		memset(buf, 'x', sizeof(buf));
		assert_int_equal(iop_format(cases[i].value, buf, sizeof(buf)),
				 (int)strlen(cases[i].text));
		assert_string_equal(buf, cases[i].text);
	}
	/* every valid value fits IOP_FORMAT_MAX and parses back as what it says */
	for (int v = 0; v <= IOP_VALUE_MAX; v++) {
		struct iop_prio p;
		int n = iop_format(v, buf, sizeof(buf));
		if (iop_decode(v, &p) < 0) {
			assert_int_equal(n, -EINVAL);
			continue;
		}
		assert_true(n > 0 && n < IOP_FORMAT_MAX);
		assert_int_equal(strlen(buf), (size_t)n);
		assert_int_equal(strncmp(buf, iop_class_abbrev(p.cls), strlen(iop_class_abbrev(p.cls))), 0);
		assert_true((strchr(buf, '+') != NULL) == (p.hint != 0));
	}
	/* invalid values, and a buffer too small: nothing half-written */
	assert_int_equal(iop_format(-1, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(iop_format(0x8000, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(iop_format(5, buf, sizeof(buf)), -EINVAL); /* none with a level */
	strcpy(buf, "keep");
	assert_int_equal(iop_format(0x4004, buf, 4), -ENOSPC);
	assert_string_equal(buf, "");
	assert_int_equal(iop_format(0x4004, buf, 5), 4);
	assert_string_equal(buf, "be/4");
	assert_int_equal(iop_format(0x4004, NULL, 0), -ENOSPC);
}

static void split_any_value(void **state)
{
	struct iop_prio p = { -1, -1, -1 };
	(void)state;
	/* what the bits say, valid or not: for showing what the kernel returned */
	assert_int_equal(iop_split(0x4000 | 5 << 3 | 6, &p), 0);
	assert_int_equal(p.cls, IOP_CLASS_BE);
	assert_int_equal(p.hint, 5);
	assert_int_equal(p.level, 6);
	assert_int_equal(iop_split(5, &p), 0); /* none with a level: iop_decode refuses */
	assert_int_equal(p.cls, IOP_CLASS_NONE);
	assert_int_equal(p.level, 5);
	assert_int_equal(iop_split(0xe003, &p), 0); /* class 7 */
	assert_int_equal(p.cls, 7);
	assert_int_equal(p.level, 3);
	assert_int_equal(iop_split(0xffff, NULL), 0);
	p.cls = -1;
	assert_int_equal(iop_split(-1, &p), -EINVAL);
	assert_int_equal(iop_split(0x10000, &p), -EINVAL);
	assert_int_equal(p.cls, -1); /* untouched */
	for (int v = 0; v <= IOP_VALUE_MAX; v++) {
		struct iop_prio d;
		if (iop_decode(v, &d) == 0) {
			assert_int_equal(iop_split(v, &p), 0);
			assert_memory_equal(&p, &d, sizeof(p));
		}
	}
}

static void version(void **state)
{
	char want[32];
	(void)state;
	snprintf(want, sizeof(want), "%d.%d.%d", IOP_VERSION_MAJOR, IOP_VERSION_MINOR,
		 IOP_VERSION_PATCH);
	assert_string_equal(iop_version(), want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(encode_valid),
		cmocka_unit_test(encode_rejects_out_of_range),
		cmocka_unit_test(decode_is_inverse_of_encode),
		cmocka_unit_test(class_parse),
		cmocka_unit_test(class_names),
		cmocka_unit_test(hint_parse_and_name),
		cmocka_unit_test(nice_to_level_all_forty),
		cmocka_unit_test(policy_to_class),
		cmocka_unit_test(effective_value),
		cmocka_unit_test(format_short),
		cmocka_unit_test(split_any_value),
		cmocka_unit_test(version),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
