/* SPDX-License-Identifier: MIT */
/*
 * iopstat: per-process I/O from /proc/<pid>/io, for scripts, cron jobs, logs
 * and Prometheus.  One snapshot of lifetime totals, or INTERVAL [COUNT]
 * samples of what changed; with -d, the block devices and NFS mounts.
 * The run: parse_args() (args.c) returns a mode, and each mode's function
 * is made of the shared steps: the first read ("once"), the sampling loop
 * (intervals(): sleep, read, pair, emit), the summary, run_free().
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "iopcli/array.h"
#include "iopcli/buf.h"
#include "iopcli/cli.h"
#include "iopcli/xalloc.h"
#include "args.h"
#include "atomic.h"
#include "devices.h"
#include "exits.h"
#include "groups.h"
#include "state.h"
#include "output.h"
#include "scan.h"
#include "sample.h"

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* What the scanner must read for the columns, the sort key and the mode;
 * the filters add theirs in the scanner. */
static unsigned scan_needs(const struct config *c)
{
	unsigned need = columns[c->sort].need;

	for (size_t i = 0; i < c->out.ncols; i++)
		need |= columns[c->out.cols[i]].need;
	/* samples pair tasks by (pid, start time); Prometheus names series by it */
	if (c->interval > 0 || c->out.format == FMT_PROMETHEUS)
		need |= NEED_STAT;
	if (c->group_by != GROUP_PID)
		need |= group_by_need(c->group_by);
	if (c->cmdline && config_shows(c, COL_COMMAND))
		need |= NEED_CMDLINE; /* COMMAND as the command line */
	if (c->out.format == FMT_TABLE && config_shows(c, COL_PRIO))
		need |= NEED_PRIO_MARK; /* only a table marks PRIO */
	return need;
}

/* A file (-w, --state) that could not be replaced, with errno's why. */
static void __attribute__((noreturn)) replace_failed(const char *path)
{
	if (errno == EEXIST)
		errx(EXIT_FAILURE, "will not replace %s: not a regular file", path);
	err(EXIT_FAILURE, "cannot write %s", path);
}

struct emit_ctx {
	struct cli_buf *b;
	const struct report *rep;
	enum report_kind kind;
	const struct output_options *o;
};

static int write_report(FILE *f, void *arg)
{
	const struct emit_ctx *x = arg;

	return output_report(f, x->b, x->rep, x->kind, x->o, true);
}

/* Says once what a table's "be/4*" means, when one is shown (-t shows each
 * thread's own). */
static void note_marks(const struct config *c, const struct report *rep)
{
	static bool said;

	if (said || c->quiet || c->out.format != FMT_TABLE || rep->groups || !config_shows(c, COL_PRIO))
		return;
	for (size_t i = 0; i < rep->n; i++)
		if (report_task(rep, &rep->rows[i])->flags & ROW_PRIO_MIXED) {
			warnx("*: some threads of these processes have another I/O priority; see -t");
			said = true;
			return;
		}
}

/* Writes one report in the format of o to stdout, or atomically replaces
 * --write's file with it. 'first': the run's first. */
static void emit_report(const struct config *c, struct cli_buf *b, const struct report *rep,
			const struct output_options *o, enum report_kind kind, bool first)
{
	note_marks(c, rep);
	if (!c->output_file) {
		if (output_report(stdout, b, rep, kind, o, first) < 0) {
			/* a reader that went away (SIGPIPE ignored): quiet, status 0;
			 * any other error is reported once, at exit, with its errno */
			exit(errno == EPIPE ? EXIT_SUCCESS : EXIT_FAILURE);
		}
		return;
	}
	struct emit_ctx ctx = { b, rep, kind, o };
	/* collectors run as other users: 0666 less umask */
	if (atomic_replace(c->output_file, 0666, write_report, &ctx) < 0) {
		if (errno == EISDIR)
			err(EXIT_FAILURE, "will not replace %s", c->output_file);
		replace_failed(c->output_file);
	}
}

/* ";KEY=ID,ID,..." when there are ids */
static void put_ids(struct cli_buf *b, const char *key, const int *v, size_t n)
{
	if (!n)
		return;
	cli_buf_puts(b, key);
	for (size_t i = 0; i < n; i++) {
		if (i)
			cli_buf_putc(b, ',');
		cli_buf_u64(b, (unsigned)v[i]);
	}
}

/* What chooses and groups the processes, as a state file records it: a
 * state written for other options does not carry over. */
static char *describe_selection(const struct config *c)
{
	struct cli_buf b = { 0 };

	cli_buf_puts(&b, "group-by=");
	cli_buf_puts(&b, group_by_names[c->group_by]);
	cli_buf_puts(&b, ";proc=");
	cli_buf_puts(&b, c->proc_dir);
	put_ids(&b, ";pids=", c->pids, c->npids);
	if (c->filter_uid) {
		cli_buf_puts(&b, ";uid=");
		cli_buf_u64(&b, c->uid);
	}
	put_ids(&b, ";pgids=", c->pgids, c->npgids);
	if (c->sel.full)
		cli_buf_puts(&b, ";full");
	if (c->sel.tree)
		cli_buf_puts(&b, ";tree");
	if (c->sel.have_re) {
		cli_buf_puts(&b, ";command=");
		cli_buf_puts(&b, c->command_re);
	}
	cli_buf_putc(&b, '\0');
	return b.p;
}

/* The groups' counters at the first scan: carried over from --state when
 * its file is good, else (as on a first run) the members' own totals. */
static void count_groups(const struct config *c, struct groups *g, struct base *prev,
			 const struct scan_snapshot *cur, const struct proc_root *root,
			 const struct state_id *sid)
{
	char why[512];
	int r = c->state_file ? state_load(c->state_file, sid, prev, g, why, sizeof(why)) : 0;

	if (r == 1) {
		if (groups_step(g, prev, cur, root, c->out.clock_ticks) < 0)
			xalloc_die();
		groups_mark_first(g);
		return;
	}
	if (r == -2) /* planted by someone else: believe nothing, write nothing */
		errx(EXIT_FAILURE, "refusing the state in %s: %s", c->state_file, why);
	if (r < 0 && !c->quiet)
		warnx("not using the state in %s: %s; the counters start again from the "
		      "processes' own totals", c->state_file, why);
	else if (c->state_file && !c->quiet)
		warnx("no state in %s yet: the counters start from the processes' own totals",
		      c->state_file);
	if (groups_start(g, cur) < 0)
		xalloc_die();
}

static void save_state(const struct config *c, const struct state_id *sid,
		       const struct scan_snapshot *cur, const struct groups *g)
{
	if (c->state_file && state_save(c->state_file, sid, cur, g) < 0)
		replace_failed(c->state_file);
}

/* The lock beside --state's file, or exit with why not. */
static int take_lock(const struct config *c)
{
	struct state_lock_error e;
	int fd = state_lock(c->state_file, c->lock_wait, &e);

	if (fd >= 0)
		return fd;
	if (errno == EPERM)
		errx(EXIT_FAILURE, "refusing the lock %s.lock: %s", c->state_file, e.why);
	if (errno == ETIMEDOUT && e.holder > 0)
		errx(EXIT_FAILURE, "cannot lock %s.lock: another run (PID %d) has held it for more "
		     "than %g s (--lock-wait)", c->state_file, e.holder, c->lock_wait);
	if (errno == ETIMEDOUT)
		errx(EXIT_FAILURE, "cannot lock %s.lock: another run has held it for more than "
		     "%g s (--lock-wait)", c->state_file, c->lock_wait);
	if (errno == ENAMETOOLONG)
		errx(EXIT_FAILURE, "cannot lock %s.lock: %s: the state file's name may be at most "
		     "%d bytes (its lock adds \".lock\")", c->state_file, strerror(errno),
		     STATE_NAME_MAX);
	err(EXIT_FAILURE, "cannot lock %s.lock", c->state_file);
}

/* One-time notes on stderr, after the first scan. */
static void notes(const struct config *c, const struct proc_root *root,
		  const struct scan_snapshot *s)
{
	if (c->quiet)
		return;
	if (s->denied && !c->npids) { /* with -p, each missing pid is named instead */
		const char *what = c->threads ? (s->denied == 1 ? "thread" : "threads")
					      : (s->denied == 1 ? "process" : "processes");
		warnx("%zu %s not shown: I/O counters not readable (permission denied)%s",
		      s->denied, what, geteuid() ? "; run as root to see all" : "");
	}
	if (c->iodelay_asked && proc_delayacct_enabled(root) == 0)
		warnx("IODELAY is 0: delay accounting is off (sysctl kernel.task_delayacct=1)");
}

/* -p PIDs that no row shows: gone, or not readable.  Returns how many. */
static int missing_pids(const struct config *c, const struct proc_root *root,
			const struct scan_snapshot *s)
{
	int missing = 0;
	size_t j = 0;

	if (c->filter_uid || c->sel.have_re || c->npgids || c->sel.tree)
		return 0; /* a named pid may be filtered out on purpose */
	for (size_t i = 0; i < c->npids; i++) {
		int pid = c->pids[i];
		while (j < s->n && s->rows[j].pid < pid)
			j++;
		if (j < s->n && s->rows[j].pid == pid)
			continue;
		/* why: read its io again (access is checked at read, not open) */
		char buf[512];
		int e = (int)-proc_read(root, pid, 0, "io", buf, sizeof(buf), NULL);
		if (e == ENOENT && proc_read(root, pid, 0, "stat", buf, sizeof(buf), NULL) == -ENOENT)
			warnx("PID %d: no such process", pid);
		else if (e == EACCES || e == EPERM)
			warnx("PID %d: I/O counters not readable (permission denied)", pid);
		else if (e == ENOENT)
			warnx("PID %d: no I/O counters (the kernel keeps none for it)", pid);
		else if (e > 0)
			warnx("PID %d: I/O counters not readable (%s)", pid, strerror(e));
		else
			warnx("PID %d: not readable (its stat or io is not what the kernel writes)", pid);
		missing++;
	}
	return missing;
}

static void scan(const struct proc_root *root, const struct scan_options *so,
		 struct scan_snapshot *s)
{
	int r = scan_tasks(root, so, s);
	if (r == -ENOMEM)
		xalloc_die();
	if (r < 0)
		errx(EXIT_FAILURE, "cannot read %s: %s", root->path, strerror(-r));
}

/* Listens for exit notifications where that makes sense (an interval run
 * whose reports are deltas, or groups) and is allowed; says once when it
 * is not, unless -q or --no-exits. */
static void listen_exits(struct config *c, const struct proc_root *root, struct exits *x)
{
	bool lifetime = formats[c->out.format].lifetime;
	bool grouped = c->group_by != GROUP_PID;
	int e;

	*x = (struct exits){ .ts.fd = -1 };
	if (c->interval == 0 || c->no_exits || (lifetime && !grouped))
		return;
	e = root->own ? exits_open(x, c->threads) : -EXDEV;
	if (e < 0) {
		if (!c->quiet) {
			const char *why = e == -EPERM ? "exit notifications need CAP_NET_ADMIN (run as root)"
					  : e == -EXDEV ? "the exit notifications are not of this procfs"
					  : e == -EINVAL ? "exit notifications are for the initial pid namespace only"
					  : e == -ENOENT ? "this kernel has no taskstats"
							 : strerror(-e);
			warnx("processes that live less than an interval are not shown: %s", why);
		}
		return;
	}
	/* the EXITED column among the default ones (before COMMAND, which
	 * stays last) */
	if (grouped || c->out.format == FMT_PROMETHEUS || (c->columns && c->columns[0] != '+') ||
	    config_shows(c, COL_EXITED) || c->out.ncols >= NCOLS)
		return;
	size_t at = c->out.ncols;
	for (size_t i = 0; i < c->out.ncols; i++)
		if (c->out.cols[i] == COL_COMMAND)
			at = i;
	memmove(&c->out.cols[at + 1], &c->out.cols[at], (c->out.ncols - at) * sizeof(c->out.cols[0]));
	c->out.cols[at] = COL_EXITED;
	c->out.ncols++;
}

/* Where the report has no place for it (CSV, Prometheus), the exits
 * missed in an interval are said on stderr. */
static void note_missed(const struct config *c, const struct exits *x)
{
	if (x->missed && !c->quiet &&
	    (c->out.format == FMT_CSV || c->out.format == FMT_PROMETHEUS))
		warnx("%zu exits missed in this interval (the notification buffer overflowed)",
		      x->missed);
}

static void sleep_until(const struct timespec *t)
{
	while (!stop_requested && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, t, NULL) == EINTR)
		;
}

/* -d's notes: lines of the kernel's files that are not what it writes */
static void device_notes(const struct config *c, const struct dev_read *r)
{
	static bool said_disks, said_nfs;

	if (c->quiet)
		return;
	if (r->bad && !said_disks) {
		warnx("%s/diskstats: %zu %s not what the kernel writes (the first: line %zu), left out",
		      c->proc_dir, r->bad, r->bad == 1 ? "line" : "lines", r->bad_line);
		said_disks = true;
	}
	if (r->nfs_bad && !said_nfs && c->nfs_out.ncols) {
		warnx("%s/self/mountstats: %zu %s not what the kernel writes, left out", c->proc_dir,
		      r->nfs_bad, r->nfs_bad == 1 ? "mount whose statistics are" : "mounts whose statistics are");
		said_nfs = true;
	}
}

/* The device names of -d LIST or -p that neither diskstats nor an NFS
 * mount has: said, and counted. */
static int missing_devices(const struct config *c, const struct dev_read *r)
{
	int missing = 0;

	for (size_t i = 0; i < c->ndev_names; i++) {
		const char *name = c->dev_names[i];
		bool found = false;
		for (size_t k = 0; k < r->n && !found; k++)
			found = !strcmp(r->disks[k].name, name);
		for (size_t k = 0; k < r->nnfs && !found; k++)
			found = !strcmp(r->nfs[k].mountpoint, name) || !strcmp(r->nfs[k].device, name);
		if (!found) {
			warnx("%s: no such device in %s/diskstats%s", name, c->proc_dir,
			      c->nfs_out.ncols ? " nor NFS mount" : "");
			missing++;
		}
	}
	return missing;
}

/* Everything a run holds, whatever its mode; run_free() releases it all. */
struct run {
	struct config *c;
	struct proc_root proot;
	const struct proc_root *root;
	struct report_options ro;
	struct report rep;
	struct cli_buf buf;
	int status;
	long long done;       /* reports the sampling loop has written */
	bool emitted;         /* a report was written: the next is not the first */
	int sysfs;            /* --sys: -d's schedulers, the system line's disks */
	/* the processes */
	struct scan_options so;
	bool lifetime;        /* the format reports counters, never deltas */
	bool grouped;         /* --group-by */
	bool summary;         /* the run ends with a summary */
	bool keep_scans;      /* the first and previous scans are kept for it */
	struct scan_snapshot snaps[3], *first, *prev, *cur;
	struct groups groups;
	struct base base;
	struct state_id sid;
	int lock;             /* --state's */
	struct exits ex;      /* the kernel's exit notifications */
	struct run_exits exits; /* for the summary: who ended, having done what */
	double started;
	/* the system line of interval reports */
	bool want_sys;
	unsigned sys_what;
	struct dev_read sysr[2];
	struct sys_line sl;
	int sys_at;
	/* -d */
	struct dev_read reads[2], *dcur;
	struct dev_view view;
	struct dev_select dsel;
	unsigned what;
	struct scan_snapshot when;
};

static void run_open(struct run *r, struct config *c)
{
	*r = (struct run){ .c = c, .sysfs = -1, .lock = -1, .ex = { .ts.fd = -1 },
			   .ro = { .sort = column_sort_by(c->sort), .only_active = c->only_active, .top = c->top,
				   .threads = c->threads } };
	int e = proc_root_open(&r->proot, c->proc_dir);
	if (e < 0)
		errx(EXIT_FAILURE, "cannot open %s: %s", c->proc_dir, strerror(-e));
	r->root = &r->proot;
}

static void run_free(struct run *r)
{
	base_free(&r->base);
	groups_free(&r->groups);
	if (r->lock >= 0)
		close(r->lock);
	report_exits_free(&r->exits);
	exits_close(&r->ex);
	for (int i = 0; i < 2; i++) {
		dev_read_free(&r->sysr[i]);
		dev_read_free(&r->reads[i]);
	}
	dev_view_free(&r->view);
	if (r->sysfs >= 0)
		close(r->sysfs);
	for (int i = 0; i < 3; i++)
		scan_snapshot_free(&r->snaps[i]);
	report_free(&r->rep);
	cli_buf_free(&r->buf);
	proc_root_close(&r->proot);
}

/* One report, in the format of o: the run's first or not. */
static void emit(struct run *r, const struct output_options *o, enum report_kind kind)
{
	emit_report(r->c, &r->buf, &r->rep, o, kind, !r->emitted);
	r->emitted = true;
}

/* SA_RESTART: a write blocked on a slow reader (iopstat 1 | less) goes on
 * after Ctrl-C, and the summary follows; the sleep between samples is cut
 * short all the same (clock_nanosleep is never restarted after a handler) */
static void catch_stop_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal, .sa_flags = SA_RESTART };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* The sampling loop of every interval mode: COUNT times (or until a stop
 * signal) wait for the next INTERVAL, then sample (read, pair, emit). */
static void intervals(struct run *r, void (*sample)(struct run *r))
{
	struct timespec next;

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (r->done = 0; !stop_requested && (r->c->count == 0 || r->done < r->c->count); r->done++) {
		double at = (double)next.tv_sec + (double)next.tv_nsec / 1e9 + r->c->interval;
		next.tv_sec = (time_t)at;
		next.tv_nsec = (long)((at - (double)next.tv_sec) * 1e9);
		if (r->ex.on)
			exits_sleep_until(&r->ex, &next, &stop_requested);
		else
			sleep_until(&next);
		if (stop_requested)
			break;
		sample(r);
	}
}

/* ---- the processes ------------------------------------------------------- */

/* -p: a thread's id stands for its process (/proc/TID exists, unlisted):
 * counted once, not once more as a process of its own; sorted and unique,
 * the order the scan reads them in */
static void resolve_pids(struct config *c, const struct proc_root *root)
{
	size_t n = 1;

	sel_tids_to_pids(root, c->pids, c->npids);
	cli_sort(c->pids, c->npids, sizeof(*c->pids), cli_cmp_int);
	for (size_t i = 1; i < c->npids; i++)
		if (c->pids[i] != c->pids[n - 1])
			c->pids[n++] = c->pids[i];
	c->npids = n;
}

/* What every process mode does first: the selection, what the scanner
 * reads, and --state's lock and the clock it is checked against. */
static void procs_start(struct run *r)
{
	struct config *c = r->c;

	if (c->npids)
		resolve_pids(c, r->root);
	r->so = (struct scan_options){
		.sel = { .pids = c->pids, .npids = c->npids, .pgids = c->pgids, .npgids = c->npgids,
			 .uids = &c->uid, .nuids = c->filter_uid,
			 .re = c->sel.have_re ? &c->sel.re : NULL, .full = c->sel.full,
			 .tree = c->sel.tree,
			 /* itself, as ionice and ioprio-get leave themselves out of a tree */
			 .exclude = c->sel.tree && r->root->own ? (int)getpid() : 0 },
		.threads = c->threads,
		.need = scan_needs(c),
	};
	r->lifetime = formats[c->out.format].lifetime;
	r->grouped = c->group_by != GROUP_PID;
	r->groups = (struct groups){ .by = c->group_by, .expire = GROUP_EXPIRE_SECONDS };
	if (c->state_file) {
		c->selection = describe_selection(c);
		r->sid.selection = c->selection;
		r->lock = take_lock(c);
		/* what the state is checked against is read once the lock is
		 * held: a run that waited for another must not find that one's
		 * state newer than its own clock and throw it away */
		if (proc_boot_id(r->root, r->sid.boot, sizeof(r->sid.boot)) < 0)
			strcpy(r->sid.boot, "unknown");
	}
	r->sid.uptime = proc_uptime(r->root);
}

/* The first scan of a run, and its notes (what ended before it is not
 * the run's). */
static void first_scan(struct run *r, struct scan_snapshot *s)
{
	scan(r->root, &r->so, s);
	exits_discard(&r->ex);
	notes(r->c, r->root, s);
}

/* The report of scan cur: lifetime totals, or (paired) what changed since
 * the base, or the groups' counters. */
static void build(struct run *r, struct scan_snapshot *cur, bool paired)
{
	long ticks = r->c->out.clock_ticks;
	int e;

	if (r->grouped) {
		e = paired ? groups_step(&r->groups, &r->base, cur, r->root, ticks) : 0;
		if (e == 0)
			e = report_build_groups(&r->rep, &r->groups, cur,
						paired && !r->lifetime ? VIEW_DELTA : VIEW_COUNTERS,
						r->lifetime, paired ? cur->mono - r->base.mono : 0, &r->ro);
	} else {
		e = report_build(&r->rep, paired && !r->lifetime ? &r->base : NULL, cur, &r->ro, ticks);
		if (e == 0 && r->keep_scans)
			e = report_note_exits(&r->exits, r->first, r->prev, cur, ticks);
	}
	if (e < 0)
		xalloc_die();
}

/* iopstat [options]: one snapshot of lifetime totals */
static void run_snapshot(struct run *r)
{
	struct scan_snapshot *s = &r->snaps[0];

	procs_start(r);
	first_scan(r, s);
	if (r->grouped)
		count_groups(r->c, &r->groups, &r->base, s, r->root, &r->sid);
	build(r, s, false);
	emit(r, &r->c->out, REPORT_SNAPSHOT);
	save_state(r->c, &r->sid, s, &r->groups);
	if (missing_pids(r->c, r->root, s))
		r->status = EXIT_FAILURE;
}

/* The system line (a table with headings, JSON): the whole disks and the
 * I/O pressure, read right after each scan (-n: none); partitions are
 * told from disks through sysfs, so without it only pressure. */
static void sys_line_start(struct run *r)
{
	const struct config *c = r->c;

	r->want_sys = !r->lifetime && c->out.header &&
		      (c->out.format == FMT_TABLE || c->out.format == FMT_JSON);
	r->sysfs = r->want_sys ? open(c->sys_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	r->sys_what = DEV_READ_PSI | (r->sysfs >= 0 ? DEV_READ_DISKS : 0);
	r->sl = (struct sys_line){ .psi = 2 };
	if (r->want_sys && dev_read(&r->sysr[0], r->root, r->sysfs, r->sys_what) < 0)
		xalloc_die();
}

/* The system line of the report just built: the disks over the interval,
 * and what the processes did (the report's totals, which hold the tasks
 * that exited during the interval: their rows). */
static void sys_line_fill(struct run *r)
{
	struct sys_line *sl = &r->sl;

	r->sys_at = !r->sys_at;
	sys_line_devices(sl, &r->sysr[r->sys_at], &r->sysr[!r->sys_at]);
	sl->seconds = r->rep.seconds;
	sl->proc_read = r->rep.seconds > 0 ? (double)r->rep.io[IO_READ_BYTES] / r->rep.seconds : 0;
	sl->proc_write = r->rep.seconds > 0 ? (double)r->rep.io[IO_WRITE_BYTES] / r->rep.seconds : 0;
	r->c->out.sys = sl;
}

/* Before the first interval: the first scan (a named pid that is not
 * there is an error, as in one-shot mode; with none of them left there is
 * nothing to watch), the groups' counters, the base, the system line.
 * A summary (a table or JSON to stdout) needs the first scan and, for the
 * processes that end, the previous one in full: snaps[0] is the first, 1
 * and 2 take turns.  Without one (CSV, Prometheus, --write, groups, whose
 * counters carry the run) one snapshot is scanned again and again, and
 * the base kept of the last scan pairs the next: the least memory. */
static void procs_first(struct run *r)
{
	struct config *c = r->c;

	r->summary = !r->lifetime && !c->output_file && formats[c->out.format].summary;
	r->keep_scans = r->summary && !r->grouped;
	r->first = r->prev = &r->snaps[0];
	r->cur = r->keep_scans ? &r->snaps[1] : &r->snaps[0];
	listen_exits(c, r->root, &r->ex);
	first_scan(r, r->first);
	int missing = missing_pids(c, r->root, r->first);
	if (missing)
		r->status = EXIT_FAILURE;
	if (missing && (size_t)missing == c->npids)
		exit(EXIT_FAILURE);
	if (r->grouped)
		count_groups(c, &r->groups, &r->base, r->first, r->root, &r->sid);
	if (base_keep(&r->base, r->first) < 0 ||
	    (r->keep_scans && (scan_snapshot_reserve(&r->snaps[1], r->first) < 0 ||
			       scan_snapshot_reserve(&r->snaps[2], r->first) < 0)))
		xalloc_die();
	r->started = r->first->mono;
	sys_line_start(r);
}

/* One interval of processes: scan, the exits, pair, emit, keep. */
static void procs_sample(struct run *r)
{
	struct config *c = r->c;

	scan(r->root, &r->so, r->cur);
	if (r->want_sys && dev_read(&r->sysr[!r->sys_at], r->root, r->sysfs, r->sys_what) < 0)
		xalloc_die();
	if (r->ex.on && exits_add_rows(&r->ex, &r->base, r->cur, &r->so, r->root,
				       c->out.clock_ticks) < 0)
		xalloc_die();
	if (r->ex.broken && !r->ex.on && !c->quiet) {
		warnx("exit notifications failed: processes that live less than an "
		      "interval are not shown from now on");
		r->ex.broken = false;
	}
	build(r, r->cur, true);
	if (r->want_sys)
		sys_line_fill(r);
	r->rep.exits_on = r->ex.on;
	r->rep.exits_missed = r->ex.missed;
	note_missed(c, &r->ex);
	emit(r, &c->out, r->lifetime ? REPORT_SNAPSHOT : REPORT_INTERVAL);
	c->out.sys = NULL;
	/* reported once: the summary finds them in the kept scans, a state
	 * file and the next pairing never see them */
	if (!r->keep_scans)
		exits_strip(r->cur);
	save_state(c, &r->sid, r->cur, &r->groups);
	if (base_keep(&r->base, r->cur) < 0)
		xalloc_die();
	if (r->keep_scans) {
		r->prev = r->cur;
		r->cur = r->cur == &r->snaps[1] ? &r->snaps[2] : &r->snaps[1];
	}
}

/* The whole run at once, when there was more than one report: the groups'
 * counters, or the tasks still there and those that ended, built in the
 * snapshot that holds neither the first nor the last scan. */
static void procs_summary(struct run *r)
{
	int e;

	if (r->done <= 1 || !r->summary)
		return;
	if (r->grouped)
		e = report_build_groups(&r->rep, &r->groups, r->cur, VIEW_RUN, false,
					r->cur->mono - r->started, &r->ro);
	else
		e = report_build_summary(&r->rep, r->first, r->prev, &r->exits, r->cur, &r->ro,
					 r->c->out.clock_ticks);
	if (e < 0)
		xalloc_die();
	r->rep.exits_on = r->ex.on;
	r->rep.exits_missed = r->ex.missed_run;
	emit(r, &r->c->out, REPORT_SUMMARY);
}

/* iopstat [options] INTERVAL [COUNT]: what each process did in each */
static void run_intervals(struct run *r)
{
	procs_start(r);
	catch_stop_signals();
	procs_first(r);
	intervals(r, procs_sample);
	procs_summary(r);
}

/* ---- the devices (-d) ------------------------------------------------------ */

/* One read of diskstats (and the NFS mounts), with its notes. */
static void devs_read(struct run *r, struct dev_read *d)
{
	const struct config *c = r->c;

	if (dev_read(d, r->root, r->sysfs, r->what) < 0)
		xalloc_die();
	if (d->disks_error < 0 && c->out.ncols)
		errx(EXIT_FAILURE, "cannot read %s/diskstats: %s", c->proc_dir,
		     strerror(-d->disks_error));
	device_notes(c, d);
}

/* What every device mode does first: the first read, and the devices
 * named that it does not have. */
static void devs_start(struct run *r)
{
	const struct config *c = r->c;

	r->dsel = (struct dev_select){ .names = c->dev_names, .nnames = c->ndev_names,
				       .all = c->all_devices };
	/* named devices are looked for in diskstats */
	r->what = DEV_READ_DISKS | (c->nfs_out.ncols ? DEV_READ_NFS : 0);
	r->sysfs = open(c->sys_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->sysfs < 0 && !c->quiet)
		warn("%s: the schedulers are unknown", c->sys_dir);
	r->dcur = &r->reads[0];
	devs_read(r, r->dcur);
	if (missing_devices(c, r->dcur))
		r->status = EXIT_FAILURE;
}

/* busy more than all the time: a counter is wrong (wrapped, a driver's
 * bug, a fixture); said once, shown as it is */
static void note_absurd(const struct config *c, const struct dev_view *v)
{
	static bool said;
	double util;

	for (size_t i = 0; !said && !c->quiet && i < v->n; i++)
		if (dev_busy_absurd(&v->disks[i], &util)) {
			warnx("%s: busy %.0f%% of the time: its counters are not what the "
			      "kernel can count (wrapped, or a driver's bug)",
			      v->disks[i].now->name, util);
			said = true;
		}
}

/* The report of the last read (since prev, or since boot): the disks, then
 * the NFS mounts; JSON writes one object a report, with "disk" and "nfs"
 * ([] without a mount), a table no empty NFS table after the disks. */
static void devs_report(struct run *r, const struct dev_read *prev, enum report_kind kind)
{
	const struct config *c = r->c;
	bool json = c->out.format == FMT_JSON;

	r->when.when = r->dcur->when;
	if (dev_view_build(&r->view, r->dcur, prev, r->sysfs, &r->dsel) < 0)
		xalloc_die();
	for (int nfs = 0; nfs < 2; nfs++) {
		struct output_options o = nfs ? c->nfs_out : c->out;
		if (!o.ncols || (nfs && !r->view.nnfs && c->out.ncols && !json))
			continue;
		o.dev_more = json && !nfs && c->nfs_out.ncols;
		o.dev_cont = json && nfs && c->out.ncols;
		if (dev_report_build(&r->rep, &r->view, nfs, &r->ro, &r->when) < 0)
			xalloc_die();
		if (!nfs)
			note_absurd(c, &r->view);
		emit(r, &o, kind);
	}
}

/* iopstat -d: since boot */
static void run_devices(struct run *r)
{
	devs_start(r);
	devs_report(r, NULL, REPORT_SNAPSHOT);
}

/* One interval of devices: read into the other buffer, pair, emit. */
static void devs_sample(struct run *r)
{
	struct dev_read *prev = r->dcur;

	r->dcur = prev == &r->reads[0] ? &r->reads[1] : &r->reads[0];
	devs_read(r, r->dcur);
	devs_report(r, prev, REPORT_INTERVAL);
}

/* iopstat -d INTERVAL [COUNT]: each interval's change */
static void run_device_intervals(struct run *r)
{
	devs_start(r);
	catch_stop_signals();
	intervals(r, devs_sample);
}

int main(int argc, char **argv)
{
	static void (*const modes[])(struct run *) = {
		[MODE_SNAPSHOT] = run_snapshot, [MODE_INTERVALS] = run_intervals,
		[MODE_DEVICES] = run_devices, [MODE_DEVICE_INTERVALS] = run_device_intervals,
	};
	struct config c;
	struct run r;

	/* Large arrays in their own mappings: they grow by mremap() without a
	 * copy, and glibc does not raise the threshold behind our back (a copy
	 * while growing doubles the peak memory, and the goal is 4 MiB). */
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 64 * 1024);
#endif
	cli_close_stdout_at_exit();
	enum mode mode = parse_args(argc, argv, &c);
	run_open(&r, &c);
	modes[mode](&r);
	run_free(&r);
	config_free(&c);
	return r.status;
}
