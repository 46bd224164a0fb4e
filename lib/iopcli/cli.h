/* SPDX-License-Identifier: MIT */
/*
 * Internal helpers shared by the command-line tools: argv (numbers, users,
 * id and column lists, regexes, usage errors, unknown options), user names.
 * A static library, never installed.
 */
#ifndef IOP_CLI_H
#define IOP_CLI_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Arrays and the closing of stdout are modules of their own, below this
 * one; included here for the tools, which use them with the rest. */
#include "iopcli/array.h"
#include "iopcli/stdout.h"

/* Parses all of s as a decimal integer in min..max into *out.  No leading
 * blanks or '+', no trailing junk, no silent wrap ("-1" is -1, and out of
 * range when min is 0).  Returns 0, -EINVAL (not a number) or -ERANGE. */
int cli_parse_ll(const char *s, long long min, long long max, long long *out);

/* Parses -o's comma-separated column list into out[], which holds n
 * columns already: replaced, or, for "+LIST" when 'plus' is true, added
 * to.  Names are matched in any case against name(0 .. count-1).  An empty
 * item, an unknown name, a column given twice, or more than 'max' columns
 * is a usage error naming it (exit 1).  Returns the number of columns. */
size_t cli_parse_columns(const char *arg, bool plus, const char *(*name)(int), int count,
			 int *out, size_t n, size_t max);

/* A user as a uid (0 .. 2^32-2) or a name; 0, or -EINVAL (not a uid, and
 * no user of that name). */
int cli_parse_user(const char *arg, unsigned *uid);
/* -u of ioprio-get and iopstat: the uid of ARG, or exit with the message
 * both give. (ionice words its own as util-linux does.) */
unsigned cli_user_arg(const char *arg);

/* Appends the ids min..INT_MAX of arg to *v (n of them): separated by
 * commas or blanks, so "$(pidof rsync)" is a list; blanks around a comma
 * are fine, an empty item ("1,,2", "1,") is not.  0, -ENOMEM, or -EINVAL
 * with the bad item (or the whole argument, for an empty one) in bad. */
int cli_parse_id_list(const char *arg, int min, int **v, size_t *n, char *bad, size_t badsize);

/* The same for positive ids; exits with "invalid <what> argument: '<id>'"
 * on anything else. */
void cli_add_id_list(int **v, size_t *n, const char *arg, const char *what);

/* Compiles an extended regex for -C (no subexpressions reported) into *re,
 * freeing what *re held when 'replace' is true (-C given again); exits with
 * "invalid regular expression: '<arg>': <why>" when it is not one. */
void cli_compile_regex(regex_t *re, const char *arg, bool replace);

/* The selection options of ionice and ioprio-get (iopcli/select.h):
 * -C, --command REGEX; --full; -T, --tree.  Their getopt_long() entries,
 * and what they set. */
enum { CLI_OPT_FULL = 0x1000 };
#define CLI_SELECT_LONGOPTS                                            \
	{ "command", required_argument, NULL, 'C' },                   \
	{ "full", no_argument, NULL, CLI_OPT_FULL },                   \
	{ "tree", no_argument, NULL, 'T' }
struct cli_select {
	regex_t re;
	bool have_re, full, tree;
};
/* Takes c, what getopt_long() returned, when it is one of them (a bad
 * regex: exits as cli_compile_regex()): true; false for any other. */
bool cli_select_option(struct cli_select *s, int c, const char *arg);
/* After the parse: --full without -C, and -T without processes to start
 * from ('named': -p, -P, -u or the like given; 'which': their names, for
 * the message), are usage errors. */
void cli_select_check(const struct cli_select *s, bool named, const char *which);
void cli_select_free(struct cli_select *s);

/* The name of a uid, or the number when it has none; looked up once per uid
 * (there are few users and many processes).  Never NULL. */
const char *cli_user_name(unsigned uid);

/* "<tool>: <message>" and a pointer to --help on stderr; exits with 1. */
void cli_usage_error(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

/* Reports what getopt_long() returned ':' (missing argument) or '?'
 * (unknown or ambiguous option) for, in the short program name, as glibc
 * words it; exits with 1.  Use with opterr = 0 and an optstring that starts
 * with ':' (after any '+'); longopts: the table given to getopt_long(). */
struct option;
void cli_bad_option(int c, int argc, char **argv, const struct option *longopts)
	__attribute__((noreturn));

/* How many of the first nopts long options (up to the table's end) arg
 * ("--name" or "--name=value") abbreviates: 1 for an exact name, with
 * *first the index of the first match. */
size_t cli_long_matches(const char *arg, const struct option *opts, size_t nopts, size_t *first);

/* "<tool> from ioprio-utils <version>" on stdout; exits with 0. */
void cli_print_version(void) __attribute__((noreturn));

#endif
