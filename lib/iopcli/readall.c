/* SPDX-License-Identifier: MIT */
/* See readall.h. */
#include "iopcli/readall.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

ssize_t cli_read_all(int fd, size_t first, size_t max, bool keep, char **out)
{
	size_t len = 0, cap = first;
	int e = 0;

	*out = NULL;
	if (first < 2 || max < first) /* room for a byte and the NUL, at least */
		return -EINVAL;
	char *buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		bool full = len + 1 == cap;
		if (full && cap < max) {
			size_t next = cap > max / 2 ? max : cap * 2; /* never past max */
			char *more = realloc(buf, next);
			if (!more) {
				e = ENOMEM;
				break;
			}
			buf = more;
			cap = next;
			full = false;
		}
		/* the largest buffer full: a byte more tells the end from a file
		 * too long */
		char probe;
		ssize_t n = full ? read(fd, &probe, 1) : read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			break;
		}
		if (n == 0)
			break;
		if (full) {
			e = EFBIG;
			break;
		}
		len += (size_t)n;
	}
	if (e && !keep) {
		free(buf);
		return -e;
	}
	buf[len] = '\0';
	*out = buf;
	return (ssize_t)len;
}
