/* SPDX-License-Identifier: MIT */
/* iopstat's exited tasks, from the kernel's exit notifications.  See
 * exits.h; what the kernel gives is in docs/DESIGN.md. */
#define _GNU_SOURCE
#include "exits.h"

#include <errno.h>
#include <poll.h>
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iopcli/array.h"
#include "iopcli/cli.h"

/* Room for bursts: about 3,000 records (a record takes about 1.3 KiB of
 * the buffer with the skb around it). */
#define EXITS_RCVBUF (4 << 20)
/* Records kept between two scans at most; more are counted as missed. */
#define EXITS_MAX_RECS 65536
/* Records read together: after one arrives, the next are let gather for
 * this long (fewer wake-ups under churn; the window of a record's start
 * grows by as much). */
#define EXITS_BATCH_NS 100000000L

static double boot_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_BOOTTIME, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int exits_open(struct exits *x, bool threads)
{
	*x = (struct exits){ .threads = threads };
	int r = ts_open(&x->ts, EXITS_RCVBUF);
	if (r < 0)
		return r;
	x->on = true;
	x->drops = ts_drops(&x->ts);
	x->empty_at = boot_now();
	return 0;
}

void exits_close(struct exits *x)
{
	ts_close(&x->ts);
	free(x->rec);
	free(x->proc);
	cli_slots_free(&x->slots);
	free(x->seen);
	*x = (struct exits){ .ts.fd = -1 };
}

/* --- reading ------------------------------------------------------------------ */

static size_t overflow; /* records past EXITS_MAX_RECS since the last scan */

static int keep_rec(void *ctx, const struct ts_record *r)
{
	struct exits *x = ctx;

	if (x->nrec >= EXITS_MAX_RECS) {
		overflow++;
		return 0;
	}
	struct exit_rec *v = cli_grow(x->rec, &x->rec_cap, x->nrec + 1, sizeof(*v), 256);
	if (!v)
		return -ENOMEM;
	x->rec = v;
	struct exit_rec *e = &v[x->nrec++];
	e->tid = r->tid;
	e->tgid = r->tgid > 0 ? r->tgid : r->tid; /* an old record: its own process */
	e->ppid = r->ppid;
	e->uid = r->uid;
	e->seq = ++x->seq;
	e->lo = x->empty_at;
	e->hi = 0; /* set when the reading ends */
	e->age = (double)r->etime_us / 1e6;
	e->group_age = r->tgetime_us ? (double)r->tgetime_us / 1e6
				     : e->tid == e->tgid ? e->age : -1;
	memcpy(e->io, r->io, sizeof(e->io));
	memcpy(e->comm, r->comm, sizeof(e->comm) - 1);
	e->comm[sizeof(e->comm) - 1] = '\0';
	return 0;
}

/* Reads what is queued; the records read were queued between the last
 * time the socket was found empty and now.  0, -ENOMEM, or the socket's
 * error (then nothing more comes from it). */
static int drain(struct exits *x)
{
	size_t from = x->nrec;
	int r = ts_drain(&x->ts, keep_rec, x);
	double now = boot_now();

	for (size_t i = from; i < x->nrec; i++)
		x->rec[i].hi = now;
	x->empty_at = now;
	return r;
}

static double mono(const struct timespec *t)
{
	return (double)t->tv_sec + (double)t->tv_nsec / 1e9;
}

static struct timespec span(double s)
{
	struct timespec t = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
	return t;
}

void exits_sleep_until(struct exits *x, const struct timespec *t, volatile sig_atomic_t *stop)
{
	while (!*stop) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		double left = mono(t) - mono(&now);
		if (left <= 0)
			return;
		struct pollfd p = { .fd = x->ts.fd, .events = POLLIN };
		struct timespec to = span(left);
		if (x->ts.fd < 0) { /* the socket failed: a plain sleep */
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, t, NULL);
			continue;
		}
		if (ppoll(&p, 1, &to, NULL) <= 0)
			continue; /* the time is up, or a signal: looked at above */
		int r = (p.revents & POLLNVAL) ? -EBADF : drain(x);
		if (r == -ENOMEM)
			return; /* the scan's own allocation says so */
		if (r < 0) {
			/* nothing more will come: from the next scan on, iopstat
			 * works without (and says so) */
			ts_close(&x->ts);
			x->broken = true;
			continue;
		}
		/* let the next ones gather a little */
		double wait = (double)EXITS_BATCH_NS / 1e9;
		if (wait > left)
			wait = left;
		struct timespec w = span(wait);
		clock_nanosleep(CLOCK_MONOTONIC, 0, &w, NULL);
	}
}

/* --- matching ------------------------------------------------------------------ */

/* Whether a start tick S fits a start window [lo, hi] (boot seconds), a
 * tick of slack each side (the clocks behind the two differ a little). */
static bool fits(unsigned long long start, double lo, double hi, double tick)
{
	double s = (double)start * tick;
	return s + tick >= lo - tick && s <= hi + tick;
}

/* The row of rows[0..n) (sorted by pid, tid) of (pid, tid) whose start
 * fits [lo, hi], or -1. */
static long find_row(const struct scan_row *rows, size_t n, int pid, int tid, double lo,
		     double hi, double tick)
{
	size_t a = 0, b = n;
	struct scan_row key = { .pid = pid, .tid = tid };

	while (a < b) { /* the first not below (pid, tid) */
		size_t m = a + (b - a) / 2;
		if (CMP_TASK(&rows[m], &key) < 0)
			a = m + 1;
		else
			b = m;
	}
	for (; a < n && rows[a].pid == pid && rows[a].tid == tid; a++)
		if (fits(rows[a].start, lo, hi, tick))
			return (long)a;
	return -1;
}

/* The same in a base, for a task seen by the scan before.  Any row of it
 * was seen, whatever its start: a task born while that scan ran (after it
 * read the uptime) is in it too, and its record must pair with that row
 * (else it counts as never seen, all of it again). */
static long find_base(const struct base *prev, int pid, int tid, double lo, double hi,
		      double tick)
{
	size_t a = 0, b = prev->n;
	struct base_row key = { .pid = pid, .tid = tid };

	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (CMP_TASK(&prev->rows[m], &key) < 0)
			a = m + 1;
		else
			b = m;
	}
	for (; a < prev->n && prev->rows[a].pid == pid && prev->rows[a].tid == tid; a++) {
		const struct base_row *r = &prev->rows[a];
		if (fits(r->start, lo, hi, tick))
			return (long)a;
	}
	return -1;
}

/* Whether the scan's selection (select.h's criteria, as the scan applied
 * them) takes an ended task of these ids and name.  A record has no
 * process group and no command line: -C matches the name (as for a
 * zombie, which has no command line either), -u its owner (the scan's,
 * or the record's real uid for one never seen), and -P and --tree take a task whose parent
 * the scan selected (children are born in their parent's group, and are
 * its descendants); --tree also takes a task that meets the criteria
 * itself, as a root of the tree. */
static bool selected(const struct scan_options *so, const struct scan_snapshot *cur, size_t n0,
		     double tick, int pid, int ppid, unsigned uid, const char *comm)
{
	const struct sel_criteria *c = &so->sel;
	bool by_parent = (c->npgids || c->tree) && ppid > 0 &&
			 find_row(cur->rows, n0, ppid, 0, 0, 1e300, tick) >= 0;
	bool any_uid = !c->nuids;

	if (c->tree && by_parent)
		return true;
	if (c->npids && !bsearch(&pid, c->pids, c->npids, sizeof(*c->pids), cli_cmp_int))
		return false;
	for (size_t i = 0; i < c->nuids && !any_uid; i++)
		any_uid = c->uids[i] == uid;
	if (!any_uid)
		return false;
	if (c->re && regexec(c->re, comm, 0, NULL, 0) != 0)
		return false;
	return !c->npgids || by_parent;
}

/* With a filter, a process the scan did not keep may still live: asked of
 * its stat.  A zombie has ended: its record is its last word (one the scan
 * kept waits in the scan until it is reaped; one it did not is reported
 * now, else it would be forgotten). */
static bool alive_unscanned(const struct scan_options *so, const struct proc_root *root,
			    int pid, double lo, double hi, double tick)
{
	struct proc_stat st;

	if (!root || (!so->sel.npids && !so->sel.npgids && !so->sel.nuids && !so->sel.re &&
		      !so->sel.tree))
		return false; /* the scan kept every process */
	if (proc_read_stat(root, pid, 0, &st, NULL) < 0 || st.state == 'X' || st.state == 'Z')
		return false;
	return fits(st.start, lo, hi, tick);
}

/* Remembers a task reported as exited (its start window). */
static int remember(struct exits *x, int pid, int tid, double lo, double hi)
{
	struct exit_seen *v = cli_grow(x->seen, &x->seen_cap, x->nseen + 1, sizeof(*v), 64);

	if (!v)
		return -ENOMEM;
	x->seen = v;
	v[x->nseen++] = (struct exit_seen){ pid, tid, lo, hi };
	return 0;
}

/* Drops from cur the rows of tasks reported as exited already (zombies
 * whose parent has not waited yet: their I/O was reported), and forgets
 * those no scan shows any more. */
static void drop_reported(struct exits *x, struct scan_snapshot *cur, double tick)
{
	size_t kept = 0;

	if (!x->nseen)
		return;
	bool *there = calloc(x->nseen, sizeof(*there));
	if (!there)
		return; /* then kept as they are: a zombie may count twice */
	for (size_t i = 0; i < x->nseen; i++) {
		const struct exit_seen *e = &x->seen[i];
		long r = find_row(cur->rows, cur->n, e->pid, e->tid, e->slo, e->shi, tick);
		if (r >= 0) {
			there[i] = true;
			cur->rows[r].flags |= ROW_EXITED; /* dropped below */
		}
	}
	size_t n = 0;
	for (size_t i = 0; i < cur->n; i++)
		if (!(cur->rows[i].flags & ROW_EXITED))
			cur->rows[n++] = cur->rows[i];
	cur->n = n;
	for (size_t i = 0; i < x->nseen; i++)
		if (there[i])
			x->seen[kept++] = x->seen[i];
	x->nseen = kept;
	free(there);
}

/* Appends an exited row to cur.  0 or -ENOMEM. */
static int add_row(struct scan_snapshot *cur, const struct scan_row *r, const char *comm,
		   const char *extra)
{
	struct scan_row *rows = cli_grow(cur->rows, &cur->cap, cur->n + 1, sizeof(*rows), 256);

	if (!rows)
		return -ENOMEM;
	cur->rows = rows;
	rows[cur->n] = *r;
	if (scan_add_names(cur, &rows[cur->n], comm, extra) < 0)
		return -ENOMEM;
	cur->n++;
	return 0;
}

/* The row of an exited task: paired with what the scan before saw of it
 * (never below it), or new since then.  Its owner is the one that scan
 * read (the effective uid, when the scan reads owners), else the record's
 * uid, its real one: the kernel sends no other. */
static struct scan_row exited_row(const struct base *prev, const struct scan_options *so, int pid,
				  int tid, double lo, double hi,
				  const unsigned long long io[IO_NFIELDS], unsigned uid,
				  long clock_ticks)
{
	double tick = 1.0 / (double)clock_ticks;
	struct scan_row r = { .pid = pid, .tid = tid, .prio = -1, .flags = ROW_EXITED, .uid = uid };
	long b = find_base(prev, pid, tid, lo, hi, tick);

	memcpy(r.io, io, sizeof(r.io));
	if (b >= 0) {
		const struct base_row *o = &prev->rows[b];
		if (so->need & NEED_OWNER)
			r.uid = o->uid;
		r.start = o->start;
		r.delay = o->delay; /* the record has none: nothing more */
		for (int f = 0; f < IO_NFIELDS; f++)
			if (r.io[f] < o->io[f])
				r.io[f] = o->io[f]; /* rounded down to KiB: no less than seen */
	} else {
		/* never seen: born after the scan before, all of it counts */
		double mid = (lo + hi) / 2;
		unsigned long long s = mid > 0 ? (unsigned long long)(mid * (double)clock_ticks) : 0;
		unsigned long long after = (unsigned long long)(prev->uptime * (double)clock_ticks) + 1;
		r.start = s > after ? s : after;
	}
	return r;
}

/* --- threads (-t) ---------------------------------------------------------------- */

/* Records of threads the scan still shows wait at the front of x->rec
 * for the scan that no longer does (*kept of them): the scan may have
 * read the thread before its last I/O, the record coming in the drain
 * after it. */
static int thread_rows(struct exits *x, const struct base *prev, struct scan_snapshot *cur,
		       size_t n0, const struct scan_options *so, long clock_ticks, size_t *kept)
{
	double tick = 1.0 / (double)clock_ticks;

	*kept = 0;
	for (size_t i = 0; i < x->nrec; i++) {
		const struct exit_rec *e = &x->rec[i];
		double lo = e->lo - e->age, hi = e->hi - e->age;
		if (find_row(cur->rows, n0, e->tgid, e->tid, lo, hi, tick) >= 0) {
			/* the scan has it still (read before its end, or a
			 * zombie leader): its row has the interval so far */
			x->rec[(*kept)++] = *e;
			continue;
		}
		struct scan_row r = exited_row(prev, so, e->tgid, e->tid, lo, hi, e->io, e->uid,
					       clock_ticks);
		if (!selected(so, cur, n0, tick, e->tgid, e->ppid, r.uid, e->comm))
			continue;
		r.ppid = e->ppid;
		if (add_row(cur, &r, e->comm, NULL) < 0 || remember(x, e->tgid, e->tid, lo, hi) < 0)
			return -ENOMEM;
		x->rows++;
	}
	return 0;
}

/* --- processes ------------------------------------------------------------------- */

static uint64_t pid_hash(int pid)
{
	return (uint64_t)(unsigned)pid * 2654435761u;
}

static uint64_t proc_hash(const void *ctx, size_t i)
{
	return pid_hash(((const struct exits *)ctx)->proc[i].pid);
}

static int reindex(struct exits *x)
{
	return cli_slots_index(&x->slots, x->nproc, x->nproc, proc_hash, x);
}

/* The process pid whose start window meets [lo, hi] (the latest made), or
 * -1. */
static long find_proc(const struct exits *x, int pid, double lo, double hi, double tick)
{
	long found = -1;
	size_t i;

	for (struct cli_slots_walk w = cli_slots_walk(&x->slots, pid_hash(pid));
	     cli_slots_next(&w, &i);) {
		const struct exit_proc *p = &x->proc[i];
		if (p->pid == pid && p->slo <= hi + 2 * tick && lo <= p->shi + 2 * tick &&
		    (long)i > found)
			found = (long)i;
	}
	return found;
}

static long new_proc(struct exits *x, int pid, double lo, double hi)
{
	struct exit_proc *v = cli_grow(x->proc, &x->proc_cap, x->nproc + 1, sizeof(*v), 64);

	if (!v)
		return -1;
	x->proc = v;
	if (!cli_slots_fit(&x->slots, x->nproc + 1) &&
	    cli_slots_index(&x->slots, x->nproc, x->nproc + 1, proc_hash, x) < 0)
		return -1;
	v[x->nproc] = (struct exit_proc){ .pid = pid, .slo = lo, .shi = hi };
	cli_slots_put(&x->slots, pid_hash(pid), x->nproc);
	return (long)x->nproc++;
}

static unsigned long long sum(unsigned long long a, unsigned long long b)
{
	return a + b < a ? ~0ULL : a + b;
}

static int cmp_seq(const void *a, const void *b, void *ctx)
{
	const struct exit_proc *p = ctx;
	unsigned x = p[*(const unsigned *)a].seq, y = p[*(const unsigned *)b].seq;
	return (x > y) - (x < y);
}

static int process_rows(struct exits *x, const struct base *prev, struct scan_snapshot *cur,
			size_t n0, const struct scan_options *so, const struct proc_root *root,
			long clock_ticks)
{
	double tick = 1.0 / (double)clock_ticks;

	/* each thread's record to its process */
	for (size_t i = 0; i < x->nrec; i++) {
		const struct exit_rec *e = &x->rec[i];
		double lo = e->group_age >= 0 ? e->lo - e->group_age : 0;
		double hi = e->group_age >= 0 ? e->hi - e->group_age : e->hi;
		long k = find_proc(x, e->tgid, lo, hi, tick);
		if (k < 0 && (k = new_proc(x, e->tgid, lo, hi)) < 0)
			return -ENOMEM;
		struct exit_proc *p = &x->proc[k];
		if (lo > p->slo)
			p->slo = lo;
		if (hi < p->shi)
			p->shi = hi;
		for (int f = 0; f < IO_NFIELDS; f++)
			p->io[f] = sum(p->io[f], e->io[f]);
		p->seq = e->seq;
		if (e->tid == e->tgid || !p->leader_seen) {
			memcpy(p->comm, e->comm, sizeof(p->comm));
			p->ppid = e->ppid;
			p->uid = e->uid;
			p->leader_seen = e->tid == e->tgid;
		}
		if (e->tid == e->tgid)
			p->leader_ended = true;
	}
	/* which of them still live */
	unsigned *ended = malloc((x->nproc + 1) * sizeof(*ended));
	size_t nended = 0;
	if (!ended)
		return -ENOMEM;
	for (size_t i = 0; i < x->nproc; i++) {
		struct exit_proc *p = &x->proc[i];
		p->alive = find_row(cur->rows, n0, p->pid, 0, p->slo, p->shi, tick) >= 0;
		if (p->alive)
			continue;
		/* one the scan left out that still lives (its effective user is
		 * not its real one, say) is not ours to remember: forgotten.
		 * Once its main thread's record is in, it has ended, whatever its
		 * stat says: the kernel sends the record before it tears the
		 * task down (exit_mm and the rest), and only then makes it a
		 * zombie, so a record read at once finds it "running" still */
		if (!p->leader_ended && selected(so, cur, n0, tick, p->pid, p->ppid, p->uid, p->comm) &&
		    alive_unscanned(so, root, p->pid, p->slo, p->shi, tick))
			continue;
		ended[nended++] = (unsigned)i;
	}
	/* the ended ones, children before the parents that reaped them (a
	 * parent's last record comes after its children's): each one's row,
	 * then its whole total to its reaper */
	cli_sort_r(ended, nended, sizeof(*ended), cmp_seq, x->proc);
	int r = 0;
	for (size_t i = 0; i < nended && r == 0; i++) {
		struct exit_proc p = x->proc[ended[i]];
		struct scan_row row = exited_row(prev, so, p.pid, 0, p.slo, p.shi, p.io, p.uid,
						 clock_ticks);
		if (selected(so, cur, n0, tick, p.pid, p.ppid, row.uid, p.comm)) {
			row.flags |= ROW_REAPED; /* in its reaper's counters now */
			row.ppid = p.ppid;
			const char *extra = NULL;
			long pr = p.ppid > 0 ? find_row(cur->rows, n0, p.ppid, 0, 0, p.shi, tick) : -1;
			if (pr >= 0 && (so->need & NEED_CGROUP))
				extra = scan_extra(cur, &cur->rows[pr]); /* born in its cgroup */
			if (add_row(cur, &row, p.comm, extra) < 0 ||
			    remember(x, p.pid, 0, p.slo, p.shi) < 0) {
				r = -ENOMEM;
				break;
			}
			x->rows++;
		}
		if (p.ppid <= 0)
			continue;
		/* its reaper: a process of these records, or one the scan has */
		long k = find_proc(x, p.ppid, 0, p.shi, tick);
		if (k < 0) {
			long pr = find_row(cur->rows, n0, p.ppid, 0, 0, p.shi, tick);
			if (pr < 0 || (root && proc_ignores_sigchld(root, p.ppid) == 1))
				continue; /* not seen, or the kernel adds it to nobody */
			double s = (double)cur->rows[pr].start * tick;
			if ((k = new_proc(x, p.ppid, s, s + tick)) < 0) {
				r = -ENOMEM;
				break;
			}
			x->proc[k].alive = true;
			x->proc[k].leader_seen = true;
			x->proc[k].ppid = cur->rows[pr].ppid;
		}
		for (int f = 0; f < IO_NFIELDS; f++)
			x->proc[k].io[f] = sum(x->proc[k].io[f], p.io[f]);
		if (x->proc[k].seq < p.seq)
			x->proc[k].seq = p.seq;
	}
	free(ended);
	/* keep the living */
	size_t n = 0;
	for (size_t i = 0; i < x->nproc; i++)
		if (x->proc[i].alive)
			x->proc[n++] = x->proc[i];
	x->nproc = n;
	return r < 0 ? r : reindex(x);
}

/* --- the scan's rows ------------------------------------------------------------- */

static int cmp_row(const void *a, const void *b)
{
	const struct scan_row *x = a, *y = b;
	int c = CMP_TASK(x, y);
	return c ? c : (x->start > y->start) - (x->start < y->start);
}

int exits_add_rows(struct exits *x, const struct base *prev, struct scan_snapshot *cur,
		   const struct scan_options *so, const struct proc_root *root, long clock_ticks)
{
	x->rows = 0;
	x->missed = 0;
	if (!x->on)
		return 0;
	if (x->broken) { /* no more exits known: the caller says so, once */
		x->on = false;
		x->nrec = 0;
		return 0;
	}
	if (drain(x) < 0)
		return -ENOMEM;
	unsigned drops = ts_drops(&x->ts);
	x->missed = (size_t)(drops - x->drops) + overflow;
	x->drops = drops;
	overflow = 0;
	x->missed_run += x->missed;

	double tick = 1.0 / (double)clock_ticks;
	drop_reported(x, cur, tick);
	size_t n0 = cur->n, kept = 0;
	int r = x->threads ? thread_rows(x, prev, cur, n0, so, clock_ticks, &kept)
			   : process_rows(x, prev, cur, n0, so, root, clock_ticks);
	x->nrec = kept;
	if (x->rows)
		cli_sort(cur->rows, cur->n, sizeof(*cur->rows), cmp_row);
	return r;
}

void exits_discard(struct exits *x)
{
	if (!x->on)
		return;
	drain(x);
	x->nrec = 0;
	overflow = 0;
	x->drops = ts_drops(&x->ts);
}

void exits_strip(struct scan_snapshot *cur)
{
	size_t n = 0;

	for (size_t i = 0; i < cur->n; i++)
		if (!(cur->rows[i].flags & ROW_EXITED))
			cur->rows[n++] = cur->rows[i];
	cur->n = n;
}
