// SPDX-License-Identifier: GPL-2.0-only
/*
 * The floor of `make bench`: a tracepoint program that does nothing.  What
 * it costs is what the kernel charges for running any BPF program on a
 * syscall tracepoint; no policy engine built on tracepoints can go below it.
 * tests/bench attaches this one program to several tracepoints.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tracepoint")
int bench_empty(void *ctx)
{
	return 0;
}
