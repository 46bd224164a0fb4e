/* SPDX-License-Identifier: MIT */
/*
 * Test helper (root only): runs CMD in a user namespace of its own whose
 * uid and gid 0 are ROOT outside and 1 are OTHER outside, as the namespace's
 * root (a rootless container's, in small).  What CMD does with ids 0 and 1
 * there is what a container's daemon does.  Its pid is CMD's: the helper
 * unshares itself, a child of it writes the maps, and it execs CMD.
 *   usage: userns ROOT OTHER CMD [ARG...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int put(pid_t pid, const char *file, const char *text)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

int main(int argc, char **argv)
{
	char *end1, *end2, map[64], c;
	unsigned long root, other;
	int go[2], done[2];
	pid_t self = getpid();

	if (argc < 4)
		return 2;
	root = strtoul(argv[1], &end1, 10);
	other = strtoul(argv[2], &end2, 10);
	if (*end1 || *end2 || !*argv[1] || !*argv[2] || root == other)
		return 2;
	snprintf(map, sizeof(map), "0 %lu 1\n1 %lu 1\n", root, other);
	if (pipe2(go, O_CLOEXEC) || pipe2(done, O_CLOEXEC))
		return 1;
	pid_t mapper = fork();
	if (mapper < 0)
		return 1;
	if (mapper == 0) { /* in the parent namespace, where root may map anyone */
		close(go[1]);
		close(done[0]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		if (put(self, "uid_map", map) || put(self, "gid_map", map)) {
			perror("userns: writing the maps");
			_exit(1);
		}
		_exit(write(done[1], "m", 1) == 1 ? 0 : 1);
	}
	close(go[0]);
	close(done[1]);
	if (unshare(CLONE_NEWUSER) != 0) {
		perror("userns: unshare");
		return 1;
	}
	if (write(go[1], "u", 1) != 1 || read(done[0], &c, 1) != 1)
		return 1;
	int status;
	if (waitpid(mapper, &status, 0) != mapper || !WIFEXITED(status) || WEXITSTATUS(status))
		return 1;
	/* the namespace's root: uid and gid 0 inside (ROOT outside) */
	if (setresgid(0, 0, 0) || setresuid(0, 0, 0)) {
		perror("userns: becoming the namespace's root");
		return 1;
	}
	execvp(argv[3], argv + 3);
	fprintf(stderr, "userns: %s: %s\n", argv[3], strerror(errno));
	return 127;
}
