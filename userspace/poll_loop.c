// SPDX-License-Identifier: GPL-2.0-only
#include "poll_loop.h"

#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

int poll_loop_init(struct poll_loop *l)
{
	l->stop = false;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	return l->epfd < 0 ? -errno : 0;
}

int poll_loop_add(struct poll_loop *l, int fd, uint32_t events, struct poll_handler *ph)
{
	struct epoll_event ev = {.events = events, .data.ptr = ph};

	return epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

int poll_loop_mod(struct poll_loop *l, int fd, uint32_t events, struct poll_handler *ph)
{
	struct epoll_event ev = {.events = events, .data.ptr = ph};

	return epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) ? -errno : 0;
}

void poll_loop_del(struct poll_loop *l, int fd)
{
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
}

int poll_loop_run_once(struct poll_loop *l, int timeout_ms)
{
	struct epoll_event evs[32];
	int n = epoll_wait(l->epfd, evs, 32, timeout_ms);

	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		struct poll_handler *ph = evs[i].data.ptr;

		ph->on_ready(ph, evs[i].events);
	}
	return n;
}

void poll_loop_close(struct poll_loop *l)
{
	if (l->epfd >= 0)
		close(l->epfd);
	l->epfd = -1;
}
