/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of iopstat's groups (--group-by): counters that start as the
 * kernel's sums, grow by what members do, keep what exited members did,
 * take a reaped child's totals back from its reaper, and never go down; a
 * simulated kernel with forks, exits and reaps checks all of it at random.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "groups.h"
#include "iopcli/cli.h"
#include "sample.h"
#include "fixture.h"

#define TICKS 100

struct task {
	int pid, ppid;
	unsigned long long start;
	const char *comm;
	unsigned long long io; /* write_bytes, as the kernel shows it */
	unsigned flags;
};

/* A snapshot of tasks (sorted by pid), taken at uptime seconds. */
static void snap_of(struct scan_snapshot *s, const struct task *t, size_t n, double uptime)
{
	s->n = 0;
	s->names_len = 0;
	s->uptime = uptime;
	s->when = 1000 + uptime;
	s->mono = uptime;
	for (size_t i = 0; i < n; i++) {
		struct scan_row *rows = cli_grow(s->rows, &s->cap, s->n + 1, sizeof(*rows), 16);
		assert_non_null(rows);
		s->rows = rows;
		struct scan_row *r = &rows[s->n];
		*r = (struct scan_row){ .pid = t[i].pid, .ppid = t[i].ppid, .start = t[i].start,
					.prio = -1, .flags = (unsigned short)t[i].flags };
		r->io[IO_WRITE_BYTES] = t[i].io;
		r->io[IO_RCHAR] = t[i].io * 2;
		assert_int_equal(scan_add_names(s, r, t[i].comm, NULL), 0);
		s->n++;
	}
}

static const struct group *group(const struct groups *g, const char *key)
{
	for (size_t i = 0; i < g->n; i++)
		if (!strcmp(g->v[i].key, key))
			return &g->v[i];
	return NULL;
}

static unsigned long long written(const struct groups *g, const char *key)
{
	const struct group *grp = group(g, key);
	assert_non_null(grp);
	return (unsigned long long)grp->acc[IO_WRITE_BYTES];
}

static struct scan_snapshot a, b;
static struct base base;

static int teardown(void **state)
{
	(void)state;
	scan_snapshot_free(&a);
	scan_snapshot_free(&b);
	base_free(&base);
	return 0;
}

/* The first scan: every group is the kernel's sum over its members. */
static void starts_as_the_kernels_sums(void **state)
{
	struct groups g = { .by = GROUP_COMM };
	(void)state;
	struct task t[] = { { 10, 1, 5, "tar", 100, 0 }, { 11, 1, 5, "tar", 50, 0 },
			    { 12, 1, 5, "gzip", 7, 0 } };
	snap_of(&a, t, 3, 100);
	assert_int_equal(groups_start(&g, &a), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(written(&g, "tar"), 150);
	assert_int_equal(written(&g, "gzip"), 7);
	assert_int_equal(group(&g, "tar")->members, 2);
	assert_true(group(&g, "tar")->acc[IO_RCHAR] == 300);
	groups_free(&g);
}

/* Members that go on, exit, are born, reset, or were not seen before. */
static void grows_and_keeps(void **state)
{
	struct groups g = { .by = GROUP_COMM };
	(void)state;
	struct task t0[] = { { 10, 1, 5, "w", 100, 0 }, { 11, 1, 5, "w", 50, 0 },
			     { 12, 1, 5, "w", 30, 0 } };
	struct task t1[] = {
		{ 10, 1, 5, "w", 160, 0 },    /* +60 */
		/* 11 exited: it keeps its 50 */
		{ 12, 1, 5, "w", 4, 0 },      /* went down: reset, counts from 0: +4 */
		{ 13, 1, 10050, "w", 25, 0 }, /* born in between: all of it */
		{ 14, 1, 600, "w", 999, 0 },  /* alive before, not seen: from the next step */
	};
	snap_of(&a, t0, 3, 100);
	assert_int_equal(groups_start(&g, &a), 0);
	assert_int_equal(base_keep(&base, &a), 0);
	snap_of(&b, t1, 4, 101);
	assert_int_equal(groups_step(&g, &base, &b, NULL, TICKS), 0);
	assert_int_equal(written(&g, "w"), 180 + 60 + 4 + 25);
	assert_true(group(&g, "w")->delta[IO_WRITE_BYTES] == 60 + 4 + 25);
	assert_int_equal(group(&g, "w")->members, 4);
	/* 14 counts from here on */
	assert_int_equal(base_keep(&base, &b), 0);
	t1[3].io = 1009;
	snap_of(&a, t1, 4, 102);
	assert_int_equal(groups_step(&g, &base, &a, NULL, TICKS), 0);
	assert_int_equal(written(&g, "w"), 269 + 10);
	groups_free(&g);
}

/* A child reaped by a parent of the same group: the parent's jump is the
 * child's I/O again, taken back, whichever scan it shows in. */
static void a_reaped_child_counts_once(void **state)
{
	struct groups g = { .by = GROUP_COMM };
	(void)state;
	struct task t0[] = { { 20, 1, 5, "job", 100, 0 }, { 21, 20, 6, "job", 40, 0 } };
	/* the parent read before the reap: the child gone, no jump yet */
	struct task t1[] = { { 20, 1, 5, "job", 103, 0 } };
	/* the next scan: the jump (40), and 2 of its own */
	struct task t2[] = { { 20, 1, 5, "job", 145, 0 } };
	snap_of(&a, t0, 2, 100);
	assert_int_equal(groups_start(&g, &a), 0);
	assert_int_equal(written(&g, "job"), 140);
	assert_int_equal(base_keep(&base, &a), 0);
	snap_of(&b, t1, 1, 101);
	assert_int_equal(groups_step(&g, &base, &b, NULL, TICKS), 0);
	unsigned long long after1 = written(&g, "job");
	assert_true(after1 >= 140 && after1 <= 143); /* never down */
	assert_int_equal(base_keep(&base, &b), 0);
	snap_of(&a, t2, 1, 102);
	assert_int_equal(groups_step(&g, &base, &a, NULL, TICKS), 0);
	assert_int_equal(written(&g, "job"), 145); /* = the kernel's own count now */
	assert_int_equal(g.npend, 0);

	/* the reap seen in the same scan as the child's end */
	struct task u0[] = { { 30, 1, 5, "job2", 10, 0 }, { 31, 30, 7, "job2", 70, 0 } };
	struct task u1[] = { { 30, 1, 5, "job2", 81, 0 } };
	snap_of(&a, u0, 2, 200);
	struct groups h = { .by = GROUP_COMM };
	assert_int_equal(groups_start(&h, &a), 0);
	assert_int_equal(base_keep(&base, &a), 0);
	snap_of(&b, u1, 1, 201);
	assert_int_equal(groups_step(&h, &base, &b, NULL, TICKS), 0);
	assert_int_equal(written(&h, "job2"), 81);

	/* a zombie reaped while the scan ran: still in the scan, marked */
	struct task v0[] = { { 40, 1, 5, "z", 5, 0 }, { 41, 40, 9, "z", 20, ROW_ZOMBIE } };
	struct task v1[] = { { 40, 1, 5, "z", 25, 0 }, { 41, 40, 9, "z", 20, ROW_ZOMBIE | ROW_REAPED } };
	struct task v2[] = { { 40, 1, 5, "z", 25, 0 } };
	struct groups z = { .by = GROUP_COMM };
	snap_of(&a, v0, 2, 300);
	assert_int_equal(groups_start(&z, &a), 0);
	assert_int_equal(base_keep(&base, &a), 0);
	snap_of(&b, v1, 2, 301);
	assert_int_equal(groups_step(&z, &base, &b, NULL, TICKS), 0);
	assert_int_equal(written(&z, "z"), 25);
	assert_int_equal(base_keep(&base, &b), 0);
	snap_of(&a, v2, 1, 302); /* gone now: not handed over twice */
	assert_int_equal(groups_step(&z, &base, &a, NULL, TICKS), 0);
	assert_int_equal(written(&z, "z"), 25);
	groups_free(&g);
	groups_free(&h);
	groups_free(&z);
}

/* Not taken back: from a parent that ignores SIGCHLD (the kernel adds the
 * I/O to nobody), nor from a process that reuses the parent's pid. */
static void no_take_back_without_a_reap(void **state)
{
	struct groups g = { .by = GROUP_COMM };
	struct proc_root root;
	(void)state;
	fixture_file("50/status", "Name:\tp\nSigIgn:\t0000000000010000\n");
	assert_int_equal(proc_root_open(&root, fixture_root), 0);
	struct task t0[] = { { 50, 1, 5, "p", 100, 0 }, { 51, 50, 6, "p", 40, 0 },
			     { 60, 1, 5, "q", 0, 0 }, { 61, 60, 6, "q", 40, 0 } };
	/* 50 ignores SIGCHLD: its own 9 are its own.  60 exited and its pid
	 * went to a process started after 61: not 61's parent */
	struct task t1[] = { { 50, 1, 5, "p", 109, 0 }, { 60, 1, 10050, "q", 9, 0 } };
	snap_of(&a, t0, 4, 100);
	assert_int_equal(groups_start(&g, &a), 0);
	assert_int_equal(base_keep(&base, &a), 0);
	snap_of(&b, t1, 2, 101);
	assert_int_equal(groups_step(&g, &base, &b, &root, TICKS), 0);
	assert_int_equal(written(&g, "p"), 149);
	assert_int_equal(written(&g, "q"), 49);
	assert_int_equal(g.npend, 0);
	proc_root_close(&root);
	groups_free(&g);
}

/* Groups by user, cgroup and unit; a group without members expires. */
static void keys_and_expiry(void **state)
{
	struct groups g = { .by = GROUP_UNIT, .expire = 60 };
	char buf[64];
	(void)state;
	struct scan_row r = { .pid = 1 };
	snap_of(&a, NULL, 0, 10);
	assert_int_equal(scan_add_names(&a, &r, "cron", "/system.slice/cron.service"), 0);
	assert_string_equal(groups_key_of(&g, &a, &r, buf, sizeof(buf)), "cron.service");
	g.by = GROUP_CGROUP;
	assert_string_equal(groups_key_of(&g, &a, &r, buf, sizeof(buf)), "/system.slice/cron.service");
	assert_int_equal(scan_add_names(&a, &r, "init", "/"), 0);
	g.by = GROUP_UNIT;
	assert_string_equal(groups_key_of(&g, &a, &r, buf, sizeof(buf)), "-");
	r.flags = 0; /* no cgroup read */
	assert_string_equal(groups_key_of(&g, &a, &r, buf, sizeof(buf)), "-");
	g.by = GROUP_USER;
	r.uid = 0;
	assert_string_equal(groups_key_of(&g, &a, &r, buf, sizeof(buf)), "root");

	/* keys as a terminal shows them: two names that invalid UTF-8 would
	 * make alike stay two groups; the kernel's workers are one */
	g.by = GROUP_COMM;
	struct task odd[] = { { 80, 1, 5, "\xffqN", 1, 0 }, { 81, 1, 5, "\xfeqN", 2, 0 },
			      { 82, 2, 5, "kworker/1:2-events", 3, 0 },
			      { 83, 2, 5, "kworker/u8:0-loop0", 4, 0 }, { 84, 1, 5, "a\\b", 5, 0 } };
	struct groups o = { .by = GROUP_COMM };
	snap_of(&a, odd, 5, 100);
	assert_int_equal(groups_start(&o, &a), 0);
	assert_int_equal(o.n, 4);
	assert_int_equal(written(&o, "\\xffqN"), 1);
	assert_int_equal(written(&o, "\\xfeqN"), 2);
	assert_int_equal(written(&o, "kworker"), 7);
	assert_int_equal(written(&o, "a\\\\b"), 5); /* a backslash, escaped */
	groups_free(&o);

	struct task t0[] = { { 70, 1, 5, "gone", 5, 0 }, { 71, 1, 5, "stays", 5, 0 } };
	struct task t1[] = { { 71, 1, 5, "stays", 6, 0 } };
	snap_of(&a, t0, 2, 100);
	assert_int_equal(groups_start(&g, &a), 0);
	for (int i = 1; i <= 3; i++) { /* 30 s, 61 s, 92 s without members */
		assert_int_equal(base_keep(&base, &a), 0);
		snap_of(&a, t1, 1, 100 + 31 * i - (i > 1 ? 0 : 0));
		a.when = 1100 + (i == 1 ? 30 : i == 2 ? 61 : 92);
		assert_int_equal(groups_step(&g, &base, &a, NULL, TICKS), 0);
		if (i < 3)
			assert_non_null(group(&g, "gone")); /* kept: its counter stays */
	}
	assert_null(group(&g, "gone"));
	assert_int_equal(written(&g, "stays"), 6);
	/* the index still finds what stayed, and takes new keys */
	assert_non_null(groups_get(&g, "stays"));
	assert_int_equal(g.n, 1);
	for (int i = 0; i < 200; i++) {
		snprintf(buf, sizeof(buf), "k%d", i);
		assert_non_null(groups_get(&g, buf));
	}
	assert_int_equal(g.n, 201);
	assert_ptr_equal(groups_get(&g, "k150"), group(&g, "k150"));
	groups_free(&g);
}

/* --- a simulated kernel ------------------------------------------------------- */

struct simproc {
	int pid, ppid;
	int group;                /* index into names */
	unsigned long long start; /* ticks */
	unsigned long long own;   /* what it did itself */
	unsigned long long reaped; /* what its reaped children did (their totals) */
	unsigned long long own_first, kio_first; /* own, and as the kernel showed it, at the first scan */
	bool born_later, alive, zombie, seen, gone;
};

static unsigned rnd(unsigned *x)
{
	*x = *x * 1103515245u + 12345u;
	return *x >> 8;
}

/* Forks, I/O, exits and reaps at random between scans: every group's
 * counter never goes down and, at the end, is what its processes did,
 * each byte counted once. */
static void simulated_kernel(void **state)
{
	static const char *const names[] = { "a", "b", "c" };
	enum { MAXP = 400 };
	static struct simproc p[MAXP];
	static struct task t[MAXP];
	unsigned x = 42;
	(void)state;
	for (int round = 0; round < 20; round++) {
		struct groups g = { .by = GROUP_COMM };
		int np = 0;
		double up = 100;
		memset(p, 0, sizeof(p));
		/* a few trees to start with, with a past */
		for (int i = 0; i < 6; i++, np++)
			p[np] = (struct simproc){ .pid = 100 + np, .ppid = i ? 100 + (int)(rnd(&x) % (unsigned)np) : 1,
						  .group = (int)(rnd(&x) % 3), .start = 500,
						  .own = rnd(&x) % 1000, .alive = true };
		cli_u128 last[3] = { 0 };
		for (int step = 0; step <= 40; step++) {
			/* the scan: the living and the zombies */
			size_t n = 0;
			for (int i = 0; i < np; i++) {
				if (!(p[i].alive || p[i].zombie))
					continue;
				t[n++] = (struct task){ p[i].pid, p[i].ppid, p[i].start, names[p[i].group],
							p[i].own + p[i].reaped, p[i].zombie ? ROW_ZOMBIE : 0 };
				if (step == 0) {
					p[i].own_first = p[i].own;
					p[i].kio_first = p[i].own + p[i].reaped;
				}
				p[i].seen = true;
			}
			snap_of(&b, t, n, up);
			if (step == 0)
				assert_int_equal(groups_start(&g, &b), 0);
			else
				assert_int_equal(groups_step(&g, &base, &b, NULL, TICKS), 0);
			for (int k = 0; k < 3; k++) {
				const struct group *grp = group(&g, names[k]);
				cli_u128 now = grp ? grp->acc[IO_WRITE_BYTES] : 0;
				assert_true(now >= last[k]); /* never down */
				last[k] = now;
			}
			assert_int_equal(base_keep(&base, &b), 0);
			if (step == 40)
				break;
			/* between scans: I/O, exits, reaps, forks */
			for (int i = 0; i < np; i++) {
				if (!p[i].alive)
					continue;
				switch (rnd(&x) % 8) {
				case 0: /* it ends (its parent reaps it at some scan to come) */
					p[i].alive = false;
					p[i].zombie = true;
					break;
				case 1:
				case 2:
					p[i].own += rnd(&x) % 500;
					break;
				case 3:
					if (np < MAXP) {
						p[np] = (struct simproc){ .pid = 100 + np, .ppid = p[i].pid,
									  .group = (int)(rnd(&x) % 3),
									  .start = (unsigned long long)(up * TICKS) + 1,
									  .born_later = true, .alive = true };
						np++;
					}
					break;
				default:
					break;
				}
			}
			for (int i = 0; i < np; i++) {
				if (!p[i].zombie || rnd(&x) % 2)
					continue;
				/* reaped by its parent when that one lives, else by init */
				for (int j = 0; j < np; j++)
					if (p[j].pid == p[i].ppid && p[j].alive)
						p[j].reaped += p[i].own + p[i].reaped;
				p[i].zombie = false;
				p[i].gone = true;
			}
			/* an orphan's parent is init from now on */
			for (int i = 0; i < np; i++)
				for (int j = 0; j < np; j++)
					if ((p[i].alive || p[i].zombie) && p[j].pid == p[i].ppid &&
					    !p[j].alive && !p[j].zombie)
						p[i].ppid = 1;
			up += 1;
		}
		/* each group: for a process there at the first scan, the kernel's
		 * count then (children reaped before included) and what it did
		 * itself since; for one born later, all it did itself.  A child's
		 * I/O is in its own group only, never again in its reaper's. */
		for (int k = 0; k < 3; k++) {
			cli_u128 want = 0;
			for (int i = 0; i < np; i++) {
				if (p[i].group != k || !p[i].seen)
					continue;
				want += p[i].born_later ? p[i].own
							: p[i].kio_first + p[i].own - p[i].own_first;
			}
			const struct group *grp = group(&g, names[k]);
			cli_u128 got = grp ? grp->acc[IO_WRITE_BYTES] : 0;
			if (got != want)
				fail_msg("round %d, group %s: %llu, want %llu", round, names[k],
					 (unsigned long long)got, (unsigned long long)want);
		}
		groups_free(&g);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(starts_as_the_kernels_sums, teardown),
		cmocka_unit_test_teardown(grows_and_keeps, teardown),
		cmocka_unit_test_teardown(a_reaped_child_counts_once, teardown),
		cmocka_unit_test_setup_teardown(no_take_back_without_a_reap, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_teardown(keys_and_expiry, teardown),
		cmocka_unit_test_teardown(simulated_kernel, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
