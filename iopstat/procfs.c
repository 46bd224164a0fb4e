/* iopstat's /proc reader.  See procfs.h. */
#define _GNU_SOURCE
#include "procfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libioprio.h"

/* A whole unsigned decimal [p, end); -EINVAL if empty, junk or overflowing. */
static int parse_ull(const char *p, const char *end, unsigned long long *out)
{
	unsigned long long v = 0;

	if (p == end)
		return -EINVAL;
	for (; p < end; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (d > 9 || v > (~0ULL - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int parse_int(const char *p, const char *end, int *out)
{
	unsigned long long v;
	int neg = p < end && *p == '-';

	if (parse_ull(p + neg, end, &v) < 0 || v > 2147483647ULL + (unsigned)neg)
		return -EINVAL;
	*out = neg ? (int)(0 - v) : (int)v;
	return 0;
}

int procfs_parse_io(const char *buf, size_t len, unsigned long long io[IO_NFIELDS])
{
	static const struct {
		const char *name;
		size_t len;
	} names[IO_NFIELDS] = {
		[IO_RCHAR] = { "rchar", 5 },
		[IO_WCHAR] = { "wchar", 5 },
		[IO_SYSCR] = { "syscr", 5 },
		[IO_SYSCW] = { "syscw", 5 },
		[IO_READ_BYTES] = { "read_bytes", 10 },
		[IO_WRITE_BYTES] = { "write_bytes", 11 },
		[IO_CANCELLED] = { "cancelled_write_bytes", 21 },
	};
	const char *p = buf, *end = buf + len;
	unsigned seen = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *colon = memchr(p, ':', (size_t)(eol - p));

		if (!colon || colon + 1 >= eol || colon[1] != ' ')
			return -EINVAL;
		for (int f = 0; f < IO_NFIELDS; f++) {
			if ((size_t)(colon - p) != names[f].len || memcmp(p, names[f].name, names[f].len))
				continue;
			if ((seen & 1u << f) || parse_ull(colon + 2, eol, &io[f]) < 0)
				return -EINVAL;
			seen |= 1u << f;
		}
		/* lines with other names: a newer kernel's; passed over */
		p = nl ? nl + 1 : end;
	}
	return seen == (1u << IO_NFIELDS) - 1 ? 0 : -EINVAL;
}

int procfs_parse_stat(const char *buf, size_t len, struct stat_fields *out)
{
	const char *end = buf + len;
	const char *open = memchr(buf, '(', len);
	const char *close = memrchr(buf, ')', len);
	struct stat_fields f = { .policy = -1 };

	/* the name may hold anything, ')' and newlines included: it ends at the
	 * last ')' */
	if (!open || !close || close < open)
		return -EINVAL;
	size_t n = (size_t)(close - open - 1);
	if (n >= sizeof(f.comm))
		n = sizeof(f.comm) - 1;
	memcpy(f.comm, open + 1, n);
	f.comm[n] = '\0';

	if (end - close < 2 || close[1] != ' ')
		return -EINVAL;
	if (end[-1] == '\n')
		end--;
	const char *p = close + 2;
	int field = 3;
	while (p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		const char *tok_end = sp ? sp : end;
		int r = 0;
		switch (field) {
		case 19:
			r = parse_int(p, tok_end, &f.nice);
			break;
		case 22:
			r = parse_ull(p, tok_end, &f.start);
			break;
		case 41:
			r = parse_int(p, tok_end, &f.policy);
			break;
		case 42:
			r = parse_ull(p, tok_end, &f.delay);
			break;
		}
		if (r < 0)
			return -EINVAL;
		field++;
		p = sp ? sp + 1 : end;
	}
	if (field <= 22) /* too short to hold the start time */
		return -EINVAL;
	*out = f;
	return 0;
}

/* Reads a small file below dirfd in one read() (procfs writes these whole);
 * with st, also fstat()s it.  The length, or -errno. */
static ssize_t read_small(int dirfd, const char *path, char *buf, size_t size, struct stat *st)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t n;
	int e;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size);
	e = errno;
	if (n >= 0 && st && fstat(fd, st) < 0) {
		e = errno;
		n = -1;
	}
	close(fd);
	return n < 0 ? -e : n;
}

/* The whole command line, arguments joined by spaces; NULL if empty. */
static char *read_cmdline(int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 256;
	char *s;
	ssize_t n;

	if (fd < 0)
		return NULL;
	s = malloc(cap);
	while (s && (n = read(fd, s + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (len + 1 == cap) {
			char *more = cap < 1 << 20 ? realloc(s, cap * 2) : NULL;
			if (!more)
				break; /* a megabyte is enough to show; keep what we have */
			s = more;
			cap *= 2;
		}
	}
	close(fd);
	if (!s || len == 0) {
		free(s);
		return NULL;
	}
	while (len > 0 && s[len - 1] == '\0')
		len--;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\0')
			s[i] = ' ';
	s[len] = '\0';
	return s;
}

/* "<a>/<name>" or "<a>/task/<b>/<name>" into buf, without printf. */
static char *put_uint(char *p, unsigned v)
{
	char tmp[12];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static void task_path(char *buf, int pid, int tid, const char *name)
{
	char *p = put_uint(buf, (unsigned)pid);
	if (tid) {
		memcpy(p, "/task/", 6);
		p = put_uint(p + 6, (unsigned)tid);
	}
	*p++ = '/';
	strcpy(p, name);
}

static struct proc_row *new_row(struct proc_snapshot *snap)
{
	if (snap->n == snap->cap) {
		size_t cap = snap->cap ? snap->cap * 2 : 1024;
		struct proc_row *rows = realloc(snap->rows, cap * sizeof(*rows));
		if (!rows)
			return NULL;
		snap->rows = rows;
		snap->cap = cap;
	}
	return &snap->rows[snap->n];
}

/* Reads one task into the next row; 1 added, 0 skipped, -ENOMEM. */
static int read_task(int root, const struct scan_options *opt, bool same_ns, int pid, int tid,
		     struct proc_snapshot *snap)
{
	char path[64], buf[1024];
	struct stat st;
	struct stat_fields sf;
	ssize_t n;

	task_path(path, pid, tid, "stat");
	n = read_small(root, path, buf, sizeof(buf), &st);
	if (n <= 0 || procfs_parse_stat(buf, (size_t)n, &sf) < 0)
		return 0; /* gone (ENOENT, ESRCH) or unreadable: not a process to show */
	if (opt->filter_uid && st.st_uid != opt->uid)
		return 0;
	if (opt->comm_re && regexec(opt->comm_re, sf.comm, 0, NULL, 0) != 0)
		return 0;

	struct proc_row *row = new_row(snap);
	if (!row)
		return -ENOMEM;
	task_path(path, pid, tid, "io");
	n = read_small(root, path, buf, sizeof(buf) - 1, NULL);
	if (n == -EACCES || n == -EPERM) {
		snap->denied++;
		return 0;
	}
	if (n < 0 || procfs_parse_io(buf, (size_t)n, row->io) < 0)
		return 0;

	row->pid = pid;
	row->tid = tid;
	row->uid = st.st_uid;
	row->start = sf.start;
	row->delay = sf.delay;
	memcpy(row->comm, sf.comm, sizeof(row->comm));
	row->prio = -1;
	if (same_ns && opt->want_prio) {
		int v = iop_get(IOP_WHO_PROCESS, tid ? tid : pid);
		if (v >= 0)
			row->prio = iop_effective_value(v, sf.nice, sf.policy < 0 ? 0 : sf.policy);
	}
	row->cmdline = NULL;
	if (opt->want_cmdline) {
		task_path(path, pid, tid, "cmdline");
		row->cmdline = read_cmdline(root, path);
	}
	snap->n++;
	return 1;
}

/* The threads of a process, each read as a row. */
static int read_threads(int root, const struct scan_options *opt, bool same_ns, int pid,
			struct proc_snapshot *snap)
{
	char path[32];
	int fd;
	DIR *d;
	struct dirent *e;
	size_t first = snap->n;
	int r = 0;

	task_path(path, pid, 0, "task");
	fd = openat(root, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (r >= 0 && (e = readdir(d))) {
		unsigned long long tid;
		if (parse_ull(e->d_name, e->d_name + strlen(e->d_name), &tid) == 0 && tid > 0 &&
		    tid <= 0x7fffffff)
			r = read_task(root, opt, same_ns, pid, (int)tid, snap);
	}
	closedir(d);
	/* /proc lists threads in creation order; rows are kept by tid */
	for (size_t i = first + 1; i < snap->n; i++)
		for (size_t j = i; j > first && snap->rows[j - 1].tid > snap->rows[j].tid; j--) {
			struct proc_row t = snap->rows[j];
			snap->rows[j] = snap->rows[j - 1];
			snap->rows[j - 1] = t;
		}
	return r < 0 ? r : 0;
}

static int read_pid(int root, const struct scan_options *opt, bool same_ns, int pid,
		    struct proc_snapshot *snap)
{
	if (opt->threads)
		return read_threads(root, opt, same_ns, pid, snap);
	int r = read_task(root, opt, same_ns, pid, 0, snap);
	return r < 0 ? r : 0;
}

/* Is this procfs the one of our own pid namespace?  Only then may its pids
 * be handed to ioprio_get(). */
static bool same_namespace(int root)
{
	char link[32], want[32];
	ssize_t n = readlinkat(root, "self", link, sizeof(link) - 1);

	if (n <= 0)
		return false;
	link[n] = '\0';
	snprintf(want, sizeof(want), "%d", (int)getpid());
	return strcmp(link, want) == 0;
}

static double now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_row(const void *a, const void *b)
{
	const struct proc_row *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

int procfs_scan(int root, const struct scan_options *opt, struct proc_snapshot *snap)
{
	char buf[128];
	ssize_t n;
	bool same_ns = same_namespace(root);
	int r = 0;

	for (size_t i = 0; i < snap->n; i++)
		free(snap->rows[i].cmdline);
	snap->n = 0;
	snap->denied = 0;
	snap->when = now(CLOCK_REALTIME);
	snap->mono = now(CLOCK_MONOTONIC);
	snap->uptime = 0;
	n = read_small(root, "uptime", buf, sizeof(buf) - 1, NULL);
	if (n > 0) {
		buf[n] = '\0';
		snap->uptime = strtod(buf, NULL);
	}

	if (opt->npids) {
		for (size_t i = 0; i < opt->npids && r >= 0; i++)
			r = read_pid(root, opt, same_ns, opt->pids[i], snap);
		return r;
	}

	int fd = openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	bool sorted = true;
	int last = 0;

	if (!d) {
		r = -errno;
		if (fd >= 0)
			close(fd);
		return r;
	}
	while (r >= 0 && (e = readdir(d))) {
		unsigned long long pid;
		if (e->d_name[0] < '1' || e->d_name[0] > '9' ||
		    parse_ull(e->d_name, e->d_name + strlen(e->d_name), &pid) < 0 || pid > 0x7fffffff)
			continue;
		if ((int)pid < last)
			sorted = false;
		last = (int)pid;
		r = read_pid(root, opt, same_ns, (int)pid, snap);
	}
	closedir(d);
	if (!sorted)
		qsort(snap->rows, snap->n, sizeof(*snap->rows), cmp_row);
	return r;
}

void procfs_snapshot_free(struct proc_snapshot *snap)
{
	for (size_t i = 0; i < snap->n; i++)
		free(snap->rows[i].cmdline);
	free(snap->rows);
	snap->rows = NULL;
	snap->n = snap->cap = 0;
}

long procfs_clock_ticks(void)
{
	long t = sysconf(_SC_CLK_TCK);

	return t > 0 ? t : 100;
}

int procfs_delayacct_enabled(int root)
{
	char buf[8];
	ssize_t n = read_small(root, "sys/kernel/task_delayacct", buf, sizeof(buf), NULL);

	if (n <= 0)
		return -1;
	return buf[0] == '1';
}
