/* SPDX-License-Identifier: MIT */
/*
 * ioprio-get: whose I/O priority is what, the effective one included (what
 * the kernel really uses for class none: the class from the scheduling
 * policy, the level from nice), for people (a table) and scripts (raw,
 * JSON, --value).  Options follow util-linux's lsblk/lsns/findmnt.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iopcli/buf.h"
#include "iopcli/cli.h"
#include "iopcli/table.h"
#include "iopcli/xalloc.h"
#include "devices.h"
#include <libioprio.h>
#include "iopcli/proc.h"
#include "iopcli/select.h"

#ifndef SCHED_BATCH
#define SCHED_BATCH 3
#endif
#ifndef SCHED_IDLE
#define SCHED_IDLE 5
#endif

enum get_column {
	GET_PID, GET_TID, GET_USER, GET_UID, GET_CLASS, GET_LEVEL, GET_HINT, GET_PRIO,
	GET_ECLASS, GET_ELEVEL, GET_EPRIO, GET_NICE, GET_POLICY, GET_VALUE, GET_EVALUE,
	GET_COMMAND, GET_COUNT
};

static const struct {
	const char *name; /* -o, JSON key (lower case) */
	bool number;      /* right-aligned, a JSON number */
	const char *help;
} cols[GET_COUNT] = {
	[GET_PID] = { "PID", true, "process id" },
	[GET_TID] = { "TID", true, "thread id (with --all-tasks)" },
	[GET_USER] = { "USER", false, "effective user, by name" },
	[GET_UID] = { "UID", true, "effective user id" },
	[GET_CLASS] = { "CLASS", false, "class set: none, realtime, best-effort, idle" },
	[GET_LEVEL] = { "LEVEL", true, "level set, 0 (highest) to 7" },
	[GET_HINT] = { "HINT", true, "hint set (Linux 6.5+), 0 for none" },
	[GET_PRIO] = { "PRIO", false, "class and level set, short: none, be/4, rt/0, idle" },
	[GET_ECLASS] = { "ECLASS", false, "effective class: the one the kernel uses" },
	[GET_ELEVEL] = { "ELEVEL", true, "effective level" },
	[GET_EPRIO] = { "EPRIO", false, "effective class and level, short" },
	[GET_NICE] = { "NICE", true, "CPU nice value (-20..19)" },
	[GET_POLICY] = { "POLICY", false, "scheduling policy: other, batch, idle, fifo, rr, deadline" },
	[GET_VALUE] = { "VALUE", true, "the priority set, as the kernel encodes it" },
	[GET_EVALUE] = { "EVALUE", true, "the effective priority, as the kernel encodes it" },
	[GET_COMMAND] = { "COMMAND", false, "command name" },
};

struct row {
	int pid, tid;
	unsigned uid;
	int value, evalue; /* set and effective, encoded */
	int nice, policy;
	char comm[64];
	/* for a process row whose threads do not all have the main thread's
	 * priority set: the distinct ones, the main thread's first */
	int *threads;
	size_t nthreads;
};

struct rows {
	struct row *v;
	size_t n, cap;
};

struct options {
	int *pids;
	size_t npids;
	int *pgids;
	size_t npgids;
	bool by_user, all, all_tasks, quiet, raw, json, value_only, header;
	struct cli_select sel; /* -C, --full, -T: a selection, as ionice's */
	unsigned uid;
	const char *user_arg;
	const char *proc_dir;
	const char *columns; /* -o as given */
	bool devices;        /* --devices */
	const char *sys;     /* --sys */
	enum get_column out[GET_COUNT * 2];
	size_t nout;
};

/* What a run does, as parse_args() tells main. */
enum get_mode { GET_MODE_PROCESSES, GET_MODE_DEVICES, GET_MODE_COLUMNS, GET_MODE_HELP,
		GET_MODE_VERSION };

static void __attribute__((noreturn)) usage(void)
{
	printf("Usage:\n"
	       " %1$s [options] [<pid>...]\n"
	       "\n"
	       "Show the I/O scheduling priority of processes or threads: the one set, and\n"
	       "the effective one the kernel uses (for class none: from the scheduling\n"
	       "policy and the nice value).  Without targets, of %1$s itself.\n"
	       "\n"
	       "Targets:\n"
	       " -p, --pid <pid>[,...]    these processes (also as arguments)\n"
	       " -P, --pgid <pgid>[,...]  every process of these process groups\n"
	       " -u, --user <user>        every process of this user (name or uid)\n"
	       " -A, --all                every process\n"
	       " -C, --command <regex>    the processes whose command name matches this\n"
	       "                            extended regex, as pgrep does\n"
	       "     --full               with -C: match the whole command line\n"
	       " -T, --tree               and all their descendants\n"
	       "                          (with -C or -T the targets combine: every kind met)\n"
	       " -a, --all-tasks          every thread of each process, a row each\n"
	       "     --proc <dir>         read the processes from this procfs (default /proc)\n"
	       "\n"
	       "Output:\n"
	       " -o, --output <list>      columns to show (+<list> adds to the default)\n"
	       "     --list-columns       list the columns and exit\n"
	       " -n, --noheadings         no header line\n"
	       " -r, --raw                unaligned, blank-separated, blanks escaped\n"
	       " -J, --json               JSON: {\"ioprio\": [ {...}, ... ]}\n"
	       "     --value              only the encoded priority set, one per line\n"
	       " -q, --quiet              count tasks that vanished or cannot be read,\n"
	       "                            instead of a line each\n"
	       "\n"
	       "Devices:\n"
	       "     --devices            each block device, its I/O scheduler, and whether\n"
	       "                            that honours priority classes and levels\n"
	       "     --sys <dir>          read the devices from <dir>/block (default /sys)\n"
	       "\n"
	       " -h, --help               display this help\n"
	       " -V, --version            display version\n"
	       "\n"
	       "For more details see ioprio-get(1).\n",
	       program_invocation_short_name);
	exit(EXIT_SUCCESS);
}

static void __attribute__((noreturn)) list_columns(void)
{
	for (int c = 0; c < GET_COUNT; c++)
		printf("%-8s %s\n", cols[c].name, cols[c].help);
	exit(EXIT_SUCCESS);
}

static const char *column_name(int c)
{
	return cols[c].name;
}

static void set_columns(struct options *o, const char *arg)
{
	int out[GET_COUNT];

	for (size_t i = 0; i < o->nout; i++)
		out[i] = (int)o->out[i];
	o->nout = cli_parse_columns(arg, true, column_name, GET_COUNT, out, o->nout, GET_COUNT);
	for (size_t i = 0; i < o->nout; i++)
		o->out[i] = (enum get_column)out[i];
}

enum { OPT_LIST_COLUMNS = 256, OPT_VALUE };
enum { OPT_DEVICES = 300, OPT_SYS, OPT_PROC };

static const struct option longopts[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "pgid", required_argument, NULL, 'P' },
	{ "user", required_argument, NULL, 'u' },
	{ "all", no_argument, NULL, 'A' },
	CLI_SELECT_LONGOPTS,
	{ "all-tasks", no_argument, NULL, 'a' },
	{ "output", required_argument, NULL, 'o' },
	{ "list-columns", no_argument, NULL, OPT_LIST_COLUMNS },
	{ "noheadings", no_argument, NULL, 'n' },
	{ "raw", no_argument, NULL, 'r' },
	{ "json", no_argument, NULL, 'J' },
	{ "value", no_argument, NULL, OPT_VALUE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "devices", no_argument, NULL, OPT_DEVICES },
	{ "sys", required_argument, NULL, OPT_SYS },
	{ "proc", required_argument, NULL, OPT_PROC },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* -p, -P, -u or -A: processes named or listed (not a selection's -C). */
static bool has_targets(const struct options *o)
{
	return o->npids || o->npgids || o->by_user || o->all;
}

/* The default columns (with -a the thread id after the pid), then -o's. */
static void choose_columns(struct options *o)
{
	static const enum get_column defaults[] = { GET_PID, GET_USER, GET_CLASS, GET_LEVEL,
		GET_HINT, GET_ECLASS, GET_ELEVEL, GET_NICE, GET_POLICY, GET_COMMAND };

	for (size_t i = 0; i < sizeof(defaults) / sizeof(*defaults); i++) {
		o->out[o->nout++] = defaults[i];
		if (defaults[i] == GET_PID && o->all_tasks)
			o->out[o->nout++] = GET_TID;
	}
	if (o->columns)
		set_columns(o, o->columns);
}

/* The one judge of combinations, once argv is read, in the order a user
 * meets them: the formats, then --devices and --sys, then the selection,
 * then the columns.  Returns what the run does. */
static enum get_mode check_options(struct options *o)
{
	if (o->raw + o->json + o->value_only > 1)
		cli_usage_error("--raw, --json and --value go one at a time");
	if (o->sys && !o->devices)
		cli_usage_error("--sys goes with --devices");
	if (o->devices) { /* the block devices instead of processes (--proc ignored) */
		if (has_targets(o) || o->all_tasks || o->quiet || o->value_only || o->columns ||
		    o->sel.have_re || o->sel.full || o->sel.tree)
			cli_usage_error("--devices lists devices, not processes: only --sys, -r, "
					"-J and -n go with it");
		return GET_MODE_DEVICES;
	}
	cli_select_check(&o->sel, has_targets(o), "-p, -P, -u, -A");
	choose_columns(o);
	return GET_MODE_PROCESSES;
}

/* argv into *o; --help, --version and --list-columns win where they stand
 * (what follows them is not read). */
static enum get_mode parse_args(int argc, char **argv, struct options *o)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":p:P:u:AC:Tao:nrJqhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			cli_add_id_list(&o->pids, &o->npids, optarg, "PID");
			break;
		case 'P':
			cli_add_id_list(&o->pgids, &o->npgids, optarg, "PGID");
			break;
		case 'u':
			o->uid = cli_user_arg(optarg);
			o->by_user = true;
			o->user_arg = optarg;
			break;
		case 'A':
			o->all = true;
			break;
		case 'a':
			o->all_tasks = true;
			break;
		case 'o':
			o->columns = optarg;
			break;
		case 'n':
			o->header = false;
			break;
		case 'r':
			o->raw = true;
			break;
		case 'J':
			o->json = true;
			break;
		case OPT_VALUE:
			o->value_only = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case OPT_DEVICES:
			o->devices = true;
			break;
		case OPT_SYS:
			o->sys = optarg;
			break;
		case OPT_PROC:
			o->proc_dir = optarg;
			break;
		case OPT_LIST_COLUMNS:
			return GET_MODE_COLUMNS;
		case 'h':
			return GET_MODE_HELP;
		case 'V':
			return GET_MODE_VERSION;
		default:
			if (!cli_select_option(&o->sel, c, optarg))
				cli_bad_option(c, argc, argv, longopts);
		}
	}
	for (; optind < argc; optind++)
		cli_add_id_list(&o->pids, &o->npids, argv[optind], "PID");
	return check_options(o);
}

/* --- reading tasks ---------------------------------------------------------- */

/* Why a task could not be read.  EINVAL: read, but not what the kernel
 * writes (a --proc tree). */
static const char *task_error(int error)
{
	if (error == ENOENT)
		error = ESRCH; /* its /proc directory is gone */
	return error == EINVAL ? "its stat file cannot be parsed" : strerror(error);
}

/* Reports a task that could not be read, unless --quiet. */
static void passed_over(const struct options *o, int pid, int tid, int error)
{
	if (o->quiet)
		return;
	if (tid && tid != pid)
		warnx("TID %d of PID %d: %s", tid, pid, task_error(error));
	else
		warnx("PID %d: %s", pid, task_error(error));
}

/* The procfs read (--proc, default /proc). */
static struct proc_root proc = { .fd = -1 };

/* One task into a row, from its stat (read by the caller, with its owner:
 * the effective user, as ps shows it): 0, or -errno (gone, not allowed).
 * Nice and policy come from stat (the task's own, a thread's for a
 * thread), the priority set from the kernel, and only for a procfs of our
 * own pid namespace; in another one (--proc) the priorities are unknown
 * (-1), as no file in /proc holds them; a zombie's too.  The effective
 * priority is the one those give, as iop_task_get() has it, without asking
 * the kernel again for what stat has just said. */
static int fill_row(int pid, int tid, const struct proc_stat *st, unsigned owner, struct row *r)
{
	r->pid = pid;
	r->tid = tid ? tid : pid;
	r->uid = owner;
	memcpy(r->comm, st->comm, sizeof(r->comm));
	r->nice = st->nice;
	r->policy = st->policy < 0 ? 0 : st->policy; /* before 2.5.x: other */
	r->value = r->evalue = -1;
	/* a zombie has exited and given up its I/O context: what the kernel
	 * answers for it is the default, not what was set, and nothing is
	 * set on it any more: no priority to show (not a task a demotion
	 * missed).  A process row whose stat says Z with more than one
	 * thread is a live process whose main thread has exited: shown, its
	 * threads compared, as any other */
	if (!proc.own || (st->state == 'Z' && (tid != 0 || st->threads <= 1)))
		return 0;
	int v = iop_get(IOP_WHO_PROCESS, r->tid);
	if (v < 0)
		return v;
	int e = iop_effective_value(v, r->nice, r->policy);
	if (e < 0)
		return e;
	r->value = v;
	r->evalue = e;
	return 0;
}

static struct row *new_row(struct rows *rows)
{
	rows->v = xgrow(rows->v, &rows->cap, rows->n + 1, sizeof(*rows->v), 64);
	memset(&rows->v[rows->n], 0, sizeof(rows->v[rows->n]));
	return &rows->v[rows->n];
}

/* A process whose stat the caller read, or each of its threads with -a:
 * rows added; -errno if the process itself could not be read. */
static int add_process(const struct options *o, struct rows *rows, int pid,
		       const struct proc_stat *st, unsigned owner)
{
	if (!o->all_tasks) {
		struct row *row = new_row(rows);
		int r = fill_row(pid, 0, st, owner, row);
		/* alone, its main thread is all there is */
		if (r == 0 && row->value >= 0 && st->threads > 1 &&
		    proc_thread_prios(&proc, pid, row->value, SIZE_MAX, &row->threads,
				      &row->nthreads) < 0)
			xalloc_die();
		if (r == 0)
			rows->n++;
		return r;
	}
	struct proc_list threads;
	int r = proc_list_open(&threads, &proc, pid), tid;
	if (r < 0)
		return r;
	size_t before = rows->n;
	while ((tid = proc_list_next(&threads))) {
		struct proc_stat ts;
		unsigned towner;
		r = proc_read_stat(&proc, pid, tid, &ts, &towner);
		if (r == 0)
			r = fill_row(pid, tid, &ts, towner, new_row(rows));
		if (r == 0)
			rows->n++;
		else
			passed_over(o, pid, tid, -r); /* a thread that ended meanwhile */
	}
	proc_list_close(&threads);
	return rows->n > before ? 0 : -ESRCH;
}

/* A process named by pid: rows added, or -errno. */
static int add_pid(const struct options *o, struct rows *rows, int pid)
{
	struct proc_stat st;
	unsigned owner = 0; /* with -a each thread has its own */
	int r = proc_read_stat(&proc, pid, 0, &st, o->all_tasks ? NULL : &owner);

	return r < 0 ? r : add_process(o, rows, pid, &st, owner);
}

/* Every process, for -A, -P and -u: those that vanish are passed over.
 * Without -C or -T the targets add up: a process of any group or of the
 * user given (sel_match()'s "any"). */
static void add_matching(const struct options *o, struct rows *rows, size_t *pgid_hits)
{
	struct sel_criteria c = { .pgids = o->pgids, .npgids = o->npgids, .uids = &o->uid,
				  .nuids = o->by_user, .any = true };
	struct proc_list procs;
	int pid;

	if (proc_list_open(&procs, &proc, 0) < 0)
		err(EXIT_FAILURE, "cannot read %s", o->proc_dir);
	/* -u alone: the owner first, and another user's process costs no file */
	bool user_only = o->by_user && !o->all && o->npgids == 0;
	while ((pid = proc_list_next(&procs))) {
		struct proc_stat st;
		struct sel_task t = { .pid = pid };
		if (user_only && sel_match(&proc, &c, &t) == SEL_NO)
			continue;
		/* with -a each thread has its own owner: the process's only for -u */
		bool need_owner = !t.owner_known && (!o->all_tasks || o->by_user);
		int r = proc_read_stat(&proc, pid, 0, &st, need_owner ? &t.owner : NULL);
		if (r < 0) {
			if (o->all)
				passed_over(o, pid, 0, -r);
			continue;
		}
		t.owner_known |= need_owner;
		t.st = &st;
		bool want = sel_match(&proc, &c, &t) == SEL_YES || o->all;
		for (size_t i = 0; t.pgid_at >= 0 && i < o->npgids; i++)
			if (o->pgids[i] == o->pgids[t.pgid_at]) /* -P 5,5: both found */
				pgid_hits[i]++;
		if (!want)
			continue;
		r = add_process(o, rows, pid, &st, t.owner_known ? t.owner : 0);
		if (r < 0)
			passed_over(o, pid, 0, -r);
	}
	proc_list_close(&procs);
}

/* -C, --full, -T: the processes selected as ionice selects them (every
 * kind of target met, -A none; -T their descendants), each read if it is
 * still the process selected.  Returns the number selected. */
static size_t add_selected(const struct options *o, struct rows *rows)
{
	/* a thread's id stands for its process, as in iopstat -p */
	int *pids = xmalloc((o->npids + 1) * sizeof(*pids));
	if (o->npids)
		memcpy(pids, o->pids, o->npids * sizeof(*pids)); /* o->pids may be NULL */
	sel_tids_to_pids(&proc, pids, o->npids);
	struct sel_criteria c = {
		.pids = pids, .npids = o->npids, .pgids = o->pgids, .npgids = o->npgids,
		.uids = &o->uid, .nuids = o->by_user, .re = o->sel.have_re ? &o->sel.re : NULL,
		.full = o->sel.full, .tree = o->sel.tree, .exclude = proc.own ? (int)getpid() : 0,
	};
	struct sel_set known = { 0 }, fresh = { 0 };
	int n = sel_scan(&proc, &c, SEL_MATCH, &known, &fresh);

	if (n < 0)
		errx(EXIT_FAILURE, "cannot read %s: %s", o->proc_dir, strerror(-n));
	for (size_t i = 0; i < fresh.n; i++) {
		struct proc_stat st;
		unsigned owner;
		if (sel_check(&proc, &fresh.v[i], &st, &owner) < 0)
			continue; /* ended since */
		int r = add_process(o, rows, fresh.v[i].pid, &st, owner);
		if (r < 0)
			passed_over(o, fresh.v[i].pid, 0, -r);
	}
	sel_free(&known);
	sel_free(&fresh);
	free(pids);
	return (size_t)n;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* --- output ------------------------------------------------------------------ */

static const char *policy_name(int policy)
{
	switch (policy) {
	case SCHED_OTHER:
		return "other";
	case SCHED_FIFO:
		return "fifo";
	case SCHED_RR:
		return "rr";
	case SCHED_BATCH:
		return "batch";
	case SCHED_IDLE:
		return "idle";
	case 6:
		return "deadline";
	case 7:
		return "ext";
	default:
		return "unknown";
	}
}

/* A cell's text (numbers as digits), or NULL for "no value": "-" in a
 * table, null in JSON. */
static const char *cell(const struct row *r, enum get_column c, char *buf, size_t size)
{
	struct iop_prio set = { 0 }, eff = { 0 };

	if (r->value < 0) { /* another namespace's procfs, a zombie: no priority to tell */
		switch (c) {
		case GET_CLASS: case GET_LEVEL: case GET_HINT: case GET_PRIO: case GET_ECLASS:
		case GET_ELEVEL: case GET_EPRIO: case GET_VALUE: case GET_EVALUE:
			return NULL;
		default:
			break;
		}
	}
	iop_decode(r->value, &set);
	iop_decode(r->evalue, &eff);
	switch (c) {
	case GET_PID:
		snprintf(buf, size, "%d", r->pid);
		break;
	case GET_TID:
		snprintf(buf, size, "%d", r->tid);
		break;
	case GET_USER:
		return cli_user_name(r->uid);
	case GET_UID:
		snprintf(buf, size, "%u", r->uid);
		break;
	case GET_CLASS:
		return iop_class_name(set.cls);
	case GET_LEVEL:
		snprintf(buf, size, "%d", set.level);
		break;
	case GET_HINT:
		snprintf(buf, size, "%d", set.hint);
		break;
	case GET_PRIO:
		return iop_format(r->value, buf, size) >= 0 ? buf : "unknown";
	case GET_ECLASS:
		return iop_class_name(eff.cls);
	case GET_ELEVEL:
		snprintf(buf, size, "%d", eff.level);
		break;
	case GET_EPRIO:
		return iop_format(r->evalue, buf, size) >= 0 ? buf : "unknown";
	case GET_NICE:
		snprintf(buf, size, "%d", r->nice);
		break;
	case GET_POLICY:
		return policy_name(r->policy);
	case GET_VALUE:
		snprintf(buf, size, "%d", r->value);
		break;
	case GET_EVALUE:
		snprintf(buf, size, "%d", r->evalue);
		break;
	default:
		return r->comm;
	}
	return buf;
}

static const char *or_dash(const char *s)
{
	return s ? s : "-";
}

/* A cell of a table or raw line: a '*' after the class and the short
 * priority of a process whose threads differ. */
static const char *table_cell(const struct row *r, enum get_column c, char *buf, size_t size)
{
	const char *s = or_dash(cell(r, c, buf, size));
	char tmp[64];

	if (!r->nthreads || (c != GET_CLASS && c != GET_PRIO))
		return s;
	snprintf(tmp, sizeof(tmp), "%s*", s);
	snprintf(buf, size, "%s", tmp);
	return buf;
}

struct render {
	const struct options *o;
	const struct rows *rows;
};

/* A cell for the table writer: a table's or raw line's (with its '*'), or
 * JSON's (NULL for null). */
static const char *render_cell(const void *ctx, size_t row, size_t col, enum cli_fmt fmt,
			       struct cli_buf *tmp)
{
	const struct render *x = ctx;
	const struct row *r = &x->rows->v[row];
	enum get_column c = x->o->out[col];

	cli_buf_grow(tmp, 128);
	if (fmt == CLI_FMT_JSON)
		return cell(r, c, tmp->p, tmp->cap);
	return table_cell(r, c, tmp->p, tmp->cap);
}

/* The threads differ: the values they have. */
static void render_threads(const void *ctx, size_t row, struct cli_buf *b)
{
	const struct render *x = ctx;
	const struct row *r = &x->rows->v[row];
	char buf[128];

	if (!r->nthreads)
		return;
	cli_buf_puts(b, ", \"threads\": [");
	for (size_t i = 0; i < r->nthreads; i++) {
		cli_buf_puts(b, i ? ", " : "");
		cli_buf_json(b, iop_format(r->threads[i], buf, sizeof(buf)) >= 0 ? buf : "unknown");
	}
	cli_buf_putc(b, ']');
}

/* A table, raw lines or JSON, of the columns chosen. */
static void print_rows(const struct options *o, const struct rows *rows, struct cli_buf *b)
{
	struct cli_col out[GET_COUNT * 2];
	struct render x = { o, rows };
	struct cli_table t = { .cols = out, .ncols = o->nout, .nrows = rows->n,
			       .header = o->header, .cell = render_cell,
			       .json_more = render_threads, .ctx = &x };

	for (size_t i = 0; i < o->nout; i++) /* numbers: right-aligned, JSON numbers */
		out[i] = (struct cli_col){ cols[o->out[i]].name, NULL,
					   cols[o->out[i]].number ? CLI_COL_RIGHT | CLI_COL_VERBATIM : 0 };
	if (o->json)
		cli_table_json(&t, "ioprio", b);
	else
		cli_table_write(&t, o->raw ? CLI_FMT_RAW : CLI_FMT_TABLE, b);
}

/* The rows of the targets; each that failed is said.  Returns the exit
 * status. */
static int collect(const struct options *o, struct rows *rows)
{
	int status = EXIT_SUCCESS;

	if (o->sel.have_re || o->sel.tree) { /* a selection: every kind met */
		if (add_selected(o, rows) > 0)
			return EXIT_SUCCESS;
		warnx("no process matched"); /* as pgrep */
		return EXIT_FAILURE;
	}
	/* explicitly named targets: each failure is an error */
	for (size_t i = 0; i < o->npids; i++) {
		int r = add_pid(o, rows, o->pids[i]);
		if (r < 0) {
			warnx("PID %d: %s", o->pids[i], task_error(-r));
			status = EXIT_FAILURE;
		}
	}
	if (o->all || o->npgids || o->by_user) {
		size_t *hits = xcalloc(o->npgids + 1, sizeof(*hits));
		size_t before = rows->n;
		add_matching(o, rows, hits);
		for (size_t i = 0; i < o->npgids; i++)
			if (!hits[i]) {
				warnx("PGID %d: no such process group", o->pgids[i]);
				status = EXIT_FAILURE;
			}
		if (o->by_user && !o->all && !o->npgids && rows->n == before) {
			warnx("user %s: no processes", o->user_arg);
			status = EXIT_FAILURE;
		}
		free(hits);
	}
	if (!has_targets(o)) { /* no target: itself */
		int r = add_pid(o, rows, getpid());
		if (r < 0)
			errx(EXIT_FAILURE, "cannot read its own priority: %s", strerror(-r));
	}
	return status;
}

/* Sorted by pid and tid; a process asked for twice (-p 5 5, -p 5 -A) is
 * shown once. */
static void unique_rows(struct rows *rows)
{
	size_t n = 0;

	cli_sort(rows->v, rows->n, sizeof(*rows->v), cmp_rows);
	for (size_t i = 0; i < rows->n; i++) {
		if (!n || cmp_rows(&rows->v[n - 1], &rows->v[i]) != 0)
			rows->v[n++] = rows->v[i];
		else
			free(rows->v[i].threads);
	}
	rows->n = n;
}

/* Whether a row shows a '*' (threads of another priority), said once after
 * the rows. */
static bool marked(const struct options *o, const struct rows *rows)
{
	bool mixed = false, shown = false;

	for (size_t i = 0; i < rows->n; i++)
		mixed |= rows->v[i].nthreads > 0;
	for (size_t i = 0; i < o->nout; i++)
		shown |= o->out[i] == GET_CLASS || o->out[i] == GET_PRIO;
	return mixed && shown && !o->json && !o->value_only && !o->quiet;
}

/* --value: the priority set, a line each ('-' when unknown: another
 * namespace's procfs, a zombie). */
static void print_values(const struct rows *rows, struct cli_buf *b)
{
	for (size_t i = 0; i < rows->n; i++) {
		if (rows->v[i].value < 0)
			cli_buf_putc(b, '-');
		else
			cli_buf_u64(b, (unsigned)rows->v[i].value);
		cli_buf_putc(b, '\n');
	}
}

/* The processes mode: read the targets, show them.  Returns the exit
 * status. */
static int show_processes(const struct options *o)
{
	struct rows rows = { 0 };
	struct cli_buf out = { 0 };
	int e = proc_root_open(&proc, o->proc_dir);

	if (e < 0)
		errx(EXIT_FAILURE, "cannot open %s: %s", o->proc_dir, strerror(-e));
	/* (judged here, as only the open procfs tells) */
	if (!proc.own && !has_targets(o) && !o->sel.have_re)
		cli_usage_error("%s is not this pid namespace's procfs: name the processes "
				"(-p, -P, -u or -A)", o->proc_dir);
	int status = collect(o, &rows);
	unique_rows(&rows);
	if (o->value_only)
		print_values(&rows, &out);
	else /* nothing found: no lone header (the table writer's rule) */
		print_rows(o, &rows, &out);
	cli_buf_flush(&out, stdout);
	cli_buf_free(&out);
	if (marked(o, &rows)) {
		cli_flush(stdout); /* the rows first, on a terminal that shows both */
		warnx("*: some threads of these processes have another priority; see -a");
	}
	for (size_t i = 0; i < rows.n; i++)
		free(rows.v[i].threads);
	free(rows.v);
	proc_root_close(&proc);
	return status;
}

int main(int argc, char **argv)
{
	struct options o = { .header = true, .proc_dir = "/proc" };
	int status;

	cli_close_stdout_at_exit();
	switch (parse_args(argc, argv, &o)) {
	case GET_MODE_HELP:
		usage();
	case GET_MODE_VERSION:
		cli_print_version();
	case GET_MODE_COLUMNS:
		list_columns();
	case GET_MODE_DEVICES:
		status = iopget_devices(o.sys, o.raw, o.json, o.header);
		break;
	default:
		status = show_processes(&o);
	}
	cli_select_free(&o.sel);
	free(o.pids);
	free(o.pgids);
	return status;
}
