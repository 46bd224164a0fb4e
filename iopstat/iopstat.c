/* SPDX-License-Identifier: MIT */
/*
 * iopstat: per-process I/O from /proc/<pid>/io, for scripts, cron jobs, logs
 * and Prometheus.  One snapshot of lifetime totals, or INTERVAL [COUNT]
 * samples of what changed.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "iopcli/buf.h"
#include "iopcli/cli.h"
#include "iopcli/xalloc.h"
#include "atomic.h"
#include "devices.h"
#include "exits.h"
#include "groups.h"
#include "state.h"
#include "output.h"
#include "scan.h"
#include "sample.h"

struct config {
	double interval; /* 0: one snapshot */
	long long count; /* reports in interval mode; 0 = until stopped */
	int *pids;
	size_t npids;
	int *pgids; /* -P */
	size_t npgids;
	bool filter_uid;
	unsigned uid;
	struct cli_select sel; /* -C, --full, --tree (long only: -T is the timestamp) */
	const char *command_re; /* -C as given */
	bool threads, cmdline, only_active;
	bool quiet; /* -q: no notes (a cron job mails every line of stderr) */
	bool iodelay_asked; /* IODELAY chosen with -o or -s: worth a note when off */
	enum column sort;
	size_t top;
	const char *proc_dir;
	const char *columns; /* -o LIST, applied once the format is known */
	enum group_by group_by;
	const char *state_file; /* --state FILE */
	double lock_wait;       /* --lock-wait: seconds to wait for FILE.lock */
	bool lock_wait_given;
	bool no_exits; /* --no-exits: no exit notifications */
	char *selection;        /* what chooses and groups processes, for --state */
	const char *output_file; /* -w FILE */
	struct output_options out;
	const char **label_names, **label_values; /* --label, for out */
	/* -d: the device report */
	bool devices, all_devices, list_cols;
	const char *sys_dir;        /* --sys DIR */
	const char *sort_arg;       /* -s, resolved once -d is known */
	const char **p_args;        /* -p as given: pids, or with -d device names */
	size_t np_args;
	const char **dev_names;     /* -d LIST, -p LIST with -d */
	size_t ndev_names;
	struct output_options nfs_out; /* -d: the NFS mounts' columns */
};

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void __attribute__((noreturn)) usage(void)
{
	printf("Usage:\n"
	       " %s [options] [<interval> [<count>]]\n"
	       "\n"
	       "Report per-process I/O from /proc/<pid>/io: without an interval, each\n"
	       "process's lifetime totals and average rates; with one, what each did in\n"
	       "every interval (seconds, fractions allowed), <count> times or until stopped.\n"
	       "\n"
	       "Selection:\n"
	       " -p, --pid <pid>[,...]    only these processes (repeatable)\n"
	       " -P, --pgid <pgid>[,...]  only processes of these process groups\n"
	       " -u, --user <user>        only processes of this user (name or uid)\n"
	       " -C, --command <regex>    only commands matching this extended regex\n"
	       "     --full               with -C: match the whole command line\n"
	       "     --tree               and all their descendants (-p, -P, -u, -C: every\n"
	       "                            kind met, as ionice and ioprio-get select)\n"
	       "     --only-active        only rows with I/O in the period\n"
	       " -d, --devices[=<list>]   a report of block devices (as iostat -x) and NFS\n"
	       "                            mounts (as nfsiostat) instead; -p <list> names\n"
	       "                            devices or mount points then\n"
	       "     --all-devices        with -d: idle devices too\n"
	       " -t, --threads            one row per thread\n"
	       " -g, --group-by <key>     one row per group of processes: pid (the default),\n"
	       "                            comm, user, cgroup or unit; counters never go down\n"
	       "     --state <file>       carry the group counters from one run to the next\n"
	       "                            (one-shot runs from cron; kept in <file>)\n"
	       "     --lock-wait <sec>    wait at most this long for another run's lock on\n"
	       "                            the state (default 50: within a cron minute)\n"
	       "     --no-exits           do not listen for tasks that end between samples\n"
	       "                            (by default, where privileged, they are shown)\n"
	       "\n"
	       "Output:\n"
	       " -o, --output <list>      columns to show (+<list> adds to the default;\n"
	       "                            see --list-columns)\n"
	       "     --list-columns       list the columns and exit\n"
	       " -s, --sort <column>      sort by this column: amounts largest first, ids\n"
	       "                            smallest, prio highest (default: io)\n"
	       "     --top <n>            at most n rows\n"
	       " -l, --cmdline            show the whole command line\n"
	       " -k, --kibibytes          table amounts in KiB\n"
	       " -H, --human              table amounts as 1.5K, 12.0M, ...\n"
	       " -T, --timestamp[=<fmt>]  a time on each row: iso (default) or epoch\n"
	       " -n, --noheadings         no header line (and in a table no total line)\n"
	       " -q, --quiet              no notes on stderr (processes not readable,\n"
	       "                            delay accounting off); errors are still said\n"
	       "     --format <fmt>       table (default), csv, json (JSON Lines) or\n"
	       "                            prometheus (text exposition format)\n"
	       " -J, --json               the same as --format json\n"
	       " -w, --write <file>       write each report to <file>, replaced atomically\n"
	       "     --proc <dir>         read this procfs instead of /proc\n"
	       "     --sys <dir>          read this sysfs instead of /sys (-d: schedulers)\n"
	       "     --label <name>=<value>  a constant label on every Prometheus series\n"
	       "                            (repeatable: several writers in one directory)\n"
	       "\n"
	       " -h, --help               display this help\n"
	       " -V, --version            display version\n"
	       "\n"
	       "For more details see iopstat(1).\n",
	       program_invocation_short_name);
	exit(EXIT_SUCCESS);
}

/* a process report's columns, or with -d the devices' */
static void __attribute__((noreturn)) list_columns(bool devices)
{
	for (int c = 0; c < NCOLS; c++)
		if ((columns[c].scope != SCOPE_PROC) == devices)
			printf("%-11s %s\n", columns[c].name, columns[c].help);
	exit(EXIT_SUCCESS);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static const char *column_name(int c)
{
	return columns[c].name;
}

/* -o LIST, or +LIST added to the format's defaults (already in c->out). */
static void set_columns(struct config *c, const char *arg)
{
	int cols[NCOLS];

	for (size_t i = 0; i < c->out.ncols; i++)
		cols[i] = (int)c->out.cols[i];
	size_t n = cli_parse_columns(arg, true, column_name, NCOLS, cols, c->out.ncols, NCOLS);
	for (size_t i = 0; i < n; i++)
		c->out.cols[i] = (enum column)cols[i];
	c->out.ncols = n;
}

/* --label NAME=VALUE: the name a Prometheus label name of our own choosing,
 * given once; the value any text (escaped on output) */
static void add_label(struct config *c, const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t n = c->out.nlabels;

	if (!eq || eq == arg)
		cli_usage_error("invalid --label argument: '%s' (NAME=VALUE)", arg);
	/* in Prometheus a label with an empty value is no label at all: it
	 * would tell no two writers apart */
	if (!eq[1])
		cli_usage_error("invalid --label argument: '%s': an empty value is no label in "
				"Prometheus", arg);
	char *name = xstrndup(arg, (size_t)(eq - arg));
	if (!output_label_name_ok(name))
		cli_usage_error("invalid label name: '%s' (letters, digits and _, not starting "
				"with a digit or __; not pid, tid, start, comm, user or ioprio)", name);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(c->label_names[i], name))
			cli_usage_error("label '%s' given twice", name);
	const char **names = realloc(c->label_names, (n + 1) * sizeof(*names));
	const char **values = names ? realloc(c->label_values, (n + 1) * sizeof(*values)) : NULL;
	if (names)
		c->label_names = names;
	if (!values)
		xalloc_die();
	c->label_values = values;
	c->label_names[n] = name;
	c->label_values[n] = eq + 1;
	c->out.label_names = c->label_names;
	c->out.label_values = c->label_values;
	c->out.nlabels = n + 1;
}

/* --sort: any column but the text ones, of the report's kind */
static enum column parse_sort(const char *arg, bool devices)
{
	int c = devices ? column_by_name_in(arg, SCOPE_DISK) : column_by_name(arg);
	struct cli_buf names = { 0 };

	if (c < 0 && devices)
		c = column_by_name_in(arg, SCOPE_NFS);
	if (c >= 0 && column_sorts((enum column)c))
		return (enum column)c;
	for (int i = 0; i < NCOLS; i++)
		if (column_sorts((enum column)i) && (columns[i].scope != SCOPE_PROC) == devices) {
			cli_buf_puts(&names, names.len ? ", " : "");
			cli_buf_puts(&names, columns[i].name);
		}
	cli_buf_putc(&names, '\0');
	cli_usage_error("%s: '%s' (%s)", c >= 0 ? "cannot sort by a text column" : "unknown sort key",
			arg, names.p);
}

/* seconds: digits, optionally a point and more digits; -1 if not that */
static double parse_seconds(const char *arg)
{
	const char *p = arg;
	int digits = 0;

	while (*p >= '0' && *p <= '9')
		p++, digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	return digits && !*p ? strtod(arg, NULL) : -1;
}

/* an interval: more than 0 */
static double parse_interval(const char *arg)
{
	double v = parse_seconds(arg);
	if (!(v >= 0.001 && v <= 31536000))
		cli_usage_error("invalid interval: '%s' (seconds, 0.001 or more)", arg);
	return v;
}

enum {
	OPT_FORMAT = 256, OPT_PROC, OPT_TOP, OPT_ONLY_ACTIVE, OPT_LIST_COLUMNS, OPT_LABEL, OPT_STATE,
	OPT_LOCK_WAIT, OPT_ALL_DEVICES, OPT_SYS, OPT_NO_EXITS, OPT_TREE
};

static char *name_copies[64]; /* what add_names() split, freed at exit */
static size_t ncopies;

static void free_name_copies(void)
{
	for (size_t i = 0; i < ncopies; i++)
		free(name_copies[i]);
}

/* A list of names, split at commas and blanks, added to *v (the words
 * point into a copy that lives as long as the run). */
static void add_names(const char ***v, size_t *n, const char *arg)
{
	char *copy, *save = NULL;

	if (ncopies == 64)
		errx(EXIT_FAILURE, "too many device lists (64 at most)");
	copy = xstrdup(arg);
	if (!ncopies)
		atexit(free_name_copies);
	name_copies[ncopies++] = copy;
	for (char *w = strtok_r(copy, ", \t\n", &save); w; w = strtok_r(NULL, ", \t\n", &save)) {
		const char **nv = realloc(*v, (*n + 1) * sizeof(*nv));
		if (!nv)
			xalloc_die();
		*v = nv;
		(*v)[(*n)++] = w;
	}
	if (!*n)
		cli_usage_error("no device named in '%s'", arg);
}

/* -d's columns: -o LIST split by kind (disk columns, NFS columns); a list
 * of one kind shows only that kind's rows.  Defaults: every column. */
static void device_columns(struct config *c)
{
	int cols[NCOLS];
	size_t n = 0;

	for (int i = 0; i < NCOLS; i++)
		if (columns[i].scope != SCOPE_PROC)
			cols[n++] = i;
	if (c->columns) {
		bool plus = c->columns[0] == '+';
		if (!plus)
			n = 0;
		n = cli_parse_columns(c->columns, true, column_name, NCOLS, cols, n, NCOLS);
	}
	c->nfs_out = c->out;
	c->out.ncols = c->nfs_out.ncols = 0;
	for (size_t i = 0; i < n; i++) {
		enum column col = (enum column)cols[i];
		if (columns[col].scope == SCOPE_PROC)
			cli_usage_error("column '%s' is a process's, not a device's (-d)",
					columns[col].name);
		if (columns[col].scope == SCOPE_DISK)
			c->out.cols[c->out.ncols++] = col;
		else
			c->nfs_out.cols[c->nfs_out.ncols++] = col;
	}
	if (c->out.format == FMT_CSV && c->out.ncols && c->nfs_out.ncols && c->columns)
		cli_usage_error("CSV has one header line: name disk columns or NFS columns, not both");
	if (c->out.format == FMT_CSV && !c->columns)
		c->nfs_out.ncols = 0; /* CSV: the disks, unless NFS columns are named */
}

static void parse_args(int argc, char **argv, struct config *c)
{
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "user", required_argument, NULL, 'u' },
		{ "pgid", required_argument, NULL, 'P' },
		{ "command", required_argument, NULL, 'C' },
		{ "full", no_argument, NULL, CLI_OPT_FULL },
		{ "tree", no_argument, NULL, OPT_TREE },
		{ "threads", no_argument, NULL, 't' },
		{ "group-by", required_argument, NULL, 'g' },
		{ "state", required_argument, NULL, OPT_STATE },
		{ "lock-wait", required_argument, NULL, OPT_LOCK_WAIT },
		{ "no-exits", no_argument, NULL, OPT_NO_EXITS },
		{ "cmdline", no_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "list-columns", no_argument, NULL, OPT_LIST_COLUMNS },
		{ "sort", required_argument, NULL, 's' },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "only-active", no_argument, NULL, OPT_ONLY_ACTIVE },
		{ "devices", optional_argument, NULL, 'd' },
		{ "all-devices", no_argument, NULL, OPT_ALL_DEVICES },
		{ "sys", required_argument, NULL, OPT_SYS },
		{ "kibibytes", no_argument, NULL, 'k' },
		{ "human", no_argument, NULL, 'H' },
		{ "timestamp", optional_argument, NULL, 'T' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "json", no_argument, NULL, 'J' },
		{ "write", required_argument, NULL, 'w' },
		{ "proc", required_argument, NULL, OPT_PROC },
		{ "label", required_argument, NULL, OPT_LABEL },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	long long v;
	int opt, r;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":p:P:u:C:tg:lo:s:kHT::nqJw:dhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p': { /* pids, or with -d (given before or after) devices */
			const char **nv = realloc(c->p_args, (c->np_args + 1) * sizeof(*nv));
			if (!nv)
				xalloc_die();
			c->p_args = nv;
			c->p_args[c->np_args++] = optarg;
			break;
		}
		case 'd':
			c->devices = true;
			if (optarg)
				add_names(&c->dev_names, &c->ndev_names, optarg);
			break;
		case OPT_ALL_DEVICES:
			c->all_devices = true;
			break;
		case OPT_SYS:
			c->sys_dir = optarg;
			break;
		case 'u':
			c->uid = cli_user_arg(optarg);
			c->filter_uid = true;
			break;
		case 'P':
			cli_add_id_list(&c->pgids, &c->npgids, optarg, "PGID");
			break;
		case 'C':
			cli_select_option(&c->sel, opt, optarg);
			c->command_re = optarg;
			break;
		case CLI_OPT_FULL:
			cli_select_option(&c->sel, opt, optarg);
			break;
		case OPT_TREE:
			cli_select_option(&c->sel, 'T', optarg);
			break;
		case 't':
			c->threads = true;
			break;
		case 'g':
			for (r = 0; r < NGROUP_BY && strcmp(optarg, group_by_names[r]); r++)
				;
			if (r == NGROUP_BY)
				cli_usage_error("unknown --group-by key: '%s' (pid, comm, user, cgroup or unit)",
						optarg);
			c->group_by = (enum group_by)r;
			break;
		case OPT_NO_EXITS:
			c->no_exits = true;
			break;
		case OPT_STATE:
			c->state_file = optarg;
			break;
		case OPT_LOCK_WAIT:
			c->lock_wait = parse_seconds(optarg);
			if (!(c->lock_wait >= 0 && c->lock_wait <= 86400))
				cli_usage_error("invalid --lock-wait argument: '%s' (seconds, 0 to 86400)",
						optarg);
			c->lock_wait_given = true;
			break;
		case 'l':
			c->cmdline = true;
			break;
		case 'o':
			c->columns = optarg;
			break;
		case OPT_LIST_COLUMNS:
			c->list_cols = true;
			break;
		case 's':
			c->sort_arg = optarg;
			break;
		case OPT_TOP:
			if (cli_parse_ll(optarg, 1, LLONG_MAX, &v) < 0)
				errx(EXIT_FAILURE, "invalid --top argument: '%s'", optarg);
			c->top = (size_t)v;
			break;
		case OPT_ONLY_ACTIVE:
			c->only_active = true;
			break;
		case 'k':
			c->out.units = UNITS_KIB;
			break;
		case 'H':
			c->out.units = UNITS_HUMAN;
			break;
		case 'T':
			/* an optional argument must be attached ("-Tepoch"), but
			 * "-T epoch" is what people type: take the next word when
			 * it is a format, never an interval */
			if (!optarg && optind < argc &&
			    (!strcmp(argv[optind], "iso") || !strcmp(argv[optind], "epoch")))
				optarg = argv[optind++];
			if (!optarg || !strcmp(optarg, "iso"))
				c->out.ts = TS_ISO;
			else if (!strcmp(optarg, "epoch"))
				c->out.ts = TS_EPOCH;
			else
				cli_usage_error("invalid timestamp format: '%s' (iso or epoch)", optarg);
			break;
		case 'n':
			c->out.header = false;
			break;
		case 'q':
			c->quiet = true;
			break;
		case OPT_FORMAT:
			r = output_format(optarg);
			if (r < 0)
				cli_usage_error("unknown format: '%s' (table, csv, json or prometheus)", optarg);
			c->out.format = (enum format)r;
			break;
		case 'J':
			c->out.format = FMT_JSON;
			break;
		case 'w':
			c->output_file = optarg;
			break;
		case OPT_PROC:
			c->proc_dir = optarg;
			break;
		case OPT_LABEL:
			add_label(c, optarg);
			break;
		case 'h':
			usage();
		case 'V':
			cli_print_version();
		default:
			cli_bad_option(opt, argc, argv, longopts);
		}
	}
	if (optind < argc)
		c->interval = parse_interval(argv[optind++]);
	if (optind < argc) {
		if (cli_parse_ll(argv[optind], 1, LLONG_MAX, &c->count) < 0)
			cli_usage_error("invalid count: '%s'", argv[optind]);
		optind++;
	}
	if (optind < argc)
		cli_usage_error("unexpected argument: '%s'", argv[optind]);
	if (c->list_cols)
		list_columns(c->devices);
	for (size_t i = 0; i < c->np_args; i++)
		if (c->devices)
			add_names(&c->dev_names, &c->ndev_names, c->p_args[i]);
		else
			cli_add_id_list(&c->pids, &c->npids, c->p_args[i], "PID");
	if (c->sort_arg) {
		c->sort = parse_sort(c->sort_arg, c->devices);
		c->iodelay_asked |= c->sort == COL_IODELAY;
	} else if (c->devices) {
		c->sort = COL_DISK_DEVICE; /* a text column: the kernel's order */
	}
	if (c->devices) {
		if (c->group_by != GROUP_PID || c->threads || c->state_file || c->filter_uid ||
		    c->sel.have_re || c->npgids || c->sel.full || c->sel.tree || c->only_active || c->cmdline || c->output_file || c->out.nlabels)
			cli_usage_error("-d reports devices: -g, -t, --state, -u, -C, --only-active, "
					"-l, -w and --label are for processes");
		if (c->out.format == FMT_PROMETHEUS)
			cli_usage_error("-d has no prometheus form: node_exporter's diskstats "
					"collector exports these counters");
		device_columns(c);
		return;
	}

	cli_select_check(&c->sel, c->np_args || c->npgids || c->filter_uid, "-p, -P, -u");
	bool grouped = c->group_by != GROUP_PID;
	static const char *const headers[NGROUP_BY] = { "PID", "COMM", "USER", "CGROUP", "UNIT" };
	c->out.group_header = headers[c->group_by];
	if (grouped && c->threads)
		cli_usage_error("--group-by counts processes; -t shows threads: one or the other");
	if (c->state_file && !grouped)
		cli_usage_error("--state keeps group counters: give --group-by too");
	if (c->lock_wait_given && !c->state_file)
		cli_usage_error("--lock-wait is the wait for --state's lock: give --state too");
	if (grouped && columns[c->sort].tasks_only)
		cli_usage_error("cannot sort groups by '%s'", columns[c->sort].name);

	/* the columns: the format's defaults, replaced by -o LIST or added to
	 * by -o +LIST */
	c->out.ncols = output_default_columns(c->out.format, c->threads, grouped, c->out.cols);
	if (c->columns)
		set_columns(c, c->columns);
	for (size_t i = 0; i < c->out.ncols; i++) {
		enum column col = c->out.cols[i];
		const struct format_def *f = &formats[c->out.format];
		if (columns[col].scope != SCOPE_PROC)
			cli_usage_error("column '%s' is a device's: give -d", columns[col].name);
		if (f->shows && !f->shows(col))
			cli_usage_error("column '%s' has no %s form", columns[col].name, f->name);
		if (grouped && columns[col].tasks_only)
			cli_usage_error("column '%s' is a process's, not a group's (--group-by %s)",
					columns[col].name, group_by_names[c->group_by]);
		/* a note on delay accounting only for IODELAY asked for by name */
		if (col == COL_IODELAY && c->columns && strcasestr(c->columns, "iodelay"))
			c->iodelay_asked = true;
	}
}

static bool shows(const struct config *c, enum column col)
{
	for (size_t i = 0; i < c->out.ncols; i++)
		if (c->out.cols[i] == col)
			return true;
	return false;
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
	if (c->cmdline && shows(c, COL_COMMAND))
		need |= NEED_CMDLINE; /* COMMAND as the command line */
	if (c->out.format == FMT_TABLE && shows(c, COL_PRIO))
		need |= NEED_PRIO_MARK; /* only a table marks PRIO */
	return need;
}

struct emit_ctx {
	const struct config *c;
	struct cli_buf *b;
	const struct report *rep;
	enum report_kind kind;
};

static int write_report(FILE *f, void *arg)
{
	const struct emit_ctx *x = arg;

	return output_report(f, x->b, x->rep, x->kind, &x->c->out, true);
}

/* Says once what a table's "be/4*" means, when one is shown (-t shows each
 * thread's own). */
static void note_marks(const struct config *c, const struct report *rep)
{
	static bool said;

	if (said || c->quiet || c->out.format != FMT_TABLE || rep->groups || !shows(c, COL_PRIO))
		return;
	for (size_t i = 0; i < rep->n; i++)
		if (report_task(rep, &rep->rows[i])->flags & ROW_PRIO_MIXED) {
			warnx("*: some threads of these processes have another I/O priority; see -t");
			said = true;
			return;
		}
}

/* Writes one report to stdout, or atomically replaces --write's file with it. */
static void emit(const struct config *c, struct cli_buf *b, const struct report *rep,
		 enum report_kind kind, bool first)
{
	note_marks(c, rep);
	if (!c->output_file) {
		if (output_report(stdout, b, rep, kind, &c->out, first) < 0) {
			/* a reader that went away (SIGPIPE ignored): quiet, status 0;
			 * any other error is reported once, at exit, with its errno */
			exit(errno == EPIPE ? EXIT_SUCCESS : EXIT_FAILURE);
		}
		return;
	}
	struct emit_ctx ctx = { c, b, rep, kind };
	/* collectors run as other users: 0666 less umask */
	if (atomic_replace(c->output_file, 0666, write_report, &ctx) < 0) {
		if (errno == EEXIST)
			errx(EXIT_FAILURE, "will not replace %s: not a regular file", c->output_file);
		if (errno == EISDIR)
			err(EXIT_FAILURE, "will not replace %s", c->output_file);
		err(EXIT_FAILURE, "cannot write %s", c->output_file);
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
	if (c->npids) {
		cli_buf_puts(&b, ";pids=");
		for (size_t i = 0; i < c->npids; i++) {
			if (i)
				cli_buf_putc(&b, ',');
			cli_buf_u64(&b, (unsigned)c->pids[i]);
		}
	}
	if (c->filter_uid) {
		cli_buf_puts(&b, ";uid=");
		cli_buf_u64(&b, c->uid);
	}
	if (c->npgids) {
		cli_buf_puts(&b, ";pgids=");
		for (size_t i = 0; i < c->npgids; i++) {
			if (i)
				cli_buf_putc(&b, ',');
			cli_buf_u64(&b, (unsigned)c->pgids[i]);
		}
	}
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
	if (c->state_file && state_save(c->state_file, sid, cur, g) < 0) {
		if (errno == EEXIST)
			errx(EXIT_FAILURE, "will not replace %s: not a regular file", c->state_file);
		err(EXIT_FAILURE, "cannot write %s", c->state_file);
	}
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
	    shows(c, COL_EXITED) || c->out.ncols >= NCOLS)
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

static void emit_devices(const struct config *c, struct cli_buf *b, struct report *rep,
			 struct dev_view *v, const struct scan_snapshot *when,
			 const struct report_options *ro, enum report_kind kind, bool *first)
{
	bool json = c->out.format == FMT_JSON;
	for (int nfs = 0; nfs < 2; nfs++) {
		struct output_options o = nfs ? c->nfs_out : c->out;
		if (!o.ncols || (nfs && !v->nnfs && c->out.ncols && !json))
			continue; /* no NFS mount: no empty table after the disks */
		/* JSON: one object a report, with "disk" and "nfs" ([] without a mount) */
		o.dev_more = json && !nfs && c->nfs_out.ncols;
		o.dev_cont = json && nfs && c->out.ncols;
		if (dev_report_build(rep, v, nfs, ro, when) < 0)
			xalloc_die();
		/* busy more than all the time: a counter is wrong (wrapped, a driver's
		 * bug, a fixture); said once, shown as it is */
		static bool said_absurd;
		for (size_t i = 0; !nfs && !said_absurd && !c->quiet && i < v->n; i++) {
			double util;
			if (dev_busy_absurd(&v->disks[i], &util)) {
				warnx("%s: busy %.0f%% of the time: its counters are not what the "
				      "kernel can count (wrapped, or a driver's bug)",
				      v->disks[i].now->name, util);
				said_absurd = true;
			}
		}
		if (output_report(stdout, b, rep, kind, &o, *first) < 0)
			exit(errno == EPIPE ? EXIT_SUCCESS : EXIT_FAILURE);
		*first = false;
	}
}

/* iopstat -d [INTERVAL [COUNT]]: since boot, or each interval's change */
static int run_devices(struct config *c, const struct proc_root *root)
{
	struct dev_read reads[2] = { 0 };
	struct dev_read *cur = &reads[0], *prev = NULL;
	struct dev_view view = { 0 };
	struct report rep = { 0 };
	struct cli_buf buf = { 0 };
	struct scan_snapshot when = { 0 };
	struct dev_select sel = { .names = c->dev_names, .nnames = c->ndev_names,
				  .all = c->all_devices };
	struct report_options ro = { .sort = column_sort_by(c->sort), .top = c->top };
	unsigned what = (c->out.ncols ? DEV_READ_DISKS : 0) | (c->nfs_out.ncols ? DEV_READ_NFS : 0);
	bool first = true;
	int status = EXIT_SUCCESS;

	what |= DEV_READ_DISKS; /* named devices are looked for in it */
	int sysfs = open(c->sys_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sysfs < 0 && !c->quiet)
		warn("%s: the schedulers are unknown", c->sys_dir);
	if (dev_read(cur, root, sysfs, what) < 0)
		xalloc_die();
	if (cur->disks_error < 0 && c->out.ncols)
		errx(EXIT_FAILURE, "cannot read %s/diskstats: %s", c->proc_dir,
		     strerror(-cur->disks_error));
	device_notes(c, cur);
	if (missing_devices(c, cur))
		status = EXIT_FAILURE;
	if (c->interval == 0) {
		when.when = cur->when;
		if (dev_view_build(&view, cur, NULL, sysfs, &sel) < 0)
			xalloc_die();
		emit_devices(c, &buf, &rep, &view, &when, &ro, REPORT_SNAPSHOT, &first);
	} else {
		struct sigaction sa = { .sa_handler = on_stop_signal, .sa_flags = SA_RESTART };
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		struct timespec next;
		clock_gettime(CLOCK_MONOTONIC, &next);
		for (long long done = 0; !stop_requested && (c->count == 0 || done < c->count); done++) {
			double at = (double)next.tv_sec + (double)next.tv_nsec / 1e9 + c->interval;
			next.tv_sec = (time_t)at;
			next.tv_nsec = (long)((at - (double)next.tv_sec) * 1e9);
			sleep_until(&next);
			if (stop_requested)
				break;
			prev = cur;
			cur = cur == &reads[0] ? &reads[1] : &reads[0];
			if (dev_read(cur, root, sysfs, what) < 0)
				xalloc_die();
			if (cur->disks_error < 0 && c->out.ncols)
				errx(EXIT_FAILURE, "cannot read %s/diskstats: %s", c->proc_dir,
				     strerror(-cur->disks_error));
			device_notes(c, cur);
			when.when = cur->when;
			if (dev_view_build(&view, cur, prev, sysfs, &sel) < 0)
				xalloc_die();
			emit_devices(c, &buf, &rep, &view, &when, &ro, REPORT_INTERVAL, &first);
		}
	}
	if (sysfs >= 0)
		close(sysfs);
	dev_view_free(&view);
	dev_read_free(&reads[0]);
	dev_read_free(&reads[1]);
	free(rep.rows);
	cli_buf_free(&buf);
	return status;
}

int main(int argc, char **argv)
{
	struct config c = { .sort = COL_IO, .proc_dir = "/proc", .sys_dir = "/sys",
			     .lock_wait = STATE_LOCK_WAIT_DEFAULT };
	struct scan_snapshot snaps[3] = { 0 };
	struct report rep = { 0 };
	struct cli_buf buf = { 0 };
	int status = EXIT_SUCCESS;

	/* Large arrays in their own mappings: they grow by mremap() without a
	 * copy, and glibc does not raise the threshold behind our back (a copy
	 * while growing doubles the peak memory, and the goal is 4 MiB). */
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 64 * 1024);
#endif
	c.out.header = true;
	c.out.clock_ticks = proc_clock_ticks();
	cli_close_stdout_at_exit();
	parse_args(argc, argv, &c);
	c.out.cmdline = c.cmdline;

	struct proc_root proot;
	int e = proc_root_open(&proot, c.proc_dir);
	if (e < 0)
		errx(EXIT_FAILURE, "cannot open %s: %s", c.proc_dir, strerror(-e));
	const struct proc_root *root = &proot;
	if (c.devices) {
		status = run_devices(&c, root);
		proc_root_close(&proot);
		free(c.p_args);
		free(c.dev_names);
		return status;
	}
	if (c.npids) {
		/* a thread's id stands for its process (/proc/TID exists, unlisted):
		 * counted once, not once more as a process of its own */
		sel_tids_to_pids(root, c.pids, c.npids);
		/* sorted and unique: the scan reads them in this order */
		cli_sort(c.pids, c.npids, sizeof(*c.pids), cmp_int);
		size_t n = 1;
		for (size_t i = 1; i < c.npids; i++)
			if (c.pids[i] != c.pids[n - 1])
				c.pids[n++] = c.pids[i];
		c.npids = n;
	}
	struct scan_options so = {
		.sel = { .pids = c.pids, .npids = c.npids, .pgids = c.pgids, .npgids = c.npgids,
			 .uids = &c.uid, .nuids = c.filter_uid,
			 .re = c.sel.have_re ? &c.sel.re : NULL, .full = c.sel.full,
			 .tree = c.sel.tree,
			 /* itself, as ionice and ioprio-get leave themselves out of a tree */
			 .exclude = c.sel.tree && root->own ? (int)getpid() : 0 },
		.threads = c.threads,
		.need = scan_needs(&c),
	};
	struct report_options ro = {
		.sort = column_sort_by(c.sort), .only_active = c.only_active, .top = c.top,
		.threads = c.threads,
	};
	bool lifetime = formats[c.out.format].lifetime; /* counters, never deltas */
	bool grouped = c.group_by != GROUP_PID;
	struct groups groups = { .by = c.group_by, .expire = GROUP_EXPIRE_SECONDS };
	struct base base = { 0 };
	struct state_id sid = { 0 };
	int lock = -1;

	if (c.state_file) {
		c.selection = describe_selection(&c);
		sid.selection = c.selection;
		lock = take_lock(&c);
		/* what the state is checked against is read once the lock is
		 * held: a run that waited for another must not find that one's
		 * state newer than its own clock and throw it away */
		if (proc_boot_id(root, sid.boot, sizeof(sid.boot)) < 0)
			strcpy(sid.boot, "unknown");
	}
	sid.uptime = proc_uptime(root);

	if (c.interval == 0) {
		scan(root, &so, &snaps[0]);
		notes(&c, root, &snaps[0]);
		if (grouped) {
			count_groups(&c, &groups, &base, &snaps[0], root, &sid);
			if (report_build_groups(&rep, &groups, &snaps[0], VIEW_COUNTERS, lifetime, 0,
						&ro) < 0)
				xalloc_die();
		} else if (report_build(&rep, NULL, &snaps[0], &ro, c.out.clock_ticks) < 0) {
			xalloc_die();
		}
		emit(&c, &buf, &rep, REPORT_SNAPSHOT, true);
		save_state(&c, &sid, &snaps[0], &groups);
		if (missing_pids(&c, root, &snaps[0]))
			status = EXIT_FAILURE;
	} else {
		/* SA_RESTART: a write blocked on a slow reader (iopstat 1 | less)
		 * goes on after Ctrl-C, and the summary follows; the sleep between
		 * samples is cut short all the same (clock_nanosleep is never
		 * restarted after a handler) */
		struct sigaction sa = { .sa_handler = on_stop_signal, .sa_flags = SA_RESTART };
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);

		/* A summary of the run (a table or JSON to stdout) needs the first
		 * scan and, for the processes that end, the previous one in full:
		 * snaps[0] is the first, 1 and 2 take turns.  Without one (CSV,
		 * Prometheus, --write, groups, whose counters carry the run) one
		 * snapshot is scanned again and again, and the base kept of the
		 * last scan pairs the next: the least memory. */
		bool summary = !lifetime && !c.output_file && formats[c.out.format].summary;
		bool keep_scans = summary && !grouped;
		struct scan_snapshot *first = &snaps[0], *prev = first;
		struct scan_snapshot *cur = keep_scans ? &snaps[1] : &snaps[0];
		struct run_exits exits = { 0 }; /* for the summary: who ended, having done what */
		struct exits ex; /* the kernel's exit notifications */
		struct timespec next;
		long long done = 0;
		int r;

		listen_exits(&c, root, &ex);
		scan(root, &so, first);
		exits_discard(&ex); /* what ended before the first scan is not the run's */
		notes(&c, root, first);
		/* a named pid that is not there at the start is an error, as in
		 * one-shot mode; with none of them left there is nothing to watch */
		int missing = missing_pids(&c, root, first);
		if (missing)
			status = EXIT_FAILURE;
		if (missing && (size_t)missing == c.npids)
			exit(EXIT_FAILURE);
		if (grouped)
			count_groups(&c, &groups, &base, first, root, &sid);
		if (base_keep(&base, first) < 0 ||
		    (keep_scans && (scan_snapshot_reserve(&snaps[1], first) < 0 ||
				    scan_snapshot_reserve(&snaps[2], first) < 0)))
			xalloc_die();
		double started = first->mono;
		/* the system line (a table with headings, JSON): the whole disks
		 * and the I/O pressure, read right after each scan (-n: none);
		 * partitions
		 * are told from disks through sysfs, so without it only pressure */
		bool want_sys = !lifetime && c.out.header &&
				(c.out.format == FMT_TABLE || c.out.format == FMT_JSON);
		int sysfs = want_sys ? open(c.sys_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
		unsigned sys_what = DEV_READ_PSI | (sysfs >= 0 ? DEV_READ_DISKS : 0);
		struct dev_read sysr[2] = { 0 };
		struct sys_line sl = { .psi = 2 };
		int sys_at = 0;
		if (want_sys && dev_read(&sysr[0], root, sysfs, sys_what) < 0)
			xalloc_die();
		clock_gettime(CLOCK_MONOTONIC, &next);
		while (!stop_requested && (c.count == 0 || done < c.count)) {
			double when = (double)next.tv_sec + (double)next.tv_nsec / 1e9 + c.interval;
			next.tv_sec = (time_t)when;
			next.tv_nsec = (long)((when - (double)next.tv_sec) * 1e9);
			if (ex.on)
				exits_sleep_until(&ex, &next, &stop_requested);
			else
				sleep_until(&next);
			if (stop_requested)
				break;
			scan(root, &so, cur);
			if (want_sys && dev_read(&sysr[!sys_at], root, sysfs, sys_what) < 0)
				xalloc_die();
			if (ex.on && exits_add_rows(&ex, &base, cur, &so, root, c.out.clock_ticks) < 0)
				xalloc_die();
			if (ex.broken && !ex.on && !c.quiet) {
				warnx("exit notifications failed: processes that live less than an "
				      "interval are not shown from now on");
				ex.broken = false;
			}
			if (grouped) {
				r = groups_step(&groups, &base, cur, root, c.out.clock_ticks);
				if (r == 0)
					r = report_build_groups(&rep, &groups, cur,
								lifetime ? VIEW_COUNTERS : VIEW_DELTA,
								lifetime, cur->mono - base.mono, &ro);
			} else {
				r = report_build(&rep, lifetime ? NULL : &base, cur, &ro,
						 c.out.clock_ticks);
				if (r == 0 && keep_scans)
					r = report_note_exits(&exits, first, prev, cur, c.out.clock_ticks);
			}
			if (r < 0)
				xalloc_die();
			if (want_sys) {
				sys_at = !sys_at;
				sys_line_devices(&sl, &sysr[sys_at], &sysr[!sys_at]);
				sl.seconds = rep.seconds;
				/* what the processes did: the report's totals, which hold
				 * the tasks that exited during the interval (their rows) */
				sl.proc_read = rep.seconds > 0 ? (double)rep.io[IO_READ_BYTES] / rep.seconds : 0;
				sl.proc_write = rep.seconds > 0 ? (double)rep.io[IO_WRITE_BYTES] / rep.seconds : 0;
				c.out.sys = &sl;
			}
			rep.exits_on = ex.on;
			rep.exits_missed = ex.missed;
			note_missed(&c, &ex);
			emit(&c, &buf, &rep, lifetime ? REPORT_SNAPSHOT : REPORT_INTERVAL, done == 0);
			c.out.sys = NULL;
			/* reported once: the summary finds them in the kept scans,
			 * a state file and the next pairing never see them */
			if (!keep_scans)
				exits_strip(cur);
			save_state(&c, &sid, cur, &groups);
			if (base_keep(&base, cur) < 0)
				xalloc_die();
			done++;
			if (keep_scans) {
				prev = cur;
				cur = cur == &snaps[1] ? &snaps[2] : &snaps[1];
			}
		}
		/* the whole run at once, when there was more than one report */
		if (done > 1 && summary) {
			if (grouped)
				r = report_build_groups(&rep, &groups, cur, VIEW_RUN, false,
							cur->mono - started, &ro);
			else /* the tasks still there and those that ended, built in the
			      * snapshot that holds neither the first nor the last scan */
				r = report_build_summary(&rep, first, prev, &exits, cur, &ro,
							 c.out.clock_ticks);
			if (r < 0)
				xalloc_die();
			rep.exits_on = ex.on;
			rep.exits_missed = ex.missed_run;
			emit(&c, &buf, &rep, REPORT_SUMMARY, false);
		}
		report_exits_free(&exits);
		dev_read_free(&sysr[0]);
		dev_read_free(&sysr[1]);
		if (sysfs >= 0)
			close(sysfs);
		exits_close(&ex);
	}
	base_free(&base);
	groups_free(&groups);
	free(c.selection);
	if (lock >= 0)
		close(lock);
	for (int i = 0; i < 3; i++)
		scan_snapshot_free(&snaps[i]);
	report_free(&rep);
	cli_buf_free(&buf);
	free(c.pids);
	free(c.p_args);
	free(c.dev_names);
	for (size_t i = 0; i < c.out.nlabels; i++)
		free((char *)c.label_names[i]);
	free(c.label_names);
	free(c.label_values);
	cli_select_free(&c.sel);
	free(c.pgids);
	proc_root_close(&proot);
	return status;
}
