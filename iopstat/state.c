/* SPDX-License-Identifier: MIT */
/*
 * --state FILE.  See state.h.  The file is text, one record a line:
 *
 *   iopstat-state 1
 *   boot <boot id>
 *   selection <the selection, escaped>
 *   scan <uptime seconds> <wall-clock seconds>
 *   groups <n>
 *   g <key, escaped> <7 counters> <delay ticks> <empty since, seconds or 0>
 *   pending <n>
 *   p <pid> <start> <7 counters> <age>
 *   tasks <n>
 *   t <pid> <tid> <ppid> <flags> <start> <7 counters> <delay ticks>
 *   end
 *
 * Escaped: bytes outside '!'..'~', and '%', as %XX.
 */
#define _GNU_SOURCE
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "iopcli/buf.h"
#include "iopcli/cli.h"
#include "iopcli/num.h"

int state_trusted(const struct stat *st, char *why, size_t whysize)
{
	if (st->st_uid != geteuid()) {
		snprintf(why, whysize, "owned by uid %u, not by uid %u (the effective user)",
			 (unsigned)st->st_uid, (unsigned)geteuid());
		return -1;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(why, whysize, "writable by group or others (mode %04o)",
			 (unsigned)(st->st_mode & 07777));
		return -1;
	}
	return 0;
}

static double monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The pid that holds a flock on the file of st, from /proc/locks (the
 * machine's own, whatever --proc says); 0 when none is found. */
static int lock_holder(const struct stat *st)
{
	FILE *f = fopen("/proc/locks", "re");
	char line[256], want[64];
	int pid = 0;

	if (!f)
		return 0;
	/* "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF"; waiters have "->" */
	snprintf(want, sizeof(want), " %02x:%02x:%llu ", major(st->st_dev), minor(st->st_dev),
		 (unsigned long long)st->st_ino);
	while (!pid && fgets(line, sizeof(line), f)) {
		const char *at = strstr(line, want);
		if (!at || strstr(line, "->") || !strstr(line, " FLOCK "))
			continue;
		const char *p = at; /* the pid: the digits right before the device */
		while (p > line && p[-1] >= '0' && p[-1] <= '9')
			p--;
		unsigned long long v;
		if (at > p && num_parse_u64(p, at, 0x7fffffff, &v) == 0)
			pid = (int)v;
	}
	fclose(f);
	return pid;
}

int state_lock(const char *path, double wait, struct state_lock_error *e)
{
	size_t len = strlen(path);
	char *lock = malloc(len + 6);
	struct stat st;

	memset(e, 0, sizeof(*e));
	if (!lock)
		return -1;
	memcpy(lock, path, len);
	memcpy(lock + len, ".lock", 6);
	/* O_NONBLOCK: a FIFO in its place is never waited on.  When it exists,
	 * opened without O_CREAT (which fs.protected_regular refuses, even to
	 * root, for another user's file in a sticky directory), and read-only
	 * where it may not be written: a lock that is another user's is then
	 * refused with its owner named, not "Permission denied".  Read-write
	 * otherwise: flock() over NFS needs it. */
	const int how = O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK;
	int fd = -1;
	for (int tries = 0; fd < 0 && tries < 8; tries++) {
		fd = open(lock, O_RDWR | how);
		if (fd >= 0)
			break;
		if (errno == EACCES) {
			fd = open(lock, O_RDONLY | how);
			break;
		}
		if (errno != ENOENT)
			break;
		fd = open(lock, O_RDWR | how | O_CREAT | O_EXCL, 0600);
		if (fd < 0 && errno != EEXIST)
			break; /* EEXIST: made meanwhile, by another run: open it */
	}
	int err = errno;
	free(lock);
	if (fd < 0) {
		errno = err;
		return -1;
	}
	/* a lock another user made, or may open, is theirs to hold forever */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    state_trusted(&st, e->why, sizeof(e->why)) < 0) {
		if (e->why[0] == '\0')
			snprintf(e->why, sizeof(e->why), "not a regular file");
		close(fd);
		errno = EPERM;
		return -1;
	}
	double deadline = monotonic() + wait, pause_s = 0.001;
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			err = errno;
			close(fd);
			errno = err;
			return -1;
		}
		double left = deadline - monotonic();
		if (left <= 0) {
			e->holder = lock_holder(&st);
			close(fd);
			errno = ETIMEDOUT;
			return -1;
		}
		double nap = pause_s < left ? pause_s : left;
		struct timespec ts = { (time_t)nap, (long)((nap - (double)(time_t)nap) * 1e9) };
		nanosleep(&ts, NULL);
		if (pause_s < 0.05)
			pause_s *= 2;
	}
	return fd;
}

/* --- writing -------------------------------------------------------------------- */

static void put_escaped(struct cli_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p > ' ' && *p <= '~' && *p != '%') {
			cli_buf_putc(b, (char)*p);
		} else {
			cli_buf_putc(b, '%');
			cli_buf_putc(b, hex[*p >> 4]);
			cli_buf_putc(b, hex[*p & 15]);
		}
	}
	if (!*s)
		cli_buf_puts(b, "%00"); /* an empty key: still a field */
}

static void put_num(struct cli_buf *b, cli_u128 v)
{
	cli_buf_putc(b, ' ');
	cli_buf_u128(b, v);
}

struct save_ctx {
	const struct state_id *id;
	const struct scan_snapshot *cur;
	const struct groups *g;
};

static int write_state(FILE *f, void *arg)
{
	const struct save_ctx *x = arg;
	struct cli_buf b = { 0 };
	size_t ntasks = x->cur->n < STATE_MAX_TASKS ? x->cur->n : STATE_MAX_TASKS;

	cli_buf_puts(&b, "iopstat-state 1\nboot ");
	put_escaped(&b, x->id->boot);
	cli_buf_puts(&b, "\nselection ");
	put_escaped(&b, x->id->selection);
	cli_buf_puts(&b, "\nscan ");
	cli_buf_fixed(&b, x->cur->uptime, 3);
	cli_buf_putc(&b, ' ');
	cli_buf_fixed(&b, x->cur->when, 3);
	cli_buf_puts(&b, "\ngroups");
	put_num(&b, x->g->n);
	cli_buf_putc(&b, '\n');
	for (size_t i = 0; i < x->g->n; i++) {
		const struct group *grp = &x->g->v[i];
		cli_buf_puts(&b, "g ");
		put_escaped(&b, grp->key);
		for (int k = 0; k < IO_NFIELDS; k++)
			put_num(&b, grp->acc[k]);
		put_num(&b, grp->acc_delay);
		cli_buf_putc(&b, ' ');
		cli_buf_fixed(&b, grp->empty_since, 3);
		cli_buf_putc(&b, '\n');
		if (cli_buf_spill(&b, f) < 0)
			goto fail;
	}
	cli_buf_puts(&b, "pending");
	put_num(&b, x->g->npend);
	cli_buf_putc(&b, '\n');
	for (size_t i = 0; i < x->g->npend; i++) {
		const struct pending *p = &x->g->pend[i];
		cli_buf_puts(&b, "p");
		put_num(&b, (unsigned)p->pid);
		put_num(&b, p->start);
		for (int k = 0; k < IO_NFIELDS; k++)
			put_num(&b, p->io[k]);
		put_num(&b, (unsigned)p->age);
		cli_buf_putc(&b, '\n');
	}
	cli_buf_puts(&b, "tasks");
	put_num(&b, ntasks);
	cli_buf_putc(&b, '\n');
	for (size_t i = 0; i < ntasks; i++) {
		const struct scan_row *t = &x->cur->rows[i];
		cli_buf_puts(&b, "t");
		put_num(&b, (unsigned)t->pid);
		put_num(&b, (unsigned)t->tid);
		put_num(&b, (unsigned)(t->ppid > 0 ? t->ppid : 0));
		put_num(&b, t->flags & ROW_REAPED);
		put_num(&b, t->start);
		for (int k = 0; k < IO_NFIELDS; k++)
			put_num(&b, t->io[k]);
		put_num(&b, t->delay);
		cli_buf_putc(&b, '\n');
		if (cli_buf_spill(&b, f) < 0)
			goto fail;
	}
	cli_buf_puts(&b, "end\n");
	if (cli_buf_flush(&b, f) < 0)
		goto fail;
	cli_buf_free(&b);
	return 0;
fail:
	cli_buf_free(&b);
	return -1;
}

int state_save(const char *path, const struct state_id *id, const struct scan_snapshot *cur,
	       const struct groups *g)
{
	struct save_ctx x = { id, cur, g };

	return atomic_replace(path, 0600, write_state, &x);
}

/* --- reading: nothing is used before all of it has been checked ------------------- */

struct reader {
	FILE *f;
	char *line;
	size_t cap;
	size_t lineno;
	char *why;
	size_t whysize;
	char *fields[16];
	size_t nfields;
};

/* A field of the file as a message may show it: control bytes, non-ASCII
 * and backslashes escaped (\xNN), cut at 40 bytes.  In one of two
 * buffers, so a message can show two. */
static const char *shown(const char *s)
{
	static char bufs[2][200];
	static int k;
	char *b = bufs[k ^= 1];
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p && n + 8 < sizeof(bufs[0]); p++) {
		if (p - (const unsigned char *)s == 40) {
			strcpy(b + n, "...");
			return b;
		}
		if (*p >= 0x20 && *p < 0x7f && *p != '\\')
			b[n++] = (char)*p;
		else
			n += (size_t)snprintf(b + n, 5, "\\x%02x", *p);
	}
	b[n] = '\0';
	return b;
}

static int bad(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct reader *r, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(r->why, r->whysize, "line %zu: ", r->lineno);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < r->whysize)
		vsnprintf(r->why + n, r->whysize - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* The next line, split at blanks into fields; its first field must be
 * 'tag' and it must have n fields in all.  0 or -1. */
static int next(struct reader *r, const char *tag, size_t n)
{
	ssize_t len = getline(&r->line, &r->cap, r->f);

	r->lineno++;
	if (len < 0)
		return bad(r, "the file ends early (want '%s')", tag);
	if (len == 0 || r->line[len - 1] != '\n')
		return bad(r, "a line without its end");
	r->line[len - 1] = '\0';
	r->nfields = 0;
	for (char *p = r->line; *p;) {
		if (r->nfields == sizeof(r->fields) / sizeof(*r->fields))
			return bad(r, "too many fields");
		r->fields[r->nfields++] = p;
		p = strchr(p, ' ');
		if (!p)
			break;
		*p++ = '\0';
		if (!*p || *p == ' ')
			return bad(r, "an empty field");
	}
	if (r->nfields == 0 || strcmp(r->fields[0], tag))
		return bad(r, "'%s' where '%s' belongs", r->nfields ? shown(r->fields[0]) : "", tag);
	if (r->nfields != n)
		return bad(r, "%zu fields, not %zu", r->nfields, n);
	return 0;
}

static int u64_field(struct reader *r, size_t i, unsigned long long max, unsigned long long *v)
{
	const char *s = r->fields[i];

	if (num_parse_u64(s, s + strlen(s), max, v) < 0)
		return bad(r, "field %zu: '%s' is not a number up to %llu", i + 1, shown(s), max);
	return 0;
}

static int u128_field(struct reader *r, size_t i, cli_u128 *v)
{
	const char *s = r->fields[i];

	if (num_parse_u128(s, s + strlen(s), v) < 0)
		return bad(r, "field %zu: '%s' is not a number below 2^128", i + 1, shown(s));
	return 0;
}

/* seconds: digits, a point, three digits (as cli_buf_fixed writes them) */
static int seconds_field(struct reader *r, size_t i, double *v)
{
	const char *s = r->fields[i], *dot = strchr(s, '.');
	unsigned long long whole, frac;

	if (!dot || strlen(dot + 1) != 3 || num_parse_u64(s, dot, 1ULL << 52, &whole) < 0 ||
	    num_parse_u64(dot + 1, dot + 4, 999, &frac) < 0)
		return bad(r, "field %zu: '%s' is not a time", i + 1, shown(s));
	*v = (double)whole + (double)frac / 1000;
	return 0;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* A field as put_escaped() wrote it, in a buffer of its own (to free);
 * "%00" alone is the empty string.  NULL after bad(). */
static char *unescape(struct reader *r, const char *s)
{
	char *out = malloc(strlen(s) + 1);
	size_t n = 0;

	if (!out) {
		bad(r, "out of memory");
		return NULL;
	}
	if (!strcmp(s, "%00")) {
		out[0] = '\0';
		return out;
	}
	for (; *s; s++) {
		int c = (unsigned char)*s;
		if (c == '%') {
			int hi = hex_digit(s[1]), lo = hi < 0 ? -1 : hex_digit(s[2]);
			if (lo < 0 || (c = hi * 16 + lo) == 0) {
				bad(r, lo < 0 ? "a bad escape" : "a NUL byte in a field");
				free(out);
				return NULL;
			}
			s += 2;
		}
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return out;
}

/* The field i of the line, unescaped, equal to want: 0, or -1 with why
 * (what it holds after it, in parentheses). */
static int expect_field(struct reader *r, size_t i, const char *want, const char *why)
{
	char *text = unescape(r, r->fields[i]);

	if (!text)
		return -1;
	int same = !strcmp(text, want);
	if (!same)
		snprintf(r->why, r->whysize, "%s (%s)", why, shown(text));
	free(text);
	return same ? 0 : -1;
}

static int cmp_base(const void *a, const void *b)
{
	const struct base_row *x = a, *y = b;

	return CMP_TASK(x, y);
}

static int read_state(struct reader *r, const struct state_id *id, struct base *prev,
		      struct groups *g)
{
	unsigned long long n, v;
	double uptime;

	if (next(r, "iopstat-state", 2) < 0)
		return -1;
	if (strcmp(r->fields[1], "1"))
		return bad(r, "version %s, not 1", r->fields[1]);
	if (next(r, "boot", 2) < 0 ||
	    expect_field(r, 1, id->boot, "it is from before the last boot") < 0)
		return -1;
	if (next(r, "selection", 2) < 0 ||
	    expect_field(r, 1, id->selection, "it was written for other options") < 0)
		return -1;
	if (next(r, "scan", 3) < 0 || seconds_field(r, 1, &uptime) < 0 ||
	    seconds_field(r, 2, &prev->when) < 0)
		return -1;
	if (uptime > id->uptime + 1) { /* the boot id unknown, as in a fixture tree */
		snprintf(r->why, r->whysize, "it is from before the last boot");
		return -1;
	}
	prev->uptime = uptime;

	if (next(r, "groups", 2) < 0 || u64_field(r, 1, 1 << 20, &n) < 0)
		return -1;
	for (unsigned long long i = 0; i < n; i++) {
		cli_u128 acc[IO_NFIELDS + 1];
		double empty;
		if (next(r, "g", 3 + IO_NFIELDS + 1) < 0)
			return -1;
		for (int k = 0; k <= IO_NFIELDS; k++)
			if (u128_field(r, 2 + (size_t)k, &acc[k]) < 0)
				return -1;
		if (seconds_field(r, 3 + IO_NFIELDS, &empty) < 0)
			return -1;
		char *key = unescape(r, r->fields[1]);
		if (!key)
			return -1;
		size_t before = g->n;
		struct group *grp = groups_get(g, key);
		if (!grp || g->n == before) {
			bad(r, grp ? "the group '%s' twice" : "out of memory: '%s'", shown(key));
			free(key);
			return -1;
		}
		free(key);
		memcpy(grp->acc, acc, sizeof(grp->acc));
		grp->acc_delay = acc[IO_NFIELDS];
		grp->empty_since = empty;
	}

	if (next(r, "pending", 2) < 0 || u64_field(r, 1, STATE_MAX_TASKS, &n) < 0)
		return -1;
	for (unsigned long long i = 0; i < n; i++) {
		struct pending p = { 0 };
		if (next(r, "p", 3 + IO_NFIELDS + 1) < 0 || u64_field(r, 1, 0x7fffffff, &v) < 0)
			return -1;
		p.pid = (int)v;
		if (u64_field(r, 2, ~0ULL, &p.start) < 0)
			return -1;
		for (int k = 0; k < IO_NFIELDS; k++)
			if (u64_field(r, 3 + (size_t)k, ~0ULL, &p.io[k]) < 0)
				return -1;
		if (u64_field(r, 3 + IO_NFIELDS, 1, &v) < 0)
			return -1;
		p.age = (int)v;
		struct pending *more = cli_grow(g->pend, &g->pend_cap, g->npend + 1, sizeof(*more), 16);
		if (!more)
			return bad(r, "out of memory");
		g->pend = more;
		g->pend[g->npend++] = p;
	}

	if (next(r, "tasks", 2) < 0 || u64_field(r, 1, STATE_MAX_TASKS, &n) < 0)
		return -1;
	struct base_row *rows = cli_grow(prev->rows, &prev->cap, (size_t)n, sizeof(*rows), 1024);
	if (!rows)
		return bad(r, "out of memory");
	prev->rows = rows;
	for (unsigned long long i = 0; i < n; i++) {
		struct base_row *t = &prev->rows[i];
		if (next(r, "t", 6 + IO_NFIELDS + 1) < 0 || u64_field(r, 1, 0x7fffffff, &v) < 0)
			return -1;
		t->pid = (int)v;
		if (u64_field(r, 2, 0x7fffffff, &v) < 0)
			return -1;
		t->tid = (int)v;
		if (u64_field(r, 3, 0x7fffffff, &v) < 0)
			return -1;
		t->ppid = (int)v;
		if (u64_field(r, 4, ROW_REAPED, &v) < 0)
			return -1;
		t->flags = (unsigned)v & ROW_REAPED;
		if (u64_field(r, 5, ~0ULL, &t->start) < 0)
			return -1;
		for (int k = 0; k < IO_NFIELDS; k++)
			if (u64_field(r, 6 + (size_t)k, ~0ULL, &t->io[k]) < 0)
				return -1;
		if (u64_field(r, 6 + IO_NFIELDS, ~0ULL, &t->delay) < 0)
			return -1;
		if (t->pid == 0)
			return bad(r, "pid 0");
		prev->n++;
		if (i && cmp_base(&prev->rows[i - 1], t) >= 0)
			return bad(r, "the tasks are not in order");
	}
	if (next(r, "end", 1) < 0)
		return -1;
	if (getline(&r->line, &r->cap, r->f) >= 0) {
		r->lineno++;
		return bad(r, "more after the end");
	}
	return 0;
}

int state_load(const char *path, const struct state_id *id, struct base *prev,
	       struct groups *g, char *why, size_t whysize)
{
	struct reader r = { .why = why, .whysize = whysize };
	struct stat st;
	/* O_NOFOLLOW: a link put in its place (perhaps to a secret) is not read,
	 * as it would not be replaced */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);

	why[0] = '\0';
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(why, whysize, "%s", errno == ELOOP ? "it is a symbolic link" : strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, whysize, "it is not a regular file");
		close(fd);
		return -1;
	}
	/* another user's file, or one others may write, may say anything */
	if (state_trusted(&st, why, whysize) < 0) {
		close(fd);
		return -2;
	}
	/* iopstat's own state has one name (made by a rename); another is a
	 * link to some other file of ours, perhaps a secret that a note on
	 * a corrupt line would show */
	if (st.st_nlink != 1) {
		snprintf(why, whysize, "it has %ju names (hard links): perhaps another file linked "
			 "in its place", (uintmax_t)st.st_nlink);
		close(fd);
		return -2;
	}
	if ((unsigned long long)st.st_size > STATE_MAX_BYTES) {
		snprintf(why, whysize, "it is larger than %u MiB", STATE_MAX_BYTES >> 20);
		close(fd);
		return -1;
	}
	r.f = fdopen(fd, "r");
	if (!r.f) {
		snprintf(why, whysize, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	prev->n = 0;
	int ok = read_state(&r, id, prev, g);
	if (ok == 0 && ferror(r.f)) {
		snprintf(why, whysize, "%s", strerror(errno));
		ok = -1;
	}
	free(r.line);
	fclose(r.f);
	if (ok < 0) {
		enum group_by by = g->by;
		double expire_s = g->expire;
		groups_free(g);
		g->by = by;
		g->expire = expire_s;
		prev->n = 0;
		return -1;
	}
	return 1;
}
