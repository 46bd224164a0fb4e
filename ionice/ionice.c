/* SPDX-License-Identifier: MIT */
/*
 * ionice: show or set the I/O scheduling class and priority of processes,
 * process groups, users, or of a command to run.  Option-, output- and
 * exit-status-compatible with util-linux ionice; stricter about bad input,
 * and it tries every id it is given.  The options util-linux lacks (-C,
 * --full, -T, -v, --dry-run) select processes as pgrep does and act on
 * each task by its id (select.h); without them nothing changes.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iopcli/blockdev.h"
#include "iopcli/buf.h"
#include "iopcli/cli.h"
#include "iopcli/xalloc.h"
#include "iopcli/proc.h"
#include "iopcli/select.h"
#include <libioprio.h>

#define EXIT_CANNOT_RUN 126
#define EXIT_NOT_FOUND 127

/* How often a selection is scanned again for descendants, and a process's
 * threads listed again, before ionice gives up on a job that keeps
 * forking (or starting threads) faster than it is demoted. */
#define MAX_PASSES 64

struct target {
	int which;       /* IOP_WHO_* */
	int id;          /* pid, pgid or uid (as the kernel's int) */
	const char *arg; /* a user as given, for messages; NULL for the others */
};

struct options {
	int cls, level, hint;
	bool class_given, level_given, hint_given;
	bool tolerant, all_tasks;
	int which;              /* IOP_WHO_* of the last -p, -P or -u; 0 for none */
	struct target *targets; /* in argument order */
	size_t ntargets;
	char **command;
	/* the options util-linux lacks: with any of them, the processes are
	 * selected from /proc and each task is acted on by its id */
	bool selecting;
	struct cli_select sel; /* -C, --full, -T */
	bool verbose, dry_run;
};

static void __attribute__((noreturn)) usage(void)
{
	printf("Usage:\n"
	       " %1$s [options] -p <pid>...\n"
	       " %1$s [options] -P <pgid>...\n"
	       " %1$s [options] -u <uid|user>...\n"
	       " %1$s [options] [-p|-P|-u ...] -C <regex> [--full] [-T]\n"
	       " %1$s [options] <command> [<argument>...]\n"
	       "\n"
	       "Show or set the I/O scheduling class and priority of processes.\n"
	       "Without options, show the priority of ionice itself.\n"
	       "\n"
	       "Options:\n"
	       " -c, --class <class>     class by name or number: 0 or none, 1 or realtime (rt),\n"
	       "                           2 or best-effort (be), 3 or idle\n"
	       " -n, --classdata <0-7>   level within the realtime or best-effort class,\n"
	       "                           0 the highest (default 4)\n"
	       "     --hint <hint>       priority hint, Linux 6.5+: 0-1023, none,\n"
	       "                           dev-duration-limit-1..7 or cdl1..7\n"
	       " -p, --pid <pid>...      act on these processes (one thread each; see -a)\n"
	       " -P, --pgid <pgid>...    act on every process of these process groups\n"
	       " -u, --uid <user>...     act on every process of these users (uid or name)\n"
	       " -a, --all-tasks         with -p or -C: act on every thread of each process\n"
	       " -t, --ignore            ignore failure to set the priority\n"
	       "\n"
	       "Selecting, as pgrep (-p, -P, -u combine, -u the effective user; each task\n"
	       "then acted on by its id):\n"
	       " -C, --command <regex>   the processes whose command name matches this\n"
	       "                           extended regex, as pgrep does\n"
	       "     --full              with -C: match the whole command line\n"
	       " -T, --tree              and all their descendants, looked for again until\n"
	       "                           none is left at the old priority\n"
	       " -v, --verbose           a line per task changed: PID COMM: OLD -> NEW\n"
	       "     --dry-run           print those lines, and change nothing\n"
	       "\n"
	       " -h, --help              display this help\n"
	       " -V, --version           display version\n"
	       "\n"
	       "For more details see ionice(1).\n",
	       program_invocation_short_name);
	exit(EXIT_SUCCESS);
}

static const char *id_label(int which)
{
	return which == IOP_WHO_PGRP ? "PGID" : which == IOP_WHO_USER ? "UID" : "PID";
}

/* A uid: a number, or a user name. */
static struct target parse_user(const char *arg)
{
	struct target t = { IOP_WHO_USER, 0, arg };
	unsigned uid; /* 32 bits: (uid_t)-1 is no uid */
	long long v;

	if (cli_parse_user(arg, &uid) < 0)
		errx(EXIT_FAILURE, cli_parse_ll(arg, LLONG_MIN, LLONG_MAX, &v) == 0
				   ? "invalid UID argument: '%s'"
				   : "invalid UID argument: '%s': no such user",
		     arg);
	t.id = (int)uid;
	return t;
}

static void push_target(struct options *o, struct target t)
{
	o->targets = xrealloc(o->targets, (o->ntargets + 1) * sizeof(*o->targets));
	o->targets[o->ntargets++] = t;
}

/* -p, -P (ids 0..INT_MAX, a list separated by commas or blanks, so that
 * -p "$(pidof rsync)" works), or -u. */
static void add_target(struct options *o, int which, const char *arg)
{
	/* a selection combines them, as pgrep does */
	if (o->which && o->which != which && !o->selecting)
		errx(EXIT_FAILURE, "can handle only one of pid, pgid or uid at once");
	o->which = which;
	if (which == IOP_WHO_USER) {
		push_target(o, parse_user(arg));
		return;
	}
	int *ids = NULL;
	size_t n = 0;
	char bad[64];
	int r = cli_parse_id_list(arg, 0, &ids, &n, bad, sizeof(bad));
	if (r == -ENOMEM)
		xalloc_die();
	if (r < 0)
		errx(EXIT_FAILURE, "invalid %s argument: '%s'", id_label(which), bad);
	for (size_t i = 0; i < n; i++)
		push_target(o, (struct target){ which, ids[i], NULL });
	free(ids);
}

enum { OPT_HINT = 256, OPT_DRY_RUN };

/* util-linux's options first, in its order (an ambiguous abbreviation
 * lists its possibilities in this order, as util-linux's does), then ours */
#define UTIL_LINUX_LONGOPTS 8
static const struct option longopts[] = {
	{ "classdata", required_argument, NULL, 'n' },
	{ "class", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ "ignore", no_argument, NULL, 't' },
	{ "pid", required_argument, NULL, 'p' },
	{ "pgid", required_argument, NULL, 'P' },
	{ "uid", required_argument, NULL, 'u' },
	{ "version", no_argument, NULL, 'V' },
	{ "hint", required_argument, NULL, OPT_HINT },
	{ "all-tasks", no_argument, NULL, 'a' },
	CLI_SELECT_LONGOPTS,
	{ "verbose", no_argument, NULL, 'v' },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ NULL, 0, NULL, 0 },
};
/* '+': stop at the command, so "ionice -c3 tar -c -f x" works; ':' and
 * opterr = 0: report bad options here, with the short program name */
static const char optstring[] = "+:c:n:p:P:u:atC:TvVh";

/* util-linux's options alone: an abbreviation ambiguous among them is
 * reported with their possibilities only, as util-linux's ionice does. */
static const struct option util_linux_longopts[UTIL_LINUX_LONGOPTS + 1] = {
	{ "classdata", 0, NULL, 0 }, { "class", 0, NULL, 0 }, { "help", 0, NULL, 0 },
	{ "ignore", 0, NULL, 0 }, { "pid", 0, NULL, 0 }, { "pgid", 0, NULL, 0 },
	{ "uid", 0, NULL, 0 }, { "version", 0, NULL, 0 }, { NULL, 0, NULL, 0 },
};

/* Whether the option getopt_long() just refused is an abbreviation that
 * util-linux's options alone make ambiguous. */
static bool util_linux_ambiguous(int argc, char **argv)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	size_t first;

	return !strncmp(arg, "--", 2) &&
	       cli_long_matches(arg, util_linux_longopts, UTIL_LINUX_LONGOPTS, &first) > 1;
}

/* Whether argv holds an option util-linux lacks.  Looked for before the
 * real parse, so that an invocation without them fails exactly where
 * util-linux's does (-p 1 -P 2 at -P, before a later bad value).  An
 * abbreviation that our options make ambiguous but util-linux's alone do
 * not (--ver: --version, not --verbose) is written out in argv, so it
 * means what it means to util-linux's ionice. */
static bool wants_selection(int argc, char **argv)
{
	bool found = false;
	size_t first;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		found |= c == 'C' || c == CLI_OPT_FULL || c == 'T' || c == 'v' || c == OPT_DRY_RUN;
		const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
		if (c == '?' && !strncmp(arg, "--", 2) &&
		    cli_long_matches(arg, longopts, SIZE_MAX, &first) > 1 &&
		    cli_long_matches(arg, longopts, UTIL_LINUX_LONGOPTS, &first) == 1) {
			const char *value = strchr(arg, '=');
			size_t n = strlen(longopts[first].name), v = value ? strlen(value) : 0;
			char *full = xmalloc(n + v + 3); /* kept: argv's for the run */
			memcpy(full, "--", 2);
			memcpy(full + 2, longopts[first].name, n);
			memcpy(full + 2 + n, value ? value : "", v + 1);
			argv[optind - 1] = full;
			found = false;
			optind = 0; /* again, on the argv written out */
		}
	}
	optind = 0; /* the real parse starts afresh (glibc and musl) */
	return found;
}

/* The combinations of options, judged once argv is read. */
static void check_options(const struct options *o)
{
	if (!o->selecting) {
		if (o->all_tasks && o->which != IOP_WHO_PROCESS)
			cli_usage_error("--all-tasks works only with --pid");
		return;
	}
	cli_select_check(&o->sel, o->ntargets, "-p, -P, -u");
	if (o->all_tasks && !o->ntargets && !o->sel.have_re)
		cli_usage_error("--all-tasks needs processes (-p, -P, -u or -C)");
	if (o->sel.have_re && o->command)
		cli_usage_error("a command does not go with --command (its arguments would be ids)");
	if (o->dry_run && o->command)
		cli_usage_error("--dry-run does not go with a command");
	if (o->dry_run && !(o->class_given || o->level_given || o->hint_given))
		cli_usage_error("--dry-run needs a class or level to show the change of");
	for (size_t i = 0; i < o->ntargets; i++)
		if (o->targets[i].which == IOP_WHO_PROCESS && o->targets[i].id == 0)
			cli_usage_error("-p 0 (ionice itself) cannot be selected with -C, --full, "
					"-T, -v or --dry-run");
}

/* What a run does, as parse_args() tells main. */
enum ionice_mode {
	MODE_SELF,      /* no target, no command: its own priority */
	MODE_TARGETS,   /* -p, -P, -u as util-linux takes them: by the kernel's ids */
	MODE_SELECTION, /* -C, --full, -T, -v, --dry-run: selected from /proc, task by task */
	MODE_COMMAND,   /* a command to run at the priority */
	MODE_HELP,
	MODE_VERSION,
};

/* The mode of the options parsed, once their combinations are judged. */
static enum ionice_mode mode_of(const struct options *o)
{
	if (o->selecting && (o->ntargets || o->sel.have_re))
		return MODE_SELECTION;
	if (o->which)
		return MODE_TARGETS;
	return o->command ? MODE_COMMAND : MODE_SELF;
}

/* -c, -n, --hint into *o; false for another option. */
static bool priority_option(struct options *o, int c, const char *arg)
{
	long long v;

	switch (c) {
	case 'c':
		o->cls = iop_class_parse(arg);
		if (o->cls < 0)
			errx(EXIT_FAILURE, "unknown scheduling class: '%s'", arg);
		o->class_given = true;
		return true;
	case 'n':
		if (cli_parse_ll(arg, 0, IOP_LEVEL_MAX, &v) < 0)
			errx(EXIT_FAILURE, "invalid class data argument: '%s' (must be 0..7)", arg);
		o->level = (int)v;
		o->level_given = true;
		return true;
	case OPT_HINT:
		o->hint = iop_hint_parse(arg);
		if (o->hint < 0)
			errx(EXIT_FAILURE,
			     "invalid hint argument: '%s' (0..%d, none, dev-duration-limit-1..7 or cdl1..7)",
			     arg, IOP_HINT_MAX);
		o->hint_given = true;
		return true;
	default:
		return false;
	}
}

/* argv into *o (--help and --version win where they stand: what follows
 * is not read); then the combinations judged.  Returns what the run does. */
static enum ionice_mode parse_args(int argc, char **argv, struct options *o)
{
	int c;

	o->selecting = wants_selection(argc, argv);
	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		if (priority_option(o, c, optarg))
			continue;
		switch (c) {
		case 'p':
			add_target(o, IOP_WHO_PROCESS, optarg);
			break;
		case 'P':
			add_target(o, IOP_WHO_PGRP, optarg);
			break;
		case 'u':
			add_target(o, IOP_WHO_USER, optarg);
			break;
		case 'a':
			o->all_tasks = true;
			break;
		case 't':
			o->tolerant = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case OPT_DRY_RUN:
			o->dry_run = true;
			break;
		case 'V':
			return MODE_VERSION;
		case 'h':
			return MODE_HELP;
		default:
			if (!cli_select_option(&o->sel, c, optarg))
				cli_bad_option(c, argc, argv, util_linux_ambiguous(argc, argv)
								      ? util_linux_longopts : longopts);
		}
	}
	/* after -p/-P/-u, the remaining arguments are more ids; else a command */
	if (o->which) {
		for (; optind < argc; optind++)
			add_target(o, o->which, argv[optind]);
	} else if (optind < argc) {
		o->command = argv + optind;
	}
	check_options(o);
	return mode_of(o);
}

/* Settles class and level as util-linux does: -n alone means best-effort,
 * -c alone level 4; idle and none have no level (a warning if one was given). */
static void settle_class(struct options *o)
{
	if (!o->class_given)
		o->cls = IOP_CLASS_BE;
	if (!o->level_given)
		o->level = IOP_LEVEL_DEFAULT;
	if (o->cls == IOP_CLASS_NONE || o->cls == IOP_CLASS_IDLE) {
		if (o->level_given && !o->tolerant)
			warnx("ignoring given class data for %s class", iop_class_name(o->cls));
		/* none must be 0; idle has no levels, util-linux sends 7 */
		o->level = o->cls == IOP_CLASS_NONE ? 0 : IOP_LEVEL_MAX;
	}
}

/* One line, as util-linux prints it: "best-effort: prio 4", "idle",
 * "none: prio 0"; a hint, when set, after the level.  A value no valid
 * decode accepts (no kernel returns one) is shown as its bits say, with
 * the class "unknown". */
static void print_value(const char *prefix, int value)
{
	struct iop_prio p = { 0 };
	bool valid = iop_decode(value, &p) == 0;

	if (!valid)
		iop_split(value, &p);
	printf("%s%s", prefix, valid ? iop_class_name(p.cls) : "unknown");
	if (!valid || p.cls != IOP_CLASS_IDLE)
		printf(": prio %d", p.level);
	if (p.hint) {
		const char *name = iop_hint_name(p.hint);
		if (name)
			printf(" hint %s", name);
		else
			printf(" hint %d", p.hint);
	}
	putchar('\n');
}

/* Why a call failed, in words an operator can act on. */
static const char *explain(int error, const struct options *o, bool setting)
{
	if (error == -EPERM && setting && o->cls == IOP_CLASS_RT)
		return " (the realtime class needs CAP_SYS_ADMIN or CAP_SYS_NICE)";
	if (error == -EPERM)
		return " (acting on another user's processes needs CAP_SYS_NICE)";
	if (error == -EINVAL && setting && o->hint)
		return " (the kernel does not support this hint; hints need Linux 6.5 or later)";
	if (error == -EINVAL && setting)
		return " (the kernel does not support this priority)";
	return "";
}

/* Reports a failed call on 'what'; returns 1, or 0 when -t forgives it. */
static int report(const struct options *o, const char *what, int error, bool setting)
{
	if (setting && o->tolerant)
		return 0;
	warnx("%s failed for %s: %s%s", setting ? "ioprio_set" : "ioprio_get", what,
	      strerror(-error), explain(error, o, setting));
	return 1;
}

/* --- the tasks of a target, and one task acted on --------------------------- */

/* What ionice acts with: util-linux's path and a selection alike. */
struct job {
	const struct options *o;
	struct proc_root root; /* -a and a selection: the processes' threads */
	int value;             /* to set; -1 to show */
	int failed;            /* a failure that counts: exit status 1 */
	struct cli_buf line;   /* a -v line */
	/* -p TID in a selection: the threads named, by their process (without
	 * -a the task acted on is the one named, as without a selection) */
	int *named_tid, *named_pid;
	size_t nnamed;
};

enum task_result {
	TASK_GONE,    /* ended (or is another process now): passed over */
	TASK_HAS_IT,  /* found on a later pass with the value already: it was
	                 created after its parent had it, and inherited it */
	TASK_DONE,    /* set (or, with --dry-run, would be), or shown */
	TASK_FAILED,  /* the kernel refused; reported (unless -t) */
	TASK_ZOMBIE,  /* has exited, not yet reaped: nothing to set (said with -v) */
};

/* One task, as act_task() takes it. */
struct task {
	int which, id;              /* what the kernel is asked about: IOP_WHO_*, its id */
	const char *what;           /* its name in a failure: "PID 5", "TID 7 of PID 5" */
	const char *prefix;         /* a query line's lead: "" or "7: " */
	bool may_vanish;            /* one that ended meanwhile (ESRCH) is passed over */
	bool later;                 /* found on a later pass: left alone if it has the value */
	const struct proc_stat *st; /* its stat (-v's name, a zombie); NULL: not read */
};

/* Whether a task's result counts as one that needed the value (the passes
 * of -a and -T go on while a pass finds one). */
static size_t needed(enum task_result r)
{
	return r == TASK_DONE || r == TASK_FAILED;
}

/* A call on a task failed: one that ended meanwhile is passed over where
 * it may have; else it is said and counted, unless -t forgives it (while
 * setting, -t forgives the get of -v too, which is still said). */
static enum task_result task_failed(struct job *j, const struct task *t, int error, bool setting)
{
	if (error == -ESRCH && t->may_vanish)
		return TASK_GONE;
	if (report(j->o, t->what, error, setting) && !(j->value >= 0 && j->o->tolerant))
		j->failed = 1;
	return TASK_FAILED;
}

/* -v on a zombie, or on the exited main thread of a live process. */
static void say_zombie(struct job *j, const struct task *t)
{
	cli_buf_u64(&j->line, (unsigned)t->id);
	cli_buf_putc(&j->line, ' ');
	cli_buf_text(&j->line, t->st->comm);
	cli_buf_puts(&j->line, t->st->threads > 1
		     ? ": its main thread has exited, its other threads live on "
		       "(-a acts on them): no I/O priority to set on it\n"
		     : ": a zombie (exited, not yet reaped): no I/O priority to set\n");
	cli_buf_flush(&j->line, stdout);
}

/* -v: "TID COMM: OLD -> NEW", the effective priorities before and after. */
static void say_change(struct job *j, const struct task *t, const struct iop_task *now)
{
	char old[IOP_FORMAT_MAX], new[IOP_FORMAT_MAX];

	if (iop_format(now->effective, old, sizeof(old)) < 0)
		strcpy(old, "?");
	if (iop_format(iop_effective_value(j->value, now->nice, now->policy), new, sizeof(new)) < 0)
		strcpy(new, "?");
	cli_buf_u64(&j->line, (unsigned)t->id);
	cli_buf_putc(&j->line, ' ');
	cli_buf_text(&j->line, t->st->comm);
	cli_buf_puts(&j->line, ": ");
	cli_buf_puts(&j->line, old);
	cli_buf_puts(&j->line, " -> ");
	cli_buf_puts(&j->line, new);
	cli_buf_putc(&j->line, '\n');
	cli_buf_flush(&j->line, stdout);
}

/* Acts on one task: shows its priority (value < 0: "PREFIX best-effort:
 * prio 4"), or sets the job's value, with -v or --dry-run printing the
 * change (--dry-run only prints).  A task found on a later pass is left
 * alone when it has the value already.  A zombie (state Z: exited, not yet
 * reaped) has given up its I/O context: the kernel accepts a set and keeps
 * nothing (a get answers the default), so it is not set, and -v says so;
 * its stat's thread count tells a zombie process (1) from the main thread
 * of a live one that has exited, Z too while its other threads run on. */
static enum task_result act_task(struct job *j, const struct task *t)
{
	bool show = j->o->verbose || j->o->dry_run;
	struct iop_task now;
	int r;

	if (j->value < 0) {
		if ((r = iop_get(t->which, t->id)) < 0)
			return task_failed(j, t, r, false);
		print_value(t->prefix, r);
		return TASK_DONE;
	}
	if (t->st && t->st->state == 'Z') {
		if (show && !t->later)
			say_zombie(j, t);
		return TASK_ZOMBIE;
	}
	if (show) { /* the set value comes with what -v prints: one ioprio_get */
		if ((r = iop_task_get(t->id, &now)) < 0)
			return task_failed(j, t, r, false);
		if (t->later && now.value == j->value)
			return TASK_HAS_IT;
	} else if (t->later && iop_get(IOP_WHO_PROCESS, t->id) == j->value) {
		return TASK_HAS_IT;
	}
	if (!j->o->dry_run && (r = iop_set(t->which, t->id, j->value)) < 0)
		return task_failed(j, t, r, true);
	if (show)
		say_change(j, t, &now);
	return TASK_DONE;
}

/* Whether thread 'tid' of the selected process p is to be acted on now,
 * checked right before: 1 yes (its stat in *ts, remembered in *seen), 0 no
 * (ended meanwhile, or done on an earlier listing), -1 the process is gone
 * (and its pid perhaps another's). */
static int check_thread(struct job *j, const struct sel_proc *p, int tid, struct proc_stat *ts,
			struct sel_set *seen)
{
	struct proc_stat st;

	if (proc_read_stat(&j->root, p->pid, tid, ts, NULL) < 0 || sel_contains(seen, tid, ts->start))
		return 0;
	/* still the process selected: its main thread's stat, whose start
	 * time is the process's, and which the kernel writes from that thread
	 * alone (the process's own stat sums every thread: read once a
	 * thread, that made -a quadratic in the threads) */
	if (proc_read_stat(&j->root, p->pid, p->pid, &st, NULL) < 0 || st.start != p->start)
		return -1;
	if (sel_add(seen, tid, ts->start) < 0)
		xalloc_die();
	return 1;
}

/* -a: every thread of process 'pid' ('what' names it).  Of a selected
 * process (p), each thread is checked first (check_thread()), and the
 * threads are listed again until a listing finds none that needed the
 * value (a thread started by one not yet set has the old one); as
 * util-linux does (p NULL), each listed thread once.  Returns the tasks
 * that needed the value. */
static size_t threads_of(struct job *j, int pid, const struct sel_proc *p, const char *what,
			 bool later)
{
	struct sel_set seen = { 0 }; /* (tid, start) */
	size_t acted = 0;

	for (int round = 0; round < MAX_PASSES; round++) {
		struct proc_list threads;
		size_t need = 0;
		int gone = 0, tid, r = proc_list_open(&threads, &j->root, pid);
		if (r < 0) { /* a selected process that ended is passed over */
			if (!p)
				task_failed(j, &(struct task){ .what = what },
					    r == -ENOENT ? -ESRCH : r, j->value >= 0);
			break;
		}
		while (gone >= 0 && (tid = proc_list_next(&threads))) {
			struct proc_stat ts;
			char tid_what[96], prefix[32];
			if (p && (gone = check_thread(j, p, tid, &ts, &seen)) <= 0)
				continue;
			snprintf(tid_what, sizeof(tid_what), "TID %d of %s", tid, what);
			snprintf(prefix, sizeof(prefix), "%d: ", tid);
			need += needed(act_task(j, &(struct task){ IOP_WHO_PROCESS, tid, tid_what, prefix,
								  true, later || round > 0,
								  p ? &ts : NULL }));
		}
		proc_list_close(&threads);
		acted += need;
		if (!p || j->value < 0 || j->o->dry_run || gone < 0 || (round > 0 && need == 0))
			break;
		if (round + 1 == MAX_PASSES && !j->o->tolerant) {
			warnx("%s kept starting threads: gave up after %d listings; some may keep "
			      "the old priority", what, MAX_PASSES);
			j->failed = 1;
		}
	}
	sel_free(&seen);
	return acted;
}

/* A selected process without -a, checked first to be the process selected
 * (its pid and start time): its main thread, or the threads -p named of
 * it.  Returns the tasks that needed the value. */
static size_t named_tasks(struct job *j, const struct sel_proc *p, bool later)
{
	struct proc_stat st;
	size_t acted = 0;
	bool named = false;

	if (sel_check(&j->root, p, &st, NULL) < 0)
		return 0; /* ended since it was selected */
	for (size_t k = 0; k <= j->nnamed; k++) {
		int tid = p->pid;
		if (k < j->nnamed) {
			if (j->named_pid[k] != p->pid)
				continue;
			tid = j->named_tid[k];
			named = true;
		} else if (named) {
			break;
		}
		struct proc_stat ts = st;
		char what[32], prefix[32];
		if (tid != p->pid && proc_read_stat(&j->root, p->pid, tid, &ts, NULL) < 0)
			continue; /* the thread ended */
		snprintf(what, sizeof(what), tid == p->pid ? "PID %d" : "TID %d", tid);
		snprintf(prefix, sizeof(prefix), "%d: ", tid);
		acted += needed(act_task(j, &(struct task){ IOP_WHO_PROCESS, tid, what, prefix, true,
							   later, &ts }));
	}
	return acted;
}

/* The tasks a target stands for, each acted on by act_task(): an id as
 * given (t, util-linux's path: a pid's one thread, a group or a user by
 * the kernel's IOPRIO_WHO_PGRP and _USER; with -a each thread of the pid),
 * or a process a selection found (p: its main thread or the threads -p
 * named of it; with -a every thread of it, checked).  'later': found on a
 * later pass.  Returns the tasks that needed the value; failures are in
 * j->failed. */
static size_t tasks_of(struct job *j, const struct target *t, const struct sel_proc *p,
		       bool later)
{
	char what[64];

	if (p && !j->o->all_tasks)
		return named_tasks(j, p, later);
	if (p)
		snprintf(what, sizeof(what), "PID %d", p->pid);
	else if (t->arg)
		snprintf(what, sizeof(what), "%s %s", id_label(t->which), t->arg);
	else
		snprintf(what, sizeof(what), "%s %d", id_label(t->which), t->id);
	if (p)
		return threads_of(j, p->pid, p, what, later);
	if (j->o->all_tasks) /* 0 is the calling process, as for -p without -a */
		return threads_of(j, t->id ? t->id : (int)getpid(), NULL, what, false);
	return needed(act_task(j, &(struct task){ t->which, t->id, what, "", false, false, NULL }));
}

/* util-linux's path: each id as given, every one tried, each failure
 * reported with its id.  Returns the exit status. */
static int run_targets(struct job *j)
{
	if (j->o->all_tasks && proc_root_open(&j->root, "/proc") < 0)
		err(EXIT_FAILURE, "cannot open /proc");
	for (size_t i = 0; i < j->o->ntargets; i++)
		tasks_of(j, &j->o->targets[i], NULL, false);
	return j->failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* --- a selection (-C, --full, -T, -v, --dry-run) ---------------------------- */

/* A selection's criteria from the targets (the kinds all met, the values
 * of one kind alternatives; -u the effective user; -P 0 ionice's own
 * group), into arrays the caller frees; -p TID selects its process, and
 * names that thread as the task (j->named_*). */
static void selection_criteria(struct job *j, struct sel_criteria *c)
{
	const struct options *o = j->o;
	int *pids = xcalloc(o->ntargets + 1, sizeof(int)), *pgids = xcalloc(o->ntargets + 1, sizeof(int));
	unsigned *uids = xcalloc(o->ntargets + 1, sizeof(unsigned));

	for (size_t i = 0; i < o->ntargets; i++) {
		const struct target *t = &o->targets[i];
		if (t->which == IOP_WHO_PROCESS)
			pids[c->npids++] = t->id;
		else if (t->which == IOP_WHO_PGRP)
			pgids[c->npgids++] = t->id ? t->id : (int)getpgrp();
		else
			uids[c->nuids++] = (unsigned)t->id;
	}
	c->pids = pids;
	c->pgids = pgids;
	c->uids = uids;
	j->named_tid = xmalloc((c->npids + 1) * sizeof(int));
	j->named_pid = xmalloc((c->npids + 1) * sizeof(int));
	for (size_t i = 0; i < c->npids; i++) {
		int tid = pids[i];
		sel_tids_to_pids(&j->root, &pids[i], 1);
		if (pids[i] != tid) {
			j->named_tid[j->nnamed] = tid;
			j->named_pid[j->nnamed++] = pids[i];
		}
	}
}

/* The processes of one pass, each through tasks_of(); returns the tasks
 * that needed the value. */
static size_t act_on_pass(struct job *j, const struct sel_set *procs, bool later)
{
	size_t acted = 0;

	for (size_t i = 0; i < procs->n; i++)
		acted += tasks_of(j, NULL, &procs->v[i], later);
	return acted;
}

/* One scan of the selection: -errno is fatal. */
static int scan(struct job *j, const struct sel_criteria *c, enum sel_pass pass,
		struct sel_set *known, struct sel_set *fresh)
{
	int r = sel_scan(&j->root, c, pass, known, fresh);

	if (r < 0)
		errx(EXIT_FAILURE, "cannot read /proc: %s", strerror(-r));
	return r;
}

/* -C, --full, -T, -v or --dry-run with processes to act on: selected from
 * /proc as pgrep does, then each task by its id.  With -T, after acting,
 * the descendants that appeared meanwhile are looked for and acted on,
 * again until a pass finds none that needed it.  Returns the exit status. */
static int run_selection(struct job *j)
{
	const struct options *o = j->o;
	struct sel_criteria c = { .re = o->sel.have_re ? &o->sel.re : NULL, .full = o->sel.full,
				  .tree = o->sel.tree, .exclude = (int)getpid() };
	struct sel_set known = { 0 }, fresh = { 0 };
	int r = proc_root_open(&j->root, "/proc");

	if (r < 0)
		errx(EXIT_FAILURE, "cannot open /proc: %s", strerror(-r));
	selection_criteria(j, &c);
	r = scan(j, &c, SEL_MATCH, &known, &fresh);
	if (r == 0) {
		/* as pgrep: status 1; -t (a cron job run whether or not the
		 * job is there) makes it quiet and 0 */
		if (!o->tolerant)
			warnx("no process matched");
		j->failed |= !o->tolerant;
	}
	act_on_pass(j, &fresh, false);
	if (o->sel.tree && r > 0 && j->value >= 0 && !o->dry_run) {
		int pass;
		for (pass = 1; pass <= MAX_PASSES; pass++) {
			scan(j, &c, SEL_DESCENDANTS, &known, &fresh);
			if (act_on_pass(j, &fresh, true) == 0)
				break;
		}
		if (pass > MAX_PASSES && !o->tolerant) {
			warnx("the processes kept forking: gave up after %d passes; some new ones "
			      "may keep the old priority", MAX_PASSES);
			j->failed = 1;
		}
	}
	sel_free(&known);
	sel_free(&fresh);
	free((void *)c.pids);
	free((void *)c.pgids);
	free((void *)c.uids);
	return j->failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* -v: one note when no block device's scheduler would act on a priority. */
static void note_deaf_devices(void)
{
	int fd = open("/sys", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return;
	int r = cli_any_device_honours_priorities(fd);
	if (r == -ENOMEM)
		xalloc_die();
	if (r == 0)
		warnx("note: no block device's I/O scheduler honours I/O priorities "
		      "(see ioprio-get --devices)");
	close(fd);
}

/* A command to run at the priority: exec'd, as util-linux does. */
static void __attribute__((noreturn)) run_command(const struct options *o, int value)
{
	int r = iop_set(IOP_WHO_PROCESS, 0, value);

	if (r < 0 && !o->tolerant)
		errx(EXIT_FAILURE, "ioprio_set failed: %s%s", strerror(-r), explain(r, o, true));
	execvp(o->command[0], o->command);
	int e = errno;
	warn("failed to execute %s", o->command[0]);
	exit(e == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN);
}

/* No target and no command: this process's own priority (a class or level
 * alone is a usage error). */
static int show_self(bool setting)
{
	if (setting)
		cli_usage_error("bad usage");
	int r = iop_get(IOP_WHO_PROCESS, 0);
	if (r < 0)
		errx(EXIT_FAILURE, "ioprio_get failed: %s", strerror(-r));
	print_value("", r);
	return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	int status;

	cli_close_stdout_at_exit();
	enum ionice_mode mode = parse_args(argc, argv, &o);
	if (mode == MODE_HELP)
		usage();
	if (mode == MODE_VERSION)
		cli_print_version();
	bool setting = o.class_given || o.level_given || o.hint_given;
	settle_class(&o);
	int value = iop_encode(o.cls, o.level, o.hint);
	if (value < 0) /* none with a level cannot happen after settle_class() */
		errx(EXIT_FAILURE, "invalid priority: class %d, level %d, hint %d", o.cls, o.level,
		     o.hint);
	if (o.verbose)
		note_deaf_devices();

	struct job j = { .o = &o, .root = { .fd = -1 }, .value = setting ? value : -1 };
	switch (mode) {
	case MODE_SELECTION:
		status = run_selection(&j);
		break;
	case MODE_TARGETS:
		status = run_targets(&j);
		break;
	case MODE_COMMAND:
		run_command(&o, value);
	default:
		status = show_self(setting);
	}
	cli_buf_free(&j.line);
	free(j.named_tid);
	free(j.named_pid);
	proc_root_close(&j.root);
	free(o.targets);
	cli_select_free(&o.sel);
	return status;
}
