// SPDX-License-Identifier: GPL-2.0-only
/*
 * (b) and (b+): the empty program of tests/bpf/bench_empty.bpf.c.  It is
 * loaded once and attached anew in every round; a loaded program that is
 * not attached costs no syscall anything.  (b+) adds sys_exit_openat: rtenf
 * attaches a program there for hooks that read user strings, and (b+) is
 * the floor for that shape.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "bench.h"
#include "bench_empty.skel.h"

static const char *const floor_tps[] = {"sys_enter_openat", "sys_enter_getppid", "sys_exit_openat"};

int empty_setup(struct bench *b, enum cfg_id id)
{
	int n = id == CFG_FLOOR_EXIT ? 3 : 2;

	if (!b->skel) {
		b->skel = bench_empty_bpf__open_and_load();
		if (!b->skel) {
			fprintf(stderr, "bench: cannot load the empty BPF program: %s\n", strerror(errno));
			return -1;
		}
	}
	for (int i = 0; i < n; i++) {
		b->links[i] = bpf_program__attach_tracepoint(b->skel->progs.bench_empty, "syscalls", floor_tps[i]);
		if (!b->links[i]) {
			fprintf(stderr, "bench: cannot attach the empty program to syscalls/%s: %s\n", floor_tps[i],
				strerror(errno));
			empty_teardown(b, id);
			return -1;
		}
	}
	return 0;
}

void empty_teardown(struct bench *b, enum cfg_id id)
{
	(void)id;
	for (size_t i = 0; i < sizeof(b->links) / sizeof(b->links[0]); i++) {
		bpf_link__destroy(b->links[i]);
		b->links[i] = NULL;
	}
}

void empty_unload(struct bench *b)
{
	empty_teardown(b, CFG_FLOOR);
	bench_empty_bpf__destroy(b->skel);
	b->skel = NULL;
}
