/* SPDX-License-Identifier: MIT */
/*
 * The benchmark's floor: the least any per-process I/O reporter must do.
 * For every process in /proc it opens, reads and closes /proc/PID/io and
 * /proc/PID/stat, and parses nothing.  With "io", only /proc/PID/io.
 * With "devices", the floor of a device report (iopstat -d): it reads
 * /proc/diskstats whole, and /sys/block/NAME/queue/scheduler of each device
 * it lists, splitting out the names and nothing more.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void slurp(int dirfd, const char *path)
{
	char buf[1024];
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf)) < 0) {
			/* unreadable: counted as done, like the real tools */
		}
		close(fd);
	}
}

static int devices(void)
{
	static char buf[1 << 16];
	char path[300];
	int fd = open("/proc/diskstats", O_RDONLY | O_CLOEXEC);
	ssize_t n, len = 0;

	if (fd < 0)
		return 1;
	while (len < (ssize_t)sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	buf[len < 0 ? 0 : len] = '\0';
	for (char *line = buf, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char name[64];
		if (sscanf(line, "%*u %*u %63s", name) == 1) {
			snprintf(path, sizeof(path), "/sys/block/%s/queue/scheduler", name);
			slurp(AT_FDCWD, path);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "devices"))
		return devices();
	int io_only = argc > 1 && !strcmp(argv[1], "io");
	int root = open("/proc", O_RDONLY | O_DIRECTORY);
	DIR *d = fdopendir(dup(root));
	struct dirent *e;
	char path[300];

	while (d && (e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%s/io", e->d_name);
		slurp(root, path);
		if (!io_only) {
			snprintf(path, sizeof(path), "%s/stat", e->d_name);
			slurp(root, path);
		}
	}
	return 0;
}
