/* SPDX-License-Identifier: MIT */
/* Test helper: a process with N threads (argument, default 4) that waits
 * until killed, named NAME when given (prctl).  It prints "ready" on
 * stdout once every thread runs.  With a third argument "main-exits" its
 * main thread then exits (pthread_exit): the process lives on in its other
 * threads, its main thread a zombie (state Z) until they end. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *wait_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	char *end = NULL;
	long n = argc > 1 ? strtol(argv[1], &end, 10) : 4;

	if (n < 1 || n > 20000 || (end && *end))
		return 2;
	if (argc > 2)
		prctl(PR_SET_NAME, argv[2]);

	/* small stacks: thousands of threads that only wait */
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (int i = 1; i < n; i++) {
		pthread_t t;
		if (pthread_create(&t, &attr, wait_forever, NULL) != 0)
			return 1;
	}
	pthread_attr_destroy(&attr);
	printf("ready\n");
	fflush(stdout);
	if (argc > 3 && !strcmp(argv[3], "main-exits") && n > 1)
		pthread_exit(NULL);
	wait_forever(NULL);
	return 0;
}
