/* SPDX-License-Identifier: MIT */
/*
 * Block devices and their I/O schedulers, from <sysfs>/block/<dev>/queue/
 * scheduler: "mq-deadline kyber [bfq] none", the active one in brackets; a
 * device that cannot have one reads "none" alone; a bio-based device (zram,
 * some device-mapper targets) has no file at all.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iopcli/blockdev.h"

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* The next blank-separated word at *p: its start, its length in *n, and
 * whether it was in brackets (then without them: the active scheduler);
 * NULL at the end.  *p moves past it. */
static const char *next_word(const char **p, size_t *n, int *bracketed)
{
	const char *w;

	while (is_blank(**p))
		(*p)++;
	if (!**p)
		return NULL;
	w = *p;
	while (**p && !is_blank(**p))
		(*p)++;
	*n = (size_t)(*p - w);
	*bracketed = *n >= 2 && w[0] == '[' && w[*n - 1] == ']';
	if (*bracketed) {
		w++;
		*n -= 2;
	}
	return w;
}

int cli_sched_active(const char *text, char *buf, size_t len)
{
	const char *only = NULL, *p = text, *w;
	size_t only_len = 0, words = 0, n;
	int bracketed;

	while ((w = next_word(&p, &n, &bracketed))) {
		words++;
		only = w;
		only_len = n;
		if (bracketed) { /* the active one */
			words = 1;
			break;
		}
	}
	if (words != 1 || only_len == 0 || only_len >= len || memchr(only, '[', only_len) ||
	    memchr(only, ']', only_len))
		return -EINVAL;
	memcpy(buf, only, only_len);
	buf[only_len] = '\0';
	return 0;
}

enum cli_honours cli_sched_honours(const char *name)
{
	static const struct {
		const char *name;
		enum cli_honours h;
	} known[] = {
		{ "bfq", CLI_HONOURS_LEVELS },
		{ "cfq", CLI_HONOURS_LEVELS }, /* before Linux 5.0 */
		{ "mq-deadline", CLI_HONOURS_CLASSES },
		{ "kyber", CLI_HONOURS_NEITHER },
		{ "none", CLI_HONOURS_NEITHER },
		{ "noop", CLI_HONOURS_NEITHER },     /* before Linux 5.0 */
		{ "deadline", CLI_HONOURS_NEITHER }, /* before Linux 5.0 */
	};
	if (!name)
		return CLI_HONOURS_UNKNOWN;
	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (strcmp(known[i].name, name) == 0)
			return known[i].h;
	return CLI_HONOURS_UNKNOWN;
}

static void free_words(char **v)
{
	for (char **a = v; a && *a; a++)
		free(*a);
	free(v);
}

/* The words of the file, brackets removed, as a NULL-terminated vector;
 * NULL when memory ran out. */
static char **split_available(const char *text)
{
	char **v = NULL, **more;
	size_t n = 0, len;
	const char *p = text, *w;
	int bracketed;

	while ((w = next_word(&p, &len, &bracketed))) {
		if (!(more = realloc(v, (n + 2) * sizeof(*v)))) {
			free_words(v);
			return NULL;
		}
		v = more;
		v[n + 1] = NULL;
		if (!(v[n] = strndup(w, len))) {
			free_words(v);
			return NULL;
		}
		n++;
	}
	if (!v && (v = malloc(sizeof(*v))) != NULL)
		v[0] = NULL;
	return v;
}

/* Reads <sysfs>/block/<name>/queue/scheduler into d: 0, or -ENOMEM (a
 * file that cannot be read is d->error, not a failure). */
static int read_scheduler(int sysfs, struct cli_blockdev *d)
{
	char path[512], text[1024], active[128];
	size_t len = 0;
	ssize_t r;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "block/%s/queue/scheduler", d->name) >= sizeof(path)) {
		d->error = ENAMETOOLONG;
		return 0;
	}
	fd = openat(sysfs, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		d->error = errno;
		return 0;
	}
	while (len < sizeof(text) - 1 && (r = read(fd, text + len, sizeof(text) - 1 - len)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			d->error = errno;
			close(fd);
			return 0;
		}
		len += (size_t)r;
	}
	close(fd);
	text[len] = '\0';
	if (memchr(text, '\0', len) || cli_sched_active(text, active, sizeof(active)) < 0) {
		d->error = EINVAL; /* not a scheduler file we understand */
		return 0;
	}
	d->scheduler = strdup(active);
	d->available = split_available(text);
	return d->scheduler && d->available ? 0 : -ENOMEM;
}

static int cmp_dev(const void *a, const void *b)
{
	return strverscmp(((const struct cli_blockdev *)a)->name, ((const struct cli_blockdev *)b)->name);
}

int cli_blockdev_list(int sysfs, struct cli_blockdev **vp, size_t *np)
{
	struct cli_blockdev *v = NULL;
	size_t n = 0;
	struct dirent *e;
	DIR *dir;
	int fd;

	fd = openat(sysfs, "block", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		int e2 = errno;
		close(fd);
		return -e2;
	}
	while ((errno = 0, e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		struct cli_blockdev *more = realloc(v, (n + 1) * sizeof(*v));
		if (!more) {
			errno = ENOMEM;
			break;
		}
		v = more;
		v[n] = (struct cli_blockdev){ .name = strdup(e->d_name) };
		n++;
		if (!v[n - 1].name || read_scheduler(sysfs, &v[n - 1]) < 0) {
			errno = ENOMEM;
			break;
		}
	}
	if (errno) {
		int e2 = errno;
		closedir(dir);
		cli_blockdev_free(v, n);
		return -e2;
	}
	closedir(dir);
	if (n)
		qsort(v, n, sizeof(*v), cmp_dev);
	*vp = v;
	*np = n;
	return 0;
}

void cli_blockdev_free(struct cli_blockdev *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].scheduler);
		free_words(v[i].available);
	}
	free(v);
}

int cli_any_device_honours_priorities(int sysfs)
{
	struct cli_blockdev *v;
	size_t n;
	int r = cli_blockdev_list(sysfs, &v, &n);

	if (r < 0)
		return r;
	r = 0;
	for (size_t i = 0; i < n && !r; i++)
		if (cli_sched_honours(v[i].scheduler) >= CLI_HONOURS_CLASSES)
			r = 1;
	cli_blockdev_free(v, n);
	return r;
}
