/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What happens when a selector matches: apply its actions in enforce mode,
 * only record them in audit mode, count everything, and post the event with
 * the hook's arguments.  The mode comes from policy_state on every match, so
 * `rtenf mode` takes effect on the next event with no reload.
 *
 * Override cannot be applied here: how a program makes an operation fail
 * depends on its type (an LSM or fmod_ret program returns the error, a
 * kprobe calls bpf_override_return, a cgroup socket program returns 0), so
 * hook_act() returns the errno and the program applies it.  Programs whose
 * type has no bpf_send_signal define RTENF_NO_SIGNALS; the compiler never
 * gives them a signal action.  Those types have no bpf_get_stack either
 * (RTENF_NO_STACKS): their events carry no stack.
 */
#ifndef RTENF_ACTIONS_BPF_H
#define RTENF_ACTIONS_BPF_H

#include "hook.bpf.h"

#define RTENF_DATA_MASK (RTENF_EVENT_DATA_MAX - 1)
#define RTENF_ARG_MASK  (RTENF_EVENT_ARG_MAX - 1)

static __always_inline __u32 clamp_len(__u32 off, __u32 len, struct rtenf_msg_arg *hdr)
{
	if (len > RTENF_EVENT_ARG_MAX - 1) {
		len = RTENF_EVENT_ARG_MAX - 1;
		hdr->flags |= RTENF_ARG_F_TRUNCATED;
	}
	if (off + sizeof(*hdr) + len > RTENF_EVENT_DATA_MAX) {
		len = RTENF_EVENT_DATA_MAX - off - sizeof(*hdr);
		hdr->flags |= RTENF_ARG_F_TRUNCATED;
	}
	return len;
}

static __always_inline __u32 emit_string(struct hook_env *env, __u32 a, __u8 *dst, __u32 off,
					 struct rtenf_msg_arg *hdr)
{
	struct rtenf_str_slot *slot;
	__s32 slen = arg_string(env, a, &slot);
	__u32 len;

	if (slen < 0 || !slot) {
		hdr->flags |= RTENF_ARG_F_UNREADABLE;
		return 0;
	}
	len = clamp_len(off, slen, hdr);
	bpf_probe_read_kernel(dst, len & RTENF_ARG_MASK, slot->str);
	return len;
}

static __always_inline void read_cred(const struct cred *c, struct rtenf_arg_cred *out)
{
	out->uid = BPF_CORE_READ(c, uid.val);
	out->gid = BPF_CORE_READ(c, gid.val);
	out->suid = BPF_CORE_READ(c, suid.val);
	out->sgid = BPF_CORE_READ(c, sgid.val);
	out->euid = BPF_CORE_READ(c, euid.val);
	out->egid = BPF_CORE_READ(c, egid.val);
	out->fsuid = BPF_CORE_READ(c, fsuid.val);
	out->fsgid = BPF_CORE_READ(c, fsgid.val);
	out->securebits = BPF_CORE_READ(c, securebits);
	out->cap_permitted = read_caps(&c->cap_permitted);
	out->cap_effective = read_caps(&c->cap_effective);
	out->cap_inheritable = read_caps(&c->cap_inheritable);
	out->user_ns = BPF_CORE_READ(c, user_ns, ns.inum);
}

/* Appends argument a to the event; returns false when the event is full. */
static __always_inline bool emit_arg(struct hook_env *env, struct rtenf_event_buf *eb, __u32 a)
{
	struct rtenf_hook_scratch *hs = env->hs;
	__u32 off = hs->out_off, type = rtenf_cfg.args[a].type, len = 0, idx = a & (RTENF_MAX_ARGS - 1);
	struct rtenf_msg_arg *hdr;
	__u8 *dst;

	if (off > RTENF_EVENT_DATA_MAX - sizeof(*hdr) - sizeof(struct rtenf_arg_cred))
		return false;
	off &= RTENF_DATA_MASK;
	hdr = (void *)&eb->data[off];
	dst = &eb->data[(off + sizeof(*hdr)) & RTENF_DATA_MASK];
	hdr->type = type;
	hdr->flags = 0;

	switch (type) {
	case RTENF_ARG_STRING:
	case RTENF_ARG_EXEC_ARGS:
		hdr->type = RTENF_ARG_STRING; /* shown as the string it is */
		len = emit_string(env, a, dst, off, hdr);
		break;
	case RTENF_ARG_FILE:
	case RTENF_ARG_PATH:
	case RTENF_ARG_FILENAME:
	case RTENF_ARG_LINUX_BINPRM:
	case RTENF_ARG_FD: {
		struct rtenf_arg_file *fh = (void *)dst;
		__u32 fo = (off + sizeof(*fh)) & RTENF_DATA_MASK;

		len = emit_string(env, a, &eb->data[(fo + sizeof(*hdr)) & RTENF_DATA_MASK], fo, hdr);
		fh->mode = hs->file_mode[idx];
		fh->flags = hs->file_flags[idx];
		len = sizeof(*fh) + (len & RTENF_ARG_MASK);
		break;
	}
	case RTENF_ARG_CHAR_BUF: {
		__u32 sa = rtenf_cfg.args[a].size_arg;
		__u64 want = sa < RTENF_MAX_ARGS ? arg_int(env, sa) : 0;

		load_raw_args(env);
		len = clamp_len(off, want > 0xffffffff ? 0xffffffff : (__u32)want, hdr);
		if (bpf_probe_read_user(dst, len & RTENF_ARG_MASK, (void *)hs->raw[idx])) {
			len = 0;
			hdr->flags |= RTENF_ARG_F_UNREADABLE;
		}
		break;
	}
	case RTENF_ARG_SOCK:
	case RTENF_ARG_SOCKADDR:
		if (type == RTENF_ARG_SOCK) {
			__builtin_memcpy(dst, arg_net(env, a), sizeof(struct rtenf_arg_sock));
			len = sizeof(struct rtenf_arg_sock);
		} else {
			struct rtenf_arg_sock *n = arg_net(env, a);
			struct rtenf_arg_sockaddr *sa = (void *)dst;

			sa->family = n->family;
			sa->port = n->dport;
			__builtin_memcpy(sa->addr, n->daddr, 16);
			len = sizeof(*sa);
		}
		break;
	case RTENF_ARG_SKB: {
		struct rtenf_arg_sock *n = arg_net(env, a);
		struct rtenf_arg_skb *k = (void *)dst;
		struct sk_buff *skb = (struct sk_buff *)hs->raw[idx]; /* loaded by arg_net() */

		k->family = n->family;
		k->protocol = n->protocol;
		k->sport = n->sport;
		k->dport = n->dport;
		k->mark = n->mark;
		k->len = skb ? BPF_CORE_READ(skb, len) : 0;
		k->priority = skb ? BPF_CORE_READ(skb, priority) : 0;
		k->pad = 0;
		__builtin_memcpy(k->saddr, n->saddr, 16);
		__builtin_memcpy(k->daddr, n->daddr, 16);
		len = sizeof(*k);
		break;
	}
	case RTENF_ARG_CRED:
		load_raw_args(env);
		read_cred((const struct cred *)hs->raw[idx], (struct rtenf_arg_cred *)dst);
		len = sizeof(struct rtenf_arg_cred);
		break;
	case RTENF_ARG_CAPS:
		load_raw_args(env);
		*(__u64 *)dst = read_caps((const kernel_cap_t *)hs->raw[idx]);
		len = 8;
		break;
	default:
		*(__u64 *)dst = arg_int(env, a);
		len = 8;
		break;
	}
	len &= RTENF_ARG_MASK;
	hdr->len = len;
	hs->out_off = off + sizeof(*hdr) + len;
	return true;
}

/* rateLimit: the same event (selector, arguments' first bytes, thread /
 * process / anyone by scope) posted less than the limit ago is held back;
 * otherwise it is posted and its time kept. */
static __always_inline bool rate_limited(struct hook_env *env, __u32 s, struct rtenf_event_buf *eb, __u32 nargs)
{
	__u32 slot_idx = RTENF_BINARY_SLOT, off = 0;
	struct rtenf_str_slot *slot = bpf_map_lookup_elem(&str_slots, &slot_idx);
	struct rtenf_rate_key k = {
		.policy_id = rtenf_cfg.policy_id,
		.hook_id = rtenf_cfg.hook_id,
		.selector = s,
		.scope = rtenf_cfg.selectors[s].rate_scope,
	};
	__u64 now = bpf_ktime_get_boot_ns(), *last;
	__u64 window = (__u64)rtenf_cfg.selectors[s].rate_limit_ms * 1000000;

	if (!slot)
		return false;
	k.who = k.scope == RTENF_RATE_THREAD ? env->tid : k.scope == RTENF_RATE_PROCESS ? env->tgid : 0;
	__builtin_memset(slot->str, 0, RTENF_MAX_ARGS * RTENF_RATE_ARG_BYTES);
	for (__u32 a = 0; a < RTENF_MAX_ARGS; a++) {
		struct rtenf_msg_arg *hdr;
		__u32 n;

		if (a >= nargs || off > RTENF_EVENT_DATA_MAX - sizeof(*hdr))
			break;
		hdr = (void *)&eb->data[off & RTENF_DATA_MASK];
		n = hdr->len < RTENF_RATE_ARG_BYTES ? hdr->len : RTENF_RATE_ARG_BYTES;
		RTENF_OPAQUE(n);
		bpf_probe_read_kernel(&slot->str[a * RTENF_RATE_ARG_BYTES], n & 63,
				      &eb->data[(off + sizeof(*hdr)) & RTENF_DATA_MASK]);
		off += sizeof(*hdr) + hdr->len;
	}
	k.args_hash = rtenf_hash_bytes((const struct rtenf_hash_input *)slot->str, RTENF_MAX_ARGS * RTENF_RATE_ARG_BYTES);
	last = bpf_map_lookup_elem(&rate_limits, &k);
	if (last && now - *last < window)
		return true;
	bpf_map_update_elem(&rate_limits, &k, &now, BPF_ANY);
	return false;
}

#ifndef RTENF_NO_STACKS
/* Writes a stack section at off.  The frames go straight into the event
 * (no stack-id map to manage and clean up); a failure still writes the
 * section, flagged, so user space can say why the stack is missing.  Every
 * section has the same length whatever its frame count (bpf_get_stack()
 * zeroes the slots it does not fill): the next one then starts at a
 * constant distance, which every verifier can bound. */
static __always_inline void emit_stack(void *ctx, struct rtenf_event_buf *eb, __u64 off, __u8 kind)
{
	struct rtenf_msg_stack *st = (void *)&eb->data[off];
	long n;

	n = bpf_get_stack(ctx, &eb->data[off + sizeof(*st)], RTENF_STACK_BYTES,
			  kind == RTENF_STACK_USER ? BPF_F_USER_STACK : 0);
	st->kind = kind;
	st->flags = 0;
	st->pad = 0;
	if (n < 0) {
		st->flags = RTENF_STACK_F_FAILED;
		n = 0;
	} else if (n >= RTENF_STACK_BYTES) {
		st->flags = RTENF_STACK_F_FULL;
		n = RTENF_STACK_BYTES;
	}
	st->nframes = (__u32)n / 8;
}

/* Appends the stacks the record's selector asked for after its arguments,
 * and updates the record's size and flags.  A function of its own, with
 * everything read from the record: when it was inlined, the registers the
 * compiler kept for it across emit_hook_event stopped the verifier from
 * pruning there, even in programs that never take this path (a
 * 24-selector tracepoint program: 52k verified instructions without it,
 * 627k with it). */
static __noinline void add_stacks(void *ctx, struct rtenf_event_buf *eb)
{
	__u8 sflags = rtenf_cfg.selectors[eb->m.selector & (RTENF_MAX_SELECTORS - 1)].flags;
	__u64 start = eb->m.hdr.size - sizeof(eb->m), off;

	if (start > RTENF_EVENT_DATA_MAX - 1)
		return;
	/* the test above bounds a 32-bit copy only, which 6.1's verifier does
	 * not carry over to the register that addresses the buffer; the mask,
	 * kept from the optimiser (it is redundant in C), bounds that one:
	 * off <= RTENF_DATA_MASK, and two sections fit after it */
	off = start;
	RTENF_OPAQUE(off);
	off &= RTENF_DATA_MASK;
	if (sflags & RTENF_SEL_F_KERNEL_STACK) {
		emit_stack(ctx, eb, off, RTENF_STACK_KERNEL);
		off += RTENF_STACK_SECTION;
	}
	if (sflags & RTENF_SEL_F_USER_STACK) {
		emit_stack(ctx, eb, off, RTENF_STACK_USER);
		off += RTENF_STACK_SECTION;
	}
	if (off != (start & RTENF_DATA_MASK))
		eb->m.hdr.flags |= RTENF_HOOK_F_STACKS;
	eb->m.hdr.size = sizeof(eb->m) + off;
}
#endif

static __always_inline void emit_hook_event(struct hook_env *env, __u32 sel, __u32 action_bits,
					    __u32 action_arg, __u8 flags, struct rtenf_policy_counters *pc)
{
	struct rtenf_event_buf *eb;
	struct rtenf_process *proc;
	__u32 zero = 0, nargs = 0;
	__u64 size;

	eb = bpf_map_lookup_elem(&event_heap, &zero);
	if (!eb)
		return;
	proc = env_process(env);
	env->hs->out_off = 0;
	for (int a = 0; a < RTENF_MAX_ARGS; a++) {
		if (a >= rtenf_cfg.nargs)
			break;
		if (!(rtenf_cfg.args[a].flags & RTENF_ARGD_F_EMIT))
			continue;
		if (!emit_arg(env, eb, a)) {
			flags |= RTENF_HOOK_F_TRUNCATED;
			break;
		}
		nargs++;
	}
	eb->m.hdr.op = rtenf_cfg.op;
	eb->m.hdr.flags = flags;
	eb->m.hdr.ktime = bpf_ktime_get_boot_ns();
	fill_msg_task(&eb->m.task, env->task, proc ? proc->exec_id : 0);
	eb->m.policy_id = rtenf_cfg.policy_id;
	eb->m.hook_id = rtenf_cfg.hook_id;
	eb->m.selector = sel;
	eb->m.nargs = nargs;
	eb->m.actions = action_bits;
	eb->m.action_arg = action_arg;
	eb->m.retval = env->hs->retval;
	size = sizeof(eb->m) + (env->hs->out_off & (RTENF_EVENT_DATA_MAX * 2 - 1));
	if (size > sizeof(*eb))
		size = sizeof(*eb);
	eb->m.hdr.size = size;
	if (rtenf_cfg.selectors[sel & (RTENF_MAX_SELECTORS - 1)].rate_limit_ms &&
	    rate_limited(env, sel & (RTENF_MAX_SELECTORS - 1), eb, nargs))
		return;
#ifndef RTENF_NO_STACKS
	/* after the rate limit: a held-back event costs no stack walk */
	if ((rtenf_cfg.flags & RTENF_HOOKCFG_F_STACKS) &&
	    (rtenf_cfg.selectors[sel & (RTENF_MAX_SELECTORS - 1)].flags &
	     (RTENF_SEL_F_KERNEL_STACK | RTENF_SEL_F_USER_STACK))) {
		add_stacks(env->ctx, eb);
		size = eb->m.hdr.size;
		/* bounded on the register handed to the helper: 6.1's verifier
		 * does not relate a clamped 32-bit copy to it */
		RTENF_OPAQUE(size);
		if (size > sizeof(*eb))
			size = sizeof(*eb);
	}
#endif
	if (bpf_ringbuf_output(&events, eb, size, 0)) {
		count_global(RTENF_CNT_RINGBUF_FULL);
		if (pc)
			pc->ringbuf_full++;
	} else {
		count_global(RTENF_CNT_EMITTED);
		if (pc)
			pc->posted++;
	}
}

/* Runs the actions of selector sel in the policy's live mode.  Returns the
 * errno the operation must fail with (Override in enforce mode), else 0. */
static __always_inline __u32 hook_act(struct hook_env *env, int sel, __u32 mode, __u8 flags)
{
	struct rtenf_policy_counters *pc = policy_counters_of(rtenf_cfg.policy_slot);
	__u32 s = sel & (RTENF_MAX_SELECTORS - 1);
	__u32 nactions = rtenf_cfg.selectors[s].nactions, sig = 0, err = 0, action_arg = 0;
	bool post = true, enforcing = false;

	for (__u32 k = 0; k < RTENF_MAX_ACTIONS; k++) {
		if (k >= nactions)
			break;
		switch (rtenf_cfg.selectors[s].actions[k].kind) {
		case RTENF_ACTION_NOPOST:
			post = false;
			break;
		case RTENF_ACTION_SIGKILL:
			sig = 9;
			break;
		case RTENF_ACTION_SIGNAL:
			sig = rtenf_cfg.selectors[s].actions[k].arg;
			break;
		case RTENF_ACTION_OVERRIDE:
			err = rtenf_cfg.selectors[s].actions[k].arg;
			break;
		}
	}
	action_arg = err ? err : sig;
	if (pc)
		pc->matched++;
	if (flags & RTENF_HOOK_F_LATE && pc)
		pc->late++;
	if (sig || err) {
		if (mode == RTENF_MODE_ENFORCE) {
			bool ok = true;

#ifndef RTENF_NO_SIGNALS
			if (sig)
				ok = bpf_send_signal(sig) == 0;
#endif
			enforcing = true;
			if (ok) {
				flags |= RTENF_HOOK_F_ENFORCED;
				if (pc)
					pc->actions_applied++;
			} else {
				flags |= RTENF_HOOK_F_ACTION_FAILED;
				if (pc)
					pc->actions_failed++;
			}
		} else {
			flags |= RTENF_HOOK_F_AUDIT;
			if (pc)
				pc->actions_audited++;
		}
	}
	if (post)
		emit_hook_event(env, s, rtenf_cfg.selectors[s].action_bits, action_arg, flags, pc);
	return enforcing ? err : 0;
}

#endif /* RTENF_ACTIONS_BPF_H */
