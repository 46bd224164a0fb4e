/* SPDX-License-Identifier: MIT */
/* What the benchmarks share: the children they start (each dies with its
 * benchmark), one measured run of a command, and a median. */
#ifndef BENCH_HARNESS_H
#define BENCH_HARNESS_H

#include <stddef.h>
#include <sys/types.h>

/* fork() for a child of the benchmark's own: the parent gets its pid (-1
 * when fork fails, errno set); the child gets 0, and is killed when the
 * benchmark dies (it exits at once if that happened before it could ask). */
pid_t bench_fork(void);

/* Kills a child of the benchmark's and reaps it (nothing for pid <= 0). */
void bench_end(pid_t pid);

/* Idle children (each pause()s until killed), by pid. */
struct idle {
	pid_t *pid;
	size_t n;
};

/* Brings the number of idle children to n, starting or ending some; -1
 * (with perror) when one cannot be started or their array cannot grow:
 * then as many as could be started stay. */
int idle_set(struct idle *idle, size_t n);

/* One run of argv (from PATH), stdout and stderr to /dev/null. */
struct cost {
	double cpu;  /* seconds, user + system */
	long maxrss; /* KiB */
	int status;  /* the exit status, 128 + the signal, -1 if it did not run */
};
struct cost measure(char *const argv[]);

/* The median of v[0..n), n >= 1; sorts v. */
double median(double *v, int n);

#endif
