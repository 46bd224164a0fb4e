/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "iopcli/cli.h"
#include "iopcli/buf.h"
#include "iopcli/num.h"
#include "iopcli/xalloc.h"
#include <libioprio.h>

#include <ctype.h>
#include <errno.h>
#include <err.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

int cli_parse_ll(const char *s, long long min, long long max, long long *out)
{
	return num_parse_ll(s, s ? s + strlen(s) : NULL, min, max, out);
}

void cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", program_invocation_short_name);
	exit(EXIT_FAILURE);
}

size_t cli_long_matches(const char *arg, const struct option *opts, size_t nopts, size_t *first)
{
	const char *name = arg + 2;
	size_t len = strcspn(name, "="), n = 0;

	for (size_t i = 0; i < nopts && opts[i].name; i++) {
		if (strncmp(opts[i].name, name, len))
			continue;
		if (strlen(opts[i].name) == len) { /* exact: no ambiguity */
			*first = i;
			return 1;
		}
		if (!n++)
			*first = i;
	}
	return n;
}

void cli_bad_option(int c, int argc, char **argv, const struct option *longopts)
{
	/* the word getopt stopped at; musl leaves optind past the end when a
	 * final option lacks its argument (glibc does not) */
	const char *arg = argv[optind - 1 < argc ? optind - 1 : argc - 1];
	bool long_opt = strncmp(arg, "--", 2) == 0;
	size_t first;

	if (c == ':' && long_opt) { /* by its whole name, as glibc says it */
		if (cli_long_matches(arg, longopts, SIZE_MAX, &first) == 1)
			cli_usage_error("option '--%s' requires an argument", longopts[first].name);
		cli_usage_error("option '%s' requires an argument", arg);
	}
	if (c == ':')
		cli_usage_error("option requires an argument -- '%c'", optopt);
	if (optopt && !long_opt)
		cli_usage_error("invalid option -- '%c'", optopt);
	if (long_opt && cli_long_matches(arg, longopts, SIZE_MAX, &first) > 1) {
		/* as glibc words it, the candidates in the table's order */
		struct cli_buf b = { 0 };
		size_t len = strcspn(arg + 2, "=");
		for (size_t i = first; longopts[i].name; i++)
			if (!strncmp(longopts[i].name, arg + 2, len)) {
				cli_buf_puts(&b, " '--");
				cli_buf_puts(&b, longopts[i].name);
				cli_buf_putc(&b, '\'');
			}
		cli_buf_putc(&b, '\0');
		cli_usage_error("option '%s' is ambiguous; possibilities:%s", arg, b.p);
	}
	cli_usage_error("unrecognized option '%s'", arg);
}

void cli_print_version(void)
{
	printf("%s from ioprio-utils %s\n", program_invocation_short_name, IOP_PROJECT_VERSION);
	exit(EXIT_SUCCESS);
}

size_t cli_parse_columns(const char *arg, bool plus, const char *(*name)(int), int count,
			 int *out, size_t n, size_t max)
{
	const char *p = arg;

	if (plus && *p == '+')
		p++; /* add to the columns so far (the default) */
	else
		n = 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		int c = 0;
		if (len == 0)
			cli_usage_error("empty column name in '%s'", arg);
		while (c < count && (strlen(name(c)) != len || strncasecmp(p, name(c), len)))
			c++;
		if (c == count)
			cli_usage_error("unknown column: '%.*s' (see --list-columns)", (int)len, p);
		for (size_t i = 0; i < n; i++)
			if (out[i] == c)
				cli_usage_error("column '%s' given twice in '%s'", name(c), arg);
		if (n == max)
			cli_usage_error("too many columns: '%s'", arg);
		out[n++] = c;
		if (!p[len])
			return n;
		p += len + 1;
	}
}

int cli_parse_user(const char *arg, unsigned *uid)
{
	long long v;

	if (cli_parse_ll(arg, 0, (long long)UINT_MAX - 1, &v) == 0) {
		*uid = (unsigned)v;
		return 0;
	}
	struct passwd *pw = getpwnam(arg);
	if (!pw)
		return -EINVAL;
	*uid = pw->pw_uid;
	return 0;
}

unsigned cli_user_arg(const char *arg)
{
	unsigned uid;

	if (cli_parse_user(arg, &uid) < 0)
		errx(EXIT_FAILURE, "invalid user argument: '%s': no such user", arg);
	return uid;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

int cli_parse_id_list(const char *arg, int min, int **v, size_t *n, char *bad, size_t badsize)
{
	const char *p = arg;
	bool need_id = true; /* at the start, and after a comma */

	for (;;) {
		while (is_blank(*p))
			p++;
		if (!*p && !need_id)
			return 0;
		size_t len = 0;
		while (p[len] && p[len] != ',' && !is_blank(p[len]))
			len++;
		long long id;
		if (len == 0 || num_parse_ll(p, p + len, min, INT_MAX, &id) < 0) {
			/* the item, or the whole argument for an empty item */
			snprintf(bad, badsize, "%.*s", (int)(len ? len : strlen(arg)), len ? p : arg);
			return -EINVAL;
		}
		int *more = realloc(*v, (*n + 1) * sizeof(**v));
		if (!more)
			return -ENOMEM;
		*v = more;
		(*v)[(*n)++] = (int)id;
		p += len;
		while (is_blank(*p))
			p++;
		need_id = *p == ',';
		if (need_id)
			p++;
	}
}

void cli_add_id_list(int **v, size_t *n, const char *arg, const char *what)
{
	char bad[64];
	int r = cli_parse_id_list(arg, 1, v, n, bad, sizeof(bad));

	if (r == -ENOMEM)
		xalloc_die();
	if (r < 0)
		errx(EXIT_FAILURE, "invalid %s argument: '%s'", what, bad);
}

void cli_compile_regex(regex_t *re, const char *arg, bool replace)
{
	if (replace)
		regfree(re);
	int r = regcomp(re, arg, REG_EXTENDED | REG_NOSUB);
	if (r != 0) {
		char msg[128];
		regerror(r, re, msg, sizeof(msg));
		errx(EXIT_FAILURE, "invalid regular expression: '%s': %s", arg, msg);
	}
}

bool cli_select_option(struct cli_select *s, int c, const char *arg)
{
	switch (c) {
	case 'C':
		cli_compile_regex(&s->re, arg, s->have_re);
		s->have_re = true;
		return true;
	case CLI_OPT_FULL:
		s->full = true;
		return true;
	case 'T':
		s->tree = true;
		return true;
	default:
		return false;
	}
}

void cli_select_check(const struct cli_select *s, bool named, const char *which)
{
	if (s->full && !s->have_re)
		cli_usage_error("--full goes with --command");
	if (s->tree && !named && !s->have_re)
		cli_usage_error("--tree needs processes to start from (%s or -C)", which);
}

void cli_select_free(struct cli_select *s)
{
	if (s->have_re)
		regfree(&s->re);
	s->have_re = false;
}

const char *cli_user_name(unsigned uid)
{
	static struct {
		unsigned uid;
		char *name;
	} *cache;
	static size_t n, cap;
	char num[16];

	for (size_t i = 0; i < n; i++)
		if (cache[i].uid == uid)
			return cache[i].name;
	struct passwd *pw = getpwuid(uid);
	snprintf(num, sizeof(num), "%u", uid);
	const char *name = pw ? pw->pw_name : num;
	if (n == cap) {
		cache = xgrow(cache, &cap, n + 1, sizeof(*cache), 16);
	}
	cache[n].uid = uid;
	cache[n].name = xstrdup(name);
	return cache[n++].name;
}
