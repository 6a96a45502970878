// SPDX-License-Identifier: GPL-2.0-only
/* One uprobe hook of one policy: a function of a binary or library. */
#include "hook_flow.bpf.h"

char LICENSE[] SEC("license") = "GPL";

SEC("uprobe")
int uprobe_enter(struct pt_regs *ctx)
{
	hook_entry(ctx);
	return 0;
}
