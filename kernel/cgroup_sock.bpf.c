// SPDX-License-Identifier: GPL-2.0-only
/*
 * Override of connect, bind and sendmsg on kernels where nothing better can
 * make a call fail (no BPF LSM, no fmod_ret, no bpf_override_return): cgroup
 * socket-address programs attached to the cgroup v2 root see every such
 * call on the machine and can refuse it (EPERM).  The hook's selectors run
 * unchanged; the address being connected to (or bound, or sent to) stands in
 * for the hook's sockaddr argument, and process filters work as anywhere.
 * These program types have no bpf_send_signal: the compiler gives them no
 * signal actions.  Nor bpf_get_stack: their events carry no stack.
 */
#define RTENF_NO_SIGNALS
#define RTENF_NO_STACKS
#include "hook_flow.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* The UAPI struct bpf_sock_addr, declared here without vmlinux.h's CO-RE
 * attribute: the kernel rewrites context loads by these fixed offsets and
 * rejects the pointer arithmetic relocated accesses can turn into. */
struct sock_addr_ctx {
	__u32 user_family;
	__u32 user_ip4;
	__u32 user_ip6[4];
	__u32 user_port;
	__u32 family;
	__u32 type;
	__u32 protocol;
};

/* v6 is a constant in each program: an IPv4 program may not even read the
 * IPv6 fields (and vice versa), so the two paths must not merge. */
static __always_inline void fill_sockaddr_args(struct hook_env *env, struct sock_addr_ctx *ctx, const bool v6)
{
	struct rtenf_hook_scratch *hs = env->hs;
	struct rtenf_arg_sock n = {};

	n.family = ctx->user_family;
	n.dport = bpf_ntohs((__u16)ctx->user_port);
	n.protocol = ctx->protocol;
	n.type = ctx->type;
	if (v6) {
		((__u32 *)n.daddr)[0] = ctx->user_ip6[0];
		((__u32 *)n.daddr)[1] = ctx->user_ip6[1];
		((__u32 *)n.daddr)[2] = ctx->user_ip6[2];
		((__u32 *)n.daddr)[3] = ctx->user_ip6[3];
	} else {
		((__u32 *)n.daddr)[0] = ctx->user_ip4;
	}
	for (int a = 0; a < RTENF_MAX_ARGS; a++) {
		if (a >= rtenf_cfg.nargs)
			break;
		hs->net[a] = n;
		hs->net_state[a] = 1;
	}
}

/* 1 lets the call go on; 0 makes it fail with EPERM. */
static __always_inline int sock_hook(struct sock_addr_ctx *ctx, const bool v6)
{
	struct rtenf_policy_state *st = live_state();
	struct hook_env env;
	int sel;

	if (!st || !hook_env_init(&env, ctx))
		return 1;
	fill_sockaddr_args(&env, ctx, v6);
	sel = match_selectors(&env);
	if (sel < 0)
		return 1;
	return hook_act(&env, sel, st->mode, 0) ? 0 : 1;
}

SEC("cgroup/connect4")
int sock_connect4(struct bpf_sock_addr *ctx)
{
	return sock_hook((struct sock_addr_ctx *)ctx, false);
}

SEC("cgroup/connect6")
int sock_connect6(struct bpf_sock_addr *ctx)
{
	return sock_hook((struct sock_addr_ctx *)ctx, true);
}

SEC("cgroup/bind4")
int sock_bind4(struct bpf_sock_addr *ctx)
{
	return sock_hook((struct sock_addr_ctx *)ctx, false);
}

SEC("cgroup/bind6")
int sock_bind6(struct bpf_sock_addr *ctx)
{
	return sock_hook((struct sock_addr_ctx *)ctx, true);
}

SEC("cgroup/sendmsg4")
int sock_sendmsg4(struct bpf_sock_addr *ctx)
{
	return sock_hook((struct sock_addr_ctx *)ctx, false);
}

SEC("cgroup/sendmsg6")
int sock_sendmsg6(struct bpf_sock_addr *ctx)
{
	return sock_hook((struct sock_addr_ctx *)ctx, true);
}
