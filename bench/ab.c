/* SPDX-License-Identifier: MIT */
/*
 * Two builds side by side: starts N idle processes of its own, then runs
 * each command REPS times, interleaved (A, B, C, A, B, C, ...), so a change
 * in the machine's load hits them alike, and prints each one's median CPU
 * time (user + system) and its ratio to the first command's.
 *
 *   bench_ab [-n PROCS] [-r REPS] CMD [ARG...] -- CMD [ARG...] [-- ...]
 *
 * For "is the new build as fast as the old one": the same arguments to an
 * old and a new binary, e.g.
 *   bench_ab -n 5000 -r 31 old/iopstat -- new/iopstat
 * The numbers are for reading, never asserted.
 */
#define _GNU_SOURCE
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_CMDS 8
#define MAX_REPS 201

/* CPU seconds (user + system) of one run of argv; -1 when it cannot run
 * or fails. */
static double cpu_of(char *const argv[])
{
	struct cost c = measure(argv);
	return c.status < 0 || c.status > 1 ? -1 : c.cpu; /* 1: nothing matched */
}

int main(int argc, char **argv)
{
	size_t procs = 5000;
	int reps = 15, opt;
	char **cmd[MAX_CMDS];
	int ncmd = 0;

	while ((opt = getopt(argc, argv, "+n:r:")) != -1) {
		if (opt == 'n')
			procs = strtoul(optarg, NULL, 10);
		else if (opt == 'r')
			reps = atoi(optarg);
		else
			return 2;
	}
	if (reps < 1 || reps > MAX_REPS || optind >= argc) {
		fprintf(stderr, "usage: %s [-n PROCS] [-r REPS (1..%d)] CMD... [-- CMD...]...\n",
			argv[0], MAX_REPS);
		return 2;
	}
	cmd[ncmd++] = &argv[optind];
	for (int i = optind; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			argv[i] = NULL;
			if (ncmd == MAX_CMDS || i + 1 >= argc) {
				fprintf(stderr, "%s: 1 to %d commands, none empty\n", argv[0], MAX_CMDS);
				return 2;
			}
			cmd[ncmd++] = &argv[i + 1];
		}

	struct idle idle = { NULL, 0 };
	if (idle_set(&idle, procs) < 0) {
		if (!idle.pid && procs)
			return 1;
		procs = idle.n;
	}
	usleep(200000);

	static double t[MAX_CMDS][MAX_REPS];
	int status = 0;
	for (int r = 0; r < reps && !status; r++)
		for (int k = 0; k < ncmd; k++)
			if ((t[k][r] = cpu_of(cmd[k])) < 0) {
				fprintf(stderr, "%s failed\n", cmd[k][0]);
				status = 1;
				break;
			}
	idle_set(&idle, 0);
	free(idle.pid);
	if (status)
		return status;

	printf("%zu idle processes, %d interleaved runs each, median CPU time (user + system)\n",
	       procs, reps);
	double first = median(t[0], reps);
	for (int k = 0; k < ncmd; k++) {
		double m = k ? median(t[k], reps) : first;
		printf("%8.2f ms  %5.3fx ", m * 1000, m / first);
		for (char **a = cmd[k]; *a; a++)
			printf(" %s", *a);
		printf("\n");
	}
	return 0;
}
