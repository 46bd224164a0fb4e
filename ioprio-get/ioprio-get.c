/* SPDX-License-Identifier: MIT */
/*
 * ioprio-get: whose I/O priority is what, the effective one included (what
 * the kernel really uses for class none: the class from the scheduling
 * policy, the level from nice), for people (a table) and scripts (raw,
 * JSON, --value).  Options follow util-linux's lsblk/lsns/findmnt.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iopcli/buf.h"
#include "iopcli/cli.h"
#include "devices.h"
#include <libioprio.h>
#include "iopcli/procparse.h"

#ifndef SCHED_BATCH
#define SCHED_BATCH 3
#endif
#ifndef SCHED_IDLE
#define SCHED_IDLE 5
#endif

enum column {
	COL_PID, COL_TID, COL_USER, COL_UID, COL_CLASS, COL_LEVEL, COL_HINT, COL_PRIO,
	COL_ECLASS, COL_ELEVEL, COL_EPRIO, COL_NICE, COL_POLICY, COL_VALUE, COL_EVALUE,
	COL_COMMAND, COL_COUNT
};

static const struct {
	const char *name; /* -o, JSON key (lower case) */
	bool number;      /* right-aligned, a JSON number */
	const char *help;
} cols[COL_COUNT] = {
	[COL_PID] = { "PID", true, "process id" },
	[COL_TID] = { "TID", true, "thread id (with --all-tasks)" },
	[COL_USER] = { "USER", false, "real user, by name" },
	[COL_UID] = { "UID", true, "real user id" },
	[COL_CLASS] = { "CLASS", false, "class set: none, realtime, best-effort, idle" },
	[COL_LEVEL] = { "LEVEL", true, "level set, 0 (highest) to 7" },
	[COL_HINT] = { "HINT", true, "hint set (Linux 6.5+), 0 for none" },
	[COL_PRIO] = { "PRIO", false, "class and level set, short: none, be/4, rt/0, idle" },
	[COL_ECLASS] = { "ECLASS", false, "effective class: the one the kernel uses" },
	[COL_ELEVEL] = { "ELEVEL", true, "effective level" },
	[COL_EPRIO] = { "EPRIO", false, "effective class and level, short" },
	[COL_NICE] = { "NICE", true, "CPU nice value (-20..19)" },
	[COL_POLICY] = { "POLICY", false, "scheduling policy: other, batch, idle, fifo, rr, deadline" },
	[COL_VALUE] = { "VALUE", true, "the priority set, as the kernel encodes it" },
	[COL_EVALUE] = { "EVALUE", true, "the effective priority, as the kernel encodes it" },
	[COL_COMMAND] = { "COMMAND", false, "command name" },
};

struct row {
	int pid, tid;
	unsigned uid;
	int value, evalue; /* set and effective, encoded */
	int nice, policy;
	char comm[64];
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
	unsigned uid;
	const char *user_arg;
	const char *proc_dir;
	enum column out[COL_COUNT * 2];
	size_t nout;
};

static size_t skipped; /* with --quiet: tasks passed over, counted */

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
	for (int c = 0; c < COL_COUNT; c++)
		printf("%-8s %s\n", cols[c].name, cols[c].help);
	exit(EXIT_SUCCESS);
}

static const char *column_name(int c)
{
	return cols[c].name;
}

static void set_columns(struct options *o, const char *arg)
{
	int out[COL_COUNT];

	for (size_t i = 0; i < o->nout; i++)
		out[i] = (int)o->out[i];
	o->nout = cli_parse_columns(arg, true, column_name, COL_COUNT, out, o->nout, COL_COUNT);
	for (size_t i = 0; i < o->nout; i++)
		o->out[i] = (enum column)out[i];
}

enum { OPT_LIST_COLUMNS = 256, OPT_VALUE };
enum { OPT_DEVICES = 300, OPT_SYS, OPT_PROC };

static void parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "pgid", required_argument, NULL, 'P' },
		{ "user", required_argument, NULL, 'u' },
		{ "all", no_argument, NULL, 'A' },
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
	static const enum column defaults[] = { COL_PID, COL_USER, COL_CLASS, COL_LEVEL, COL_HINT,
		COL_ECLASS, COL_ELEVEL, COL_NICE, COL_POLICY, COL_COMMAND };
	const char *columns = NULL;
	const char *sys = NULL;
	bool devices = false;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":p:P:u:Aao:nrJqhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			cli_add_id_list(&o->pids, &o->npids, optarg, "PID");
			break;
		case 'P':
			cli_add_id_list(&o->pgids, &o->npgids, optarg, "PGID");
			break;
		case 'u':
			if (cli_parse_user(optarg, &o->uid) < 0)
				errx(EXIT_FAILURE, "invalid user argument: '%s': no such user", optarg);
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
			columns = optarg;
			break;
		case OPT_LIST_COLUMNS:
			list_columns();
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
			devices = true;
			break;
		case OPT_SYS:
			sys = optarg;
			break;
		case OPT_PROC:
			o->proc_dir = optarg;
			break;
		case 'h':
			usage();
		case 'V':
			cli_print_version();
		default:
			cli_bad_option(c, argc, argv);
		}
	}
	for (; optind < argc; optind++)
		cli_add_id_list(&o->pids, &o->npids, argv[optind], "PID");
	if (o->raw + o->json + o->value_only > 1)
		cli_usage_error("--raw, --json and --value go one at a time");
	if (devices || sys) /* the block devices instead of processes */
		iopget_devices(sys, devices, o->raw, o->json, o->header,
			       o->npids || o->npgids || o->by_user || o->all || o->all_tasks ||
				       o->quiet || o->value_only || columns);

	for (size_t i = 0; i < sizeof(defaults) / sizeof(*defaults); i++) {
		o->out[o->nout++] = defaults[i];
		if (defaults[i] == COL_PID && o->all_tasks)
			o->out[o->nout++] = COL_TID;
	}
	if (columns)
		set_columns(o, columns);
}

/* --- reading tasks ---------------------------------------------------------- */

/* Why a task could not be read.  EINVAL: read, but not what the kernel
 * writes (a --proc tree). */
static const char *task_error(int error)
{
	return error == EINVAL ? "its stat file cannot be parsed" : strerror(error);
}

/* Reports a task that could not be read, or counts it with --quiet. */
static void passed_over(const struct options *o, int pid, int tid, int error)
{
	if (o->quiet) {
		skipped++;
		return;
	}
	if (tid && tid != pid)
		warnx("TID %d of PID %d: %s", tid, pid, task_error(error));
	else
		warnx("PID %d: %s", pid, task_error(error));
}

/* The procfs read (--proc, default /proc), and whether it is the one of our
 * own pid namespace: only then are its pids ours to ask the kernel about. */
static int proc_root = -1;
static bool proc_own;

/* A small file of the task under the procfs root, NUL-terminated; its
 * length or -errno.  O_NONBLOCK: a FIFO in a --proc tree is never waited on. */
static ssize_t read_task_file(int pid, int tid, const char *name, char *buf, size_t size)
{
	char path[96];
	int fd;
	ssize_t n;

	if (tid)
		snprintf(path, sizeof(path), "%d/task/%d/%s", pid, tid, name);
	else
		snprintf(path, sizeof(path), "%d/%s", pid, name);
	fd = openat(proc_root, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	n = read(fd, buf, size - 1);
	int e = errno;
	close(fd);
	if (n < 0)
		return e == ENOENT ? -ESRCH : -e;
	buf[n] = '\0';
	return n;
}

/* The real uid, from the "Uid:" line of status. */
static int real_uid(int pid, unsigned *uid)
{
	char buf[4096];
	ssize_t n = read_task_file(pid, 0, "status", buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	const char *line = strstr(buf, "\nUid:\t");
	long long v;
	char num[16];
	if (!line)
		return -EINVAL;
	line += 6;
	size_t len = strcspn(line, "\t\n");
	if (len >= sizeof(num))
		return -EINVAL;
	memcpy(num, line, len);
	num[len] = '\0';
	if (cli_parse_ll(num, 0, UINT_MAX, &v) < 0)
		return -EINVAL;
	*uid = (unsigned)v;
	return 0;
}

/* The stat file of a task, parsed: 0 or -errno. */
static int read_stat(int pid, int tid, struct stat_fields *sf)
{
	char buf[1024];
	ssize_t n = read_task_file(pid, tid, "stat", buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	return procfs_parse_stat(buf, (size_t)n, sf) < 0 ? -EINVAL : 0;
}

/* One task of a process whose real uid is known into a row: 0, or -errno
 * (gone, not allowed).  Name, nice and policy come from the task's stat;
 * the priority set from the kernel, and only for a procfs of our own pid
 * namespace: in another one (--proc) the set and effective priorities are
 * unknown (-1), as no file in /proc holds them. */
static int read_row(int pid, int tid, unsigned uid, struct row *r)
{
	struct stat_fields sf;
	int e = read_stat(pid, tid, &sf);

	if (e < 0)
		return e;
	r->pid = pid;
	r->tid = tid ? tid : pid;
	r->uid = uid;
	memcpy(r->comm, sf.comm, sizeof(r->comm));
	r->nice = sf.nice;
	r->policy = sf.policy < 0 ? 0 : sf.policy; /* before 2.5.x: other */
	r->value = r->evalue = -1;
	if (!proc_own)
		return 0;
	int set = iop_get(IOP_WHO_PROCESS, r->tid);
	if (set < 0)
		return set;
	int eff = iop_effective_value(set, r->nice, r->policy);
	if (eff < 0)
		return eff;
	r->value = set;
	r->evalue = eff;
	return 0;
}

static struct row *new_row(struct rows *rows)
{
	if (rows->n == rows->cap) {
		rows->cap = rows->cap ? rows->cap * 2 : 64;
		rows->v = realloc(rows->v, rows->cap * sizeof(*rows->v));
		if (!rows->v)
			err(EXIT_FAILURE, "cannot allocate memory");
	}
	return &rows->v[rows->n];
}

static int parse_id(const char *name)
{
	long long v;
	return cli_parse_ll(name, 1, INT_MAX, &v) == 0 ? (int)v : 0;
}

/* A process, or each of its threads with -a: rows added; -errno if the
 * process itself could not be read.  'uid': its real uid when the caller
 * read it already, else NULL (the uid is the process's: read once, not per
 * thread). */
static int add_process(const struct options *o, struct rows *rows, int pid, const unsigned *uid)
{
	unsigned own;
	if (!uid) {
		int e = real_uid(pid, &own);
		if (e < 0)
			return e;
		uid = &own;
	}
	if (!o->all_tasks) {
		int r = read_row(pid, 0, *uid, new_row(rows));
		if (r == 0)
			rows->n++;
		return r;
	}
	char path[48];
	snprintf(path, sizeof(path), "%d/task", pid);
	int fd = openat(proc_root, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	if (!d) {
		int error = errno;
		if (fd >= 0)
			close(fd);
		return error == ENOENT ? -ESRCH : -error;
	}
	size_t before = rows->n;
	while ((e = readdir(d))) {
		int tid = parse_id(e->d_name);
		if (!tid)
			continue;
		int r = read_row(pid, tid, *uid, new_row(rows));
		if (r == 0)
			rows->n++;
		else
			passed_over(o, pid, tid, -r); /* a thread that ended meanwhile */
	}
	closedir(d);
	return rows->n > before ? 0 : -ESRCH;
}

/* Every process, for -A, -P and -u: those that vanish are passed over. */
static void add_matching(const struct options *o, struct rows *rows, size_t *pgid_hits)
{
	int fd = openat(proc_root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (!d)
		err(EXIT_FAILURE, "cannot read %s", o->proc_dir);
	while ((e = readdir(d))) {
		int pid = parse_id(e->d_name);
		bool want = o->all;
		unsigned uid;
		bool have_uid = false;
		struct stat_fields sf;
		if (!pid)
			continue;
		if (!want && o->npgids && read_stat(pid, 0, &sf) == 0) {
			int g = sf.pgrp; /* as getpgid() has it, for any procfs */
			for (size_t i = 0; g > 0 && i < o->npgids; i++)
				if (o->pgids[i] == g) {
					want = true;
					pgid_hits[i]++;
				}
		}
		if (!want && o->by_user) {
			have_uid = real_uid(pid, &uid) == 0;
			want = have_uid && uid == o->uid;
		}
		if (!want)
			continue;
		int r = add_process(o, rows, pid, have_uid ? &uid : NULL);
		if (r < 0)
			passed_over(o, pid, 0, -r);
	}
	closedir(d);
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
static const char *cell(const struct row *r, enum column c, char *buf, size_t size)
{
	struct iop_prio set = { 0 }, eff = { 0 };
	const char *s;

	if (r->value < 0) { /* another namespace's procfs: no priority to tell */
		switch (c) {
		case COL_CLASS: case COL_LEVEL: case COL_HINT: case COL_PRIO: case COL_ECLASS:
		case COL_ELEVEL: case COL_EPRIO: case COL_VALUE: case COL_EVALUE:
			return NULL;
		default:
			break;
		}
	}
	iop_decode(r->value, &set);
	iop_decode(r->evalue, &eff);
	switch (c) {
	case COL_PID:
		snprintf(buf, size, "%d", r->pid);
		break;
	case COL_TID:
		snprintf(buf, size, "%d", r->tid);
		break;
	case COL_USER:
		return cli_user_name(r->uid);
	case COL_UID:
		snprintf(buf, size, "%u", r->uid);
		break;
	case COL_CLASS:
		return iop_class_name(set.cls);
	case COL_LEVEL:
		snprintf(buf, size, "%d", set.level);
		break;
	case COL_HINT:
		snprintf(buf, size, "%d", set.hint);
		break;
	case COL_PRIO:
		s = cli_prio_short(r->value, buf);
		return s ? s : "unknown";
	case COL_ECLASS:
		return iop_class_name(eff.cls);
	case COL_ELEVEL:
		snprintf(buf, size, "%d", eff.level);
		break;
	case COL_EPRIO:
		s = cli_prio_short(r->evalue, buf);
		return s ? s : "unknown";
	case COL_NICE:
		snprintf(buf, size, "%d", r->nice);
		break;
	case COL_POLICY:
		return policy_name(r->policy);
	case COL_VALUE:
		snprintf(buf, size, "%d", r->value);
		break;
	case COL_EVALUE:
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

/* Escaped for a table line, or for a raw one (blanks too: fields split on
 * blanks). */
static void put_text(struct cli_buf *b, const char *s, bool raw)
{
	if (raw)
		cli_buf_text_field(b, s);
	else
		cli_buf_text(b, s);
}

static void print_table(const struct options *o, const struct rows *rows, struct cli_buf *b)
{
	size_t width[COL_COUNT * 2] = { 0 };
	char buf[128];
	struct cli_buf t = { 0 }; /* one escaped cell */

	/* widths from the data (escaped), as util-linux tools size columns */
	for (size_t i = 0; i < o->nout && !o->raw; i++) {
		width[i] = o->header ? strlen(cols[o->out[i]].name) : 0;
		for (size_t r = 0; r < rows->n; r++) {
			t.len = 0;
			put_text(&t, or_dash(cell(&rows->v[r], o->out[i], buf, sizeof(buf))), false);
			if (t.len > width[i])
				width[i] = t.len;
		}
	}
	for (size_t r = o->header ? 0 : 1; r <= rows->n; r++) {
		for (size_t i = 0; i < o->nout; i++) {
			enum column c = o->out[i];
			const char *s = r == 0 ? cols[c].name : or_dash(cell(&rows->v[r - 1], c, buf, sizeof(buf)));
			bool last = i + 1 == o->nout;
			size_t pad;
			t.len = 0;
			put_text(&t, s, o->raw);
			pad = !o->raw && t.len < width[i] ? width[i] - t.len : 0;
			if (cols[c].number) /* numbers (and their headers) right-aligned */
				cli_buf_pad(b, ' ', pad);
			cli_buf_put(b, t.p, t.len);
			if (!last && !cols[c].number)
				cli_buf_pad(b, ' ', pad);
			if (!last)
				cli_buf_putc(b, ' ');
		}
		cli_buf_putc(b, '\n');
	}
	cli_buf_free(&t);
}

static void print_json(const struct options *o, const struct rows *rows, struct cli_buf *b)
{
	char buf[128];

	cli_buf_puts(b, "{\n   \"ioprio\": [");
	for (size_t r = 0; r < rows->n; r++) {
		cli_buf_puts(b, r ? ",\n      {" : "\n      {");
		for (size_t i = 0; i < o->nout; i++) {
			enum column c = o->out[i];
			char key[16];
			size_t k;
			for (k = 0; cols[c].name[k] && k + 1 < sizeof(key); k++)
				key[k] = (char)tolower((unsigned char)cols[c].name[k]);
			key[k] = '\0';
			cli_buf_puts(b, i ? ", \"" : "\"");
			cli_buf_puts(b, key);
			cli_buf_puts(b, "\": ");
			const char *s = cell(&rows->v[r], c, buf, sizeof(buf));
			if (!s)
				cli_buf_puts(b, "null");
			else if (cols[c].number)
				cli_buf_puts(b, s);
			else
				cli_buf_json(b, s);
		}
		cli_buf_putc(b, '}');
	}
	cli_buf_puts(b, rows->n ? "\n   ]\n}\n" : "]\n}\n");
}

int main(int argc, char **argv)
{
	struct options o = { .header = true };
	struct rows rows = { 0 };
	struct cli_buf out = { 0 };
	int status = EXIT_SUCCESS;

	cli_close_stdout_at_exit();
	o.proc_dir = "/proc";
	parse_args(argc, argv, &o);
	proc_root = open(o.proc_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (proc_root < 0)
		err(EXIT_FAILURE, "cannot open %s", o.proc_dir);
	proc_own = proc_root_is_own(proc_root);
	if (!proc_own && !o.npids && !o.all && !o.npgids && !o.by_user)
		cli_usage_error("%s is not this pid namespace's procfs: name the processes "
				"(-p, -P, -u or -A)", o.proc_dir);

	/* explicitly named targets: each failure is an error */
	for (size_t i = 0; i < o.npids; i++) {
		int r = add_process(&o, &rows, o.pids[i], NULL);
		if (r < 0) {
			warnx("PID %d: %s", o.pids[i], task_error(-r));
			status = EXIT_FAILURE;
		}
	}
	if (o.all || o.npgids || o.by_user) {
		size_t *hits = calloc(o.npgids + 1, sizeof(*hits));
		size_t before = rows.n;
		if (!hits)
			err(EXIT_FAILURE, "cannot allocate memory");
		add_matching(&o, &rows, hits);
		for (size_t i = 0; i < o.npgids; i++)
			if (!hits[i]) {
				warnx("PGID %d: no such process group", o.pgids[i]);
				status = EXIT_FAILURE;
			}
		if (o.by_user && !o.all && !o.npgids && rows.n == before) {
			warnx("user %s: no processes", o.user_arg);
			status = EXIT_FAILURE;
		}
		free(hits);
	}
	if (!o.npids && !o.all && !o.npgids && !o.by_user) { /* no target: itself */
		int r = add_process(&o, &rows, getpid(), NULL);
		if (r < 0)
			errx(EXIT_FAILURE, "cannot read its own priority: %s", strerror(-r));
	}
	if (skipped)
		warnx("%zu %s passed over: vanished or not readable", skipped,
		      skipped == 1 ? "task" : "tasks");

	cli_sort(rows.v, rows.n, sizeof(*rows.v), cmp_rows);
	/* a process asked for twice (-p 5 5, -p 5 -A) is shown once */
	size_t n = 0;
	for (size_t i = 0; i < rows.n; i++)
		if (!n || cmp_rows(&rows.v[n - 1], &rows.v[i]) != 0)
			rows.v[n++] = rows.v[i];
	rows.n = n;

	if (o.value_only) {
		for (size_t i = 0; i < rows.n; i++) {
			if (rows.v[i].value < 0) /* unknown: another namespace's procfs */
				cli_buf_putc(&out, '-');
			else
				cli_buf_u64(&out, (unsigned)rows.v[i].value);
			cli_buf_putc(&out, '\n');
		}
	} else if (o.json) {
		print_json(&o, &rows, &out);
	} else if (rows.n) { /* nothing found: no lone header */
		print_table(&o, &rows, &out);
	}
	cli_buf_flush(&out, stdout);
	cli_buf_free(&out);
	free(rows.v);
	free(o.pids);
	free(o.pgids);
	return status;
}
