// SPDX-License-Identifier: GPL-2.0-only
/*
 * rtenf-attacker: the program the policy-library tests run inside their
 * "container" (a busybox root file system), statically linked so it needs
 * nothing there.  It plays a cryptominer under whatever name it is copied
 * to, and the steps of a container breakout.
 *
 * Its first act, before anything else, is to create the marker file
 * /ran-NAME (NAME: the basename of argv[0]) in its root: a test that
 * expects the process to be killed in execve asserts that the marker is
 * absent.
 *
 *   NAME [-o|--url stratum+tcp://A.B.C.D:PORT] [other miner options]
 *        listens on PORT at A.B.C.D when it can (a "pool" in the same
 *        network namespace), then connects there
 *   NAME --setns FILE          setns(open(FILE), 0)
 *   NAME --open-write FILE     open(FILE, O_WRONLY), closed without writing
 *   NAME --setuid0             become nobody (65534), then setuid(0)
 *
 * Exit status: 0 done, the errno of the step that failed, 2 usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void mark(const char *argv0)
{
	const char *base = strrchr(argv0, '/');
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/ran-%s", base ? base + 1 : argv0);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0)
		close(fd);
}

static int pool_connect(const char *url)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	char host[64];
	const char *p = strstr(url, "://");
	unsigned port;
	int lfd, fd, one = 1, r = 0;

	if (!p || sscanf(p + 3, "%63[0-9.]:%u", host, &port) != 2 || port > 65535 ||
	    inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return 2;
	sa.sin_port = htons((unsigned short)port);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd >= 0) {
		setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 1)) {
			close(lfd);
			lfd = -1;
		}
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		r = errno;
	else if (write(fd, "{\"method\":\"mining.subscribe\"}\n", 30) < 0)
		r = errno;
	close(fd);
	if (lfd >= 0)
		close(lfd);
	return r;
}

int main(int argc, char **argv)
{
	int fd;

	mark(argc > 0 ? argv[0] : "attacker");
	if (argc == 3 && !strcmp(argv[1], "--setns")) {
		fd = open(argv[2], O_RDONLY);
		if (fd < 0)
			return errno;
		return setns(fd, 0) ? errno : 0;
	}
	if (argc == 3 && !strcmp(argv[1], "--open-write")) {
		fd = open(argv[2], O_WRONLY);
		if (fd < 0)
			return errno;
		close(fd);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--setuid0")) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			return errno;
		return setuid(0) ? errno : 0;
	}
	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--url")) && i + 1 < argc)
			return pool_connect(argv[i + 1]);
		if (!strncmp(argv[i], "--url=", 6))
			return pool_connect(argv[i] + 6);
	}
	return 0;
}
