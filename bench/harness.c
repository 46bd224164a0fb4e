/* SPDX-License-Identifier: MIT */
/* See harness.h. */
#define _GNU_SOURCE
#include "harness.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

pid_t bench_fork(void)
{
	pid_t self = getpid(), p = fork();

	if (p != 0)
		return p;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != self)
		_exit(0);
	return 0;
}

void bench_end(pid_t pid)
{
	if (pid <= 0) /* a fork that failed: kill(-1) would signal everything */
		return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

int idle_set(struct idle *idle, size_t n)
{
	if (n > idle->n) {
		pid_t *grown = realloc(idle->pid, n * sizeof(*grown));
		if (!grown) {
			perror("idle processes");
			return -1;
		}
		idle->pid = grown;
	}
	while (idle->n < n) {
		pid_t p = bench_fork();
		if (p < 0) {
			perror("fork");
			return -1;
		}
		if (p == 0)
			for (;;)
				pause();
		idle->pid[idle->n++] = p;
	}
	while (idle->n > n)
		bench_end(idle->pid[--idle->n]);
	return 0;
}

struct cost measure(char *const argv[])
{
	struct cost c = { 0, 0, -1 };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status, r;
	struct rusage ru;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	r = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0 || wait4(pid, &status, 0, &ru) != pid)
		return c;
	c.cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	c.maxrss = ru.ru_maxrss;
	c.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return c;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
