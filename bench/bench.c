/* SPDX-License-Identifier: MIT */
/*
 * iopstat benchmark.  Starts N idle processes of its own, then runs, side by
 * side and several times each, the floor (floor.c: open/read/close io and
 * stat of every process), iopstat one-shot, iopstat steady-state samples,
 * and pidstat -d / iotop -b -n1 where installed, and prints the median CPU
 * time (user + system) of each and its ratio to the floor, and iopstat's
 * peak RSS.  Then the cost per process from 1,000 to 10,000 processes.
 *
 *   bench IOPSTAT FLOOR [-n PROCS] [-r REPS] [-s SCALES] [-c SAMPLES] [-e SAMPLES]
 *
 * Then, while a child starts and reaps a process every 2 ms, the peak RSS
 * of interval runs of 10 and of SAMPLES (1000) samples, with and without
 * --group-by comm: a long run must not grow.
 *
 * And, while a child starts and reaps 500 processes a second, interval runs
 * (-e SAMPLES of 0.25 s, 20 by default) with the exit notifications (as
 * root) against the same runs with --no-exits: CPU time and peak RSS.
 *
 * Times are CPU, not wall clock, and medians: the machine is shared.  The
 * numbers are for reading, never asserted.
 */
#define _GNU_SOURCE
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct idle idle;

/* Brings the number of idle children to n. */
static void idle_processes(size_t n)
{
	if (idle_set(&idle, n) < 0)
		exit(1);
}

/* Starts a short-lived process and reaps it. */
static void fork_reap(void)
{
	pid_t c = fork();
	if (c == 0)
		_exit(0);
	if (c > 0)
		waitpid(c, NULL, 0);
}

/* A child that starts and reaps short-lived processes, one every 2 ms,
 * until killed: churn, for the memory of a long interval run. */
static pid_t churner(void)
{
	pid_t p = bench_fork();

	if (p != 0)
		return p;
	for (;;) {
		fork_reap();
		usleep(2000);
	}
}

/* A child that starts and reaps 'rate' short-lived processes a second, on
 * an absolute schedule (the fork's own time does not slow it), until
 * killed. */
static pid_t exit_churner(long rate)
{
	pid_t p = bench_fork();

	if (p != 0)
		return p;
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	for (;;) {
		fork_reap();
		t.tv_nsec += 1000000000L / rate;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000L;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
	}
}

/* Under 500 exits a second: iopstat listening for them against the same
 * run with --no-exits, side by side (interleaved), per process and grouped.
 * The goal: CPU within 5% and peak RSS within 256 KiB. */
static void exits_churn(char *iopstat, int reps, const char *samples)
{
	char *runs[4][10] = {
		{ iopstat, "--format", "csv", "-g", "comm", "0.25", (char *)samples, NULL },
		{ iopstat, "--format", "csv", "-g", "comm", "--no-exits", "0.25", (char *)samples, NULL },
		{ iopstat, "--format", "csv", "--only-active", "0.25", (char *)samples, NULL },
		{ iopstat, "--format", "csv", "--only-active", "--no-exits", "0.25", (char *)samples,
		  NULL },
	};
	double cpu[4][16], rss[4][16];
	pid_t c = exit_churner(500);

	if (reps > 16)
		reps = 16;
	for (int r = 0; r < reps; r++)
		for (int k = 0; k < 4; k++) {
			struct cost m = measure(runs[k]);
			cpu[k][r] = m.cpu;
			rss[k][r] = (double)m.maxrss;
		}
	bench_end(c);
	printf("\nunder 500 exits a second, %s samples of 0.25 s, median of %d%s:\n", samples, reps,
	       geteuid() ? " (not root: iopstat cannot listen, both runs are alike)" : "");
	for (int k = 0; k < 4; k += 2) {
		double a = median(cpu[k], reps), b = median(cpu[k + 1], reps);
		double ra = median(rss[k], reps), rb = median(rss[k + 1], reps);
		printf("  %-15s CPU %7.1f ms vs %7.1f ms --no-exits: %.3fx (goal: within 1.05x); "
		       "peak RSS %6.0f vs %6.0f KiB: %+.0f KiB (goal: within 256)\n",
		       k ? "--only-active" : "-g comm", a * 1000, b * 1000, b > 0 ? a / b : 0, ra, rb,
		       ra - rb);
	}
}

/* Peak RSS of interval runs of 10 and of 'samples' samples while processes
 * come and go: the longer run must not need more memory.  The runs are
 * spawned with address space randomisation off where the kernel allows it:
 * otherwise where the heap and libraries land moves the peak by about
 * 100 KiB from run to run, as much as the growth looked for. */
static void churn(char *iopstat, int reps, const char *samples)
{
	char *runs[4][9] = {
		{ iopstat, "--format", "csv", "0.001", "10", NULL },
		{ iopstat, "--format", "csv", "0.001", (char *)samples, NULL },
		{ iopstat, "--format", "csv", "-g", "comm", "0.001", "10", NULL },
		{ iopstat, "--format", "csv", "-g", "comm", "0.001", (char *)samples, NULL },
	};
	double rss[4][8];
	int old = personality(0xffffffff);
	int fixed = old != -1 && personality((unsigned long)old | ADDR_NO_RANDOMIZE) != -1 &&
		    (personality(0xffffffff) & ADDR_NO_RANDOMIZE);
	pid_t c = churner();

	for (int r = 0; r < reps && r < 8; r++)
		for (int k = 0; k < 4; k++)
			rss[k][r] = (double)measure(runs[k]).maxrss;
	bench_end(c);
	if (fixed)
		personality((unsigned long)old);
	printf("\nunder churn (a process started and reaped every 2 ms), peak RSS, median of %d, %s:\n",
	       reps, fixed ? "address randomisation off" : "address randomisation on (could not turn it off)");
	for (int k = 0; k < 4; k += 2) {
		double a = median(rss[k], reps), b = median(rss[k + 1], reps);
		printf("  %-10s 10 samples %6.0f KiB, %s samples %6.0f KiB: %+.1f%% (goal: grows by at most 5%%)\n",
		       k ? "-g comm" : "pid rows", a, samples, b, (b - a) / a * 100);
	}
}

static int found(const char *tool)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

enum { FLOOR, FLOOR_IO, ONESHOT, BYTES, STEADY10, GROUP1, GROUP10, FLOOR_DEV, DEVICES, JSON1,
       JSON10, JSON10N, PIDSTAT, IOTOP, NCASES };

int main(int argc, char **argv)
{
	char *iopstat, *floor_bin;
	size_t procs = 5000;
	int reps = 15;
	const char *scales = "1000,2500,5000,10000";
	const char *samples = "1000";
	const char *exit_samples = "20";
	int opt;

	if (argc < 3) {
		fprintf(stderr, "usage: %s IOPSTAT FLOOR [-n PROCS] [-r REPS] [-s SCALES] [-c SAMPLES] [-e SAMPLES]\n",
			argv[0]);
		return 2;
	}
	iopstat = argv[1];
	floor_bin = argv[2];
	optind = 3;
	while ((opt = getopt(argc, argv, "n:r:s:c:e:")) != -1) {
		if (opt == 'c')
			samples = optarg;
		else if (opt == 'e')
			exit_samples = optarg;
		else if (opt == 'n')
			procs = strtoul(optarg, NULL, 10);
		else if (opt == 'r')
			reps = atoi(optarg);
		else if (opt == 's')
			scales = optarg;
		else
			return 2;
	}
	if (reps < 1)
		reps = 1;

	char *cases[NCASES][8] = {
		[FLOOR] = { floor_bin, NULL },
		[FLOOR_IO] = { floor_bin, "io", NULL },
		[ONESHOT] = { iopstat, NULL },
		/* what a byte counter needs: io alone, no stat, no owner, no priority */
		[BYTES] = { iopstat, "-o", "pid,read,write", NULL },
		/* 10 interval samples after the first scan, no summary (CSV) */
		[STEADY10] = { iopstat, "--format", "csv", "0.001", "10", NULL },
		/* the same grouped by command name: one scan, and 1 + 10 */
		[GROUP1] = { iopstat, "--format", "csv", "-g", "comm", NULL },
		[GROUP10] = { iopstat, "--format", "csv", "-g", "comm", "0.001", "10", NULL },
		/* the device report against reading diskstats and each scheduler */
		[FLOOR_DEV] = { floor_bin, "devices", NULL },
		[DEVICES] = { iopstat, "-d", NULL },
		/* the system line: JSON interval samples with it, and with -n without */
		[JSON1] = { iopstat, "--format", "json", NULL },
		[JSON10] = { iopstat, "--format", "json", "0.001", "10", NULL },
		[JSON10N] = { iopstat, "--format", "json", "-n", "0.001", "10", NULL },
		[PIDSTAT] = { "pidstat", "-d", NULL },
		[IOTOP] = { "iotop", "-b", "-n1", "-P", NULL },
	};
	static char *oneshot_csv[] = { NULL, "--format", "csv", NULL };
	oneshot_csv[0] = iopstat;
	const char *names[NCASES] = { "floor (io + stat)", "floor (io only)", "iopstat one-shot",
				      "iopstat -o pid,read,write", "iopstat steady sample",
				      "iopstat -g comm one-shot", "iopstat -g comm steady sample",
				      "floor (devices)", "iopstat -d", "iopstat -J one-shot",
				      "iopstat -J sample", "iopstat -J -n sample",
				      "pidstat -d", "iotop -b -n1" };
	int have[NCASES] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, found("pidstat"),
			     geteuid() == 0 && found("iotop") };

	printf("iopstat benchmark: %zu idle processes of the benchmark's own, %d runs each, "
	       "median CPU time (user + system)\n\n", procs, reps);
	idle_processes(procs);
	usleep(200000);

	double t[NCASES][64], csv1[64];
	long rss[64], rss_steady[64], rss_dev[64];
	if (reps > 64)
		reps = 64;
	for (int r = 0; r < reps; r++) { /* interleaved: load changes hit every case alike */
		for (int k = 0; k < NCASES; k++) {
			if (!have[k])
				continue;
			struct cost c = measure(cases[k]);
			if (c.status != 0 && k < PIDSTAT) {
				fprintf(stderr, "%s failed (status %d)\n", names[k], c.status);
				return 1;
			}
			t[k][r] = c.cpu;
			if (k == ONESHOT)
				rss[r] = c.maxrss;
			if (k == STEADY10)
				rss_steady[r] = c.maxrss;
			if (k == DEVICES)
				rss_dev[r] = c.maxrss;
		}
		csv1[r] = measure(oneshot_csv).cpu;
	}
	double m[NCASES];
	for (int k = 0; k < NCASES; k++)
		m[k] = have[k] ? median(t[k], reps) : 0;
	/* one steady sample: (1 + 10 scans) minus (1 scan), over 10 */
	double steady = (m[STEADY10] - median(csv1, reps)) / 10;
	double steady_group = (m[GROUP10] - m[GROUP1]) / 10;
	/* a JSON sample with the system line and without (-n) */
	double json_sys = (m[JSON10] - m[JSON1]) / 10, json_nosys = (m[JSON10N] - m[JSON1]) / 10;
	double rssv[64], rssv2[64], rssv3[64];
	for (int r = 0; r < reps; r++) {
		rssv[r] = (double)rss[r];
		rssv2[r] = (double)rss_steady[r];
		rssv3[r] = (double)rss_dev[r];
	}

	printf("%-24s %10s %8s\n", "", "CPU ms", "x floor");
	for (int k = 0; k < NCASES; k++) {
		double v = k == STEADY10 ? steady : k == GROUP10 ? steady_group : k == JSON10 ? json_sys
			 : k == JSON10N ? json_nosys : m[k];
		if (!have[k]) {
			printf("%-24s %10s %8s  (not installed%s)\n", names[k], "-", "-",
			       k == IOTOP && geteuid() ? " or not root" : "");
			continue;
		}
		printf("%-24s %10.2f %8.2f\n", names[k], v * 1000, v / m[FLOOR]);
	}
	printf("\nsteady sample vs reading /proc/PID/io alone: %.2fx\n", steady / m[FLOOR_IO]);
	printf("bytes-only report vs reading /proc/PID/io alone: %.2fx (goal: within 1.15x)\n",
	       m[BYTES] / m[FLOOR_IO]);
	printf("grouped steady sample (-g comm) vs the io + stat floor: %.2fx (goal: within 1.2x)\n",
	       steady_group / m[FLOOR]);
	printf("iopstat peak RSS: one-shot %.0f KiB, 11 scans %.0f KiB (goal: under 3072, "
	       "4 MiB with 1 MiB to spare)\n", median(rssv, reps), median(rssv2, reps));
	printf("device report (iopstat -d) vs its floor (diskstats + each scheduler): %.2fx "
	       "(goal: within 1.2x); peak RSS %.0f KiB (goal: under 3072)\n",
	       m[DEVICES] / m[FLOOR_DEV], median(rssv3, reps));
	printf("the system line in a steady JSON sample: %+.1f%% (goal: at most +3%%)\n",
	       (json_sys - json_nosys) / json_nosys * 100);

	churn(iopstat, reps < 3 ? 1 : 3, samples);
	exits_churn(iopstat, reps < 5 ? 1 : 5, exit_samples);

	printf("\ncost per process as the count grows (median of %d one-shot runs):\n", reps);
	printf("%10s %12s %12s %10s %10s\n", "processes", "floor us/p", "iopstat us/p", "x floor",
	       "RSS KiB");
	char *copy = strdup(scales), *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t n = strtoul(tok, NULL, 10);
		double f[64], s[64], sr[64];
		idle_processes(n);
		usleep(200000);
		for (int r = 0; r < reps; r++) {
			f[r] = measure(cases[FLOOR]).cpu;
			struct cost c = measure(cases[ONESHOT]);
			s[r] = c.cpu;
			sr[r] = (double)c.maxrss;
		}
		double mf = median(f, reps), ms = median(s, reps);
		printf("%10zu %12.2f %12.2f %10.2f %10.0f\n", n, mf / (double)n * 1e6,
		       ms / (double)n * 1e6, ms / mf, median(sr, reps));
	}
	free(copy);
	idle_processes(0);
	return 0;
}
