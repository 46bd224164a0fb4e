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
#include "output.h"
#include "procfs.h"
#include "sample.h"

struct config {
	double interval; /* 0: one snapshot */
	long long count; /* reports in interval mode; 0 = until stopped */
	int *pids;
	size_t npids;
	bool filter_uid;
	unsigned uid;
	regex_t comm_re;
	bool have_re;
	bool threads, cmdline, only_active;
	bool quiet; /* -q: no notes (a cron job mails every line of stderr) */
	bool iodelay_asked; /* IODELAY chosen with -o or -s: worth a note when off */
	enum column sort;
	size_t top;
	const char *proc_dir;
	const char *columns; /* -o LIST, applied once the format is known */
	const char *output_file; /* -w FILE */
	struct output_options out;
	const char **label_names, **label_values; /* --label, for out */
};

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* The signals that end a run.  While a report is written to the file beside
 * --write they wait (blocked), so that the file is renamed into place or
 * removed before they act: no temporary file is ever left behind. */
static void block_stop_signals(int how)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGPIPE);
	sigprocmask(how, &set, NULL);
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
	       " -u, --user <user>        only processes of this user (name or uid)\n"
	       " -C, --command <regex>    only commands matching this extended regex\n"
	       "     --only-active        only rows with I/O in the period\n"
	       " -t, --threads            one row per thread\n"
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

static void __attribute__((noreturn)) list_columns(void)
{
	for (int c = 0; c < NCOLS; c++)
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
	char *name = strndup(arg, (size_t)(eq - arg));
	if (!name)
		err(EXIT_FAILURE, "cannot allocate memory");
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
		err(EXIT_FAILURE, "cannot allocate memory");
	c->label_values = values;
	c->label_names[n] = name;
	c->label_values[n] = eq + 1;
	c->out.label_names = c->label_names;
	c->out.label_values = c->label_values;
	c->out.nlabels = n + 1;
}

/* --sort: any column but the text ones */
static enum column parse_sort(const char *arg)
{
	int c = column_by_name(arg);
	struct cli_buf names = { 0 };

	if (c >= 0 && column_sorts((enum column)c))
		return (enum column)c;
	for (int i = 0; i < NCOLS; i++)
		if (column_sorts((enum column)i)) {
			cli_buf_puts(&names, names.len ? ", " : "");
			cli_buf_puts(&names, columns[i].name);
		}
	cli_buf_putc(&names, '\0');
	cli_usage_error("%s: '%s' (%s)", c >= 0 ? "cannot sort by a text column" : "unknown sort key",
			arg, names.p);
}

/* seconds: digits, optionally a point and more digits; more than 0 */
static double parse_interval(const char *arg)
{
	const char *p = arg;
	int digits = 0;

	while (*p >= '0' && *p <= '9')
		p++, digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	double v = digits && !*p ? strtod(arg, NULL) : 0;
	if (!(v >= 0.001 && v <= 31536000))
		cli_usage_error("invalid interval: '%s' (seconds, 0.001 or more)", arg);
	return v;
}

enum {
	OPT_FORMAT = 256, OPT_PROC, OPT_TOP, OPT_ONLY_ACTIVE, OPT_LIST_COLUMNS, OPT_LABEL
};

static void parse_args(int argc, char **argv, struct config *c)
{
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "user", required_argument, NULL, 'u' },
		{ "command", required_argument, NULL, 'C' },
		{ "threads", no_argument, NULL, 't' },
		{ "cmdline", no_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "list-columns", no_argument, NULL, OPT_LIST_COLUMNS },
		{ "sort", required_argument, NULL, 's' },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "only-active", no_argument, NULL, OPT_ONLY_ACTIVE },
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
	while ((opt = getopt_long(argc, argv, ":p:u:C:tlo:s:kHT::nqJw:hV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			cli_add_id_list(&c->pids, &c->npids, optarg, "PID");
			break;
		case 'u':
			if (cli_parse_user(optarg, &c->uid) < 0)
				errx(EXIT_FAILURE, "invalid user argument: '%s': no such user", optarg);
			c->filter_uid = true;
			break;
		case 'C':
			if (c->have_re)
				regfree(&c->comm_re);
			r = regcomp(&c->comm_re, optarg, REG_EXTENDED | REG_NOSUB);
			if (r != 0) {
				char msg[128];
				regerror(r, &c->comm_re, msg, sizeof(msg));
				errx(EXIT_FAILURE, "invalid regular expression: '%s': %s", optarg, msg);
			}
			c->have_re = true;
			break;
		case 't':
			c->threads = true;
			break;
		case 'l':
			c->cmdline = true;
			break;
		case 'o':
			c->columns = optarg;
			break;
		case OPT_LIST_COLUMNS:
			list_columns();
		case 's':
			c->sort = parse_sort(optarg);
			c->iodelay_asked |= c->sort == COL_IODELAY;
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
			cli_bad_option(opt, argc, argv);
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

	/* the columns: the format's defaults, replaced by -o LIST or added to
	 * by -o +LIST */
	c->out.ncols = output_default_columns(c->out.format, c->threads, c->out.cols);
	if (c->columns)
		set_columns(c, c->columns);
	for (size_t i = 0; i < c->out.ncols; i++) {
		enum column col = c->out.cols[i];
		const struct format_def *f = &formats[c->out.format];
		if (f->shows && !f->shows(col))
			cli_usage_error("column '%s' has no %s form", columns[col].name, f->name);
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
	if (c->cmdline && shows(c, COL_COMMAND))
		need |= NEED_CMDLINE; /* COMMAND as the command line */
	return need;
}

/* --write replaces a regular file, or makes one: never a device, FIFO,
 * symlink or directory (as root, renaming over /dev/null would replace the
 * device).  Checked before each report; 0 or -1 with errno. */
static int replaceable(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (S_ISREG(st.st_mode))
		return 0;
	errno = S_ISDIR(st.st_mode) ? EISDIR : EEXIST;
	return -1;
}

/* renameat2(), through the system call: older C libraries lack it */
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
static int rename2(const char *from, const char *to, unsigned flags)
{
	return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, flags);
}

/* Puts tmp in place of target, only over a regular file or nothing, judged
 * on what is really replaced, so a swap after the check in replaceable()
 * cannot slip through: the two are exchanged, what tmp then names is
 * checked, and exchanged back if it is not a regular file.  A missing target
 * is created, never replaced.  Where the file system cannot exchange, a
 * check and a plain rename (racy) remain.  0, or -1 with errno (EEXIST:
 * not a regular file). */
static int replace_regular(const char *tmp, const char *target)
{
	struct stat st;

	for (int tries = 0; tries < 16; tries++) {
		if (rename2(tmp, target, RENAME_EXCHANGE) == 0) {
			if (lstat(tmp, &st) == 0 && S_ISREG(st.st_mode))
				return unlink(tmp) < 0 && errno != ENOENT ? -1 : 0;
			int e = errno == ENOENT ? ENOENT : EEXIST;
			if (rename2(tmp, target, RENAME_EXCHANGE) < 0)
				return -1; /* only if someone moves our files meanwhile */
			errno = e;
			return -1;
		}
		if (errno == ENOENT) { /* nothing there: create, never replace */
			if (rename2(tmp, target, RENAME_NOREPLACE) == 0)
				return 0;
			if (errno == EEXIST)
				continue; /* it appeared meanwhile: again */
		}
		if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
			return -1;
		if (replaceable(target) < 0)
			return -1;
		return rename(tmp, target);
	}
	errno = EBUSY;
	return -1;
}

/* Writes one report to stdout, or atomically replaces --write's file with it. */
static void emit(const struct config *c, struct cli_buf *b, const struct report *rep,
		 enum report_kind kind, bool first)
{
	if (!c->output_file) {
		if (output_report(stdout, b, rep, kind, &c->out, first) < 0) {
			/* a reader that went away (SIGPIPE ignored): quiet, status 0;
			 * any other error is reported once, at exit, with its errno */
			exit(errno == EPIPE ? EXIT_SUCCESS : EXIT_FAILURE);
		}
		return;
	}
	if (replaceable(c->output_file) < 0) {
		if (errno == EEXIST)
			errx(EXIT_FAILURE, "will not replace %s: not a regular file", c->output_file);
		err(EXIT_FAILURE, "will not replace %s", c->output_file);
	}
	block_stop_signals(SIG_BLOCK);
	size_t len = strlen(c->output_file);
	char *tmp = malloc(len + 8);
	if (!tmp)
		err(EXIT_FAILURE, "cannot allocate memory");
	memcpy(tmp, c->output_file, len);
	memcpy(tmp + len, ".XXXXXX", 8);
	int fd = mkstemp(tmp);
	if (fd < 0)
		err(EXIT_FAILURE, "cannot create a file beside %s", c->output_file);
	/* mkstemp makes 0600; collectors run as other users: 0666 less umask */
	mode_t mask = umask(0);
	umask(mask);
	FILE *f = fdopen(fd, "w");
	int r = f ? 0 : -1;
	if (!r && fchmod(fd, 0666 & ~mask) < 0)
		r = -1;
	if (!r)
		r = output_report(f, b, rep, kind, &c->out, true);
	if (!r && fsync(fd) < 0)
		r = -1;
	int e = errno;
	if (f ? fclose(f) != 0 : close(fd) != 0)
		r = r ? r : (e = errno, -1);
	/* the path may have changed since it was checked: the rename itself
	 * makes sure it replaces only a regular file */
	if (!r && replace_regular(tmp, c->output_file) < 0) {
		e = errno;
		r = -1;
	}
	if (r) {
		unlink(tmp);
		if (e == EEXIST)
			errx(EXIT_FAILURE, "will not replace %s: not a regular file", c->output_file);
		errno = e;
		err(EXIT_FAILURE, "cannot write %s", c->output_file);
	}
	free(tmp);
	block_stop_signals(SIG_UNBLOCK); /* a signal that came meanwhile acts now */
}

/* One-time notes on stderr, after the first scan. */
static void notes(const struct config *c, const struct proc_root *root,
		  const struct proc_snapshot *s)
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
			const struct proc_snapshot *s)
{
	int missing = 0;
	size_t j = 0;

	if (c->filter_uid || c->have_re)
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
		 struct proc_snapshot *s)
{
	int r = procfs_scan(root, so, s);
	if (r < 0)
		errx(EXIT_FAILURE, "cannot read %s: %s", root->path, strerror(-r));
}

static void sleep_until(const struct timespec *t)
{
	while (!stop_requested && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, t, NULL) == EINTR)
		;
}

int main(int argc, char **argv)
{
	struct config c = { .sort = COL_IO, .proc_dir = "/proc" };
	struct proc_snapshot snaps[3] = { 0 };
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
	if (c.npids) {
		/* a thread's id stands for its process (/proc/TID exists, unlisted):
		 * counted once, not once more as a process of its own */
		for (size_t i = 0; i < c.npids; i++) {
			int tgid = proc_tgid(root, c.pids[i]);
			if (tgid > 0)
				c.pids[i] = tgid;
		}
		/* sorted and unique: the scan reads them in this order */
		cli_sort(c.pids, c.npids, sizeof(*c.pids), cmp_int);
		size_t n = 1;
		for (size_t i = 1; i < c.npids; i++)
			if (c.pids[i] != c.pids[n - 1])
				c.pids[n++] = c.pids[i];
		c.npids = n;
	}
	struct scan_options so = {
		.pids = c.pids,
		.npids = c.npids,
		.filter_uid = c.filter_uid,
		.uid = c.uid,
		.comm_re = c.have_re ? &c.comm_re : NULL,
		.threads = c.threads,
		.need = scan_needs(&c),
	};
	struct report_options ro = { .sort = c.sort, .only_active = c.only_active, .top = c.top };
	bool lifetime = formats[c.out.format].lifetime; /* counters, never deltas */

	if (c.interval == 0) {
		scan(root, &so, &snaps[0]);
		notes(&c, root, &snaps[0]);
		if (report_build(&rep, NULL, &snaps[0], &ro, c.out.clock_ticks) < 0)
			errx(EXIT_FAILURE, "cannot allocate memory");
		emit(&c, &buf, &rep, KIND_SNAPSHOT, true);
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

		/* snaps[0]: the first scan, kept for the summary; 1 and 2 take turns */
		struct proc_snapshot *first = &snaps[0], *prev = first, *cur = &snaps[1];
		struct run_exits exits = { 0 }; /* for the summary: who ended, having done what */
		bool summary = !lifetime && !c.output_file && formats[c.out.format].summary;
		struct timespec next;
		long long done = 0;

		scan(root, &so, first);
		notes(&c, root, first);
		/* a named pid that is not there at the start is an error, as in
		 * one-shot mode; with none of them left there is nothing to watch */
		int missing = missing_pids(&c, root, first);
		if (missing)
			status = EXIT_FAILURE;
		if (missing && (size_t)missing == c.npids)
			exit(EXIT_FAILURE);
		if (procfs_snapshot_reserve(&snaps[1], first) < 0 ||
		    procfs_snapshot_reserve(&snaps[2], first) < 0)
			errx(EXIT_FAILURE, "cannot allocate memory");
		clock_gettime(CLOCK_MONOTONIC, &next);
		while (!stop_requested && (c.count == 0 || done < c.count)) {
			double when = (double)next.tv_sec + (double)next.tv_nsec / 1e9 + c.interval;
			next.tv_sec = (time_t)when;
			next.tv_nsec = (long)((when - (double)next.tv_sec) * 1e9);
			sleep_until(&next);
			if (stop_requested)
				break;
			scan(root, &so, cur);
			if (report_build(&rep, lifetime ? NULL : prev, cur, &ro, c.out.clock_ticks) < 0 ||
			    (summary && report_note_exits(&exits, first, prev, cur, c.out.clock_ticks) < 0))
				errx(EXIT_FAILURE, "cannot allocate memory");
			emit(&c, &buf, &rep, lifetime ? KIND_SNAPSHOT : KIND_INTERVAL, done == 0);
			done++;
			prev = cur;
			cur = cur == &snaps[1] ? &snaps[2] : &snaps[1];
		}
		/* the whole run at once, when there was more than one report: the
		 * tasks still there and those that ended, built in the snapshot
		 * that holds neither the first nor the last scan */
		if (done > 1 && summary) {
			if (report_build_summary(&rep, first, prev, &exits, cur, &ro,
						 c.out.clock_ticks) < 0)
				errx(EXIT_FAILURE, "cannot allocate memory");
			emit(&c, &buf, &rep, KIND_SUMMARY, false);
		}
		report_exits_free(&exits);
	}

	for (int i = 0; i < 3; i++)
		procfs_snapshot_free(&snaps[i]);
	report_free(&rep);
	cli_buf_free(&buf);
	free(c.pids);
	for (size_t i = 0; i < c.out.nlabels; i++)
		free((char *)c.label_names[i]);
	free(c.label_names);
	free(c.label_values);
	if (c.have_re)
		regfree(&c.comm_re);
	proc_root_close(&proot);
	return status;
}
