/* SPDX-License-Identifier: MIT */
/*
 * iopstat's command line: the options parsed into one struct, checked
 * together, and the mode of the run they ask for.
 */
#ifndef IOPSTAT_ARGS_H
#define IOPSTAT_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "iopcli/cli.h"
#include "columns.h"
#include "groups.h"
#include "output.h"

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

/* What a run does: the processes' or the devices' report, once (lifetime
 * totals, or since boot) or every INTERVAL. */
enum mode { MODE_SNAPSHOT, MODE_INTERVALS, MODE_DEVICES, MODE_DEVICE_INTERVALS };

/* Fills c (defaults first) from argv and returns the mode; a usage error,
 * --help, --version and --list-columns exit. */
enum mode parse_args(int argc, char **argv, struct config *c);

/* Whether the (process) report shows column col. */
bool config_shows(const struct config *c, enum column col);

/* Frees what parse_args() and the run kept in c. */
void config_free(struct config *c);

#endif
