/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of --state: what is saved is what is loaded, and a file that
 * is missing, from another boot or other options, or anything but what
 * iopstat writes is refused whole, with a reason, never half used.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "iopcli/cli.h"
#include "state.h"
#include "fixture.h"

static char path[PATH_MAX + 16];
static struct scan_snapshot snap;
static const struct state_id id = { "c730003c-bfd3-4cf3-b212-9530dd688381", 500.0,
				    "group-by=comm;proc=/proc" };

static int setup(void **state)
{
	if (fixture_setup(state) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/iopstat.state", fixture_root);
	return 0;
}

static int teardown(void **state)
{
	scan_snapshot_free(&snap);
	return fixture_teardown(state);
}

/* A scan of three tasks in two groups, one of them with an odd key. */
static void make_state(struct groups *g)
{
	static const char *const comm[] = { "tar", "we\x09ird %k\ney", "tar" };
	snap = (struct scan_snapshot){ .uptime = 400.25, .when = 1700000000.5 };
	for (int i = 0; i < 3; i++) {
		struct scan_row *rows = cli_grow(snap.rows, &snap.cap, snap.n + 1, sizeof(*rows), 16);
		assert_non_null(rows);
		snap.rows = rows;
		struct scan_row *r = &rows[snap.n++];
		*r = (struct scan_row){ .pid = 10 + i, .ppid = 1, .start = 1000 + (unsigned)i,
					.flags = i == 2 ? ROW_REAPED | ROW_ZOMBIE : 0, .delay = 7 };
		for (int f = 0; f < IO_NFIELDS; f++)
			r->io[f] = 18446744073709551615ULL - (unsigned)f;
		assert_int_equal(scan_add_names(&snap, r, comm[i], NULL), 0);
	}
	*g = (struct groups){ .by = GROUP_COMM };
	assert_int_equal(groups_start(g, &snap), 0);
	g->v[0].acc[IO_READ_BYTES] += (cli_u128)1 << 70; /* past 64 bits */
	struct pending p = { .pid = 10, .start = 1000, .age = 1 };
	p.io[IO_WRITE_BYTES] = 99;
	g->pend = cli_grow(NULL, &g->pend_cap, 1, sizeof(p), 4);
	g->pend[0] = p;
	g->npend = 1;
}

static void round_trip(void **state)
{
	struct groups g, h = { .by = GROUP_COMM };
	struct base prev = { 0 };
	char why[256];
	(void)state;
	make_state(&g);
	assert_int_equal(state_load(path, &id, &prev, &h, why, sizeof(why)), 0); /* none yet */
	assert_int_equal(state_save(path, &id, &snap, &g), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600 & ~(unsigned)umask(022));
	umask(022);
	assert_int_equal(state_load(path, &id, &prev, &h, why, sizeof(why)), 1);
	assert_int_equal(h.n, 2);
	for (size_t i = 0; i < g.n; i++) {
		const struct group *a = &g.v[i], *b = groups_get(&h, a->key);
		assert_non_null(b);
		assert_memory_equal(a->acc, b->acc, sizeof(a->acc));
		assert_true(a->acc_delay == b->acc_delay);
	}
	assert_int_equal(prev.n, 3);
	assert_int_equal(prev.rows[2].pid, 12);
	assert_int_equal(prev.rows[2].flags, ROW_REAPED); /* only what the next run needs */
	assert_true(prev.rows[1].io[IO_CANCELLED] == 18446744073709551615ULL - IO_CANCELLED);
	assert_int_equal(prev.rows[0].start, 1000);
	assert_true(prev.uptime == 400.25);
	assert_int_equal(h.npend, 1);
	assert_int_equal(h.pend[0].io[IO_WRITE_BYTES], 99);
	assert_int_equal(h.pend[0].age, 1);
	base_free(&prev);
	groups_free(&g);
	groups_free(&h);
}

/* Each line of a good file spoiled in turn: every spoil is refused, and
 * nothing of the file is left in prev or the groups. */
static void refuses_what_it_did_not_write(void **state)
{
	struct groups g, h = { .by = GROUP_COMM };
	struct base prev = { 0 };
	char why[256], *text = NULL;
	size_t len = 0;
	(void)state;
	make_state(&g);
	assert_int_equal(state_save(path, &id, &snap, &g), 0);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(getdelim(&text, &len, '\0', f) > 0, 1);
	fclose(f);
	static const struct {
		const char *from, *to, *why;
	} spoils[] = {
		{ "iopstat-state 1", "iopstat-state 2", "version 2" },
		{ "boot c7", "boot d7", "before the last boot" },
		{ "selection group-by=comm", "selection group-by=user", "other options" },
		{ "scan 400.250", "scan 999.250", "before the last boot" },
		{ "scan 400.250", "scan 400.25", "not a time" },
		{ "groups 2", "groups 3", "'pending' where 'g' belongs" },
		{ "groups 2", "groups 1", "'g' where 'pending' belongs" },
		{ "\nt 11 ", "\nt 09 ", "not in order" },
		{ "\nt 10 0 1 0 1000", "\nt 10 0 1 0 -1000", "not a number" },
		{ "\nt 10 0 1 0 1000", "\nt 10 0 1 9 1000", "not a number up to 4" },
		{ "\nt 10 0 1 0 1000", "\nt 0 0 1 0 1000", "pid 0" },
		{ "\nt 10 0 1 0 1000 18446744073709551615 ", "\nt 10 0 1 0 1000 18446744073709551616 ",
		  "not a number" },
		{ "\nend\n", "\nend\nmore\n", "more after the end" },
		{ "\nend\n", "\n", "ends early" },
		{ "%20", "%2g", "a bad escape" },
		{ "%20", "%00", "NUL" },
		{ "tasks 3", "tasks  3", "an empty field" },
		{ "\np 10 ", "\np 10  ", "an empty field" },
		{ "\ng tar", "\ng we\\x09ird%20%25k\\x0aey", "twice" },
	};
	for (size_t i = 0; i < sizeof(spoils) / sizeof(*spoils); i++) {
		char *at = strstr(text, spoils[i].from);
		if (!at)
			fail_msg("spoil %zu: no '%s' in the file", i, spoils[i].from);
		f = fopen(path, "w");
		fwrite(text, 1, (size_t)(at - text), f);
		fputs(spoils[i].to, f);
		fputs(at + strlen(spoils[i].from), f);
		fclose(f);
		if (state_load(path, &id, &prev, &h, why, sizeof(why)) != -1)
			fail_msg("spoil %zu ('%s') was taken", i, spoils[i].to);
		if (!strstr(why, spoils[i].why))
			fail_msg("spoil %zu: '%s', want '%s'", i, why, spoils[i].why);
		assert_int_equal(prev.n, 0);
		assert_int_equal(h.n, 0);
		assert_int_equal(h.npend, 0);
	}
	/* not a regular file; too large */
	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(state_load(path, &id, &prev, &h, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "not a regular file"));
	unlink(path);
	f = fopen(path, "w");
	assert_int_equal(ftruncate(fileno(f), (off_t)STATE_MAX_BYTES + 1), 0);
	fclose(f);
	assert_int_equal(state_load(path, &id, &prev, &h, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "larger than"));
	/* an empty one */
	f = fopen(path, "w");
	fclose(f);
	assert_int_equal(state_load(path, &id, &prev, &h, why, sizeof(why)), -1);
	free(text);
	base_free(&prev);
	groups_free(&g);
	groups_free(&h);
}

/* A state with no processes in it (the job ended) keeps its groups; a
 * selection of any length; a link in its place is not read; what the
 * file holds is shown escaped in the reason. */
static void edges(void **state)
{
	struct groups g, h = { .by = GROUP_COMM };
	struct base prev = { 0 };
	char why[256], longsel[3000];
	(void)state;
	make_state(&g);
	snap.n = 0;
	memset(longsel, 'x', sizeof(longsel) - 1);
	longsel[sizeof(longsel) - 1] = '\0';
	struct state_id id2 = id;
	id2.selection = longsel;
	assert_int_equal(state_save(path, &id2, &snap, &g), 0);
	assert_int_equal(state_load(path, &id2, &prev, &h, why, sizeof(why)), 1);
	assert_int_equal(prev.n, 0);
	assert_int_equal(h.n, 2);
	groups_free(&h);
	h = (struct groups){ .by = GROUP_COMM };
	/* a link: never followed */
	char target[PATH_MAX + 32];
	snprintf(target, sizeof(target), "%s/secret", fixture_root);
	fixture_file("secret", "top\x1b[31msecret line\n");
	unlink(path);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(state_load(path, &id, &prev, &h, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "symbolic link"));
	assert_null(strstr(why, "secret"));
	/* the file's bytes in a reason: escaped */
	unlink(path);
	rename(target, path);
	assert_int_equal(state_load(path, &id, &prev, &h, why, sizeof(why)), -1);
	assert_null(strchr(why, 0x1b));
	assert_non_null(strstr(why, "\\x1b"));
	base_free(&prev);
	groups_free(&g);
	groups_free(&h);
}

/* Written only over a regular file or nothing, and never left half done. */
static void saves_safely(void **state)
{
	struct groups g;
	char link[PATH_MAX + 32];
	(void)state;
	make_state(&g);
	snprintf(link, sizeof(link), "%s/elsewhere", fixture_root);
	assert_int_equal(symlink(link, path), 0);
	assert_int_equal(state_save(path, &id, &snap, &g), -1);
	assert_int_equal(errno, EEXIST);
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISLNK(st.st_mode)); /* left as it was */
	assert_int_equal(lstat(link, &st), -1);
	unlink(path);
	/* the lock: taken, and taken again once released */
	struct state_lock_error le;
	int fd = state_lock(path, 0, &le);
	assert_true(fd >= 0);
	close(fd);
	fd = state_lock(path, 0, &le);
	assert_true(fd >= 0);
	/* held: given up on after the wait, the holder named (this process) */
	assert_int_equal(state_lock(path, 0.05, &le), -1);
	assert_int_equal(errno, ETIMEDOUT);
	assert_int_equal(le.holder, getpid());
	close(fd);
	/* a lock others may write is refused, and so is a state */
	char lock[PATH_MAX + 32];
	snprintf(lock, sizeof(lock), "%s.lock", path);
	assert_int_equal(chmod(lock, 0666), 0);
	assert_int_equal(state_lock(path, 0, &le), -1);
	assert_int_equal(errno, EPERM);
	assert_non_null(strstr(le.why, "writable by group or others (mode 0666)"));
	assert_int_equal(chmod(lock, 0600), 0);
	groups_free(&g);
	scan_snapshot_free(&snap);
	make_state(&g);
	assert_int_equal(state_save(path, &id, &snap, &g), 0);
	groups_free(&g);
	struct base prev = { 0 };
	struct groups h = { .by = GROUP_COMM };
	char why[256];
	assert_int_equal(chmod(path, 0620), 0);
	assert_int_equal(state_load(path, &id, &prev, &h, why, sizeof(why)), -2);
	assert_non_null(strstr(why, "writable by group or others"));
	assert_int_equal(h.n, 0);
	assert_int_equal(prev.n, 0);
	base_free(&prev);
	groups_free(&h);
}

/* fs.protected_regular, as the kernel applies it even to root: an open
 * with O_CREAT (and not O_EXCL) of a file that exists, in a sticky
 * world-writable directory, is refused with EACCES when the file is
 * another user's.  A test cannot make another user's file, nor set the
 * sysctl: with creat_refused set, every such open is refused. */
static bool creat_refused;
int __real_open(const char *p, int flags, ...);
int __wrap_open(const char *p, int flags, ...);
int __wrap_open(const char *p, int flags, ...)
{
	mode_t mode = 0;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (creat_refused && (flags & O_CREAT) && !(flags & O_EXCL) && access(p, F_OK) == 0) {
		errno = EACCES;
		return -1;
	}
	return __real_open(p, flags, mode);
}

/* A lock file that exists is opened without O_CREAT, so what is wrong with
 * it is said (here: others may write it), not "Permission denied". */
static void lock_not_ours_said(void **state)
{
	(void)state;
	char lock[PATH_MAX + 32];
	struct state_lock_error le;

	snprintf(lock, sizeof(lock), "%s.lock", path);
	int fd = open(lock, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(chmod(lock, 0666), 0);
	creat_refused = true;
	assert_int_equal(state_lock(path, 0, &le), -1);
	assert_int_equal(errno, EPERM);
	assert_non_null(strstr(le.why, "writable by group or others (mode 0666)"));
	/* ours and 0600: taken */
	assert_int_equal(chmod(lock, 0600), 0);
	fd = state_lock(path, 0, &le);
	creat_refused = false;
	assert_true(fd >= 0);
	close(fd);
	/* missing: made, 0600 */
	assert_int_equal(unlink(lock), 0);
	fd = state_lock(path, 0, &le);
	assert_true(fd >= 0);
	close(fd);
	struct stat st;
	assert_int_equal(stat(lock, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	unlink(lock);
}

int main(void)
{
	/* the files written here as a user might: never group-writable, which
	 * a state must not be (a umask of 002 would make them so) */
	umask(022);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_what_it_did_not_write, setup, teardown),
		cmocka_unit_test_setup_teardown(edges, setup, teardown),
		cmocka_unit_test_setup_teardown(saves_safely, setup, teardown),
		cmocka_unit_test_setup_teardown(lock_not_ours_said, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
