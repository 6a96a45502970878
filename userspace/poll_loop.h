/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The agent is one thread around one epoll set.  Everything that waits on a
 * file descriptor embeds a poll_handler; epoll hands it back on readiness.
 */
#ifndef RTENF_POLL_LOOP_H
#define RTENF_POLL_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct poll_handler {
	void (*on_ready)(struct poll_handler *ph, uint32_t events);
};

struct poll_loop {
	int epfd;
	bool stop;
};

int poll_loop_init(struct poll_loop *l);
int poll_loop_add(struct poll_loop *l, int fd, uint32_t events, struct poll_handler *ph);
int poll_loop_mod(struct poll_loop *l, int fd, uint32_t events, struct poll_handler *ph);
void poll_loop_del(struct poll_loop *l, int fd);
/* Dispatches ready handlers until stop is set; timeout_ms bounds each wait. */
int poll_loop_run_once(struct poll_loop *l, int timeout_ms);
void poll_loop_close(struct poll_loop *l);

#endif /* RTENF_POLL_LOOP_H */
