#define _GNU_SOURCE
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_parse_ll(const char *s, long long min, long long max, long long *out)
{
	const char *digits = s && *s == '-' ? s + 1 : s;
	char *end;
	long long v;

	/* strtoll() alone would accept blanks, '+' and an empty string */
	if (!digits || !isdigit((unsigned char)*digits))
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0')
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

static void close_stdout(void)
{
	int failed = ferror(stdout);

	errno = 0;
	if (fclose(stdout) != 0)
		failed = 1;
	else if (failed)
		errno = EIO;
	if (failed && errno != EPIPE) {
		if (errno)
			fprintf(stderr, "%s: write error: %s\n", program_invocation_short_name,
				strerror(errno));
		else
			fprintf(stderr, "%s: write error\n", program_invocation_short_name);
		_exit(EXIT_FAILURE);
	}
}

void cli_close_stdout_at_exit(void)
{
	atexit(close_stdout);
}
