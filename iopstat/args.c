/* SPDX-License-Identifier: MIT */
/*
 * iopstat's command line: each group of options in one place (which
 * processes, what is counted and kept, how it is written, the devices),
 * then the operands, then every check of how options combine, then the
 * columns; the mode of the run is returned to main.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h> /* program_invocation_short_name */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iopcli/buf.h"
#include "iopcli/cli.h"
#include "iopcli/proc.h"
#include "iopcli/xalloc.h"
#include "args.h"
#include "state.h"

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
	c->label_names = xrealloc(c->label_names, (n + 1) * sizeof(*c->label_names));
	c->label_values = xrealloc(c->label_values, (n + 1) * sizeof(*c->label_values));
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

/* w appended to the n words of *v */
static void push_word(const char ***v, size_t *n, const char *w)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = w;
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
	for (char *w = strtok_r(copy, ", \t\n", &save); w; w = strtok_r(NULL, ", \t\n", &save))
		push_word(v, n, w);
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
	if (c->columns) /* LIST replaces them, +LIST adds to them */
		n = cli_parse_columns(c->columns, true, column_name, NCOLS, cols, n, NCOLS);
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


/* The columns of a process report: the format's defaults, replaced by -o
 * LIST or added to by -o +LIST, each one checked against the format and
 * the grouping. */
static void process_columns(struct config *c)
{
	static const char *const headers[NGROUP_BY] = { "PID", "COMM", "USER", "CGROUP", "UNIT" };
	bool grouped = c->group_by != GROUP_PID;
	const struct format_def *f = &formats[c->out.format];

	c->out.group_header = headers[c->group_by];
	c->out.ncols = output_default_columns(c->out.format, c->threads, grouped, c->out.cols);
	if (c->columns)
		set_columns(c, c->columns);
	for (size_t i = 0; i < c->out.ncols; i++) {
		enum column col = c->out.cols[i];
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

/* -p, -P, -u, -C, --full, --tree: which processes (-p: or with -d, given
 * before or after it, which devices).  False: not one of them. */
static bool selection_option(struct config *c, int opt, const char *arg)
{
	switch (opt) {
	case 'p':
		push_word(&c->p_args, &c->np_args, arg);
		return true;
	case 'u':
		c->uid = cli_user_arg(arg);
		c->filter_uid = true;
		return true;
	case 'P':
		cli_add_id_list(&c->pgids, &c->npgids, arg, "PGID");
		return true;
	case 'C':
		c->command_re = arg;
		/* fall through */
	case CLI_OPT_FULL:
		return cli_select_option(&c->sel, opt, arg);
	case OPT_TREE:
		return cli_select_option(&c->sel, 'T', arg);
	}
	return false;
}

/* -t, -g, --state, --lock-wait, --no-exits, --only-active, -l: what is
 * counted, shown and kept of the processes. */
static bool report_option(struct config *c, int opt, const char *arg)
{
	int r;

	switch (opt) {
	case 't':
		c->threads = true;
		return true;
	case 'g':
		for (r = 0; r < NGROUP_BY && strcmp(arg, group_by_names[r]); r++)
			;
		if (r == NGROUP_BY)
			cli_usage_error("unknown --group-by key: '%s' (pid, comm, user, cgroup or unit)",
					arg);
		c->group_by = (enum group_by)r;
		return true;
	case OPT_NO_EXITS:
		c->no_exits = true;
		return true;
	case OPT_STATE:
		c->state_file = arg;
		return true;
	case OPT_LOCK_WAIT:
		c->lock_wait = parse_seconds(arg);
		if (!(c->lock_wait >= 0 && c->lock_wait <= 86400))
			cli_usage_error("invalid --lock-wait argument: '%s' (seconds, 0 to 86400)", arg);
		c->lock_wait_given = true;
		return true;
	case OPT_ONLY_ACTIVE:
		c->only_active = true;
		return true;
	case 'l':
		c->cmdline = true;
		return true;
	}
	return false;
}

/* -T[FMT]: an optional argument must be attached ("-Tepoch"), but
 * "-T epoch" is what people type: the next word is taken when it is a
 * format, never an interval. */
static void timestamp_option(struct config *c, const char *arg, int argc, char **argv)
{
	if (!arg && optind < argc && (!strcmp(argv[optind], "iso") || !strcmp(argv[optind], "epoch")))
		arg = argv[optind++];
	if (!arg || !strcmp(arg, "iso"))
		c->out.ts = TS_ISO;
	else if (!strcmp(arg, "epoch"))
		c->out.ts = TS_EPOCH;
	else
		cli_usage_error("invalid timestamp format: '%s' (iso or epoch)", arg);
}

/* -o, --list-columns, -s, --top, -k, -H, -n, -q, --format, -J, -w,
 * --label: how the report is written (-T: timestamp_option()). */
static bool output_option(struct config *c, int opt, const char *arg)
{
	long long v;
	int r;

	switch (opt) {
	case 'o':
		c->columns = arg;
		return true;
	case OPT_LIST_COLUMNS:
		c->list_cols = true;
		return true;
	case 's':
		c->sort_arg = arg;
		return true;
	case OPT_TOP:
		if (cli_parse_ll(arg, 1, LLONG_MAX, &v) < 0)
			errx(EXIT_FAILURE, "invalid --top argument: '%s'", arg);
		c->top = (size_t)v;
		return true;
	case 'k':
	case 'H':
		c->out.units = opt == 'k' ? UNITS_KIB : UNITS_HUMAN;
		return true;
	case 'n':
		c->out.header = false;
		return true;
	case 'q':
		c->quiet = true;
		return true;
	case OPT_FORMAT:
	case 'J':
		r = opt == 'J' ? FMT_JSON : output_format(arg);
		if (r < 0)
			cli_usage_error("unknown format: '%s' (table, csv, json or prometheus)", arg);
		c->out.format = (enum format)r;
		return true;
	case 'w':
		c->output_file = arg;
		return true;
	case OPT_LABEL:
		add_label(c, arg);
		return true;
	}
	return false;
}

/* -d[LIST], --all-devices, --proc, --sys: the devices, and where the
 * kernel's files are read. */
static bool source_option(struct config *c, int opt, const char *arg)
{
	switch (opt) {
	case 'd':
		c->devices = true;
		if (arg)
			add_names(&c->dev_names, &c->ndev_names, arg);
		return true;
	case OPT_ALL_DEVICES:
		c->all_devices = true;
		return true;
	case OPT_PROC:
		c->proc_dir = arg;
		return true;
	case OPT_SYS:
		c->sys_dir = arg;
		return true;
	}
	return false;
}

/* [INTERVAL [COUNT]] */
static void operands(struct config *c, int argc, char **argv)
{
	if (optind < argc)
		c->interval = parse_interval(argv[optind++]);
	if (optind < argc) {
		if (cli_parse_ll(argv[optind], 1, LLONG_MAX, &c->count) < 0)
			cli_usage_error("invalid count: '%s'", argv[optind]);
		optind++;
	}
	if (optind < argc)
		cli_usage_error("unexpected argument: '%s'", argv[optind]);
}

/* What needed the whole command line: -p's words as pids or devices, the
 * sort key of the report's kind. */
static void resolve(struct config *c)
{
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
}

/* Every check of how options combine, in one place. */
static void check_combinations(const struct config *c)
{
	bool grouped = c->group_by != GROUP_PID;

	if (c->devices) {
		if (grouped || c->threads || c->state_file || c->filter_uid || c->sel.have_re ||
		    c->npgids || c->sel.full || c->sel.tree || c->only_active || c->cmdline ||
		    c->output_file || c->out.nlabels)
			cli_usage_error("-d reports devices: -g, -t, --state, -u, -C, --only-active, "
					"-l, -w and --label are for processes");
		if (c->out.format == FMT_PROMETHEUS)
			cli_usage_error("-d has no prometheus form: node_exporter's diskstats "
					"collector exports these counters");
		return;
	}
	cli_select_check(&c->sel, c->np_args || c->npgids || c->filter_uid, "-p, -P, -u");
	if (grouped && c->threads)
		cli_usage_error("--group-by counts processes; -t shows threads: one or the other");
	if (c->state_file && !grouped)
		cli_usage_error("--state keeps group counters: give --group-by too");
	if (c->lock_wait_given && !c->state_file)
		cli_usage_error("--lock-wait is the wait for --state's lock: give --state too");
	if (grouped && columns[c->sort].tasks_only)
		cli_usage_error("cannot sort groups by '%s'", columns[c->sort].name);
}

/* the getopt table: every option, each handled by one of the functions above */
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

enum mode parse_args(int argc, char **argv, struct config *c)
{
	int opt;

	*c = (struct config){ .sort = COL_IO, .proc_dir = "/proc", .sys_dir = "/sys",
			      .lock_wait = STATE_LOCK_WAIT_DEFAULT };
	c->out.header = true;
	c->out.clock_ticks = proc_clock_ticks();
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":p:P:u:C:tg:lo:s:kHT::nqJw:dhV", longopts, NULL)) != -1) {
		if (selection_option(c, opt, optarg) || report_option(c, opt, optarg) ||
		    output_option(c, opt, optarg) || source_option(c, opt, optarg))
			continue;
		if (opt == 'T')
			timestamp_option(c, optarg, argc, argv);
		else if (opt == 'h')
			usage();
		else if (opt == 'V')
			cli_print_version();
		else
			cli_bad_option(opt, argc, argv, longopts);
	}
	operands(c, argc, argv);
	if (c->list_cols)
		list_columns(c->devices);
	resolve(c);
	check_combinations(c);
	c->out.cmdline = c->cmdline;
	if (c->devices) {
		device_columns(c);
		return c->interval > 0 ? MODE_DEVICE_INTERVALS : MODE_DEVICES;
	}
	process_columns(c);
	return c->interval > 0 ? MODE_INTERVALS : MODE_SNAPSHOT;
}

bool config_shows(const struct config *c, enum column col)
{
	for (size_t i = 0; i < c->out.ncols; i++)
		if (c->out.cols[i] == col)
			return true;
	return false;
}

void config_free(struct config *c)
{
	free(c->pids);
	free(c->p_args);
	free(c->dev_names);
	for (size_t i = 0; i < c->out.nlabels; i++)
		free((char *)c->label_names[i]);
	free(c->label_names);
	free(c->label_values);
	cli_select_free(&c->sel);
	free(c->pgids);
	free(c->selection);
}
