/* SPDX-License-Identifier: MIT */
/*
 * ionice: show or set the I/O scheduling class and priority of processes,
 * process groups, users, or of a command to run.  Option-, output- and
 * exit-status-compatible with util-linux ionice; stricter about bad input,
 * and it tries every id it is given.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iopcli/cli.h"
#include "iopcli/proc.h"
#include <libioprio.h>

#define EXIT_CANNOT_RUN 126
#define EXIT_NOT_FOUND 127

struct target {
	int id;          /* pid, pgid or uid (as the kernel's int) */
	const char *arg; /* a user as given, for messages; NULL for the others */
};

struct options {
	int cls, level, hint;
	bool class_given, level_given, hint_given;
	bool tolerant, all_tasks;
	int which;              /* IOP_WHO_*, or 0 for none given */
	struct target *targets; /* in argument order */
	size_t ntargets;
	char **command;
};

static void __attribute__((noreturn)) usage(void)
{
	printf("Usage:\n"
	       " %1$s [options] -p <pid>...\n"
	       " %1$s [options] -P <pgid>...\n"
	       " %1$s [options] -u <uid|user>...\n"
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
	       " -a, --all-tasks         with -p: act on every thread of each process\n"
	       " -t, --ignore            ignore failure to set the priority\n"
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
	struct target t = { 0, arg };
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
	o->targets = realloc(o->targets, (o->ntargets + 1) * sizeof(*o->targets));
	if (!o->targets)
		err(EXIT_FAILURE, "cannot allocate memory");
	o->targets[o->ntargets++] = t;
}

/* -p, -P (ids 0..INT_MAX, a list separated by commas or blanks, so that
 * -p "$(pidof rsync)" works), or -u. */
static void add_target(struct options *o, int which, const char *arg)
{
	if (o->which && o->which != which)
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
		err(EXIT_FAILURE, "cannot allocate memory");
	if (r < 0)
		errx(EXIT_FAILURE, "invalid %s argument: '%s'", id_label(which), bad);
	for (size_t i = 0; i < n; i++)
		push_target(o, (struct target){ ids[i], NULL });
	free(ids);
}

enum { OPT_HINT = 256 };

static void parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "class", required_argument, NULL, 'c' },
		{ "classdata", required_argument, NULL, 'n' },
		{ "hint", required_argument, NULL, OPT_HINT },
		{ "pid", required_argument, NULL, 'p' },
		{ "pgid", required_argument, NULL, 'P' },
		{ "uid", required_argument, NULL, 'u' },
		{ "all-tasks", no_argument, NULL, 'a' },
		{ "ignore", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	long long v;
	int c;

	/* '+': stop at the command, so "ionice -c3 tar -c -f x" works; ':' and
	 * opterr = 0: report bad options here, with the short program name */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:c:n:p:P:u:atVh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->cls = iop_class_parse(optarg);
			if (o->cls < 0)
				errx(EXIT_FAILURE, "unknown scheduling class: '%s'", optarg);
			o->class_given = true;
			break;
		case 'n':
			if (cli_parse_ll(optarg, 0, IOP_LEVEL_MAX, &v) < 0)
				errx(EXIT_FAILURE, "invalid class data argument: '%s' (must be 0..7)",
				     optarg);
			o->level = (int)v;
			o->level_given = true;
			break;
		case OPT_HINT:
			o->hint = iop_hint_parse(optarg);
			if (o->hint < 0)
				errx(EXIT_FAILURE,
				     "invalid hint argument: '%s' (0..%d, none, dev-duration-limit-1..7 or cdl1..7)",
				     optarg, IOP_HINT_MAX);
			o->hint_given = true;
			break;
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
		case 'V':
			cli_print_version();
		case 'h':
			usage();
		default:
			cli_bad_option(c, argc, argv);
		}
	}
	/* after -p/-P/-u, the remaining arguments are more ids; else a command */
	if (o->which) {
		for (; optind < argc; optind++)
			add_target(o, o->which, argv[optind]);
	} else if (optind < argc) {
		o->command = argv + optind;
	}
	if (o->all_tasks && o->which != IOP_WHO_PROCESS)
		cli_usage_error("--all-tasks works only with --pid");
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

/* Sets 'value' on one target, or shows its priority when value < 0.
 * 'may_vanish': a thread that ended meanwhile is no failure.
 * Returns 0, or 1 on a failure that counts. */
static int act_on(const struct options *o, int which, int id, const char *what,
		  const char *prefix, int value, bool may_vanish)
{
	bool setting = value >= 0;
	int r = setting ? iop_set(which, id, value) : iop_get(which, id);

	if (r == -ESRCH && may_vanish)
		return 0;
	if (r < 0)
		return report(o, what, r, setting);
	if (!setting)
		print_value(prefix, r);
	return 0;
}

/* -a: every thread of the process, each shown as "TID: ..." */
static int act_on_threads(const struct options *o, const struct proc_root *root,
			  const struct target *t, const char *what, int value)
{
	struct proc_list threads;
	/* 0 is the calling process, as for -p without -a */
	int r = proc_list_open(&threads, root, t->id ? t->id : (int)getpid());
	int failed = 0, tid;

	if (r < 0)
		return report(o, what, r == -ENOENT ? -ESRCH : r, value >= 0);
	while ((tid = proc_list_next(&threads))) {
		char tid_what[96], prefix[32];
		snprintf(tid_what, sizeof(tid_what), "TID %d of %s", tid, what);
		snprintf(prefix, sizeof(prefix), "%d: ", tid);
		failed |= act_on(o, IOP_WHO_PROCESS, tid, tid_what, prefix, value, true);
	}
	proc_list_close(&threads);
	return failed;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	int failed = 0;

	cli_close_stdout_at_exit();
	parse_args(argc, argv, &o);
	bool setting = o.class_given || o.level_given || o.hint_given;
	settle_class(&o);

	int value = iop_encode(o.cls, o.level, o.hint);
	if (value < 0) /* none with a level cannot happen after settle_class() */
		errx(EXIT_FAILURE, "invalid priority: class %d, level %d, hint %d", o.cls, o.level,
		     o.hint);

	if (o.which) {
		struct proc_root root = { .fd = -1 };
		if (o.all_tasks && proc_root_open(&root, "/proc") < 0)
			err(EXIT_FAILURE, "cannot open /proc");
		/* every id is tried; each failure is reported with its id */
		for (size_t i = 0; i < o.ntargets; i++) {
			const struct target *t = &o.targets[i];
			char what[64];
			if (t->arg)
				snprintf(what, sizeof(what), "%s %s", id_label(o.which), t->arg);
			else
				snprintf(what, sizeof(what), "%s %d", id_label(o.which), t->id);
			if (o.all_tasks)
				failed |= act_on_threads(&o, &root, t, what, setting ? value : -1);
			else
				failed |= act_on(&o, o.which, t->id, what, "", setting ? value : -1,
						 false);
		}
		proc_root_close(&root);
		free(o.targets);
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;
	}
	if (o.command) {
		int r = iop_set(IOP_WHO_PROCESS, 0, value);
		if (r < 0 && !o.tolerant)
			errx(EXIT_FAILURE, "ioprio_set failed: %s%s", strerror(-r), explain(r, &o, true));
		execvp(o.command[0], o.command);
		int e = errno;
		warn("failed to execute %s", o.command[0]);
		exit(e == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN);
	}
	if (setting)
		cli_usage_error("bad usage");

	/* no options: this process's own priority */
	int r = iop_get(IOP_WHO_PROCESS, 0);
	if (r < 0)
		errx(EXIT_FAILURE, "ioprio_get failed: %s", strerror(-r));
	print_value("", r);
	return EXIT_SUCCESS;
}
