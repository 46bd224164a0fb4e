/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the selection (lib/iopcli/select.c) on fixture procfs
 * trees: the criteria combined as pgrep's, the regex on the name or the
 * command line, descendants by ppid and start time, the later passes that
 * find what appeared meanwhile, and the start-time check.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "iopcli/proc.h"
#include "iopcli/select.h"
#include "fixture.h"

/* <pid>/stat and <pid>/cmdline: the arguments separated by '|' in
 * cmdline, written with NULs; NULL for none (an empty file) */
static void task(int pid, int ppid, int pgrp, const char *comm, unsigned long long start,
		 const char *cmdline)
{
	char rel[64], path[PATH_MAX + 64];

	snprintf(rel, sizeof(rel), "%d/stat", pid);
	fixture_file(rel, fixture_stat_family(pid, ppid, pgrp, comm, start));
	snprintf(path, sizeof(path), "%s/%d/cmdline", fixture_root, pid);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (const char *p = cmdline; p && *p; p++)
		fputc(*p == '|' ? '\0' : *p, f);
	if (cmdline)
		fputc('\0', f);
	assert_int_equal(fclose(f), 0);
}

static void gone(int pid)
{
	char cmd[PATH_MAX + 64];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s/%d'", fixture_root, pid);
	assert_int_equal(system(cmd), 0);
}

/* A job as cron starts one, and what lives beside it:
 *   1 init
 *   100 cron ── 200 backup.sh ─┬─ 300 zstd
 *                              └─ 310 helper ── 320 helper
 *   400 rsync (alone; a name that matches)
 *   500 backup.shx (a name that almost matches), and its child 510
 *   600 sh, which names 200 its parent but started before it: the child of
 *       an earlier process 200, reparented to nobody in this fixture
 */
static void job(void)
{
	task(1, 0, 1, "init", 1, "/sbin/init");
	task(100, 1, 100, "cron", 10, "/usr/sbin/cron|-f");
	task(200, 100, 200, "backup.sh", 1000, "/bin/bash|/usr/local/bin/backup.sh");
	task(300, 200, 200, "zstd", 1001, "zstd|-T4");
	task(310, 200, 200, "helper", 1002, "helper|--every|5ms");
	task(320, 310, 200, "helper", 1003, "helper|--every|5ms");
	task(400, 1, 400, "rsync", 1004, "rsync|-a|/src|/dst");
	task(500, 1, 500, "backup.shx", 1005, "backup.shx");
	task(510, 500, 500, "child", 1006, NULL); /* a zombie: no command line */
	task(600, 200, 600, "sh", 999, "sh");
}

static void compile(regex_t *re, const char *pattern)
{
	assert_int_equal(regcomp(re, pattern, REG_EXTENDED | REG_NOSUB), 0);
}

static struct proc_root root(void)
{
	struct proc_root r = { .fd = fixture_open_root(), .own = false, .path = fixture_root };
	return r;
}

/* The pids of a set, "200 300 310" */
static const char *pids(const struct sel_set *s)
{
	static char buf[512];
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->n; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, i ? " %d" : "%d", s->v[i].pid);
	return buf;
}

/* One SEL_MATCH scan with the criteria; the pids selected. */
static const char *select_once(struct sel_criteria *c)
{
	static char buf[512];
	struct proc_root r = root();
	struct sel_set known = { 0 }, fresh = { 0 };
	int n = sel_scan(&r, c, SEL_MATCH, &known, &fresh);

	assert_true(n >= 0);
	assert_int_equal((size_t)n, fresh.n);
	assert_int_equal(known.n, fresh.n);
	snprintf(buf, sizeof(buf), "%s", pids(&fresh));
	sel_free(&known);
	sel_free(&fresh);
	proc_root_close(&r);
	return buf;
}

static void criteria(void **state)
{
	regex_t re, bk;
	(void)state;
	job();
	compile(&re, "^(rsync|zstd)$");
	compile(&bk, "^backup\\.sh$");

	struct sel_criteria c = { .re = &re };
	assert_string_equal(select_once(&c), "300 400");
	c.re = &bk;
	assert_string_equal(select_once(&c), "200"); /* not backup.shx */

	/* the kinds combine as pgrep's: every kind met; one kind's values are
	 * alternatives */
	int g[] = { 200, 500 }, p[] = { 300, 400, 500 };
	c = (struct sel_criteria){ .re = &re, .pgids = g, .npgids = 1 };
	assert_string_equal(select_once(&c), "300");
	c = (struct sel_criteria){ .pgids = g, .npgids = 2 };
	assert_string_equal(select_once(&c), "200 300 310 320 500 510");
	c = (struct sel_criteria){ .pgids = g, .npgids = 2, .pids = p, .npids = 3 };
	assert_string_equal(select_once(&c), "300 500");
	c = (struct sel_criteria){ .pids = p, .npids = 3, .exclude = 400 };
	assert_string_equal(select_once(&c), "300 500");
	int none[] = { 42 };
	c = (struct sel_criteria){ .pids = none, .npids = 1 };
	assert_string_equal(select_once(&c), "");

	/* the effective user: the owner of the task's directory (here: ours) */
	unsigned me = (unsigned)geteuid(), other = me + 1;
	c = (struct sel_criteria){ .re = &re, .uids = &me, .nuids = 1 };
	assert_string_equal(select_once(&c), "300 400");
	c = (struct sel_criteria){ .re = &re, .uids = &other, .nuids = 1 };
	fixture_count_reset(); /* another user's processes: no stat read */
	assert_string_equal(select_once(&c), "");
	assert_int_equal(fixture_counts.opens_stat, 0);
	assert_true(fixture_counts.dir_stats > 0);
	c.tree = true; /* a tree needs every process's parent; the owner is */
	fixture_count_reset(); /* looked at only where the name matched */
	assert_string_equal(select_once(&c), "");
	assert_true(fixture_counts.opens_stat > 2);
	assert_int_equal(fixture_counts.dir_stats, 2);
	c = (struct sel_criteria){ .re = &re, .tree = true };
	char all[512];
	snprintf(all, sizeof(all), "%s", select_once(&c));
	c = (struct sel_criteria){ .re = &re, .uids = &me, .nuids = 1, .tree = true };
	assert_string_equal(select_once(&c), all); /* every process is ours here */
	regfree(&re);
	regfree(&bk);
}

static void full_command_line(void **state)
{
	regex_t re, name;
	(void)state;
	job();
	compile(&re, "backup\\.sh$");
	compile(&name, "^child$");

	/* the name only: no command line is read */
	struct sel_criteria c = { .re = &re };
	fixture_count_reset();
	assert_string_equal(select_once(&c), "200");
	assert_int_equal(fixture_counts.opens_cmdline, 0);

	/* --full: the arguments joined by blanks, as pgrep -f; "backup.shx"
	 * has no match there */
	c.full = true;
	fixture_count_reset();
	assert_string_equal(select_once(&c), "200");
	assert_true(fixture_counts.opens_cmdline > 0);
	/* read only for the processes the other criteria leave */
	int p[] = { 400 };
	c.pids = p;
	c.npids = 1;
	fixture_count_reset();
	assert_string_equal(select_once(&c), "");
	assert_int_equal(fixture_counts.opens_cmdline, 1);
	/* blanks between the arguments */
	regex_t args;
	compile(&args, "^rsync -a /src");
	c = (struct sel_criteria){ .re = &args, .full = true };
	assert_string_equal(select_once(&c), "400");
	/* no command line (a zombie, a kernel thread): the name */
	c = (struct sel_criteria){ .re = &name, .full = true };
	assert_string_equal(select_once(&c), "510");
	regfree(&re);
	regfree(&name);
	regfree(&args);
}

static void tree(void **state)
{
	regex_t bk;
	(void)state;
	job();
	compile(&bk, "^backup\\.sh$");

	/* children and grandchildren; 600 names 200 its parent but started
	 * before it: the old 200's child, adopted by nobody */
	struct sel_criteria c = { .re = &bk, .tree = true };
	assert_string_equal(select_once(&c), "200 300 310 320");
	int p[] = { 310, 400 };
	c = (struct sel_criteria){ .pids = p, .npids = 2, .tree = true };
	assert_string_equal(select_once(&c), "310 320 400");
	/* the tool itself is never selected, nor found below itself */
	c = (struct sel_criteria){ .re = &bk, .tree = true, .exclude = 310 };
	assert_string_equal(select_once(&c), "200 300");
	/* a tree of everything from init down, but 600 */
	int init[] = { 1 };
	c = (struct sel_criteria){ .pids = init, .npids = 1, .tree = true };
	assert_string_equal(select_once(&c), "1 100 200 300 310 320 400 500 510");
	regfree(&bk);
}

static void later_passes(void **state)
{
	regex_t bk;
	struct proc_root r = root();
	struct sel_set known = { 0 }, fresh = { 0 };
	(void)state;
	job();
	compile(&bk, "^backup\\.sh$");
	struct sel_criteria c = { .re = &bk, .tree = true, .exclude = 999 };

	assert_int_equal(sel_scan(&r, &c, SEL_MATCH, &known, &fresh), 4);
	/* nothing new */
	assert_int_equal(sel_scan(&r, &c, SEL_DESCENDANTS, &known, &fresh), 0);
	assert_string_equal(pids(&fresh), "");

	/* the helper forked twice meanwhile, a child forked, and a process
	 * that matches the regex started (later passes look only below) */
	task(330, 320, 200, "helper", 1010, "helper");
	task(340, 330, 200, "helper", 1011, "helper");
	task(350, 300, 200, "zstd", 1012, "zstd");
	task(700, 1, 700, "backup.sh", 1013, "backup.sh");
	assert_int_equal(sel_scan(&r, &c, SEL_DESCENDANTS, &known, &fresh), 3);
	assert_string_equal(pids(&fresh), "330 340 350");
	assert_string_equal(pids(&known), "200 300 310 320 330 340 350");

	/* 310 ended and its pid went to a new process, whose child is no
	 * descendant of the job's; 320, reparented to init, is lost to the
	 * tree (and was selected already) */
	gone(310);
	task(310, 1, 310, "other", 2000, "other");
	task(360, 310, 310, "otherchild", 2001, "otherchild");
	task(320, 1, 200, "helper", 1003, "helper");
	assert_int_equal(sel_scan(&r, &c, SEL_DESCENDANTS, &known, &fresh), 0);

	/* a new child of a selected process still found */
	task(370, 200, 200, "backup.sh", 2002, NULL);
	assert_int_equal(sel_scan(&r, &c, SEL_DESCENDANTS, &known, &fresh), 1);
	assert_string_equal(pids(&fresh), "370");

	/* sel_check: the same process, another one on its pid, none */
	struct proc_stat st;
	struct sel_proc same = { 200, 1000 }, reused = { 310, 1002 }, none = { 42, 1 };
	assert_int_equal(sel_check(&r, &same, &st, NULL), 0);
	assert_string_equal(st.comm, "backup.sh");
	assert_int_equal(sel_check(&r, &reused, &st, NULL), -ESRCH);
	assert_int_equal(sel_check(&r, &none, &st, NULL), -ESRCH);

	sel_free(&known);
	sel_free(&fresh);
	proc_root_close(&r);
	regfree(&bk);
}

static void sets(void **state)
{
	struct sel_set s = { 0 };
	(void)state;
	assert_false(sel_contains(&s, 1, 1));
	assert_int_equal(sel_add(&s, 30, 5), 1);
	assert_int_equal(sel_add(&s, 10, 5), 1);
	assert_int_equal(sel_add(&s, 20, 5), 1);
	assert_int_equal(sel_add(&s, 20, 4), 1); /* the same pid, another process */
	assert_int_equal(sel_add(&s, 20, 5), 0);
	for (int i = 0; i < 100; i++)
		assert_true(sel_add(&s, 1000 + i, 1) == 1);
	assert_int_equal(s.n, 104);
	assert_true(sel_contains(&s, 20, 4) && sel_contains(&s, 20, 5) && !sel_contains(&s, 20, 6));
	assert_int_equal(s.v[0].pid, 10);
	assert_true(s.v[1].pid == 20 && s.v[1].start == 4);
	assert_int_equal(s.v[3].pid, 30);
	sel_free(&s);
	assert_int_equal(s.n, 0);
}

static void unreadable_root(void **state)
{
	struct proc_root r = { .fd = -1, .path = "none" };
	struct sel_set known = { 0 }, fresh = { 0 };
	struct sel_criteria c = { 0 };
	(void)state;
	assert_true(sel_scan(&r, &c, SEL_MATCH, &known, &fresh) < 0);
	assert_int_equal(fresh.n, 0);
}

/* sel_match(), the one predicate of the three tools: the verdict at each
 * stage, and what each stage costs. */
static void one_predicate(void **state)
{
	regex_t re;
	struct proc_root r = root();
	struct proc_stat st;
	unsigned me = (unsigned)geteuid(), other = me + 1;
	int g[] = { 500, 200 }, p[] = { 300 };
	(void)state;
	job();
	compile(&re, "^(rsync|zstd)$");
	assert_int_equal(proc_read_stat(&r, 300, 0, &st, NULL), 0);

	/* before any file: the pid, then the owner */
	struct sel_criteria c = { .pids = p, .npids = 1, .uids = &other, .nuids = 1, .re = &re };
	struct sel_task t = { .pid = 400 };
	fixture_count_reset();
	assert_int_equal(sel_match(&r, &c, &t), SEL_NO); /* not the pid: no look at all */
	assert_int_equal(fixture_counts.dir_stats, 0);
	t = (struct sel_task){ .pid = 300 };
	assert_int_equal(sel_match(&r, &c, &t), SEL_NO); /* another user's */
	assert_int_equal(fixture_counts.dir_stats, 1);
	assert_int_equal(fixture_counts.opens_stat + fixture_counts.opens_cmdline, 0);
	c.uids = &me;
	t = (struct sel_task){ .pid = 300 };
	assert_int_equal(sel_match(&r, &c, &t), SEL_NEEDS_STAT); /* the name is in stat */
	assert_true(t.owner_known && t.owner == me);
	fixture_count_reset();
	t.st = &st; /* the owner known: not looked at again */
	assert_int_equal(sel_match(&r, &c, &t), SEL_YES);
	assert_int_equal(fixture_counts.dir_stats, 0);
	c = (struct sel_criteria){ .pids = p, .npids = 1 };
	t = (struct sel_task){ .pid = 300 };
	assert_int_equal(sel_match(&r, &c, &t), SEL_YES); /* nothing in stat needed */

	/* the group, and which of the groups given it is */
	c = (struct sel_criteria){ .pgids = g, .npgids = 2 };
	t = (struct sel_task){ .pid = 300, .st = &st };
	assert_int_equal(sel_match(&r, &c, &t), SEL_YES);
	assert_int_equal(t.pgid_at, 1);
	t = (struct sel_task){ .pid = 300 };
	assert_int_equal(sel_match(&r, &c, &t), SEL_NEEDS_STAT);
	assert_int_equal(t.pgid_at, -1);

	/* any: one kind met is enough (ioprio-get's plain -P and -u); the
	 * group met spares the owner */
	c = (struct sel_criteria){ .pgids = g, .npgids = 2, .uids = &other, .nuids = 1, .any = true };
	t = (struct sel_task){ .pid = 300, .st = &st };
	fixture_count_reset();
	assert_int_equal(sel_match(&r, &c, &t), SEL_YES);
	assert_int_equal(fixture_counts.dir_stats, 0);
	g[1] = 42; /* no such group: then the user decides */
	t = (struct sel_task){ .pid = 300, .st = &st };
	assert_int_equal(sel_match(&r, &c, &t), SEL_NO);
	c.uids = &me;
	t = (struct sel_task){ .pid = 300, .st = &st };
	assert_int_equal(sel_match(&r, &c, &t), SEL_YES);
	c = (struct sel_criteria){ .any = true }; /* nothing given: everything */
	t = (struct sel_task){ .pid = 300 };
	assert_int_equal(sel_match(&r, &c, &t), SEL_YES);

	/* --full: the command line read last, only when all else is met */
	regex_t line;
	compile(&line, "^zstd -T4$");
	c = (struct sel_criteria){ .re = &line, .full = true, .uids = &other, .nuids = 1 };
	t = (struct sel_task){ .pid = 300, .st = &st };
	fixture_count_reset();
	assert_int_equal(sel_match(&r, &c, &t), SEL_NO);
	assert_int_equal(fixture_counts.opens_cmdline, 0);
	c.uids = &me;
	t = (struct sel_task){ .pid = 300 };
	assert_int_equal(sel_match(&r, &c, &t), SEL_NEEDS_STAT); /* a zombie's is its name */
	t.st = &st;
	assert_int_equal(sel_match(&r, &c, &t), SEL_YES);
	assert_int_equal(fixture_counts.opens_cmdline, 1);
	regfree(&line);
	regfree(&re);
	proc_root_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(criteria, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(full_command_line, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(tree, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(later_passes, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(one_predicate, fixture_setup, fixture_teardown),
		cmocka_unit_test(sets),
		cmocka_unit_test(unreadable_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
